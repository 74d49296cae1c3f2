"""`grader grade DIR`: every submission in a folder, graded in parallel, and the reports.

The output layout (the one place it is described; OUT is `--out`, `reports/` by default):

    OUT/index.html                   the class dashboard (self-contained: no script, no network)
    OUT/results/<submission>.json    one result per submission: the JSON contract of DESIGN.md
    OUT/feedback/<submission>.html   per-student feedback (and .md), filtered by the reveal policy
    OUT/gradebook/canvas.csv         Canvas's gradebook import (with its Points Possible row)
    OUT/gradebook/gradescope.csv     SID, <Assignment>, <Assignment> - Max Points
    OUT/gradebook/moodle.csv         identifier, grade, feedback
    OUT/gradebook/answers.xlsx       one row per answer (sheet answers), one per submission (scores)
    OUT/corrections.yaml             a TA's decisions (grader/corrections.py), applied on every run;
                                     the grader reads it, never writes it (--corrections FILE: another)
    OUT/.cache/                      what was read and extracted, so a re-run only re-scores
                                     (in .cache/limits-<hash>/ when read under other --limits)
    OUT/.lock                        while a run writes: its pid and start time (one run at a time)
    OUT/INCOMPLETE.txt               while a run writes, and after one that did not finish

A run writes results and feedback as they come, and the gradebooks and then the dashboard at the
end; it marks the folder INCOMPLETE.txt (and removes the earlier run's dashboard and gradebooks)
before its first result, and removes the mark after the dashboard. So a folder with a dashboard and
no mark holds one complete run, and a run killed on the way leaves a folder that says so (`grader
stats` refuses it); running again completes it, from the cache. A second run into a folder that a
run is writing is refused; a failure of the disk or the folders (full, read-only, not a folder)
stops the run with `grader: <path>: <reason>` (exit 2), the folder still marked incomplete. A cache
that cannot be written is only a warning: the run goes on without it.

Submissions: each file directly in DIR is one submission, and each folder in DIR is one
submission made of every file under it (a folder per student). Hidden files and folders (a name
beginning with a dot: `.DS_Store`, `..%2fetc.md`), a README at the top of DIR (it describes the
folder), symbolic links leading out of DIR, to folders, nowhere or round in a loop, and what is not
a regular file (a pipe) are skipped, each listed with its reason on the dashboard and by the
command. Nothing is ever written into DIR (nor is DIR one of OUT's folders). In names, each byte
that is not UTF-8 and each control character is shown as its `\\xNN` escape (so two such names are
two students, and none is a command to the terminal).

Student identifiers come from the submission's name (a file's name without its extension, or a
folder's name) through `--id-pattern`, a regular expression with named groups: `id` (required: the
SIS User ID in Canvas, the SID in Gradescope, the identifier in Moodle), and optionally `name`,
`section`, `login` (Canvas's SIS Login ID) and `canvas_id` (Canvas's own user ID). The default,
`(?P<id>.+)`, takes the whole name as the id. For a Canvas bulk download
(`hartamelia_12345_67890_hw2.md`): `(?P<name>[^_]+)_(?:LATE_)?(?P<canvas_id>\\d+)_(?P<id>\\d+)`.

Every file gets a result: `graded`, `empty` or `unreadable` with the reason. Each is graded within
`Limits` (grader/readers/limits.py; `--limits seconds=120,bytes=50MB` changes some): sizes, lines,
cells, text and numbers are checked as it is read, and the time limit by the batch. Files are graded in
worker processes, and a worker past the time limit is killed and replaced, whatever it was stuck in
(the file: "took over 60 s"); `--workers 1` grades in this process (for profiling and debugging),
where an alarm stops Python code past the limit but not a call stuck in C.

With `--no-reports` only OUT/results/ (and the cache) is written; the feedback pages, dashboard and
gradebooks an earlier run left in OUT are removed, as they would tell of other results.

Submissions are graded in the order of their names in OUT, a few files ahead of the one being
written, and each result is written as it comes; the batch keeps only the class statistics and a
small row per submission, so its memory does not grow with the class. Reports are written
atomically, in sorted orders, without timestamps: the same inputs give the same bytes, whatever
the number of workers.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from grader.core import Grade, GraderError, Judgement, PitfallHit, ReviewItem
from grader.readers import link_failure
from grader.readers.limits import Limits
from grader.report import cache
from grader.report.json_result import grade_to_json
from grader.report.render import shown_name
from grader.report.stats import INCOMPLETE, ClassStats, ClassTally

DEFAULT_ID_PATTERN = r"(?P<id>.+)"
ID_GROUPS = ("id", "name", "section", "login", "canvas_id")
VERDICT_RANK = {"correct": 0, "accepted": 1, "follow-through": 2, "review": 3, "wrong": 4, "missing": 5}


@dataclass(frozen=True, slots=True)
class Submission:
    key: str  # unique and safe as a file name: OUT/results/<key>.json
    name: str  # the file or folder as handed in, relative to the graded folder
    files: tuple[Path, ...]
    student: tuple[tuple[str, str], ...]  # (group, value) from --id-pattern
    id_matched: bool = True


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

    def count(self, status: str) -> int:
        return dict(self.stats.statuses).get(status, 0)


# ---------------------------------------------------------------- finding the submissions


def _inside(path: Path, root: Path) -> bool:
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


def _safe_key(text: str) -> str:
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
    stems = [_safe_key(shown_name(stem)) for stem, _, _ in found]
    keys, submissions = set(), []
    for (stem, name, files), key in zip(found, stems, strict=True):
        if stems.count(key) > 1:  # alice.md and alice.txt: keep the extension
            key = _safe_key(shown_name(name))
        base, n = key, 2
        while key.casefold() in keys:  # Amy.md and amy.md: apart on a file system that ignores case too
            key, n = f"{base}-{n}", n + 1
        keys.add(key.casefold())
        stem = shown_name(stem)  # a name on several lines is one id; two names not UTF-8 two ids
        match = pattern.search(stem)
        student = {group: value for group, value in (match.groupdict() if match else {}).items() if value}
        student.setdefault("id", stem)
        submissions.append(Submission(key, name, files, tuple(sorted(student.items())), match is not None))
    return sorted(submissions, key=lambda submission: submission.key), skipped  # the reports' order


# ---------------------------------------------------------------- grading one file


def grade_path(path: Path, rubric, store: cache.Cache | None = None, limits: Limits | None = None) -> Grade:
    """Read and extract (or take both from the cache), then compare and score one file; never
    raises for a bad file, nor for a cache that fails (`store` turns itself off)."""
    from grader import pipeline

    limits = limits or Limits()
    store = store or cache.Cache(None)
    try:  # a file over the size limit is refused by the reader before it is hashed
        key = cache.source_key(path) if path.stat().st_size <= limits.max_bytes else None
    except OSError as err:
        return _unreadable(path, rubric, f"{path}: cannot be read: {err.strerror or err}")
    if key is None:
        store = cache.Cache(None)
    document = store.document(key, str(path))
    if document is None:
        try:
            document = pipeline.read_document(path, limits=limits)
        except GraderError as err:
            document = str(err)
        store.keep_document(key, str(path), document)
    if isinstance(document, str):
        return _unreadable(path, rubric, document)
    answers = store.answers(key, rubric.quantities)
    if answers is None:
        answers = pipeline.extract_answers(document, rubric)
        store.keep_answers(key, rubric.quantities, answers)
    return pipeline.grade_answers(answers, document, rubric)


def _unreadable(path: Path, rubric, reason: str) -> Grade:
    return Grade(file=str(path), rubric=rubric.name, status="unreadable", score=None,
                 max_score=rubric.max_score, errors=(reason,))


def _grade_safely(path: Path, rubric, store: cache.Cache, limits: Limits) -> Grade:
    """A bug of the grader on one file is that file's error, never the end of the batch."""
    try:
        return grade_path(path, rubric, store, limits)
    except Exception as err:  # noqa: BLE001 - reported in the result and on the dashboard
        return _unreadable(path, rubric, f"{path}: the grader failed on this file "
                                         f"({type(err).__name__}: {err}); please report it")


