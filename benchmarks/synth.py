"""Synthetic submissions for the `alexnet-paper` rubric, with their ground truth.

Each submission answers units, weights (no biases) and connections for AlexNet's conv1-5 and
fc6-8, in one of several formats (Markdown pipe table, tab-separated text, labelled prose lines,
CSV, XLSX, Jupyter notebook, DOCX) and styles (plain numbers, thousands separators, worked
expressions, LaTeX; English or Chinese labels), with mistakes from ../shared/PITFALLS.md injected.

The truth is derived, not asserted: a student is modelled as a set of mistakes; the figures they
would write come from the reference engine re-run with their conventions plus the per-layer formula
slips below, and which mistake explains which answer is found by ablation (drop one mistake,
recompute, see which answers change). The test of this module checks the figures by hand.

Deterministic: file i of seed s depends on (s, i) alone.
"""
from __future__ import annotations

import csv
import io
import json
import math
import random
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

LAYERS = ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8")
CONVS = LAYERS[:5]
FCS = LAYERS[5:]
SPLIT = ("conv2", "conv4", "conv5")  # see only their own tower's half of the input channels
QUANTITIES = ("units", "weights", "connections")
CAPTION_UNITS = 253_440  # the AlexNet paper's Figure 2 caption, for conv1

# Formats as shares of a mixed folder: the cycle is walked by submission index.
FORMAT_SHARES = {"md": 3, "txt": 2, "prose": 2, "csv": 1, "xlsx": 1, "ipynb": 1, "docx": 1}
FORMAT_CYCLE = tuple(fmt for fmt, share in FORMAT_SHARES.items() for _ in range(share))
STYLES = ("plain", "thousands", "expression", "latex")

# Pitfalls the generator injects, with the chance a submission has each. Slips are placed on an
# answer no other mistake touches; `missing` leaves answers blank (a verdict, not a pitfall).
CHANCES = {
    "input-224": 0.15,
    "caption-253440": 0.05,
    "bias-counted": 0.15,
    "tower-split-missed": 0.20,
    "tower-over-split": 0.03,
    "tower-half-counted": 0.03,
    "wrong-input-channels": 0.04,
    "connections-as-weights": 0.10,
    "units-as-weights": 0.05,
    "units-after-pool": 0.05,
    "arithmetic-slip": 0.07,
    "transcription-slip": 0.07,
    "total-inconsistent": 0.03,
}
CONNECTIONS_WITH_BIAS_CHANCE = 0.05  # a convention the rubric accepts, not a pitfall
MISSING_CHANCE = 0.10
# Mistakes that write the same answers differently: a student makes at most one of each group.
EXCLUSIVE = (
    {"tower-split-missed", "tower-half-counted", "wrong-input-channels"},
    {"tower-over-split", "wrong-input-channels"},
    {"caption-253440", "units-as-weights", "units-after-pool", "input-224"},
    {"connections-as-weights", "units-as-weights", "bias-counted", "connections_with_bias"},
)
GLOBAL_CODES = ("input-224",)  # judged per submission: every later layer follows from it
# Mistakes in how one layer's counts are read (the comparator's formula flips: one per answer).
FORMULA_CODES = ("caption-253440", "units-as-weights", "units-after-pool", "connections-as-weights",
                 "tower-half-counted", "tower-over-split")


@dataclass(frozen=True, slots=True)
class Mistake:
    code: str
    layers: tuple[str, ...] = ()  # where it was made (empty for input-224)


@dataclass(frozen=True, slots=True)
class Working:
    """A figure as a student works it out: (product of factors + plus) · product of times."""

    factors: tuple[int, ...]
    plus: int = 0
    times: tuple[int, ...] = ()

    @property
    def value(self) -> int:
        return (math.prod(self.factors) + self.plus) * math.prod(self.times)

    @property
    def is_product(self) -> bool:
        return len(self.factors) + len(self.times) > 1 or bool(self.plus)


