"""The extract stage: a Document to Answers, each number a student wrote in its slot
(network, layer, quantity), with where it came from and how sure the slot is.

    from grader.extract import extract
    answers = extract(document, networks={"alexnet": (Quantity.UNITS, Quantity.WEIGHTS)})

The model, in four steps; each module has one of them, and the rules of each live in its own
docstrings, not here.

1. Candidates (readings.py, regions.py, numbers.py). The document is walked once: every number or
   expression with its context: the table cell and its row label and column header, the prose
   label before it and the word after it, the clause it is in and the layer mention that opens
   that clause, the heading chain above (a layer's heading makes its layer current for the
   sentences below, more weakly than a clause that names it), the section's network. A region's
   value is read from its `=` chain (numbers.py evaluates expressions safely, in every number
   form: groupings, decimal commas, 万/亿, K/M/G and scale words in ten languages; a rounded
   value keeps its precision). A candidate is a `Reading`: its value, what its words say of its
   quantity and whether it is a total, the row it belongs to.
2. Evidence (vocabulary.yaml through quantities.py and layers.py; evidence.py). Words are data:
   quantity, layer-kind, total and ordinal words in the languages courses are taught in, with
   misspellings matched loosely; a shape word after a count word makes a shape. The value itself is
   evidence against the reference engine, under the spec's conventions and the common
   perturbations: which slots it equals (`fits`), whether it only describes its layer (a filter
   count, a kernel side, a stride: `describes`), whether it is the network's total.
3. Assignment over the whole document (slots.py). Each section's network is the one its heading
   names unless its numbers, or the layer sequence its rows follow without a gap (`_gaps`: a
   "VGG19" table of VGG16's layers), say otherwise; rows are placed on layers in document order
   (a row that names a layer already passed takes the next of its kind); a column's quantity is
   decided by the column as a whole; a section's parameter counts that are the weights answer
   the weights asked; a total whose word can qualify one layer is that layer's where its value
   fits it; numbers that describe a layer, blocks of layers and sizes in bytes hold no answer.
   A number no reading claimed is placed by its value alone where exactly one slot the
   assignment asks fits it and none is answered with it already (unclaimed.py), below the
   review threshold.
4. Confidence. Each answer carries how sure its slot is: 1.0 where words named it, multiplied
   down by every inference (a heading's quantity or layer, a position in a listing, the one
   quantity asked, a repaired row, a section moved by its numbers, a column in doubt, an OCR
   reading). The comparator never charges a reading below the review threshold, nor an
   unexplained value on an inferred slot (compare/__init__.py `_unsure`): it gets the `review`
   verdict and goes to the review queue. `benchmarks/accuracy.py` prints the reliability table
   that checks these confidences against labels.

Text in Traditional Chinese characters is read as Simplified (scripts.py), so the vocabulary holds
one list of Chinese words.

Shapes are tuples (H, W, C) whatever order they were written in (a batch dimension dropped, the
two equal sides found); an FC layer's "4096 × 1" (or Keras' "(None, 4096)") is (4096,), the
engine's shape for FC layers; "1 × 1 × 4096" stays as written.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from grader.core import Answer, Document, Quantity

__all__ = ["extract"]


def extract(document: Document, *, networks: Mapping[str, Sequence[Quantity]],
            layers: Mapping[str, Sequence[str]] | None = None) -> tuple[Answer, ...]:
    """Every number the document states, in its slot. `networks`: the networks the assignment asks
    about and, for each, the quantities it asks (the fallback where a number's quantity has no
    label). `layers`: the layers it asks of each; where given, a number no words place is placed by
    its value alone in one of those slots, below the review threshold (unclaimed.py). Answers for
    other shipped networks may appear where a section is about one of them."""
    from grader.core import block_texts
    from grader.extract.memo import DECIMAL_COMMA
    from grader.extract.numbers import groups_with_dots
    from grader.extract.readings import read_sections
    from grader.extract.scripts import simplified
    from grader.extract.slots import assign
    from grader.extract.unclaimed import unclaimed

    convention = DECIMAL_COMMA.set(groups_with_dots("\n".join(block_texts(document.blocks))))
    try:
        document = simplified(document)
        answers = assign(read_sections(document), networks)
        return tuple(answers + unclaimed(document.blocks, answers, networks, layers)) if layers else tuple(answers)
    finally:
        DECIMAL_COMMA.reset(convention)
