"""Writes the held-out submissions of this folder that are not plain UTF-8 text: Word documents,
notebooks, an Excel CSV export (BOM, CRLF) and a Chinese text saved as GB18030.

    cd tests/data/heldout2 && ../../../.venv/bin/python make.py

The outputs are committed; their labels in expected/ were worked by hand, not from this script.
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


# --- s03: Word document, a table whose conv1 neurons come from the Figure 2 caption -------------
def caption_docx() -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("Homework 1 – Counting AlexNet", level=1)
    doc.add_paragraph("Name: Laura M.    Student number: 5121377")
    doc.add_paragraph(
        "Question 1. The numbers of neurons are taken from the caption of Figure 2 of the paper "
        "(253,440–186,624–64,896–64,896–43,264–4096–4096–1000). The weights and the connections I "
        "computed myself with input 227 × 227 × 3; conv2, conv4 and conv5 only see the half of the "
        "channels that is on their own GPU."
    )
    rows = [
        ("Layer", "Neurons", "Weights", "Connections"),
        ("Conv 1", "253,440", "34,848", "105,415,200"),
        ("Conv 2", "186,624", "307,200", "223,948,800"),
        ("Conv 3", "64,896", "884,736", "149,520,384"),
        ("Conv 4", "64,896", "663,552", "112,140,288"),
        ("Conv 5", "43,264", "442,368", "74,760,192"),
        ("FC 6", "4,096", "37,748,736", "37,748,736"),
        ("FC 7", "4,096", "16,777,216", "16,777,216"),
        ("FC 8", "1,000", "4,096,000", "4,096,000"),
        ("Total", "622,312", "60,954,656", "724,406,816"),
    ]
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = text
            if r == 0:
                cell.paragraphs[0].runs[0].bold = True
    doc.add_paragraph("")
    doc.add_paragraph(
        "Question 2. The fully connected layers have most of the parameters (FC 6 alone has 37.7 "
        "million), so making them smaller reduces the parameters. The connections are mostly in the "
        "convolutional layers: using fewer filters would reduce them."
    )
    doc.save(HERE / "s03_caption_table.docx")


# --- s11: Word document in prose, one heading per layer, one tower counted -----------------------
def prose_docx() -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("Deep Learning – Assignment 1", level=1)
    doc.add_paragraph(
        "The input is 227 × 227 × 3. The network is trained on two GPUs: conv2, conv4 and conv5 only "
        "take input from the GPU they are on, so for these layers I give the weights and connections "
        "of one GPU (the other GPU has the same number, they run in parallel)."
    )
    layers = [
        ("Layer 1 (convolution)",
         "Output 55 × 55 × 96, so there are 290,400 neurons. Weights: 11 × 11 × 3 × 96 = 34,848. "
         "Connections: 34,848 × 55 × 55 = 105,415,200."),
        ("Layer 2 (convolution)",
         "Output 27 × 27 × 256, so there are 186,624 neurons. Weights (one GPU): 5 × 5 × 48 × 128 = "
         "153,600. Connections: 153,600 × 27 × 27 = 111,974,400."),
        ("Layer 3 (convolution)",
         "Output 13 × 13 × 384, so there are 64,896 neurons. This layer is connected to both GPUs. "
         "Weights: 3 × 3 × 256 × 384 = 884,736. Connections: 884,736 × 13 × 13 = 149,520,384."),
        ("Layer 4 (convolution)",
         "Output 13 × 13 × 384, so there are 64,896 neurons. Weights (one GPU): 3 × 3 × 192 × 192 = "
         "331,776. Connections: 331,776 × 13 × 13 = 56,070,144."),
        ("Layer 5 (convolution)",
         "Output 13 × 13 × 256, so there are 43,264 neurons. Weights (one GPU): 3 × 3 × 192 × 128 = "
         "221,184. Connections: 221,184 × 13 × 13 = 37,380,096."),
        ("Layer 6 (fully connected)",
         "4,096 neurons. The input is the 6 × 6 × 256 output of the last pooling. Weights: 9,216 × "
         "4,096 = 37,748,736, and the connections are the same, 37,748,736."),
        ("Layer 7 (fully connected)",
         "4,096 neurons. Weights: 4,096 × 4,096 = 16,777,216, connections 16,777,216."),
        ("Layer 8 (fully connected)",
         "1,000 neurons (one per class). Weights: 4,096 × 1,000 = 4,096,000, connections 4,096,000."),
    ]
    for heading, text in layers:
        doc.add_heading(heading, level=2)
        doc.add_paragraph(text)
    doc.add_heading("Question 2", level=2)
    doc.add_paragraph(
        "To reduce the parameters, use smaller fully connected layers. To reduce the connections, "
        "use a larger stride in the first layers."
    )
    doc.save(HERE / "s11_prose_layers.docx")


# --- notebooks --------------------------------------------------------------------------------
def cell(kind: str, source: str, outputs: list | None = None, count: int | None = None) -> dict:
    lines = source.splitlines(keepends=True)
    if kind == "markdown":
        return {"cell_type": "markdown", "metadata": {}, "source": lines}
    return {"cell_type": "code", "execution_count": count, "metadata": {}, "outputs": outputs or [],
            "source": lines}


def notebook(cells: list[dict]) -> dict:
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.10.12"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_notebook(name: str, cells: list[dict]) -> None:
    (HERE / name).write_text(json.dumps(notebook(cells), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


ALEXNET_CODE = '''import pandas as pd

# name, kernel, input channels, filters, output size
layers = [
    ("conv1", 11, 3, 96, 55),
    ("conv2", 5, 96, 256, 27),
    ("conv3", 3, 256, 384, 13),
    ("conv4", 3, 384, 384, 13),
    ("conv5", 3, 384, 256, 13),
]
rows = []
for name, k, cin, cout, out in layers:
    w = k * k * cin * cout + cout   # the bias is a weight too
    rows.append((name, out * out * cout, w, w * out * out))
for name, nin, nout in [("fc6", 9216, 4096), ("fc7", 4096, 4096), ("fc8", 4096, 1000)]:
    w = nin * nout + nout
    rows.append((name, nout, w, w))
df = pd.DataFrame(rows, columns=["layer", "units", "weights", "connections"])
df.loc[len(df)] = ["total", df.units.sum(), df.weights.sum(), df.connections.sum()]
df'''

# What Jupyter saved under the cell (pandas 2.x display of the frame above).
ALEXNET_ROWS = [
    ("conv1", 290400, 34944, 105705600),
    ("conv2", 186624, 614656, 448084224),
    ("conv3", 64896, 885120, 149585280),
    ("conv4", 64896, 1327488, 224345472),
    ("conv5", 43264, 884992, 149563648),
    ("fc6", 4096, 37752832, 37752832),
    ("fc7", 4096, 16781312, 16781312),
    ("fc8", 1000, 4097000, 4097000),
    ("total", 659272, 62378344, 1135915368),
]
ALEXNET_COLUMNS = ("layer", "units", "weights", "connections")


def frame_plain(columns: tuple[str, ...], rows: list[tuple]) -> str:
    index = [str(i) for i in range(len(rows))]
    table = [[str(v) for v in row] for row in rows]
    widths = [max(len(columns[c]), *(len(r[c]) for r in table)) for c in range(len(columns))]
    iw = max(len(i) for i in index)
    lines = [" " * iw + "".join("  " + columns[c].rjust(widths[c]) for c in range(len(columns)))]
    for i, r in zip(index, table):
        lines.append(i.ljust(iw) + "".join("  " + r[c].rjust(widths[c]) for c in range(len(columns))))
    return "\n".join(lines)


def frame_html(columns: tuple[str, ...], rows: list[tuple]) -> str:
    out = ['<div>', '<table border="1" class="dataframe">', "  <thead>", '    <tr style="text-align: right;">',
           "      <th></th>"]
    out += [f"      <th>{c}</th>" for c in columns]
    out += ["    </tr>", "  </thead>", "  <tbody>"]
    for i, row in enumerate(rows):
        out += ["    <tr>", f"      <th>{i}</th>"] + [f"      <td>{v}</td>" for v in row] + ["    </tr>"]
    out += ["  </tbody>", "</table>", "</div>"]
    return "\n".join(out)


def alexnet_notebook() -> None:
    plain = frame_plain(ALEXNET_COLUMNS, ALEXNET_ROWS)
    html = frame_html(ALEXNET_COLUMNS, ALEXNET_ROWS)
    display = {"output_type": "execute_result", "execution_count": 3, "metadata": {},
               "data": {"text/html": html.splitlines(keepends=True),
                        "text/plain": plain.splitlines(keepends=True)}}
    write_notebook("s04_pandas_frame.ipynb", [
        cell("markdown", "# HW2 – AlexNet\n\n## Q1: units, weights and connections per layer\n\n"
                         "Input 227x227x3. I count the bias of every filter as one more weight, because it "
                         "is trained like the others. Connections = weights × output positions."),
        cell("code", "import numpy as np", count=1),
        cell("code", ALEXNET_CODE, [display], count=3),
        cell("markdown", "## Q2\n\nThe FC layers (fc6, fc7) have most of the parameters → make them smaller. "
                         "Most connections are in conv2–conv5 → fewer filters."),
    ])


VGG_CODE = '''cfg = {
    "vgg16": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "vgg19": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}

def count_params(name, bias=True):
    b = 1 if bias else 0
    cin, block, i, total = 3, 1, 1, 0
    print(name.upper())
    for v in cfg[name]:
        if v == "M":
            block, i = block + 1, 1
            continue
        p = 3 * 3 * cin * v + b * v
        print(f"{'block%d_conv%d' % (block, i):<15}{p:>14,}")
        total += p
        cin, i = v, i + 1
    for fc, (n_in, n_out) in zip(["fc1", "fc2", "predictions"], [(7 * 7 * 512, 4096), (4096, 4096), (4096, 1000)]):
        p = n_in * n_out + b * n_out
        print(f"{fc:<15}{p:>14,}")
        total += p
    print(f"{'total':<15}{total:>14,}")'''


def run_and_capture(code: str, call: str) -> str:
    import contextlib
    import io

    scope: dict = {}
    exec(code, scope)  # the student's own counting code, to save its printed output as Jupyter did
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(call, scope)
    return buffer.getvalue()


def vgg_notebook() -> None:
    calls = ['count_params("vgg16")', 'count_params("vgg19", bias=False)']
    cells = [
        cell("markdown", "# Homework 3, questions 3 and 4: VGG16 and VGG19\n\n"
                         "Parameters of every layer, biases included. All convolutions are 3x3 with padding 1; "
                         "after the last pooling the map is 7x7x512."),
        cell("code", VGG_CODE, count=1),
    ]
    for n, call in enumerate(calls, start=2):
        text = run_and_capture(VGG_CODE, call)
        cells.append(cell("code", call, [{"name": "stdout", "output_type": "stream",
                                          "text": text.splitlines(keepends=True)}], count=n))
    write_notebook("s14_vgg_loop.ipynb", cells)


# --- s10: CSV saved by Excel (UTF-8 with BOM, CRLF, thousands in quotes) ------------------------
def excel_csv() -> None:
    rows = [
        "Layer,Type,Output size,Neurons,Weights,Connections (incl. bias)",
        'C1,conv 11x11 stride 4,55x55x96,"290,400","34,848","105,705,600"',
        'C2,conv 5x5 (2 GPUs),27x27x256,"186,624","307,200","224,135,424"',
        'C3,conv 3x3,13x13x384,"64,896","884,736","149,585,280"',
        'C4,conv 3x3 (2 GPUs),13x13x384,"64,896","663,552","112,205,184"',
        'C5,conv 3x3 (2 GPUs),13x13x256,"43,264","442,368","74,803,456"',
        'F6,fully connected,4096,"4,096","37,748,736","37,752,832"',
        'F7,fully connected,4096,"4,096","16,777,216","16,781,312"',
        'F8,fully connected,1000,"1,000","4,096,000","4,097,000"',
        'Total,,,"659,272","60,954,656","725,066,088"',
        ",,,,,",
        "Q2 (parameters),Make the fully connected layers smaller (F6 has 37.7M weights),,,,",
        "Q2 (connections),Use fewer filters in the conv layers,,,,",
    ]
    (HERE / "s10_excel_export.csv").write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))


# --- s13: Chinese notes saved by Notepad as GB18030 ---------------------------------------------
ZH_PARAMS = """第二章作业  参数量计算（含偏置）

