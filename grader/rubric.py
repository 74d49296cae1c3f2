"""Rubrics are data (rubrics/*.yaml): which network, which quantities, which conventions, the
points, the deductions per pitfall, and what a self-check may reveal. Validation errors name the
file, the key and the line."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from grader.core import RUBRICS_DIR, GraderError, Quantity
from grader.reference.engine import Conventions

# What a self-check and the feedback may show (grader/report/reveal.py applies it): none (verdicts
# only), hints, working (formulas without results), answers. `verdicts` is the older name of none.
REVEAL_POLICIES = ("none", "hints", "working", "answers")
REVEAL_ALIASES = {"verdicts": "none"}
CONVENTION_KEYS = ("input_size", "towers", "connections_with_bias")
# How the costs are counted (grader/reference/costs.py's CostConventions), among a network's conventions.
COST_KEYS = {"flops": "flops", "bytes_per_element": "bytes_per_element", "kilo": "kilo", "stated_batch": "stated_batch"}
# The units a quantity may be asked in (`units:`): counts in thousands, millions, billions; memory
# in bytes, KB, MB, GB of the conventions' kilo. Answers are numbers in that unit, rounded as the
# course rounds: to the digits written (784 is 783.5 to 784.5 KB).
COUNT_UNITS = {"k": 1, "K": 1, "M": 2, "G": 3}
MEMORY_UNITS = {"B": 0, "KB": 1, "MB": 2, "GB": 3}


@dataclass(frozen=True, slots=True)
class Asked:
    """What one network's part of the assignment asks."""

    network: str
    layers: tuple[str, ...]  # layer names of the spec; "total" allowed
    quantities: tuple[Quantity, ...]
    conventions: Conventions  # the required ones (unset = the spec's)
    units: tuple[tuple[Quantity, str, int], ...] = ()  # (quantity, unit as written, its size in base units)

    def unit(self, quantity: Quantity) -> tuple[str, int] | None:
        """The unit a quantity is answered in (its name and size), or None: exact counts."""
        return next(((name, size) for q, name, size in self.units if q is quantity), None)


@dataclass(frozen=True, slots=True)
class Accepted:
    """Another convention the rubric accepts: answers only it explains are `accepted`."""

    convention: str  # one of CONVENTION_KEYS, or "bias-counted" for weights given with biases
    value: object
    deduction: float = 0.0  # per answer


@dataclass(frozen=True, slots=True)
class Deduction:
    points: float
    per: str = "submission"  # "submission": charged once; "layer": once per layer it appears on


@dataclass(frozen=True, slots=True)
class FreeText:
    """A written question graded by the concepts its answer mentions."""

    id: str
    prompt: str
    points: float
    concepts: tuple[tuple[str, tuple[str, ...]], ...]  # (concept, words and phrases that show it)
    needed: int = 1  # how many concepts earn full points


@dataclass(frozen=True, slots=True)
class Rubric:
    name: str
    title: str
    asked: tuple[Asked, ...]
    points_per_answer: float = 1.0
    follow_through_credit: float = 1.0  # fraction of the points a follow-through answer keeps
    accepted: tuple[Accepted, ...] = ()
    deductions: dict = field(default_factory=dict)  # pitfall code -> Deduction
    reveal: str = "hints"
    approximate: float = 0.0  # relative tolerance for answers written approximately (61M); 0 refuses them
    free_text: tuple[FreeText, ...] = ()
    path: str = ""

    @property
    def networks(self) -> tuple[str, ...]:
        return tuple(asked.network for asked in self.asked)

    @property
    def quantities(self) -> dict[str, tuple[Quantity, ...]]:
        return {asked.network: asked.quantities for asked in self.asked}

    @property
    def max_score(self) -> float:
        answers = sum(len(a.layers) * len(a.quantities) for a in self.asked)
        return answers * self.points_per_answer + sum(q.points for q in self.free_text)