@dataclass(frozen=True, slots=True)
class Look:
    """How one file is written; fixed per file."""

    fmt: str
    style: str
    language: str  # "en" or "zh"
    layer_names: str  # a scheme of LAYER_NAMES
    quantity_labels: tuple[str, str, str]  # units, weights, connections
    columns: tuple[str, ...]  # the order of QUANTITIES in a table
    op: str  # the multiplication sign of expressions
    grouped_results: bool  # thousands separators in results of expressions
    shape_column: bool
    total_row: bool
    question2: bool
    ext: str
    lines: bool = False  # labelled lines rather than a table (prose; some notebooks and DOCX)
    sections: bool = False  # lines grouped under a heading per layer, rather than "conv1 units: ..."


@dataclass(frozen=True, slots=True)
class Plan:
    """One synthetic student: their mistakes, the slips and blanks, and how they write."""

    index: int
    look: Look
    mistakes: tuple[Mistake, ...] = ()
    connections_with_bias: bool = False
    states_input: int | None = None  # the input size written in the intro, if any
    missing: tuple[tuple[str, str], ...] = ()
    arithmetic_slip: tuple[str, str] | None = None
    transcription_slip: tuple[str, str] | None = None
    slip_seed: int = 0
    total_off: int = 0  # added to the total row's weights (total-inconsistent)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(m.code for m in self.mistakes)

    def layers_of(self, code: str) -> tuple[str, ...]:
        return next((m.layers for m in self.mistakes if m.code == code), ())


@dataclass(frozen=True, slots=True)
class TruthAnswer:
    layer: str
    quantity: str
    value: int | None  # what the student states; None when left blank
    expected: int
    verdicts: tuple[str, ...]  # the verdicts that are right for it
    pitfalls: tuple[str, ...]  # codes that explain it (global ones included)


@dataclass(frozen=True, slots=True)
class Truth:
    file: str
    look: dict
    mistakes: tuple[Mistake, ...]
    connections_with_bias: bool
    answers: tuple[TruthAnswer, ...]
    total_weights: int | None = None  # the total row's weights, when written

    def to_json(self) -> dict:
        return {
            "file": self.file, "look": self.look,
            "mistakes": [{"code": m.code, "layers": list(m.layers)} for m in self.mistakes],
            "connections_with_bias": self.connections_with_bias,
            "answers": [{"layer": a.layer, "quantity": a.quantity, "value": a.value, "expected": a.expected,
                         "verdicts": list(a.verdicts), "pitfalls": list(a.pitfalls)} for a in self.answers],
            "total_weights": self.total_weights,
        }


# ---------------------------------------------------------------- the student's figures


@lru_cache(maxsize=None)
def _figures(input_224: bool, merged: frozenset, depth3: frozenset, connections_with_bias: bool):
    """The engine's figures for a student's conventions and per-layer depth choices."""
    from grader.reference.engine import Conventions, compute
    from grader.reference.spec import load_network

    network = load_network("alexnet")
    for name in merged:
        network = network.with_layer(name, split=False)
    for name in depth3:
        network = network.with_layer(name, input_channels=3, split=False)
    conventions = Conventions(input_size=224 if input_224 else None,
                              connections_with_bias=True if connections_with_bias else None)
    return network, compute(network, conventions)


def workings(mistakes: tuple[Mistake, ...], connections_with_bias: bool = False) -> dict[tuple[str, str], Working]:
    """What a student with these mistakes writes for every asked answer, as their working."""
    def at(code: str) -> frozenset:
        return frozenset(l for m in mistakes if m.code == code for l in m.layers)

    codes = {m.code for m in mistakes}
    network, figures = _figures("input-224" in codes, at("tower-split-missed"), at("wrong-input-channels"),
                                connections_with_bias)
    names = [f.name for f in figures.layers]
    out: dict[tuple[str, str], Working] = {}
    for name in LAYERS:
        f, spec = figures.layer(name), network.layer(name)
        if f.kind == "conv":
            (kh, kw), filters = spec.kernel, spec.filters
            depth = f.weights // (kh * kw * filters)
            oh, ow = f.shape[:2]
            if name in at("tower-half-counted"):
                filters //= 2
            if name in at("tower-over-split"):
                depth //= 2
            kernel = (kh, kw, depth, filters)
            weights = Working(kernel)
            units = Working((oh, ow, filters))
            connections = Working(kernel, filters if connections_with_bias else 0, (oh, ow))
            if name in at("caption-253440"):
                units = Working((CAPTION_UNITS,))
            if name in at("units-as-weights"):
                units = weights
            if name in at("units-after-pool"):
                units = Working(figures.layers[names.index(name) + 1].shape)
            if name in at("connections-as-weights"):
                connections = weights
            if name in at("bias-counted"):
                weights = Working(kernel, filters)
        else:
            inputs = f.input_shape if len(f.input_shape) > 1 else (math.prod(f.input_shape),)
            matrix = (*inputs, spec.filters)
            units = Working((spec.filters,))
            weights = Working(matrix, spec.filters if name in at("bias-counted") else 0)
            connections = Working(matrix, spec.filters if connections_with_bias else 0)
        out[name, "units"], out[name, "weights"], out[name, "connections"] = units, weights, connections
    return out