一、LeNet-5（输入 32×32×1）
C1 卷积层：(5×5×1+1)×6 = 156
S2 池化层：无参数
C3 卷积层：(5×5×6+1)×16 = 2416
S4 池化层：无参数
C5 全连接层：(16×5×5+1)×120 = 48120
F6 全连接层：(120+1)×84 = 10164
输出层：(84+1)×10 = 850
合计：61706

二、AlexNet（输入 224×224×3）
conv1：(11×11×3+1)×96 = 34944
conv2：(5×5×48+1)×256 = 307456（两块GPU，每块 48 个通道）
conv3：(3×3×256+1)×384 = 885120
conv4：(3×3×192+1)×384 = 663936
conv5：(3×3×192+1)×256 = 442624
最后一个池化层输出 5×5×256，（12-3)/2+1=5
fc6：(5×5×256+1)×4096 = 26218496
fc7：(4096+1)×4096 = 16781312
fc8：(4096+1)×1000 = 4097000
合计：49430888，约 0.49 亿

三、VGG16 总参数约 1.38亿，VGG19 约 1.44亿（全部是 3×3 卷积，参数主要在第一个全连接层）。
"""


def gbk_text() -> None:
    (HERE / "s13_zh_params_gbk.txt").write_bytes(ZH_PARAMS.replace("\n", "\r\n").encode("gb18030"))


if __name__ == "__main__":
    caption_docx()
    prose_docx()
    alexnet_notebook()
    vgg_notebook()
    excel_csv()
    gbk_text()