class _LineLoader:
    """PyYAML's safe loader (libyaml's when PyYAML has it: ten times faster) keeping each
    mapping's line, so errors can name it."""

    @staticmethod
    def load(text: str):
        import yaml
        from yaml.constructor import SafeConstructor

        class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            pass

        def construct_mapping(loader, node, deep=False):
            mapping = SafeConstructor.construct_mapping(loader, node, deep=deep)
            mapping["__line__"] = node.start_mark.line + 1
            return mapping

        Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
        return yaml.load(text, Loader=Loader)  # noqa: S506 - a safe loader's subclass


class _Reader:
    def __init__(self, path: str):
        self.path = path

    def fail(self, node, key: str, reason: str):
        line = node.get("__line__") if isinstance(node, dict) else None
        where = f"{self.path}, line {line}" if line else self.path
        raise GraderError(f"{where}: {key}: {reason}")

    def get(self, node: dict, key: str, kind, default=None, required=False):
        if key not in node:
            if required:
                self.fail(node, key, "is required")
            return default
        value = node[key]
        if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            self.fail(node, key, f"must be {names}, not {value!r}")
        return value

    def check_keys(self, node: dict, allowed: set[str], where: str):
        unknown = sorted(set(node) - allowed - {"__line__"})
        if unknown:
            self.fail(node, where, f"unknown keys {unknown} (allowed: {sorted(allowed)})")


def parse_rubric(raw, path: str) -> Rubric:
    from grader.reference.spec import load_network

    reader = _Reader(path)
    if not isinstance(raw, dict):
        raise GraderError(f"{path}: a rubric must be a mapping")
    reader.check_keys(raw, {"name", "title", "networks", "points_per_answer", "follow_through_credit",
                            "accept", "deductions", "reveal", "approximate", "free_text"}, "rubric")
    networks = reader.get(raw, "networks", dict, required=True)
    asked = []
    for network_name, node in networks.items():
        if network_name == "__line__":
            continue
        if not isinstance(node, dict):
            reader.fail(networks, network_name, "must be a mapping with layers and quantities")
        reader.check_keys(node, {"layers", "quantities", "conventions", "units"}, f"networks.{network_name}")
        try:
            network = load_network(network_name)
        except GraderError as err:
            reader.fail(node, f"networks.{network_name}", str(err))
        known = {layer.name for layer in network.counted_layers} | {"total", "input"}
        layers = reader.get(node, "layers", list, required=True)
        for layer in layers:
            if layer not in known:
                reader.fail(node, f"networks.{network_name}.layers", f"{network_name} has no layer {layer!r}")
        quantities = []
        for quantity in reader.get(node, "quantities", list, required=True):
            try:
                quantities.append(Quantity(quantity))
            except ValueError:
                reader.fail(node, f"networks.{network_name}.quantities",
                            f"{quantity!r} is not one of {', '.join(q.value for q in Quantity)}")
        conventions = reader.get(node, "conventions", dict, default={})
        reader.check_keys(conventions, set(CONVENTION_KEYS) | set(COST_KEYS), f"networks.{network_name}.conventions")
        costs = None
        if any(key in conventions for key in COST_KEYS):
            from grader.reference.costs import CostConventions

            try:
                costs = CostConventions(**{COST_KEYS[k]: v for k, v in conventions.items() if k in COST_KEYS})
            except GraderError as err:
                reader.fail(conventions, f"networks.{network_name}.conventions", str(err))
        required = Conventions(**{k: v for k, v in conventions.items() if k in CONVENTION_KEYS}, costs=costs)
        units = _units(reader, node, network_name, quantities, costs)
        asked.append(Asked(network_name, tuple(layers), tuple(quantities), required, units))
    accepted = []
    for item in reader.get(raw, "accept", list, default=[]):
        if not isinstance(item, dict):
            reader.fail(raw, "accept", "each item must be a mapping {convention, value, deduction}")
        reader.check_keys(item, {"convention", "value", "deduction"}, "accept")
        convention = reader.get(item, "convention", str, required=True)
        if convention not in CONVENTION_KEYS + ("bias-counted",):
            reader.fail(item, "accept.convention", f"{convention!r} is not one of {CONVENTION_KEYS + ('bias-counted',)}")
        accepted.append(Accepted(convention, item.get("value", True),
                                 float(reader.get(item, "deduction", (int, float), default=0))))
    deductions = {}
    from grader.compare.pitfalls import PITFALLS

    for code, node in reader.get(raw, "deductions", dict, default={}).items():
        if code == "__line__":
            continue
        if code not in PITFALLS:
            reader.fail(raw["deductions"], f"deductions.{code}", "is not a known pitfall code")
        if isinstance(node, (int, float)):
            deductions[code] = Deduction(float(node))
            continue
        reader.check_keys(node, {"points", "per"}, f"deductions.{code}")
        per = reader.get(node, "per", str, default="submission")
        if per not in ("submission", "layer"):
            reader.fail(node, f"deductions.{code}.per", "must be 'submission' or 'layer'")
        deductions[code] = Deduction(float(reader.get(node, "points", (int, float), required=True)), per)
    reveal = reader.get(raw, "reveal", str, default="hints")
    if reveal not in REVEAL_POLICIES and reveal not in REVEAL_ALIASES:
        reader.fail(raw, "reveal", f"must be one of {', '.join(REVEAL_POLICIES)} ({', '.join(REVEAL_ALIASES)} "
                                   "is the older name of none)")
    reveal = REVEAL_ALIASES.get(reveal, reveal)
    free_text = []
    for item in reader.get(raw, "free_text", list, default=[]):
        reader.check_keys(item, {"id", "prompt", "points", "concepts", "needed"}, "free_text")
        concepts = reader.get(item, "concepts", dict, required=True)
        free_text.append(FreeText(
            id=reader.get(item, "id", str, required=True),
            prompt=reader.get(item, "prompt", str, default=""),
            points=float(reader.get(item, "points", (int, float), required=True)),
            concepts=tuple((name, tuple(words)) for name, words in concepts.items() if name != "__line__"),
            needed=reader.get(item, "needed", int, default=1),
        ))
    return Rubric(
        name=reader.get(raw, "name", str, default=Path(path).stem),
        title=reader.get(raw, "title", str, default=""),
        asked=tuple(asked),
        points_per_answer=float(reader.get(raw, "points_per_answer", (int, float), default=1)),
        follow_through_credit=float(reader.get(raw, "follow_through_credit", (int, float), default=1)),
        accepted=tuple(accepted),
        deductions=deductions,
        reveal=reveal,
        approximate=float(reader.get(raw, "approximate", (int, float), default=0)),
        free_text=tuple(free_text),
        path=path,
    )


