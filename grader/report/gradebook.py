"""Gradebooks an LMS imports, from the saved results:

- `canvas.csv`: Canvas's gradebook import format: `Student, ID, SIS User ID, SIS Login ID, Section,
  <Assignment>`, then the `    Points Possible` row (four leading spaces, as Canvas exports it), then
  one row per submission. ID is Canvas's own user id (the `canvas_id` group of --id-pattern, or the
  roster's), SIS User ID the student id, SIS Login ID the `login` group.
- `gradescope.csv`: `SID, Email, <Assignment>, <Assignment> - Max Points` (Gradescope matches a row
  by its email, else its SID).
- `moodle.csv`: Moodle's grading worksheet, `Identifier, Full name, Email address, Grade, Maximum
  Grade, Last modified (grade), Feedback comments`; the identifier is `Participant N` where the
  download or the roster gave the participant number, else the student id (the feedback is a
  one-line summary).

With a roster, its students with no submission have a row too, status `missing`, its grade empty
(an LMS leaves an empty grade as it was), the moodle feedback saying so; they come last.
- `answers.xlsx`: one row per answer of every submission (sheet `answers`) and one per submission
  (sheet `scores`), written byte-for-byte the same for the same results.

Text cells that begin with = + - @ (or a tab or carriage return) are prefixed with ' so a
spreadsheet never runs a student's file name as a formula.
"""
from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass
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


def missing_row(student: dict) -> dict:
    """The row of a roster student who handed nothing in."""
    return {"submission": "", "file": "", "student": student, "status": "missing", "score": None, "max_score": None,
            "errors": [], "pitfalls": []}


def _ordered(results: list[dict]) -> list[dict]:
    return sorted(results, key=lambda result: (result["status"] == "missing", submission_key(result),
                                               _student_id(result)))


def _student_id(result: dict) -> str:
    return str((result.get("student") or {}).get("id", ""))


def canvas_csv(results: list[dict], *, assignment: str, max_score: float) -> str:
    rows = [CANVAS_HEADER + (assignment,), (POINTS_POSSIBLE, "", "", "", "", _points(max_score))]
    for result in _ordered(results):
        student = _student(result)
        rows.append((student["name"], student.get("canvas_id", ""), student["id"], student.get("login", ""),
                     student.get("section", ""), _points(result.get("score"))))
    return _csv(rows)


def gradescope_csv(results: list[dict], *, assignment: str, max_score: float) -> str:
    rows = [("SID", "Email", assignment, f"{assignment} - Max Points")]
    for result in _ordered(results):
        student = _student(result)
        rows.append((student["id"], student.get("email", ""), _points(result.get("score")), _points(max_score)))
    return _csv(rows)


def summary(result: dict) -> str:
    """One line for an LMS's feedback box."""
    if result["status"] == "unreadable":
        return "Your submission could not be read: " + "; ".join(result.get("errors") or ())
    if result["status"] == "empty":
        return "No answers to grade were found in your submission."
    if result["status"] == "missing":
        return "No submission was received."
    text = f"Score {format_score(result.get('score'))}/{format_score(result.get('max_score'))}."
    codes = sorted({hit["code"] for hit in result.get("pitfalls") or ()})
    if codes:
        text += " Mistakes: " + "; ".join(explain(code).title for code in codes) + "."
    return text + " See your feedback page for the details."


MOODLE_HEADER = ("Identifier", "Full name", "Email address", "Grade", "Maximum Grade", "Last modified (grade)",
                 "Feedback comments")  # the headers Moodle's worksheet upload looks for, in English


