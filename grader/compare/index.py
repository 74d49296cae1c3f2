"""Every figure a perturbation gives, indexed by value: which flips turn a slot into a student's number.

One `SlotIndex` per network, required conventions and set of global flips, built lazily slot by
slot (layer and quantity) and cached: a batch computes each combination once, not once per
submission, and a self-check only the slots it answers.

Once per process: `grader grade` builds the indexes of the networks its rubric asks in the batch
process before it forks its workers (grader.pipeline.prepare), so they inherit them. Networks the
rubric does not ask are diagnosed in full too (a student who gives VGG16's figures beside AlexNet's
is told which of its mistakes they show, unscored): their indexes are built in each worker, on the
first file that gives their figures, and only for the slots such files answer. Nothing is saved
between runs: every run builds what its files ask again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from grader.core import Quantity
from grader.compare.perturb import (BIAS, FORMULA, GLOBAL, LAYER, Counts, Flip, LayerContext, Perturbation,
                                    figures_or_none)
from grader.reference.costs import CostConventions
from grader.reference.engine import Conventions, Figures
from grader.reference.spec import Network, load_network

SPATIAL_QUANTITIES = (Quantity.UNITS, Quantity.WEIGHTS, Quantity.BIASES, Quantity.PARAMS,
                      Quantity.CONNECTIONS, Quantity.SHAPE)
# The costs of a forward pass: their totals add every layer, pooling included.
COST_QUANTITIES = (Quantity.MEMORY, Quantity.FLOPS)


def value_key(value):
    """A value as the index stores it: integral floats as ints, shapes without their 1s ((4096, 1)
    is (4096,))."""
    if isinstance(value, tuple):
        kept = tuple(int(v) for v in value if v != 1)
        return kept or (1,)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def value_keys(value) -> tuple:
    """The keys a student's value may match: a C×H×W shape is also read as H×W×C."""
    key = value_key(value)
    if isinstance(key, tuple) and len(key) == 3 and key[0] != key[2]:
        return (key, (key[1], key[2], key[0]))
    return (key,)


@dataclass(frozen=True, slots=True)
class Explanation:
    """The local flips (besides the index's global ones) that turn one slot into a value."""

    layer_flip: Flip | None = None
    formula: Flip | None = None
    bias: Flip | None = None

    @property
    def flips(self) -> tuple[Flip, ...]:
        return tuple(f for f in (self.layer_flip, self.formula, self.bias) if f is not None)


