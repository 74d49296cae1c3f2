"""The Markdown / text reader: tables of every kind, split rows, prose, math, code, markup.

Expected cells are written out by hand from the inputs (AlexNet figures as in DESIGN.md)."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.core import Source, Table, TextLine
from grader.readers import read

DATA = Path(__file__).parent / "data" / "readers"


def write(tmp_path: Path, text: str, name: str = "answer.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def tables(document) -> list[Table]:
    return [block for block in document.blocks if isinstance(block, Table)]


def lines(document) -> list[TextLine]:
    return [block for block in document.blocks if isinstance(block, TextLine)]


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


# ---------------------------------------------------------------- pipe tables


def test_pipe_table_fixture_cells_sources_and_markup():
    document = read(DATA / "alexnet_pipe.md")
    assert document.format == "markdown"
    first, second = tables(document)
    assert texts(first) == [
        ["Layer", "Units", "Weights"],
        ["conv1", "55 x 55 x 96 = 290,400", "11 x 11 x 3 x 96 = 34,848"],
        ["conv2", "27 x 27 x 256 = 186,624", "5 x 5 x 48 x 256 = 307,200"],
        # most rows have no leading pipe, so "|fc6|..." starts with an empty cell
        ["", "fc6", "see below"],
    ]
    assert first.has_header
    assert first.source == Source(line=13)
    assert first.rows[1][2].source == Source(line=15, cell="r2c3")
    # escaped pipe inside a cell, entity unescaped, alignment colons in the separator
    assert texts(second) == [
        ["Layer", "Weights", "Note"],
        ["fc6", "9216 x 4096 = 37,748,736", "a | b"],
        ["fc7", "4096 x 4096 = 16,777,216", "> 16M"],
    ]


def test_markdown_prose_headings_lists_comments_front_matter():
    document = read(DATA / "alexnet_pipe.md")
    prose = lines(document)
    # front matter skipped, the HTML comment (and its number 99999) gone, line numbers kept
    assert prose[0] == TextLine("AlexNet: units and weights", Source(line=6), heading=1)
    assert prose[1] == TextLine("Input is 227 × 227 × 3 (not 224), see Figure 2 and the paper.", Source(line=11))
    assert not any("99999" in line.text or "Homework 3" in line.text for line in prose)
    assert TextLine("Totals", Source(line=24), heading=1) in prose  # setext heading
    assert TextLine("conv layers: 2,334,944 weights", Source(line=27)) in prose  # "- " dropped
    assert TextLine("fc layers: 58,621,952 weights", Source(line=28)) in prose  # "* " dropped


def test_display_math_block_is_one_line_per_equation_and_code_fences_are_kept_as_text():
    prose = lines(read(DATA / "alexnet_pipe.md"))
    # $$ lines dropped, \begin{aligned} dropped, "&=" row joined to the row above, "&" removed
    assert TextLine(r"\text{fc8} = 4096 \times 1000 = 4096000", Source(line=32)) in prose
    assert TextLine("conv3: 3 x 3 x 256 x 384 = 884736", Source(line=38)) in prose
    assert TextLine("# not a heading", Source(line=39)) in prose  # inside a fence: not a heading


def test_aligned_rows_keep_equations_joined_by_ampersand_apart(tmp_path):
    # Two layers' equations on one aligned row, one row spread over two lines, an array without
    # relations (its cells stay one line), a row finishing the equation above.
    text = (
        "$$\n"
        "\\begin{aligned}\n"
        "U_1 &= 55 \\times 55 \\times 96 = 290{,}400 & U_6 &= 4096, & P_6 &= 9216 \\times 4096 \\\\\n"
        "V_2 &= 5 \\times 5 \\times 48 \\times 256 &\n"
        "V_3 &= 884{,}736 \\\\\n"
        "&= 37{,}748{,}736 \\\\\n"
        "\\begin{array}{cc} 4096 & 1000 \\end{array}\n"
        "\\end{aligned}\n"
        "$$\n"
    )
    assert [(line.text, line.source.line) for line in lines(read(write(tmp_path, text)))] == [
        ("U_1 = 55 \\times 55 \\times 96 = 290{,}400", 3),
        ("U_6 = 4096,", 3),
        ("P_6 = 9216 \\times 4096", 3),
        ("V_2 = 5 \\times 5 \\times 48 \\times 256", 4),
        ("V_3 = 884{,}736 = 37{,}748{,}736", 5),
        ("4096 1000", 7),
    ]


def test_bare_align_environment_is_a_math_block(tmp_path):
    text = ("\\section{FC}\n\\begin{align*}\n"
            "W_7 &= 4096 \\times 4096 = 16{,}777{,}216 & W_8 &= 4096 \\times 1000\n"
            "\\end{align*}\n")
    assert [(line.text, line.source.line) for line in lines(read(write(tmp_path, text, "answer.tex")))] == [
        ("FC", 1), ("W_7 = 4096 \\times 4096 = 16{,}777{,}216", 3), ("W_8 = 4096 \\times 1000", 3),
    ]


@pytest.mark.parametrize("separator", ["---|---|---", "- | - | -", "|:--|:-:|--:|", "| --- | --- | --- |"])
def test_pipe_table_separator_styles(tmp_path, separator):
    document = read(write(tmp_path, f"Layer | Units | Weights\n{separator}\nfc7 | 4096 | 16777216\n"))
    (table,) = tables(document)
    assert texts(table) == [["Layer", "Units", "Weights"], ["fc7", "4096", "16777216"]]
    assert table.has_header


def test_pipe_table_without_separator_needs_two_rows(tmp_path):
    document = read(write(tmp_path, "Conv 1 | 224 × 224 | 14,208 |\nConv 2 | 55 × 55 | 614,656 |\n"))
    assert texts(tables(document)[0]) == [["Conv 1", "224 × 224", "14,208"], ["Conv 2", "55 × 55", "614,656"]]
    single = read(write(tmp_path, "P(A|B) is a probability.\n", "single.md"))
    assert tables(single) == [] and lines(single)[0].text == "P(A|B) is a probability."


def test_box_drawn_keras_summary_is_a_table(tmp_path):
    text = (
        "┏━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┓\n"
        "┃ Layer (type)     ┃ Output Shape       ┃    Param # ┃\n"
        "┡━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━┩\n"
        "│ conv2d (Conv2D)  │ (None, 55, 55, 96) │     34,944 │\n"
        "│ dense (Dense)    │ (None, 4096)       │ 37,752,832 │\n"
        "└──────────────────┴────────────────────┴────────────┘\n"
    )
    (table,) = tables(read(write(tmp_path, text)))
    assert texts(table) == [["Layer (type)", "Output Shape", "Param #"],
                            ["conv2d (Conv2D)", "(None, 55, 55, 96)", "34,944"],
                            ["dense (Dense)", "(None, 4096)", "37,752,832"]]
    assert table.has_header


# ---------------------------------------------------------------- tab-separated and split rows


def test_tab_table_rows_split_over_two_lines_are_joined():
    document = read(DATA / "alexnet_key_utf16.txt")
    assert document.encoding == "utf-16-le"
    (table,) = tables(document)
    assert texts(table) == [
        ["Layer", "Units", "Weights", "Connections"],
        ["Convolution layer 2", "27 × 27 × 256 = 186624", "5 × 5 × 48 × 256 = 307200",
         "307200 × 27 × 27 = 223948800"],
        ["Pooling", "13 × 13 × 256", "0", "0"],  # the next row is a layer of its own
        ["Fully connected layer 1", "4096", "9216 × 4096 = 37748736", "37748736"],  # "9216 ×" went on
        ["Fully connected layer 2", "4096", "4096 × 4096 = 16777216", "16777216"],
    ]
    assert table.rows[1][1].source == Source(line=2, cell="r2c2")  # the first of the two lines
    assert table.rows[3][0].source.line == 5


def test_row_with_its_own_label_is_not_joined_even_after_a_dangling_equals(tmp_path):
    # "Pool-1 ... $=$" ends with "=", but "Conv-2" is a layer of its own
    text = "\tIn\tout\tParams\nPool-1\t6\t10\t$=$\nConv-2\t6\t16\t$= 5 \\times 5 \\times 16 + 16 = 2416$\n"
    (table,) = tables(read(write(tmp_path, text, "lenet.txt")))
    assert [row[0].text for row in table.rows] == ["", "Pool-1", "Conv-2"]


def test_continuation_with_empty_label_cell_in_a_pipe_table(tmp_path):
    text = "| Layer | Weights |\n|---|---|\n| conv1 | 11 × 11 × 3 × 96 |\n|  | = 34848 |\n| conv2 | 307200 |\n"
    (table,) = tables(read(write(tmp_path, text)))
    assert texts(table) == [["Layer", "Weights"], ["conv1", "11 × 11 × 3 × 96 = 34848"], ["conv2", "307200"]]


def test_empty_label_without_continuation_content_stays_a_row(tmp_path):
    text = "| Layer | Weights |\n|---|---|\n| conv2 | 153600 |\n|  | 153600 |\n"
    (table,) = tables(read(write(tmp_path, text)))
    assert texts(table) == [["Layer", "Weights"], ["conv2", "153600"], ["", "153600"]]


def test_bare_label_and_layer_number_repeated_join_without_operators(tmp_path):
    text = ("Layer\tUnits\tWeights\nConvolution\t290400\t34848\nLayer 1\t\t\n"
            "Convolution\t186624\t307200\nLayer 2\t\t\nInput\t154587\t0\nLayer 3\t1\t1\n")
    (table,) = tables(read(write(tmp_path, text, "key.txt")))
    assert [row[0].text for row in table.rows] == ["Layer", "Convolution Layer 1", "Convolution Layer 2",
                                                   "Input", "Layer 3"]


def test_tab_rows_a_blank_line_apart_stay_one_table(tmp_path):
    text = "Layer\tUnits\tWeights\n\nconv1\t290400\t34848\n\nconv2\t186624\t307200\n\nDone.\n"
    document = read(write(tmp_path, text, "word_paste.txt"))
    (table,) = tables(document)
    assert [row[0].source.line for row in table.rows] == [1, 3, 5]
    assert lines(document)[-1].text == "Done."


# ---------------------------------------------------------------- space-aligned tables


def test_space_aligned_tables_english_and_chinese():
    document = read(DATA / "space_aligned.txt")
    first, second = tables(document)
    assert texts(first) == [["Layer", "Output", "Params", "Connections"], ["C1", "28x28x6", "156", "122304"],
                            ["S2", "14x14x6", "12", "5880"], ["C3", "10x10x16", "1516", "151600"]]
    assert first.has_header
    assert texts(second) == [["层名", "输出尺寸", "参数"], ["卷积层1", "55x55x96", "34944"],
                             ["卷积层2", "27x27x256", "614656"]]
    # two prose lines with double spaces are not a table: their gaps do not line up
    assert [line.text for line in lines(document)][-2:] == ["Two lines of prose.  Each has a double space.",
                                                            "Not a table,  even so."]


def test_indented_working_with_spaced_words_is_prose_not_a_table(tmp_path):
    # Handwriting read by OCR: a layer name, then its working indented under it. The lines have
    # double spaces, but the spaced words fall into no common columns: one-cell rows are no table.
    text = (
        "I count each connection as a multiply and an add   => x2\n"
        "(so the connections are doubled)\n"
        "\n"
        "conv1   units = 55.55.96 = 290400\n"
        "        wts   = 11.11.3.96 = 34848\n"
        "        conn  = 2 x 34848 x 55 x 55 = 210 830 400\n"
        "\n"
        "conv2   units = 27.27.256 = 186624\n"
        "        wts = 5.5.48.256 = 307200\n"
        "\n"
        "fc7     units 4096      wts = 4096 x 4096       conn = 33554432\n"
        "fc8     units 1000      wts = 4096 x 1000       conn = 8192000\n"
    )
    document = read(write(tmp_path, text, "scan.txt"))
    (table,) = tables(document)
    assert texts(table) == [["fc7", "units 4096", "wts = 4096 x 4096", "conn = 33554432"],
                            ["fc8", "units 1000", "wts = 4096 x 1000", "conn = 8192000"]]
    assert [(line.text, line.source.line) for line in lines(document)][2:6] == [
        ("conv1   units = 55.55.96 = 290400", 4), ("wts   = 11.11.3.96 = 34848", 5),
        ("conn  = 2 x 34848 x 55 x 55 = 210 830 400", 6), ("conv2   units = 27.27.256 = 186624", 8)]


def test_torchsummary_in_a_code_fence_and_keras_wrapped_names(tmp_path):
    text = (
        "```\n"
        "----------------------------------------------------------------\n"
        "        Layer (type)               Output Shape         Param #\n"
        "================================================================\n"
        "            Conv2d-1           [-1, 64, 55, 55]          23,296\n"
        "         MaxPool2d-3           [-1, 64, 27, 27]               0\n"
        "================================================================\n"
        "Total params: 61,100,840\n"
        "```\n"
        "\n"
        " Layer (type)                Output Shape              Param #   \n"
        "=================================================================\n"
        " conv2d (Conv2D)             (None, 55, 55, 96)        34944     \n"
        "                                                                 \n"
        " max_pooling2d (MaxPooling2D  (None, 27, 27, 96)       0         \n"
        " )                                                               \n"
        "                                                                 \n"
        " dense (Dense)               (None, 4096)              37752832  \n"
    )
    document = read(write(tmp_path, text))
    torch, keras = tables(document)
    assert texts(torch) == [["Layer (type)", "Output Shape", "Param #"], ["Conv2d-1", "[-1, 64, 55, 55]", "23,296"],
                            ["MaxPool2d-3", "[-1, 64, 27, 27]", "0"]]
    assert texts(keras)[2] == ["max_pooling2d (MaxPooling2D )", "(None, 27, 27, 96)", "0"]
    assert texts(keras)[3] == ["dense (Dense)", "(None, 4096)", "37752832"]
    assert TextLine("Total params: 61,100,840", Source(line=8)) in lines(document)


# ---------------------------------------------------------------- LaTeX and HTML


def test_latex_tabular_sections_and_comments():
    document = read(DATA / "alexnet.tex")
    assert document.format == "latex"
    (table,) = tables(document)
    assert texts(table) == [["Layer", "Weights", "Params"],
                            ["conv1", r"$11\times11\times3\times96$", "34944"],
                            ["conv2", r"$5\times5\times96\times256$", "614656"],
                            ["fc8", "4097000"]]
    assert table.has_header
    prose = lines(document)
    assert prose[0] == TextLine("AlexNet parameters", Source(line=3), heading=1)
    assert not any("11111" in line.text or "documentclass" in line.text for line in prose)
    assert TextLine("The total is 62,378,344", Source(line=17)) in prose


def test_latex_array_in_display_math_is_a_table(tmp_path):
    # A scanned table as an OCR tool writes it: \\hline at the start of each row, \\text{} labels, a
    # position argument; the equation after the array stays an equation.
    text = (
        "Counts:\n"
        "$$\n"
        "\\begin{array}[t]{|l|r|r|}\n"
        "\\hline \\text { Layer } & \\text { Units } & \\text { Weights } \\\\\n"
        "\\hline \\text { conv } 1 & 55 \\times 55 \\times 96=290,400 & 34,848 \\\\\n"
        "\\hline \\text { fc } 8 & 1000 & 4096 \\times 1000 \\\\\n"
        "\\hline\n"
        "\\end{array} \\\\\n"
        "N = 659{,}272\n"
        "$$\n"
    )
    document = read(write(tmp_path, text))
    (table,) = tables(document)
    assert texts(table) == [["\\text { Layer }", "\\text { Units }", "\\text { Weights }"],
                            ["\\text { conv } 1", "55 \\times 55 \\times 96=290,400", "34,848"],
                            ["\\text { fc } 8", "1000", "4096 \\times 1000"]]
    assert table.has_header
    assert table.rows[1][1].source.line == 5
    assert [(line.text, line.source.line) for line in lines(document)] == [("Counts:", 1), ("N = 659{,}272", 9)]


def test_latex_array_outside_math_is_a_table_and_its_first_row_the_header(tmp_path):
    text = ("\\begin{array}{lcc}\n"
            "\\text{Layer} & \\text{Weights} & \\text{Connections} \\\\\n"
            "\\hline \\text{fc7} & 16777216 & 16777216 \\\\\n"
            "\\end{array}\n")
    (table,) = tables(read(write(tmp_path, text, "answer.txt")))
    assert texts(table) == [["\\text{Layer}", "\\text{Weights}", "\\text{Connections}"],
                            ["\\text{fc7}", "16777216", "16777216"]]
    assert table.has_header


def test_html_table_in_markdown(tmp_path):
    text = ("Results:\n\n<table>\n<tr><th>Layer</th><th>Params</th></tr>\n"
            "<tr><td>conv1</td><td>34,944</td></tr>\n<tr><td colspan=\"2\">total &lt;62M</td></tr>\n</table>\n")
    (table,) = tables(read(write(tmp_path, text)))
    assert texts(table) == [["Layer", "Params"], ["conv1", "34,944"], ["total <62M"]]
    assert table.has_header
    assert table.rows[1][1].source.line == 5


# ---------------------------------------------------------------- prose details


def test_result_on_the_next_line_finishes_the_label_line(tmp_path):
    text = "Conv1 3, 64, 3\n\n= 1792\n\nPool Conv 2 64, 64, 3\n\n= 36928\n\n3 * 3 * 256 *\n384 = 884736\n"
    assert [(line.text, line.source.line) for line in lines(read(write(tmp_path, text, "vgg.txt")))] == [
        ("Conv1 3, 64, 3 = 1792", 1), ("Pool Conv 2 64, 64, 3 = 36928", 5), ("3 * 3 * 256 * 384 = 884736", 9)]


def test_bold_line_is_not_a_heading_and_keeps_its_text(tmp_path):
    (line,) = lines(read(write(tmp_path, "**1. conv1层**\n", "zh.txt")))
    assert line == TextLine("**1. conv1层**", Source(line=1), heading=0)


def test_unclosed_html_comment_hides_the_rest_and_crlf_line_numbers(tmp_path):
    path = tmp_path / "crlf.md"
    path.write_bytes(b"# A\r\n<!-- a comment\r\nstill\r\n-->\r\nconv1: 34848\r\n<!-- never closed\r\nconv2: 1\r\n")
    assert [(line.text, line.source.line) for line in lines(read(path))] == [("A", 1), ("conv1: 34848", 5)]


def test_python_file_comments_are_text_not_headings(tmp_path):
    text = "# 1. conv3 - 64\n# 参数： （3*3*3）*64 =1728\nx = conv(3, 64)\n"
    document = read(write(tmp_path, text, "vgg.py"))
    assert document.format == "text"
    assert [(line.text, line.heading) for line in lines(document)] == [
        ("1. conv3 - 64", 0), ("参数： （3*3*3）*64 =1728", 0), ("x = conv(3, 64)", 0)]


def test_a_commented_summary_table_in_code_is_a_table(tmp_path):
    text = ("#  Layer (type)            Output Shape          Param #\n"
            "# ======================================================\n"
            "#  conv2d (Conv2D)         (None, 30, 30, 32)    896\n"
            "#\n"
            "#  dense (Dense)           (None, 10)            2890\n"
            "// kept: C and JavaScript comments too\n"
            "#define UNITS 290400\n")
    document = read(write(tmp_path, text, "summary.py"))
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in tables[0].rows] == [
        ["Layer (type)", "Output Shape", "Param #"],
        ["conv2d (Conv2D)", "(None, 30, 30, 32)", "896"],
        ["dense (Dense)", "(None, 10)", "2890"]]
    assert [line.text for line in lines(document)] == ["kept: C and JavaScript comments too", "#define UNITS 290400"]


def test_html_export_styles_and_scripts_are_not_read(tmp_path):
    text = ("<html><head><style>\nbody { margin: 0 10px; }\n</style>\n<script>var n = 99999;</script></head>\n"
            "<body><h1>AlexNet</h1>\n<p>conv1 weights: 34848</p>\n</body></html>\n")
    document = read(write(tmp_path, text, "export.html"))
    assert [(line.text, line.source.line, line.heading) for line in lines(document)] == [
        ("AlexNet", 5, 1), ("conv1 weights: 34848", 6, 0)]


def test_inline_code_shows_its_text(tmp_path):
    document = read(write(tmp_path, "`trainable params = (5 * 5 * 1 + 1) * 6 = 156`\n", "c1.md"))
    assert [line.text for line in lines(document)] == ["trainable params = (5 * 5 * 1 + 1) * 6 = 156"]


def test_labels_and_values_aligned_with_spaces_after_a_colon_are_prose(tmp_path):
    text = ("fc7    : 4,096x4,096     (weights) + 4,096 (biases)\n"
            "fc8    : 4,096x1,000     (weights) + 1,000 (biases)\n")
    document = read(write(tmp_path, text, "fc.txt"))
    assert not [b for b in document.blocks if isinstance(b, Table)]
    assert len(lines(document)) == 2


def test_digits_grouped_with_narrow_spaces_split_no_columns(tmp_path):
    text = ("Couche conv3 : 64\u202f896 neurones, 884\u202f736 poids\n"
            "Couche conv4 : 64\u202f896 neurones, 663\u202f552 poids\n")
    document = read(write(tmp_path, text, "fr.txt"))
    assert not [b for b in document.blocks if isinstance(b, Table)]


def test_a_paragraph_wrapped_by_hand_is_one_line_again(tmp_path):
    """An e-mail or a .txt wrapped at a fixed width: a sentence that runs over the margin is one line;
    lines of a list, indented lines under a line, and lines that end their sentence stay apart."""
    import textwrap

    paragraph = ("Its 96 kernels are 11x11x3 each, which is 34,848 weights, and since a kernel is applied at "
                 "55x55 positions with stride 4 the layer makes 105,415,200 connections. Conv2 is split over "
                 "the two GPUs, so each kernel only looks at the 48 maps of its own GPU: 5x5x48 per kernel.")
    for width in (60, 72, 90):
        wrapped = textwrap.fill(paragraph, width)
        assert [line.text for line in lines(read(write(tmp_path, wrapped, "mail.txt")))] == [paragraph], width
    wrapped = textwrap.fill(paragraph, 90)
    assert lines(read(write(tmp_path, wrapped, "mail.txt")))[0].source.line == 1

    listing = ("Conv layer 1: 55*55*96=290400 neurons, 11*11*3*96=34848 weights, 105415200 connections\n"
               "Conv layer 2: 27*27*256=186624 neurons, 5*5*48*256=307200 weights, 223948800 connections\n"
               "Conv2 -> output 27x27x256 (2 GPUs, each filter sees the 48 channels of its own GPU)\n"
               "  units = 27*27*256 = 186,624\n"
               "This line ends its sentence, and it is nearly as long as the longest line is.\n"
               "So this one is a line of its own.\n")
    assert len(lines(read(write(tmp_path, listing, "list.txt")))) == 6


def test_math_a_web_page_copied_twice_is_read_once(tmp_path):
    """A MathJax page copied with its screen-reader text: every formula and number twice, edge to edge."""
    doubled = ("C1层:选取66个卷积核,大小为5∗55∗5,特征图大小为32−5+1=2832−5+1=28。\n"
               "参数:6∗(5∗5+1)=1566∗(5∗5+1)=156,连接数 6∗(5∗5+1)∗(28∗28)=1223046∗(5∗5+1)∗(28∗28)=122304\n")
    found = [line.text for line in lines(read(write(tmp_path, doubled, "page.txt")))]
    assert found == ["C1层:选取6个卷积核,大小为5∗5,特征图大小为32−5+1=28。",
                     "参数:6∗(5∗5+1)=156,连接数 6∗(5∗5+1)∗(28∗28)=122304"]
    once = "conv3 and conv4: 3x3 kernels, 384 filters, 13x13x384 = 64896 neurons; 2x2 = 4, 11 x 11 = 121\n"
    assert [line.text for line in lines(read(write(tmp_path, once, "once.txt")))] == [once.strip()]


def test_lines_of_working_with_their_equals_signs_aligned_are_no_table(tmp_path):
    """A worksheet: a layer's line, then its working indented with the "=" signs in one column."""
    worksheet = ("conv1   k=11 s=4 p=0 n=96\n"
                 "  out      = (227-11)/4 + 1 = 55\n"
                 "  units    = 55*55*96 = 290400\n"
                 "  weights  = 11*11*3*96 = 34848\n"
                 "\n"
                 "pool1  (55-3)/2 + 1 = 27\n"
                 "\n"
                 "conv2   k=5 s=1 p=2 n=256\n"
                 "  units    = 27*27*256 = 186624\n")
    document = read(write(tmp_path, worksheet, "sheet.txt"))
    assert tables(document) == []
    assert [line.text for line in lines(document)][2] == "units    = 55*55*96 = 290400"


