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

    return extract(document, networks=rubric.quantities, layers={a.network: a.layers for a in rubric.asked})


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


def prepare(rubric) -> dict[str, Grade]:
    """Build now what a process builds on its first files and keeps (the vocabulary and the patterns
    made from it, the comparison index of each network the rubric asks, under each mistake the
    diagnosis tries), by grading the rubric's own answer key of each network as a student would
    hand it in: the batch does it once before it starts its worker processes, which inherit it all
    (forked) instead of each building it again. It decides nothing: the grades of the keys (network
    -> Grade) are only returned, and a key that fails is left out, its work left to the files."""
    from grader.readers import read_data
    from grader.reference.engine import compute
    from grader.reference.key import render_key
    from grader.reference.spec import load_network

    grades = {}
    for asked in rubric.asked:
        try:
            network = load_network(asked.network)
            key = render_key(compute(network, asked.conventions), "md", network=network)
            grades[asked.network] = grade_document(read_data(key.encode("utf-8"), f"{asked.network}-key.md"), rubric)
        except Exception:  # noqa: BLE001 - only a head start: a file that fails the same way says so
            continue
    return grades
