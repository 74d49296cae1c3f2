"""The roster: Canvas, Moodle and plain class lists told apart by their headers, submissions matched
to students (LMS id, an id in the name, then the name), the unclear ones sent to review, the roster's
ids in every gradebook, missing students' rows, and the feedback zips' names. Made-up students."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from grader.core import GraderError
from grader.roster import load_roster, match_roster
from tests.test_lms import make_zip

SUBMISSIONS = Path(__file__).resolve().parents[1] / "submissions"
KEY = (SUBMISSIONS / "amelia_hart.md").read_text(encoding="utf-8")  # every answer right (its README)

CANVAS_ROSTER = """Student,ID,SIS User ID,SIS Login ID,Section,HW2 (55)
    Points Possible,,,,,24
"Hart, Amelia",1001,S1001,ahart,Sec 01,
"Wang, Wei",2002,S2002,wwang1,Sec 01,
"Wang, Wei",3003,S3003,wwang2,Sec 02,
"Okafor, Ben",4004,S4004,bokafor,Sec 02,
"Student, Test",9999,,,,
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def table(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_the_roster_kinds_are_told_by_their_headers(tmp_path):
    canvas = load_roster(write(tmp_path / "canvas.csv", CANVAS_ROSTER))
    assert canvas.lms == "canvas"
    assert [(s.name, s.id, s.lms_id, s.login) for s in canvas.students][:2] == [
        ("Hart, Amelia", "S1001", "1001", "ahart"), ("Wang, Wei", "S2002", "2002", "wwang1")]
    assert len(canvas.students) == 4  # neither the points row nor the test student
    assert canvas.assignments == ("HW2 (55)",) and canvas.canvas_column("anything") == "HW2 (55)"
    worksheet = load_roster(write(tmp_path / "worksheet.csv",
                                  "Identifier,Full name,Email address,Status,Grade\n"
                                  "Participant 67,Amelia Hart,ah@example.edu,Submitted,\n"))
    assert (worksheet.lms, worksheet.students[0].lms_id, worksheet.students[0].id) == ("moodle", "67", "ah@example.edu")
    grades = load_roster(write(tmp_path / "grades.csv", "First name,Last name,ID number,Institution,Email address\n"
                                                       "Amelia,Hart,20230001,,ah@example.edu\n"))
    assert (grades.students[0].name, grades.students[0].id, grades.students[0].lms_id) == ("Amelia Hart", "20230001", "")
    plain = load_roster(write(tmp_path / "plain.csv", "学号,姓名,邮箱\n2023001,王伟,ww@example.edu\n", "gbk"))
    assert (plain.lms, plain.students[0].name, plain.students[0].id) == ("plain", "王伟", "2023001")


@pytest.mark.parametrize(("text", "reason"), [
    ("colour,size\nred,2\n", "not a roster"),
    ("name,id\n", "no students"),
    ("name,id\nAmy,7\nBen,7\n", "lines 2 and 3 give one id, 7, to two students"),
    ("name,id\nAmy,\n", "line 2: a student without a name or an id"),
])
def test_a_bad_roster_is_refused_naming_the_file_and_why(tmp_path, text, reason):
    with pytest.raises(GraderError, match=reason) as raised:
        load_roster(write(tmp_path / "class.csv", text))
    assert "class.csv" in str(raised.value)


def test_matching_by_lms_id_by_an_id_in_the_name_then_by_name(tmp_path):
    roster = load_roster(write(tmp_path / "r.csv", CANVAS_ROSTER))
    matches, missing = match_roster(roster, [
        ("a", {"id": "1001", "canvas_id": "1001", "name": "somethingelse"}),  # the LMS id wins over the name
        ("b", {"id": "notes_S3003"}),  # an id among the words of its name
        ("c", {"id": "Ben Okafor"}),  # the name, in the other order
    ])
    assert {key: (m.student.id, m.how) for key, m in matches.items()} == {
        "a": ("S1001", "lms id"), "b": ("S3003", "id"), "c": ("S4004", "name")}
    assert [s.id for s in missing] == ["S2002"]


def test_two_students_of_one_name_and_a_weak_likeness_go_to_review(tmp_path):
    roster = load_roster(write(tmp_path / "r.csv", CANVAS_ROSTER))
    matches, missing = match_roster(roster, [("w", {"id": "wangwei"}), ("h", {"id": "Amelie Hardt"}),
                                             ("z", {"id": "Zhou Min"})])
    assert all(match.student is None for match in matches.values())
    assert "S2002" in matches["w"].review and "S3003" in matches["w"].review
    assert "weak" in matches["h"].review and "S1001" in matches["h"].review
    assert "not in the roster" in matches["z"].review
    assert [s.id for s in missing] == ["S4004"]  # the candidates wait for the TA, not marked missing


def test_two_submissions_of_one_name_are_not_both_given_to_the_student(tmp_path):
    roster = load_roster(write(tmp_path / "r.csv", CANVAS_ROSTER))
    matches, _ = match_roster(roster, [("x", {"id": "Ben Okafor"}), ("y", {"id": "okafor_ben"})])
    assert matches["x"].student is None and "y" in matches["x"].review
    assert matches["y"].student is None and "x" in matches["y"].review


# A class list in characters, as a Chinese school's office exports it (学号, 姓名). The readings are
# Mandarin's, by hand: 李明 li ming, 曾小贤 zeng xiao xian (曾 as a family name; ceng otherwise),
# 欧阳娜娜 ouyang nana (a two-character family name), 吕方 lü fang (lyu, lu or lv in Latin
# letters), 张伟 and 章伟 both zhang wei, 李敏 li min.
CHINESE_ROSTER = "学号,姓名\nS1,李明\nS2,曾小贤\nS3,欧阳娜娜\nS4,吕方\nS5,张伟\nS6,章伟\nS7,李敏\n"


@pytest.mark.parametrize(("submitted", "student"), [
    ("li_ming", "S1"), ("LiMing", "S1"), ("ming_li", "S1"), ("Li Ming", "S1"), ("LI MING", "S1"),
    ("li_min", "S7"),  # one letter from li ming, and still 9 points clear of it
    ("zeng_xiaoxian", "S2"), ("Xiaoxian Zeng", "S2"),
    ("ouyang_nana", "S3"), ("Nana Ouyang", "S3"),
    ("lyu_fang", "S4"), ("Lu Fang", "S4"), ("lvfang", "S4"),
])
def test_a_name_in_pinyin_finds_the_student_in_characters(tmp_path, submitted, student):
    roster = load_roster(write(tmp_path / "class.csv", CHINESE_ROSTER, "gbk"))
    matches, _ = match_roster(roster, [(submitted, {"id": submitted})])
    assert (matches[submitted].student.id, matches[submitted].how) == (student, "pinyin")


def test_a_name_in_characters_finds_the_student_in_pinyin(tmp_path):
    roster = load_roster(write(tmp_path / "r.csv", "Student,ID,SIS User ID\n\"Li, Ming\",11,S11\n"
                                                  "\"Ouyang, Nana\",12,S12\n\"Hart, Amelia\",13,S13\n"))
    matches, missing = match_roster(roster, [("李明", {"id": "李明"}), ("欧阳娜娜_HW2", {"id": "欧阳娜娜_HW2"})])
    assert {key: (m.student.id, m.how) for key, m in matches.items()} == {"李明": ("S11", "pinyin"),
                                                                           "欧阳娜娜_HW2": ("S12", "pinyin")}
    assert [s.id for s in missing] == ["S13"]


def test_two_students_of_one_pinyin_go_to_review_and_characters_tell_them_apart(tmp_path):
    roster = load_roster(write(tmp_path / "class.csv", CHINESE_ROSTER))
    matches, missing = match_roster(roster, [("zhang_wei", {"id": "zhang_wei"}), ("章伟", {"id": "章伟"})])
    assert matches["zhang_wei"].student is None
    assert "in pinyin" in matches["zhang_wei"].review
    assert "S5" in matches["zhang_wei"].review and "S6" in matches["zhang_wei"].review
    # characters are compared as characters: 章伟 is S6, never its namesake in pinyin
    assert (matches["章伟"].student.id, matches["章伟"].how) == ("S6", "name")
    assert [s.id for s in missing] == ["S1", "S2", "S3", "S4", "S7"]  # S5 waits for the TA


def test_a_folder_named_in_pinyin_is_graded_under_the_roster_s_id(tmp_path):
    from grader.batch import grade_folder

    folder = tmp_path / "class"
    folder.mkdir()
    write(folder / "Li_Ming.md", KEY)
    write(folder / "zhangwei.md", KEY)
    roster = write(tmp_path / "class.csv", CHINESE_ROSTER, "gbk")
    result = grade_folder(folder, rubric="alexnet-paper", out=tmp_path / "out", workers=1, roster=str(roster))
    by_name = {r["submission"]: r for r in result.results}
    assert (by_name["Li_Ming"]["student"]["id"], by_name["Li_Ming"]["student"]["name"]) == ("S1", "李明")
    assert by_name["zhangwei"]["student"]["id"] == "zhangwei"  # 张伟 or 章伟: not guessed
    assert [key for key, _ in result.unmatched] == ["zhangwei"]


def test_a_canvas_download_with_its_gradebook_export(tmp_path, capsys):
    from grader.cli import main

    archive = make_zip(tmp_path / "canvas.zip", {
        "hartamelia_1001_5001_hw2.md": "conv1 weights 11\n",
        "hartamelia_1001_5090_hw2-1.md": KEY,  # the resubmission is graded
        "wangwei_2002_5003_answer.md": KEY,
        "wangwei_LATE_3003_5004_answer.txt": KEY,  # the other Wang Wei, late
    })
    roster = write(tmp_path / "roster.csv", CANVAS_ROSTER)  # Ben Okafor handed nothing in
    out = tmp_path / "reports"
    assert main(["grade", str(archive), "--out", str(out), "--workers", "1", "--roster", str(roster)]) == 0
    printed = capsys.readouterr().out
    assert "missing: Okafor, Ben (S4004)" in printed
    results = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "results").glob("*.json")]
    assert sorted(r["student"]["id"] for r in results) == ["S1001", "S2002", "S3003"]  # once each, real ids
    assert all(r["score"] == r["max_score"] for r in results) and not any(r["review"] for r in results)
    canvas = table(out / "gradebook" / "canvas.csv")
    assert canvas[0][5] == "HW2 (55)"  # the export's own column: Canvas matches it by the id in it
    rows = {row[2]: row for row in canvas[2:]}
    assert rows["S3003"][:5] == ["Wang, Wei", "3003", "S3003", "wwang2", "Sec 02"]
    assert rows["S4004"][:3] == ["Okafor, Ben", "4004", "S4004"] and rows["S4004"][5] == ""
    assert canvas[-1][2] == "S4004"  # the missing student's row comes last
    with zipfile.ZipFile(out / "feedback-canvas.zip") as feedback:
        # Canvas' re-upload: name, user id, then an attachment of the student's own (the graded upload)
        assert sorted(feedback.namelist()) == ["hartamelia_1001_5090_feedback.html",
                                               "wangwei_2002_5003_feedback.html", "wangwei_3003_5004_feedback.html"]
        assert b"<html" in feedback.read("wangwei_3003_5004_feedback.html").lower()
    assert not (out / "feedback-moodle.zip").exists()


