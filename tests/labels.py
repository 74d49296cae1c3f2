"""Labelled submissions checked against a JSON result, as ../shared/tools/check_labels.py does it:
the helpers live in benchmarks/labels.py, shared with the accuracy benchmark."""
from benchmarks.labels import (  # noqa: F401  (re-exported for the tests)
    grade_problems, labelled_slots, load_label, missed_answers, pitfall_problems, raised,
    result_problems, same, unanswered_points)
