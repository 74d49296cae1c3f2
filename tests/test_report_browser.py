"""The dashboard and a feedback page opened in a real browser (headless Chromium, where installed:
Debian's `chromium`, which .ci/run installs): they render, log nothing to the console, and load
nothing from the network."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from test_batch import use_stand_in, write_class
from test_report_fixtures import rubric

from grader.batch import grade_folder

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
    pages = [(out / "index.html", "<svg"), (out / "feedback" / "bob.html", "Mistakes explained")]
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
