"""Numbers as evidence: which slots of a network a value could fill.

A value equal to some layer's figure, under the spec's conventions or a common perturbation of them
(input 224 or 227, towers merged, connections with biases), tells which layer and quantity it is
about. The extractor uses this only where the written labels are weak: a section that names no
network, a column without a header, a header the numbers contradict, a number outside any table."""
from __future__ import annotations

import itertools
from functools import lru_cache

from grader.core import GraderError, Quantity

COUNTS = (Quantity.UNITS, Quantity.WEIGHTS, Quantity.BIASES, Quantity.PARAMS, Quantity.CONNECTIONS)


@lru_cache(maxsize=None)
def _figures(network_name: str) -> tuple:
    """The network's Figures under each perturbation that computes (cached per network)."""
    from grader.reference.engine import Conventions, compute
    from grader.reference.spec import load_network

    network = load_network(network_name)
    results = []
    # the paper's 224 against the 227 its figure implies (AlexNet), and the other way round
    inputs = [None, *sorted({224, 227} - {network.input_shape[0]})] if network.input_shape[0] in (224, 227) \
        else [None]
    for input_size, towers, with_bias in itertools.product(inputs, (None, 1), (None, True)):
        try:
            results.append(compute(network, Conventions(input_size=input_size, towers=towers,
                                                         connections_with_bias=with_bias)))
        except GraderError:
            continue  # an input too small for this network's kernels
    return tuple(results)


@lru_cache(maxsize=None)
def _slots(network_name: str) -> dict:
    """value -> {(layer, quantity)} over every perturbation; totals under layer "total"."""
    table: dict = {}
    for figures in _figures(network_name):
        for record in figures.layers:
            for quantity in COUNTS:
                value = record.figure(quantity)
                table.setdefault(value, set()).add((record.name, quantity))
        for quantity in COUNTS:
            table.setdefault(figures.total(quantity), set()).add(("total", quantity))
    return table


@lru_cache(maxsize=None)
def _shapes(network_name: str) -> dict:
    """layer -> the output shapes it has under the perturbations; "input" -> the input shapes."""
    table: dict = {}
    for figures in _figures(network_name):
        table.setdefault("input", set()).add(figures.input_shape)
        for record in figures.layers:
            table.setdefault(record.name, set()).add(tuple(record.shape))
    return table


@lru_cache(maxsize=None)
def _settings(network_name: str) -> dict:
    """layer -> the numbers that describe it rather than count it: its filters, kernel sides,
    stride, padding, the depth its input has and its output's side and depth, under every
    perturbation ("96个11x11x3的卷积核": 96 kernels of 11×11×3)."""
    from grader.reference.spec import load_network

    network = load_network(network_name)
    table: dict = {}
    for figures in _figures(network_name):
        for record in figures.layers:
            layer = network.layer(record.name)
            table.setdefault(record.name, set()).update(
                {layer.filters, *layer.kernel, *layer.stride, *layer.padding, *record.input_shape, *record.shape})
    for numbers in table.values():
        numbers.discard(0)
    return table


def describes(network: str, layer: str, value) -> bool:
    """The value is one of the numbers that describe the layer (a filter count, a kernel's side, a
    stride, a map's side or depth) and no count of it but its biases: no answer, unless a word says
    it is one."""
    if isinstance(value, tuple) or not isinstance(value, (int, float)) or value != int(value):
        return False
    if int(value) not in _settings(network).get(layer, ()):
        return False
    # a layer has as many biases as filters: only a word makes the filter count its biases
    return not any(slot_layer == layer and quantity is not Quantity.BIASES
                   for slot_layer, quantity in slots_of(network, value))


def _same_shape(value: tuple, figure: tuple) -> bool:
    if value == figure:
        return True
    if len(figure) == 3 and len(value) == 2:
        return value == figure[:2]  # "55 x 55": the map without its depth
    return False


