"""From readings to answers: each section's network, each row's layer, each reading's quantity.

Labels decide where they are clear; the numbers decide where labels are weak (see evidence.py).
Every inference lowers the answer's confidence; nothing is placed on a guess at full confidence."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from grader.core import Answer, Quantity
from grader.extract import evidence
from grader.extract.layers import LayerLabel, resolve
from grader.extract.regions import hwc
from grader.extract.readings import VGG_CONV, Reading, Row, Section

COUNTS = evidence.COUNTS
# a section that names one network moves to another only when the numbers say so clearly
MOVE_MARGIN = 2
# a header the numbers contradict: at least this many values, and this share fitting another quantity
# (the answers keep the header's quantity, with a lower confidence)
OVERRIDE_MIN = 3
OVERRIDE_SHARE = 0.6
# the confidence kept by a number whose layer is the current heading's, not named in its sentence
CONTEXT_LAYER = 0.75


# counts that differ only by the biases
_SIBLING = {Quantity.WEIGHTS: Quantity.PARAMS, Quantity.PARAMS: Quantity.WEIGHTS}


@dataclass(frozen=True, slots=True)
class Placement:
    layer: str | None
    confidence: float
    stray: bool = False  # a repeated row with nowhere to go ("Output" after "FC3")


def assign(sections: list[Section], networks: Mapping[str, Sequence[Quantity]]) -> list[Answer]:
    from grader.reference.spec import list_networks

    asked = list(networks)
    named = {n for section in sections for n in section.networks}
    # a network that is a graph (a residual or inception block) is never guessed from numbers in
    # rows: only where the assignment asks it or the text names it
    shipped = [n for n in list_networks() if n in asked or n in named or _network(n).is_chain]
    for name in asked:
        if name not in shipped:
            shipped.append(name)
    _move_early_totals(sections)
    choice = _choose_networks(sections, asked, shipped)
    answers: list[Answer] = []
    for section in sections:
        picked = choice.get(id(section))
        if picked is None:
            continue
        network_name, network_confidence = picked
        answers += _answers(section, network_name, network_confidence, tuple(networks.get(network_name, ())))
    return _without_restatements(_unique(answers))


# ---------------------------------------------------------------------------- sections


def _move_early_totals(sections: list[Section]) -> None:
    """A total written on a section's heading or before its rows ("ZFNET / → 61,100,840 / 3) …")
    closes the section before it, unless it is the first section."""
    for before, section in zip(sections, sections[1:]):
        early = [r for r in section.readings if r.before_rows]
        if early and (before.rows or before.readings):
            section.readings = [r for r in section.readings if not r.before_rows]
            before.readings += early


def _network(name: str):
    from grader.reference.spec import load_network

    return load_network(name)


def _score(section: Section, name: str) -> int:
    """How many of the section's values equal a figure of their slot in that network."""
    network = _network(name)
    placements = place_rows(section.rows, network, section.readings, name)
    hits = 0
    for reading in section.readings:
        value = reading.parsed.value
        if reading.kind == "total":
            if not isinstance(value, tuple) and evidence.fits(name, "total", reading.quantity, value):
                hits += 1
        elif reading.kind == "layer" and reading.row is not None:
            layer = placements[id(reading.row)].layer
            shaped = _shaped(reading)
            quantity = Quantity.SHAPE if isinstance(shaped, tuple) else None  # any count names the network
            if layer is not None and shaped not in (None, 0) and evidence.fits(name, layer, quantity, shaped):
                hits += 1
    return hits


