"""The ASGI app of `grader serve`, built from plain functions: `build_app` returns a Starlette app
whose routes are a list, with no global state; the grading is the pipeline `grader check` runs,
and what the page shows of it goes through the one reveal policy (`grader.report.reveal`, by
`feedback_view`).

Routes: `GET /` the self-check form, `POST /check` an upload (a file, or pasted text) graded and
shown, `GET /serve.css` its style sheet (and `GET /favicon.ico`, none). Nothing is stored: the
upload is held in memory (the form parser never spools it to disk), graded in a worker process and
forgotten with the response.
"""
from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.readers.limits import MB, Limits, size_text

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"

# No script at all: the form works without it, and a file input takes a dropped file by itself.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",  # a result page holds a student's work
}


@dataclass(frozen=True, slots=True)
class ServeLimits:
    """What one server holds: uploads up to `max_upload` bytes, each graded within `seconds`, by
    `workers` processes at once; up to `waiting` more wait (at most `seconds`) for one to be free,
    and any beyond are told to try again."""

    max_upload: int = 10 * MB
    seconds: float = 30.0
    workers: int = 2
    waiting: int = 16

    def reading(self) -> Limits:
        return Limits(max_bytes=self.max_upload, max_seconds=self.seconds)


class _TooLarge(Exception):
    pass


class _Busy(Exception):
    pass


