"""Every shipped network spec against figures published outside this project: the papers,
torchvision's documented parameter counts, and the instructor's answer key (seed 001)."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.core import GraderError, Quantity
from grader.reference.engine import Conventions, compute
from grader.reference.spec import list_networks, load_network
from figures import SEED_001_KEY as SEED_001

U, W, B, P, C = Quantity.UNITS, Quantity.WEIGHTS, Quantity.BIASES, Quantity.PARAMS, Quantity.CONNECTIONS

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def figures(name: str, **conventions):
    return compute(load_network(name), Conventions(**conventions))


def test_shipped_specs():
    assert set(list_networks()) >= {"alexnet", "alexnet-torchvision", "lenet5", "lenet5-1998", "zfnet",
                                    "vgg16", "vgg19"}
    for name in list_networks():
        assert load_network(name).name == name  # the file name is the name students' rubrics use


# ---------------------------------------------------------------- AlexNet (Krizhevsky et al. 2012)


@pytest.mark.parametrize("layer", SEED_001)
def test_alexnet_matches_the_instructors_key(layer):
    units, weights, connections = SEED_001[layer]
    got = figures("alexnet").layer(layer)
    assert (got.units, got.weights, got.connections) == (units, weights, connections)


def test_seed_001_table_above_is_the_label():
    """The figures copied into SEED_001 are the label's, where the shared seeds are present."""
    labels = sorted((SEEDS / "expected").glob("001_*.yaml"))
    if not labels:
        pytest.skip("shared/seeds is not beside this clone")
    import yaml

    answers = yaml.safe_load(labels[0].read_text(encoding="utf-8"))["answers"]["alexnet"]
    assert {layer: (a["units"], a["weights"], a["connections"]) for layer, a in answers.items()} == SEED_001


def test_alexnet_totals():
    # Published elsewhere: 60,954,656 weights / 60,965,224 parameters with the two towers;
    # 62,378,344 parameters with the towers merged.
    assert figures("alexnet").total(W) == 60_954_656
    assert figures("alexnet").total(P) == 60_965_224
    assert figures("alexnet", towers=1).total(P) == 62_378_344


def test_alexnet_neurons_as_in_the_figure_2_caption():
    # "... the number of neurons in the network's remaining layers is given by
    # 253,440–186,624–64,896–64,896–43,264–4096–4096–1000" (the first is the caption's known error:
    # conv1 has 55·55·96 = 290,400). The input is "150,528-dimensional" = 224·224·3, as the text says.
    alexnet = figures("alexnet")
    caption = [186_624, 64_896, 64_896, 43_264, 4096, 4096, 1000]
    assert [alexnet.layer(name).units for name in ("conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8")] == caption
    assert alexnet.layer("conv1").units == 290_400 != 253_440
    assert 224 * 224 * 3 == 150_528


def test_alexnet_shapes_and_parameters_from_the_labels():
    # Seed 000's label (towers kept, biases counted) and seed 002's (towers merged).
    alexnet, merged = figures("alexnet"), figures("alexnet", towers=1)
    shapes = {"conv1": (55, 55, 96), "pool1": (27, 27, 96), "conv2": (27, 27, 256), "pool2": (13, 13, 256),
              "conv3": (13, 13, 384), "conv4": (13, 13, 384), "conv5": (13, 13, 256), "pool3": (6, 6, 256)}
    assert {name: alexnet.layer(name).shape for name in shapes} == shapes
    assert [alexnet.layer(n).params for n in ("conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8")] == [
        307_456, 885_120, 663_936, 442_624, 37_752_832, 16_781_312, 4_097_000]
    assert [merged.layer(n).params for n in ("conv1", "conv2", "conv3", "conv4", "conv5")] == [
        34_944, 614_656, 885_120, 1_327_488, 884_992]


def test_alexnet_with_the_papers_224_input():
    # (224-11)/4+1 = 54.25 is floored to 54: conv1 54·54·96 = 279,936 neurons; the pools floor to
    # 26, 12 and 5, so fc6 sees 5·5·256 = 6,400 inputs: 6,400·4,096 = 26,214,400 weights.
    at_224 = figures("alexnet", input_size=224)
    conv1 = at_224.layer("conv1")
    assert conv1.non_integral and conv1.shape == (54, 54, 96) and conv1.units == 279_936
    assert at_224.layer("fc6").weights == 26_214_400
    assert at_224.layer("pool3").shape == (5, 5, 256)
    assert not any(layer.non_integral for layer in figures("alexnet").layers)


# ---------------------------------------------------------------- torchvision's AlexNet


