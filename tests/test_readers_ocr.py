"""Images and scanned PDFs: rows rebuilt from OCR boxes, the OCR's confidence on every cell, repaired
digits made unsure; and the clear messages without the ocr extra or for a file that is no image.

The OCR tests skip without the extra (`pip install -e ".[ocr]"`). Their images are drawn here with
Pillow's built-in font from texts written for these tests and from a bundled submission."""
from __future__ import annotations

import io
import math
from pathlib import Path

import pytest

from grader.core import Source, Table, TextLine, UnreadableError
from grader.readers import read
from grader.readers.layout import Box, deskew, layout_blocks
from grader.readers.ocr import REPAIRED_CONFIDENCE, ocr_available, repair_digits
from grader.readers.tables import CellBudget

SUBMISSIONS = Path(__file__).resolve().parents[1] / "submissions"
ROWS = [["Layer", "Units", "Weights", "Connections"], ["conv1", "290400", "34848", "105415200"],
        ["conv2", "186624", "307200", "223948800"], ["fc6", "4096", "37748736", "37748736"]]
needs_ocr = pytest.mark.skipif(not ocr_available(), reason='the ocr extra is not installed (pip install -e ".[ocr]")')


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def unreadable(path: Path) -> str:
    with pytest.raises(UnreadableError) as caught:
        read(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    return message


# ---------------------------------------------------------------- without the OCR


@pytest.mark.parametrize("text, repaired", [
    ("29O,4O0", "290,400"), ("105,4l5,200", "105,415,200"), ("37,748.736", "37,748,736"), ("1O24", "1024"),
])
def test_digits_read_as_letters_are_repaired_and_made_unsure(text, repaired):
    assert repair_digits(text, 0.98) == (repaired, REPAIRED_CONFIDENCE)


@pytest.mark.parametrize("text", ["Conv2", "FC6", "Layer", "3.14", "1,024.5", "l0 layers", "34,848", "O.5"])
def test_words_and_clean_numbers_are_left_alone(text):
    assert repair_digits(text, 0.98) == (text, 0.98)


def _boxes_at_an_angle(rows, degrees: float) -> list[Box]:
    """OCR-like boxes of a table photographed at an angle: each cell's corners rotated."""
    angle = math.radians(degrees)
    quads, found = [], []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if not text:
                continue
            x, y = 40 + 260 * c, 40 + 50 * r
            corners = [(x, y), (x + 20 * len(text), y), (x + 20 * len(text), y + 30), (x, y + 30)]
            quads.append([(px * math.cos(angle) - py * math.sin(angle), px * math.sin(angle) + py * math.cos(angle))
                          for px, py in corners])
            found.append((text, 0.9 + 0.01 * c))
    upright = deskew(quads)
    return [Box(text, *upright(quad), confidence=score) for quad, (text, score) in zip(quads, found)]


def test_a_table_photographed_at_an_angle_keeps_its_rows_columns_and_confidence():
    rows = [row[:] for row in ROWS]
    rows[2][2] = ""  # a cell left empty stays in its column
    (table,) = layout_blocks(_boxes_at_an_angle(rows, 4.0), lambda line: Source(line=line),
                             CellBudget(1000, "photo.jpg"), cell_gap=0.5)
    assert texts(table) == rows
    assert table.rows[1][3].source.ocr_confidence == pytest.approx(0.93)
    assert table.rows[2][2].source.ocr_confidence is None  # nothing was read there


def test_an_image_without_the_ocr_extra_names_the_extra(tmp_path, monkeypatch):
    image = pytest.importorskip("PIL.Image")
    import grader.readers.ocr

    monkeypatch.setattr(grader.readers.ocr, "ocr_available", lambda: False)
    path = tmp_path / "photo.png"
    image.new("RGB", (200, 100), "white").save(path)
    message = unreadable(path)
    assert "a PNG image, which needs OCR" in message and "ocr extra" in message


def test_the_bundled_photo_without_pillow_or_the_ocr_names_the_extra(monkeypatch):
    """As after the Quick start's `pip install -e .`: no Pillow, no RapidOCR, no onnxruntime."""
    import importlib.util
    import sys

    absent = ("PIL", "rapidocr", "onnxruntime")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *rest: None if name.split(".")[0] in absent
                        else real(name, *rest))
    for name in [*absent, "PIL.Image", "PIL.ImageOps"]:
        monkeypatch.setitem(sys.modules, name, None)  # an import of it fails, as it would
    message = unreadable(SUBMISSIONS / "noah_becker.jpg")
    assert message.endswith('noah_becker.jpg: a JPEG image, which needs OCR: install the ocr extra (pip install '
                            '"cnn-count-grader[ocr]", or -e ".[ocr]" in a checkout)')