def _security_headers(app):
    """Pure ASGI middleware: the headers on every response, errors included."""
    extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def with_headers(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await app(scope, receive, sending)

    return with_headers


def _bounded(receive, limit: int):
    """`receive` that refuses a body past `limit` bytes (a client may send no Content-Length)."""
    seen = 0

    async def bounded():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
        return message

    return bounded


def upload_name(filename: str | None) -> str:
    """The name an upload is called by: the last part of what the browser sent, its control
    characters escaped, never a path (nothing from the client touches the file system)."""
    from grader.report.render import shown_name

    base = PurePosixPath((filename or "").replace("\\", "/")).name.strip()
    base = shown_name(base)[:120]
    return base if base and base not in (".", "..") else "upload.txt"


def build_app(*, rubric, limits: ServeLimits = ServeLimits(), desk=None):
    """The self-check app for `rubric` (a Rubric), holding what `limits` says; with `desk` (a
    `grader.serve.desk.Desk`) the review desk of a graded batch at /review as well."""
    try:
        from jinja2 import Environment, FileSystemLoader, select_autoescape
        from starlette.applications import Starlette
        from starlette.formparsers import FormParser, MultiPartParser
        from starlette.requests import Request
        from starlette.responses import HTMLResponse, RedirectResponse, Response
        from starlette.routing import Route
    except ImportError as err:
        from grader.core import GraderError

        raise GraderError(f"`grader serve` needs the serve extra ({err.name} is missing): "
                          "pip install -e \".[serve]\"") from None
    from grader.serve.view import read_beside
    from grader.serve.workers import Graders

    templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                            trim_blocks=True, lstrip_blocks=True)
    from grader.report.teaching import format_score, format_value

    templates.filters["value"] = format_value
    templates.filters["score"] = format_score
    style = (TEMPLATES / "serve.css").read_bytes()
    graders = Graders(rubric, limits.reading(), limits.workers)
    slots = asyncio.Semaphore(limits.workers)
    waiting = 0

    class InMemory(MultiPartParser):
        spool_max_size = limits.max_upload + 64 * 1024  # above any part let through: never a temporary file

    def page(status: int = 200, **context) -> HTMLResponse:
        html = templates.get_template("check.html.j2").render(
            rubric=rubric, max_upload=size_text(limits.max_upload), **context)
        return HTMLResponse(html, status_code=status)

    async def home(request):
        return page()

    async def stylesheet(request):
        return Response(style, media_type="text/css")

    async def no_icon(request):  # the pages' icon (a browser asks for one): none, rather than a 404 in its console
        return Response(status_code=204)

    async def form_of(request) -> tuple[bytes, str]:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limits.max_upload + 64 * 1024:
            raise _TooLarge
        kind = request.headers.get("content-type", "")
        stream = Request(request.scope, _bounded(request.receive, limits.max_upload + 64 * 1024)).stream()
        if kind.startswith("multipart/form-data"):
            form = await InMemory(request.headers, stream, max_files=1, max_fields=2,
                                  max_part_size=limits.max_upload).parse()
        elif kind.startswith("application/x-www-form-urlencoded"):  # text pasted, no file: held in memory
            form = await FormParser(request.headers, stream, max_part_size=limits.max_upload).parse()
        else:
            raise ValueError("send the page's form")
        upload, pasted = form.get("file"), form.get("text")
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read()
            await upload.close()
            if len(data) > limits.max_upload:
                raise _TooLarge
            return data, upload_name(upload.filename)
        if isinstance(pasted, str) and pasted.strip():
            return pasted.encode("utf-8"), "pasted.md"
        raise ValueError("choose a file or paste your answers, then press Check")

    async def check(request):
        nonlocal waiting
        from starlette.formparsers import MultiPartException

        try:
            data, name = await form_of(request)
        except _TooLarge:
            return page(413, problem=f"That file is over this page's {size_text(limits.max_upload)} limit. "
                                     "Send a smaller one (a photo saved smaller, or your table as text).")
        except (ValueError, MultiPartException) as err:
            return page(400, problem=f"Nothing was checked: {err}.")
        if waiting >= limits.waiting:
            return _busy(page)
        waiting += 1
        try:
            await asyncio.wait_for(slots.acquire(), limits.seconds)
        except asyncio.TimeoutError:
            return _busy(page)
        finally:
            waiting -= 1
        try:
            from starlette.concurrency import run_in_threadpool

            result, lines = await run_in_threadpool(graders.grade, data, name)
        finally:
            slots.release()
        return page(**shown(result, lines))

    def shown(result: dict, lines: dict) -> dict:
        from grader.report.reveal import Reveal
        from grader.report.teaching import feedback_view
        from grader.report.terminal import NOTHING_READ, look_again, passed

        feedback = feedback_view(result, rubric.reveal)
        beside, left_out = read_beside(lines, Reveal.of(result, rubric.reveal).result(result))
        return {"fb": feedback, "lines": beside, "left_out": left_out, "passed": passed(result),
                "nothing_read": NOTHING_READ,
                "look_again": look_again(feedback)}

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await asyncio.to_thread(graders.start)
        try:
            yield
        finally:
            await asyncio.to_thread(graders.stop)

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/check", check, methods=["POST"]),
        Route("/serve.css", stylesheet, methods=["GET"]),
        Route("/favicon.ico", no_icon, methods=["GET"]),
    ]
    if desk is not None:
        routes += _desk_routes(desk, templates, Route, HTMLResponse, RedirectResponse, FormParser, Request)
    app = Starlette(routes=routes, lifespan=lifespan)
    return _security_headers(app)


DESK_COOKIE = "grader_desk"


