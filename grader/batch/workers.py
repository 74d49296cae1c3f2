"""Grading files: one file through the pipeline with the cache (`grade_path`), and many in worker
processes under the time limit, in order, a few ahead (`grade_all`). A bad file, a stuck one or a
grader bug is that file's result; a cache that fails is a warning; neither stops the batch."""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from grader.batch import cache
from grader.core import Grade, GraderError
from grader.readers.limits import Limits


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

    from grader import pipeline

    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":  # what each worker would build on its first files, built once
        pipeline.prepare(rubric)
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


def grade_all(paths: list[Path], rubric, cache_dir: Path | None, workers: int | None, limits: Limits,
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
