"""Numbers and arithmetic expressions as students write them, found in a piece of text.

`scan` finds every number or expression in a text, left to right; `evaluate` computes one
expression exactly (integers and fractions inside, never `eval`); `parse_number` reads one number;
`rounding` says which exact values a number written rounded stands for.

Forms read: thousands separators (`34,848` `34 848` with a space, a no-break, thin, narrow or figure
space, `34{,}848` `34\\,848` `34'848` `34_848`, dot grouping `307.200` `60.965.224`: three digits
after each dot), decimals after grouping of the other kind (`1,234.5` `1.234,5` `34 848,5`), decimal
commas where they cannot be thousands (`0,5`, and before a scale word: `34,8K` `1,5 млн`), dots that
multiply in handwriting (`55.55.96 = 290400`, `27 . 27 . 256`: three integers or more, not grouped as
thousands, beside an `=` or ending the text), Indian grouping (`3,07,200`, `10,54,15,200`),
odd groupings (`61,4656`, `1516,000`), scale words (`35K` `61M` `1.4G` `61 million` `61 Mio.`
`1,2 Mrd.` `60 millones` `34 mil` `61 milhões` `61 млн`
`34,8 тыс.` `61 triệu` `6000万` `6100萬` `0.61亿` `0.61億` `6100만` `6천만` `6亿3000万`, marked
approximate, as are `~` `≈` `约`; `3万4848` writes every digit), scientific notation (`3.4848e4`,
`3.4848 \\times 10^{4}`), full-width digits and signs (`１２３（）＊`), the signs
`x X × * · ∗ \\times \\cdot` and Markdown's escaped `\\*` `\\(` `\\)`, `+ - / ^ **`, LaTeX (`$…$`,
`\\left( \\right)`, braces, `\\frac{a}{b}`, `{a \\over b}`), and `=` chains: "(11 x 11 x 3 x 96) + 96
= 34848" is one Written whose expression computes 34944 and whose stated result is 34848.

A value's `step` is the unit of its last significant digit where its notation may round it (34.8K:
100, so 34,750 to 34,850; 61M: 1,000,000; 6000万: 10,000,000, since zeros ending a whole number are
not significant; 3.072e5: 100); None where every digit is written.

Not numbers: digits glued to a word (`conv1`, `FC6`, `Linear-1`, `conv3-64`, `block1_conv1`).
A number list keeps its numbers apart: `1, 96, 11`, `(227,227,3)`, `28 28 6` (groups of other than
three digits are not thousands).

A tab, a newline, a word or punctuation ends an expression: table cells and lines are read apart;
a caller that joins a row split over two lines joins it with a space. The first number of an `=`
chain that is a plain number stands alone ("11 = 1 x 64 x 11 x 11 + 64": 11, then the expression).

Work is bounded by `Limits`: hostile input makes `evaluate` raise ExpressionError quickly and is
read by `scan` as plain numbers (or skipped); `scan` itself never raises.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator, Union

from grader.core import GraderError
from grader.extract.memo import DECIMAL_COMMA, memoised_list

__all__ = ["LIMITS", "ExpressionError", "Limits", "Written", "evaluate", "parse_number", "rounding", "scan"]


class ExpressionError(GraderError):
    """An arithmetic expression that is malformed or over one of the `Limits`."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on the work for one text or expression; generous for real homework."""

    expression_chars: int = 2_000  # longest expression or `=` chain, in characters as written
    depth: int = 64  # nesting of brackets, fractions and powers
    exponent: int = 1_000  # largest |n| in a^n (a not 0, 1 or -1)
    digits: int = 100  # longest number written, and largest value computed, in decimal digits
    numbers: int = 100_000  # most numbers one `scan` returns


LIMITS = Limits()

Number = Union[int, float]
Exact = Union[int, Fraction]  # numbers inside: ints where integral, else fractions


@dataclass(frozen=True, slots=True)
class Written:
    """A number or an arithmetic expression as a student wrote it in one piece of text."""

    text: str  # the span exactly as written in the input
    start: int  # offsets into the input string
    end: int
    expression: str | None  # normalised arithmetic ("(11*11+1)*3*96"), None for a plain number
    computed: Number | None  # the expression's own value; None for a plain number or unevaluable
    stated: Number | None  # the result the student wrote: the plain number, or the one after the last "="
    factors: tuple[int, ...] | None  # a pure product of integers: "55 x 55 x 96" -> (55, 55, 96)
    approximate: bool = False  # a scale word (61M, 6000万) or "~", "≈", "约"
    # the unit of the stated value's last significant digit where it is more than 1: the value may be
    # rounded (34.8K: 100; 61M: 1,000,000; 6000万: 10,000,000, zeros ending a whole number not being
    # significant; 1.05e8: 1,000,000; ~35,000: 1,000); None when every digit is written. See `rounding`.
    step: Number | None = None

    @property
    def value(self) -> Number | None:
        return self.stated if self.stated is not None else self.computed


# ---------------------------------------------------------------- characters and tokens