def moodle_csv(results: list[dict], *, max_score: float | None = None) -> str:
    rows = [MOODLE_HEADER]
    for result in _ordered(results):
        student = _student(result)
        identifier = f"Participant {student['participant']}" if student.get("participant") else student["id"]
        rows.append((identifier, student["name"], student.get("email", ""), _points(result.get("score")),
                     _points(max_score), "", summary(result)))
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


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEETS = ("answers", "scores")
# The parts around the two sheets, as Excel needs them: content types, relationships, the workbook
# naming the sheets, and a style sheet whose second cell format is bold (the header row).
_PARTS = {
    "[Content_Types].xml": (
        f'{_XML}<Types xmlns="{_PACKAGE}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for n in (1, 2))
        + '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
    "_rels/.rels": (
        f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML}<Relationships xmlns="{_PACKAGE}/relationships">'
        + "".join(f'<Relationship Id="rId{n}" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                  for n in (1, 2))
        + f'<Relationship Id="rId3" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><sheets>'
        + "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(_SHEETS, 1))
        + "</sheets></workbook>"),
    "xl/styles.xml": (
        f'{_XML}<styleSheet xmlns="{_MAIN}">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}
_SHEET_START = (f'{_XML}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetData>')
_SHEET_END = "</sheetData></worksheet>"
# Characters XML 1.0 cannot hold (the batch has replaced them already; other callers may not have)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_SPECIAL = re.compile("[&<>]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_COLUMNS = tuple(_column(n) for n in range(1, max(len(ANSWER_COLUMNS), len(SCORE_COLUMNS)) + 1))


# Where a row's number goes in a row's XML made before its place in the sheet is known: a character
# no cell holds (_NOT_XML takes it out of text, numbers have none).
_ROW = "\x00"


def _cell_xml(column: str, value, style: str) -> str:
    """One cell of the row _ROW: numbers and booleans as such (a whole float as a whole number),
    anything else as an inline string, None and "" as no cell."""
    if value is None or value == "":
        return ""
    ref = column + _ROW
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    text = _NOT_XML.sub("\ufffd", str(value))
    if _XML_SPECIAL.search(text):
        text = _XML_SPECIAL.sub(lambda m: _ENTITIES[m[0]], text)
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row_template(values, *, header: bool = False) -> str:
    """A row's XML with _ROW where its number goes."""
    style = ' s="1"' if header else ""
    cells = "".join(_cell_xml(column, value, style) for column, value in zip(_COLUMNS, values))
    return f'<row r="{_ROW}">{cells}</row>'


def _numbered(template: str, number: int) -> str:
    return template.replace(_ROW, str(number))


@dataclass(frozen=True, slots=True)
class SheetRows:
    """One result's rows of answers.xlsx, made where the result is (`sheet_rows`), numbered where
    the workbook is written: one per answer (or one for a result without answers), one of scores."""
    answers: tuple[str, ...]
    score: str


def sheet_rows(result: dict) -> SheetRows:
    from grader.report.teaching import describe_source

    student = _student(result)
    head = (submission_key(result), student["id"], student["name"], result["status"])
    answers = tuple(_row_template([_cell(v) for v in head + (
        item["network"], item["layer"], item["quantity"], bool(item.get("asked", True)),
        item.get("value"), item.get("expression") or "", item["verdict"], item.get("expected"),
        ", ".join(item.get("pitfalls") or ()), item.get("points"), item.get("max_points"),
        item.get("note") or "", describe_source(item.get("source")))]) for item in result.get("answers") or ())
    codes = ", ".join(sorted({hit["code"] for hit in result.get("pitfalls") or ()}))
    score = _row_template([_cell(v) for v in head + (
        result.get("score"), result.get("max_score"), codes, "; ".join(result.get("errors") or ()))])
    return SheetRows(answers or (_row_template([_cell(v) for v in head]),), score)


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # no time of writing: the same bytes
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16
    return entry


class AnswersWorkbook:
    """`answers.xlsx` streamed into `target` as results are added (in the order their rows appear):
    the answers sheet goes into the zip row by row as it comes, the scores sheet (one short row per
    submission) waits in memory, and `close` writes it and the rest. Plain SpreadsheetML written
    here (inline strings, the header bold and frozen, fixed entry dates): no temporary file
    anywhere, and the same results give the same bytes."""

    def __init__(self, target: BinaryIO) -> None:
        self._target = _Stoppable(target)
        self._zip = zipfile.ZipFile(self._target, "w", zipfile.ZIP_DEFLATED)
        self._sheet = None
        try:
            for name in ("[Content_Types].xml", "_rels/.rels"):
                self._zip.writestr(_entry(name), _PARTS[name])
            self._sheet = self._zip.open(_entry("xl/worksheets/sheet1.xml"), "w")
            self._sheet.write((_SHEET_START + _numbered(_row_template(ANSWER_COLUMNS, header=True), 1)).encode())
        except BaseException:
            self.discard()
            raise
        self._answer_rows = 1
        self._scores = [_numbered(_row_template(SCORE_COLUMNS, header=True), 1)]

    def add(self, result: dict) -> None:
        self.add_rows(sheet_rows(result))

    def add_rows(self, rows: SheetRows) -> None:
        for template in rows.answers:
            self._answer_rows += 1
            self._sheet.write(_numbered(template, self._answer_rows).encode())
        self._scores.append(_numbered(rows.score, len(self._scores) + 1))

    def close(self) -> None:
        """The workbook completed in its target."""
        self._sheet.write(_SHEET_END.encode())
        self._sheet.close()
        self._zip.writestr(_entry("xl/worksheets/sheet2.xml"), _SHEET_START + "".join(self._scores) + _SHEET_END)
        for name in ("xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/styles.xml"):
            self._zip.writestr(_entry(name), _PARTS[name])
        self._zip.close()

    def discard(self) -> None:
        """Stop writing (a batch stopped early): the target, half a workbook, is its caller's to remove."""
        self._target.stopped = True
        if self._sheet is not None:
            self._sheet.close()
        self._zip.close()


class _Stoppable:
    """A workbook's target, which a discarded workbook no longer writes to (a zip that is closed,
    even by the garbage collector, writes its index; on a full disk that fails again)."""

    def __init__(self, target: BinaryIO) -> None:
        self._target, self.stopped = target, False

    def write(self, data) -> int:
        return len(data) if self.stopped else self._target.write(data)

    def flush(self) -> None:
        if not self.stopped:
            self._target.flush()

    def tell(self) -> int:
        return 0 if self.stopped else self._target.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return offset if self.stopped else self._target.seek(offset, whence)


def answers_xlsx(results: list[dict]) -> bytes:
    """The whole workbook as bytes, from results in memory (sorted by submission)."""
    buffer = io.BytesIO()
    workbook = AnswersWorkbook(buffer)
    for result in _ordered(results):
        workbook.add(result)
    workbook.close()
    return buffer.getvalue()
