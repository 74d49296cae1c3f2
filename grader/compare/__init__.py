"""The comparator: works out which conventions a student used, then gives every answer a verdict.

`compare(answers, rubric, document=...)` diagnoses each network's table jointly (diagnose.py: the
fewest flips of the reference engine that explain it), then judges every answer under that
diagnosis: `correct` (the rubric's conventions), `accepted` (a convention the rubric accepts),
`follow-through` (wrong only because of the student's own earlier mistake, carried forward),
`wrong`, `missing`. Pitfalls are named from the flips that explain an answer and from checks of
the student's own work (checks.py). Points are the scorer's job (grader/score.py).

A value written rounded (34.8K, 61M, 约6000万, 1.05e8) stands for every figure that rounds to it
(34.8K: 34,750 to 34,850; `rounding` in grader/extract/numbers.py). When the expected figure is one
of them, the rubric's `approximate` decides: a rounding within its relative tolerance is `accepted`,
else the answer is `wrong` with a note saying it is the right figure rounded, never an unexplained
value. When another figure of the slot is one of them (34.9K is 34,944 rounded: biases counted), the
answer gets that figure's verdict and pitfalls, then the same rule for its rounding.

Charging, one principle: each root mistake is charged once, at its origin, and every answer that
follows from it is `follow-through`. Within a layer, connections computed from the student's own
weights (or own output size) follow from those; across layers, a mistake carried forward (a wrong
input size, a padding left out) follows from where it was made; and a way of working applied again
(the towers merged on conv4 after conv2, biases counted in every layer) is the same root mistake.
Its charge is the rubric's deduction for it when it has one (then no answer loses its points for
it), else the points of the first answer it makes wrong, in layer order and, within a layer,
units before weights before connections. A slip in one number (an arithmetic or transcription
slip, a misplaced answer) is its own mistake each time (`Pitfall.charged`). So the same mistake
costs the same on whichever layer it is made.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

from grader.core import Answer, Document, FreeTextAnswer, GraderError, Judgement, PitfallHit, Quantity, ReviewItem, Verdict
from grader.compare.checks import AnswerContext, own_sums
from grader.compare.diagnose import Diagnosis, Found, Slot, diagnose, evidenced_flips, explain
from grader.compare.free_text import grade_free_text
from grader.compare.index import Explanation, slot_index, value_key, value_keys
from grader.compare.perturb import Flip
from grader.extract.numbers import rounding
from grader.reference.engine import Conventions

# The review threshold: below it a reading's slot is not sure enough to charge the student for it.
# A wrong value read below it gets the `review` verdict (no points lost, no pitfall) and goes to
# the review queue; it takes no part in the diagnosis of the student's conventions either.
LOW_CONFIDENCE = 0.5
# An unexplained wrong value further than this factor from the slot's figure is no sure reading.
MAGNITUDE = 10
# Below this confidence (the slot inferred: the one quantity asked, a repaired row, a moved
# section) an unexplained wrong value needs the student's own working to be charged.
SURE_WITHOUT_WORKING = 0.85
# An unexplained value this many times off the slot's figure is no answer to it, whatever words named
# the slot: "1 MAC = 2 FLOP" beside fc8's 4,096,000 connections, a year, a line number.
ABSURD = 100
COUNTED_QUANTITIES = (Quantity.UNITS, Quantity.WEIGHTS, Quantity.PARAMS, Quantity.CONNECTIONS)
# Mistakes the comparator recognises that no pitfall names, as a note says them.
UNNAMED = {"connections_as_flops": "connections counted as FLOPs"}
# The order a layer's figures are worked out in: a mistake's origin is its first answer in it.
DERIVATION = (Quantity.SHAPE, Quantity.UNITS, Quantity.WEIGHTS, Quantity.BIASES, Quantity.PARAMS,
              Quantity.CONNECTIONS, Quantity.MEMORY, Quantity.FLOPS)


@dataclass(frozen=True, slots=True)
class Comparison:
    """What the comparator found; `score` turns it into a Grade.

    `judgements`: the asked slots in the rubric's order (a missing one has no answer), then every other
    answer read (asked=False: not scored, or a second answer to a slot already answered).
    `accepted`: aligned with `judgements`, the rubric's accepted conventions each one relied on.
    `conventions`: the diagnosis, flat for the JSON result: "alexnet.input_size" -> 224,
    "alexnet.towers", "alexnet.connections_with_bias", "alexnet.biases_in_weights", and
    "alexnet.flips" (every flip the best-supported answers needed, described)."""

    rubric: str
    judgements: tuple[Judgement, ...]
    pitfalls: tuple[PitfallHit, ...]
    conventions: dict
    free_text: tuple[FreeTextAnswer, ...] = ()
    review: tuple[ReviewItem, ...] = ()
    accepted: tuple[tuple[str, ...], ...] = ()


def compare(answers, rubric, *, document: Document | None = None) -> Comparison:
    from grader.compare.checks import stated_input_224
    from grader.reference.spec import load_network

    answers = tuple(answers)
    acceptance = _Acceptance(rubric)
    other_figures = _expected_figures(rubric)
    asked_by_network = {asked.network: asked for asked in rubric.asked}
    networks = list(asked_by_network) + [a.network for a in answers if a.network not in asked_by_network]
    judged: list[_Judged] = []
    conventions, review = {}, []
    conventions_networks: list[str] = []  # every network judged
    for rank, network in enumerate(dict.fromkeys(networks)):
        try:
            load_network(network)
        except GraderError:  # a network no spec describes: nothing to compare against
            review += [ReviewItem(f"{network}: no reference spec for this network", a.text, a.source)
                       for a in answers if a.network == network]
            continue
        table = _NetworkTable(network, asked_by_network.get(network), [a for a in answers if a.network == network],
                              acceptance, other_figures, rubric.approximate, rank, rubric.deductions)
        judged += table.judge()
        conventions_networks.append(network)
        conventions.update({f"{network}.{name}": value for name, value in table.conventions().items()})
        review += table.review
    hits = _hits(judged)
    # A statement of the paper's 224 counts where no other network of the rubric or of the answers
    # legitimately takes 224 (VGG does).
    inputs = {asked.network: asked.conventions.input_size or load_network(asked.network).input_shape[0]
              for asked in rubric.asked}
    for network in conventions_networks:
        inputs.setdefault(network, load_network(network).input_shape[0])
    for asked in rubric.asked:
        others = {size for other, size in inputs.items() if other != asked.network}
        accepted = acceptance(Flip("input-224", arg=224))
        if 224 not in others and not accepted and stated_input_224(document, inputs[asked.network]):
            hits = _add_hit(hits, "input-224", asked.network, "input")
    free = grade_free_text(document, rubric.free_text) if rubric.free_text else ()
    for answer in free:  # no answer found is a verdict (no points), not something to review
        if not answer.sure and answer.text:
            review.append(ReviewItem(f"free text {answer.id}: mentions {len(answer.concepts)} of the expected concepts",
                                     answer.text, answer.source, kind="low-confidence"))
    ordered = sorted(judged, key=lambda j: j.order)
    return Comparison(
        rubric=rubric.name,
        judgements=tuple(j.judgement for j in ordered),
        pitfalls=tuple(hits),
        conventions=conventions,
        free_text=free,
        review=tuple(review),
        accepted=tuple(j.accepted for j in ordered),
    )


# ---------------------------------------------------------------- acceptance


class _Acceptance:
    """Which flips the rubric accepts, and under which of its `accept` entries."""

    def __init__(self, rubric):
        self.accepted = rubric.accepted

    def entry(self, flip: Flip):
        for entry in self.accepted:
            if ((entry.convention == "input_size" and flip.code == "input-224" and flip.arg == entry.value)
                    or (entry.convention == "towers" and flip.code == "tower-split-missed" and entry.value == 1)
                    or (entry.convention == "connections_with_bias" and flip.code == "connections_with_bias"
                        and flip.arg == entry.value)
                    or (entry.convention == "bias-counted" and flip.code == "bias-counted" and entry.value)):
                return entry
        return None

    def __call__(self, flip: Flip) -> bool:
        return self.entry(flip) is not None


# ---------------------------------------------------------------- one network's table


@dataclass(slots=True)
class _Judged:
    judgement: Judgement
    order: tuple
    accepted: tuple[str, ...] = ()
    origins: tuple[tuple[str, str], ...] = ()  # (code, layer where the mistake lies)
    unnamed: tuple[str, ...] = ()  # mistakes no pitfall names (connections as FLOPs): charged once too


@dataclass(slots=True)
class _Outcome:
    verdict: Verdict
    codes: list = field(default_factory=list)
    origins: list = field(default_factory=list)
    accepted: tuple[str, ...] = ()
    note: str = ""
    flips: tuple[Flip, ...] = ()
    rounded: bool = False  # a rounding of one of the slot's figures: no slip of the digits to look for


class _NetworkTable:
    def __init__(self, network: str, asked, answers: list[Answer], acceptance: _Acceptance, other_figures: dict,
                 tolerance: float, rank: int, deductions: dict | None = None):
        from grader.reference.spec import load_network

        self.network, self.asked, self.acceptance, self.other_figures = network, asked, acceptance, other_figures
        self.tolerance, self.rank, self.deductions = tolerance, rank, deductions or {}
        self.required = asked.conventions if asked else Conventions()
        self.spec = load_network(network)
        self.base = slot_index(network, self.required, frozenset())
        names = ["input", *(f.name for f in self.base.figures.layers), "total"] if self.base.valid else []
        self.position = {name: i for i, name in enumerate(names)}
        self.asked_layers = asked.layers if asked else ()
        self.asked_quantities = asked.quantities if asked else ()
        self.units = {q: (name, size) for q, name, size in asked.units} if asked else {}
        self.review: list[ReviewItem] = []
        self.answers = [(i, a) for i, a in enumerate(answers) if a.layer in self.position]
        self.review += [ReviewItem(f"{network}: no layer {a.layer!r}", a.text, a.source)
                        for a in answers if a.layer not in self.position]
        by_slot: dict = {}
        for i, answer in self.answers:
            by_slot.setdefault((answer.layer, answer.quantity), []).append((i, answer))
        # A slot answered several times is answered by its exact figure: an approximate restatement
        # (61M, 约0.6亿) or a slot guessed from the number never displaces it.
        self.primary = {slot: max(items, key=lambda item: (item[1].value is not None, not item[1].approximate,
                                                           item[1].confidence, -item[0]))
                        for slot, items in by_slot.items()}
        self.by_slot = by_slot
        self.review += self._conflicts()
        slots = [Slot(a.layer, self.slot_quantity(a), a.value) for _, a in self.primary.values()
                 if a.layer != "total" and not a.approximate and a.value is not None
                 and a.confidence >= LOW_CONFIDENCE]
        self.diagnosis = diagnose(network, self.required, slots)
        self.evidenced = evidenced_flips(self.diagnosis, slots)
        self.other_figures = _merge(other_figures, self._own_convention_figures())
        self.used: set = set()  # (formula code, bias code) pairs the student's answers show
        self.flips_seen: list[Flip] = []  # every flip the best-supported answers needed

    def _conflicts(self) -> list[ReviewItem]:
        """An asked slot given different exact values (not a restatement such as 61M): the grade
        uses one, a person should confirm which the student meant."""
        items = []
        for (layer, quantity), answers in self.by_slot.items():
            _, used = self.primary[(layer, quantity)]
            if layer not in self.asked_layers or self.slot_quantity(used) not in self.asked_quantities:
                continue  # not scored: whichever was meant, the grade is the same
            exact = [a for _, a in answers if not a.approximate and a.value is not None]
            if len({value_key(a.value) for a in exact}) < 2:
                continue
            others = [a for a in exact if a is not used]
            where = ", ".join(a.source.describe() for a in others)
            items.append(ReviewItem(
                f"{self.network}.{layer} {quantity.value}: {len(exact)} different values; graded: the one at "
                f"{used.source.describe()} (others at {where})", used.text or str(used.value), used.source,
                kind="conflict", slot=f"{self.network}.{layer}.{quantity.value}"))
        return items

    def _own_convention_figures(self) -> dict:
        """value key -> the slots of this network whose figure it is under the student's diagnosed
        conventions, each layer flip they made taken at every layer that admits it (towers merged
        everywhere): a number in the wrong row is often the right one under their conventions."""
        from grader.compare.perturb import LAYER

        index = slot_index(self.network, self.required, self.diagnosis.global_flips)
        if not index.valid:
            return {}
        made = {(f.code, f.arg) for f in self.diagnosis.flips if f.layer is not None}
        figures: dict = {}
        for f in index.figures.layers:
            choices = {None, self.diagnosis.layer_flip(f.name)} | {
                flip for flip in index.candidates(LAYER, f.name) if (flip.code, flip.arg) in made}
            for choice in choices:
                for quantity in COUNTED_QUANTITIES:
                    value = index.figure(f.name, quantity, Explanation(choice))
                    if value:
                        figures.setdefault(value_key(value), []).append(f"{self.network}.{f.name}.{quantity.value}")
        return {key: tuple(dict.fromkeys(slots)) for key, slots in figures.items()}

    # ------------------------------------------------------------ slots

    def slot_quantity(self, answer: Answer) -> Quantity:
        """A params column answers the weights asked (and a weights column the params asked) when the
        student gave nothing else for that slot."""
        q, asked = answer.quantity, self.asked_quantities
        if answer.layer in self.asked_layers:
            if q is Quantity.PARAMS and Quantity.WEIGHTS in asked and Quantity.PARAMS not in asked \
                    and (answer.layer, Quantity.WEIGHTS) not in self.primary:
                return Quantity.WEIGHTS
            if q is Quantity.WEIGHTS and Quantity.PARAMS in asked and Quantity.WEIGHTS not in asked \
                    and (answer.layer, Quantity.PARAMS) not in self.primary:
                return Quantity.PARAMS
            # the extractor reads a FLOPs (or MACs) column as connections, a "memory" column without a
            # unit as units (CS231n's memory counts activations): they answer the FLOPs, the memory asked
            for read, cost in ((Quantity.CONNECTIONS, Quantity.FLOPS), (Quantity.UNITS, Quantity.MEMORY)):
                if q is read and cost in asked and read not in asked and (answer.layer, cost) not in self.primary:
                    return cost
        return q

    def slot_sure(self, answer: Answer) -> bool:
        return self.asked is not None and answer.confidence >= LOW_CONFIDENCE

    def expected(self, layer: str, quantity: Quantity):
        return self.base.figure(layer, quantity)

    def in_unit(self, quantity: Quantity, figure):
        """A figure as the rubric asks it written: in its unit, rounded to a whole number (the course's
        rounding: 802,816 bytes is 784 KB), or to the first digit that is not 0 below 1 (0.4 M)."""
        if quantity not in self.units or not isinstance(figure, (int, float)):
            return figure
        value = figure / self.units[quantity][1]
        if value == 0 or abs(value) >= 0.5:
            return int(round(value))
        return round(value, -math.floor(math.log10(abs(value))))

    def unit_interval(self, quantity: Quantity, answer: Answer):
        """The figures in base units that a number written in the rubric's unit stands for, the course's
        rounding forgiven either way at the half (253.5 KB is 253 or 254): None where the quantity
        has no unit, or the number was written with its own scale (23k, 0.4M: read in base units)."""
        value = answer.value
        if quantity not in self.units or answer.approximate or not isinstance(value, (int, float)) \
                or isinstance(value, bool):
            return None
        decimals = len(repr(float(value)).split(".")[1].rstrip("0")) if not float(value).is_integer() else 0
        size, half = self.units[quantity][1], 0.5 * 10 ** -decimals
        # the half-open interval `_rounded` takes, closed at its top by the smallest step beyond it
        return (value - half) * size, math.nextafter((value + half) * size, math.inf)

    def formula(self, layer: str, quantity: Quantity) -> str:
        written = self._formula(layer, quantity)
        if quantity in self.units and written:
            name, _ = self.units[quantity]
            figure = self.in_unit(quantity, self.expected(layer, quantity))
            written = f"{written} = {figure:,} {name}" if figure is not None else written
        return written

    def _formula(self, layer: str, quantity: Quantity) -> str:
        figures = self.base.figures
        if figures is None:
            return ""
        if quantity in (Quantity.MEMORY, Quantity.FLOPS):
            return self._cost_formula(layer, quantity)
        if layer == "total":
            try:
                return f"the sum of the layers = {figures.total(quantity):,}"
            except ValueError:
                return ""
        if layer == "input":
            return "×".join(map(str, figures.input_shape))
        try:
            return figures.layer(layer).formulas.get(quantity, "")
        except KeyError:
            return ""

    def _cost_formula(self, layer: str, quantity: Quantity) -> str:
        from grader.reference.costs import Cost, CostConventions, layer_costs

        conventions = self.required.costs or CostConventions()
        if layer == "total":
            total = self.expected(layer, quantity)
            return f"the sum of the layers = {total:,}" if total is not None else ""
        try:
            record = layer_costs(self.base.figures.layer(layer), conventions)
        except KeyError:
            return ""
        return record.formulas[Cost.ACTIVATION_BYTES if quantity is Quantity.MEMORY else Cost.FLOPS]

    # ------------------------------------------------------------ judging

    def judge(self) -> list[_Judged]:
        judged: list[_Judged] = []
        filled = {}
        primaries = sorted(self.primary.values(), key=lambda item: (item[1].layer == "total", item[0]))
        for i, answer in primaries:
            quantity = self.slot_quantity(answer)
            asked = answer.layer in self.asked_layers and quantity in self.asked_quantities
            result = self._judge(answer, quantity, asked, primary=True, judged=judged)
            if asked:
                filled[(answer.layer, quantity)] = result
            judged.append(result)
        for slot, items in self.by_slot.items():
            for i, answer in items:
                if i != self.primary[slot][0]:
                    judged.append(self._judge(answer, self.slot_quantity(answer), False, primary=False,
                                              judged=judged, extra=True))
        for li, layer in enumerate(self.asked_layers):
            for qi, quantity in enumerate(self.asked_quantities):
                if (layer, quantity) not in filled:
                    judged.append(_Judged(Judgement(
                        self.network, layer, quantity, Verdict.MISSING,
                        self.in_unit(quantity, self.expected(layer, quantity)),
                        formula=self.formula(layer, quantity)), self._order(True, li, qi)))
        self._charge_once(judged)
        return judged

    # ------------------------------------------------------------ charging (the module docstring)

    def _charge_once(self, judged: list[_Judged]) -> None:
        from dataclasses import replace

        from grader.compare.pitfalls import PITFALLS

        def origin_order(item: _Judged):
            j = item.judgement
            quantity = self.slot_quantity(j.answer)
            return (self.position.get(j.layer, len(self.position)), DERIVATION.index(quantity), item.order)

        scored = sorted((item for item in judged if item.judgement.asked and item.judgement.answer is not None
                         and item.judgement.verdict in (Verdict.WRONG, Verdict.FOLLOW_THROUGH)), key=origin_order)
        charged: dict = {}  # (code, layer or None) -> where it was charged
        for item in scored:
            j = item.judgement
            quantity = self.slot_quantity(j.answer)
            where = f"{j.layer} {quantity.value}"
            codes = list(dict.fromkeys([*(code for code, _ in item.origins if code in PITFALLS), *item.unnamed]))
            note = ""
            if j.verdict is Verdict.WRONG and (derived := self._derived(j.layer, quantity, j.answer.value)):
                verdict, note = Verdict.FOLLOW_THROUGH, derived
            elif any(code in PITFALLS and PITFALLS[code].charged == "answer" for code in codes) or not codes:
                verdict = j.verdict  # a slip of this number, or a value nothing names: its own
                for code in codes:
                    charged.setdefault(self._charge_key(code, j.layer), where)
            else:
                new = [code for code in codes
                       if code not in self.deductions and self._charge_key(code, j.layer) not in charged]
                for code in new:
                    charged[self._charge_key(code, j.layer)] = where
                verdict = Verdict.WRONG if new else Verdict.FOLLOW_THROUGH
                if not new and j.verdict is Verdict.WRONG:
                    note = "; ".join(
                        f"{UNNAMED.get(code, code)} is charged once, by its deduction" if code in self.deductions else
                        f"{UNNAMED.get(code, code)} is charged once, on {charged[self._charge_key(code, j.layer)]}"
                        for code in codes)
            if verdict is not j.verdict:
                item.judgement = replace(j, verdict=verdict, note="; ".join(filter(None, [j.note, note])))

    @staticmethod
    def _charge_key(code: str, layer: str) -> tuple:
        from grader.compare.pitfalls import PITFALLS

        return (code, layer if code in PITFALLS and PITFALLS[code].charged == "layer" else None)

    def _derived(self, layer: str, quantity: Quantity, value) -> str:
        """A note when a layer's connections are its weights times its output positions with the
        student's own weights or own output size in them (a wrong figure carried within the layer)."""
        if quantity is not Quantity.CONNECTIONS or not self.base.valid or layer in ("total", "input") \
                or not isinstance(value, (int, float)):
            return ""
        figures = self.base.figures.layer(layer)
        own = {(a.layer, self.slot_quantity(a)): a.value for _, a in self.primary.values()
               if not a.approximate and isinstance(a.value, (int, float))}
        weights, units = own.get((layer, Quantity.WEIGHTS)), own.get((layer, Quantity.UNITS))
        if figures.kind == "fc":
            positions = {1: False}
        else:
            positions = {figures.shape[0] * figures.shape[1]: False}
            channels = figures.shape[2]
            if units and channels and units % channels == 0:
                positions.setdefault(int(units // channels), True)
        kernels = {figures.weights: False}
        if weights:
            kernels.setdefault(weights, True)
        for kernel, own_kernel in kernels.items():
            for count, own_count in positions.items():
                if (own_kernel or own_count) and value in (kernel * count, (kernel + figures.biases) * count):
                    mine = [name for name, used in (("weights", own_kernel), ("units", own_count)) if used]
                    return f"follows from your own {layer} {' and '.join(mine)}"
        return ""

    def _order(self, asked: bool, layer_index: int, quantity_index: int, answer_index: int = 0) -> tuple:
        return (0, self.rank, layer_index, quantity_index) if asked else (1, self.rank, answer_index, 0)

    def _judge(self, answer: Answer, quantity: Quantity, asked: bool, *, primary: bool, judged, extra=False):
        from grader.compare.pitfalls import PITFALLS

        layer = answer.layer
        expected = self.expected(layer, quantity)
        outcome = self._verdict(answer, quantity, expected, judged)
        if primary:
            self.flips_seen += [f for f in outcome.flips if f not in self.flips_seen]
        if not self.slot_sure(answer):
            # the slot is a guess (a number placed by its value, a network the rubric does not ask):
            # what a perturbation names there is no evidence of a mistake
            outcome.codes, outcome.origins = [], []
        expected = self.in_unit(quantity, expected)  # as the student writes it, from here on
        self._apply_checks(answer, quantity, expected, outcome, primary)
        if asked:
            order = self._order(True, self.asked_layers.index(layer), self.asked_quantities.index(quantity))
        else:
            order = self._order(False, 0, 0, (self.position.get(layer, 0), 1 if extra else 0, answer.source.line or 0))
        if extra:
            outcome.note = "; ".join(filter(None, ["another answer to a slot already answered", outcome.note]))
        elif quantity is not answer.quantity:
            outcome.note = "; ".join(filter(None, [f"judged as the {quantity.value} asked", outcome.note]))
        if outcome.verdict is Verdict.WRONG and not answer.confirmed and (
                self._unsure(answer, expected, outcome)
                or (extra and (not outcome.codes or (answer.confidence < 1 and not outcome.flips)))):
            # a second reading of a slot already answered is not scored: where it disagrees and no
            # mistake of the student's own is seen in it, the reading is for a person to check
            # a misread must never cost the student: a person confirms the reading first
            outcome.verdict, outcome.codes, outcome.origins = Verdict.REVIEW, [], []
            outcome.note = "; ".join(filter(None, ["not read for sure: a person will check this reading",
                                                   outcome.note]))
            if asked:
                self.review.append(ReviewItem(
                    f"{self.network}.{layer} {quantity.value}: not read for sure (confidence "
                    f"{answer.confidence:.2f})", answer.text, answer.source,
                    kind="low-confidence", slot=f"{self.network}.{layer}.{quantity.value}"))
        judgement = Judgement(
            self.network, layer, answer.quantity, outcome.verdict, expected, answer,
            pitfalls=tuple(dict.fromkeys(outcome.codes)), formula=self.formula(layer, quantity),
            note=outcome.note, asked=asked)
        unnamed = tuple(dict.fromkeys(f.code for f in outcome.flips if f.code not in PITFALLS and not self.acceptance(f)))
        return _Judged(judgement, order, outcome.accepted, tuple(outcome.origins), unnamed)

    def _unsure(self, answer: Answer, expected, outcome: _Outcome) -> bool:
        """A wrong value is charged only where the reading is sure: its confidence at the review
        threshold, and evidence that it answers this slot: the slot read from words, a flip of the
        reference that turns the slot's figure into the value, or a value of the slot's order of
        magnitude written with the student's own working. Misreads are values of other slots
        (another slot's figure on an inferred slot, the network's total on a layer) or of no slot
        (a sum of layers, a size in bytes, a ratio): they fit nothing here, and are often orders of
        magnitude away."""
        from grader.extract.evidence import fits

        if answer.confidence < LOW_CONFIDENCE:
            return True
        if answer.layer != "total" and not outcome.flips and fits(self.network, "total", None, answer.value):
            return True  # the network's total on one layer: a total line read as that layer's
        value = answer.value
        if not (outcome.flips or outcome.rounded) and isinstance(value, (int, float)) and isinstance(expected, int) \
                and expected > 0 and not 1 / ABSURD <= value / expected <= ABSURD:
            return True
        if answer.confidence >= 1 or outcome.flips or outcome.rounded:
            return False  # words named the slot, or a flip or the slot's own figure rounded explains it
        if "misplaced-answer" in outcome.codes:
            return True  # another slot's figure on a slot we inferred: our placement is the likelier slip
        if isinstance(value, (int, float)) and isinstance(expected, int) and expected > 0 \
                and not 1 / MAGNITUDE <= value / expected <= MAGNITUDE:
            return True
        return answer.confidence < SURE_WITHOUT_WORKING and not answer.expression

    def _verdict(self, answer: Answer, quantity: Quantity, expected, judged) -> _Outcome:
        value = answer.value
        if expected is None:
            return _Outcome(Verdict.WRONG, note=f"{answer.layer} has no {quantity.value}")
        if value is None:
            return _Outcome(Verdict.WRONG, note="no value read")
        if value_key(expected) in value_keys(value):
            return _Outcome(Verdict.CORRECT)
        if (interval := self.unit_interval(quantity, answer)) is not None:
            return self._rounded(answer, quantity, expected, interval, judged, course=True)
        if isinstance(value, (int, float)):
            interval = rounding(value, answer.text, approximate=answer.approximate)
            if interval is not None:
                return self._rounded(answer, quantity, expected, interval, judged)
        # written with every digit ("≈ 62,378,344"): judged as it stands
        if isinstance(value, tuple) and len(value) == 2 and isinstance(expected, tuple) and len(expected) == 3 \
                and tuple(value) == expected[:2]:
            return _Outcome(Verdict.CORRECT, note="the spatial size (height × width)")
        if answer.layer == "total":
            return self._total(answer, quantity, judged)
        found = explain(self.diagnosis, Slot(answer.layer, quantity, value), self.acceptance,
                        evidenced=self.evidenced)
        if found is None:
            return _Outcome(Verdict.WRONG)
        return self._from_flips(found, answer.layer)

    def _rounded(self, answer: Answer, quantity: Quantity, expected, interval, judged, course: bool = False) -> _Outcome:
        """A value written rounded: the expected figure, or else the simplest-explained figure of the
        slot it rounds (for a total, first the sum of the student's own layers), then the rubric's rule
        for roundings; or, `course`, a number in the rubric's unit, rounded as the course asks: no rule."""
        low, high = interval
        rule = self._course_rounding if course else self._rounding_rule
        if isinstance(expected, (int, float)) and low <= expected < high:
            return rule(answer.value, expected, _Outcome(Verdict.CORRECT))
        if answer.layer == "total":
            context = self._context(answer, quantity, None, explained=False)
            sums = [total for total in own_sums(context) if low <= total < high]
            if sums:
                outcome = _Outcome(Verdict.FOLLOW_THROUGH, note="the sum of your own per-layer values")
                return rule(answer.value, sums[0], outcome)
        best = None
        for figure in self._figures_within(answer.layer, quantity, low, high):
            found = explain(self.diagnosis, Slot(answer.layer, quantity, figure), self.acceptance,
                            evidenced=self.evidenced)
            if found is not None:
                mistakes = [f for f in found.flips if not self.acceptance(f)]
                cost = (len(mistakes), len(found.flips), abs(figure - answer.value))
                if best is None or cost < best[0]:
                    best = (cost, figure, found)
        if best is None:
            return _Outcome(Verdict.WRONG, note="" if course else "written rounded, and no figure of this slot rounds to it")
        _, figure, found = best
        outcome = (self._explained_total(found, judged) if answer.layer == "total"
                   else self._from_flips(found, answer.layer))
        if not course:
            outcome.note = "; ".join(filter(None, [f"read as {figure:,} rounded", outcome.note]))
        return rule(answer.value, figure, outcome)

    def _figures_within(self, layer: str, quantity: Quantity, low, high) -> list:
        """Every figure of a slot in [low, high) under the diagnosis, fewer of its global flips or one
        more (the combinations `explain` searches)."""
        from grader.compare.index import global_candidates
        from grader.compare.pitfalls import PERTURBATIONS

        flips = self.diagnosis.global_flips
        sets = {frozenset(), flips} | {flips | {flip} for flip in global_candidates(self.network, self.required)
                                       if PERTURBATIONS[flip.code].min_layers == 1}
        figures = {figure for chosen in sets
                   for figure in slot_index(self.network, self.required, chosen).values(layer, quantity, low, high)}
        return sorted(figures)

    @staticmethod
    def _course_rounding(value, figure, outcome: _Outcome) -> _Outcome:
        outcome.rounded = True  # the rounding asked: the figure's verdict as it stands
        return outcome

    def _rounding_rule(self, value, figure, outcome: _Outcome) -> _Outcome:
        """The rubric's verdict on a figure written rounded: accepted within its `approximate`
        tolerance, else wrong and said so. A mistake stays the mistake it is."""
        outcome.rounded = True
        if outcome.verdict is Verdict.WRONG:
            return outcome
        if self.tolerance > 0 and abs(value - figure) <= self.tolerance * abs(figure):
            if outcome.verdict is Verdict.CORRECT:
                outcome.verdict, outcome.accepted = Verdict.ACCEPTED, outcome.accepted + ("approximate",)
            outcome.note = "; ".join(filter(None, ["written rounded, within the rubric's tolerance", outcome.note]))
            return outcome
        reason = ("this assignment asks for exact counts" if self.tolerance == 0 else
                  f"rounded more coarsely than the {self.tolerance * 100:g}% this assignment accepts")
        outcome.verdict = Verdict.WRONG
        outcome.note = "; ".join(filter(None, [f"the figure written rounded: {reason}", outcome.note]))
        return outcome

    def _from_flips(self, found: Found, layer: str) -> _Outcome:
        from grader.compare.pitfalls import PITFALLS

        flips = found.flips
        self.used.add((found.explanation.formula.code if found.explanation.formula else None,
                       found.explanation.bias.code if found.explanation.bias else None))
        mistakes = [f for f in flips if not self.acceptance(f)]
        accepted = tuple(dict.fromkeys(self.acceptance.entry(f).convention for f in flips if self.acceptance(f)))
        if not mistakes:
            return _Outcome(Verdict.ACCEPTED, accepted=accepted, flips=flips,
                            note="under an accepted convention: " + ", ".join(f.describe() for f in flips))
        upstream = [f for f in mistakes if self._upstream(f, layer)]
        here = [f for f in mistakes if f not in upstream]
        # A mistake is charged where it was made (origins). The answers that carry an earlier layer's
        # mistake forward (conv2's padding left out, conv3 onwards) name it in their note, not among
        # their own pitfalls; the input is part of every layer's working, so its mistake shows on each.
        codes = [f.code for f in here + upstream if f.code in PITFALLS and (f in here or self._from_input(f))]
        origins = [(f.code, self._origin(f, layer)) for f in here + upstream if f.code in PITFALLS]
        follows = "follows from " + ", ".join(f.describe() for f in upstream) if upstream else ""
        if not here:
            return _Outcome(Verdict.FOLLOW_THROUGH, codes, origins, accepted, flips=flips, note=follows)
        note = ", ".join(f.describe() for f in here if f.code not in PITFALLS)
        if note:
            note = "counted with " + note.replace("connections_with_bias", "connections with biases").replace(
                "connections_as_flops", "connections as FLOPs (2 per connection)")
        return _Outcome(Verdict.WRONG, codes, origins, accepted, note="; ".join(filter(None, [note, follows])),
                        flips=flips)

    def _upstream(self, flip: Flip, layer: str) -> bool:
        from grader.compare.pitfalls import PERTURBATIONS

        origin = PERTURBATIONS[flip.code].origin
        if origin == "input":
            return True
        if origin == "network" or flip.layer is None or flip.layer == layer:
            return False
        return self.position.get(flip.layer, 0) < self.position.get(layer, 0)

    @staticmethod
    def _from_input(flip: Flip) -> bool:
        from grader.compare.pitfalls import PERTURBATIONS

        return PERTURBATIONS[flip.code].origin == "input"

    def _origin(self, flip: Flip, layer: str) -> str:
        from grader.compare.pitfalls import PERTURBATIONS

        if PERTURBATIONS[flip.code].origin == "input":
            return "input"
        return flip.layer or layer

    def _total(self, answer: Answer, quantity: Quantity, judged) -> _Outcome:
        """A total follows through when it is the sum of the student's own layers, or when what
        explains it was charged on their layers already."""
        context = self._context(answer, quantity, None, explained=False)
        if any(value_key(total) in value_keys(answer.value) for total in own_sums(context)):
            return _Outcome(Verdict.FOLLOW_THROUGH, note="the sum of your own per-layer values")
        found = explain(self.diagnosis, Slot("total", quantity, answer.value), self.acceptance,
                        evidenced=self.evidenced)
        if found is None:
            return _Outcome(Verdict.WRONG)
        return self._explained_total(found, judged)

    def _explained_total(self, found: Found, judged) -> _Outcome:
        outcome = self._from_flips(found, "total")
        charged = {code for j in judged if j.judgement.network == self.network for code in j.judgement.pitfalls}
        if outcome.verdict is Verdict.WRONG and all(code in charged for code in outcome.codes):
            outcome.verdict = Verdict.FOLLOW_THROUGH
            outcome.origins = []
            outcome.note = "follows from the mistakes on your layers"
        return outcome

    def conventions(self) -> dict:
        """The diagnosis as conventions: what the student's figures were computed with."""
        index = slot_index(self.network, self.required, self.diagnosis.global_flips)
        figures = index.figures or self.base.figures
        split = [f.name for f in self.base.figures.layers if f.split] if self.base.valid else []
        merged = {f.layer for f in self.flips_seen if f.code == "tower-split-missed"}
        return {
            "input_size": figures.input_shape[0] if figures else None,
            "towers": 1 if split and merged >= set(split) else (figures.towers if figures else None),
            "connections_with_bias": figures.connections_with_bias if figures else None,
            "biases_in_weights": any(f.code == "bias-counted" for f in self.flips_seen),
            "flips": [f.describe() for f in self.flips_seen],
        }

    # ------------------------------------------------------------ checks

    def _context(self, answer: Answer, quantity: Quantity, expected, explained: bool) -> AnswerContext:
        figures = self.base.figures
        layer_figures = None
        if figures is not None and answer.layer not in ("total", "input"):
            layer_figures = figures.layer(answer.layer)
        spec_layer = self.spec.layer(answer.layer) if layer_figures is not None else None
        return AnswerContext(
            answer=answer, quantity=quantity, expected=expected, explained=explained,
            slot_sure=self.slot_sure(answer),
            layer_kind=layer_figures.kind if layer_figures else "",
            trainable=bool(spec_layer and spec_layer.trainable), figures=layer_figures,
            with_bias=bool(figures and figures.connections_with_bias), own_values=self._own_values,
            summed_layers=self._summed_layers,
            other_figures=self.other_figures, slot=f"{self.network}.{answer.layer}.{quantity.value}",
            convention_figures=self._convention_figures(answer.layer, quantity))

    @cached_property
    def _own_values(self) -> dict:
        """(layer, quantity) -> the student's exact value, the same for every answer of the table
        (the checks only read it)."""
        own = {}
        for _, a in self.primary.values():
            if not a.approximate and a.layer != "total":
                own[(a.layer, self.slot_quantity(a))] = a.value
        for _, a in self.primary.values():  # a params column also sums as params
            if not a.approximate and a.layer != "total":
                own.setdefault((a.layer, a.quantity), a.value)
        return own

    @cached_property
    def _summed_layers(self) -> tuple[str, ...]:
        figures = self.base.figures
        return tuple(f.name for f in figures.layers if f.kind != "pool" or f.weights) if figures else ()

    def _convention_figures(self, layer: str, quantity: Quantity) -> tuple:
        """What the student's own diagnosed conventions give for a slot: the transcription slip's
        second reference."""
        index = slot_index(self.network, self.required, self.diagnosis.global_flips)
        chosen = self.diagnosis.layer_flip(layer)
        figures = []
        for formula_code, bias_code in {(None, None), *self.used}:
            formula = self._local(index, "formula", layer, formula_code)
            bias = self._local(index, "bias", layer, bias_code)
            if (formula_code and formula is None) or (bias_code and bias is None):
                continue
            value = index.figure(layer, quantity, Explanation(chosen, formula, bias))
            if value is not None:
                figures.append(value)
        return tuple(figures)

    @staticmethod
    def _local(index, stage: str, layer: str, code: str | None) -> Flip | None:
        if code is None or layer in ("total", "input"):
            return None
        return next((f for f in index.candidates(stage, layer) if f.code == code), None)

    def _apply_checks(self, answer: Answer, quantity: Quantity, expected, outcome: _Outcome, primary: bool):
        from grader.compare.pitfalls import PITFALLS

        # a value some flip explains (a convention the rubric does not accept, too) is no slip
        explained = outcome.verdict is not Verdict.WRONG or outcome.rounded or bool(
            outcome.codes or outcome.origins or outcome.flips)
        context = self._context(answer, quantity, expected, explained)
        # The transcription slip comes last: it applies only where nothing else explains the number
        # (a written expression that does not give the result written is an arithmetic slip).
        for code in ("pool-params-counted", "add-with-weights", "filters-wrong", "total-inconsistent", "misplaced-answer",
                     "arithmetic-slip", "transcription-slip"):
            # a second answer to a slot already answered is judged, but the student's own numbers
            # are checked on the slot's answer: a year or a layer count read as a total is no total
            if code in ("misplaced-answer", "total-inconsistent") and not primary:
                continue
            check = PITFALLS[code].check
            if check.test(context):
                outcome.codes.append(code)
                outcome.origins.append((code, answer.layer))
                if not context.explained:
                    context = _replace(context, explained=True)


def _replace(context: AnswerContext, **changes) -> AnswerContext:
    from dataclasses import replace

    return replace(context, **changes)


# ---------------------------------------------------------------- across networks


def _expected_figures(rubric) -> dict:
    """value key -> the slots ("network.layer.quantity") whose expected figure it is."""
    figures: dict = {}
    for asked in rubric.asked:
        index = slot_index(asked.network, asked.conventions, frozenset())
        if not index.valid:
            continue
        for f in index.figures.layers:
            for quantity in COUNTED_QUANTITIES:
                value = index.figure(f.name, quantity)
                if value:
                    figures.setdefault(value_key(value), []).append(f"{asked.network}.{f.name}.{quantity.value}")
        for quantity in COUNTED_QUANTITIES:
            figures.setdefault(value_key(index.figures.total(quantity)), []).append(
                f"{asked.network}.total.{quantity.value}")
    return {key: tuple(slots) for key, slots in figures.items()}


def _merge(*tables: dict) -> dict:
    merged: dict = {}
    for table in tables:
        for key, slots in table.items():
            merged[key] = tuple(dict.fromkeys(merged.get(key, ()) + slots))
    return merged


def _hits(judged: list[_Judged]) -> list[PitfallHit]:
    hits: list[PitfallHit] = []
    for item in judged:
        for code, layer in item.origins:
            hits = _add_hit(hits, code, item.judgement.network, layer)
    return hits


def _add_hit(hits: list[PitfallHit], code: str, network: str, layer: str) -> list[PitfallHit]:
    from grader.reference.spec import load_network

    for i, hit in enumerate(hits):
        if hit.code == code and hit.network == network:
            if layer in hit.layers:
                return hits
            names = ["input", *(l.name for l in load_network(network).counted_layers), "total"]
            position = {name: k for k, name in enumerate(names)}
            layers = tuple(sorted(hit.layers + (layer,), key=lambda name: position.get(name, len(names))))
            return hits[:i] + [PitfallHit(code, network, layers)] + hits[i + 1:]
    return hits + [PitfallHit(code, network, (layer,))]


__all__ = ["Comparison", "compare", "Diagnosis"]