def test_a_table_flattened_to_single_spaces_is_a_table(tmp_path):
    """Copied out of a PDF: one space between cells, products and bracketed shapes kept whole, a row's
    words side by side one cell ("Input Layer"); the lines after the last row stay prose."""
    flattened = ("Layer details.\n\n"
                 "No. Layer Kernel size Stride Output shape Weights # Parameters\n"
                 "1 Input Layer - - (227, 227, 3) 0 -\n"
                 "2 CONV1 11 × 11 4 (55, 55, 96) 34,848 34,944\n"
                 "3 POOL1 3 × 3 2 (27, 27, 96) 0 0\n"
                 "The rest is in the appendix, and it is 62,378,344 parameters in all.\n")
    document = read(write(tmp_path, flattened, "book.txt"))
    [table] = tables(document)
    assert texts(table)[0] == ["No.", "Layer", "Kernel size", "Stride", "Output shape", "Weights", "# Parameters"]
    assert texts(table)[2] == ["2", "CONV1", "11 × 11", "4", "(55, 55, 96)", "34,848", "34,944"]
    assert texts(table)[1][1] == "Input Layer"
    assert lines(document)[-1].text.startswith("The rest is in the appendix")
    prose = ("We trained the network for 90 epochs on two GPUs with a batch of 128 and a learning rate\n"
             "of 0.01 that we divided by 10 three times.\n")
    assert tables(read(write(tmp_path, prose, "prose.txt"))) == []


