"""`grader grade` on a class folder holding every hostile or broken case of issue 6 beside good
submissions: every file gets a result, the good ones are graded correctly, the folder is unchanged,
nothing outside it is read, no student HTML is shown unescaped, and the batch stays under 1.5 GB.

The CLI runs in a subprocess, itself run by a small Python launcher that reports the largest
resident size among its descendants (the grader and its worker processes)."""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grader.core import PROJECT_ROOT

# AlexNet as in Krizhevsky et al. 2012 (input 227x227x3, two towers), worked by hand from the layer
# geometry: units = H*W*C of the output, weights = kh*kw*(input channels seen)*filters, connections
# = weights * output positions for a convolution and the weights for a fully connected layer.
KEY = {
    "conv1": (55 * 55 * 96, 11 * 11 * 3 * 96, 11 * 11 * 3 * 96 * 55 * 55),
    "conv2": (27 * 27 * 256, 5 * 5 * 48 * 256, 5 * 5 * 48 * 256 * 27 * 27),
    "conv3": (13 * 13 * 384, 3 * 3 * 256 * 384, 3 * 3 * 256 * 384 * 13 * 13),
    "conv4": (13 * 13 * 384, 3 * 3 * 192 * 384, 3 * 3 * 192 * 384 * 13 * 13),
    "conv5": (13 * 13 * 256, 3 * 3 * 192 * 256, 3 * 3 * 192 * 256 * 13 * 13),
    "fc6": (4096, 6 * 6 * 256 * 4096, 6 * 6 * 256 * 4096),
    "fc7": (4096, 4096 * 4096, 4096 * 4096),
    "fc8": (1000, 4096 * 1000, 4096 * 1000),
}
QUANTITIES = ("units", "weights", "connections")
CANARY = "CANARY-8d41c2 conv1 weights 31337"
MB = 1024 * 1024


# ---------------------------------------------------------------- the good submissions


def markdown_table(layers=KEY, title="# AlexNet: units, weights and connections") -> str:
    rows = "".join(f"| {layer} | {u:,} | {w:,} | {c:,} |\n" for layer, (u, w, c) in layers.items())
    return f"{title}\n\n| Layer | Units | Weights | Connections |\n|---|---|---|---|\n{rows}"


def workbook_bytes() -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "AlexNet"
    sheet.append(["Layer", "Units", "Weights", "Connections"])
    for layer, figures in KEY.items():
        sheet.append([layer, *figures])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def document_bytes() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_heading("AlexNet homework", level=1)
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ("Layer", "Units", "Weights", "Connections")):
        cell.text = text
    for layer, figures in KEY.items():
        cells = table.add_row().cells
        for cell, text in zip(cells, (layer, *(f"{n:,}" for n in figures))):
            cell.text = text
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def notebook_text() -> str:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": markdown_table().splitlines(keepends=True)}]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def alice_text() -> str:
    """Working written out, as students do: products, then the figure."""
    shapes = {"conv1": "55×55×96", "conv2": "27×27×256", "conv3": "13×13×384", "conv4": "13×13×384",
              "conv5": "13×13×256"}
    kernels = {"conv1": "11×11×3×96", "conv2": "5×5×48×256", "conv3": "3×3×256×384", "conv4": "3×3×192×384",
               "conv5": "3×3×192×256", "fc6": "6×6×256×4096", "fc7": "4096×4096", "fc8": "4096×1000"}
    rows = []
    for layer, (units, weights, connections) in KEY.items():
        unit_text = f"{shapes[layer]} = {units:,}" if layer in shapes else f"{units:,}"
        rows.append(f"| {layer} | {unit_text} | {kernels[layer]} = {weights:,} | {connections:,} |")
    return ("# Homework 2: AlexNet\n\n| Layer | Units | Weights | Connections |\n|---|---|---|---|\n"
            + "\n".join(rows) + "\n")


# ---------------------------------------------------------------- the hostile and broken cases


def zipped_with(data: bytes, member: str, content: bytes) -> bytes:
    import io

    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, content if info.filename == member else old.read(info))
    return stream.getvalue()


def write_zip_bomb(path: Path) -> None:
    """A workbook with a member of 210 MB of zeros: about 200 KB on disk."""
    path.write_bytes(workbook_bytes())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as member:
            for _ in range(210):
                member.write(bytes(MB))


