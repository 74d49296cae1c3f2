"""The machine-readable result: the one place a Grade becomes the JSON contract of DESIGN.md.

`grader check --json` prints it; `grader grade` writes one per submission into
`OUT/results/<submission>.json`, and every other report (feedback, dashboard, gradebooks,
`grader stats`) is rendered from those dicts, so what the reports count is what the JSON says.

Beyond the contract's keys (`file rubric status score max_score answers pitfalls errors`; per
answer `network layer quantity value expected verdict pitfalls source`) each answer carries
`asked` (False: read and judged but not scored), `points`, `max_points`, `expression`, `text`,
`formula`, `note`, `confidence`, and the result carries `review`,
`written` (the written questions: points and the concepts found), `corrections` (a TA's decisions
applied: the slots each settles, and what it decided) and `conventions`: additions a consumer of
the contract can ignore.

This is the whole result, as a TA's saved results keep it; what a student may see of it (`grader
check --json`, the feedback pages) is decided by the reveal policy, `grader.report.reveal`.
"""
from __future__ import annotations

from grader.core import Grade, Judgement, Value


def value_to_json(value: Value | None):
    """Shapes (tuples) become lists; floats that are whole stay floats (the student wrote them)."""
    if isinstance(value, tuple):
        return list(value)
    return value


def judgement_to_json(judgement: Judgement) -> dict:
    answer = judgement.answer
    item = {
        "network": judgement.network,
        "layer": judgement.layer,
        "quantity": str(judgement.quantity),
        "value": value_to_json(answer.value) if answer is not None else None,
    }
    item["expected"] = value_to_json(judgement.expected)
    item["verdict"] = str(judgement.verdict)
    item["pitfalls"] = list(judgement.pitfalls)
    item["source"] = answer.source.to_json() if answer is not None else None
    item["asked"] = judgement.asked
    item["points"] = judgement.points
    item["max_points"] = judgement.max_points
    item["expression"] = answer.expression if answer is not None else None
    item["text"] = answer.text if answer is not None else ""
    item["formula"] = judgement.formula
    item["note"] = judgement.note
    item["confidence"] = answer.confidence if answer is not None else None
    return item


def grade_to_json(grade: Grade) -> dict:
    """The contract for one Grade, whole (the reveal policy is applied by `grader.report.reveal`)."""
    return {
        "file": grade.file,
        "rubric": grade.rubric,
        "status": grade.status,
        "score": grade.score,
        "max_score": grade.max_score,
        "answers": [judgement_to_json(j) for j in grade.judgements],
        "pitfalls": [{"code": hit.code, "network": hit.network, "layers": list(hit.layers),
                      "deduction": hit.deduction} for hit in grade.pitfalls],
        "errors": list(grade.errors),
        "review": [{"reason": item.reason, "text": item.text, "kind": item.kind, "slot": item.slot,
                    "source": item.source.to_json() if item.source is not None else None}
                   for item in grade.review],
        "written": [{"id": item.id, "prompt": item.prompt, "text": item.text,
                     "concepts": list(item.concepts), "points": item.points,
                     "max_points": item.max_points, "sure": item.sure,
                     "source": item.source.to_json() if item.source is not None else None}
                    for item in grade.free_text],
        "corrections": [{"slots": list(slots), "text": text} for slots, text in grade.corrections],
        "conventions": {str(key): _plain(value) for key, value in sorted(grade.conventions.items(),
                                                                        key=lambda kv: str(kv[0]))},
    }


def _plain(value):
    """Conventions are ints, bools and strings; anything else is shown by its text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return str(value)
