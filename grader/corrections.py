"""A TA's decisions on the review queue, kept in a corrections file that `grader grade --corrections
FILE` applies on every re-run: the file is the TA's (the grader only reads it), so a re-run never
loses a decision, and the cache means a re-run only re-scores.

The file is YAML, a list with one decision per entry: the submission (its key, the name of
OUT/results/<key>.json), the slot (`network.layer.quantity`, as the review queue names it) and one
of four decisions, with an optional `comment` (required with `points`):

    - {submission: kofi_mensah, slot: alexnet.conv4.units, confirm: true}
    - {submission: kofi_mensah, slot: alexnet.conv5.units, value: 43264}
    - {submission: lena_vogel, slot: alexnet.conv4.units, move: alexnet.conv3.units}
    - {submission: lena_vogel, slot: alexnet.conv5.units, points: 0.5, comment: "one digit slipped"}

- `confirm`: the number was read right, and in the right slot: it is judged as a labelled answer is;
- `value`: the student meant this value (a number misread): it is judged instead;
- `move`: the number answers another slot (read into the wrong row or column);
- `points`: the slot earns these points (at most its maximum) whatever its verdict.
Each decision settles its slot's review items; one that cannot be applied (no such answer) goes to
the submission's review queue, saying why. Errors in the file name the file, the line and the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from grader.core import Grade, GraderError, Quantity, ReviewItem

DECISIONS = ("confirm", "value", "move", "points")


@dataclass(frozen=True, slots=True)
class Correction:
    submission: str
    slot: tuple[str, str, Quantity]  # network, layer, quantity
    decision: str  # one of DECISIONS
    value: object = None  # value: the value meant; move: the slot it answers; points: the points
    comment: str = ""

    @property
    def slot_name(self) -> str:
        network, layer, quantity = self.slot
        return f"{network}.{layer}.{quantity.value}"

    @property
    def target(self) -> str:
        """The slot the decision leaves the answer in."""
        if self.decision != "move":
            return self.slot_name
        network, layer, quantity = self.value
        return f"{network}.{layer}.{quantity.value}"

    def describe(self) -> str:
        if self.decision == "confirm":
            what = "reading confirmed"
        elif self.decision == "value":
            what = f"value corrected to {_shown(self.value)}"
        elif self.decision == "move":
            what = f"moved to {self.target}"
        else:
            what = f"points set to {self.value:g}"
        return f"{self.slot_name}: {what} by a TA" + (f" ({self.comment})" if self.comment else "")


def _shown(value) -> str:
    return "×".join(map(str, value)) if isinstance(value, tuple) else f"{value:,}"


def _slot(text, fail) -> tuple[str, str, Quantity]:
    parts = str(text).split(".") if isinstance(text, str) else []
    if len(parts) != 3:
        fail(f"{text!r} is not a slot network.layer.quantity (e.g. alexnet.conv2.weights)")
    try:
        return parts[0], parts[1], Quantity(parts[2])
    except ValueError:
        fail(f"{parts[2]!r} is not one of {', '.join(q.value for q in Quantity)}")


def load_corrections(path) -> dict[str, tuple[Correction, ...]]:
    """The decisions of a corrections file, by submission, in the file's order."""
    import yaml

    from grader.rubric import _LineLoader

    path = Path(path)
    if not path.is_file():
        raise GraderError(f"{path}: no such corrections file")
    try:
        raw = _LineLoader.load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise GraderError(f"{path}: not a valid YAML file: {err}") from None
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise GraderError(f"{path}: a corrections file is a list of decisions (- submission: ..., slot: ...)")
    found: dict[str, list[Correction]] = {}
    for number, entry in enumerate(raw, start=1):
        line = entry.get("__line__") if isinstance(entry, dict) else None

        def fail(reason: str, line=line, number=number):
            raise GraderError(f"{path}, {f'line {line}' if line else f'entry {number}'}: {reason}")

        if not isinstance(entry, dict):
            fail("each decision is a mapping {submission, slot, and one of confirm, value, move, points}")
        unknown = sorted(set(entry) - {"submission", "slot", "comment", "__line__", *DECISIONS})
        if unknown:
            fail(f"unknown keys {unknown} (allowed: submission, slot, comment, {', '.join(DECISIONS)})")
        for key in ("submission", "slot"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                fail(f"{key} is required (a text)")
        decisions = [key for key in DECISIONS if key in entry]
        if len(decisions) != 1:
            fail(f"give exactly one decision of {', '.join(DECISIONS)}, not {len(decisions)}")
        decision = decisions[0]
        value = entry[decision]
        comment = entry.get("comment", "")
        if not isinstance(comment, str):
            fail("comment must be a text")
        if decision == "confirm" and value is not True:
            fail("confirm: true is the only way to confirm")
        if decision == "value":
            if isinstance(value, list) and value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
                value = tuple(value)
            elif not isinstance(value, (int, float)) or isinstance(value, bool):
                fail(f"value must be a number (or a shape [H, W, C]), not {value!r}")
        if decision == "move":
            value = _slot(value, fail)
        if decision == "points":
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                fail(f"points must be a number of points, 0 or more, not {value!r}")
            if not comment.strip():
                fail("points need a comment saying why (it is shown in the feedback)")
        found.setdefault(entry["submission"], []).append(
            Correction(entry["submission"], _slot(entry["slot"], fail), decision, value, comment))
    return {key: tuple(decisions) for key, decisions in found.items()}


IN_OUT = "corrections.yaml"  # the file kept beside the reports (OUT/), applied without --corrections


def decisions_for(path, out, submissions) -> dict[str, tuple[Correction, ...]]:
    """The decisions a batch applies: from `path`, else from OUT/corrections.yaml when it is there;
    a decision for a submission the batch does not have is an error (a misspelt name, most likely)."""
    if path is None:
        path = Path(out) / IN_OUT
        if not path.is_file():
            return {}
    decisions = load_corrections(path)
    unknown = sorted(set(decisions) - set(submissions))
    if unknown:
        raise GraderError(f"{path}: no submission {', '.join(map(repr, unknown))} in the graded folder")
    return decisions


def _matches(quantity: Quantity, wanted: Quantity) -> bool:
    """A params column answers the weights asked (and the other way round): the slot the review
    queue names may be the answer's own quantity or the one it was judged as."""
    return quantity is wanted or {quantity, wanted} == {Quantity.WEIGHTS, Quantity.PARAMS}


def apply_corrections(grade: Grade, corrections, rubric) -> Grade:
    """`grade` with the TA's decisions applied: the answers corrected, confirmed or moved are judged
    again (the comparator and the scorer run on them; the written questions keep their grading),
    then the points set are set."""
    if not corrections:
        return grade
    if grade.status == "unreadable":
        return replace(grade, review=grade.review + tuple(
            ReviewItem(f"correction not applied: {c.describe()}: the file could not be read", kind="other")
            for c in corrections))
    answers = [j.answer for j in grade.judgements if j.answer is not None]
    applied, refused = [], []
    for correction in corrections:
        if correction.decision == "points":
            continue
        network, layer, quantity = correction.slot
        candidates = [i for i, a in enumerate(answers) if (a.network, a.layer) == (network, layer)
                      and _matches(a.quantity, quantity)]
        exact = [i for i in candidates if answers[i].quantity is quantity]
        if not candidates:
            refused.append(ReviewItem(f"correction not applied: {correction.describe()}: no answer was read "
                                      "in that slot", kind="other", slot=correction.slot_name))
            continue
        i = (exact or candidates)[0]
        answer = replace(answers[i], confidence=1.0, confirmed=True)
        if correction.decision == "value":
            answer = replace(answer, value=correction.value, computed=None, approximate=False)
        elif correction.decision == "move":
            to_network, to_layer, to_quantity = correction.value
            answer = replace(answer, network=to_network, layer=to_layer, quantity=to_quantity)
        answers[i] = answer
        applied.append(correction)
    if applied:
        grade = _judged_again(grade, tuple(answers), rubric)
    judgements = list(grade.judgements)
    for correction in applied:  # each judgement says what the TA decided about it
        network, layer, quantity = correction.value if correction.decision == "move" else correction.slot
        for k, j in enumerate(judgements):
            if (j.network, j.layer) == (network, layer) and _matches(j.quantity, quantity) and j.answer is not None:
                judgements[k] = replace(j, note="; ".join(filter(None, [j.note, correction.describe()])))
                break
    for correction in corrections:
        if correction.decision != "points":
            continue
        network, layer, quantity = correction.slot
        at = next((k for k, j in enumerate(judgements) if j.asked and (j.network, j.layer) == (network, layer)
                   and _matches(j.quantity, quantity)), None)
        if at is None:
            refused.append(ReviewItem(f"correction not applied: {correction.describe()}: the rubric does not ask "
                                      "that slot", kind="other", slot=correction.slot_name))
            continue
        j = judgements[at]
        judgements[at] = replace(j, points=min(float(correction.value), j.max_points),
                                 note="; ".join(filter(None, [j.note, correction.describe()])))
        applied.append(correction)
    from grader.score import total_score

    settled = {c.slot_name for c in applied} | {c.target for c in applied}
    return replace(
        grade, judgements=tuple(judgements),
        score=total_score(judgements, grade.pitfalls, grade.free_text) if grade.score is not None else None,
        review=tuple(item for item in grade.review if item.slot not in settled) + tuple(refused),
        corrections=grade.corrections + tuple((tuple(dict.fromkeys((c.slot_name, c.target))), c.describe())
                                              for c in applied))


def _judged_again(grade: Grade, answers, rubric) -> Grade:
    """The comparator and the scorer once more, on corrected answers. The document is not read
    again: the written questions keep their grading, and a 224 input stated only in prose (no
    answer showing it) keeps its pitfall."""
    from grader.compare import compare
    from grader.score import score

    comparison = compare(answers, replace(rubric, free_text=()), document=None)
    shown = {code for j in grade.judgements for code in j.pitfalls}
    stated = tuple(hit for hit in grade.pitfalls if hit.layers == ("input",) and hit.code not in shown
                   and hit.code not in {h.code for h in comparison.pitfalls})
    review = tuple(item for item in grade.review if not item.slot) + comparison.review
    comparison = replace(comparison, pitfalls=comparison.pitfalls + stated, free_text=grade.free_text,
                         review=tuple(dict.fromkeys(review)))
    again = score(comparison, rubric, file=grade.file)
    return replace(again, review=tuple(dict.fromkeys(again.review)), errors=grade.errors or again.errors,
                   corrections=grade.corrections)
