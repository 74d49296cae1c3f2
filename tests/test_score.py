"""Scoring: points per verdict, deductions once per submission or per layer, free text, never below 0."""
from __future__ import annotations

from grader.compare import compare
from grader.core import Verdict
from grader.rubric import load_rubric
from grader.score import score
from test_compare import PAPER, Q2, key_answers, make_answers, make_document, rubric_with

# alexnet-paper: 8 layers × (units, weights, connections) at 1 point, and two written questions at 1.
MAX = 24 + 2


def grade(answers, rubric=PAPER, document=None):
    return score(compare(answers, rubric, document=document), rubric, file="submission.md")


def test_the_answer_key_with_question_2_is_full_marks():
    result = grade(key_answers(), document=make_document(Q2))
    assert result.status == "graded"
    assert result.max_score == MAX
    assert result.score == MAX
    assert all(j.points == j.max_points == 1 for j in result.judgements if j.asked)


def test_without_question_2_the_written_points_are_not_earned():
    assert grade(key_answers()).score == 24


def test_nothing_found_is_empty():
    result = grade(())
    assert result.status == "empty"
    assert result.score == 0
    assert all(j.verdict is Verdict.MISSING for j in result.judgements)


# LeNet-5 (LeCun et al. 1998) worked by hand: conv1 5·5·1·6 + 6 = 156 params, fc1 16·5·5·120 + 120 = 48,120.
LENET = [{"network": "lenet5", "layer": "conv1", "quantity": "params", "value": 156},
         {"network": "lenet5", "layer": "fc1", "quantity": "params", "value": 48_120}]


def test_answers_only_for_a_network_the_rubric_does_not_ask_are_empty_and_say_so():
    result = grade(make_answers(LENET))
    assert result.status == "empty" and result.score == 0
    (error,) = result.errors
    assert "alexnet" in error and "lenet5" in error and "rubric" in error
    extra = [j for j in result.judgements if j.network == "lenet5"]
    assert len(extra) == 2 and not any(j.asked for j in extra)  # still listed, not scored


def test_a_written_answer_keeps_it_graded_and_the_rubric_question_goes_to_review():
    result = grade(make_answers(LENET), document=make_document(Q2))
    assert result.status == "graded" and result.score == 2 and result.errors == ()
    assert any("lenet5" in item.reason and "rubric" in item.reason for item in result.review)


def test_an_answer_for_the_asked_network_beside_another_network_is_graded_without_question():
    result = grade(make_answers(LENET + [{"layer": "conv1", "quantity": "units", "value": 290_400}]))
    assert result.status == "graded" and result.score == 1 and result.errors == ()
    assert not any("rubric" in item.reason for item in result.review)


def test_a_wrong_answer_earns_nothing_and_a_missing_one_nothing():
    result = grade(key_answers(conv1_units=12_345, conv2_units=None))
    assert result.score == 22


def test_224_used_consistently_costs_its_deduction_once():
    """Every conv layer's units and connections and fc6 follow from 224: 12 answers differ from the
    key, yet the submission loses only input-224's deduction (2 points, once per submission)."""
    everywhere = {
        "conv1_units": 54 * 54 * 96, "conv1_connections": 34_848 * 54 * 54,
        "conv2_units": 26 * 26 * 256, "conv2_connections": 307_200 * 26 * 26,
        "conv3_units": 12 * 12 * 384, "conv3_connections": 884_736 * 12 * 12,
        "conv4_units": 12 * 12 * 384, "conv4_connections": 663_552 * 12 * 12,
        "conv5_units": 12 * 12 * 256, "conv5_connections": 442_368 * 12 * 12,
        "fc6_weights": 5 * 5 * 256 * 4096, "fc6_connections": 5 * 5 * 256 * 4096,
    }
    only_conv1 = {"conv1_units": 54 * 54 * 96}
    deduction = PAPER.deductions["input-224"].points
    assert deduction > 0
    for changes in (everywhere, only_conv1):
        result = grade(key_answers(**changes))
        assert result.score == 24 - deduction
        assert [(hit.code, hit.deduction) for hit in result.pitfalls] == [("input-224", deduction)]


def test_follow_through_credit_scales_follow_through_answers():
    # 224 carried into conv1's and conv2's units: both follow through, at half their point, and
    # input-224 costs its 2-point deduction
    half = rubric_with(follow_through_credit=0.5)
    result = grade(key_answers(conv1_units=54 * 54 * 96, conv2_units=26 * 26 * 256), half)
    assert result.score == 22 + 0.5 + 0.5 - 2


def test_a_mistake_without_a_deduction_costs_its_first_answer():
    # no deduction for input-224: conv1's units, the first answer it changes, carry its charge
    result = grade(key_answers(conv1_units=54 * 54 * 96, conv2_units=26 * 26 * 256), rubric_with(deductions={}))
    verdicts = {(j.layer, j.quantity.value): j.verdict for j in result.judgements}
    assert verdicts[("conv1", "units")] is Verdict.WRONG
    assert verdicts[("conv2", "units")] is Verdict.FOLLOW_THROUGH
    assert result.score == 23


def test_deductions_per_layer_are_charged_on_each_layer():
    # A mistake with a deduction is charged by it alone: the answers it explains follow through.
    per_layer = rubric_with(deductions={"tower-split-missed": {"points": 0.5, "per": "layer"}})
    # conv2 5·5·96·256, conv4 3·3·384·384, conv5 3·3·384·256: merged towers
    result = grade(key_answers(conv2_weights=614_400, conv4_weights=1_327_104, conv5_weights=884_736), per_layer)
    hit = {h.code: h for h in result.pitfalls}["tower-split-missed"]
    assert hit.layers == ("conv2", "conv4", "conv5") and hit.deduction == 1.5
    assert result.score == 24 - 1.5
    once = rubric_with(deductions={"tower-split-missed": {"points": 0.5, "per": "submission"}})
    result = grade(key_answers(conv2_weights=614_400, conv4_weights=1_327_104, conv5_weights=884_736), once)
    assert result.score == 24 - 0.5


def test_accepted_answers_lose_the_accepted_deduction():
    lenient = rubric_with(accept=[{"convention": "bias-counted", "value": True, "deduction": 0.25}])
    result = grade(key_answers(conv1_weights=34_944, conv2_weights=307_456), lenient)
    assert result.score == 24 - 0.25 - 0.25


def test_the_score_is_never_below_zero():
    harsh = rubric_with(deductions={"input-224": {"points": 100}})
    result = grade(make_answers([{"layer": "conv1", "quantity": "units", "value": 54 * 54 * 96}]), harsh)
    assert result.score == 0


def test_not_asked_answers_earn_nothing():
    result = grade(make_answers([{"layer": "pool1", "quantity": "shape", "value": [27, 27, 96]}]))
    pool1 = [j for j in result.judgements if j.layer == "pool1"][0]
    assert pool1.verdict is Verdict.CORRECT and pool1.points == 0 and pool1.max_points == 0
    assert result.score == 0 and result.status == "graded"


def test_cnn_params_maximum():
    rubric = load_rubric("cnn-params")
    # LeNet-5: 5 layers + total; AlexNet 8 + total; VGG16 16 + total; VGG19 19 + total
    assert rubric.max_score == 6 + 9 + 17 + 20