def values(mistakes: tuple[Mistake, ...] = (), connections_with_bias: bool = False) -> dict[tuple[str, str], int]:
    return {slot: w.value for slot, w in workings(mistakes, connections_with_bias).items()}


@lru_cache(maxsize=1)
def known_figures() -> frozenset[int]:
    """Every figure a convention or a modelled mistake gives: a slip must not land on one."""
    found: set[int] = set()
    singles = [Mistake(code, LAYERS) for code in CHANCES if code not in ("arithmetic-slip", "transcription-slip",
                                                                         "total-inconsistent")]
    for with_bias in (False, True):
        for mistake in [None, *singles]:
            mistakes = (mistake,) if mistake else ()
            for combo in (mistakes, (*mistakes, Mistake("input-224"))):
                found.update(values(combo, with_bias).values())
    return frozenset(found)


# ---------------------------------------------------------------- the truth


def truth_of(plan: Plan) -> tuple[dict[tuple[str, str], Working | int | None], tuple[TruthAnswer, ...]]:
    """The shown working (or bare number, or None for a blank) of every answer, and the truth."""
    expected = values()
    shown: dict[tuple[str, str], Working | int | None] = dict(workings(plan.mistakes, plan.connections_with_bias))
    stated = {slot: w.value for slot, w in shown.items()}
    causes: dict[tuple[str, str], list[str]] = {slot: [] for slot in shown}
    for mistake in plan.mistakes:
        without = values(tuple(m for m in plan.mistakes if m is not mistake), plan.connections_with_bias)
        for slot, value in without.items():
            if value != stated[slot]:
                causes[slot].append(mistake.code)
    accepted = set()
    if plan.connections_with_bias:
        without = values(plan.mistakes, False)
        accepted = {slot for slot, value in without.items() if value != stated[slot]}

    rng = random.Random(plan.slip_seed)
    if plan.arithmetic_slip:
        slot = plan.arithmetic_slip
        stated[slot] = _slip(stated[slot], rng, arithmetic=True)
        shown[slot] = (shown[slot], stated[slot])  # the working and a result that does not follow
        causes[slot].append("arithmetic-slip")
    if plan.transcription_slip:
        slot = plan.transcription_slip
        stated[slot] = _slip(stated[slot], rng, arithmetic=False)
        shown[slot] = stated[slot]
        causes[slot].append("transcription-slip")
    if "caption-253440" in plan.codes:
        shown["conv1", "units"] = CAPTION_UNITS  # copied, not worked out
    for slot in plan.missing:
        shown[slot] = None

    from grader.compare.pitfalls import PITFALLS

    answers = []
    charged: set[str] = set()  # each mistake costs the first answer it changes; the later ones follow through
    for (layer, quantity), working in shown.items():  # layer order, units before weights before connections
        value = None if working is None else stated[layer, quantity]
        codes = tuple(causes[layer, quantity])
        own = [code for code in codes if code not in GLOBAL_CODES]
        if value is None:
            verdicts = ("missing",)
            codes = ()
        elif value == expected[layer, quantity]:
            verdicts = ("correct",)
        elif own:
            slip = any(PITFALLS[code].charged == "answer" for code in own)
            verdicts = ("wrong",) if slip or set(own) - charged else ("follow-through",)
            charged.update(own)
        elif codes:  # only the input: the first layer shows it, the later ones carry it
            verdicts = ("wrong", "follow-through")
        elif (layer, quantity) in accepted:
            verdicts = ("accepted",)
        else:
            raise AssertionError(f"{layer} {quantity}: {value} differs from {expected[layer, quantity]} "
                                 "with no mistake to explain it")
        answers.append(TruthAnswer(layer, quantity, value, expected[layer, quantity], verdicts, codes))
    return shown, tuple(answers)


