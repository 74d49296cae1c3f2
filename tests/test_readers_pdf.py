"""PDF with a text layer: tables as tables, CJK, pages as the source; damaged and locked PDFs.

Every PDF is made here at run time with reportlab (a test dependency; its STSong font is built in,
no font file needed), from texts written for these tests or from the bundled submissions. Expected
cells are the ones written into the PDF."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from grader.core import Source, Table, TextLine, UnreadableError
from grader.extract import extract
from grader.readers import Limits, read
from grader.rubric import load_rubric

pytest.importorskip("reportlab")
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer  # noqa: E402
from reportlab.platypus import Table as PdfTable  # noqa: E402
from reportlab.platypus import TableStyle  # noqa: E402

SUBMISSIONS = Path(__file__).resolve().parents[1] / "submissions"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))

ROWS = [["层 Layer", "神经元 Units", "权重 Weights", "连接 Connections"],
        ["卷积层1 conv1", "290,400", "34,848", "105,415,200"],
        ["conv2", "186,624", "307,200", "223,948,800"],
        ["fc6", "4,096", "37,748,736", "37,748,736"]]


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def blocks_of(document, kind):
    return [block for block in document.blocks if isinstance(block, kind)]


def paragraph(text: str, size: float = 10) -> Paragraph:
    return Paragraph(escape(text), ParagraphStyle("p", fontName=CJK, fontSize=size, leading=size * 1.3))


def table(rows, *, ruled: bool, size: float = 9) -> PdfTable:
    style = [("FONTNAME", (0, 0), (-1, -1), CJK), ("FONTSIZE", (0, 0), (-1, -1), size)]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    made = PdfTable(rows)
    made.setStyle(TableStyle(style))
    return made


def build(path: Path, story, **options) -> Path:
    SimpleDocTemplate(str(path), pagesize=landscape(A4), **options).build(story)
    return path


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_a_table_in_a_pdf_is_a_table_with_its_cells(tmp_path, ruled):
    path = build(tmp_path / "answer.pdf", [paragraph("作业：AlexNet 每层的神经元、权重与连接数"), Spacer(1, 12),
                                            table(ROWS, ruled=ruled), Spacer(1, 12),
                                            paragraph("conv1 的权重 = 11×11×3×96 = 34848，总参数约 6000万。")])
    document = read(path)
    assert document.format == "pdf"
    (found,) = blocks_of(document, Table)
    assert texts(found) == ROWS and found.has_header
    assert [line.text for line in blocks_of(document, TextLine)] == [
        "作业：AlexNet 每层的神经元、权重与连接数", "conv1 的权重 = 11×11×3×96 = 34848，总参数约 6000万。"]
    assert found.rows[1][2].source == Source(line=3, cell="r2c3", page=1)


def test_a_row_with_an_empty_cell_keeps_its_columns(tmp_path):
    rows = [["Layer", "Units", "Weights", "Connections"], ["conv1", "290400", "", "105415200"],
            ["conv2", "", "307200", "223948800"]]
    (found,) = blocks_of(read(build(tmp_path / "gaps.pdf", [table(rows, ruled=True)])), Table)
    assert texts(found) == rows


def test_every_page_is_the_source_of_its_text(tmp_path):
    path = build(tmp_path / "pages.pdf", [paragraph("Question 1: conv1 units 290,400"), PageBreak(),
                                          paragraph("Question 2"), paragraph("total params = 60,965,224")])
    document = read(path)
    assert [(line.text, line.source) for line in blocks_of(document, TextLine)] == [
        ("Question 1: conv1 units 290,400", Source(line=1, page=1)),
        ("Question 2", Source(line=1, page=2)), ("total params = 60,965,224", Source(line=2, page=2))]
    assert document.blocks[-1].source.describe() == "page 2, line 2"


def test_cells_in_one_text_object_and_an_exponent_and_a_watermark(tmp_path):
    """As pdfTeX writes a tabular: one line of text, its cells set apart by positioning alone; an
    exponent in a smaller raised font; a watermark drawn at an angle over the page."""
    path = tmp_path / "typeset.pdf"
    page = canvas.Canvas(str(path))
    for y, cells in ((700, ("Layer", "Weights", "Connections")), (684, ("conv1", "34848", "105415200")),
                     (668, ("conv2", "307200", "223948800"))):
        text = page.beginText(72, y)
        text.setFont("Helvetica", 10)
        for k, cell in enumerate(cells):
            text.setTextOrigin(72 + 110 * k, y)  # a move within the same text object
            text.textOut(cell)
        page.drawText(text)
    page.setFont("Helvetica", 10)
    page.drawString(72, 630, "kernel area 11")
    page.setFont("Helvetica", 6)
    page.drawString(72 + page.stringWidth("kernel area 11", "Helvetica", 10), 634, "2")
    page.saveState()
    page.setFont("Helvetica", 60)
    page.translate(150, 300)
    page.rotate(45)
    page.drawString(0, 0, "DRAFT 2024")
    page.restoreState()
    page.save()
    document = read(path)
    (found,) = blocks_of(document, Table)
    assert texts(found) == [["Layer", "Weights", "Connections"], ["conv1", "34848", "105415200"],
                            ["conv2", "307200", "223948800"]]
    assert [line.text for line in blocks_of(document, TextLine)] == ["kernel area 11^2"]


def _slots(document, networks) -> dict:
    best: dict = {}
    for answer in extract(document, networks=networks):
        key = (answer.network, answer.layer, answer.quantity)
        if key not in best or answer.confidence > best[key].confidence:
            best[key] = answer
    return {key: answer.value for key, answer in best.items()}


def as_pdf(document, path: Path) -> Path:
    """The document as a student's export would show it: tables ruled, headings larger."""
    story = []
    for block in document.blocks:
        if isinstance(block, Table):
            story += [table([[cell.text for cell in row] for row in block.rows], ruled=True, size=7), Spacer(1, 6)]
        else:
            story.append(paragraph(block.text, {1: 16, 2: 13, 3: 11}.get(block.heading, 9)))
    return build(path, story)


