"""An LMS download as it comes: who handed in which file, from the names Canvas and Moodle give them.

    staged = stage(Path("submissions.zip"), Path("reports"), Limits())   # what `grader grade` does
    files = unpack_download(Path("submissions.zip"), Path(tmp), limits)   # or list_folder(folder)
    submissions = group_submissions(files)

Canvas ("Download Submissions"): one flat zip, `name[_LATE]_userid_attachmentid_file[-N].ext`
(`wangwei_LATE_12345_678901_hw2-1.pdf`): the name is Canvas' sortable name squeezed to letters, a
resubmitted file of the same name gets `-1`, `-2`. Moodle ("Download all submissions"): a folder
per submission plugin, `Full Name_participantid_assignsubmission_file_/hw2.pdf` (older versions
put the same prefix on flat file names), and `..._assignsubmission_onlinetext_/onlinetext.html` for
text typed into Moodle. Anything else is a folder per student (or one file per student) named as
the student.

Several files of one student make one submission; of files with the same name, the latest
resubmission (the highest `-N`, then the highest attachment id) supersedes the others, which are
kept in the result, not dropped silently. Zip member names written without the UTF-8 flag by
Chinese Windows tools are GBK: they are repaired. The download itself is never changed: its files
are copied out into a folder of the caller's.
"""
from __future__ import annotations

import io
import re
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.core import UnreadableError
from grader.readers.limits import Limits, size_text

_CANVAS = re.compile(r"^(?P<name>[^_/]+?)(?P<late>_LATE)?_(?P<user>\d+)_(?P<attachment>\d+)_(?P<file>.+)$")
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<user>\d+)_assignsubmission_(?P<plugin>file|onlinetext)_(?P<file>.*)$")
_REVISION = re.compile(r"^(?P<base>.+?)-(?P<n>\d{1,3})(?P<ext>\.[^.]+)?$")
_UTF8_FLAG = 0x800


@dataclass(frozen=True, slots=True)
class DownloadFile:
    """One file of the download and what its name says."""

    path: Path  # where it is on disk (copied out of the zip, or in the folder given)
    name: str  # its path inside the download, as the LMS wrote it (repaired where it was GBK)
    student: str  # the student's name as the LMS writes it ("wangwei", "Wang Wei")
    user_id: str | None  # Canvas user id or Moodle participant id; None in a plain folder
    file: str  # the file name the student uploaded ("hw2.pdf")
    lms: str  # "canvas", "moodle" or "folder"
    late: bool = False
    revision: int = 0  # Canvas' -N on a resubmitted file of the same name
    attachment: int = 0  # Canvas' attachment id: later uploads have higher ones
    online_text: bool = False  # Moodle's text typed into the browser (HTML)


@dataclass(frozen=True, slots=True)
class StudentSubmission:
    key: str  # "canvas:12345", "moodle:67", or the folder's name
    student: str
    user_id: str | None
    lms: str
    late: bool
    files: tuple[DownloadFile, ...]  # what is graded
    superseded: tuple[DownloadFile, ...] = ()  # earlier uploads of a file resubmitted


def describe(path: str, disk: Path) -> DownloadFile:
    """What the LMS's name for one file of its download says."""
    parts = PurePosixPath(path).parts
    top, leaf = parts[0], parts[-1]
    moodle = _MOODLE.match(top) if len(parts) > 1 else _MOODLE.match(leaf)
    if moodle:
        uploaded = "/".join(parts[1:]) if len(parts) > 1 else moodle.group("file")
        return DownloadFile(disk, path, moodle.group("name").strip(), moodle.group("user"), uploaded or leaf,
                            "moodle", online_text=moodle.group("plugin") == "onlinetext")
    canvas = _CANVAS.match(leaf) if len(parts) == 1 else None
    if canvas:
        uploaded, revision = canvas.group("file"), 0
        resubmitted = _REVISION.match(uploaded)
        if resubmitted:
            uploaded, revision = resubmitted.group("base") + (resubmitted.group("ext") or ""), int(resubmitted.group("n"))
        return DownloadFile(disk, path, canvas.group("name"), canvas.group("user"), uploaded, "canvas",
                            late=bool(canvas.group("late")), revision=revision,
                            attachment=int(canvas.group("attachment")))
    student = top if len(parts) > 1 else PurePosixPath(leaf).stem
    return DownloadFile(disk, path, student, None, "/".join(parts[1:]) or leaf, "folder")


def group_submissions(files: list[DownloadFile]) -> list[StudentSubmission]:
    """One submission per student (by LMS id where there is one, else by name), in the order of
    their keys; of several uploads of one file name, the latest is graded, the others superseded."""
    by_student: dict[str, list[DownloadFile]] = {}
    for found in files:
        key = f"{found.lms}:{found.user_id}" if found.user_id else found.student
        by_student.setdefault(key, []).append(found)
    submissions = []
    for key in sorted(by_student):
        mine = by_student[key]
        latest: dict[str, DownloadFile] = {}
        for found in sorted(mine, key=lambda f: (f.revision, f.attachment, f.name)):
            latest[found.file.casefold()] = found
        kept = tuple(sorted(latest.values(), key=lambda f: f.name))
        superseded = tuple(sorted((f for f in mine if f not in kept), key=lambda f: f.name))
        first = mine[0]
        submissions.append(StudentSubmission(key, first.student, first.user_id, first.lms,
                                             any(f.late for f in kept), kept, superseded))
    return submissions


