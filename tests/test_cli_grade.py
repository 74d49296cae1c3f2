"""`grader grade submissions` end to end, through the real pipeline, against the ground truth in
submissions/README.md (the sample class written for this project); then the reports it wrote. The
photographed page is graded with the ocr extra and unreadable without it, as its README says."""
from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from grader.cli import main
from grader.core import PROJECT_ROOT
from grader.readers.ocr import ocr_available

SUBMISSIONS = PROJECT_ROOT / "submissions"


def ground_truth() -> dict[str, dict]:
    """The README's table: submission -> {status, pitfalls: {code: [layers]}}, for the extras
    installed here (a status "graded; without the ocr extra unreadable" is a photo's)."""
    rows = {}
    for line in (SUBMISSIONS / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not cells[0].startswith("`"):
            continue
        name = cells[0].strip("`").rstrip("/")
        pitfalls = {}
        if cells[4] != "none":
            for part in cells[4].split(";"):
                code, layers = part.split(":")
                pitfalls[code.strip().strip("`")] = [layer.strip() for layer in layers.split(",")]
        status, _, without_ocr = cells[3].partition("; without the ocr extra ")
        if without_ocr and not ocr_available():
            status, pitfalls = without_ocr, {}
        rows[name] = {"status": status, "pitfalls": pitfalls}
    return rows


TRUTH = ground_truth()


def key_of(name: str) -> str:
    return Path(name).stem if "." in name else name


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    before = {p: p.read_bytes() for p in SUBMISSIONS.rglob("*") if p.is_file()}
    assert main(["grade", str(SUBMISSIONS), "--out", str(out), "--workers", "2"]) == 0
    assert {p: p.read_bytes() for p in SUBMISSIONS.rglob("*") if p.is_file()} == before
    results = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (out / "results").glob("*.json")}
    return out, results


def test_ground_truth_table_is_complete():
    handed_in = {p.name for p in SUBMISSIONS.iterdir() if p.name != "README.md"}
    assert set(TRUTH) == handed_in and len(TRUTH) == 16


def test_every_submission_has_a_result(graded):
    _, results = graded
    assert set(results) == {key_of(name) for name in TRUTH}


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_status_and_pitfalls_match_the_ground_truth(graded, name):
    _, results = graded
    result = results[key_of(name)]
    truth = TRUTH[name]
    assert result["status"] == ("graded" if truth["status"] == "full score" else truth["status"]), result["errors"]
    if truth["status"] == "full score":
        assert result["score"] == result["max_score"]
    raised: dict[str, set[str]] = {}
    for hit in result["pitfalls"]:
        raised.setdefault(hit["code"], set()).update(hit["layers"])
    for answer in result["answers"]:
        for code in answer["pitfalls"]:
            raised.setdefault(code, set()).add(answer["layer"])
    assert set(raised) == set(truth["pitfalls"]), f"raised {raised}"
    for code, layers in truth["pitfalls"].items():
        assert set(layers) <= raised[code], f"{code} on {sorted(raised[code])}, want {layers}"


def test_reports_written(graded):
    out, results = graded
    for key in results:
        assert (out / "feedback" / f"{key}.html").is_file() and (out / "feedback" / f"{key}.md").is_file()
    canvas = list(csv.reader((out / "gradebook" / "canvas.csv").open(encoding="utf-8", newline="")))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1] == ["    Points Possible", "", "", "", "", canvas[1][5]]
    # 8 layers x 3 quantities at 1 point, and question 2's two parts at 1 point (rubrics/alexnet-paper.yaml)
    assert float(canvas[1][5]) == 26
    assert len(canvas) == 2 + len(TRUTH)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-review="mateo_rossi"' in index
    assert re.search(f'data-status="unreadable" data-count="{UNREADABLE}"', index)


def test_stats_from_the_saved_results(graded, capsys, monkeypatch):
    out, _ = graded
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["stats", str(out)]) == 0
    text = capsys.readouterr().out
    assert f"{len(TRUTH)} submissions" in text and f"{UNREADABLE} unreadable" in text