def _timed_out(path: Path, rubric, limits: Limits) -> Grade:
    return _unreadable(path, rubric, f"{path}: took over {limits.max_seconds:g} s to grade, the time limit "
                                     "per file (--limits seconds=N)")


class _TimeLimit(BaseException):
    """The alarm of `--workers 1`: a BaseException, so no `except Exception` on the way swallows it."""


def _grade_here(path: Path, rubric, store: cache.Cache, limits: Limits) -> Grade:
    """One file in this process, under an alarm: it stops Python code, not a call stuck in C (the
    worker processes of the default mode are killed instead)."""
    import signal
    import threading

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return _grade_safely(path, rubric, store, limits)

    def alarm(signum, frame):
        raise _TimeLimit

    previous = signal.signal(signal.SIGALRM, alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, limits.max_seconds)
        try:
            return _grade_safely(path, rubric, store, limits)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimeLimit:
        return _timed_out(path, rubric, limits)
    finally:
        signal.signal(signal.SIGALRM, previous)


def _work(connection, rubric, cache_dir: Path | None, limits: Limits, batch: int) -> None:
    """A worker process: grades each path it is sent, one at a time, and sends back its Grade and
    why the cache failed (None while it works), until it is sent None or the batch process `batch`
    is gone (its pipe may never close: workers forked later hold its end)."""
    import signal

    store = cache.Cache(cache_dir)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle
    _die_with(batch)
    while True:
        if not connection.poll(1.0):
            if os.getppid() != batch:
                return
            continue
        try:
            path = connection.recv()
        except EOFError:
            return
        if path is None:
            return
        connection.send((_grade_safely(path, rubric, store, limits), store.failure))