def test_alexnet_torchvision():
    # torchvision documents 61,100,840 parameters for alexnet. By hand:
    # conv1 11·11·3·64+64 = 23,296   conv2 5·5·64·192+192 = 307,392   conv3 3·3·192·384+384 = 663,936
    # conv4 3·3·384·256+256 = 884,992   conv5 3·3·256·256+256 = 590,080
    # fc6 9,216·4,096+4,096 = 37,752,832   fc7 16,781,312   fc8 4,097,000
    net = figures("alexnet-torchvision")
    assert net.total(P) == 61_100_840
    assert [net.layer(n).params for n in ("conv1", "conv2", "conv3", "conv4", "conv5")] == [
        23_296, 307_392, 663_936, 884_992, 590_080]
    # (224+2·2-11)/4+1 = 55.25: floored to 55, as PyTorch does; the adaptive pooling keeps 6×6.
    assert net.layer("conv1").shape == (55, 55, 64) and net.layer("conv1").non_integral
    assert net.layer("avgpool").shape == (6, 6, 256)
    other = figures("alexnet-torchvision", input_size=256)
    assert other.layer("pool3").shape == (7, 7, 256) and other.layer("avgpool").shape == (6, 6, 256)
    assert other.total(P) == 61_100_840


# ---------------------------------------------------------------- LeNet-5


def test_lenet5_modern():
    # 32×32×1, conv 6@5×5, pool, conv 16@5×5, pool, fc 120-84-10: 61,706 parameters; per layer as
    # in seed 003's label: 156, 2,416, 48,120, 10,164, 850.
    net = figures("lenet5")
    assert net.total(P) == 61_706
    assert [layer.params for layer in net.layers if layer.params] == [156, 2_416, 48_120, 10_164, 850]


LENET_1998 = {  # LeCun et al. 1998, Section II-B: (trainable parameters, connections)
    "C1": (156, 122_304),
    "S2": (12, 5_880),
    "C3": (1_516, 151_600),
    "S4": (32, 2_000),
    "C5": (48_120, 48_120),
    "F6": (10_164, 10_164),
}


@pytest.mark.parametrize("layer", LENET_1998)
def test_lenet5_1998_as_published(layer):
    got = figures("lenet5-1998").layer(layer)
    assert (got.params, got.connections) == LENET_1998[layer]


def test_lenet5_1998_maps_and_output():
    net = figures("lenet5-1998")
    # The paper's map sizes: C1 6@28×28, S2 6@14×14, C3 16@10×10, S4 16@5×5, C5 120, F6 84.
    assert [layer.shape for layer in net.layers[:5]] == [(28, 28, 6), (14, 14, 6), (10, 10, 16), (5, 5, 16),
                                                         (1, 1, 120)]
    # The RBF output: 10 units of 84 parameters each, no bias.
    output = net.layer("OUTPUT")
    assert (output.units, output.weights, output.biases, output.connections) == (10, 840, 0, 840)


# Table I of LeCun et al. 1998, as printed: for each S2 map (row), the C3 maps (columns 0-15) it feeds.
TABLE_I = """
X   XXX  XXXX XX
XX   XXX  XXXX X
XXX   XXX  X XXX
 XXX  XXXX  X XX
  XXX  XXXX XX X
   XXX  XXXX XXX
"""


def test_lenet5_1998_c3_is_table_i():
    rows = TABLE_I.strip("\n").splitlines()
    printed = {(s2, c3) for s2, row in enumerate(rows) for c3, mark in enumerate(row.ljust(16)) if mark == "X"}
    table = load_network("lenet5-1998").layer("C3").connection_table
    assert {(s2, c3) for c3, seen in enumerate(table) for s2 in seen} == printed
    assert len(printed) == 60


# ---------------------------------------------------------------- ZFNet (Zeiler & Fergus 2013)


