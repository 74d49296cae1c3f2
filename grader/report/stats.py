"""The class at a glance, computed from saved results only (the JSON of `OUT/results/`), so the
dashboard and `grader stats` count exactly what the per-submission results say.

Counting rules (the dashboard's test recomputes them from the JSON), applied as the results come
(`ClassTally`: what each result adds is worked out where it is written, `tally_entry`, and nothing
of its answers is kept but their verdicts counted per slot and the wrong values no pitfall
explains); the table of one row per answer (`answer_table`, what `grader stats --csv/--xlsx`
writes) is a pandas DataFrame, made only when asked for:
- a student "made" a pitfall when its code is in the result's `pitfalls` list or on one of its
  answers; its layers are the union of both;
- accuracy per slot counts the asked answers of graded submissions; `credited` is correct + accepted;
- a shared wrong value is one (network, layer, quantity, value) judged `wrong` with no pitfall,
  given by two students or more;
- the review queue is ordered by what a TA must act on (`grader.core.REVIEW_KINDS`): files not
  read, files graded as nothing or under the wrong rubric, readings the grader is not sure of,
  conflicting values, shared wrong values; then by submission. Each row says where to look.
"""
from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from grader.core import REVIEW_KINDS, GraderError
from grader.report.teaching import CREDITED, describe_source, format_score, format_value

VERDICTS = ("correct", "accepted", "follow-through", "wrong", "missing", "review")
STATUSES = ("graded", "empty", "unreadable")


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    key: str  # the submission's name in OUT/results and OUT/feedback
    student_id: str
    name: str
    status: str
    score: float | None
    max_score: float
    pitfalls: tuple[str, ...]
    errors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PitfallCount:
    code: str
    students: tuple[tuple[str, tuple[str, ...]], ...]  # (submission, its layers), by submission
    layers: tuple[tuple[str, int], ...]  # (layer, how many students), most frequent first

    @property
    def count(self) -> int:
        return len(self.students)


@dataclass(frozen=True, slots=True)
class SlotAccuracy:
    network: str
    layer: str
    quantity: str
    verdicts: tuple[tuple[str, int], ...]  # every verdict of VERDICTS with its count

    @property
    def total(self) -> int:
        return sum(count for _, count in self.verdicts)

    @property
    def credited(self) -> int:
        return sum(count for verdict, count in self.verdicts if verdict in CREDITED)


@dataclass(frozen=True, slots=True)
class SharedWrong:
    network: str
    layer: str
    quantity: str
    value: str
    students: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    submission: str
    reason: str
    text: str
    where: str  # the source line, cell or file to look at
    kind: str = "other"  # one of REVIEW_KINDS: the queue's order


@dataclass(frozen=True, slots=True)
class ScoreBin:
    """The `count` scores from `low` to `top`, both included; the next bin starts above `top`."""
    low: float
    top: float
    count: int

    @property
    def label(self) -> str:
        return format_score(self.low) if self.top == self.low else f"{format_score(self.low)}–{format_score(self.top)}"


@dataclass(frozen=True, slots=True)
class ClassStats:
    rubric: str
    max_score: float
    submissions: tuple[SubmissionRow, ...]
    statuses: tuple[tuple[str, int], ...]
    bins: tuple[ScoreBin, ...]
    mean: float | None
    median: float | None
    pitfalls: tuple[PitfallCount, ...]
    accuracy: tuple[SlotAccuracy, ...]
    shared_wrong: tuple[SharedWrong, ...]
    review: tuple[ReviewEntry, ...]

    @property
    def layers(self) -> tuple[tuple[str, str], ...]:
        """(network, layer) rows of the accuracy table, in the order the results give them."""
        return tuple(dict.fromkeys((slot.network, slot.layer) for slot in self.accuracy))

    @property
    def quantities(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(slot.quantity for slot in self.accuracy))

    def slot(self, network: str, layer: str, quantity: str) -> SlotAccuracy | None:
        for slot in self.accuracy:
            if (slot.network, slot.layer, slot.quantity) == (network, layer, quantity):
                return slot
        return None


def submission_key(result: dict) -> str:
    return result.get("submission") or Path(result["file"]).stem


