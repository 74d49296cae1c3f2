"""Writes the binary fixtures of tests/test_readers_formats.py (run from anywhere; the files are
committed, so tests do not depend on the writer libraries' versions):

- alexnet_cached.xlsx: as Excel saves it, formulas with cached values (patched into the XML,
  since openpyxl cannot compute them); one formula uses a function the evaluator lacks, so only
  its cached value can show.
- alexnet_script.xlsx: formulas and no cached values, as a student's script writes it.
- alexnet.docx: heading, paragraphs, a table with merged cells, an Office Math equation, and a
  tab-separated table typed into paragraphs.
- alexnet.ipynb: Markdown cells (Chinese table), code outputs (stream, a pandas frame, an error).
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def cached_workbook() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "AlexNet"
    # (formula, the value Excel would have cached), worked out by hand
    rows = [
        ("conv1", ("=55*55*96", 290400), ("=11*11*3*96", 34848)),
        ("conv2", ("=27*27*256", 186624), ("=5*5*48*256", 307200)),
        ("fc8", (1000, None), ("=ROUNDUP(4095999.5,0)", 4096000)),
    ]
    sheet.append(["Layer", "Units", "Weights"])
    cached = {}
    for r, (layer, units, weights) in enumerate(rows, start=2):
        sheet.cell(r, 1, layer)
        for c, (value, cache) in ((2, units), (3, weights)):
            sheet.cell(r, c, value)
            if cache is not None:
                cached[f"{'ABC'[c - 1]}{r}"] = cache
    notes = book.create_sheet("说明")
    notes["B2"] = "不计偏置"
    buffer = io.BytesIO()
    book.save(buffer)
    _rewrite(buffer.getvalue(), HERE / "alexnet_cached.xlsx", "xl/worksheets/sheet1.xml",
             lambda xml: re.sub(r'<c r="([A-Z]+\d+)"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?',
                                lambda m: f'<c r="{m[1]}"{m[2]}><f>{m[3]}</f><v>{cached[m[1]]}</v>', xml))


def script_workbook() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    inputs = book.active
    inputs.title = "Inputs"
    inputs.append(["input side", 227])
    inputs.append(["channels", 3])
    sheet = book.create_sheet("Params")
    sheet["B3"] = "Layer"
    sheet["C3"] = "Output side"
    sheet["D3"] = "Weights"
    sheet["E3"] = "Connections"
    sheet["B4"] = "conv1"
    sheet["C4"] = "=(Inputs!B1-11)/4+1"
    sheet["D4"] = "=11*11*Inputs!$B$2*96"
    sheet["E4"] = "=D4*C4^2"
    sheet["B5"] = "conv2"
    sheet["C5"] = 27
    sheet["D5"] = "=5*5*48*256"
    sheet["E5"] = "=D5*C5*C5"
    sheet["B6"] = "total"
    sheet["D6"] = "=SUM(D4:D5)"
    sheet["E6"] = "=VLOOKUP(B6,B4:E5,4)"
    sheet["B8"] = "ratio"
    sheet["C8"] = "=D4/0"
    book.save(HERE / "alexnet_script.xlsx")


def document() -> None:
    import docx
    from docx.oxml import parse_xml

    doc = docx.Document()
    doc.add_heading("AlexNet 参数计算", level=1)
    doc.add_paragraph("输入 227×227×3，不计偏置。")
    table = doc.add_table(rows=4, cols=3)
    for r, row in enumerate([["层", "神经元数量", "权重"], ["conv1", "290400", "34848"],
                             ["conv2", "186624", "307200"], ["注", "两个 GPU", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(3, 1).merge(table.cell(3, 2))
    equation = doc.add_paragraph("conv1 weights: ")
    math = ('<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
            '<m:sSup><m:e><m:r><m:t>11</m:t></m:r></m:e><m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup>'
            '<m:r><m:t>×3×96=34848</m:t></m:r></m:oMath>')
    equation._p.append(parse_xml(math))
    doc.add_heading("Fully connected", level=2)
    doc.add_paragraph("Layer\tUnits\tWeights")
    doc.add_paragraph("fc6\t4096\t9216 × 4096 = 37748736")
    doc.add_paragraph("fc7\t4096\t4096 × 4096 = 16777216")
    doc.save(HERE / "alexnet.docx")


def notebook() -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": [
            "# AlexNet 参数\n", "\n", "| 层 | 神经元数量 | 参数 |\n", "|---|---|---|\n",
            "| conv1 | 290400 | 34944 |\n", "| conv2 | 186624 | 614656 |\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 1,
         "source": ["import torch.nn as nn\n", "conv = nn.Conv2d(3, 96, 11, 4)\n", "print('conv1 weights:', 11*11*3*96)"],
         "outputs": [{"output_type": "stream", "name": "stdout", "text": ["conv1 weights: 34848\n"]}]},
        {"cell_type": "code", "metadata": {}, "execution_count": 2, "source": ["frame"],
         "outputs": [{"output_type": "execute_result", "execution_count": 2, "metadata": {},
                      "data": {"text/plain": ["   layer   units  weights\n", "0  conv1  290400    34848\n",
                                              "1  conv2  186624   307200\n", "2    fc6    4096  37748736"],
                               "text/html": ["<table><tr><td>not read twice</td></tr></table>"]}},
                     {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBORw0KGgo="}},
                     {"output_type": "error", "ename": "ValueError", "evalue": "bad",
                      "traceback": ["ValueError: 99999"]}]},
        {"cell_type": "raw", "metadata": {}, "source": "# a raw cell, not a heading"},
    ]
    book = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
    (HERE / "alexnet.ipynb").write_text(json.dumps(book, ensure_ascii=False, indent=1), encoding="utf-8")


def _rewrite(data: bytes, target: Path, member: str, change) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == member:
                content = change(content.decode("utf-8")).encode("utf-8")
            out.writestr(info, content)


if __name__ == "__main__":
    cached_workbook()
    script_workbook()
    document()
    notebook()
