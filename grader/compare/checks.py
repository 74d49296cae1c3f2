"""Pitfalls read off the student's own work rather than off a perturbed engine: their expression,
their digits, their own per-layer values, what they state in prose."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from grader.core import Answer, Document, Quantity, Table, TextLine
from grader.reference.engine import LayerFigures


@dataclass(frozen=True, slots=True)
class AnswerContext:
    """What a check may look at besides the answer itself."""

    answer: Answer
    quantity: Quantity  # the slot judged (weights, for a params column answering weights)
    expected: object
    explained: bool  # by the expected figure, an accepted convention or a perturbation
    slot_sure: bool = True  # False: the slot is a guess, only the student's own writing can show a slip
    layer_kind: str = ""  # conv, pool, fc; "" for total and input
    trainable: bool = False
    figures: LayerFigures | None = None  # the layer as the rubric's conventions compute it
    with_bias: bool = False
    own_values: dict = field(default_factory=dict)  # (layer, quantity) -> the student's value
    summed_layers: tuple[str, ...] = ()  # the layers a total sums
    other_figures: dict = field(default_factory=dict)  # value key -> the slots ("network.layer.quantity") it fills
    slot: str = ""  # this answer's slot, "network.layer.quantity"
    convention_figures: tuple = ()  # what the student's diagnosed conventions give for this slot


@dataclass(frozen=True, slots=True)
class Check:
    """A detection that reads the student's own work: `test` says whether it shows, given an
    AnswerContext (reads "answer") or the Document and the network's input size (reads "document")."""

    test: Callable[..., bool]
    description: str
    reads: str = "answer"


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


# ---------------------------------------------------------------- arithmetic-slip


def arithmetic_slip(ctx: AnswerContext) -> bool:
    """The expression they wrote does not evaluate to the result they wrote. Where the text is known,
    it must say so: "<expression> = <result>" at its last '=' ("Kernel size = 5x5" after "channels = 1"
    claims nothing about 5x5)."""
    value, computed = _number(ctx.answer.value), _number(ctx.answer.computed)
    if value is None or computed is None or ctx.answer.approximate:
        return False
    if ctx.answer.text and not claims_result(ctx.answer.text, ctx.answer.expression or "", value):
        return False
    return abs(value - computed) >= 0.5


# A thousands separator between digits: "307,200", "307 200", LaTeX "307{,}200" and "307\\,200".
_GROUPING = re.compile(r"(?<=\d)(?:\{[,.]\}|\\[,;: ]|[,，'’.\u2009\u202f\u00a0 ])(?=\d{3}(?!\d))")


def claims_result(text: str, expression: str, value: float) -> bool:
    """The text ends with '<expression> = <value>' (digits grouped any way)."""
    if "=" not in text:
        return False
    before, after = text.rsplit("=", 1)
    digits = re.match(r"\d+", re.sub(r"[\s,，'.]", "", _GROUPING.sub("", after)))
    if digits is None or not float(value).is_integer() or int(digits.group()) != int(value):
        return False
    written = re.findall(r"\d+", expression)
    # "4.096 x 4096" may be a decimal: the digits as written count as well as the ungrouped ones
    return bool(written) and any(re.findall(r"\d+", form)[-len(written):] == written
                                 for form in (before, _GROUPING.sub("", before)))


# ---------------------------------------------------------------- transcription-slip

_GROUPED = re.compile(r"\d+(?:[,，']\d+)+")


def odd_grouping(text: str) -> bool:
    """Digits grouped by commas in a way no convention groups them: '61,4656'. Only the stated
    result (after the last '=') is looked at, so '1, 96, 11' lists in a row are left alone; a
    space between digits may as well separate two numbers, so only commas count."""
    result = text.rsplit("=", 1)[-1] if "=" in text else text
    for match in _GROUPED.finditer(result.strip()):
        groups = re.split(r"[,，']", match.group())
        if any(not g for g in groups):
            continue
        if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
            continue
        if all(len(g) <= 2 for g in groups):  # a list of small numbers
            continue
        return True
    return False


