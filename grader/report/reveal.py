"""The reveal policy: what a student may see of one result, decided here and nowhere else.

`grader check` (terminal and `--json`) and the feedback pages (HTML and Markdown) all show a
result through `Reveal.of(result, policy)`: `.result()` is the result as the student may see it,
`.text()` filters any explanation (a pitfall's sections, a note) the same way. The rubric's
`reveal:` chooses the policy:

- `none`: the verdict of each answer and the score. (`verdicts`, the older name, means `none`.)
- `hints`: also the pitfalls by name, their explanations and follow-through notes, but no figure
  that is an asked answer and no formula that evaluates to one, for any layer asked: the
  registry's examples (`34,848·55·55 = 105,415,200`) lose every such figure and formula (`…`).
- `working`: also the worked formulas without their results: `34,848·55·55 = 105,415,200`
  becomes `(11·11·3·96)·55·55` (an asked figure inside a formula is replaced by its own working).
  A figure the network gives outright (fc6's 4,096 units) has no working and stays.
- `answers`: everything, the expected figures included (after the deadline).

The asked figures are the expected values of the result's asked answers: a TA's saved result
(`grade_to_json`) carries them; what a student is shown never does below `answers`. Given a result
already filtered (no expected figures), every figure counts as asked: nothing is given away.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from grader.rubric import REVEAL_ALIASES as ALIASES
from grader.rubric import REVEAL_POLICIES as POLICIES

DESCRIPTIONS = {
    "none": "verdicts and the score only",
    "hints": "verdicts, the mistakes named and explained; no figure or formula that gives an asked answer",
    "working": "verdicts, the mistakes explained and the worked formulas, without their results",
    "answers": "everything: the expected figures and their formulas",
}


def policy_name(name: str) -> str:
    """The policy a rubric's `reveal:` value names (`verdicts` is `none`)."""
    policy = ALIASES.get(name, name)
    if policy not in POLICIES:
        raise ValueError(f"reveal policy {name!r} is not one of {', '.join(POLICIES + tuple(ALIASES))}")
    return policy


def describe(policy: str) -> str:
    policy = policy_name(policy)
    return f"{policy} ({DESCRIPTIONS[policy]})"


# ---------------------------------------------------------------- figures and formulas in text

# A figure as the grader writes it (290,400; 4096; 54.25); thin and no-break spaces group too.
_NUMBER = r"\d{1,3}(?:[,\u202f\u00a0]\d{3})+(?![\d])|\d+(?:\.\d+)?"
_OPERATOR = r"[·×*+\-−/=]"
# A run of arithmetic: figures joined by operators, brackets around them.
_RUN = re.compile(rf"(?<![A-Za-z0-9_])\(*(?:{_NUMBER})\)*(?:\s*{_OPERATOR}\s*\(*(?:{_NUMBER})\)*)*")
_TOKEN = re.compile(rf"({_NUMBER})|([·×*+\-−/()])")


def _figure(text: str) -> Fraction:
    return Fraction(re.sub(r"[,\u202f\u00a0]", "", text))


def _balanced(side: str) -> str:
    """Brackets without a partner dropped: a run cut from prose ("(27·27·96 is ...") parses."""
    keep, stack = list(side), []
    for i, char in enumerate(side):
        if char == "(":
            stack.append(i)
        elif char == ")":
            if stack:
                stack.pop()
            else:
                keep[i] = ""
    for i in stack:
        keep[i] = ""
    return "".join(keep)


def _unmatched(run: str) -> tuple[int, int]:
    """How many of a run's opening and of its closing brackets have no partner inside it."""
    depth, closing = 0, 0
    for char in run:
        if char == "(":
            depth += 1
        elif char == ")":
            if depth:
                depth -= 1
            else:
                closing += 1
    return depth, closing


class _Values:
    """Every value a formula's parts give: each figure, each bracket, and each stretch of a sum or
    a product (`11·11·3·96·55·55` holds 11·11·3·96). None when it is not arithmetic."""

    def __init__(self, side: str):
        self.tokens = [(number, op) for number, op in _TOKEN.findall(_balanced(side))]
        self.at = 0
        self.values: set[Fraction] = set()

    def collect(self) -> set[Fraction] | None:
        try:
            self.values.add(self._sum())
        except (IndexError, ZeroDivisionError, ValueError):
            return None
        return self.values if self.at == len(self.tokens) else None

    def _peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def _chain(self, operators: str, operand) -> Fraction:
        parts = [("", operand())]
        while self._peek() is not None and self._peek() in operators:
            op = self.tokens[self.at][1]
            self.at += 1
            parts.append((op, operand()))
        if len(parts) == 1:
            return parts[0][1]
        values = []
        for start in range(len(parts)):
            total = None
            for op, value in parts[start:]:
                total = value if total is None else self._apply(total, op, value)
                values.append(total)
        self.values.update(values)
        return values[len(parts) - 1]  # the whole chain, from its first part

    @staticmethod
    def _apply(left: Fraction, op: str, right: Fraction) -> Fraction:
        if op in "·×*":
            return left * right
        if op == "/":
            return left / right
        if op == "+":
            return left + right
        return left - right

    def _sum(self) -> Fraction:
        return self._chain("+-−", self._product)

    def _product(self) -> Fraction:
        return self._chain("·×*/", self._atom)

    def _atom(self) -> Fraction:
        number, op = self.tokens[self.at]
        self.at += 1
        if number:
            value = _figure(number)
            self.values.add(value)
            return value
        if op in "-−":
            return -self._atom()
        if op != "(":
            raise ValueError(op)
        value = self._sum()
        if self._peek() != ")":
            raise ValueError("unclosed bracket")
        self.at += 1
        self.values.add(value)
        return value


