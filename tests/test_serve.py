"""`grader serve`'s self-check page through Starlette's test client: an upload graded and shown
with its verdicts and pitfalls, hostile text shown as text, an oversize upload refused, the
figures the rubric hides absent from the HTML, and the security headers. Skipped without the
serve extra (pip install -e ".[serve]")."""
from __future__ import annotations

import html as html_text
import re
import warnings

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # newer Starlette prefers httpx2 for its test client
    from starlette.testclient import TestClient

from grader.rubric import load_rubric
from grader.serve.app import ServeLimits, build_app, upload_name

LIMIT = 100_000

# conv1 as the AlexNet paper gives it (227×227×3 input: 55·55·96 units, 11·11·3·96 weights,
# 34,848·55·55 connections); conv2's weights with the towers merged: 5·5·96·256 = 614,400, where
# each filter sees its own tower's 48 channels (5·5·48·256 = 307,200).
HAND_WRITTEN = """\
# Homework 2: counting AlexNet

| Layer | Units | Weights | Connections |
|---|---|---|---|
| conv1 | 290,400 | 34,848 | 105,415,200 |
| conv2 |  | 614,400 |  |
"""

# fc8's weights written as 60,954,656, AlexNet's weights in all (the paper's count), not fc8's
# 4096·1000 = 4,096,000: a reading the grader leaves to a person. The rest of the row, and conv1,
# as the paper gives them.
TOTAL_ON_FC8 = """\
| layer | units | weights | connections |
|---|---|---|---|
| conv1 | 290400 | 34848 | 105415200 |
| fc8 | 1000 | 60954656 | 4096000 |
"""

# What the alexnet-paper rubric (reveal: hints) keeps hidden and this student did not write:
# conv2's units 27·27·256, weights 5·5·48·256, connections 307,200·27·27; conv3's units 13·13·384.
HIDDEN = (186_624, 307_200, 223_948_800, 64_896)


@pytest.fixture(scope="module")
def client():
    app = build_app(rubric=load_rubric("alexnet-paper"), limits=ServeLimits(max_upload=LIMIT, workers=1))
    with TestClient(app) as test_client:
        yield test_client


def upload(client, name: str, data: bytes):
    return client.post("/check", files={"file": (name, data, "application/octet-stream")})


def spellings(figure: int) -> list[str]:
    return [f"{figure}", f"{figure:,}", f"{figure:,}".replace(",", " "), f"{figure:,}".replace(",", "\u202f")]


def test_the_form_works_without_script(client):
    page = client.get("/")
    assert page.status_code == 200
    assert re.search(r'<form[^>]+method="post"[^>]+enctype="multipart/form-data"', page.text)
    assert 'type="file"' in page.text and "<textarea" in page.text
    assert "<script" not in page.text


def test_security_headers_on_every_response(client):
    for response in (client.get("/"), client.get("/no-such-page"), client.get("/serve.css")):
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert "script-src" not in csp and "'unsafe-inline'" not in csp  # no script runs, inline or not
        assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/serve.css").headers["content-type"].startswith("text/css")


def test_a_hand_written_answer_gets_verdicts_and_a_named_pitfall(client):
    page = upload(client, "homework.md", HAND_WRITTEN.encode())
    assert page.status_code == 200
    html = page.text
    verdicts = dict(re.findall(r'data-slot="alexnet\.(\w+\.\w+)" data-verdict="([\w-]+)"', html))
    assert verdicts["conv1.units"] == verdicts["conv1.weights"] == verdicts["conv1.connections"] == "correct"
    assert verdicts["conv2.weights"] == "wrong" and verdicts["conv2.units"] == "missing"
    assert 'data-pitfall="tower-split-missed"' in html
    assert "Why is this bad?" in html
    # each number marked where it was read, with its slot named
    assert re.search(r"<mark[^>]*>614,400<span class=\"slot\">conv2 weights</span></mark>", html)
    assert re.search(r"<mark[^>]*>290,400<span class=\"slot\">conv1 units</span></mark>", html)


