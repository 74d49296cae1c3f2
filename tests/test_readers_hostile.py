"""Broken and hostile files: every one gives a Document or an UnreadableError with a reason a
person understands, never another exception, and bounded work (limits, zip bombs, XML entities)."""
from __future__ import annotations

import json
import os
import random
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, HealthCheck, given, settings
from hypothesis import strategies as st

from grader.core import Document, Table, UnreadableError
from grader.readers import Limits, read

DATA = Path(__file__).parent / "data" / "readers"
EXTENSIONS = [".md", ".txt", ".tex", ".csv", ".tsv", ".ipynb", ".xlsx", ".docx", ".py", ".dat", ""]


def unreadable(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(UnreadableError) as caught:
        read(path, limits=limits)
    message = str(caught.value)
    assert message.startswith(str(path)), message  # the message names the file
    return message


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_empty_and_blank_files_are_empty_documents(tmp_path, extension):
    for name, content in (("empty", b""), ("blank", b"\n \n\t\n")):
        path = tmp_path / f"{name}{extension}"
        path.write_bytes(content)
        if extension == ".ipynb" and content:
            assert "not a valid Jupyter notebook" in unreadable(path)
            continue
        document = read(path)
        assert isinstance(document, Document) and document.blocks == ()


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_random_bytes_are_binary_not_text(tmp_path, extension):
    path = tmp_path / f"noise{extension}"
    path.write_bytes(random.Random(7).randbytes(4096))
    message = unreadable(path)
    if extension in (".xlsx", ".docx"):
        assert "not a valid" in message
    else:
        assert "binary file, not text" in message


@pytest.mark.parametrize("fixture, kind", [("alexnet_cached.xlsx", "xlsx workbook"),
                                          ("alexnet_script.xlsx", "xlsx workbook"),
                                          ("alexnet.docx", "docx document")])
def test_truncated_zipped_documents(tmp_path, fixture, kind):
    data = (DATA / fixture).read_bytes()
    for cut in (100, len(data) // 2, len(data) - 30):
        path = tmp_path / f"cut{cut}{Path(fixture).suffix}"
        path.write_bytes(data[:cut])
        assert f"not a valid {kind}" in unreadable(path)


def test_zip_without_the_parts_of_its_extension(tmp_path):
    path = tmp_path / "answer.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "conv1 34848")
    assert "not a valid xlsx workbook" in unreadable(path)
    other = tmp_path / "answer.zip"
    shutil.copy(path, other)
    assert "a zip archive, not a submission" in unreadable(other)


def test_workbook_with_a_broken_part(tmp_path):
    path = tmp_path / "broken.xlsx"
    _rewrite_member(DATA / "alexnet_cached.xlsx", path, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row")
    assert "not a valid xlsx workbook" in unreadable(path)


def test_mislabelled_files_are_read_by_content(tmp_path):
    text_as_xlsx = tmp_path / "answer.xlsx"
    text_as_xlsx.write_text("| Layer | Weights |\n|---|---|\n| conv1 | 34848 |\n")
    document = read(text_as_xlsx)
    assert document.format == "markdown" and isinstance(document.blocks[0], Table)
    notebook_as_txt = tmp_path / "answer.txt"
    shutil.copy(DATA / "alexnet.ipynb", notebook_as_txt)
    assert read(notebook_as_txt).format == "notebook"


@pytest.mark.parametrize("magic, reason", [
    (b"%PDF-1.7\n", "not a valid PDF"), (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff\xe0", "JPEG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old .doc/.xls"),
])
def test_known_binary_formats_are_named(tmp_path, magic, reason):
    path = tmp_path / "answer.docx"
    path.write_bytes(magic + bytes(200))
    assert reason in unreadable(path)


def test_missing_file_and_folder(tmp_path):
    assert "no such file" in unreadable(tmp_path / "nope.md")
    assert "not a regular file" in unreadable(tmp_path)


def test_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.md"
    with path.open("wb") as stream:  # sparse: nothing is read, the size is enough
        stream.truncate(20 * 1024 * 1024 + 1)
    assert "over the 20 MB limit" in unreadable(path)
    small = tmp_path / "small.md"
    small.write_text("x" * 2048)
    assert "over the 1 KB limit" in unreadable(small, Limits(max_bytes=1024))


def test_line_count_line_length_and_cell_limits(tmp_path):
    path = tmp_path / "answer.md"
    path.write_text("conv1 34848\n" * 20)
    assert "over the 10-line limit" in unreadable(path, Limits(max_lines=10))
    path.write_text("1" * 5000)
    assert "line 1 is over the 1,000-character limit" in unreadable(path, Limits(max_line_chars=1000))
    path.write_text("a\tb\tc\n" * 10)
    assert "over the 20-cell limit" in unreadable(path, Limits(max_cells=20))
    assert "over the 5-cell limit" in unreadable(DATA / "alexnet_script.xlsx", Limits(max_cells=5))
    assert "over the 5-cell limit" in unreadable(DATA / "alexnet.docx", Limits(max_cells=5))
    assert "over the 5-cell limit" in unreadable(DATA / "alexnet_excel.csv", Limits(max_cells=5))


def test_embedded_base64_image_does_not_count_as_a_long_line(tmp_path):
    path = tmp_path / "typora.md"
    path.write_text("conv1: 34848 ![shot](data:image/png;base64," + "A" * 300_000 + ")\n")
    assert read(path).blocks[0].text == "conv1: 34848 shot"


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    path = tmp_path / "bomb.xlsx"
    _rewrite_member(DATA / "alexnet_cached.xlsx", path, "xl/padding.bin", bytes(3 * 1024 * 1024))
    assert path.stat().st_size < 100_000
    message = unreadable(path, Limits(max_unzipped_bytes=2 * 1024 * 1024))
    assert "unzips to" in message and "over the 2 MB limit" in message
    members = tmp_path / "many.docx"
    _rewrite_member(DATA / "alexnet.docx", members, "word/extra.xml", b"<a/>", copies=50)
    assert "parts, over the 40-part limit" in unreadable(members, Limits(max_zip_members=40))


@pytest.mark.parametrize("fixture, member", [("alexnet_cached.xlsx", "xl/worksheets/sheet1.xml"),
                                             ("alexnet.docx", "word/document.xml")])
def test_xml_entity_declarations_are_refused(tmp_path, fixture, member):
    laughs = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<lolz>&lol2;</lolz>')
    path = tmp_path / Path(fixture).name
    _rewrite_member(DATA / fixture, path, member, laughs)
    assert "declares a DTD or entities" in unreadable(path)
    utf16 = tmp_path / ("utf16" + Path(fixture).suffix)
    _rewrite_member(DATA / fixture, utf16, member, laughs.decode().replace("1.0\"?>", "1.0\" encoding=\"UTF-16\"?>")
                    .encode("utf-16"))
    assert "declares a DTD or entities" in unreadable(utf16)


def test_broken_notebooks(tmp_path):
    path = tmp_path / "answer.ipynb"
    path.write_text('{"cells": [ {"cell_type": ')
    assert "not a valid Jupyter notebook (invalid JSON" in unreadable(path)
    path.write_text("[1, 2, 3]")
    assert "not a valid Jupyter notebook (no list of cells)" in unreadable(path)
    path.write_text('{"cells": ' + "[" * 50_000 + "]" * 50_000 + "}")
    assert "not a valid Jupyter notebook" in unreadable(path)
    # odd but valid JSON: cells and outputs of the wrong shapes are skipped
    odd = {"cells": [1, None, {"cell_type": "code", "outputs": [3, {"output_type": "stream", "text": 5}]},
                     {"cell_type": "markdown", "source": 7}, {"cell_type": "markdown", "source": ["conv1 = ", 34848]}]}
    path.write_text(json.dumps(odd))
    assert [block.text for block in read(path).blocks] == ["conv1 ="]
    many = {"cells": [{"cell_type": "markdown", "source": "conv1\n34848"}] * 30}
    path.write_text(json.dumps(many))
    assert "over the 50-line limit" in unreadable(path, Limits(max_lines=50))


def test_spreadsheet_formula_cycles_and_long_chains(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"] = "=B1+1", "=A1+1"  # a cycle
    for row in range(1, 400):  # a chain deeper than the formula depth limit
        sheet.cell(row, 3, f"=C{row + 1}+1")
    sheet["C400"] = 1
    sheet["D1"] = "=" + "+".join(["1"] * 5000)
    path = tmp_path / "cycles.xlsx"
    book.save(path)
    (table,) = read(path).blocks
    assert [cell.text for cell in table.rows[0][:2]] == ["=B1+1", "=A1+1"]
    assert table.rows[-1][2].text == "1"
    assert table.rows[0][3].text.endswith("= 5000")


def _rewrite_member(source: Path, target: Path, member: str, content: bytes, copies: int = 1) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != member:
                new.writestr(info, old.read(info))
        for n in range(copies):
            new.writestr(member if n == 0 else f"{member}.{n}", content)


# ---------------------------------------------------------------- arbitrary input

_TABLEISH = st.text(alphabet="|\t -=:$*x×0123456789ab卷\n&\\{}<>!#[]()", max_size=400)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=600), _TABLEISH.map(lambda s: s.encode("utf-8"))),
       extension=st.sampled_from(EXTENSIONS))
def test_arbitrary_input_gives_a_document_or_unreadable(tmp_path, content, extension):
    path = tmp_path / f"arbitrary{extension}"
    path.write_bytes(content)
    try:
        document = read(path)
    except UnreadableError:
        return
    for block in document.blocks:
        rows = block.rows if isinstance(block, Table) else ()
        assert all(isinstance(cell.text, str) for row in rows for cell in row)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=10_000), flip=st.integers(min_value=0, max_value=10_000),
       fixture=st.sampled_from(["alexnet_cached.xlsx", "alexnet.docx", "alexnet.ipynb"]))
