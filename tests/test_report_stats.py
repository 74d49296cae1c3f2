"""Class statistics from saved results: what the dashboard and `grader stats` count."""
from __future__ import annotations

import json

import pytest
from test_report_fixtures import grade, towers_merged, use_stand_in_pitfalls

from grader.core import GraderError
from grader.report.json_result import grade_to_json
from grader.report.stats import class_stats, load_results, run_stats, score_bins


@pytest.fixture
def pitfalls(monkeypatch):
    return use_stand_in_pitfalls(monkeypatch)


def saved(g, key):
    result = grade_to_json(g)
    result["submission"] = key
    result["student"] = {"id": key}
    return result


def klass():
    return [
        saved(grade("amy.md", {}), "amy"),
        saved(towers_merged("bob.md"), "bob"),
        saved(towers_merged("cai.md"), "cai"),
        # dan and eve both wrote 129,792 for conv2 units (wrong, no pitfall): a shared wrong value
        saved(grade("dan.md", {("conv2", "units"): 129_792}), "dan"),
        saved(grade("eve.md", {("conv2", "units"): 129_792, ("fc8", "weights"): None}), "eve"),
        saved(grade("fay.docx", {}, status="unreadable", errors=("fay.docx: not a zip file",)), "fay"),
    ]


def test_counts():
    stats = class_stats(klass())
    assert dict(stats.statuses) == {"graded": 5, "empty": 0, "unreadable": 1}
    [towers] = stats.pitfalls
    assert towers.code == "tower-split-missed" and towers.count == 2
    assert towers.students == (("bob", ("conv2",)), ("cai", ("conv2",)))
    assert towers.layers == (("conv2", 2),)
    weights = stats.slot("alexnet", "conv2", "weights")
    assert (weights.credited, weights.total) == (3, 5)
    units = stats.slot("alexnet", "conv2", "units")
    assert dict(units.verdicts)["wrong"] == 2
    assert dict(stats.slot("alexnet", "fc8", "weights").verdicts)["missing"] == 1
    [shared] = stats.shared_wrong
    assert (shared.layer, shared.quantity, shared.value, shared.students) == ("conv2", "units", "129,792",
                                                                              ("dan", "eve"))
    assert [(e.submission, e.kind) for e in stats.review] == [
        ("fay", "unreadable"), ("dan", "shared-wrong"), ("eve", "shared-wrong")]
    assert stats.review[0].where == "fay.docx" and stats.review[1].text == "conv2 units = 129,792"
    assert stats.review[1].where == "line 1"  # the fixture's answers are all on line 1
    # scores: amy 9, bob 7, cai 7, dan 8, eve 7
    assert stats.mean == pytest.approx(38 / 5) and stats.median == 7
    assert sum(b.count for b in stats.bins) == 5


def test_the_review_queue_puts_first_what_a_ta_must_act_on():
    from grader.core import ReviewItem, Source

    def with_review(key, *items, **options):
        return saved(grade(f"{key}.md", {}, review=items, **options), key)

    results = [
        with_review("ann", ReviewItem("the name does not match --id-pattern", "ann")),
        with_review("ben", ReviewItem("alexnet.conv2 weights: 2 different values", "614400", Source(line=7),
                                      kind="conflict")),
        with_review("cat", ReviewItem("alexnet.fc6 units: slot inferred from the number alone", "4096",
                                      Source(line=3), kind="low-confidence")),
        with_review("dov", ReviewItem("no answers for alexnet found: is the rubric right?", kind="ungradable")),
        saved(grade("eli.xlsx", {}, status="unreadable", errors=("eli.xlsx: not a zip file",)), "eli"),
    ]
    review = class_stats(results).review
    assert [(e.submission, e.kind) for e in review] == [
        ("eli", "unreadable"), ("dov", "ungradable"), ("cat", "low-confidence"), ("ben", "conflict"), ("ann", "other")]
    assert [e.where for e in review] == ["eli.xlsx", "dov.md", "line 3", "line 7", "ann.md"]


def test_the_same_statistics_whatever_order_the_results_come_in():
    assert class_stats(reversed(klass())) == class_stats(klass())
    assert [row.key for row in class_stats(reversed(klass())).submissions] == ["amy", "bob", "cai", "dan", "eve",
                                                                                "fay"]


def test_score_bins_hold_the_full_score():
    bins = score_bins([0, 8.5, 9, 9], 9)
    assert [b.low for b in bins] == list(range(10))
    assert bins[-1].count == 2 and bins[8].count == 1 and bins[0].count == 1
    wide = score_bins([26, 0.5, 13], 26)  # 26 points: bars 2 points wide
    assert [b.low for b in wide][:3] == [0, 2, 4] and wide[-1].low == 26 and wide[-1].count == 1


