"""Charging, on hand-worked cases: each root mistake is charged once, at its origin; what follows
from it (connections from the student's own weights, a later layer, the same way of working on
another layer) follows through; so the same mistake costs the same on whichever layer it is made.

Figures: AlexNet as in Krizhevsky et al. 2012 (input 227, two towers), the instructor's key
(tests/figures.py), worked by hand below. The rubric is alexnet-paper without its written
questions, and without accepting connections counted with biases where a case says so."""
from __future__ import annotations

import pytest

from grader.compare import compare
from grader.core import Verdict
from grader.score import score
from test_compare import key_answers, rubric_with

ANSWERS = 24  # 8 layers × units, weights, connections, 1 point each
PAPER = rubric_with(free_text=[])
STRICT = rubric_with(free_text=[], accept=[])  # connections with biases not accepted either


def lost(changes: dict, rubric=PAPER) -> float:
    grade = score(compare(key_answers(**changes), rubric), rubric, file="student.md")
    return ANSWERS - grade.score


def verdicts(changes: dict, rubric=PAPER) -> dict:
    return {(j.layer, j.quantity.value): j.verdict for j in compare(key_answers(**changes), rubric).judgements
            if j.asked}


# conv1 with its 96 biases: 11·11·3·96 + 96 = 34,944; connections from it: 34,944·55·55 = 105,705,600.
# fc7 with its 4,096 biases: 4,096·4,096 + 4,096 = 16,781,312 weights, and as many connections.
BIASES_ON_CONV1 = {"conv1_weights": 34_944, "conv1_connections": 105_705_600}
BIASES_ON_FC7 = {"fc7_weights": 16_781_312, "fc7_connections": 16_781_312}
# The towers merged: conv2 5·5·96·256 = 614,400 weights, 614,400·27·27 = 447,897,600 connections;
# conv4 3·3·384·384 = 1,327,104 weights, 1,327,104·13·13 = 224,280,576 connections;
# conv5 3·3·384·256 = 884,736 weights, 884,736·13·13 = 149,520,384 connections.
MERGED_CONV2 = {"conv2_weights": 614_400, "conv2_connections": 447_897_600}
MERGED_CONV4 = {"conv4_weights": 1_327_104, "conv4_connections": 224_280_576}
MERGED_CONV5 = {"conv5_weights": 884_736, "conv5_connections": 149_520_384}


def test_biases_counted_cost_the_same_on_conv1_and_on_fc7():
    assert lost(BIASES_ON_CONV1, STRICT) == lost(BIASES_ON_FC7, STRICT) == 1
    for case, layer in ((BIASES_ON_CONV1, "conv1"), (BIASES_ON_FC7, "fc7")):
        judged = verdicts(case, STRICT)
        assert judged[(layer, "weights")] is Verdict.WRONG
        assert judged[(layer, "connections")] is Verdict.FOLLOW_THROUGH  # the student's own weights carried


def test_towers_merged_on_conv2_costs_what_it_costs_on_conv4():
    assert lost(MERGED_CONV2) == lost(MERGED_CONV4) == 1
    judged = verdicts(MERGED_CONV2)
    assert judged[("conv2", "weights")] is Verdict.WRONG
    # 614400*27*27: her own conv2 weights times conv2's 27·27 output positions
    assert judged[("conv2", "connections")] is Verdict.FOLLOW_THROUGH


def test_towers_merged_everywhere_is_one_root_mistake_charged_at_conv2():
    everywhere = {**MERGED_CONV2, **MERGED_CONV4, **MERGED_CONV5}
    comparison = compare(key_answers(**everywhere), PAPER)
    assert lost(everywhere) == 1
    judged = {(j.layer, j.quantity.value): j for j in comparison.judgements if j.asked}
    assert judged[("conv2", "weights")].verdict is Verdict.WRONG
    for layer in ("conv4", "conv5"):
        assert judged[(layer, "weights")].verdict is Verdict.FOLLOW_THROUGH
        assert "tower-split-missed" in judged[(layer, "weights")].pitfalls  # still named where it shows
        assert "charged once, on conv2 weights" in judged[(layer, "weights")].note
    hit = {h.code: h.layers for h in comparison.pitfalls}
    assert hit["tower-split-missed"] == ("conv2", "conv4", "conv5")


def test_a_deduction_is_the_whole_charge():
    # tower-split-missed deducted 1.5 once: no answer loses its point for it
    rubric = rubric_with(free_text=[], deductions={"tower-split-missed": {"points": 1.5}})
    assert lost({**MERGED_CONV2, **MERGED_CONV4}, rubric) == 1.5
    assert lost(MERGED_CONV4, rubric) == 1.5


def test_an_unexplained_wrong_weight_carried_into_connections_costs_one_answer():
    # conv3 weights 900,000 (nothing names it), connections 900,000·13·13 = 152,100,000
    changes = {"conv3_weights": 900_000, "conv3_connections": 152_100_000}
    assert lost(changes) == 1
    assert verdicts(changes)[("conv3", "connections")] is Verdict.FOLLOW_THROUGH


def test_connections_not_from_the_students_weights_are_their_own_mistake():
    # conv3 weights 900,000 but connections 152,000,000: not 900,000·169, nothing follows
    assert lost({"conv3_weights": 900_000, "conv3_connections": 152_000_000}) == 2


@pytest.mark.parametrize("slips", [
    # two digits swapped in conv4's 663,552 and in conv5's 442,368: two slips, two answers
    {"conv4_weights": 665_352, "conv5_weights": 442_386},
])
def test_slips_in_two_numbers_are_two_mistakes(slips):
    comparison = compare(key_answers(**slips), PAPER)
    judged = {(j.layer, j.quantity.value): j for j in comparison.judgements if j.asked}
    for name in slips:
        layer, quantity = name.split("_")
        assert judged[(layer, quantity)].verdict is Verdict.WRONG
        assert "transcription-slip" in judged[(layer, quantity)].pitfalls
    assert lost(slips) == 2


def test_the_224_input_costs_its_deduction_and_nothing_else():
    # conv1 (224-11)/4+1 = 54 (floored): 54·54·96 = 279,936 units, 34,848·54·54 = 101,616,768 connections
    changes = {"conv1_units": 279_936, "conv1_connections": 101_616_768}
    assert lost(changes) == PAPER.deductions["input-224"].points == 2


def test_every_pitfall_says_what_one_occurrence_is():
    from grader.compare.pitfalls import PITFALLS

    assert {p.charged for p in PITFALLS.values()} <= {"network", "layer", "answer"}
    # a slip in one number is never carried to another: each is its own
    for code in ("arithmetic-slip", "transcription-slip", "misplaced-answer", "total-inconsistent"):
        assert PITFALLS[code].charged == "answer", code


def test_a_value_a_hundred_times_off_its_slot_and_unexplained_is_reviewed_not_charged():
    """"1 MAC = 2 FLOP" read under fc8's connections (4,096,000): named by its word, yet no answer to
    the slot; a person checks it, the student loses nothing; so for a number 200 times too small
    (20,000), no mistake a student makes. A value as far off that a known mistake explains is still
    charged: conv1's 34,848 weights written as its connections (105,415,200)."""
    assert verdicts({"fc8_connections": 2})[("fc8", "connections")] is Verdict.REVIEW
    assert lost({"fc8_connections": 2}) == 0
    assert verdicts({"fc8_connections": 20_000})[("fc8", "connections")] is Verdict.REVIEW
    assert verdicts({"conv1_connections": 34_848})[("conv1", "connections")] is Verdict.WRONG
