"""The accuracy benchmark: every labelled set graded through the project's own API, held to its labels.

    python benchmarks/accuracy.py [--only SET]... [--set NAME=FILES_DIR:LABELS_DIR]... [--shared DIR]
                                  [--json OUT] [--per-file] [-v]

Each label (the seeds' format; semantics of ../shared/tools/check_labels.py, in benchmarks/labels.py)
is graded in this one process as `grader check FILE --rubric R --json` does it (grade_file, then
grade_to_json under the rubric's reveal policy), so what is counted is the JSON contract. Per set:

- figures: the labelled slots; right (a reading holds the labelled value), in a wrong slot (the slot
  has a reading but with another value), missed (no reading for it);
- spurious: readings with a value for slots the label does not list, on asked and on not-asked
  slots, and how many of those were charged (verdict `wrong` or a pitfall);
- pitfalls right (raised on every labelled layer), false alarms (a code raised that the label does
  not list, or lists under `never`; `never` alone is check_labels' figure);
- charged on misreads: a reading whose value differs from the labelled one and that got verdict
  `wrong` or any pitfall. It must be 0: the student is charged for the grader's misread;
- status right (status, and `score: full` with blank written questions aside, as check_labels).

Then a reliability table over all the sets shown: readings binned by their `confidence`, for each
bin how many sit in a labelled slot and how many of those hold the labelled value; two more rows
sum the readings at >= 0.9 and at >= the review threshold.

Sets: `seeds` (SHARED/seeds), `heldout` … `heldout4` (tests/data), `corpus-dev` and `corpus-held`
(SHARED/corpus, split by benchmarks/corpus_split.yaml), and any `--set`. SHARED is ../shared beside
the checkout unless --shared says otherwise; a set whose folder is absent is skipped with a note.
Exit 0 when it ran (a report, not a gate), 2 on a usage error or a bad label.
"""
from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import yaml  # noqa: E402

from benchmarks.labels import (  # noqa: E402
    grade_problems, labelled_slots, load_label, never_codes, pitfall_right, raised, same,
    unanswered_points)

ROOT = Path(__file__).resolve().parent.parent
SPLIT = Path(__file__).resolve().parent / "corpus_split.yaml"

COUNTS = ("files", "figures", "right", "wrong_slot", "missed", "spurious_asked", "spurious_other",
          "spurious_charged", "pitfalls", "pitfalls_right", "false_alarms", "never_alarms",
          "charged_on_misreads", "status_right", "no_result")
# a wrong reading at or above this confidence is listed with -v (the reliability goal is about them)
CONFIDENT = 0.9
# Confidence bins, lower bound inclusive; an answer without a confidence goes to "none".
BINS = (("<0.5", 0.0), ("0.5-0.7", 0.5), ("0.7-0.9", 0.7), ("0.9-1.0", 0.9), ("1.0", 1.0))

def cumulative_rows() -> tuple[tuple[str, float], ...]:
    """Rows summing every reading at or above a bound: 0.9, and the review threshold of compare
    (below it a wrong value is never charged), read from the grader so the row follows it."""
    from grader.compare import LOW_CONFIDENCE

    return ((">=0.9", 0.9), (f">={LOW_CONFIDENCE:g} (review threshold)", LOW_CONFIDENCE))


class BenchmarkError(Exception):
    """A usage error or a bad label: the message names the file and the reason."""


@dataclass(frozen=True, slots=True)
class LabelledSet:
    name: str
    files: Path
    labels: Path
    only: frozenset[str] | None = None  # label stems kept (None: every label)
    leave_out: frozenset[str] = frozenset()

    def label_paths(self) -> list[Path]:
        if self.only is not None:
            absent = sorted(self.only - {path.stem for path in self.labels.glob("*.yaml")})
            if absent:
                raise BenchmarkError(f"{self.name}: no label {', '.join(absent)} in {self.labels}")
        return [path for path in sorted(self.labels.glob("*.yaml"))
                if (self.only is None or path.stem in self.only) and path.stem not in self.leave_out]