def _desk_routes(desk, templates, Route, HTMLResponse, RedirectResponse, FormParser, Request):
    """/review: the queue one item at a time (GET ?n=K), a decision on it (POST). The token printed
    at start opens it (?token=..., kept in a cookie for this path); each decision's form carries it
    too, so no other page can make one."""
    import hmac

    from starlette.concurrency import run_in_threadpool

    from grader.core import GraderError

    def allowed(token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(token.encode(), desk.token.encode())

    def page(request, status: int = 200, *, n: int = 0, message: str = "", problem: str = ""):
        queue = desk.queue()
        decidable = [item for item in queue if item.slot]
        n = min(max(n, 0), max(len(decidable) - 1, 0))
        item = decidable[n] if decidable else None
        html = templates.get_template("desk.html.j2").render(
            item=item, n=n, count=len(decidable), others=[i for i in queue if not i.slot],
            lines=desk.source_lines(item) if item else [], slots=desk.slots(), token=desk.token,
            message=message, problem=problem, corrections=str(desk.corrections))
        return HTMLResponse(html, status_code=status)

    async def review(request):
        given = request.query_params.get("token")
        if given is not None:
            if not allowed(given):
                return HTMLResponse("Wrong token: use the address `grader serve` printed.", status_code=403)
            response = RedirectResponse("review", status_code=303)  # the token leaves the address bar
            response.set_cookie(DESK_COOKIE, desk.token, httponly=True, samesite="strict", path="/")
            return response
        if not allowed(request.cookies.get(DESK_COOKIE)):
            return HTMLResponse("The review desk needs the token `grader serve` printed (open its address).",
                                status_code=403)
        n = request.query_params.get("n", "0")
        return page(request, n=int(n) if n.isdigit() else 0)

    async def decide(request):
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return HTMLResponse("Send the desk's form.", status_code=400)
        body = Request(request.scope, _bounded(request.receive, 64 * 1024)).stream()
        try:
            form = await FormParser(request.headers, body, max_part_size=16 * 1024).parse()
        except _TooLarge:
            return HTMLResponse("Too large for a decision.", status_code=413)
        if not (allowed(request.cookies.get(DESK_COOKIE)) and allowed(form.get("token"))):
            return HTMLResponse("The review desk needs the token `grader serve` printed.", status_code=403)
        fields = {key: str(form.get(key) or "") for key in ("submission", "slot", "decision", "value", "move",
                                                           "comment")}
        n = str(form.get("n") or "0")
        try:
            before, after = await run_in_threadpool(lambda: desk.decide(**fields))
        except GraderError as err:
            return page(request, 400, n=int(n) if n.isdigit() else 0, problem=str(err))
        from grader.report.teaching import format_score

        return page(request, n=int(n) if n.isdigit() else 0,
                    message=f"Saved in {desk.corrections.name}: {fields['submission']} re-scored, "
                            f"{format_score(before)} → {format_score(after)}.")

    return [Route("/review", review, methods=["GET"]), Route("/review", decide, methods=["POST"])]


def _busy(page):
    response = page(503, problem="Many people are checking at once: try again in a minute.")
    response.headers["retry-after"] = "60"
    return response


_SIZE = re.compile(r"(?i)\s*(\d+(?:\.\d+)?)\s*(kb|mb|k|m)?\s*")


def parse_size(text: str) -> int:
    """'10MB' -> bytes, for --max-upload."""
    from grader.core import GraderError

    match = _SIZE.fullmatch(text)
    if not match or float(match.group(1)) <= 0:
        raise GraderError(f"--max-upload: {text!r} is not a size (e.g. 10MB)")
    unit = (match.group(2) or "").lower()[:1]
    return int(float(match.group(1)) * {"": 1, "k": 1024, "m": MB}[unit])


def run_serve(*, rubric, host: str, port: int, limits: ServeLimits, folder=None, out="reports",
              corrections=None, id_pattern=None, grade_limits=None, roster=None) -> int:
    """`grader serve [FOLDER]`: the self-check page on host:port until Ctrl-C; with FOLDER (graded
    into `out` by `grader grade`) the review desk of that batch too."""
    import secrets

    from grader.core import GraderError
    from grader.rubric import load_rubric

    rubric = load_rubric(rubric) if isinstance(rubric, str) else rubric
    desk = None
    if folder is not None:
        from grader.serve.desk import Desk

        desk = Desk.open(folder, out=out, rubric=rubric, token=secrets.token_urlsafe(18), corrections=corrections,
                         id_pattern=id_pattern, limits=grade_limits, roster=roster)
    app = build_app(rubric=rubric, limits=limits, desk=desk)
    try:
        import uvicorn
    except ImportError:
        raise GraderError("`grader serve` needs the serve extra (uvicorn is missing): "
                          "pip install -e \".[serve]\"") from None
    print(f"grader serve: the self-check page for {rubric.name} on http://{host}:{port}/ "
          f"({limits.workers} worker(s), uploads up to {size_text(limits.max_upload)}, "
          f"{limits.seconds:g} s each); Ctrl-C stops it", flush=True)
    if desk is not None:
        print(f"review desk for {desk.out}: http://{host}:{port}/review?token={desk.token} "
              f"(decisions go to {desk.corrections})", flush=True)
    # the request body is bounded by the app; h11's own limit on headers stays
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True,
                timeout_keep_alive=5, limit_concurrency=limits.workers + limits.waiting + 32)
    return 0
