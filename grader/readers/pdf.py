"""PDF documents: the text layer page by page; through the OCR (the optional extra), a page that
holds only an image (a scan) or text in fonts that map to no letters, and, where the OCR is
installed, the pictures on a page with text (a table pasted as a screenshot), each in its place.

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

import ctypes
import math
import re
import unicodedata
from dataclasses import replace

from grader.core import Block, Document, Source, Table, UnreadableError, block_texts
from grader.readers.layout import Box, group_lines, layout_blocks
from grader.readers.limits import Limits
from grader.readers.ocr import OCR_CELL_GAP, ocr_available, ocr_boxes, require_ocr
from grader.readers.tables import CellBudget

# Scans are rendered at about 200 dpi for the OCR (a PDF unit is 1/72 inch).
_OCR_SCALE = 200 / 72
# A picture on a page with text is read by the OCR (where installed) when it covers this much of the
# page: a screenshot of a table, not a logo or an icon.
_PICTURE_SHARE = 0.05


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
                found = _page_blocks(page, number, path, limits, budget, pdfium_c)
            finally:
                page.close()
            characters += sum(len(text) for text in block_texts(found))
            if characters > limits.max_text_chars:
                raise UnreadableError(f"{path}: over the {limits.max_text_chars:,}-character limit")
            if blocks and found and _continued(blocks[-1], found[0]):
                blocks[-1] = _joined(blocks[-1], found.pop(0))
            blocks.extend(found)
    except pdfium.PdfiumError as err:
        raise UnreadableError(f"{path}: a damaged PDF ({err})") from None
    finally:
        pdf.close()
    return Document(path=path, format="pdf", blocks=tuple(blocks))


def _page_blocks(page, number: int, path: str, limits: Limits, budget: CellBudget, pdfium_c) -> list[Block]:
    """One page's blocks: its text layer; a page without one (a scan), or whose fonts do not say
    which letters they draw, through the OCR; and with the OCR installed, the pictures of a page
    with text too (a table pasted as a screenshot), each in its place from top to bottom."""
    boxes, unmapped = _characters(page, pdfium_c)
    where = f"{path}, page {number}"
    if unmapped > len(boxes) or not boxes:
        if unmapped > len(boxes):
            require_ocr(path, f"a PDF whose text on page {number} has no character map (its fonts do not say "
                              "which letters they draw)")
        elif not _pictures(page, pdfium_c, 0.0):
            return []  # a blank page
        else:
            require_ocr(path, f"a scanned PDF (page {number} is an image without text)")
        return layout_blocks(_scanned(page, where, limits), lambda line: Source(line=line, page=number), budget,
                             cell_gap=OCR_CELL_GAP)
    pictures = _pictures(page, pdfium_c, _PICTURE_SHARE) if ocr_available() else []
    blocks: list[Block] = []
    lines = 0
    width = page.get_width()
    for top, bottom, picture in pictures + [(math.inf, math.inf, None)]:
        above = [box for box in boxes if (box.y0 + box.y1) / 2 < top]
        boxes = [box for box in boxes if (box.y0 + box.y1) / 2 >= bottom]
        blocks += layout_blocks(above, lambda line, at=lines: Source(line=at + line, page=number), budget,
                                typeset=True, width=width)
        lines += len(group_lines(above))
        if picture is not None:
            found = _picture_boxes(page, picture, where, limits)
            blocks += layout_blocks(found, lambda line, at=lines: Source(line=at + line, page=number), budget,
                                    cell_gap=OCR_CELL_GAP)
            lines += len(group_lines(found))
    return blocks


def _characters(page, pdfium_c) -> tuple[list[Box], int]:
    """Every visible character of the page's text layer with its box, y measured down from the top,
    and how many characters there were that no font maps to a letter.

    A character after a space is marked with a leading space, and after a gap holding no space
    character (PDFium puts one there itself) half the font size wide or more with a tab,
    where the page's text has space characters of its own: a word processor writes its spaces but
    lays out a tab by position alone, however narrow the gap, so such a gap separates cells (LaTeX
    writes no spaces at all: there the gaps' widths alone decide)."""
    text_page = page.get_textpage()
    try:
        height = page.get_height()
        x, y = ctypes.c_double(), ctypes.c_double()
        found = []  # (char, box, what came before it: "", " " or "\t")
        before = ""
        unmapped = written = 0
        for index in range(text_page.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(text_page.raw, index)
            if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF or code == 0xFFFD:
                unmapped += code != 0
                continue
            char = chr(code)
            if char.isspace():
                if char in "\r\n":
                    before = before or " "
                elif pdfium_c.FPDFText_IsGenerated(text_page.raw, index) == 1:
                    before = before or "\t"
                else:
                    before, written = " ", written + 1
                continue
            if unicodedata.category(char) in ("Co", "Cn", "Cc"):
                unmapped += 1
                continue
            if abs(pdfium_c.FPDFText_GetCharAngle(text_page.raw, index)) > 0.01:
                continue  # a watermark runs at an angle: not part of what the student wrote
            left, bottom, right, top = text_page.get_charbox(index, loose=True)  # the advance: letters touch
            size = pdfium_c.FPDFText_GetFontSize(text_page.raw, index)
            if size > 0 and pdfium_c.FPDFText_GetCharOrigin(text_page.raw, index, x, y):
                # as high as the font is large, from its baseline: glyph boxes vary with the font
                # (a fallback font's "×" stands taller), the size does not
                top, bottom = y.value + 0.8 * size, y.value - 0.2 * size
            found.append((char, Box(char, left, height - top, right, height - bottom), before))
            before = ""
        tabs = written >= 3
        boxes = []
        for k, (char, box, before) in enumerate(found):
            if before == "\t" and not (tabs and k and box.x0 - found[k - 1][1].x1 >= 0.5 * box.height):
                before = " "  # or where it only meets a change of font, as between Chinese and Latin
            boxes.append(replace(box, text=before + char) if before else box)
        return boxes, unmapped
    finally:
        text_page.close()


def _pictures(page, pdfium_c, share: float) -> list[tuple[float, float, tuple]]:
    """The page's images covering more than `share` of it, top to bottom, as (top, bottom, (left,
    bottom, right, top) in PDF units)."""
    width, height = page.get_size()
    found = []
    for picture in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = picture.get_bounds()
        if (right - left) * (top - bottom) > share * width * height:
            found.append((height - top, height - bottom, (left, bottom, right, top)))
    return sorted(found)


def _picture_boxes(page, bounds: tuple, where: str, limits: Limits) -> list[Box]:
    """The OCR's boxes of one picture on the page, in page units (y down from the top)."""
    width, height = page.get_size()
    left, bottom, right, top = (max(0.0, bounds[0]), max(0.0, bounds[1]), min(width, bounds[2]), min(height, bounds[3]))
    scale = min(_OCR_SCALE, (limits.max_pixels / max((right - left) * (top - bottom), 1)) ** 0.5)
    image = page.render(scale=scale, crop=(left, bottom, width - right, height - top)).to_pil().convert("RGB")
    return [Box(box.text, left + box.x0 / scale, height - top + box.y0 / scale, left + box.x1 / scale,
                height - top + box.y1 / scale, box.confidence) for box in ocr_boxes(image, where)]


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
