"""The reference engine: per-layer figures of a network under explicit conventions.

One record per counted layer; totals are derived from the records, never stored."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from grader.core import GraderError, Quantity
from grader.reference.spec import INPUT, JOIN_KINDS, Layer, Network


@dataclass(frozen=True, slots=True)
class Conventions:
    """How the figures are counted; None keeps the spec's own choice."""

    input_size: int | None = None  # input height and width (AlexNet: 227; the paper says 224)
    towers: int | None = None  # 1 merges the two GPU towers; None keeps the spec's
    connections_with_bias: bool | None = None  # LeCun 1998 counts a connection per bias
    # How memory and FLOPs are counted (grader/reference/costs.py's CostConventions); None: its defaults.
    # The engine's own figures ignore it; the comparator reads the costs under it.
    costs: object = None

    def describe(self) -> str:
        parts = []
        if self.input_size is not None:
            parts.append(f"input {self.input_size}")
        if self.towers is not None:
            parts.append("towers merged" if self.towers == 1 else f"{self.towers} towers")
        if self.connections_with_bias is not None:
            parts.append("connections with biases" if self.connections_with_bias else "connections without biases")
        if self.costs is not None:
            parts.append(self.costs.describe())
        return ", ".join(parts) or "the spec's conventions"


@dataclass(frozen=True, slots=True)
class LayerFigures:
    name: str
    kind: str
    input_shape: tuple[int, ...]
    shape: tuple[int, ...]  # output (H, W, C) for conv/pool, (units,) for fc
    units: int
    weights: int
    biases: int
    connections: int
    non_integral: bool = False  # the output size formula did not divide evenly and was floored
    formulas: dict = field(default_factory=dict)  # Quantity -> "5·5·48·256 = 307,200"
    size_formula: str = ""  # conv/pool: "(227-11)/4+1 = 55"; "(224-11)/4+1 = 54.25, floored"
    split: bool = False  # conv: each filter saw only its own tower's share of the input channels
    # The records (or INPUT) whose outputs this layer takes; input_shape is the first one's.
    inputs: tuple[str, ...] = ()
    ceil: bool = False  # the output size was rounded up (ceil mode), not floored

    @property
    def params(self) -> int:
        return self.weights + self.biases

    @property
    def neurons(self) -> bool:
        """Its outputs are the network's neurons: conv, fc and trainable pooling. The outputs of plain
        pooling (as in the AlexNet paper's caption), batch norm, additions and concatenations are the
        same neurons passed on, not new ones."""
        return self.kind in ("conv", "fc") or (self.kind == "pool" and self.weights > 0)

    def figure(self, quantity: Quantity) -> int | tuple[int, ...]:
        return self.shape if quantity is Quantity.SHAPE else getattr(self, quantity.value)


@dataclass(frozen=True, slots=True)
class Figures:
    network: str
    conventions: Conventions
    input_shape: tuple[int, int, int]
    layers: tuple[LayerFigures, ...]
    # The conventions in effect (the spec's own where `conventions` leaves one unset).
    title: str = ""
    towers: int = 1
    connections_with_bias: bool = False

    def layer(self, name: str) -> LayerFigures:
        for figures in self.layers:
            if figures.name == name:
                return figures
        raise KeyError(f"{self.network} has no counted layer {name!r}")

    def total(self, quantity: Quantity) -> int:
        """Units over the layers whose outputs are neurons (LayerFigures.neurons); weights, biases,
        params and connections over every layer (zero where a layer has none)."""
        if quantity is Quantity.SHAPE:
            raise ValueError("shapes have no total")
        return sum(getattr(f, "params" if quantity is Quantity.PARAMS else quantity.value)
                   for f in self.layers if f.neurons or quantity is not Quantity.UNITS)

    def figure(self, layer: str, quantity: Quantity) -> int | tuple[int, ...]:
        if layer == "total":
            return self.total(quantity)
        if layer == "input":
            if quantity is not Quantity.SHAPE:
                raise KeyError("the input has only a shape")
            return self.input_shape
        return self.layer(layer).figure(quantity)


def n(value: int) -> str:
    """A count as a key prints it: 307,200."""
    return f"{value:,}"


