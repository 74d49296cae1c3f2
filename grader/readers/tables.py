"""Tables as students write them in text: pipe tables, tab-separated, space-aligned columns, LaTeX
tabular (and math arrays, as Mathpix writes a scanned table) and HTML tables; and the rule that joins
a row split over two lines.

Each detector looks at the lines from index `i` and returns `(Table, end)` when a table starts
there, `(None, end)` when lines i..end-1 form a run that is certainly not one (so the caller does
not try again inside it: keeps the work linear on hostile input), or None.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import Callable, Sequence

from grader.core import Cell, Source, Table, TextLine, UnreadableError

Clean = Callable[[str], str]


class CellBudget:
    """The table cells a document may still hold, shared by all its tables, so one hostile file
    cannot build millions of them."""

    __slots__ = ("left", "limit", "path")

    def __init__(self, limit: int, path: str) -> None:
        self.left = self.limit = limit
        self.path = path

    def spend(self, cells: int) -> None:
        self.left -= cells
        if self.left < 0:
            raise UnreadableError(f"{self.path}: over the {self.limit:,}-cell limit")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of input (a text line, a paragraph) and where it came from."""

    text: str
    source: Source


# ---------------------------------------------------------------- rows split over two lines

# A cell that continues the one above it: "= 290400".
_STARTS_WITH_EQUALS = re.compile(r"^[\s$]*[=＝]")
# A cell cut off after an operator: "3 * 3 * 256 *", "... * 13 * 13 =". A letter x only after a
# digit, space or bracket, so "Softmax" does not end with an operator; "**" closes bold type.
_ENDS_WITH_OPERATOR = re.compile(r"(?:(?<!\*)\*|[×+=＝·(（]|(?<=[\d\s)）])[xX]|\\times|\\cdot)[\s$]*$")
# A row or line joined from several stops growing at this length: real ones hold a formula or two,
# and a hostile file of a thousand "= 1" lines must not be joined (and searched) over and over.
MAX_JOINED = 2_000


def _ends_with_operator(text: str) -> bool:
    return bool(_ENDS_WITH_OPERATOR.search(text[-100:]))  # the end only: the text may be long
# A label of words only ("Convolution", "Fully Connected"), and the rest of a name ("Layer 1", "2").
_BARE_LABEL = re.compile(r"[^\W\d_]+(?:[ \-][^\W\d_]+)*")
_LABEL_TAIL = re.compile(r"(?:layers?|层|level|stage|block)?\s*[#(（]?\d+[)）]?(?:\s*层)?", re.IGNORECASE)


def join_continuations(rows: Sequence[Sequence[Cell]]) -> list[list[Cell]]:
    """Join each row that continues the row above it, cell by cell.

    A row continues the one above when its label cell is empty, or completes a bare label
    ("Convolution" / "Layer 1"), and its content says so: one of its cells starts with "=", or a
    cell above ends with an operator. A bare label completed that way twice or more in the same
    table is evidence enough without the content test."""
    if len(rows) < 2:
        return [list(row) for row in rows]
    completed: dict[str, int] = {}
    for above, below in zip(rows, rows[1:]):
        if _label_completes(_text(above, 0), _text(below, 0)):
            key = _text(above, 0).casefold()
            completed[key] = completed.get(key, 0) + 1
    repeated = {label for label, count in completed.items() if count >= 2}
    joined = [list(rows[0])]
    for row in rows[1:]:
        if _continues(joined[-1], row, repeated):
            joined[-1] = _join(joined[-1], row)
        else:
            joined.append(list(row))
    return joined


def _text(row: Sequence[Cell], k: int) -> str:
    return row[k].text.strip() if k < len(row) else ""


def _label_completes(above: str, below: str) -> bool:
    return bool(below) and bool(_BARE_LABEL.fullmatch(above)) and bool(_LABEL_TAIL.fullmatch(below))


def _continues(above: Sequence[Cell], below: Sequence[Cell], repeated: set[str]) -> bool:
    if sum(len(cell.text) for cell in above) > MAX_JOINED:
        return False
    label_above, label_below = _text(above, 0), _text(below, 0)
    if label_below:
        if not _label_completes(label_above, label_below):
            return False
        if label_above.casefold() in repeated:
            return True
    for k in range(1, max(len(above), len(below))):
        upper, lower = _text(above, k), _text(below, k)
        if lower and (_STARTS_WITH_EQUALS.match(lower) or (upper and _ends_with_operator(upper))):
            return True
    return False


_STARTS_LIKE_OPERAND = re.compile(r"^[\s$]*[\d(（]")


def continues_text(above: str, below: str) -> bool:
    """Whether a line of prose finishes the one above it: it starts with "=" ("= 1792"), or the
    one above ends with an operator and this one starts with a number ("3 * 3 * 256 *" / "384 = ...")."""
    if _STARTS_WITH_EQUALS.match(below) and not below.lstrip("$ ").startswith("=="):
        return True
    return _ends_with_operator(above) and bool(_STARTS_LIKE_OPERAND.match(below))


def _join(above: Sequence[Cell], below: Sequence[Cell]) -> list[Cell]:
    cells = []
    for k in range(max(len(above), len(below))):
        parts = [row[k] for row in (above, below) if k < len(row)]
        text = " ".join(part.text.strip() for part in parts if part.text.strip())
        source = parts[0].source
        doubts = [part.source.ocr_confidence for part in parts if part.source.ocr_confidence is not None]
        if doubts and min(doubts) != source.ocr_confidence:  # a joined cell is as sure as its least sure part
            source = replace(source, ocr_confidence=min(doubts))
        cells.append(Cell(text, source))
    return cells


