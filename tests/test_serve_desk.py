"""The review desk of `grader serve DIR`: a graded batch's review queue, a decision appended to its
corrections file and the student re-scored (with the roster the batch was graded with, which the
desk refuses to lose); the token guards it. Skipped without the serve extra."""
from __future__ import annotations

import json
import warnings

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from grader.batch import grade_folder
from grader.corrections import load_corrections
from grader.rubric import load_rubric
from grader.serve.app import build_app
from grader.serve.desk import Desk, parse_value
from test_serve import TOTAL_ON_FC8 as OMAR

TOKEN = "a-token-for-the-test"


@pytest.fixture()
def batch(tmp_path):
    klass, out = tmp_path / "class", tmp_path / "out"
    klass.mkdir()
    (klass / "omar.md").write_text(OMAR, encoding="utf-8")
    rubric = load_rubric("alexnet-paper")
    grade_folder(klass, rubric=rubric, out=out, workers=1)
    (out / "corrections.yaml").write_text("# the TA's decisions\n", encoding="utf-8")
    desk = Desk.open(klass, out=out, rubric=rubric, token=TOKEN)
    app = build_app(rubric=rubric, desk=desk)
    with TestClient(app) as client:
        yield client, klass, out


def result(out) -> dict:
    return json.loads((out / "results" / "omar.json").read_text(encoding="utf-8"))


def fc8_weights(out) -> dict:
    return fc8_weights_of(result(out))


def fc8_weights_of(saved: dict) -> dict:
    return next(a for a in saved["answers"] if (a["layer"], a["quantity"]) == ("fc8", "weights"))


def test_the_desk_needs_the_token(batch):
    client, _, _ = batch
    assert client.get("/review").status_code == 403
    assert client.get("/review?token=wrong").status_code == 403
    opened = client.get(f"/review?token={TOKEN}", follow_redirects=False)
    assert opened.status_code == 303 and TOKEN not in opened.headers["location"]
    page = client.get("/review")
    assert page.status_code == 200 and 'data-slot="alexnet.fc8.weights"' in page.text
    assert "line 4" in page.text and "60954656" in page.text  # the student's line, beside the item
    # a decision without the form's token is refused, even with the cookie
    refused = client.post("/review", data={"submission": "omar", "slot": "alexnet.fc8.weights",
                                           "decision": "confirm"})
    assert refused.status_code == 403


def test_correcting_a_value_appends_the_decision_and_rescores_the_student(batch):
    client, klass, out = batch
    assert fc8_weights(out)["verdict"] == "review"
    before = result(out)["score"]
    client.get(f"/review?token={TOKEN}")
    page = client.post("/review", data={"token": TOKEN, "submission": "omar", "slot": "alexnet.fc8.weights",
                                        "decision": "value", "value": "4,096,000", "comment": "fc8 row misread"})
    assert page.status_code == 200 and "re-scored" in page.text
    text = (out / "corrections.yaml").read_text(encoding="utf-8")
    assert text.startswith("# the TA's decisions\n")  # what the TA wrote is kept
    decided = load_corrections(out / "corrections.yaml")["omar"]
    assert [(c.slot_name, c.decision, c.value) for c in decided] == [("alexnet.fc8.weights", "value", 4_096_000)]
    assert fc8_weights(out)["verdict"] == "correct"
    assert result(out)["score"] == before  # a reading left for review cost nothing, and now earns its point
    assert "alexnet.fc8.weights" not in {item.get("slot") for item in result(out)["review"]}
    assert "value corrected to 4,096,000 by a TA" in fc8_weights(out)["note"]  # the TA's saved result
    # the student's feedback says so too, under the rubric's reveal policy (hints: no figure given)
    assert "value corrected to … by a TA (fc8 row misread)" in (out / "feedback" / "omar.md").read_text(encoding="utf-8")
    assert (klass / "omar.md").read_text(encoding="utf-8") == OMAR  # the student's file untouched
    # the slot decided leaves the queue: the same decision again is refused
    again = client.post("/review", data={"token": TOKEN, "submission": "omar", "slot": "alexnet.fc8.weights",
                                         "decision": "confirm"})
    assert again.status_code == 400 and "not in the review queue" in again.text


