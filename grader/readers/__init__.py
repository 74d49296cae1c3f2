"""The read stage: a submission file to a Document of blocks that keep their source.

    from grader.readers import read, Limits
    document = read(Path("alice.md"))

The format is chosen by content first and by extension second (the seeds are Markdown, tab-separated
text and OCR'd LaTeX saved as .txt; students mislabel files): a zip is an xlsx or a docx by the parts
inside it, JSON with "cells" is a notebook, text whose every line splits into the same fields is CSV, bytes starting "%PDF-" are a PDF and an
image is an image (read through OCR, an optional extra), whatever their names.
Anything that cannot be read raises UnreadableError naming the file and the reason; an empty file
is a Document with no blocks.
"""
from __future__ import annotations

import errno
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Callable

from grader.core import Document, UnreadableError, block_texts
from grader.readers.decode import decode_text
from grader.readers.delimited import looks_delimited, read_delimited
from grader.readers.image import IMAGE_EXTENSIONS, image_kind, read_image
from grader.readers.limits import Limits, size_text
from grader.readers.markdown import read_markdown
from grader.readers.notebook import looks_like_notebook, read_notebook
from grader.readers.pdf import read_pdf
from grader.readers.word import read_docx
from grader.readers.xlsx import read_xlsx
from grader.readers.zipguard import zip_names

__all__ = ["FORMATS", "Format", "Limits", "link_failure", "read", "read_data", "why_missing"]


def _read_tex(text: str, *, path: str, encoding: str | None, limits: Limits) -> Document:
    return read_markdown(text, path=path, encoding=encoding, limits=limits, flavour="tex")


# A line comment's marker ("# ", "// ", "% ", "-- "); "#define" and other directives are code.
_COMMENT_MARKER = re.compile(r"^([ \t]*)(#(?![a-z])|//+|%+|--(?!-))", re.MULTILINE)


def _read_code(text: str, *, path: str, encoding: str | None, limits: Limits) -> Document:
    """Source code: its comments are text (a pasted `model.summary()` or a worked count is often
    one), read with their markers blanked so that the columns of a commented table stay aligned."""
    text = _COMMENT_MARKER.sub(lambda m: m[1] + " " * len(m[2]), text)
    return read_markdown(text, path=path, encoding=encoding, limits=limits, flavour="plain")


@dataclass(frozen=True, slots=True)
class Format:
    """One readable format: its name (Document.format), the extensions that claim it, and its
    reader, which takes decoded text (`binary` False) or the file's bytes (`binary` True)."""

    name: str
    extensions: tuple[str, ...]
    reader: Callable[..., Document]
    binary: bool = False


# The registry: explicit, in one place. Text of an unknown extension is read as Markdown.
FORMATS: tuple[Format, ...] = (
    Format("markdown", (".md", ".markdown", ".mdown", ".txt", ".text", ".rst", ".html", ".htm"), read_markdown),
    Format("latex", (".tex",), _read_tex),
    Format("text", (".py", ".m", ".r", ".jl", ".js", ".java", ".c", ".cc", ".cpp", ".h", ".lua"), _read_code),
    Format("csv", (".csv", ".tsv"), read_delimited),
    Format("notebook", (".ipynb",), read_notebook),
    Format("xlsx", (".xlsx", ".xlsm"), read_xlsx, binary=True),
    Format("docx", (".docx",), read_docx, binary=True),
    Format("pdf", (".pdf",), read_pdf, binary=True),
    Format("image", IMAGE_EXTENSIONS, read_image, binary=True),
)
_BY_NAME = {fmt.name: fmt for fmt in FORMATS}
_BY_EXTENSION = {ext: fmt for fmt in FORMATS for ext in fmt.extensions}
_ZIP_KINDS = {".xlsx": "xlsx workbook", ".xlsm": "xlsx workbook", ".docx": "docx document"}
_BINARY_KINDS = {"pdf": "PDF (no PDF header)", "image": "image (not PNG, JPEG, GIF, TIFF, BMP or WebP)"}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}

# Files students hand in that are not text and not a supported document: say what they are.
_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "an old .doc/.xls file or a password-protected Office file; save it as .docx or .xlsx"),
    (b"Rar!\x1a\x07", "a RAR archive, not a submission"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive, not a submission"),
    (b"\x1f\x8b", "a gzip archive, not a submission"),
)


def read(path: Path, *, limits: Limits | None = None) -> Document:
    """Read one submission; UnreadableError (a GraderError) when it cannot be read."""
    limits = limits or Limits()
    path = Path(path)
    return read_data(_read_bytes(path, str(path), limits), str(path), limits=limits)