def slots_of(network: str, value) -> set[tuple[str, Quantity]]:
    """Every (layer, quantity) of the network whose figure equals the value under some convention."""
    if isinstance(value, tuple):
        return {(layer, Quantity.SHAPE) for layer, shapes in _shapes(network).items()
                if any(_same_shape(value, s) for s in shapes)}
    if not isinstance(value, (int, float)) or isinstance(value, bool) or (isinstance(value, float)
                                                                          and not value.is_integer()):
        return set()
    return set(_slots(network).get(int(value), ()))


def fits(network: str, layer: str, quantity: Quantity | None, value) -> bool:
    """The value equals the layer's figure (for that quantity, or any) under some convention."""
    if value == 0 and layer != "total":
        # zero parameters is the figure of a max-pool layer only
        from grader.reference.spec import load_network

        try:
            kind = load_network(network).layer(layer).kind
        except KeyError:
            return False
        return kind == "pool" and quantity in (None, Quantity.WEIGHTS, Quantity.BIASES, Quantity.PARAMS,
                                                Quantity.CONNECTIONS)
    return any(slot_layer == layer and (quantity is None or slot_quantity is quantity)
               for slot_layer, slot_quantity in slots_of(network, value))


def quantities_fitting(network: str, layer: str, value) -> tuple[Quantity, ...]:
    """The quantities whose figure for that layer the value equals, in the usual order."""
    if isinstance(value, tuple):
        return (Quantity.SHAPE,) if fits(network, layer, Quantity.SHAPE, value) else ()
    found = {q for slot_layer, q in slots_of(network, value) if slot_layer == layer}
    return tuple(q for q in COUNTS if q in found)


# an inferred slot's value this many times smaller than the slot's smallest figure under any
# convention is no count of it: a map's side, a filter count, a kernel's size ("28 28 6" read as 28
# neurons, "16" of "16 (2×2+1)×5×5" as connections)
IMPLAUSIBLE_RATIO = 50


@lru_cache(maxsize=None)
def _smallest(network_name: str) -> dict:
    """(layer, quantity) -> the smallest non-zero figure over the perturbations, for every layer but
    the output layer (a network's total, too, shrinks with the classes and the input a course picks)."""
    table: dict = {}
    for figures in _figures(network_name):
        for record in figures.layers[:-1]:  # the output layer's figures follow the classes a course picks
            for quantity in COUNTS:
                value = record.figure(quantity)
                if value:
                    key = (record.name, quantity)
                    table[key] = min(table.get(key, value), value)
    return table


def implausibly_small(network: str, layer: str, quantity: Quantity, value) -> bool:
    """The value is far below every figure the slot has (see IMPLAUSIBLE_RATIO) and is no other
    count of the network either (a conv layer's weights given as its connections is a mistake a
    student makes, and the comparator names)."""
    if isinstance(value, tuple) or not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    smallest = _smallest(network).get((layer, quantity))
    return smallest is not None and value * IMPLAUSIBLE_RATIO < smallest and not slots_of(network, value)


@lru_cache(maxsize=None)
def _totals(network_name: str) -> dict:
    """quantity -> the network's totals of it over the perturbations."""
    return {q: frozenset(figures.total(q) for figures in _figures(network_name)) for q in COUNTS}


def is_total(network: str, quantity: Quantity, value, text: str = "", approximate: bool = False) -> bool:
    """The value is the network's total of that count (or of the weights and the parameters, which
    students call by each other's name) under some convention: exactly, or as the student rounded
    it ("61M parameters in total")."""
    from grader.extract.numbers import rounding

    if quantity not in COUNTS or isinstance(value, (tuple, bool)) or not isinstance(value, (int, float)) or not value:
        return False
    counts = (Quantity.WEIGHTS, Quantity.PARAMS) if quantity in (Quantity.WEIGHTS, Quantity.PARAMS) else (quantity,)
    totals = set().union(*(_totals(network)[q] for q in counts))
    interval = rounding(value, text, approximate=approximate)
    if interval is None:
        return value in totals
    return any(interval[0] <= total < interval[1] for total in totals)