def test_a_decision_off_the_queue_writes_nothing(batch):
    client, _, out = batch
    client.get(f"/review?token={TOKEN}")
    for fields in ({"submission": "../../etc/passwd", "slot": "alexnet.fc8.weights", "decision": "confirm"},
                   {"submission": "omar", "slot": "alexnet.conv1.units", "decision": "confirm"},
                   {"submission": "omar", "slot": "alexnet.fc8.weights", "decision": "move", "move": "nowhere"},
                   {"submission": "omar", "slot": "alexnet.fc8.weights", "decision": "value", "value": "lots"}):
        assert client.post("/review", data={"token": TOKEN, **fields}).status_code == 400
    assert (out / "corrections.yaml").read_text(encoding="utf-8") == "# the TA's decisions\n"


def test_a_value_the_ta_reads_wrong_is_charged(batch):
    client, _, out = batch
    before = result(out)["score"]
    client.get(f"/review?token={TOKEN}")
    page = client.post("/review", data={"token": TOKEN, "submission": "omar", "slot": "alexnet.fc8.weights",
                                        "decision": "value", "value": "409600"})
    assert page.status_code == 200
    assert fc8_weights(out)["verdict"] == "wrong"  # the student's own slip now: not fc8's 4,096,000
    assert result(out)["score"] == before - 1  # one point an answer in this rubric
    assert "→" in page.text


def test_moving_a_reading_names_the_slot(batch):
    client, _, out = batch
    client.get(f"/review?token={TOKEN}")
    page = client.post("/review", data={"token": TOKEN, "submission": "omar", "slot": "alexnet.fc8.weights",
                                        "decision": "move", "move": "alexnet.fc7.weights"})
    assert page.status_code == 200
    decided = load_corrections(out / "corrections.yaml")["omar"]
    assert [(c.decision, c.target) for c in decided] == [("move", "alexnet.fc7.weights")]


def test_values_as_a_ta_types_them():
    assert parse_value("64,896") == parse_value("64 896") == parse_value("64896") == 64_896
    assert parse_value("13x13x384") == [13, 13, 384]
    assert parse_value("3.5e6") == 3_500_000
    with pytest.raises(Exception, match="not a number"):
        parse_value("nan-ish")


def test_a_batch_graded_with_a_roster_is_re_scored_with_it(tmp_path):
    import csv

    from grader.core import GraderError

    klass, out = tmp_path / "class", tmp_path / "out"
    klass.mkdir()
    (klass / "Omar Haddad.md").write_text(OMAR, encoding="utf-8")
    roster = tmp_path / "class.csv"  # made-up students; Zhou Min handed nothing in
    roster.write_text("name,id,email\nOmar Haddad,S7,oh@example.edu\nZhou Min,S4,zm@example.edu\n", encoding="utf-8")
    rubric = load_rubric("alexnet-paper")
    grade_folder(klass, rubric=rubric, out=out, workers=1, roster=str(roster))
    saved = out / "results" / "Omar_Haddad.json"
    # opened without the roster, a re-score would give Omar his file's name as his id: refused
    with pytest.raises(GraderError, match=r"Omar_Haddad was graded as .*id S7.* give `grader serve` the --roster"):
        Desk.open(klass, out=out, rubric=rubric, token=TOKEN)
    desk = Desk.open(klass, out=out, rubric=rubric, token=TOKEN, roster=roster)
    with TestClient(build_app(rubric=rubric, desk=desk)) as client:
        client.get(f"/review?token={TOKEN}")
        page = client.post("/review", data={"token": TOKEN, "submission": "Omar_Haddad", "slot": "alexnet.fc8.weights",
                                            "decision": "value", "value": "4096000"})
    assert page.status_code == 200 and "re-scored" in page.text
    result = json.loads(saved.read_text(encoding="utf-8"))
    assert fc8_weights_of(result)["verdict"] == "correct"
    assert (result["student"]["id"], result["student"].get("email")) == ("S7", "oh@example.edu")
    with open(out / "gradebook" / "gradescope.csv", encoding="utf-8") as sheet:
        rows = list(csv.reader(sheet))
    # Omar under the roster's id and email, and the student who handed nothing in still has a row
    assert [row[:2] for row in rows[1:]] == [["S7", "oh@example.edu"], ["S4", "zm@example.edu"]]