# ---------------------------------------------------------------- building a Table

_NUMERIC_START = re.compile(r"^[\s$(（\[{\\]*[0-9０-９]")


def guess_header(rows: Sequence[Sequence[Cell]]) -> bool:
    """A first row with no cell starting with a digit, above rows that have one, is a header."""
    if len(rows) < 2 or any(_NUMERIC_START.match(cell.text) for cell in rows[0]):
        return False
    return any(_NUMERIC_START.match(cell.text) for row in rows[1:] for cell in row)


def build_table(rows: Sequence[Sequence[Cell]], *, has_header: bool | None = None,
                number_cells: bool = True) -> Table | None:
    """Join continuation rows, drop empty rows and trailing empty cells, and name each cell's place
    (`r2c3`, when `number_cells`; spreadsheet cells keep their own "B4"). None when nothing is left."""
    kept = []
    for row in join_continuations(rows):
        cells = list(row)
        while cells and not cells[-1].text.strip():
            cells.pop()
        if cells:
            kept.append(cells)
    if not kept:
        return None
    if has_header is None:
        has_header = guess_header(kept)
    if number_cells:
        kept = [[Cell(cell.text.strip(), _at(cell.source, f"r{r}c{c}")) for c, cell in enumerate(row, 1)]
                for r, row in enumerate(kept, 1)]
    else:
        kept = [[Cell(cell.text.strip(), cell.source) for cell in row] for row in kept]
    first = kept[0][0].source
    return Table(tuple(tuple(row) for row in kept), replace(first, cell=None) if number_cells else first,
                 has_header)


def table_blocks(rows: Sequence[Sequence[Cell]], *, number_cells: bool = True) -> list:
    """A spreadsheet-like grid as blocks: the rows above its header with one or two filled cells (a
    title "Emma - AlexNet counts", "Student ID,12345", a remark) become text lines, so the header
    below them is read as the header."""
    lead = _lead_rows(rows)
    titles = [TextLine(" ".join(cell.text.strip() for cell in row if cell.text.strip()),
                       next(cell for cell in row if cell.text.strip()).source)
              for row in rows[:lead] if any(cell.text.strip() for cell in row)]  # blank rows above are none
    table = build_table(rows[lead:], number_cells=number_cells)
    return titles + ([table] if table else [])


def sheet_blocks(runs: Sequence[Sequence[Sequence[Cell]]], *, number_cells: bool = True) -> list:
    """A sheet's blocks from its runs of rows between blank rows. A blank row ends a table: the run
    after it is another block (a note, a second table), unless it is more rows of the same table
    (a total set apart: rows of two filled cells or more, the first with a number, none wider than
    the table). A row holding one cell of prose is a line of text, not a row, where it stands
    before or after a table; a run of one-cell rows is no table at all."""
    blocks: list = []
    table: list[Sequence[Cell]] = []
    width = 0
    for run in runs:
        if table and _continues_table(width, run):
            table += run
        else:
            blocks += _run_blocks(table, number_cells)
            table, width = list(run), 0
        width = max(width, *(len(row) for row in run))
    return blocks + _run_blocks(table, number_cells)


def _filled(row: Sequence[Cell]) -> list[int]:
    return [c for c, cell in enumerate(row) if cell.text.strip()]


_PROSE_WORDS = 4  # a cell of this many words or more is a sentence, not a label


def _prose_row(row: Sequence[Cell]) -> bool:
    filled = _filled(row)
    return len(filled) == 1 and len(re.findall(r"[^\W\d_]+", row[filled[0]].text)) >= _PROSE_WORDS


def _continues_table(width: int, run: Sequence[Sequence[Cell]]) -> bool:
    return (all(len(_filled(row)) >= 2 and len(row) <= width for row in run)
            and any(_NUMERIC_START.match(cell.text) for cell in run[0]))


def _run_blocks(rows: Sequence[Sequence[Cell]], number_cells: bool) -> list:
    if not rows:
        return []
    if all(len(_filled(row)) <= 1 for row in rows):
        return [_line(row) for row in rows if _filled(row)]  # a cell of spaces fills nothing
    start, end = 0, len(rows)
    while _prose_row(rows[start]):
        start += 1
    while _prose_row(rows[end - 1]):
        end -= 1
    return ([_line(row) for row in rows[:start]] + table_blocks(rows[start:end], number_cells=number_cells)
            + [_line(row) for row in rows[end:]])


def _line(row: Sequence[Cell]) -> TextLine:
    cells = [cell for cell in row if cell.text.strip()]
    return TextLine(" ".join(cell.text.strip() for cell in cells), cells[0].source)


_WORD = re.compile(r"[^\W\d_]{2}")  # a label has a word in it: "Layer", "conv1", "神经元", not "11x11"
_MAX_LEAD_CELLS = 2