def read_data(data: bytes, name: str, *, limits: Limits | None = None) -> Document:
    """Read a submission held in memory (an upload to `grader serve`): `name` is only what the
    messages and the Document call it, and its extension the format it claims; nothing is opened."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise UnreadableError(f"{name}: {len(data):,} bytes, over the {size_text(limits.max_bytes)} limit")
    extension = PurePath(name).suffix.lower()
    claimed = _BY_EXTENSION.get(extension)
    if not data:
        return Document(path=name, format=claimed.name if claimed else "markdown", blocks=())
    document = _read_data(data, name, extension, claimed, limits)
    _check_size(document, limits)
    return document


def _read_data(data: bytes, name: str, extension: str, claimed: Format | None, limits: Limits) -> Document:
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _read_zip(data, name, extension, limits)
    if data.startswith(b"%PDF-") or (extension == ".pdf" and b"%PDF-" in data[:1024]):  # junk may precede it
        return read_pdf(data, path=name, limits=limits)
    if image_kind(data):
        return read_image(data, path=name, limits=limits)
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        raise UnreadableError(f"{name}: a HEIC photo, which is not supported; save it as JPEG or PNG")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnreadableError(f"{name}: {what}")
    try:
        text, encoding = decode_text(data, name)
    except UnreadableError:
        if extension in _ZIP_KINDS:
            raise UnreadableError(f"{name}: not a valid {_ZIP_KINDS[extension]} (not a zip archive)") from None
        if claimed is not None and claimed.name in _BINARY_KINDS:
            raise UnreadableError(f"{name}: not a valid {_BINARY_KINDS[claimed.name]}") from None
        raise
    fmt = _text_format(text, claimed)
    return fmt.reader(text, path=name, encoding=encoding, limits=limits)


# A number as the extractor sees it, roughly: digits, with separators inside ("34,848", "3.14").
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _check_size(document: Document, limits: Limits) -> None:
    """The extractor's work grows with the text and the numbers written: a file of them by the
    hundred thousand (a dump of weights, a generated file, a workbook of long cells) is refused
    before it is extracted."""
    chars = sum(map(len, block_texts(document.blocks)))
    if chars > limits.max_text_chars:
        raise UnreadableError(f"{document.path}: {chars:,} characters of text, over the "
                              f"{limits.max_text_chars:,}-character limit")
    found = itertools.chain.from_iterable(_NUMBER.finditer(text) for text in block_texts(document.blocks))
    if next(itertools.islice(found, limits.max_numbers, None), None) is not None:
        raise UnreadableError(f"{document.path}: over the {limits.max_numbers:,}-number limit")


def link_failure(err: BaseException) -> str:
    """Why a symbolic link cannot be followed, from the error of resolving it strictly."""
    if isinstance(err, RuntimeError) or getattr(err, "errno", None) == errno.ELOOP:  # RuntimeError before 3.13
        return "a loop of symbolic links"
    if isinstance(err, FileNotFoundError):
        return "broken symbolic link (its target does not exist)"
    return f"symbolic link that cannot be followed ({getattr(err, 'strerror', None) or err})"


def why_missing(path: Path) -> str:
    """What to say of a path that does not exist: a broken link, or a loop of links, is no plain
    "no such file"."""
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError) as err:
            return link_failure(err)
    return "no such file"


def _read_bytes(path: Path, name: str, limits: Limits) -> bytes:
    try:
        if not path.is_file():
            raise UnreadableError(f"{name}: not a regular file" if path.exists() else f"{name}: {why_missing(path)}")
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise UnreadableError(f"{name}: {size:,} bytes, over the {size_text(limits.max_bytes)} limit")
        with path.open("rb") as stream:
            data = stream.read(limits.max_bytes + 1)  # the file may have grown since stat
    except OSError as err:
        raise UnreadableError(f"{name}: cannot be opened ({err.strerror or err})") from None
    if len(data) > limits.max_bytes:
        raise UnreadableError(f"{name}: over the {size_text(limits.max_bytes)} limit")
    return data


def _read_zip(data: bytes, name: str, extension: str, limits: Limits) -> Document:
    kind = _ZIP_KINDS.get(extension, "document")
    parts = set(zip_names(data, name, kind))
    if "xl/workbook.xml" in parts:
        return read_xlsx(data, path=name, limits=limits)
    if "word/document.xml" in parts:
        return read_docx(data, path=name, limits=limits)
    if "ppt/presentation.xml" in parts:
        raise UnreadableError(f"{name}: a PowerPoint file, which is not supported")
    if "mimetype" in parts and any(part.startswith("META-INF/") for part in parts):
        raise UnreadableError(f"{name}: an OpenDocument file, which is not supported; save it as .docx or .xlsx")
    if extension in _ZIP_KINDS:
        raise UnreadableError(f"{name}: not a valid {kind} (a zip archive without its parts)")
    raise UnreadableError(f"{name}: a zip archive, not a submission")


def _text_format(text: str, claimed: Format | None) -> Format:
    """Where the content contradicts the extension, the content wins."""
    if looks_like_notebook(text):
        if claimed is not None and claimed.name == "notebook":
            return claimed
        try:  # JSON with "cells" that parses is a notebook, whatever its name
            json.loads(text)
            return _BY_NAME["notebook"]
        except (ValueError, RecursionError):
            pass
    if claimed is not None and claimed.name in ("notebook", "csv", "latex", "text"):
        return claimed
    if looks_delimited(text):
        return _BY_NAME["csv"]
    return _BY_NAME["markdown"]
