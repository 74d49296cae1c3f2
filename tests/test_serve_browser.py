"""`grader serve` in a real headless Chromium, driven by Playwright (Debian's /usr/bin/chromium, which
.ci/run installs, given as `executable_path`: Playwright's own browser download is not reachable):
an upload through the plain form with script off, a file dropped on the file box and one picked in
the file chooser, each shown with its verdicts and a named pitfall; a hostile file shown as text with
no script run; the page under a reverse proxy's path; the result page and the review desk at phone
width (390 px) without sideways scroll; a value corrected on the desk re-scoring the student. The
app runs under uvicorn on 127.0.0.1, as `grader serve` runs it. Skipped without Chromium, Playwright
or the serve extra."""
from __future__ import annotations

import contextlib
import csv
import json
import socket
import struct
import threading
import time

import pytest
from test_report_browser import CHROMIUM
from test_serve import HAND_WRITTEN, TOTAL_ON_FC8

pytest.importorskip("starlette")
pytest.importorskip("multipart")
uvicorn = pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")

from grader.batch import grade_folder  # noqa: E402
from grader.core import PROJECT_ROOT  # noqa: E402
from grader.corrections import load_corrections  # noqa: E402
from grader.rubric import load_rubric  # noqa: E402
from grader.serve.app import build_app  # noqa: E402
from grader.serve.desk import Desk  # noqa: E402

SUBMISSIONS = PROJECT_ROOT / "submissions"
PHONE = {"width": 390, "height": 844}
TOKEN = "a-token-for-the-browser-test"

# A long line of the student's own, without a space to break it at.
LONG_LINE = "conv3 weights: 3*3*256*384=884736 " + "x" * 300 + "\n"

# A student's file with markup and script in it (an .html file is read as text, as Markdown is).
HOSTILE = HAND_WRITTEN + """
<script>alert("script")</script> <img src=x onerror="alert('img')"> <svg onload="alert('svg')"></svg>
<iframe srcdoc="<script>alert('frame')</script>"></iframe> <b onmouseover="alert('hover')">hover me</b>
"""


@contextlib.contextmanager
def serving(app):
    """The app under uvicorn on a free port of 127.0.0.1, in a thread, until the block ends."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        for _ in range(600):  # the lifespan starts the grading workers first
            if server.started or not thread.is_alive():
                break
            time.sleep(0.05)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        server.should_exit = True
        thread.join(60)
        listener.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site():
    with serving(build_app(rubric=load_rubric("alexnet-paper"))) as url:
        yield url


class Watched:
    """A page with every dialog, console message and uncaught error it raises kept."""

    def __init__(self, page):
        self.page, self.dialogs, self.console, self.errors = page, [], [], []
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda message: self.console.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def heard(self) -> list[str]:
        return self.dialogs + self.console + self.errors


def verdicts(page) -> dict[str, str]:
    rows = page.locator("tr[data-slot]")
    return {row.get_attribute("data-slot").removeprefix("alexnet."): row.locator(".verdict").inner_text()
            for row in rows.all()}


def png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def sideways(page) -> tuple[int, int]:
    """(the page's width, the width the phone shows): more than shown is a sideways scroll."""
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def drop_file(page, selector: str, path) -> None:
    """Drag `path` from outside the browser and drop it on `selector`, as the OS hands a drop to
    Chromium (its input events, not a script's synthetic DOM event)."""
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    session = page.context.new_cdp_session(page)
    data = {"items": [], "files": [str(path)], "dragOperationsMask": 1}
    for kind in ("dragEnter", "dragOver", "drop"):
        session.send("Input.dispatchDragEvent", {"type": kind, "x": x, "y": y, "data": data})
    session.detach()


def test_the_plain_form_without_script_shows_verdicts_and_a_named_pitfall(browser, site, tmp_path):
    homework = tmp_path / "homework.md"
    homework.write_text(HAND_WRITTEN, encoding="utf-8")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site)
    page.set_input_files("#file", homework)
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    shown = verdicts(page)
    # conv1 as the paper gives it; conv2's weights with the towers merged, 5·5·96·256 (test_serve)
    assert shown["conv1.units"] == shown["conv1.weights"] == shown["conv1.connections"] == "correct"
    assert shown["conv2.weights"] == "wrong" and shown["conv2.units"] == "missing"
    pitfall = page.locator('[data-pitfall="tower-split-missed"]')
    assert pitfall.is_visible() and "Why is this bad?" in pitfall.inner_text()
    assert page.locator("mark", has_text="614,400").locator(".slot").all_inner_texts() == ["conv2 weights"]
    context.close()


