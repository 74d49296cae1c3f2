"""Writes the binary submissions of this held-out set (the .docx and .xlsx files beside it).

Run from anywhere with the project's virtualenv: `.venv/bin/python tests/data/heldout3/make.py`.
The outputs are committed; this script is how they were made, kept so they can be read and remade.
The xlsx is written by openpyxl, which stores formulas without cached values: a reader must
evaluate them, as with a workbook saved by a tool that does not recalculate.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def prose_docx(path: Path) -> None:
    """k04: a Word document of prose; 'parameters' with biases where the weights were asked."""
    from docx import Document

    doc = Document()
    doc.add_heading("Homework 2 – Counting AlexNet", level=1)
    doc.add_paragraph("Name: Maria Gonzalez        Student ID: 20231187")
    doc.add_heading("Question 1", level=2)
    doc.add_paragraph(
        "I use an input of 227×227×3, because with 224×224×3 the first layer does not give a whole "
        "number of positions. For every layer I count the neurons of its output, its trainable "
        "parameters (the kernel weights plus one bias per kernel, since the bias is a weight too) "
        "and its connections (each neuron is connected to every input it sees plus its bias).")
    doc.add_paragraph(
        "Layer 1 (conv1). 96 kernels of size 11×11×3 with stride 4 give an output of 55×55×96, so "
        "there are 290,400 neurons. Each kernel has 11×11×3 = 363 weights plus one bias, so the "
        "layer has (363+1)×96 = 34,944 parameters. Every neuron is connected to 364 inputs, which "
        "gives 34,944 × 55 × 55 = 105,705,600 connections.")
    doc.add_paragraph(
        "Layer 2 (conv2). The kernels are split over the two GPUs and each kernel only sees the 48 "
        "maps of its own GPU. The output is 27×27×256 = 186,624 neurons. Parameters: "
        "(5×5×48+1)×256 = 307,456. Connections: 307,456 × 27 × 27 = 224,135,424.")
    doc.add_paragraph(
        "Layer 3 (conv3) is connected across both GPUs, so each kernel sees all 256 maps: "
        "3×3×256 = 2,304 inputs. It has 13×13×384 = 64,896 neurons, (2,304+1)×384 = 885,120 "
        "parameters and 885,120 × 169 = 149,585,280 connections.")
    doc.add_paragraph(
        "Layer 4 (conv4) again only sees its own GPU (192 maps): 64,896 neurons, "
        "(3×3×192+1)×384 = 663,936 parameters and 663,936 × 169 = 112,205,184 connections.")
    doc.add_paragraph(
        "Layer 5 (conv5): 13×13×256 = 43,264 neurons, (3×3×192+1)×256 = 442,624 parameters and "
        "442,624 × 169 = 74,803,456 connections.")
    doc.add_paragraph(
        "Layer 6 is fully connected to the 6×6×256 = 9,216 outputs of the last pooling layer: 4,096 "
        "neurons and (9,216+1)×4,096 = 37,752,832 parameters, and the same number of connections.")
    doc.add_paragraph(
        "Layer 7: 4,096 neurons, (4,096+1)×4,096 = 16,781,312 parameters and connections.")
    doc.add_paragraph(
        "Layer 8 (the output): 1,000 neurons, (4,096+1)×1,000 = 4,097,000 parameters and connections.")
    doc.add_paragraph(
        "In total the network has 659,272 neurons, 60,965,224 parameters (about 61 million, which "
        "matches the paper) and 725,066,088 connections.")
    doc.add_heading("Question 2", level=2)
    doc.add_paragraph(
        "Most parameters are in the fully connected layers (layer 6 alone has almost 38 million), "
        "so the number of parameters can be reduced by making the fully connected layers smaller or "
        "by replacing them with global average pooling. The connections are mostly in the "
        "convolutional layers; fewer filters, smaller kernels or a larger stride reduce them.")
    doc.save(path)


def formula_xlsx(path: Path) -> None:
    """k05: a worksheet computing everything with formulas (no cached values), merged headers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "AlexNet"
    ws["A1"] = "AlexNet (Krizhevsky et al. 2012), input 227x227x3, two GPUs"
    ws.merge_cells("A1:K1")
    ws["A1"].font = Font(bold=True)
    heads = ["Layer", "Kernel", "Stride", "Pad", "Input channels per kernel", "Filters / units",
             "Output size", None, "# Units", "# Weights", "# Connections"]
    for col, head in enumerate(heads, start=1):
        if head:
            ws.cell(row=2, column=col, value=head).font = Font(bold=True)
    ws.merge_cells("G2:H2")
    ws["G2"].alignment = Alignment(horizontal="center")
    ws["G3"], ws["H3"] = "H", "W"
    # rows 4..14: conv1 pool1 conv2 pool2 conv3 conv4 conv5 pool3 fc6 fc7 fc8
    rows = [
        ("conv1", 11, 4, 0, 3, 96, "=(227+2*D4-B4)/C4+1"),
        ("pool1", 3, 2, 0, None, 96, "=(G4-B5)/C5+1"),
        ("conv2", 5, 1, 2, 48, 256, "=(G5+2*D6-B6)/C6+1"),
        ("pool2", 3, 2, 0, None, 256, "=(G6-B7)/C7+1"),
        ("conv3", 3, 1, 1, 256, 384, "=(G7+2*D8-B8)/C8+1"),
        ("conv4", 3, 1, 1, 192, 384, "=(G8+2*D9-B9)/C9+1"),
        ("conv5", 3, 1, 1, 192, 256, "=(G9+2*D10-B10)/C10+1"),
        ("pool3", 3, 2, 0, None, 256, "=(G10-B11)/C11+1"),
    ]
    for r, (name, k, s, p, cin, f, out) in enumerate(rows, start=4):
        ws.cell(row=r, column=1, value=name)
        ws.cell(row=r, column=2, value=k)
        ws.cell(row=r, column=3, value=s)
        ws.cell(row=r, column=4, value=p)
        ws.cell(row=r, column=5, value=cin)
        ws.cell(row=r, column=6, value=f)
        ws.cell(row=r, column=7, value=out)
        ws.cell(row=r, column=8, value=f"=G{r}")
        if name.startswith("conv"):
            ws.cell(row=r, column=9, value=f"=G{r}*H{r}*F{r}")
            ws.cell(row=r, column=10, value=f"=B{r}*B{r}*E{r}*F{r}")
            ws.cell(row=r, column=11, value=f"=J{r}*G{r}*H{r}")
        else:
            ws.cell(row=r, column=10, value=0)
    fcs = [("fc6", "=G11*H11*F11", 4096), ("fc7", "=F12", 4096), ("fc8", "=F13", 1000)]
    for r, (name, cin, units) in enumerate(fcs, start=12):
        ws.cell(row=r, column=1, value=name)
        ws.cell(row=r, column=5, value=cin)
        ws.cell(row=r, column=6, value=units)
        ws.cell(row=r, column=7, value=1)
        ws.cell(row=r, column=8, value=1)
        ws.cell(row=r, column=9, value=f"=F{r}")
        ws.cell(row=r, column=10, value=f"=E{r}*F{r}")
        ws.cell(row=r, column=11, value=f"=J{r}")
    ws.cell(row=15, column=1, value="Total").font = Font(bold=True)
    for col in "IJK":
        ws[f"{col}15"] = f"=SUM({col}4:{col}14)"
    ws["A17"] = ("Weights without biases. conv2, conv4, conv5: each kernel sees only its own GPU's "
                 "half of the input maps (48, 192, 192). Connections = weights x output positions; "
                 "FC: connections = weights.")
    notes = wb.create_sheet("Q2")
    notes["A1"] = "Q2"
    notes["A2"] = ("Parameters: the FC layers hold ~96% of them, so use smaller FC layers or global "
                   "average pooling instead of fc6/fc7.")
    notes["A3"] = ("Connections: mostly in the conv layers, so use fewer filters, smaller kernels, "
                   "or a larger stride / earlier pooling.")
    wb.save(path)


