"""The real submissions (shared/seeds) and real-world texts (shared/corpus) read without error,
into the blocks a person sees in them. Expected cells are copied by hand from the files."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.core import Document, Table, TextLine
from grader.readers import read

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
CORPUS = sorted(path for path in (SHARED / "corpus").glob("*") if path.is_file() and path.name != "README.md")

pytestmark = pytest.mark.skipif(not SEEDS, reason="shared/seeds not available")


def seed(prefix: str) -> Document:
    (path,) = [path for path in SEEDS if path.name.startswith(prefix)]
    return read(path)


def tables(document: Document) -> list[Table]:
    return [block for block in document.blocks if isinstance(block, Table)]


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def all_text(document: Document) -> str:
    parts = []
    for block in document.blocks:
        if isinstance(block, TextLine):
            parts.append(block.text)
        else:
            parts.extend(cell.text for row in block.rows for cell in row)
    return "\n".join(parts)


@pytest.mark.parametrize("path", SEEDS + CORPUS, ids=lambda path: path.name)
def test_every_seed_and_corpus_text_reads(path):
    document = read(path)
    assert document.blocks
    assert document.encoding == "utf-8"


def test_seed_001_rows_split_over_two_lines_are_joined():
    (key,) = tables(seed("001_"))
    assert texts(key)[0] == ["", "# Units", "# Weights", "# Connections"]
    assert key.has_header
    rows = {row[0]: row[1:] for row in texts(key)}
    assert rows["Convolution Layer 1"] == ["55 * 55 * 96 = 290400", "11 * 11 * 3 * 96 = 34848",
                                           "11 * 11 * 3 * 96 * 55 * 55 = 105415200 (Single tower here!)"]
    # "3 * 3 * 256 *" on one line, "384 = 884736" on the next; the connections end with "="
    assert rows["Convolution Layer 3"] == ["13 * 13 * 384 = 64896", "3 * 3 * 256 * 384 = 884736",
                                           "3 * 3 * 128 * 384 * 2 * 13 * 13 = 149520384 (Single tower here!)"]
    assert rows["Convolution Layer 5"][1] == "3 * 3 * 192 * 256 = 442368"
    # rows that do not continue stay on their own
    assert rows["Fully Connected Layer 1"] == ["4096", "9216 * 4096 = 37748736", "9216 * 4096 = 37748736"]
    assert rows["Output Layer"] == ["1000", "4096 * 1000 = 4096000", "4096 * 1000 = 4096000"]
    assert len(key.rows) == 9
    assert key.rows[1][1].source.line == 41  # where "Convolution" / "55 * 55 * 96" is


def test_seed_001_formulas_in_code_fences_are_text_not_headings():
    lines = [block for block in seed("001_").blocks if isinstance(block, TextLine)]
    assert any(line.text == "# Weights = h * w * C * N" and line.heading == 0 for line in lines)
    assert any(line.text == "Conv layer:" and line.heading == 2 for line in lines)


def test_seed_000_pipe_table_and_comment_header_dropped():
    document = seed("000_")
    (table,) = tables(document)
    assert texts(table)[1][:2] == ["Conv 1", "96"]
    assert texts(table)[1][6] == "(11  x   11  x   3  x   96) + 96 = 34848"
    assert texts(table)[9] == ["FC6", "", "", "", "", "", "(6 x  6 x  128 x  2) x  4096+4096 = 37752832"]
    assert "Xiang Pan" not in all_text(document)  # inside <!-- -->


def test_seed_002_latex_cells_and_display_math():
    document = seed("002_")
    (table,) = tables(document)
    assert texts(table)[2] == ["Conv1", "0", r"$11\times11$", "4", "96", "$(227-11)/4+1=55$",
                               r"$55\times55\times96$", r"$3\times(11\times11)\times96$", "96", "34944"]
    assert texts(table)[-1][0] == "Total" and texts(table)[-1][-1] == "62378344"
    assert r"F_{in}\times F_{out}+F_{out}" in [b.text for b in document.blocks if isinstance(b, TextLine)]


def test_seed_003_tab_tables_and_results_on_their_own_line():
    document = seed("003_")
    lenet, alexnet = tables(document)
    assert texts(lenet)[0] == ["", "In", "out", "kernel", "Params"]
    assert texts(lenet)[2] == ["Pool-1", "6", "10", "5", "$=$"]  # not joined with the Conv-2 row
    assert texts(lenet)[3][0] == "Conv-2"
    assert texts(alexnet)[1] == ["Pool(Conv 2)", "96, 256, 5", r"$= 5 \times 5 \times 96 \times 256 + 256 = 61,4656$"]
    lines = [block.text for block in document.blocks if isinstance(block, TextLine)]
    assert "Conv1 3, 64, 3 = 1792" in lines
    assert "Pool Conv 13 512, 512, 3 = 2359808" in lines
    assert "→ 138 357 544" in lines


def test_seed_004_chinese_sections():
    lines = [block for block in seed("004_").blocks if isinstance(block, TextLine)]
    assert lines[1].text == "**1. conv1层**" and lines[1].heading == 0
    assert any(line.text == r"训练参数：（11\*11+1）\*3 \*96（每个滤波器11\*11=121个unit参数和一个bias参数 \* 3 个 channel，一共96个滤波器）"
               for line in lines)


@pytest.mark.skipif(not CORPUS, reason="shared/corpus not available")
def test_corpus_tables_as_written():
    by_name = {path.name[:2]: path for path in CORPUS}
    aragao = tables(read(by_name["01"]))[0]
    assert texts(aragao)[9] == ["", "fc6", "", "", "(1,1)", "256", "4096", "(6*6)*256*4096 + 4096 = 37752832"]
    assert texts(aragao)[-1] == ["Total", "62,378,344"]
    zfnet = tables(read(by_name["21"]))[0]
    assert texts(zfnet)[-1] == ["Softmax", "1,000 classes", "62,357,608 (Total)"]
    slides = tables(read(by_name["08"]))[0]
    assert texts(slides)[1] == ["conv1", r"96 $\cdot$ 11 $\cdot$ 11 $\cdot$ 3", "96"]
    # numbers inside HTML comments are not what the reader of the page sees
    assert "122,304" not in all_text(read(by_name["05"]))