# Full-width digits and signs, and other multiplication and minus signs, to ASCII; one character
# for one, so offsets into the translated text are offsets into the input.
_SAME_WIDTH = {
    **{0xFF10 + d: ord("0") + d for d in range(10)},
    **{ord(a): ord(b) for a, b in zip("（）［］｛｝＋－＊／＝＾．÷", "()[]{}+-*/=^./")},
    **{ord(c): ord("*") for c in "×✕✖⨯∗·⋅∙"},
    **{ord(c): ord("-") for c in "−‐‑"},
}

# Chinese (simplified and traditional), Japanese and Korean units of ten thousand and more
_CJK_UNITS = {"亿": 10**8, "億": 10**8, "억": 10**8, "千万": 10**7, "千萬": 10**7, "천만": 10**7,
              "百万": 10**6, "百萬": 10**6, "백만": 10**6, "十万": 10**5, "十萬": 10**5, "십만": 10**5,
              "万": 10**4, "萬": 10**4, "만": 10**4, "千": 10**3, "천": 10**3}
# Scale words after a number, by language; matched without regard to case
_SCALE_WORDS = {
    "thousand": 10**3, "thousands": 10**3, "million": 10**6, "millions": 10**6, "mln": 10**6,
    "billion": 10**9, "billions": 10**9, "bn": 10**9,
    "tausend": 10**3, "tsd": 10**3, "mio": 10**6, "millionen": 10**6, "mrd": 10**9, "milliarde": 10**9,
    "milliarden": 10**9, "milliard": 10**9, "milliards": 10**9,
    "mil": 10**3, "millón": 10**6, "millones": 10**6, "mil millones": 10**9,
    "milhão": 10**6, "milhões": 10**6, "bilhão": 10**9, "bilhões": 10**9, "mil milhões": 10**9,
    "тыс": 10**3, "тысяча": 10**3, "тысячи": 10**3, "тысяч": 10**3, "млн": 10**6, "миллион": 10**6,
    "миллиона": 10**6, "миллионов": 10**6, "млрд": 10**9, "миллиард": 10**9, "миллиарда": 10**9,
    "миллиардов": 10**9,
    "nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9,
}
_SCALES = {"k": 10**3, "m": 10**6, "g": 10**9, "b": 10**9, **_SCALE_WORDS, **_CJK_UNITS}
_CJK = "|".join(sorted(_CJK_UNITS, key=len, reverse=True))
_ABBREVIATED = ("tsd", "mio", "mrd", "mln", "bn", "тыс", "млн", "млрд")  # "61 Mio.": the point is theirs
# French, Spanish and Portuguese join the counted noun with "de": "223,9 millions de connexions"
_WITH_DE = ("millions", "milliards", "millones", "mil millones", "milhões", "bilhões", "mil milhões")


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", "[ \u00a0]") for w in sorted(words, key=len, reverse=True))


_WORD_SCALE = (rf"(?:{_alternation(_ABBREVIATED)})(?![^\W\d_])\.?"
               rf"|(?:{_alternation(_WITH_DE)})(?![^\W\d_])(?:[ \u00a0]d(?:e(?![^\W\d_])|['’](?=[^\W\d_])))?"
               rf"|(?:{_alternation(set(_SCALE_WORDS) - set(_ABBREVIATED) - set(_WITH_DE))})(?![^\W\d_])")
_NON_ASCII_LETTER = r"\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF"  # Latin, Greek, Cyrillic
_LETTER = "A-Za-z" + _NON_ASCII_LETTER
# between digit groups: thousands separators, or a decimal point
_GROUP_SEP = r"(?:,|\{,\}|'|’|_|\\,|\.|[ \u00a0\u2007\u2009\u202f])"
_SEP_KIND = {",": "comma", "{,}": "comma", "'": "apostrophe", "’": "apostrophe", "_": "underscore",
             ".": "dot", " ": "space", "\u00a0": "space", "\u2007": "space", "\u2009": "space",
             "\u202f": "space", "\\,": "space"}
_SEPARATOR = re.compile(r"(\{,\}|\\,|[,'’_. \u00a0\u2007\u2009\u202f])")
_SPACE_GROUPS = 4  # "138 357 544" is one number; "96 256 384 384 256" is a list

