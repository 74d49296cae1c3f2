"""Physical lines to the lines a reader means: an expression broken over lines, and a sentence a
text editor wrapped over lines, each read as one line (where its first line is).

A sentence wrapped mid-way leaves its number on one line and its words on the next ("… = 64.896" /
"unidades, 3·3·256·384 = 884.736 pesos"): read line by line, the number has no quantity. A line is
taken as wrapped only where it looks so: long, in prose, and stopping mid-sentence, with the next
line going on in lower case or with a number, not opening a list item, a label or a layer's line
of its own."""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from grader.core import TextLine

# a line that breaks off inside an expression: an operator, perhaps then "..." or "…", at its end
_BROKEN_OFF = re.compile(r"(?:[-+*×·/=(]|(?<![^\W\d_])x|\\times|\\cdot)\s*(?:\.{3}|…)?\s*$")
_GOES_ON = re.compile(r"\s*[\d(（]")

# an editor wraps a paragraph's lines at 70-100 columns: a shorter line is a line of its own
WRAPPED_WIDTH = 60
# a line that ends its sentence or announces what follows ("Weights:") is not wrapped mid-sentence
_ENDS = re.compile(r"[.。!?！？:：;；]\s*$|\\\\\s*$")
# the next line goes on the sentence: a lower-case word or a number, not a list item or a label
_CONTINUES = re.compile(r"\s*(?:[^\W\d_A-ZÀ-ÖØ-ÞА-Я]|\d)")
_OPENS_ITEM = re.compile(r"\s*(?:[-*+•·]\s|\d{1,2}\s*[.)）、]\s|[|#%>]|//|\\(?:item|section|begin|end)\b)")
_LABEL = re.compile(r"\s*[^\d\s:：=][^\d:：=]{0,30}[:：=]")
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


def logical_lines(blocks: Iterable) -> Iterator:
    return _joined_expressions(_joined_sentences(blocks))


def _wrapped(line: TextLine, after) -> bool:
    from grader.extract.layers import parse_layer

    text = line.text.rstrip()
    return isinstance(after, TextLine) and not line.heading and not after.heading \
        and line.source.line is not None and after.source.line == line.source.line + 1 \
        and len(text) >= WRAPPED_WIDTH and re.search(r"[^\W\d_]{3}", text) is not None \
        and not _ENDS.search(text) and not _OPENS_ITEM.match(text) \
        and _CONTINUES.match(after.text) is not None and not _OPENS_ITEM.match(after.text) \
        and not _LABEL.match(after.text) and parse_layer(after.text[:16]) is None


def _joined_sentences(blocks: Iterable) -> Iterator:
    """Each paragraph's wrapped lines as one line, where its first line is."""
    pending: TextLine | None = None
    last: TextLine | None = None  # the physical line `pending` ends with
    for block in blocks:
        if pending is not None and _wrapped(last, block):
            gap = "" if _CJK.match(pending.text[-1:]) and _CJK.match(block.text.lstrip()[:1]) else " "
            pending = TextLine(f"{pending.text.rstrip()}{gap}{block.text.strip()}", pending.source, pending.heading)
            last = block
            continue
        if pending is not None:
            yield pending
        pending = last = block if isinstance(block, TextLine) else None
        if pending is None:
            yield block
    if pending is not None:
        yield pending


def _joined_expressions(blocks):
    """The lines of an expression broken over lines ("…+(3*3*512+512)*8+..." then
    "(512*7*7*4096+4096)+…= 123697896") as one line, where the first's source is."""
    pending: TextLine | None = None
    for block in blocks:
        if pending is not None:
            if isinstance(block, TextLine) and not block.heading and _GOES_ON.match(block.text):
                head = re.sub(r"\s*(?:\.{3}|…)\s*$", "", pending.text)
                pending = TextLine(f"{head} {block.text.strip()}", pending.source, pending.heading)
                if not _BROKEN_OFF.search(pending.text):
                    yield pending
                    pending = None
                continue
            yield pending
            pending = None
        if isinstance(block, TextLine) and not block.heading and _BROKEN_OFF.search(block.text) \
                and re.search(r"\d", block.text):
            pending = block
            continue
        yield block
    if pending is not None:
        yield pending
