"""Properties of the number scanner and the evaluator on generated input (issue 6: arbitrary text
never raises anything but the project's own errors; figures compared with Python's own integer
arithmetic, outside the code under test)."""
from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.extract.numbers import LIMITS, ExpressionError, evaluate, parse_number, scan

# pieces of the notation students use, so generated text reaches the scanner's corners
PIECES = [
    *"0123456789", " ", "  ", ",", ".", "'", "_", "{,}", "\\,", "(", ")", "[", "]", "{", "}",
    "*", "/", "+", "-", "^", "**", "=", "~", "≈", "约", "x", "X", "×", "·", "$", "\\", "\t", "\n",
    "|", ":", "e", "E", "K", "M", "G", "B", "k", "million", "万", "亿", "千万", "\\times", "\\cdot",
    "\\frac", "\\over", "\\left(", "\\right)", "\\(", "\\)", "\\*", "\\text{", "\\quad", "（", "）",
    "１", "＊", "−", "conv", "Layer", "Linear-", "10^", "e-", "=>", "→", "—", "–", "参数",
]
notation = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=200), notation)
FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(any_text)
def test_scan_never_raises_and_points_into_the_text(text):
    found = scan(text)
    end = 0
    for written in found:
        assert text[written.start:written.end] == written.text
        assert written.start >= end  # left to right, no overlap
        end = written.end
        assert written.value is None or isinstance(written.value, (int, float))
        assert written.expression is not None or written.stated is not None
        if written.factors is not None:
            assert written.computed == math.prod(written.factors)


@FAST
@given(any_text)
def test_evaluate_raises_only_expression_errors(text):
    try:
        result = evaluate(text)
    except ExpressionError:
        return
    assert isinstance(result, (int, float))


@FAST
@given(any_text)
def test_parse_number_never_raises(text):
    result = parse_number(text)
    assert result is None or isinstance(result, (int, float))


small = st.integers(min_value=0, max_value=10**6)


@settings(max_examples=200, deadline=None)
@given(st.lists(small, min_size=2, max_size=6), st.sampled_from([" x ", "*", " \\times ", "×", "\\*", " · "]))
def test_products(factors, sign):
    text = sign.join(str(f) for f in factors)
    assert evaluate(text) == math.prod(factors)
    written, = scan(text)
    assert (written.computed, written.factors, written.stated) == (math.prod(factors), tuple(factors), None)
    # and with a stated result after "="
    chained, = scan(f"{text} = {math.prod(factors) + 1}")
    assert (chained.computed, chained.stated) == (math.prod(factors), math.prod(factors) + 1)


@settings(max_examples=200, deadline=None)
@given(small, small, small, st.integers(min_value=1, max_value=10**4))
def test_sums_and_quotients_are_exact(a, b, c, d):
    assert evaluate(f"{a} + {b} - {c}") == a + b - c
    exact = Fraction(a + b, d)
    result = evaluate(f"({a}+{b})/{d}")
    assert result == (exact.numerator if exact.denominator == 1 else float(exact))
    assert type(result) is (int if exact.denominator == 1 else float)


SEPARATORS = [",", " ", "{,}", "\\,", "'", "_", "\u202f", "."]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1), st.sampled_from(SEPARATORS))
def test_separators_round_trip(n, separator):
    written_n = f"{n:,}".replace(",", separator)
    for text in (written_n, f"= {written_n} ", f"total: {written_n}."):
        written, = scan(text)
        assert (written.value, written.expression, written.text) == (n, None, written_n)
    assert parse_number(written_n) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**12))
def test_full_width_digits_read_as_ascii(n):
    full_width = str(n).translate({ord("0") + d: 0xFF10 + d for d in range(10)})
    assert parse_number(full_width) == n


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=LIMITS.depth - 1))
def test_nesting_within_the_limit(depth):
    assert evaluate("(" * depth + "7" + ")" * depth) == 7
    assert evaluate("-(" * depth + "7" + ")" * depth) == (-1) ** depth * 7