_TOKEN = re.compile(
    # blanks, `$` and LaTeX spacing in front of a token
    r"(?:[ \u00a0\u2009\u202f\u3000$]|\\[,;:! ]"
    r"|\\(?:q?quad|enspace|thinspace|displaystyle|textstyle|[Bb]igg?[lr]?|left\.|right\.)(?![A-Za-z]))*"
    r"(?:"
    # "6亿3000万", "3万4848", "29万400" (up to four digits right after a unit of ten thousand: the rest
    # of the number, its leading zeros left out as Japanese writes it)
    rf"(?P<cjk>[0-9]+(?:\.[0-9]+)?(?:{_CJK})(?:(?:[0-9]+(?:\.[0-9]+)?(?:{_CJK}))+|(?<=[万萬만])(?=[0-9]{{1,4}}(?![0-9.,])))"
    r"(?:(?<=[万萬만])[0-9]{1,4}(?![0-9.,]))?)"
    rf"|(?P<number>(?P<run>[0-9]+(?:{_GROUP_SEP}[0-9]+){{0,64}})"
    r"(?P<exp>[eE][+-]?[0-9]+(?![A-Za-z0-9_]))?"
    # (a scale is a letter or a CJK unit, after one blank at most: the lookahead fails fast on the rest)
    rf"(?P<scale>(?=[ \u00a0\u202f]?[^\W\d_])[ \u00a0\u202f]?(?:(?i:{_WORD_SCALE})|[KMG](?![A-Za-z0-9_])|[KMG](?=FLOPs?|MACs?|MACC)|{_CJK})"
    r"|[kB](?![A-Za-z0-9_]))?)"
    r"|(?P<xmul>(?<=[0-9)\]}])[xX](?=[ ]*(?:[0-9(\[{]|\\[(\[{]|\\left)))"
    rf"|(?P<word>[{_LETTER}](?:[{_LETTER}0-9_]+|\\_|-(?=[A-Za-z0-9]))*)"
    rf"|(?P<prose>[^\x00-\x7f\u00a0\u2009\u202f\u3000{_NON_ASCII_LETTER}≈≒≃∼约]+|[,:;|#%&@\"'`?._]+)"
    r"|(?P<brk>[\t\r\n\v\f]|=>|-+>|<-+|-{3,}|={3,}|\*{3,}|[<>!]=?"
    r"|\\(?:[Rr]ightarrow|[Ll]ongrightarrow|implies|to|mapsto|iff|neq?|leq?|geq?)(?![A-Za-z]))"
    r"|(?P<eq>=+|[≈≒≃∼~]|\\(?:approx|simeq|sim|cong)(?![A-Za-z])|约)"
    r"|(?P<op>\*\*|[*/+\-^]|\\\*|\\(?:times|cdot|ast|div|over)(?![A-Za-z]))"
    r"|(?P<lp>[(\[{]|\\[(\[{]|\\left\s*(?:[(\[{]|\\\{))"
    r"|(?P<rp>[)\]}]|\\[)\]}]|\\right\s*(?:[)\]}]|\\\}))"
    r"|(?P<frac>\\[dt]?frac(?![A-Za-z]))"
    r"|(?P<cmd>\\[A-Za-z]+|\\.)"
    r"|(?P<other>.)"
    r")",
    re.DOTALL,
)
_CJK_PAIR = re.compile(rf"([0-9]+)(?:\.([0-9]+))?({_CJK})")
_OPERAND_AHEAD = re.compile(r"[ ]*(?:[0-9(\[{]|\\[(\[{]|\\left)")
_ANY_DIGIT = re.compile(r"[0-9\uFF10-\uFF19]")
_OPS = {"**": "^", "^": "^", "*": "*", "\\*": "*", "\\times": "*", "\\cdot": "*", "\\ast": "*",
        "/": "/", "\\div": "/", "\\over": "over", "+": "+", "-": "-"}

# token kinds; a token is (kind, start, end, payload)
_NUM, _OP, _LP, _RP, _EQ, _FRAC, _BIG = range(7)
Token = tuple  # (kind, start, end, payload); None in a token stream is a break


def _tokens(t: str, limits: Limits) -> Iterator[Token | None]:
    """The tokens of `t` (already translated to ASCII signs); None for anything that ends an
    expression: a word, a tab or newline, punctuation, an arrow."""
    match, n, pos, last = _TOKEN.match, len(t), 0, None
    while pos < n:
        m = match(t, pos)
        if m is None:  # only blanks were left
            return
        pos = m.end()
        kind = m.lastgroup
        start = m.start(kind)
        if kind == "number":
            yield from _number_tokens(m, limits)
            last = _NUM
        elif kind == "cjk":
            yield _cjk_token(m.group(kind), start, pos, limits)
            last = _NUM
        elif kind == "op":
            last = _OP
            yield (_OP, start, pos, _OPS[m.group(kind)])
        elif kind == "xmul" or (kind == "word" and last in (_NUM, _RP) and m.group(kind) in ("x", "X")
                                and _OPERAND_AHEAD.match(t, pos)):
            last = _OP
            yield (_OP, start, pos, "*")
        elif kind == "eq":
            last = _EQ
            yield (_EQ, start, pos, not m.group(kind).startswith("="))
        elif kind == "lp":
            last = _LP
            yield (_LP, start, pos, None)
        elif kind == "rp":
            last = _RP
            yield (_RP, start, pos, None)
        elif kind == "frac":
            last = _FRAC
            yield (_FRAC, start, pos, None)
        else:
            last = None
            yield None


def _number_tokens(m: re.Match, limits: Limits) -> Iterator[Token]:
    """One run of digit groups as written, as the numbers it holds; an exponent or a scale word
    belongs to the last of them."""
    run, offset = m.group("run"), m.start("run")
    exp, scale = m.group("exp"), m.group("scale")
    if run.isdigit():  # the common case: no separators
        yield _literal(run, "", exp, scale, offset, m.end("number"), limits)
        return
    parts = _SEPARATOR.split(run)
    groups, seps = parts[0::2], parts[1::2]
    starts = []
    for k, group in enumerate(groups):
        starts.append(offset)
        offset += len(group) + (len(seps[k]) if k < len(seps) else 0)
    pieces = _pieces(groups, seps, tail=bool(exp or scale))
    for k, (first, last, whole, frac) in enumerate(pieces):
        end = starts[last] + len(groups[last])
        if k == len(pieces) - 1:
            yield _literal(whole, frac, exp, scale, starts[first], m.end("number"), limits)
        else:
            yield _literal(whole, frac, None, None, starts[first], end, limits)


