"""Perturbations: the reference engine re-run with one thing changed, the way a student gets it wrong.

A `Flip` is one such change (a pitfall code, where it applies, and its argument). Each pitfall that
is detected by perturbation owns a `Perturbation`: which flips a network admits, and how a flip
changes the figures. Four stages, applied in this order:

- `global`: the network or the conventions as a whole (input 224, a padding forgotten, which shifts
  every later layer; another variant of the network; connections counted with biases);
- `layer`: one layer of the spec, without effect on the shapes (a split layer merged, a wrong depth);
- `formula`: one layer's counts read with a wrong formula ((k·k+1)·Cin·Cout, units = weights, ...);
- `bias`: which of the counts a slot reads (weights with the biases in, params without them,
  connections as FLOPs, memory as elements, FLOPs as MACs).

The costs (memory, FLOPs) are read under the conventions' `costs` (grader/reference/costs.py).

This module knows nothing of the pitfall registry: `pitfalls.py` pairs each code with its
perturbation, and the index and the diagnosis read them from there.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from grader.core import GraderError, Quantity
from grader.reference.costs import CostConventions, layer_costs
from grader.reference.engine import Conventions, Figures, LayerFigures, compute
from grader.reference.spec import Layer, Network, load_network, variants

GLOBAL, LAYER, FORMULA, BIAS = "global", "layer", "formula", "bias"
STAGES = (GLOBAL, LAYER, FORMULA, BIAS)

# The AlexNet paper's Figure 2 caption gives 253,440 neurons for conv1 (it is 290,400).
CAPTION_FIGURES = {("alexnet", "conv1"): 253_440}
# The input size the papers state where the arithmetic needs another (AlexNet: 224 for 227).
STATED_INPUT = {227: 224}


@dataclass(frozen=True, slots=True)
class Flip:
    """One named change: `code` is a pitfall code (or a convention name for accepted conventions)."""

    code: str
    layer: str | None = None
    arg: object = None

    def describe(self) -> str:
        where = f" at {self.layer}" if self.layer else ""
        arg = f" ({self.arg})" if self.arg is not None else ""
        return f"{self.code}{where}{arg}"


@dataclass(frozen=True, slots=True)
class Counts:
    """What a student reads off one layer; `formula` flips return a changed copy."""

    units: int
    weights: int
    biases: int
    connections: int
    shape: tuple[int, ...]
    # the costs of one forward pass under the conventions' costs: MACs, FLOPs as they count them,
    # the output elements and their memory in bytes
    macs: int = 0
    flops: int = 0
    activations: int = 0
    memory: int = 0

    def read(self, quantity: Quantity):
        if quantity is Quantity.SHAPE:
            return self.shape
        if quantity is Quantity.PARAMS:
            return self.weights + self.biases
        return getattr(self, quantity.value)


@dataclass(frozen=True, slots=True)
class LayerContext:
    """One layer as computed under some flips, with what the formula flips need around it."""

    network: str  # the spec asked (not a variant's), for data such as the caption's figures
    layer: Layer
    figures: LayerFigures
    next_pool: LayerFigures | None  # the pooling right after a conv layer, if any
    towers: int
    with_bias: bool  # connections counted with biases
    first_conv: bool
    first_fc: bool
    costs: CostConventions = CostConventions()
    next_relu: bool = False  # a ReLU follows the layer in the spec
    counts: Counts = field(init=False, repr=False, compare=False)  # its figures and costs: read for every flip

    def __post_init__(self):
        f = self.figures
        cost = layer_costs(f, self.costs)
        object.__setattr__(self, "counts", Counts(f.units, f.weights, f.biases, f.connections, f.shape,
                                                  cost.macs, cost.flops, cost.activations, cost.activation_bytes))

    @property
    def positions(self) -> int:
        shape = self.figures.shape
        return shape[0] * shape[1] if len(shape) == 3 else 1

    @property
    def depth_seen(self) -> int:
        """The input depth one filter of a conv layer sees, as computed."""
        layer, f = self.layer, self.figures
        return f.weights // (layer.kernel[0] * layer.kernel[1] * layer.filters)


@dataclass(frozen=True, slots=True)
class Perturbation:
    """How a pitfall changes the figures: the flips a network admits and what each does.

    `apply` is, by stage: global and layer (flip, network, conventions) -> (network, conventions);
    formula (flip, context) -> Counts or None where it does not apply; bias (flip, counts,
    quantity) -> the value the slot reads, or None.
    `origin`: "input" when the mistake lies before every layer (all it explains follows from it),
    "layer" when it lies at the flip's layer (later layers follow from it if it changes shapes),
    "network" when it is a choice of the whole network (each answer it explains carries it).
    A flip with `min_layers` > 1 needs that much evidence: it is never tried for a lone answer."""

    stage: str
    candidates: Callable[[Network, Conventions], tuple[Flip, ...]]
    apply: Callable
    origin: str = "layer"
    description: str = ""
    min_layers: int = 1  # a diagnosis takes the flip only when it explains answers on this many layers


# ---------------------------------------------------------------- helpers


def _conv_layers(network: Network) -> list[Layer]:
    return [layer for layer in network.layers if layer.kind == "conv"]


def _fc_layers(network: Network) -> list[Layer]:
    return [layer for layer in network.layers if layer.kind == "fc"]


def _towers(network: Network, conventions: Conventions) -> int:
    return conventions.towers if conventions.towers is not None else network.towers


def _input_size(network: Network, conventions: Conventions) -> int:
    return conventions.input_size if conventions.input_size is not None else network.input_shape[0]


def figures_or_none(network: Network, conventions: Conventions) -> Figures | None:
    """The engine's figures, or None where the perturbed layers do not chain (kernel > input)."""
    try:
        return compute(network, conventions)
    except GraderError:
        return None