def test_an_asciidoc_table_with_a_cell_a_line_is_a_table(tmp_path):
    """AsciiDoc's `|===` tables: the `cols` attribute says how many cells make a row, written one a line
    or several on one line."""
    adoc = ('[cols="2,3,3",options="header"]\n'
            "|===\n"
            "|Layer |Units |Weights\n"
            "\n"
            "|conv1\n"
            "|55·55·96 = 290,400\n"
            "|11·11·3·96 = 34,848\n"
            "\n"
            "|conv2 |186,624 |307,200\n"
            "|===\n"
            "Below the table.\n")
    document = read(write(tmp_path, adoc, "answer.adoc"))
    [table] = tables(document)
    assert texts(table) == [["Layer", "Units", "Weights"], ["conv1", "55·55·96 = 290,400", "11·11·3·96 = 34,848"],
                            ["conv2", "186,624", "307,200"]]
    assert table.has_header
    assert lines(document)[-1].text == "Below the table."


def test_an_html_tables_spans_and_superscripts_keep_their_places(tmp_path):
    """A header over two rows (rowspan, colspan) keeps each word over its column; 55<sup>2</sup> is 55^2."""
    html = ("<table><thead>"
            '<tr><th rowspan="2">Layer</th><th colspan="2">Count</th></tr>'
            "<tr><th>Units</th><th>Weights</th></tr></thead>"
            "<tr><td>conv1</td><td>55<sup>2</sup>&middot;96<br>= 290,400</td><td>34,848</td></tr>"
            "</table>\n")
    [table] = tables(read(write(tmp_path, html, "answer.html")))
    assert texts(table) == [["Layer", "Count"], ["", "Units", "Weights"], ["conv1", "55^2·96 = 290,400", "34,848"]]