def _pieces(groups: list[str], seps: list[str], tail: bool) -> list[tuple[int, int, str, str]]:
    """Split digit groups into numbers: (first group, last group, integer digits, decimals).
    Groups joined by one kind of separator are one number when grouped as thousands are; a dot or a
    comma of the other kind after them starts its decimals ("1,234.5", "1.234,5", "34 848,5").
    A comma is a decimal one in "0,5" and before a scale word ("34,8K", "1,5 млн")."""
    out: list[tuple[int, int, str, str]] = []
    i, n = 0, len(groups)
    while i < n:
        if i == n - 1:
            out.append((i, i, groups[i], ""))
            break
        kind = _SEP_KIND[seps[i]]
        j = i
        while j < n - 1 and _SEP_KIND[seps[j]] == kind:
            j += 1
        chain = groups[i:j + 1]
        last_of_run = j == n - 1
        if kind == "dot":
            # "307.200" is 307200, but "1.400G" and "3.484e4" are decimals
            if _grouped(chain, kind) and not (tail and last_of_run and j == i + 1):
                i = _with_decimals(out, groups, seps, i, j, ",")
                continue
            if j == i + 1:
                out.append((i, j, groups[i], groups[j]))
            else:  # "2.5.1": a section number
                out.extend((k, k, groups[k], "") for k in range(i, j + 1))
            i = j + 1
        elif kind == "comma" and j == i + 1 and _decimal_comma(chain, tail and last_of_run):
            out.append((i, j, groups[i], groups[j]))
            i = j + 1
        elif _grouped(chain, kind):
            i = _with_decimals(out, groups, seps, i, j, "." if kind == "comma" else ".,")
        else:  # a list: "227,227,3", "28 28 6"
            out.extend((k, k, groups[k], "") for k in range(i, j))
            i = j
    return out


def _with_decimals(out: list, groups: list[str], seps: list[str], i: int, j: int, points: str) -> int:
    """Groups i..j as one integer, with the next group as its decimals when one of `points`
    separates them; returns the next group to read."""
    if j < len(groups) - 1 and seps[j] in points:
        out.append((i, j + 1, "".join(groups[i:j + 1]), groups[j + 1]))
        return j + 2
    out.append((i, j, "".join(groups[i:j + 1]), ""))
    return j + 1


_DOT_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![.,]?\d)")
_COMMA_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![.,]?\d)(?!\s*(?:[KkMmGg]|Tsd|Mio|Mrd|тыс|млн|mil|万|亿)\b)")


def groups_with_dots(text: str) -> bool:
    """Whether a text groups its thousands with dots, not commas: "290.400 Neuronen", "884.736"."""
    dots = len(_DOT_GROUPED.findall(text))
    return dots >= 2 and dots > 2 * len(_COMMA_GROUPED.findall(text))


def _decimal_comma(chain: list[str], scaled: bool) -> bool:
    """Two groups joined by a comma that make a decimal: "0,5" (not "0,0"), or before a scale word
    without three digits after the comma ("34,8K"; "34,848K" stays thousands, but for a document
    that groups with dots)."""
    whole, frac = chain
    return (whole == "0" and frac.strip("0") != "") or (scaled and (len(frac) != 3 or DECIMAL_COMMA.get()))


def _grouped(chain: list[str], kind: str) -> bool:
    """Digit groups that make one number: 1-3 digits then groups of 3; with commas, one group of
    4 is let pass as a slip ("61,4656", "1516,000")."""
    first, rest = chain[0], chain[1:]
    if kind == "underscore":
        return True
    if first.startswith("0"):
        return False
    if kind == "comma" and len(rest) >= 2 and len(first) <= 2 and len(rest[-1]) == 3 \
            and all(len(g) == 2 for g in rest[:-1]):
        return True  # Indian grouping, lakhs and crores: "3,07,200", "10,54,15,200"
    if kind == "comma" and len(first) <= 4 and all(len(g) in (3, 4) for g in rest):
        return (len(first) == 4) + sum(len(g) == 4 for g in rest) <= 1
    if len(first) > 3 or any(len(g) != 3 for g in rest):
        return False
    return kind != "space" or len(chain) <= _SPACE_GROUPS


def _literal(whole: str, frac: str, exp: str | None, scale: str | None, start: int, end: int,
             limits: Limits) -> Token:
    if len(whole) + len(frac) > limits.digits or (exp and len(exp) > 8):
        return (_BIG, start, end, None)
    if not (frac or exp or scale):  # an integer: kept an int, the cheapest exact number
        value = int(whole)
        return (_NUM, start, end, (value, str(value), False, None))
    power = int(exp[1:]) if exp else 0
    if abs(power) > limits.digits:
        return (_BIG, start, end, None)
    unit = Fraction(10) ** power
    if scale:
        word = re.sub(r"\.$|\s+d(?:e|['’])$", "", " ".join(scale.split()))
        unit *= _SCALES[word if word in _CJK_UNITS else word.lower()]
    value = Fraction(int(whole + frac), 10 ** len(frac)) * unit
    if _too_big(value, limits):
        return (_BIG, start, end, None)
    return (_NUM, start, end, (value, _decimal_text(value), bool(scale), _step(whole, frac, unit)))


