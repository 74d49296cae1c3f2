"""Network specs: a network is data (reference/*.yaml), loaded into frozen dataclasses.

A spec gives the input shape and the ordered layers. Only what a layer *is* lives here;
what it *counts* (units, weights, connections) is the engine's job."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from grader.core import SPECS_DIR, GraderError

LAYER_KINDS = ("conv", "pool", "fc", "lrn", "relu", "dropout", "flatten", "softmax")
# Layers whose figures a student is asked about; the others pass their input through.
COUNTED_KINDS = ("conv", "pool", "fc")


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

    @property
    def counted(self) -> bool:
        return self.kind in COUNTED_KINDS


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

    def layer(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(f"{self.name} has no layer {name!r}")

    @property
    def counted_layers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.counted)

    def ordinal(self, kind: str, n: int) -> Layer | None:
        """The n-th (1-based) counted layer of a kind: FC1 of AlexNet is fc6, Conv7 of VGG16 conv3_3."""
        same_kind = [layer for layer in self.layers if layer.kind == kind]
        return same_kind[n - 1] if 1 <= n <= len(same_kind) else None

    def with_layer(self, name: str, **changes) -> Network:
        """A copy with one layer changed: the perturbations the comparator tries."""
        layers = tuple(replace(layer, **changes) if layer.name == name else layer for layer in self.layers)
        return replace(self, layers=layers)


def _pair(value, key: str, where: str) -> tuple[int, int]:
    if isinstance(value, int):
        return (value, value)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (value[0], value[1])
    raise GraderError(f"{where}: {key} must be an integer or a pair of integers, not {value!r}")


_LAYER_KEYS = {"name", "type", "aliases", "filters", "units", "kernel", "stride", "padding", "split",
               "bias", "pool", "trainable", "connection_table"}
_NETWORK_KEYS = {"name", "title", "input", "layers", "towers", "aliases", "source", "connections_with_bias"}


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
    filters = raw.get("filters", raw.get("units", 0))
    if kind in ("conv", "fc") and (not isinstance(filters, int) or filters <= 0):
        raise GraderError(f"{where}: a {kind} layer needs a positive number of "
                          f"{'filters' if kind == 'conv' else 'units'}")
    table = raw.get("connection_table")
    if table is not None:
        table = tuple(tuple(int(i) for i in row) for row in table)
        if len(table) != filters:
            raise GraderError(f"{where}: connection_table needs one row per filter ({filters}), has {len(table)}")
    return Layer(
        name=str(raw["name"]),
        kind=kind,
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
        filters=filters,
        kernel=_pair(raw.get("kernel", 1), "kernel", where),
        stride=_pair(raw.get("stride", 1), "stride", where),
        padding=_pair(raw.get("padding", 0), "padding", where),
        split=bool(raw.get("split", False)),
        bias=bool(raw.get("bias", True)),
        pool=str(raw.get("pool", "max")),
        trainable=bool(raw.get("trainable", False)),
        connection_table=table,
    )


def parse_network(raw: dict, where: str) -> Network:
    if not isinstance(raw, dict):
        raise GraderError(f"{where}: a network spec must be a mapping")
    unknown = set(raw) - _NETWORK_KEYS
    if unknown:
        raise GraderError(f"{where}: unknown keys {sorted(unknown)}")
    shape = raw.get("input")
    if not (isinstance(shape, list) and len(shape) == 3 and all(isinstance(v, int) and v > 0 for v in shape)):
        raise GraderError(f"{where}: input must be [height, width, channels], not {shape!r}")
    layers = tuple(_layer(item, where) for item in raw.get("layers") or ())
    if not layers:
        raise GraderError(f"{where}: a network needs layers")
    names = [layer.name for layer in layers]
    if len(set(names)) != len(names):
        raise GraderError(f"{where}: layer names must be unique")
    return Network(
        name=str(raw.get("name") or Path(where).stem),
        title=str(raw.get("title", raw.get("name", ""))),
        input_shape=(shape[0], shape[1], shape[2]),
        layers=layers,
        towers=int(raw.get("towers", 1)),
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
        source=str(raw.get("source", "")),
        connections_with_bias=bool(raw.get("connections_with_bias", False)),
    )


def list_networks() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in SPECS_DIR.glob("*.yaml")))


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
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise GraderError(f"{path}: not valid YAML: {err}") from None
    return parse_network(raw, str(path))