def _gaps(section: Section, name: str) -> int:
    """How many layers the section's rows pass over in that network, of the kinds its rows list: a
    listing of VGG16 placed on VGG19 leaves out conv3_4, conv4_4 and conv5_4 (its pool rows land on
    pool3 after conv3_3). Rows that list only some kinds (the convolutions) pass over no other kind."""
    network = _network(name)
    index = {layer.name: k for k, layer in enumerate(network.layers)}
    placements = place_rows(section.rows, network, section.readings, name)
    placed: dict[int, list[int]] = {}
    for row in section.rows:
        layer = placements[id(row)].layer
        if layer in index:
            placed.setdefault(row.group, []).append(index[layer])
    gaps = 0
    for positions in placed.values():
        kinds = {network.layers[k].kind for k in positions}
        for a, b in zip(positions, positions[1:]):
            gaps += sum(1 for layer in network.layers[a + 1:b] if layer.counted and layer.kind in kinds)
    return gaps


def _shaped(reading: Reading):
    if reading.quantity is Quantity.SHAPE and reading.parsed.factors:
        return _shape(reading.parsed.factors, kind=None)
    return reading.parsed.value


def _choose_networks(sections: list[Section], asked: list[str], shipped: list[str]) -> dict:
    """id(section) -> (network, confidence); sections left out are not about any shipped network."""
    scores = {id(s): {name: _score(s, name) for name in shipped} for s in sections if s.readings}
    choice: dict = {}
    for section in sections:
        if not section.readings:
            continue
        score = scores[id(section)]
        values = sum(1 for r in section.readings if not r.evidence_only)
        if section.networks:
            named = max(section.networks, key=lambda n: (score.get(n, 0), n in asked, -section.networks.index(n)))
            variants = [n for n in asked if _variant_base(n) == named]
            if named not in asked and len(variants) == 1:
                # "AlexNet" where the assignment asks torchvision's: the student answers the assignment
                # (numbers that fit the named network better still say so: the comparator names it); a
                # variant named as such ("AlexNet as torchvision builds it") stays that variant
                named = variants[0]
            best = max(shipped, key=lambda n: (score[n], n in asked))
            clear = score[best] >= score.get(named, 0) + MOVE_MARGIN and 2 * score[best] >= values
            if best != named and clear and (best in asked or named not in asked):
                choice[id(section)] = (best, 0.7)
            elif (follows := _follows_other(section, named, shipped, score)) is not None:
                choice[id(section)] = (follows, 0.7)
            else:
                choice[id(section)] = (named, 1.0)
        elif section.other:
            best = max(shipped, key=lambda n: (score[n], n in asked))
            if score[best] >= OVERRIDE_MIN and 2 * score[best] >= values:
                choice[id(section)] = (best, 0.6)
        else:
            fitting = [n for n in asked if score[n] > 0]
            if fitting:
                best = max(fitting, key=lambda n: score[n])
                choice[id(section)] = (best, 1.0 if len(asked) == 1 else 0.8)
            elif asked:
                others = max(shipped, key=lambda n: score[n])
                if score[others] >= OVERRIDE_MIN:
                    choice[id(section)] = (others, 0.6)
                elif len(asked) == 1:
                    choice[id(section)] = (asked[0], 0.5)
                # several networks asked and nothing says which: these numbers are no one's
    # a section that names an asked network but fits another one much better is that other one's,
    # when another section already answers for the asked network ("Alexnet with 61 M": torchvision's)
    for section in sections:
        picked = choice.get(id(section))
        if picked is None or picked[0] not in asked:
            continue
        score = scores[id(section)]
        values = sum(1 for r in section.readings if not r.evidence_only)
        best = max(shipped, key=lambda n: score[n])
        if best == picked[0] or best in asked:
            continue
        clear = score[best] >= score[picked[0]] + MOVE_MARGIN and 2 * score[best] >= values
        others = [s for s in sections if s is not section and choice.get(id(s), (None,))[0] == picked[0]
                  and scores[id(s)][picked[0]] >= score[picked[0]]]
        if clear and others:
            choice[id(section)] = (best, 0.7)
    return choice


def _variant_base(network: str) -> str:
    """The network a spec is a variant of: "alexnet-torchvision" and "alexnet", "lenet5-1998" and "lenet5"
    (VGG16 and VGG19 are two networks)."""
    return network.split("-", 1)[0]


