"""DOCX documents: paragraphs and tables in the order they appear in the body.

Paragraphs are read like plain text lines (so tab-separated or pipe tables typed into Word are
tables too); headings come from the paragraph style. Equations (Office Math) are read as text with
their structure spelled out: a superscript as ^, a fraction as (a)/(b), so "11²" does not read as 112.
Source.paragraph is the 0-based index among the body's paragraphs; a table's cells carry the
number of paragraphs before the table and their place in it ("r2c3")."""
from __future__ import annotations

import io
import re

from grader.core import Block, Cell, Document, Source, TextLine, UnreadableError
from grader.readers.limits import Limits
from grader.readers.markdown import parse_lines
from grader.readers.tables import CellBudget, Line, build_table
from grader.readers.zipguard import check_zip

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_HEADING_STYLE = re.compile(r"^(?:heading|标题|見出し|제목)\s*(\d)", re.IGNORECASE)
_SKIPPED = {_W + "del", _W + "delText", _W + "instrText", _W + "rPr", _W + "pPr", _M + "rPr", _M + "ctrlPr",
            _M + "fPr", _M + "dPr", _M + "sSupPr", _M + "sSubPr", _M + "radPr", _M + "naryPr"}


def read_docx(data: bytes, *, path: str, limits: Limits) -> Document:
    check_zip(data, path, "docx document", limits)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        styles = _style_names(document)
    except Exception as err:  # noqa: BLE001 - python-docx raises many kinds on a corrupt file
        raise UnreadableError(f"{path}: not a valid docx document ({type(err).__name__})") from None
    reader = _BodyReader(path, limits, styles)
    reader.read(body)
    return Document(path=path, format="docx", blocks=tuple(reader.blocks))


def _style_names(document) -> dict[str, str]:
    """Style id -> style name ("Heading1" -> "Heading 1"); Chinese Word keeps ids like "1"."""
    names = {}
    for style in document.styles.element.findall(_W + "style"):
        style_id = style.get(_W + "styleId")
        name = style.find(_W + "name")
        if style_id and name is not None:
            names[style_id] = name.get(_W + "val") or ""
    return names


class _BodyReader:
    def __init__(self, path: str, limits: Limits, styles: dict[str, str]) -> None:
        self.path, self.limits, self.styles = path, limits, styles
        self.blocks: list[Block] = []
        self.pending: list[Line] = []  # paragraphs not yet turned into blocks
        self.paragraphs = 0
        self.budget = CellBudget(limits.max_cells, path)

    def read(self, body) -> None:
        self._children(body)
        self._flush()

    def _children(self, element) -> None:
        for child in element:
            if child.tag == _W + "p":
                self._paragraph(child)
            elif child.tag == _W + "tbl":
                self._flush()
                self._table(child)
            elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):  # content controls
                self._children(child)

    def _paragraph(self, element) -> None:
        self.paragraphs += 1
        if self.paragraphs > self.limits.max_lines:
            raise UnreadableError(f"{self.path}: over the {self.limits.max_lines:,}-paragraph limit")
        source = Source(paragraph=self.paragraphs - 1)
        text = element_text(element)
        level = self._heading_level(element)
        if level and text.strip():
            self._flush()
            self.blocks.append(TextLine(" ".join(text.split()), source, level))
            return
        self.pending.extend(Line(part.rstrip(" "), source) for part in text.split("\n"))

    def _heading_level(self, element) -> int:
        properties = element.find(_W + "pPr")
        if properties is None:
            return 0
        style = properties.find(_W + "pStyle")
        name = self.styles.get(style.get(_W + "val"), style.get(_W + "val") or "") if style is not None else ""
        match = _HEADING_STYLE.match(name)
        if match:
            return max(1, min(int(match.group(1)), 6))
        if name.lower() == "title":
            return 1
        outline = properties.find(_W + "outlineLvl")
        if outline is not None and (outline.get(_W + "val") or "").isdigit() and int(outline.get(_W + "val")) < 9:
            return min(int(outline.get(_W + "val")) + 1, 6)
        return 0

    def _flush(self) -> None:
        if self.pending:
            self.blocks.extend(parse_lines(self.pending, "plain", self.budget))
            self.pending = []

    def _table(self, element) -> None:
        source = Source(paragraph=self.paragraphs)
        rows: list[list[Cell]] = []
        merged_above: dict[int, str] = {}  # column -> text of a vertically merged cell
        for row in _children_named(element, _W + "tr"):
            cells: list[Cell] = []
            before = row.find(f"{_W}trPr/{_W}gridBefore")  # grid columns left empty at the row's start
            if before is not None and (before.get(_W + "val") or "").isdigit():
                cells.extend(Cell("", source) for _ in range(min(int(before.get(_W + "val")), 64)))
            for cell in _children_named(row, _W + "tc"):
                properties = cell.find(_W + "tcPr")
                span, merge = 1, None
                if properties is not None:
                    grid_span = properties.find(_W + "gridSpan")
                    if grid_span is not None and (grid_span.get(_W + "val") or "").isdigit():
                        span = max(1, min(int(grid_span.get(_W + "val")), 64))
                    v_merge = properties.find(_W + "vMerge")
                    if v_merge is not None:
                        merge = v_merge.get(_W + "val") or "continue"
                column = len(cells)
                text = " ".join(element_text(cell).split())
                if merge == "continue":
                    text = merged_above.get(column, text)
                elif merge == "restart":
                    merged_above[column] = text
                else:
                    merged_above.pop(column, None)
                cells.append(Cell(text, source))
                cells.extend(Cell("", source) for _ in range(span - 1))
            self.budget.spend(len(cells))
            rows.append(cells)
        table = build_table(rows)
        if table:
            self.blocks.append(table)


