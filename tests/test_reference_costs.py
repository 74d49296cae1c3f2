"""The cost of a forward pass: MACs, FLOPs, activations and activation memory, per layer and in
total. Checked against torchvision's published GFLOPS (which count multiply-adds: its "GFLOPS" are
GMACs), against EECS 498's worked AlexNet conv1, against small cases worked by hand, and by the
invariants over every shipped spec."""
from __future__ import annotations

import csv
import io
import json
import math

import pytest

from grader.cli import main
from grader.core import GraderError
from grader.reference.costs import Cost, CostConventions, costs
from grader.reference.engine import Conventions, compute
from grader.reference.spec import list_networks, load_network, parse_network
from test_engine_invariants import evaluate

# torchvision's model documentation, GFLOPS of each model's IMAGENET1K_V1 weights at 224×224: these
# count one multiply-add as one operation, so they are GMACs, printed to 2 decimals.
TORCHVISION_GFLOPS = {"alexnet-torchvision": 0.71, "vgg16": 15.47, "vgg19": 19.63, "resnet18": 1.81,
                      "resnet34": 3.66, "resnet50": 4.09, "googlenet": 1.50, "mobilenet_v2": 0.30,
                      "squeezenet1_0": 0.82}


def cost_of(name: str, **conventions):
    return costs(compute(load_network(name)), CostConventions(**conventions))


@pytest.mark.parametrize("name", sorted(TORCHVISION_GFLOPS))
def test_torchvision_gflops_are_our_macs(name):
    assert round(cost_of(name).total(Cost.MACS) / 1e9, 2) == TORCHVISION_GFLOPS[name]
    # the same figure as FLOPs when FLOPs are counted as torchvision counts them
    assert round(cost_of(name, flops="mac").total(Cost.FLOPS) / 1e9, 2) == TORCHVISION_GFLOPS[name]


def test_eecs_498_alexnet_conv1():
    """EECS 498 (Lecture 8) works AlexNet's conv1 as torchvision builds it on a 227×227×3 input:
    64 filters 11×11, stride 4, padding 2: (227+2·2-11)/4+1 = 56, output 64×56×56;
    memory 64·56·56 = 200,704 elements × 4 bytes = 802,816 bytes = 784 KB (of 1024);
    params 11·11·3·64 + 64 = 23,296 ("23 k"); flop 64·56·56 · 3·11·11 = 72,855,552 ("73 M"),
    a multiply-add counted once."""
    figures = compute(load_network("alexnet-torchvision"), Conventions(input_size=227))
    conv1 = costs(figures, CostConventions(flops="mac")).layer("conv1")
    assert figures.layer("conv1").shape == (56, 56, 64) and figures.layer("conv1").params == 23_296
    assert conv1.activations == 200_704 and conv1.activation_bytes == 802_816
    assert conv1.activation_bytes / 1024 == 784
    assert conv1.macs == conv1.flops == 72_855_552


def tiny():
    raw = {"name": "tiny", "input": [8, 8, 2], "layers": [
        {"name": "conv", "type": "conv", "filters": 4, "kernel": 3},
        {"name": "bn", "type": "bn"},
        {"name": "relu", "type": "relu"},
        {"name": "pool", "type": "pool", "kernel": 2, "stride": 2},
        {"name": "sum", "type": "add", "inputs": ["pool", "pool"]},
        {"name": "fc", "type": "fc", "units": 5}]}
    return compute(parse_network(raw, "tiny.yaml"))


def test_small_network_by_hand():
    """conv: (8-3)+1 = 6, 6×6×4; 3·3·2·4 = 72 weights, each used at 6·6 = 36 positions: 2,592 MACs,
    5,184 FLOPs as 2·MACs, plus 4 biases · 36 = 144 adds with bias adds: 5,328; 144 activations.
    bn: 144 activations, no MACs (it folds into the convolution). relu: no figures of its own.
    pool: 3×3×4 = 36 activations, no MACs. sum: 36 activations, no MACs.
    fc: 36·5 = 180 MACs, 360 FLOPs, 365 with its 5 bias adds; 5 activations.
    Activations 144 + 144 + 36 + 36 + 5 = 365; at fp32 1,460 bytes: 1.42578125 KB of 1024."""
    figures = tiny()
    two = costs(figures)
    assert [(c.name, c.macs, c.flops, c.activations) for c in two.layers] == [
        ("conv", 2_592, 5_184, 144), ("bn", 0, 0, 144), ("pool", 0, 0, 36), ("sum", 0, 0, 36), ("fc", 180, 360, 5)]
    assert costs(figures, CostConventions(flops="2mac+bias")).total(Cost.FLOPS) == 5_328 + 365
    assert costs(figures, CostConventions(flops="mac")).total(Cost.FLOPS) == 2_592 + 180
    assert two.total(Cost.ACTIVATIONS) == 365 and two.total(Cost.ACTIVATION_BYTES) == 1_460
    assert costs(figures, CostConventions(bytes_per_element=2)).total(Cost.ACTIVATION_BYTES) == 730