def _units(reader: _Reader, node: dict, network: str, quantities: list, costs) -> tuple:
    kilo = costs.kilo if costs is not None else 1024
    units = []
    for name, unit in reader.get(node, "units", dict, default={}).items():
        if name == "__line__":
            continue
        where = f"networks.{network}.units.{name}"
        try:
            quantity = Quantity(name)
        except ValueError:
            reader.fail(node, where, f"{name!r} is not one of {', '.join(q.value for q in Quantity)}")
        if quantity not in quantities or quantity is Quantity.SHAPE:
            reader.fail(node, where, "a unit for a quantity that is not asked (or a shape)")
        table, base = (MEMORY_UNITS, kilo) if quantity is Quantity.MEMORY else (COUNT_UNITS, 1000)
        if unit not in table:
            reader.fail(node, where, f"{unit!r} is not one of {', '.join(table)}")
        units.append((quantity, unit, base ** table[unit]))
    return tuple(units)


def list_rubrics() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in RUBRICS_DIR.glob("*.yaml")))


@lru_cache(maxsize=None)
def load_rubric(name_or_path: str) -> Rubric:
    """A shipped rubric by name (`alexnet-paper`) or a rubric file by path."""
    import yaml

    path = Path(name_or_path)
    if not path.is_file():
        path = RUBRICS_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        raise GraderError(f"no rubric {name_or_path!r} (shipped: {', '.join(list_rubrics())})")
    try:
        raw = _LineLoader.load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise GraderError(f"{path}: not valid YAML: {err}") from None
    return parse_rubric(raw, str(path))