def _follows_other(section: Section, named: str, shipped: list[str], score: dict) -> str | None:
    """The network whose layer sequence the section's rows follow without a gap, where the network
    it names would leave layers out and fits its numbers no better ("VGG19" over a table of 13
    convolutions is VGG16's table)."""
    if len(section.rows) < 3 or not _gaps(section, named):
        return None
    whole = [n for n in shipped if n != named and score[n] >= max(score.get(named, 0), 1) and not _gaps(section, n)]
    return max(whole, key=lambda n: score[n]) if whole else None


# ---------------------------------------------------------------------------- rows


def place_rows(rows: list[Row], network, readings: list[Reading] = (),
               network_name: str | None = None) -> dict[int, Placement]:
    """Each row's layer in the network. Rows are read in order within their group: a row placed by
    position (VGG's "CONV3-64", a bare "FC") takes the next layer of its kind, and a row that names
    a layer already passed ("Conv 3" written three times, "maxpool2" twice, "Conv8" after VGG19's
    "Conv7⁺") takes the next layer of that kind instead, when there is one. The row's own numbers
    decide where they can: a row whose values fit the layer it names stays there ("Conv1 output:
    (55, 55, 96)" written after conv2, in prose that comes back to a layer); without that evidence
    a table's rows move on, and prose moves on only from a layer named twice in a row for the same
    quantity ("#Params Conv 3" three times): named again for another quantity ("N_conv1 = …",
    "W_conv1 = …"), after a row that answered nothing (a heading), or under another heading (a
    discussion that comes back to it), it is the same layer."""
    values: dict[int, list] = {}
    zeros: set[int] = set()  # rows with a count of zero: no weighted layer's
    quantities: dict[int, set] = {}  # what each row answers
    for reading in readings:
        if reading.row is not None and reading.kind == "layer":
            quantities.setdefault(id(reading.row), set()).add(reading.quantity or reading.context)
            shaped = _shaped(reading)
            if shaped == 0:
                zeros.add(id(reading.row))
            elif shaped is not None:
                values.setdefault(id(reading.row), []).append(shaped)

    spec = network_name or network.name

    def fits(row: Row, layer: str) -> bool:
        return any(evidence.fits(spec, layer, Quantity.SHAPE if isinstance(v, tuple) else None, v)
                   for v in values.get(id(row), ()))

    index = {layer.name: k for k, layer in enumerate(network.layers)}
    placements: dict[int, Placement] = {}
    previous: dict[int, int] = {}
    answered: dict[int, set] = {}  # per group: what the rows on its current layer answered
    last: dict[int, Row] = {}  # per group: the row placed last
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        if row.label.number is not None:
            seen[(row.group, row.label.key)] = seen.get((row.group, row.label.key), 0) + 1
    # in a listing that names convolutions by kernel and filters ("CONV3-64"), "POOL2" is a 2x2 pool
    listings = {row.group for row in rows if row.label.positional and row.label.kind == "conv"
                and VGG_CONV.search(row.label.text)}
    # "Layer 2 (max pooling)": a student who numbers the pools too means the layers in order of kind
    all_numbered = {row.group for row in rows if row.label.kind == "layer" and row.label.bracket_kind == "pool"}
    for row in rows:
        before = previous.get(row.group, -1)
        label = row.label
        name = resolve(label, network)
        if row.group in listings and label.kind == "pool" and label.number is not None:
            name, label = None, LayerLabel(label.text, "pool", None, "pool", positional=True)
        elif row.group in all_numbered and label.kind == "layer" and label.bracket_kind is not None:
            kind = label.bracket_kind
            name, label = None, LayerLabel(label.text, kind, None, kind, positional=True)
        # "N_conv1 = …" then "W_conv1 = …": the same layer again, for something else (or after a row
        # that answered nothing, a heading)
        again = name in index and index[name] == before and not row.table \
            and (not quantities.get(id(row), set()) & answered.get(row.group, set())
                 or (row.group in last and last[row.group].block != row.block))
        if name not in (None, "input") and not again and seen.get((row.group, label.key), 0) > 1 \
                and network.layers[index[name]].counted and not fits(row, name):
            # the same number on several rows ("POOL2" for every 2x2 pool): not an ordinal
            name = _next_of_kind(network, network.layers[index[name]].kind, before) or name
        confidence = 1.0
        stray = False
        if name == "input":
            placements[id(row)] = Placement("input", 1.0)
            continue
        if name is not None and name in index and not network.layers[index[name]].counted:
            placements[id(row)] = Placement(None, 0.0)  # "norm1": named, holds no answers, keeps no place
            continue
        if name is None and label.positional:
            name = _next_of_kind(network, label.kind, before)
            confidence = 0.9
        elif name is not None and index[name] <= before:
            kind = network.layers[index[name]].kind
            following = _next_of_kind(network, kind, before)
            if following is None and id(row) in zeros:
                confidence, stray = 0.5, True
            elif again:
                pass
            elif fits(row, name) and not (following is not None and fits(row, following)):
                confidence = 0.9  # its numbers are that layer's: the text came back to it
            elif following is not None and (row.table or index[name] == before or fits(row, following)):
                name, confidence = following, 0.7
            elif following is None:
                confidence, stray = 0.5, True
            else:
                confidence = 0.7  # prose that comes back to a layer
        if name is not None:
            if index[name] != before:
                answered[row.group] = set()
            answered.setdefault(row.group, set()).update(quantities.get(id(row), ()))
            previous[row.group] = max(before, index[name])
            last[row.group] = row
        placements[id(row)] = Placement(name, confidence, stray)
    return placements