def _lead_rows(rows: Sequence[Sequence[Cell]]) -> int:
    """How many rows above the table are text: those before the header, the first row with several
    labelled cells that reaches as far right as the row below it ("Name,Emma" above a four-column
    header is not one); without such a header, the leading rows with one filled cell above a row
    with more. Only rows of one filled cell, or two that stop short of the header's last column, are
    ever text: above a two-column header they are rows of the table."""
    def filled(row):
        return [c for c, cell in enumerate(row) if cell.text.strip()]

    lead_reach = 0  # how far right the two-cell rows above reach
    for n, row in enumerate(rows[:-1]):
        columns = filled(row)
        labelled = sum(1 for c in columns if _WORD.search(row[c].text))
        below = filled(rows[n + 1])
        if labelled >= 2 and below and columns[-1] >= below[-1]:
            if lead_reach < columns[-1]:
                return n
            break
        if len(columns) > _MAX_LEAD_CELLS:
            break
        if len(columns) == _MAX_LEAD_CELLS:
            lead_reach = max(lead_reach, columns[-1])
    n = 0
    while len(rows) - n > 2 and len(filled(rows[n])) == 1 and len(filled(rows[n + 1])) >= 2:
        n += 1
    return n


def _at(source: Source, cell: str) -> Source:
    # dataclasses.replace is several times slower, and big tables make millions of these
    return Source(line=source.line, sheet=source.sheet, cell=cell, notebook_cell=source.notebook_cell,
                  paragraph=source.paragraph, page=source.page, ocr_confidence=source.ocr_confidence)


def _cells(texts: Sequence[str], source: Source, clean: Clean, budget: CellBudget) -> list[Cell]:
    budget.spend(len(texts))
    return [Cell(clean(text), source) for text in texts]


# ---------------------------------------------------------------- rule lines

_HORIZONTAL = set("-=_─━═┄┅┈┉╌╍")
_RULE_CHARS = _HORIZONTAL | set(":+|│┃║ \t┏┓┗┛┣┫┳┻╋┡┩╇╈┢┪┠┨┯┷┿╂┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬╞╡╪╤╧╒╕╘╛╓╖╙╜╟╢╥╨╫")
_BOX_CORNERS = set("+┏┓┗┛┣┫┳┻╋┡┩╇╈┢┪┠┨┯┷┿╂┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬╞╡╪╤╧╒╕╘╛╓╖╙╜╟╢╥╨╫")
_RULE_LINE = re.compile("[" + re.escape("".join(sorted(_RULE_CHARS))) + "]+")


def is_rule(text: str) -> bool:
    """A line drawn with dashes, equals signs or box characters: `---|:--`, `=====`, `┡━━╇━━┩`."""
    s = text.strip()
    if not s or not _RULE_LINE.fullmatch(s):
        return False
    dashes = sum(ch in _HORIZONTAL for ch in s)
    return dashes >= 3 or (dashes >= 1 and any(ch in "|│┃║" for ch in s))


# ---------------------------------------------------------------- pipe tables

_ASCII_PIPE = re.compile(r"(?<!\\)\|")
_ANY_PIPE = re.compile(r"(?<!\\)[|│┃║]")
_BOX_PIPES = "│┃║"


def _is_pipe_row(text: str) -> bool:
    if _ASCII_PIPE.search(text):
        return True
    s = text.strip()
    # Box-drawn rows (Keras summaries) start and end with a bar; a tree (torchinfo) only starts with one.
    return len(s) > 2 and s[0] in _BOX_PIPES and s[-1] in _BOX_PIPES


def _split_pipes(text: str, strip_leading: bool) -> list[str]:
    s = text.strip()
    if strip_leading and s[:1] in "|│┃║":
        s = s[1:]
    if s[-1:] in "|│┃║" and not s.endswith("\\|"):
        s = s[:-1]
    return [part.strip().replace("\\|", "|") for part in _ANY_PIPE.split(s)]


def detect_pipe_table(lines: Sequence[Line], i: int, clean: Clean, budget: CellBudget):
    first = lines[i].text
    if not _is_pipe_row(first) and not (is_rule(first) and any(ch in _BOX_CORNERS for ch in first)):
        return None
    raw: list[Line] = []
    header_rule = any_rule = False
    j = i
    while j < len(lines):
        text = lines[j].text
        if is_rule(text):
            any_rule = True
            header_rule = header_rule or len(raw) == 1
        elif _is_pipe_row(text):
            raw.append(lines[j])
        else:
            break
        j += 1
    if not raw:
        return None
    # A leading pipe is optional in Markdown; where most rows go without one, a row that has one
    # starts with an empty cell ("|fc6|||..." under "Input|Layer|...").
    leading = sum(line.text.strip()[:1] in "|│┃║" for line in raw) * 2 > len(raw)
    rows = [_cells(_split_pipes(line.text, leading), line.source, clean, budget) for line in raw]
    if not any_rule and (len(rows) < 2 or any(len(row) < 2 for row in rows)):
        return None, j
    return build_table(rows, has_header=True if header_rule else None), j


# ---------------------------------------------------------------- tab-separated tables


def _split_tabs(text: str, filled: int = 2) -> list[str] | None:
    """The cells of a tab-separated row with at least `filled` non-empty cells (a row inside a
    table may hold only its label: "Layer 1\t\t"), else None."""
    if "\t" not in text:
        return None
    cells = [part.strip() for part in text.rstrip().split("\t")]
    return cells if sum(bool(cell) for cell in cells) >= filled else None


