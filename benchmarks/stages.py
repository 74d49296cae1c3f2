"""Where the time of `grader grade` goes: CPU seconds per stage and per format, in one fresh process.

    python benchmarks/stages.py FOLDER   # prints JSON

Each file of FOLDER goes through the stages as the batch runs them, without the cache: read
(grader.readers), extract, compare and score, and the reports of one submission (the JSON result,
both feedback pages, its rows of answers.xlsx). CPU time (time.process_time) is measured, not the
wall clock, so other work on the machine matters less. The first file of the run also pays what is
built once per process (vocabularies, the comparison index, templates): `warm_up` is its cost beyond
the median of its format (a lower bound: later files build some of it too); `imports` is the cost of
importing the stage packages.
"""
from __future__ import annotations

import io
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

STAGES = ("read", "extract", "compare_score", "report")


def measure(folder: Path, rubric_name: str = "alexnet-paper") -> dict:
    started = time.process_time()
    from grader import pipeline
    from grader.report.feedback import feedback_pages
    from grader.report.gradebook import AnswersWorkbook
    from grader.report.json_result import grade_to_json
    from grader.rubric import load_rubric

    rubric = load_rubric(rubric_name)
    imports = time.process_time() - started
    workbook = AnswersWorkbook(io.BytesIO())
    costs: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    first: tuple[str, float] | None = None
    for path in sorted(p for p in Path(folder).iterdir() if p.is_file()):
        fmt = path.suffix.lstrip(".").lower() or "none"
        clock = time.process_time()
        ticks = {}
        document = pipeline.read_document(path)
        ticks["read"] = time.process_time()
        answers = pipeline.extract_answers(document, rubric)
        ticks["extract"] = time.process_time()
        grade = pipeline.grade_answers(answers, document, rubric)
        ticks["compare_score"] = time.process_time()
        result = {**grade_to_json(grade), "submission": path.stem}
        json.dumps(result, ensure_ascii=False, indent=2)
        feedback_pages(result, reveal=rubric.reveal, assignment=rubric.title or rubric.name)
        workbook.add(result)
        ticks["report"] = time.process_time()
        for stage in STAGES:
            costs[fmt][stage].append(ticks[stage] - clock)
            clock = ticks[stage]
        if first is None:
            first = (fmt, ticks["report"] - started - imports)
    workbook.close()
    per_format = {}
    for fmt, stages in sorted(costs.items()):
        per_format[fmt] = {"files": len(stages["read"]),
                           **{stage: statistics.median(stages[stage]) for stage in STAGES}}
        per_format[fmt]["total"] = sum(per_format[fmt][stage] for stage in STAGES)
    files = sum(row["files"] for row in per_format.values())
    overall = {stage: sum(sum(costs[fmt][stage]) for fmt in costs) / files for stage in STAGES}
    warm_up = first[1] - per_format[first[0]]["total"] if first else 0.0
    return {"imports": imports, "warm_up": warm_up, "files": files, "mean_per_file": overall,
            "median_per_format": per_format}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), *sys.argv[2:]), indent=2))