def long_cells_workbook() -> bytes:
    """22 million characters of text in 23,000 cells: 1 MB zipped, under the unzipped size limit."""
    import io

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("notes")
    for _ in range(2300):
        sheet.append(["lorem ipsum " * 80] * 10)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def write_formatting_bomb(document: bytes, path: Path) -> None:
    """A docx of 190 MB of empty bold runs: 600 KB on disk, under the unzipped size limit, and 2.5 GB
    in memory once python-docx has parsed it."""
    import io

    with zipfile.ZipFile(io.BytesIO(document)) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != "word/document.xml":
                new.writestr(info, old.read(info))
                continue
            head, tail = old.read(info).split(b"<w:body>", 1)
            with new.open(info.filename, "w", force_zip64=True) as member:
                member.write(head + b"<w:body>")
                runs = b"<w:p><w:r><w:rPr><w:b/><w:i/></w:rPr><w:t></w:t></w:r></w:p>" * 16384
                for _ in range(190 * MB // len(runs)):
                    member.write(runs)
                member.write(tail)


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                     for n in range(1, 10))
          + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")

STUDENT_HTML = ('<script>alert("pwned")</script><img src=x onerror=alert(1)>'
                '<svg onload=alert(2)></svg><a href="javascript:alert(3)">click</a>')


