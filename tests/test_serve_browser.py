"""The self-check page at phone width (390 px) in headless Chromium (where installed, as in
test_report_browser): a result page, with its long table and lines, has no horizontal scroll.
Skipped without Chromium or without the serve extra."""
from __future__ import annotations

import re
import warnings

import pytest
from test_report_browser import CHROMIUM, chromium
from test_serve import HAND_WRITTEN

pytest.importorskip("starlette")
pytest.importorskip("multipart")
pytest.importorskip("httpx")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from grader.rubric import load_rubric
from grader.serve.app import build_app

# Headless Chromium's window is at least 500 px wide: the page is measured in a 390 px frame
# (the app's own pages run no script; this one is the test's).
FRAME = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="phone" src="{page}" style="width:390px;height:844px;border:0"></iframe>
<script>document.getElementById("phone").onload = function () {{
  var root = this.contentDocument.documentElement;
  document.title = "width " + root.scrollWidth + " of " + root.clientWidth; }};</script></body></html>"""

# A long line of the student's own, without a space to break it at.
LONG_LINE = "conv3 weights: 3*3*256*384=884736 " + "x" * 300 + "\n"


def widths(page: str, style: str, tmp_path, name: str) -> tuple[int, int]:
    (tmp_path / "serve.css").write_text(style)
    (tmp_path / f"{name}.html").write_text(page)  # its links are relative: serve.css beside it
    frame = tmp_path / f"{name}-phone.html"
    frame.write_text(FRAME.format(page=f"{name}.html"))
    run = chromium(frame.as_uri(), tmp_path / f"profile-{name}", "--allow-file-access-from-files", "--dump-dom",
                   "--window-size=600,900")
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r"<title>width (\d+) of (\d+)</title>", run.stdout)
    assert found, run.stdout[-2000:]
    return int(found.group(1)), int(found.group(2))


def test_the_result_page_fits_a_phone(tmp_path):
    app = build_app(rubric=load_rubric("alexnet-paper"))
    with TestClient(app) as client:
        style = client.get("/serve.css").text
        page = client.post("/check", files={"file": ("homework.md", (HAND_WRITTEN + LONG_LINE).encode())}).text
    assert 'data-pitfall="tower-split-missed"' in page and "<mark" in page
    scroll, visible = widths(page, style, tmp_path, "result")
    assert 360 <= visible <= 390  # the frame, less its scroll bar
    assert scroll <= visible, f"the page scrolls sideways: {scroll} px wide in {visible} px"
    # the check can fail: an element wider than the phone makes the page scroll
    wide = page.replace("</main>", '<div style="width: 900px">wide</div></main>')
    scroll, visible = widths(wide, style, tmp_path, "wide")
    assert scroll > visible