def detect_tab_table(lines: Sequence[Line], i: int, clean: Clean, budget: CellBudget):
    first = _split_tabs(lines[i].text)
    if first is None:
        return None
    rows = [_cells(first, lines[i].source, clean, budget)]
    j = i + 1
    while j < len(lines):
        text = lines[j].text
        if not text.strip():
            # Rows pasted from a word processor are often a blank line apart: bridge the gap when
            # the row after it has as many cells as the row before it.
            k = j
            while k < len(lines) and not lines[k].text.strip():
                k += 1
            after = _split_tabs(lines[k].text) if k < len(lines) else None
            if after is None or len(after) != len(rows[-1]):
                break
            j = k
            continue
        cells = _split_tabs(lines[j].text, filled=1)
        if cells is None:
            break
        rows.append(_cells(cells, lines[j].source, clean, budget))
        j += 1
    if len(rows) < 2:
        return None
    return build_table(rows), j


# ---------------------------------------------------------------- space-aligned tables

# (a no-break, thin or narrow space groups digits, "64\u202f896": it never separates columns)
_SEGMENT = re.compile(r"[^\s\u00a0\u2007\u2009\u202f]+(?:[ \u00a0\u2007\u2009\u202f][^\s\u00a0\u2007\u2009\u202f]+)*")


def _segments(text: str) -> list[tuple[int, int, str]]:
    """Runs of text separated by two or more spaces, as (start, end, text) in display columns."""
    found = [(m.start(), m.end(), m.group()) for m in _SEGMENT.finditer(text)]
    if text.isascii():
        return found
    columns = [0]
    for ch in text:  # wide (CJK) characters take two columns in an aligned layout
        columns.append(columns[-1] + (2 if unicodedata.east_asian_width(ch) in "WF" else 1))
    return [(columns[start], columns[end], segment) for start, end, segment in found]


def _narrow(gutters: list[tuple[int, int]], segments: list[tuple[int, int, str]]) -> list[tuple[int, int]] | None:
    """The gutters (column bands blank in every row so far) that stay blank in this row too."""
    narrowed = []
    for g0, g1 in gutters:
        best = None
        cursor = g0
        for start, end, _ in segments:
            if end <= cursor or start >= g1:
                continue
            if start > cursor and (best is None or start - cursor > best[1] - best[0]):
                best = (cursor, start)
            cursor = max(cursor, end)
        if cursor < g1 and (best is None or g1 - cursor > best[1] - best[0]):
            best = (cursor, g1)
        if best is None:
            return None
        narrowed.append(best)
    return narrowed


# In Markdown, "-  item" is a list item and "#  Title" a heading, whatever their spacing.
_MARKDOWN_PROSE = re.compile(r"^\s*(?:[-*+•]|#{1,6})\s")


def detect_space_table(lines: Sequence[Line], i: int, clean: Clean, budget: CellBudget, *,
                       markdown: bool = False):
    def _spaced_segments(text: str) -> list[tuple[int, int, str]] | None:
        if "\t" in text or _ASCII_PIPE.search(text) or is_rule(text) or (markdown and _MARKDOWN_PROSE.match(text)):
            return None
        return _segments(text.rstrip())

    first = _spaced_segments(lines[i].text)
    if not first or len(first) < 2:
        return None
    gutters = [(first[k][1], first[k + 1][0]) for k in range(len(first) - 1)]
    rows: list[tuple[Line, list[tuple[int, int, str]]]] = [(lines[i], first)]
    wraps: dict[int, list[str]] = {}
    header_rule = False

    def fits(k: int) -> bool:  # the next non-blank line from k is a row of this table
        while k < len(lines) and not lines[k].text.strip():
            k += 1
        segments = _spaced_segments(lines[k].text) if k < len(lines) else None
        return bool(segments) and len(segments) >= 2 and _narrow(gutters, segments) is not None

    j = i + 1
    while j < len(lines):
        text = lines[j].text
        if not text.strip():  # Keras prints blank lines between rows (of three columns or more)
            if len(gutters) < 2 or not fits(j):
                break
            while not lines[j].text.strip():
                j += 1
            continue
        if is_rule(text) and "\t" not in text:
            header_rule = header_rule or len(rows) == 1
            j += 1
            continue
        segments = _spaced_segments(text)
        if segments and len(segments) >= 2:
            narrowed = _narrow(gutters, segments)
            if narrowed is None:
                break
            gutters = narrowed
            rows.append((lines[j], segments))
            j += 1
            continue
        # A long first cell wrapped onto a line of its own (Keras: "max_pooling2d (MaxPooling2D" / ")").
        if segments and len(segments) == 1 and segments[0][1] <= gutters[0][0] and fits(j + 1):
            wraps.setdefault(len(rows) - 1, []).append(segments[0][2])
            j += 1
            continue
        break
    while j > i + 1 and not lines[j - 1].text.strip():
        j -= 1
    if len(rows) < 2 or (len(rows) < 3 and len(gutters) < 2):
        return None
    if not any(ch.isdigit() for _, segments in rows[1:] for *_, text in segments for ch in text):
        return None, j
    if 2 * sum(any(text.startswith(("=", "＝")) for *_, text in segments[1:]) for _, segments in rows) >= len(rows):
        return None, j  # "units    = 55*55*96 = 290400": lines of working with their "=" aligned, no table
    if all(_ENUMERATOR.fullmatch(segments[0][2]) and len(segments[-1][2].split()) >= 4 for _, segments in rows):
        return None, j  # "Q1.  How many neurons …" / "A1.  The number of …": numbered sentences, no table
    gutters = _common_gutters([segments for _, segments in rows], gutters)
    laid_out = []
    for r, (line, segments) in enumerate(rows):
        texts = [""] * (len(gutters) + 1)
        for start, _, text in segments:
            column = sum(g1 <= start for _, g1 in gutters)
            texts[column] = f"{texts[column]} {text}".strip()
        for extra in wraps.get(r, ()):
            texts[0] = f"{texts[0]} {extra}".strip()
        laid_out.append((line, texts))
    # Lines whose spaced words do not fall into the common columns (indented working, a note with
    # a double space) lay out as one-cell rows: a table has most rows of two cells or more.
    if 2 * sum(sum(bool(text) for text in texts) >= 2 for _, texts in laid_out) <= len(laid_out):
        return None, j
    # "fc2    : 4,096x4,096     (weights) + 4,096 (biases)": labels and values aligned with
    # spaces, each value after a colon, are lines of prose, however their words line up
    if all(any(text.startswith((":", "：")) for text in texts[1:]) for _, texts in laid_out):
        return None, j
    table_rows = [_cells(texts, line.source, clean, budget) for line, texts in laid_out]
    return build_table(table_rows, has_header=True if header_rule else None), j