def list_folder(folder: Path) -> list[DownloadFile]:
    """The files of an unpacked download (hidden files and links left out)."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or path.is_symlink() or not path.is_file():
            continue
        found.append(describe(relative.as_posix(), path))
    return found


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its writer meant it: without the UTF-8 flag, zipfile decodes it as cp437,
    which turns the GBK names of Chinese Windows tools into mojibake; they are decoded again."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def unpack_download(archive: Path, into: Path, limits: Limits) -> list[DownloadFile]:
    """Copy the files of an LMS zip into `into` (a folder of the caller's), within the limits:
    bounded count and sizes, no paths out of `into`, no links; an encrypted or damaged zip is
    UnreadableError naming it."""
    name = str(archive)
    try:
        with zipfile.ZipFile(archive) as download:
            members = [info for info in download.infolist() if not info.is_dir()]
            if len(members) > limits.max_zip_members:
                raise UnreadableError(f"{name}: {len(members):,} files, over the {limits.max_zip_members:,}-file limit")
            declared = sum(info.file_size for info in members)
            if declared > limits.max_unzipped_bytes:
                raise UnreadableError(f"{name}: unzips to {size_text(declared)}, over the "
                                      f"{size_text(limits.max_unzipped_bytes)} limit (a zip bomb?)")
            found = []
            for n, info in enumerate(members):
                path = _safe_path(member_name(info))
                if path is None or stat.S_ISLNK(info.external_attr >> 16):
                    continue  # a path out of the folder, or a link: never written
                disk = into / f"{n:05d}" / PurePosixPath(path).name  # apart: two names may repair alike
                disk.parent.mkdir(parents=True, exist_ok=True)
                with download.open(info) as source, disk.open("wb") as target:
                    shutil.copyfileobj(io.BufferedReader(source, 1 << 20), target)  # bounded by its declared size
                found.append(describe(path, disk))
    except UnreadableError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError,
            NotImplementedError, zlib.error) as err:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method
        raise UnreadableError(f"{name}: not a valid zip download ({err})") from None
    return found


def _safe_path(name: str) -> str | None:
    """The member's path inside the download, or None for one that climbs out of it, is absolute,
    or is hidden (macOS' __MACOSX/ and ._ files)."""
    parts = [part for part in name.replace("\\", "/").split("/") if part not in ("", ".")]
    if not parts or ".." in parts or re.match(r"^[A-Za-z]:$", parts[0]) or name.startswith(("/", "\\")):
        return None
    if parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts):
        return None
    return "/".join(parts)


STAGED = "lms-download"  # the folder under OUT where a download is laid out, a folder per student
_MARKER = ".grader-staged"
# The LMS's user id (Canvas) or participant number (Moodle) is the only id a download gives: the
# student id too until a roster gives the real one
CANVAS_ID_PATTERN = r"^(?P<name>.+?)_(?P<id>(?P<canvas_id>\d+))(?:_LATE)?$"
MOODLE_ID_PATTERN = r"^(?P<name>.+?)_(?P<id>(?P<participant>\d+))(?:_LATE)?$"


@dataclass(frozen=True, slots=True)
class Staged:
    folder: Path  # what `grader grade` grades: the folder given, or OUT/lms-download
    id_pattern: str | None  # how a student folder's name gives the ids
    submissions: tuple[StudentSubmission, ...] = ()  # empty when the folder was not an LMS download


def stage(source: Path, out: Path, limits: Limits, id_pattern: str | None = None) -> Staged:
    """An LMS zip, or a folder unpacked from one, laid out as a folder per student under
    OUT/lms-download (named `name_userid`, `_LATE` kept), for the batch grader to grade; any other
    folder is graded as it is. Superseded uploads are left out of the layout (they stay in the
    download); `submissions` says which they were."""
    import tempfile

    if source.is_file() and zipfile.is_zipfile(source):
        with tempfile.TemporaryDirectory(prefix="grader-lms-") as unpacked:
            submissions = group_submissions(unpack_download(source, Path(unpacked), limits))
            return _lay_out(submissions, out, id_pattern)
    files = list_folder(source) if source.is_dir() else []
    if not any(found.lms != "folder" for found in files):
        return Staged(source, id_pattern)
    return _lay_out(group_submissions(files), out, id_pattern)


def _lay_out(submissions: list[StudentSubmission], out: Path, id_pattern: str | None) -> Staged:
    target = out / STAGED
    if target.exists():
        if not (target / _MARKER).is_file():
            raise UnreadableError(f"{target}: exists and was not written by the grader; move it or choose another --out")
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / _MARKER).write_text("laid out by grader grade from an LMS download; rewritten at every run\n")
    used: set[str] = set()
    for submission in submissions:
        name = _folder_name(submission, used)
        for found in submission.files:
            copy = target / name / _safe_path(found.file) if _safe_path(found.file) else target / name / found.path.name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found.path, copy)
    if id_pattern is None:
        kinds = {submission.lms for submission in submissions}
        id_pattern = CANVAS_ID_PATTERN if "canvas" in kinds else MOODLE_ID_PATTERN if "moodle" in kinds else None
    return Staged(target, id_pattern, tuple(submissions))


def _folder_name(submission: StudentSubmission, used: set[str]) -> str:
    base = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", submission.student).strip(" .") or "student"
    if submission.user_id:
        base += f"_{submission.user_id}"
    if submission.late:
        base += "_LATE"
    name, n = base, 2
    while name.casefold() in used:  # two folder students of one name after cleaning
        name, n = f"{base}-{n}", n + 1
    used.add(name.casefold())
    return name