@dataclass(slots=True)
class Score:
    """Counts (COUNTS) and reliability bins (bin -> readings / labelled / right) of a file or a set."""
    counts: Counter = field(default_factory=Counter)
    reliability: dict[str, Counter] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.counts.update(other.counts)
        for name, tally in other.reliability.items():
            self.reliability.setdefault(name, Counter()).update(tally)
        self.notes += other.notes


def confidence_bin(confidence) -> str:
    if confidence is None:
        return "none"
    name = BINS[0][0]
    for candidate, low in BINS:
        if confidence >= low:
            name = candidate
    return name


def _slot(answer: dict) -> tuple[str, str, str]:
    return answer["network"], answer["layer"], answer["quantity"]


def score_result(label: dict, result: dict) -> Score:
    """One result (the JSON contract) held to its label."""
    score = Score(counts=Counter(files=1))
    counts, notes = score.counts, score.notes
    wanted = labelled_slots(label)
    got: dict[tuple, list] = {}
    for answer in result["answers"]:
        got.setdefault(_slot(answer), []).append(answer["value"])
    for slot, want in wanted.items():
        counts["figures"] += 1
        values = got.get(slot, [])
        if any(same(value, want) for value in values):
            counts["right"] += 1
            continue
        counts["wrong_slot" if any(value is not None for value in values) else "missed"] += 1
        notes.append(f"{'.'.join(slot)} want {want} got {values}")
    for answer in result["answers"]:
        if answer["value"] is None:
            continue  # a `missing` judgement: nothing was read
        slot, value = _slot(answer), answer["value"]
        charged = answer["verdict"] == "wrong" or bool(answer["pitfalls"])
        confidence = answer.get("confidence")
        rows = [confidence_bin(confidence)] + [name for name, low in cumulative_rows()
                                               if confidence is not None and confidence >= low]
        tallies = [score.reliability.setdefault(row, Counter()) for row in rows]
        for tally in tallies:
            tally["readings"] += 1
        if slot in wanted:
            right = same(value, wanted[slot])
            for tally in tallies:
                tally["labelled"] += 1
                tally["right"] += right
            if not right and charged:
                counts["charged_on_misreads"] += 1
                notes.append(f"charged on a misread: {'.'.join(slot)} = {value} ({answer['verdict']}, "
                             f"{answer['pitfalls']}), label {wanted[slot]}")
            elif not right and confidence is not None and confidence >= CONFIDENT:
                notes.append(f"confident misread ({confidence:.2f}): {'.'.join(slot)} = {value}, label {wanted[slot]}")
            continue
        asked = answer.get("asked", True)
        counts["spurious_asked" if asked else "spurious_other"] += 1
        counts["spurious_charged"] += charged
        notes.append(f"spurious{'' if asked else ' (not asked)'}: {'.'.join(slot)} = {value}"
                     + (f" ({answer['verdict']}, {answer['pitfalls']})" if charged else ""))
    found = raised(result)
    listed = label.get("pitfalls") or {}
    for code, where in listed.items():
        counts["pitfalls"] += 1
        if pitfall_right(where, found.get(code)):
            counts["pitfalls_right"] += 1
        else:
            notes.append(f"pitfall {code} wanted at {where}, raised at {sorted(found[code]) if code in found else None}")
    never = set(never_codes(label, found))
    for code in sorted(found):
        if code in never or code not in listed:
            counts["false_alarms"] += 1
            counts["never_alarms"] += code in never
            notes.append(f"false alarm {code} at {sorted(found[code])}"
                         + (" (listed under never)" if code in never else " (not in the label)"))
    problems = grade_problems(label, result["status"], result["score"], result["max_score"],
                              unanswered_points(result))
    counts["status_right"] += not problems
    notes += problems
    return score


def no_result(label: dict, reason: str) -> Score:
    """The grader raised instead of answering: every labelled figure and pitfall is missed."""
    counts = Counter(files=1, no_result=1, figures=len(labelled_slots(label)),
                     pitfalls=len(label.get("pitfalls") or {}))
    counts["missed"] = counts["figures"]
    return Score(counts=counts, notes=[f"no result: {reason}"])