# a list's number or letter set apart by two spaces: "Q1.", "A12.", "3)", "(b)", "iv."
_ENUMERATOR = re.compile(r"[(（]?(?:[A-Za-z]{0,2}\d{1,3}|[a-hA-H]|[ivxIVX]{1,4})[.)）:]?")


def _common_gutters(rows: list[list[tuple[int, int, str]]], gutters: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The final column gutters: bands blank in every row with text on both sides, two columns wide
    or one found while the rows were collected. Adds the gap after a pandas index ("0  conv1")
    that the header row, indented over the index, did not show."""
    width = max(end for segments in rows for _, end, _ in segments)
    left = min(start for segments in rows for start, _, _ in segments)
    blank = bytearray(b"\x01") * width
    for segments in rows:
        for start, end, _ in segments:
            blank[start:end] = bytes(end - start)
    found = []
    x = left
    while x < width:
        if not blank[x]:
            x += 1
            continue
        y = x
        while y < width and blank[y]:
            y += 1
        if y < width and (y - x >= 2 or any(g0 < y and x < g1 for g0, g1 in gutters)):
            found.append((x, y))
        x = y
    return found


# ---------------------------------------------------------------- LaTeX tabular

_TABULAR_BEGIN = re.compile(r"\\begin\{(tabular\*?|tabularx|longtable|array)\}")
_TABULAR_END = re.compile(r"\\end\{(?:tabular\*?|tabularx|longtable|array)\}")
_POSITION = re.compile(r"^\s*\[[^\]]*\]")  # tabular's and array's optional [t] before the columns
_TABULAR_RULE = re.compile(
    r"\\(?:hline|toprule|midrule|bottomrule|endhead|endfirsthead|endfoot|endlastfoot)\b"
    r"|\\(?:cline|hhline)\{[^}]*\}|\\cmidrule(?:\([^)]*\))?\{[^}]*\}")
_MULTICOLUMN = re.compile(r"\\multicolumn\{(\d+)\}\{[^}]*\}\{((?:[^{}]|\{[^{}]*\})*)\}")
_TEX_COMMENT = re.compile(r"(?<!\\)%.*$")
_ROW_END = re.compile(r"\\\\(?:\[[^\]]*\])?")
_CELL_SEPARATOR = re.compile(r"(?<!\\)&")
_LEADING_RULE = re.compile(rf"\s*(?:{_TABULAR_RULE.pattern})")


def _skip_arguments(text: str, count: int) -> str:
    """Drop `count` leading {...} arguments (balanced braces) from text."""
    for _ in range(count):
        text = text.lstrip()
        if not text.startswith("{"):
            return text
        depth = 0
        for k, ch in enumerate(text):
            depth += ch == "{"
            depth -= ch == "}"
            if depth == 0:
                text = text[k + 1:]
                break
        else:
            return ""
    return text


def detect_tabular(lines: Sequence[Line], i: int, clean: Clean, budget: CellBudget, max_lines: int = 5000):
    begin = _TABULAR_BEGIN.search(lines[i].text)
    if not begin:
        return None
    environment = begin.group(1)
    end_marker = f"\\end{{{environment}}}"
    arguments = 2 if environment in ("tabular*", "tabularx") else 1
    pieces: list[tuple[str, Line]] = []
    text = lines[i].text[begin.end():]
    if arguments == 1:
        text = _POSITION.sub("", text, count=1)
    text = _skip_arguments(text, arguments)
    j, other_ends = i, False
    while True:
        text = _TEX_COMMENT.sub("", text)
        if end_marker in text:
            pieces.append((text[:text.index(end_marker)], lines[j]))
            break
        pieces.append((text, lines[j]))
        other_ends = other_ends or bool(_TABULAR_END.search(text))
        j += 1
        if j >= len(lines) or j - i > max_lines:
            # Unclosed: no opener in these lines closes inside them either, unless another
            # environment ends here; skipping them keeps a file of openers linear.
            return None if other_ends else (None, j)
        text = lines[j].text
    rows: list[list[Cell]] = []
    header_rule = False
    current, origin = "", None
    for text, line in pieces:
        parts = _ROW_END.split(text)
        for n, part in enumerate(parts):
            if part.strip() and origin is None:
                origin = line
            current += " " + part
            if n < len(parts) - 1:  # a row ends here
                # a rule between the first row and the second makes the first the header, whether
                # it ends the first row's line or starts the second's ("\\hline conv1 & ...")
                header_rule = header_rule or (len(rows) == 1 and bool(_LEADING_RULE.match(current)))
                _tabular_row(current, origin, rows, clean, budget)
                current, origin = "", None
        if rows and len(rows) == 1 and _TABULAR_RULE.search(current):
            header_rule = True
    _tabular_row(current, origin, rows, clean, budget)
    if not rows:
        return None, j + 1
    return build_table(rows, has_header=True if header_rule else None), j + 1


def _tabular_row(text: str, origin: Line | None, rows: list[list[Cell]], clean: Clean, budget: CellBudget) -> None:
    text = _TABULAR_RULE.sub(" ", text).strip()
    if not text or origin is None:
        return
    texts: list[str] = []
    for cell in _CELL_SEPARATOR.split(text):
        spanned = _MULTICOLUMN.search(cell)
        if spanned:
            texts.append(spanned.group(2))
            texts.extend([""] * (int(spanned.group(1)) - 1))
        else:
            texts.append(cell.strip())
    rows.append(_cells(texts, origin.source, clean, budget))


# ---------------------------------------------------------------- HTML tables


class _HtmlTable(HTMLParser):
    """Rows and cells of <table> markup, each cell with the line (within the chunk) it starts on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # (text, line offset, colspan, rowspan, a header cell)
        self.rows: list[list[tuple[str, int, int, int, bool]]] = []
        self.header_cells = 0
        self._cell: list[str] | None = None
        self._cell_line = 0
        self._span = 1
        self._rows_down = 1
        self._header = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._close_cell()
            self.rows.append([])
        elif tag in ("td", "th"):
            self._close_cell()
            if not self.rows:
                self.rows.append([])
            self._cell, self._cell_line = [], self.getpos()[0] - 1
            self._span, self._rows_down = (_span(dict(attrs).get(name)) for name in ("colspan", "rowspan"))
            self._header = tag == "th"
            self.header_cells += tag == "th" and len(self.rows) == 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "sup" and self._cell is not None:
            self._cell.append("^")  # "55<sup>2</sup>" is 55^2, not 552

    def handle_endtag(self, tag):
        if tag in ("td", "th", "tr", "table"):
            self._close_cell()

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self) -> None:
        if self._cell is not None:
            self.rows[-1].append((" ".join("".join(self._cell).split()), self._cell_line, self._span, self._rows_down,
                                  self._header))
            self._cell = None


