"""`grader check`, `grader read` and `grader pitfalls` over hand-built Grades (the reading and
comparing stages are replaced, so these tests exercise the report stage alone)."""
from __future__ import annotations

import json

import pytest
from test_report_fixtures import grade, hit, rubric, towers_merged, use_stand_in_pitfalls

from grader import pipeline
from grader.cli import main
from grader.core import Answer, GraderError, Quantity, Source
from grader.report.terminal import run_check, run_pitfalls, run_read

CONTRACT = {"file", "rubric", "status", "score", "max_score", "answers", "pitfalls", "errors"}


@pytest.fixture
def pitfalls(monkeypatch):
    return use_stand_in_pitfalls(monkeypatch)


@pytest.fixture
def submission(tmp_path, monkeypatch):
    """A file on disk whose grading is the Grade the test sets."""
    monkeypatch.setenv("COLUMNS", "250")
    path = tmp_path / "bob.md"
    path.write_text("| layer | weights |\n")
    graded = {}
    monkeypatch.setattr(pipeline, "grade_file", lambda p, r: graded["grade"])
    return path, graded


def test_json_is_the_contract(submission, capsys):
    path, graded = submission
    graded["grade"] = towers_merged(str(path))
    assert run_check(path, rubric=rubric("hints"), as_json=True, show_read=False) == 1
    result = json.loads(capsys.readouterr().out)
    assert CONTRACT <= set(result)
    assert result["status"] == "graded" and result["score"] == 7
    assert all("expected" not in a for a in result["answers"])  # hints: expected hidden
    assert {code for a in result["answers"] for code in a["pitfalls"]} == {"tower-split-missed"}


def test_json_reveals_expected_when_the_rubric_allows(submission, capsys):
    path, graded = submission
    graded["grade"] = towers_merged(str(path))
    run_check(path, rubric=rubric("answers"), as_json=True, show_read=False)
    answers = json.loads(capsys.readouterr().out)["answers"]
    conv2 = next(a for a in answers if (a["layer"], a["quantity"]) == ("conv2", "weights"))
    assert conv2["expected"] == 307_200


def test_exit_zero_only_when_every_asked_answer_is_right(submission, capsys):
    path, graded = submission
    graded["grade"] = grade(str(path), {})
    assert run_check(path, rubric=rubric(), as_json=True, show_read=False) == 0
    graded["grade"] = grade(str(path), {("fc8", "units"): None})
    assert run_check(path, rubric=rubric(), as_json=True, show_read=False) == 1
    graded["grade"] = grade(str(path), {("fc8", "units"): (1_001, {"verdict": "follow-through"})})
    assert run_check(path, rubric=rubric(), as_json=False, show_read=False) == 1


def test_unreadable_prints_the_reason_and_exits_one(submission, capsys):
    path, graded = submission
    graded["grade"] = grade(str(path), {}, status="unreadable", errors=(f"{path}: binary file, not text",))
    assert run_check(path, rubric=rubric(), as_json=True, show_read=False) == 1
    assert json.loads(capsys.readouterr().out)["errors"] == [f"{path}: binary file, not text"]
    assert run_check(path, rubric=rubric(), as_json=False, show_read=False) == 1
    assert "binary file, not text" in capsys.readouterr().out


def test_missing_file_is_a_usage_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("grader.rubric.load_rubric", lambda name: rubric())
    assert main(["check", str(tmp_path / "nope.md")]) == 2
    assert "nope.md: no such file" in capsys.readouterr().err


def test_human_output_follows_the_reveal_policy(submission, capsys, pitfalls):
    path, graded = submission
    graded["grade"] = towers_merged(str(path))
    explanation = pitfalls["tower-split-missed"]
    run_check(path, rubric=rubric("verdicts"), as_json=False, show_read=False)
    out = capsys.readouterr().out
    assert "wrong" in out and "Score: 7 / 9" in out
    assert "307,200" not in out and explanation.what not in out and "tower-split-missed" not in out
    assert "shown: none" in out
    run_check(path, rubric=rubric("hints"), as_json=False, show_read=False)
    out = capsys.readouterr().out
    assert explanation.what in out and out.count(explanation.title) == 1
    assert "Instead of tower-split-missed: …" in out  # its 307,200 is conv2's expected weights
    assert "formula of conv2 weights" not in out and "307,200" not in out and "shown: hints" in out
    run_check(path, rubric=rubric("working"), as_json=False, show_read=False)
    out = capsys.readouterr().out
    assert "formula of conv2 weights" in out and "307,200" not in out
    run_check(path, rubric=rubric("answers"), as_json=False, show_read=False)
    assert "307,200" in capsys.readouterr().out


