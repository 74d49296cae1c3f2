"""Gradebooks: Canvas's import format, Gradescope and Moodle CSVs, the answers workbook, and
spreadsheet formula injection neutralised."""
from __future__ import annotations

import csv
import io

import pytest
from test_report_fixtures import grade, towers_merged, use_stand_in_pitfalls

from grader.report.gradebook import answers_xlsx, canvas_csv, gradescope_csv, moodle_csv, neutralise
from grader.report.json_result import grade_to_json

INJECTION = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def pitfalls(monkeypatch):
    return use_stand_in_pitfalls(monkeypatch)


def result(g, key, **student):
    data = grade_to_json(g)
    data["submission"] = key
    data["student"] = {"id": key, **student}
    return data


def results():
    return [
        result(towers_merged("bob.md"), "bob", name="Okafor, Ben", canvas_id="1234", login="bokafor",
               section="Sec 01"),
        result(grade("amy.md", {}), "amy", name="Hart, Amelia"),
        result(grade(f"{INJECTION}.md", {}), INJECTION, name="-2+3", section="@SUM(A1)"),
        result(grade("x.docx", {}, status="unreadable", errors=("x.docx: not a zip file",)), "x"),
    ]


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_canvas_header_and_points_possible_row():
    table = rows(canvas_csv(results(), assignment="AlexNet HW2", max_score=9))
    # Canvas's gradebook export/import layout: five identity columns, then one per assignment,
    # then a "Points Possible" row whose label has four leading spaces.
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "AlexNet HW2"]
    assert table[1] == ["    Points Possible", "", "", "", "", "9"]
    by_sis = {row[2]: row for row in table[2:]}
    assert by_sis["bob"] == ["Okafor, Ben", "1234", "bob", "bokafor", "Sec 01", "7"]
    assert by_sis["amy"][5] == "9"
    assert by_sis["x"][5] == ""  # unreadable: left blank, not a zero
    assert [row[2] for row in table[2:]] == sorted(by_sis)


def test_csv_cells_are_neutralised():
    for text in (canvas_csv(results(), assignment="A", max_score=9), gradescope_csv(results(), assignment="A",
                 max_score=9), moodle_csv(results())):
        for row in rows(text):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")), cell
        assert any(cell == "'" + INJECTION for row in rows(text) for cell in row)
    canvas = rows(canvas_csv(results(), assignment="A", max_score=9))
    evil = next(row for row in canvas if row[2] == "'" + INJECTION)
    assert evil[0] == "'-2+3" and evil[4] == "'@SUM(A1)"


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("bob") == "bob"
    assert neutralise(-3) == -3  # numbers are not student text


def test_gradescope_and_moodle_layouts(pitfalls):
    gradescope = rows(gradescope_csv(results(), assignment="HW2", max_score=9))
    assert gradescope[0] == ["SID", "Email", "HW2", "HW2 - Max Points"]
    assert ["bob", "", "7", "9"] in gradescope
    moodle = rows(moodle_csv(results(), max_score=9))
    # the headers Moodle's offline grading worksheet upload looks for
    assert moodle[0] == ["Identifier", "Full name", "Email address", "Grade", "Maximum Grade",
                         "Last modified (grade)", "Feedback comments"]
    bob = next(row for row in moodle if row[0] == "bob")
    assert bob[1:5] == ["Okafor, Ben", "", "7", "9"] and pitfalls["tower-split-missed"].title in bob[6]
    unreadable = next(row for row in moodle if row[0] == "x")
    assert unreadable[3] == "" and "not a zip file" in unreadable[6]


def test_participant_numbers_email_and_missing_students():
    from grader.report.gradebook import missing_row

    rows_given = [*results(), missing_row({"id": "S9", "name": "Zhou, Min", "email": "zm@example.edu",
                                           "participant": "77"})]
    rows_given[1]["student"].update(participant="68", email="amy@example.edu")
    moodle = rows(moodle_csv(rows_given, max_score=9))
    assert moodle[-1][:4] == ["Participant 77", "Zhou, Min", "zm@example.edu", ""]  # missing: last, no grade
    assert moodle[-1][6] == "No submission was received."
    assert any(row[0] == "Participant 68" and row[2] == "amy@example.edu" for row in moodle)
    gradescope = rows(gradescope_csv(rows_given, assignment="HW2", max_score=9))
    assert gradescope[-1] == ["S9", "zm@example.edu", "", "9"]
    canvas = rows(canvas_csv(rows_given, assignment="HW2", max_score=9))
    assert canvas[-1][:3] == ["Zhou, Min", "", "S9"] and canvas[-1][5] == ""


def test_moodle_feedback_names_no_mistake_under_the_none_policy(pitfalls):
    from grader.report.gradebook import gradebook_row

    rows_none = [gradebook_row(r, reveal="none") for r in results()]
    bob = next(row for row in rows(moodle_csv(rows_none)) if row[0] == "bob")
    assert bob[3] == "7" and pitfalls["tower-split-missed"].title not in bob[6]
    rows_hints = [gradebook_row(r, reveal="hints") for r in results()]
    assert pitfalls["tower-split-missed"].title in next(row for row in rows(moodle_csv(rows_hints)) if row[0] == "bob")[6]


def test_answers_workbook_one_row_per_answer_and_reproducible():
    import openpyxl

    data = answers_xlsx(results())
    assert data == answers_xlsx(results())
    book = openpyxl.load_workbook(io.BytesIO(data))
    answers = list(book["answers"].iter_rows(values_only=True))
    header, body = answers[0], answers[1:]
    assert header[:3] == ("submission", "student_id", "student")
    # 3 graded submissions of 9 answers each, and one row for the unreadable one
    assert len(body) == 3 * 9 + 1
    bob_conv2 = next(r for r in body if r[0] == "bob" and r[5] == "conv2" and r[6] == "weights")
    column = {name: i for i, name in enumerate(header)}
    assert bob_conv2[column["value"]] == 614_400 and bob_conv2[column["expected"]] == 307_200
    assert bob_conv2[column["verdict"]] == "wrong"
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate  # no student text became a formula
    scores = list(book["scores"].iter_rows(values_only=True))
    assert len(scores) == 1 + 4


def test_answers_workbook_is_streamed_without_temporary_files(monkeypatch):
    """Rows holding students' answers are never left in a temporary file (openpyxl's write-only
    sheets once left them in /tmp); the header is bold and frozen, values keep their types."""
    import tempfile

    import openpyxl

    def refused(*args, **kwargs):
        raise AssertionError("a temporary file")

    for name in ("TemporaryFile", "NamedTemporaryFile", "SpooledTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refused)
    data = answers_xlsx(results())
    monkeypatch.undo()
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["answers", "scores"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
        assert not any(cell.font.b for row in sheet.iter_rows(min_row=2) for cell in row)
    header = [cell.value for cell in book["answers"][1]]
    first = [cell.value for cell in book["answers"][2]]
    assert isinstance(first[header.index("asked")], bool) and isinstance(first[header.index("points")], (int, float))
