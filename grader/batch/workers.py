"""Grading files: one file through the pipeline with the cache (`grade_path`), and every
submission graded and filed (its result and reports written, grader.batch.submission) in worker
processes under the time limit per file, in order, a few ahead (`grade_all`). A bad file, a stuck
one or a grader bug is that file's result; a cache that fails is a warning; neither stops the
batch. What stops it is a failure to write the reports (a full disk), raised in the batch process."""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from grader.batch import cache
from grader.batch.listing import Submission
from grader.core import Grade, GraderError
from grader.readers.limits import Limits
from grader.report.writer import Filed


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


def _work(connection, filing, cache_dir: Path | None, limits: Limits, batch: int) -> None:
    """A worker process: files each submission it is sent (a Task): grades its files one at a time,
    saying after each that it is done, then writes the submission's result and reports and sends
    back its Filed row, or the error that stopped the writing; every message says why the cache
    failed (None while it works). Until it is sent None or the batch process `batch` is gone (its
    pipe may never close: workers forked later hold its end)."""
    import pickle
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
            task = connection.recv()
        except EOFError:
            return
        if task is None:
            return
        grades = []
        for n, path in enumerate(task.submission.files):
            grades.append(task.known[n] if n in task.known else _grade_safely(path, filing.rubric, store, limits))
            connection.send(("graded", n, store.failure))
        try:
            message = ("filed", filing.file(task.submission, grades))
        except Exception as err:  # noqa: BLE001 - the batch raises it (a full disk: the run stops, exit 2)
            try:
                pickle.dumps(err)
            except Exception:  # noqa: BLE001 - an error that cannot be sent is sent as its text
                err = RuntimeError(f"{type(err).__name__}: {err}")
            message = ("failed", err)
        connection.send((*message, store.failure))


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


@dataclass(frozen=True, slots=True)
class Task:
    """A submission for a worker to file, with the Grades some of its files already have (by their
    place in it): a file that stopped a worker (timed out, or killed it) is not graded again when
    the submission is sent to the next."""
    submission: Submission
    known: dict[int, Grade]


@dataclass(slots=True)
class _Worker:
    process: object  # multiprocessing.Process
    connection: object  # our end of its pipe
    task: Task | None = None  # the submission it is filing
    index: int = 0  # that submission's place in the batch
    file: int = 0  # the place in it of the file it is grading (past the last: writing the reports)
    deadline: float = 0.0

    @classmethod
    def start(cls, context, filing, cache_dir: Path | None, limits: Limits) -> _Worker:
        ours, theirs = context.Pipe()
        process = context.Process(target=_work, args=(theirs, filing, cache_dir, limits, os.getpid()), daemon=True)
        process.start()
        theirs.close()  # the worker's end is the worker's (its death shows on its sentinel)
        return cls(process, ours)

    def send(self, index: int, task: Task, seconds: float) -> None:
        import time

        self.task, self.index, self.file = task, index, 0
        self.connection.send(task)
        self.deadline = time.monotonic() + seconds

    def stop(self) -> None:
        if self.task is None:
            try:
                self.connection.send(None)
            except OSError:  # it is gone already
                pass
            self.process.join(5)
        if self.process.is_alive():  # still grading, or stuck
            self.process.kill()
            self.process.join()
        self.connection.close()

    def messages(self) -> list[tuple]:
        """What it has sent so far: nothing more once it died, perhaps in the middle of sending."""
        received = []
        try:
            while self.connection.poll():
                received.append(self.connection.recv())
        except (EOFError, OSError):
            pass
        return received


SUBMISSIONS_IN_FLIGHT = 4  # per worker: sent ahead of the first one not yet handed on, or filed and waiting


