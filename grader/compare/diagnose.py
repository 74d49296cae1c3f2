"""Joint diagnosis: the smallest set of flips that explains a student's whole table.

Global flips (input 224, a forgotten padding or stride, another variant, connections with biases)
are searched greedily: each round adds the one that explains the most answers not yet explained.
Under them, each layer gets at most one layer flip (a merged tower, a wrong depth), the one that
explains most of that layer's answers; formula and bias flips are free per answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from grader.core import Quantity
from grader.compare.index import Explanation, global_candidates, slot_index
from grader.compare.perturb import Flip
from grader.reference.engine import Conventions

MAX_GLOBAL_FLIPS = 3


@dataclass(frozen=True, slots=True)
class Slot:
    """One answer as the diagnosis sees it: its slot and its value."""

    layer: str
    quantity: Quantity
    value: object


@dataclass(frozen=True, slots=True)
class Diagnosis:
    network: str
    required: Conventions
    global_flips: frozenset = frozenset()
    layer_flips: tuple[tuple[str, Flip], ...] = ()  # (layer, its chosen layer flip)

    def layer_flip(self, layer: str) -> Flip | None:
        return dict(self.layer_flips).get(layer)

    @property
    def flips(self) -> tuple[Flip, ...]:
        return tuple(sorted(self.global_flips, key=Flip.describe)) + tuple(f for _, f in self.layer_flips)


def _layer_choices(network: str, required: Conventions, flips: frozenset, slots: list[Slot]):
    """The slots the flips explain, and each layer's best layer flip."""
    if not slot_index(network, required, flips).valid:
        return None, {}
    by_layer: dict[str, list[Slot]] = {}
    for slot in slots:
        by_layer.setdefault(slot.layer, []).append(slot)
    explained, choices = set(), {}
    for layer, layer_slots in by_layer.items():
        best, under = _layer_choice(network, required, flips, layer, tuple(layer_slots))
        explained.update(under)
        if best is not None:
            choices[layer] = best
    return explained, choices


@lru_cache(maxsize=65536)
def _layer_choice(network: str, required: Conventions, flips: frozenset, layer: str, slots: tuple[Slot, ...]):
    """One layer's best layer flip under the flips, and the slots it explains: a function of the
    layer's answers alone, so worked out once for every student who answers that layer alike."""
    from grader.compare.pitfalls import RANK

    index = slot_index(network, required, flips)
    under: dict = {}
    for slot in slots:
        for choice in {e.layer_flip for e in index.lookup(layer, slot.quantity, slot.value)}:
            under.setdefault(choice, []).append(slot)
    if not under:
        return None, ()
    best = max(under, key=lambda c: (len(under[c]), c is None, -RANK.get(c.code, 99) if c else 0))
    return best, tuple(under[best])


def diagnose(network: str, required: Conventions, slots: list[Slot]) -> Diagnosis:
    from grader.compare.pitfalls import PERTURBATIONS, RANK

    flips: frozenset = frozenset()
    explained, choices = _layer_choices(network, required, flips, slots)
    explained = explained or set()
    candidates = global_candidates(network, required)
    for _ in range(MAX_GLOBAL_FLIPS):
        best = None
        for flip in candidates:
            if flip in flips:
                continue
            now, layer_choices = _layer_choices(network, required, flips | {flip}, slots)
            if now is None or len(now) <= len(explained):
                continue
            if len({slot.layer for slot in now - explained}) < PERTURBATIONS[flip.code].min_layers:
                continue
            if best is None or len(now) > len(best[0]):
                best = (now, flip, layer_choices)
        if best is None:
            break
        explained, flip, choices = best
        flips = flips | {flip}
    order = sorted(choices.items(), key=lambda item: RANK.get(item[1].code, 99))
    return Diagnosis(network, required, flips, tuple(order))


@dataclass(frozen=True, slots=True)
class Found:
    """An explanation of one answer: the global flips it needs and the local ones."""

    global_flips: frozenset
    explanation: Explanation

    @property
    def flips(self) -> tuple[Flip, ...]:
        return tuple(sorted(self.global_flips, key=Flip.describe)) + self.explanation.flips


def evidenced_flips(diagnosis: Diagnosis, slots: list[Slot]) -> frozenset:
    """Global flips outside the diagnosis that some answer shows on its own (224 on one layer only)."""
    from grader.compare.pitfalls import PERTURBATIONS

    network, required = diagnosis.network, diagnosis.required
    under = slot_index(network, required, diagnosis.global_flips)
    unexplained = [slot for slot in slots if not under.lookup(slot.layer, slot.quantity, slot.value)]
    found = set()
    for flip in global_candidates(network, required):
        if flip in diagnosis.global_flips or PERTURBATIONS[flip.code].min_layers > 1:
            continue
        index = slot_index(network, required, diagnosis.global_flips | {flip})
        if any(not e.flips for slot in unexplained for e in index.lookup(slot.layer, slot.quantity, slot.value)):
            found.add(flip)
    return frozenset(found)


def explain(diagnosis: Diagnosis, slot: Slot, accepted, *, evidenced: frozenset = frozenset(),
            relax: bool = True) -> Found | None:
    """The simplest explanation of one answer: under the diagnosis first (its global flips, or
    fewer, and its layer flip); then with another layer flip; then one more global flip alone, or
    with local flips where another answer shows it (`evidenced`).
    `accepted(flip)` says whether the rubric accepts a flip: those cost nothing."""
    from grader.compare.pitfalls import RANK

    network, required = diagnosis.network, diagnosis.required
    subsets = [frozenset(c) for size in range(len(diagnosis.global_flips) + 1)
               for c in combinations(sorted(diagnosis.global_flips, key=Flip.describe), size)]
    chosen = diagnosis.layer_flip(slot.layer)

    def cost(found: Found):
        # a mistake the whole table shows (the diagnosis) explains an answer before one of its own
        flips = found.flips
        mistakes = [f for f in flips if not accepted(f)]
        return (sum(f not in diagnosis.global_flips for f in mistakes), len(mistakes), len(flips),
                sorted(RANK.get(f.code, 99) for f in flips))

    def search(global_sets, allow) -> Found | None:
        found = [Found(flips, e) for flips in global_sets
                 for e in slot_index(network, required, flips).lookup(slot.layer, slot.quantity, slot.value)
                 if allow(e)]
        return min(found, key=cost) if found else None

    result = search(subsets, lambda e: e.layer_flip in (None, chosen))
    if result is None and relax:
        result = search(subsets, lambda e: True)
    if result is None and relax:
        from grader.compare.pitfalls import PERTURBATIONS

        # one more mistake of the whole network: on its own, or with local ones where another answer
        # shows it on its own (two coincidences in one answer are no evidence)
        extra = [subset | {flip} for flip in global_candidates(network, required)
                 if flip not in diagnosis.global_flips and PERTURBATIONS[flip.code].min_layers == 1
                 for subset in dict.fromkeys(subsets[:1] + subsets[-1:])]
        result = search(extra, lambda e: not e.flips)
        if result is None:
            result = search([flips for flips in extra if flips & evidenced], lambda e: True)
    return result
