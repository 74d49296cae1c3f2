"""Writes the binary sample submissions of submissions/ (xlsx, ipynb, docx, pdf, jpg): run it to regenerate
them, then review and commit the files. The text ones are written by hand. The mistakes each
file holds are listed in submissions/README.md; the figures are worked by hand from DESIGN.md's
definitions (AlexNet, input 227, two towers)."""
from __future__ import annotations

import io
import json
from pathlib import Path

SUBMISSIONS = Path(__file__).resolve().parent.parent / "submissions"


def emma_schulz() -> None:
    """Units as formulas (no cached values, as a script writes them); conv1's units are its weights
    (units-as-weights) and every conv layer's connections are its weights (connections-as-weights)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "HW2"
    sheet["A1"] = "Emma Schulz - AlexNet layer counts (no biases)"
    sheet.append([])
    sheet.append(["Layer", "Units", "Weights", "Connections"])
    rows = [
        ("Conv1", "=11*11*3*96", 34848, 34848),
        ("Conv2", "=27*27*256", 307200, 307200),
        ("Conv3", "=13*13*384", 884736, 884736),
        ("Conv4", "=13*13*384", 663552, 663552),
        ("Conv5", "=13*13*256", 442368, 442368),
        ("FC6", 4096, 37748736, 37748736),
        ("FC7", 4096, 16777216, 16777216),
        ("FC8", 1000, 4096000, 4096000),
    ]
    for row in rows:
        sheet.append(list(row))
    book.save(SUBMISSIONS / "emma_schulz.xlsx")


def farah_nasser() -> None:
    """Splits conv3 and fc6 over the two GPUs as well (tower-over-split)."""
    code = (
        "layers = [\n"
        "    # name, out_h, out_w, filters, k, in_channels_per_filter\n"
        "    ('conv1', 55, 55, 96, 11, 3),\n"
        "    ('conv2', 27, 27, 256, 5, 48),\n"
        "    ('conv3', 13, 13, 384, 3, 128),\n"
        "    ('conv4', 13, 13, 384, 3, 192),\n"
        "    ('conv5', 13, 13, 256, 3, 192),\n"
        "]\n"
        "print(f\"{'layer':<6} {'units':>10} {'weights':>12} {'connections':>14}\")\n"
        "for name, h, w, n, k, c in layers:\n"
        "    weights = k * k * c * n\n"
        "    print(f'{name:<6} {h * w * n:>10} {weights:>12} {weights * h * w:>14}')\n"
        "fc = [('fc6', 6 * 6 * 128, 4096), ('fc7', 4096, 4096), ('fc8', 4096, 1000)]\n"
        "for name, n_in, n_out in fc:\n"
        "    print(f'{name:<6} {n_out:>10} {n_in * n_out:>12} {n_in * n_out:>14}')\n"
    )
    output = (
        "layer       units      weights    connections\n"
        "conv1      290400        34848      105415200\n"
        "conv2      186624       307200      223948800\n"
        "conv3       64896       442368       74760192\n"
        "conv4       64896       663552      112140288\n"
        "conv5       43264       442368       74760192\n"
        "fc6          4096     18874368       18874368\n"
        "fc7          4096     16777216       16777216\n"
        "fc8          1000      4096000        4096000\n"
    )
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": [
                "# HW2: AlexNet units, weights and connections\n", "\n",
                "Farah Nasser. Input 227x227x3; AlexNet runs on two GPUs, so every layer's filters only see\n",
                "the half of the previous layer that lives on their GPU. Biases are not counted."]},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": code.splitlines(keepends=True),
             "outputs": [{"name": "stdout", "output_type": "stream", "text": output.splitlines(keepends=True)}]},
            {"cell_type": "markdown", "metadata": {}, "source": [
                "Connections of a conv layer = weights x output positions; of an FC layer = weights."]},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python", "version": "3.11.7"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    for i, cell in enumerate(notebook["cells"]):
        cell["id"] = f"cell-{i}"
    (SUBMISSIONS / "farah_nasser.ipynb").write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


def _gao_yu_document():
    import docx

    document = docx.Document()
    document.add_heading("AlexNet 参数计算（作业二）", level=1)
    document.add_paragraph("姓名：高宇    输入：227×227×3，双 GPU，不计偏置。")
    rows = [
        ("层", "神经元个数", "权重数", "连接数"),
        ("Conv1", "55×55×96 = 290400", "11×11×3×96 = 34848", "34848×55×55 = 105415200"),
        ("Conv2", "27×27×256 = 186624", "5×5×48×256 = 307200", "5×5×48×256×27×27 = 223948880"),
        ("Conv3", "13×13×384 = 64896", "3×3×256×384 = 884736", "884736×13×13 = 149520384"),
        ("Conv4", "13×13×384 = 64896", "663525", "663552×13×13 = 112140288"),
        ("Conv5", "13×13×256 = 43264", "3×3×192×256 = 442368", "442368×13×13 = 74760192"),
        ("FC6", "4096", "9216×4096 = 37748736", "37748736"),
        ("FC7", "4096", "4096×4096 = 16777216", "16777216"),
        ("FC8", "1000", "4096×1000 = 4096000", "4096000"),
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("问题二：减少全连接层的神经元个数可以大幅减少参数；增大步长可以减少连接数。")
    return document


def gao_yu() -> None:
    """conv2's connections: the working is right, the product is not (arithmetic-slip); conv4's
    weights: 663,552 copied as 663,525 (transcription-slip)."""
    _gao_yu_document().save(SUBMISSIONS / "gao_yu.docx")


def mateo_rossi() -> None:
    """An upload cut short: the first 2,000 bytes of a DOCX (a zip without its central directory)."""
    buffer = io.BytesIO()
    document = _gao_yu_document()
    document.paragraphs[1].text = "Mateo Rossi - input 227x227x3"
    document.save(buffer)
    (SUBMISSIONS / "mateo_rossi.docx").write_bytes(buffer.getvalue()[:2000])


def owen_clarke() -> None:
    """A PDF with a text layer, as a word processor exports one: ben_okafor.txt's text (the paper's
    224 input, carried through) under another name, one line a row in a fixed-width font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    lines = (SUBMISSIONS / "ben_okafor.txt").read_text(encoding="utf-8").replace("Ben Okafor", "Owen Clarke")
    page = canvas.Canvas(str(SUBMISSIONS / "owen_clarke.pdf"), pagesize=A4, invariant=1)  # the same bytes each run
    page.setFont("Courier", 9)
    y = A4[1] - 56
    for line in lines.splitlines():
        page.drawString(48, y, line)
        y -= 12
    page.save()


