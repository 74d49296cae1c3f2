"""Bounded work per file (issue 6): the time limit of `grader grade` (a hung or dying worker costs
its file, never the batch), `--limits`, the number limit, and reading in linear time on files
built to make a reader go back over its lines (measured in Python line events, not seconds)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.core import PROJECT_ROOT, GraderError, Table, TextLine, UnreadableError
from grader.readers import Limits, read
from grader.readers.limits import MB
from grader.readers.tables import MAX_JOINED
from grader.batch import grade_folder

GOOD = ("| Layer | Units | Weights | Connections |\n|---|---|---|---|\n"
        "| conv1 | 290,400 | 34,848 | 105,415,200 |\n| conv2 | 186,624 | 307,200 | 223,948,800 |\n")

# Loaded into every Python process of the run below (the grader and its workers, however they are
# started): files whose first bytes say so hang in C ignoring SIGTERM, spin in Python, or kill the
# process that reads them, as a reader stuck on a hostile file or killed for its memory would.
SITECUSTOMIZE = '''
import os, signal, time
from grader import pipeline

_read_document = pipeline.read_document

def read_document(path, **options):
    with open(path, "rb") as stream:
        head = stream.read(4)
    if head == b"hang":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if os.environ.get("HANGING"):  # a test waits for these: the workers are stuck
            open(os.path.join(os.environ["HANGING"], str(os.getpid())), "w").close()
        time.sleep(3600)
    if head == b"spin":
        while True:
            pass
    if head == b"kill":
        os.kill(os.getpid(), signal.SIGKILL)
    return _read_document(path, **options)

pipeline.read_document = read_document
'''


def hooked_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(hooks), str(PROJECT_ROOT)]), **extra}


def grade_cli(tmp_path: Path, folder: Path, *options: str) -> dict[str, dict]:
    out = tmp_path / f"out{len(list(tmp_path.glob('out*')))}"
    env = hooked_env(tmp_path)
    # the timeout is the test: a batch that waited for a hung worker would never end
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(folder), "--out", str(out), *options],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (out / "results").glob("*.json")}


@pytest.fixture
def class_with_traps(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("amy.md", "bob.md", "cai.md"):
        (folder / name).write_text(GOOD)
    (folder / "hang.md").write_bytes(b"hang" + GOOD.encode())
    (folder / "spin.md").write_bytes(b"spin" + GOOD.encode())
    return folder


def assert_good_graded(results: dict, names=("amy", "bob", "cai")) -> None:
    for name in names:
        assert results[name]["status"] == "graded", results[name]["errors"]
        assert sum(a["verdict"] == "correct" for a in results[name]["answers"]) == 6


def test_a_worker_past_the_time_limit_is_killed_and_the_batch_goes_on(tmp_path, class_with_traps):
    (class_with_traps / "kill.md").write_bytes(b"kill" + GOOD.encode())
    # 4 s: ten times what a good file takes, cold, so a loaded machine does not time it out
    results = grade_cli(tmp_path, class_with_traps, "--limits", "seconds=4", "--workers", "2")
    for name in ("hang", "spin"):
        assert results[name]["status"] == "unreadable"
        assert results[name]["errors"] == [f"{class_with_traps / name}.md: took over 4 s to grade, the time limit "
                                           "per file (--limits seconds=N)"]
    assert results["kill"]["status"] == "unreadable"
    assert "worker process stopped on this file (exit code -9:" in results["kill"]["errors"][0]
    assert_good_graded(results)  # graded by the workers started in place of the killed ones


def test_a_file_that_stops_a_worker_costs_that_file_not_its_students_others(tmp_path, class_with_traps):
    """A folder per student: the submission goes to the next worker with the file that stopped the
    last one marked, and is graded on the files that can be."""
    dee = class_with_traps / "dee"
    dee.mkdir()
    (dee / "a_hang.md").write_bytes(b"hang" + GOOD.encode())
    (dee / "b_good.md").write_text(GOOD)
    (dee / "c_kill.md").write_bytes(b"kill" + GOOD.encode())
    results = grade_cli(tmp_path, class_with_traps, "--limits", "seconds=4", "--workers", "2")
    assert results["dee"]["status"] == "graded"
    assert sum(a["verdict"] == "correct" for a in results["dee"]["answers"]) == 6
    notes = {item["reason"]: item["text"] for item in results["dee"]["review"] if item["kind"] == "unreadable"}
    assert "took over 4 s to grade" in notes["a_hang.md could not be read"]
    assert "worker process stopped on this file (exit code -9:" in notes["c_kill.md could not be read"]
    assert_good_graded(results)


def test_one_worker_in_this_process_is_stopped_by_an_alarm(tmp_path, class_with_traps):
    results = grade_cli(tmp_path, class_with_traps, "--limits", "seconds=4", "--workers", "1")
    for name in ("hang", "spin"):
        assert results[name]["status"] == "unreadable"
        assert "took over 4 s to grade" in results[name]["errors"][0]
    assert_good_graded(results)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers die with the batch on Linux only")
def test_workers_stuck_in_a_file_die_with_a_killed_batch(tmp_path, class_with_traps):
    (class_with_traps / "spin.md").write_bytes(b"hang")
    hanging = tmp_path / "hanging"
    hanging.mkdir()
    batch = subprocess.Popen([sys.executable, "-m", "grader", "grade", str(class_with_traps), "--out",
                              str(tmp_path / "out"), "--workers", "2"], env=hooked_env(tmp_path, HANGING=str(hanging)),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        stuck = wait_for(lambda: [int(p.name) for p in hanging.iterdir()] if len(os.listdir(hanging)) == 2 else None)
    finally:
        batch.kill()
        batch.wait()
    assert wait_for(lambda: not any(map(alive, stuck))), stuck


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie is dead, waiting for whoever adopted it to reap it


def wait_for(condition, seconds: float = 60):
    """The condition's value once it is true (polling), or None after `seconds`: a bound on a wait
    that normally ends at once, not a measure of speed."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return None


