"""What a label says and how a JSON result is held to it: the semantics of
../shared/tools/check_labels.py, in one place for the accuracy benchmark and the tests.

A label (the seeds' format, ../shared/seeds/expected/README.md) gives the `rubric`, the `answers`
the extractor must find (network -> layer -> quantity -> value; shapes as [H, W, C] lists), the
`pitfalls` that must be raised (code -> layers, or `any`), the codes that must `never` be raised
(or `all`), the `status` (default `graded`) and optionally `score: full`. Values compare within
0.5; shapes compare as lists. A result is the dict of grader/report/json_result.py.
"""
from __future__ import annotations

from pathlib import Path

import yaml

Slot = tuple[str, str, str]  # (network, layer, quantity)


def load_label(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def same(got, want) -> bool:
    if isinstance(got, list) or isinstance(want, list):
        return list(got or []) == list(want or [])
    try:
        return abs(float(got) - float(want)) < 0.5
    except (TypeError, ValueError):
        return False


def labelled_slots(label: dict) -> dict[Slot, object]:
    return {(network, layer, quantity): want
            for network, layers in (label.get("answers") or {}).items()
            for layer, quantities in layers.items()
            for quantity, want in quantities.items()}


def raised(result: dict) -> dict[str, set[str]]:
    """Pitfall code -> the layers (bare and network-qualified) it was raised on."""
    found: dict[str, set[str]] = {}
    for hit in result["pitfalls"]:
        found.setdefault(hit["code"], set()).update(hit["layers"])
        found[hit["code"]].update(f"{hit['network']}.{layer}" for layer in hit["layers"])
    for answer in result["answers"]:
        for code in answer["pitfalls"]:
            found.setdefault(code, set()).update({answer["layer"], f"{answer['network']}.{answer['layer']}"})
    return found


def pitfall_right(where, have: set[str] | None) -> bool:
    """A labelled pitfall is right when raised on every layer the label names (`any`: anywhere)."""
    return have is not None and (where == "any" or all(w in have for w in where))


def never_codes(label: dict, found: dict[str, set[str]]) -> list[str]:
    never = label.get("never") or []
    return list(found) if never == "all" else list(never)


def unanswered_points(result: dict) -> float:
    """Points of the written questions left blank: `score: full` is about the numeric answers."""
    return sum(item.get("max_points") or 0 for item in result.get("written") or []
               if not (item.get("text") or "").strip())


def missed_answers(label: dict, result: dict) -> list[str]:
    got: dict[Slot, list] = {}
    for answer in result["answers"]:
        got.setdefault((answer["network"], answer["layer"], answer["quantity"]), []).append(answer["value"])
    return [f"{network}.{layer}.{quantity} want {want} got {got.get((network, layer, quantity), [])}"
            for (network, layer, quantity), want in labelled_slots(label).items()
            if not any(same(value, want) for value in got.get((network, layer, quantity), []))]


def pitfall_problems(label: dict, found: dict[str, set[str]]) -> list[str]:
    problems = [f"pitfall {code} wanted at {where}, raised at {sorted(found[code]) if code in found else None}"
                for code, where in (label.get("pitfalls") or {}).items() if not pitfall_right(where, found.get(code))]
    problems += [f"false alarm {code} at {sorted(found[code])}" for code in never_codes(label, found) if code in found]
    return problems


def grade_problems(label: dict, status: str, score, max_score, unanswered: float = 0) -> list[str]:
    problems = []
    if status != label.get("status", "graded"):
        problems.append(f"status {status}, want {label.get('status', 'graded')}")
    if label.get("score") == "full" and (score is None or score + unanswered < max_score):
        problems.append(f"score {score}/{max_score}, want full")
    return problems


def result_problems(label: dict, result: dict) -> list[str]:
    """Everything check_labels.py would count against a result."""
    return (missed_answers(label, result) + pitfall_problems(label, raised(result))
            + grade_problems(label, result["status"], result["score"], result["max_score"],
                             unanswered_points(result)))
