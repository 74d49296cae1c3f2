"""Invariants of the engine on every shipped spec under several conventions, the printed formulas
evaluated independently, and output sizes checked against a brute-force count of window positions."""
from __future__ import annotations

import ast
import math
import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.core import GraderError, Quantity
from grader.reference.engine import Conventions, compute
from grader.reference.spec import list_networks, load_network, parse_network

QUANTITIES = (Quantity.UNITS, Quantity.WEIGHTS, Quantity.BIASES, Quantity.PARAMS, Quantity.CONNECTIONS)


def conventions_for(name: str) -> list[Conventions]:
    size = load_network(name).input_shape[0]
    return [Conventions(), Conventions(towers=1), Conventions(towers=2), Conventions(connections_with_bias=True),
            Conventions(connections_with_bias=False), Conventions(input_size=size + 32),
            Conventions(input_size=size + 3, towers=1, connections_with_bias=True)]


CASES = [(name, conventions) for name in list_networks() for conventions in conventions_for(name)]


def case_id(case) -> str:
    return f"{case[0]}-{case[1].describe().replace(' ', '_')}"


@pytest.fixture(params=CASES, ids=[case_id(case) for case in CASES])
def case(request):
    name, conventions = request.param
    return load_network(name), conventions, compute(load_network(name), conventions)


def holds_neurons(layer) -> bool:
    """Units total conv and fc layers and trainable pools, not the outputs of plain pooling, batch
    norm, additions or concatenations (the same neurons passed on)."""
    return layer.kind in ("conv", "fc") or (layer.kind == "pool" and layer.weights > 0)


def test_layers_sum_to_the_totals(case):
    _, _, figures = case
    for quantity in QUANTITIES:
        assert figures.total(quantity) == sum(getattr(layer, quantity.value) for layer in figures.layers
                                              if holds_neurons(layer) or quantity is not Quantity.UNITS), quantity


def test_params_are_weights_plus_biases(case):
    _, _, figures = case
    for layer in figures.layers:
        assert layer.params == layer.weights + layer.biases
    assert figures.total(Quantity.PARAMS) == figures.total(Quantity.WEIGHTS) + figures.total(Quantity.BIASES)


def test_shapes_chain(case):
    network, conventions, figures = case
    if conventions.input_size is not None:
        assert figures.input_shape[:2] == (conventions.input_size, conventions.input_size)
    assert figures.input_shape[2] == network.input_shape[2]
    # Every layer's output by name, the pass-through ones (relu, flatten, ...) keeping their input's.
    shapes, previous = {"input": figures.input_shape}, "input"
    records = {layer.name: layer for layer in figures.layers}
    for spec in network.layers:
        sources = spec.inputs or (previous,)
        if spec.name in records:
            layer = records[spec.name]
            assert layer.inputs == sources, layer.name
            assert layer.input_shape == shapes[sources[0]], layer.name
            assert layer.units == math.prod(layer.shape)
            if layer.kind in ("pool", "bn", "add"):
                assert layer.shape[-1] == layer.input_shape[-1]
            if layer.kind == "add":
                assert all(shapes[name] == layer.shape for name in sources)
            if layer.kind == "concat":
                assert layer.shape[-1] == sum(shapes[name][-1] for name in sources)
                assert all(shapes[name][:-1] == layer.shape[:-1] for name in sources)
            shapes[spec.name] = layer.shape
        else:
            shapes[spec.name] = shapes[sources[0]]
        previous = spec.name


