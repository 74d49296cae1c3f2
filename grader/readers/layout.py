"""Text placed on a page (a PDF's text runs, an OCR's boxes) to blocks: lines rebuilt from the boxes'
heights, cells from the gaps between them, table columns from the cells' positions.

One path for both sources, so a table photographed and a table exported to PDF are read alike:
a box whose middle lies within a line's band joins that line; within a line, a gap wider than the
text is high separates two cells; consecutive lines of two cells or more form a table, each cell
put in the column it overlaps most (a row with an empty cell keeps its other cells in their
columns). Typeset text (a PDF's) also gives headings by font size and paragraphs wrapped at the
margin; the rest is read as plain text lines (grader.readers.markdown.parse_lines).
"""
from __future__ import annotations

import math
import statistics
import unicodedata
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from grader.core import Block, Cell, Source, TextLine
from grader.readers.markdown import parse_lines
from grader.readers.tables import CellBudget, Line, build_table

# A gap between two runs of text on one line wider than this many line heights separates cells:
# a space between words is about 0.3 of the height, a table's cell padding 1 or more.
CELL_GAP = 0.8
# Lines of one paragraph (or of one table cell) follow each other at 1.0 to 1.5 of their height
# (LibreOffice sets Chinese fonts 1.45 apart); a caption or a new paragraph stand further apart.
_WRAPPED_PITCH = 1.6
# A line without digits (a header) this many times further below the one above it than the rows
# of a table so far are apart starts another table (two tables a blank line apart); any line
# three times as far does.
_TABLE_GAP = 1.8
# Digits this much smaller than their line and raised above its baseline are an exponent ("11²").
_SUPERSCRIPT_HEIGHT = 0.75


@dataclass(frozen=True, slots=True)
class Box:
    """A run of text and its bounding box, in any unit, y growing downwards. A leading space says
    the text follows a space in the source, a leading tab that it starts a new cell."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float | None = None  # the OCR's, where it was read from an image

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True, slots=True)
class _Run:
    """Boxes of one line close enough to be one cell."""

    text: str
    x0: float
    x1: float
    confidence: float | None


def deskew(quads: Sequence[Sequence[tuple[float, float]]]) -> Callable[[Sequence[tuple[float, float]]], tuple]:
    """A function turning a box's four corners (top-left first, clockwise) into an upright (x0, y0,
    x1, y1), rotated back by the boxes' median slope, so a photo taken at an angle keeps its rows."""
    slopes = [math.atan2(q[1][1] - q[0][1], q[1][0] - q[0][0]) for q in quads if q[1][0] - q[0][0] > 0]
    angle = statistics.median(slopes) if slopes else 0.0
    cos, sin = math.cos(-angle), math.sin(-angle)

    def upright(quad):
        xs = [x * cos - y * sin for x, y in quad]
        ys = [x * sin + y * cos for x, y in quad]
        return min(xs), min(ys), max(xs), max(ys)

    return upright


def group_lines(boxes: Sequence[Box]) -> list[list[Box]]:
    """Boxes as lines, top to bottom, each left to right. A box joins the line whose band (the mean
    top and bottom of its boxes) holds the box's middle: a band that grew with every box would
    chain close lines into one."""
    lines: list[list] = []  # [sum of tops, sum of bottoms, boxes]
    for box in sorted((b for b in boxes if b.text.strip() and b.height > 0), key=lambda b: (b.y0 + b.y1) / 2):
        middle = (box.y0 + box.y1) / 2
        if lines:
            line = lines[-1]
            count = len(line[2])
            if line[0] / count <= middle <= line[1] / count:
                line[0] += box.y0
                line[1] += box.y1
                line[2].append(box)
                continue
        lines.append([box.y0, box.y1, [box]])
    return [sorted(members, key=lambda b: b.x0) for _, _, members in lines]


def wide(ch: str) -> bool:
    """A character that takes two columns: Chinese, Japanese, Korean, full-width forms."""
    return unicodedata.east_asian_width(ch) in "WF"