def _next_of_kind(network, kind: str | None, after: int) -> str | None:
    for k, layer in enumerate(network.layers):
        if k <= after:
            continue
        if kind == "layer" and layer.weighted or layer.kind == kind or (kind == "norm" and layer.kind == "lrn"):
            return layer.name
    return None


# ---------------------------------------------------------------------------- answers


def _answers(section: Section, name: str, network_confidence: float, asked: tuple[Quantity, ...]) -> list[Answer]:
    network = _network(name)
    placements = place_rows(section.rows, network, section.readings, name)
    columns = _column_quantities(section, name, placements, asked)
    stray_rows = _stray_rows(section, placements)
    answers: list[Answer] = []
    previous = -1
    totals = [r for r in section.readings if r.kind == "total"]
    for reading in [r for r in section.readings if r.kind != "total"] + totals:
        if reading.kind == "orphan":
            placed = _place_orphan(reading, name, network, previous, asked)
            if placed is None:
                continue
            layer, quantity, confidence = placed
            previous = [lay.name for lay in network.layers].index(layer)
        else:
            reading = _total_or_row(reading, name, placements)
            layer, confidence = _layer_of(reading, placements, stray_rows)
            if layer is None:
                continue
            if reading.kind == "total":
                quantity, q_confidence = _total_quantity(reading, name, answers, columns, asked)
            else:
                quantity, q_confidence = _quantity_of(reading, name, layer, columns, asked)
            if quantity is None:
                continue
            if q_confidence < 1 and evidence.describes(name, layer, reading.parsed.value):
                continue  # "CNN1: 96个11x11x3的卷积核": the layer's filters, not a count it was asked
            confidence *= q_confidence
        if confidence * network_confidence < 1 and evidence.implausibly_small(name, layer, quantity,
                                                                             reading.parsed.value):
            continue  # an inferred slot, a value no count of it comes near: a side, a filter count
        parsed = reading.parsed
        if layer != "total" and confidence * network_confidence < 1 \
                and evidence.is_total(name, quantity, parsed.value, parsed.text, parsed.approximate) \
                and not evidence.fits(name, layer, None, parsed.value):
            layer = "total"  # "Answer is 61M parameters in total" under conv1's line: the network's
        answer = _answer(reading, name, network, layer, quantity, confidence * network_confidence)
        if answer is not None:
            answers.append(answer)
    return _parameters_as_weights(answers, name, asked)