def test_a_keras_summary_copied_with_single_spaces_is_a_table(tmp_path):
    """model.summary() pasted from a web page: its columns' spaces gone, its rules kept."""
    summary = ('Model: "sequential"\n'
               "_________________________________________________________________\n"
               "Layer (type) Output Shape Param #\n"
               "=================================================================\n"
               "conv2d (Conv2D) (None, 28, 28, 6) 156\n"
               "_________________________________________________________________\n"
               "max_pooling2d (MaxPooling2 (None, 14, 14, 6) 0\n"
               "_________________________________________________________________\n"
               "conv2d_1 (Conv2D) (None, 10, 10, 16) 2416\n"
               "=================================================================\n"
               "Total params: 2,572\n")
    [table] = tables(read(write(tmp_path, summary, "summary.txt")))
    assert texts(table)[0] == ["Layer (type)", "Output Shape", "Param #"]
    assert texts(table)[2] == ["max_pooling2d (MaxPooling2", "(None, 14, 14, 6)", "0"]
    assert texts(table)[3] == ["conv2d_1 (Conv2D)", "(None, 10, 10, 16)", "2416"]


def test_numbered_questions_and_answers_set_apart_by_two_spaces_are_no_table(tmp_path):
    qa = ("Q1.  How many neurons are there in conv1?\n"
          "A1.  The number of neurons in conv1 is 55 x 55 x 96 = 290,400.\n"
          "Q2.  How many weights does conv1 have?\n"
          "A2.  The number of weights in conv1 is 11 x 11 x 3 x 96 = 34,848.\n")
    document = read(write(tmp_path, qa, "qa.txt"))
    assert tables(document) == []
    assert len(lines(document)) == 4


