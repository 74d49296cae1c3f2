"""Gradebooks an LMS imports, from the saved results:

- `canvas.csv`: Canvas's gradebook import format: `Student, ID, SIS User ID, SIS Login ID, Section,
  <Assignment>`, then the `    Points Possible` row (four leading spaces, as Canvas exports it), then
  one row per submission. ID is Canvas's own user id (the `canvas_id` group of --id-pattern), SIS User
  ID the student id, SIS Login ID the `login` group.
- `gradescope.csv`: `SID, <Assignment>, <Assignment> - Max Points`.
- `moodle.csv`: `identifier, grade, feedback` (the feedback is a one-line summary).
- `answers.xlsx`: one row per answer of every submission (sheet `answers`) and one per submission
  (sheet `scores`), written byte-for-byte the same for the same results.

Text cells that begin with = + - @ (or a tab or carriage return) are prefixed with ' so a
spreadsheet never runs a student's file name as a formula.
"""
from __future__ import annotations

import csv
import io
import zipfile
from typing import BinaryIO

from grader.report.stats import submission_key
from grader.report.teaching import explain, format_score, format_value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
POINTS_POSSIBLE = "    Points Possible"
CANVAS_HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def neutralise(cell):
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def _points(score) -> str:
    return "" if score is None else format_score(score)


def _student(result: dict) -> dict:
    student = dict(result.get("student") or {})
    student.setdefault("id", submission_key(result))
    student.setdefault("name", student["id"])
    return student


def gradebook_row(result: dict, *, reveal: str = "hints") -> dict:
    """What the CSV gradebooks read of a result, all a batch keeps of each submission; the mistakes
    the LMS feedback names only where the reveal policy shows mistakes (not under "none")."""
    from grader.report.reveal import policy_name

    shown = policy_name(reveal) != "none"
    return {"submission": submission_key(result), "student": result.get("student") or {},
            "status": result["status"], "score": result.get("score"), "max_score": result.get("max_score"),
            "errors": list(result.get("errors") or ()),
            "pitfalls": [{"code": code} for code in sorted({hit["code"] for hit in result.get("pitfalls") or ()})
                         if shown]}


def _ordered(results: list[dict]) -> list[dict]:
    return sorted(results, key=submission_key)


def canvas_csv(results: list[dict], *, assignment: str, max_score: float) -> str:
    rows = [CANVAS_HEADER + (assignment,), (POINTS_POSSIBLE, "", "", "", "", _points(max_score))]
    for result in _ordered(results):
        student = _student(result)
        rows.append((student["name"], student.get("canvas_id", ""), student["id"], student.get("login", ""),
                     student.get("section", ""), _points(result.get("score"))))
    return _csv(rows)


def gradescope_csv(results: list[dict], *, assignment: str, max_score: float) -> str:
    rows = [("SID", assignment, f"{assignment} - Max Points")]
    for result in _ordered(results):
        rows.append((_student(result)["id"], _points(result.get("score")), _points(max_score)))
    return _csv(rows)


def summary(result: dict) -> str:
    """One line for an LMS's feedback box."""
    if result["status"] == "unreadable":
        return "Your submission could not be read: " + "; ".join(result.get("errors") or ())
    if result["status"] == "empty":
        return "No answers to grade were found in your submission."
    text = f"Score {format_score(result.get('score'))}/{format_score(result.get('max_score'))}."
    codes = sorted({hit["code"] for hit in result.get("pitfalls") or ()})
    if codes:
        text += " Mistakes: " + "; ".join(explain(code).title for code in codes) + "."
    return text + " See your feedback page for the details."


def moodle_csv(results: list[dict]) -> str:
    rows = [("identifier", "grade", "feedback")]
    for result in _ordered(results):
        rows.append((_student(result)["id"], _points(result.get("score")), summary(result)))
    return _csv(rows)


ANSWER_COLUMNS = ("submission", "student_id", "student", "status", "network", "layer", "quantity", "asked",
                  "value", "expression", "verdict", "expected", "pitfalls", "points", "max_points", "note",
                  "where")
SCORE_COLUMNS = ("submission", "student_id", "student", "status", "score", "max_score", "pitfalls", "errors")


def _cell(value):
    """Numbers stay numbers; shapes become text; student text is neutralised."""
    if isinstance(value, (list, tuple)):
        return format_value(value)
    return neutralise(value)


class AnswersWorkbook:
    """`answers.xlsx` written a submission at a time (openpyxl's write-only sheets stream their rows
    to temporary files), so a class of any size is never held in memory; results are added in the
    order their rows appear."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self._book = Workbook(write_only=True)
        self._answers = self._book.create_sheet("answers")
        self._scores = self._book.create_sheet("scores")
        bold = Font(bold=True)
        for sheet, columns in ((self._answers, ANSWER_COLUMNS), (self._scores, SCORE_COLUMNS)):
            sheet.freeze_panes = "A2"
            header = []
            for name in columns:
                cell = WriteOnlyCell(sheet, value=name)
                cell.font = bold
                header.append(cell)
            sheet.append(header)

    def add(self, result: dict) -> None:
        from grader.report.teaching import describe_source

        student = _student(result)
        head = (submission_key(result), student["id"], student["name"], result["status"])
        for item in result.get("answers") or ():
            self._answers.append([_cell(v) for v in head + (
                item["network"], item["layer"], item["quantity"], bool(item.get("asked", True)),
                item.get("value"), item.get("expression") or "", item["verdict"], item.get("expected"),
                ", ".join(item.get("pitfalls") or ()), item.get("points"), item.get("max_points"),
                item.get("note") or "", describe_source(item.get("source")))])
        if not result.get("answers"):
            self._answers.append([_cell(v) for v in head])
        self._scores.append([_cell(v) for v in head + (
            result.get("score"), result.get("max_score"), ", ".join(sorted({h["code"] for h in result.get("pitfalls") or ()})),
            "; ".join(result.get("errors") or ()))])

    def discard(self) -> None:
        """Ends the row streams of a workbook that will not be saved (a batch stopped early), so
        nothing is left half-written; openpyxl removes their temporary files at exit."""
        for sheet in (self._answers, self._scores):
            if not sheet.closed:
                sheet.close()

    def save(self, target: BinaryIO) -> None:
        """The workbook into `target`, the same bytes for the same results."""
        import tempfile

        with tempfile.TemporaryFile() as draft:
            self._book.save(draft)
            draft.seek(0)
            _reproducible_zip(draft, target)


def answers_xlsx(results: list[dict]) -> bytes:
    """The whole workbook as bytes, from results in memory (sorted by submission)."""
    workbook = AnswersWorkbook()
    for result in _ordered(results):
        workbook.add(result)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _reproducible_zip(source: BinaryIO, target: BinaryIO) -> None:
    """The same workbook as the same bytes: fixed entry times and document dates (openpyxl stamps
    both with the time of writing); entries are copied as streams, a sheet may be large."""
    import re
    import shutil

    with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in book.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            if info.filename == "docProps/core.xml":  # small
                copy.writestr(entry, re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                                            rb"\g<1>2000-01-01T00:00:00Z\g<3>", book.read(info.filename)))
                continue
            with book.open(info) as part, copy.open(entry, "w", force_zip64=info.file_size > 2**31) as written:
                shutil.copyfileobj(part, written, 2**20)
