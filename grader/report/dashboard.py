"""The class dashboard (`OUT/index.html`): one self-contained page, charts as inline SVG, no
script and no network, readable printed. Everything on it comes from `stats.class_stats`."""
from __future__ import annotations

from typing import BinaryIO

from grader.report.render import stream_html
from grader.report.stats import ClassStats, SlotAccuracy
from grader.report.teaching import explain, format_score


def _chart(stats: ClassStats) -> dict:
    """Bars of the score histogram, laid out here so the template only places them."""
    width, height, left, top, bottom = 640, 220, 30, 20, 30
    bins = stats.bins
    if not bins or not any(b.count for b in bins):
        return {"bars": ()}
    peak = max(b.count for b in bins)
    slot = (width - left - 10) / len(bins)
    base = height - bottom
    bars = []
    for i, b in enumerate(bins):
        h = round((base - top) * b.count / peak, 1)
        label = format_score(b.low)
        bars.append({"x": round(left + i * slot + 2, 1), "w": round(slot - 4, 1), "y": round(base - h, 1),
                     "h": h, "count": b.count, "low": format_score(b.low), "high": format_score(b.high),
                     "label": label})
    step = bins[1].low - bins[0].low if len(bins) > 1 else 1
    caption = "points" if step == 1 else f"points (each bar from its label, {format_score(step)} wide)"
    return {"bars": bars, "width": width, "height": height, "left": left, "base": base, "caption": caption}


def _heat(slot: SlotAccuracy) -> str:
    """Red (nobody right) to green (everybody right), pale enough to print."""
    share = slot.credited / slot.total if slot.total else 0
    return f"hsl({round(120 * share)}, 60%, 88%)"


def _titles(stats: ClassStats) -> dict[str, str]:
    titles = {}
    for p in stats.pitfalls:
        title = explain(p.code).title
        titles[p.code] = "" if title == p.code else title
    return titles


def _page(stats: ClassStats, *, assignment: str, links: dict[str, str], skipped: tuple[tuple[str, str], ...]) -> dict:
    names = {row.key: row.name if row.name == row.key else f"{row.name} ({row.key})" for row in stats.submissions}
    graded = dict(stats.statuses).get("graded", 0)
    return dict(stats=stats, assignment=assignment or stats.rubric, links=links, names=names,
                titles=_titles(stats), chart=_chart(stats), heat=_heat,
                graded=graded, several_networks=len({network for network, _ in stats.layers}) > 1, skipped=skipped)


def write_dashboard(target: BinaryIO, stats: ClassStats, *, assignment: str, links: dict[str, str],
                    skipped: tuple[tuple[str, str], ...] = ()) -> None:
    """The page, written as it is rendered: it lists every student, and a class of ten thousand
    rendered whole took 50 MB. `links` maps a submission to its feedback page, relative to the
    dashboard."""
    stream_html(target, "dashboard.html.j2", **_page(stats, assignment=assignment, links=links, skipped=skipped))