def test_a_page_whose_line_breaks_were_lost_is_cut_at_its_headings_and_items(tmp_path):
    """One long line, as a scrape or a text box leaves it: cut before each inline heading, bold bullet
    and numbered item counting up; "16 (5×5)" inside an item is no item; every part keeps line 1."""
    remark = "这一层的说明写得很长, 因为网页上原来的段落都被挤到了同一行里, 读的时候要把它们重新分开。"
    items = " ".join(f"{n}、第{n}层 卷积核 16 个 (5×5), 输出 {n}×{n}×16 的特征图。{remark * 2}" for n in (1, 2, 3))
    flat = f"# LeNet-5 ## Info - **Name**: LeNet - **Stars**: 2 ## README {items}"
    assert len(flat) > 400
    document = read(write(tmp_path, flat + "\n", "flat.md"))
    texts = [line.text for line in lines(document)]
    assert texts[:4] == ["LeNet-5", "Info", "**Name**: LeNet", "**Stars**: 2"]
    assert [t[:5] for t in texts[5:]] == ["1、第1层", "2、第2层", "3、第3层"]
    assert {line.source.line for line in lines(document)} == {1}
    short = "## A heading - **not cut**: a short line 1、2、3、\n"
    assert len(lines(read(write(tmp_path, short, "short.md")))) == 1


