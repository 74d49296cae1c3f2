"""Batch grading over a folder, with the reading and grading stages replaced by a stand-in that
understands a tiny file language (so these tests exercise the batch and the reports alone):
each file's text names what its student did; `junk` is an unreadable file."""
from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_report_fixtures import ReviewItem, grade, rubric, towers_merged, use_stand_in_pitfalls

from grader import pipeline
from grader.batch import grade_folder
from grader.batch.listing import safe_key
from grader.batch.merge import merge_grades
from grader.core import Answer, Document, GraderError, Quantity, Source, TextLine, UnreadableError
from grader.report import render

EVIL_NAME = '=HYPERLINK("http:__evil.example")<script>alert(1)<_script>'


@pytest.fixture
def pitfalls(monkeypatch):
    return use_stand_in_pitfalls(monkeypatch)


class StandIn:
    """Replaces read_document and extract_answers (counting their calls), and grade_answers."""

    def __init__(self):
        self.reads = []
        self.extractions = 0

    def read_document(self, path, *, limits=None):
        self.reads.append(Path(path).name)
        text = Path(path).read_bytes()
        if text.startswith(b"junk"):
            raise UnreadableError(f"{path}: not a valid xlsx workbook (not a zip file)")
        if text.startswith(b"crash"):
            raise RuntimeError("reader bug")
        return Document(str(path), "markdown", (TextLine(text.decode(), Source(line=1)),))

    def extract_answers(self, document, rubric):
        self.extractions += 1
        return (Answer("alexnet", "conv1", Quantity.UNITS, 0, Source(line=1), text=document.blocks[0].text),)

    def grade_answers(self, answers, document, rubric):
        text = answers[0].text
        if "towers" in text:
            g = towers_merged(document.path)
        elif "conv only" in text:
            g = grade(document.path, {("fc8", q): None for q in ("units", "weights", "connections")})
        elif "fc only" in text:
            g = grade(document.path, {(layer, q): None for layer in ("conv1", "conv2")
                                      for q in ("units", "weights", "connections")})
        elif "doubled" in text:
            g = grade(document.path, {("conv2", "units"): 373_248})
        else:
            g = grade(document.path, {})
        scale = rubric.points_per_answer
        return g if scale == 1 else g.__class__(**{**{f: getattr(g, f) for f in g.__slots__},
                                                   "score": g.score * scale, "max_score": g.max_score * scale})


def use_stand_in(monkeypatch) -> StandIn:
    use_stand_in_pitfalls(monkeypatch)
    fake = StandIn()
    monkeypatch.setattr(pipeline, "read_document", fake.read_document)
    monkeypatch.setattr(pipeline, "extract_answers", fake.extract_answers)
    monkeypatch.setattr(pipeline, "grade_answers", fake.grade_answers)
    return fake


def write_class(folder: Path) -> Path:
    """Seven students, one of them a folder, one unreadable, one with a hostile name."""
    folder.mkdir()
    (folder / "amy.md").write_text("all right\n")
    (folder / "bob.md").write_text("towers\n")
    (folder / "cai.txt").write_text("towers\n")
    (folder / "dan.md").write_text("doubled\n")
    (folder / "eve.md").write_text("doubled\n")
    (folder / "fay.xlsx").write_bytes(b"junk\x00\x01")
    (folder / "ivan").mkdir()
    (folder / "ivan" / "conv.md").write_text("conv only\n")
    (folder / "ivan" / "fc.txt").write_text("fc only\n")
    (folder / "ivan" / "photo.xlsx").write_bytes(b"junk")
    (folder / f"{EVIL_NAME}.md").write_text("<script>alert('x')</script> towers\n")
    (folder / "README.md").write_text("this folder holds the class\n")
    (folder / ".DS_Store").write_bytes(b"\x00")
    return folder


@pytest.fixture
def stand_in(monkeypatch):
    return use_stand_in(monkeypatch)


@pytest.fixture
def klass(tmp_path):
    return write_class(tmp_path / "class")


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def tree(out: Path) -> dict:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def results(out: Path) -> dict:
    return {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}