def _fill_from_above(cells: list[Cell], below: dict[int, tuple[int, str]], source) -> None:
    """The cells of rows above that span down to the next place of this row."""
    while below.get(len(cells), (0, ""))[0] > 0:
        left, above = below[len(cells)]
        below[len(cells)] = (left - 1, above)
        cells.append(Cell(above, source))


def _span(value: str | None) -> int:
    return min(int(value), 100) if value and value.isdigit() and int(value) > 0 else 1


_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)


def detect_html_table(lines: Sequence[Line], i: int, clean: Clean, budget: CellBudget, max_lines: int = 5000):
    if not _TABLE_OPEN.search(lines[i].text):
        return None
    j = i
    while not _TABLE_CLOSE.search(lines[j].text):
        j += 1
        if j >= len(lines) or j - i > max_lines:
            return None, j  # no table opened in these lines closes inside them: not tried again
    parser = _HtmlTable()
    parser.feed("\n".join(line.text for line in lines[i:j + 1]))
    parser.close()
    rows = []
    # column -> (rows a cell above still spans down, its text): a merged cell of figures holds them
    # in every place it covers ("64,896" over conv3's and conv4's units, one count for both FC weights
    # and connections), as the student reads it; a merged header or label ("total <62M" across the
    # row) stands in its first place only (the words of two header rows are joined column by column)
    below: dict[int, tuple[int, str]] = {}
    for row in parser.rows:
        budget.spend(sum(span for _, _, span, _, _ in row))
        cells: list[Cell] = []
        source = lines[min(i + row[0][1], j)].source if row else lines[i].source
        for text, offset, span, down, header in row:
            source = lines[min(i + offset, j)].source
            _fill_from_above(cells, below, source)
            shared = clean(text) if not header and not re.search(r"[^\W\d_]", text) else ""
            for k in range(span):
                if down > 1:
                    below[len(cells)] = (down - 1, shared)
                cells.append(Cell(clean(text) if k == 0 else shared, source))
        _fill_from_above(cells, below, source)  # the row ends where a cell above still stands
        rows.append(cells)
    table = build_table(rows, has_header=True if parser.header_cells else None) if rows else None
    return table, j + 1


# ---------------------------------------------------------------- tables flattened to single spaces