def test_a_file_dropped_on_the_file_box_is_checked(browser, site):
    page = browser.new_page()
    page.goto(site)
    drop_file(page, "#file", SUBMISSIONS / "chen_jing.md")
    assert page.locator("#file").evaluate("input => input.files[0].name") == "chen_jing.md"
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    assert page.locator(".result h2").inner_text() == "chen_jing.md"
    shown = verdicts(page)
    # submissions/README.md: conv1's units from the Figure 2 caption (253,440), conv1's weights
    # right, the towers merged on conv2, conv4 and conv5: charged on conv2's weights, which conv4's
    # and conv5's follow through (the rubric's comment on charging)
    assert shown["conv1.units"] == "wrong" and shown["conv1.weights"] == "correct"
    assert shown["conv2.weights"] == "wrong"
    assert shown["conv4.weights"] == shown["conv5.weights"] == "follow-through"
    for code in ("caption-253440", "tower-split-missed"):
        assert page.locator(f'[data-pitfall="{code}"]').is_visible()
    page.close()


def test_a_workbook_picked_in_the_file_chooser_is_checked(browser, site):
    page = browser.new_page()
    page.goto(site)
    with page.expect_file_chooser() as chooser:
        page.locator("#file").click()
    chooser.value.set_files(SUBMISSIONS / "emma_schulz.xlsx")
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    # submissions/README.md: conv1's units given as its weights, the connections as the weights
    assert verdicts(page)["conv1.units"] == "wrong"
    for code in ("units-as-weights", "connections-as-weights"):
        assert page.locator(f'[data-pitfall="{code}"]').is_visible()
    page.close()


def test_the_watch_hears_a_script_that_runs(browser):
    """The check below can fail: on a page that lets script run, the alert is heard."""
    watched = Watched(browser.new_page())
    watched.page.set_content('<p>x</p><img src=x onerror="alert(1)"><script>console.log("ran")</script>')
    watched.page.wait_for_timeout(200)  # the broken image's error event
    assert watched.dialogs == ["1"] and "ran" in watched.console
    watched.page.close()


@pytest.mark.parametrize("name", ["hostile.html", '<img src=x onerror="alert(9)">.md'])
def test_a_hostile_file_shows_as_text_and_runs_nothing(browser, site, tmp_path, name):
    upload = tmp_path / name
    upload.write_text(HOSTILE, encoding="utf-8")
    watched = Watched(browser.new_page())
    page = watched.page
    page.goto(site)
    page.set_input_files("#file", upload)
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    page.locator("ol.lines li").filter(has_text="hover me").hover()
    page.wait_for_timeout(300)  # time for an image's error or a frame's load, were there any
    assert watched.heard() == []
    assert page.locator("main script, main img, main svg, main iframe, main b").count() == 0
    # the file's name, as text (Chromium sends a name's quotes as %22)
    assert page.locator(".result h2").inner_text() == name.replace('"', "%22")
    lines = page.locator("ol.lines").inner_text()
    assert '<script>alert("script")</script>' in lines and "<iframe srcdoc=" in lines
    assert verdicts(page)["conv2.weights"] == "wrong"  # graded all the same
    page.close()


def under_a_path(upstream: str, prefix: str = "/selfcheck/"):
    """A reverse proxy as README's nginx lines set one up: `prefix` stripped, the rest passed to
    `upstream`, nothing served outside it (a link that is not relative leads nowhere)."""
    import httpx
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    async def forward(request):
        async with httpx.AsyncClient(base_url=upstream) as client:
            answer = await client.request(
                request.method, request.path_params["rest"], params=request.query_params, content=await request.body(),
                headers={k: v for k, v in request.headers.items() if k in ("content-type", "cookie")})
        kept = [(k.encode(), v.encode()) for k, v in answer.headers.multi_items()
                if k not in ("content-length", "content-encoding", "transfer-encoding", "connection")]
        response = Response(answer.content, status_code=answer.status_code)
        response.raw_headers = [*kept, (b"content-length", str(len(answer.content)).encode())]
        return response

    return Starlette(routes=[Route(prefix + "{rest:path}", forward, methods=["GET", "POST"])])


def test_the_page_works_under_a_reverse_proxys_path(browser, site):
    with serving(under_a_path(site)) as proxy:
        watched = Watched(browser.new_page())
        page = watched.page
        page.goto(f"{proxy}selfcheck/")
        page.locator("#text").fill(HAND_WRITTEN)
        with page.expect_navigation():
            page.get_by_role("button", name="Check").click()
        assert page.url == f"{proxy}selfcheck/check"
        assert verdicts(page)["conv2.weights"] == "wrong"
        # the style sheet came through the same path: the button is serve.css's blue, #2452b8
        assert page.get_by_role("button", name="Check").evaluate("b => getComputedStyle(b).backgroundColor") \
            == "rgb(36, 82, 184)"
        assert watched.heard() == []  # nothing failed to load
        page.close()


