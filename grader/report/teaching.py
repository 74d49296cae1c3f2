"""What a student is shown: one result under the rubric's reveal policy, as a view that the
terminal, the HTML and the Markdown feedback all render. What each policy lets through is decided
in one place, `grader.report.reveal` (none, hints, working, answers); this module arranges what it
lets through, and teaches rather than hands out answers.

Pitfall wording lives in one place, the registry (`grader.compare.pitfalls.PITFALLS`); this module
only arranges its sections, each filtered by the policy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from grader.core import Source
from grader.report.reveal import Reveal, describe

CREDITED = ("correct", "accepted")


def format_value(value) -> str:
    """A figure as a person reads it: 290,400; a shape 55×55×96; nothing given: —."""
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return "×".join(format_value(v) for v in value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


def format_score(score) -> str:
    if score is None:
        return "—"
    return f"{round(float(score), 2):g}"


def describe_source(source: dict | None) -> str:
    if not source:
        return "-"
    return Source(**source).describe()


@dataclass(frozen=True, slots=True)
class PitfallView:
    """One pitfall explained once, with the sections of the registry's documentation."""

    code: str
    title: str
    what: str
    why: str
    example: str
    instead: str
    network: str
    layers: tuple[str, ...]
    deduction: float = 0.0  # points it cost, beyond the answers it made wrong


@dataclass(frozen=True, slots=True)
class AnswerView:
    network: str
    layer: str
    quantity: str
    value: str
    expression: str  # the student's working or text as written, when it says more than the value
    verdict: str
    credited: bool
    pitfalls: tuple[str, ...]  # empty under the "none" policy
    where: str
    expected: str  # "" unless the policy reveals answers
    formula: str  # the worked formula ("answers"), without its results ("working"), or ""
    note: str
    points: str
    max_points: str


@dataclass(frozen=True, slots=True)
class Feedback:
    """Everything one student's feedback shows, already filtered by the reveal policy."""

    title: str  # the submission's name as the TA knows it
    file: str
    rubric: str
    status: str
    score: str
    max_score: str
    all_credited: bool
    reveal: str  # the policy: none, hints, working or answers
    answers: tuple[AnswerView, ...]  # the asked ones, in the rubric's order
    also_read: tuple[AnswerView, ...]  # read and judged but not asked
    pitfalls: tuple[PitfallView, ...]
    errors: tuple[str, ...]
    review: tuple[tuple[str, str, str], ...]  # (reason, text, where)
    files: tuple[str, ...]
    breakdown: tuple[tuple[str, str], ...] = ()  # (part, points) adding up to the score
    written: tuple[tuple[str, str, str, str], ...] = ()  # (question, points, concepts found, answer text)
    shows: str = ""  # what the policy shows, said to the student

    @property
    def to_look_at(self) -> int:
        """The asked answers the student should work on again: a follow-through answer keeps its
        credit (its mistake is charged once, where it starts), so it is not one of them."""
        return sum(not a.credited and a.verdict != "follow-through" for a in self.answers)

    @property
    def following_through(self) -> int:
        return sum(a.verdict == "follow-through" for a in self.answers)


def pitfall_registry() -> dict:
    from grader.compare.pitfalls import PITFALLS

    return PITFALLS


def explain(code: str, *, network: str = "", layers: tuple[str, ...] = (), deduction: float = 0.0,
            reveal: Reveal | None = None) -> PitfallView:
    """The registry's explanation of a pitfall, each section as `reveal` lets it be shown (whole
    when None: `grader pitfalls`); a code the registry does not know (a result saved by another
    version) is shown by its code alone."""
    pitfall = pitfall_registry().get(code)
    if pitfall is None:
        return PitfallView(code, code, "", "", "", "", network, layers, deduction)
    shown = reveal.text if reveal is not None else str
    return PitfallView(code, shown(pitfall.title), shown(pitfall.what), shown(pitfall.why), shown(pitfall.example),
                       shown(pitfall.instead), network, layers, deduction)