# A table copied out of a PDF or a web page often keeps one space between its cells: a header line
# of words, then rows that each cut into as many cells ("2 CONV1 11 × 11 4 (55,55,96) 34,848 96 …").
# A row's cells: a number (grouped or not, K/M suffix), a product ("11 × 11"), a bracketed group
# ("(55, 55, 96)"), a placeholder ("-") or a word. The header's cells open at a capital, a "#" or a
# CJK word ("Kernel size", "# Parameters", "参数"), lower-case words going on the cell before.
_TOKEN_ROWS_MIN = 2
_TOKEN_COLUMNS_MIN = 4
_PRODUCT_JOIN = re.compile(r"\s*(?:[xX×*·]|\\times)\s*(?=[\d(])")
_BRACKETED = re.compile(r"[(\[][^()\[\]]*[)\]]")
_NUMERIC_TOKEN = re.compile(r"[~≈]?[\d(\[][\d.,×xX*·()\[\]\s]*[KMGkmg]?%?")


def _row_tokens(text: str) -> list[str]:
    """A flattened row's cells: its words, a product or a bracketed group kept whole."""
    protected = _BRACKETED.sub(lambda m: m[0].replace(" ", "\u0000"), text.strip())
    protected = _PRODUCT_JOIN.sub(lambda m: m[0].replace(" ", "\u0000"), protected)
    return [token.replace("\u0000", " ") for token in protected.split()]


def _mostly_numbers(tokens: list[str]) -> bool:
    """Most of a row's cells are numbers or placeholders ("-")."""
    return 2 * sum(_numeric(t) or t in ("-", "–", "—") for t in tokens) >= len(tokens)


def row_like(text: str) -> bool:
    """A line that reads as a flattened table's row: four cells or more, most of them numbers."""
    tokens = _row_tokens(text)
    return len(tokens) >= _TOKEN_COLUMNS_MIN and _mostly_numbers(tokens)


_WORDY = re.compile(r"\(?[^\W\d_][\w.\-]*\)?")  # "Input", "Layer", "conv2d", "(Conv2D)", "(MaxPooling2"


def _fitted(tokens: list[str], count: int) -> list[str] | None:
    """The row's cells as `count` cells, words side by side joined into one ("Input Layer")."""
    tokens = list(tokens)
    k = 0
    while len(tokens) > count and k < len(tokens) - 1:
        if _WORDY.fullmatch(tokens[k]) and _WORDY.fullmatch(tokens[k + 1]):
            tokens[k:k + 2] = [f"{tokens[k]} {tokens[k + 1]}"]
        else:
            k += 1
    return tokens if len(tokens) == count else None


# words that end a header's cell even when capitalised: "Output Shape", "Kernel Size", "Layer (Type)"
_HEADER_TAILS = {"shape", "size", "type", "count", "number", "no.", "name", "dims", "dimensions"}


def _header_tokens(text: str) -> list[str]:
    cells: list[str] = []
    words = text.split()
    for k, word in enumerate(words):
        # a "#" opens a cell before its word ("# Parameters"), and ends one after it ("Param #")
        mark = word in ("#", "№")
        opens = not cells or (mark and k + 1 < len(words)) or (not mark and cells[-1] not in ("#", "№") and (
            word[0].isupper() or re.match(r"[\u3400-\u9fff\uac00-\ud7af]", word))
            and word.lower().strip("()") not in _HEADER_TAILS)
        if opens:
            cells.append(word)
        else:
            cells[-1] = f"{cells[-1]} {word}"
    return cells


def _numeric(token: str) -> bool:
    """A number, a product, or a bracketed shape ("(None, 55, 55, 96)")."""
    return bool(_NUMERIC_TOKEN.fullmatch(token) or re.fullmatch(r"[(\[][^()\[\]]*\d[^()\[\]]*[)\]]", token))


def detect_token_table(lines: Sequence[Line], i: int, clean: Clean, budget: CellBudget):
    """A header of words at line i over rows flattened to single spaces (see above); a header whose
    cells were copied one or two words a line ("Feature", "Maps", "Kernel", "(Filter)") is joined."""
    for last in range(i, min(i + _HEADER_LINES_MAX, len(lines))):
        text = lines[last].text.strip()
        if not text or re.search(r"\d", text.replace("#", "")) or any(ch in text for ch in "|\t") \
                or (last > i and len(text) > _HEADER_PIECE_MAX):
            return None
        found = _token_table(lines, i, last, clean, budget)
        if found is not None:
            return found
    return None


# a header split over lines: at most this many lines, each piece a few words
_HEADER_LINES_MAX = 8
_HEADER_PIECE_MAX = 30


def _wrapped_header(pieces: Sequence[Line], width: int) -> list[str] | None:
    """The cells of a header copied over several lines, as many as the first row's tokens: where
    there are more, a line's first word went on the cell of the line above: first the pieces that
    read as a cell's end ("Kernel" / "(Filter)", "Trainable" / "param"), then the topmost ("Feature" /
    "Maps")."""
    cells: list[list] = []  # [text, opens a line]
    for k, piece in enumerate(pieces):
        cells += [[cell, k > 0 and n == 0] for n, cell in enumerate(_header_tokens(piece.text.strip()))]
    while len(cells) > width:
        opening = [n for n, (_, opens) in enumerate(cells) if opens]
        if not opening:
            return None
        # a piece that reads as the end of a cell ("(Filter)", "param") first, then the topmost
        at = min(opening, key=lambda n: (not (cells[n][0][0] in "([" or cells[n][0][0].islower()), n))
        cells[at - 1:at + 1] = [[f"{cells[at - 1][0]} {cells[at][0]}", cells[at - 1][1]]]
    return [text for text, _ in cells] if len(cells) == width else None