def _file_in_workers(submissions: list[Submission], filing, cache_dir: Path | None, limits: Limits, count: int,
                     done, warn) -> Iterator[Filed]:
    """Each submission's Filed row, in the order of `submissions`, from worker processes that grade,
    save and report them, each file under the time limit: a worker past it is killed (whatever it
    is stuck in) and replaced, as is one that died; the file gets a reason, and its submission is
    sent again with it. At most SUBMISSIONS_IN_FLIGHT * count submissions are filed ahead of the
    next one handed on, so a batch holds a few rows, never all of them."""
    import math
    import multiprocessing
    import time
    from multiprocessing.connection import wait

    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":  # what each worker would build on its first files, built once
        filing.prepare()
    window = SUBMISSIONS_IN_FLIGHT * count
    rows: dict[int, Filed] = {}  # filed, not yet handed on
    again: list[tuple[int, Task]] = []  # to send again, a file of it having stopped a worker
    sent = handed = 0
    workers = [_Worker.start(context, filing, cache_dir, limits) for _ in range(count)]
    try:
        while handed < len(submissions):
            for worker in workers:
                if worker.task is not None:
                    continue
                if again:
                    worker.send(*again.pop(0), limits.max_seconds)
                elif sent < min(len(submissions), handed + window):
                    worker.send(sent, Task(submissions[sent], {}), limits.max_seconds)
                    sent += 1
            if handed in rows:
                yield rows.pop(handed)
                handed += 1
                continue
            busy = [worker for worker in workers if worker.task is not None]
            first = min(w.deadline for w in busy)
            wait([w.connection for w in busy] + [w.process.sentinel for w in busy],
                 None if first == math.inf else max(0.0, first - time.monotonic()))
            for n, worker in enumerate(workers):
                if worker.task is None:
                    continue
                for kind, content, failure in worker.messages():
                    if failure:
                        warn(failure)
                    if kind == "graded":  # the next file has its own time; writing the reports has no limit
                        worker.file = content + 1
                        worker.deadline = (time.monotonic() + limits.max_seconds
                                           if worker.file < len(worker.task.submission.files) else math.inf)
                    elif kind == "failed":
                        raise content
                    else:
                        rows[worker.index], worker.task = content, None
                        done()
                if worker.task is None or (worker.process.is_alive() and time.monotonic() < worker.deadline):
                    continue
                task, files = worker.task, worker.task.submission.files
                if worker.file >= len(files):  # not a student's file: the reports of one could not be written
                    raise GraderError(f"{task.submission.name}: the grader's worker process stopped while writing "
                                      f"its reports (exit code {worker.process.exitcode})")
                path = files[worker.file]
                grade = (_timed_out(path, filing.rubric, limits) if worker.process.is_alive() else
                         _unreadable(path, filing.rubric, f"{path}: the grader's worker process stopped on this "
                                                          f"file (exit code {worker.process.exitcode}: out of "
                                                          "memory, or a crash in a library)"))
                again.append((worker.index, Task(task.submission, {**task.known, worker.file: grade})))
                worker.stop()
                workers[n] = _Worker.start(context, filing, cache_dir, limits)
    finally:
        for worker in workers:
            worker.stop()


def grade_all(submissions: list[Submission], filing, cache_dir: Path | None, workers: int | None, limits: Limits,
              warn) -> Iterator[Filed]:
    """Each submission graded and filed (`filing`: grader.batch.submission.Filing), its Filed row
    given in the order of `submissions` as it comes; `warn` is told why the cache failed, if it
    does."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    # No refresh thread: worker processes are forked from this one, and a fork copies no thread.
    with Progress(console=console, disable=not console.is_terminal, transient=True, auto_refresh=False) as progress:
        task = progress.add_task("grading", total=len(submissions))

        def done() -> None:
            progress.advance(task)
            progress.refresh()

        if workers == 1:
            store = cache.Cache(cache_dir)
            for submission in submissions:
                grades = []
                for path in submission.files:
                    grades.append(_grade_here(path, filing.rubric, store, limits))
                    if store.failure:
                        warn(store.failure)
                done()
                yield filing.file(submission, grades)
            return
        count = min(workers or os.cpu_count() or 1, len(submissions))
        yield from _file_in_workers(submissions, filing, cache_dir, limits, count, done, warn)
