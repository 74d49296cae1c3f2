"""What a network costs to run, per layer and in total: MACs, FLOPs, activations and the memory
they take. Derived from the engine's Figures under explicit CostConventions.

These are the engine's own quantities (`Cost`), not the extractor's `Quantity`: no student answer
is read as one yet. The conventions, so that every printed figure says what it counts:
- MACs: one multiply-accumulate per weight per output position: weights × H·W for a convolution
  (so the connections without biases), the weights for a fully connected layer. Pooling, batch
  norm, residual sums and concatenations are charged none (no weighted sum over inputs; batch norm
  folds into the convolution before it at inference), as in torchvision's published figures.
- FLOPs: 2·MACs (a multiply and an add), MACs (one multiply-add as one operation: torchvision's
  "GFLOPS" column and EECS 498's "flop" column count this way), or 2·MACs plus one add per bias
  per output position.
- activations: the output elements of every layer with figures (conv, pool, fc, bn, add, concat);
  the layers that pass their input on (ReLU, dropout, LRN, flatten) add none. The batch is one image.
- activation memory: activations × bytes per element (4: fp32); shown in KB of 1024 or of 1000
  bytes, as the conventions say.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

from grader.core import GraderError
from grader.reference.engine import Figures, LayerFigures, n


class Cost(str, Enum):
    MACS = "macs"
    FLOPS = "flops"
    ACTIVATIONS = "activations"
    ACTIVATION_BYTES = "activation_bytes"

    def __str__(self) -> str:
        return self.value


# How FLOPs are counted from MACs, in words for the key.
FLOPS_CONVENTIONS = {
    "2mac": "FLOPs = 2·MACs: a multiply and an add each",
    "mac": "FLOPs = MACs: one multiply-add counted as one operation (torchvision's GFLOPS, EECS 498's flop)",
    "2mac+bias": "FLOPs = 2·MACs + one add per bias per output position",
}
FLOPS_SHORT = {"2mac": "2·MACs", "mac": "MACs", "2mac+bias": "2·MACs + bias adds"}
KILO = (1024, 1000)


@dataclass(frozen=True, slots=True)
class CostConventions:
    flops: str = "2mac"  # a key of FLOPS_CONVENTIONS
    bytes_per_element: int = 4  # fp32
    kilo: int = 1024  # bytes in a KB (and KB in an MB): 1024 or 1000
    # A batch size the assignment states (trained in batches of 128) while the figures asked are for
    # one image: the comparator's `batch-counted` pitfall multiplies by it. None: no batch stated.
    stated_batch: int | None = None

    def __post_init__(self) -> None:
        if self.flops not in FLOPS_CONVENTIONS:
            raise GraderError(f"unknown FLOPs convention {self.flops!r} (conventions: {', '.join(FLOPS_CONVENTIONS)})")
        if isinstance(self.bytes_per_element, bool) or not isinstance(self.bytes_per_element, int) \
                or self.bytes_per_element < 1:
            raise GraderError(f"bytes per element must be a positive integer, not {self.bytes_per_element!r}")
        if self.kilo not in KILO:
            raise GraderError(f"a KB is 1024 or 1000 bytes, not {self.kilo!r}")
        if self.stated_batch is not None and (isinstance(self.stated_batch, bool) or not isinstance(
                self.stated_batch, int) or self.stated_batch < 2):
            raise GraderError(f"a stated batch must be an integer of 2 or more, not {self.stated_batch!r}")

    def describe(self) -> str:
        return f"{FLOPS_SHORT[self.flops]} as FLOPs, {self.bytes_per_element} bytes an element, 1 KB = {self.kilo} bytes"

    def lines(self) -> list[str]:
        """The conventions in words."""
        unit = "1 KB = 1,024 bytes, 1 MB = 1,024 KB" if self.kilo == 1024 else "1 KB = 1,000 bytes, 1 MB = 1,000 KB"
        return [
            "MACs: one multiply-accumulate per weight per output position (weights × H·W for a convolution, "
            "the weights for a fully connected layer); pooling, batch norm, sums and concatenations none",
            FLOPS_CONVENTIONS[self.flops],
            "activations: the output elements of each layer, for one image; ReLU, dropout and flatten "
            "pass their input on and add none",
            f"activation memory: activations × {self.bytes_per_element} bytes"
            + (" (fp32)" if self.bytes_per_element == 4 else "") + f"; {unit}",
        ]


@dataclass(frozen=True, slots=True)
class LayerCosts:
    name: str
    kind: str
    macs: int
    flops: int
    activations: int
    activation_bytes: int
    formulas: dict = field(default_factory=dict)  # Cost -> "36,864·56·56 = 115,605,504"

    def figure(self, cost: Cost) -> int:
        return getattr(self, cost.value)


@dataclass(frozen=True, slots=True)
class Costs:
    network: str
    conventions: CostConventions
    layers: tuple[LayerCosts, ...]

    def layer(self, name: str) -> LayerCosts:
        for costs in self.layers:
            if costs.name == name:
                return costs
        raise KeyError(f"{self.network} has no layer {name!r} with figures")

    def total(self, cost: Cost) -> int:
        """Every layer's figure added: the layers without MACs contribute zero."""
        return sum(layer.figure(cost) for layer in self.layers)


def costs(figures: Figures, conventions: CostConventions = CostConventions()) -> Costs:
    return Costs(figures.network, conventions, tuple(layer_costs(layer, conventions) for layer in figures.layers))


def kilobytes(count: int, conventions: CostConventions, power: int = 1) -> float:
    """Bytes in KB (power 1) or MB (power 2) under the conventions' kilo."""
    return count / conventions.kilo ** power


def layer_costs(layer: LayerFigures, conventions: CostConventions = CostConventions()) -> LayerCosts:
    if layer.kind == "conv":
        positions = layer.shape[0] * layer.shape[1]
        where = f"{layer.shape[0]}·{layer.shape[1]}"
        macs, bias_adds = layer.weights * positions, layer.biases * positions
        macs_formula = f"{n(layer.weights)}·{where} = {n(macs)}"
        adds_formula = f"{n(layer.biases)}·{where}"
    elif layer.kind == "fc":
        macs, bias_adds = layer.weights, layer.biases
        macs_formula = f"{math.prod(layer.input_shape)}·{layer.shape[0]} = {n(macs)}"
        adds_formula = n(layer.biases)
    else:
        macs = bias_adds = 0
        macs_formula = adds_formula = "0"
    if conventions.flops == "mac":
        flops, flops_formula = macs, n(macs)
    elif conventions.flops == "2mac" or not bias_adds:
        flops = 2 * macs
        flops_formula = f"2·{n(macs)} = {n(flops)}" if macs else "0"
    else:
        flops = 2 * macs + bias_adds
        flops_formula = f"2·{n(macs)} + {adds_formula} = {n(flops)}"
    activations = math.prod(layer.shape)
    memory = activations * conventions.bytes_per_element
    return LayerCosts(
        layer.name, layer.kind, macs, flops, activations, memory,
        {
            Cost.MACS: macs_formula,
            Cost.FLOPS: flops_formula,
            Cost.ACTIVATIONS: f"{'·'.join(map(str, layer.shape))} = {n(activations)}" if len(layer.shape) > 1
            else n(activations),
            Cost.ACTIVATION_BYTES: f"{n(activations)}·{conventions.bytes_per_element} = {n(memory)}",
        },
    )


__all__ = ["FLOPS_CONVENTIONS", "FLOPS_SHORT", "KILO", "Cost", "CostConventions", "Costs", "LayerCosts", "costs", "kilobytes",
           "layer_costs"]