def digit_distance(a, b) -> int | None:
    """Edit distance between the digit strings of two counts (a swap of neighbours counts one)."""
    from rapidfuzz.distance import OSA

    if _number(a) is None or _number(b) is None or float(a) != int(a) or float(b) != int(b):
        return None
    return OSA.distance(str(int(a)), str(int(b)))


def near_by_digits(value, figure) -> bool:
    """One or two digits swapped, dropped or doubled: at most one digit more or fewer."""
    distance = digit_distance(value, figure)
    if distance is None or distance == 0:
        return False
    digits = len(str(int(figure)))
    if abs(len(str(int(value))) - digits) > 1:
        return False
    return digits >= 3 and distance <= (2 if digits >= 5 else 1)


def transcription_slip(ctx: AnswerContext) -> bool:
    """The right working, a number copied wrong: a few digits off the expected figure (or off the
    figure the student's own conventions give) and nothing else explains it; or digits grouped oddly."""
    # a comma before a scale word is a decimal one: "223,9 millions", "34,8K"
    if ctx.answer.text and not ctx.answer.approximate and odd_grouping(ctx.answer.text):
        return True
    if ctx.explained or ctx.answer.approximate or not ctx.slot_sure:
        return False
    return any(near_by_digits(ctx.answer.value, figure) for figure in (ctx.expected, *ctx.convention_figures))


# ---------------------------------------------------------------- total-inconsistent


def own_sums(ctx: AnswerContext) -> tuple[int, ...]:
    """The sums of the student's own per-layer values a total may add up: the layers the total
    counts, and every layer they gave a value for (their pools' parameters too, when they gave
    some); none unless they gave every layer the total counts."""
    values = [ctx.own_values.get((layer, ctx.quantity)) for layer in ctx.summed_layers]
    if not values or any(_number(v) is None for v in values):
        return ()
    given = [v for (layer, quantity), v in ctx.own_values.items()
             if quantity is ctx.quantity and layer not in ("input", "total") and _number(v) is not None]
    return tuple(dict.fromkeys((sum(values), sum(given))))


def total_inconsistent(ctx: AnswerContext) -> bool:
    if ctx.answer.layer != "total" or ctx.explained or ctx.answer.approximate or not ctx.slot_sure:
        return False
    sums = own_sums(ctx)
    value = _number(ctx.answer.value)
    return bool(sums) and value is not None and all(abs(value - total) >= 0.5 for total in sums)


# ---------------------------------------------------------------- misplaced-answer


def misplaced_answer(ctx: AnswerContext) -> bool:
    from grader.compare.index import value_key

    if ctx.explained or ctx.answer.approximate or not ctx.slot_sure:
        return False
    key = value_key(ctx.answer.value)
    if key in (0, 1) or isinstance(key, tuple):
        return False
    return any(slot != ctx.slot for slot in ctx.other_figures.get(key, ()))


# ---------------------------------------------------------------- pool-params-counted


def pool_params_counted(ctx: AnswerContext) -> bool:
    """Parameters on a pooling layer that has none (max or average pooling, not LeNet-1998's). A
    value the diagnosis explains is no such mistake: another variant's trainable subsampling."""
    if ctx.layer_kind != "pool" or ctx.trainable or ctx.explained or not ctx.slot_sure or ctx.quantity not in (
            Quantity.WEIGHTS, Quantity.BIASES, Quantity.PARAMS):
        return False
    value = _number(ctx.answer.value)
    return value is not None and value > 0


# ---------------------------------------------------------------- add-with-weights