def _parameters_as_weights(answers: list[Answer], name: str, asked: tuple[Quantity, ...]) -> list[Answer]:
    """"Parameters" is the word for weights too: where the weights are asked and the parameters are
    not, a section whose parameter counts fit the layers' weights more often than their weights and
    biases counted the weights ("#Params Conv 2 = 307,200", biases ignored). Where the parameters
    are asked, a parameter count short of its biases stays one (the comparator names that mistake)."""
    if Quantity.WEIGHTS not in asked or Quantity.PARAMS in asked:
        return answers
    counted = [a for a in answers if a.quantity is Quantity.PARAMS and a.layer != "total" and a.value]
    as_weights = sum(evidence.fits(name, a.layer, Quantity.WEIGHTS, a.value) for a in counted)
    as_params = sum(evidence.fits(name, a.layer, Quantity.PARAMS, a.value) for a in counted)
    if as_weights <= as_params:
        return answers
    return [replace(a, quantity=Quantity.WEIGHTS) if a.quantity is Quantity.PARAMS else a for a in answers]


def _total_quantity(reading: Reading, name: str, answers: list[Answer], columns: dict, asked) -> tuple[Quantity | None, float]:
    """A total's quantity: named, else the one whose per-layer answers it sums (the student's own
    sum), else the one whose network total it equals, else the section's usual one."""
    if reading.quantity is not None or reading.context is not None or reading.column in columns:
        return _quantity_of(reading, name, "total", columns, asked)
    value = reading.parsed.value
    if isinstance(value, tuple):
        return None, 0.0
    counts = [a for a in answers if a.layer not in ("total", "input") and a.quantity is not Quantity.SHAPE]
    for quantity in COUNTS:
        own = sum(a.value for a in counts if a.quantity is quantity)
        if own and any(v is not None and abs(own - v) < 0.5 for v in (value, reading.parsed.computed)):
            return quantity, 0.9
    fitting = evidence.quantities_fitting(name, "total", value)
    if fitting:
        preferred = [q for q in fitting if q in asked] or list(fitting)
        return preferred[0], 0.7
    if len(asked) == 1:
        return asked[0], 0.8
    if counts:
        usual = max(COUNTS, key=lambda q: sum(1 for a in counts if a.quantity is q))
        return usual, 0.6
    return (asked[0], 0.3) if asked else (Quantity.PARAMS, 0.3)


def _total_or_row(reading: Reading, name: str, placements: dict) -> Reading:
    """A total whose only total word can qualify one layer's count ("总共有156个参数" under a C1
    heading) is that layer's count where its value fits the layer and not the network's total."""
    if reading.kind != "total" or reading.row is None:
        return reading
    layer = placements[id(reading.row)].layer
    value = reading.parsed.value
    if layer not in (None, "input") and not evidence.fits(name, "total", None, value) \
            and evidence.fits(name, layer, reading.quantity, value):
        return replace(reading, kind="layer")
    return replace(reading, row=None, from_context=False)


def _layer_of(reading: Reading, placements: dict, stray_rows: set) -> tuple[str | None, float]:
    if reading.kind == "total":
        return "total", 1.0
    if reading.kind == "input":
        return "input", 1.0
    if reading.row is None:
        return None, 0.0
    if id(reading.row) in stray_rows:
        return None, 0.0
    placement = placements[id(reading.row)]
    # a layer made current by the heading above a sentence that names none: likely, not sure
    return placement.layer, placement.confidence * (CONTEXT_LAYER if reading.from_context else 1.0)


def _stray_rows(section: Section, placements: dict) -> set:
    """Rows repeated with nowhere to go whose counts are all zero: a pseudo-layer such as an
    "Output" row after "FC3", not another answer for fc8."""
    stray = set()
    for row in section.rows:
        if not placements[id(row)].stray:
            continue
        counts = [r.parsed.value for r in section.readings if r.row is row and r.quantity is not Quantity.SHAPE]
        if all(v == 0 for v in counts):
            stray.add(id(row))
    return stray


