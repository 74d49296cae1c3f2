"""Numbers no words place, placed by their value alone (grader/extract/unclaimed.py), on texts
written here. Figures by hand: LeNet-5 F6 (fc2) has (120 + 1)·84 = 10,164 parameters, C1 (conv1)
(5·5 + 1)·6 = 156; AlexNet conv1 has 11·11·3·96 = 34,848 weights, conv2 5·5·48·256 = 307,200
(towers kept) and 614,400 with the towers merged."""
from __future__ import annotations

from extract_helpers import PAPER, PARAMS, Q, document

from grader.compare import LOW_CONFIDENCE, compare
from grader.core import Verdict
from grader.extract import extract
from grader.rubric import load_rubric

LENET_LAYERS = {"lenet5": ("conv1", "pool1", "conv2", "pool2", "fc1", "fc2", "fc3")}
ALEXNET_LAYERS = {"alexnet": ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8")}
LENET = {"lenet5": PARAMS["lenet5"]}


def placed(doc, networks, layers):
    """(network, layer, quantity) -> (value, confidence) of the answers placed by value alone."""
    with_pass = extract(doc, networks=networks, layers=layers)
    without = set(extract(doc, networks=networks))
    return {(a.network, a.layer, a.quantity): (a.value, a.confidence) for a in with_pass if a not in without}


def test_a_figure_whose_words_say_nothing_of_it_is_placed_below_the_review_threshold():
    doc = document("# LeNet-5", "## F6 layer", "All told, that makes 10164 of them.")
    got = placed(doc, LENET, LENET_LAYERS)
    assert set(got) == {("lenet5", "fc2", Q.PARAMS)}
    value, confidence = got["lenet5", "fc2", Q.PARAMS]
    assert value == 10164 and confidence < LOW_CONFIDENCE


def test_a_figure_already_answered_elsewhere_is_a_restatement_not_a_new_answer():
    doc = document("# LeNet-5", "C1 parameters: 156", "", "Recall that the first layer needed only 156 of them.")
    assert placed(doc, LENET, LENET_LAYERS) == {}


def test_a_value_no_slot_explains_is_not_placed():
    doc = document("# AlexNet", "We trained for 31337 steps with a batch of 128.")
    assert placed(doc, PAPER, ALEXNET_LAYERS) == {}


def test_years_and_small_numbers_are_not_placed():
    # LeNet-5's C1 has 6 biases and S2 12 parameters: small figures equal too many other numbers
    doc = document("# LeNet-5", "LeNet-5 (1998) has 7 layers, 6 feature maps in C1 and 12 in S2.")
    assert placed(doc, LENET, LENET_LAYERS) == {}


def test_only_the_asked_slots_are_filled():
    # 9216 = 6·6·256, pool5's output (fc6's input): no layer the assignment asks
    doc = document("# AlexNet", "conv1 weights: 34848", "Flattened, that is 9216 values.")
    assert placed(doc, PAPER, ALEXNET_LAYERS) == {}


def test_a_word_for_another_count_keeps_the_value_out_of_a_slot():
    # 34,848 is conv1's weights; the sentence says it counts neurons
    doc = document("# AlexNet", "conv2 weights: 307200", "", "I first thought there were 34848 neurons.")
    assert placed(doc, PAPER, ALEXNET_LAYERS) == {}


def test_a_value_placed_by_its_value_is_credited_when_right_and_never_charged_when_not():
    rubric = load_rubric("alexnet-paper")
    right = document("# AlexNet", "conv1 units: 290400", "", "Its kernels hold, all told, 34848 values.")
    wrong = document("# AlexNet", "conv1 units: 290400", "", "Its kernels hold, all told, 614400 values.")
    layers = {a.network: a.layers for a in rubric.asked}
    judged = {}
    for name, doc in (("right", right), ("wrong", wrong)):
        answers = extract(doc, networks=rubric.quantities, layers=layers)
        judged[name] = {(j.layer, j.quantity): j for j in compare(answers, rubric).judgements if j.answer is not None}
    assert judged["right"]["conv1", Q.WEIGHTS].verdict is Verdict.CORRECT
    # 614,400 is conv2's weights with the towers merged: a mistake there, but placed only by its value
    conv2 = judged["wrong"]["conv2", Q.WEIGHTS]
    assert conv2.verdict is Verdict.REVIEW and conv2.pitfalls == ()
