"""Values written rounded (34.8K, 61M, 约6000万, 3.07e5) are judged within their stated precision:
34.8K stands for 34,750 up to 34,850. The expected figure inside it gets the rubric's verdict for
rounded answers (accepted within its `approximate` tolerance, else wrong and said so: never an
unexplained wrong value); another figure of the slot inside it gets that figure's verdict.

Figures by hand (AlexNet as in the paper: input 227, two towers; LeNet-5 with biases):
conv1 weights 11·11·3·96 = 34,848, with biases (11·11·3+1)·96 = 34,944; conv2 weights 5·5·48·256 =
307,200, towers merged 5·5·96·256 = 614,400; AlexNet's parameters 60,965,224; LeNet-5's 156 + 2,416 +
48,120 + 10,164 + 850 = 61,706, without biases 150 + 2,400 + 48,000 + 10,080 + 840 = 61,470."""
from __future__ import annotations

import pytest

from grader.compare import compare
from grader.core import Verdict
from grader.rubric import load_rubric, parse_rubric
from grader.score import score
from test_compare import judgement, make_answers

STRICT = load_rubric("alexnet-paper")  # approximate: 0, exact counts asked


def lenient(network: str, layers: list[str], quantities: list[str], tolerance: float = 0.01):
    raw = {"name": "lenient", "networks": {network: {"layers": layers, "quantities": quantities}},
           "approximate": tolerance}
    return parse_rubric(raw, "lenient.yaml")


def judge(rubric, layer: str, quantity: str, value, text: str, approximate: bool = True, others=()):
    answers = make_answers([*others, {"layer": layer, "quantity": quantity, "value": value, "text": text,
                                      "approximate": approximate}], network=rubric.asked[0].network)
    comparison = compare(answers, rubric)
    return comparison, judgement(comparison, layer, quantity, rubric.asked[0].network, asked=None)


# (text as written, its value): every one a rounding of conv1's 34,848 weights
ROUNDINGS_OF_34848 = [("34.8K", 34_800), ("34,8K", 34_800), ("35K", 35_000), ("34,8 тыс.", 34_800),
                      ("3.48e4", 34_800), ("3,5万", 35_000)]


@pytest.mark.parametrize("text, value", ROUNDINGS_OF_34848, ids=[t for t, _ in ROUNDINGS_OF_34848])
def test_a_rounding_inside_its_precision_is_accepted_by_a_lenient_rubric(text, value):
    rubric = lenient("alexnet", ["conv1"], ["weights"])
    comparison, conv1 = judge(rubric, "conv1", "weights", value, text, approximate=not text.endswith("e4"))
    assert conv1.verdict is Verdict.ACCEPTED and conv1.pitfalls == ()
    grade = score(comparison, rubric, file="a.md")
    assert grade.score == grade.max_score == 1  # no deduction for a rounding the rubric accepts


@pytest.mark.parametrize("text, value", ROUNDINGS_OF_34848, ids=[t for t, _ in ROUNDINGS_OF_34848])
def test_a_rounding_inside_its_precision_is_no_unexplained_wrong_value(text, value):
    # exact counts asked: no points, but the note says it is the right figure rounded, and no slip of
    # the digits is charged (34,800 is two digits from 34,848)
    _, conv1 = judge(STRICT, "conv1", "weights", value, text, approximate=not text.endswith("e4"))
    assert conv1.verdict is Verdict.WRONG
    assert "written rounded" in conv1.note and "asks for exact counts" in conv1.note
    assert conv1.pitfalls == ()


def test_a_figure_written_with_every_significant_digit_is_exact():
    # 3.072e5 is 307,200 itself; 4.096M is 4,096,000 (fc8 weights 4,096·1,000)
    assert judge(STRICT, "conv2", "weights", 307_200, "3.072e5", approximate=False)[1].verdict is Verdict.CORRECT
    assert judge(STRICT, "fc8", "weights", 4_096_000, "4.096M")[1].verdict is Verdict.CORRECT


