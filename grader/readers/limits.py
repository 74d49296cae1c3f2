"""Bounds on the work one submission may cause, so a hostile file cannot stall a batch."""
from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from grader.core import GraderError

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-file limits; the defaults are far above any real homework (the longest real answers
    run to about 2,000 lines and 700 numbers, and grade in a second)."""

    max_bytes: int = 20 * MB  # size of the file on disk
    max_unzipped_bytes: int = 200 * MB  # declared total of an xlsx/docx zip's members
    max_xml_bytes: int = 30 * MB  # of those, the XML parts: python-docx holds 14 times their size in memory
    max_zip_members: int = 5_000
    max_lines: int = 100_000  # lines of text (paragraphs of a docx)
    max_line_chars: int = 100_000  # one line of text, after embedded images are dropped
    max_cells: int = 200_000  # spreadsheet / table cells visited
    max_text_chars: int = 20_000_000  # text read from one file: a zipped one may unzip to far more than its size
    max_numbers: int = 50_000  # numbers written ("34,848" is one): the extractor weighs each one
    max_pages: int = 200  # of a PDF
    max_pixels: int = 60_000_000  # of an image or a scanned page as the OCR sees it (a 48-megapixel photo fits)
    max_formula_depth: int = 100  # nesting and chains of references in a spreadsheet formula
    max_seconds: float = 60.0  # grading one file in `grader grade`, from reading to score

    @classmethod
    def parse(cls, text: str) -> Limits:
        """The defaults with some changed, as `--limits` writes them: "seconds=120,bytes=50MB"
        (names without their `max_`; sizes in bytes or with KB, MB, GB)."""
        known = {field.name.removeprefix("max_"): field for field in fields(cls)}
        changes = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            name, equals, value = (piece.strip() for piece in item.partition("="))
            if name not in known:
                raise GraderError(f"--limits: unknown limit {name!r} (known: {', '.join(known)})")
            if not equals or not value:
                raise GraderError(f"--limits: {item!r} needs a value: {name}=...")
            field = known[name]
            changes[field.name] = _quantity(name, value, float if field.type in (float, "float") else int)
        return replace(cls(), **changes)

    def reading(self) -> Limits:
        """These limits but the time limit: what decides how a file is read (a cache key)."""
        return replace(self, max_seconds=Limits().max_seconds)


_SIZE = re.compile(r"(?i)(\d+(?:\.\d+)?)\s*(kb|mb|gb|k|m|g)?")
_UNITS = {None: 1, "k": 1024, "kb": 1024, "m": MB, "mb": MB, "g": 1024 * MB, "gb": 1024 * MB}


def _quantity(name: str, value: str, kind: type) -> int | float:
    match = _SIZE.fullmatch(value)
    if not match or (match.group(2) and not name.endswith("bytes")):
        raise GraderError(f"--limits: {name}={value!r} is not a {'size' if name.endswith('bytes') else 'number'}")
    number = float(match.group(1)) * _UNITS[match.group(2) and match.group(2).lower()]
    if number <= 0:
        raise GraderError(f"--limits: {name} must be more than 0")
    if kind is int and number != int(number):
        raise GraderError(f"--limits: {name}={value!r} is not a whole number")
    return float(number) if kind is float else int(number)


def size_text(n: int) -> str:
    """20971520 -> '20 MB', for messages a person reads."""
    if n >= MB:
        return f"{n / MB:.3g} MB"
    if n >= 1024:
        return f"{n / 1024:.3g} KB"
    return f"{n} bytes"