# ---------------------------------------------------------------- global


def _input_224_candidates(network, conventions):
    stated = STATED_INPUT.get(_input_size(network, conventions))
    return (Flip("input-224", arg=stated),) if stated else ()


def _input_224_apply(flip, network, conventions):
    return network, replace(conventions, input_size=flip.arg)


def _padding_candidates(network, conventions):
    return tuple(Flip("padding-missed", layer.name) for layer in network.layers
                 if layer.kind in ("conv", "pool") and layer.padding != (0, 0))


def _padding_apply(flip, network, conventions):
    return network.with_layer(flip.layer, padding=(0, 0)), conventions


def _stride_candidates(network, conventions):
    return tuple(Flip("stride-missed", layer.name) for layer in network.layers
                 if layer.kind in ("conv", "pool") and layer.adaptive is None and layer.stride != (1, 1))


def _stride_apply(flip, network, conventions):
    return network.with_layer(flip.layer, stride=(1, 1)), conventions


def _variant_candidates(network, conventions):
    # the other versions of the network, as the specs declare them (variant_of)
    return tuple(Flip("wrong-variant", arg=name) for name in variants(network.name))


def _variant_apply(flip, network, conventions):
    # The variant's own input and towers: its figures as its users quote them; its layers under the
    # asked network's names, so that each answer is read against the variant's same layer.
    return aligned(load_network(flip.arg), network), replace(conventions, input_size=None, towers=None)


def aligned(variant: Network, asked: Network) -> Network:
    """The variant with each layer renamed to the asked network's layer it shares a name or an alias
    with (LeNet-1998's C5, alias F5, is the modern LeNet-5's fc1, alias C5). Layers that match none,
    or more than one, keep their names; so does the whole network where renaming would repeat one."""
    def names(layer: Layer) -> set[str]:
        return {name.casefold() for name in (layer.name, *layer.aliases)}

    renamed = {}
    for layer in variant.layers:
        matches = [other.name for other in asked.layers if names(layer) & names(other)]
        if len(matches) == 1:
            renamed[layer.name] = matches[0]
    layers = tuple(replace(layer, name=renamed.get(layer.name, layer.name)) for layer in variant.layers)
    if len({layer.name for layer in layers}) < len(layers):
        return variant
    return replace(variant, layers=layers)


def _connection_bias_candidates(network, conventions):
    current = (conventions.connections_with_bias if conventions.connections_with_bias is not None
               else network.connections_with_bias)
    return (Flip("connections_with_bias", arg=not current),)


def _connection_bias_apply(flip, network, conventions):
    return network, replace(conventions, connections_with_bias=flip.arg)


# ---------------------------------------------------------------- layer


def _split_candidates(network, conventions):
    if _towers(network, conventions) < 2:
        return ()
    return tuple(Flip("tower-split-missed", layer.name) for layer in _conv_layers(network) if layer.split)


def _split_apply(flip, network, conventions):
    return network.with_layer(flip.layer, split=False), conventions


