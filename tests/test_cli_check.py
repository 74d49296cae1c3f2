"""`grader check`, `grader read` and `grader pitfalls` end to end on the sample class (real
pipeline, shipped rubric and pitfall registry)."""
from __future__ import annotations

import json

import pytest

from grader.cli import main
from grader.core import PROJECT_ROOT, RUBRICS_DIR

SUBMISSIONS = PROJECT_ROOT / "submissions"
CONTRACT = {"file", "rubric", "status", "score", "max_score", "answers", "pitfalls", "errors"}
ANSWER = {"network", "layer", "quantity", "value", "verdict", "pitfalls", "source"}


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")


def test_all_right_exits_zero(capsys):
    assert main(["check", str(SUBMISSIONS / "amelia_hart.md")]) == 0
    assert "Every answer is right" in capsys.readouterr().out


def test_json_contract_for_a_wrong_submission(capsys):
    assert main(["check", str(SUBMISSIONS / "chen_jing.md"), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert CONTRACT <= set(result) and result["rubric"] == "alexnet-paper" and result["status"] == "graded"
    asked = [a for a in result["answers"] if a["asked"]]
    assert len(asked) == 8 * 3 and all(ANSWER <= set(a) for a in asked)
    # alexnet-paper reveals hints: no expected figure in the JSON
    assert all("expected" not in a for a in result["answers"])
    conv2 = next(a for a in asked if (a["layer"], a["quantity"]) == ("conv2", "weights"))
    assert conv2["value"] == 614_400 and conv2["verdict"] == "wrong"  # 5·5·96·256: towers merged


def test_verdicts_policy_hands_out_no_figure(tmp_path, capsys):
    rubric = tmp_path / "verdicts-only.yaml"
    text = (RUBRICS_DIR / "alexnet-paper.yaml").read_text(encoding="utf-8")
    rubric.write_text(text.replace("reveal: hints", "reveal: verdicts"), encoding="utf-8")
    assert main(["check", str(SUBMISSIONS / "chen_jing.md"), "--rubric", str(rubric)]) == 1
    out = capsys.readouterr().out
    # the right figures of the answers Chen got wrong (DESIGN.md's definitions, worked by hand)
    for figure in ("290,400", "307,200", "223,948,800", "663,552", "112,140,288", "442,368", "74,760,192"):
        assert figure not in out
    assert "wrong" in out and "tower-split-missed" not in out


def test_unreadable_file_gives_its_reason(capsys):
    assert main(["check", str(SUBMISSIONS / "mateo_rossi.docx")]) == 1
    assert "mateo_rossi.docx" in capsys.readouterr().out


def test_a_file_for_another_network_is_empty_and_asks_about_the_rubric(tmp_path, capsys):
    # LeNet-5 only, checked under the default AlexNet rubric: C1 5·5·6 + 6 = 156, F6 84·120 + 84 = 10,164
    path = tmp_path / "lenet.md"
    path.write_text("# LeNet-5\n\n| Layer | Parameters |\n|---|---|\n| C1 | 156 |\n| F6 | 10,164 |\n",
                    encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "no answers for alexnet found" in out and "lenet5" in out and "is the rubric right?" in out
    assert main(["check", str(path), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "empty" and "is the rubric right?" in result["errors"][0]


def test_read_shows_what_was_read(capsys):
    assert main(["read", str(SUBMISSIONS / "diego_ramirez.csv")]) == 0
    out = capsys.readouterr().out
    assert "290,400" in out and "105,705,600" in out


def test_pitfalls_verb(capsys):
    from grader.compare.pitfalls import PITFALLS

    assert main(["pitfalls"]) == 0
    listing = capsys.readouterr().out
    assert all(code in listing for code in PITFALLS)
    assert main(["pitfalls", "tower-split-missed"]) == 0
    assert PITFALLS["tower-split-missed"].title in capsys.readouterr().out
    assert main(["pitfalls", "no-such-pitfall"]) == 2


def test_follow_through_answers_are_not_counted_to_look_at_again(capsys):
    # Ben took the input as 224 (submissions/README.md): the 12 answers that depend on the input size
    # (units and connections of conv1-conv5, fc6 weights and connections) follow from that one
    # mistake, charged once; none of his answers is wrong on its own.
    assert main(["check", str(SUBMISSIONS / "ben_okafor.txt")]) == 1
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("No answer to look at again: 12 answer(s) follow from an earlier mistake")
    # Chen: two roots (conv1 units from the caption, conv2 weights with the towers merged); conv2's
    # connections and conv4/conv5's weights and connections follow from the second: 2 to look at, 5 carried.
    assert main(["check", str(SUBMISSIONS / "chen_jing.md")]) == 1
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("2 answer(s) to look at again. 5 answer(s) follow from an earlier mistake")


def _other_rubric_truth() -> dict[str, tuple[str, dict[str, set[str]]]]:
    """submissions/README.md's table of the submissions for another assignment (six columns:
    submission, rubric, format, language, status, pitfalls)."""
    rows = {}
    for line in (SUBMISSIONS / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 6 or not cells[0].startswith("`"):
            continue
        pitfalls = {}
        for part in cells[5].split(";") if cells[5] != "none" else ():
            code, layers = part.split(":")
            pitfalls[code.strip().strip("`")] = {layer.strip() for layer in layers.split(",")}
        rows[cells[0].strip("`")] = (cells[1].strip("`"), pitfalls)
    return rows


OTHER_RUBRIC = _other_rubric_truth()


def test_the_other_assignments_table_was_read():
    assert set(OTHER_RUBRIC) == {"nadia_costa.md"}


@pytest.mark.parametrize("name", sorted(OTHER_RUBRIC))
def test_a_submission_for_another_assignment_under_its_rubric(name, capsys, tmp_path):
    """Graded under its own rubric, the pitfalls its README row names, on those layers, and each named
    and explained in its feedback page."""
    from grader.compare.pitfalls import PITFALLS
    from grader.pipeline import grade_file
    from grader.report.feedback import feedback_markdown
    from grader.report.json_result import grade_to_json
    from grader.rubric import load_rubric

    rubric, truth = OTHER_RUBRIC[name]
    assert main(["check", str(SUBMISSIONS / name), "--rubric", rubric, "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "graded" and result["rubric"] == rubric
    raised = {hit["code"]: set(hit["layers"]) for hit in result["pitfalls"]}
    assert set(raised) == set(truth)
    for code, layers in truth.items():
        assert layers <= raised[code], code
    page = feedback_markdown(grade_to_json(grade_file(SUBMISSIONS / name, rubric)), reveal=load_rubric(rubric).reveal)
    for code in truth:
        assert PITFALLS[code].title in page and PITFALLS[code].why in page