def test_a_moodle_download_with_its_grading_worksheet(tmp_path):
    from grader.cli import main

    archive = make_zip(tmp_path / "moodle.zip", {
        "Amelia Hart_67_assignsubmission_file_/hw2.md": KEY,
        "Wang Wei_68_assignsubmission_file_/hw2.md": KEY,
    })
    roster = write(tmp_path / "worksheet.csv", "Identifier,Full name,Email address,Status,Grade\n"
                                               "Participant 67,Amelia Hart,ah@example.edu,Submitted,\n"
                                               "Participant 68,Wang Wei,ww@example.edu,Submitted,\n"
                                               "Participant 69,Li Hua,lh@example.edu,No submission,\n")
    out = tmp_path / "reports"
    assert main(["grade", str(archive), "--out", str(out), "--workers", "1", "--roster", str(roster)]) == 0
    moodle = {row[0]: row for row in table(out / "gradebook" / "moodle.csv")[1:]}
    assert set(moodle) == {"Participant 67", "Participant 68", "Participant 69"}
    assert moodle["Participant 68"][2] == "ww@example.edu" and moodle["Participant 68"][3] == moodle["Participant 68"][4]
    assert moodle["Participant 69"][3] == "" and moodle["Participant 69"][6] == "No submission was received."
    gradescope = {row[1]: row for row in table(out / "gradebook" / "gradescope.csv")[1:]}
    assert set(gradescope) == {"ah@example.edu", "ww@example.edu", "lh@example.edu"}
    with zipfile.ZipFile(out / "feedback-moodle.zip") as feedback:
        assert sorted(feedback.namelist()) == ["Amelia Hart_67_assignsubmission_file_feedback.html",
                                               "Wang Wei_68_assignsubmission_file_feedback.html"]


