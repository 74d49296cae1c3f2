"""The answer key (`grader reference`): seed 001's figures in the Markdown key, the conventions
switches, every format, and golden outputs (tests/golden/<test name>.out; rewrite them with
`pytest --update-golden` and review the diff)."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from grader.cli import main
from grader.core import GraderError
from grader.reference.key import print_key
from test_reference_specs import SEED_001  # tests/ is on sys.path (pytest prepend import mode)

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def golden(request):
    def check(text: str) -> None:
        path = GOLDEN / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', request.node.name).strip('_')}.out"
        if request.config.getoption("--update-golden"):
            GOLDEN.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            return
        assert path.is_file(), f"no golden file {path.name}: run pytest --update-golden and review it"
        assert text == path.read_text(encoding="utf-8"), f"{path.name} differs: review, then --update-golden"
    return check


def run(capsys, *args: str) -> str:
    assert main(["reference", *args]) == 0
    return capsys.readouterr().out


def table(markdown: str) -> dict[str, dict[str, str]]:
    """The key's table: layer -> column -> cell."""
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0].strip("*")] = dict(zip(header, cells))
    return rows


def figure(cell: str) -> int:
    """The value a cell ends with: '5·5·48·256 = 307,200' -> 307200; '**60,954,656**' -> 60954656."""
    return int(cell.rpartition("=")[2].strip(" *").replace(",", ""))


def test_md_key_prints_seed_001(capsys, golden):
    out = run(capsys, "alexnet", "--format", "md")
    rows = table(out)
    for layer, (units, weights, connections) in SEED_001.items():
        assert (figure(rows[layer]["units"]), figure(rows[layer]["weights"]),
                figure(rows[layer]["connections"])) == (units, weights, connections), layer
    assert "5·5·48·256 = 307,200" in rows["conv2"]["weights"]
    assert figure(rows["total"]["weights"]) == 60_954_656 and figure(rows["total"]["parameters"]) == 60_965_224
    assert "**60,954,656 weights**" in out
    assert "conv2, conv4 and conv5 see only their own tower's share" in out
    golden(out)


def test_md_key_bias_towers_merged(capsys, golden):
    out = run(capsys, "alexnet", "--bias", "--towers", "1")
    rows = table(out)
    assert "**62,378,344 parameters**" in out
    assert figure(rows["total"]["parameters"]) == 62_378_344
    assert figure(rows["conv2"]["weights"]) == 614_400  # 5·5·96·256: each filter sees all 96 channels
    # connections with biases: fc8 (4,096+1)·1,000
    assert figure(rows["fc8"]["connections"]) == 4_097_000
    assert "towers merged" in out
    golden(out)


def test_md_key_input_224(capsys, golden):
    out = run(capsys, "alexnet", "--input", "224")
    rows = table(out)
    assert "(224-11)/4+1 = 54.25, floored" in rows["conv1"]["output"]
    assert figure(rows["conv1"]["units"]) == 279_936 and figure(rows["fc6"]["weights"]) == 26_214_400
    assert re.search(r"^- conv1: \(224-11\)/4\+1 = 54\.25, floored", out, re.M)
    golden(out)


def test_md_key_lenet5_1998(capsys, golden):
    out = run(capsys, "lenet5-1998")
    rows = table(out)
    # LeCun et al. 1998: parameters and connections, biases counted in both.
    assert [(figure(rows[n]["parameters"]), figure(rows[n]["connections"])) for n in ("C1", "S2", "C3", "S4")] == [
        (156, 122_304), (12, 5_880), (1_516, 151_600), (32, 2_000)]
    assert "**60,840 parameters**" in out
    golden(out)


@pytest.mark.parametrize("network", ["zfnet", "alexnet-torchvision", "vgg16"])
def test_md_key_other_networks(capsys, golden, network):
    golden(run(capsys, network))


