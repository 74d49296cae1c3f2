"""Terse and mixed answers: one-letter headers, typo'd layer names, a network column, shapes and
figures in prose. Every text is written for the test; every value is an AlexNet / LeNet-5 figure
worked by hand (DESIGN.md): AlexNet conv1 11·11·3·96 = 34,848 weights, 55·55·96 = 290,400 units;
conv2 5·5·48·256 = 307,200 weights; conv3 3·3·256·384 = 884,736; conv4 3·3·192·384 = 663,552;
fc6 6·6·256·4096 = 37,748,736; fc7 4096·4096 = 16,777,216; LeNet-5 with biases C1 156, C3 2,416."""
from __future__ import annotations

from extract_helpers import PAPER, PARAMS, Q, document, found, table
from grader.extract.quantities import classify
from grader.extract.regions import read_values



def test_a_lone_w_names_the_weights_only_as_a_whole_header_cell():
    assert classify("W", fuzzy=True).quantity is Q.WEIGHTS
    assert classify("#W", fuzzy=True).quantity is Q.WEIGHTS
    assert classify("W").quantity is None  # in a sentence a letter is anything
    assert classify("W x H", fuzzy=True).quantity is None
    slots = found(document("## AlexNet", table(
        ["layer", "#neurons", "W", "conn."],
        ["conv1", "290400", "34848", "105415200"],
        ["conv2", "186624", "307200", "223948800"],
    )), PAPER)
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307200]
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186624]


def test_a_kind_word_with_two_letters_swapped_still_names_the_layer():
    slots = found(document("## AlexNet", table(
        ["layer", "weights"],
        ["conv2", "307200"],
        ["Cnov3", "884736"],
        ["conv4", "663552"],
        ["FC-6", "37748736"],
        ["fc_7", "16777216"],
    )), PAPER)
    assert slots[("alexnet", "conv3", Q.WEIGHTS)] == [884736]
    assert slots[("alexnet", "fc6", Q.WEIGHTS)] == [37748736]
    assert slots[("alexnet", "fc7", Q.WEIGHTS)] == [16777216]


def test_a_network_column_decides_each_rows_network():
    networks = {"lenet5": (Q.PARAMS,), "alexnet": (Q.PARAMS,)}
    slots = found(document(table(
        ["Model", "layer", "params"],
        ["LeNet-5", "conv1", "156"],
        ["LeNet-5", "conv2", "2416"],
        ["AlexNet", "conv1", "34944"],
    )), networks)
    assert slots[("lenet5", "conv1", Q.PARAMS)] == [156]
    assert slots[("lenet5", "conv2", Q.PARAMS)] == [2416]
    assert slots[("alexnet", "conv1", Q.PARAMS)] == [34944]
    assert ("alexnet", "conv2", Q.PARAMS) not in slots


def test_the_exact_figure_before_a_rounding_marker_is_the_answer_even_in_scientific_notation():
    # conv1 connections 34,848 · 55 · 55 = 105,415,200, restated as 1.05 × 10^8
    text = r"$= 34\,848 \cdot 55 \cdot 55 = 105\,415\,200 \approx 1.05 \times 10^{8}$"
    assert [p.value for p in read_values(text)] == [105415200]
    assert [p.value for p in read_values("= 884,736 ≈ 8.8e5")] == [884736]


def test_a_layer_named_by_its_number_and_by_its_name_is_one_layer():
    for heading in ("第一层 卷积层 conv1", "Layer 1 (CONV1)"):
        slots = found(document(heading, "神经元个数：55×55×96 = 290400", "权重个数：11×11×3×96 = 34848"), PAPER)
        assert slots[("alexnet", "conv1", Q.UNITS)] == [290_400], heading
        assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34_848], heading


def test_layers_named_together_without_a_count_still_open_no_row():
    slots = found(document("## conv1", "conv2, conv4 and conv5 only see their own GPU",
                           "weights: 11×11×3×96 = 34848"), PAPER)
    assert slots == {("alexnet", "conv1", Q.WEIGHTS): [34_848]}


def test_a_weights_header_qualified_as_including_biases_is_the_parameters():
    # LeNet-5 C1 (5·5·1+1)·6 = 156, C3 with biases 2,416; AlexNet conv1 with biases 34,848 + 96 = 34,944
    networks = {"lenet5": (Q.PARAMS,)}
    for header in ("W (weights + biases)", "weights incl. bias", "权重（含偏置）"):
        slots = found(document(table(["LeNet-5 layer", header], ["C1", "156"], ["C3", "2416"])), networks)
        assert slots[("lenet5", "conv1", Q.PARAMS)] == [156], header
        assert slots[("lenet5", "conv2", Q.PARAMS)] == [2416], header
    assert classify("weights (no bias)").quantity is Q.WEIGHTS
    assert classify("权重（不含偏置）").quantity is Q.WEIGHTS


def test_a_label_equating_two_counts_gives_the_value_to_both():
    # a fully connected layer has as many connections as weights: fc6 6·6·256 = 9216 inputs × 4096
    for label in ("  - weights = connections", "权重 = 连接数"):
        slots = found(document("- FC6", f"{label}: 9216 × 4096 = 37,748,736"), PAPER)
        assert slots[("alexnet", "fc6", Q.WEIGHTS)] == [37_748_736], label
        assert slots[("alexnet", "fc6", Q.CONNECTIONS)] == [37_748_736], label


def test_the_output_shape_in_a_layers_prose_line_is_its_shape():
    # AlexNet conv1 as some write it with a 224 input: (224 - 11)/4 + 1 = 54, 54·54·96 = 279,936 units
    asked = {"alexnet": (Q.UNITS, Q.SHAPE)}
    slots = found(document("conv1: output 54x54x96 -> neurons = 54*54*96 = 279,936"), asked)
    assert slots[("alexnet", "conv1", Q.SHAPE)] == [(54, 54, 96)]
    assert slots[("alexnet", "conv1", Q.UNITS)] == [279_936]
    slots = found(document("conv2: input 27x27x96, output 27x27x256, neurons = 186,624"), asked)
    assert slots[("alexnet", "conv2", Q.SHAPE)] == [(27, 27, 256)]


def test_a_network_named_only_as_the_one_compared_with_keeps_the_sections_network():
    # VGG19 conv1_1 (3·3·3+1)·64 = 1,792 parameters, the same in VGG16; conv3_4 (3·3·256+1)·256 = 590,080
    asked = {"vgg19": (Q.PARAMS,), "vgg16": (Q.PARAMS,)}
    for aside in ("比 VGG16 多 3 个卷积层。", "It has 3 more conv layers than VGG16:", "与 VGG16 相比，多了 3 层。"):
        slots = found(document("## 4. VGG19", aside, "- conv1_1: 1,792 params"), asked)
        assert slots == {("vgg19", "conv1_1", Q.PARAMS): [1_792]}, aside
    slots = found(document("## 4. VGG19", "VGG16:", "- conv1_1: 1,792 params"), asked)
    assert slots == {("vgg16", "conv1_1", Q.PARAMS): [1_792]}