def _column_quantities(section: Section, name: str, placements: dict, asked) -> dict:
    """(table, column) -> (quantity, confidence) where the column as a whole decides: a column
    without a header takes the quantity most of its values fit; a header all its values contradict
    (a "# Connections" column holding parameter counts) keeps its quantity at a lower confidence."""
    by_column: dict = {}
    for reading in section.readings:
        if reading.column is not None and reading.kind in ("layer", "total"):
            by_column.setdefault(reading.column, []).append(reading)
    decided: dict = {}
    for column, readings in by_column.items():
        pairs = []
        for reading in readings:
            if reading.kind == "total":
                layer = "total"
            else:
                layer = placements[id(reading.row)].layer if reading.row is not None else None
            value = reading.parsed.value
            if layer is None or isinstance(value, tuple) or value == 0:
                continue
            pairs.append((layer, value))
        named = {r.quantity for r in readings if r.quantity is not None}
        if not pairs:
            continue
        hits = {q: sum(1 for layer, v in pairs if evidence.fits(name, layer, q, v)) for q in COUNTS}
        best = max(COUNTS, key=lambda q: (hits[q], q in asked))
        if not named:
            sibling = _SIBLING.get(best)
            if hits[best] and best not in asked and sibling in asked:
                # parameters without their biases where only the parameters are asked: the parameters,
                # short of the biases (a pitfall the comparator names), not an unasked quantity
                decided[column] = (sibling, 0.6)
            elif hits[best]:
                decided[column] = (best, 0.7)
        elif len(named) == 1:
            header = next(iter(named))
            if header is Quantity.SHAPE:
                continue
            same_kind = {header, best} <= {Quantity.WEIGHTS, Quantity.PARAMS}  # biases counted or not
            if hits.get(header, 0) == 0 and not same_kind and len(pairs) >= OVERRIDE_MIN \
                    and hits[best] >= OVERRIDE_SHARE * len(pairs):
                # the header stays (a student's weights under "# Connections" is a pitfall the comparator
                # names), but the slot is in doubt: a human may look
                decided[column] = (header, 0.6)
    return decided


def _quantity_of(reading: Reading, name: str, layer: str, columns: dict, asked) -> tuple[Quantity | None, float]:
    if reading.column in columns and reading.quantity is not Quantity.SHAPE:
        return columns[reading.column]
    if reading.evidence_only:
        fitting = evidence.quantities_fitting(name, layer, reading.parsed.value)
        if not fitting:
            return None, 0.0
        preferred = [q for q in fitting if q in asked] or list(fitting)
        return preferred[0], 0.5
    if reading.quantity is not None:
        return reading.quantity, 1.0
    if reading.context is not None:
        return reading.context, 0.9
    value = reading.parsed.value
    fitting = evidence.quantities_fitting(name, layer, value) if layer != "input" else ()
    if len(asked) == 1:
        if Quantity.UNITS in fitting and asked[0] not in fitting:
            # "After pool5 the map is 6×6×256 = 9216" where parameters are asked: no word says what
            # it counts, and its value is the layer's units (a count of weights left without its
            # biases stays the parameters it answers: bias-missed)
            return Quantity.UNITS, 0.5
        return asked[0], 0.8
    preferred = [q for q in fitting if q in asked]
    if preferred:
        return preferred[0], 0.7 if len(preferred) == 1 else 0.5
    if fitting:
        return fitting[0], 0.5
    # no word, no heading, no figure it fits, several quantities asked: a guess would put a wrong
    # value in a slot (which costs more than a missing one), so the number is left out
    return None, 0.0


