"""The accuracy benchmark's counting (benchmarks/accuracy.py), on label/document pairs written here.

The figures are AlexNet's (Krizhevsky et al. 2012, input 227x227x3, two towers), worked by hand:
conv1 55*55*96 = 290,400 units, 11*11*3*96 = 34,848 weights, 34,848*55*55 = 105,415,200
connections; conv2 27*27*256 = 186,624 units, 5*5*48*256 = 307,200 weights, 307,200*27*27 =
223,948,800 connections; fc8 1,000 units, 4,096*1,000 = 4,096,000 weights and connections.
The expected counts follow from what each label lists and each document states, not from a run."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import accuracy
from benchmarks.accuracy import confidence_bin, reliability_rows, score_result, shipped_sets

RIGHT_MD = """# AlexNet, two layers

| Layer | Units | Weights | Connections |
|---|---|---|---|
| conv1 | 290400 | 34848 | 105415200 |
| fc8 | 1000 | 4096000 | 4096000 |
"""
RIGHT_LABEL = """file: right.md
rubric: alexnet-paper
answers:
  alexnet:
    conv1: {units: 290400, weights: 34848, connections: 105415200}
    fc8: {units: 1000, weights: 4096000, connections: 4096000}
never: all
"""
# conv1's weights are written with the biases (34,944): the label says 34,848, so the benchmark sees
# a reading that differs from the label (a misread, as far as it can tell) and is charged.
# conv2's connections and shape are stated but not labelled (spurious: asked, not asked);
# fc8's units are labelled but not stated (missed).
MISREAD_MD = """# AlexNet, two layers

| Layer | Output size | Units | Weights | Connections |
|---|---|---|---|---|
| conv1 | 55x55x96 | 290400 | 34944 | 105415200 |
| conv2 | 27x27x256 | 186624 | 307200 | 223948800 |
"""
MISREAD_LABEL = """file: misread.md
rubric: alexnet-paper
answers:
  alexnet:
    conv1: {shape: [55, 55, 96], units: 290400, weights: 34848, connections: 105415200}
    conv2: {units: 186624, weights: 307200}
    fc8: {units: 1000}
