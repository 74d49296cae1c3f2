"""CSV and TSV: one Table, the delimiter sniffed from the content, cells named as a spreadsheet
names them ("B4") so a TA who opens the file finds them."""
from __future__ import annotations

import csv
import io
import re

from grader.core import Cell, Document, Source, UnreadableError
from grader.readers.formula import column_letters
from grader.readers.limits import Limits
from grader.readers.tables import table_blocks

_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_LINES = 200


def read_delimited(text: str, *, path: str, encoding: str | None, limits: Limits) -> Document:
    start = 1
    hint = re.match(r"sep=(.)\r?\n", text)  # Excel's "sep=;" first line names the delimiter
    if hint:
        delimiter, text, start = hint.group(1), text[hint.end():], 2
    else:
        delimiter = sniff_delimiter(text) or ("\t" if path.lower().endswith(".tsv") else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Cell]] = []
    cells = 0
    try:
        for number, record in enumerate(reader, 1):  # a spreadsheet shows a blank line as a row too
            cells += len(record) + 1
            if cells > limits.max_cells:
                raise UnreadableError(f"{path}: over the {limits.max_cells:,}-cell limit")
            if any(field.strip() for field in record):
                rows.append([Cell(field.strip(), Source(line=start, cell=f"{column_letters(c)}{number}"))
                             for c, field in enumerate(record, 1)])
            start = reader.line_num + 1 + (hint is not None)
    except csv.Error as err:
        raise UnreadableError(f"{path}: not valid CSV (line {reader.line_num}: {err})") from None
    return Document(path=path, format="csv", blocks=tuple(table_blocks(rows, number_cells=False)),
                    encoding=encoding)


def sniff_delimiter(text: str) -> str | None:
    """The delimiter that splits the first lines into the same number (two or more) of fields,
    or None when no delimiter does."""
    lines = [line for line in text.splitlines()[:_SAMPLE_LINES] if line.strip()]
    if len(lines) < 2:
        return None
    best, best_score = None, 0.0
    for delimiter in _DELIMITERS:
        try:
            widths = [len(record) for record in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        common = max(set(widths), key=widths.count)
        if common < 2:
            continue
        score = widths.count(common) / len(widths) + common / 1000  # consistency first, then width
        if score > best_score:
            best, best_score = delimiter, score
    return best if best_score >= 0.8 else None


_THOUSANDS_TAIL = re.compile(r"\d{3}(?!\d)")


def looks_delimited(text: str) -> bool:
    """A text (.txt) that is really CSV: three or more lines that all split into the same two or
    more comma- or semicolon-separated fields, short, with no space after the delimiter (prose has
    one) and no field that looks like the tail of "34,848" (this homework is full of those)."""
    lines = [line for line in text.splitlines()[:1000] if line.strip()]
    if len(lines) < 3 or any(line.lstrip()[:1] in "#|-*>`$" for line in lines):
        return False
    for delimiter in (",", ";"):
        try:
            records = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        widths = {len(record) for record in records}
        if len(widths) != 1 or widths.pop() < 2:
            continue
        fields = [field for record in records for field in record[1:]]
        if any(field[:1].isspace() for field in fields):
            return False
        if sum(len(field) for record in records for field in record) > 40 * len(records) * len(records[0]):
            return False
        for record in records:
            for before, field in zip(record, record[1:]):
                if before[-1:].isdigit() and _THOUSANDS_TAIL.match(field) and len(field.split()[0]) == 3:
                    return False
        return any(ch.isdigit() for line in lines for ch in line)
    return False