@example(cut=0, flip=46, fixture="alexnet_cached.xlsx")  # a damaged deflate stream: zlib.error once escaped
def test_damaged_documents_give_a_document_or_unreadable(tmp_path, cut, flip, fixture):
    data = bytearray((DATA / fixture).read_bytes())
    data[flip % len(data)] ^= 0x5A
    path = tmp_path / fixture
    path.write_bytes(bytes(data[: len(data) - cut % len(data)]))
    try:
        read(path)
    except UnreadableError:
        pass


def test_the_xlsx_reader_never_sees_more_than_the_zip_declares(tmp_path):
    # A member whose stream inflates past its declared size: zipfile stops at the declared size
    # and the CRC check fails, so the file is refused rather than inflated without bound.
    path = tmp_path / "liar.xlsx"
    _rewrite_member(DATA / "alexnet_cached.xlsx", path, "xl/padding.xml", b"<a>" + b" " * 100_000 + b"</a>")
    data = bytearray(path.read_bytes())
    entry = data.rfind(b"PK\x01\x02")  # the last central directory entry: xl/padding.xml
    declared = int.from_bytes(data[entry + 24:entry + 28], "little")
    data[entry + 24:entry + 28] = (declared // 100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert "not a valid xlsx workbook" in unreadable(path)


def test_os_errors_become_unreadable(tmp_path):
    path = tmp_path / "locked.md"
    path.write_text("conv1 34848")
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    path.chmod(0)
    assert "cannot be opened" in unreadable(path)
