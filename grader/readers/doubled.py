"""Math a copied web page repeats: MathJax and KaTeX pages hold each formula twice (what is shown and
what a screen reader reads, or what is shown and its TeX source), and a copy of the page glues the
two: "2∗6=12" becomes "2∗6=122∗6=12", the number 6 in "6个特征图" becomes "66", and "5×5" becomes
"5×55\\times5". One such formula proves nothing; many do. In a text where formulas come twice, every
doubled run is written once again, the bare numbers among them too."""
from __future__ import annotations

import re

# a run of math: digits, operators, brackets, and letters of layer names ("S2S2", "C1C1")
_RUN = re.compile(r"[0-9A-Za-z∗*×⋅·+\-−=/().,^]+")
_DOUBLED = re.compile(r"(.{3,}?)\1")
_OPERATOR = re.compile(r"[∗*×⋅·+\-−=/^]")
# doubled formulas that make a text doubled: a lone "1111" or one "2x22x2" could be meant
DOUBLED_FORMULAS = 3


def _halves(run: str) -> bool:
    half = len(run) // 2
    return len(run) % 2 == 0 and half >= 1 and run[:half] == run[half:] and bool(re.search(r"\d", run))


def is_doubled(text: str) -> bool:
    """Whether formulas in the text come twice: several runs that are an operator's formula written
    twice, edge to edge."""
    doubled = 0
    for m in _RUN.finditer(text):
        run = m[0].rstrip(".,")
        if _halves(run) and _OPERATOR.search(run) and re.search(r"\d.*\d", run[:len(run) // 2]):
            doubled += 1
            if doubled >= DOUBLED_FORMULAS:
                return True
    return False


def undoubled(text: str) -> str:
    """Each run of math written twice, written once ("28∗28=78428∗28=784" -> "28∗28=784", "66" -> "6")."""
    def once(m: re.Match) -> str:
        run = m[0]
        tail = len(run) - len(run.rstrip(".,"))
        body, end = run[:len(run) - tail], run[len(run) - tail:]
        if _halves(body):
            return body[:len(body) // 2] + end
        # formulas doubled inside a longer run: "6∗(3∗5∗5+1)6∗(3∗5∗5+1)+6∗(4∗5∗5+1)6∗(4∗5∗5+1)"
        return _DOUBLED.sub(lambda d: d[1] if _OPERATOR.search(d[1]) and re.search(r"\d", d[1]) else d[0], body) + end

    return _RUN.sub(once, text)


# TeX glued after its own rendering: the source's commands and the signs KaTeX shows for them
_COMMAND = re.compile(r"\\[A-Za-z]+")
_SIGNS = {r"\times": "×", r"\cdot": "⋅", r"\div": "÷", r"\pm": "±", r"\approx": "≈", r"\le": "≤",
          r"\ge": "≥", r"\to": "→", r"\rightarrow": "→", r"\ldots": "…", r"\cdots": "⋯", r"\%": "%"}
# commands that show only their argument, or nothing
_MARKUP = re.compile(r"\\(?:text[a-z]*|math[a-z]*|operatorname|left|right|[bB]igg?[lr]?)(?![A-Za-z])|\\[,;:! ]|[{}_^\s$]")
# a word of a sentence around the formula: two letters or more, outside any braces
_WORD = re.compile(r"[^\W\d_]{2,}")
_TOKEN = re.compile(r"\S+")
_BRACED = re.compile(r"\{[^{}]*\}")


def _shown(tex: str) -> str | None:
    """What KaTeX shows for a TeX source, spaces dropped; None when a command has no known sign."""
    def sign(m: re.Match) -> str:
        return _SIGNS.get(m[0], m[0])
    shown = _MARKUP.sub("", re.sub(r"\\[A-Za-z]+|\\%", sign, tex))
    return None if "\\" in shown else shown


def _math_token(token: str, depth: int) -> bool:
    """A token of a formula: no word of a sentence in it, unless inside braces (\\text{Trainable Params})."""
    return depth > 0 or not _WORD.search(_COMMAND.sub("", _BRACED.sub("", token)))


def _glued_sources(text: str) -> list[tuple[int, int]]:
    """The spans of TeX sources written right after their own rendering, each (start, end)."""
    spans: list[tuple[int, int]] = []
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        if not _COMMAND.search(tokens[i][0]):
            i += 1
            continue
        first = i  # the formula's tokens around the command: back and forth while they are math
        while first > 0 and _math_token(tokens[first - 1][0], 0) and "\n" not in text[tokens[first - 1].end():tokens[first].start()]:
            first -= 1
        last, depth = i, tokens[i][0].count("{") - tokens[i][0].count("}")
        while last + 1 < len(tokens) and "\n" not in text[tokens[last].end():tokens[last + 1].start()] \
                and _math_token(tokens[last + 1][0], depth):
            last += 1
            depth += tokens[last][0].count("{") - tokens[last][0].count("}")
        command = tokens[i].start() + _COMMAND.search(tokens[i][0]).start()
        span = _split(text, tokens[first].start(), command, tokens[last].end())
        if span:
            spans.append(span)
            while i < len(tokens) and tokens[i].start() < span[1]:
                i += 1
        else:
            i = last + 1
    return spans


def _split(text: str, start: int, command: int, end: int) -> tuple[int, int] | None:
    """Where, in the formula text[start:end], its TeX source begins (no later than its first command)
    and ends, such that what comes before it is the source as shown."""
    ends = sorted({m.end() for m in _TOKEN.finditer(text, command, end)} |
                  {m.end() - len(m[0]) + len(m[0].rstrip(".,;:")) for m in _TOKEN.finditer(text, command, end)},
                  reverse=True)
    before = re.sub(r"\s", "", text[max(0, start - 400):start])
    for stop in ends:
        for begin in range(command, start - 1, -1):
            shown = _shown(text[begin:stop])
            if shown and len(shown) >= 3 and (before + re.sub(r"\s", "", text[start:begin])).endswith(shown):
                return begin, stop
    return None


def tex_glued(text: str) -> list[tuple[int, int]]:
    """The TeX sources glued after their rendering, if there are enough of them to prove the copy."""
    if not _COMMAND.search(text):
        return []
    spans = _glued_sources(text)
    return spans if len(spans) >= DOUBLED_FORMULAS else []


def without_sources(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each glued TeX source taken out, the rendering it repeats kept."""
    out, at = [], 0
    for begin, stop in spans:
        out.append(text[at:begin])
        at = stop
        if out[-1][-1:].isalnum() and text[at:at + 1].isalnum():
            out.append(" ")
    out.append(text[at:])
    return "".join(out)