def table_docx(path: Path) -> None:
    """k16: a Chinese Word document: LeNet-5 in prose, AlexNet in a table with a merged header."""
    from docx import Document

    doc = Document()
    doc.add_heading("深度学习 作业二：参数量计算（含偏置）", level=1)
    doc.add_paragraph("学号：2020114523    姓名：王磊")
    doc.add_heading("一、LeNet-5（输入 32×32×1）", level=2)
    doc.add_paragraph(
        "C1：6 个 5×5 卷积核，参数 (5×5×1+1)×6 = 156；C3：16 个 5×5×6 的卷积核（这里按全连接计算，"
        "不用原论文的连接表），参数 (5×5×6+1)×16 = 2416；C5/F5：(5×5×16+1)×120 = 48120；"
        "F6：(120+1)×84 = 10164；输出层：(84+1)×10 = 850。池化层没有参数。合计 61706。")
    doc.add_heading("二、AlexNet（论文版，输入 227×227×3，两块 GPU）", level=2)
    table = doc.add_table(rows=2, cols=4)
    table.style = "Table Grid"
    head, sub = table.rows[0].cells, table.rows[1].cells
    head[0].text = "层"
    head[1].text = "卷积核 / 输入输出"
    merged = head[2].merge(head[3])
    merged.text = "参数量（含偏置）"
    sub[2].text = "计算"
    sub[3].text = "结果"
    rows = [
        ("conv1", "96 个 11×11×3", "(11×11×3+1)×96", "34,944"),
        ("conv2", "256 个 5×5×48（分两组）", "(5×5×48+1)×256", "307,456"),
        ("conv3", "384 个 3×3×256", "(3×3×256+1)×384", "885,120"),
        ("conv4", "384 个 3×3×192（分两组）", "(3×3×192+1)×384", "663,936"),
        ("conv5", "256 个 3×3×192（分两组）", "(3×3×192+1)×256", "442,624"),
        ("fc6", "9216 → 4096", "9216×(4096+1)", "37,757,952"),
        ("fc7", "4096 → 4096", "4096×(4096+1)", "16,781,312"),
        ("fc8", "4096 → 1000", "4096×(1000+1)", "4,100,096"),
        ("合计", "", "", "60,973,440"),
    ]
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    doc.add_paragraph("全连接层：每个输出神经元有一个偏置，所以是 输入×(输出+1)。")
    doc.add_heading("三、VGG16 / VGG19", level=2)
    doc.add_paragraph("VGG16：138,357,544（约 1.38 亿）；VGG19：143,667,240（约 1.44 亿）。"
                      "大部分参数在第一个全连接层 fc6（7×7×512×4096 ≈ 1.03 亿）。")
    doc.save(path)


def main() -> None:
    prose_docx(HERE / "k04_word_prose_params_for_weights.docx")
    formula_xlsx(HERE / "k05_xlsx_formulas_alexnet.xlsx")
    table_docx(HERE / "k16_word_table_fc_bias_side_zh.docx")


if __name__ == "__main__":
    main()