def build_class(root: Path) -> tuple[Path, dict[str, tuple[str, str | None]]]:
    """The class folder and, for each file in it, the expected status and a piece of the reason
    (None where any wording will do); symbolic links and the pipe map to their skip reason."""
    folder, outside = root / "class", root / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "canary.md").write_text(CANARY + "\n")
    expected: dict[str, tuple[str, str | None]] = {}

    def put(name: str | bytes, content: bytes | str, status: str, reason: str | None = None) -> None:
        path = Path(os.fsdecode(folder / os.fsdecode(name)))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        expected[path.relative_to(folder).as_posix()] = (status, reason)

    # good submissions, in several formats and encodings
    put("alice.md", alice_text(), "good")
    put("bob.xlsx", workbook_bytes(), "good")
    put("chen_utf16.md", codecs.BOM_UTF16_LE + markdown_table(title="# AlexNet 各层参数").encode("utf-16-le"), "good")
    put("dong_gbk.txt", markdown_table(title="# AlexNet 各层参数（神经元、权重、连接数）").encode("gbk"), "good")
    # mislabelled: the content wins
    put("docx_named.xlsx", document_bytes(), "good")
    put("xlsx_named.docx", workbook_bytes(), "good")
    put("notebook_named.md", notebook_text(), "good")
    # a folder per student: conv layers in one file, FC layers in another, and a broken third
    conv = {layer: figures for layer, figures in KEY.items() if layer.startswith("conv")}
    put("eve/conv.md", markdown_table(conv), "good")
    put("eve/fc.txt", markdown_table({layer: KEY[layer] for layer in KEY if layer not in conv}), "good")
    put("eve/photo.docx", b"\x89PNG\r\n\x1a\n" + bytes(300), "unreadable", "PNG image")
    # empty
    put("empty.md", b"", "empty")
    put("blank.txt", "\n  \n\t\n", "empty")
    # not text, not a document
    rng = random.Random(6)
    put("noise.txt", rng.randbytes(64 * 1024), "unreadable", "binary file, not text")
    put("noise.csv", rng.randbytes(4096), "unreadable", "binary file, not text")
    put("paper.md", b"%PDF-1.7\n" + rng.randbytes(2000), "unreadable", "not a valid PDF")
    put("scan.docx", b"\x89PNG\r\n\x1a\n" + rng.randbytes(2000), "unreadable", "PNG image")
    # corrupt and truncated, every format
    workbook, document = workbook_bytes(), document_bytes()
    put("cut.xlsx", workbook[: len(workbook) // 2], "unreadable", "not a valid xlsx workbook")
    put("cut.docx", document[: len(document) // 2], "unreadable", "not a valid docx document")
    put("cut.ipynb", notebook_text()[:300], "unreadable", "not a valid Jupyter notebook")
    put("damaged.xlsx", zipped_with(workbook, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"),
        "unreadable", "not a valid xlsx workbook")
    put("cut_utf16.md", (codecs.BOM_UTF16_LE + markdown_table().encode("utf-16-le"))[:-1], "graded")
    rows = "".join(f"{layer},{u},{w},{c}\n" for layer, (u, w, c) in KEY.items())
    table_csv = "Layer,Units,Weights,Connections\n" + rows
    put("cut.csv", table_csv[: table_csv.index("conv3") + 9], "graded")
    put("deep.ipynb", '{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}", "unreadable", "not a valid Jupyter notebook")
    # bombs
    bomb = folder / "bomb.xlsx"
    write_zip_bomb(bomb)
    expected["bomb.xlsx"] = ("unreadable", "over the 200 MB limit")
    put("laughs.docx", zipped_with(document, "word/document.xml", LAUGHS), "unreadable", "declares a DTD or entities")
    put("long_cells.xlsx", long_cells_workbook(), "unreadable", "over the 20,000,000-character limit")
    write_formatting_bomb(document, folder / "formatting.docx")
    expected["formatting.docx"] = ("unreadable", "its XML unzips to 190 MB, over the 30 MB limit")
    # too big, too long, too many
    with (folder / "huge.md").open("w") as stream:
        row = "| conv1 | 290,400 | 34,848 | 105,415,200 |\n"
        stream.write(row * (30 * MB // len(row) + 1))
    expected["huge.md"] = ("unreadable", "over the 20 MB limit")
    put("one_line.md", "conv1 " + "34848 " * (5 * MB // 6), "unreadable", "line 1 is over the 100,000-character limit")
    put("numbers.md", "".join(f"conv{n % 5 + 1} {n} {2 * n} {3 * n} {4 * n}\n" for n in range(40_000)),
        "unreadable", "over the 50,000-number limit")
    # expressions over the evaluator's limits, among answers it can read
    put("power.md", "conv1 weights = 9**9**9\nconv2 weights = 10^10^10^10\nconv3 weights = "
        + "(" * 3000 + "3" + ")" * 3000 + "\nconv4 weights = 3×3×192×384 = 663,552\n", "graded")
    # student HTML, and names made to be shown
    put("html_answer.html", f"<html><body>{STUDENT_HTML}<table><tr><th>Layer</th><th>Weights</th></tr>"
        "<tr><td>conv1</td><td>34,848</td></tr></table></body></html>", "graded")
    put("markdown_html.md", f"{STUDENT_HTML}\n\n| Layer | Weights |\n|---|---|\n| conv1 {STUDENT_HTML} | 34,848 |\n",
        "graded")
    # markup the readers strip leaves markup behind: "<scr<b>ipt onmouseover=...>" gives "<scr ipt onmouseover=...>"
    put("html_cells.csv", 'Layer,Weights\nconv1,"34848 (<scr<b>ipt onmouseover=alert(3)>x)"\n'
        'conv2,"307200 (<<script>script>alert(2)<</script>/script>)"\n'
        'conv3,"=HYPERLINK(""http://evil.example"") 884736"\n'
        "conv4,663552 @SUM(A1)\n", "graded")
    put('"><img src=x onerror=alert(1)>.md', "conv1 weights: 34,848\n", "graded")
    put("<script>alert(1)<!-- .md", "conv1 weights: 34,848\n", "graded")
    for n, name in enumerate(("=1+2", "+SUM(1)", "-2+3", "@SUM(A1)")):
        put(f"{name}.md", f"conv{n + 1} units: {KEY[f'conv{n + 1}'][0]:,}\n", "graded")
    put(b"\xff\xfe-latin1-\xe9.md", "conv1 weights: 34,848\n", "graded")
    put("x" * 240 + ".md", "conv1 weights: 34,848\n", "graded")
    put("red\x1b[31mname\x1b]0;title\x07\nline.md", "conv1 weights: 34,848\n", "graded")
    put("escapes.md", "conv1 weights: 34,848\nconv2 weights: 307,200 \x1b[2J\x1b[31m\n", "graded")
    # links and things that are not files
    (folder / "canary.md").symlink_to(outside / "canary.md")
    (folder / "eve" / "borrowed.md").symlink_to(outside / "canary.md")
    (folder / "outside_folder").symlink_to(outside, target_is_directory=True)
    (folder / "loop.md").symlink_to("loop.md")
    (folder / "gone.md").symlink_to(outside / "deleted.md")
    os.mkfifo(folder / "pipe.md")
    for name, reason in (("canary.md", "leading out of the graded folder"),
                         ("eve/borrowed.md", "leading out of the graded folder"),
                         ("outside_folder", "leading out of the graded folder"),
                         ("loop.md", "a loop of symbolic links"), ("gone.md", "broken symbolic link"),
                         ("pipe.md", "not a regular file")):
        expected[name] = ("skipped", reason)
    return folder, expected


# ---------------------------------------------------------------- running and checking


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under the folder, links not followed: a file by its hash, a link by its target."""
    entries = {}
    for current, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(current) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                entries[key] = "-> " + os.readlink(path)
            elif path.is_file():
                entries[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                entries[key] = "dir" if path.is_dir() else "other"
    return entries


LAUNCHER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], timeout=120)  # the bound the issue sets, far above the few seconds it takes
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(done.returncode)
"""


def grade(folder: Path, out: Path, *extra: str) -> tuple[str, int]:
    """Run `grader grade`; its output and the largest resident size among its processes, in KB."""
    env = {**os.environ, "COLUMNS": "400"}  # one line per message, however long the name
    done = subprocess.run([sys.executable, "-c", LAUNCHER, sys.executable, "-m", "grader", "grade", str(folder),
                           "--out", str(out), *extra],
                          capture_output=True, text=True, errors="replace", env=env, cwd=PROJECT_ROOT, timeout=150)
    assert done.returncode == 0, done.stderr
    return done.stdout, int(done.stderr.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    folder, expected = build_class(root)
    before = snapshot(folder)
    out = root / "reports"
    stdout, max_rss_kb = grade(folder, out)
    results = {}
    for path in (out / "results").glob("*.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        results[result["submission"]] = result
    return {"root": root, "folder": folder, "expected": expected, "before": before, "out": out,
            "stdout": stdout, "max_rss_kb": max_rss_kb, "results": results}


def by_file(results: dict) -> dict[str, dict]:
    return {name: result for result in results.values() for name in result["files"]}


def shown_name(name: str) -> str:
    """A name as the reports show it: each byte that is not UTF-8 (kept by Python as U+DC80 + the
    byte) and each control character as its \\xNN escape."""
    return re.sub("[\udc80-\udcff\x00-\x1f\x7f-\x9f]",
                  lambda m: f"\\x{ord(m[0]) % 0xDC00:02x}", name)


def skipped_lines(stdout: str) -> dict[str, str]:
    found = {}
    for line in stdout.splitlines():
        match = re.match(r"\s+skipped: (.+?): (.+)$", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_every_file_has_a_result_or_a_reason_to_be_skipped(graded):
    files = by_file(graded["results"])
    skipped = skipped_lines(graded["stdout"])
    shown = {shown_name(name): expected for name, expected in graded["expected"].items()}
    assert set(files) | set(skipped) == set(shown)
    assert not set(files) & set(skipped)
    for name, (status, reason) in shown.items():
        if status == "skipped":
            assert reason in skipped[name], (name, skipped[name])
            continue
        result = files[name]
        if len(result["files"]) == 1:  # a folder's files share one result: checked below
            assert result["status"] == ("graded" if status == "good" else status), (name, result["errors"])
        if reason:
            told = result["errors"] + [item["text"] for item in result.get("review", [])]
            assert any(reason in text and name.split("/")[-1] in text for text in told), (name, told)
    # no file made the grader fail: a failure would say so, and ask to be reported
    for result in graded["results"].values():
        assert not any("grader failed" in e or "worker process" in e or "took over" in e for e in result["errors"])


def test_the_good_submissions_are_graded_correctly(graded):
    files = by_file(graded["results"])
    good = sorted({name.split("/")[0] for name, (status, _) in graded["expected"].items() if status == "good"})
    assert len(good) == 8
    for name in good:
        result = files.get(name) or next(r for r in graded["results"].values() if r["submission"] == name)
        assert result["status"] == "graded", name
        asked = {(a["layer"], a["quantity"]): a for a in result["answers"] if a["asked"]}
        assert set(asked) == {(layer, q) for layer in KEY for q in QUANTITIES}, name
        for (layer, quantity), answer in asked.items():
            assert answer["value"] == KEY[layer][QUANTITIES.index(quantity)], (name, layer, quantity)
            assert answer["verdict"] == "correct", (name, layer, quantity, answer["verdict"])
        assert result["score"] == 24 and result["pitfalls"] == [], name  # the two written questions unanswered


def answers(result: dict) -> dict[tuple[str, str], dict]:
    return {(a["layer"], a["quantity"]): a for a in result["answers"] if a["asked"]}


def test_what_can_be_read_of_a_broken_file_is_graded(graded):
    files = by_file(graded["results"])
    cut = answers(files["cut.csv"])  # cut off in the conv3 row
    assert all(cut[layer, q]["verdict"] == "correct" for layer in ("conv1", "conv2") for q in QUANTITIES)
    assert all(cut[layer, q]["verdict"] == "missing" for layer in ("conv4", "conv5", "fc6") for q in QUANTITIES)
    power = answers(files["power.md"])
    assert power["conv4", "weights"]["verdict"] == "correct"
    # 9**9**9, 10^10^10^10 and 3,000 nested brackets are not evaluated, nor made into giant numbers
    assert all(abs(a["value"]) < 10**12 for a in power.values() if isinstance(a["value"], (int, float)))
    assert power["conv2", "weights"]["value"] is None


def test_the_graded_folder_is_unchanged(graded):
    assert snapshot(graded["folder"]) == graded["before"]


def test_nothing_outside_the_folder_was_read(graded):
    canary = CANARY.encode()
    for path in graded["out"].rglob("*"):
        if path.is_file():
            assert canary not in path.read_bytes(), path
    assert "31337" not in graded["stdout"]


class Markup(HTMLParser):
    """Elements and attributes a browser would act on."""

    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.handlers: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.handlers += [(tag, name) for name, value in attrs
                          if name.startswith("on") or (value or "").strip().lower().startswith("javascript:")]


def test_no_student_html_is_shown_unescaped(graded):
    out = graded["out"]
    texts = [a["text"] for a in by_file(graded["results"])["html_cells.csv"]["answers"] if a["text"]]
    # the reports had student markup to escape, and a cell a spreadsheet would take for a formula
    assert any("<scr ipt onmouseover=" in text for text in texts) and any(t.startswith("=HYPERLINK") for t in texts)
    pages = [out / "index.html", *(out / "feedback").glob("*.html")]
    assert len(pages) == len(graded["results"]) + 1
    for page in pages:
        markup = Markup()
        markup.feed(page.read_text(encoding="utf-8"))
        assert not markup.tags & {"script", "img", "iframe", "object"}, page  # the dashboard draws its bars in HTML
        assert markup.handlers == [], page
    for page in (out / "feedback").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<\s*(script|img|svg|a)\b", text, re.IGNORECASE), page
    for path in out.rglob("*"):  # nor a control character a terminal would obey
        if path.suffix in (".html", ".md", ".csv", ".json") and ".cache" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), path
            assert path.suffix != ".json" or not re.search(r"\\u00[01]", text), path  # nor escaped in JSON
    assert "\x1b" not in graded["stdout"]
    for sheet in (out / "gradebook").glob("*.csv"):
        for line in sheet.read_text(encoding="utf-8").splitlines():
            assert not re.search(r'(^|,)"?[=+\-@]', line), (sheet, line)
    import openpyxl

    book = openpyxl.load_workbook(out / "gradebook" / "answers.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert not any(cell.data_type == "f" for cell in row), sheet.title


def test_memory_stays_under_one_and_a_half_gigabytes(graded):
    assert graded["max_rss_kb"] < 1.5 * 1024 * 1024


def test_a_second_run_gives_the_same_reports(graded, tmp_path):
    """From scratch again, one file at a time in the grader's own process this time."""
    again = tmp_path / "again"
    stdout, _ = grade(graded["folder"], again, "--workers", "1")
    assert stdout.replace(str(again), "OUT") == graded["stdout"].replace(str(graded["out"]), "OUT")

    def tree(out: Path) -> dict:
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
                if p.is_file() and ".cache" not in p.parts}

    first, second = tree(graded["out"]), tree(again)
    assert first.keys() == second.keys()
    for name in first:
        assert first[name].replace(str(graded["folder"]).encode(), b"DIR") == \
            second[name].replace(str(graded["folder"]).encode(), b"DIR"), name


@pytest.mark.parametrize("where", ["results", "feedback", "gradebook", ".cache/limits-x", "results/sub", "link"])
def test_a_graded_folder_where_reports_go_is_refused(tmp_path, where):
    """Its files would be overwritten by reports, and removed as old reports."""
    from grader.batch import grade_folder
    from grader.core import GraderError

    out = tmp_path / "reports"
    folder = tmp_path / "class" if where == "link" else out / where
    folder.mkdir(parents=True)
    if where == "link":  # the reports' results folder is a link to the graded folder
        out.mkdir()
        (out / "results").symlink_to(folder, target_is_directory=True)
    (folder / "amy.json").write_text('{"a student\'s": "file"}')
    with pytest.raises(GraderError, match="the graded folder is where"):
        grade_folder(folder, rubric="alexnet-paper", out=out, workers=1)
    assert [p.name for p in folder.iterdir()] == ["amy.json"] and not (out / "index.html").exists()


def test_report_names_differ_in_more_than_case(tmp_path):
    """Amy.md and amy.md are two students, and two reports on a file system that ignores case."""
    from grader.batch.listing import compile_id_pattern, find_submissions

    for name in ("Amy.md", "amy.md", "AMY.txt", "amy"):
        (tmp_path / name).write_text("conv1 weights 34848\n")
    submissions, _ = find_submissions(tmp_path, compile_id_pattern(None))
    keys = [submission.key.casefold() for submission in submissions]
    assert len(set(keys)) == len(keys) == 4