def test_limits_are_configurable_and_read_apart_in_the_cache(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "amy.md").write_text(GOOD)
    (folder / "long.md").write_text(GOOD + "\n" * 2000)
    size = len(GOOD) + 2000
    out = tmp_path / "out"
    strict = grade_folder(folder, rubric="alexnet-paper", out=out, workers=1,
                          limits=Limits.parse("bytes=1KB,lines=100"))
    saved = {r["submission"]: r for r in strict.results}
    assert saved["long"]["errors"] == [f"{folder / 'long.md'}: {size:,} bytes, over the 1 KB limit"]
    assert saved["amy"]["status"] == "graded"
    # the defaults again, into the same folder: what was refused under other limits is read now
    default = {r["submission"]: r for r in grade_folder(folder, rubric="alexnet-paper", out=out, workers=1).results}
    assert default["long"]["status"] == "graded"
    assert default["amy"]["answers"] == saved["amy"]["answers"]


def test_limits_parse():
    limits = Limits.parse("seconds=2.5, bytes=50MB,lines=10 ,unzipped_bytes=1G")
    assert (limits.max_seconds, limits.max_bytes, limits.max_lines, limits.max_unzipped_bytes) == \
        (2.5, 50 * MB, 10, 1024 * MB)
    assert limits.max_cells == Limits().max_cells and Limits.parse("") == Limits()
    assert limits.reading() == Limits(max_bytes=50 * MB, max_lines=10, max_unzipped_bytes=1024 * MB)
    for text, message in (("speed=1", "unknown limit 'speed'"), ("seconds", "needs a value"),
                          ("lines=1.5", "not a whole number"), ("lines=2MB", "not a number"),
                          ("bytes=-1", "not a size"), ("seconds=0", "more than 0")):
        with pytest.raises(GraderError, match=message):
            Limits.parse(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="seconds=bytlinu_kmgKMG0123456789.,- x", max_size=40))
def test_limits_parse_raises_only_its_own_error(text):
    try:
        limits = Limits.parse(text)
    except GraderError as err:
        assert str(err).startswith("--limits: ")
        return
    assert all(value > 0 for value in (limits.max_seconds, limits.max_bytes, limits.max_lines))


