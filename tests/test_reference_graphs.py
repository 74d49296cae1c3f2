"""Networks as graphs: layers that name their inputs (residual sums, concatenations), grouped and
depthwise convolutions, batch norm, global average pooling, ceil-mode pooling. Checked against
torchvision's documented parameter counts and against small cases worked by hand."""
from __future__ import annotations

import pytest

from grader.core import GraderError, Quantity
from grader.reference.engine import compute
from grader.reference.spec import list_networks, load_network, parse_network

U, W, B, P, C = Quantity.UNITS, Quantity.WEIGHTS, Quantity.BIASES, Quantity.PARAMS, Quantity.CONNECTIONS

# torchvision's model documentation, num_params of each model's IMAGENET1K_V1 weights.
TORCHVISION_PARAMS = {"resnet18": 11_689_512, "resnet34": 21_797_672, "resnet50": 25_557_032,
                      "googlenet": 6_624_904, "mobilenet_v2": 3_504_872, "squeezenet1_0": 1_248_424}


@pytest.mark.parametrize("name", sorted(TORCHVISION_PARAMS))
def test_torchvision_parameter_counts(name):
    if name not in list_networks():
        pytest.fail(f"{name} is not shipped")
    assert compute(load_network(name)).total(P) == TORCHVISION_PARAMS[name]


def test_resnet18_by_hand():
    net = compute(load_network("resnet18"))
    # conv1: (224+2·3-7)/2+1 = 112 (floored from 112.5); 7·7·3·64 = 9,408 weights, no bias.
    assert net.layer("conv1").shape == (112, 112, 64) and net.layer("conv1").params == 9_408
    # batch norm: a scale and a shift per channel, 2·64 = 128; its running mean and variance are not parameters.
    assert (net.layer("bn1").weights, net.layer("bn1").biases) == (64, 64)
    assert net.layer("maxpool").shape == (56, 56, 64)  # (112+2·1-3)/2+1 = 56.5, floored
    # layer2.0 halves the map and doubles the width: its shortcut is a 1×1 projection with stride 2,
    # 1·1·64·128 = 8,192 weights plus its batch norm's 2·128.
    assert net.layer("layer2.0.downsample.0").weights == 8_192
    assert net.layer("layer2.0.downsample.0").shape == (28, 28, 128)
    # the residual sum has no weights, and its output is the sum's shape
    add = net.layer("layer2.0.add")
    assert (add.params, add.connections, add.shape) == (0, 0, (28, 28, 128))
    assert net.layer("avgpool").shape == (1, 1, 512)
    assert net.layer("fc").params == 512 * 1000 + 1000


def test_resnet50_bottleneck_by_hand():
    net = compute(load_network("resnet50"))
    # layer1.0: 1×1 64->64, 3×3 64->64, 1×1 64->256 and a projection 64->256 (the width changes)
    assert [net.layer(f"layer1.0.conv{i}").weights for i in (1, 2, 3)] == [4_096, 36_864, 16_384]
    assert net.layer("layer1.0.downsample.0").weights == 16_384
    # torchvision's v1.5: the stride is on the 3×3, so conv1 of layer2.0 still sees 56×56
    assert net.layer("layer2.0.conv1").shape == (56, 56, 128)
    assert net.layer("layer2.0.conv2").shape == (28, 28, 128)
    assert net.layer("layer4.2.add").shape == (7, 7, 2048)


def graph(layers: str, shape="[8, 8, 4]"):
    return compute(parse_network(__import__("yaml").safe_load(f"name: g\ninput: {shape}\nlayers:\n{layers}"), "g.yaml"))


def test_residual_block_by_hand():
    net = graph("""\
  - {name: a, type: conv, filters: 4, kernel: 3, padding: 1, bias: false}
  - {name: a_bn, type: bn}
  - {name: relu, type: relu}
  - {name: b, type: conv, filters: 4, kernel: 3, padding: 1}
  - {name: sum, type: add, inputs: [b, input]}
  - {name: gap, type: pool, pool: avg, adaptive: 1}
  - {name: fc, type: fc, units: 3}
""")
    # a: 3·3·4·4 = 144 weights; bn 4 + 4; b: 144 + 4 biases; the sum none; fc 4·3 + 3.
    assert [(f.name, f.weights, f.biases) for f in net.layers] == [
        ("a", 144, 0), ("a_bn", 4, 4), ("b", 144, 4), ("sum", 0, 0), ("gap", 0, 0), ("fc", 12, 3)]
    assert net.total(P) == 144 + 8 + 148 + 15
    # b reads the relu (the layer before it), which passes a_bn's 8×8×4 on
    assert net.layer("b").inputs == ("relu",) and net.layer("b").input_shape == (8, 8, 4)
    assert net.layer("sum").inputs == ("b", "input")
    # units total the neurons of a, b and fc: 256 + 256 + 3; bn, the sum and pooling pass them on
    assert net.total(U) == 515
    # bn: one connection per scale per position, 4·8·8; the sum has none
    assert net.layer("a_bn").connections == 256 and net.layer("sum").connections == 0