def test_score_bins_do_not_overlap():
    # 26 points in bars 2 points wide, whole-point scores: 24 and 25 share a bar, full marks have their own
    bins = score_bins([24, 25, 26, 26, 0, 13], 26)
    assert [b.label for b in bins] == ["0–1", "2–3", "4–5", "6–7", "8–9", "10–11", "12–13", "14–15", "16–17",
                                       "18–19", "20–21", "22–23", "24–25", "26"]
    assert [b.count for b in bins if b.count] == [1, 1, 2, 2]
    for score in range(27):  # every possible score is in exactly one bar
        assert sum(b.low <= score <= b.top for b in bins) == 1, score
    # a half point is a possible score: the bar before full marks says it holds 25.5
    assert [b.label for b in score_bins([25.5, 26], 26)][-2:] == ["24–25.5", "26"]
    # bars a point wide are one score each; a full score that does not start a bar ends the last one
    assert [b.label for b in score_bins([3], 9)] == [str(n) for n in range(10)]
    assert [b.label for b in score_bins([25], 25)][-1] == "24–25" and score_bins([25], 25)[-1].count == 1


def test_run_stats_prints_the_class(tmp_path, capsys, monkeypatch, pitfalls):
    monkeypatch.setenv("COLUMNS", "200")
    (tmp_path / "results").mkdir()
    for result in klass():
        (tmp_path / "results" / f"{result['submission']}.json").write_text(json.dumps(result))
    assert run_stats(str(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "6 submissions" in out and "5 graded" in out and "1 unreadable" in out
    assert "tower-split-missed" in out and pitfalls["tower-split-missed"].title in out
    assert "conv2 units = 129,792: dan, eve" in out
    assert "fay: unreadable: fay.docx: not a zip file" in out


def test_stats_without_results_is_a_clear_error(tmp_path):
    with pytest.raises(GraderError, match="no saved results"):
        load_results(tmp_path)
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(GraderError, match="broken.json"):
        load_results(tmp_path)


def test_the_answer_table_has_a_row_per_answer_of_the_graded_results():
    from grader.report.stats import ANSWER_COLUMNS, answer_table

    table = answer_table(klass())
    assert tuple(table.columns) == ANSWER_COLUMNS
    assert list(dict.fromkeys(table["submission"])) == ["amy", "bob", "cai", "dan", "eve"]  # fay was not read
    bob = table[(table["submission"] == "bob") & (table["layer"] == "conv2") & (table["quantity"] == "weights")]
    # towers merged: 5·5·96·256 for 5·5·48·256
    assert bob[["value", "expected", "verdict", "pitfalls"]].values.tolist() == [
        [614_400, 307_200, "wrong", "tower-split-missed"]]
    eve = table[(table["submission"] == "eve") & (table["layer"] == "fc8") & (table["quantity"] == "weights")]
    assert eve["verdict"].tolist() == ["missing"] and eve["value"].tolist() == [None]


def test_a_class_with_nothing_graded_counts_nothing():
    stats = class_stats([klass()[-1]])  # fay's unreadable file alone
    assert stats.accuracy == () and stats.pitfalls == () and stats.shared_wrong == ()
    assert [e.kind for e in stats.review] == ["unreadable"]


def test_a_pitfall_without_layers_still_counts_its_student():
    bob = klass()[1]
    bob["pitfalls"] = [{"code": "total-inconsistent", "network": "alexnet", "layers": []}]
    for item in bob["answers"]:
        item["pitfalls"] = []
    [made] = class_stats([bob]).pitfalls
    assert (made.code, made.students, made.layers) == ("total-inconsistent", (("bob", ()),), ())


def test_the_export_never_lands_among_the_saved_results(tmp_path, capsys):
    from grader.report.stats import export_target

    (tmp_path / "results").mkdir()
    for result in klass():
        (tmp_path / "results" / f"{result['submission']}.json").write_text(json.dumps(result))
    with pytest.raises(GraderError, match="saved result"):
        run_stats(str(tmp_path), csv=str(tmp_path / "results" / "table.json"))
    assert capsys.readouterr().out == ""  # refused before anything is counted or printed
    with pytest.raises(GraderError, match="is a folder"):
        export_target(tmp_path / "results", tmp_path)
    assert len(load_results(tmp_path)) == 6


def test_check_does_not_load_pandas():
    import subprocess
    import sys

    from grader.core import PROJECT_ROOT

    code = ("import sys; from grader.cli import main; main(['check', 'submissions/amelia_hart.md', '--json']); "
            "print('pandas' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "False"
