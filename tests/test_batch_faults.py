"""Faults of the batch that once gave wrong grades while the run exited 0 (issue 13): a cache keyed
by content alone, a cache that cannot be written, two runs into one folder and a run killed over an
old report; and the environment failures that must end in one `grader: ...` line and exit 2."""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from figures import SEED_001_KEY
from test_batch import klass, stand_in, tree  # noqa: F401 - the fixtures, shared with test_batch.py
from test_report_fixtures import rubric

from grader import pipeline
from grader.batch import cache, grade_folder, lock
from grader.cli import main
from grader.core import GraderError
from grader.report import render
from grader.report.stats import load_results


def table(layers=SEED_001_KEY) -> str:
    """Our own answer table: the instructor's key for AlexNet, as a Markdown pipe table."""
    rows = "".join(f"| {layer} | {u:,} | {w:,} | {c:,} |\n" for layer, (u, w, c) in layers.items())
    return f"# AlexNet\n\n| Layer | Units | Weights | Connections |\n|---|---|---|---|\n{rows}"


def saved(out: Path) -> dict:
    return {p.stem: json.loads(p.read_text()) for p in (out / "results").glob("*.json")}


def alone(tmp_path: Path, name: str, data: bytes) -> dict:
    folder = tmp_path / f"alone-{name}"
    folder.mkdir()
    (folder / name).write_bytes(data)
    grade_folder(folder, rubric="alexnet-paper", out=tmp_path / f"out-{name}", workers=1, reports=False)
    return saved(tmp_path / f"out-{name}")[Path(name).stem]


def comparable(result: dict) -> dict:
    """A result without where its file was (the folders differ): errors name the file by its path."""
    kept = {key: value for key, value in result.items() if key not in ("file", "files", "submission", "errors")}
    return {**kept, "errors": [error.rsplit("/", 1)[-1] for error in result["errors"]]}


def test_a_grade_does_not_depend_on_another_students_file(tmp_path):
    """The same bytes under another extension are read by another reader: a text handed in as
    .ipynb is not a notebook, and the .txt copy beside it must not inherit that (nor the reverse:
    a .md copied as .csv)."""
    data = table().encode()
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("alice.ipynb", "bob.txt", "carl.csv", "dora.md"):
        (folder / name).write_bytes(data)
    grade_folder(folder, rubric="alexnet-paper", out=tmp_path / "out", workers=1, reports=False)
    batch = saved(tmp_path / "out")
    assert batch["alice"]["status"] == "unreadable"
    assert {a["verdict"] for a in batch["bob"]["answers"] if a["asked"]} == {"correct"}
    for name in ("alice.ipynb", "bob.txt", "carl.csv", "dora.md"):
        assert comparable(batch[Path(name).stem]) == comparable(alone(tmp_path, name, data)), name


# ---------------------------------------------------------------- a cache that cannot be written


@pytest.mark.parametrize("workers", [1, 2])
def test_a_cache_that_cannot_be_made_is_skipped_with_one_warning(stand_in, klass, tmp_path, workers):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cache").write_text("a plain file where the cache folder should be\n")
    result = grade_folder(klass, rubric=rubric(), out=out, workers=workers)
    reference = grade_folder(klass, rubric=rubric(), out=tmp_path / "good", workers=workers)
    assert [r["status"] for r in result.results] == [r["status"] for r in reference.results]
    assert result.count("unreadable") == 1  # fay.xlsx, and only her
    assert len(result.warnings) == 1 and ".cache" in result.warnings[0] and reference.warnings == ()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_cache_that_fills_up_during_the_run_is_not_a_students_error(stand_in, klass, tmp_path, monkeypatch,
                                                                     workers):
    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(cache, "write_atomic", full)  # the workers are forked with it
    result = grade_folder(klass, rubric=rubric(), out=tmp_path / "out", workers=workers, reports=False)
    statuses = {r["submission"]: r["status"] for r in result.results}
    assert [key for key, status in statuses.items() if status != "graded"] == ["fay"]
    assert len(result.warnings) == 1 and "No space left on device" in result.warnings[0]


