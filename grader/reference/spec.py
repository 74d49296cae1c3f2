"""Network specs: a network is data (reference/*.yaml), loaded into frozen dataclasses.

A spec gives the input shape and the ordered layers. Only what a layer *is* lives here;
what it *counts* (units, weights, connections) is the engine's job."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from grader.core import SPECS_DIR, GraderError

LAYER_KINDS = ("conv", "pool", "fc", "bn", "add", "concat", "lrn", "relu", "dropout", "flatten", "softmax")
# Layers with figures of their own (a record in the engine's Figures); the others pass their input through.
COUNTED_KINDS = ("conv", "pool", "fc", "bn", "add", "concat")
# Layers that join several inputs: a residual sum, a channel concatenation (an inception module).
JOIN_KINDS = ("add", "concat")
POOL_KINDS = ("max", "avg")
INPUT = "input"  # the name by which a layer's inputs may name the network's input


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    filters: int = 0  # conv: output channels; fc: output units
    kernel: tuple[int, int] = (1, 1)
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)
    split: bool = False  # conv: each filter sees only its own tower's share of the input channels
    bias: bool = True
    pool: str = "max"  # pool: "max" or "avg"
    trainable: bool = False  # pool: LeNet-1998 subsampling, one coefficient and one bias per map
    # conv: for each output map, the input maps it sees (LeNet-1998 C3); None = all of them
    connection_table: tuple[tuple[int, ...], ...] | None = None
    input_channels: int | None = None  # conv: force the depth the kernels see (perturbations)
    adaptive: tuple[int, int] | None = None  # pool: a fixed output size whatever the input (torchvision)
    note: str = ""  # shown with the layer in the answer key
    # The layers whose outputs this one takes (INPUT for the network's input); () = the layer before it.
    inputs: tuple[str, ...] = ()
    groups: int = 1  # conv: the input and output channels split into this many independent groups
    ceil: bool = False  # conv/pool: output size rounded up, as PyTorch's ceil_mode (GoogLeNet, SqueezeNet)

    @property
    def counted(self) -> bool:
        return self.kind in COUNTED_KINDS

    @property
    def weighted(self) -> bool:
        """Holds weights: conv, fc and trainable pooling; papers number these as the layers."""
        return self.kind in ("conv", "fc") or (self.kind == "pool" and self.trainable)


@dataclass(frozen=True, slots=True)
class Network:
    name: str
    title: str
    input_shape: tuple[int, int, int]  # H, W, C
    layers: tuple[Layer, ...]
    towers: int = 1
    aliases: tuple[str, ...] = ()
    source: str = ""  # the publication the figures come from
    connections_with_bias: bool = False  # the spec's own convention (LeCun 1998 counts biases)
    note: str = ""  # shown under the answer key's title
    variant_of: str = ""  # the shipped network this one is a version of (torchvision's AlexNet: alexnet)

    def layer(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(f"{self.name} has no layer {name!r}")

    @property
    def is_chain(self) -> bool:
        """Every layer takes the one before it: no residual sum, no concatenation, no branch."""
        return all(not layer.inputs for layer in self.layers)

    @property
    def counted_layers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.counted)

    def ordinal(self, kind: str, n: int) -> Layer | None:
        """The n-th (1-based) counted layer of a kind: FC1 of AlexNet is fc6, Conv7 of VGG16 conv3_3.

        kind "layer" numbers the layers that hold weights, as the papers do: layer 6 of AlexNet is
        fc6, layer 2 of LeNet-1998 its trainable subsampling S2."""
        if kind == "layer":
            same_kind = [layer for layer in self.layers if layer.weighted]
        else:
            same_kind = [layer for layer in self.layers if layer.kind == kind]
        return same_kind[n - 1] if 1 <= n <= len(same_kind) else None

    def with_layer(self, name: str, **changes) -> Network:
        """A copy with one layer changed: the perturbations the comparator tries."""
        layers = tuple(replace(layer, **changes) if layer.name == name else layer for layer in self.layers)
        return replace(self, layers=layers)


def _pair(value, key: str, where: str, minimum: int = 1) -> tuple[int, int]:
    values = [value, value] if isinstance(value, int) else value
    if (isinstance(values, (list, tuple)) and len(values) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= minimum for v in values)):
        return (values[0], values[1])
    raise GraderError(f"{where}: {key} must be an integer ≥ {minimum} or a pair of them, not {value!r}")


_LAYER_KEYS = {"name", "type", "aliases", "filters", "units", "kernel", "stride", "padding", "split",
               "bias", "pool", "trainable", "connection_table", "adaptive", "note", "inputs", "groups", "ceil"}
_NETWORK_KEYS = {"name", "title", "input", "layers", "towers", "aliases", "source", "connections_with_bias",
                 "note", "variant_of"}


def _positive(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _flag(raw: dict, key: str, default: bool, where: str) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise GraderError(f"{where}: {key} must be true or false, not {value!r}")
    return value


def _layer(raw: dict, where: str) -> Layer:
    if not isinstance(raw, dict) or "name" not in raw or "type" not in raw:
        raise GraderError(f"{where}: each layer needs a name and a type")
    where = f"{where}, layer {raw['name']}"
    unknown = set(raw) - _LAYER_KEYS
    if unknown:
        raise GraderError(f"{where}: unknown keys {sorted(unknown)}")
    kind = raw["type"]
    if kind not in LAYER_KINDS:
        raise GraderError(f"{where}: type must be one of {', '.join(LAYER_KINDS)}, not {kind!r}")
    count_key = "units" if "units" in raw else "filters"
    filters = raw.get(count_key, 0)
    if kind in ("conv", "fc") and not _positive(filters):
        raise GraderError(f"{where}: a {kind} layer needs {count_key} as a positive integer, not {filters!r}")
    adaptive = raw.get("adaptive")
    if adaptive is not None:
        if kind != "pool":
            raise GraderError(f"{where}: adaptive is for pool layers only")
        adaptive = _pair(adaptive, "adaptive", where)
    elif kind in ("conv", "pool") and "kernel" not in raw:
        raise GraderError(f"{where}: a {kind} layer needs a kernel")
    pool = raw.get("pool", "max")
    if pool not in POOL_KINDS:
        raise GraderError(f"{where}: pool must be one of {', '.join(POOL_KINDS)}, not {pool!r}")
    inputs = _names(raw.get("inputs", ()), "inputs", where)
    if kind in JOIN_KINDS and len(inputs) < 2:
        raise GraderError(f"{where}: an {kind} layer needs inputs: a list of two or more layer names")
    if kind not in JOIN_KINDS and len(inputs) > 1:
        raise GraderError(f"{where}: a {kind} layer takes one input, not {len(inputs)} ({', '.join(inputs)})")
    groups = raw.get("groups", 1)
    if not _positive(groups) or (groups > 1 and kind != "conv"):
        raise GraderError(f"{where}: groups must be a positive integer, on a conv layer, not {groups!r}")
    if kind == "conv" and filters % groups:
        raise GraderError(f"{where}: {filters} filters do not split into {groups} groups")
    if groups > 1 and raw.get("split"):
        raise GraderError(f"{where}: give groups or split (the towers' split), not both")
    return Layer(
        name=str(raw["name"]),
        kind=kind,
        aliases=_names(raw.get("aliases", ()), "aliases", where),
        filters=filters,
        kernel=_pair(raw.get("kernel", 1), "kernel", where),
        stride=_pair(raw.get("stride", 1), "stride", where),
        padding=_pair(raw.get("padding", 0), "padding", where, minimum=0),
        split=_flag(raw, "split", False, where),
        bias=_flag(raw, "bias", True, where),
        pool=pool,
        trainable=_flag(raw, "trainable", False, where),
        connection_table=_connection_table(raw.get("connection_table"), filters, where),
        adaptive=adaptive,
        note=str(raw.get("note", "")),
        inputs=inputs,
        groups=groups,
        ceil=_flag(raw, "ceil", False, where),
    )


def _names(value, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise GraderError(f"{where}: {key} must be a list of names, not {value!r}")
    return tuple(str(name) for name in value)


def _connection_table(table, filters: int, where: str) -> tuple[tuple[int, ...], ...] | None:
    """One row per output map listing the input maps (0-based) it sees."""
    if table is None:
        return None
    if not isinstance(table, list) or not all(
            isinstance(row, list) and row and all(isinstance(i, int) and not isinstance(i, bool) and i >= 0
                                                  for i in row) for row in table):
        raise GraderError(f"{where}: connection_table must be a list of rows of input map numbers (0-based)")
    if len(table) != filters:
        raise GraderError(f"{where}: connection_table needs one row per filter ({filters}), has {len(table)}")
    for number, row in enumerate(table):
        if len(set(row)) != len(row):
            raise GraderError(f"{where}: connection_table row {number} repeats an input map: {row}")
    return tuple(tuple(row) for row in table)


def parse_network(raw: dict, where: str) -> Network:
    if not isinstance(raw, dict):
        raise GraderError(f"{where}: a network spec must be a mapping")
    unknown = set(raw) - _NETWORK_KEYS
    if unknown:
        raise GraderError(f"{where}: unknown keys {sorted(unknown)}")
    shape = raw.get("input")
    if not (isinstance(shape, list) and len(shape) == 3 and all(_positive(v) for v in shape)):
        raise GraderError(f"{where}: input must be [height, width, channels], not {shape!r}")
    if not isinstance(raw.get("layers"), list):
        raise GraderError(f"{where}: layers must be a list of layers")
    layers = tuple(_layer(item, where) for item in raw["layers"])
    if not layers:
        raise GraderError(f"{where}: a network needs layers")
    names = [layer.name for layer in layers]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise GraderError(f"{where}: layer names must be unique; repeated: {', '.join(repeated)}")
    towers = raw.get("towers", 1)
    if not _positive(towers):
        raise GraderError(f"{where}: towers must be a positive integer, not {towers!r}")
    _check_inputs(layers, where)
    split = [layer.name for layer in layers if layer.split]
    if split and towers == 1:
        raise GraderError(f"{where}: layer {split[0]} has split: true but the network has one tower "
                          "(set towers: 2)")
    return Network(
        name=str(raw.get("name") or Path(where).stem),
        title=str(raw.get("title", raw.get("name", ""))),
        input_shape=(shape[0], shape[1], shape[2]),
        layers=layers,
        towers=towers,
        aliases=_names(raw.get("aliases", ()), "aliases", where),
        source=str(raw.get("source", "")),
        connections_with_bias=_flag(raw, "connections_with_bias", False, where),
        note=str(raw.get("note", "")).strip(),
        variant_of=_variant_of(raw.get("variant_of", ""), where),
    )


def _check_inputs(layers: tuple[Layer, ...], where: str) -> None:
    """A layer's inputs must be layers before it (or the network's input): the spec is a graph
    listed in an order it can be computed in."""
    if any(layer.name == INPUT for layer in layers):
        raise GraderError(f"{where}: no layer may be called {INPUT!r}: it names the network's input")
    seen = {INPUT}
    for layer in layers:
        unknown = [name for name in layer.inputs if name not in seen]
        if unknown:
            raise GraderError(f"{where}, layer {layer.name}: inputs {', '.join(unknown)} name no layer before it "
                              f"(nor {INPUT!r}, the network's input)")
        seen.add(layer.name)


def _variant_of(value, where: str) -> str:
    if not isinstance(value, str):
        raise GraderError(f"{where}: variant_of must be the name of a network, not {value!r}")
    return value


def list_networks() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in SPECS_DIR.glob("*.yaml")))


@lru_cache(maxsize=None)
def variants(name: str) -> tuple[str, ...]:
    """The other shipped versions of a shipped network: the one it is a variant of, and every spec
    that is a variant of the same one (lenet5 and lenet5-1998; alexnet and alexnet-torchvision)."""
    if name not in list_networks():
        return ()
    root = load_network(name).variant_of or name
    return tuple(other for other in list_networks()
                 if other != name and (other == root or load_network(other).variant_of == root))


@lru_cache(maxsize=None)
def load_network(name_or_path: str) -> Network:
    """A shipped spec by name (`alexnet`) or a spec file by path."""
    import yaml

    path = Path(name_or_path)
    if not path.suffix:
        path = SPECS_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        raise GraderError(f"no network spec {name_or_path!r} (shipped: {', '.join(list_networks())})")
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when PyYAML has it: ten times faster
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as err:
        raise GraderError(f"{path}: not valid YAML: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise GraderError(f"{path}: cannot read the spec: {err}") from None
    network = parse_network(raw, str(path))
    _check_shapes(network, str(path))
    return network


def _check_shapes(network: Network, where: str) -> None:
    """The layers must chain: run the engine once so a bad spec fails on load, naming its file."""
    from grader.reference.engine import compute

    try:
        compute(network)
    except GraderError as err:
        raise GraderError(f"{where}: {err}") from None