def _die_with(batch: int) -> None:
    """On Linux, be killed when the batch process dies however it dies, even while stuck in a file
    (elsewhere a worker notices within a second, once it is not grading)."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != batch:  # it died before the request
        os._exit(1)


@dataclass(slots=True)
class _Worker:
    process: object  # multiprocessing.Process
    connection: object  # our end of its pipe
    path: Path | None = None  # the file it is grading
    index: int = 0  # that file's place in the batch
    deadline: float = 0.0

    @classmethod
    def start(cls, context, rubric, cache_dir: Path | None, limits: Limits) -> _Worker:
        ours, theirs = context.Pipe()
        process = context.Process(target=_work, args=(theirs, rubric, cache_dir, limits, os.getpid()), daemon=True)
        process.start()
        theirs.close()  # the worker's end is the worker's (its death shows on its sentinel)
        return cls(process, ours)

    def stop(self) -> None:
        if self.path is None:
            try:
                self.connection.send(None)
            except OSError:  # it is gone already
                pass
            self.process.join(5)
        if self.process.is_alive():  # still grading, or stuck
            self.process.kill()
            self.process.join()
        self.connection.close()


FILES_IN_FLIGHT = 4  # per worker: files sent ahead of the first one not yet handed on, or graded and waiting


def _grade_in_workers(paths: list[Path], rubric, cache_dir: Path | None, limits: Limits, count: int,
                      done, warn) -> Iterator[Grade]:
    """Each file's Grade, in the order of `paths`, from worker processes under the time limit: a
    worker past it is killed (whatever it is stuck in) and replaced, as is one that died; the file
    gets a reason, the batch goes on. At most FILES_IN_FLIGHT * count files are graded ahead of the
    next one handed on, so a batch holds a few Grades, never all of them."""
    import multiprocessing
    import time
    from multiprocessing.connection import wait

    context = multiprocessing.get_context()
    window = FILES_IN_FLIGHT * count
    graded: dict[int, Grade] = {}  # graded, not yet handed on
    sent = handed = 0
    workers = [_Worker.start(context, rubric, cache_dir, limits) for _ in range(count)]
    try:
        while handed < len(paths):
            for worker in workers:
                if worker.path is None and sent < min(len(paths), handed + window):
                    worker.path, worker.index = paths[sent], sent
                    worker.connection.send(worker.path)
                    worker.deadline = time.monotonic() + limits.max_seconds
                    sent += 1
            if handed in graded:
                yield graded.pop(handed)
                handed += 1
                continue
            busy = [worker for worker in workers if worker.path is not None]
            wait([w.connection for w in busy] + [w.process.sentinel for w in busy],
                 max(0.0, min(w.deadline for w in busy) - time.monotonic()))
            for n, worker in enumerate(workers):
                if worker.path is None:
                    continue
                path, (grade, failure) = worker.path, _result(worker)
                if failure:
                    warn(failure)
                if grade is None and worker.process.is_alive() and time.monotonic() < worker.deadline:
                    continue
                if grade is None:
                    grade = (_timed_out(path, rubric, limits) if worker.process.is_alive() else
                             _unreadable(path, rubric, f"{path}: the grader's worker process stopped on this "
                                                       f"file (exit code {worker.process.exitcode}: out of memory, "
                                                       "or a crash in a library)"))
                    worker.stop()
                    workers[n] = _Worker.start(context, rubric, cache_dir, limits)
                else:
                    worker.path = None
                graded[worker.index] = grade
                done()
    finally:
        for worker in workers:
            worker.stop()


def _result(worker: _Worker) -> tuple[Grade | None, str | None]:
    """The worker's Grade, if it has sent it, and its cache's failure."""
    try:
        return worker.connection.recv() if worker.connection.poll() else (None, None)
    except (EOFError, OSError):  # it died, perhaps in the middle of sending
        return None, None


# ---------------------------------------------------------------- one student's several files


def merge_grades(grades: list[Grade], *, file: str) -> Grade:
    """One submission's Grade from its files' Grades: per slot the best judgement (a student who
    answered the FC layers in a second file gets them); pitfalls kept where a kept judgement shows
    them, or where no judgement of any file carries them (submission-wide findings)."""
    graded = [g for g in grades if g.status == "graded"]
    notes = tuple(ReviewItem(f"{Path(g.file).name} could not be read", "; ".join(g.errors), kind="unreadable")
                  for g in grades if g.status == "unreadable" and len(grades) > 1)
    if not graded:
        first = next((g for g in grades if g.status == "empty"), grades[0])
        return replace(first, file=file, errors=tuple(e for g in grades for e in g.errors),
                       review=_once(r for g in grades for r in g.review) + (notes if first.status == "empty" else ()))
    if len(graded) == 1:
        return replace(graded[0], file=file, review=graded[0].review + notes)
    best: dict[tuple, Judgement] = {}
    for grade in graded:
        for judgement in grade.judgements:
            slot = (judgement.network, judgement.layer, judgement.quantity)
            held = best.get(slot)
            if held is None or (VERDICT_RANK[judgement.verdict], -judgement.points) < (
                    VERDICT_RANK[held.verdict], -held.points):
                best[slot] = judgement
    chosen = tuple(best.values())
    shown: dict[str, list[str]] = {}
    for judgement in chosen:
        for code in judgement.pitfalls:
            layers = shown.setdefault(code, [])
            if judgement.layer not in layers:
                layers.append(judgement.layer)
    on_any_answer = {code for g in graded for j in g.judgements for code in j.pitfalls}
    hits: dict[str, PitfallHit] = {}
    for grade in graded:
        for hit in grade.pitfalls:
            if hit.code in shown:
                kept = replace(hit, layers=tuple(shown[hit.code]))
            elif hit.code not in on_any_answer:
                kept = hit
            else:
                continue
            if hit.code not in hits or kept.deduction > hits[hit.code].deduction:
                hits[hit.code] = kept
    for code, layers in shown.items():
        if code not in hits:
            network = next(j.network for j in chosen if code in j.pitfalls)
            hits[code] = PitfallHit(code, network, tuple(layers))

    # each written question answered by the file that earned the most for it (kept: the score is theirs)
    written: dict = {}
    for grade in graded:
        for answer in grade.free_text:
            if answer.id not in written or answer.points > written[answer.id].points:
                written[answer.id] = answer
    max_score = max(g.max_score for g in graded)
    score = sum(j.points for j in chosen if j.asked) - sum(h.deduction for h in hits.values()) \
        + sum(answer.points for answer in written.values())
    leading = max(graded, key=lambda g: sum(j.verdict in ("correct", "accepted") for j in g.judgements))
    return Grade(file=file, rubric=leading.rubric, status="graded", score=round(min(max_score, max(0.0, score)), 2),
                 max_score=max_score, judgements=chosen, pitfalls=tuple(hits[code] for code in sorted(hits)),
                 conventions=leading.conventions, review=_once(r for g in graded for r in g.review) + notes,
                 free_text=tuple(written.values()))


def _once(items) -> tuple:
    """Each review item once: every file of a submission reports a question it did not answer."""
    return tuple(dict.fromkeys(items))


# ---------------------------------------------------------------- the batch


def _grade_all(paths: list[Path], rubric, cache_dir: Path | None, workers: int | None, limits: Limits,
               warn) -> Iterator[Grade]:
    """Each file's Grade, in the order of `paths`, as it is graded; `warn` is told why the cache
    failed, if it does."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    # No refresh thread: worker processes are forked from this one, and a fork copies no thread.
    with Progress(console=console, disable=not console.is_terminal, transient=True, auto_refresh=False) as progress:
        task = progress.add_task("grading", total=len(paths))

        def done() -> None:
            progress.advance(task)
            progress.refresh()

        if workers == 1:
            store = cache.Cache(cache_dir)
            for path in paths:
                grade = _grade_here(path, rubric, store, limits)
                if store.failure:
                    warn(store.failure)
                done()
                yield grade
            return
        count = min(workers or os.cpu_count() or 1, len(paths))
        yield from _grade_in_workers(paths, rubric, cache_dir, limits, count, done, warn)