def test_zfnet_by_hand():
    """Every figure derived by hand from the paper's Figure 3 (input 224×224×3, one tower).

    Sizes, with the paddings the spec chose to reproduce the figure's 110, 55, 26, 13, 13, 13, 6:
      conv1 7×7/2 pad 1: (224+2-7)/2+1 = 110.5 -> 110      pool1 3×3/2 pad 1: (110+2-3)/2+1 = 55.5 -> 55
      conv2 5×5/2 pad 0: (55-5)/2+1 = 26                     pool2 3×3/2 pad 1: (26+2-3)/2+1 = 13.5 -> 13
      conv3-5 3×3/1 pad 1: 13                                pool3 3×3/2: (13-3)/2+1 = 6
    Units: conv1 110·110·96 = 1,161,600; conv2 26·26·256 = 173,056; conv3 13·13·384 = 64,896;
      conv4 64,896; conv5 13·13·256 = 43,264; fc 4,096, 4,096, 1,000.
      Total 1,161,600+173,056+64,896+64,896+43,264+4,096+4,096+1,000 = 1,516,904.
    Weights: conv1 7·7·3·96 = 14,112; conv2 5·5·96·256 = 614,400; conv3 3·3·256·384 = 884,736;
      conv4 3·3·384·384 = 1,327,104; conv5 3·3·384·256 = 884,736; fc6 6·6·256·4,096 = 37,748,736;
      fc7 4,096·4,096 = 16,777,216; fc8 4,096·1,000 = 4,096,000. Total 62,347,040.
    Biases: 96+256+384+384+256+4,096+4,096+1,000 = 10,568; parameters 62,357,608 (AlexNet merged,
      62,378,344, less conv1's 34,944-14,208 = 20,736: the same).
    Connections (weights × output positions): conv1 14,112·12,100 = 170,755,200;
      conv2 614,400·676 = 415,334,400; conv3 884,736·169 = 149,520,384; conv4 1,327,104·169 =
      224,280,576; conv5 149,520,384.
    """
    net = figures("zfnet")
    sizes = [layer.shape[0] for layer in net.layers if layer.kind in ("conv", "pool")]
    assert sizes == [110, 55, 26, 13, 13, 13, 13, 6]
    assert [(net.layer(n).units, net.layer(n).weights) for n in ("conv1", "conv2", "conv3", "conv4", "conv5")] == [
        (1_161_600, 14_112), (173_056, 614_400), (64_896, 884_736), (64_896, 1_327_104), (43_264, 884_736)]
    assert [net.layer(n).connections for n in ("conv1", "conv2", "conv3", "conv4", "conv5")] == [
        170_755_200, 415_334_400, 149_520_384, 224_280_576, 149_520_384]
    assert net.layer("fc6").weights == 37_748_736
    assert (net.total(U), net.total(W), net.total(B), net.total(P)) == (1_516_904, 62_347_040, 10_568, 62_357_608)
    assert [layer.name for layer in net.layers if layer.non_integral] == ["conv1", "pool1", "pool2"]


# ---------------------------------------------------------------- VGG (Simonyan & Zisserman 2015)


def test_vgg16():
    # torchvision documents 138,357,544 parameters (the paper's Table 2: 138 million); per layer
    # as in seed 003's label.
    net = figures("vgg16")
    assert net.total(P) == 138_357_544
    expected = {"conv1_1": 1_792, "conv1_2": 36_928, "conv2_1": 73_856, "conv2_2": 147_584, "conv3_1": 295_168,
                "conv3_2": 590_080, "conv3_3": 590_080, "conv4_1": 1_180_160, "conv4_2": 2_359_808,
                "conv4_3": 2_359_808, "conv5_1": 2_359_808, "conv5_2": 2_359_808, "conv5_3": 2_359_808,
                "fc6": 102_764_544, "fc7": 16_781_312, "fc8": 4_097_000}
    assert {name: net.layer(name).params for name in expected} == expected
    assert [layer.name for layer in net.layers if layer.kind == "pool"] == [f"pool{i}" for i in range(1, 6)]
    assert net.layer("pool5").shape == (7, 7, 512)


def test_vgg19():
    # torchvision documents 143,667,240 parameters (the paper's Table 2: 144 million).
    net = figures("vgg19")
    assert net.total(P) == 143_667_240
    convs = [layer.name for layer in net.layers if layer.kind == "conv"]
    assert convs == ["conv1_1", "conv1_2", "conv2_1", "conv2_2"] + [
        f"conv{block}_{i}" for block in (3, 4, 5) for i in range(1, 5)]


# ---------------------------------------------------------------- names students use


@pytest.mark.parametrize("network, kind, number, layer", [
    ("vgg16", "conv", 7, "conv3_3"),       # "Conv7"
    ("vgg16", "conv", 13, "conv5_3"),
    ("vgg19", "conv", 16, "conv5_4"),
    ("vgg16", "fc", 2, "fc7"),             # "Linear-2"
    ("alexnet", "fc", 1, "fc6"),           # "FC1"
    ("alexnet", "conv", 5, "conv5"),
    ("alexnet", "pool", 3, "pool3"),
    ("alexnet", "layer", 1, "conv1"),      # "第1层"
    ("alexnet", "layer", 6, "fc6"),
    ("alexnet", "layer", 8, "fc8"),
    ("zfnet", "fc", 3, "fc8"),
    ("lenet5", "fc", 3, "fc3"),
    ("lenet5-1998", "layer", 2, "S2"),     # the paper numbers its 7 layers C1 ... OUTPUT
    ("lenet5-1998", "layer", 7, "OUTPUT"),
    ("lenet5-1998", "conv", 3, "C5"),
    ("alexnet-torchvision", "fc", 1, "fc6"),
])
def test_ordinals(network, kind, number, layer):
    assert load_network(network).ordinal(kind, number).name == layer