def test_a_plain_folder_with_a_plain_roster_sends_the_ambiguous_pair_to_review(tmp_path):
    from grader.batch import grade_folder

    folder = tmp_path / "class"
    folder.mkdir()
    write(folder / "Amelia Hart.md", KEY)
    write(folder / "Wang Wei.md", KEY)  # two Wang Weis in the roster: whose?
    write(folder / "wangwei_S3.md", KEY)  # one of them settled by the id in the name
    roster = write(tmp_path / "class.csv", "name,id,email\nAmelia Hart,S1,ah@example.edu\nWang Wei,S2,\n"
                                           "Wang Wei,S3,\nZhou Min,S4,zm@example.edu\n")
    result = grade_folder(folder, rubric="alexnet-paper", out=tmp_path / "out", workers=1, roster=str(roster))
    by_name = {r["submission"]: r for r in result.results}
    assert by_name["Amelia_Hart"]["student"]["id"] == "S1"
    assert by_name["wangwei_S3"]["student"]["id"] == "S3"
    ambiguous = by_name["Wang_Wei"]
    assert ambiguous["student"]["id"] == "Wang Wei"  # not given a roster id
    assert [item for item in ambiguous["review"] if "not matched to the roster" in item["reason"]
            and "S2" in item["reason"]]
    assert [key for key, _ in result.unmatched] == ["Wang_Wei"]
    # S3, matched by id, is still a candidate: S3 may have handed in twice; Wang Wei is never guessed to be S2
    assert "S3" in ambiguous["review"][-1]["reason"]
    assert [student["id"] for student in result.missing] == ["S4"]
    assert any(entry.submission == "Wang_Wei" for entry in result.stats.review)  # in the dashboard's queue


def test_a_bad_roster_stops_grade_before_anything_is_written(tmp_path, capsys):
    from grader.cli import main

    archive = make_zip(tmp_path / "canvas.zip", {"hartamelia_1001_5001_hw2.md": KEY})
    out = tmp_path / "reports"
    assert main(["grade", str(archive), "--out", str(out), "--roster", str(tmp_path / "nowhere.csv")]) == 2
    assert "nowhere.csv: cannot be read" in capsys.readouterr().err
    assert not out.exists()