def grade_folder(folder, *, rubric, out, workers: int | None = None, id_pattern: str | None = None,
                 limits: Limits | None = None, reports: bool = True, corrections=None) -> BatchResult:
    """Grade every submission in `folder` and write the reports into `out` (layout above), each file
    within `limits` (the defaults when None); with `reports=False` only the results. `corrections`:
    a corrections file (grader/corrections.py), applied to each submission it names."""
    from contextlib import closing

    from grader.rubric import load_rubric

    limits = limits or Limits()
    folder, out = Path(folder), Path(out)
    if isinstance(rubric, str):
        rubric = load_rubric(rubric)
    if not folder.is_dir():
        raise GraderError(f"{folder}: no such folder")
    if _inside(out, folder.resolve()):
        raise GraderError(f"{out}: the reports would be written inside the graded folder {folder}; "
                          "choose another --out")
    if any(_inside(folder, (out / part).resolve()) for part in REPORT_FOLDERS):
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
    from grader.corrections import apply_corrections, decisions_for

    decisions = decisions_for(corrections, out, [submission.key for submission in submissions])
    paths = [path for submission in submissions for path in submission.files]
    skipped = tuple(_names(skipped))
    warnings: list[str] = []

    def cache_failed(reason: str) -> None:  # once: every worker finds the same full disk
        if not warnings:
            warnings.append(f"{shown_name(reason)}: the cache cannot be written; "
                            "grading goes on without it")

    try:
        with output_lock(out), ReportWriter(out, rubric, reports=reports) as writer:
            cache_dir = _usable_cache_dir(out, limits, cache_failed)
            with closing(_grade_all(paths, rubric, cache_dir, workers, limits, cache_failed)) as grades:
                for submission in submissions:
                    grade = merge_grades([next(grades) for _ in submission.files], file=submission.name)
                    grade = apply_corrections(grade, decisions.get(submission.key, ()), rubric)
                    writer.add(_submission_result(submission, grade, folder))
            stats = writer.finish(skipped)
    except OSError as err:  # a full disk, a read-only or missing folder: the environment, not a file
        raise GraderError(_environment(err)) from None
    return BatchResult(out=out, results=SavedResults(out / "results", tuple(s.key for s in submissions)),
                       skipped=skipped, stats=stats, warnings=tuple(warnings))


