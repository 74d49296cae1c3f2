"""The reveal policy over every output a student sees: `grader check` on the terminal and with
`--json`, and the HTML and Markdown feedback pages, each under none, verdicts (the older name of
none), hints, working and answers.

The draft below is all wrong or missing, with mistakes whose registry explanations hold the
answers (the caption's 253,440, biases counted, the towers merged, FC biases on the wrong side,
connections given as weights): the real pipeline, the shipped rubric and the real registry. The
asked figures are the instructor's key (tests/figures.py), looked for in every common grouping;
every run of arithmetic in the output is evaluated here, independently of the grader."""
from __future__ import annotations

import ast
import json
import operator
import re
from dataclasses import replace

import pytest
from figures import SEED_001_KEY

from grader.pipeline import grade_file
from grader.report.feedback import feedback_html, feedback_markdown
from grader.report.json_result import grade_to_json
from grader.report.terminal import run_check
from grader.rubric import load_rubric

DRAFT = """# HW2 draft (AlexNet)

| layer | units | weights | connections |
|---|---|---|---|
| conv1 | 253440 | 34944 | 34944 |
| conv2 | | 614400 | |
| fc8 | | 4100096 | |
"""
STUDENT_VALUES = {253_440, 34_944, 614_400, 4_100_096}
ASKED = {figure for row in SEED_001_KEY.values() for figure in row}
# Given by the network itself (its FC layers' sizes): they have no working to hide them behind.
GIVEN = {units for units, _, _ in (SEED_001_KEY["fc6"], SEED_001_KEY["fc7"], SEED_001_KEY["fc8"])}
POLICIES = ("none", "verdicts", "hints", "working", "answers")
OUTPUTS = ("terminal", "json", "html", "markdown")


def groupings(figure: int) -> list[str]:
    plain = str(figure)
    grouped = f"{figure:,}"
    return [plain] + ([grouped, grouped.replace(",", " "), grouped.replace(",", "\u202f"),
                       grouped.replace(",", "\u00a0")] if figure >= 1000 else [])


def figures_shown(text: str, figures: set[int]) -> set[int]:
    found = set()
    for figure in figures:
        for written in groupings(figure):
            if re.search(rf"(?<![\d.,])(?<!\d[ \u202f\u00a0]){re.escape(written)}(?![\d]|[.,  \u202f\u00a0]\d)", text):
                found.add(figure)
    return found


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _evaluate(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_evaluate(node.operand)
    raise ValueError(node)


_NUM = r"\(*\d[\d,]*(?:\.\d+)?\)*"
_FORMULA = re.compile(rf"{_NUM}(?:\s*[·×*+\-−/=]\s*{_NUM})+")


def formulas_giving(text: str, figures: set[int]) -> list[str]:
    """Every side of every formula in the text whose value is one of the figures."""
    hits = []
    for match in _FORMULA.finditer(text):
        for side in match.group(0).split("="):
            if not re.search(r"[·×*+\-−/]", side):
                continue
            source = re.sub(r"(?<=\d),(?=\d{3})", "", side).replace("·", "*").replace("×", "*").replace("−", "-")
            source = source.strip()
            while source.count("(") > source.count(")") and source.startswith("("):
                source = source[1:]
            while source.count(")") > source.count("(") and source.endswith(")"):
                source = source[:-1]
            try:
                value = _evaluate(ast.parse(source, mode="eval").body)
            except (SyntaxError, ValueError, ZeroDivisionError):
                continue
            if value in figures:
                hits.append(side.strip())
    return hits


@pytest.fixture
def draft(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    path = tmp_path / "draft.md"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def shown(output: str, policy: str, path, capsys) -> str:
    rubric = replace(load_rubric("alexnet-paper"), reveal=policy)
    if output in ("terminal", "json"):
        run_check(path, rubric=rubric, as_json=output == "json", show_read=False)
        return capsys.readouterr().out
    result = grade_to_json(grade_file(path, rubric))
    if output == "html":
        return re.sub(r"<style>.*?</style>", "", feedback_html(result, reveal=policy), flags=re.S)
    return feedback_markdown(result, reveal=policy)


def test_the_draft_is_read_as_written(draft):
    result = grade_to_json(grade_file(draft, "alexnet-paper"))
    values = {a["value"] for a in result["answers"] if a["value"] is not None}
    assert values == STUDENT_VALUES and not STUDENT_VALUES & ASKED
    codes = {hit["code"] for hit in result["pitfalls"]}
    assert {"caption-253440", "tower-split-missed", "fc-bias-wrong-side"} <= codes


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("policy", POLICIES)
def test_no_asked_figure_is_given_away(draft, capsys, policy, output):
    text = shown(output, policy, draft, capsys)
    assert "conv1" in text
    if policy == "answers":  # everything: the scan finds what the other policies must hide
        assert figures_shown(text, ASKED) >= {307_200, 105_415_200}
        assert formulas_giving(text, ASKED)
        return
    if policy == "working":  # formulas, never their results, nor an asked figure inside them
        assert figures_shown(text, ASKED - GIVEN) == set()
        assert formulas_giving(text, ASKED), "the working is shown"
        return
    assert figures_shown(text, ASKED) == set()
    assert formulas_giving(text, ASKED) == []
    codes = ("caption-253440", "tower-split-missed")
    if policy in ("none", "verdicts"):
        assert not any(code in text for code in codes)
    else:
        assert all(code in text for code in codes)


@pytest.mark.parametrize("policy", POLICIES)
def test_check_says_which_policy_it_applies(draft, capsys, policy):
    name = "none" if policy == "verdicts" else policy
    assert f"shown: {name}" in shown("terminal", policy, draft, capsys)
    assert json.loads(shown("json", policy, draft, capsys))["reveal"] == name


def test_a_result_without_its_expected_figures_hides_every_figure(draft, capsys):
    # feedback rendered from what a student was shown already (no expected figures): the policy
    # cannot tell the asked figures, so none of the registry's figures is shown
    rubric = load_rubric("alexnet-paper")
    full = grade_to_json(grade_file(draft, rubric))
    from grader.report.reveal import Reveal

    filtered = Reveal.of(full, "hints").result(full)
    page = feedback_markdown(filtered, reveal="hints")
    assert figures_shown(page, ASKED) == set() and formulas_giving(page, ASKED) == []
    assert "caption-253440" in page