def _depth_candidates(network, conventions):
    flips = []
    for i, layer in enumerate(_conv_layers(network)):
        if layer.connection_table is not None:
            continue
        depths = (1, 3) if i else tuple(d for d in (1, 3) if d != network.input_shape[2])
        flips += [Flip("wrong-input-channels", layer.name, depth) for depth in depths]
    return tuple(flips)


def _depth_apply(flip, network, conventions):
    # The depth the student wrote is the depth each filter sees: no tower split on top of it.
    return network.with_layer(flip.layer, input_channels=flip.arg, split=False), conventions


# ---------------------------------------------------------------- formula


def _conv_names(network, *, first: bool = True, split: bool | None = None) -> list[str]:
    convs = _conv_layers(network)
    if not first:
        convs = convs[1:]
    return [layer.name for layer in convs
            if layer.connection_table is None and (split is None or layer.split == split)]


def _half_candidates(network, conventions):
    if _towers(network, conventions) < 2:
        return ()
    return tuple(Flip("tower-half-counted", name) for name in _conv_names(network, split=True))


def _half_apply(flip, ctx: LayerContext):
    if not ctx.figures.split:
        return None
    t, c = ctx.towers, ctx.counts
    return replace(c, units=c.units // t, weights=c.weights // t, biases=c.biases // t, connections=c.connections // t)


def _over_split_candidates(network, conventions):
    if _towers(network, conventions) < 2:
        return ()
    names = _conv_names(network, first=False, split=False) + [layer.name for layer in _fc_layers(network)]
    return tuple(Flip("tower-over-split", name) for name in names)


def _over_split_apply(flip, ctx: LayerContext):
    if ctx.figures.split:
        return None
    t, c = ctx.towers, ctx.counts
    weights = c.weights // t
    per_position = weights + (c.biases if ctx.with_bias else 0)
    return replace(c, weights=weights, connections=per_position * ctx.positions)


def _conv_candidates(code: str, *, arg=None):
    def candidates(network, conventions):
        return tuple(Flip(code, name, arg) for name in _conv_names(network))
    return candidates


def _bias_per_channel_apply(flip, ctx: LayerContext):
    if ctx.layer.kind != "conv" or not ctx.layer.bias:
        return None
    c = ctx.counts
    biases = ctx.depth_seen * ctx.layer.filters  # one bias per input channel per filter
    return replace(c, biases=biases, connections=(c.weights + biases) * ctx.positions)


def _units_as_weights_apply(flip, ctx: LayerContext):
    if ctx.layer.kind != "conv":
        return None
    kernel = ctx.layer.kernel[0] * ctx.layer.kernel[1] * ctx.depth_seen
    return replace(ctx.counts, units=kernel if flip.arg == "kernel" else ctx.figures.weights)


def _units_as_weights_candidates(network, conventions):
    return tuple(Flip("units-as-weights", name, arg) for name in _conv_names(network) for arg in (None, "kernel"))


def _after_pool_candidates(network, conventions):
    flips, previous = [], None
    for layer in network.layers:
        if layer.kind == "pool" and previous is not None and previous.kind == "conv":
            flips.append(Flip("units-after-pool", previous.name))
        if layer.counted:
            previous = layer
    return tuple(flips)


def _after_pool_apply(flip, ctx: LayerContext):
    if ctx.next_pool is None:
        return None
    return replace(ctx.counts, units=ctx.next_pool.units)


def _connections_as_weights_candidates(network, conventions):
    # arg "params": the parameter count (weights and biases) given as the connections
    return tuple(Flip("connections-as-weights", name, arg) for name in _conv_names(network) for arg in (None, "params"))


def _connections_as_weights_apply(flip, ctx: LayerContext):
    if ctx.layer.kind != "conv" or ctx.positions == 1:
        return None
    f = ctx.figures
    return replace(ctx.counts, connections=f.weights + f.biases if flip.arg == "params" else f.weights)


def _caption_candidates(network, conventions):
    return tuple(Flip("caption-253440", layer) for (name, layer) in CAPTION_FIGURES if name == network.name)


def _caption_apply(flip, ctx: LayerContext):
    figure = CAPTION_FIGURES.get((ctx.network, flip.layer))
    return replace(ctx.counts, units=figure) if figure else None


def _wrong_side_candidates(network, conventions):
    return tuple(Flip("fc-bias-wrong-side", layer.name) for layer in _fc_layers(network) if layer.bias)


def _wrong_side_apply(flip, ctx: LayerContext):
    inputs = ctx.figures.weights // ctx.layer.filters
    if ctx.layer.kind != "fc" or inputs == ctx.layer.filters:
        return None
    return replace(ctx.counts, biases=inputs)  # in·(out+1) = in·out + in


def _fc_input_candidates(network, conventions):
    """Flattened input sizes a student may give the first FC layer: the channels alone, or the whole
    map of a layer before it, or half of it; never the right one, nor the one input 224 gives."""
    fcs = _fc_layers(network)
    figures = figures_or_none(network, conventions)
    if not fcs or figures is None:
        return ()
    first = fcs[0]
    right = figures.layer(first.name).weights // first.filters
    excluded = {right}
    stated = STATED_INPUT.get(_input_size(network, conventions))
    if stated:
        at_224 = figures_or_none(network, replace(conventions, input_size=stated))
        if at_224 is not None:
            excluded.add(at_224.layer(first.name).weights // first.filters)
    sizes = []
    for f in figures.layers:
        if f.name == first.name:
            break
        if len(f.shape) == 3:
            h, w, c = f.shape
            sizes += [c, h * w * c, h * w * c // 2, h * w]
    return tuple(Flip("fc6-input-wrong", first.name, size)
                 for size in dict.fromkeys(sizes) if size > 0 and size not in excluded)


def _fc_input_apply(flip, ctx: LayerContext):
    if ctx.layer.kind != "fc":
        return None
    weights = flip.arg * ctx.layer.filters
    return replace(ctx.counts, weights=weights, connections=weights + (ctx.figures.biases if ctx.with_bias else 0))


# ---------------------------------------------------------------- bias


def _weighted_candidates(code: str):
    def candidates(network, conventions):
        return tuple(Flip(code, layer.name) for layer in network.layers
                     if layer.kind in ("conv", "fc") and layer.bias)
    return candidates


def _bias_counted_read(flip, counts: Counts, quantity: Quantity):
    if quantity is not Quantity.WEIGHTS or not counts.biases:
        return None
    return counts.weights + counts.biases


def _bias_missed_read(flip, counts: Counts, quantity: Quantity):
    if quantity is not Quantity.PARAMS or not counts.biases:
        return None
    return counts.weights


def _flops_candidates(network, conventions):
    return tuple(Flip("connections_as_flops", layer.name) for layer in network.layers if layer.counted)


def _flops_read(flip, counts: Counts, quantity: Quantity):
    # FLOPs = 2·MACs: a multiply and an add per connection
    if quantity is not Quantity.CONNECTIONS or not counts.connections:
        return None
    return 2 * counts.connections


# ---------------------------------------------------------------- graphs: groups, batch norm, shortcuts


def _depthwise_candidates(network, conventions):
    return tuple(Flip("depthwise-as-full", layer.name) for layer in _conv_layers(network) if layer.groups > 1)


def _depthwise_apply(flip, network, conventions):
    return network.with_layer(flip.layer, groups=1), conventions


def _bn_candidates(network, conventions):
    return tuple(Flip("bn-params-four", layer.name) for layer in network.layers if layer.kind == "bn")


def _bn_four_apply(flip, ctx: LayerContext):
    # the running mean and variance counted with the scale and the shift: 4 per channel
    if ctx.layer.kind != "bn":
        return None
    c = ctx.counts
    return replace(c, weights=2 * c.weights, biases=2 * c.biases)


def shortcut_layers(network: Network) -> tuple[str, ...]:
    """The layers of every projection shortcut: a convolution that reads another layer than the one
    listed before it (a branch) and leads into a residual sum, directly or through the batch norm
    after it (ResNet's downsample.0 and downsample.1)."""
    by_name = {layer.name: layer for layer in network.layers}
    found = []
    for join in network.layers:
        if join.kind != "add":
            continue
        for name in join.inputs:
            path, layer = [], by_name.get(name)
            if layer is not None and layer.kind == "bn" and not layer.inputs:
                path.append(layer.name)
                at = [l.name for l in network.layers].index(layer.name)
                layer = network.layers[at - 1] if at else None
            if layer is not None and layer.kind == "conv" and layer.inputs:
                found += [layer.name, *path]
    return tuple(dict.fromkeys(found))


def _shortcut_candidates(network, conventions):
    return tuple(Flip("projection-shortcut-missed", name) for name in shortcut_layers(network))


def _shortcut_apply(flip, ctx: LayerContext):
    # the shortcut's layer left out of the count: nothing of it counted
    c = ctx.counts
    return replace(c, weights=0, biases=0, connections=0, macs=0, flops=0, activations=0, memory=0)


# ---------------------------------------------------------------- costs


def _pool_relu_candidates(network, conventions):
    flips = []
    for i, layer in enumerate(network.layers):
        if layer.kind == "pool" and not layer.trainable:
            flips.append(Flip("flops-on-pool-relu", layer.name, "pool"))
        following = network.layers[i + 1] if i + 1 < len(network.layers) else None
        if layer.kind in ("conv", "fc", "bn") and following is not None and following.kind == "relu" \
                and not following.inputs:
            flips.append(Flip("flops-on-pool-relu", layer.name, "relu"))
    return tuple(flips)


def _pool_relu_apply(flip, ctx: LayerContext):
    """Pooling charged one operation per window element per output (k·k·C·H'·W'), or the ReLU after a
    layer one per element, added to the layer's FLOPs."""
    c = ctx.counts
    if flip.arg == "pool" and ctx.layer.kind == "pool":
        f = ctx.figures
        if ctx.layer.adaptive is not None:  # a window of the input's share of each output
            window = -(-f.input_shape[0] // f.shape[0]) * -(-f.input_shape[1] // f.shape[1])
        else:
            window = ctx.layer.kernel[0] * ctx.layer.kernel[1]
        return replace(c, flops=c.activations * window)
    if flip.arg == "relu" and ctx.next_relu and ctx.layer.kind != "pool":
        return replace(c, flops=c.flops + c.activations)
    return None


def _cost_candidates(code: str):
    def candidates(network, conventions):
        return tuple(Flip(code, layer.name) for layer in network.layers if layer.counted)
    return candidates


def _costs(conventions: Conventions) -> CostConventions:
    return conventions.costs if conventions.costs is not None else CostConventions()


def _flops_vs_macs_read(flip, counts: Counts, quantity: Quantity):
    # FLOPs as 2·MACs where the convention counts a multiply-add as one, or MACs where it counts two
    if quantity is not Quantity.FLOPS or not counts.macs:
        return None
    return counts.macs if counts.flops >= 2 * counts.macs else 2 * counts.macs


def _elements_read(flip, counts: Counts, quantity: Quantity):
    # the number of output elements given as the memory, as if an element took one byte
    if quantity is not Quantity.MEMORY or not counts.activations or counts.memory == counts.activations:
        return None
    return counts.activations


def _kilo_candidates(network, conventions):
    # arg: the power of the unit (1: KB, 2: MB) the other kilo was used at
    kilo = _costs(conventions).kilo
    return tuple(Flip("kilo-1000-vs-1024", layer.name, (kilo, power)) for layer in network.layers
                 if layer.counted for power in (1, 2))


def _kilo_read(flip, counts: Counts, quantity: Quantity):
    """The memory in the rubric's units worked with the other kilo (KB of 1000 bytes for 1024): as
    bytes, the figure times (kilo / other)^power, so that the rubric's unit reads what they wrote."""
    if quantity is not Quantity.MEMORY or not counts.memory:
        return None
    kilo, power = flip.arg
    other = 1000 if kilo == 1024 else 1024
    return counts.memory * (kilo / other) ** power


def _batch_candidates(network, conventions):
    batch = _costs(conventions).stated_batch
    if batch is None:
        return ()
    return tuple(Flip("batch-counted", layer.name, batch) for layer in network.layers if layer.counted)


def _batch_read(flip, counts: Counts, quantity: Quantity):
    # the memory or the FLOPs of the whole batch, where one image's are asked
    if quantity not in (Quantity.MEMORY, Quantity.FLOPS) or not counts.read(quantity):
        return None
    return counts.read(quantity) * flip.arg


# ---------------------------------------------------------------- the perturbations

INPUT_224 = Perturbation(GLOBAL, _input_224_candidates, _input_224_apply, origin="input",
                         description="re-run with the input the paper states (224×224)")
PADDING_MISSED = Perturbation(GLOBAL, _padding_candidates, _padding_apply,
                              description="re-run with one layer's padding set to 0")
STRIDE_MISSED = Perturbation(GLOBAL, _stride_candidates, _stride_apply,
                             description="re-run with one layer's stride set to 1")
WRONG_VARIANT = Perturbation(GLOBAL, _variant_candidates, _variant_apply, origin="network",
                             description="the figures of another well-known variant of the network, "
                                         "on two layers at least", min_layers=2)
CONNECTIONS_WITH_BIAS = Perturbation(GLOBAL, _connection_bias_candidates, _connection_bias_apply, origin="network",
                                     description="connections counted with (or without) one per bias")
TOWER_SPLIT_MISSED = Perturbation(LAYER, _split_candidates, _split_apply,
                                  description="a split layer computed as if it saw every input channel")
WRONG_INPUT_CHANNELS = Perturbation(LAYER, _depth_candidates, _depth_apply,
                                    description="a conv layer computed with a depth of 1 or 3")
TOWER_HALF_COUNTED = Perturbation(FORMULA, _half_candidates, _half_apply,
                                  description="one tower's half of a split layer")
TOWER_OVER_SPLIT = Perturbation(FORMULA, _over_split_candidates, _over_split_apply,
                                description="a layer that connects across towers computed as split")
BIAS_PER_INPUT_CHANNEL = Perturbation(FORMULA, _conv_candidates("bias-per-input-channel"), _bias_per_channel_apply,
                                      description="(k·k+1)·Cin·Cout")
UNITS_AS_WEIGHTS = Perturbation(FORMULA, _units_as_weights_candidates, _units_as_weights_apply,
                                description="units read as the weights (or one filter's kernel product)")
UNITS_AFTER_POOL = Perturbation(FORMULA, _after_pool_candidates, _after_pool_apply,
                                description="units read after the following pooling")
CONNECTIONS_AS_WEIGHTS = Perturbation(FORMULA, _connections_as_weights_candidates, _connections_as_weights_apply,
                                      description="conv connections = weights (or weights + biases)")
CAPTION_253440 = Perturbation(FORMULA, _caption_candidates, _caption_apply,
                              description="conv1 units = the caption's 253,440")
FC_BIAS_WRONG_SIDE = Perturbation(FORMULA, _wrong_side_candidates, _wrong_side_apply,
                                  description="in·(out+1) instead of (in+1)·out")
FC6_INPUT_WRONG = Perturbation(FORMULA, _fc_input_candidates, _fc_input_apply,
                               description="the first FC layer with another flattened input size")
BIAS_COUNTED = Perturbation(BIAS, _weighted_candidates("bias-counted"), _bias_counted_read,
                            description="weights read with the biases in")
BIAS_MISSED = Perturbation(BIAS, _weighted_candidates("bias-missed"), _bias_missed_read,
                           description="parameters read without the biases")
DEPTHWISE_AS_FULL = Perturbation(LAYER, _depthwise_candidates, _depthwise_apply,
                                 description="a grouped (depthwise) conv layer computed with groups 1")
BN_PARAMS_FOUR = Perturbation(FORMULA, _bn_candidates, _bn_four_apply,
                              description="a batch norm's weights and biases doubled (4 per channel)")
PROJECTION_SHORTCUT_MISSED = Perturbation(FORMULA, _shortcut_candidates, _shortcut_apply, origin="network",
                                          description="a projection shortcut's conv and batch norm counted as 0 "
                                                      "(totals without them)")
FLOPS_ON_POOL_RELU = Perturbation(FORMULA, _pool_relu_candidates, _pool_relu_apply, origin="network",
                                  description="FLOPs of k·k per pooled output, or one per element for a ReLU")
FLOPS_VS_MACS = Perturbation(BIAS, _cost_candidates("flops-vs-macs"), _flops_vs_macs_read,
                             description="FLOPs read as 2·MACs where MACs are asked, or as MACs where 2·MACs are")
MEMORY_AS_ELEMENTS = Perturbation(BIAS, _cost_candidates("memory-as-elements"), _elements_read,
                                  description="memory read as the output elements (one byte each)")
KILO_1000_VS_1024 = Perturbation(BIAS, _kilo_candidates, _kilo_read,
                                 description="memory converted with 1000 bytes a KB where 1024 is asked "
                                             "(or the other way)")
BATCH_COUNTED = Perturbation(BIAS, _batch_candidates, _batch_read,
                             description="memory or FLOPs times the batch size the assignment states")
CONNECTIONS_AS_FLOPS = Perturbation(BIAS, _flops_candidates, _flops_read,
                                    description="connections read as FLOPs, two per connection (multiply, add)")
