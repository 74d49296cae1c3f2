"""Spreadsheet formulas evaluated without eval: numbers, cell references (A1, $B$4, Sheet2!C3,
'My sheet'!C3), ranges inside functions, + - * / ^ %, parentheses and a few functions (SUM,
PRODUCT, MIN, MAX, AVERAGE, COUNT, ABS, ROUND, INT, POWER, SQRT). Used where a workbook written by
a script holds formulas but no cached values. Anything else raises FormulaError."""
from __future__ import annotations

import math
import re
from typing import Callable, Iterator

Number = int | float


class FormulaError(ValueError):
    """A formula this evaluator does not handle, or one that has no value (#DIV/0!, a cycle)."""


_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)
  | (?P<name>[A-Za-z][A-Za-z0-9.]*(?=\s*\())
  | (?P<op>[-+*/^%(),;])
""", re.VERBOSE)
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_MAX_TOKENS = 10_000
_MAX_RANGE = 100_000
_MAX_MAGNITUDE = 1e300

# A reference resolves to the value of a cell: (sheet, "B4") -> number, text or None (empty).
Lookup = Callable[[str, str], object]


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def has_references(formula: str) -> bool:
    return any(m.lastgroup in ("ref", "name") for m in _TOKEN.finditer(formula.lstrip("=")))


def evaluate(formula: str, *, sheet: str, lookup: Lookup, max_depth: int = 100) -> Number:
    """The value of `formula` ("=B2*C2+1") on `sheet`; references go through `lookup`."""
    tokens = list(_tokens(formula.lstrip("=")))
    if len(tokens) > _MAX_TOKENS:
        raise FormulaError("formula too long")
    parser = _Parser(tokens, sheet, lookup, max_depth)
    value = parser.expression()
    if parser.position != len(tokens):
        raise FormulaError(f"unexpected {tokens[parser.position][1]!r}")
    return _number(value)


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise FormulaError(f"cannot read {text[position:position + 10]!r}")
        position = match.end()
        if match.lastgroup != "space":
            yield match.lastgroup, match.group()


class _Parser:
    """Recursive descent: expression := term (+|- term)*; term := power (*|/ power)*;
    power := unary (^ unary)*; unary := (+|-) unary | primary %?"""

    def __init__(self, tokens: list[tuple[str, str]], sheet: str, lookup: Lookup, max_depth: int) -> None:
        self.tokens, self.sheet, self.lookup, self.max_depth = tokens, sheet, lookup, max_depth
        self.position = 0
        self.depth = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("end", "")

    def take(self, expected: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end" or (expected is not None and token[1] != expected):
            raise FormulaError(f"expected {expected or 'more'}")
        self.position += 1
        return token

    def expression(self) -> Number:
        self.depth += 1
        if self.depth > self.max_depth:
            raise FormulaError("formula nested too deeply")
        value = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            value = _checked(value + self.term() if op == "+" else value - self.term())
        self.depth -= 1
        return value

    def term(self) -> Number:
        value = self.power()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            right = self.power()
            if op == "*":
                value = _checked(value * right)
            elif right == 0:
                raise FormulaError("division by zero")
            else:
                value = _checked(value / right)
        return value

    def power(self) -> Number:
        value = self.unary()
        while self.peek()[1] == "^":
            self.take()
            exponent = self.unary()
            if abs(exponent) > 1024 or (value == 0 and exponent < 0):
                raise FormulaError("exponent out of range")
            try:
                value = _checked(float(value) ** exponent if isinstance(exponent, float) or exponent < 0
                                 or abs(value) > 2 ** 64 else value ** exponent)
            except (OverflowError, ZeroDivisionError):
                raise FormulaError("exponent out of range") from None
        return value

    def unary(self) -> Number:
        op = self.peek()[1]
        if op in ("+", "-"):
            self.take()
            self.depth += 1
            if self.depth > self.max_depth:
                raise FormulaError("formula nested too deeply")
            value = self.unary()
            self.depth -= 1
            return -value if op == "-" else value
        value = self.primary()
        if self.peek()[1] == "%":
            self.take()
            value = value / 100
        return value

    def primary(self) -> Number:
        kind, text = self.take()
        if kind == "number":
            return _number(float(text)) if any(ch in text for ch in ".eE") else int(text)
        if kind == "ref":
            if ":" in text:
                raise FormulaError("a range outside a function")
            return _arithmetic(self.cell(text))
        if kind == "name":
            return self.function(text.upper())
        if text == "(":
            value = self.expression()
            self.take(")")
            return value
        raise FormulaError(f"unexpected {text!r}")

    def function(self, name: str) -> Number:
        self.take("(")
        arguments: list[list[object]] = []
        if self.peek()[1] != ")":
            while True:
                arguments.append(self.argument())
                if self.peek()[1] not in (",", ";"):
                    break
                self.take()
        self.take(")")
        return _apply(name, arguments)

    def argument(self) -> list[object]:
        kind, text = self.peek()
        following = self.tokens[self.position + 1][1] if self.position + 1 < len(self.tokens) else ""
        if kind == "ref" and ":" in text and following in (",", ";", ")"):
            self.take()
            return list(self.range(text))
        return [self.expression()]

    def cell(self, reference: str) -> object:
        sheet, coordinate = _split_sheet(reference, self.sheet)
        match = _CELL.fullmatch(coordinate)
        return self.lookup(sheet, f"{match.group(1).upper()}{match.group(2)}")

    def range(self, reference: str) -> Iterator[object]:
        sheet, coordinates = _split_sheet(reference, self.sheet)
        first, last = (_CELL.fullmatch(part) for part in coordinates.split(":"))
        columns = sorted((column_number(first.group(1)), column_number(last.group(1))))
        rows = sorted((int(first.group(2)), int(last.group(2))))
        if (columns[1] - columns[0] + 1) * (rows[1] - rows[0] + 1) > _MAX_RANGE:
            raise FormulaError("range too large")
        for row in range(rows[0], rows[1] + 1):
            for column in range(columns[0], columns[1] + 1):
                yield self.lookup(sheet, f"{column_letters(column)}{row}")


def _split_sheet(reference: str, default: str) -> tuple[str, str]:
    if "!" not in reference:
        return default, reference
    sheet, coordinate = reference.rsplit("!", 1)
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, coordinate


def _arithmetic(value: object) -> Number:
    """A referenced cell in arithmetic: empty is 0, a number is itself, text has no value."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    raise FormulaError(f"text {str(value)[:20]!r} in arithmetic")


def _apply(name: str, arguments: list[list[object]]) -> Number:
    # Functions over ranges skip text and empty cells, as a spreadsheet does.
    values = [v for argument in arguments for v in argument
              if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if name == "SUM":
        return _checked(sum(values))
    if name == "PRODUCT":
        product: Number = 1
        for v in values:
            product = _checked(product * v)
        return product
    if name in ("MIN", "MAX"):
        return (min if name == "MIN" else max)(values) if values else 0
    if name == "AVERAGE":
        if not values:
            raise FormulaError("AVERAGE of nothing")
        return sum(values) / len(values)
    if name == "COUNT":
        return len(values)
    if name in ("ABS", "INT", "SQRT") and len(values) == 1:
        v = values[0]
        if name == "SQRT" and v < 0:
            raise FormulaError("square root of a negative number")
        return abs(v) if name == "ABS" else math.floor(v) if name == "INT" else math.sqrt(v)
    if name == "ROUND" and len(values) in (1, 2):
        digits = int(values[1]) if len(values) == 2 else 0
        return round(values[0], max(-20, min(digits, 20)))
    if name == "POWER" and len(values) == 2:
        if abs(values[1]) > 1024:
            raise FormulaError("exponent out of range")
        try:
            return _checked(float(values[0]) ** values[1])
        except (OverflowError, ZeroDivisionError):
            raise FormulaError("exponent out of range") from None
    raise FormulaError(f"function {name} is not supported")


def _checked(value: Number) -> Number:
    if isinstance(value, complex) or abs(value) > _MAX_MAGNITUDE or value != value:
        raise FormulaError("value out of range")
    return value


def _number(value: Number) -> Number:
    """Integral floats as ints (34848.0 -> 34848), so they print as the student would write them."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 63:
        return int(value)
    return value