def test_show_read_lists_what_was_read(submission, capsys):
    path, graded = submission
    graded["grade"] = grade(str(path), {("conv1", "weights"): (34_848, {"expression": "11*11*3*96", "line": 7})})
    run_check(path, rubric=rubric(), as_json=False, show_read=True)
    out = capsys.readouterr().out
    assert "What was read" in out and "11*11*3*96" in out and "line 7" in out


def test_read_shows_the_extracted_answers(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    path = tmp_path / "a.md"
    path.write_text("conv1 weights: 11*11*3*96 = 34848\n")
    answer = Answer("alexnet", "conv1", Quantity.WEIGHTS, 34_848, Source(line=1), expression="11*11*3*96",
                    confidence=0.75)
    monkeypatch.setattr(pipeline, "read_document", lambda p: "document")
    monkeypatch.setattr(pipeline, "extract_answers", lambda d, r: (answer,) if d == "document" else ())
    assert run_read(path, rubric=rubric()) == 0
    out = capsys.readouterr().out
    for text in ("alexnet", "conv1", "weights", "34,848", "11*11*3*96", "line 1", "0.75"):
        assert text in out
    monkeypatch.setattr(pipeline, "extract_answers", lambda d, r: ())
    assert run_read(path, rubric=rubric()) == 1


def test_pitfalls_lists_and_explains(capsys, pitfalls, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    assert run_pitfalls(None) == 0
    out = capsys.readouterr().out
    assert all(code in out and p.title in out for code, p in pitfalls.items())
    assert run_pitfalls("bias-counted") == 0
    out = capsys.readouterr().out
    p = pitfalls["bias-counted"]
    for heading, text in (("What it does", p.what), ("Why is this bad?", p.why), ("Example", p.example),
                          ("Use instead", p.instead)):
        assert heading in out and text in out
    with pytest.raises(GraderError, match="no pitfall 'nope'"):
        run_pitfalls("nope")


def test_piped_output_keeps_whole_values_and_lines(submission, capsys, monkeypatch, pitfalls):
    """Not on a terminal (a file, a pager, a notebook cell) nothing is cut or wrapped: at Rich's
    default of 80 columns this table lost the ends of its figures and codes."""
    monkeypatch.delenv("COLUMNS", raising=False)
    path, graded = submission
    # fc8's weights with its biases counted: 4096·1000 + 1000 = 4,097,000
    graded["grade"] = grade(str(path), {("fc8", "weights"): (4_097_000, {"pitfalls": ("bias-counted",),
                                                                        "expression": "4096*1000+1000"})},
                            pitfalls=(hit("bias-counted", "fc8"),))
    run_check(path, rubric=rubric("answers"), as_json=False, show_read=True)
    out = capsys.readouterr().out
    assert "…" not in out
    verdict = next(line for line in out.splitlines() if "4,097,000" in line and "bias-counted" in line)
    assert "4,096,000" in verdict  # the expected figure, on the same line
    assert any("4096*1000+1000" in line and "4,097,000" in line for line in out.splitlines())  # what was read
    assert "  " + pitfalls["bias-counted"].why in out.splitlines()  # an explanation's paragraph on one line
    error = f"{path}: not a valid docx document (broken zip archive: File is not a zip file) " + "x" * 100
    graded["grade"] = grade(str(path), {}, status="unreadable", errors=(error,))
    run_check(path, rubric=rubric(), as_json=False, show_read=False)
    assert f"could not be read: {error}" in capsys.readouterr().out.splitlines()


def test_a_narrow_terminal_folds_text_and_keeps_figures_whole():
    from rich.console import Console

    from grader.report.console import table

    shown = table("t", ("layer", "value", "mistakes"), right=("value",), whole=("layer",))
    shown.add_row("conv2", "223,948,800", "the two-GPU split ignored, charged once on conv2 weights")
    narrow = Console(width=40, force_terminal=True, color_system=None)
    with narrow.capture() as captured:
        narrow.print(shown)
    lines = captured.get().splitlines()
    assert "…" not in captured.get() and all(len(line) <= 40 for line in lines)
    assert any("conv2" in line and "223,948,800" in line for line in lines)
    assert "".join(line.split("│")[3].strip() + " " for line in lines if line.count("│") == 4).split() == \
        "the two-GPU split ignored, charged once on conv2 weights".split()
