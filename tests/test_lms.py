"""LMS downloads: Canvas' and Moodle's file names, several files and resubmissions of one student,
GBK names repaired, and the zip guards. The downloads are built here from made-up students."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from grader.core import UnreadableError
from grader.lms import group_submissions, list_folder, unpack_download
from grader.readers import Limits, read

SUBMISSIONS = Path(__file__).resolve().parents[1] / "submissions"
TABLE = "| Layer | Weights |\n|---|---|\n| conv1 | 34,848 |\n| conv2 | 307,200 |\n"


class _GbkName(zipfile.ZipInfo):
    """A member named in GBK without the UTF-8 flag, as Chinese Windows zip tools write them."""

    __slots__ = ("raw",)

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own name
        return self.raw, self.flag_bits & ~0x800


def make_zip(path: Path, members: dict[str, str], gbk: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
        for name in gbk:
            info = _GbkName(name)
            info.raw = name.encode("gbk")
            archive.writestr(info, TABLE)
    return path


def by_key(submissions):
    return {submission.key: submission for submission in submissions}


def test_a_canvas_download(tmp_path):
    archive = make_zip(tmp_path / "submissions.zip", {
        "wangwei_1001_5001_hw2.md": "first try\n" + TABLE,
        "wangwei_1001_5090_hw2-1.md": TABLE,  # resubmitted: supersedes the first
        "wangwei_1001_5002_notes.txt": "conv1 34,848",
        "wangwei_2002_5003_hw2.md": TABLE,  # another Wang Wei
        "lihua_LATE_3003_5004_answer.pdf": "not really a pdf",
    })
    found = by_key(group_submissions(unpack_download(archive, tmp_path / "out", Limits())))
    assert set(found) == {"canvas:1001", "canvas:2002", "canvas:3003"}
    first = found["canvas:1001"]
    assert (first.student, first.user_id, first.late) == ("wangwei", "1001", False)
    assert [f.name for f in first.files] == ["wangwei_1001_5002_notes.txt", "wangwei_1001_5090_hw2-1.md"]
    assert [f.name for f in first.superseded] == ["wangwei_1001_5001_hw2.md"]
    assert found["canvas:2002"].student == "wangwei"
    late = found["canvas:3003"]
    assert late.late and late.files[0].file == "answer.pdf"
    assert read(first.files[1].path).blocks  # the copy reads like the original
    assert archive.exists()  # the download is left as it was


def test_a_moodle_download_with_online_text_and_a_gbk_name(tmp_path):
    archive = make_zip(tmp_path / "moodle.zip", {
        "Wang Wei_67_assignsubmission_file_/hw2.md": TABLE,
        "Wang Wei_67_assignsubmission_file_/extra/fc.txt": "fc6 37,748,736",
        "Li Hua_68_assignsubmission_onlinetext_/onlinetext.html": "<p>conv1: 34,848</p>",
        "__MACOSX/._junk": "x",
        "../escape.md": TABLE,
    }, gbk=("张伟_69_assignsubmission_file_/作业二.md",))
    found = by_key(group_submissions(unpack_download(archive, tmp_path / "out", Limits())))
    assert set(found) == {"moodle:67", "moodle:68", "moodle:69"}
    assert [f.file for f in found["moodle:67"].files] == ["extra/fc.txt", "hw2.md"]
    assert found["moodle:68"].files[0].online_text
    chinese = found["moodle:69"]
    assert (chinese.student, chinese.files[0].file) == ("张伟", "作业二.md")
    assert not (tmp_path / "escape.md").exists()


def test_an_unpacked_download_and_a_folder_per_student(tmp_path):
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / "conv.md").write_text(TABLE)
    (tmp_path / "alice" / "fc.md").write_text("fc6 37,748,736")
    (tmp_path / "bob.txt").write_text(TABLE)
    (tmp_path / "zhaoli_4004_6001_hw.md").write_text(TABLE)
    found = by_key(group_submissions(list_folder(tmp_path)))
    assert set(found) == {"alice", "bob", "canvas:4004"}
    assert [f.file for f in found["alice"].files] == ["conv.md", "fc.md"]
    assert found["bob"].lms == "folder"


def test_the_zip_guards(tmp_path):
    archive = make_zip(tmp_path / "big.zip", {f"s{k}_{k}_{k}_a.md": TABLE for k in range(1, 4)})
    with pytest.raises(UnreadableError, match="3 files, over the 2-file limit"):
        unpack_download(archive, tmp_path / "out", Limits(max_zip_members=2))
    with pytest.raises(UnreadableError, match="over the 100 bytes limit"):
        unpack_download(archive, tmp_path / "out", Limits(max_unzipped_bytes=100))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(archive.read_bytes()[:60])
    with pytest.raises(UnreadableError, match="broken.zip: not a valid zip download"):
        unpack_download(broken, tmp_path / "out", Limits())


def test_grading_a_canvas_zip_grades_each_student_once_under_their_ids(tmp_path, capsys):
    import json

    from grader.cli import main

    key = (SUBMISSIONS / "amelia_hart.md").read_text(encoding="utf-8")
    archive = make_zip(tmp_path / "canvas.zip", {
        "hartamelia_1001_5001_hw2.md": "conv1 weights 11\n",
        "hartamelia_1001_5090_hw2-1.md": key,  # the resubmission is graded
        "wangwei_2002_5003_answer.md": key,
        "wangwei_LATE_3003_5004_answer.txt": key,  # another Wang Wei, late
    })
    out = tmp_path / "reports"
    assert main(["grade", str(archive), "--out", str(out), "--workers", "1", "--no-reports"]) == 0
    assert "superseded: hartamelia_1001_5001_hw2.md" in capsys.readouterr().out
    results = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in (out / "results").glob("*.json")}
    assert set(results) == {"hartamelia_1001", "wangwei_2002", "wangwei_3003_LATE"}
    assert all(result["status"] == "graded" and result["score"] == result["max_score"] for result in results.values())
    assert {result["student"]["canvas_id"] for result in results.values()} == {"1001", "2002", "3003"}
    assert main(["grade", str(archive), "--out", str(out), "--workers", "1", "--no-reports"]) == 0  # again: laid out anew