@pytest.mark.parametrize("bad", [{"flops": "3mac"}, {"bytes_per_element": 0}, {"kilo": 1012},
                                 {"bytes_per_element": True}])
def test_bad_conventions_say_why(bad):
    with pytest.raises(GraderError):
        CostConventions(**bad)


CONVENTIONS = [CostConventions(), CostConventions(flops="mac"), CostConventions(flops="2mac+bias", kilo=1000),
               CostConventions(bytes_per_element=2)]


@pytest.mark.parametrize("name", list_networks())
@pytest.mark.parametrize("conventions", CONVENTIONS, ids=lambda c: f"{c.flops}-{c.bytes_per_element}-{c.kilo}")
def test_invariants(name, conventions):
    figures = compute(load_network(name))
    without_bias = compute(load_network(name), Conventions(connections_with_bias=False))
    result = costs(figures, conventions)
    assert [c.name for c in result.layers] == [f.name for f in figures.layers]
    for layer, record in zip(result.layers, figures.layers):
        # MACs are the connections without biases for a convolution or a fully connected layer
        if record.kind in ("conv", "fc"):
            assert layer.macs == without_bias.layer(record.name).connections
        else:
            assert layer.macs == 0
        positions = math.prod(record.shape[:-1]) if record.kind == "conv" else 1
        assert layer.flops == {"mac": layer.macs, "2mac": 2 * layer.macs,
                               "2mac+bias": 2 * layer.macs + (record.biases * positions if layer.macs else 0)
                               }[conventions.flops]
        assert layer.activations == math.prod(record.shape)
        assert layer.activation_bytes == layer.activations * conventions.bytes_per_element
        for cost in Cost:  # each printed formula computes its figure
            left, _, right = layer.formulas[cost].rpartition(" = ")
            assert int(right.replace(",", "")) == layer.figure(cost), (layer.name, cost)
            if left:
                assert evaluate(left) == layer.figure(cost), (layer.name, cost)


@pytest.mark.parametrize("name", ["lenet5", "resnet18", "googlenet"])
def test_json_and_csv_totals_are_the_sums_of_their_layers(capsys, name):
    assert main(["reference", name, "--format", "json", "--quantities", "macs"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["cost_conventions"] == {"flops": "2mac", "bytes_per_element": 4, "kilo": 1024}
    for key in ("macs", "flops", "activations", "activation_bytes", "params", "weights", "biases"):
        assert document["total"][key] == sum(layer[key] for layer in document["layers"]), key
    for layer in document["layers"]:
        assert layer["params"] == layer["weights"] + layer["biases"]
        assert set(layer["formulas"]) >= {"macs", "flops", "activations", "activation_bytes"}
    assert main(["reference", name, "--format", "csv", "--quantities", "activations,macs"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0])[-2:] == ["activations", "macs"]
    for key in ("activations", "macs"):
        assert int(rows[-1][key]) == sum(int(row[key]) for row in rows[:-1])


def test_json_without_quantities_has_no_costs(capsys):
    assert main(["reference", "lenet5", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert "cost_conventions" not in document and "macs" not in document["total"]


def test_markdown_prints_the_costs_with_formulas_and_units(capsys):
    assert main(["reference", "resnet18", "--quantities", "macs,flops,memory", "--flops", "mac"]) == 0
    out = capsys.readouterr().out
    assert "**1,814,073,344 MACs** (1.81 G)" in out
    assert "FLOPs = MACs" in out
    # conv1: 9,408 weights at 112·112 positions; its output 112·112·64 at 4 bytes = 3,136 KB of 1024
    assert "| conv1 | 112×112×64 | 9,408·112·112 = 118,013,952 | 118,013,952 | 802,816·4 = 3,211,264 B = 3,136 KB |" in out
    assert "1 KB = 1,024 bytes" in out and "activations" not in out.split("| layer |")[-1].split("\n")[0]


def test_a_cost_convention_alone_asks_for_every_cost(capsys):
    assert main(["reference", "lenet5", "--kilo", "1000"]) == 0
    out = capsys.readouterr().out
    assert "1 KB = 1,000 bytes" in out
    # LeNet-5 conv1: 28·28·6 = 4,704 activations, 18,816 bytes = 18.82 KB of 1000
    assert "4,704·4 = 18,816 B = 18.82 KB" in out and "| MACs | FLOPs | activations |" in out


def test_unknown_quantity(capsys):
    assert main(["reference", "lenet5", "--quantities", "macs,gflops"]) == 2
    assert "gflops" in capsys.readouterr().err


def test_xlsx_has_a_costs_sheet(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    from openpyxl import load_workbook

    path = tmp_path / "key.xlsx"
    assert main(["reference", "lenet5", "--format", "xlsx", "--out", str(path), "--quantities", "macs"]) == 0
    sheet = load_workbook(path)["costs"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("layer", "MACs") and rows[1] == ("conv1", 117_600) and rows[-1] == ("total", 416_520)
