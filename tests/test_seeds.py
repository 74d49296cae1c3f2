"""The real seeds against their labels (../shared/seeds/expected/*.yaml).

First on Answers built by hand from the labels, so the comparator is held to the labels whatever
the extractor reads; then end to end (read -> extract -> compare -> score), as check_labels.py
does it."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.compare import compare
from grader.pipeline import grade_file
from grader.report.json_result import grade_to_json
from grader.rubric import load_rubric
from grader.score import score
from labels import grade_problems, load_label, pitfall_problems, result_problems
from test_compare import make_answer, make_document, raised

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
LABELS = sorted((SEEDS / "expected").glob("*.yaml"))

# What the labels leave out and the seed texts show: the expression beside a stated result.
EXPRESSIONS = {
    # seed 000, conv1: "(11 x 11 x 3 x 96) + 96 = 34848"
    ("000", "alexnet", "conv1", "params"): ("(11 x 11 x 3 x 96) + 96", 34_944),
}
# Answers the labels do not list (they are extra: a second table for the same network).
EXTRA = {
    # seed 003, its "2) Alexnet with 61 M" section: "192 x 3 x 3 x 384 + 384 = 336936"
    "003": [{"network": "alexnet", "layer": "conv3", "quantity": "params", "value": 336_936,
             "expression": "192 x 3 x 3 x 384 + 384", "computed": 663_936}],
}


def label_answers(label: dict, seed: str):
    answers = []
    for network, layers in (label.get("answers") or {}).items():
        for layer, quantities in layers.items():
            for quantity, value in quantities.items():
                item = {"network": network, "layer": layer, "quantity": quantity, "value": value}
                expression = EXPRESSIONS.get((seed, network, layer, quantity))
                if expression:
                    item["expression"], item["computed"] = expression
                answers.append(make_answer(item, len(answers) + 1))
    answers += [make_answer(item, len(answers) + 1) for item in EXTRA.get(seed, ())]
    return tuple(answers)


@pytest.mark.parametrize("label_path", LABELS, ids=[p.stem[:3] for p in LABELS])
def test_seed_labels_on_hand_built_answers(label_path):
    label = load_label(label_path)
    seed = label_path.stem[:3]
    rubric = load_rubric(label["rubric"])
    # the prose the comparator reads (question 2, a stated input size), as plain lines
    document = make_document((SEEDS / label["file"]).read_text(encoding="utf-8"), label["file"])
    comparison = compare(label_answers(label, seed), rubric, document=document)
    grade = score(comparison, rubric, file=label["file"])
    assert grade.status == label.get("status", "graded")
    problems = (pitfall_problems(label, raised(comparison))
                + grade_problems(label, grade.status, grade.score, grade.max_score))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("label_path", LABELS, ids=[p.stem[:3] for p in LABELS])
def test_seed_labels_end_to_end(label_path):
    label = load_label(label_path)
    grade = grade_file(SEEDS / label["file"], label["rubric"])
    result = grade_to_json(grade)
    problems = result_problems(label, result)
    assert not problems, "\n".join(problems)
