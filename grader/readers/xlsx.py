"""XLSX workbooks: the tables and notes of each sheet (tables.sheet_blocks), cells named "B4" on
their sheet.

Values are the cached ones Excel saved. A workbook written by a script (openpyxl with formulas)
has none: those formulas are evaluated here (formula.py, never eval). A formula made only of
numbers shows as the student's working, "11*11*3*96 = 34848"."""
from __future__ import annotations

import datetime
import io
import re

from grader.core import Cell, Document, Source, UnreadableError
from grader.readers.formula import FormulaError, column_letters, column_number, evaluate, has_references
from grader.readers.limits import Limits
from grader.readers.tables import sheet_blocks
from grader.readers.zipguard import check_zip

Grid = dict[tuple[int, int], object]  # (row, column) -> value, 1-based, empty cells absent
_ARITHMETIC_ONLY = re.compile(r"[\d\s.+\-*/^()%eE]+")


def read_xlsx(data: bytes, *, path: str, limits: Limits) -> Document:
    check_zip(data, path, "xlsx workbook", limits)
    try:
        formulas = _load(data, path, limits, data_only=False)
        has_formulas = any(_is_formula(v) for grid in formulas.values() for v in grid.values())
        cached = _load(data, path, limits, data_only=True) if has_formulas else formulas
    except UnreadableError:
        raise
    except Exception as err:  # noqa: BLE001 - openpyxl raises many kinds on a corrupt file
        raise UnreadableError(f"{path}: not a valid xlsx workbook ({_reason(err)})") from None
    values = _Values(formulas, cached, limits)
    blocks = []
    for sheet, grid in formulas.items():
        blocks.extend(_sheet_blocks(sheet, grid, values))
    return Document(path=path, format="xlsx", blocks=tuple(blocks))


def _reason(err: Exception) -> str:
    text = str(err).strip().splitlines()[0][:120] if str(err).strip() else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _load(data: bytes, path: str, limits: Limits, *, data_only: bool) -> dict[str, Grid]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False)
    try:
        sheets: dict[str, Grid] = {}
        visited = 0
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # scripts write wrong <dimension> tags; read what is there
            grid: Grid = {}
            for r, row in enumerate(sheet.iter_rows(values_only=True), 1):
                visited += len(row) + 1
                if visited > limits.max_cells:
                    raise UnreadableError(f"{path}: over the {limits.max_cells:,}-cell limit")
                for c, value in enumerate(row, 1):
                    if value is not None and value != "":
                        grid[(r, c)] = value
            sheets[sheet.title] = grid
        return sheets
    finally:
        workbook.close()


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=") and len(value) > 1 or hasattr(value, "text")


def _formula_text(value: object) -> str:
    return value.text if hasattr(value, "text") else str(value)  # ArrayFormula keeps its text in .text


class _Values:
    """A cell's value: cached where the workbook has one, else its formula evaluated (memoised,
    cycles refused)."""

    def __init__(self, formulas: dict[str, Grid], cached: dict[str, Grid], limits: Limits) -> None:
        self.formulas, self.cached, self.limits = formulas, cached, limits
        self.memo: dict[tuple[str, int, int], object] = {}
        self.pending: set[tuple[str, int, int]] = set()

    def value(self, sheet: str, r: int, c: int) -> object:
        raw = self.formulas.get(sheet, {}).get((r, c))
        if not _is_formula(raw):
            return raw
        saved = self.cached.get(sheet, {}).get((r, c))
        if saved is not None and not _is_formula(saved):
            return saved
        key = (sheet, r, c)
        if key in self.memo:
            return self.memo[key]
        if key in self.pending or len(self.pending) > self.limits.max_formula_depth:
            raise FormulaError("circular or too deep references")
        self.pending.add(key)
        try:
            result = evaluate(_formula_text(raw), sheet=sheet, lookup=self.lookup,
                              max_depth=self.limits.max_formula_depth)
        finally:
            self.pending.discard(key)
        self.memo[key] = result
        return result

    def lookup(self, sheet: str, coordinate: str) -> object:
        match = re.fullmatch(r"([A-Z]+)(\d+)", coordinate)
        if sheet not in self.formulas:
            raise FormulaError(f"no sheet {sheet!r}")
        return self.value(sheet, int(match.group(2)), column_number(match.group(1)))

    def text(self, sheet: str, r: int, c: int) -> str:
        raw = self.formulas[sheet][(r, c)]
        if not _is_formula(raw):
            return _display(raw)
        formula = _formula_text(raw)
        try:
            shown = _display(self.value(sheet, r, c))
        except (FormulaError, RecursionError):
            return formula  # what the student wrote, when it has no value we can compute
        expression = formula.lstrip("=").strip()
        if _ARITHMETIC_ONLY.fullmatch(expression) and not has_references(expression):
            return f"{expression} = {shown}"
        return shown


def _display(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


def _sheet_blocks(sheet: str, grid: Grid, values: _Values) -> list:
    if not grid:
        return []
    first_column = min(c for _, c in grid)
    by_row: dict[int, list[int]] = {}
    for r, c in grid:
        by_row.setdefault(r, []).append(c)
    runs: list[list[list[Cell]]] = []  # rows between blank rows
    previous = None
    for r in sorted(by_row):
        if previous is None or r > previous + 1:
            runs.append([])
        previous = r
        last = max(by_row[r])
        runs[-1].append([Cell(values.text(sheet, r, c) if (r, c) in grid else "",
                              Source(sheet=sheet, cell=f"{column_letters(c)}{r}"))
                         for c in range(first_column, last + 1)])
    return sheet_blocks(runs, number_cells=False)