def _product(factors) -> str:
    return "·".join(str(f) for f in factors)


def _out_size(size: int, kernel: int, stride: int, padding: int, ceil: bool = False) -> tuple[int, bool, str]:
    """The output size along one axis, floored as frameworks do (rounded up in ceil mode); whether it
    was; and how to write it."""
    span = size + 2 * padding - kernel
    written = f"({size}+2·{padding}-{kernel})/{stride}+1" if padding else f"({size}-{kernel})/{stride}+1"
    if span < 0:
        raise GraderError(f"an input of {size} is smaller than the kernel {kernel}"
                          + (f" with padding {padding}" if padding else ""))
    out, rest = span // stride + 1, span % stride
    if not rest:
        return out, False, f"{written} = {out}"
    exact = span / stride + 1
    shown = f"{exact:.2f}".rstrip("0").rstrip(".")
    sign = "=" if abs(float(shown) - exact) < 1e-12 else "≈"
    # PyTorch's ceil mode rounds up, unless the last window would start in the right padding
    if ceil and out * stride < size + padding:
        return out + 1, True, f"{written} {sign} {shown}, rounded up (ceil mode)"
    return out, True, f"{written} {sign} {shown}, floored"


def _conv_input_depth(layer: Layer, channels: int, towers: int) -> tuple[int, str]:
    """The depth one filter sees, and how to write it."""
    depth = layer.input_channels if layer.input_channels is not None else channels
    if layer.split and towers > 1:
        return depth // towers, str(depth // towers)
    return depth, str(depth)


def compute(network: Network, conventions: Conventions = Conventions()) -> Figures:
    """Figures of every counted layer; GraderError (naming the layer) where the layers do not chain,
    e.g. an input size too small for a kernel."""
    towers = conventions.towers if conventions.towers is not None else network.towers
    with_bias = (conventions.connections_with_bias if conventions.connections_with_bias is not None
                 else network.connections_with_bias)
    h, w, c = network.input_shape
    if conventions.input_size is not None:
        if conventions.input_size < 1:
            raise GraderError(f"{network.name}: the input size must be positive, not {conventions.input_size}")
        h = w = conventions.input_size
    input_shape = (h, w, c)
    # The output shape of every layer so far by name; a layer reads its inputs' (default: the last one's).
    shapes: dict[str, tuple[int, ...]] = {INPUT: input_shape}
    previous = INPUT
    records: list[LayerFigures] = []
    for layer in network.layers:
        inputs = layer.inputs or (previous,)
        shape = shapes[inputs[0]]
        try:
            if layer.kind == "conv":
                record = _conv(layer, shape, towers, with_bias)
            elif layer.kind == "pool":
                record = _pool(layer, shape, with_bias)
            elif layer.kind == "fc":
                record = _fc(layer, shape, with_bias)
            elif layer.kind == "bn":
                record = _batch_norm(layer, shape, with_bias)
            elif layer.kind in JOIN_KINDS:
                record = _join(layer, inputs, [shapes[name] for name in inputs])
            else:  # lrn, relu, dropout, flatten, softmax: the shape passes through
                record = None
        except GraderError as err:
            raise GraderError(f"{network.name}, layer {layer.name}: {err}") from None
        if record is not None:
            record = replace(record, inputs=inputs)
            records.append(record)
            shape = record.shape
        shapes[layer.name] = shape
        previous = layer.name
    return Figures(network.name, conventions, input_shape, tuple(records),
                   title=network.title, towers=towers, connections_with_bias=with_bias)


def _spatial(layer: Layer, shape: tuple[int, ...]) -> tuple[int, int, bool, str, bool]:
    """Output height and width; whether a size did not divide; how to write it; whether ceil mode
    rounded a size up."""
    if len(shape) != 3:
        raise GraderError(f"a {layer.kind} layer needs a spatial input (H×W×C), not {_product(shape)}")
    oh, rough_h, text_h = _out_size(shape[0], layer.kernel[0], layer.stride[0], layer.padding[0], layer.ceil)
    ow, rough_w, text_w = _out_size(shape[1], layer.kernel[1], layer.stride[1], layer.padding[1], layer.ceil)
    text = text_h if (shape[0], layer.kernel[0], layer.stride[0], layer.padding[0]) == (
        shape[1], layer.kernel[1], layer.stride[1], layer.padding[1]) else f"H {text_h}; W {text_w}"
    up = layer.ceil and (oh, ow) != (
        _out_size(shape[0], layer.kernel[0], layer.stride[0], layer.padding[0])[0],
        _out_size(shape[1], layer.kernel[1], layer.stride[1], layer.padding[1])[0])
    return oh, ow, rough_h or rough_w, text, up