def test_csv_key(capsys, golden):
    out = run(capsys, "vgg19", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    total = rows.pop()
    assert total["layer"] == "total" and int(total["params"]) == 143_667_240
    for row in rows:
        assert int(row["params"]) == int(row["weights"]) + int(row["biases"])
    for quantity in ("weights", "biases", "params", "connections"):
        assert int(total[quantity]) == sum(int(row[quantity]) for row in rows)
    assert int(total["units"]) == sum(int(row["units"]) for row in rows if row["kind"] != "pool")
    golden(out)


def test_json_key(capsys, golden):
    out = run(capsys, "lenet5", "--format", "json")
    key = json.loads(out)
    assert key["total"]["params"] == 61_706 and key["headline"] == "weights"
    assert [layer["layer"] for layer in key["layers"]] == ["conv1", "pool1", "conv2", "pool2", "fc1", "fc2", "fc3"]
    assert key["layers"][0]["formulas"]["weights"] == "5·5·1·6 = 150"
    golden(out)


def test_xlsx_needs_out(capsys):
    assert main(["reference", "alexnet", "--format", "xlsx"]) == 2
    assert "--out" in capsys.readouterr().err


def test_xlsx_key(tmp_path, capsys):
    from openpyxl import load_workbook

    path = tmp_path / "key.xlsx"
    assert main(["reference", "alexnet", "--format", "xlsx", "--out", str(path)]) == 0
    assert str(path) in capsys.readouterr().err
    book = load_workbook(path)
    assert book.sheetnames == ["key", "formulas", "about"]
    rows = list(book["key"].iter_rows(values_only=True))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    column = {name: index for index, name in enumerate(header)}
    by_layer = {row[0]: row for row in body}
    for layer, (units, weights, connections) in SEED_001.items():
        row = by_layer[layer]
        assert (row[column["units"]], row[column["weights"]], row[column["connections"]]) == (
            units, weights, connections)
    assert total[0] == "total" and total[column["parameters"]] == 60_965_224
    formulas = {row[0]: row for row in book["formulas"].iter_rows(values_only=True)}
    assert "5·5·48·256 = 307,200" in formulas["conv2"]


def test_md_to_a_file(tmp_path):
    path = tmp_path / "key.md"
    assert print_key("alexnet", fmt="md", out=path) == 0
    assert "105,415,200" in path.read_text(encoding="utf-8")


def test_key_of_a_spec_file(tmp_path, capsys):
    spec = tmp_path / "mine.yaml"
    spec.write_text("name: mine\ninput: [10, 10, 1]\nlayers:\n  - {name: c, type: conv, filters: 2, kernel: 3}\n")
    rows = table(run(capsys, str(spec)))
    assert figure(rows["c"]["weights"]) == 3 * 3 * 1 * 2 and figure(rows["c"]["units"]) == 8 * 8 * 2


@pytest.mark.parametrize("args, message", [
    (["densenet121"], "no network spec 'densenet121'"),
    (["alexnet", "--input", "8"], "alexnet, layer conv1"),
])
def test_key_errors(capsys, args, message):
    assert main(["reference", *args]) == 2
    assert message in capsys.readouterr().err


def test_unwritable_out(tmp_path):
    with pytest.raises(GraderError, match="cannot write"):
        print_key("alexnet", fmt="csv", out=tmp_path / "missing" / "key.csv")


def test_md_key_graph_squeezenet(capsys, golden):
    """A graph: Fire modules concatenate two expand convolutions read off one squeeze; ceil-mode pooling."""
    out = run(capsys, "squeezenet1_0")
    # features.3: squeeze 1·1·96·16 = 1,536 (+16); its expands read it side by side, 64 + 64 channels
    assert "| features.3.cat | 54×54×128 | 54·54·(64+64) = 373,248 | 0 | 0 | 0 | 0 |" in out
    # ceil mode: (54-3)/2+1 = 26.5 is 27, and the last map 13×13 as torchvision's: (27-3)/2+1 = 13
    assert "| features.6 | 27×27×256: (54-3)/2+1 = 26.5, rounded up (ceil mode) |" in out
    assert "| features.12.cat | 13×13×512 |" in out
    golden(out)


def test_md_key_costs_lenet5(capsys, golden):
    """LeNet-5's conv1 by hand: 5·5·1·6 = 150 weights at 28·28 positions, 117,600 MACs."""
    out = run(capsys, "lenet5", "--quantities", "all")
    assert "| conv1 | 28×28×6 | 150·28·28 = 117,600 | 2·117,600 = 235,200 | 28·28·6 = 4,704 |" in out
    golden(out)
