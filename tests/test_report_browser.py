"""The dashboard and the feedback pages opened in a real browser (headless Chromium, where
installed: Debian's `chromium`, which .ci/run installs): they render, log nothing to the console,
load nothing from the network, and fit a phone (390 px) and a desktop (1280 px): no sideways page
scroll, and the key facts in the first screen."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import escape as html_escape
from html import unescape as html_unescape

import pytest
from test_batch import use_stand_in, write_class
from test_report_fixtures import rubric

from grader.batch import grade_folder
from grader.cli import main
from grader.core import PROJECT_ROOT
from grader.readers.ocr import ocr_available
from grader.report.feedback import feedback_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")


def chromium(url: str, profile, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args, url],
        capture_output=True, text=True, timeout=180)


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_console_errors_are_detected(tmp_path):
    """The check below can fail: a page that logs an error is caught."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><p>x</p><script>console.error("boom")</script>')
    run = chromium(page.as_uri(), tmp_path / "profile", "--dump-dom")
    assert any("boom" in line for line in console_messages(run.stderr))


def test_dashboard_and_feedback_render(monkeypatch, tmp_path):
    use_stand_in(monkeypatch)
    out = tmp_path / "out"
    grade_folder(write_class(tmp_path / "class"), rubric=rubric(), out=out, workers=1)
    pages = [(out / "index.html", 'class="histogram"'), (out / "feedback" / "bob.html", "Mistakes explained")]
    for page, shown in pages:
        html = page.read_text()
        assert not re.search(r"<(script|link|img|iframe)\b|\bsrc=|url\(", html), "the page must be self-contained"
        run = chromium(page.as_uri(), tmp_path / f"profile-{page.stem}", "--dump-dom")
        assert run.returncode == 0, run.stderr[-2000:]
        assert shown in run.stdout and "</html>" in run.stdout
        assert console_messages(run.stderr) == []
        shot = tmp_path / f"{page.stem}.png"
        run = chromium(page.as_uri(), tmp_path / f"profile-{page.stem}-shot", f"--screenshot={shot}",
                       "--window-size=1200,1600")
        assert run.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# The pages measured where a reader sees them: each in a frame of the viewport's size (Chromium's
# window is never narrower than 500 px), by a script in the harness page only, never in a report.
# `facts` are what must be in the first screen: on the dashboard the class's scores and the first
# student's row, on a feedback page the score and the verdict of the first answer.
FIRST_SCREEN = {
    "dashboard": {"mean": "#mean", "unreadable": '[data-status="unreadable"]',
                  "first student": "#submissions tbody tr:first-child td:nth-child(1)",
                  "first score": "#submissions tbody tr:first-child td:nth-child(2)"},
    "feedback": {"score": ".score", "first verdict": "tr[data-slot] td.verdict"},
    "unreadable": {"why not graded": ".status-unreadable"},
    "empty": {"why not graded": ".status-empty"},
}
HARNESS = """<!DOCTYPE html><html><body style="margin:0">{frames}<script>
addEventListener("load", () => {{
  const measured = [];
  for (const frame of document.querySelectorAll("iframe")) {{
    const doc = frame.contentDocument, root = doc.documentElement, facts = {{}};
    for (const [name, selector] of Object.entries(JSON.parse(frame.dataset.facts))) {{
      const found = doc.querySelector(selector), box = found && found.getBoundingClientRect();
      facts[name] = box && {{top: box.top, bottom: box.bottom, left: box.left, right: box.right}};
    }}
    measured.push({{page: frame.dataset.page, width: frame.width, scrollWidth: root.scrollWidth,
                   clientWidth: root.clientWidth, height: frame.contentWindow.innerHeight, facts}});
  }}
  document.body.dataset.measured = JSON.stringify(measured);
}});
</script></body></html>"""


def measure(pages: dict[str, tuple[str, str]], sizes, tmp_path) -> list[dict]:
    """pages: name -> (html, kind of page); each page in a frame of each (width, height)."""
    frames = "".join(
        f'<iframe width="{width}" height="{height}" data-page="{html_escape(name)}" '
        f'data-facts="{html_escape(json.dumps(FIRST_SCREEN[kind]))}" srcdoc="{html_escape(page)}"></iframe>'
        for width, height in sizes for name, (page, kind) in pages.items())
    harness = tmp_path / "harness.html"
    harness.write_text(HARNESS.format(frames=frames), encoding="utf-8")
    run = chromium(harness.as_uri(), tmp_path / "profile-measure", "--dump-dom", "--window-size=1400,1000")
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r'data-measured="([^"]*)"', run.stdout)
    assert found, "the harness measured nothing"
    measured = json.loads(html_unescape(found[1]))
    assert len(measured) == len(pages) * len(sizes)
    return measured


def misfits(measured: list[dict]) -> list[str]:
    """What does not fit: a page wider than its viewport, a first-screen fact missing or out of it."""
    wrong = []
    for m in measured:
        where = f"{m['page']} at {m['width']} px"
        if m["scrollWidth"] > m["clientWidth"]:
            wrong.append(f"{where}: {m['scrollWidth']} px wide, scrolls sideways")
        for name, box in m["facts"].items():
            if box is None:
                wrong.append(f"{where}: no {name}")
            elif box["top"] < 0 or box["bottom"] > m["height"] or box["left"] < 0 or box["right"] > m["clientWidth"]:
                wrong.append(f"{where}: {name} not in the first screen ({box})")
    return wrong


def test_the_measure_catches_a_page_that_does_not_fit(tmp_path):
    """The checks below can fail: a wide table outside a box, and a score pushed below the first screen."""
    wide = ('<!DOCTYPE html><p style="height: 2000px">…</p><p class="score">Score: 1 / 2</p>'
            '<table><tr data-slot="a"><td class="verdict">wrong</td><td style="min-width: 900px"></td></tr></table>')
    problems = misfits(measure({"wide": (wide, "feedback")}, [(390, 900)], tmp_path))
    assert any("scrolls sideways" in p for p in problems)
    assert any("score not in the first screen" in p for p in problems)


SUBMISSIONS = PROJECT_ROOT / "submissions"


def test_pages_fit_a_phone_and_a_desktop(tmp_path):
    """The bundled class through the real pipeline: the dashboard and every feedback page, as
    written (the rubric's hints) and with everything revealed (the widest table), at 390 and 1280 px."""
    out = tmp_path / "out"
    assert main(["grade", str(SUBMISSIONS), "--out", str(out), "--workers", "1"]) == 0
    pages = {"index.html": ((out / "index.html").read_text(encoding="utf-8"), "dashboard")}
    for result_file in sorted((out / "results").glob("*.json")):
        result = json.loads(result_file.read_text(encoding="utf-8"))
        written = (out / "feedback" / f"{result_file.stem}.html").read_text(encoding="utf-8")
        if result["status"] == "graded":
            pages[f"{result_file.stem}.html"] = (written, "feedback")
            pages[f"{result_file.stem} (answers)"] = (feedback_html(result, reveal="answers"), "feedback")
        else:
            pages[f"{result_file.stem}.html"] = (written, result["status"])
    # the class (submissions/README.md): 13 graded, 1 unreadable, 1 for another assignment (empty), and
    # the photo graded with the ocr extra (unreadable without it)
    graded = 14 if ocr_available() else 13
    assert len(pages) == 1 + 2 * graded + (16 - graded)
    measured = measure(pages, [(390, 900), (1280, 800)], tmp_path)
    assert misfits(measured) == []