def test_spaces_saved_as_question_marks_are_spaces_again(tmp_path):
    """A Keras summary whose no-break spaces became "?" in an encoding without them; VGG16 at 150×150:
    block1_conv1 has (3·3·3 + 1)·64 = 1,792 parameters. A text's own questions stay."""
    damaged = ("Layer?(type)?????????????Output?Shape??????????Param?#\n"
               "=====================================================\n"
               "block1_conv1?(Conv2D)????????(None,?150,?150,?64)??????1792??????\n"
               "block1_conv2?(Conv2D)????????(None,?150,?150,?64)??????36928?????\n"
               "block1_pool?(MaxPooling2D)???(None,?75,?75,?64)????????0?????????\n"
               "Why is the pool's count 0? It has no weights.\n")
    document = read(write(tmp_path, damaged, "summary.txt"))
    found = [row for table in tables(document) for row in texts(table)]
    assert [line.text for line in lines(document)] == ["Why is the pool's count 0? It has no weights."]
    assert ["block1_conv1 (Conv2D)", "(None, 150, 150, 64)", "1792"] in found
    asked = "Is conv1 right?Yes.\nWhy?\n"
    assert [line.text for line in lines(read(write(tmp_path, asked, "asked.txt")))] == ["Is conv1 right?Yes.", "Why?"]


