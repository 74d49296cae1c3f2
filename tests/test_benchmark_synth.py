"""The benchmark's generator: its ground truth checked against figures worked out by hand.

Every figure below is multiplied out here from AlexNet's layer sizes (Krizhevsky et al. 2012,
input 227×227×3, two towers) or copied from the answer key in seed 001, never from the engine."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from benchmarks import synth  # the project root is on pytest's pythonpath (pyproject.toml)
from benchmarks.synth import Look, Mistake, Plan
from figures import SEED_001_KEY as KEY



def answers(plan: Plan) -> dict[tuple[str, str], synth.TruthAnswer]:
    _, truth = synth.truth_of(plan)
    return {(a.layer, a.quantity): a for a in truth}


def student(*mistakes: Mistake, connections_with_bias: bool = False, **slips) -> Plan:
    return Plan(0, LOOK, tuple(mistakes), connections_with_bias, **slips)


LOOK = Look(fmt="md", style="plain", language="en", layer_names="plain",
            quantity_labels=("Units", "Weights", "Connections"), columns=synth.QUANTITIES, op="*",
            grouped_results=False, shape_column=False, total_row=False, question2=False, ext="md")


def test_a_student_without_mistakes_writes_the_key():
    truth = answers(student())
    for layer, figures in KEY.items():
        for quantity, figure in zip(synth.QUANTITIES, figures):
            answer = truth[layer, quantity]
            assert (answer.value, answer.expected, answer.verdicts, answer.pitfalls) == (
                figure, figure, ("correct",), ())


def test_input_224():
    truth = answers(student(Mistake("input-224")))
    # (224-11)/4+1 = 54.25, floored to 54; pool1 (54-3)/2+1 = 26; pool2 (26-3)/2+1 = 12; pool3 5
    assert truth["conv1", "units"].value == 54 * 54 * 96 == 279_936
    assert truth["conv1", "connections"].value == 34_848 * 54 * 54 == 101_616_768
    assert truth["conv2", "units"].value == 26 * 26 * 256 == 173_056
    assert truth["conv3", "units"].value == 12 * 12 * 384 == 55_296
    assert truth["fc6", "weights"].value == 5 * 5 * 256 * 4096 == 26_214_400
    for slot in (("conv1", "units"), ("conv2", "units"), ("fc6", "weights")):
        assert truth[slot].pitfalls == ("input-224",)
        assert set(truth[slot].verdicts) == {"wrong", "follow-through"}
    # the kernels and the FC layers after fc6 do not depend on the input size
    for slot in (("conv1", "weights"), ("conv5", "weights"), ("fc7", "weights"), ("fc8", "connections")):
        assert truth[slot].verdicts == ("correct",)


def test_tower_split_missed_on_the_split_layers_only():
    truth = answers(student(Mistake("tower-split-missed", synth.SPLIT)))
    assert truth["conv2", "weights"].value == 5 * 5 * 96 * 256 == 614_400
    assert truth["conv4", "weights"].value == 3 * 3 * 384 * 384 == 1_327_104
    assert truth["conv5", "weights"].value == 3 * 3 * 384 * 256 == 884_736
    assert truth["conv2", "connections"].value == 614_400 * 27 * 27 == 447_897_600
    assert truth["conv3", "weights"].value == 884_736  # conv3 connects across towers: right already
    flagged = {slot for slot, a in truth.items() if a.pitfalls}
    assert flagged == {(layer, q) for layer in ("conv2", "conv4", "conv5") for q in ("weights", "connections")}
    # one root mistake: charged on the first answer it changes, the others follow through
    assert truth["conv2", "weights"].verdicts == ("wrong",)
    assert all(truth[slot].verdicts == ("follow-through",) for slot in flagged - {("conv2", "weights")})


def test_input_224_with_towers_merged_names_both():
    truth = answers(student(Mistake("input-224"), Mistake("tower-split-missed", synth.SPLIT)))
    connections = truth["conv2", "connections"]
    assert connections.value == 5 * 5 * 96 * 256 * 26 * 26 == 415_334_400
    assert set(connections.pitfalls) == {"input-224", "tower-split-missed"}
    assert connections.verdicts == ("follow-through",)  # the merged towers are charged on conv2's weights
    assert truth["conv2", "weights"].verdicts == ("wrong",)
    assert truth["conv2", "weights"].pitfalls == ("tower-split-missed",)  # 224 leaves kernels alone


def test_bias_counted():
    truth = answers(student(Mistake("bias-counted", synth.LAYERS)))
    assert truth["conv1", "weights"].value == 11 * 11 * 3 * 96 + 96 == 34_944
    assert truth["conv2", "weights"].value == 5 * 5 * 48 * 256 + 256 == 307_456
    assert truth["fc8", "weights"].value == 4096 * 1000 + 1000 == 4_097_000
    assert truth["conv1", "connections"].verdicts == ("correct",)
    assert {slot for slot, a in truth.items() if a.pitfalls} == {(layer, "weights") for layer in synth.LAYERS}


def test_formula_mistakes_per_layer():
    cases = [
        (Mistake("caption-253440", ("conv1",)), ("conv1", "units"), 253_440),
        (Mistake("connections-as-weights", ("conv1",)), ("conv1", "connections"), 11 * 11 * 3 * 96),
        (Mistake("units-as-weights", ("conv1",)), ("conv1", "units"), 34_848),
        (Mistake("units-after-pool", ("conv1",)), ("conv1", "units"), 27 * 27 * 96),  # pool1's 69,984
        (Mistake("tower-half-counted", ("conv2",)), ("conv2", "weights"), 5 * 5 * 48 * 128),  # 153,600
        (Mistake("tower-over-split", ("conv3",)), ("conv3", "weights"), 3 * 3 * 128 * 384),  # 442,368
        (Mistake("wrong-input-channels", ("conv2",)), ("conv2", "weights"), 5 * 5 * 3 * 256),  # 19,200
    ]
    for mistake, slot, figure in cases:
        truth = answers(student(mistake))
        answer = truth[slot]
        first = next(key for key, a in truth.items() if a.pitfalls)  # where the mistake is charged
        verdicts = ("wrong",) if slot == first else ("follow-through",)
        assert (answer.value, answer.pitfalls, answer.verdicts) == (figure, (mistake.code,), verdicts), mistake
        assert truth[first].verdicts == ("wrong",)


def test_connections_with_biases_are_accepted_not_a_pitfall():
    truth = answers(student(connections_with_bias=True))
    assert truth["conv1", "connections"].value == (34_848 + 96) * 55 * 55 == 105_705_600
    assert truth["fc8", "connections"].value == 4_096_000 + 1_000
    assert truth["conv1", "connections"].verdicts == ("accepted",)
    assert truth["conv1", "connections"].pitfalls == ()
    assert truth["conv1", "weights"].verdicts == ("correct",)


def test_slips_keep_the_working_and_change_the_figure():
    plan = student(arithmetic_slip=("conv2", "weights"), transcription_slip=("fc6", "weights"), slip_seed=3)
    shown, truth = synth.truth_of(plan)
    working, result = shown["conv2", "weights"]
    assert working.value == 307_200 != result == truth[[(a.layer, a.quantity) for a in truth].index(
        ("conv2", "weights"))].value
    slipped = answers(plan)["fc6", "weights"]
    assert slipped.value != 37_748_736 and slipped.pitfalls == ("transcription-slip",)
    assert _edit_distance(str(slipped.value), "37748736") <= 2
    assert answers(plan)["conv2", "weights"].pitfalls == ("arithmetic-slip",)


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _write(tmp_path: Path, look: Look, *mistakes: Mistake) -> tuple[Path, synth.Truth]:
    truth = synth.write(Plan(7, look, tuple(mistakes)), tmp_path)
    return tmp_path / truth.file, truth


def test_markdown_table_holds_the_figures(tmp_path):
    path, truth = _write(tmp_path, LOOK, Mistake("input-224"))
    rows = {cells[0]: cells[1:] for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") for cells in [[c.strip() for c in line.strip("|").split("|")]]}
    assert rows["Layer"] == ["Units", "Weights", "Connections"]
    assert rows["conv1"] == ["279936", "34848", "101616768"]
    assert rows["fc6"] == ["4096", "26214400", "26214400"]
    assert json.loads(json.dumps(truth.to_json()))["mistakes"] == [{"code": "input-224", "layers": []}]


def test_expression_and_latex_styles(tmp_path):
    expression = Look(**{**_fields(LOOK), "fmt": "csv", "ext": "csv", "style": "expression", "grouped_results": True})
    path, _ = _write(tmp_path, expression)
    rows = {row[0]: row[1:] for row in csv.reader(path.open(encoding="utf-8"))}
    assert rows["conv1"][1] == "11*11*3*96 = 34,848"
    assert rows["conv1"][0] == "55*55*96 = 290,400"
    assert rows["fc8"][0] == "1,000"
    latex = Look(**{**_fields(LOOK), "style": "latex", "op": r"\times", "ext": "txt", "fmt": "txt"})
    path, _ = _write(tmp_path, latex)
    text = path.read_text(encoding="utf-8")
    assert r"$5\times5\times48\times256" in text
    assert r"$11\times11\times3\times96 = 34848$" in text or r"$11\times11\times3\times96$" in text


def test_chinese_prose_labels(tmp_path):
    look = Look(**{**_fields(LOOK), "fmt": "prose", "language": "zh", "layer_names": "zh-suffix",
                   "quantity_labels": ("神经元数量", "权重", "连接数"), "lines": True})
    path, _ = _write(tmp_path, look, Mistake("tower-split-missed", ("conv2",)))
    text = path.read_text(encoding="utf-8")
    assert "conv2层 权重：614400" in text
    assert "conv1层 神经元数量：290400" in text


def test_spreadsheet_and_word_files_read_back(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    docx = pytest.importorskip("docx")
    path, _ = _write(tmp_path, Look(**{**_fields(LOOK), "fmt": "xlsx", "ext": "xlsx"}), Mistake("bias-counted", ("conv1",)))
    cells = [row for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True) if row[0] == "conv1"]
    assert cells == [("conv1", 290_400, 34_944, 105_415_200)]
    path, _ = _write(tmp_path, Look(**{**_fields(LOOK), "fmt": "docx", "ext": "docx"}))
    table = docx.Document(str(path)).tables[0]
    assert [c.text for c in table.rows[4].cells] == ["conv4", "64896", "663552", "112140288"]


def _fields(look: Look) -> dict:
    return {name: getattr(look, name) for name in look.__slots__}


def test_generation_is_deterministic_and_covers_the_mix(tmp_path):
    first = synth.generate(tmp_path / "a", 44, seed=5)
    second = synth.generate(tmp_path / "b", 44, seed=5)
    assert [t.to_json() for t in first] == [t.to_json() for t in second]
    for truth in first:
        if truth.look["format"] not in ("xlsx", "docx"):  # zip archives carry timestamps
            assert (tmp_path / "a" / "submissions" / truth.file).read_bytes() == (
                tmp_path / "b" / "submissions" / truth.file).read_bytes()
    assert {t.look["format"] for t in first} == set(synth.FORMAT_SHARES)
    assert len(synth.load_truth(tmp_path / "a")) == 44
    assert not any((tmp_path / "a" / "submissions").glob("*.jsonl"))  # the truth stays out of the graded folder


def test_every_injected_pitfall_shows_in_the_truth():
    codes = {m.code for i in range(400) for m in synth.plan(i, seed=1).mistakes}
    assert codes == set(synth.CHANCES)
    for i in range(400):
        plan = synth.plan(i, seed=1)
        _, truth = synth.truth_of(plan)
        shown_codes = {code for a in truth for code in a.pitfalls} | {"total-inconsistent"}
        assert {m.code for m in plan.mistakes} <= shown_codes, plan.mistakes


def test_two_formula_mistakes_never_meet_on_one_answer():
    # conv3 split and its weights given as connections would write 3·3·128·384 = 442,368 there,
    # which is conv5's right weights: no single reading explains it, so the second mistake skips conv3
    kept = synth._one_formula_per_answer((Mistake("tower-over-split", ("conv3",)),
                                          Mistake("connections-as-weights", synth.CONVS)))
    assert kept[1].layers == ("conv1", "conv2", "conv4", "conv5")
    for i in range(400):
        _, truth = synth.truth_of(synth.plan(i, seed=2))
        assert all(len(set(a.pitfalls) & set(synth.FORMULA_CODES)) <= 1 for a in truth)