def test_the_rounding_of_a_mistake_names_the_mistake():
    # 34.9K stands for 34,850 to 34,950: 34,944 (biases counted) is in it, 34,848 is not
    _, conv1 = judge(STRICT, "conv1", "weights", 34_900, "34.9K")
    assert conv1.verdict is Verdict.WRONG and conv1.pitfalls == ("bias-counted",)
    assert "34,944" in conv1.note
    # 614K stands for 613,500 to 614,500: 614,400, conv2 with its towers merged
    _, conv2 = judge(STRICT, "conv2", "weights", 614_000, "614K")
    assert conv2.pitfalls == ("tower-split-missed",)


def test_a_rounding_of_no_figure_is_wrong():
    # 34K stands for 33,500 to 34,500: neither 34,848 nor any mistake's figure rounds to it
    _, conv1 = judge(lenient("alexnet", ["conv1"], ["weights"]), "conv1", "weights", 34_000, "34K")
    assert conv1.verdict is Verdict.WRONG and conv1.pitfalls == ()
    # 1.05e8 stands for 104.5 to 105.5 million, conv1's 105,415,200 connections (34,848·55·55) among them
    _, connections = judge(STRICT, "conv1", "connections", 105_000_000, "1.05e8", approximate=False)
    assert "written rounded" in connections.note


def test_the_rubrics_tolerance_bounds_how_coarse_a_rounding_may_be():
    rubric = lenient("alexnet", ["total"], ["params"], tolerance=0.01)
    # 61M: 60,965,224 rounded to the million, 0.06% off
    assert judge(rubric, "total", "params", 61_000_000, "61M")[1].verdict is Verdict.ACCEPTED
    # 约6000万 stands for 55 to 65 million (the zeros are not significant): a rounding of 60,965,224,
    # but 1.6% off, more than the rubric's 1%
    _, total = judge(rubric, "total", "params", 60_000_000, "约6000万")
    assert total.verdict is Verdict.WRONG and "1%" in total.note
    # 70M stands for 69.5 to 70.5 million: not AlexNet's total under any mistake
    assert judge(rubric, "total", "params", 70_000_000, "70M")[1].verdict is Verdict.WRONG


def test_a_rounded_total_of_the_students_own_layers_follows_through():
    # LeNet-5 without biases on every layer: 61,470, written 61.5K (61,450 to 61,550; 61,706 is not in it)
    layers = [{"layer": layer, "quantity": "params", "value": value}
              for layer, value in (("conv1", 150), ("conv2", 2_400), ("fc1", 48_000), ("fc2", 10_080), ("fc3", 840))]
    rubric = lenient("lenet5", ["conv1", "conv2", "fc1", "fc2", "fc3", "total"], ["params"])
    _, total = judge(rubric, "total", "params", 61_500, "61.5K", others=layers)
    assert total.verdict is Verdict.FOLLOW_THROUGH


def test_a_decimal_comma_before_a_scale_word_is_no_odd_grouping():
    # 223,9 millions: conv2's 223,948,800 connections (307,200·27·27) rounded, not "223,9" grouped oddly
    _, conv2 = judge(STRICT, "conv2", "connections", 223_900_000, "223,9 millions de")
    assert conv2.pitfalls == () and "written rounded" in conv2.note


def test_a_rounding_of_the_slots_figure_is_evidence_of_the_slot():
    # a slot inferred (confidence 0.7, no working written): 34.8K is conv1's 34,848 rounded, so the
    # reading is sure enough to be judged; 29K (28,500 to 29,500) rounds no figure of conv1 under any
    # mistake (one channel 11,616, torchvision's 64 filters 23,232, biases counted 34,944, ...) and goes
    # to a person
    answers = make_answers([{"layer": "conv1", "quantity": "weights", "value": 34_800, "text": "34.8K",
                             "approximate": True, "confidence": 0.7}])
    assert judgement(compare(answers, STRICT), "conv1", "weights").verdict is Verdict.WRONG
    answers = make_answers([{"layer": "conv1", "quantity": "weights", "value": 29_000, "text": "29K",
                             "approximate": True, "confidence": 0.7}])
    assert judgement(compare(answers, STRICT), "conv1", "weights").verdict is Verdict.REVIEW
