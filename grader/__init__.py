"""Grader for the 'count the units, weights and connections of each CNN layer' homework."""

__version__ = "0.1.0"
