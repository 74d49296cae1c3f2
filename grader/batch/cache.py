"""What `grader grade` read, kept in `OUT/.cache/` so a re-run (after a rubric change, say)
re-scores without reading unchanged files again: only comparison and scoring run again.

Two kinds of entries, both keyed by the file's *source key*: the SHA-256 of its bytes and of its
extension, which together decide the reader (the format is chosen by content, then by extension:
the same text is Markdown as .txt and no notebook as .ipynb), so a file handed in twice under one
extension is read once and one student's grade never depends on another's file:
- the Document, the reader's output, with a fingerprint of the reading code (the readers, the core
  types, the grader's version) and, by its folder, of the limits it was read under; a file that
  could not be read is kept with its reason;
- the extracted Answers, with a fingerprint of the extraction code (extract, the pipeline, reference
  engine, network specs, core types, the grader's version) and of what the rubric asks (extraction
  is given only those networks and quantities), so a rubric that changes points, deductions or
  conventions re-uses them.
Code that changed never serves a stale entry: its fingerprint changed. The cache only saves time:
an entry that cannot be read is read again from the file, and one that cannot be written raises
OSError, which the batch takes as the end of caching for the run, never as a student's error.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from grader import __version__
from grader.core import SPECS_DIR, Answer, Cell, Document, Quantity, Source, Table, TextLine
from grader.readers.limits import Limits
from grader.report.render import write_atomic

FORMAT = 2
PACKAGE = Path(__file__).resolve().parent.parent


def _fingerprint(paths) -> str:
    digest = hashlib.sha256(f"cache format {FORMAT}, grader {__version__}".encode())
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=None)
def reader_fingerprint() -> str:
    from grader.readers.ocr import ocr_available

    # an image read without the OCR ("install the ocr extra") is read again once it is installed
    return _fingerprint([PACKAGE / "core.py", *(PACKAGE / "readers").rglob("*.py")]) \
        + ("-ocr" if ocr_available() else "")


@lru_cache(maxsize=None)
def extraction_fingerprint() -> str:
    return _fingerprint([PACKAGE / "core.py", *(PACKAGE / "extract").rglob("*.py"),
                         *(PACKAGE / "extract").rglob("*.yaml"), *(PACKAGE / "reference").rglob("*.py"),
                         PACKAGE / "pipeline.py",
                         *SPECS_DIR.glob("*.yaml")])


def source_key(path: Path) -> str:
    """What decides how a file is read: its bytes and its extension (as the readers compare it)."""
    digest = hashlib.sha256(f"extension {path.suffix.lower()!r}\n".encode("utf-8", "surrogateescape"))
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def entry_path(cache_dir: Path, digest: str) -> Path:
    return cache_dir / f"{digest}-{reader_fingerprint()}.json"


def answers_path(cache_dir: Path, digest: str, quantities: dict) -> Path:
    asked = json.dumps(sorted((network, [str(q) for q in qs]) for network, qs in quantities.items()))
    key = hashlib.sha256(f"{extraction_fingerprint()} {asked}".encode()).hexdigest()[:16]
    return cache_dir / f"{digest}-{key}.answers.json"


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
    if isinstance(outcome, str):
        data = {"unreadable": outcome, "path": path}
    else:
        data = {"document": document_to_json(outcome)}
    # escaped to ASCII: the path of a file named in bytes that are not UTF-8 holds lone surrogates
    write_atomic(entry_path(cache_dir, digest), json.dumps(data))


def _value(value):
    return tuple(value) if isinstance(value, list) else value


def answer_to_json(answer: Answer) -> dict:
    return {"network": answer.network, "layer": answer.layer, "quantity": str(answer.quantity),
            "value": answer.value, "source": answer.source.to_json(), "expression": answer.expression,
            "computed": answer.computed, "approximate": answer.approximate, "confidence": answer.confidence,
            "text": answer.text}


def answer_from_json(data: dict) -> Answer:
    return Answer(data["network"], data["layer"], Quantity(data["quantity"]), _value(data["value"]),
                  Source(**data["source"]), expression=data["expression"], computed=_value(data["computed"]),
                  approximate=data["approximate"], confidence=data["confidence"], text=data["text"])


def load_answers(cache_dir: Path, digest: str, quantities: dict) -> tuple[Answer, ...] | None:
    try:
        data = json.loads(answers_path(cache_dir, digest, quantities).read_text(encoding="utf-8"))
        return tuple(answer_from_json(item) for item in data["answers"])
    except (OSError, KeyError, TypeError, ValueError):
        return None


def store_answers(cache_dir: Path, digest: str, quantities: dict, answers: tuple[Answer, ...]) -> None:
    write_atomic(answers_path(cache_dir, digest, quantities),
                 json.dumps({"answers": [answer_to_json(a) for a in answers]}, ensure_ascii=False))


class Cache:
    """The cache of one run, in `folder` (None: no cache): an entry that cannot be read is a miss,
    and the first one that cannot be written (a full disk, a folder owned by someone else, a file
    where the folder should be) turns the cache off for the rest of this process, its reason kept
    in `failure` for one warning. A cache never decides a grade."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.failure: str | None = None

    def _failed(self, err: OSError) -> None:
        self.failure = f"{err.filename or self.folder}: {err.strerror or err}"
        self.folder = None

    def document(self, key: str, path: str) -> Document | str | None:
        return load(self.folder, key, path) if self.folder else None

    def keep_document(self, key: str, path: str, outcome: Document | str) -> None:
        if self.folder:
            try:
                store(self.folder, key, path, outcome)
            except OSError as err:
                self._failed(err)

    def answers(self, key: str, quantities: dict) -> tuple[Answer, ...] | None:
        return load_answers(self.folder, key, quantities) if self.folder else None

    def keep_answers(self, key: str, quantities: dict, answers: tuple[Answer, ...]) -> None:
        if self.folder:
            try:
                store_answers(self.folder, key, quantities, answers)
            except OSError as err:
                self._failed(err)


def cache_dir(out: Path, limits: Limits) -> Path:
    """A file is read differently under other limits (one over the default size limit is read under
    a larger one): what was read under them is kept apart."""
    reading = limits.reading()
    if reading == Limits():
        return out / ".cache"
    return out / ".cache" / ("limits-" + hashlib.sha256(repr(reading).encode()).hexdigest()[:12])


def usable_cache_dir(out: Path, limits: Limits, warn) -> Path | None:
    """The cache folder, made; None (and a warning) when it cannot be: the run goes on without it."""
    folder = cache_dir(out, limits)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        warn(f"{err.filename or folder}: {err.strerror or err}")
        return None
    return folder


def sweep_temporaries(folder: Path | None) -> None:
    """The temporary files of cache writes that never finished: a worker stopped in the middle of
    one when the run failed (write_atomic's names, ".<name>.<random>.tmp")."""
    if folder is None or not folder.is_dir():
        return
    for path in folder.glob(".*.tmp"):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # the run is failing already: its own error is the one to report
