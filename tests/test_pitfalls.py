"""Every pitfall's cases (tests/pitfall_cases/<code>.yaml), and a meta-test that the registry is
exactly PITFALLS.md's table (the project's copy: the team's ../shared/PITFALLS.md codes first, with
their meanings and in their order, when that is beside the checkout, the project's own after them),
documented, and tested both ways."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from grader.compare import compare
from grader.compare.pitfalls import PITFALLS
from grader.rubric import load_rubric
from test_compare import judgement, make_answers, make_document, raised

CASES_DIR = Path(__file__).parent / "pitfall_cases"
PITFALLS_MD = Path(__file__).resolve().parents[1] / "PITFALLS.md"
SHARED_PITFALLS_MD = Path(__file__).resolve().parents[2] / "shared" / "PITFALLS.md"


def _load_cases():
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            cases.append(pytest.param(data["code"], case, id=f"{data['code']}-{case['id']}"))
    return cases


CASES = _load_cases()


@pytest.mark.parametrize(("code", "case"), CASES)
def test_pitfall_case(code, case):
    rubric = load_rubric(case.get("rubric", "alexnet-paper"))
    document = make_document(case["document"]) if "document" in case else None
    comparison = compare(make_answers(case["answers"]), rubric, document=document)
    found = raised(comparison)
    if case.get("pass"):
        assert code not in found, f"{code} raised at {sorted(found.get(code, ()))}"
    else:
        assert code in found, f"{code} not raised; raised: {found}"
        if case["fail"] != "any":
            missing = [layer for layer in case["fail"] if layer not in found[code]]
            assert not missing, f"{code} not raised at {missing}; raised at {sorted(found[code])}"
    for slot, verdict in (case.get("verdicts") or {}).items():
        parts = slot.split(".")  # [network.]layer.quantity; a dotted layer name (layer1.0.add) needs its network
        network = parts[0] if len(parts) >= 3 else "alexnet"
        layer, quantity = ".".join(parts[1:-1]) if len(parts) >= 3 else parts[0], parts[-1]
        assert judgement(comparison, layer, quantity, network, asked=None).verdict.value == verdict, slot


# ---------------------------------------------------------------- the registry


def _documented_codes(path: Path) -> list[str]:
    return re.findall(r"^\| `([a-z0-9-]+)` \|", path.read_text(encoding="utf-8"), flags=re.M)


def test_registry_codes_are_exactly_pitfalls_md():
    documented = _documented_codes(PITFALLS_MD)
    assert len(documented) >= 20  # the table was read
    assert list(PITFALLS) == documented


def _documented_rows(path: Path) -> dict[str, str]:
    """code -> its row's description (the "what the student did" column), in the table's order."""
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| ([^|]*) \|", path.read_text(encoding="utf-8"), flags=re.M)
    return {code: what.strip() for code, what in rows}


def _team_codes_kept(project: dict[str, str], team: dict[str, str]) -> list[str]:
    """What breaks the rule "codes never change meaning; new ones may be added": every team code in the
    project's table with the team's description, in the team's order, the project's own after them."""
    problems = [f"{code}: not in the project's table" for code in team if code not in project]
    problems += [f"{code}: means {project[code]!r}, the team's {what!r}" for code, what in team.items()
                 if code in project and project[code] != what]
    if list(project)[:len(team)] != list(team):
        problems.append("the team's codes are not first, in the team's order")
    return problems


@pytest.mark.skipif(not SHARED_PITFALLS_MD.is_file(), reason="../shared/PITFALLS.md not beside the checkout")
def test_project_catalogue_matches_the_teams():
    assert _team_codes_kept(_documented_rows(PITFALLS_MD), _documented_rows(SHARED_PITFALLS_MD)) == []


def test_the_catalogue_rule_refuses_a_changed_or_reordered_team_code():
    team = {"input-224": "used 224", "bias-counted": "counted biases"}
    assert _team_codes_kept({**team, "batch-counted": "counted the batch"}, team) == []
    assert _team_codes_kept({"input-224": "used 224"}, team) == ["bias-counted: not in the project's table",
                                                                 "the team's codes are not first, in the team's order"]
    assert _team_codes_kept({"input-224": "used 224", "bias-counted": "forgot biases"}, team) == [
        "bias-counted: means 'forgot biases', the team's 'counted biases'"]
    assert _team_codes_kept({"bias-counted": "counted biases", "input-224": "used 224"}, team) == [
        "the team's codes are not first, in the team's order"]
    assert _team_codes_kept({"batch-counted": "counted the batch", **team}, team) == [
        "the team's codes are not first, in the team's order"]


@pytest.mark.parametrize("code", list(PITFALLS))
def test_every_pitfall_is_documented(code):
    pitfall = PITFALLS[code]
    assert pitfall.code == code
    for section in ("title", "what", "why", "example", "instead"):
        assert getattr(pitfall, section).strip(), f"{code}: {section} is empty"
    assert pitfall.perturbation is not None or pitfall.check is not None, f"{code}: no detection"
    assert pitfall.detection


@pytest.mark.parametrize("code", list(PITFALLS))
def test_every_pitfall_has_passing_and_failing_cases(code):
    path = CASES_DIR / f"{code}.yaml"
    assert path.is_file(), f"no cases for {code}"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["code"] == code
    assert any(case.get("pass") for case in data["cases"]), f"{code}: no passing case"
    assert any("fail" in case for case in data["cases"]), f"{code}: no failing case"


def test_every_case_file_names_a_registered_pitfall():
    for path in CASES_DIR.glob("*.yaml"):
        assert path.stem in PITFALLS, path.name
