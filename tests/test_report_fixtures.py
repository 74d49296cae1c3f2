"""Builders shared by the report tests: hand-built Grades (so the report tests do not depend on the
reading and comparing stages), a small rubric, and a stand-in pitfall registry whose wording the
tests read back from it (never hard-coded in the assertions)."""
from __future__ import annotations

import sys
import types
from dataclasses import dataclass

from grader.core import Answer, Grade, Judgement, PitfallHit, Quantity, ReviewItem, Source, Verdict
from grader.reference.engine import Conventions
from grader.rubric import Asked, Rubric

# AlexNet (Krizhevsky et al. 2012, input 227, two towers) from DESIGN.md's definitions, worked by hand:
# conv1 55·55·96 units, 11·11·3·96 weights, weights·55·55 connections; fc8 4096·1000.
EXPECTED = {
    ("conv1", "units"): 290_400, ("conv1", "weights"): 34_848, ("conv1", "connections"): 105_415_200,
    ("conv2", "units"): 186_624, ("conv2", "weights"): 307_200, ("conv2", "connections"): 223_948_800,
    ("fc8", "units"): 1_000, ("fc8", "weights"): 4_096_000, ("fc8", "connections"): 4_096_000,
}
LAYERS = ("conv1", "conv2", "fc8")
QUANTITIES = (Quantity.UNITS, Quantity.WEIGHTS, Quantity.CONNECTIONS)


@dataclass(frozen=True, slots=True)
class StandInPitfall:
    code: str
    title: str
    what: str
    why: str
    example: str
    instead: str


STAND_IN_PITFALLS = {
    code: StandInPitfall(code, f"Title of {code}", f"What {code} does.", f"Why {code} is bad.",
                         f"Example of {code}: 614,400.", f"Instead of {code}: 307,200.")
    for code in ("tower-split-missed", "bias-counted", "input-224", "arithmetic-slip")
}


def use_stand_in_pitfalls(monkeypatch) -> dict:
    """Puts the stand-in registry in place of grader.compare.pitfalls (for a `pitfalls` fixture)."""
    module = types.ModuleType("grader.compare.pitfalls")
    module.PITFALLS = STAND_IN_PITFALLS
    monkeypatch.setitem(sys.modules, "grader.compare.pitfalls", module)
    return STAND_IN_PITFALLS


def rubric(reveal: str = "hints", points: float = 1.0) -> Rubric:
    return Rubric(name="tiny-alexnet", title="AlexNet: three layers", reveal=reveal, points_per_answer=points,
                  asked=(Asked("alexnet", LAYERS, QUANTITIES, Conventions(input_size=227, towers=2)),))


def judgement(layer, quantity, value, *, verdict=None, pitfalls=(), text=None, expression=None, line=1,
              points=1.0, asked=True, expected=None) -> Judgement:
    quantity = Quantity(quantity)
    expected = EXPECTED.get((layer, quantity.value)) if expected is None else expected
    if verdict is None:
        verdict = Verdict.MISSING if value is None else Verdict.CORRECT if value == expected else Verdict.WRONG
    answer = None if value is None else Answer(
        "alexnet", layer, quantity, value, Source(line=line), expression=expression,
        text=text if text is not None else str(value))
    credited = verdict in (Verdict.CORRECT, Verdict.ACCEPTED)
    return Judgement("alexnet", layer, quantity, Verdict(verdict), expected, answer, tuple(pitfalls),
                     formula=f"formula of {layer} {quantity.value} = {expected:,}" if isinstance(expected, int) else "",
                     points=points if credited else 0.0, max_points=points, asked=asked)


def grade(file, values: dict, *, pitfalls=(), review=(), status="graded", errors=(), points=1.0) -> Grade:
    """A Grade whose judgements hold `values` ((layer, quantity) -> value or (value, kwargs)); slots
    not given are correct."""
    judgements = []
    for layer in LAYERS:
        for quantity in QUANTITIES:
            given = values.get((layer, quantity.value), EXPECTED[(layer, quantity.value)])
            value, options = given if isinstance(given, tuple) and len(given) == 2 and isinstance(given[1], dict) \
                else (given, {})
            judgements.append(judgement(layer, quantity, value, points=points, **options))
    if status != "graded":
        judgements = []
    score = None if status == "unreadable" else sum(j.points for j in judgements) - sum(h.deduction for h in pitfalls)
    return Grade(file=file, rubric="tiny-alexnet", status=status, score=score, max_score=9 * points,
                 judgements=tuple(judgements), pitfalls=tuple(pitfalls), review=tuple(review),
                 errors=tuple(errors))


def towers_merged(file) -> Grade:
    """Towers merged on conv2: weights 5·5·96·256 = 614,400 and connections 614,400·27·27."""
    hit = PitfallHit("tower-split-missed", "alexnet", ("conv2",))
    return grade(file, {("conv2", "weights"): (614_400, {"pitfalls": ("tower-split-missed",)}),
                        ("conv2", "connections"): (447_897_600, {"pitfalls": ("tower-split-missed",)})},
                 pitfalls=(hit,))


def hit(code, *layers, deduction=0.0) -> PitfallHit:
    return PitfallHit(code, "alexnet", tuple(layers), deduction)


__all__ = ["EXPECTED", "STAND_IN_PITFALLS", "use_stand_in_pitfalls", "rubric", "judgement", "grade",
           "towers_merged", "hit", "ReviewItem", "Source"]