def _step(whole: str, frac: str, unit: Exact) -> Fraction:
    """The unit of the last significant digit of whole.frac × unit: "34.8" × 1,000: 100; "6000" ×
    10,000: 10,000,000 (zeros ending a whole number are not significant)."""
    if frac:
        return Fraction(unit) / 10 ** len(frac)
    zeros = len(whole) - len(whole.rstrip("0")) if whole.strip("0") else 0
    return Fraction(unit) * 10**zeros


def _digit_step(value: Exact) -> Fraction | None:
    """The unit of a whole number's last digit that is not a zero (61,000,000: 1,000,000)."""
    value = Fraction(value)
    if value.denominator != 1:
        return None
    digits = str(abs(value.numerator))
    return _step(digits, "", 1)


def _cjk_token(text: str, start: int, end: int, limits: Limits) -> Token:
    """"6亿3000万": 600,000,000 + 30,000,000; "3万4848": 30,000 + 4,848, every digit written."""
    value, step = Fraction(0), None
    for m in _CJK_PAIR.finditer(text):
        whole, frac, unit = m.groups()
        if len(whole) + len(frac or "") > limits.digits:
            return (_BIG, start, end, None)
        value += Fraction(int(whole + (frac or "")), 10 ** len(frac or "")) * _CJK_UNITS[unit]
        step = _step(whole, frac or "", _CJK_UNITS[unit])
        rest = m.end()
    if rest < len(text):
        value += int(text[rest:])
        step = None
    return (_NUM, start, end, (value, _decimal_text(value), step is not None, step))