@dataclass(slots=True)
class SlotIndex:
    """Values of every (layer, quantity) slot under `global_flips` plus any one local choice."""

    network: str
    required: Conventions
    global_flips: frozenset
    perturbations: dict  # code -> Perturbation
    order: dict  # code -> rank, for ties
    base: Network | None = None
    conventions: Conventions | None = None
    figures: Figures | None = None
    _layers: dict = field(default_factory=dict)  # (layer, quantity) -> {key: [Explanation]}; "total" -> its table
    _variants: dict = field(default_factory=dict)  # layer -> its counts under each layer and formula flip
    _candidates: dict = field(default_factory=dict)  # stage -> flips
    _by_layer: dict = field(default_factory=dict)  # (stage, layer) -> flips
    _contexts: dict = field(default_factory=dict)  # (layer, layer flip) -> LayerContext | None

    def __post_init__(self):
        network = load_network(self.network)
        conventions = self.required
        for flip in sorted(self.global_flips, key=lambda f: (self.order.get(f.code, 99), f.describe())):
            network, conventions = self.perturbations[flip.code].apply(flip, network, conventions)
        self.base, self.conventions = network, conventions
        self.figures = figures_or_none(network, conventions)
        for stage in (LAYER, FORMULA, BIAS):
            self._candidates[stage] = tuple(
                flip for code, p in self.perturbations.items() if p.stage == stage
                for flip in p.candidates(network, conventions))
            for flip in self._candidates[stage]:
                self._by_layer.setdefault((stage, flip.layer), []).append(flip)

    @property
    def valid(self) -> bool:
        return self.figures is not None

    def candidates(self, stage: str, layer: str | None = None) -> tuple[Flip, ...]:
        if layer is None:
            return self._candidates[stage]
        return tuple(self._by_layer.get((stage, layer), ()))

    def lookup(self, layer: str, quantity: Quantity, value) -> list[Explanation]:
        """The explanations of a value in a slot, simplest first."""
        if not self.valid:
            return []
        if layer == "total":
            by_value = self._totals().get(quantity, {})
        elif layer == "input":
            by_value = {value_key(self.figures.input_shape): [Explanation()]} if quantity is Quantity.SHAPE else {}
        else:
            by_value = self._layer(layer, quantity)
        found: list[Explanation] = []
        for key in value_keys(value):
            found += by_value.get(key, [])
        return found

    def values(self, layer: str, quantity: Quantity, low, high) -> list:
        """The numbers any explanation gives a slot within [low, high): what a value written rounded
        may stand for."""
        if not self.valid or layer == "input":
            return []
        by_value = self._totals().get(quantity, {}) if layer == "total" else self._layer(layer, quantity)
        return sorted(key for key in by_value if isinstance(key, (int, float)) and low <= key < high)

    def figure(self, layer: str, quantity: Quantity, explanation: Explanation = Explanation()):
        """The value of one slot under an explanation (None where it does not apply)."""
        if not self.valid:
            return None
        if layer == "total" and quantity in COST_QUANTITIES:
            return sum(self.figure(f.name, quantity) or 0 for f in self.figures.layers)
        if layer in ("total", "input"):
            try:
                return self.figures.figure(layer, quantity)
            except (KeyError, ValueError):
                return None
        context = self._context(layer, explanation.layer_flip)
        if context is None:
            return None
        return self._read(context, explanation.formula, explanation.bias, quantity)

    # ------------------------------------------------------------ building

    def _context(self, name: str, layer_flip: Flip | None) -> LayerContext | None:
        key = (name, layer_flip)
        if key not in self._contexts:
            self._contexts[key] = self._make_context(name, layer_flip)
        return self._contexts[key]

    def _make_context(self, name: str, layer_flip: Flip | None) -> LayerContext | None:
        network, conventions = self.base, self.conventions
        figures = self.figures
        if layer_flip is not None:
            network, conventions = self.perturbations[layer_flip.code].apply(layer_flip, network, conventions)
            figures = _figures(network, conventions)
            if figures is None:
                return None
        try:
            layer_figures = figures.layer(name)
        except KeyError:
            return None
        names = [f.name for f in figures.layers]
        at = names.index(name)
        after = figures.layers[at + 1] if at + 1 < len(figures.layers) else None
        next_pool = after if (layer_figures.kind == "conv" and after is not None and after.kind == "pool") else None
        convs = [f.name for f in figures.layers if f.kind == "conv"]
        fcs = [f.name for f in figures.layers if f.kind == "fc"]
        spec_names = [layer.name for layer in network.layers]
        at_spec = spec_names.index(name)
        following = network.layers[at_spec + 1] if at_spec + 1 < len(network.layers) else None
        return LayerContext(
            network=self.network, layer=network.layer(name), figures=layer_figures, next_pool=next_pool,
            towers=figures.towers, with_bias=figures.connections_with_bias,
            first_conv=bool(convs) and convs[0] == name, first_fc=bool(fcs) and fcs[0] == name,
            costs=conventions.costs if conventions.costs is not None else CostConventions(),
            next_relu=following is not None and following.kind == "relu" and not following.inputs)

    def _read(self, context: LayerContext, formula: Flip | None, bias: Flip | None, quantity: Quantity):
        counts: Counts | None = context.counts
        if formula is not None:
            counts = self.perturbations[formula.code].apply(formula, context)
            if counts is None:
                return None
        if bias is not None:
            return self.perturbations[bias.code].apply(bias, counts, quantity)
        return counts.read(quantity)

    def _counts(self, name: str) -> list[tuple[Flip | None, Flip | None, Counts, Counts]]:
        """(layer flip, formula flip, their counts, the counts without the formula) of one layer."""
        if name in self._variants:
            return self._variants[name]
        variants = []
        for layer_flip in (None, *self.candidates(LAYER, name)):
            context = self._context(name, layer_flip)
            if context is None:
                continue
            plain = context.counts
            for formula in (None, *self.candidates(FORMULA, name)):
                counts = plain if formula is None else self.perturbations[formula.code].apply(formula, context)
                if counts is not None:
                    variants.append((layer_flip, formula, counts, plain))
        self._variants[name] = variants
        return variants

    def _layer(self, name: str, quantity: Quantity) -> dict:
        """{value key: explanations} of one slot, built when first asked: a submission asks a few
        quantities of each layer, not all."""
        if (name, quantity) in self._layers:
            return self._layers[name, quantity]
        table: dict = {}
        biases = self.candidates(BIAS, name)
        for layer_flip, formula, counts, plain in self._counts(name):
            value = counts.read(quantity)
            # a flip that leaves the slot as it was explains nothing in it
            if formula is None or value != plain.read(quantity):
                self._add(table, quantity, value, Explanation(layer_flip, formula, None))
            for bias in biases:
                read = self.perturbations[bias.code].apply
                biased = read(bias, counts, quantity)
                if biased is None or biased == value:
                    continue
                if formula is not None and biased == read(bias, plain, quantity):
                    continue
                self._add(table, quantity, biased, Explanation(layer_flip, formula, bias))
        by_value = table.get(quantity, {})
        for explanations in by_value.values():
            explanations.sort(key=self._cost)
        self._layers[name, quantity] = by_value
        return by_value

    @staticmethod
    def _add(table: dict, quantity: Quantity, value, explanation: Explanation):
        by_value = table.setdefault(quantity, {})
        by_value.setdefault(value_key(value), []).append(explanation)
        if quantity is Quantity.SHAPE and len(value) == 3:  # students often give the spatial size alone
            by_value.setdefault(value_key(value[:2]), []).append(explanation)

    def _totals(self) -> dict:
        """Totals under the global flips alone, and with each local flip made at every layer that
        admits it (towers merged everywhere, biases counted everywhere, ...)."""
        if "total" in self._layers:
            return self._layers["total"]
        layers = [f.name for f in self.figures.layers if f.kind != "pool" or f.weights]
        every = [f.name for f in self.figures.layers]
        uniform = {(None, None, None)}
        for stage in (LAYER, FORMULA, BIAS):
            uniform |= {(stage, flip.code, flip.arg) for flip in self.candidates(stage)}
        table: dict = {}
        for stage, code, arg in uniform:
            sums = dict.fromkeys((q for q in SPATIAL_QUANTITIES + COST_QUANTITIES if q is not Quantity.SHAPE), 0)
            for name in every:
                local = dict.fromkeys((LAYER, FORMULA, BIAS))
                if stage is not None:
                    local[stage] = next((f for f in self.candidates(stage, name) if f.code == code and f.arg == arg),
                                        None)
                context = self._context(name, local[LAYER]) or self._context(name, None)
                for quantity in (sums if name in layers else COST_QUANTITIES):
                    value = self._read(context, local[FORMULA], local[BIAS], quantity)
                    sums[quantity] += value if value is not None else self._read(context, None, None, quantity)
            flip = Flip(code, None, arg) if stage is not None else None
            explanation = Explanation(**({} if stage is None else
                                         {{LAYER: "layer_flip", FORMULA: "formula", BIAS: "bias"}[stage]: flip}))
            for quantity, total in sums.items():
                table.setdefault(quantity, {}).setdefault(total, []).append(explanation)
        for by_value in table.values():
            for explanations in by_value.values():
                explanations.sort(key=self._cost)
        self._layers["total"] = table
        return table

    def _cost(self, explanation: Explanation):
        flips = explanation.flips
        return (len(flips), sorted(self.order.get(f.code, 99) for f in flips))


@lru_cache(maxsize=4096)
def _figures(network: Network, conventions: Conventions) -> Figures | None:
    return figures_or_none(network, conventions)


_INDEXES: dict = {}
MAX_INDEXES = 1024  # combinations kept per process; the oldest go first


def slot_index(network: str, required: Conventions, global_flips: frozenset) -> SlotIndex:
    """The index for one combination, built once per process."""
    from grader.compare.pitfalls import PERTURBATIONS, RANK

    key = (network, required, global_flips)
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) >= MAX_INDEXES:
            del _INDEXES[next(iter(_INDEXES))]
        index = _INDEXES[key] = SlotIndex(network, required, global_flips, PERTURBATIONS, RANK)
    return index


def global_candidates(network: str, required: Conventions) -> tuple[Flip, ...]:
    from grader.compare.pitfalls import PERTURBATIONS

    base = load_network(network)
    return tuple(flip for p in PERTURBATIONS.values() if p.stage == GLOBAL
                 for flip in p.candidates(base, required))


__all__ = ["Explanation", "SlotIndex", "global_candidates", "slot_index", "value_key", "value_keys",
           "Perturbation"]