# Worked by hand from submissions/README.md ("What each student did"): the graded students whose
# answer in each asked slot is not credited (wrong, or following from their own earlier mistake).
# Diego's connections with biases are a convention the rubric accepts; his weights are not. Owen's
# PDF holds Ben's text: the same answers. Noah's photo (read with the ocr extra only) has conv4 and
# conv5 for one tower and no FC layer at all.
NOT_CREDITED = {
    ("conv1", "units"): {"ben_okafor", "owen_clarke", "chen_jing", "emma_schulz", "hana_kim"},
    ("conv1", "weights"): {"diego_ramirez"},
    ("conv1", "connections"): {"ben_okafor", "owen_clarke", "emma_schulz"},
    ("conv2", "units"): {"ben_okafor", "owen_clarke", "hana_kim"},
    ("conv2", "weights"): {"chen_jing", "diego_ramirez", "jasmine_li", "lena_vogel"},
    ("conv2", "connections"): {"ben_okafor", "owen_clarke", "chen_jing", "emma_schulz", "gao_yu", "jasmine_li", "lena_vogel"},
    ("conv3", "units"): {"ben_okafor", "owen_clarke"},
    ("conv3", "weights"): {"diego_ramirez", "farah_nasser", "jasmine_li"},
    ("conv3", "connections"): {"ben_okafor", "owen_clarke", "emma_schulz", "farah_nasser", "jasmine_li"},
    ("conv4", "units"): {"ben_okafor", "owen_clarke", "kofi_mensah", "lena_vogel"},
    ("conv4", "weights"): {"chen_jing", "diego_ramirez", "gao_yu", "jasmine_li"},
    ("conv4", "connections"): {"ben_okafor", "owen_clarke", "chen_jing", "emma_schulz", "jasmine_li"},
    ("conv5", "units"): {"ben_okafor", "owen_clarke", "hana_kim", "kofi_mensah", "lena_vogel"},
    ("conv5", "weights"): {"chen_jing", "diego_ramirez", "jasmine_li"},
    ("conv5", "connections"): {"ben_okafor", "owen_clarke", "chen_jing", "emma_schulz", "jasmine_li"},
    ("fc6", "units"): set(),
    ("fc6", "weights"): {"ben_okafor", "owen_clarke", "diego_ramirez", "farah_nasser", "ivan_petrov"},
    ("fc6", "connections"): {"ben_okafor", "owen_clarke", "farah_nasser", "ivan_petrov"},
    ("fc7", "units"): set(), ("fc7", "weights"): {"diego_ramirez"}, ("fc7", "connections"): set(),
    ("fc8", "units"): set(), ("fc8", "weights"): {"diego_ramirez"}, ("fc8", "connections"): set(),
}
NOAH = {("conv4", "weights"), ("conv4", "connections"), ("conv5", "weights"), ("conv5", "connections"),
        *((layer, quantity) for layer in ("fc6", "fc7", "fc8") for quantity in ("units", "weights", "connections"))}

# the unreadable files and the one for another assignment (empty under this rubric) answer nothing here
GRADED = {key_of(name) for name, truth in TRUTH.items() if truth["status"] not in ("unreadable", "empty")}
UNREADABLE = sum(truth["status"] == "unreadable" for truth in TRUTH.values())
if "noah_becker" in GRADED:
    NOT_CREDITED = {slot: students | {"noah_becker"} if slot in NOAH else students
                    for slot, students in NOT_CREDITED.items()}


def test_class_statistics_match_the_hand_worked_counts(graded):
    from grader.report.stats import class_stats, load_results

    out, _ = graded
    stats = class_stats(load_results(out))
    assert len(GRADED) == (14 if ocr_available() else 13)
    n = len(GRADED)
    assert {(slot.layer, slot.quantity): (slot.credited, slot.total) for slot in stats.accuracy} == {
        slot: (n - len(students), n) for slot, students in NOT_CREDITED.items()}
    # every pitfall of the ground truth made by exactly the one student the table names, on its layers
    made = {(code, key_of(name)): layers for name, truth in TRUTH.items() for code, layers in truth["pitfalls"].items()}
    makers = {code: sum(1 for c, _ in made if c == code) for code, _ in made}
    assert {p.code: p.count for p in stats.pitfalls} == makers
    for p in stats.pitfalls:
        assert len(p.students) == makers[p.code]
        for student, layers in p.students:
            assert set(made[(p.code, student)]) <= set(layers)
        # per layer, the students who made it there (Lena's tower-half-counted is on conv2, Noah's on conv4, conv5)
        assert dict(p.layers) == Counter(layer for _, layers in p.students for layer in layers)
    assert [(g.layer, g.quantity, g.value, g.students) for g in stats.shared_wrong] == [
        ("conv4", "units", "129,792", ("kofi_mensah", "lena_vogel")),
        ("conv5", "units", "86,528", ("kofi_mensah", "lena_vogel"))]
    # the dashboard shows the same figures
    index = (out / "index.html").read_text(encoding="utf-8")
    cells = re.findall(r'data-slot="alexnet\.(\w+)\.(\w+)" data-credited="(\d+)" data-total="(\d+)"', index)
    assert {(layer, quantity): (int(c), int(t)) for layer, quantity, c, t in cells} == {
        slot: (n - len(students), n) for slot, students in NOT_CREDITED.items()}