def _slip(value: int, rng: random.Random, *, arithmetic: bool) -> int:
    """A wrong copy of a figure: one digit off (arithmetic) or digits swapped, dropped or doubled."""
    digits = str(value)
    known = known_figures()
    for _ in range(200):
        if arithmetic:
            i = rng.randrange(1, len(digits)) if len(digits) > 1 else 0
            d = (int(digits[i]) + rng.choice((1, 2, 8, 9))) % 10
            new = digits[:i] + str(d) + digits[i + 1:]
        else:
            kind = rng.choice(("swap", "drop", "double") if len(digits) >= 5 else ("swap", "double"))
            i = rng.randrange(len(digits) - 1)
            if kind == "swap":
                new = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
            elif kind == "drop":
                new = digits[:i] + digits[i + 1:]
            else:
                new = digits[:i] + digits[i] + digits[i:]
        if new[0] != "0" and int(new) != value and int(new) not in known:
            return int(new)
    raise AssertionError(f"no slip found for {value}")


# ---------------------------------------------------------------- planning a student

LAYER_NAMES = {
    "plain": dict(zip(LAYERS, LAYERS)),
    "caps": {name: name.upper() for name in LAYERS},
    "spaced": {**{c: f"Conv {i}" for i, c in enumerate(CONVS, 1)}, **{f: f"FC {f[2:]}" for f in FCS}},
    "fc-ordinal": {**{c: f"Conv{i}" for i, c in enumerate(CONVS, 1)}, **{f: f"FC{i}" for i, f in enumerate(FCS, 1)}},
    "long": {**{c: f"Convolution Layer {i}" for i, c in enumerate(CONVS, 1)},
             "fc6": "Fully Connected Layer 1", "fc7": "Fully Connected Layer 2", "fc8": "Output Layer"},
    "zh": {**{c: f"卷积层{i}" for i, c in enumerate(CONVS, 1)}, **{f: f"全连接层{i}" for i, f in enumerate(FCS, 1)}},
    "zh-suffix": {name: f"{name}层" for name in LAYERS},
}
QUANTITY_LABELS = {
    "en": (("Units", "Weights", "Connections"), ("# Units", "# Weights", "# Connections"),
           ("Neurons", "Weights (no bias)", "Connections"),
           ("Number of neurons", "Number of weights", "Number of connections")),
    "zh": (("神经元数量", "权重数量", "连接数"), ("神经元个数", "权重", "连接数量"), ("神经元数量", "权值数量", "连接数")),
}
EXTENSIONS = {"md": "md", "txt": "txt", "csv": "csv", "xlsx": "xlsx", "ipynb": "ipynb", "docx": "docx"}


