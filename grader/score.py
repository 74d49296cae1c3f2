"""Scoring: a Comparison and a rubric make a Grade.

Each asked answer earns the rubric's points: correct in full, accepted less the accepted
convention's deduction, follow-through times the follow-through credit, wrong and missing nothing.
Each pitfall raised costs its deduction, once per submission or once per layer it lies on. The
written questions add their points. A score is never below 0."""
from __future__ import annotations

from dataclasses import replace

from grader.core import Grade, Verdict


def answer_points(verdict: Verdict, accepted: tuple[str, ...], rubric) -> float:
    full = rubric.points_per_answer
    if verdict is Verdict.CORRECT:
        return full
    if verdict is Verdict.ACCEPTED:
        deduction = sum(entry.deduction for entry in rubric.accepted if entry.convention in accepted)
        return max(0.0, full - deduction)
    if verdict is Verdict.FOLLOW_THROUGH:
        return full * rubric.follow_through_credit
    return 0.0


def score(comparison, rubric, *, file: str) -> Grade:
    accepted = comparison.accepted or ((),) * len(comparison.judgements)
    judgements = tuple(
        replace(j, points=answer_points(j.verdict, used, rubric), max_points=rubric.points_per_answer)
        if j.asked else replace(j, points=0.0, max_points=0.0)
        for j, used in zip(comparison.judgements, accepted))
    hits = []
    for hit in comparison.pitfalls:
        rule = rubric.deductions.get(hit.code)
        deduction = 0.0 if rule is None else rule.points * (len(hit.layers) if rule.per == "layer" else 1)
        hits.append(replace(hit, deduction=deduction))
    free_text = sum(answer.points for answer in comparison.free_text)
    found_anything = comparison.answers_read > 0 or any(answer.text for answer in comparison.free_text)
    total = sum(j.points for j in judgements) + free_text - sum(hit.deduction for hit in hits)
    return Grade(
        file=file,
        rubric=rubric.name,
        status="graded" if found_anything else "empty",
        score=round(max(0.0, total), 2),
        max_score=rubric.max_score,
        judgements=judgements,
        pitfalls=tuple(hits),
        conventions=comparison.conventions,
        review=comparison.review,
        free_text=comparison.free_text,
    )