def score_breakdown(result: dict) -> tuple[tuple[str, str], ...]:
    """The score in parts, each read from the result: the answers' points, the deductions, and the
    written questions' points (the same figures the JSON lists; a score is never below 0)."""
    if result.get("score") is None:
        return ()
    asked = [item for item in result.get("answers") or () if item.get("asked", True)]
    earned = sum(item.get("points") or 0 for item in asked)
    possible = sum(item.get("max_points") or 0 for item in asked)
    deducted = sum(hit.get("deduction") or 0 for hit in result.get("pitfalls") or ())
    parts = [("answers", f"{format_score(earned)} / {format_score(possible)}")]
    if deducted:
        parts.append(("deductions for mistakes", f"−{format_score(deducted)}"))
    written = result.get("written") or ()
    if written:
        parts.append(("written questions", f"{format_score(sum(item.get('points') or 0 for item in written))} / "
                                            f"{format_score(sum(item.get('max_points') or 0 for item in written))}"))
    return tuple(parts)


def _bare(text: str) -> str:
    return re.sub(r"[\s,]", "", text)


def _answer_view(item: dict) -> AnswerView:
    """One answer of a result the reveal policy has filtered already."""
    verdict = item["verdict"]
    credited = verdict in CREDITED
    formula = item.get("formula") or ""
    expected = format_value(item["expected"]) if "expected" in item else ""
    value = format_value(item.get("value"))
    written = item.get("expression") or item.get("text") or ""
    if _bare(written) == _bare(value):  # "290400" read as 290,400: nothing more to show
        written = ""
    return AnswerView(
        network=item["network"], layer=item["layer"], quantity=item["quantity"],
        value=value, expression=written,
        verdict=verdict, credited=credited,
        pitfalls=tuple(item.get("pitfalls") or ()),
        where=describe_source(item.get("source")),
        expected=expected, formula=formula,
        note=item.get("note") or "",
        points=format_score(item.get("points")), max_points=format_score(item.get("max_points")),
    )


def feedback_view(result: dict, reveal: str) -> Feedback:
    """`result` is a dict of the JSON contract with its expected figures and formulas
    (grade_to_json's default); `reveal` the rubric's policy, applied by `grader.report.reveal`."""
    policy = Reveal.of(result, reveal)
    result = policy.result(result)
    reveal = policy.policy
    answers = result.get("answers") or []
    asked = tuple(_answer_view(item) for item in answers if item.get("asked", True))
    also = tuple(_answer_view(item) for item in answers if not item.get("asked", True))
    pitfalls: tuple[PitfallView, ...] = ()
    if reveal != "none":
        shown_on: dict[str, list[str]] = {}  # the layers of the answers that show each pitfall
        for item in answers:
            for code in item.get("pitfalls") or ():
                if item["layer"] not in shown_on.setdefault(code, []):
                    shown_on[code].append(item["layer"])
        seen: dict[str, PitfallView] = {}
        for hit in result.get("pitfalls") or []:
            code = hit["code"]
            layers = tuple(dict.fromkeys([*(hit.get("layers") or ()), *shown_on.get(code, ())]))
            deduction = hit.get("deduction") or 0.0
            if code in seen:  # the same mistake on another network: one explanation, all layers
                old = seen[code]
                layers = old.layers + tuple(layer for layer in layers if layer not in old.layers)
                deduction += old.deduction
            seen[code] = explain(code, network=hit.get("network", ""), layers=layers, deduction=deduction,
                                 reveal=policy)
        pitfalls = tuple(seen[code] for code in sorted(seen))
    return Feedback(
        title=result.get("submission") or result["file"],
        file=result["file"],
        rubric=result["rubric"],
        status=result["status"],
        score=format_score(result.get("score")),
        max_score=format_score(result.get("max_score")),
        all_credited=result["status"] == "graded" and bool(asked) and all(a.credited for a in asked),
        reveal=reveal,
        answers=asked,
        also_read=also,
        pitfalls=pitfalls,
        errors=tuple(result.get("errors") or ()),
        review=tuple((item.get("reason", ""), item.get("text", ""), describe_source(item.get("source")))
                     for item in result.get("review") or ()),
        files=tuple(result.get("files") or (result["file"],)),
        written=tuple((item.get("prompt") or item.get("id", ""),
                       f"{format_score(item.get('points'))} / {format_score(item.get('max_points'))}",
                       ", ".join(item.get("concepts") or ()) or "none of the expected ideas",
                       item.get("text") or "")
                      for item in result.get("written") or ()),
        breakdown=score_breakdown(result),
        shows=describe(reveal),
    )