def _conv(layer: Layer, shape, towers: int, with_bias: bool) -> LayerFigures:
    oh, ow, rough, size_formula, up = _spatial(layer, shape)
    kh, kw = layer.kernel
    positions = oh * ow
    split = False
    if layer.connection_table is not None:
        beyond = sorted({i for row in layer.connection_table for i in row if i >= shape[2]})
        if beyond:
            raise GraderError(f"connection_table names input maps {beyond} but the input has {shape[2]} "
                              "(numbered from 0)")
        seen = sum(len(row) for row in layer.connection_table)
        weights = kh * kw * seen
        weights_formula = f"{kh}·{kw}·{seen} = {n(weights)}"
    elif layer.groups > 1 and layer.input_channels is None:  # a forced depth is already one filter's
        if shape[2] % layer.groups:
            raise GraderError(f"{shape[2]} input channels do not split into {layer.groups} groups")
        depth = shape[2] // layer.groups
        weights = kh * kw * depth * layer.filters
        weights_formula = f"{kh}·{kw}·{depth}·{layer.filters} = {n(weights)}"
    else:
        depth, depth_text = _conv_input_depth(layer, shape[2], towers)
        split = layer.split and towers > 1
        weights = kh * kw * depth * layer.filters
        weights_formula = f"{kh}·{kw}·{depth_text}·{layer.filters} = {n(weights)}"
    biases = layer.filters if layer.bias else 0
    per_position = weights + (biases if with_bias else 0)
    connections = per_position * positions
    units = positions * layer.filters
    return LayerFigures(
        layer.name, "conv", tuple(shape), (oh, ow, layer.filters), units, weights, biases, connections, rough,
        {
            Quantity.UNITS: f"{oh}·{ow}·{layer.filters} = {n(units)}",
            Quantity.WEIGHTS: weights_formula,
            Quantity.BIASES: n(biases),
            Quantity.PARAMS: f"{n(weights)} + {n(biases)} = {n(weights + biases)}",
            Quantity.CONNECTIONS: f"{n(per_position)}·{oh}·{ow} = {n(connections)}",
            Quantity.SHAPE: f"{oh}×{ow}×{layer.filters}",
        },
        size_formula, split, ceil=up,
    )


def _pool(layer: Layer, shape, with_bias: bool) -> LayerFigures:
    if layer.adaptive is not None:
        if len(shape) != 3:
            raise GraderError(f"a pool layer needs a spatial input (H×W×C), not {_product(shape)}")
        (oh, ow), rough, up = layer.adaptive, False, False
        size_formula = f"adaptive pooling to {oh}×{ow}"
    else:
        oh, ow, rough, size_formula, up = _spatial(layer, shape)
    channels = shape[2]
    units = oh * ow * channels
    kh, kw = layer.kernel
    if layer.trainable:
        weights, biases = channels, channels if layer.bias else 0
        per_unit = kh * kw + (1 if with_bias and layer.bias else 0)
        connections = per_unit * units
        connection_formula = f"{_product((f'({kh}·{kw}+1)' if per_unit > kh * kw else f'{kh}·{kw}', channels, oh, ow))} = {n(connections)}"
    else:
        weights = biases = connections = 0
        connection_formula = "0"
    return LayerFigures(
        layer.name, "pool", tuple(shape), (oh, ow, channels), units, weights, biases, connections, rough,
        {
            Quantity.UNITS: f"{oh}·{ow}·{channels} = {n(units)}",
            Quantity.WEIGHTS: f"{weights}",
            Quantity.BIASES: n(biases),
            Quantity.PARAMS: f"{weights} + {biases} = {weights + biases}" if weights else "0",
            Quantity.CONNECTIONS: connection_formula,
            Quantity.SHAPE: f"{oh}×{ow}×{channels}",
        },
        size_formula, ceil=up,
    )