def test_a_header_copied_a_few_words_a_line_is_joined_over_its_rows(tmp_path):
    """A web table copied as text: header cells wrapped over lines, rows one space apart; LeNet-5's
    C1 has 156 trainable parameters."""
    copied = ("Layer Layer Type Feature\nMaps\nKernel\n(Filter)\nOutput size Trainable\nparam\nActivation\n"
              "C1 Conv 6 5x5 28x28 156 Sigmoid\nS2 Pool 6 2x2 14x14 12 Tanh\nC3 Conv 16 5x5 10x10 1516 Tanh\n")
    [table] = tables(read(write(tmp_path, copied, "copied.txt")))
    table = texts(table)
    assert table[0] == ["Layer", "Layer Type", "Feature Maps", "Kernel (Filter)", "Output size", "Trainable param",
                        "Activation"]
    assert table[1] == ["C1", "Conv", "6", "5x5", "28x28", "156", "Sigmoid"]


def test_the_thread_an_email_reply_quotes_is_not_read(tmp_path):
    """A resubmission by e-mail: the corrected answer, then the quoted thread holding the first try
    (conv1's caption figure 253,440 since fixed to 290,400); the lines keep their numbers."""
    reply = ("Here are my corrected answers:\nconv1: 290,400 units\n\n"
             "On Wed, Oct 16, 2024 at 5:12 PM Priya Raman <p@example.edu> wrote:\n"
             "> your conv1 units are off\n>\n> > conv1: 253,440 units\n")
    found = [(line.text, line.source.line) for line in lines(read(write(tmp_path, reply, "reply.txt")))]
    assert found == [("Here are my corrected answers:", 1), ("conv1: 290,400 units", 2)]
    quoting = "As the handout says:\n> conv1: 290,400 units\n"
    assert [line.text for line in lines(read(write(tmp_path, quoting, "quote.md")))] == [
        "As the handout says:", "conv1: 290,400 units"]


