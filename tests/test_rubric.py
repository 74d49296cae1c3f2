"""Rubric files: read with libyaml's loader when PyYAML has it, the pure-Python one otherwise; the
same data either way, and an error names the line of the mapping at fault."""
from __future__ import annotations

import pytest
import yaml

from grader.core import GraderError
from grader.reference.spec import SPECS_DIR
from grader.rubric import RUBRICS_DIR, _LineLoader, load_rubric

BAD_PER = """name: bad
networks:
  alexnet:
    layers: [conv1]
    quantities: [units]
deductions:
  input-224: {points: 2, per: week}
"""

BAD_QUANTITY = """name: bad
networks:
  alexnet:
    layers: [conv1]
    quantities: [units, bogus]
"""


@pytest.fixture(params=["libyaml", "pure"])
def loader(request, monkeypatch):
    if request.param == "pure":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    return request.param


@pytest.mark.parametrize("text, message", [
    (BAD_PER, r"bad\.yaml, line 7: deductions\.input-224\.per: must be 'submission' or 'layer'"),
    (BAD_QUANTITY, r"bad\.yaml, line 4: networks\.alexnet\.quantities: 'bogus' is not one of"),
])
def test_an_error_names_the_line(loader, tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(GraderError, match=message):
        load_rubric(str(path))


def test_both_loaders_read_the_same(monkeypatch):
    files = sorted(RUBRICS_DIR.glob("*.yaml")) + sorted(SPECS_DIR.glob("*.yaml"))
    fast = [_LineLoader.load(path.read_text(encoding="utf-8")) for path in files]
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert [_LineLoader.load(path.read_text(encoding="utf-8")) for path in files] == fast


@pytest.mark.parametrize("written, policy", [("none", "none"), ("verdicts", "none"), ("hints", "hints"),
                                              ("working", "working"), ("answers", "answers")])
def test_reveal_policies_and_the_older_name_of_none(tmp_path, written, policy):
    text = (RUBRICS_DIR / "alexnet-paper.yaml").read_text(encoding="utf-8").replace("reveal: hints",
                                                                                 f"reveal: {written}")
    path = tmp_path / f"reveal-{written}.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_rubric(str(path)).reveal == policy


def test_an_unknown_reveal_policy_names_the_choices(tmp_path):
    text = (RUBRICS_DIR / "alexnet-paper.yaml").read_text(encoding="utf-8").replace("reveal: hints", "reveal: all")
    path = tmp_path / "reveal-all.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GraderError, match="reveal: must be one of none, hints, working, answers"):
        load_rubric(str(path))
