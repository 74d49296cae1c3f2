"""Templates and files: the jinja2 environments (HTML autoescaped; Markdown with every value
escaped by `finalize`) and atomic writes, so a crash never leaves a half-written report that
looks complete."""
from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from grader.report.teaching import format_score, format_value

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# Markdown punctuation that could start markup inside a line; < > & become entities so a
# renderer that passes HTML through shows `<script>` as text.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~!{}])")


# What a name may not hold when it is shown: the bytes of a name that is not UTF-8 (lone surrogates,
# as the file system layer keeps them), control characters (a terminal obeys them), line breaks and
# the marks that reorder text shown after them.
_NOT_IN_A_NAME = re.compile("[\ud800-\udfff\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match) -> str:
    code = ord(match[0])
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown_name(text: str) -> str:
    """A file name (or a message naming one) as the reports and the terminal show it: on one line,
    each byte that is not UTF-8 and each control character as its \\xNN escape, so that two names
    stay two and none sends a terminal its commands."""
    return _NOT_IN_A_NAME.sub(_escaped, text)


_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
_MD_ANY = re.compile(r"[\\`*_\[\]|#~!{}&<>\r\n]")  # anything escape_markdown changes


def escape_markdown(value) -> str:
    """`value` as Markdown text on one line (most values, numbers and words, need nothing)."""
    if value is None:
        return ""
    text = str(value)
    if not _MD_ANY.search(text):
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _LINE_BREAK.sub(" ", text)
    return _MD_SPECIAL.sub(r"\\\1", text)


def _filters(env) -> None:
    env.filters["figure"] = format_value
    env.filters["score"] = format_score
    env.filters["percent"] = lambda part, whole: f"{100 * part / whole:.0f}%" if whole else "—"


@lru_cache(maxsize=None)
def html_environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    _filters(env)
    env.globals["stylesheet"] = (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    return env


@lru_cache(maxsize=None)
def markdown_environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=False,
                             finalize=escape_markdown, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    _filters(env)
    return env


def render_html(template: str, **context) -> str:
    return html_environment().get_template(template).render(**context)


def stream_html(target: BinaryIO, template: str, **context) -> None:
    """`render_html` into a binary file as the template yields it, never whole in memory."""
    text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=False)
    text.writelines(html_environment().get_template(template).generate(**context))
    text.flush()
    text.detach()  # the file stays its caller's to close


def render_markdown(template: str, **context) -> str:
    return markdown_environment().get_template(template).render(**context)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_output(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file written beside `path`, then renamed over it: readers see the old file or the
    new one, never half of one (for reports written as a stream)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:  # named after the report, not the temporary name tried
        raise OSError(err.errno, err.strerror, str(path)) from err
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; a report is an ordinary file
        os.replace(temp, path)
    except OSError as err:
        Path(temp).unlink(missing_ok=True)
        if err.filename is None:  # a full disk fails a write, which names no file: name the report
            raise OSError(err.errno, err.strerror, str(path)) from err
        raise
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write beside the target, then rename over it: readers see the old file or the new one."""
    with atomic_output(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
