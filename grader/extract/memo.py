"""Memoised pure functions of a text. While a document is weighed, the same cell or line is
cleaned, scanned and read once per rule that looks at it (a line is cleaned three times on
average), and across a class the same texts recur (a header row, the right answer written the same
way by many students): each is worked out once per process. Only functions of their arguments
alone (the vocabulary and the specs are fixed for a process) may be memoised, and their results
must be immutable."""
from __future__ import annotations

from functools import lru_cache, wraps

TEXTS = 4096  # distinct calls kept per function and process; the least recently used go first
LONGEST = 4096  # characters: a longer text (rare, and costly to keep) is worked out every time


def memoised(function):
    """`function` of a text (first argument; the others hashable), with an immutable result,
    worked out once per distinct call."""
    cached = lru_cache(maxsize=TEXTS)(function)

    @wraps(function)
    def call(text, *args, **kwargs):
        return (cached if len(text) <= LONGEST else function)(text, *args, **kwargs)

    return call


def memoised_list(function):
    """`function` of a text, with a list of immutable values as its result, worked out once per
    distinct call; each caller gets a list of its own, since callers sort and extend what they get."""
    cached = lru_cache(maxsize=TEXTS)(lambda *args, **kwargs: tuple(function(*args, **kwargs)))

    @wraps(function)
    def call(text, *args, **kwargs):
        if len(text) > LONGEST:
            return function(text, *args, **kwargs)
        return list(cached(text, *args, **kwargs))

    return call
