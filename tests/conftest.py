"""Shared pytest configuration."""
from __future__ import annotations


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/*.out from the current output (review the diff before committing)")