def read_label(path: Path, files: Path) -> dict:
    try:
        label = load_label(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise BenchmarkError(f"{path}: not a readable label ({type(err).__name__}: {err})") from None
    if not isinstance(label, dict) or not label.get("file") or not label.get("rubric"):
        raise BenchmarkError(f"{path}: a label needs `file` and `rubric`")
    if not (files / label["file"]).is_file():
        raise BenchmarkError(f"{path}: its file {label['file']} is not in {files}")
    return label


class Grader:
    """grade_file + grade_to_json, as `grader check --json` does it, with each rubric loaded once."""

    def __init__(self):
        import grader.compare  # noqa: F401  (the stages grade_file imports lazily: loaded here, so the
        import grader.extract  # noqa: F401   first file's seconds are grading, not imports)
        import grader.readers  # noqa: F401
        import grader.score  # noqa: F401
        from grader.pipeline import grade_file
        from grader.report.json_result import grade_to_json
        from grader.report.reveal import Reveal
        from grader.rubric import load_rubric

        def to_json(grade, policy: str) -> dict:
            result = grade_to_json(grade)
            return Reveal.of(result, policy).result(result)

        self._grade_file, self._to_json, self._load_rubric = grade_file, to_json, load_rubric
        self._rubrics: dict[str, object] = {}

    def result(self, path: Path, rubric_name: str) -> dict:
        if rubric_name not in self._rubrics:
            self._rubrics[rubric_name] = self._load_rubric(rubric_name)
        rubric = self._rubrics[rubric_name]
        return self._to_json(self._grade_file(path, rubric), rubric.reveal)


def measure_set(labelled: LabelledSet, grader: Grader) -> tuple[Score, list[dict], float]:
    """The set's total, its per-file figures, and the seconds spent grading."""
    total, per_file, seconds = Score(), [], 0.0
    for path in labelled.label_paths():
        label = read_label(path, labelled.files)
        start = time.perf_counter()
        try:
            result = grader.result(labelled.files / label["file"], label["rubric"])
        except Exception as err:  # noqa: BLE001  (one failing file is a figure, never the end of the run)
            where = traceback.extract_tb(err.__traceback__)[-1]
            score = no_result(label, f"{type(err).__name__}: {err} ({Path(where.filename).name}:{where.lineno})")
        else:
            score = score_result(label, result)
        seconds += time.perf_counter() - start
        score.notes = [f"{labelled.name}/{label['file']}: {note}" for note in score.notes]
        per_file.append({"file": label["file"], "seconds": round(time.perf_counter() - start, 3),
                         "counts": dict(score.counts),
                         "reliability": {k: dict(v) for k, v in score.reliability.items()}})
        total.add(score)
    return total, per_file, seconds


def shipped_sets(shared: Path, split: Path = SPLIT) -> list[LabelledSet]:
    held = corpus_held_out(split)
    corpus = shared / "corpus"
    return [LabelledSet("seeds", shared / "seeds", shared / "seeds" / "expected"),
            *(LabelledSet(name, ROOT / "tests" / "data" / name, ROOT / "tests" / "data" / name / "expected")
              for name in ("heldout", "heldout2", "heldout3", "heldout4")),
            LabelledSet("corpus-dev", corpus, corpus / "labels", leave_out=held),
            LabelledSet("corpus-held", corpus, corpus / "labels", only=held)]


def corpus_held_out(split: Path) -> frozenset[str]:
    try:
        data = yaml.safe_load(split.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise BenchmarkError(f"{split}: cannot be read ({err})") from None
    stems = data.get("held_out") if isinstance(data, dict) else None
    if not isinstance(stems, list) or not all(isinstance(stem, str) for stem in stems):
        raise BenchmarkError(f"{split}: needs `held_out`, a list of label file names without .yaml")
    return frozenset(stems)


def parse_set(text: str) -> LabelledSet:
    name, _, folders = text.partition("=")
    files, _, labels = folders.partition(":")
    if not name or not files or not labels:
        raise BenchmarkError(f"--set {text}: expected NAME=FILES_DIR:LABELS_DIR")
    return LabelledSet(name, Path(files), Path(labels))


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


SET_COLUMNS = ("set", "files", "figures", "right", "wrong slot", "missed", "spurious asked/other (charged)",
               "pitfalls right", "false alarms (never)", "charged on misreads", "status right", "no result", "s/file")


def set_row(name: str, counts: Counter, seconds: float) -> tuple[str, ...]:
    c = counts
    return (name, str(c["files"]), str(c["figures"]), f"{c['right']} ({_percent(c['right'], c['figures'])})",
            str(c["wrong_slot"]), str(c["missed"]),
            f"{c['spurious_asked']}/{c['spurious_other']} ({c['spurious_charged']})",
            f"{c['pitfalls_right']}/{c['pitfalls']}", f"{c['false_alarms']} ({c['never_alarms']})",
            str(c["charged_on_misreads"]), f"{c['status_right']}/{c['files']}", str(c["no_result"]),
            f"{seconds / c['files']:.3f}" if c["files"] else "-")


def reliability_rows(reliability: dict[str, Counter]) -> list[tuple[str, ...]]:
    names = [name for name, _ in BINS] + (["none"] if "none" in reliability else [])
    names += [name for name, _ in cumulative_rows()]
    return [(name, *_reliability_cells(reliability.get(name, Counter()))) for name in names]


def _reliability_cells(tally: Counter) -> tuple[str, ...]:
    return (str(tally["readings"]), str(tally["labelled"]), str(tally["right"]),
            _percent(tally["right"], tally["labelled"]))


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:  # names left-aligned, figures right-aligned
        return "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))

    return "\n".join([line(header), *(line(row) for row in rows)])


def _commit() -> str | None:
    """The checkout measured (`-dirty` when it has uncommitted changes), None outside git."""
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", metavar="SET", help="only this set (repeatable)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=FILES_DIR:LABELS_DIR",
                        help="an extra labelled folder (repeatable)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                        help="the team's shared folder (default: ../shared beside the checkout)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write every figure as JSON")
    parser.add_argument("--per-file", action="store_true", help="also print one row per file")
    parser.add_argument("-v", action="store_true", help="list every miss, misread, spurious answer and false alarm")
    return parser


def run(args: argparse.Namespace) -> int:
    sets = shipped_sets(args.shared) + [parse_set(text) for text in args.set]
    names = [s.name for s in sets]
    if len(set(names)) != len(names):
        raise BenchmarkError(f"--set: a set name is used twice ({', '.join(sorted({n for n in names if names.count(n) > 1}))})")
    if args.only:
        unknown = sorted(set(args.only) - set(names))
        if unknown:
            raise BenchmarkError(f"--only {', '.join(unknown)}: no such set (sets: {', '.join(names)})")
        sets = [s for s in sets if s.name in args.only]
    grader, rows, overall = Grader(), [], Score()
    report = {"commit": _commit(), "date": date.today().isoformat(), "python": platform.python_version(),
              "sets": {}, "skipped": []}
    for labelled in sets:
        if not labelled.labels.is_dir() or not labelled.files.is_dir():
            note = f"{labelled.name}: skipped, no folder {labelled.labels if labelled.files.is_dir() else labelled.files}"
            print(note)
            report["skipped"].append(note)
            continue
        total, per_file, seconds = measure_set(labelled, grader)
        overall.add(total)
        rows.append(set_row(labelled.name, total.counts, seconds))
        if args.per_file:
            rows += [set_row(f"  {item['file']}", Counter(item["counts"]), item["seconds"]) for item in per_file]
        report["sets"][labelled.name] = {
            "files_dir": str(labelled.files), "labels_dir": str(labelled.labels), "seconds": round(seconds, 3),
            "counts": {key: total.counts[key] for key in COUNTS},
            "reliability": {k: dict(v) for k, v in total.reliability.items()},
            "per_file": per_file, "notes": total.notes}
    if args.v and overall.notes:
        print("\n".join(overall.notes))
    if rows:
        print(table(SET_COLUMNS, rows))
        shown = ", ".join(report["sets"])
        print(f"\nreliability over {shown}: readings (answers with a value) by confidence")
        print(table(("confidence", "readings", "in a labelled slot", "right", "right %"),
                    reliability_rows(overall.reliability)))
    report["all"] = {"counts": {key: overall.counts[key] for key in COUNTS},
                     "reliability": {k: dict(v) for k, v in overall.reliability.items()}}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return run(_parser().parse_args(argv))
    except BenchmarkError as err:
        print(f"accuracy.py: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