def test_ordinals_out_of_range():
    assert load_network("alexnet").ordinal("conv", 6) is None
    assert load_network("alexnet").ordinal("layer", 9) is None
    assert load_network("vgg16").ordinal("conv", 0) is None


def test_aliases_name_one_layer_only():
    for name in list_networks():
        net = load_network(name)
        spoken = [layer.name.casefold() for layer in net.layers]
        spoken += [alias.casefold() for layer in net.layers for alias in layer.aliases]
        assert len(spoken) == len(set(spoken)), name


def test_known_aliases():
    alexnet, lenet, old = load_network("alexnet"), load_network("lenet5"), load_network("lenet5-1998")
    assert "pool5" in alexnet.layer("pool3").aliases and "output layer" in alexnet.layer("fc8").aliases
    assert [lenet.layer(n).aliases[0] for n in ("conv1", "pool1", "conv2", "pool2", "fc1", "fc2")] == [
        "C1", "S2", "C3", "S4", "C5", "F6"]
    assert "OUTPUT" in lenet.layer("fc3").aliases
    assert "output layer" in old.layer("OUTPUT").aliases


# ---------------------------------------------------------------- broken specs


GOOD = """\
name: tiny
input: [8, 8, 2]
layers:
  - {name: conv1, type: conv, filters: 4, kernel: 3}
  - {name: pool1, type: pool, kernel: 2, stride: 2}
  - {name: fc1, type: fc, units: 5}
"""


def test_a_good_small_spec(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(GOOD)
    net = compute(load_network(str(path)))
    # conv1 (8-3)+1 = 6: 6·6·4 units, 3·3·2·4 = 72 weights; pool 3×3×4; fc 36·5 = 180 weights.
    assert [(f.shape, f.weights) for f in net.layers] == [((6, 6, 4), 72), ((3, 3, 4), 0), ((5,), 180)]


@pytest.mark.parametrize("broken, key", [
    (GOOD.replace("filters: 4", "filtres: 4"), "filtres"),
    (GOOD.replace("filters: 4, ", ""), "filters"),
    (GOOD.replace("kernel: 3", "kernel: big"), "kernel"),
    (GOOD.replace("kernel: 3", "stride: 1"), "kernel"),
    (GOOD.replace("kernel: 2, stride: 2", "kernel: 2, stride: 0"), "stride"),
    (GOOD.replace("{name: pool1, type: pool,", "{name: pool1, type: pool, pool: min,"), "pool"),
    (GOOD.replace("input: [8, 8, 2]", "input: [8, 8]"), "input"),
    (GOOD.replace("type: conv", "type: convolution"), "type"),
    (GOOD.replace("units: 5", "units: five"), "units"),
    (GOOD.replace("units: 5}", "units: 5, bias: maybe}"), "bias"),
    (GOOD.replace("kernel: 3}", "kernel: 3, split: true}"), "split"),
    (GOOD.replace("kernel: 3}", "kernel: 3, connection_table: [[0]]}"), "connection_table"),
    (GOOD.replace("kernel: 3}", "kernel: 3, connection_table: [[0], [1], [0, 1], [2]]}"), "connection_table"),
    (GOOD.replace("fc1, type: fc", "pool1, type: fc"), "pool1"),
    (GOOD.replace("name: tiny", "name: tiny\ncolour: blue"), "colour"),
    (GOOD.replace("kernel: 3}", "kernel: 9}"), "conv1"),      # larger than the 8×8 input
    (GOOD + "  - {name: conv2, type: conv, filters: 2, kernel: 1}\n", "conv2"),  # after an fc layer
    (GOOD + "  - {name: [oops\n", "YAML"),
])
def test_broken_spec_names_file_and_key(tmp_path, broken, key):
    path = tmp_path / "broken.yaml"
    path.write_text(broken)
    with pytest.raises(GraderError) as error:
        load_network(str(path))
    assert str(path) in str(error.value) and key in str(error.value)


def test_unknown_network_lists_the_shipped_ones():
    with pytest.raises(GraderError, match="alexnet.*vgg16"):
        load_network("densenet121")
