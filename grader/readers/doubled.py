"""Math a copied web page repeats: MathJax and KaTeX pages hold each formula twice (what is shown and
what a screen reader reads), and a copy of the page glues the two: "2∗6=12" becomes "2∗6=122∗6=12",
the number 6 in "6个特征图" becomes "66". One such formula proves nothing; many do. In a text where
formulas come twice, every doubled run is written once again, the bare numbers among them too."""
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