never: [input-224]
"""


BIN_NAMES = {name for name, _ in accuracy.BINS} | {"none"}


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    (tmp_path / "labels").mkdir()
    (tmp_path / "right.md").write_text(RIGHT_MD, encoding="utf-8")
    (tmp_path / "misread.md").write_text(MISREAD_MD, encoding="utf-8")
    (tmp_path / "labels" / "right.yaml").write_text(RIGHT_LABEL, encoding="utf-8")
    (tmp_path / "labels" / "misread.yaml").write_text(MISREAD_LABEL, encoding="utf-8")
    return tmp_path


def run(tiny: Path, *extra: str) -> dict:
    out = tiny / "out.json"
    code = accuracy.main(["--shared", str(tiny / "no-shared"), "--set", f"tiny={tiny}:{tiny / 'labels'}",
                          "--only", "tiny", "--json", str(out), "--per-file", *extra])
    assert code == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_two_tiny_documents_are_counted_through_the_grader(tiny):
    report = run(tiny)
    per_file = {item["file"]: item["counts"] for item in report["sets"]["tiny"]["per_file"]}
    right, misread = per_file["right.md"], per_file["misread.md"]
    assert (right["figures"], right.get("right"), right.get("wrong_slot", 0), right.get("missed", 0)) == (6, 6, 0, 0)
    assert right.get("charged_on_misreads", 0) == 0 and right.get("false_alarms", 0) == 0
    assert right["status_right"] == 1
    assert (misread["figures"], misread["right"], misread["wrong_slot"], misread["missed"]) == (7, 5, 1, 1)
    assert (misread["spurious_asked"], misread["spurious_other"]) == (1, 1)
    assert misread["charged_on_misreads"] == 1  # 34,944 where the label says 34,848
    assert (misread["false_alarms"], misread.get("never_alarms", 0)) == (1, 0)  # bias-counted, not in the label
    total = report["sets"]["tiny"]["counts"]
    assert (total["files"], total["figures"], total["right"], total["charged_on_misreads"]) == (2, 13, 11, 1)
    assert report["all"]["counts"] == total
    # every reading lands in one bin: 6 + 8 readings, 6 + 6 in labelled slots, 6 + 5 right
    bins = [tally for name, tally in report["sets"]["tiny"]["reliability"].items() if name in BIN_NAMES]
    assert sum(b["readings"] for b in bins) == 14
    assert sum(b.get("labelled", 0) for b in bins) == 12
    assert sum(b.get("right", 0) for b in bins) == 11


def test_verbose_lists_the_misread_and_the_spurious_answers(tiny, capsys):
    run(tiny, "-v")
    out = capsys.readouterr().out
    assert "tiny/misread.md: charged on a misread: alexnet.conv1.weights = 34944" in out
    assert "tiny/misread.md: alexnet.fc8.units want 1000 got" in out
    assert "tiny/misread.md: spurious: alexnet.conv2.connections = 223948800" in out
    assert "tiny/misread.md: spurious (not asked): alexnet.conv2.shape = [27, 27, 256]" in out
    assert "tiny/right.md:" not in out


def answer(layer, quantity, value, confidence, *, verdict="correct", pitfalls=(), asked=True):
    return {"network": "alexnet", "layer": layer, "quantity": quantity, "value": value, "verdict": verdict,
            "pitfalls": list(pitfalls), "confidence": confidence, "asked": asked}


def result(answers, pitfalls=(), status="graded"):
    return {"status": status, "score": 0, "max_score": 24, "answers": answers, "pitfalls": list(pitfalls),
            "errors": [], "written": []}


def test_reliability_bins_and_charges_on_hand_written_results():
    label = {"rubric": "alexnet-paper", "answers": {"alexnet": {
        "conv1": {"units": 290400, "weights": 34848, "connections": 105415200},
        "conv2": {"units": 186624, "weights": 307200}, "fc6": {"units": 4096}}}}
    got = result([
        answer("conv1", "units", 290400.4, 0.3),                         # right (within 0.5), <0.5
        answer("conv1", "weights", 34944, 0.5, verdict="wrong", pitfalls=["bias-counted"]),  # charged misread
        answer("conv1", "connections", 105415200, 0.69),                 # right, 0.5-0.7
        answer("conv2", "units", 186624, 0.7),                           # right, 0.7-0.9
        answer("conv2", "weights", 614400, 0.95, verdict="follow-through"),  # misread, not charged
        answer("fc6", "units", 4096, 1.0),                               # right, 1.0
        answer("fc7", "units", 4096, None, verdict="wrong"),             # spurious, charged, no confidence
        answer("conv3", "units", None, None, verdict="missing"),         # no reading
    ])
    score = score_result(label, got)
    c = score.counts
    assert (c["figures"], c["right"], c["wrong_slot"], c["missed"]) == (6, 4, 2, 0)
    assert (c["charged_on_misreads"], c["spurious_asked"], c["spurious_charged"]) == (1, 1, 1)
    bins = {name: (t["readings"], t["labelled"], t["right"]) for name, t in score.reliability.items()
            if name in BIN_NAMES}
    assert bins == {"<0.5": (1, 1, 1), "0.5-0.7": (2, 2, 1), "0.7-0.9": (1, 1, 1), "0.9-1.0": (1, 1, 0),
                    "1.0": (1, 1, 1), "none": (1, 0, 0)}
    rows = {row[0]: row[1:] for row in reliability_rows(score.reliability)}
    assert rows[">=0.9"] == ("2", "2", "1", "50%")  # of the readings given >= 0.9, one of two is right
    # the review threshold's row, worked from the confidences above (right, wrong, right, right, wrong, right)
    (review_row, threshold), = [(name, low) for name, low in accuracy.cumulative_rows() if "review" in name]
    given = [(0.3, True), (0.5, False), (0.69, True), (0.7, True), (0.95, False), (1.0, True)]
    above = [right for confidence, right in given if confidence >= threshold]
    assert rows[review_row] == (str(len(above)), str(len(above)), str(sum(above)), f"{sum(above) / len(above):.0%}")
    assert confidence_bin(0.8999) == "0.7-0.9" and confidence_bin(0.0) == "<0.5"


def test_pitfalls_right_false_alarms_and_status_follow_check_labels():
    label = {"rubric": "alexnet-paper", "answers": {},
             "pitfalls": {"tower-split-missed": ["conv2", "conv4"], "input-224": "any", "bias-counted": ["fc6"]},
             "never": ["caption-253440"], "score": "full"}
    got = result([answer("conv2", "weights", 614400, 1.0, verdict="wrong", pitfalls=["tower-split-missed"])],
                 pitfalls=[{"code": "tower-split-missed", "network": "alexnet", "layers": ["conv4"]},
                           {"code": "input-224", "network": "alexnet", "layers": []},
                           {"code": "caption-253440", "network": "alexnet", "layers": ["conv1"]},
                           {"code": "units-after-pool", "network": "alexnet", "layers": ["conv1"]}])
    c = score_result(label, got).counts
    assert (c["pitfalls"], c["pitfalls_right"]) == (3, 2)      # bias-counted not raised at fc6
    assert (c["false_alarms"], c["never_alarms"]) == (2, 1)   # caption-253440 (never), units-after-pool
    assert c["status_right"] == 0                             # score 0 of 24, the label wants full
    assert score_result({"answers": {}, "never": "all"}, got).counts["never_alarms"] == 4


def test_an_absent_set_is_skipped_with_a_note(tmp_path, capsys):
    assert accuracy.main(["--shared", str(tmp_path / "none"), "--only", "seeds", "--only", "corpus-held"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all(": skipped, no folder " in line for line in out)


def test_the_corpus_split_partitions_the_labels(tmp_path):
    labels = tmp_path / "corpus" / "labels"
    labels.mkdir(parents=True)
    for stem in ("a_one", "b_two", "c_three"):
        (labels / f"{stem}.yaml").write_text("", encoding="utf-8")
    split = tmp_path / "split.yaml"
    split.write_text("held_out: [b_two]\n", encoding="utf-8")
    sets = {s.name: s for s in shipped_sets(tmp_path, split)}
    assert [p.stem for p in sets["corpus-dev"].label_paths()] == ["a_one", "c_three"]
    assert [p.stem for p in sets["corpus-held"].label_paths()] == ["b_two"]
    split.write_text("held_out: [b_two, d_four]\n", encoding="utf-8")
    with pytest.raises(accuracy.BenchmarkError, match="no label d_four"):
        {s.name: s for s in shipped_sets(tmp_path, split)}["corpus-held"].label_paths()


def test_the_shipped_split_names_six_corpus_labels():
    held = accuracy.corpus_held_out(accuracy.SPLIT)
    assert len(held) == 6 and all(stem[:2].isdigit() for stem in held)


@pytest.mark.parametrize("argv, message", [
    (["--set", "broken"], "expected NAME=FILES_DIR:LABELS_DIR"),
    (["--only", "nosuchset"], "no such set"),
])
def test_usage_errors_exit_2_with_a_reason(tmp_path, capsys, argv, message):
    assert accuracy.main(["--shared", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err


def test_a_label_naming_a_missing_file_is_an_error_naming_the_label(tiny, capsys):
    (tiny / "right.md").unlink()
    assert accuracy.main(["--shared", str(tiny / "none"), "--set", f"tiny={tiny}:{tiny / 'labels'}",
                          "--only", "tiny"]) == 2
    assert "right.yaml: its file right.md is not in" in capsys.readouterr().err

