"""One student's several files (a folder per student) as one Grade."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from grader.core import Grade, Judgement, PitfallHit, ReviewItem

VERDICT_RANK = {"correct": 0, "accepted": 1, "follow-through": 2, "review": 3, "wrong": 4, "missing": 5}


def merge_grades(grades: list[Grade], *, file: str) -> Grade:
    """One submission's Grade from its files' Grades: per slot the best judgement (a student who
    answered the FC layers in a second file gets them); pitfalls kept where a kept judgement shows
    them, or where no judgement of any file carries them (submission-wide findings)."""
    graded = [g for g in grades if g.status == "graded"]
    notes = tuple(ReviewItem(f"{Path(g.file).name} could not be read", "; ".join(g.errors), kind="unreadable")
                  for g in grades if g.status == "unreadable" and len(grades) > 1)
    if not graded:
        first = next((g for g in grades if g.status == "empty"), grades[0])
        return replace(first, file=file, errors=tuple(e for g in grades for e in g.errors),
                       review=_once(r for g in grades for r in g.review) + (notes if first.status == "empty" else ()))
    if len(graded) == 1:
        return replace(graded[0], file=file, review=graded[0].review + notes)
    best: dict[tuple, Judgement] = {}
    for grade in graded:
        for judgement in grade.judgements:
            slot = (judgement.network, judgement.layer, judgement.quantity)
            held = best.get(slot)
            if held is None or (VERDICT_RANK[judgement.verdict], -judgement.points) < (
                    VERDICT_RANK[held.verdict], -held.points):
                best[slot] = judgement
    chosen = tuple(best.values())
    shown: dict[str, list[str]] = {}
    for judgement in chosen:
        for code in judgement.pitfalls:
            layers = shown.setdefault(code, [])
            if judgement.layer not in layers:
                layers.append(judgement.layer)
    on_any_answer = {code for g in graded for j in g.judgements for code in j.pitfalls}
    hits: dict[str, PitfallHit] = {}
    for grade in graded:
        for hit in grade.pitfalls:
            if hit.code in shown:
                kept = replace(hit, layers=tuple(shown[hit.code]))
            elif hit.code not in on_any_answer:
                kept = hit
            else:
                continue
            if hit.code not in hits or kept.deduction > hits[hit.code].deduction:
                hits[hit.code] = kept
    for code, layers in shown.items():
        if code not in hits:
            network = next(j.network for j in chosen if code in j.pitfalls)
            hits[code] = PitfallHit(code, network, tuple(layers))

    # each written question answered by the file that earned the most for it (kept: the score is theirs)
    written: dict = {}
    for grade in graded:
        for answer in grade.free_text:
            if answer.id not in written or answer.points > written[answer.id].points:
                written[answer.id] = answer
    max_score = max(g.max_score for g in graded)
    score = sum(j.points for j in chosen if j.asked) - sum(h.deduction for h in hits.values()) \
        + sum(answer.points for answer in written.values())
    leading = max(graded, key=lambda g: sum(j.verdict in ("correct", "accepted") for j in g.judgements))
    return Grade(file=file, rubric=leading.rubric, status="graded", score=round(min(max_score, max(0.0, score)), 2),
                 max_score=max_score, judgements=chosen, pitfalls=tuple(hits[code] for code in sorted(hits)),
                 conventions=leading.conventions, review=_once(r for g in graded for r in g.review) + notes,
                 free_text=tuple(written.values()))


def _once(items) -> tuple:
    """Each review item once: every file of a submission reports a question it did not answer."""
    return tuple(dict.fromkeys(items))