def _runs(line: Sequence[Box], cell_gap: float = CELL_GAP) -> list[_Run]:
    """A line's boxes joined into cells at the gaps narrower than `cell_gap` line heights."""
    height = statistics.median(box.height for box in line)
    baseline = statistics.median(box.y1 for box in line)
    runs: list[_Run] = []
    previous: Box | None = None
    for box in line:
        text = box.text.strip()
        if previous is not None and box.x0 - previous.x1 < cell_gap * height and box.text[:1] != "\t":
            last = runs[-1]
            raised = (text.isdigit() and box.height < _SUPERSCRIPT_HEIGHT * height
                      and box.y1 < baseline - 0.25 * height)
            tight = box.x0 - previous.x1 < 0.1 * height
            if box.text[:1] == " ":  # a space the PDF wrote: its glyph box may overlap the next one's
                joiner = " "
            elif raised and tight:
                joiner = "^"
            else:
                joiner = "" if tight or (wide(last.text[-1]) and wide(text[0])) else " "
            runs[-1] = _Run(last.text + joiner + text, last.x0, max(last.x1, box.x1),
                            _lowest(last.confidence, box.confidence))
        else:
            runs.append(_Run(text, box.x0, box.x1, box.confidence))
        previous = box
    return runs


def _lowest(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def layout_blocks(boxes: Sequence[Box], locate: Callable[[int], Source], budget: CellBudget, *,
                  cell_gap: float = CELL_GAP, typeset: bool = False, width: float = 0.0) -> list[Block]:
    """The blocks of one page `width` wide; `locate` turns a 1-based line number on the page into a
    Source. Text `typeset` in fonts (not handwriting) has more to tell: a line of one cell in a font
    larger than the body text is a heading, and the lines of a paragraph wrapped at the right margin
    are joined into one."""
    grouped = group_lines(boxes)
    lines = [_runs(line, cell_gap) for line in grouped]
    heights = [statistics.median(box.height for box in line) for line in grouped]
    tops = [statistics.median(box.y0 for box in line) for line in grouped]
    spans = []  # (start, end) of each table, or of one line of prose
    n = 0
    while n < len(lines):
        end = _table_end(lines, tops, heights, n)
        start, stop = _trimmed(lines, n, end) if end - n >= 2 else (n, n)
        if stop - start < 2:
            start = stop = end
        spans += [(k, k + 1) for k in range(n, start)]
        spans += [(start, stop)] if stop > start else []
        spans += [(k, k + 1) for k in range(stop, end if end > n else n + 1)]
        n = max(end, n + 1)
    body = _body_height([(grouped[n], heights[n]) for n, end in spans if end == n + 1])
    # the right margin, where wrapped lines end: as far from the page's right edge as the text is from its left
    left = min((lines[n][0].x0 for n, end in spans if end == n + 1), default=0.0)
    right = width - left if width else max((line[-1].x1 for line in lines), default=0.0)
    blocks: list[Block] = []
    prose: list[Line] = []
    last_prose = -1
    for n, end in spans:
        level = _heading_level(heights[n] / body) if typeset and end == n + 1 else 0
        if end == n + 1 and not level:
            if typeset and last_prose == n - 1 and _wraps(grouped, lines, heights, n - 1, left, right):
                above = prose[-1]
                joiner = "" if wide(above.text[-1]) and wide(lines[n][0].text[0]) else " "
                prose[-1] = Line(above.text + joiner + lines[n][0].text, above.source)
            else:
                # a lone line with a wide gap ("Total:      62,378,344") reads as words two spaces apart
                prose.append(Line("  ".join(run.text for run in lines[n]), _located(locate(n + 1), lines[n])))
            last_prose = n
            continue
        if prose:
            blocks.extend(parse_lines(prose, "plain", budget))
            prose = []
        if level:
            blocks.append(TextLine(" ".join(run.text for run in lines[n]), _located(locate(n + 1), lines[n]), level))
        elif table := _table(lines, n, end, tops, heights, locate, budget):
            blocks.append(table)
    if prose:
        blocks.extend(parse_lines(prose, "plain", budget))
    return blocks


def _wraps(grouped, lines, heights, n: int, left: float, right: float) -> bool:
    """Whether prose line n runs on into line n + 1, as a paragraph wrapped at the right margin:
    both one cell of the same size, n + 1 right below and starting where n starts, and its first
    word too long to have fitted at the end of n (else n ended its paragraph there), and n
    reaching most of the way from the left margin to the right."""
    if len(lines[n]) != 1 or len(lines[n + 1]) != 1 or abs(heights[n + 1] - heights[n]) > 0.1 * heights[n]:
        return False
    above, below, height = lines[n][0], lines[n + 1][0], heights[n]
    pitch = grouped[n + 1][0].y0 - grouped[n][0].y0
    if not 0 < pitch < 1.6 * height or abs(below.x0 - above.x0) > height:
        return False
    word_end = grouped[n + 1][0].x1
    for box in grouped[n + 1][1:]:  # Chinese and Japanese wrap at any character: a word of one
        if box.text[:1] == " " or box.x0 - word_end > 0.15 * height or wide(box.text[-1]):
            break
        word_end = box.x1
    return (above.x1 + 0.3 * height + (word_end - below.x0) > right - 0.5 * height
            and above.x1 > left + 0.75 * (right - left))  # a wrapped line is nearly full


def _body_height(lines: Sequence[tuple[Sequence[Box], float]]) -> float:
    """The height of the page's body text: the height that most characters of its prose have
    (a table's smaller font does not count)."""
    weighted = sorted((height, len(line)) for line, height in lines)
    half = sum(count for _, count in weighted) / 2
    for height, count in weighted:
        half -= count
        if half <= 0:
            return height
    return 1.0


def _heading_level(ratio: float) -> int:
    """A heading's level from its size against the body text (Word's and Markdown exports' heading
    sizes run about 1.2 to 2 times the body's)."""
    return 1 if ratio >= 1.6 else 2 if ratio >= 1.3 else 3 if ratio >= 1.15 else 0


def _located(source: Source, runs: Sequence[_Run]) -> Source:
    confidence = None
    for run in runs:
        confidence = _lowest(confidence, run.confidence)
    return source if confidence is None else replace(source, ocr_confidence=round(confidence, 3))


def _table_end(lines: Sequence[Sequence[_Run]], tops: Sequence[float], heights: Sequence[float], n: int) -> int:
    """Where a table starting at line n ends: lines of two cells or more; a line of one cell
    between two of them (a row holding only its label) where it ends within the first column,
    after the first cells start and before any second cell does; and a line right below the one
    above, at the pitch of wrapped text, whose first cell starts after the first column ends (the
    rest of cells wrapped in their columns: "5×5×48×256×27×27 =" over "223948880"). A header much
    further below the line above than the rows so far are apart starts another table."""
    end = n
    pitches: list[float] = []
    while end < len(lines):
        line = lines[end]
        if end > n:
            pitch = tops[end] - tops[end - 1]
            usual = statistics.median(pitches) if pitches else pitch
            header = not any(ch.isdigit() for run in line for ch in run.text)
            if pitch > 3 * usual or (header and pitch > _TABLE_GAP * usual):
                break  # a space between two tables: the second starts with its header
            pitches.append(pitch)
        if len(line) >= 2 or (end > n and _wrapped(lines, tops, heights, n, end)):
            end += 1
        elif (end > n and end + 1 < len(lines) and len(lines[end + 1]) >= 2 and len(line) == 1
              and line[0].x1 < min(above[1].x0 for above in lines[n:end] if len(above) >= 2)
              and line[0].x1 > min(above[0].x0 for above in lines[n:end])):
            end += 1
        else:
            break
    return end


def _wrapped(lines, tops, heights, n: int, k: int) -> bool:
    """Whether line k of a table starting at n holds the wrapped part of a row's cells: no first
    cell (it starts after the first column ends), and the pitch of lines of one paragraph from the
    line above or the line below (a cell aligned at the bottom of its row wraps upwards)."""
    labelled = [line for line in lines[n:k] if len(line) >= 2]
    if not labelled or lines[k][0].x0 <= max(line[0].x1 for line in labelled):
        return False
    tight = _WRAPPED_PITCH * heights[k]
    return 0 < tops[k] - tops[k - 1] < tight or (k + 1 < len(lines) and 0 < tops[k + 1] - tops[k] < tight)


def _trimmed(lines: Sequence[Sequence[_Run]], start: int, end: int) -> tuple[int, int]:
    """A table's lines without the lines of prose above and below it that have two cells (words
    set apart by spaces): those with a cell spanning two of the table's columns."""
    columns = [(run.x0, run.x1) for run in max(lines[start:end], key=len)]
    while start < end and any(_reaches(run, columns) >= 2 for run in lines[start]):
        start += 1
    while end > start and any(_reaches(run, columns) >= 2 for run in lines[end - 1]):
        end -= 1
    return start, end


def _table(lines: Sequence[Sequence[_Run]], start: int, end: int, tops: Sequence[float],
           heights: Sequence[float], locate: Callable[[int], Source], budget: CellBudget):
    """Cells placed in columns: the widest line's cells set the columns, each cell goes to the
    column it overlaps most (else the nearest), and a second pass with the columns widened to the
    cells they received (that overlap no other column) settles cells that fell between them. The
    wrapped parts of a row's cells join that row, above or below, whichever is nearer."""
    widest = max(lines[start:end], key=len)
    columns = [(run.x0, run.x1) for run in widest]
    for _ in range(2):
        placed = [[_column(run, columns) for run in lines[k]] for k in range(start, end)]
        spans = [list(column) for column in columns]
        for k, row in zip(range(start, end), placed):
            for run, column in zip(lines[k], row):
                if _reaches(run, columns) <= 1:  # a cell spanning columns (a title, a note) widens none
                    spans[column][0] = min(spans[column][0], run.x0)
                    spans[column][1] = max(spans[column][1], run.x1)
        columns = [(x0, x1) for x0, x1 in spans]
    rows: list[tuple[int, list[list[_Run]]]] = []  # (line, runs per column)
    pending: list[list[_Run]] = [[] for _ in columns]  # wrapped parts of the row below
    for k in range(start, end):
        cells: list[list[_Run]] = [[] for _ in columns]
        for run, column in zip(lines[k], placed[k - start]):
            cells[column].append(run)
        if k > start and _wrapped(lines, tops, heights, start, k):
            above = tops[k] - tops[k - 1]
            below = tops[k + 1] - tops[k] if k + 1 < end else math.inf
            if rows and above <= below:
                for column, part in enumerate(cells):
                    rows[-1][1][column].extend(part)
            else:
                for column, part in enumerate(cells):
                    pending[column].extend(part)
            continue
        rows.append((k, [before + cell for before, cell in zip(pending, cells)]))
        pending = [[] for _ in columns]
    table_rows = []
    for k, cells in rows:
        budget.spend(len(columns))
        table_rows.append([Cell(" ".join(run.text for run in cell), _located(locate(k + 1), cell)) for cell in cells])
    return build_table(table_rows)


def _reaches(run: _Run, columns: Sequence[tuple[float, float]]) -> int:
    return sum(min(x1, run.x1) > max(x0, run.x0) for x0, x1 in columns)


def _column(run: _Run, columns: Sequence[tuple[float, float]]) -> int:
    overlaps = [min(x1, run.x1) - max(x0, run.x0) for x0, x1 in columns]
    best = max(range(len(columns)), key=overlaps.__getitem__)
    if overlaps[best] > 0:
        return best
    middle = (run.x0 + run.x1) / 2
    return min(range(len(columns)), key=lambda k: abs((columns[k][0] + columns[k][1]) / 2 - middle))
