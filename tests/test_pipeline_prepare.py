"""`pipeline.prepare`, the batch's head start: it grades the rubric's own answer key of each asked
network, which takes the whole pipeline through what its first files would build. A key read back
wrong would build the wrong things (and says the reading of a plain key table broke)."""
import pytest

from grader import pipeline
from grader.core import Verdict
from grader.rubric import load_rubric


@pytest.mark.parametrize("name", ["alexnet-paper", "cnn-params"])
def test_each_asked_networks_key_is_read_back_right(name):
    rubric = load_rubric(name)
    grades = pipeline.prepare(rubric)
    assert sorted(grades) == sorted(asked.network for asked in rubric.asked)
    for asked in rubric.asked:
        judged = [j for j in grades[asked.network].judgements if j.network == asked.network]
        assert {(j.layer, j.quantity) for j in judged if j.asked} == {
            (layer, quantity) for layer in asked.layers for quantity in asked.quantities}
        assert all(j.verdict is Verdict.CORRECT for j in judged)  # the key's other figures too
