"""The Rich console every verb prints through. On a terminal, tables fit its width; piped to a
file, a pager or a notebook cell there is no width to fit, so nothing is wrapped or cut: Rich's
default of 80 columns turned `37,752,832` into `37,752,8…` and split error lines mid-message."""
from __future__ import annotations

import sys

# Wide enough for any table row a report prints; lines outside tables are not wrapped at all.
UNBOUNDED = 100_000


def on_terminal(stream) -> bool:
    """Whether `stream` is a terminal (by the device, not by FORCE_COLOR, which only asks for colour)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed
        return False


def console(*, stderr: bool = False):
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    if on_terminal(stream):
        return Console(highlight=False, stderr=stderr)
    return Console(highlight=False, stderr=stderr, width=UNBOUNDED, soft_wrap=True)


def boxed(target) -> bool:
    """Whether panels (boxes as wide as the console) suit `target`: only on a terminal."""
    return target.width < UNBOUNDED


def table(title: str, columns, *, right=(), whole=()):
    """A Rich table of `columns`. On a terminal too narrow for it, the columns of text fold onto
    more lines first; figures (the `right` columns, aligned right) and the `whole` columns (single
    words: a layer, a verdict, a code) keep their width, and nothing is ever cut with an ellipsis."""
    from rich.table import Table

    shown = Table(title=title, title_justify="left")
    for column in columns:
        shown.add_column(column, justify="right" if column in right else "left", overflow="fold",
                         no_wrap=column in right or column in whole)
    return shown