# Noah's page, as he printed it: conv1-conv3 right; conv4 and conv5 for one tower's filters only
# (3·3·192·192 = 331,776 and 3·3·192·128 = 221,184 weights, times 13·13 for the connections:
# 56,070,144 and 37,380,096); the FC layers were on a second page he never photographed.
NOAH_BECKER = [
    "Noah Becker - HW2 question 1",
    "AlexNet, input 227x227x3, two GPUs, biases not counted",
    ["Layer", "Neurons", "Weights", "Connections"],
    ["conv1", "290,400", "34,848", "105,415,200"],
    ["conv2", "186,624", "307,200", "223,948,800"],
    ["conv3", "64,896", "884,736", "149,520,384"],
    ["conv4", "64,896", "331,776", "56,070,144"],
    ["conv5", "43,264", "221,184", "37,380,096"],
    "The fully connected layers are on my next page.",
]


def noah_becker() -> None:
    """A printed page photographed by a phone: the page laid on a desk, seen a little from the side
    (a perspective), turned, lit unevenly, out of focus, with sensor noise, saved as a JPEG of
    quality 60. Pillow's own font, so the same Pillow draws the same page anywhere."""
    import numpy
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    size, pitch = 34, 64
    font = ImageFont.load_default(size=size)
    page = Image.new("RGB", (1500, 2 * size + pitch * len(NOAH_BECKER) + size), (250, 249, 244))
    pen = ImageDraw.Draw(page)
    columns = (80, 340, 640, 940)
    for n, item in enumerate(NOAH_BECKER):
        y = 2 * size + n * pitch
        for x, text in zip(columns, [item] if isinstance(item, str) else item):
            pen.text((x, y), text, fill=(28, 28, 36), font=font)
    # the desk around the page, the page seen from a little to the left and below
    desk = Image.new("RGB", (page.width + 240, page.height + 200), (96, 84, 70))
    desk.paste(page, (120, 100))
    width, height = desk.size
    # the desk's corners are taken from here (upper left, lower left, lower right, upper right)
    quad = (30, 0, 0, height, width, height - 30, width - 10, 40)
    photo = desk.transform(desk.size, Image.QUAD, quad, resample=Image.BICUBIC)
    photo = photo.rotate(-2.0, resample=Image.BICUBIC, fillcolor=(96, 84, 70))
    rng = numpy.random.default_rng(14)
    pixels = numpy.asarray(photo.filter(ImageFilter.GaussianBlur(1.4)), dtype=numpy.float32)
    light = numpy.linspace(1.0, 0.82, width)[None, :, None] * numpy.linspace(0.97, 1.0, height)[:, None, None]
    pixels = pixels * light + rng.normal(0, 7, pixels.shape)
    photo = Image.fromarray(numpy.clip(pixels, 0, 255).astype(numpy.uint8))
    photo.save(SUBMISSIONS / "noah_becker.jpg", "JPEG", quality=60)


if __name__ == "__main__":
    emma_schulz()
    farah_nasser()
    gao_yu()
    mateo_rossi()
    owen_clarke()
    noah_becker()
