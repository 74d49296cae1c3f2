"""One run at a time in an output folder, and a folder that says when its run did not finish."""
from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.core import GraderError
from grader.report.render import write_atomic
from grader.report.stats import INCOMPLETE

LOCK = ".lock"  # in OUT while a run writes there: its pid and start time


# flock's answers where the file system has no locks (some network file systems)
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL}


@contextmanager
def output_lock(out: Path, warn=None) -> Iterator[None]:
    """One run at a time per output folder: OUT/.lock, locked (flock) while the run lasts and holding
    its pid and start time. A second run is refused with a GraderError naming them. The lock dies with
    its process, so a lock file left by a run that was killed is simply taken over. On a file system
    without locks the run goes on unlocked, and `warn` is told."""
    import fcntl

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
        except OSError as err:
            os.close(fd)
            if err.errno not in _NO_LOCKS:
                raise
            if warn:
                warn(f"{out}: its file system cannot lock {LOCK} ({err.strerror}); two runs into it at once "
                     "would mix their reports")
            try:
                yield
            finally:
                path.unlink(missing_ok=True)
            return
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


@contextmanager
def marked_incomplete(out: Path) -> Iterator[None]:
    """OUT/INCOMPLETE.txt from before the run's first report until its last: removed only when the
    block ends normally, so a run stopped on the way (killed, interrupted, the disk full) leaves it."""
    write_atomic(out / INCOMPLETE, (
        f"A grader run (pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}) is writing these "
        "reports, or was stopped before it finished: results/ and feedback/ may mix its results with an "
        "earlier run's, and the dashboard and gradebooks are not written yet. Run `grader grade` again to "
        "complete them; this file goes when a run finishes.\n"))
    yield
    (out / INCOMPLETE).unlink()
