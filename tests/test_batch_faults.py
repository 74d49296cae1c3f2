"""Faults of the batch that once gave wrong grades while the run exited 0 (issue 13): a cache keyed
by content alone, a cache that cannot be written, two runs into one folder and a run killed over an
old report; and the environment failures that must end in one `grader: ...` line and exit 2."""
from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from figures import SEED_001_KEY
from test_batch import use_stand_in, write_class
from test_report_fixtures import rubric

from grader.cli import main
from grader.report import cache
from grader.report.batch import grade_folder


@pytest.fixture
def stand_in(monkeypatch):
    return use_stand_in(monkeypatch)


@pytest.fixture
def klass(tmp_path):
    return write_class(tmp_path / "class")


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