def plan(index: int, seed: int = 0, fmt: str | None = None) -> Plan:
    """The student number `index` of a seeded class."""
    rng = random.Random(f"alexnet-paper:{seed}:{index}")
    fmt = fmt or FORMAT_CYCLE[index % len(FORMAT_CYCLE)]
    look = _look(rng, fmt)
    chosen: list[str] = []
    for code, chance in CHANCES.items():
        if rng.random() < chance and not any(code in group and group & set(chosen) for group in EXCLUSIVE):
            chosen.append(code)
    connections_with_bias = (rng.random() < CONNECTIONS_WITH_BIAS_CHANCE
                             and not any("connections_with_bias" in g and g & set(chosen) for g in EXCLUSIVE))
    mistakes = _one_formula_per_answer(tuple(_where(code, rng) for code in chosen if code not in
                                             ("arithmetic-slip", "transcription-slip", "total-inconsistent")))
    draft = Plan(index, look, mistakes, connections_with_bias)
    _, answers = truth_of(draft)
    # Slips and blanks go where no other mistake is, each on its own answer.
    free = [(a.layer, a.quantity) for a in answers if a.verdicts == ("correct",)]
    rng.shuffle(free)
    worked = [slot for slot in free if workings(())[slot].is_product]
    arithmetic = transcription = None
    if "arithmetic-slip" in chosen and worked:
        arithmetic = worked[0]
        free.remove(arithmetic)
    if "transcription-slip" in chosen and free:
        transcription = free.pop()
    missing = tuple(free[:rng.randint(1, 3)]) if rng.random() < MISSING_CHANCE else ()
    total = "total-inconsistent" in chosen and not look.lines
    if total:  # a total beside a blank weight may count it: only a complete column is inconsistent
        missing = tuple(slot for slot in missing if slot[1] != "weights")
    if arithmetic:  # its working must be shown
        look = replace(look, style="expression" if look.style in ("plain", "thousands") else look.style)
    if arithmetic:
        mistakes = (*mistakes, Mistake("arithmetic-slip", (arithmetic[0],)))
    if transcription:
        mistakes = (*mistakes, Mistake("transcription-slip", (transcription[0],)))
    if total:
        look = replace(look, total_row=True)
        mistakes = (*mistakes, Mistake("total-inconsistent", ("total",)))
    states = (224 if rng.random() < 0.7 else None) if "input-224" in chosen else (
        227 if rng.random() < 0.5 else None)
    return Plan(index, look, mistakes, connections_with_bias, states, missing, arithmetic, transcription,
                slip_seed=rng.randrange(1 << 30), total_off=rng.choice((-96, 4096, 1000, -1)) if total else 0)


def _one_formula_per_answer(mistakes: tuple[Mistake, ...]) -> tuple[Mistake, ...]:
    """Two formula mistakes that both change one answer (conv3 split *and* its weights given as its
    connections) make a figure no single reading explains, often another slot's (442,368 is conv5's
    weights): the later mistake keeps only the layers where it does not meet an earlier one."""
    kept: list[Mistake] = []
    for mistake in mistakes:
        if mistake.code in FORMULA_CODES:
            mistake = Mistake(mistake.code, tuple(layer for layer in mistake.layers if not any(
                _compound(Mistake(other.code, (layer,)), Mistake(mistake.code, (layer,)))
                for other in kept if other.code in FORMULA_CODES and layer in other.layers)))
            if not mistake.layers:
                continue
        kept.append(mistake)
    return tuple(kept)


def _compound(first: Mistake, second: Mistake) -> bool:
    """Whether some answer is changed by each of two mistakes in the presence of the other."""
    both, without_first, without_second = values((first, second)), values((second,)), values((first,))
    return any(both[slot] != without_first[slot] and both[slot] != without_second[slot] for slot in both)


def _where(code: str, rng: random.Random) -> Mistake:
    if code == "input-224":
        return Mistake(code)
    if code == "caption-253440":
        return Mistake(code, ("conv1",))
    if code == "bias-counted":
        return Mistake(code, rng.choice((LAYERS, LAYERS, LAYERS, CONVS, FCS)))
    if code == "tower-split-missed":
        return Mistake(code, SPLIT if rng.random() < 0.8 else tuple(sorted(rng.sample(SPLIT, 2))))
    if code == "tower-over-split":
        return Mistake(code, ("conv3",))
    if code == "tower-half-counted":
        return Mistake(code, (rng.choice(SPLIT),))
    if code == "wrong-input-channels":
        return Mistake(code, CONVS[1:])
    if code == "connections-as-weights":
        return Mistake(code, CONVS if rng.random() < 0.7 else CONVS[:rng.randint(1, 4)])
    if code == "units-as-weights":
        return Mistake(code, ("conv1",) if rng.random() < 0.5 else CONVS)
    if code == "units-after-pool":
        return Mistake(code, ("conv1",) if rng.random() < 0.5 else ("conv1", "conv5"))
    raise ValueError(code)