def add_with_weights(ctx: AnswerContext) -> bool:
    """Weights on a residual sum or a concatenation, which has none: it adds (or stacks) its inputs
    element by element and learns nothing."""
    if ctx.layer_kind not in ("add", "concat") or ctx.explained or not ctx.slot_sure or ctx.quantity not in (
            Quantity.WEIGHTS, Quantity.BIASES, Quantity.PARAMS):
        return False
    value = _number(ctx.answer.value)
    return value is not None and value > 0


# ---------------------------------------------------------------- filters-wrong

_NUMBERS = re.compile(r"\d+")
# the counts a filter count decides; a shape, a bias count or a cost (memory, FLOPs) it does not
_FILTER_FIGURES = (Quantity.UNITS, Quantity.WEIGHTS, Quantity.PARAMS, Quantity.CONNECTIONS)


def filters_wrong(ctx: AnswerContext) -> bool:
    """Another filter count, one the student wrote in their working (the expression), explains the
    value. A bias count is the filter count itself: it cannot tell."""
    f = ctx.figures
    if ctx.explained or not ctx.slot_sure or f is None or f.kind != "conv" or not ctx.answer.expression \
            or ctx.quantity not in _FILTER_FIGURES:
        return False
    written = ctx.answer.expression
    filters = f.shape[2]
    depth_kernel = f.weights // filters  # kh·kw·depth of one filter
    positions = f.shape[0] * f.shape[1]
    value = _number(ctx.answer.value)
    for token in dict.fromkeys(_NUMBERS.findall(written)):
        other = int(token)
        if other in (0, 1, filters) or other > 100_000 or other == ctx.answer.value:
            continue
        weights = depth_kernel * other
        figures = {
            Quantity.UNITS: positions * other,
            Quantity.WEIGHTS: (weights, weights + other),
            Quantity.PARAMS: weights + other,
            Quantity.CONNECTIONS: (weights + (other if ctx.with_bias else 0)) * positions,
        }[ctx.quantity]
        if value in (figures if isinstance(figures, tuple) else (figures,)):
            return True
    return False


# ---------------------------------------------------------------- input-224, as stated

_SIZE = r"(\d{3})\s*(?:[xX×*✕]|\\times|\\\*)\s*(\d{3})"


def stated_input_sizes(document: Document | None) -> set[int]:
    """Square input sizes the document states (224×224, 227 x 227, 224\\*224\\*3)."""
    if document is None:
        return set()
    sizes = set()
    for text in _texts(document):
        for a, b in re.findall(_SIZE, text):
            if a == b:
                sizes.add(int(a))
    return sizes


def stated_input_224(document: Document | None, right: int) -> bool:
    """The document gives the paper's stated input (224 for AlexNet's 227) and never the one the
    arithmetic needs."""
    from grader.compare.perturb import STATED_INPUT

    stated = STATED_INPUT.get(right)
    sizes = stated_input_sizes(document)
    return stated is not None and stated in sizes and right not in sizes


def _texts(document: Document):
    for block in document.blocks:
        if isinstance(block, TextLine):
            yield block.text
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield cell.text


ARITHMETIC_SLIP = Check(arithmetic_slip, "evaluate the student's expression and compare it with their result")
TRANSCRIPTION_SLIP = Check(transcription_slip, "digit edit distance ≤ 2 to the expected figure (or to the figure "
                                               "of their own conventions), nothing else explaining it; or digits "
                                               "grouped oddly")
TOTAL_INCONSISTENT = Check(total_inconsistent, "sum the student's own per-layer values")
MISPLACED_ANSWER = Check(misplaced_answer, "the value is another slot's expected figure")
POOL_PARAMS_COUNTED = Check(pool_params_counted, "a non-zero parameter count on a max-pool layer")
ADD_WITH_WEIGHTS = Check(add_with_weights, "a non-zero parameter count on a residual sum or a concatenation")
INPUT_224_STATED = Check(stated_input_224, "the document states a 224×224 input and never 227×227",
                         reads="document")
FILTERS_WRONG = Check(filters_wrong, "another filter count written in the student's working explains the value")