def _batch_norm(layer: Layer, shape, with_bias: bool) -> LayerFigures:
    """A scale (the weight) and a shift (the bias) per channel: the trainable parameters. The running
    mean and variance it also keeps are statistics, not parameters (PyTorch's buffers, not counted by
    its parameter totals). A connection per scale per output position, as for a convolution."""
    channels, positions = shape[-1], math.prod(shape[:-1])
    weights, biases = channels, channels if layer.bias else 0
    per_position = weights + (biases if with_bias else 0)
    connections = per_position * positions
    units = channels * positions
    where = "·".join(str(size) for size in shape[:-1]) or "1"
    return LayerFigures(
        layer.name, "bn", tuple(shape), tuple(shape), units, weights, biases, connections, False,
        {
            Quantity.UNITS: f"{_product(shape)} = {n(units)}" if len(shape) > 1 else n(units),
            Quantity.WEIGHTS: n(weights),
            Quantity.BIASES: n(biases),
            Quantity.PARAMS: f"{n(weights)} + {n(biases)} = {n(weights + biases)}",
            Quantity.CONNECTIONS: f"{n(per_position)}·{where} = {n(connections)}",
            Quantity.SHAPE: "×".join(str(size) for size in shape),
        },
    )


def _join(layer: Layer, inputs: tuple[str, ...], shapes: list[tuple[int, ...]]) -> LayerFigures:
    """A residual sum (the inputs' shapes equal) or a channel concatenation (their H×W equal): no
    weights, no connections; the output is the inputs' neurons passed on."""
    first = shapes[0]
    described = ", ".join(f"{name} {'×'.join(map(str, shape))}" for name, shape in zip(inputs, shapes))
    if layer.kind == "add":
        if any(shape != first for shape in shapes):
            raise GraderError(f"an add layer needs inputs of one shape, not {described}")
        shape, written = first, _product(first)
    else:
        if any(len(s) != len(first) or s[:-1] != first[:-1] for s in shapes):
            raise GraderError(f"a concat layer needs inputs of one height and width, not {described}")
        shape = (*first[:-1], sum(s[-1] for s in shapes))
        # 28·28·(64+128+32+32): where the channels come from
        written = _product((*first[:-1], f"({'+'.join(str(s[-1]) for s in shapes)})"))
    units = math.prod(shape)
    return LayerFigures(
        layer.name, layer.kind, tuple(first), shape, units, 0, 0, 0, False,
        {
            Quantity.UNITS: f"{written} = {n(units)}",
            Quantity.WEIGHTS: "0",
            Quantity.BIASES: "0",
            Quantity.PARAMS: "0",
            Quantity.CONNECTIONS: "0",
            Quantity.SHAPE: "×".join(str(size) for size in shape),
        },
    )


def _fc(layer: Layer, shape, with_bias: bool) -> LayerFigures:
    inputs = math.prod(shape)
    # 6·6·256 shows where 9,216 comes from; a 1×1×120 map is just 120 inputs
    inputs_text = _product(shape) if len(shape) > 1 and math.prod(shape[:-1]) > 1 else str(inputs)
    weights = inputs * layer.filters
    biases = layer.filters if layer.bias else 0
    connections = weights + (biases if with_bias else 0)
    return LayerFigures(
        layer.name, "fc", tuple(shape), (layer.filters,), layer.filters, weights, biases, connections, False,
        {
            Quantity.UNITS: f"{n(layer.filters)}",
            Quantity.WEIGHTS: f"{inputs_text}·{layer.filters} = {n(weights)}",
            Quantity.BIASES: n(biases),
            Quantity.PARAMS: f"{n(weights)} + {n(biases)} = {n(weights + biases)}",
            Quantity.CONNECTIONS: (f"({inputs_text}+1)·{layer.filters} = {n(connections)}" if with_bias and biases
                                   else f"{inputs_text}·{layer.filters} = {n(connections)}"),
            Quantity.SHAPE: f"{layer.filters}",
        },
    )


__all__ = ["Conventions", "Figures", "LayerFigures", "compute", "n"]