def test_layout_statuses_and_folder_untouched(stand_in, klass, tmp_path):
    before = snapshot(klass)
    out = tmp_path / "out"
    result = grade_folder(klass, rubric=rubric(), out=out, workers=1)
    assert snapshot(klass) == before
    saved = results(out)
    assert set(saved) == {"amy", "bob", "cai", "dan", "eve", "fay", "ivan", safe_key(EVIL_NAME)}
    assert {key: r["status"] for key, r in saved.items() if r["status"] != "graded"} == {"fay": "unreadable"}
    assert "not a valid xlsx workbook" in saved["fay"]["errors"][0]
    for key in saved:
        assert (out / "feedback" / f"{key}.html").is_file() and (out / "feedback" / f"{key}.md").is_file()
    for name in ("index.html", "gradebook/canvas.csv", "gradebook/gradescope.csv", "gradebook/moodle.csv",
                 "gradebook/answers.xlsx"):
        assert (out / name).is_file(), name
    assert ("README.md", "the graded folder's README, not a submission") in result.skipped
    assert len(result.results) == 8 and result.count("unreadable") == 1


def test_a_folder_per_student_is_one_submission(stand_in, klass, tmp_path):
    out = tmp_path / "out"
    grade_folder(klass, rubric=rubric(), out=out, workers=1)
    ivan = results(out)["ivan"]
    # conv layers from conv.md, FC layers from fc.txt: together every answer is there
    assert ivan["status"] == "graded" and ivan["score"] == 9
    assert ivan["files"] == ["ivan/conv.md", "ivan/fc.txt", "ivan/photo.xlsx"]
    assert all(a["verdict"] == "correct" for a in ivan["answers"])
    assert any("photo.xlsx could not be read" in item["reason"] for item in ivan["review"])


def test_merge_keeps_the_best_judgement_and_the_pitfalls_it_shows(pitfalls):
    towers = towers_merged("s/a.md")
    fixed = grade("s/b.md", {("fc8", "units"): None})
    merged = merge_grades([towers, fixed], file="s")
    conv2 = [j for j in merged.judgements if j.layer == "conv2" and j.quantity.value == "weights"]
    assert conv2[0].verdict == "correct" and merged.pitfalls == ()
    assert merged.score == 9 and merged.file == "s"
    still = merge_grades([towers, grade("s/b.md", {("conv2", "weights"): None})], file="s")
    assert [h.code for h in still.pitfalls] == ["tower-split-missed"] and still.score == 8


def test_merge_keeps_the_written_answers_that_its_score_counts(pitfalls):
    from dataclasses import replace

    from grader.core import FreeTextAnswer

    # the table in a.md (every answer right: 9), question 2 answered in b.md (1 of 2 points)
    answered = FreeTextAnswer("q2a", "Parameters?", "shrink the fc layers", Source(line=2), ("fc",), 1.0, 1.0, True)
    blank = FreeTextAnswer("q2a", "Parameters?", "", None, (), 0.0, 1.0, False)
    other = FreeTextAnswer("q2b", "Connections?", "", None, (), 0.0, 1.0, False)
    table = replace(grade("s/a.md", {}), free_text=(blank, other), max_score=11.0)
    notes = replace(grade("s/b.md", {(layer, q): None for layer in ("conv1", "conv2", "fc8")
                                     for q in ("units", "weights", "connections")}),
                    free_text=(answered, other), score=1.0, max_score=11.0)
    merged = merge_grades([table, notes], file="s")
    assert merged.score == 9 + 1
    assert [(a.id, a.points) for a in merged.free_text] == [("q2a", 1.0), ("q2b", 0.0)]


def test_merge_lists_each_review_item_once(pitfalls):
    unanswered = ReviewItem("free text q2: no answer found")
    merged = merge_grades([grade("s/a.md", {}, review=(unanswered,)),
                           grade("s/b.md", {("fc8", "units"): None}, review=(unanswered,))], file="s")
    assert merged.review == (unanswered,)