def _place_orphan(reading: Reading, name: str, network, previous: int, asked) -> tuple[str, Quantity, float] | None:
    """A number with no label ("$$ 96 × 55 × 55 = 290,400 $$" under "#Activations"): the first
    layer after the previous one placed whose figure it equals."""
    quantity = reading.quantity or reading.context
    value = reading.parsed.value
    if quantity is None or isinstance(value, tuple) or value == 0:
        return None
    matches = [k for k, layer in enumerate(network.layers)
               if k > previous and layer.counted and evidence.fits(name, layer.name, quantity, value)]
    if not matches:
        return None
    return network.layers[matches[0]].name, quantity, 0.5 if len(matches) == 1 else 0.3


def _shape(factors: tuple[int, ...], kind: str | None) -> tuple[int, ...] | None:
    """A written shape as (H, W, C); an FC layer's "4096 x 1" is (4096,), its "1 x 1 x 4096" stays
    H×W×C, and so does "4096 x 1 x 1" written channels first (the comparator reads all as 4096 units)."""
    if len(factors) == 3 and sorted(factors)[:2] == [1, 1] and max(factors) != 1:
        return (1, 1, max(factors))
    if kind == "fc" or (kind is None and len([f for f in factors if f != 1]) == 1):
        units = [f for f in factors if f != 1]
        return (units[0],) if len(units) == 1 else (tuple(factors) if kind is None else None)
    if len(factors) < 2 or len(factors) > 3:
        return None  # "(11*11*3)*96": a kernel bank's product, no map's shape
    return hwc(tuple(factors))


def _answer(reading: Reading, name: str, network, layer: str, quantity: Quantity, confidence: float) -> Answer | None:
    parsed = reading.parsed
    if quantity is Quantity.SHAPE:
        if not parsed.factors:
            return None
        kind = network.layer(layer).kind if layer not in ("input", "total") else None
        if layer == "total":
            return None
        value = _shape(parsed.factors, kind if layer != "input" else "input")
        if value is None:
            return None
        computed = None
    else:
        if layer == "input" or isinstance(parsed.value, tuple):
            return None
        if parsed.expression is None and parsed.factors and len(parsed.factors) > 1 \
                and quantity in (Quantity.WEIGHTS, Quantity.PARAMS, Quantity.BIASES, Quantity.CONNECTIONS):
            return None  # "[256, 3]" in a config, "(227, 227, 3)": a list, whose product counts no weights
        value, computed = parsed.value, parsed.computed
    return Answer(
        network=name,
        layer=layer,
        quantity=quantity,
        value=value,
        source=reading.source,
        expression=parsed.expression,
        computed=computed,
        approximate=parsed.approximate,
        # a number read off an image is no surer than the OCR's reading of it
        confidence=round(min(1.0, confidence, 1.0 if reading.source.ocr_confidence is None
                             else reading.source.ocr_confidence), 3),
        text=parsed.text,
    )


def _without_restatements(answers: list[Answer]) -> list[Answer]:
    """A slot given exactly and, elsewhere, rounded ("= 4520544" in the table, "约 452 万个" in the
    summary) is answered once, exactly: the rounded figure that holds the exact one restates it."""
    from grader.extract.numbers import rounding

    def interval(answer: Answer):
        if not isinstance(answer.value, (int, float)):
            return None
        return rounding(answer.value, answer.text, approximate=answer.approximate)

    exact: dict = {}
    for answer in answers:
        if isinstance(answer.value, int) and interval(answer) is None:
            exact.setdefault((answer.network, answer.layer, answer.quantity), []).append(answer.value)

    def restates(answer: Answer) -> bool:
        held = interval(answer)
        return held is not None and any(held[0] <= v < held[1] for v in
                                        exact.get((answer.network, answer.layer, answer.quantity), ()))

    return [answer for answer in answers if not restates(answer)]


def _unique(answers: list[Answer]) -> list[Answer]:
    seen = set()
    kept = []
    for answer in answers:
        key = (answer.network, answer.layer, answer.quantity, answer.value, answer.source)
        if key not in seen:
            seen.add(key)
            kept.append(answer)
    return kept