def _submission_result(submission: Submission, grade: Grade, folder: Path) -> dict:
    """The saved result of one submission: the JSON contract, with who handed it in and its files."""
    if not submission.id_matched:
        grade = replace(grade, review=grade.review + (ReviewItem(
            "the name does not match --id-pattern; its id is the whole name", submission.name),))
    result = grade_to_json(grade)
    result["submission"] = submission.key
    result["student"] = dict(submission.student)
    result["files"] = [path.relative_to(folder).as_posix() for path in submission.files]
    for field in ("file", "files", "student", "errors"):  # names, and messages naming them: one line
        result[field] = _names(result[field])
    return _printable(result)


# Lone surrogates and control characters (which a spreadsheet refuses and a terminal obeys) in what
# a student wrote.
_UNWRITABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _each_string(value, change):
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {_each_string(key, change): _each_string(item, change) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_each_string(item, change) for item in value)
    return value


def _printable(value):
    """`value` with every unwritable character shown as U+FFFD, so every report can be written."""
    return _each_string(value, lambda text: _UNWRITABLE.sub("\ufffd", text))


def _names(value):
    """`value`, names of files, as shown (grader.report.render.shown_name)."""
    return _each_string(value, shown_name)


def _environment(err: OSError) -> str:
    """`<path>: <reason>`, on one line, for a failure of the disk or the folders around the run."""
    where = err.filename if err.filename is not None else "?"
    return shown_name(f"{os.fsdecode(where)}: {err.strerror or err}")


