"""Numbers no reading claimed, placed by their value alone, below the review threshold.

The walker (readings.py) reads a number where its words say what it is; a number it leaves
unread may still be an answer whose words it does not know how to join to it ("The parameters and
connections of this layer are 10164", a figure in a sentence of its own). Such a number is placed
where the reference engine says its value is a layer's figure (evidence.slots_of: under the spec's
conventions or a common perturbation of them), when exactly one slot still open fits, and the
words beside it, where they name a count, name that slot's. Its confidence stays below the
comparator's review threshold: a right figure is credited, any other goes to a person, and no
mistake is ever charged on it (compare/__init__.py `_unsure`).
"""
from __future__ import annotations

import math
from typing import Iterator, Mapping, Sequence

from grader.core import Answer, Block, Quantity, Source, Table

# below compare.LOW_CONFIDENCE (0.5): placed by its value, never charged
CONFIDENCE = 0.45
# smaller numbers are too often something else that a layer's small figure equals by chance (a
# filter count, a map's side, a count of layers)
SMALLEST = 100
# four-digit numbers in this range written alone are years ("LeNet-5 (1998)") before they are counts
YEARS = range(1900, 2100)


def unclaimed(blocks: Sequence[Block], answers: Sequence[Answer], networks: Mapping[str, Sequence[Quantity]],
              layers: Mapping[str, Sequence[str]]) -> list[Answer]:
    """Answers for the numbers of `blocks` that none of `answers` holds, each in the one slot the
    assignment asks (`networks`' quantities of `layers`' layers) its value fits, when no other slot
    of the network fits it and none is answered with it already (a restatement, or a layer's input
    described: "flattened to 6x6x256 = 9216")."""
    from grader.extract.evidence import describes, slots_of
    from grader.extract.numbers import scan
    from grader.extract.quantities import named_quantities
    from grader.extract.regions import clean, is_share, without_retractions

    read_networks = list(dict.fromkeys(a.network for a in answers if a.network in layers))
    candidates = read_networks or [n for n in networks if n in layers]
    claimed: dict[Source, set] = {}
    for answer in answers:
        claimed.setdefault(answer.source, set()).update(_values(answer))
    taken = {(a.network, a.layer, a.quantity) for a in answers}
    placed: list[Answer] = []
    for text, source in _texts(blocks):
        text = without_retractions(clean(text))
        for written in scan(text):
            value = written.value
            if not _countlike(written, value) or is_share(text, written) or value in claimed.get(source, ()):
                continue
            named = named_quantities(text)
            for network in candidates:
                fitting = {(layer, q) for layer, q in slots_of(network, value) if not describes(network, layer, value)}
                if not fitting:
                    continue
                asked = tuple(networks.get(network, ()))
                open_slots = {(layer, q) for layer, q in fitting if layer in layers[network] and q in asked
                              and (not named or q in named)}
                if len({layer for layer, _ in fitting}) != 1 or not open_slots \
                        or any((network, layer, q) in taken for layer, q in fitting) \
                        or (len(open_slots) > 1 and not named):
                    break  # another layer's figure too, a restatement, or several counts the words do not tell apart
                for layer, quantity in sorted(open_slots, key=lambda slot: asked.index(slot[1])):
                    taken.add((network, layer, quantity))
                    placed.append(Answer(network, layer, quantity, int(value), source,
                                         expression=written.expression, computed=written.computed,
                                         confidence=CONFIDENCE, text=written.text))
                break
    return placed


def _values(answer: Answer) -> set:
    values = {answer.value, answer.computed}
    if isinstance(answer.value, tuple):
        values.add(math.prod(answer.value))  # a shape read holds its units' count too
    return values


def _countlike(written, value) -> bool:
    """An exact whole number that could be a count: not rounded, not small, not a year."""
    if written.approximate or written.step is not None or not isinstance(value, int) or isinstance(value, bool):
        return False
    if value < SMALLEST:
        return False
    return not (value in YEARS and written.expression is None)


def _texts(blocks: Sequence[Block]) -> Iterator[tuple[str, Source]]:
    for block in blocks:
        if isinstance(block, Table):
            yield from ((cell.text, cell.source) for row in block.rows for cell in row)
        else:
            yield block.text, block.source
