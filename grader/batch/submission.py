"""One submission filed: its files' Grades merged, a TA's corrections applied, who handed it in,
the saved result (the JSON contract, names and text made writable) and its own reports written
(grader.report.writer.file_result), where it was graded (a worker process, or the batch's with
`--workers 1`); what comes back is the small Filed row the class's reports need."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from grader.batch.listing import Submission
from grader.batch.merge import merge_grades
from grader.core import Grade, ReviewItem
from grader.report.json_result import grade_to_json
from grader.report.render import shown_name
from grader.report.writer import Filed, file_result


@dataclass(frozen=True, slots=True)
class Filing:
    """What every submission of a run is filed with: the graded folder, the output folder, the
    rubric, whether the reports are written, the TA's decisions and the roster's matches (each by
    submission key)."""
    folder: Path
    out: Path
    rubric: object
    reports: bool = True
    decisions: dict | None = None  # key -> the corrections that name it (grader.corrections.decisions_for)
    matches: dict | None = None  # key -> its grader.roster.RosterMatch

    def prepare(self) -> None:
        """Build now what every process filing submissions would build on its first ones (the
        grading's, grader.pipeline.prepare, and the feedback templates): done before forking."""
        from grader import pipeline

        pipeline.prepare(self.rubric)
        if self.reports:
            from grader.report import feedback

            feedback.prepare()

    def file(self, submission: Submission, grades: list[Grade]) -> Filed:
        """`submission`, its files graded as `grades`, merged, corrected, saved and reported."""
        from grader.corrections import apply_corrections

        grade = merge_grades(grades, file=submission.name)
        grade = apply_corrections(grade, (self.decisions or {}).get(submission.key, ()), self.rubric)
        result = submission_result(submission, grade, self.folder, (self.matches or {}).get(submission.key))
        return file_result(self.out, result, self.rubric, reports=self.reports)


def student_of(submission: Submission, matched=None) -> dict:
    """Who handed it in: the roster's student when `matched` (a grader.roster.RosterMatch) found
    one, else what the submission's name gave."""
    student = dict(submission.student)
    return matched.fields(student) if matched is not None and matched.student is not None else student


def submission_result(submission: Submission, grade: Grade, folder: Path, matched=None) -> dict:
    """The saved result of one submission: the JSON contract, with who handed it in (the roster's
    student when `matched`, its grader.roster.RosterMatch, found one) and its files."""
    student = student_of(submission, matched)
    if matched is not None and matched.student is None:
        grade = replace(grade, review=grade.review + (ReviewItem(
            f"not matched to the roster: {matched.review}", submission.name),))
    if not submission.id_matched:
        grade = replace(grade, review=grade.review + (ReviewItem(
            "the name does not match --id-pattern; its id is the whole name", submission.name),))
    if submission.same_id:
        grade = replace(grade, review=grade.review + (ReviewItem(
            f"student id {dict(submission.student)['id']} is also the id of another submission: the gradebooks "
            "hold a row for each, and an LMS takes only one", ", ".join(submission.same_id)),))
    result = grade_to_json(grade)
    result["submission"] = submission.key
    result["student"] = student
    result["files"] = [path.relative_to(folder).as_posix() for path in submission.files]
    for field in ("file", "files", "student", "errors"):  # names, and messages naming them: one line
        result[field] = names(result[field])
    return printable(result)


# Lone surrogates and control characters (which a spreadsheet refuses and a terminal obeys) in what
# a student wrote.
_UNWRITABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _each_string(value, change):
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {_each_string(key, change): _each_string(item, change) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_each_string(item, change) for item in value)
    return value


# What an unwritable character looks like in JSON text (C0 controls escaped, the others as they
# are); a false alarm (a student's own "\\b") only costs the full scrub.
_UNWRITABLE_IN_JSON = re.compile(r"\\u00(?:0[0-8bcef]|1[0-9a-f])|\\[bf]|[\x7f-\x9f\ud800-\udfff]")


def printable(result: dict) -> dict:
    """`result` with every unwritable character shown as U+FFFD, so every report can be written
    (looked for in its JSON text first: most results have none)."""
    if not _UNWRITABLE_IN_JSON.search(json.dumps(result, ensure_ascii=False)):
        return result
    return _each_string(result, lambda text: _UNWRITABLE.sub("\ufffd", text))


def names(value):
    """`value`, names of files, as shown (grader.report.render.shown_name)."""
    return _each_string(value, shown_name)
