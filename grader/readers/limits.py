"""Bounds on the work one submission may cause, so a hostile file cannot stall a batch."""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-file limits; the defaults are far above any real homework."""

    max_bytes: int = 20 * MB  # size of the file on disk
    max_unzipped_bytes: int = 200 * MB  # declared total of an xlsx/docx zip's members
    max_zip_members: int = 5_000
    max_lines: int = 500_000  # lines of text (paragraphs of a docx)
    max_line_chars: int = 100_000  # one line of text, after embedded images are dropped
    max_cells: int = 200_000  # spreadsheet / table cells visited
    max_formula_depth: int = 100  # nesting and chains of references in a spreadsheet formula


def size_text(n: int) -> str:
    """20971520 -> '20 MB', for messages a person reads."""
    if n >= MB:
        return f"{n / MB:.3g} MB"
    if n >= 1024:
        return f"{n / 1024:.3g} KB"
    return f"{n} bytes"