# The steps a score can move by (half points, tenths, ...), coarsest first; format_score shows two decimals.
_STEPS = (1, 0.5, 0.25, 0.1, 0.05, 0.01)


def _step(scores: list[float]) -> float:
    """The coarsest step every score is a multiple of: a bin of whole-point scores 24 and 25 reads
    "24–25", and one that may hold 25.5 reads "24–25.5"."""
    for step in _STEPS:
        if all(abs(score / step - round(score / step)) < 1e-6 for score in scores):
            return step
    return _STEPS[-1]


def score_bins(scores: list[float], max_score: float) -> tuple[ScoreBin, ...]:
    """Bins of a whole number of points each (about 13 bins at most), none overlapping another: a
    bin holds its scores from `low` to below the next bin's `low`; the last holds the full score
    (alone when the full score starts a bin, so full marks have their own bar)."""
    if max_score <= 0:
        return ()
    width = max(1, math.ceil(max_score / 13))
    count = math.floor(max_score / width) + 1
    tallies = [0] * count
    for score in scores:
        tallies[min(count - 1, max(0, int(score // width)))] += 1
    step = _step(scores)
    lows = [i * width for i in range(count)]
    tops = [max(low, low + width - step) for low in lows[:-1]] + [max_score]
    return tuple(ScoreBin(low, top, tally) for low, top, tally in zip(lows, tops, tallies))


# The class-level answer table: one row per submission and slot, as `answer_table` and
# `grader stats --csv/--xlsx` give it. `submission` is the name in OUT/results and OUT/feedback;
# `asked` is false for an answer read and judged that the rubric does not ask (a total, biases).
ANSWER_COLUMNS = ("submission", "student", "network", "layer", "quantity", "asked", "value", "expected", "verdict",
                  "pitfalls", "points", "confidence")


@dataclass(frozen=True, slots=True)
class SubmissionTally:
    """What the class statistics count of one saved result, and no more (`tally_entry`): a batch
    works it out where the result is written, and keeps only these."""
    key: str
    rubric: str
    row: SubmissionRow
    review: tuple[ReviewEntry, ...]
    made: tuple[tuple[str, str | None], ...]  # (pitfall code, a layer it was made on, or None)
    asked: tuple[tuple[tuple[str, str, str], str, int], ...]  # (slot, verdict, position) of each asked answer
    wrong: tuple[tuple[tuple[str, str, str, str], int, str], ...]  # ((slot, value shown), position, where)


def tally_entry(result: dict) -> SubmissionTally:
    """The counts of one result: its row, its review items, the pitfalls it made, the verdict of each
    asked answer and the wrong values no pitfall explains (a graded result's, which a TA has not
    decided about already)."""
    key = submission_key(result)
    student = result.get("student") or {}
    student_id = str(student.get("id") or key)
    codes: dict[str, set[str]] = defaultdict(set)
    for hit in result.get("pitfalls") or []:
        codes[hit["code"]].update(hit.get("layers") or ())
    for item in result.get("answers") or []:
        for code in item.get("pitfalls") or ():
            codes[code].add(item["layer"])
    made = tuple((code, layer) for code, layers in codes.items() for layer in (layers or (None,)))
    row = SubmissionRow(
        key=key, student_id=student_id, name=str(student.get("name") or student.get("id") or key),
        status=result["status"], score=result.get("score"), max_score=result.get("max_score") or 0,
        pitfalls=tuple(sorted(codes)), errors=tuple(result.get("errors") or ()))
    files = ", ".join(result.get("files") or (result["file"],))
    review = []
    if result["status"] == "unreadable":
        review.append(ReviewEntry(key, "unreadable", "; ".join(result.get("errors") or ()), files, "unreadable"))
    elif result["status"] == "empty":
        review.append(ReviewEntry(key, "nothing gradable found", "; ".join(result.get("errors") or ()), files,
                                  "ungradable"))
    for item in result.get("review") or []:
        kind = item.get("kind") if item.get("kind") in REVIEW_KINDS else "other"
        where = describe_source(item.get("source"))
        review.append(ReviewEntry(key, item.get("reason", ""), item.get("text", ""), files if where == "-" else where,
                                  kind))
    asked, wrong = [], []
    if result["status"] == "graded":
        decided = {slot for correction in result.get("corrections") or () for slot in correction.get("slots") or ()}
        for position, item in enumerate(result.get("answers") or []):
            slot = (item["network"], item["layer"], item["quantity"])
            if item.get("asked", True):
                asked.append((slot, item["verdict"], position))
            value = item.get("value")
            if (item["verdict"] == "wrong" and not item.get("pitfalls") and _given(value)
                    and ".".join(slot) not in decided):  # a TA decided about it already
                wrong.append(((*slot, format_value(value)), position, describe_source(item.get("source"))))
    return SubmissionTally(key, result.get("rubric", ""), row, tuple(review), made, tuple(asked), tuple(wrong))


def _given(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


class ClassTally:
    """The class statistics gathered one result at a time (`add`, or `add_entry` with what
    `tally_entry` kept of it): a batch keeps one small row per submission, the verdicts counted per
    slot and the wrong values no pitfall explains, never the results nor their answers. `build`
    gives the same ClassStats whatever order the results came in (rows and review in submission
    order, accuracy slots in the order the submissions give them). With `table=True` it keeps the
    answer table too (`table`, a pandas DataFrame, imported there so `grader check` never loads it)."""

    def __init__(self, *, table: bool = False) -> None:
        self._added = 0
        self._rows: list[tuple[tuple[str, int], SubmissionRow]] = []
        self._review: list[tuple[tuple[str, int], ReviewEntry]] = []
        self._rubrics: set[str] = set()
        self._made: list[tuple[str, int, str, str | None]] = []  # (submission, added, code, layer or None)
        # slot -> [where it is first given: (submission, added, position), {verdict: count}]
        self._verdicts: dict[tuple[str, str, str], list] = {}
        # (slot, value shown) -> {submission: ((added, position), where)}: a key's later answer says where
        self._wrong: dict[tuple[str, str, str, str], dict[str, tuple[tuple[int, int], str]]] = {}
        self._answers: list[dict] | None = [] if table else None

    def add(self, result: dict) -> None:
        added = self.add_entry(tally_entry(result))
        if self._answers is None or result["status"] != "graded":
            return
        key = submission_key(result)
        student_id = str((result.get("student") or {}).get("id") or key)
        for position, item in enumerate(result.get("answers") or []):
            self._answers.append(dict(
                submission=key, student=student_id, network=item["network"], layer=item["layer"],
                quantity=item["quantity"], asked=bool(item.get("asked", True)), value=item.get("value"),
                expected=item.get("expected"), verdict=item["verdict"], pitfalls="; ".join(item.get("pitfalls") or ()),
                points=item.get("points"), confidence=item.get("confidence"), added=added, position=position))

    def add_entry(self, entry: SubmissionTally) -> int:
        """Count one submission; its place among those added (a key given twice keeps that order)."""
        key, added = entry.key, self._added
        order = (key, added)
        self._added += 1
        self._rubrics.add(entry.rubric)
        self._made += [(key, added, code, layer) for code, layer in entry.made]
        self._rows.append((order, entry.row))
        self._review += [(order, review) for review in entry.review]
        for slot, verdict, position in entry.asked:
            counted = self._verdicts.setdefault(slot, [(key, added, position), defaultdict(int)])
            counted[0] = min(counted[0], (key, added, position))
            counted[1][verdict] += 1
        for group, position, where in entry.wrong:
            given = self._wrong.setdefault(group, {})
            if key not in given or given[key][0] < (added, position):
                given[key] = ((added, position), where)
        return added

    def table(self):
        """The answers of the graded submissions, one row per submission and slot, in submission order."""
        import pandas as pd

        if self._answers is None:
            raise ValueError("this tally keeps no answer table (ClassTally(table=True) does)")
        frame = pd.DataFrame(self._answers, columns=[*ANSWER_COLUMNS, "added", "position"], dtype=object)
        # values as the student gave them (an int past 2**53, a shape, None), not one float column
        others = [column for column in ANSWER_COLUMNS if column not in ("value", "expected")]
        frame[others] = frame[others].infer_objects()
        frame = frame.sort_values(["submission", "added", "position"], kind="stable")
        return frame[list(ANSWER_COLUMNS)].reset_index(drop=True)

    def _pitfalls(self) -> list[PitfallCount]:
        # a submission given twice: the later result that has the code says on which layers
        last = {}
        for key, added, code, _ in self._made:
            last[code, key] = max(added, last.get((code, key), added))
        students: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for key, added, code, layer in self._made:
            if added == last[code, key]:
                layers = students[code][key]
                if layer is not None:
                    layers.add(layer)
        pitfalls = []
        for code, made in students.items():
            per_layer: dict[str, int] = defaultdict(int)
            for layers in made.values():
                for layer in layers:
                    per_layer[layer] += 1
            pitfalls.append(PitfallCount(
                code=code, students=tuple((key, tuple(sorted(made[key]))) for key in sorted(made)),
                layers=tuple(sorted(per_layer.items(), key=lambda kv: (-kv[1], kv[0])))))
        return sorted(pitfalls, key=lambda p: (-p.count, p.code))

    def _accuracy(self) -> tuple[SlotAccuracy, ...]:
        first = sorted(self._verdicts, key=lambda slot: self._verdicts[slot][0])  # in submission order
        return tuple(SlotAccuracy(*slot, tuple((verdict, self._verdicts[slot][1].get(verdict, 0))
                                               for verdict in VERDICTS)) for slot in first)

    def _shared_wrong(self) -> list[SharedWrong]:
        """Wrong values no pitfall explains, given by two students or more."""
        shared = [SharedWrong(*group, tuple(sorted(given))) for group, given in self._wrong.items() if len(given) >= 2]
        shared.sort(key=lambda g: (-len(g.students), g.network, g.layer, g.quantity, g.value))
        return shared

    def build(self) -> ClassStats:
        rows = [row for _, row in sorted(self._rows, key=lambda entry: entry[0])]
        shared = self._shared_wrong()
        review = sorted(self._review, key=lambda entry: (REVIEW_KINDS.index(entry[1].kind), entry[0]))
        review += [(None, ReviewEntry(
            key, f"the same wrong value as {len(group.students) - 1} other student(s), and no known mistake explains it",
            f"{group.layer} {group.quantity} = {group.value}",
            self._wrong[group.network, group.layer, group.quantity, group.value][key][1], "shared-wrong"))
            for group in shared for key in group.students]
        review.sort(key=lambda entry: REVIEW_KINDS.index(entry[1].kind))  # stable: "other" after the shared values
        scores = [r.score for r in rows if r.status == "graded" and r.score is not None]
        max_score = max((r.max_score for r in rows), default=0)
        return ClassStats(
            rubric=", ".join(sorted(self._rubrics)),
            max_score=max_score,
            submissions=tuple(rows),
            statuses=tuple((status, sum(r.status == status for r in rows)) for status in STATUSES),
            bins=score_bins(scores, max_score),
            mean=statistics.fmean(scores) if scores else None,
            median=statistics.median(scores) if scores else None,
            pitfalls=tuple(self._pitfalls()),
            accuracy=self._accuracy(),
            shared_wrong=tuple(shared),
            review=tuple(entry for _, entry in review),
        )


def class_stats(results) -> ClassStats:
    tally = ClassTally()
    for result in results:
        tally.add(result)
    return tally.build()


def answer_table(results):
    """The class-level answer table (a pandas DataFrame of ANSWER_COLUMNS) of the graded results."""
    tally = ClassTally(table=True)
    for result in results:
        tally.add(result)
    return tally.table()


# In a report folder while a run writes it, and left there by a run that did not finish.
INCOMPLETE = "INCOMPLETE.txt"


def load_results(reports_dir: str | Path) -> list[dict]:
    """The saved results under REPORTS/results/ (or REPORTS itself when it holds them), refused
    when the run that wrote them did not finish (they may mix two runs)."""
    root = Path(reports_dir)
    if not root.is_dir():
        raise GraderError(f"{root}: no such folder")
    if (root / INCOMPLETE).exists():
        raise GraderError(f"{root}: the run that wrote these results did not finish (see {root / INCOMPLETE}); "
                          "run `grader grade` again to complete it")
    folder = root / "results" if (root / "results").is_dir() else root
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise GraderError(f"{root}: no saved results (looked for {folder}/*.json; run `grader grade` first)")
    results = []
    for path in paths:
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise GraderError(f"{path}: not a saved result: {err}") from None
        if not isinstance(result, dict) or "status" not in result or "file" not in result:
            raise GraderError(f"{path}: not a saved result: no status or file")
        results.append(result)
    return results


def export_target(path: str | Path, reports_dir: str | Path) -> Path:
    """Where the answer table goes, refused among the saved results it is made from or onto a folder."""
    target = Path(path)
    root = Path(reports_dir).resolve()
    if target.resolve().parent in (root, root / "results") and target.suffix.lower() == ".json":
        raise GraderError(f"{target}: would be read as a saved result; write the table elsewhere")
    if target.is_dir():
        raise GraderError(f"{target}: is a folder, not a file to write the answer table to")
    return target


def export_table(table, target: Path, fmt: str) -> None:
    """`table` (a DataFrame) to `target` as csv or xlsx."""
    try:
        if fmt == "csv":
            table.to_csv(target, index=False, encoding="utf-8")
        else:
            table.to_excel(target, index=False, sheet_name="answers")
    except OSError as err:
        raise GraderError(f"{target}: could not write the answer table: {err.strerror or err}") from None


def run_stats(reports_dir: str, *, csv: str | None = None, xlsx: str | None = None) -> int:
    from rich.markup import escape

    from grader.report import console as terminal
    from grader.report.teaching import explain

    exports = [(export_target(path, reports_dir), fmt) for path, fmt in ((csv, "csv"), (xlsx, "xlsx")) if path]
    tally = ClassTally(table=bool(exports))
    for result in load_results(reports_dir):
        tally.add(result)
    stats = tally.build()
    console = terminal.console()
    statuses = ", ".join(f"{count} {status}" for status, count in stats.statuses if count)
    console.print(f"[bold]{len(stats.submissions)} submissions[/bold] ({statuses}), rubric {escape(stats.rubric)}")
    if stats.mean is not None:
        console.print(f"score: mean {format_score(stats.mean)}, median {format_score(stats.median)} "
                      f"out of {format_score(stats.max_score)}")
        peak = max(b.count for b in stats.bins) or 1
        for b in stats.bins:
            bar = "█" * round(30 * b.count / peak)
            console.print(f"  {b.label:>9} {bar} {b.count}")
    if stats.pitfalls:
        table = terminal.table("Common mistakes", ("pitfall", "title", "students", "layers (students)"),
                               right=("students",), whole=("pitfall",))
        for p in stats.pitfalls:
            table.add_row(p.code, explain(p.code).title, str(p.count),
                          ", ".join(f"{layer} ({n})" for layer, n in p.layers))
        console.print(table)
    if stats.accuracy:
        table = terminal.table("Right answers (correct or accepted) per layer", ("layer", *stats.quantities),
                               right=stats.quantities, whole=("layer",))
        for network, layer in stats.layers:
            cells = []
            for quantity in stats.quantities:
                slot = stats.slot(network, layer, quantity)
                cells.append(f"{slot.credited}/{slot.total}" if slot else "")
            table.add_row(layer if len({n for n, _ in stats.layers}) == 1 else f"{network}.{layer}", *cells)
        console.print(table)
    if stats.shared_wrong:
        console.print("[bold]Same wrong value, no known pitfall[/bold]")
        for group in stats.shared_wrong:
            console.print(f"  {group.layer} {group.quantity} = {group.value}: {', '.join(group.students)}",
                          markup=False)
    if stats.review:
        console.print(f"[bold]Review queue[/bold]: {len(stats.review)} item(s)")
        for entry in stats.review:
            text = f": {entry.text}" if entry.text else ""
            where = f" ({entry.where})" if entry.where != "-" else ""
            console.print(f"  [{entry.kind}] {entry.submission}: {entry.reason}{text}{where}", markup=False)
    if exports:
        table = tally.table()
        for target, fmt in exports:
            export_table(table, target, fmt)
            console.print(f"answer table: {len(table)} rows written to {target}", markup=False)
    return 0
