"""The graders behind the page: a few worker processes, each grading one upload at a time in
memory, so that a file that takes too long is stopped whatever it is stuck in (its process is
killed and replaced) and a crash in a library costs one answer, never the server.

`Graders.grade` blocks: the app calls it from a thread, never more at once than there are workers
(its semaphore), so a worker is always free when it is called.
"""
from __future__ import annotations

import multiprocessing
import queue
from dataclasses import dataclass

from grader.core import Grade, GraderError
from grader.readers.limits import Limits


def grade_upload(data: bytes, name: str, rubric, limits: Limits) -> tuple[dict, dict]:
    """One upload through the pipeline, from its bytes: the whole result (the JSON contract, for
    the reveal policy to filter) and the lines of what was read (`view.document_lines`)."""
    from grader import pipeline
    from grader.readers import read_data
    from grader.report.json_result import grade_to_json
    from grader.serve.view import document_lines

    try:
        document = read_data(data, name, limits=limits)
    except GraderError as err:
        return grade_to_json(_unreadable(name, rubric, str(err))), {"by_line": False, "lines": []}
    try:
        grade = pipeline.grade_document(document, rubric)
    except Exception as err:  # noqa: BLE001 - a bug of the grader on one file is that file's answer
        grade = _unreadable(name, rubric, f"{name}: the grader failed on this file ({type(err).__name__}); "
                                          "please tell your course staff")
    return grade_to_json(grade), document_lines(document, data)


def _unreadable(name: str, rubric, reason: str) -> Grade:
    return Grade(file=name, rubric=rubric.name, status="unreadable", score=None, max_score=rubric.max_score,
                 errors=(reason,))


def _work(connection, rubric, limits: Limits) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    while True:
        try:
            upload = connection.recv()
        except EOFError:  # the server is gone
            return
        connection.send(grade_upload(*upload, rubric, limits))


@dataclass(slots=True)
class _Worker:
    process: object  # multiprocessing.Process
    connection: object  # our end of its pipe

    @classmethod
    def start(cls, context, rubric, limits: Limits) -> _Worker:
        ours, theirs = context.Pipe()
        process = context.Process(target=_work, args=(theirs, rubric, limits), daemon=True)
        process.start()
        theirs.close()
        return cls(process, ours)

    def stop(self) -> None:
        self.connection.close()  # an idle worker's recv() ends
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class Graders:
    """`count` worker processes for `rubric`, each upload graded within `limits` (its size and,
    with `limits.max_seconds`, its time)."""

    def __init__(self, rubric, limits: Limits, count: int) -> None:
        # forkserver: the server runs threads, and a fork of a threaded process may hang
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self.rubric, self.limits, self.count = rubric, limits, count
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: list[_Worker] = []

    def start(self) -> None:
        for _ in range(self.count):
            self._add()

    def _add(self) -> None:
        worker = _Worker.start(self._context, self.rubric, self.limits)
        self._all.append(worker)
        self._idle.put(worker)

    def stop(self) -> None:
        for worker in self._all:
            worker.stop()
        self._all.clear()

    def grade(self, data: bytes, name: str) -> tuple[dict, dict]:
        worker = self._idle.get()
        try:
            worker.connection.send((data, name))
            if worker.connection.poll(self.limits.max_seconds):
                outcome = worker.connection.recv()
                self._idle.put(worker)
                return outcome
            reason = (f"{name}: took over {self.limits.max_seconds:g} s to grade, this page's time limit; "
                      "try a smaller file, or a text or table instead of a photo")
        except (EOFError, OSError):
            reason = (f"{name}: the grader stopped on this file (out of memory, or a crash in a library); "
                      "please tell your course staff")
        self._all.remove(worker)
        worker.stop()
        self._add()
        from grader.report.json_result import grade_to_json

        return grade_to_json(_unreadable(name, self.rubric, reason)), {"by_line": False, "lines": []}
