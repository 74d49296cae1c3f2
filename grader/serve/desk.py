"""The review desk of `grader serve DIR`: the review queue of a graded batch, one item at a time
with the student's source lines, and the TA's decision on it (confirm the reading, correct its
value, move it to another slot) appended to the batch's corrections file (grader/corrections.py),
after which the batch is re-scored from its cache (nothing is read again) so that the student's
result, feedback and the gradebooks follow.

The TA sees everything (the saved results keep the expected figures): this page is for the course
staff, on this machine unless `--host` says otherwise, behind a token printed at start. Nothing the
client sends is a path: a decision names a submission and a slot of the queue, checked against it.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from grader.core import GraderError


@dataclass(frozen=True, slots=True)
class QueueItem:
    submission: str
    reason: str
    text: str
    kind: str
    slot: str  # "" when no decision of the desk applies (a file not read, a shared id)
    where: str
    source: dict | None
    files: tuple[str, ...]
    score: object
    max_score: object
    answer: dict | None  # the answer now in the slot, as the saved result has it


@dataclass(slots=True)
class Desk:
    """One graded batch: the submissions in `folder`, graded into `out` under `rubric` (with the
    `id_pattern`, `limits` and `roster` of `grader grade`), decisions appended to `corrections`."""

    folder: Path
    out: Path
    rubric: object
    corrections: Path
    token: str
    id_pattern: str | None = None
    limits: object = None
    roster: object = None  # a loaded grader.roster.Roster
    lock: threading.Lock = field(default_factory=threading.Lock)  # one decision at a time

    @classmethod
    def open(cls, folder, *, out, rubric, token: str, corrections=None, id_pattern=None, limits=None,
             roster=None) -> Desk:
        """The desk of the batch; a GraderError when its results name students other than the
        folder, `id_pattern` and `roster` give (graded with another --roster or --id-pattern), as
        re-scoring would change who they are in the gradebooks."""
        from grader.corrections import IN_OUT
        from grader.roster import load_roster

        folder, out = Path(folder), Path(out)
        if not folder.is_dir():
            raise GraderError(f"{folder}: no such folder (the folder `grader grade` graded)")
        if not (out / "results").is_dir():
            raise GraderError(f"{out}: no results here; grade the folder first: grader grade {folder} --out {out}")
        roster = load_roster(Path(roster)) if isinstance(roster, (str, Path)) else roster
        desk = cls(folder, out, rubric, Path(corrections) if corrections else out / IN_OUT, token,
                   id_pattern, limits, roster)
        desk._check_students()
        return desk

    def _check_students(self) -> None:
        from grader.batch.run import saved_students

        try:
            given = saved_students(self.folder, id_pattern=self.id_pattern, roster=self.roster)
        except OSError as err:
            raise GraderError(f"{self.folder}: cannot be listed ({err.strerror or err})") from None
        for key, result in self.results().items():
            if key in given and result.get("student") != given[key]:
                raise GraderError(
                    f"{self.out}: {key} was graded as {_who(result.get('student'))}, but the folder "
                    f"{'and the roster give' if self.roster else 'gives'} {_who(given[key])}: give `grader serve` "
                    "the --roster and --id-pattern that `grader grade` was given (re-scoring would change who "
                    "the students are in the gradebooks)")

    # ------------------------------------------------------------ the queue

    def results(self) -> dict[str, dict]:
        found = {}
        for path in sorted((self.out / "results").glob("*.json")):
            try:
                result = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            found[result.get("submission") or path.stem] = result
        return found

    def queue(self) -> list[QueueItem]:
        """Every review item of the batch, those a decision settles first, in submission order."""
        from grader.report.teaching import describe_source

        items = []
        for key, result in self.results().items():
            answers = {f"{a['network']}.{a['layer']}.{a['quantity']}": a for a in result.get("answers") or ()}
            for item in result.get("review") or ():
                slot = item.get("slot") or ""
                items.append(QueueItem(key, item.get("reason") or "", item.get("text") or "", item.get("kind") or "",
                                       slot if slot in answers else "", describe_source(item.get("source")),
                                       item.get("source"), tuple(result.get("files") or ()), result.get("score"),
                                       result.get("max_score"), answers.get(slot)))
        return sorted(items, key=lambda item: not item.slot)

    def source_lines(self, item: QueueItem, around: int = 3) -> list[tuple[str, list[tuple[int, str, bool]]]]:
        """The lines about the item's line in each of the submission's text files (a Word or Excel
        file shows only the item's text): (file, [(number, text, the item's line)])."""
        from grader.batch.listing import inside
        from grader.readers.decode import decode_text

        line = (item.source or {}).get("line")
        if not line or set(item.source) - {"line", "cell", "ocr_confidence"}:
            return []
        shown = []
        for name in item.files:
            path = self.folder / name
            if not inside(path, self.folder.resolve()) or path.suffix.lower() not in TEXT_SUFFIXES:
                continue
            try:
                text, _ = decode_text(path.read_bytes()[:2_000_000], name)
            except (OSError, GraderError):
                continue
            lines = text.splitlines()
            if line <= len(lines):
                shown.append((name, [(n, lines[n - 1], n == line)
                                     for n in range(max(1, line - around), min(len(lines), line + around) + 1)]))
        return shown

    def slots(self) -> list[str]:
        """The slots a reading can be moved to: the rubric's asked ones."""
        return [f"{asked.network}.{layer}.{quantity.value}" for asked in self.rubric.asked
                for layer in asked.layers for quantity in asked.quantities]

    # ------------------------------------------------------------ a decision

    def decide(self, *, submission: str, slot: str, decision: str, value: str = "", move: str = "",
               comment: str = "") -> tuple[object, object]:
        """Append the decision to the corrections file and re-score the batch: the student's score
        before and after. GraderError when the decision is not one the queue offers."""
        with self.lock:
            offered = {(item.submission, item.slot) for item in self.queue() if item.slot}
            if (submission, slot) not in offered:
                raise GraderError(f"{submission} {slot}: not in the review queue (decided already?)")
            entry: dict = {"submission": submission, "slot": slot}
            if decision == "confirm":
                entry["confirm"] = True
            elif decision == "value":
                entry["value"] = parse_value(value)
            elif decision == "move":
                if move not in self.slots() or move == slot:
                    raise GraderError(f"move: {move!r} is not another slot the rubric asks")
                entry["move"] = move
            else:
                raise GraderError(f"{decision!r} is not a decision (confirm, value, move)")
            if comment.strip():
                entry["comment"] = comment.strip()[:500]
            before = self.results()[submission].get("score")
            self._append(entry)
            try:
                self.rescore()
            except GraderError as err:  # another run writing OUT, a full disk: the decision is kept
                raise GraderError(f"saved in {self.corrections}, but the batch was not re-scored ({err}); "
                                  "the next run applies it") from None
            return before, self.results()[submission].get("score")

    def _append(self, entry: dict) -> None:
        """The decision added at the end of the file, whose earlier bytes are kept as they are
        (comments too); written to a temporary file beside it, checked, then renamed over it."""
        import yaml

        from grader.corrections import load_corrections

        line = "- " + yaml.safe_dump(entry, default_flow_style=True, sort_keys=False, allow_unicode=True,
                                     width=10_000).strip() + "\n"
        try:
            old = self.corrections.read_bytes() if self.corrections.exists() else b""
        except OSError as err:
            raise GraderError(f"{self.corrections}: cannot be read ({err.strerror or err})") from None
        if old and not old.endswith(b"\n"):
            old += b"\n"
        handle, temporary = tempfile.mkstemp(dir=self.corrections.parent, prefix=".corrections-", suffix=".yaml")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(old + line.encode("utf-8"))
                stream.flush()
                os.fsync(stream.fileno())
            load_corrections(temporary)  # a file grader grade would refuse is never written
            if self.corrections.exists():
                os.chmod(temporary, self.corrections.stat().st_mode & 0o777)
            os.replace(temporary, self.corrections)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def rescore(self) -> None:
        """The batch again from its cache, with the corrections file: results, feedback, gradebooks
        and dashboard, as `grader grade DIR --corrections FILE` writes them."""
        from grader.batch import grade_folder

        grade_folder(self.folder, rubric=self.rubric, out=self.out, workers=1, id_pattern=self.id_pattern,
                     limits=self.limits, corrections=self.corrections, roster=self.roster)


def _who(student) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted((student or {}).items())) or "no one"


TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text", ".tex", ".csv", ".tsv", ".py", ".rst", ".html", ".htm")

_SHAPE = re.compile(r"\s*\d+(?:\s*[x×]\s*\d+)+\s*")


def parse_value(text: str):
    """What a TA types for the value meant: 64896, 64,896, 64 896, 3.5e6 or a shape 13x13x384."""
    text = (text or "").strip()
    if _SHAPE.fullmatch(text):
        return [int(part) for part in re.split(r"\s*[x×]\s*", text)]
    plain = re.sub(r"[,_\s]", "", text)
    try:
        number = float(plain)
    except ValueError:
        raise GraderError(f"value: {text!r} is not a number (64896, 64,896) or a shape (13x13x384)") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise GraderError(f"value: {text!r} is not a number")
    return int(number) if number.is_integer() else number