def test_files_that_are_not_images(tmp_path):
    pytest.importorskip("PIL")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    assert "not a valid PNG image" in unreadable(broken)
    noise = tmp_path / "noise.jpg"
    noise.write_bytes(bytes(range(256)) * 16)
    assert "not a valid image" in unreadable(noise)
    heic = tmp_path / "IMG_0042.heic"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(200))
    assert "a HEIC photo, which is not supported; save it as JPEG or PNG" in unreadable(heic)


# ---------------------------------------------------------------- through the OCR


def draw(items, *, size: int = 30):
    """A white page of `items` top to bottom, in Pillow's built-in font: a string is a line of text,
    a list a table row, its cells in columns as wide as their widest cell."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=size)
    rows = [item for item in items if not isinstance(item, str)]
    columns = max((len(row) for row in rows), default=0)
    widths = [max(font.getlength(row[c]) for row in rows if c < len(row)) + 2 * size for c in range(columns)]
    pitch = int(size * 1.8)
    width = int(max([sum(widths)] + [font.getlength(item) for item in items if isinstance(item, str)]) + 4 * size)
    image = Image.new("RGB", (width, (len(items) + 2) * pitch), "white")
    pen = ImageDraw.Draw(image)
    for n, item in enumerate(items):
        y = size + n * pitch
        if isinstance(item, str):
            pen.text((2 * size, y), item, fill="black", font=font)
            continue
        x = 2 * size
        for c, text in enumerate(item):
            pen.text((x, y), text, fill="black", font=font)
            x += widths[c]
    return image


def photographed(image):
    """As a phone gives it: turned a little, blurred, saved as a poor JPEG."""
    from PIL import Image, ImageFilter

    turned = image.rotate(2.5, expand=True, fillcolor="white", resample=Image.BICUBIC)
    stream = io.BytesIO()
    turned.filter(ImageFilter.GaussianBlur(1.2)).save(stream, "JPEG", quality=55)
    return stream.getvalue()


@needs_ocr
def test_a_printed_table_in_an_image_is_a_table(tmp_path):
    path = tmp_path / "table.png"
    draw(["AlexNet counts"] + ROWS).save(path)
    document = read(path)
    assert document.format == "image"
    assert [line.text for line in document.blocks if isinstance(line, TextLine)] == ["AlexNet counts"]
    (table,) = [block for block in document.blocks if isinstance(block, Table)]
    assert texts(table) == ROWS
    assert all(0 < cell.source.ocr_confidence <= 1 for row in table.rows for cell in row)
    assert table.rows[1][2].source.line == 3


@needs_ocr
def test_a_photographed_table_keeps_its_rows_where_the_ocr_is_sure(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(photographed(draw(ROWS)))
    (table,) = [block for block in read(path).blocks if isinstance(block, Table)]
    assert len(table.rows) == len(ROWS) and all(len(row) == len(ROWS[0]) for row in table.rows)
    sure = [(r, c) for r, row in enumerate(table.rows) for c, cell in enumerate(row)
            if cell.source.ocr_confidence >= 0.9]
    assert len(sure) >= 12
    assert all(table.rows[r][c].text == ROWS[r][c] for r, c in sure)


@needs_ocr
def test_a_scanned_pdf_is_read_through_the_ocr_page_by_page(tmp_path):
    path = tmp_path / "scan.pdf"
    first, second = draw(ROWS), draw(["total 60965224"])
    first.save(path, save_all=True, append_images=[second], resolution=200)
    document = read(path)
    assert document.format == "pdf"
    (table,) = [block for block in document.blocks if isinstance(block, Table)]
    assert texts(table) == ROWS and table.rows[0][0].source.page == 1
    (line,) = [block for block in document.blocks if isinstance(block, TextLine)]
    assert (line.text, line.source.page) == ("total 60965224", 2)
    assert line.source.ocr_confidence is not None


@needs_ocr
def test_the_same_answers_are_read_from_an_image_of_a_submission_wherever_the_ocr_is_sure(tmp_path):
    from grader.extract import extract
    from grader.rubric import load_rubric

    networks = load_rubric("alexnet-paper").quantities
    original = read(SUBMISSIONS / "ben_okafor.txt")
    items = []
    for block in original.blocks:
        items += [[cell.text for cell in row] for row in block.rows] if isinstance(block, Table) else [block.text]
    path = tmp_path / "page.png"
    draw(items, size=26).save(path)
    expected = {(a.network, a.layer, a.quantity): a.value for a in extract(original, networks=networks)}
    read_back = [a for a in extract(read(path), networks=networks) if (a.source.ocr_confidence or 0) >= 0.9]
    assert len(read_back) >= 0.8 * len(expected)
    assert {(a.network, a.layer, a.quantity): a.value for a in read_back}.items() <= expected.items()


@needs_ocr
def test_a_table_pasted_as_a_picture_into_a_pdf_with_text_is_read_in_its_place(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    path = tmp_path / "screenshot.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 12)
    page.drawString(72, 760, "Question 1: my table")
    picture = draw(ROWS)
    width = 440
    height = width * picture.height / picture.width
    page.drawImage(ImageReader(picture), 72, 740 - height, width, height)
    page.drawString(72, 700 - height, "Question 2: fc layers hold most parameters")
    page.save()
    blocks = read(path).blocks
    assert [type(block).__name__ for block in blocks] == ["TextLine", "Table", "TextLine"]
    assert texts(blocks[1]) == ROWS
    assert blocks[1].rows[1][1].source.ocr_confidence is not None and blocks[0].source.ocr_confidence is None
    assert [block.source.line for block in blocks] == [1, 2, 6]


def _has_cjk_font() -> bool:
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=60).stdout
    return bool(listed.strip())


@needs_ocr
@pytest.mark.skipif(not _has_cjk_font(), reason="no Chinese font to draw the test page with")
def test_chinese_and_english_in_one_photographed_table(tmp_path):
    pytest.importorskip("reportlab")
    import pypdfium2
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page_path = tmp_path / "page.pdf"
    page = canvas.Canvas(str(page_path), pagesize=A4)
    page.setFont("STSong-Light", 14)
    page.drawString(72, 780, "作业：AlexNet 每层的神经元")
    rows = [["层 Layer", "神经元 Units", "权重 Weights"], ["卷积层1", "290,400", "34,848"], ["全连接层6", "4,096", "37,748,736"]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            page.drawString(72 + 150 * c, 740 - 30 * r, text)
    page.save()
    image = pypdfium2.PdfDocument(str(page_path))[0].render(scale=200 / 72).to_pil().convert("RGB")
    path = tmp_path / "photo.jpg"
    path.write_bytes(photographed(image.crop((0, 0, image.width, image.height // 4))))
    blocks = read(path).blocks
    assert blocks[0].text == "作业：AlexNet 每层的神经元"
    (table,) = [block for block in blocks if isinstance(block, Table)]
    assert texts(table) == rows


# Noah's photographed page (submissions/README.md): his table, typed here from what he printed.
NOAH = {"conv1": (290_400, 34_848, 105_415_200), "conv2": (186_624, 307_200, 223_948_800),
        "conv3": (64_896, 884_736, 149_520_384), "conv4": (64_896, 331_776, 56_070_144),
        "conv5": (43_264, 221_184, 37_380_096)}


@needs_ocr
def test_the_bundled_phone_photo_is_read_as_its_readme_says():
    from grader.extract import extract
    from grader.rubric import load_rubric

    document = read(SUBMISSIONS / "noah_becker.jpg")
    (table,) = [block for block in document.blocks if isinstance(block, Table)]
    assert [row[0].text for row in table.rows] == ["Layer", *NOAH] and all(len(row) == 4 for row in table.rows)
    expected = {(layer, quantity): value for layer, values in NOAH.items()
                for quantity, value in zip(("units", "weights", "connections"), values)}
    answers = extract(document, networks=load_rubric("alexnet-paper").quantities)
    sure = {(a.layer, a.quantity): a.value for a in answers if (a.source.ocr_confidence or 0) >= 0.9}
    assert len(sure) >= 12 and sure.items() <= expected.items()  # an unsure digit goes to review, never wrong
    assert {(a.layer, a.quantity) for a in answers} == set(expected)  # nothing read from the last line