def test_the_cli_prints_the_cache_warning_on_one_line(stand_in, klass, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cache").write_text("")
    assert main(["grade", str(klass), "--out", str(out), "--workers", "1"]) == 0
    warning = [line for line in capsys.readouterr().err.splitlines() if line.startswith("grader: warning:")]
    assert len(warning) == 1 and "without it" in warning[0]


# ---------------------------------------------------------------- one run per folder; a killed run


def test_a_second_run_into_a_folder_being_written_is_refused(klass, tmp_path):
    """Another process holds the folder: the CLI, in its own process, refuses in one line, exit 2,
    and leaves the folder as it was."""
    out = tmp_path / "out"
    with lock.output_lock(out):
        before = sorted(p.name for p in out.iterdir())
        run = subprocess.run([sys.executable, "-m", "grader", "grade", str(klass), "--out", str(out)],
                             capture_output=True, text=True, timeout=120)
        assert sorted(p.name for p in out.iterdir()) == before
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith(f"grader: {out}: another grader run")
    assert f"pid {os.getpid()}," in run.stderr


def test_a_lock_left_by_a_dead_run_is_taken_over(stand_in, klass, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / lock.LOCK).write_text("pid 999999999, started 2026-01-01 00:00:00\n")  # nobody holds it
    result = grade_folder(klass, rubric=rubric(), out=out, workers=1)
    assert len(result.results) == 8 and not (out / lock.LOCK).exists()


def test_a_run_stopped_midway_leaves_a_folder_that_says_it_is_incomplete(stand_in, klass, tmp_path, monkeypatch):
    out = tmp_path / "out"
    grade_folder(klass, rubric=rubric(), out=out, workers=1)
    complete = tree(out)
    assert not (out / "INCOMPLETE.txt").exists() and "index.html" in complete

    grade_answers = stand_in.grade_answers

    def killed_at_dan(answers, document, rubric):
        if Path(document.path).name == "dan.md":
            raise KeyboardInterrupt  # as a kill: nothing after it runs in the batch
        return grade_answers(answers, document, rubric)

    (klass / "amy.md").write_text("towers, on second thoughts\n")
    monkeypatch.setattr(pipeline, "grade_answers", killed_at_dan)
    with pytest.raises(KeyboardInterrupt):
        grade_folder(klass, rubric=rubric(), out=out, workers=1)
    assert (out / "INCOMPLETE.txt").is_file()
    # no dashboard or gradebook tells of the earlier run beside amy's new result
    assert not (out / "index.html").exists() and not any((out / "gradebook").iterdir())
    assert json.loads((out / "results" / "amy.json").read_text())["score"] == 7
    with pytest.raises(GraderError, match="did not finish"):
        load_results(out)

    monkeypatch.setattr(pipeline, "grade_answers", grade_answers)
    grade_folder(klass, rubric=rubric(), out=out, workers=1)  # the rerun completes it
    assert not (out / "INCOMPLETE.txt").exists() and not (out / lock.LOCK).exists()
    (klass / "amy.md").write_text("all right\n")
    grade_folder(klass, rubric=rubric(), out=out, workers=1)
    assert tree(out) == complete


# ---------------------------------------------------------------- the environment fails


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("grader: ") and "Traceback" not in err, err
    return err


def test_reports_under_a_plain_file_are_one_error_line(stand_in, klass, tmp_path, capsys):
    (tmp_path / "file").write_text("not a folder\n")
    assert main(["grade", str(klass), "--out", str(tmp_path / "file" / "out"), "--workers", "1"]) == 2
    assert one_error_line(capsys).startswith(f"grader: {tmp_path / 'file' / 'out'}: Not a directory")
    assert main(["grade", str(klass), "--out", str(tmp_path / "file"), "--workers", "1"]) == 2
    assert str(tmp_path / "file") in one_error_line(capsys)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_is_one_error_line_and_the_folder_says_incomplete(stand_in, klass, tmp_path, capsys,
                                                                      monkeypatch):
    """Every report written goes to /dev/full, where a write fails as on a full disk (no space left)."""
    out, fdopen = tmp_path / "out", os.fdopen
    opened = []

    def full(fd, mode="r", *args, **kwargs):
        opened.append(fd)
        if mode == "wb" and len(opened) > 1:  # the incomplete mark is written; what follows is not
            os.close(fd)
            return open("/dev/full", mode)
        return fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(render.os, "fdopen", full)
    assert main(["grade", str(klass), "--out", str(out), "--workers", "1"]) == 2
    assert "No space left on device" in one_error_line(capsys)
    monkeypatch.undo()
    assert (out / "INCOMPLETE.txt").is_file() and not (out / lock.LOCK).exists()
    assert not list(out.rglob("*.tmp"))  # no temporary file left behind


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_disk_that_fills_up_while_results_are_written_is_one_error_line(stand_in, klass, tmp_path, capsys,
                                                                        monkeypatch, workers):
    """With workers, a result is written by the worker that graded it: its failure stops the run
    the same way."""
    out, write_atomic = tmp_path / "out", render.write_atomic

    def full(path, data):
        if Path(path).parent.name == "results" and Path(path).stem == "dan":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        write_atomic(path, data)

    monkeypatch.setattr(render, "write_atomic", full)  # the workers are forked with it
    assert main(["grade", str(klass), "--out", str(out), "--workers", workers]) == 2
    assert one_error_line(capsys) == f"grader: {out / 'results' / 'dan.json'}: No space left on device\n"
    assert (out / "INCOMPLETE.txt").is_file() and not (out / lock.LOCK).exists()
    assert not (out / "index.html").exists() and not list(out.rglob("*.tmp"))


# ---------------------------------------------------------------- names


def test_hidden_names_are_listed_as_skipped_with_the_reason(stand_in, klass, tmp_path):
    (klass / "..%2f..%2fetc.md").write_text("all right\n")
    (klass / "ivan" / ".git").mkdir()
    (klass / "ivan" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    result = grade_folder(klass, rubric=rubric(), out=tmp_path / "out", workers=1)
    skipped = dict(result.skipped)
    for name in ("..%2f..%2fetc.md", ".DS_Store", "ivan/.git"):
        assert "hidden" in skipped[name], name
    assert "ivan/.git/HEAD" not in skipped and len(result.results) == 8


def test_names_that_are_not_utf8_or_hold_control_characters_are_distinct_students(stand_in, tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    names = [b"\xff.md", b"\xfe.md", b"a\x01.md", b"a\x02.md", b"b\x1b[31m.md"]
    for name in names:
        (folder / os.fsdecode(name)).write_text("all right\n")
    result = grade_folder(folder, rubric=rubric(), out=tmp_path / "out", workers=1)
    ids = [r["student"]["id"] for r in result.results]
    assert sorted(ids) == sorted(["\\xff", "\\xfe", "a\\x01", "a\\x02", "b\\x1b[31m"])
    canvas = (tmp_path / "out" / "gradebook" / "canvas.csv").read_text()
    assert "\x1b" not in canvas and all(f",{i}," in canvas or f'"{i}"' in canvas for i in ids[:2])


def test_check_shows_a_name_without_its_terminal_escapes(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # the name on one line
    path = tmp_path / "red\x1b[31mname\x1b]0;title\x07.md"
    path.write_text(table())
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "red\\x1b[31mname" in out
    pdf = tmp_path / "bad\x1b[2J.md"
    pdf.write_bytes(b"%PDF-1.7\n")
    assert main(["check", str(pdf)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and out.count("bad\\x1b[2J.md") == 2 and "could not be read" in out


def test_a_loop_of_links_has_its_own_message(stand_in, klass, tmp_path, capsys):
    (klass / "loop.md").symlink_to("loop.md")
    (klass / "gone.md").symlink_to(tmp_path / "deleted.md")
    result = grade_folder(klass, rubric=rubric(), out=tmp_path / "out", workers=1)
    skipped = dict(result.skipped)
    assert skipped["loop.md"] == "a loop of symbolic links"
    assert skipped["gone.md"].startswith("broken symbolic link")
    assert main(["check", str(klass / "loop.md")]) == 2
    assert one_error_line(capsys) == f"grader: {klass / 'loop.md'}: a loop of symbolic links\n"


def test_kill_minus_nine_leaves_an_incomplete_folder_and_the_rerun_completes_it(tmp_path):
    """A real `grader grade` killed (SIGKILL, nothing runs after it) once its first results are
    written, over a complete earlier report: the folder says it is incomplete, holds no dashboard or
    gradebook, and a rerun gives exactly the reports of a run never interrupted."""
    import signal
    import time

    folder = tmp_path / "class"
    folder.mkdir()
    for n in range(150):
        (folder / f"s{n:03d}.md").write_text(table() if n % 3 else table().replace("34,848", "34,944"))
    out, clean = tmp_path / "out", tmp_path / "clean"
    command = [sys.executable, "-m", "grader", "grade", str(folder), "--workers", "2", "--out"]
    subprocess.run([*command, str(clean)], check=True, capture_output=True, timeout=300)
    handed_in = (folder / "s000.md").read_bytes()
    (folder / "s000.md").write_text(table().replace("290,400", "253,440"))  # an earlier, different report
    subprocess.run([*command, str(out)], check=True, capture_output=True, timeout=300)
    (folder / "s000.md").write_bytes(handed_in)
    run = subprocess.Popen([*command, str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (out / "INCOMPLETE.txt").exists() or not any((out / "results").glob("*.json")):
        assert time.monotonic() < deadline and run.poll() is None
        time.sleep(0.005)
    time.sleep(0.1)  # some results of this run written, far from all
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert (out / "INCOMPLETE.txt").is_file()
    assert not (out / "index.html").exists() and not list((out / "gradebook").glob("*.csv"))
    subprocess.run([*command, str(out)], check=True, capture_output=True, timeout=300)
    assert tree(out) == tree(clean)
    assert not list(out.rglob("*.tmp")) and not (out / "INCOMPLETE.txt").exists()


def test_submissions_sharing_a_student_id_go_to_review(stand_in, tmp_path):
    """A resubmission in a Canvas download (the same SIS id twice), or amy.md beside amy.txt: the
    gradebooks hold a row for each, an LMS would keep one of them, so a person must choose."""
    folder = tmp_path / "canvas"
    folder.mkdir()
    (folder / "hartamelia_12345_678_hw2.md").write_text("all right\n")
    (folder / "hartamelia_12345_678_hw2-1.md").write_text("towers\n")
    (folder / "okaforben_23456_789_hw2.md").write_text("all right\n")
    result = grade_folder(folder, rubric=rubric(), out=tmp_path / "out", workers=1,
                          id_pattern=r"(?P<name>[a-z]+)_(?:LATE_)?(?P<canvas_id>\d+)_(?P<id>\d+)")
    flagged = {r["submission"]: [item for item in r["review"] if "also the id" in item["reason"]]
               for r in result.results}
    assert [len(items) for items in flagged.values()] == [1, 1, 0]
    assert flagged["hartamelia_12345_678_hw2"][0]["text"] == "hartamelia_12345_678_hw2-1.md"
    assert any("2 submissions share their student id" in warning for warning in result.warnings)


def test_a_file_system_without_locks_is_graded_with_a_warning(stand_in, klass, tmp_path, monkeypatch):
    import fcntl

    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    result = grade_folder(klass, rubric=rubric(), out=tmp_path / "out", workers=1)
    assert len(result.results) == 8 and any("cannot lock" in warning for warning in result.warnings)
    assert not (tmp_path / "out" / lock.LOCK).exists()
