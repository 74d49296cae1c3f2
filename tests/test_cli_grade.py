"""`grader grade submissions` end to end, through the real pipeline, against the ground truth in
submissions/README.md (the sample class written for this project); then the reports it wrote."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from grader.cli import main
from grader.core import PROJECT_ROOT

SUBMISSIONS = PROJECT_ROOT / "submissions"


def ground_truth() -> dict[str, dict]:
    """The README's table: submission -> {status, pitfalls: {code: [layers]}}."""
    rows = {}
    for line in (SUBMISSIONS / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not cells[0].startswith("`"):
            continue
        name = cells[0].strip("`").rstrip("/")
        pitfalls = {}
        if cells[4] != "none":
            for part in cells[4].split(";"):
                code, layers = part.split(":")
                pitfalls[code.strip().strip("`")] = [layer.strip() for layer in layers.split(",")]
        rows[name] = {"status": cells[3], "pitfalls": pitfalls}
    return rows


TRUTH = ground_truth()


def key_of(name: str) -> str:
    return Path(name).stem if "." in name else name


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    before = {p: p.read_bytes() for p in SUBMISSIONS.rglob("*") if p.is_file()}
    assert main(["grade", str(SUBMISSIONS), "--out", str(out), "--workers", "2"]) == 0
    assert {p: p.read_bytes() for p in SUBMISSIONS.rglob("*") if p.is_file()} == before
    results = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (out / "results").glob("*.json")}
    return out, results


def test_ground_truth_table_is_complete():
    handed_in = {p.name for p in SUBMISSIONS.iterdir() if p.name != "README.md"}
    assert set(TRUTH) == handed_in and len(TRUTH) == 14


def test_every_submission_has_a_result(graded):
    _, results = graded
    assert set(results) == {key_of(name) for name in TRUTH}


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_status_and_pitfalls_match_the_ground_truth(graded, name):
    _, results = graded
    result = results[key_of(name)]
    truth = TRUTH[name]
    assert result["status"] == ("graded" if truth["status"] == "full score" else truth["status"]), result["errors"]
    if truth["status"] == "full score":
        assert result["score"] == result["max_score"]
    raised: dict[str, set[str]] = {}
    for hit in result["pitfalls"]:
        raised.setdefault(hit["code"], set()).update(hit["layers"])
    for answer in result["answers"]:
        for code in answer["pitfalls"]:
            raised.setdefault(code, set()).add(answer["layer"])
    assert set(raised) == set(truth["pitfalls"]), f"raised {raised}"
    for code, layers in truth["pitfalls"].items():
        assert set(layers) <= raised[code], f"{code} on {sorted(raised[code])}, want {layers}"


def test_reports_written(graded):
    out, results = graded
    for key in results:
        assert (out / "feedback" / f"{key}.html").is_file() and (out / "feedback" / f"{key}.md").is_file()
    canvas = list(csv.reader((out / "gradebook" / "canvas.csv").open(encoding="utf-8", newline="")))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1] == ["    Points Possible", "", "", "", "", canvas[1][5]]
    # 8 layers x 3 quantities at 1 point, and question 2's two parts at 1 point (rubrics/alexnet-paper.yaml)
    assert float(canvas[1][5]) == 26
    assert len(canvas) == 2 + len(TRUTH)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-review="mateo_rossi"' in index
    assert re.search(r'data-status="unreadable" data-count="1"', index)


def test_stats_from_the_saved_results(graded, capsys, monkeypatch):
    out, _ = graded
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["stats", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"{len(TRUTH)} submissions" in text and "1 unreadable" in text
