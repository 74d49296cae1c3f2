"""What a PDF page and an OCR'd image cost to read (grader.readers.read), wall and CPU seconds, in
one process; and a one-page PDF graded whole (pipeline.grade_file).

    python benchmarks/formats.py [--pages 30] [--repeat 3] [--json out.json]

- PDF with a text layer: a PDF of `--pages` pages (reportlab), each an AlexNet table and a
  paragraph; read once, the cost divided by the pages; and a one-page PDF graded `--repeat` times.
- With the ocr extra: the OCR engine's load (once per process: once per worker in `grader grade`),
  then, `--repeat` times each, a clean print of a table (Pillow), the bundled phone photo
  (submissions/noah_becker.jpg) and an A4 page scanned at 200 dpi (a PDF holding only its image).
  Grading an image costs its reading and what a text file costs (the PDF's figure less its read).
  onnxruntime uses every core: on an idle machine CPU seconds run above wall seconds.

Medians are reported. Everything is made in a temporary folder; nothing is written into the repository.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

ROOT = Path(__file__).resolve().parent.parent
ROWS = [("Layer", "Units", "Weights", "Connections"), ("conv1", "290,400", "34,848", "105,415,200"),
        ("conv2", "186,624", "307,200", "223,948,800"), ("conv3", "64,896", "884,736", "149,520,384"),
        ("conv4", "64,896", "663,552", "112,140,288"), ("conv5", "43,264", "442,368", "74,760,192"),
        ("fc6", "4,096", "37,748,736", "37,748,736"), ("fc7", "4,096", "16,777,216", "16,777,216"),
        ("fc8", "1,000", "4,096,000", "4,096,000")]
PARAGRAPH = ("Question 2: most of the parameters sit in the fully connected layers, so shrinking fc6 and fc7 "
             "or replacing them by global average pooling removes most of them; smaller kernels and larger "
             "strides reduce the connections.")


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def median_of(action, repeat: int) -> dict:
    runs = [timed(action) for _ in range(repeat)]
    return {"wall_s": round(statistics.median(w for w, _ in runs), 4),
            "cpu_s": round(statistics.median(c for _, c in runs), 4), "runs": repeat}


def write_pdf(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number in range(pages):
        page.setFont("Helvetica-Bold", 14)
        page.drawString(72, 780, f"HW2: AlexNet, units, weights and connections (page {number + 1})")
        page.setFont("Helvetica", 11)
        for r, row in enumerate(ROWS):
            for c, text in enumerate(row):
                page.drawString(72 + 120 * c, 740 - 20 * r, text)
        text = page.beginText(72, 540)
        for start in range(0, len(PARAGRAPH), 90):
            text.textLine(PARAGRAPH[start:start + 90])
        page.drawText(text)
        page.showPage()
    page.save()


def table_image():
    """A clean print of the table, as a screenshot gives it (Pillow's own font)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=30)
    image = Image.new("RGB", (1200, 60 * len(ROWS) + 80), "white")
    pen = ImageDraw.Draw(image)
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            pen.text((60 + 280 * c, 40 + 60 * r), text, fill="black", font=font)
    return image


def measure(pages: int, repeat: int, work: Path) -> dict:
    from grader import pipeline
    from grader.readers import read
    from grader.readers.ocr import ocr_available
    from grader.rubric import load_rubric

    rubric = load_rubric("alexnet-paper")
    report: dict = {"cpus": os.cpu_count(), "load_before": os.getloadavg()[0]}
    book, single = work / "book.pdf", work / "page.pdf"
    write_pdf(book, pages)
    write_pdf(single, 1)
    read(single)  # the readers' imports, outside the figures
    wall, cpu = timed(lambda: read(book))
    report["pdf_page_read"] = {"wall_ms": round(1000 * wall / pages, 2), "cpu_ms": round(1000 * cpu / pages, 2),
                               "pages": pages}
    pipeline.grade_file(single, rubric)  # what a process builds once (vocabularies, the comparison index)
    report["pdf_one_page_graded"] = median_of(lambda: pipeline.grade_file(single, rubric), repeat)
    if not ocr_available():
        report["ocr"] = "not installed (pip install -e \".[ocr]\")"
        return report
    import pypdfium2

    from grader.readers.ocr import _engine

    wall, cpu = timed(_engine)
    report["ocr_engine_load"] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}
    clean = work / "table.png"
    table_image().save(clean)
    scan = work / "scan.pdf"
    a4 = pypdfium2.PdfDocument(str(single))[0].render(scale=200 / 72).to_pil().convert("RGB")
    a4.save(scan, resolution=200)
    photo = ROOT / "submissions" / "noah_becker.jpg"
    from PIL import Image

    for name, path in (("clean print", clean), ("phone photo", photo), ("A4 scan, 200 dpi", scan)):
        size = a4.size if path == scan else Image.open(path).size
        report.setdefault("ocr_images", {})[name] = {"pixels": f"{size[0]}x{size[1]}",
                                                     **median_of(lambda p=path: read(p), repeat)}
    report["load_after"] = os.getloadavg()[0]
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        report = measure(args.pages, args.repeat, Path(work))
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