def _children_named(element, tag: str):
    """Direct children with this tag, looking through content controls, not into nested tables."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            yield from _children_named(child, tag)


def element_text(element) -> str:
    """The visible text of a paragraph or cell: runs, tabs, line breaks (as newlines) and
    equations; deleted revisions, struck-through runs and field codes left out."""
    parts: list[str] = []
    _walk(element, parts)
    return "".join(parts)


def _walk(element, parts: list[str]) -> None:
    tag = element.tag
    if not isinstance(tag, str) or tag in _SKIPPED:
        return
    if tag == _W + "r" and _struck(element):
        return  # struck-through text is what the student took back, as "~~…~~" in Markdown
    if tag in (_W + "t", _M + "t"):
        parts.append(element.text or "")
    elif tag == _W + "tab":
        parts.append("\t")
    elif tag in (_W + "br", _W + "cr"):
        parts.append("\n")
    elif tag == _W + "p" and parts and parts[-1] != "\n":
        parts.append(" ")  # paragraphs inside a cell
        _children(element, parts)
    elif tag == _MC + "AlternateContent":  # the same content twice: take the first choice only
        choice = element.find(_MC + "Choice")
        if choice is not None:
            _children(choice, parts)
    elif tag == _M + "sSup":
        _math(element, parts, ("e", "^(", "sup", ")"))
    elif tag == _M + "sSub":
        _math(element, parts, ("e", "_(", "sub", ")"))
    elif tag == _M + "f":
        _math(element, parts, ("(", "num", ")/(", "den", ")"))
    elif tag == _M + "rad":
        _math(element, parts, ("sqrt(", "e", ")"))
    elif tag == _M + "d":
        parts.append("(")
        _children(element, parts)
        parts.append(")")
    else:
        _children(element, parts)


def _struck(run) -> bool:
    """A run formatted struck through (single or double), not switched off ("w:val='0'")."""
    props = run.find(_W + "rPr")
    if props is None:
        return False
    for tag in ("strike", "dstrike"):
        mark = props.find(_W + tag)
        if mark is not None and mark.get(_W + "val", "true").lower() not in ("0", "false", "off"):
            return True
    return False


def _children(element, parts: list[str]) -> None:
    for child in element:
        _walk(child, parts)


def _math(element, parts: list[str], layout: tuple[str, ...]) -> None:
    """Spell out an equation structure: names are child elements (m:e, m:num, ...), others literal."""
    for item in layout:
        if item.isalpha():
            child = element.find(_M + item)
            if child is not None:
                _children(child, parts)
        else:
            parts.append(item)