def test_unreadable_file_does_not_stop_the_batch_nor_does_a_grader_bug(stand_in, klass, tmp_path):
    (klass / "gus.md").write_text("crash\n")
    out = tmp_path / "out"
    grade_folder(klass, rubric=rubric(), out=out, workers=1)
    saved = results(out)
    assert saved["gus"]["status"] == "unreadable" and "RuntimeError: reader bug" in saved["gus"]["errors"][0]
    assert saved["amy"]["status"] == "graded" and saved["amy"]["score"] == 9
    index = (out / "index.html").read_text()
    assert 'data-review="fay"' in index and 'data-review="gus"' in index


class DataAttributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if any(key.startswith("data-") for key in attrs):
            self.elements.append(attrs)


def test_dashboard_counts_equal_the_json_results(stand_in, klass, tmp_path):
    out = tmp_path / "out"
    grade_folder(klass, rubric=rubric(), out=out, workers=1)
    saved = results(out).values()
    parser = DataAttributes()
    parser.feed((out / "index.html").read_text())
    shown = parser.elements
    # statuses
    cards = {e["data-status"]: int(e["data-count"]) for e in shown if "data-status" in e and "data-count" in e}
    for status in ("graded", "empty", "unreadable"):
        assert cards[status] == sum(r["status"] == status for r in saved)
    # pitfall frequencies: a student counts once per code, from the result's pitfalls or its answers
    made = {}
    for r in saved:
        codes = {h["code"] for h in r["pitfalls"]} | {c for a in r["answers"] for c in a["pitfalls"]}
        for code in codes:
            made[code] = made.get(code, 0) + 1
    rows = {e["data-pitfall"]: int(e["data-students"]) for e in shown if "data-pitfall" in e and "data-students" in e}
    assert rows == made and made == {"tower-split-missed": 3}
    # who made which mistake: one line per student and pitfall
    who = sorted((e["data-pitfall"], e["data-submission"]) for e in shown
                 if "data-pitfall" in e and "data-submission" in e)
    assert who == sorted(("tower-split-missed", r["submission"]) for r in saved
                         if any(h["code"] == "tower-split-missed" for h in r["pitfalls"]))
    # accuracy per slot, over the graded submissions' asked answers
    for e in (e for e in shown if "data-slot" in e):
        network, layer, quantity = e["data-slot"].split(".")
        given = [a for r in saved if r["status"] == "graded" for a in r["answers"]
                 if (a["network"], a["layer"], a["quantity"]) == (network, layer, quantity) and a["asked"]]
        assert int(e["data-total"]) == len(given)
        assert int(e["data-credited"]) == sum(a["verdict"] in ("correct", "accepted") for a in given)
    # histogram bars add up to the graded submissions
    bars = [int(e["data-count"]) for e in shown if "data-low" in e]
    assert sum(bars) == sum(r["status"] == "graded" for r in saved)
    # the same unexplained wrong value (dan and eve's 373,248 conv2 units) is grouped
    shared = [e for e in shown if "data-shared" in e]
    assert [(e["data-shared"], e["data-students"]) for e in shared] == [("alexnet.conv2.units", "2")]


def test_student_text_is_escaped_everywhere(stand_in, klass, tmp_path):
    out = tmp_path / "out"
    grade_folder(klass, rubric=rubric(), out=out, workers=1)
    for path in [out / "index.html", *(out / "feedback").glob("*.html")]:
        assert "<script" not in path.read_text(), path
    for path in (out / "feedback").glob("*.md"):
        assert "<script" not in path.read_text(), path
    for path in (out / "gradebook").glob("*.csv"):
        for line in path.read_text().splitlines():
            assert not re.search(r'(^|,)"?[=+\-@]', line), (path, line)


def test_reruns_are_byte_identical(stand_in, klass, tmp_path):
    grade_folder(klass, rubric=rubric(), out=tmp_path / "one", workers=1)
    grade_folder(klass, rubric=rubric(), out=tmp_path / "two", workers=1)
    first = tree(tmp_path / "one")
    assert first == tree(tmp_path / "two")
    grade_folder(klass, rubric=rubric(), out=tmp_path / "one", workers=1)  # again, from the cache
    assert tree(tmp_path / "one") == first