BUNDLED = ["amelia_hart.md", "chen_jing.md", "hana_kim.md", "kofi_mensah.md", "ben_okafor.txt", "gao_yu.docx",
           "emma_schulz.xlsx", "farah_nasser.ipynb"]


@pytest.mark.parametrize("name", BUNDLED)
def test_the_same_answers_are_read_from_a_pdf_of_a_submission(tmp_path, name):
    networks = load_rubric("alexnet-paper").quantities
    original = read(SUBMISSIONS / name)
    from_pdf = read(as_pdf(original, tmp_path / f"{Path(name).stem}.pdf"))
    expected = _slots(original, networks)
    assert len(expected) >= 20
    assert _slots(from_pdf, networks) == expected


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are in ../shared, absent here")
def test_the_same_answers_are_read_from_a_pdf_of_each_seed(tmp_path):
    networks = load_rubric("cnn-params").quantities
    for seed in sorted(SEEDS.glob("*.txt")):
        original = read(seed)
        assert _slots(read(as_pdf(original, tmp_path / f"{seed.stem}.pdf")), networks) == _slots(original, networks), seed.name


# ---------------------------------------------------------------- what cannot be read


def unreadable(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(UnreadableError) as caught:
        read(path, limits=limits)
    message = str(caught.value)
    assert message.startswith(str(path))
    return message


def test_a_password_protected_pdf_is_named(tmp_path):
    path = tmp_path / "locked.pdf"
    page = canvas.Canvas(str(path), encrypt="secret")
    page.drawString(72, 700, "conv1 34848")
    page.save()
    assert "password-protected PDF" in unreadable(path)


def test_a_pdf_locked_only_against_editing_is_read(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = tmp_path / "no_editing.pdf"
    page = canvas.Canvas(str(path), encrypt=StandardEncryption("", ownerPassword="owner", canModify=0))
    page.drawString(72, 700, "conv1 weights 34848")
    page.save()
    assert [line.text for line in blocks_of(read(path), TextLine)] == ["conv1 weights 34848"]


def test_damaged_and_mislabelled_pdfs(tmp_path):
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    assert "not a valid PDF" in unreadable(garbage)
    good = build(tmp_path / "good.pdf", [paragraph("conv1 34848")]).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(good[: len(good) // 3])
    assert "not a valid PDF" in unreadable(cut)
    noise = tmp_path / "noise.pdf"
    noise.write_bytes(bytes(range(256)) * 8)
    assert "not a valid PDF (no PDF header)" in unreadable(noise)
    named_txt = tmp_path / "answer.txt"  # content wins over the name
    named_txt.write_bytes(good)
    assert read(named_txt).format == "pdf"


def test_over_the_page_limit(tmp_path):
    path = build(tmp_path / "long.pdf", [paragraph("page one"), PageBreak(), paragraph("page two")])
    assert "2 pages, over the 1-page limit" in unreadable(path, Limits(max_pages=1))


def test_a_scanned_pdf_without_the_ocr_extra_names_the_extra(tmp_path, monkeypatch):
    from PIL import Image

    import grader.readers.ocr

    monkeypatch.setattr(grader.readers.ocr, "ocr_available", lambda: False)
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (400, 300), "white").save(path)  # a PDF holding one image and no text
    message = unreadable(path)
    assert "a scanned PDF (page 1 is an image without text)" in message and "ocr extra" in message


def test_headings_wrapped_paragraphs_and_a_table_broken_by_a_page(tmp_path):
    words = ("The first layer sees the whole image through ninety-six kernels of eleven by eleven "
             "pixels, with a stride of four, so its output is fifty-five pixels wide.")
    rows = [["Layer", "Units"]] + [[f"layer {k}", f"{1000 + k}"] for k in range(1, 61)]
    story = [paragraph("Homework 2", 18), paragraph("Question 1", 13), paragraph(" ".join([words] * 3)), paragraph("Short line."),
             table(rows, ruled=True)]
    document = read(build(tmp_path / "long.pdf", story))
    assert [(line.text, line.heading) for line in blocks_of(document, TextLine)] == [
        ("Homework 2", 1), ("Question 1", 2), (" ".join([words] * 3), 0), ("Short line.", 0)]
    (found,) = blocks_of(document, Table)  # one table, though it runs over two pages
    assert texts(found) == rows
    assert {1, 2} <= {cell.source.page for row in found.rows for cell in row}


def _hand_made_pdf(content: bytes, font: bytes) -> bytes:
    """A one-page PDF written out by hand, for what no generator writes: text in a font that maps
    its codes to no letters."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>", font, b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_text_in_fonts_without_a_character_map_needs_the_ocr(tmp_path, monkeypatch):
    import grader.readers.ocr

    monkeypatch.setattr(grader.readers.ocr, "ocr_available", lambda: False)
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
            b"/Encoding << /Type /Encoding /Differences [1 /gx01 /gx02 /gx03] >> >>")
    path = tmp_path / "unmapped.pdf"
    path.write_bytes(_hand_made_pdf(b"BT /F1 12 Tf 72 700 Td <010203010203> Tj ET", font))
    message = unreadable(path)
    assert "text on page 1 has no character map" in message and "ocr extra" in message
    readable = tmp_path / "mapped.pdf"  # the same page in the font's own encoding reads
    readable.write_bytes(_hand_made_pdf(b"BT /F1 12 Tf 72 700 Td (conv1 34848) Tj ET",
                                        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"))
    assert [line.text for line in blocks_of(read(readable), TextLine)] == ["conv1 34848"]


def test_tabs_laid_out_by_position_separate_cells_however_narrow(tmp_path):
    """As a word processor exports text aligned with tabs: its spaces are characters, a tab only a
    gap (here half an em, narrower than cells usually stand apart)."""
    path = tmp_path / "tabs.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Courier", 10)
    page.drawString(72, 720, "Lena Vogel, homework 2, tab-separated")
    for y, cells in ((700, ("Layer", "Units", "Weights")), (686, ("conv1", "290400", "34848")),
                     (672, ("fc8", "1000", "4096000"))):
        for k, cell in enumerate(cells):  # tab stops 41 points apart: "290400" ends 5 points before the next
            page.drawString(72 + 41 * k, y, cell)
    page.save()
    document = read(path)
    assert [line.text for line in blocks_of(document, TextLine)] == ["Lena Vogel, homework 2, tab-separated"]
    (found,) = blocks_of(document, Table)
    assert texts(found) == [["Layer", "Units", "Weights"], ["conv1", "290400", "34848"], ["fc8", "1000", "4096000"]]


def test_a_cell_wrapped_in_its_column_stays_in_its_row_and_two_tables_stay_two(tmp_path):
    cell = ParagraphStyle("cell", fontName=CJK, fontSize=9, leading=11)
    rows = [["Layer", "Units", "Connections"],
            ["conv2", "186,624", Paragraph("307,200×27×27 = 223,948,800", cell)],
            ["conv3", "64,896", Paragraph("884,736×13×13 = 149,520,384", cell)]]
    wrapped = PdfTable(rows, colWidths=[60, 60, 80])
    wrapped.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), CJK), ("FONTSIZE", (0, 0), (-1, -1), 9),
                                 ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    second = [["Layer", "Weights"], ["fc6", "37,748,736"], ["fc7", "16,777,216"]]
    document = read(build(tmp_path / "wrapped.pdf", [wrapped, Spacer(1, 24), table(second, ruled=False)]))
    first, other = blocks_of(document, Table)
    assert [[" ".join(text.split()) for text in row] for row in texts(first)] == [
        ["Layer", "Units", "Connections"], ["conv2", "186,624", "307,200×27×27 = 223,948,800"],
        ["conv3", "64,896", "884,736×13×13 = 149,520,384"]]
    assert texts(other) == second


def test_a_numbered_heading(tmp_path):
    path = tmp_path / "numbered.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 720, "2")
    page.drawString(100, 720, "Question 2")
    page.setFont("Helvetica", 10)
    page.drawString(72, 700, "Most parameters are in fc6: 37,748,736 of them.")
    page.save()
    assert [(line.text, line.heading) for line in blocks_of(read(path), TextLine)] == [
        ("2 Question 2", 2), ("Most parameters are in fc6: 37,748,736 of them.", 0)]


TEX = r"""\documentclass{article}
\begin{document}
\section{Question 1}
The counts assume an input of $227 \times 227 \times 3$ and two towers; biases are not counted.
This sentence runs on long enough to wrap at the right margin, so that the reader joins it again.

\begin{tabular}{|l|r|r|}
\hline
Layer & Units & Weights \\
\hline
conv1 & 290,400 & 34,848 \\
fc6 & 4,096 & 37,748,736 \\
\hline
\end{tabular}

\vspace{1em}
\begin{tabular}{lr}
Layer & Connections \\
conv1 & 105,415,200 \\
\end{tabular}

The kernel area is $11^2 = 121$.
\end{document}
"""


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_a_pdflatex_document(tmp_path):
    (tmp_path / "hw.tex").write_text(TEX)
    subprocess.run(["pdflatex", "-interaction=batchmode", "hw.tex"], cwd=tmp_path, capture_output=True, timeout=120)
    document = read(tmp_path / "hw.pdf")
    lines = [(line.text, line.heading) for line in blocks_of(document, TextLine)]
    assert lines[0] == ("1 Question 1", 2)
    assert lines[1][0] == ("The counts assume an input of 227 × 227 × 3 and two towers; biases are not counted. "
                           "This sentence runs on long enough to wrap at the right margin, so that the reader joins "
                           "it again.")
    assert lines[2][0] == "The kernel area is 11^2 = 121."
    assert [texts(found) for found in blocks_of(document, Table)] == [
        [["Layer", "Units", "Weights"], ["conv1", "290,400", "34,848"], ["fc6", "4,096", "37,748,736"]],
        [["Layer", "Connections"], ["conv1", "105,415,200"]]]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_word_document_exported_by_libreoffice(tmp_path):
    """A DOCX of a table with cells too long for their column, a line set apart with tabs, and
    Chinese; exported to PDF, it must give the answers the DOCX gives."""
    import docx

    made = docx.Document()
    made.add_heading("AlexNet 作业二", level=1)
    made.add_paragraph("姓名：王伟\t输入：227×227×3，不计偏置。")
    rows = [["层", "神经元个数", "权重数", "连接数"],
            ["Conv1", "55×55×96 = 290400", "11×11×3×96 = 34848", "34848×55×55 = 105415200"],
            ["Conv2", "27×27×256 = 186624", "5×5×48×256 = 307200", "307200×27×27 = 223948800"],
            ["FC6", "4096", "9216×4096 = 37748736", "37748736"]]
    grid = made.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    made.save(tmp_path / "wang.docx")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "wang.docx")],
                   capture_output=True, timeout=300)
    networks = load_rubric("alexnet-paper").quantities
    expected = _slots(read(tmp_path / "wang.docx"), networks)
    assert len(expected) >= 9
    assert _slots(read(tmp_path / "wang.pdf"), networks) == expected