def _gives(side: str, asked: frozenset | None) -> bool:
    """Whether a figure or formula gives an asked answer: it, or any part of it, is one (any
    figure at all when the asked ones are unknown, None)."""
    if asked is None:
        return True
    values = _Values(side).collect()
    if values is None:  # not arithmetic after all: judge its figures one by one
        values = {_figure(n) for n, _ in _TOKEN.findall(side) if n}
    return any(value in asked for value in values)


def _bare(side: str) -> bool:
    return re.fullmatch(rf"\s*\(*(?:{_NUMBER})\)*\s*", side) is not None


# ---------------------------------------------------------------- the policy


@dataclass(frozen=True, slots=True)
class Reveal:
    policy: str
    asked: frozenset | None = frozenset()  # the asked answers' expected figures; None: unknown
    working: dict = field(default_factory=dict)  # asked figure -> its formula without the result

    @classmethod
    def of(cls, result: dict, policy: str) -> Reveal:
        policy = policy_name(policy)
        asked, working, unknown = set(), {}, False
        for item in result.get("answers") or ():
            expected = item.get("expected")
            unknown = unknown or (item.get("asked", True) and "expected" not in item)
            if not item.get("asked", True) or isinstance(expected, (list, tuple, bool)) or expected is None:
                continue
            value = Fraction(expected)
            asked.add(value)
            head, sep, _ = (item.get("formula") or "").rpartition(" = ")
            if sep and value not in working:
                working[value] = head
        return cls(policy, None if unknown else frozenset(asked), working)

    # ------------------------------------------------------------ text

    def text(self, text: str) -> str:
        """An explanation as this policy lets it be shown ("" under `none`)."""
        if not text or self.policy == "answers":
            return text or ""
        if self.policy == "none":
            return ""
        return self._redact(text)

    def _redact(self, text: str) -> str:
        """Every run of arithmetic in `text` without the asked figures: gone (`…`) where a figure or
        formula gives one, or, under `working`, without its results."""
        redact = self._working_run if self.policy == "working" else self._hint_run
        return _RUN.sub(lambda m: redact(m.group(0)), text)

    def _hint_run(self, run: str) -> str:
        if not any(_gives(side, self.asked) for side in run.split("=")):
            return run
        # brackets the run only borrowed from the prose around it stay: "(34,848 weights" -> "(… weights"
        unmatched = _unmatched(run)
        return "(" * unmatched[0] + "…" + ")" * unmatched[1]

    def _working_run(self, run: str, depth: int = 0) -> str:
        sides = run.split("=")
        kept = [side for side in sides if not (_bare(side) and _gives(side, self.asked))] or sides[:1]
        return "=".join(self._expand(side, depth) for side in kept).strip()

    def _expand(self, side: str, depth: int) -> str:
        """Each asked figure in a formula replaced by its own working, where it has some."""
        def one(match: re.Match) -> str:
            value = _figure(match.group(0))
            working = self.working.get(value) if depth < 3 else None
            if not working:
                return match.group(0)
            return f"({self._working_run(working, depth + 1).strip()})"

        return re.sub(_NUMBER, one, side)

    def formula(self, formula: str, *, credited: bool) -> str | None:
        """An answer's worked formula: whole under `answers`, without its result (and without the
        asked figures inside it) under `working` for an answer not credited, else None."""
        if self.policy == "answers":
            return formula
        if self.policy != "working" or credited or not formula:
            return None
        head, sep, _ = formula.rpartition(" = ")
        return self._working_run(head) if sep else None

    # ------------------------------------------------------------ the result

    def result(self, result: dict) -> dict:
        """The result as a student may see it: `expected` only under `answers`; `formula` as
        `formula()` says (null when hidden); pitfalls and notes from `hints` on, notes filtered;
        the diagnosis (`conventions`) filtered like the notes."""
        if self.policy == "answers":
            return result
        shown = dict(result)
        shown["answers"] = [self._answer(item) for item in result.get("answers") or ()]
        if self.policy == "none":
            shown["pitfalls"] = []
            shown["conventions"] = {}
        else:
            shown["conventions"] = {key: self._convention(value)
                                    for key, value in (result.get("conventions") or {}).items()}
        shown["review"] = [{**item, "reason": self._redact(item.get("reason") or "")}
                           for item in result.get("review") or ()]
        shown["corrections"] = [{**item, "text": self._redact(item.get("text") or "")}
                                for item in result.get("corrections") or ()]
        return shown

    def _answer(self, item: dict) -> dict:
        shown = {key: value for key, value in item.items() if key != "expected"}
        credited = item.get("verdict") in ("correct", "accepted")
        shown["formula"] = self.formula(item.get("formula") or "", credited=credited)
        shown["note"] = self.text(item.get("note") or "")
        if self.policy == "none":
            shown["pitfalls"] = []
        return shown

    def _convention(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self._convention(v) for v in value]
        if isinstance(value, (int, float)) and not isinstance(value, bool) \
                and (self.asked is None or Fraction(value) in self.asked):
            return None
        return value


__all__ = ["ALIASES", "DESCRIPTIONS", "POLICIES", "Reveal", "describe", "policy_name"]
