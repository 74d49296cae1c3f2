"""The grader reads the benchmark's synthetic class as its generator wrote it: every value of every
submission, in every format and style the generator cycles through (md tables, tab-separated text,
prose, CSV, XLSX, notebooks, DOCX; plain, grouped, expressions, LaTeX; English and Chinese). The
truth is the generator's, worked out apart from the grader (tests/test_benchmark_synth.py checks it
by hand); a rule that breaks one style of the class fails here, not only in the benchmark."""
from __future__ import annotations

import json

from benchmarks import synth
from grader.pipeline import grade_file
from grader.report.json_result import grade_to_json
from grader.rubric import load_rubric

# enough submissions for every format, style, language and naming the generator cycles through
CLASS_SIZE = 132


def test_every_value_of_the_synthetic_class_is_read(tmp_path):
    synth.generate(tmp_path, CLASS_SIZE, 0)
    rubric = load_rubric("alexnet-paper")
    misread = []
    for line in (tmp_path / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        truth = json.loads(line)
        result = grade_to_json(grade_file(tmp_path / "submissions" / truth["file"], rubric))
        given = {}
        for answer in result["answers"]:
            if answer["network"] == "alexnet":
                given.setdefault((answer["layer"], answer["quantity"]), answer.get("value"))
        for answer in truth["answers"]:
            if given.get((answer["layer"], answer["quantity"])) != answer["value"]:
                misread.append((truth["file"], answer["layer"], answer["quantity"], answer["value"],
                                given.get((answer["layer"], answer["quantity"]))))
    assert misread == []
