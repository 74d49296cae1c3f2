"""CSV, XLSX, notebooks, DOCX, encodings, and choosing the format by content.

Fixtures: tests/data/readers/ (the binary ones written by make_binaries.py there). Expected
cells are worked out by hand from what the fixtures say (AlexNet figures as in DESIGN.md)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from grader.core import Source, Table, TextLine, UnreadableError
from grader.readers import FORMATS, read
from grader.readers.formula import FormulaError, evaluate

DATA = Path(__file__).parent / "data" / "readers"


def tables(document) -> list[Table]:
    return [block for block in document.blocks if isinstance(block, Table)]


def lines(document) -> list[TextLine]:
    return [block for block in document.blocks if isinstance(block, TextLine)]


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def test_registry_is_explicit_and_extensions_are_unique():
    extensions = [ext for fmt in FORMATS for ext in fmt.extensions]
    assert len(extensions) == len(set(extensions))
    assert {".md", ".txt", ".tex", ".csv", ".tsv", ".xlsx", ".xlsm", ".ipynb", ".docx"} <= set(extensions)


# ---------------------------------------------------------------- CSV


def test_excel_csv_with_bom_crlf_quotes_and_blank_row():
    document = read(DATA / "alexnet_excel.csv")
    assert document.format == "csv"
    (table,) = document.blocks
    assert texts(table) == [["Layer", "Units", "Weights", "Note"], ["conv1", "290400", "34,848", "11x11x3x96"],
                            ["conv2", "186624", "307200", "two towers"], ["fc6", "4096", "37748736"]]
    assert table.has_header
    assert table.rows[1][2].source == Source(line=2, cell="C2")
    assert table.rows[3][0].source == Source(line=5, cell="A5")  # as a spreadsheet shows it: row 4 is blank


def test_txt_that_is_really_csv_is_read_as_csv():
    document = read(DATA / "alexnet_semicolon.txt")
    assert document.format == "csv"
    assert texts(document.blocks[0])[3] == ["conv3", "64896", "884736"]


def test_txt_with_thousands_separators_is_not_csv(tmp_path):
    path = tmp_path / "answer.txt"
    path.write_text("conv1: 34,848\nconv2: 307,200\nconv3: 884,736\n")
    document = read(path)
    assert document.format == "markdown"
    assert [line.text for line in lines(document)] == ["conv1: 34,848", "conv2: 307,200", "conv3: 884,736"]


def test_a_title_row_above_the_header_is_a_line_not_the_header(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("Emma - AlexNet counts\nLayer,Units,Weights\nconv1,290400,34848\n", encoding="utf-8")
    document = read(path)
    assert [line.text for line in lines(document)] == ["Emma - AlexNet counts"]
    (table,) = tables(document)
    assert table.has_header
    assert texts(table) == [["Layer", "Units", "Weights"], ["conv1", "290400", "34848"]]


def test_title_id_and_remark_rows_above_the_header_are_lines(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("LeNet-5 homework,,\r\nStudent ID,4711,\r\nno biases counted,,\r\n,,\r\n"
                    "Layer,Params,Connections\r\nC1,150,117600\r\nTotal,150,117600\r\n", encoding="utf-8")
    document = read(path)
    assert [(line.text, line.source.cell) for line in lines(document)] == [
        ("LeNet-5 homework", "A1"), ("Student ID 4711", "A2"), ("no biases counted", "A3")]
    (table,) = tables(document)
    assert table.has_header
    assert texts(table) == [["Layer", "Params", "Connections"], ["C1", "150", "117600"], ["Total", "150", "117600"]]


@pytest.mark.parametrize("text, header", [
    # two labelled cells that reach less far right than the row below are not the header
    ("Name,Emma\nLayer,Units,Weights\nconv1,290400,34848\n", ["Layer", "Units", "Weights"]),
    # a two-column table's own header stays the header, and two-cell rows are its rows
    ("Layer,Weights\nconv1,34848\nconv2,307200\n", ["Layer", "Weights"]),
    ("conv1,34848\npool1,no weights\nconv2,307200\n", ["conv1", "34848"]),
    # no header at all: nothing above the first layer row is taken away
    ("conv1,290400,34848\nconv2,186624,307200\n", ["conv1", "290400", "34848"]),
])
def test_the_header_is_the_first_row_of_labels_as_wide_as_the_table(tmp_path, text, header):
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    assert texts(tables(read(path))[0])[0] == header


def test_tsv(tmp_path):
    path = tmp_path / "key.tsv"
    path.write_text("layer\tweights\nconv1\t34848\n")
    assert texts(read(path).blocks[0]) == [["layer", "weights"], ["conv1", "34848"]]


# ---------------------------------------------------------------- XLSX


def test_xlsx_cached_values_show_the_working_and_every_sheet_is_read():
    document = read(DATA / "alexnet_cached.xlsx")
    assert document.format == "xlsx"
    (key,) = tables(document)
    assert texts(key) == [["Layer", "Units", "Weights"],
                          ["conv1", "55*55*96 = 290400", "11*11*3*96 = 34848"],
                          ["conv2", "27*27*256 = 186624", "5*5*48*256 = 307200"],
                          # ROUNDUP is not evaluated here: the value Excel cached is what shows
                          ["fc8", "1000", "4096000"]]
    assert key.rows[2][2].source == Source(sheet="AlexNet", cell="C3")
    assert key.source == Source(sheet="AlexNet", cell="A1")
    # a sheet of one filled cell is a note, not a table
    assert TextLine("不计偏置", Source(sheet="说明", cell="B2")) in document.blocks


def test_xlsx_written_by_a_script_has_its_formulas_evaluated():
    _, params, after = tables(read(DATA / "alexnet_script.xlsx"))
    assert params.source == Source(sheet="Params", cell="B3")
    assert texts(params) == [
        ["Layer", "Output side", "Weights", "Connections"],
        ["conv1", "55", "34848", "105415200"],  # (227-11)/4+1; 11*11*3*96; 34848*55^2
        ["conv2", "27", "5*5*48*256 = 307200", "223948800"],  # 307200*27*27
        ["total", "", "342048", "=VLOOKUP(B6,B4:E5,4)"],  # SUM; an unsupported function stays as written
    ]
    assert texts(after) == [["ratio", "=D4/0"]]  # no value: as written; below a blank row, a block of its own


def test_xlsx_blank_row_ends_the_table_and_a_sentence_cell_is_a_line(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Counts"
    for row in (["Layer", "Units", "Weights"], ["conv1", "=55*55*96", 34848], ["fc8", 1000, "=4096*1000"]):
        sheet.append(row)
    sheet.append([])
    sheet.append(["Total", "=B2+B3", "=C2+C3"])  # set apart by a blank row, still the table's
    sheet.append([])
    sheet.append(["Weights are counted without the biases, as the assignment asks."])
    notes = book.create_sheet("Q2")
    notes["A1"] = "Q2"
    notes["A2"] = "Use global average pooling instead of the first two FC layers."
    path = tmp_path / "counts.xlsx"
    book.save(path)
    document = read(path)
    (table,) = tables(document)
    assert texts(table) == [["Layer", "Units", "Weights"], ["conv1", "55*55*96 = 290400", "34848"],
                            ["fc8", "1000", "4096*1000 = 4096000"], ["Total", "291400", "4130848"]]
    assert [block for block in document.blocks if isinstance(block, TextLine)] == [
        TextLine("Weights are counted without the biases, as the assignment asks.", Source(sheet="Counts", cell="A7")),
        TextLine("Q2", Source(sheet="Q2", cell="A1")),
        TextLine("Use global average pooling instead of the first two FC layers.", Source(sheet="Q2", cell="A2")),
    ]


def test_xlsx_sentence_under_a_table_without_a_blank_row_is_a_line(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["Layer", "Weights"], ["conv3", 884736], ["Remark: conv3 takes both towers' maps"]):
        sheet.append(row)
    path = tmp_path / "remark.xlsx"
    book.save(path)
    document = read(path)
    assert texts(document.blocks[0]) == [["Layer", "Weights"], ["conv3", "884736"]]
    assert document.blocks[1] == TextLine("Remark: conv3 takes both towers' maps", Source(sheet="Sheet", cell="A3"))


def test_formula_evaluator_by_hand():
    cells = {("S", "A1"): 11, ("S", "A2"): 3, ("My sheet", "B1"): 96, ("S", "A3"): "text"}
    def lookup(sheet, cell): return cells.get((sheet, cell))
    assert evaluate("=A1*A1*A2*'My sheet'!B1", sheet="S", lookup=lookup) == 34848
    assert evaluate("=(A1*A1+1)*A2", sheet="S", lookup=lookup) == 366
    assert evaluate("=SUM(A1:A3)+PRODUCT(A1,A2)", sheet="S", lookup=lookup) == 14 + 33
    assert evaluate("=2^10-1%*100", sheet="S", lookup=lookup) == 1023
    assert evaluate("=-A2^2", sheet="S", lookup=lookup) == 9  # a spreadsheet negates first
    assert evaluate("=ROUND(2/3,2)", sheet="S", lookup=lookup) == 0.67
    for bad in ("=9^9^9^9", "=A3*2", "=1/0", "=FOO(1)", "=" + "(" * 500 + "1" + ")" * 500, "=1+", "=__import__"):
        with pytest.raises(FormulaError):
            evaluate(bad, sheet="S", lookup=lookup)


# ---------------------------------------------------------------- notebooks


def test_notebook_markdown_cells_and_text_outputs():
    document = read(DATA / "alexnet.ipynb")
    assert document.format == "notebook"
    heading, zh_table, stream, frame, raw = document.blocks
    assert heading == TextLine("AlexNet 参数", Source(notebook_cell=0, line=1), heading=1)
    assert texts(zh_table) == [["层", "神经元数量", "参数"], ["conv1", "290400", "34944"], ["conv2", "186624", "614656"]]
    assert zh_table.rows[1][2].source == Source(notebook_cell=0, line=5, cell="r2c3")
    # code is not read (nn.Conv2d(3, 96, 11, 4) is no answer); what it printed is
    assert stream == TextLine("conv1 weights: 34848", Source(notebook_cell=1, line=1))
    # a pandas frame's text/plain (not its HTML twin), its index a column of its own
    assert texts(frame) == [["", "layer", "units", "weights"], ["0", "conv1", "290400", "34848"],
                            ["1", "conv2", "186624", "307200"], ["2", "fc6", "4096", "37748736"]]
    assert frame.source.notebook_cell == 2
    assert raw == TextLine("# a raw cell, not a heading", Source(notebook_cell=3, line=1))
    assert "99999" not in json.dumps([c.text for t in tables(document) for r in t.rows for c in r])


def test_notebook_json_with_a_markdown_extension_is_a_notebook(tmp_path):
    path = tmp_path / "answer.md"
    shutil.copy(DATA / "alexnet.ipynb", path)
    assert read(path).format == "notebook"


# ---------------------------------------------------------------- DOCX


def test_docx_paragraphs_tables_headings_and_equations_in_order():
    document = read(DATA / "alexnet.docx")
    assert document.format == "docx"
    kinds = [type(block).__name__ for block in document.blocks]
    assert kinds == ["TextLine", "TextLine", "Table", "TextLine", "TextLine", "Table"]
    title, note, table, equation, fc_heading, typed = document.blocks
    assert title == TextLine("AlexNet 参数计算", Source(paragraph=0), heading=1)
    assert note == TextLine("输入 227×227×3，不计偏置。", Source(paragraph=1))
    # the merged cell spans two columns: one text, then an empty (trimmed) cell
    assert texts(table) == [["层", "神经元数量", "权重"], ["conv1", "290400", "34848"],
                            ["conv2", "186624", "307200"], ["注", "两个 GPU"]]
    assert table.has_header
    assert table.rows[1][1].source == Source(paragraph=2, cell="r2c2")  # two paragraphs before it
    # Office Math: 11 with superscript 2 reads as 11^(2), not 112
    assert equation == TextLine("conv1 weights: 11^(2)×3×96=34848", Source(paragraph=2))
    assert fc_heading.heading == 2
    # tab-separated lines typed into paragraphs are a table too
    assert texts(typed) == [["Layer", "Units", "Weights"], ["fc6", "4096", "9216 × 4096 = 37748736"],
                            ["fc7", "4096", "4096 × 4096 = 16777216"]]
    assert typed.rows[2][0].source == Source(paragraph=6, cell="r3c1")


def test_docx_with_another_extension_is_read_by_its_parts(tmp_path):
    path = tmp_path / "answer.txt"
    shutil.copy(DATA / "alexnet.docx", path)
    assert read(path).format == "docx"
    workbook = tmp_path / "answer.docx"
    shutil.copy(DATA / "alexnet_cached.xlsx", workbook)
    assert read(workbook).format == "xlsx"


# ---------------------------------------------------------------- encodings


def test_gbk_chinese_markdown():
    document = read(DATA / "lenet5_zh_gbk.txt")
    assert document.encoding == "gb18030"
    assert lines(document)[:4] == [
        TextLine("LeNet-5 参数计算", Source(line=1), heading=1),
        TextLine("C1层-卷积层", Source(line=3), heading=3),
        TextLine("神经元数量：28×28×6 = 4704", Source(line=5)),
        TextLine("可训练参数：(5×5+1)×6 = 156", Source(line=7)),
    ]
    assert texts(tables(document)[0])[1] == ["C1", "4704", "156", "122304"]


def test_short_gb18030_text_that_charset_normalizer_passes_over_is_read(tmp_path):
    text = ("LeNet-5 参数（含偏置）\r\nC1：(5×5×1+1)×6 = 156\r\nC3：(5×5×6+1)×16 = 2416\r\n"
            "输出层：(84+1)×10 = 850\r\n合计：约 6.2 万\r\n")
    path = tmp_path / "lenet.txt"
    path.write_bytes(text.encode("gb18030"))
    document = read(path)
    assert document.encoding == "gb18030"
    assert lines(document)[1].text == "C1：(5×5×1+1)×6 = 156"


def test_random_high_bytes_are_not_taken_for_chinese(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 3)
    with pytest.raises(UnreadableError):
        read(path)


def test_short_gbk_text_is_read_as_chinese_not_korean(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("卷积层参数：11*11*3*96 = 34848".encode("gbk"))
    assert lines(read(path))[0].text == "卷积层参数：11*11*3*96 = 34848"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030"])
def test_encodings(tmp_path, encoding):
    path = tmp_path / "answer.md"
    path.write_bytes("# 参数\n\nconv1：34848\n".encode(encoding))
    document = read(path)
    assert [(line.text, line.source.line) for line in lines(document)] == [("参数", 1), ("conv1：34848", 3)]


def test_utf8_with_a_stray_byte_is_still_utf8(tmp_path):
    path = tmp_path / "answer.md"
    path.write_bytes("卷积层 conv1: 34848\n".encode("utf-8") * 50 + b"\xff\n")
    document = read(path)
    assert document.encoding == "utf-8"
    assert lines(document)[0].text == "卷积层 conv1: 34848"


def test_csv_with_excel_separator_hint(tmp_path):
    path = tmp_path / "key.csv"
    path.write_text("sep=;\nlayer;weights\nconv1;34,848\n")
    (table,) = read(path).blocks
    assert texts(table) == [["layer", "weights"], ["conv1", "34,848"]]
    assert table.rows[1][1].source == Source(line=3, cell="B2")


def test_docx_nested_table_is_read_once_inside_its_cell(tmp_path):
    import docx

    doc = docx.Document()
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(1, 0).text = "Layer", "Params", "conv1"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "weights 34848", "biases 96"
    path = tmp_path / "nested.docx"
    doc.save(path)
    (read_table,) = read(path).blocks
    assert texts(read_table) == [["Layer", "Params"], ["conv1", "weights 34848 biases 96"]]


def test_docx_struck_through_text_is_what_the_student_took_back(tmp_path):
    import docx

    doc = docx.Document()
    paragraph = doc.add_paragraph("conv2 weights ")
    paragraph.add_run("5 x 5 x 96 x 256 = 614,400").font.strike = True
    paragraph.add_run(" 5 x 5 x 48 x 256 = 307,200")
    kept = doc.add_paragraph()
    kept.add_run("fc8: 4,096,000").font.strike = False  # switched off: the text stays
    path = tmp_path / "struck.docx"
    doc.save(path)
    assert [" ".join(line.text.split()) for line in lines(read(path))] == [
        "conv2 weights 5 x 5 x 48 x 256 = 307,200", "fc8: 4,096,000"]