LOCK = ".lock"  # in OUT while a run writes there: its pid and start time


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """One run at a time per output folder: OUT/.lock, locked (flock) while the run lasts and holding
    its pid and start time. A second run is refused with a GraderError naming them. The lock dies with
    its process, so a lock file left by a run that was killed is simply taken over."""
    import fcntl
    import time

    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "a run starting"
            os.close(fd)
            raise GraderError(f"{out}: another grader run is writing its reports there ({holder}); "
                              "wait for it to end, or choose another --out") from None
        try:  # the file we locked is still the lock (a run ending removes it), or we try again
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


REPORT_FOLDERS = ("results", "feedback", "gradebook", ".cache")  # in OUT: written, and cleaned of old reports


def _cache_dir(out: Path, limits: Limits) -> Path:
    """A file is read differently under other limits (one over the default size limit is read under
    a larger one): what was read under them is kept apart."""
    reading = limits.reading()
    if reading == Limits():
        return out / ".cache"
    return out / ".cache" / ("limits-" + hashlib.sha256(repr(reading).encode()).hexdigest()[:12])


def _usable_cache_dir(out: Path, limits: Limits, warn) -> Path | None:
    """The cache folder, made; None (and a warning) when it cannot be: the run goes on without it."""
    folder = _cache_dir(out, limits)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        warn(f"{err.filename or folder}: {err.strerror or err}")
        return None
    return folder


def feedback_link(key: str) -> str:
    return f"feedback/{quote(key)}.html"


GRADEBOOKS = ("canvas.csv", "gradescope.csv", "moodle.csv", "answers.xlsx")