def test_pasted_text_is_graded_like_a_file(client):
    for page in (client.post("/check", files={"text": (None, HAND_WRITTEN)}),  # the page's form
                 client.post("/check", data={"text": HAND_WRITTEN})):  # a form without a file input
        assert page.status_code == 200
        assert 'data-slot="alexnet.conv2.weights" data-verdict="wrong"' in page.text


def test_the_hidden_figures_never_reach_the_page(client):
    html = upload(client, "homework.md", HAND_WRITTEN.encode()).text
    for figure in HIDDEN:
        for written in spellings(figure):
            assert written not in html, f"{written} is an answer the rubric hides"
    # the check can fail: a figure the student wrote is on the page
    assert any(written in html for written in spellings(614_400))


def test_a_hostile_file_shows_as_text(client):
    hostile = (HAND_WRITTEN + '\n<script>alert("x")</script> <img src=x onerror=alert(1)>\n').encode()
    html = upload(client, '<b onmouseover=alert(1)>hw.md', hostile).text
    assert "<script" not in html and "<img" not in html
    shown = html_text.unescape(html)  # the student's line and the file's name, as text
    assert '<script>alert("x")</script> <img src=x onerror=alert(1)>' in shown
    assert "<b onmouseover=alert(1)>hw.md" in shown and "<b " not in html


def test_an_oversize_upload_is_refused_with_a_clear_message(client):
    page = upload(client, "big.md", HAND_WRITTEN.encode() + b"x" * (LIMIT + 1))
    assert page.status_code == 413
    assert "That file is over this page's 97.7 KB limit" in html_text.unescape(page.text)
    assert 'data-slot=' not in page.text


def test_nothing_sent_is_a_clear_message(client):
    page = client.post("/check", files={"text": (None, "  ")})
    assert page.status_code == 400 and "choose a file or paste your answers" in page.text


def test_an_unreadable_file_says_why(client):
    page = upload(client, "answers.xlsx", b"PK\x03\x04 not a workbook at all")
    assert page.status_code == 200
    assert "could not be read: answers.xlsx:" in page.text


def test_a_client_path_is_only_a_name():
    assert upload_name("../../etc/passwd") == "passwd"
    assert upload_name("C:\\Users\\amy\\hw.md") == "hw.md"
    assert upload_name("..") == "upload.txt" and upload_name(None) == "upload.txt"
    assert "\x1b" not in upload_name("a\x1b[31m.md")


def test_without_the_extra_the_message_names_it(monkeypatch):
    from grader.core import GraderError

    monkeypatch.setitem(__import__("sys").modules, "starlette.applications", None)
    with pytest.raises(GraderError, match=r'pip install -e "\.\[serve\]"'):
        build_app(rubric=load_rubric("alexnet-paper"))


def test_an_upload_past_the_time_limit_is_stopped_and_the_page_goes_on():
    # 4,000 rows of numbers take far longer to grade than a hundredth of a second
    heavy = "| layer | units | weights | connections |\n|---|---|---|---|\n" + "".join(
        f"| conv{n % 5 + 1} | {n} | {n * 7} | {n * 13} |\n" for n in range(4_000))
    app = build_app(rubric=load_rubric("alexnet-paper"), limits=ServeLimits(seconds=0.01, workers=1))
    with TestClient(app) as client:
        page = upload(client, "heavy.md", heavy.encode())
        assert page.status_code == 200
        assert "took over 0.01 s to grade, this page's time limit" in html_text.unescape(page.text)
        assert client.get("/").status_code == 200


def test_what_was_not_read_for_sure_is_said(client):
    html = upload(client, "omar.md", TOTAL_ON_FC8.encode()).text
    assert 'data-slot="alexnet.fc8.weights" data-verdict="review"' in html
    assert "Not read for sure: left for a person to check" in html
    assert "alexnet.fc8 weights: not read for sure" in html
    assert "it costs you nothing" in html


def test_follow_through_answers_are_not_counted_to_look_at_again(client):
    from grader.core import PROJECT_ROOT

    # Ben's 224 input (submissions/README.md): 12 answers follow from it, none is wrong on its own
    page = upload(client, "ben_okafor.txt", (PROJECT_ROOT / "submissions" / "ben_okafor.txt").read_bytes())
    assert "No answer to look at again: 12 answer(s) follow from an earlier mistake" in page.text
