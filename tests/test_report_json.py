"""The JSON contract of DESIGN.md from a hand-built Grade."""
from __future__ import annotations

import json

from test_report_fixtures import grade, hit, judgement, towers_merged

from grader.core import Grade, Quantity
from grader.report.json_result import grade_to_json

CONTRACT = ["file", "rubric", "status", "score", "max_score", "answers", "pitfalls", "errors"]
ANSWER_CONTRACT = ["network", "layer", "quantity", "value", "expected", "verdict", "pitfalls", "source"]


def test_contract_keys_and_values():
    result = grade_to_json(towers_merged("alice.md"))
    assert all(key in result for key in CONTRACT)
    assert result["file"] == "alice.md" and result["status"] == "graded"
    assert result["score"] == 7 and result["max_score"] == 9
    conv2 = next(a for a in result["answers"] if (a["layer"], a["quantity"]) == ("conv2", "weights"))
    assert all(key in conv2 for key in ANSWER_CONTRACT)
    # 5·5·48·256 expected; the student merged the towers: 5·5·96·256
    assert conv2["value"] == 614_400 and conv2["expected"] == 307_200
    assert conv2["verdict"] == "wrong" and conv2["pitfalls"] == ["tower-split-missed"]
    assert conv2["source"] == {"line": 1}
    assert result["pitfalls"] == [{"code": "tower-split-missed", "network": "alexnet", "layers": ["conv2"],
                                   "deduction": 0.0}]
    json.dumps(result)  # serialisable as it is


def test_expected_and_formula_hidden_unless_answers_revealed():
    from grader.report.reveal import Reveal

    result = grade_to_json(towers_merged("a.md"))
    for reveal in ("verdicts", "none", "hints"):
        answers = Reveal.of(result, reveal).result(result)["answers"]
        assert all("expected" not in a and a["formula"] is None for a in answers)
        assert all("pitfalls" in a and "verdict" in a for a in answers)
    answers = Reveal.of(result, "answers").result(result)["answers"]
    assert all("expected" in a and a["formula"] for a in answers)


def test_missing_answer_has_null_value_and_source():
    result = grade_to_json(grade("a.md", {("fc8", "units"): None}))
    fc8 = next(a for a in result["answers"] if (a["layer"], a["quantity"]) == ("fc8", "units"))
    assert fc8["value"] is None and fc8["source"] is None and fc8["verdict"] == "missing"


def test_unasked_answers_are_listed_and_marked():
    base = grade("a.md", {})
    shape = judgement("conv1", Quantity.SHAPE, (55, 55, 96), expected=(55, 55, 96), asked=False, points=0)
    result = grade_to_json(Grade(**{**{f: getattr(base, f) for f in base.__slots__},
                                    "judgements": base.judgements + (shape,)}))
    extra = result["answers"][-1]
    assert extra["asked"] is False and extra["quantity"] == "shape"
    assert extra["value"] == [55, 55, 96] and extra["expected"] == [55, 55, 96]
    assert all(a["asked"] for a in result["answers"][:-1])


def test_unreadable_grade():
    result = grade_to_json(grade("x.docx", {}, status="unreadable", errors=("x.docx: not a zip file",)))
    assert result["status"] == "unreadable" and result["score"] is None
    assert result["answers"] == [] and result["errors"] == ["x.docx: not a zip file"]


def test_deductions_listed_with_hits():
    result = grade_to_json(grade("a.md", {}, pitfalls=(hit("input-224", "conv1", "fc6", deduction=2),)))
    assert result["pitfalls"][0]["layers"] == ["conv1", "fc6"] and result["pitfalls"][0]["deduction"] == 2