def test_concat_and_groups_by_hand():
    net = graph("""\
  - {name: b1, type: conv, filters: 2, kernel: 1, inputs: [input]}
  - {name: b2, type: conv, filters: 6, kernel: 3, padding: 1, inputs: [input]}
  - {name: b3, type: pool, kernel: 3, stride: 1, padding: 1, inputs: [input]}
  - {name: cat, type: concat, inputs: [b1, b2, b3]}
  - {name: dw, type: conv, filters: 12, kernel: 3, padding: 1, groups: 12, bias: false}
  - {name: gw, type: conv, filters: 6, kernel: 1, groups: 3}
""")
    assert net.layer("cat").shape == (8, 8, 2 + 6 + 4)
    assert net.layer("cat").formulas[U] == "8·8·(2+6+4) = 768"
    # depthwise: each of 12 filters sees 12/12 = 1 channel: 3·3·1·12 = 108 (not 3·3·12·12 = 1,296)
    assert net.layer("dw").weights == 108
    # 3 groups: each filter sees 12/3 = 4 channels: 1·1·4·6 = 24
    assert net.layer("gw").weights == 24 and net.layer("gw").biases == 6


def test_ceil_mode_by_hand():
    net = graph("""\
  - {name: floor, type: pool, kernel: 3, stride: 2, inputs: [input]}
  - {name: up, type: pool, kernel: 3, stride: 2, ceil: true, inputs: [input]}
  - {name: even, type: pool, kernel: 2, stride: 2, ceil: true, inputs: [input]}
""", shape="[112, 112, 64]")
    # (112-3)/2+1 = 55.5: floored 55, rounded up 56 (GoogLeNet's first pooling); 2×2/2 divides: 56 either way
    assert net.layer("floor").shape[:2] == (55, 55) and not net.layer("floor").ceil
    assert net.layer("up").shape[:2] == (56, 56) and net.layer("up").ceil
    assert net.layer("even").shape[:2] == (56, 56) and not net.layer("even").ceil
    # PyTorch drops a last window that would start in the right padding: 5 with kernel 2, stride 2,
    # padding 1: (5+2·1-2)/2+1 = 3.5, but rounding up to 4 would add that window.
    net = graph("""\
  - {name: p, type: pool, kernel: 2, stride: 2, padding: 1, ceil: true}
""", shape="[5, 5, 1]")
    # windows start at -1, 1, 3, 5: the one at 5 starts in the padding (the input is 0..4), so 3
    assert net.layer("p").shape[:2] == (3, 3)


@pytest.mark.parametrize("layers, message", [
    ("  - {name: a, type: conv, filters: 4, kernel: 1, inputs: [b]}\n  - {name: b, type: conv, filters: 4, kernel: 1}\n",
     "name no layer before it"),
    ("  - {name: s, type: add, inputs: [input]}\n", "two or more"),
    ("  - {name: a, type: conv, filters: 4, kernel: 1, inputs: [input, input]}\n", "one input"),
    ("  - {name: a, type: conv, filters: 3, kernel: 1}\n  - {name: s, type: add, inputs: [a, input]}\n",
     "one shape"),
    ("  - {name: a, type: pool, kernel: 2, stride: 2}\n  - {name: s, type: concat, inputs: [a, input]}\n",
     "height and width"),
    ("  - {name: a, type: conv, filters: 6, kernel: 1, groups: 4}\n", "groups"),
    ("  - {name: a, type: conv, filters: 6, kernel: 1, groups: 3}\n", "4 input channels"),
    ("  - {name: a, type: pool, kernel: 2, groups: 2}\n", "groups"),
    ("  - {name: input, type: conv, filters: 4, kernel: 1}\n", "input"),
])
def test_broken_graphs_name_the_reason(tmp_path, layers, message):
    path = tmp_path / "broken.yaml"
    path.write_text(f"name: broken\ninput: [8, 8, 4]\nlayers:\n{layers}")
    with pytest.raises(GraderError) as error:
        load_network(str(path))
    assert str(path) in str(error.value) and message in str(error.value)