def test_rescoring_reads_nothing_again(stand_in, klass, tmp_path):
    out = tmp_path / "out"
    grade_folder(klass, rubric=rubric(), out=out, workers=1)
    graded = [p for p in klass.rglob("*") if p.is_file() and p.name not in ("README.md", ".DS_Store")]
    # a content handed in twice under one extension (dan.md and eve.md) is read once; under two
    # (bob.md and cai.txt) twice, since the extension helps choose the reader
    assert len(stand_in.reads) == len({(p.read_bytes(), p.suffix) for p in graded}) == len(graded) - 1
    assert stand_in.extractions == len(stand_in.reads) - 2  # fay.xlsx and ivan/photo.xlsx could not be read
    stand_in.reads.clear()
    stand_in.extractions = 0
    grade_folder(klass, rubric=rubric(points=2), out=out, workers=1)  # the rubric changed
    assert stand_in.reads == [] and stand_in.extractions == 0
    assert results(out)["amy"]["score"] == 18 and results(out)["fay"]["status"] == "unreadable"
    (klass / "amy.md").write_text("towers, on second thoughts\n")  # a changed file is read again
    grade_folder(klass, rubric=rubric(), out=out, workers=1)
    assert stand_in.reads == ["amy.md"]
    assert results(out)["amy"]["score"] == 7


def test_stale_reports_are_removed(stand_in, klass, tmp_path):
    out = tmp_path / "out"
    grade_folder(klass, rubric=rubric(), out=out, workers=1)
    (klass / "bob.md").unlink()
    grade_folder(klass, rubric=rubric(), out=out, workers=1)
    assert "bob" not in results(out) and not (out / "feedback" / "bob.html").exists()


def test_no_reports_writes_the_results_only_and_removes_reports_of_other_results(stand_in, klass, tmp_path):
    out, full = tmp_path / "out", tmp_path / "full"
    grade_folder(klass, rubric=rubric(), out=full, workers=1)
    grade_folder(klass, rubric=rubric(), out=out, workers=1)
    (klass / "amy.md").write_text("towers, on second thoughts\n")
    result = grade_folder(klass, rubric=rubric(), out=out, workers=1, reports=False)
    assert results(out)["amy"]["score"] == 7 and result.count("unreadable") == 1
    assert {name for name in tree(out) if not name.startswith("results/")} == set()  # no page tells of amy's 9
    (klass / "amy.md").write_text("all right\n")
    grade_folder(klass, rubric=rubric(), out=out, workers=1, reports=False)
    assert {name: data for name, data in tree(full).items() if name.startswith("results/")} == tree(out)