def _token_table(lines: Sequence[Line], i: int, last: int, clean: Clean, budget: CellBudget):
    """The table whose header is lines i..last joined, if rows of as many tokens follow."""
    if last == i:
        columns = _header_tokens(lines[i].text.strip())
    elif last + 1 < len(lines):
        columns = _wrapped_header(lines[i:last + 1], len(_row_tokens(lines[last + 1].text)))
    else:
        return None
    if columns is None or len(columns) < _TOKEN_COLUMNS_MIN - 1:
        return None
    rows = []
    j = last + 1
    while j < len(lines) and lines[j].text.strip():
        if is_rule(lines[j].text):  # Keras draws a line under each row
            j += 1
            continue
        tokens = _fitted(_row_tokens(lines[j].text), len(columns))
        if tokens is None or not _mostly_numbers(tokens):  # a row: as many cells as the header, most numbers
            break
        rows.append((lines[j], tokens))
        j += 1
    # three columns ("Layer (type) Output Shape Param #") take a row more to be sure of
    if len(rows) < _TOKEN_ROWS_MIN + (len(columns) < _TOKEN_COLUMNS_MIN):
        return None
    table_rows = [_cells(columns, lines[i].source, clean, budget)]
    table_rows += [_cells(tokens, line.source, clean, budget) for line, tokens in rows]
    return build_table(table_rows, has_header=True), j


# ---------------------------------------------------------------- reStructuredText list tables

_RST_LIST_TABLE = re.compile(r"^\s*\.\.\s+list-table::")
_RST_OPTION = re.compile(r"^\s+:([\w-]+):\s*(.*)$")
_RST_ROW = re.compile(r"^\s*\*\s+-\s+(.*)$")  # "* - conv1": a row's first cell
_RST_CELL = re.compile(r"^\s*-\s+(.*)$")  # "  - 55×55×96": its next cells


def detect_rst_list_table(lines: Sequence[Line], i: int, clean: Clean, budget: CellBudget):
    """A reStructuredText `.. list-table::`: its options (`:header-rows: 1`), then a row per "* -"
    item and a cell per "-" item below it, a cell's text going on over more indented lines."""
    if not _RST_LIST_TABLE.match(lines[i].text):
        return None
    header_rows = 0
    rows: list[list[tuple[str, Source]]] = []
    j = i + 1
    while j < len(lines):
        text = lines[j].text
        option = _RST_OPTION.match(text)
        row, cell = _RST_ROW.match(text), _RST_CELL.match(text)
        if option and not rows:
            if option[1] == "header-rows" and option[2].strip().isdigit():
                header_rows = int(option[2])
        elif row:
            rows.append([(row[1].strip(), lines[j].source)])
        elif cell and rows:
            rows[-1].append((cell[1].strip(), lines[j].source))
        elif text.strip() and rows and text.startswith((" ", "\t")):
            last = rows[-1][-1]
            rows[-1][-1] = (f"{last[0]} {text.strip()}", last[1])
        elif text.strip():
            break  # the paragraph after the table
        j += 1
    if not rows:
        return None, j
    budget.spend(sum(len(row) for row in rows))
    table_rows = [[Cell(clean(text), source) for text, source in row] for row in rows]
    return build_table(table_rows, has_header=header_rows > 0), j


# ---------------------------------------------------------------- AsciiDoc tables

_ADOC_FENCE = re.compile(r"^\s*\|={3,}\s*$")
_ADOC_COLS = re.compile(r"""cols\s*=\s*["']?([^"'\]]+)""")


def _adoc_columns(spec: str) -> int | None:
    """The column count of a `[cols="1,2,2"]` (or `cols="3*"`) attribute."""
    count = 0
    for part in spec.split(","):
        repeat = re.match(r"\s*(\d+)\s*\*", part)
        count += int(repeat[1]) if repeat else 1
    return count or None


def detect_asciidoc_table(lines: Sequence[Line], i: int, clean: Clean, budget: CellBudget):
    """An AsciiDoc table between `|===` lines: each cell opens with "|", a row's cells on one line or
    one a line (as many as the `cols` attribute, or the first line, says)."""
    if not _ADOC_FENCE.match(lines[i].text):
        return None
    end = next((k for k in range(i + 1, len(lines)) if _ADOC_FENCE.match(lines[k].text)), None)
    if end is None:
        return None
    attribute = lines[i - 1].text if i > 0 else ""
    declared = _ADOC_COLS.search(attribute)
    cells: list[tuple[str, Source]] = []
    first_line_cells = None
    for line in lines[i + 1:end]:
        text = line.text.strip()
        if not text:
            continue
        if not text.startswith("|"):
            if cells:  # a cell's text going on over lines
                cells[-1] = (f"{cells[-1][0]} {text}", cells[-1][1])
            continue
        parts = [part.strip() for part in re.split(r"(?<!\\)\|", text)[1:]]
        if first_line_cells is None:
            first_line_cells = len(parts)
        cells += [(part, line.source) for part in parts]
    width = (_adoc_columns(declared[1]) if declared else None) or first_line_cells
    if not cells or not width or width < 2:
        return None, end + 1
    rows = [cells[k:k + width] for k in range(0, len(cells), width)]
    budget.spend(len(cells))
    table_rows = [[Cell(clean(text), source) for text, source in row] for row in rows]
    header = "header" in attribute
    return build_table(table_rows, has_header=True if header else None), end + 1
