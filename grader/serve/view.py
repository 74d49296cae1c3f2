"""What the self-check page shows of one upload, as plain data for its template: the student's own
lines, each number the grader read marked where it stands with the slot it was read for.

The lines come from the Document (its text lines and table rows, each cell with its source), and
the readings from the result as the reveal policy lets the student see it: the page is built from
nothing else, so it cannot show more than `grader check` does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from grader.core import Document, Source, Table

MAX_LINES = 400  # lines shown in full; beyond them only the lines something was read on


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a line: plain text, or a number read (`slot` names where it went)."""

    text: str
    slot: str = ""
    verdict: str = ""


@dataclass(frozen=True, slots=True)
class LineView:
    place: str  # "line 8", "sheet Sheet1, A4"
    cells: tuple[tuple[Piece, ...], ...]  # one for a line of text, one per cell for a table row
    read: bool  # something was read on it


def _key(source: dict | None, *, by_line: bool = False) -> tuple:
    """Where a reading or a line is, as a key to match the two: the whole source (`by_line`: only
    its line, for a text file's own lines, which a table cell's r3c2 does not name)."""
    source = source or {}
    if by_line:
        return (("line", source.get("line")),) if set(source) <= {"line", "cell", "ocr_confidence"} else ()
    return tuple(sorted((k, v) for k, v in source.items() if k != "ocr_confidence"))


def _place(source: Source) -> str:
    """Where a row is: its line (or sheet and first cell); a table cell's own r3c2 name says nothing."""
    cell = source.cell if source.cell and not re.fullmatch(r"r\d+c\d+", source.cell) else None
    return Source(line=source.line, sheet=source.sheet, cell=cell, notebook_cell=source.notebook_cell,
                  paragraph=source.paragraph, page=source.page).describe()


TEXT_FORMATS = ("markdown", "latex", "text", "csv")


def document_lines(document: Document, data: bytes = b"") -> dict:
    """The student's lines as plain data (sent back from the worker process that read them): a
    text file's own lines as written (`by_line`), markup and all; for other formats each line of
    prose and each table row of the Document, a cell with its source."""
    if document.format in TEXT_FORMATS and data:
        from grader.readers.decode import decode_text

        text, _ = decode_text(data, document.path)
        return {"by_line": True, "lines": [(f"line {n}", [((("line", n),), line)])
                                           for n, line in enumerate(text.splitlines(), 1)]}
    lines = []
    for block in document.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                if row:
                    lines.append((_place(row[0].source), [(_key(c.source.to_json()), c.text) for c in row]))
        else:
            lines.append((_place(block.source), [(_key(block.source.to_json()), block.text)]))
    return {"by_line": False, "lines": lines}


def _column(item: dict) -> int:
    match = re.fullmatch(r"r\d+c(\d+)", (item.get("source") or {}).get("cell") or "")
    return int(match.group(1)) if match else 0


def _slot(item: dict, networks: int) -> str:
    slot = f"{item['layer']} {item['quantity']}"
    return f"{item['network']} {slot}" if networks > 1 else slot


def _pieces(text: str, readings: list[dict], networks: int) -> tuple[Piece, ...]:
    """`text` with each reading marked where it is written (after the reading of the column before
    it, else anywhere not marked yet); one whose text is not found as such (a row joined from two
    lines) is named at the end."""
    placed, unplaced, at = [], [], 0
    for item in sorted(readings, key=_column):
        written = (item.get("text") or "").strip(" \t|")
        found = _free(text, written, at, placed) if written else -1
        if found < 0 and written:
            found = _free(text, written, 0, placed)
        if found < 0:
            unplaced.append(item)
            continue
        placed.append((found, found + len(written), item))
        at = found + len(written)
    pieces, at = [], 0
    for start, end, item in sorted(placed, key=lambda span: span[0]):
        if start > at:
            pieces.append(Piece(text[at:start]))
        pieces.append(Piece(text[start:end], _slot(item, networks), item["verdict"]))
        at = end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    pieces.extend(Piece("", _slot(item, networks), item["verdict"]) for item in unplaced)
    return tuple(pieces)


def _free(text: str, written: str, start: int, placed: list) -> int:
    """The first place of `written` in `text` from `start` that overlaps no reading placed."""
    found = text.find(written, start)
    while found >= 0 and any(found < end and begin < found + len(written) for begin, end, _ in placed):
        found = text.find(written, found + 1)
    return found


def read_beside(lines: dict, shown: dict) -> tuple[tuple[LineView, ...], int]:
    """The student's lines (`document_lines`) with the readings of `shown` (a result the reveal
    policy has filtered) marked; and how many lines without a reading were left out (past
    MAX_LINES)."""
    answers = [item for item in shown.get("answers") or () if item.get("source")]
    networks = len({item["network"] for item in answers})
    by_place: dict[tuple, list[dict]] = {}
    for item in answers:
        by_place.setdefault(_key(item["source"], by_line=lines["by_line"]), []).append(item)
    views = []
    for place, cells in lines["lines"]:
        pieces = tuple(_pieces(text, by_place.pop(key, []), networks) for key, text in cells)
        read = any(piece.slot for cell in pieces for piece in cell)
        views.append(LineView(place, pieces, read))
    if len(views) <= MAX_LINES:
        return tuple(views), 0
    kept = tuple(view for n, view in enumerate(views) if n < MAX_LINES or view.read)
    return kept, len(views) - len(kept)