def test_the_same_reports_whatever_the_workers(stand_in, tmp_path):
    """More files than the workers take ahead, finished out of order, and names whose reports sort
    otherwise than the files (a-b.md before a.md; their keys a before a-b)."""
    folder = tmp_path / "class"
    folder.mkdir()
    texts = ("all right", "towers", "doubled", "conv only", "junk")
    for n in range(30):
        (folder / f"s{n:02d}.md").write_text(f"{texts[n % 5]} {n}\n")
    for name, text in (("a.md", "towers"), ("a-b.md", "doubled"), ("a b.md", "all right")):
        (folder / name).write_text(text + "\n")
    grade_folder(folder, rubric=rubric(), out=tmp_path / "one", workers=1)
    two = grade_folder(folder, rubric=rubric(), out=tmp_path / "two", workers=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert [r["submission"] for r in two.results] == sorted(results(tmp_path / "two"))
    assert results(tmp_path / "two")["a-b"]["score"] == 8 and results(tmp_path / "two")["s04"]["status"] == "unreadable"


def test_the_workers_write_the_reports_and_the_batch_only_counts(stand_in, klass, tmp_path, monkeypatch):
    """Each submission's result and feedback pages are written by the worker that graded it: the
    batch process gets back a small row and writes only the gradebooks and the dashboard."""
    from grader.report import render

    writers = tmp_path / "writers"
    write_atomic = render.write_atomic

    def noted(path, data):
        with open(writers, "a") as note:
            note.write(f"{os.getpid()} {Path(path).parent.name}\n")
        write_atomic(path, data)

    monkeypatch.setattr(render, "write_atomic", noted)  # the workers are forked with it
    grade_folder(klass, rubric=rubric(), out=tmp_path / "out", workers=2)
    by_folder: dict[str, set[int]] = {}
    for line in writers.read_text().splitlines():
        pid, folder = line.split()
        by_folder.setdefault(folder, set()).add(int(pid))
    assert by_folder["gradebook"] == {os.getpid()}
    assert os.getpid() not in by_folder["results"] | by_folder["feedback"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "index.html"
    render.write_atomic(target, "old")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        render.write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]  # no temporary file left


def test_reports_are_ordinary_files_others_may_read(tmp_path):
    previous = os.umask(0o022)
    try:
        render.write_atomic(tmp_path / "index.html", "dashboard")
    finally:
        os.umask(previous)
    assert (tmp_path / "index.html").stat().st_mode & 0o777 == 0o644


def test_ids_from_file_names(stand_in, tmp_path):
    folder = tmp_path / "canvas"
    folder.mkdir()
    (folder / "hartamelia_12345_678_hw2.md").write_text("all right\n")
    (folder / "okaforben_LATE_23456_789_hw2.md").write_text("towers\n")
    (folder / "notes.md").write_text("all right\n")
    out = tmp_path / "out"
    grade_folder(folder, rubric=rubric(), out=out, workers=1,
                 id_pattern=r"(?P<name>[a-z]+)_(?:LATE_)?(?P<canvas_id>\d+)_(?P<id>\d+)")
    canvas = (out / "gradebook" / "canvas.csv").read_text().splitlines()
    assert "hartamelia,12345,678,,,9" in canvas and "okaforben,23456,789,,,7" in canvas
    notes = results(out)["notes"]
    assert notes["student"] == {"id": "notes"}
    assert any("does not match --id-pattern" in item["reason"] for item in notes["review"])


@pytest.mark.parametrize("pattern, message", [("(?P<name>.+)", "named group for the student id"),
                                              ("(?P<id>.+)(?P<who>x)", "unknown groups"),
                                              ("(?P<id>", "not a valid regular expression")])
def test_bad_id_pattern(pattern, message, stand_in, klass, tmp_path):
    with pytest.raises(GraderError, match=message):
        grade_folder(klass, rubric=rubric(), out=tmp_path / "out", id_pattern=pattern)


def test_refuses_to_write_into_the_graded_folder(stand_in, klass):
    with pytest.raises(GraderError, match="inside the graded folder"):
        grade_folder(klass, rubric=rubric(), out=klass / "reports")
    assert not (klass / "reports").exists()


def test_links_out_of_the_folder_are_skipped(stand_in, klass, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("all right\n")
    (klass / "mallory.md").symlink_to(secret)
    (klass / "ivan" / "extra.md").symlink_to(secret)
    result = grade_folder(klass, rubric=rubric(), out=tmp_path / "out", workers=1)
    assert "secret.md" not in stand_in.reads
    assert {path for path, _ in result.skipped} >= {"mallory.md", "ivan/extra.md"}
    assert "mallory" not in results(tmp_path / "out")


def test_same_stem_keeps_the_extension(stand_in, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "amy.md").write_text("all right\n")
    (folder / "amy.txt").write_text("towers\n")
    grade_folder(folder, rubric=rubric(), out=tmp_path / "out", workers=1)
    assert set(results(tmp_path / "out")) == {"amy.md", "amy.txt"}


def test_empty_folder_is_an_error(stand_in, tmp_path):
    (tmp_path / "none").mkdir()
    with pytest.raises(GraderError, match="no submissions"):
        grade_folder(tmp_path / "none", rubric=rubric(), out=tmp_path / "out")
