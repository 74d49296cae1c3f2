"""A whole batch: the submissions found, graded, merged and handed to the report writer, in one
output folder held for the run (the layout and its rules: grader/batch/__init__.py)."""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.batch.cache import sweep_temporaries, usable_cache_dir
from grader.batch.listing import Submission, compile_id_pattern, find_submissions, inside
from grader.batch.lock import marked_incomplete, output_lock
from grader.batch.submission import Filing, names, printable, student_of
from grader.batch.workers import grade_all
from grader.core import GraderError
from grader.readers.limits import Limits
from grader.report.render import shown_name
from grader.report.stats import ClassStats
from grader.report.writer import GRADEBOOKS, REPORT_FOLDERS, ReportWriter

OUT_FOLDERS = (*REPORT_FOLDERS, ".cache")  # in OUT: written, and cleaned of old files


class SavedResults(Sequence):
    """The results a batch saved (OUT/results/<key>.json), in submission order, each read from its
    file when asked for: a batch of any size holds none of them."""

    def __init__(self, folder: Path, keys: tuple[str, ...]) -> None:
        self._folder, self._keys = folder, keys

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return json.loads((self._folder / f"{self._keys[index]}.json").read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class BatchResult:
    out: Path
    results: SavedResults  # the saved results, in submission order
    skipped: tuple[tuple[str, str], ...]  # (path, reason)
    stats: ClassStats
    warnings: tuple[str, ...] = ()  # what went wrong around the grading (the cache), for the TA
    missing: tuple[dict, ...] = ()  # the roster's students with no submission (their gradebook rows say so)
    unmatched: tuple[tuple[str, str], ...] = ()  # (submission, why) not matched to the roster: in review

    def count(self, status: str) -> int:
        return dict(self.stats.statuses).get(status, 0)


def grade_folder(folder, *, rubric, out, workers: int | None = None, id_pattern: str | None = None,
                 limits: Limits | None = None, reports: bool = True, corrections=None, roster=None) -> BatchResult:
    """Grade every submission in `folder` and write the reports into `out` (the layout of
    grader/batch/__init__.py), each file within `limits` (the defaults when None); with
    `reports=False` only the results. `corrections`: a corrections file (grader/corrections.py),
    applied to each submission it names. `roster`: a roster file or a loaded grader.roster.Roster: each submission
    matched to its student, who gets the roster's ids in the gradebooks; its students with no
    submission get a row marked missing."""
    from contextlib import closing

    from grader.rubric import load_rubric

    limits = limits or Limits()
    folder, out = Path(folder), Path(out)
    if isinstance(rubric, str):
        rubric = load_rubric(rubric)
    if not folder.is_dir():
        raise GraderError(f"{folder}: no such folder")
    if inside(out, folder.resolve()):
        raise GraderError(f"{out}: the reports would be written inside the graded folder {folder}; "
                          "choose another --out")
    if any(inside(folder, (out / part).resolve()) for part in OUT_FOLDERS):
        raise GraderError(f"{folder}: the graded folder is where {out} keeps reports, which would be written "
                          "(and old ones removed) inside it; choose another --out")
    if workers is not None and workers < 1:
        raise GraderError(f"--workers must be at least 1, not {workers}")
    pattern = compile_id_pattern(id_pattern)
    try:
        submissions, skipped = find_submissions(folder, pattern)
    except OSError as err:
        raise GraderError(_environment(err)) from None
    if not submissions:
        raise GraderError(f"{folder}: no submissions found")
    from grader.corrections import decisions_for
    from grader.roster import load_roster

    decisions = decisions_for(corrections, out, [submission.key for submission in submissions])
    skipped = tuple(names(skipped))
    warnings: list[str] = []
    roster = load_roster(Path(roster)) if isinstance(roster, (str, Path)) else roster
    matches, missing = _roster_matches(roster, submissions)
    canvas_column = roster.canvas_column(rubric.title or rubric.name) if roster else None
    if roster and roster.assignments and canvas_column is None:
        warnings.append(f"{roster.source}: none of its assignment columns ({', '.join(roster.assignments)}) is named "
                        f"{rubric.title or rubric.name!r}: canvas.csv's column is, and Canvas will make it a new assignment")
    shared = sum(bool(submission.same_id) for submission in submissions)
    if shared:
        warnings.append(f"{shared} submissions share their student id with another (listed for review: "
                        "the gradebooks hold a row for each)")

    cache_failure: list[str] = []

    def cache_failed(reason: str) -> None:  # once: every worker finds the same full disk
        if not cache_failure:
            cache_failure.append(reason)
            warnings.append(f"{shown_name(reason)}: the cache cannot be written; grading goes on without it")

    try:
        with (output_lock(out, warnings.append), marked_incomplete(out),
              ReportWriter(out, rubric, reports=reports, canvas_column=canvas_column) as writer):
            cache_dir = usable_cache_dir(out, limits, cache_failed)
            filing = Filing(folder, out, rubric, reports, decisions, matches)
            try:
                with closing(grade_all(submissions, filing, cache_dir, workers, limits, cache_failed)) as filed:
                    for row in filed:
                        writer.add(row)
            except BaseException:  # the workers are stopped: what one left mid-write in the cache goes
                sweep_temporaries(cache_dir)
                raise
            for student in missing:
                writer.add_missing(student)
            stats = writer.finish(skipped)
    except OSError as err:  # a full disk, a read-only or missing folder: the environment, not a file
        raise GraderError(_environment(err)) from None
    return BatchResult(out=out, results=SavedResults(out / "results", tuple(s.key for s in submissions)),
                       skipped=skipped, stats=stats, warnings=tuple(warnings), missing=missing,
                       unmatched=tuple((key, match.review) for key, match in sorted(matches.items()) if match.review))


def _roster_matches(roster, submissions: list[Submission]) -> tuple[dict, tuple[dict, ...]]:
    """Each submission's RosterMatch (by key), and the missing students' gradebook fields; nothing
    without a roster."""
    if roster is None:
        return {}, ()
    from grader.roster import match_roster

    matches, missing = match_roster(roster, [(submission.key, dict(submission.student)) for submission in submissions])
    return matches, tuple(roster.fields(student) for student in missing)


def saved_students(folder, *, id_pattern: str | None = None, roster=None) -> dict[str, dict]:
    """Each submission's `student` as a run of grade_folder with these `id_pattern` and `roster`
    saves it, by key, found without grading anything: so the review desk can tell whether it
    re-scores a batch the way it was graded."""
    from grader.roster import load_roster

    submissions, _ = find_submissions(Path(folder), compile_id_pattern(id_pattern))
    roster = load_roster(Path(roster)) if isinstance(roster, (str, Path)) else roster
    matches, _ = _roster_matches(roster, submissions)
    return {submission.key: printable(names(student_of(submission, matches.get(submission.key))))
            for submission in submissions}


def _environment(err: OSError) -> str:
    """`<path>: <reason>`, on one line, for a failure of the disk or the folders around the run."""
    where = err.filename if err.filename is not None else "?"
    return shown_name(f"{os.fsdecode(where)}: {err.strerror or err}")


def run_grade(folder, *, rubric, out, workers, id_pattern, limits: str | None = None, reports: bool = True,
              corrections: str | None = None, roster=None) -> BatchResult:
    from rich.markup import escape

    from grader.report.console import console as terminal_console

    result = grade_folder(folder, rubric=rubric, out=out, workers=workers, id_pattern=id_pattern,
                          limits=Limits.parse(limits) if limits else None, reports=reports, corrections=corrections,
                          roster=roster)
    console = terminal_console()  # piped, whole lines: an error is never split mid-message
    for warning in result.warnings:
        print(f"grader: warning: {warning}", file=sys.stderr)
    counts = ", ".join(f"{result.count(status)} {status}" for status in ("graded", "empty", "unreadable")
                       if result.count(status))
    console.print(f"{len(result.results)} submissions: {counts}")
    for entry in result.stats.review:
        if entry.reason == "unreadable":
            console.print(f"  unreadable: {escape(entry.submission)}: {escape(entry.text)}")
    for path, reason in result.skipped:
        console.print(f"  skipped: {escape(path)}: {escape(reason)}")
    for key, reason in result.unmatched:
        console.print(f"  not matched to the roster: {escape(key)}: {escape(reason)}")
    for student in result.missing:
        console.print(f"  missing: {escape(student['name'])} ({escape(student['id'])}): no submission")
    if not reports:
        console.print(f"results: {escape(str(result.out / 'results'))}/ (no feedback, dashboard or gradebooks)")
        return result
    console.print(f"dashboard: {escape(str(result.out / 'index.html'))}")
    console.print(f"gradebooks: {escape(str(result.out / 'gradebook'))}/ ({', '.join(GRADEBOOKS)})")
    return result