def _decimal_text(value: Fraction) -> str:
    """A decimal literal's value written plainly: 34848, 3.4848, 0.001."""
    if value.denominator == 1:
        return str(value.numerator)
    places = 1
    while 10**places % value.denominator:
        places += 1
    digits = str(abs(value.numerator) * (10**places // value.denominator)).rjust(places + 1, "0")
    return f"{'-' if value < 0 else ''}{digits[:-places]}.{digits[-places:]}"


def _max_bits(limits: Limits) -> int:
    return int(limits.digits * 3.3219280948873626) + 1  # log2(10)


def _too_big(value: Exact, limits: Limits) -> bool:
    bits = _max_bits(limits)
    return value.numerator.bit_length() > bits or value.denominator.bit_length() > bits


# ---------------------------------------------------------------- expression trees


@dataclass(frozen=True, slots=True)
class _Num:
    value: Exact
    text: str  # normalised: "34848"
    approx: bool
    step: Fraction | None  # the unit of the last significant digit; None for a plain integer
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Group:  # brackets as written (or around a fraction's parts)
    inner: object
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Neg:
    inner: object
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Chain:  # a sum or a product, flat: (("", a), ("+", b), ("-", c))
    items: tuple
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Pow:
    base: object
    exp: object
    start: int
    end: int


Node = Union[_Num, _Group, _Neg, _Chain, _Pow]


class _Oversize(ExpressionError):
    """Over a limit while parsing, at token `index`."""

    def __init__(self, index: int, reason: str):
        super().__init__(reason)
        self.index = index


class _Parser:
    """Recursive descent over tokens; each call returns the longest well-formed expression that
    starts at a token, or None. Brackets, fractions and powers count towards the depth limit;
    sums and products are flat, so their length costs no depth."""

    __slots__ = ("toks", "limits", "origin")

    def __init__(self, toks: list[Token], limits: Limits, origin: int):
        self.toks, self.limits, self.origin = toks, limits, origin

    def expression(self, i: int, depth: int = 0) -> tuple[Node, int] | None:
        first = self.operand(i, depth)
        if first is None:
            return None
        items: list = [first[0]]
        j = first[1]
        toks, n = self.toks, len(self.toks)
        while j < n and toks[j][0] == _OP and toks[j][3] != "^":
            following = self.operand(j + 1, depth)
            if following is None:
                break
            items += (toks[j][3], following[0])
            j = following[1]
        return _build(items), j

    def operand(self, i: int, depth: int) -> tuple[Node, int] | None:
        toks, n = self.toks, len(self.toks)
        first, negative = i, False
        while i < n and toks[i][0] == _OP and toks[i][3] in ("+", "-"):
            self.within(i)
            negative ^= toks[i][3] == "-"
            i += 1
        if i >= n:
            return None
        self.within(i)
        kind, start, end, payload = toks[i]
        if kind == _NUM:
            node, j = _Num(*payload, start, end), i + 1
        elif kind == _LP:
            self.deeper(i, depth)
            inner = self.expression(i + 1, depth + 1)
            if inner is None or inner[1] >= n or toks[inner[1]][0] != _RP:
                return None
            node, j = _Group(inner[0], start, toks[inner[1]][2]), inner[1] + 1
        elif kind == _FRAC:
            self.deeper(i, depth)
            top = self.operand(i + 1, depth + 1)
            bottom = top and self.operand(top[1], depth + 1)
            if bottom is None:
                return None
            node = _Chain((("", _wrap(top[0])), ("/", _wrap(bottom[0]))), start, bottom[0].end)
            j = bottom[1]
        elif kind == _BIG:
            raise _Oversize(i, f"a number of more than {self.limits.digits} digits")
        else:
            return None
        if j < n and toks[j][0] == _OP and toks[j][3] == "^":
            self.deeper(j, depth)
            power = self.operand(j + 1, depth + 1)
            if power is not None:
                node, j = _Pow(node, power[0], node.start, power[0].end), power[1]
        if negative:
            node = _Neg(node, toks[first][1], node.end)
        return node, j

    def within(self, i: int) -> None:
        if self.toks[i][2] - self.origin > self.limits.expression_chars:
            raise _Oversize(i, f"an expression longer than {self.limits.expression_chars} characters")

    def deeper(self, i: int, depth: int) -> None:
        if depth >= self.limits.depth:
            raise _Oversize(i, f"brackets or powers nested more than {self.limits.depth} deep")


_LEVELS = (("over",), ("+", "-"), ("*", "/"))


def _build(items: list, level: int = 0) -> Node:
    """Operands and binary operators, alternating, as a tree: `\\over` binds loosest, then + -,
    then * /."""
    if len(items) == 1:
        return items[0]
    while not any(op in _LEVELS[level] for op in items[1::2]):
        level += 1
    parts: list[list] = [[]]
    joins: list[str] = []
    for k, item in enumerate(items):
        if k % 2 and item in _LEVELS[level]:
            joins.append(item)
            parts.append([])
        else:
            parts[-1].append(item)
    nodes = [_build(part, level + 1) for part in parts]
    if level == 0:  # {a + b \over c} is (a+b)/(c)
        nodes, joins = [_wrap(node) for node in nodes], ["/"] * len(joins)
    return _Chain((("", nodes[0]), *zip(joins, nodes[1:])), nodes[0].start, nodes[-1].end)


def _wrap(node: Node) -> Node:
    return node if isinstance(node, (_Num, _Group)) else _Group(node, node.start, node.end)


def _value(node: Node, limits: Limits) -> Exact:
    if isinstance(node, _Num):
        return node.value
    if isinstance(node, _Group):
        return _value(node.inner, limits)
    if isinstance(node, _Neg):
        return -_value(node.inner, limits)
    if isinstance(node, _Pow):
        return _power(_value(node.base, limits), _value(node.exp, limits), limits)
    total = _value(node.items[0][1], limits)
    for op, operand in node.items[1:]:
        value = _value(operand, limits)
        if op == "+":
            total += value
        elif op == "-":
            total -= value
        elif op == "*":
            total *= value
        elif value == 0:
            raise ExpressionError("division by zero")
        else:
            total = Fraction(total) / value
        if _too_big(total, limits):
            raise ExpressionError(f"a value of more than {limits.digits} digits")
    return total


def _power(base: Exact, exp: Exact, limits: Limits) -> Exact:
    if exp.denominator == 1:
        n = exp.numerator
        if base == 0 and n < 0:
            raise ExpressionError("division by zero")
        if base not in (0, 1, -1):
            if abs(n) > limits.exponent:
                raise ExpressionError(f"an exponent over the limit of {limits.exponent}")
            size = max(base.numerator.bit_length(), base.denominator.bit_length()) - 1
            if size * abs(n) > _max_bits(limits):
                raise ExpressionError(f"a power of more than {limits.digits} digits")
        result = Fraction(base) ** n
    else:
        if base < 0:
            raise ExpressionError("a fractional power of a negative number")
        try:
            result = Fraction(math.pow(base, exp))
        except (OverflowError, ValueError) as err:
            raise ExpressionError(f"a power that cannot be computed ({err})") from None
    if _too_big(result, limits):
        raise ExpressionError(f"a value of more than {limits.digits} digits")
    return result


def _number(value: Exact) -> Number:
    """An int when integral, else a float."""
    return value.numerator if value.denominator == 1 else value.numerator / value.denominator


def _render(node: Node) -> str:
    if isinstance(node, _Num):
        return node.text
    if isinstance(node, _Group):
        return f"({_render(node.inner)})"
    if isinstance(node, _Neg):
        return f"-{_render(node.inner)}"
    if isinstance(node, _Pow):
        return f"{_render(node.base)}^{_render(node.exp)}"
    return "".join(op + _render(operand) for op, operand in node.items)


def _unwrapped(node: Node) -> Node:
    while isinstance(node, _Group):
        node = node.inner
    return node


def _plain(node: Node, limits: Limits) -> tuple[Exact, bool, Fraction | None, int, int] | None:
    """A number (value, approximate, step, start, end) when the tree is one: "34848", "(34848)",
    "-0.1", or scientific notation "3.4848 \\times 10^{4}"."""
    node = _unwrapped(node)
    if isinstance(node, _Num):
        return node.value, node.approx, node.step, node.start, node.end
    if isinstance(node, _Neg):
        inner = _unwrapped(node.inner)
        return (-inner.value, inner.approx, inner.step, node.start, node.end) if isinstance(inner, _Num) else None
    if isinstance(node, _Chain) and len(node.items) == 2 and node.items[1][0] == "*":
        mantissa, power = node.items[0][1], node.items[1][1]
        if (isinstance(mantissa, _Num) and not mantissa.approx and isinstance(power, _Pow)
                and isinstance(power.base, _Num) and power.base.text == "10"):
            exp = _unwrapped(power.exp)
            sign = 1
            if isinstance(exp, _Neg):
                exp, sign = _unwrapped(exp.inner), -1
            if isinstance(exp, _Num) and exp.value.denominator == 1 and exp.value <= limits.digits:
                unit = Fraction(10) ** (sign * exp.value.numerator)
                return mantissa.value * unit, False, (mantissa.step or 1) * unit, node.start, node.end
    return None


def _factors(node: Node) -> tuple[int, ...] | None:
    """(55, 55, 96) for "55 x 55 x 96" or "(55*55)*96"; None unless a product of integers."""
    found: list[int] = []
    return tuple(found) if _collect_factors(node, found) and len(found) >= 2 else None


def _collect_factors(node: Node, found: list[int]) -> bool:
    node = _unwrapped(node)
    if isinstance(node, _Num):
        found.append(node.value.numerator)
        return node.value.denominator == 1
    if isinstance(node, _Chain) and all(op in ("", "*") for op, _ in node.items):
        return all(_collect_factors(operand, found) for _, operand in node.items)
    return False


def _approximate(node: Node) -> bool:
    if isinstance(node, _Num):
        return node.approx
    if isinstance(node, _Chain):
        return any(_approximate(operand) for _, operand in node.items)
    if isinstance(node, _Pow):
        return _approximate(node.base) or _approximate(node.exp)
    return _approximate(node.inner)


# ---------------------------------------------------------------- reading a run of tokens


class _Reader:
    """Reads runs of tokens (no break inside) into Written, left to right."""

    def __init__(self, text: str, limits: Limits):
        self.text, self.limits = text, limits
        self.found: list[Written] = []

    @property
    def full(self) -> bool:
        return len(self.found) >= self.limits.numbers

    def read(self, toks: list[Token], stop: int) -> int:
        """Reads what starts before token `stop`; returns the token where reading stopped."""
        p = 0
        while p < stop and not self.full:
            p = self.read_at(toks, p)
        return p

    def read_at(self, toks: list[Token], p: int) -> int:
        n, q, lead = len(toks), p, False
        while q < n and toks[q][0] == _EQ:  # "= 290400", "~61M": a relation with nothing before
            lead |= toks[q][3]
            q += 1
        if q == n:
            return n
        kind = toks[q][0]
        if kind == _RP or (kind == _OP and not (toks[q][3] == "-" and q + 1 < n and toks[q + 1][1] == toks[q][2])):
            return q + 1  # only a minus glued to what follows starts a number ("-0.1", not "- 5")
        parser = _Parser(toks, self.limits, toks[q][1])
        try:
            parsed = parser.expression(q)
        except _Oversize as err:  # what is over the limit is read as the numbers in it
            for tok in toks[q:err.index + 1]:
                if tok[0] == _NUM and not self.full:
                    self.add_number(tok[3][0], tok[3][2], tok[3][3], tok[1], tok[2])
            return err.index + 1
        if parsed is None:
            return q + 1
        node, end = parsed
        plain = _plain(node, self.limits)
        if plain is not None:
            value, approx, step, start, stop = plain
            self.add_number(value, approx or lead, step, start, stop)
            return end
        segments, approx = [node], lead
        while end < n and toks[end][0] == _EQ:
            k, relation = end, False
            while k < n and toks[k][0] == _EQ:
                relation |= toks[k][3]
                k += 1
            try:
                following = parser.expression(k)
            except ExpressionError:
                break
            if following is None:
                break
            segments.append(following[0])
            approx |= relation
            end = following[1]
        self.add_chain(segments, approx)
        return end

    def add_number(self, value: Exact, approx: bool, step: Fraction | None, start: int, end: int) -> None:
        self.found.append(Written(self.text[start:end], start, end, None, None, _number(value), None, approx,
                                  _rounded_step(value, approx, step)))

    def add_chain(self, segments: list[Node], approx: bool) -> None:
        first, last = segments[0], segments[-1]
        try:
            computed = _number(_value(first, self.limits))
        except ExpressionError:
            computed = None
        stated = step = None
        result = _plain(last, self.limits) if len(segments) > 1 else None
        approx = approx or any(_approximate(segment) for segment in segments)
        if result is not None:
            stated = _number(result[0])
            step = _rounded_step(result[0], approx, result[2])
        self.found.append(Written(self.text[first.start:last.end], first.start, last.end, _render(first),
                                  computed, stated, _factors(first), approx, step))


def _rounded_step(value: Exact, approx: bool, step: Fraction | None) -> Number | None:
    """A stated value's step (see Written.step): as its notation shows it, else for an approximate
    value from its digits ("~35,000": 1,000)."""
    if step is None and approx:
        step = _digit_step(value)
    return _number(step) if step is not None and step > 1 else None


# three or more integers joined by dots (spaced or not): handwriting's multiplication, "55.55.96",
# "27 . 27 . 256" beside an "="; not digits glued to a word ("v1.2.3")
_DOT_RUN = re.compile(r"(?<![\w.,])\d{1,4}(?: ?\. ?\d{1,4}){2,}(?![\w.]|,\d)")


def _dot_products(t: str) -> str:
    """Dots that multiply, as signs: "55.55.96" is 55*55*96 and "11.11.3.96" is 11*11*3*96; "1.400.000",
    grouped as thousands, stays one number. One character for one, so offsets do not move."""
    if t.count(".") < 2:
        return t

    def sign(m: re.Match) -> str:
        run = m.group(0)
        in_equation = re.match(r"\s*(?:[=≈]|$)", t[m.end():]) or re.search(r"[=≈]\s*$", t[:m.start()])
        if not in_equation:
            return run  # "2.5.1 Latency": a section number
        if " " not in run and _grouped(run.split("."), "dot"):
            # "1.400.000" is one number, unless the result after it is the product ("192.192.3 = …")
            result = re.match(r"\s*=\s*([\d,]+)(?![\d.])", t[m.end():])
            product = math.prod(int(g) for g in run.split("."))
            if result is None or int(result[1].replace(",", "")) != product:
                return run
        return run.replace(".", "*")

    return _DOT_RUN.sub(sign, t)


# ---------------------------------------------------------------- the public functions


# numbers joined by two slashes or more, nothing else between them: a list ("48/192/192" channels,
# "290400 / 34848 / 105415200"), never a division of a division
_SLASH_LIST = re.compile(r"(?<![\d.,/*×+\-])\d[\d,.]*(?:\s*/\s*\d[\d,.]*){2,}(?![\d.,/*×+\-^])")


def _slash_lists(text: str) -> str:
    """The text with each slash of a list of numbers made a list separator (same length)."""
    if text.count("/") < 2:
        return text
    return _SLASH_LIST.sub(lambda m: m[0].replace("/", ";"), text)


@memoised_list
def scan(text: str, limits: Limits = LIMITS) -> list[Written]:
    """Every number and arithmetic expression in `text`, left to right (see the module's doc).
    Never raises; stops after `limits.numbers` numbers."""
    if not _ANY_DIGIT.search(text):
        return []
    reader = _Reader(text, limits)
    # a run is parsed in pieces once it is long: no expression is longer than `lookahead` tokens
    lookahead = limits.expression_chars + 2
    run: list[Token] = []
    for tok in _tokens(_slash_lists(_dot_products(text.translate(_SAME_WIDTH))), limits):
        if tok is None or tok[0] == _BIG:
            if run:
                reader.read(run, len(run))
                run = []
        else:
            run.append(tok)
            if len(run) >= 2 * lookahead:
                del run[:reader.read(run, len(run) - lookahead)]
        if reader.full:
            return reader.found
    if run:
        reader.read(run, len(run))
    return reader.found


def parse_number(token: str) -> Number | None:
    """One number as written ("34,848", "61M", "6亿3000万", "3.4848e4", "１２３"); None unless the
    token holds exactly one number (blanks, `$`, brackets and a leading "=" or "~" around it)."""
    if len(token) > LIMITS.expression_chars:
        return None
    found = scan(token)
    if len(found) != 1 or found[0].expression is not None:
        return None
    written = found[0]
    if (token[:written.start] + token[written.end:]).strip(" \t\u00a0\u3000$()（）=＝~≈约"):
        return None
    return written.stated


def rounding(value: Number, text: str = "", *, approximate: bool = False) -> tuple[Fraction, Fraction] | None:
    """[low, high): the values that round to `value` as the student wrote it in `text` ("34.8K": 34,750
    to 34,850; "61M": 60,500,000 to 61,500,000; "3.072e5": 307,150 to 307,250), else, when the value
    is `approximate`, as its own digits show it (61,000,000: to the million). None when every digit
    is written: the value is exact as it stands."""
    step = next((w.step for w in scan(text) if w.step is not None and w.value == value), None) if text else None
    if step is None and approximate and isinstance(value, (int, float)):
        step = _rounded_step(Fraction(value), True, None)
    if step is None:
        return None
    centre, half = Fraction(value), Fraction(step) / 2
    return centre - half, centre + half


def evaluate(expression: str, limits: Limits = LIMITS) -> Number:
    """The exact value of an arithmetic expression as students write it ("(11*11+1)*3*96",
    "11 \\times 11", "4096\\*\\(256+1\\)", "61M"): an int when integral, else a float. Raises
    ExpressionError for anything else, and for anything over `limits`."""
    shown = expression if len(expression) <= 60 else expression[:57] + "..."
    if len(expression) > limits.expression_chars:
        raise ExpressionError(f"expression longer than {limits.expression_chars} characters: {shown!r}")
    toks = []
    for tok in _tokens(expression.translate(_SAME_WIDTH), limits):
        if tok is None:
            raise ExpressionError(f"not an arithmetic expression: {shown!r}")
        toks.append(tok)
    if not toks:
        raise ExpressionError(f"empty expression: {shown!r}")
    try:
        parsed = _Parser(toks, limits, toks[0][1]).expression(0)
        if parsed is None or parsed[1] != len(toks):
            raise ExpressionError("not a well-formed expression")
        return _number(_value(parsed[0], limits))
    except ExpressionError as err:
        raise ExpressionError(f"cannot evaluate {shown!r}: {err}") from None