class ReportWriter:
    """The reports of the layout above, written as the results come (in submission order): each
    result and its feedback pages at once, the class statistics counted, the answers workbook
    streamed, one small row per submission kept for the CSV gradebooks; the dashboard and the
    gradebooks at the end. A batch of any size holds no more. Files of an earlier run that this run
    did not produce are removed from results/ and feedback/ so the folder tells one story; with
    `reports=False` only the results are written, and the feedback pages of an earlier run are
    removed with its dashboard and gradebooks (as every run removes those first)."""

    def __init__(self, out: Path, rubric, *, reports: bool = True) -> None:
        self._out, self._rubric, self._reports = out, rubric, reports
        self._assignment = rubric.title or rubric.name
        self._written: dict[str, set[str]] = {"results": set(), "feedback": set()}
        self._tally = ClassTally()
        self._rows: list[dict] = []  # for the CSV gradebooks
        self._workbook = None  # answers.xlsx, begun with the first result

    def __enter__(self) -> ReportWriter:
        """Mark the folder incomplete, and remove the dashboard and gradebooks, which told of an
        earlier run: until `finish`, nothing here looks like a complete report."""
        import time

        from grader.report.render import write_atomic

        write_atomic(self._out / INCOMPLETE, (
            f"A grader run (pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}) is writing these "
            "reports, or was stopped before it finished: results/ and feedback/ may mix its results with an "
            "earlier run's, and the dashboard and gradebooks are not written yet. Run `grader grade` again to "
            "complete them; this file goes when a run finishes.\n"))
        for path in (self._out / "index.html", *(self._out / "gradebook" / name for name in GRADEBOOKS)):
            if path.is_file():
                path.unlink()
        return self

    def __exit__(self, *failure) -> None:
        if self._workbook is not None:
            self._workbook.discard()  # unsaved when the batch stopped early

    def _write(self, folder: str, name: str, data) -> None:
        from grader.report.render import write_atomic

        write_atomic(self._out / folder / name, data)
        self._written[folder].add(name)

    def add(self, result: dict) -> None:
        from grader.report.feedback import feedback_html, feedback_markdown
        from grader.report.gradebook import AnswersWorkbook, gradebook_row

        key, reveal = result["submission"], self._rubric.reveal
        self._write("results", f"{key}.json", json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        self._tally.add(result)
        if not self._reports:
            return
        self._write("feedback", f"{key}.html", feedback_html(result, reveal=reveal, assignment=self._assignment))
        self._write("feedback", f"{key}.md", feedback_markdown(result, reveal=reveal, assignment=self._assignment))
        self._rows.append(gradebook_row(result, reveal=reveal))
        if self._workbook is None:
            self._workbook = AnswersWorkbook()
        self._workbook.add(result)

    def finish(self, skipped: tuple[tuple[str, str], ...] = ()) -> ClassStats:
        from grader.report.dashboard import write_dashboard
        from grader.report.gradebook import AnswersWorkbook, canvas_csv, gradescope_csv, moodle_csv
        from grader.report.render import atomic_output, write_atomic

        for folder, suffixes in (("results", (".json",)), ("feedback", (".html", ".md"))):
            if (self._out / folder).is_dir():
                for path in (self._out / folder).iterdir():
                    if path.suffix in suffixes and path.name not in self._written[folder] and path.is_file():
                        path.unlink()
        stats = self._tally.build()
        if self._reports:
            gradebook, max_score = self._out / "gradebook", self._rubric.max_score
            write_atomic(gradebook / "canvas.csv",
                         canvas_csv(self._rows, assignment=self._assignment, max_score=max_score))
            write_atomic(gradebook / "gradescope.csv",
                         gradescope_csv(self._rows, assignment=self._assignment, max_score=max_score))
            write_atomic(gradebook / "moodle.csv", moodle_csv(self._rows))
            with atomic_output(gradebook / "answers.xlsx") as target:
                (self._workbook or AnswersWorkbook()).save(target)
            links = {row.key: feedback_link(row.key) for row in stats.submissions}
            with atomic_output(self._out / "index.html") as target:  # the dashboard last, then the mark goes
                write_dashboard(target, stats, assignment=self._assignment, links=links, skipped=skipped)
        (self._out / INCOMPLETE).unlink()
        return stats


def run_grade(folder, *, rubric, out, workers, id_pattern, limits: str | None = None, reports: bool = True,
              corrections: str | None = None) -> int:
    from rich.console import Console
    from rich.markup import escape

    result = grade_folder(folder, rubric=rubric, out=out, workers=workers, id_pattern=id_pattern,
                          limits=Limits.parse(limits) if limits else None, reports=reports, corrections=corrections)
    console = Console(highlight=False)
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
    if not reports:
        console.print(f"results: {escape(str(result.out / 'results'))}/ (no feedback, dashboard or gradebooks)")
        return 0
    console.print(f"dashboard: {escape(str(result.out / 'index.html'))}")
    console.print(f"gradebooks: {escape(str(result.out / 'gradebook'))}/ ({', '.join(GRADEBOOKS)})")
    return 0
