"""Per-student feedback, HTML and Markdown, from one saved result: what was read, the verdict of
each answer, each pitfall explained once, follow-through notes, the score, and the worked formula
where the rubric's reveal policy allows (see `teaching`)."""
from __future__ import annotations

from grader.report.render import render_html, render_markdown
from grader.report.teaching import feedback_view


def _context(result: dict, *, reveal: str, assignment: str) -> dict:
    student = result.get("student") or {}
    student_id = student.get("id") or ""
    name = student.get("name") or student_id
    label = name if not student_id or student_id == name else f"{name} ({student_id})"
    return {"fb": feedback_view(result, reveal), "assignment": assignment,
            "student": label if label != (result.get("submission") or "") else ""}


def feedback_html(result: dict, *, reveal: str, assignment: str = "") -> str:
    return render_html("feedback.html.j2", **_context(result, reveal=reveal, assignment=assignment))


def feedback_markdown(result: dict, *, reveal: str, assignment: str = "") -> str:
    return render_markdown("feedback.md.j2", **_context(result, reveal=reveal, assignment=assignment))


def feedback_pages(result: dict, *, reveal: str, assignment: str = "") -> tuple[str, str]:
    """Both pages, HTML and Markdown, from one view of the result (the batch writes both)."""
    context = _context(result, reveal=reveal, assignment=assignment)
    return render_html("feedback.html.j2", **context), render_markdown("feedback.md.j2", **context)


def prepare() -> None:
    """Load and compile the templates now: a batch does it once before it forks the workers that
    render the pages, instead of each worker on its first submission."""
    from grader.report.render import html_environment, markdown_environment

    html_environment().get_template("feedback.html.j2")
    markdown_environment().get_template("feedback.md.j2")
