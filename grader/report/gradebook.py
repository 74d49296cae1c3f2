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


def answers_xlsx(results: list[dict]) -> bytes:
    import pandas as pd

    from grader.report.teaching import describe_source

    answer_rows, score_rows = [], []
    for result in _ordered(results):
        student = _student(result)
        head = (submission_key(result), student["id"], student["name"], result["status"])
        for item in result.get("answers") or ():
            answer_rows.append(head + (
                item["network"], item["layer"], item["quantity"], bool(item.get("asked", True)),
                item.get("value"), item.get("expression") or "", item["verdict"], item.get("expected"),
                ", ".join(item.get("pitfalls") or ()), item.get("points"), item.get("max_points"),
                item.get("note") or "", describe_source(item.get("source"))))
        if not result.get("answers"):
            answer_rows.append(head + (None,) * (len(ANSWER_COLUMNS) - len(head)))
        score_rows.append(head + (result.get("score"), result.get("max_score"),
                                  ", ".join(sorted({h["code"] for h in result.get("pitfalls") or ()})),
                                  "; ".join(result.get("errors") or ())))
    answers = pd.DataFrame([[_cell(v) for v in row] for row in answer_rows], columns=list(ANSWER_COLUMNS),
                           dtype=object)
    scores = pd.DataFrame([[_cell(v) for v in row] for row in score_rows], columns=list(SCORE_COLUMNS),
                          dtype=object)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        answers.to_excel(writer, sheet_name="answers", index=False)
        scores.to_excel(writer, sheet_name="scores", index=False)
        for sheet in writer.book.worksheets:
            sheet.freeze_panes = "A2"
    return _reproducible_zip(buffer.getvalue())


def _reproducible_zip(data: bytes) -> bytes:
    """The same workbook as the same bytes: fixed entry times and document dates (openpyxl stamps
    both with the time of writing)."""
    import re

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                                 rb"\g<1>2000-01-01T00:00:00Z\g<3>", payload)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, payload)
    return out.getvalue()