def test_the_cli_refuses_bad_limits(tmp_path, capsys):
    from grader.cli import main

    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "amy.md").write_text(GOOD)
    assert main(["grade", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--limits", "speed=9"]) == 2
    assert "unknown limit 'speed'" in capsys.readouterr().err


def test_number_limit(tmp_path):
    path = tmp_path / "numbers.md"
    path.write_text("conv 34,848 3.5 1e3\n" * 25)  # 4 numbers a line: "34,848" and "3.5" count once
    assert len(read(path, limits=Limits(max_numbers=100)).blocks) == 25
    with pytest.raises(UnreadableError, match=r"numbers.md: over the 99-number limit"):
        read(path, limits=Limits(max_numbers=99))


def test_text_limit_holds_for_zipped_documents():
    data = PROJECT_ROOT / "tests" / "data" / "readers"
    for fixture in ("alexnet_cached.xlsx", "alexnet.docx"):
        blocks = read(data / fixture).blocks
        text = sum(len(cell.text) for block in blocks if isinstance(block, Table) for row in block.rows for cell in row)
        text += sum(len(block.text) for block in blocks if isinstance(block, TextLine))
        assert read(data / fixture, limits=Limits(max_text_chars=text)).blocks
        with pytest.raises(UnreadableError, match=f"{text:,} characters of text, over the {text - 1:,}-character"):
            read(data / fixture, limits=Limits(max_text_chars=text - 1))


def test_xml_limit_holds_for_zipped_documents():
    data = PROJECT_ROOT / "tests" / "data" / "readers"
    with pytest.raises(UnreadableError, match=r"alexnet.docx: not a valid docx document: its XML unzips to .* KB, "
                                              r"over the 1 KB limit"):
        read(data / "alexnet.docx", limits=Limits(max_xml_bytes=1024))
    assert read(data / "alexnet.docx", limits=Limits(max_xml_bytes=1024 * 1024)).blocks


def test_a_file_of_exactly_the_line_limit_is_read(tmp_path):
    path = tmp_path / "lines.md"
    path.write_text("conv1 weights\n" * 50)
    assert len(read(path, limits=Limits(max_lines=50)).blocks) == 50
    path.write_text("conv1 weights\n" * 51)
    with pytest.raises(UnreadableError, match="51 lines, over the 50-line limit"):
        read(path, limits=Limits(max_lines=50))


def test_continuation_lines_are_joined_up_to_a_bound(tmp_path):
    path = tmp_path / "equals.md"
    path.write_text("conv1 = 11 * 11 * 3 * 96\n" + "= 34848\n" * 3000)
    lines = read(path).blocks
    assert lines[0].text.startswith("conv1 = 11 * 11 * 3 * 96 = 34848 = 34848")
    assert all(isinstance(line, TextLine) and len(line.text) <= MAX_JOINED + len(" = 34848") for line in lines)
    assert sum(line.text.count("34848") for line in lines) == 3000  # nothing lost


# ---------------------------------------------------------------- linear work on hostile files


def line_events(text: str, tmp_path: Path) -> int:
    """Python lines executed while reading `text` as Markdown: a measure of work that does not
    depend on the machine or its load."""
    path = tmp_path / "hostile.md"
    path.write_text(text)
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        read(path)
    except UnreadableError:
        pass
    finally:
        sys.settrace(None)
    return count


HOSTILE_LINES = {
    "unclosed display math": "\\[\n",
    "unclosed align environments": "\\begin{align}\n",
    "unclosed HTML tables": "<table>\n",
    "unclosed tabulars": "\\begin{tabular}{cc}\n",
    "continuation lines": "= 1\n",
    "operators at line ends": "3 *\n",
    "unclosed fences": "```\n",
    "unclosed comments": "<!--\n",
    "table rows continuing the one above": "|  | = 1 * |\n",
}


@pytest.mark.parametrize("name", HOSTILE_LINES)
def test_reading_a_file_of_one_line_repeated_is_linear(name, tmp_path):
    line = HOSTILE_LINES[name]
    small, large = (line_events(line * n, tmp_path) for n in (800, 1600))
    assert large < 2.5 * small, (small, large)  # quadratic work would give four times as much
