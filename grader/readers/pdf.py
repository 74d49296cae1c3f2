"""PDF documents: the text layer page by page; a page that holds only an image (a scan) through OCR.

Library: pypdfium2 (PDFium; Apache-2.0 / BSD-3; one 9 MB wheel, no dependencies). Compared on
one-page Chinese+English tables made with reportlab (ruled and unruled, the STSong CJK font) and
fpdf2 (a ruled table):
- pypdfium2 5.15: every text right, CJK included, and every character's box; 1-4 ms a page. It also
  renders pages, which the OCR of a scanned page needs.
- pdfplumber 0.11: exact cells from the ruled tables, but the unruled table came back as lines with
  the cells one space apart, its columns lost; 9-46 ms a page; it needs pdfminer.six, cryptography,
  Pillow and pypdfium2 itself (about 43 MB installed).
So pypdfium2, with the cells rebuilt from the characters' boxes (grader.readers.layout): a gap
wider than the line is high separates cells, whether or not the table is ruled, and a photographed
table goes through the same rule. What that gives up: a cell wrapped over two lines reads as two
rows (joined again where the table rules see a continuation).

Source.page is the 1-based page, Source.line the line within the page, top to bottom. A line in a
font larger than the page's body text is a heading (Word's and Markdown's exports set them so), and
the lines of a paragraph wrapped at the right margin are one line again, and a table broken by a
page is one table (its cells keep their own pages).
"""
from __future__ import annotations

import re

from grader.core import Block, Document, Source, Table, UnreadableError
from grader.readers.layout import CELL_GAP, Box, layout_blocks
from grader.readers.limits import Limits
from grader.readers.ocr import OCR_CELL_GAP, ocr_boxes, require_ocr
from grader.readers.tables import CellBudget

# Scans are rendered at about 200 dpi for the OCR (a PDF unit is 1/72 inch).
_OCR_SCALE = 200 / 72


def read_pdf(data: bytes, *, path: str, limits: Limits) -> Document:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if getattr(err, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise UnreadableError(f"{path}: a password-protected PDF; hand in a copy without the password") from None
        reason = re.search(r"PDFium: ([^)]*)", str(err))
        raise UnreadableError(f"{path}: not a valid PDF ({reason.group(1).lower() if reason else err})") from None
    try:
        pages = len(pdf)
        if pages > limits.max_pages:
            raise UnreadableError(f"{path}: {pages:,} pages, over the {limits.max_pages:,}-page limit")
        budget = CellBudget(limits.max_cells, path)
        blocks: list[Block] = []
        characters = 0
        for number in range(1, pages + 1):
            page = pdf[number - 1]
            try:
                boxes = _characters(page, pdfium_c)
                characters += len(boxes)
                if characters > limits.max_text_chars:
                    raise UnreadableError(f"{path}: over the {limits.max_text_chars:,}-character limit")
                typeset = bool(boxes)
                if not typeset and _has_image(page, pdfium_c):
                    require_ocr(path, f"a scanned PDF (page {number} is an image without text)")
                    boxes = _scanned(page, f"{path}, page {number}", limits)
                found = layout_blocks(boxes, lambda line, page=number: Source(line=line, page=page), budget,
                                      cell_gap=CELL_GAP if typeset else OCR_CELL_GAP, typeset=typeset,
                                      width=page.get_width() if typeset else 0.0)
                if blocks and found and _continued(blocks[-1], found[0]):
                    blocks[-1] = _joined(blocks[-1], found.pop(0))
                blocks.extend(found)
            finally:
                page.close()
    except pdfium.PdfiumError as err:
        raise UnreadableError(f"{path}: a damaged PDF ({err})") from None
    finally:
        pdf.close()
    return Document(path=path, format="pdf", blocks=tuple(blocks))


def _characters(page, pdfium_c) -> list[Box]:
    """Every visible character of the page's text layer with its box, y measured down from the top."""
    text_page = page.get_textpage()
    try:
        height = page.get_height()
        boxes = []
        spaced = False
        for index in range(text_page.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(text_page.raw, index)
            if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                continue
            char = chr(code)
            if char.isspace():
                spaced = True
                continue
            if abs(pdfium_c.FPDFText_GetCharAngle(text_page.raw, index)) > 0.01:
                continue  # a watermark runs at an angle: not part of what the student wrote
            left, bottom, right, top = text_page.get_charbox(index, loose=True)  # the advance: letters touch
            boxes.append(Box(" " + char if spaced else char, left, height - top, right, height - bottom))
            spaced = False
        return boxes
    finally:
        text_page.close()


def _has_image(page, pdfium_c) -> bool:
    return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])), None) is not None


def _scanned(page, where: str, limits: Limits) -> list[Box]:
    width, height = page.get_size()
    scale = min(_OCR_SCALE, (limits.max_pixels / max(width * height, 1)) ** 0.5)
    image = page.render(scale=scale).to_pil().convert("RGB")
    return ocr_boxes(image, where)


def _width(table: Table) -> int:
    return max(len(row) for row in table.rows)


def _continued(above: Block, below: Block) -> bool:
    """A table that ends a page and one of as many columns that starts the next are one table
    broken by the page."""
    return isinstance(above, Table) and isinstance(below, Table) and _width(above) == _width(below)


def _joined(above: Table, below: Table) -> Table:
    rows = below.rows
    if above.has_header and [cell.text for cell in rows[0]] == [cell.text for cell in above.rows[0]]:
        rows = rows[1:]  # the header repeated at the top of the page
    return Table(above.rows + rows, above.source, above.has_header)
