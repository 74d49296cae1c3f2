"""One submission through the stages: read -> extract -> compare -> score.

Plain functions the CLI, the batch grader and the tests call alike."""
from __future__ import annotations

from pathlib import Path

from grader.core import Answer, Document, Grade, GraderError


def read_document(path: str | Path, *, limits=None) -> Document:
    from grader.readers import read

    return read(Path(path), limits=limits)


def extract_answers(document: Document, rubric) -> tuple[Answer, ...]:
    from grader.extract import extract

    return extract(document, networks=rubric.quantities)


def grade_answers(answers: tuple[Answer, ...], document: Document, rubric) -> Grade:
    """Compare and score answers already extracted (the batch grader caches them)."""
    from grader.compare import compare
    from grader.score import score

    return score(compare(answers, rubric, document=document), rubric, file=document.path)


def grade_document(document: Document, rubric) -> Grade:
    return grade_answers(extract_answers(document, rubric), document, rubric)


def grade_file(path: str | Path, rubric) -> Grade:
    """Grade one file; an unreadable file gives a Grade with status `unreadable`, never raises."""
    from grader.rubric import load_rubric

    if isinstance(rubric, str):
        rubric = load_rubric(rubric)
    try:
        document = read_document(path)
    except GraderError as err:
        return Grade(file=str(path), rubric=rubric.name, status="unreadable", score=None,
                     max_score=rubric.max_score, errors=(str(err),))
    return grade_document(document, rubric)
