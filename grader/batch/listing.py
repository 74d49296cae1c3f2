"""Finding the submissions in the graded folder: a file or a folder per student, what is skipped and
why, report names (keys) that stay apart, and student ids from the names (`--id-pattern`, for
LMS downloads). The rules are in the layout's docstring (grader/batch/__init__.py)."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from grader.core import GraderError
from grader.readers import link_failure
from grader.report.render import shown_name

DEFAULT_ID_PATTERN = r"(?P<id>.+)"
ID_GROUPS = ("id", "name", "section", "login", "canvas_id", "participant")


@dataclass(frozen=True, slots=True)
class Submission:
    key: str  # unique and safe as a file name: OUT/results/<key>.json
    name: str  # the file or folder as handed in, relative to the graded folder
    files: tuple[Path, ...]
    student: tuple[tuple[str, str], ...]  # (group, value) from --id-pattern
    id_matched: bool = True
    same_id: tuple[str, ...] = ()  # the other submissions whose student id is this one's


def _shared_ids(submissions: list[Submission]) -> list[Submission]:
    """Each submission with the others that have its student id (amy.md and amy.txt, or a Canvas
    resubmission): the gradebooks hold a row for each, and an LMS would take one of them."""
    names: dict[str, list[str]] = {}
    for submission in submissions:
        names.setdefault(dict(submission.student)["id"], []).append(submission.name)
    return [replace(submission, same_id=tuple(n for n in names[dict(submission.student)["id"]] if n != submission.name))
            for submission in submissions]


def inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):  # outside, or a loop of links
        return False
    return True


OUTSIDE = "symbolic link leading out of the graded folder"
HIDDEN = "hidden (the name begins with a dot)"


def _link_problem(path: Path, root: Path) -> str | None:
    """Why a symbolic link is not followed (None when it is not one, or leads to a file inside)."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as err:
        return link_failure(err)
    try:
        target.relative_to(root)
    except ValueError:
        return OUTSIDE
    return "symbolic link to a folder, not followed" if target.is_dir() else None


def _files_under(folder: Path, top: Path, root: Path, skipped: list) -> list[Path]:
    """The files under a student's folder; `top` is the graded folder as given, `root` resolved."""
    files = []

    def unlisted(err: OSError) -> None:
        skipped.append((_relative(Path(err.filename), top), f"cannot be listed ({err.strerror or err})"))

    for current, dirs, names in os.walk(folder, onerror=unlisted):
        current = Path(current)
        for d in sorted(d for d in dirs if d.startswith(".")):
            skipped.append((_relative(current / d, top), HIDDEN))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in list(dirs):
            problem = _link_problem(current / d, root)
            if problem:
                skipped.append((_relative(current / d, top), problem))
                dirs.remove(d)
        for name in sorted(names):
            path = current / name
            if name.startswith("."):
                skipped.append((_relative(path, top), HIDDEN))
                continue
            problem = _link_problem(path, root)
            if problem:
                skipped.append((_relative(path, top), problem))
            elif path.is_file():
                files.append(path)
            else:
                skipped.append((_relative(path, top), "not a regular file"))
    return files


def _relative(path: Path, top: Path) -> str:
    return path.relative_to(top).as_posix() if path.is_relative_to(top) else str(path)


def safe_key(text: str) -> str:
    """A file name for the submission's reports; a long one is cut (with a hash of the whole, so two
    long names stay apart) to leave room for suffixes within the 255 bytes a file name may take."""
    key = re.sub(r"[^\w.\-]+", "_", text).strip("._") or "submission"
    if len(key.encode()) <= 120:
        return key
    cut = key.encode()[:100].decode("utf-8", "ignore")
    return f"{cut}-{hashlib.sha256(text.encode('utf-8', 'surrogateescape')).hexdigest()[:10]}"


def compile_id_pattern(id_pattern: str | None) -> re.Pattern:
    text = id_pattern or DEFAULT_ID_PATTERN
    try:
        pattern = re.compile(text)
    except re.error as err:
        raise GraderError(f"--id-pattern {text!r} is not a valid regular expression: {err}") from None
    if "id" not in pattern.groupindex:
        raise GraderError(f"--id-pattern {text!r} needs a named group for the student id: (?P<id>...)")
    unknown = sorted(set(pattern.groupindex) - set(ID_GROUPS))
    if unknown:
        raise GraderError(f"--id-pattern {text!r}: unknown groups {unknown} (known: {', '.join(ID_GROUPS)})")
    return pattern


def find_submissions(folder: Path, pattern: re.Pattern) -> tuple[list[Submission], list[tuple[str, str]]]:
    root = folder.resolve()
    skipped: list[tuple[str, str]] = []
    found: list[tuple[str, str, tuple[Path, ...]]] = []  # (stem, name, files)
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            skipped.append((entry.name, HIDDEN))
            continue
        problem = _link_problem(entry, root)
        if problem:
            skipped.append((entry.name, problem))
        elif entry.is_dir():
            files = _files_under(entry, folder, root, skipped)
            if files:
                found.append((entry.name, entry.name, tuple(files)))
            else:
                skipped.append((entry.name, "folder without files"))
        elif entry.is_file():
            if re.fullmatch(r"(?i)readme(\.\w+)?", entry.name):
                skipped.append((entry.name, "the graded folder's README, not a submission"))
            else:
                found.append((entry.stem, entry.name, (entry,)))
        else:
            skipped.append((entry.name, "not a regular file"))
    stems = [safe_key(shown_name(stem)) for stem, _, _ in found]
    keys, submissions = set(), []
    for (stem, name, files), key in zip(found, stems, strict=True):
        if stems.count(key) > 1:  # alice.md and alice.txt: keep the extension
            key = safe_key(shown_name(name))
        base, n = key, 2
        while key.casefold() in keys:  # Amy.md and amy.md: apart on a file system that ignores case too
            key, n = f"{base}-{n}", n + 1
        keys.add(key.casefold())
        stem = shown_name(stem)  # a name on several lines is one id; two names not UTF-8 two ids
        match = pattern.search(stem)
        student = {group: value for group, value in (match.groupdict() if match else {}).items() if value}
        student.setdefault("id", stem)
        submissions.append(Submission(key, name, files, tuple(sorted(student.items())), match is not None))
    return sorted(_shared_ids(submissions), key=lambda submission: submission.key), skipped  # the reports' order