def test_a_restructuredtext_list_table_is_a_table(tmp_path):
    """A `.. list-table::` with a header row: a row per "* -" item, a cell per "-" below it, a cell
    going on over an indented line; the paragraph after it stays prose. AlexNet conv1: 290,400 units."""
    rst = (".. list-table:: Units\n   :header-rows: 1\n   :widths: 10 20\n\n"
           "   * - Layer\n     - Units\n   * - conv1\n     - 55×55×96\n       = 290,400\n"
           "   * - conv2\n     - 186,624\n\nThe towers split conv2.\n")
    document = read(write(tmp_path, rst, "answer.rst"))
    [table] = tables(document)
    assert texts(table) == [
        ["Layer", "Units"], ["conv1", "55×55×96 = 290,400"], ["conv2", "186,624"]]
    assert table.has_header
    assert [line.text for line in lines(document)] == ["The towers split conv2."]


def test_an_html_tables_merged_figures_stand_in_every_place_they_cover(tmp_path):
    """conv3 and conv4 both have 13·13·384 = 64,896 units (one cell over two rows); an FC layer's
    weights and connections are one count (one cell over two columns)."""
    html = ("<table><tr><th>Layer</th><th>Units</th><th>Weights</th><th>Connections</th></tr>"
            '<tr><td>conv3</td><td rowspan="2">64,896</td><td>884,736</td><td>149,520,384</td></tr>'
            "<tr><td>conv4</td><td>663,552</td><td>112,140,288</td></tr>"
            '<tr><td>fc7</td><td>4,096</td><td colspan="2">16,777,216</td></tr></table>\n')
    [table] = tables(read(write(tmp_path, html, "answer.html")))
    assert texts(table)[1:] == [["conv3", "64,896", "884,736", "149,520,384"],
                                ["conv4", "64,896", "663,552", "112,140,288"],
                                ["fc7", "4,096", "16,777,216", "16,777,216"]]
