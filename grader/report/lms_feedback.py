"""The feedback pages zipped for an LMS to hand back, one zip per LMS, named as each one's bulk upload
reads the names (both match a file to a student by the ids in its name, never by the name itself):

- `OUT/feedback-canvas.zip`, for Canvas' "Re-Upload Submissions" (the assignment page, or the
  gradebook's column menu): each file becomes a submission comment. Canvas splits a file's name at
  `_` and takes the first two all-digit parts as the user id and the id of one of that student's
  submitted attachments, as in its own download (`name_userid_attachmentid_file`); a file without a
  valid pair is ignored. So `hartamelia_1001_5090_feedback.html`: the name squeezed to letters (no
  digits or `_` in it), the Canvas user id, the id of the student's latest graded upload. Only
  students graded from a Canvas download (which gives the attachment ids) are in it.
- `OUT/feedback-moodle.zip`, for Moodle's "Upload multiple feedback files in a zip" (the
  assignment's grading action; feedback type "Feedback files" on): Moodle splits a name at `_`
  into five parts, `Full Name_participantid_assignsubmission_file_<file>`, as in its own download;
  so `Amelia Hart_67_assignsubmission_file_feedback.html` (any `_` in the name made a space).
  Only students whose participant number is known (a Moodle download, or a grading worksheet roster).

Entries carry a fixed date: the same results give the same bytes.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from grader.core import GraderError
from grader.report.render import write_atomic

ZIPS = ("feedback-canvas.zip", "feedback-moodle.zip")


def canvas_name(student: dict, attachment: int) -> str:
    letters = "".join(ch for ch in student.get("name", "") if ch.isalpha()).casefold() or "student"
    return f"{letters}_{student['canvas_id']}_{attachment}_feedback.html"


def moodle_name(student: dict) -> str:
    full = re.sub(r"[_/\\\s]+", " ", student.get("name", "")).strip() or "Participant"
    return f"{full}_{student['participant']}_assignsubmission_file_feedback.html"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            archive.writestr(entry, members[name])
    return buffer.getvalue()


def write_feedback_zips(out: Path, results, attachments: dict[str, int], *, reports: bool = True) -> dict[str, int]:
    """Write the zips of the students each LMS can take (`attachments`: Canvas user id -> the
    attachment id of their graded upload); a zip with no student is not written, and one an
    earlier run left is removed. Returns how many files each zip holds."""
    canvas: dict[str, bytes] = {}
    moodle: dict[str, bytes] = {}
    for result in results if reports else ():
        page = out / "feedback" / f"{result['submission']}.html"
        student = result.get("student") or {}
        if not page.is_file():
            continue
        if student.get("canvas_id") and str(student["canvas_id"]) in attachments:
            canvas[canvas_name(student, attachments[str(student["canvas_id"])])] = page.read_bytes()
        if student.get("participant"):
            moodle[moodle_name(student)] = page.read_bytes()
    written = {}
    for name, members in zip(ZIPS, (canvas, moodle), strict=True):
        try:
            if members:
                write_atomic(out / name, _zip(members))
                written[name] = len(members)
            elif (out / name).is_file():
                (out / name).unlink()
        except OSError as err:
            raise GraderError(f"{out / name}: {err.strerror or err}") from None
    return written
