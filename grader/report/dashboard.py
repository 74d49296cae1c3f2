"""The class dashboard (`OUT/index.html`): one self-contained page, no script and no network,
readable on a phone and printed. The scores and the per-student table come first; the histogram is
drawn in HTML (rows of bars that fit any width), and every figure is written out, none shown only
on hover. Everything on it comes from `stats.class_stats`."""
from __future__ import annotations

from typing import BinaryIO

from grader.report.render import stream_html
from grader.report.stats import ClassStats, SlotAccuracy, SubmissionRow
from grader.report.teaching import explain

# The longest bar, as a share of its cell: room is left for the count written after it.
_LONGEST_BAR = 85


def _histogram(stats: ClassStats) -> tuple[dict, ...]:
    """One row per score bin, low scores first, its bar as a share of the tallest."""
    bins = stats.bins
    if not any(b.count for b in bins):
        return ()
    peak = max(b.count for b in bins)
    return tuple({"bin": b, "share": round(_LONGEST_BAR * b.count / peak, 1)} for b in bins)


def _heat(slot: SlotAccuracy) -> str:
    """Red (nobody right) to green (everybody right), pale enough to print."""
    share = slot.credited / slot.total if slot.total else 0
    return f"hsl({round(120 * share)}, 60%, 88%)"


def _others(slot: SlotAccuracy) -> tuple[tuple[str, int], ...]:
    """The verdicts written under a cell's credited/total: all but plain correct, which it implies."""
    return tuple((verdict, n) for verdict, n in slot.verdicts if n and verdict != "correct")


def _also_known_as(row: SubmissionRow) -> str:
    """The student's ID and the submission's name where they are not the name already shown."""
    return ", ".join(dict.fromkeys(part for part in (row.student_id, row.key) if part != row.name))


def _explanations(stats: ClassStats) -> dict[str, tuple[str, str]]:
    """code -> (title, what it does); empty for a code the registry does not know."""
    shown = {}
    for p in stats.pitfalls:
        view = explain(p.code)
        shown[p.code] = ("" if view.title == p.code else view.title, view.what)
    return shown


def _page(stats: ClassStats, *, assignment: str, links: dict[str, str], skipped: tuple[tuple[str, str], ...]) -> dict:
    names = {row.key: row.name if row.name == row.key else f"{row.name} ({row.key})" for row in stats.submissions}
    graded = dict(stats.statuses).get("graded", 0)
    return dict(stats=stats, assignment=assignment or stats.rubric, links=links, names=names,
                explained=_explanations(stats), histogram=_histogram(stats), heat=_heat, others=_others,
                also_known_as=_also_known_as, graded=graded,
                several_networks=len({network for network, _ in stats.layers}) > 1, skipped=skipped)


def write_dashboard(target: BinaryIO, stats: ClassStats, *, assignment: str, links: dict[str, str],
                    skipped: tuple[tuple[str, str], ...] = ()) -> None:
    """The page, written as it is rendered: it lists every student, and a class of ten thousand
    rendered whole took 50 MB. `links` maps a submission to its feedback page, relative to the
    dashboard."""
    stream_html(target, "dashboard.html.j2", **_page(stats, assignment=assignment, links=links, skipped=skipped))