def _look(rng: random.Random, fmt: str) -> Look:
    language = "zh" if rng.random() < 0.25 else "en"
    style = rng.choice(STYLES)
    if fmt in ("csv", "xlsx") and style == "latex":
        style = "expression"
    names = rng.choice(("zh", "zh-suffix", "plain")) if language == "zh" else rng.choice(
        ("plain", "plain", "caps", "spaced", "fc-ordinal", "long"))
    columns = QUANTITIES if rng.random() < 0.9 else ("weights", "units", "connections")
    op = r"\times" if style == "latex" else rng.choice(("*", "*", "×", " x ", " * "))
    ext = EXTENSIONS.get(fmt) or rng.choice(("md", "txt"))
    lines = fmt == "prose" or (fmt == "ipynb" and rng.random() < 0.33) or (fmt == "docx" and rng.random() < 0.25)
    return Look(fmt, style, language, names, rng.choice(QUANTITY_LABELS[language]), columns, op,
                grouped_results=rng.random() < 0.4, shape_column=rng.random() < 0.3 and not lines,
                total_row=rng.random() < 0.15 and not lines, question2=rng.random() < 0.3, ext=ext,
                lines=lines, sections=lines and rng.random() < 0.5)


# ---------------------------------------------------------------- writing the answers


def render_value(shown: Working | tuple | int | None, look: Look, rng: random.Random) -> str:
    """The text of one answer in the file's style ('' for a blank)."""
    if shown is None:
        return ""
    grouped = look.style == "thousands" or (look.style != "plain" and look.grouped_results)
    if isinstance(shown, int):
        return _number(shown, grouped)
    working, result = shown if isinstance(shown, tuple) else (shown, None)
    value = working.value if result is None else result
    if look.style in ("plain", "thousands") and result is None or not working.is_product:
        return _number(value, grouped)
    expression = _expression(working, look.op)
    written = _number(value, look.grouped_results)
    if look.style == "latex":
        # sometimes only the expression: its value is the answer
        if result is None and rng.random() < 0.3:
            return f"${expression}$"
        return f"${expression} = {written.replace(',', '{,}')}$"
    return f"{expression} = {written}"


def _number(value: int, grouped: bool) -> str:
    return f"{value:,}" if grouped else str(value)


def _expression(working: Working, op: str) -> str:
    product = op.join(str(f) for f in working.factors)
    if working.plus:
        product = f"{product} + {working.plus}"
        if working.times:
            product = f"({product})"
    if working.times:
        product = op.join([product, *(str(t) for t in working.times)])
    return product


def _shape_text(layer: str, plan: Plan) -> str:
    _, figures = _figures("input-224" in plan.codes, frozenset(), frozenset(), False)
    shape = figures.layer(layer).shape
    return "×".join(str(s) for s in shape)