def test_stats_exports_the_answer_table(graded, tmp_path, capsys):
    import openpyxl

    out, _ = graded
    table, book = tmp_path / "answers.csv", tmp_path / "answers.xlsx"
    assert main(["stats", str(out), "--csv", str(table), "--xlsx", str(book)]) == 0
    assert f"rows written to {table}" in capsys.readouterr().out
    rows = list(csv.DictReader(table.open(encoding="utf-8", newline="")))
    assert list(rows[0]) == ["submission", "student", "network", "layer", "quantity", "asked", "value", "expected",
                             "verdict", "pitfalls", "points", "confidence"]
    asked = [row for row in rows if row["asked"] == "True"]
    assert len(asked) == len(GRADED) * 24 and {row["submission"] for row in rows} == GRADED  # nothing for the unreadable one
    for slot, students in NOT_CREDITED.items():
        off = {row["submission"] for row in asked if (row["layer"], row["quantity"]) == slot
               and row["verdict"] not in ("correct", "accepted")}
        assert off == students, slot
    chen = next(row for row in asked if (row["submission"], row["layer"], row["quantity"]) == ("chen_jing", "conv2", "weights"))
    # towers merged: 5·5·96·256 for 5·5·48·256
    assert (chen["value"], chen["expected"], chen["verdict"], chen["pitfalls"]) == (
        "614400", "307200", "wrong", "tower-split-missed")
    sheet = openpyxl.load_workbook(book, read_only=True)["answers"]
    written = list(sheet.iter_rows(values_only=True))
    assert len(written) == 1 + len(rows) and written[0][0] == "submission"
    assert any(row[:5] == ("chen_jing", "chen_jing", "alexnet", "conv2", "weights") and row[6] == 614_400
               for row in written)


def test_the_photo_without_the_ocr_extra_is_unreadable_naming_the_extra(tmp_path, monkeypatch, capsys):
    """The Quick start's `pip install -e .` has no OCR: the photographed page is then listed as
    unreadable with the extra to install (printed, in its result and the review queue), its grade
    left empty, not a zero, and the student next to it is graded as ever."""
    import shutil

    import grader.readers.ocr

    monkeypatch.setattr(grader.readers.ocr, "ocr_available", lambda: False)
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("noah_becker.jpg", "amelia_hart.md"):
        shutil.copy(SUBMISSIONS / name, folder / name)
    out = tmp_path / "out"
    assert main(["grade", str(folder), "--out", str(out), "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"unreadable: noah_becker: .*noah_becker\.jpg: a JPEG image, which needs OCR: install the ocr "
                     r"extra \(pip install", printed)
    photo = json.loads((out / "results" / "noah_becker.json").read_text(encoding="utf-8"))
    assert (photo["status"], photo["score"], photo["answers"]) == ("unreadable", None, [])
    assert "ocr extra" in photo["errors"][0]
    amelia = json.loads((out / "results" / "amelia_hart.json").read_text(encoding="utf-8"))
    assert amelia["score"] == amelia["max_score"]
    canvas = {row[0]: row for row in csv.reader((out / "gradebook" / "canvas.csv").open(encoding="utf-8", newline=""))}
    assert canvas["noah_becker"][5] == ""  # an empty grade: the LMS keeps what it had
    assert 'data-review="noah_becker"' in (out / "index.html").read_text(encoding="utf-8")
