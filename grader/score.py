"""Scoring: a Comparison and a rubric make a Grade.

Each asked answer earns the rubric's points: correct in full, accepted less the accepted
convention's deduction, follow-through times the follow-through credit, wrong and missing nothing;
an answer under review (not read for sure) loses nothing until a person has confirmed the reading.
Each pitfall raised costs its deduction, once per submission or once per layer it lies on. The
written questions add their points. A score is never below 0.

A submission with no answer for any network the rubric asks (and no written answer) is `empty`,
whatever it answers for other networks: those stay listed, and the error says which networks they
are, since a file that answers LeNet-5 under an AlexNet rubric was most likely graded with the
wrong rubric."""
from __future__ import annotations

from dataclasses import replace

from grader.core import Grade, ReviewItem, Verdict


def answer_points(verdict: Verdict, accepted: tuple[str, ...], rubric) -> float:
    full = rubric.points_per_answer
    if verdict in (Verdict.CORRECT, Verdict.REVIEW):
        return full
    if verdict is Verdict.ACCEPTED:
        deduction = sum(entry.deduction for entry in rubric.accepted if entry.convention in accepted)
        return max(0.0, full - deduction)
    if verdict is Verdict.FOLLOW_THROUGH:
        return full * rubric.follow_through_credit
    return 0.0


def total_score(judgements, hits, free_text) -> float:
    """The asked answers' points and the written answers' points, less the deductions; never below 0."""
    total = sum(j.points for j in judgements if j.asked) + sum(answer.points for answer in free_text) \
        - sum(hit.deduction for hit in hits)
    return round(max(0.0, total), 2)


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
    answered = [j.network for j in judgements if j.answer is not None]
    on_asked = any(network in rubric.networks for network in answered)
    others = [network for network in dict.fromkeys(answered) if network not in rubric.networks]
    status = "graded" if on_asked or any(answer.text for answer in comparison.free_text) else "empty"
    mismatch = () if on_asked or not others else (
        f"no answers for {' or '.join(rubric.networks)} found; the file seems to answer "
        f"{', '.join(others)}: is the rubric right?",)
    return Grade(
        file=file,
        rubric=rubric.name,
        status=status,
        score=total_score(judgements, hits, comparison.free_text),
        max_score=rubric.max_score,
        judgements=judgements,
        pitfalls=tuple(hits),
        conventions=comparison.conventions,
        # an empty submission says why in its errors; a graded one (written answers found) asks a person
        review=comparison.review + (tuple(ReviewItem(reason, kind="ungradable") for reason in mismatch)
                                    if status == "graded" else ()),
        free_text=comparison.free_text,
        errors=mismatch if status == "empty" else (),
    )
