"""The types that cross stage boundaries: every stage reads and writes only these.

Imports flow one way (cli -> report -> score -> compare -> reference / extract -> readers -> core);
this module imports nothing of the project's.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Iterable, Iterator

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = PROJECT_ROOT / "reference"
RUBRICS_DIR = PROJECT_ROOT / "rubrics"


class GraderError(Exception):
    """A failure a user can act on: the message names the file and the reason."""


class UnreadableError(GraderError):
    """A submission that cannot be read (corrupt, binary, over a limit)."""


class Quantity(str, Enum):
    UNITS = "units"
    WEIGHTS = "weights"
    BIASES = "biases"
    PARAMS = "params"
    CONNECTIONS = "connections"
    SHAPE = "shape"
    # The cost of one forward pass (grader/reference/costs.py), under the rubric's cost conventions:
    # activation memory in bytes, FLOPs as the conventions count them.
    MEMORY = "memory"
    FLOPS = "flops"

    def __str__(self) -> str:
        return self.value


class Verdict(str, Enum):
    CORRECT = "correct"
    ACCEPTED = "accepted"
    FOLLOW_THROUGH = "follow-through"
    WRONG = "wrong"
    MISSING = "missing"
    # read below the review threshold and fitting no figure: not charged (no points lost, no
    # pitfall) until a person confirms the reading
    REVIEW = "review"

    def __str__(self) -> str:
        return self.value


# ---------------------------------------------------------------- read: Document


@dataclass(frozen=True, slots=True)
class Source:
    """Where a piece of text came from, so feedback can point at it."""

    line: int | None = None  # 1-based line in a text file
    sheet: str | None = None  # spreadsheet sheet name
    cell: str | None = None  # spreadsheet cell ("B4") or table cell ("r3c2")
    notebook_cell: int | None = None  # 0-based cell index in a Jupyter notebook
    paragraph: int | None = None  # 0-based paragraph index in a DOCX
    page: int | None = None  # 1-based page of a PDF (line is then the line within the page)
    # The OCR's confidence (0-1) in this text, where it was read from an image; None for text that
    # was typed. Not a place: an answer read from here should be no surer than this.
    ocr_confidence: float | None = None

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.notebook_cell is not None:
            parts.append(f"cell {self.notebook_cell + 1}")
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet}")
        if self.cell is not None:
            parts.append(self.cell)
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph + 1}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts) or "-"

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of prose (or a heading, heading > 0 being its level)."""

    text: str
    source: Source
    heading: int = 0


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    source: Source


@dataclass(frozen=True, slots=True)
class Table:
    """A table as written: rows of cells, the header (if any) first; rows split over two
    lines in the file are already joined by the reader."""

    rows: tuple[tuple[Cell, ...], ...]
    source: Source
    has_header: bool = True


Block = TextLine | Table


def block_texts(blocks: Iterable[Block]) -> Iterator[str]:
    """Every text the blocks hold: each line's, each table cell's."""
    for block in blocks:
        if isinstance(block, Table):
            yield from (cell.text for row in block.rows for cell in row)
        else:
            yield block.text


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    format: str  # "markdown", "csv", "xlsx", "notebook", "docx", "pdf", "image"
    blocks: tuple[Block, ...]
    encoding: str | None = None


# ---------------------------------------------------------------- extract: Answer

Value = int | float | tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Answer:
    """One number a student gave, in its slot (network, layer, quantity).

    `value` is what the student stated; `computed` is their expression's own value (None where
    they wrote no expression). Shapes are tuples (H, W, C)."""

    network: str
    layer: str
    quantity: Quantity
    value: Value
    source: Source
    expression: str | None = None
    computed: Value | None = None
    approximate: bool = False  # "61M", "6000万"
    confidence: float = 1.0  # below 1: the slot was inferred, not read from labels
    text: str = ""  # the text as written, for feedback
    confirmed: bool = False  # a person confirmed or corrected this reading (a TA's correction)


# ---------------------------------------------------------------- compare / score: Grade


@dataclass(frozen=True, slots=True)
class Judgement:
    """The verdict on one asked slot; `answer` is None when it is missing."""

    network: str
    layer: str
    quantity: Quantity
    verdict: Verdict
    expected: Value | None
    answer: Answer | None = None
    pitfalls: tuple[str, ...] = ()
    formula: str = ""  # the worked formula of the expected figure
    points: float = 0.0
    max_points: float = 0.0
    note: str = ""  # e.g. which earlier mistake a follow-through carries
    asked: bool = True  # False: read and judged, but the rubric does not score it


@dataclass(frozen=True, slots=True)
class PitfallHit:
    code: str
    network: str
    layers: tuple[str, ...]
    deduction: float = 0.0


# What a review item asks of a TA, most urgent first (the review queue's order): a file that could
# not be read; a file graded as nothing or under the wrong rubric; a reading the grader is not sure
# of; a slot given conflicting values; a wrong value nothing explains that several students share;
# anything else.
REVIEW_KINDS = ("unreadable", "ungradable", "low-confidence", "conflict", "shared-wrong", "other")


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """Something a human should look at: a file not read, a reading not sure, conflicting values."""

    reason: str
    text: str = ""
    source: Source | None = None
    kind: str = "other"  # one of REVIEW_KINDS
    slot: str = ""  # "network.layer.quantity" when it is about one answer (a correction settles it)


@dataclass(frozen=True, slots=True)
class FreeTextAnswer:
    """A written question (e.g. "how would you reduce the parameters?") graded by the concepts
    its answer mentions."""

    id: str
    prompt: str
    text: str  # the student's answer as found ("" when none was)
    source: Source | None
    concepts: tuple[str, ...]  # the rubric's concepts it mentions
    points: float
    max_points: float
    sure: bool  # False: a human should look (nothing found, or fewer concepts than needed)


@dataclass(frozen=True, slots=True)
class Grade:
    file: str
    rubric: str
    status: str  # "graded", "empty", "unreadable"
    score: float | None
    max_score: float
    judgements: tuple[Judgement, ...] = ()
    pitfalls: tuple[PitfallHit, ...] = ()
    conventions: dict = field(default_factory=dict)  # the diagnosis: convention -> value
    review: tuple[ReviewItem, ...] = ()
    free_text: tuple[FreeTextAnswer, ...] = ()
    errors: tuple[str, ...] = ()
    # the TA's decisions applied (grader/corrections.py): (the slots each settles, what it decided)
    corrections: tuple[tuple[tuple[str, ...], str], ...] = ()