def check_phone_width(page, shot) -> None:
    """No sideways scroll at 390 px: the page fits, and so does its full-page screenshot."""
    scroll, visible = sideways(page)
    assert visible == PHONE["width"] and scroll <= visible, f"{scroll} px wide in {visible} px"
    page.screenshot(path=shot, full_page=True)
    assert png_size(shot)[0] == PHONE["width"]
    # the check can fail: an element wider than the phone makes the page, and its picture, wider
    # (its width set through the CSSOM: the page's CSP refuses a style attribute)
    page.evaluate("const wide = document.createElement('div'); wide.style.width = '900px'; "
                  "wide.textContent = 'wide'; document.querySelector('main').append(wide)")
    assert sideways(page)[0] > PHONE["width"]
    page.screenshot(path=shot.with_name("wide.png"), full_page=True)
    assert png_size(shot.with_name("wide.png"))[0] > PHONE["width"]


def test_the_result_page_fits_a_phone(browser, site, tmp_path):
    homework = tmp_path / "homework.md"
    homework.write_text(HAND_WRITTEN + LONG_LINE, encoding="utf-8")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site)
    page.set_input_files("#file", homework)
    with page.expect_navigation():
        page.get_by_role("button", name="Check").click()
    assert page.locator('[data-pitfall="tower-split-missed"]').is_visible()
    assert page.locator("ol.lines li", has_text="xxxxxxxx").is_visible()
    check_phone_width(page, tmp_path / "result.png")
    context.close()


@pytest.fixture()
def desk_site(tmp_path):
    """A class of one graded into OUT (fc8's weights left for review: test_serve.TOTAL_ON_FC8, with a
    long line of the student's under it) and the desk of that batch, served."""
    klass, out = tmp_path / "class", tmp_path / "out"
    klass.mkdir()
    (klass / "omar.md").write_text(TOTAL_ON_FC8 + LONG_LINE, encoding="utf-8")
    rubric = load_rubric("alexnet-paper")
    grade_folder(klass, rubric=rubric, out=out, workers=1)
    desk = Desk.open(klass, out=out, rubric=rubric, token=TOKEN)
    with serving(build_app(rubric=rubric, desk=desk)) as url:
        yield url, out


def test_the_review_desk_fits_a_phone(browser, desk_site, tmp_path):
    url, _ = desk_site
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{url}review?token={TOKEN}")
    assert page.url == f"{url}review"  # the token has left the address bar
    assert page.locator('section.item[data-slot="alexnet.fc8.weights"]').is_visible()
    assert page.locator("ol.lines li", has_text="xxxxxxxx").is_visible()
    check_phone_width(page, tmp_path / "desk.png")
    context.close()


def test_a_value_corrected_on_the_desk_rescores_the_student(browser, desk_site):
    url, out = desk_site
    watched = Watched(browser.new_page())
    page = watched.page
    page.goto(f"{url}review?token={TOKEN}")
    item = page.locator("section.item")
    assert item.get_attribute("data-submission") == "omar" and item.get_attribute("data-slot") == "alexnet.fc8.weights"
    # right, one point each of the rubric's 24 answers and 2 written questions: Omar's conv1, fc8's
    # units and connections, and conv3's weights on his long line; fc8's weights, left for review,
    # cost nothing until decided
    assert "score 7 / 26" in item.inner_text()
    page.get_by_label("The student meant the value").check()
    page.locator('input[name="value"]').fill("409,600")  # not fc8's 4096·1000: the TA says it is wrong
    page.locator("#comment").fill("the fc8 row, one zero short")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and re-score").click()
    assert page.get_by_role("status").inner_text() == "Saved in corrections.yaml: omar re-scored, 7 → 6."
    assert page.get_by_text("Nothing left to decide here.").is_visible()
    decided = load_corrections(out / "corrections.yaml")["omar"]
    assert [(c.slot_name, c.decision, c.value, c.comment) for c in decided] == [
        ("alexnet.fc8.weights", "value", 409_600, "the fc8 row, one zero short")]
    result = json.loads((out / "results" / "omar.json").read_text(encoding="utf-8"))
    assert result["score"] == 6
    with open(out / "gradebook" / "gradescope.csv", encoding="utf-8") as sheet:
        assert [row[2] for row in csv.reader(sheet)][1:] == ["6"]  # the gradebook follows
    assert watched.heard() == []
    page.close()
