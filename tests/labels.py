"""Labelled submissions (the seeds' label format, ../shared/seeds/expected/README.md) checked
against a JSON result, as ../shared/tools/check_labels.py does it: one place for the tests."""
from __future__ import annotations

from pathlib import Path

import yaml


def load_label(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def same(got, want) -> bool:
    if isinstance(got, list) or isinstance(want, list):
        return list(got or []) == list(want or [])
    try:
        return abs(float(got) - float(want)) < 0.5
    except (TypeError, ValueError):
        return False


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


def missed_answers(label: dict, result: dict) -> list[str]:
    got: dict[tuple, list] = {}
    for answer in result["answers"]:
        got.setdefault((answer["network"], answer["layer"], answer["quantity"]), []).append(answer["value"])
    return [f"{network}.{layer}.{quantity} want {want} got {got.get((network, layer, quantity), [])}"
            for network, layers in (label.get("answers") or {}).items()
            for layer, quantities in layers.items()
            for quantity, want in quantities.items()
            if not any(same(value, want) for value in got.get((network, layer, quantity), []))]


def pitfall_problems(label: dict, found: dict[str, set[str]]) -> list[str]:
    problems = []
    for code, where in (label.get("pitfalls") or {}).items():
        have = found.get(code)
        if have is None or (where != "any" and not all(w in have for w in where)):
            problems.append(f"pitfall {code} wanted at {where}, raised at {sorted(have) if have else None}")
    never = label.get("never") or []
    if never == "all":
        never = list(found)
    problems += [f"false alarm {code} at {sorted(found[code])}" for code in never if code in found]
    return problems


def grade_problems(label: dict, status: str, score, max_score) -> list[str]:
    problems = []
    if status != label.get("status", "graded"):
        problems.append(f"status {status}, want {label.get('status', 'graded')}")
    if label.get("score") == "full" and score != max_score:
        problems.append(f"score {score}/{max_score}, want full")
    return problems


def result_problems(label: dict, result: dict) -> list[str]:
    """Everything check_labels.py would count against a result."""
    return (missed_answers(label, result) + pitfall_problems(label, raised(result))
            + grade_problems(label, result["status"], result["score"], result["max_score"]))
