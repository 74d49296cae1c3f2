"""Per-student feedback: the reveal policy, each pitfall explained once (wording from the registry),
and student text escaped in HTML and Markdown."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from test_report_fixtures import ReviewItem, Source, grade, hit, towers_merged, use_stand_in_pitfalls

from grader.report.feedback import feedback_html, feedback_markdown
from grader.report.json_result import grade_to_json
from grader.report.render import escape_markdown
from grader.report.reveal import Reveal

EVIL = '<script>alert("x")</script> =HYPERLINK("http://evil.example","click") [link](javascript:alert(1)) | *bold*'


@pytest.fixture
def pitfalls(monkeypatch):
    return use_stand_in_pitfalls(monkeypatch)


def result_of(g, **extra):
    result = grade_to_json(g)
    result.update(extra)
    return result


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html):
    parser = Elements()
    parser.feed(html)
    return parser.tags


def evil_grade():
    return grade("evil.md", {("conv2", "weights"): (614_400, {"text": EVIL, "expression": EVIL,
                                                               "pitfalls": ("tower-split-missed",)})},
                 pitfalls=(hit("tower-split-missed", "conv2"),),
                 review=(ReviewItem("free-text answer", EVIL, Source(line=3)),))


@pytest.mark.parametrize("reveal", ["verdicts", "hints", "answers"])
def test_html_escapes_student_text(pitfalls, reveal):
    html = feedback_html(result_of(evil_grade(), submission="<b>evil</b>"), reveal=reveal, assignment="A & B")
    assert [tag for tag, _ in tags(html) if tag in ("script", "b")] == []
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize("reveal", ["verdicts", "hints", "answers"])
def test_markdown_escapes_student_text(pitfalls, reveal):
    md = feedback_markdown(result_of(evil_grade(), submission="<b>evil</b>"), reveal=reveal, assignment="A")
    assert "<script" not in md and "<b>" not in md
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # the link syntax is broken by the escaped bracket
    # every table row keeps its column count: the student's | is escaped
    rows = [line for line in md.splitlines() if line.startswith("| conv2 | weights")]
    header = next(line for line in md.splitlines() if line.startswith("| Layer"))
    assert rows and all(len(re.findall(r"(?<!\\)\|", row)) == len(re.findall(r"\|", header)) for row in rows)


def test_escape_markdown_breaks_markup():
    assert escape_markdown("<img src=x>") == "&lt;img src=x&gt;"
    assert escape_markdown("[a](b)") == r"\[a\](b)"
    assert escape_markdown("a\nb") == "a b"


def test_verdicts_policy_shows_only_verdicts(pitfalls):
    html = feedback_html(result_of(towers_merged("bob.md")), reveal="verdicts")
    assert "307,200" not in html  # conv2's expected weights (5·5·48·256) never shown
    assert "tower-split-missed" not in html and pitfalls["tower-split-missed"].what not in html
    assert html.count('data-verdict="wrong"') == 2


def test_hints_policy_explains_pitfalls_without_the_figure(pitfalls):
    result = result_of(towers_merged("bob.md"))
    html = feedback_html(result, reveal="hints")
    md = feedback_markdown(result, reveal="hints")
    explanation = pitfalls["tower-split-missed"]
    for text in (html, md):
        for section in (explanation.what, explanation.why, explanation.title):
            assert escape_markdown(section) in text or section in text
        assert "formula of conv2 weights" not in text  # no formula under hints
        assert "307,200" not in text  # the stand-in "Use instead" holds conv2's expected weights
        assert "Expected" not in text
    # explained once, although it shows on two answers
    assert html.count('data-pitfall="tower-split-missed"') == 1
    assert md.count(f"### {escape_markdown(explanation.title)}") == 1


def test_answers_policy_shows_expected_and_formula(pitfalls):
    html = feedback_html(result_of(towers_merged("bob.md")), reveal="answers")
    assert "307,200" in html and "formula of conv2 weights = 307,200" in html


def test_working_policy_shows_the_formula_without_its_result(pitfalls):
    result = result_of(towers_merged("bob.md"))
    for text in (feedback_html(result, reveal="working"), feedback_markdown(result, reveal="working")):
        assert "formula of conv2 weights" in text
        assert "307,200" not in text


def test_working_formula_drops_results_and_expands_asked_figures():
    result = {"answers": [
        {"layer": "conv1", "quantity": "weights", "asked": True, "expected": 34_848, "formula": "11·11·3·96 = 34,848"},
        {"layer": "conv1", "quantity": "connections", "asked": True, "expected": 105_415_200,
         "formula": "34,848·55·55 = 105,415,200"},
        {"layer": "fc8", "quantity": "units", "asked": True, "expected": 1_000, "formula": "1,000"}]}
    working = Reveal.of(result, "working")
    assert working.formula("5·5·48·256 = 307,200", credited=False) == "5·5·48·256"
    assert working.formula("34,848·55·55 = 105,415,200", credited=False) == "(11·11·3·96)·55·55"
    assert working.formula("1,000", credited=False) is None  # a bare figure is its own result
    assert working.formula("11·11·3·96 = 34,848", credited=True) is None  # nothing to finish
    assert Reveal.of(result, "hints").formula("5·5·48·256 = 307,200", credited=False) is None


def test_unreadable_feedback_names_the_reason(pitfalls):
    g = grade("x.docx", {}, status="unreadable", errors=("x.docx: not a valid docx (not a zip file)",))
    html = feedback_html(result_of(g), reveal="hints")
    md = feedback_markdown(result_of(g), reveal="hints")
    assert "not a valid docx" in html and "could not be read" in html
    assert "not a valid docx" in md


def test_follow_through_note_shown_with_hints(pitfalls):
    g = grade("a.md", {("conv2", "connections"): (447_897_600, {"verdict": "follow-through"})})
    result = result_of(g)
    result["answers"][5]["note"] = "carries your conv2 weights"
    assert "carries your conv2 weights" in feedback_html(result, reveal="hints")
    assert "carries your conv2 weights" not in feedback_html(result, reveal="verdicts")


def test_score_breakdown_accounts_for_every_point(pitfalls):
    # 9 answers at 1 point, 7 earned (towers merged on conv2), a 2-point deduction, and written
    # questions worth 2 of which the student earned 1: 7 - 2 + 1 = 6 out of 11
    from grader.core import FreeTextAnswer

    written = (FreeTextAnswer("q2a", "Parameters?", "shrink the fc layers", Source(line=9), ("fc",), 1.0, 1.0, True),
               FreeTextAnswer("q2b", "Connections?", "", None, (), 0.0, 1.0, True))
    g = towers_merged("bob.md")
    g = g.__class__(**{**{f: getattr(g, f) for f in g.__slots__}, "score": 6.0, "max_score": 11.0,
                       "pitfalls": (hit("tower-split-missed", "conv2", deduction=2),), "free_text": written})
    html = feedback_html(result_of(g), reveal="hints")
    assert "answers 7 / 9 · deductions for mistakes −2 · written questions 1 / 2" in html
    assert "−2 point(s)" in html
    md = feedback_markdown(result_of(g), reveal="hints")
    assert "answers 7 / 9 · deductions for mistakes −2 · written questions 1 / 2" in md


def test_written_questions_score_is_the_written_answers_points(pitfalls):
    # A score floored at 0 (deductions above the points earned) must not show up as written points:
    # 0 answers earned, 2 deducted, no written answer: written questions 0 / 2, not 2 / 2.
    from grader.core import FreeTextAnswer

    unanswered = tuple(FreeTextAnswer(q, q, "", None, (), 0.0, 1.0, True) for q in ("q2a", "q2b"))
    g = towers_merged("bob.md")
    g = g.__class__(**{**{f: getattr(g, f) for f in g.__slots__}, "score": 0.0, "max_score": 11.0,
                       "pitfalls": (hit("input-224", "input", deduction=9),), "free_text": unanswered})
    for page in (feedback_html(result_of(g), reveal="hints"), feedback_markdown(result_of(g), reveal="hints")):
        assert "written questions 0 / 2" in page


def test_written_questions_show_their_points_and_the_ideas_found(pitfalls):
    from dataclasses import replace

    from grader.core import FreeTextAnswer

    answered = FreeTextAnswer("q2a", "How can the parameters be reduced?", "Shrink the FC layers " + EVIL,
                              Source(line=40), ("shrink the fully connected layers",), 1.0, 1.0, True)
    skipped = FreeTextAnswer("q2b", "How can the connections be reduced?", "", None, (), 0.0, 1.0, False)
    result = result_of(replace(grade("alice.md", {}), free_text=(answered, skipped)))
    assert [(w["id"], w["points"], w["concepts"]) for w in result["written"]] == [
        ("q2a", 1.0, ["shrink the fully connected layers"]), ("q2b", 0.0, [])]
    html = feedback_html(result, reveal="hints")
    markdown = feedback_markdown(result, reveal="hints")
    for page in (html, markdown):
        assert "How can the parameters be reduced?" in page
        assert "shrink the fully connected layers" in page
        assert "no answer found" in page
    assert "<script>" not in html