def test_counts_follow_their_definitions(case):
    network, _, figures = case
    with_bias = figures.connections_with_bias
    for layer in figures.layers:
        spec = network.layer(layer.name)
        if layer.kind == "fc":
            assert layer.shape == (spec.filters,)
            assert layer.weights == math.prod(layer.input_shape) * spec.filters
            assert layer.connections == layer.weights + (layer.biases if with_bias else 0)
        elif layer.kind == "conv":
            positions = layer.shape[0] * layer.shape[1]
            assert layer.connections == (layer.weights + (layer.biases if with_bias else 0)) * positions
            assert layer.biases == (spec.filters if spec.bias else 0)
            if spec.groups > 1:
                kh, kw = spec.kernel
                assert layer.weights == kh * kw * (layer.input_shape[2] // spec.groups) * spec.filters
        elif layer.kind == "bn":  # a scale and a shift per channel; the running statistics are not parameters
            assert (layer.weights, layer.biases) == (layer.shape[-1], layer.shape[-1])
        elif layer.kind in ("add", "concat"):
            assert (layer.weights, layer.biases, layer.connections) == (0, 0, 0)
        elif not spec.trainable:
            assert (layer.weights, layer.biases, layer.connections) == (0, 0, 0)


def test_merging_towers_only_grows_the_split_layers(case):
    network, conventions, figures = case
    merged = compute(network, Conventions(input_size=conventions.input_size, towers=1,
                                          connections_with_bias=conventions.connections_with_bias))
    for mine, whole in zip(figures.layers, merged.layers):
        if mine.split:
            assert whole.weights == mine.weights * figures.towers
        else:
            assert whole.weights == mine.weights
        assert whole.shape == mine.shape


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def evaluate(expression: str) -> float:
    """A written formula (5·5·48·256, (224+2·2-11)/4+1, 34,848 + 96) evaluated without eval."""
    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        raise ValueError(f"not arithmetic: {expression!r}")
    return walk(ast.parse(expression.replace("·", "*").replace(",", ""), mode="eval"))


def test_printed_formulas_compute_their_figures(case):
    _, _, figures = case
    for layer in figures.layers:
        for quantity in QUANTITIES:
            written = layer.formulas[quantity]
            left, _, right = written.rpartition(" = ")
            assert int(right.replace(",", "")) == layer.figure(quantity), (layer.name, written)
            if left:
                assert evaluate(left) == layer.figure(quantity), (layer.name, written)
        if layer.size_formula and not layer.size_formula.startswith(("adaptive", "H ")):
            left, _, right = layer.size_formula.partition(" = " if " = " in layer.size_formula else " ≈ ")
            exact = evaluate(left)
            rounded = math.ceil(exact) if "rounded up" in right else math.floor(exact)
            assert rounded == layer.shape[0]
            assert layer.ceil == (rounded != math.floor(exact))
            assert layer.non_integral == (exact != int(exact))


@settings(max_examples=200, deadline=None)
@given(size=st.integers(1, 64), kernel=st.integers(1, 12), stride=st.integers(1, 6), padding=st.integers(0, 4),
       channels=st.integers(1, 4), filters=st.integers(1, 8))
def test_output_size_counts_window_positions(size, kernel, stride, padding, channels, filters):
    raw = {"name": "probe", "input": [size, size, channels],
           "layers": [{"name": "conv", "type": "conv", "filters": filters, "kernel": kernel,
                       "stride": stride, "padding": padding}]}
    network = parse_network(raw, "probe.yaml")
    # A window starts at -padding, moves by stride, and must end inside the padded input.
    starts = range(-padding, size + padding - kernel + 1, stride)
    if not starts:
        with pytest.raises(GraderError, match="conv"):
            compute(network)
        return
    layer = compute(network).layer("conv")
    assert layer.shape == (len(starts), len(starts), filters)
    last_end = starts[-1] + kernel
    assert layer.non_integral == (last_end != size + padding)  # some padded input left unvisited
    assert layer.weights == kernel * kernel * channels * filters
    assert layer.connections == layer.weights * len(starts) ** 2


def test_input_too_small_is_a_clear_error():
    with pytest.raises(GraderError, match="alexnet, layer conv1: .*smaller than the kernel 11"):
        compute(load_network("alexnet"), Conventions(input_size=8))
    with pytest.raises(GraderError, match="positive"):
        compute(load_network("alexnet"), Conventions(input_size=0))


def test_perturbations_keep_working():
    # The comparator's with_layer / input_channels perturbations: conv1 seeing one channel.
    alexnet = load_network("alexnet")
    one_channel = compute(alexnet.with_layer("conv1", input_channels=1)).layer("conv1")
    assert one_channel.weights == 11 * 11 * 1 * 96
    over_split = compute(alexnet.with_layer("conv3", split=True)).layer("conv3")
    assert over_split.weights == 3 * 3 * 128 * 384 == 442_368
