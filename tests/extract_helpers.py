"""Documents written by hand for the extractor's rule tests, and what extraction finds in them."""
from __future__ import annotations

from grader.core import Cell, Document, Quantity, Source, Table, TextLine
from grader.extract import extract

Q = Quantity
PAPER = {"alexnet": (Q.UNITS, Q.WEIGHTS, Q.CONNECTIONS)}
PARAMS = {"lenet5": (Q.PARAMS,), "alexnet": (Q.PARAMS,), "vgg16": (Q.PARAMS,), "vgg19": (Q.PARAMS,)}


def document(*lines: str | Table) -> Document:
    """Lines in order ("#"s make a heading), numbered from 1; a Table is placed as it is."""
    blocks = []
    for number, line in enumerate(lines, 1):
        if isinstance(line, Table):
            blocks.append(line)
            continue
        level = len(line) - len(line.lstrip("#"))
        blocks.append(TextLine(line.lstrip("#").strip(), Source(line=number), level))
    return Document("hand.md", "markdown", tuple(blocks))


def table(*rows: list[str], header: bool = True) -> Table:
    cells = tuple(tuple(Cell(text, Source(line=100 + r, cell=f"r{r}c{c}")) for c, text in enumerate(row))
                  for r, row in enumerate(rows))
    return Table(cells, Source(line=100), has_header=header)


def found(doc: Document, networks) -> dict:
    """(network, layer, quantity) -> the values extracted for that slot, in order."""
    slots: dict = {}
    for answer in extract(doc, networks=networks):
        slots.setdefault((answer.network, answer.layer, answer.quantity), []).append(answer.value)
    return slots
