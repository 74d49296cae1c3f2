"""Jupyter notebooks: Markdown cells read as Markdown (tables too), raw cells as text, and the text
a code cell printed (stream output, text/plain or text/markdown results). Code itself is not read:
its numbers are layer definitions, not answers; what it computed shows in its output."""
from __future__ import annotations

import json
import re

from grader.core import Block, Document, Source, UnreadableError
from grader.readers.limits import Limits
from grader.readers.markdown import parse_text
from grader.readers.tables import CellBudget


# A JSON escape may name half of a UTF-16 pair ("\\ud800"): no character, and no UTF-8 either.
_HALF_CHARACTER = re.compile("[\ud800-\udfff]")


def looks_like_notebook(text: str) -> bool:
    head = text.lstrip()[:65536]
    return head.startswith("{") and ('"cells"' in head or '"worksheets"' in head)


def read_notebook(text: str, *, path: str, encoding: str | None, limits: Limits) -> Document:
    try:
        notebook = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        detail = f"line {err.lineno}: {err.msg}" if isinstance(err, json.JSONDecodeError) else "nested too deeply"
        raise UnreadableError(f"{path}: not a valid Jupyter notebook (invalid JSON, {detail})") from None
    cells = _cells(notebook)
    if cells is None:
        raise UnreadableError(f"{path}: not a valid Jupyter notebook (no list of cells)")
    blocks: list[Block] = []
    budget = CellBudget(limits.max_cells, path)
    lines_left = limits.max_lines
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            continue
        for text, flavour in _texts(cell):
            text = _HALF_CHARACTER.sub("\ufffd", text)
            lines_left -= text.count("\n") + 1
            if lines_left < 0:
                raise UnreadableError(f"{path}: over the {limits.max_lines:,}-line limit")
            blocks += parse_text(text, path=path, limits=limits, flavour=flavour, budget=budget,
                                 locate=lambda n, index=index: Source(notebook_cell=index, line=n))
    return Document(path=path, format="notebook", blocks=tuple(blocks), encoding=encoding)


def _texts(cell: dict) -> list[tuple[str, str]]:
    """The texts of one cell to read, each with its flavour of text."""
    kind = cell.get("cell_type")
    if kind == "markdown":
        return [(_joined(cell.get("source")), "markdown")]
    if kind == "heading":  # nbformat 3
        level = cell.get("level") if isinstance(cell.get("level"), int) else 1
        return [("#" * max(1, min(level, 6)) + " " + _joined(cell.get("source")), "markdown")]
    if kind == "raw":
        return [(_joined(cell.get("source")), "plain")]
    if kind == "code":
        outputs = cell.get("outputs")
        return [text for text in map(_output_text, outputs if isinstance(outputs, list) else ()) if text[0]]
    return []


def _cells(notebook: object) -> list | None:
    if not isinstance(notebook, dict):
        return None
    if isinstance(notebook.get("cells"), list):
        return notebook["cells"]
    worksheets = notebook.get("worksheets")  # nbformat 3
    if isinstance(worksheets, list) and worksheets and isinstance(worksheets[0], dict):
        cells = worksheets[0].get("cells")
        return cells if isinstance(cells, list) else None
    return None


def _joined(source: object) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return ""


def _output_text(output: object) -> tuple[str, str]:
    """The text of one output and how to read it; errors (tracebacks) and images give nothing."""
    if not isinstance(output, dict):
        return "", "plain"
    kind = output.get("output_type")
    if kind == "stream":
        return _joined(output.get("text")), "plain"
    if kind in ("execute_result", "display_data", "pyout"):
        data = output.get("data")
        if isinstance(data, dict):
            if "text/markdown" in data:
                return _joined(data["text/markdown"]), "markdown"
            return _joined(data.get("text/plain")), "plain"
        return _joined(output.get("text")), "plain"  # nbformat 3
    return "", "plain"
