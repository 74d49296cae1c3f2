"""Memoised pure functions of a text. While a document is weighed, the same cell or line is
cleaned, scanned and read once per rule that looks at it (a line is cleaned three times on
average), and across a class the same texts recur (a header row, the right answer written the same
way by many students): each is worked out once per process. Only functions of their arguments
alone (the vocabulary and the specs are fixed for a process) may be memoised, and their results
must be immutable. The one setting of the document a text is read under, its decimal mark
(`DECIMAL_COMMA` below, which numbers.py reads), is part of every key."""
from __future__ import annotations

from contextvars import ContextVar
from functools import lru_cache, wraps

TEXTS = 4096  # distinct calls kept per function and process; the least recently used go first
LONGEST = 4096  # characters: a longer text (rare, and costly to keep) is worked out every time

# The document's own way with numbers, set by the extractor for the document it reads: where it
# groups thousands with dots ("290.400", "884.736"), its comma is a decimal mark even before three
# digits and a scale word ("34,848 Tsd." is 34,848).
DECIMAL_COMMA: ContextVar[bool] = ContextVar("decimal_comma", default=False)


def memoised(function):
    """`function` of a text (first argument; the others hashable), with an immutable result,
    worked out once per distinct call."""
    cached = lru_cache(maxsize=TEXTS)(lambda _convention, *args, **kwargs: function(*args, **kwargs))

    @wraps(function)
    def call(text, *args, **kwargs):
        if len(text) > LONGEST:
            return function(text, *args, **kwargs)
        return cached(DECIMAL_COMMA.get(), text, *args, **kwargs)

    return call


def memoised_list(function):
    """`function` of a text, with a list of immutable values as its result, worked out once per
    distinct call; each caller gets a list of its own, since callers sort and extend what they get."""
    cached = lru_cache(maxsize=TEXTS)(lambda _convention, *args, **kwargs: tuple(function(*args, **kwargs)))

    @wraps(function)
    def call(text, *args, **kwargs):
        if len(text) > LONGEST:
            return function(text, *args, **kwargs)
        return list(cached(DECIMAL_COMMA.get(), text, *args, **kwargs))

    return call