@dataclass(frozen=True, slots=True)
class Sheet:
    """The answers laid out as a table (header first) and as labelled lines."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (layer label, ((quantity label, text), ...))


def layout(plan: Plan, shown: dict, rng: random.Random, total_weights: int | None) -> Sheet:
    look = plan.look
    labels = dict(zip(QUANTITIES, look.quantity_labels))
    zh = look.language == "zh"
    header = ["层" if zh else "Layer"]
    if look.shape_column:
        header.append("输出尺寸" if zh else "Output size")
    header += [labels[q] for q in look.columns]
    rows, lines = [], []
    for layer in LAYERS:
        name = LAYER_NAMES[look.layer_names][layer]
        cells = {q: render_value(shown[layer, q], look, rng) for q in QUANTITIES}
        row = [name]
        if look.shape_column:
            row.append(_shape_text(layer, plan))
        rows.append(tuple(row + [cells[q] for q in look.columns]))
        lines.append((name, tuple((labels[q], cells[q]) for q in look.columns if cells[q])))
    if look.total_row and total_weights is not None:
        row = ["总计" if zh else "Total"] + ([""] if look.shape_column else [])
        row += [_number(total_weights, look.style != "plain") if q == "weights" else "" for q in look.columns]
        rows.append(tuple(row))
    return Sheet(tuple(header), tuple(rows), tuple(lines))


def _intro(plan: Plan) -> list[str]:
    zh = plan.look.language == "zh"
    lines = ["AlexNet 每层的神经元数量、权重和连接数" if zh else "AlexNet: units, weights and connections per layer"]
    if plan.states_input:
        size = plan.states_input
        lines.append(f"输入图片：{size}×{size}×3" if zh else f"Input image: {size}×{size}×3, two GPU towers.")
    lines.append("不计偏置。" if zh else "Biases are not counted in the weights.")
    return lines


def _question2(plan: Plan) -> list[str]:
    if plan.look.language == "zh":
        return ["第二题", "减少参数：缩小全连接层，或者用全局平均池化代替。减少连接数：用更大的步长，或者更早池化。"]
    return ["Question 2",
            "To reduce the parameters, shrink the fully connected layers or use global average pooling. "
            "To reduce the connections, use fewer filters, smaller kernels or a larger stride."]


def _markdown(plan: Plan, sheet: Sheet, *, prose: bool) -> str:
    intro = _intro(plan)
    out = [f"# {intro[0]}", "", *intro[1:], ""]
    out += _prose(plan, sheet, markdown=True) if prose else _pipe_table(sheet)
    if plan.look.question2:
        q = _question2(plan)
        out += ["", f"## {q[0]}", "", q[1]]
    return "\n".join(out) + "\n"


def _pipe_table(sheet: Sheet) -> list[str]:
    out = ["| " + " | ".join(sheet.header) + " |", "|" + "|".join("---" for _ in sheet.header) + "|"]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in sheet.rows]
    return out


def _prose(plan: Plan, sheet: Sheet, *, markdown: bool) -> list[str]:
    zh = plan.look.language == "zh"
    colon = "：" if zh else ": "
    out: list[str] = []
    for i, (layer, items) in enumerate(sheet.lines, 1):
        if plan.look.sections:
            title = f"**{i}. {layer}**" if zh else f"## {layer}"
            out += [title if markdown else f"{i}. {layer}", ""]
            out += [f"- {label}{colon}{text}" if markdown else f"{label}{colon}{text}" for label, text in items]
            out.append("")
        else:
            out += [f"{layer} {label}{colon}{text}" for label, text in items]
    return out


def _tab_text(plan: Plan, sheet: Sheet) -> str:
    out = _intro(plan) + [""]
    out += ["\t".join(sheet.header)] + ["\t".join(row) for row in sheet.rows]
    if plan.look.question2:
        out += [""] + _question2(plan)
    return "\n".join(out) + "\n"


def _csv(sheet: Sheet) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(sheet.header)
    writer.writerows(sheet.rows)
    return buffer.getvalue()


def _notebook(plan: Plan, sheet: Sheet) -> str:
    intro = _intro(plan)
    body = _prose(plan, sheet, markdown=True) if plan.look.lines else _pipe_table(sheet)
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": _source([f"# {intro[0]}", "", *intro[1:]])},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
         "source": _source(["import torchvision", "model = torchvision.models.alexnet()"])},
        {"cell_type": "markdown", "metadata": {}, "source": _source(body)},
    ]
    if plan.look.question2:
        cells.append({"cell_type": "markdown", "metadata": {}, "source": _source(_question2(plan))})
    notebook = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                            "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, ensure_ascii=False, indent=1)


def _source(lines: list[str]) -> list[str]:
    return [line + "\n" for line in lines[:-1]] + lines[-1:]


def _xlsx(plan: Plan, sheet: Sheet, shown: dict, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "AlexNet"
    top = 1
    if plan.index % 2:  # some sheets open with a title above the table
        ws.cell(1, 1, _intro(plan)[0])
        top = 3
    for c, text in enumerate(sheet.header, 1):
        ws.cell(top, c, text)
    first_value = len(sheet.header) - len(QUANTITIES) + 1
    for r, row in enumerate(sheet.rows, top + 1):
        layer = LAYERS[r - top - 1] if r - top - 1 < len(LAYERS) else None
        for c, text in enumerate(row, 1):
            if c < first_value or not text or layer is None:
                ws.cell(r, c, text or None)
                continue
            quantity = plan.look.columns[c - first_value]
            ws.cell(r, c).value, number_format = _xlsx_value(shown[layer, quantity], text, plan.look)
            if number_format:
                ws.cell(r, c).number_format = number_format
        if layer is None:  # the total row: a number, not text
            for c in range(first_value, len(row) + 1):
                if row[c - 1]:
                    ws.cell(r, c, int(row[c - 1].replace(",", "")))
    book.properties.creator = "student"
    book.save(path)


def _xlsx_value(shown, text: str, look: Look):
    """A numeric cell for a number, a formula without cached value for some workings, else the text."""
    if isinstance(shown, int):
        return shown, "#,##0" if "," in text else None
    if isinstance(shown, Working) and look.style in ("plain", "thousands") or (
            isinstance(shown, Working) and not shown.is_product):
        return shown.value, "#,##0" if "," in text else None
    if isinstance(shown, Working) and look.grouped_results:  # a formula the student typed
        return "=" + _expression(shown, "*").replace(" ", ""), None
    return text, None


def _docx(plan: Plan, sheet: Sheet, path: Path) -> None:
    from docx import Document

    document = Document()
    intro = _intro(plan)
    document.add_heading(intro[0], level=1)
    for line in intro[1:]:
        document.add_paragraph(line)
    if plan.look.lines:
        for line in _prose(plan, sheet, markdown=False):
            if line:
                document.add_paragraph(line)
    else:
        table = document.add_table(rows=len(sheet.rows) + 1, cols=len(sheet.header))
        for r, row in enumerate((sheet.header, *sheet.rows)):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    if plan.look.question2:
        q = _question2(plan)
        document.add_heading(q[0], level=2)
        document.add_paragraph(q[1])
    document.core_properties.author = "student"
    document.save(str(path))


def write(plan: Plan, folder: Path) -> Truth:
    """Write one submission into `folder`; its truth."""
    shown, answers = truth_of(plan)
    rng = random.Random(plan.slip_seed + 1)
    total = None
    if plan.look.total_row:
        total = sum(a.value for a in answers if a.quantity == "weights" and a.value is not None) + plan.total_off
    sheet = layout(plan, shown, rng, total)
    look = plan.look
    name = f"s{plan.index:05d}_{look.fmt}.{look.ext}"
    path = folder / name
    if look.fmt == "md":
        path.write_text(_markdown(plan, sheet, prose=False), encoding="utf-8")
    elif look.fmt == "prose":
        text = _markdown(plan, sheet, prose=True) if look.ext == "md" else "\n".join(
            _intro(plan) + [""] + _prose(plan, sheet, markdown=False)) + "\n"
        path.write_text(text, encoding="utf-8")
    elif look.fmt == "txt":
        path.write_text(_tab_text(plan, sheet), encoding="utf-8")
    elif look.fmt == "csv":
        path.write_text(_csv(sheet), encoding="utf-8")
    elif look.fmt == "ipynb":
        path.write_text(_notebook(plan, sheet), encoding="utf-8")
    elif look.fmt == "xlsx":
        _xlsx(plan, sheet, shown, path)
    elif look.fmt == "docx":
        _docx(plan, sheet, path)
    else:
        raise ValueError(look.fmt)
    look_json = {"format": look.fmt, "style": look.style, "language": look.language, "layer_names": look.layer_names}
    return Truth(name, look_json, plan.mistakes, plan.connections_with_bias, answers,
                 total if look.total_row else None)


def generate(root: Path, n: int, seed: int = 0) -> list[Truth]:
    """N submissions in root/submissions, their truth in root/truth.jsonl (outside the graded folder)."""
    folder = Path(root) / "submissions"
    folder.mkdir(parents=True, exist_ok=True)
    truths = [write(plan(i, seed), folder) for i in range(n)]
    with open(Path(root) / "truth.jsonl", "w", encoding="utf-8") as out:
        for truth in truths:
            out.write(json.dumps(truth.to_json(), ensure_ascii=False) + "\n")
    return truths


def load_truth(root: Path) -> dict[str, dict]:
    with open(Path(root) / "truth.jsonl", encoding="utf-8") as lines:
        return {record["file"]: record for record in map(json.loads, lines)}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", help="where to write submissions/ and truth.jsonl")
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(Path(args.root), args.n, args.seed)
