"""What `grader grade` read, kept in `OUT/.cache/` so a re-run (after a rubric change, say)
re-scores without reading unchanged files again.

The cache holds the Document, the reader's output: it does not depend on the rubric, and
extraction, comparison and scoring (cheap next to reading a workbook or a DOCX) run again on it.
An entry is keyed by the file's SHA-256 and by a fingerprint of the reading code (the readers and
the core types), so a reader that changed never serves a stale Document. A file that could not be
read is cached with its reason.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from grader.core import Cell, Document, Source, Table, TextLine

FORMAT = 1


@lru_cache(maxsize=None)
def reader_fingerprint() -> str:
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"cache format {FORMAT}".encode())
    for path in sorted([package / "core.py", *(package / "readers").rglob("*.py")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def entry_path(cache_dir: Path, digest: str) -> Path:
    return cache_dir / f"{digest}-{reader_fingerprint()}.json"


def _source(source: Source) -> dict:
    return source.to_json()


def document_to_json(document: Document) -> dict:
    blocks = []
    for block in document.blocks:
        if isinstance(block, Table):
            blocks.append({"table": [[[cell.text, _source(cell.source)] for cell in row] for row in block.rows],
                           "source": _source(block.source), "has_header": block.has_header})
        else:
            blocks.append({"line": block.text, "source": _source(block.source), "heading": block.heading})
    return {"path": document.path, "format": document.format, "encoding": document.encoding, "blocks": blocks}


def document_from_json(data: dict) -> Document:
    blocks = []
    for block in data["blocks"]:
        if "table" in block:
            rows = tuple(tuple(Cell(text, Source(**source)) for text, source in row) for row in block["table"])
            blocks.append(Table(rows, Source(**block["source"]), block["has_header"]))
        else:
            blocks.append(TextLine(block["line"], Source(**block["source"]), block["heading"]))
    return Document(data["path"], data["format"], tuple(blocks), data.get("encoding"))


def load(cache_dir: Path, digest: str, path: str) -> Document | str | None:
    """The cached Document (its path set to `path`), the cached reason it was unreadable, or None."""
    entry = entry_path(cache_dir, digest)
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        if "unreadable" in data:  # the reason names the file it was first read as
            return str(data["unreadable"]).replace(data["path"], path) if data["path"] else str(data["unreadable"])
        document = document_from_json(data["document"])
    except (KeyError, TypeError, ValueError):
        return None
    return Document(path, document.format, document.blocks, document.encoding)


def store(cache_dir: Path, digest: str, path: str, outcome: Document | str) -> None:
    from grader.report.render import write_atomic

    if isinstance(outcome, str):
        data = {"unreadable": outcome, "path": path}
    else:
        data = {"document": document_to_json(outcome)}
    write_atomic(entry_path(cache_dir, digest), json.dumps(data, ensure_ascii=False))
