"""The benchmark's per-stage measurement: every file counted once, under its format, in every stage."""
from __future__ import annotations

from benchmarks import stages  # the project root is on pytest's pythonpath (pyproject.toml)
from figures import SEED_001_KEY


def test_every_file_is_measured_in_every_stage(tmp_path):
    rows = "".join(f"| {layer} | {u:,} | {w:,} | {c:,} |\n" for layer, (u, w, c) in SEED_001_KEY.items())
    table = f"| Layer | Units | Weights | Connections |\n|---|---|---|---|\n{rows}"
    for name in ("a.md", "b.md", "c.txt"):
        (tmp_path / name).write_text(table)
    (tmp_path / "d.csv").write_text("Layer,Units\nconv1,290400\n")
    measured = stages.measure(tmp_path)
    assert measured["files"] == 4
    assert {fmt: row["files"] for fmt, row in measured["median_per_format"].items()} == {"md": 2, "txt": 1, "csv": 1}
    for row in measured["median_per_format"].values():
        assert set(row) == {"files", *stages.STAGES, "total"} and all(row[stage] >= 0 for stage in stages.STAGES)
    assert set(measured["mean_per_file"]) == set(stages.STAGES)
