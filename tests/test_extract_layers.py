"""Layer names as students write them -> the spec's layer; networks named in a line.

Expected layers come from the networks' papers and the assignment's conventions (FC1 of AlexNet is
its sixth weighted layer, fc6; VGG16's seventh convolution is conv3_3; LeNet-5's C3 is its second
convolution), not from the code under test."""
from __future__ import annotations

import pytest

from grader.extract.layers import find_networks, parse_layer, resolve
from grader.reference.spec import load_network

CASES = [
    # AlexNet (conv1 pool1 conv2 pool2 conv3 conv4 conv5 pool3 fc6 fc7 fc8)
    ("Conv 1", "alexnet", "conv1"),
    ("$C_1$", "lenet5", "conv1"),  # LaTeX subscripts: C_1 is C1, S_{4} is S4
    ("S_{4}", "lenet5", "pool2"),
    # a numbered layer beside VGG's kernel-filters notation: the number places it ("Capa 5 conv3-256"
    # is VGG16's fifth convolution, conv3_1)
    ("Capa 5   conv3-256", "vgg16", "conv3_1"),
    ("Layer 14  FC-4096", "vgg16", "fc6"),
    ("Conv1", "alexnet", "conv1"),
    ("Convolution Layer 1", "alexnet", "conv1"),
    ("Conv Layer 2(grouped convolution 1)", "alexnet", "conv2"),
    ("Max Pool 1", "alexnet", "pool1"),
    ("Maxpool1", "alexnet", "pool1"),
    ("Max-pooling 3", "alexnet", "pool3"),
    ("pool5", "alexnet", "pool3"),  # the last pooling, named after conv5
    ("FC1", "alexnet", "fc6"),
    ("FC6", "alexnet", "fc6"),
    ("F6层全连接层", "alexnet", "fc6"),
    ("Fully Connected Layer 2", "alexnet", "fc7"),
    ("Fully connected 1", "alexnet", "fc6"),
    ("1번째 Fully-connected layer", "alexnet", "fc6"),
    ("Linear Layer 3", "alexnet", "fc8"),
    ("Output Layer", "alexnet", "fc8"),
    ("Pool(Conv 1)", "alexnet", "conv1"),  # the convolution, with pooling after it
    ("Pool Conv 5", "alexnet", "conv5"),
    ("conv1层", "alexnet", "conv1"),
    ("卷积层1", "alexnet", "conv1"),
    ("全连接层2", "alexnet", "fc7"),
    ("Layer 1 (CONV1)", "alexnet", "conv1"),
    ("dense_3", "alexnet", "fc8"),
    ("conv2d_1", "alexnet", "conv1"),
    ("第6层", "alexnet", "fc6"),  # the sixth layer with weights
    ("Input image", "alexnet", "input"),
    # LeNet-5 (conv1 pool1 conv2 pool2 fc1 fc2 fc3), the paper's names and numbering
    ("Conv-1", "lenet5", "conv1"),
    ("Pool-2", "lenet5", "pool2"),
    ("Linear-1", "lenet5", "fc1"),
    ("C1", "lenet5", "conv1"),
    ("S2", "lenet5", "pool1"),
    ("C3层-卷积层", "lenet5", "conv2"),
    ("S4层-池化层（下采样层）", "lenet5", "pool2"),
    ("C5", "lenet5", "fc1"),
    ("F6", "lenet5", "fc2"),
    ("Output层-全连接层", "lenet5", "fc3"),
    ("Convolutional Layer 3", "lenet5", "conv2"),  # the paper counts every layer: C3
    ("Convolutional Layer 5", "lenet5", "fc1"),
    ("Fully Connected Layer 6", "lenet5", "fc2"),
    ("first convolutional layer", "lenet5", "conv1"),
    ("Third fully connected layer", "lenet5", "fc3"),
    # VGG16: 13 convolutions numbered through, FC layers as Linear-1..3 or FC6..8
    ("Conv7", "vgg16", "conv3_3"),
    ("Conv 13", "vgg16", "conv5_3"),
    ("Pool Conv 2", "vgg16", "conv1_2"),
    ("Linear-1", "vgg16", "fc6"),
    ("FC7", "vgg16", "fc7"),
    ("第1层", "vgg16", "conv1_1"),
    ("第14层", "vgg16", "fc6"),
    ("block4_conv2", "vgg16", "conv4_2"),
    ("conv5_3", "vgg16", "conv5_3"),
    ("Conv8", "vgg19", "conv3_4"),
]


@pytest.mark.parametrize("text, network, layer", CASES, ids=[f"{n}:{t}" for t, n, _ in CASES])
def test_resolves_to_the_spec_layer(text, network, layer):
    label = parse_layer(text)
    assert label is not None
    assert resolve(label, load_network(network)) == layer


@pytest.mark.parametrize("text", ["CONV3-64", "conv3 - 64", "FC", "Avg Pool"])
def test_vgg_style_and_bare_kinds_are_placed_by_position(text):
    label = parse_layer(text)
    assert label is not None and label.positional
    assert resolve(label, load_network("vgg16")) is None


@pytest.mark.parametrize("text", ["Number of parameters", "Softmax", "kernel size", "conv2d参数详解"])
def test_not_a_layer(text):
    assert parse_layer(text, bare=False) is None


def test_prose_kinds_without_number_are_not_layers():
    assert parse_layer("Convolution kernel size", bare=False) is None
    assert parse_layer("Convolution kernel size") is not None  # a table row may be placed by position


def test_a_layer_named_late_in_a_label_is_a_reference():
    assert parse_layer("输入：conv5输出", within=0).is_input  # "input: conv5's output" is about the input
    assert parse_layer("as computed for conv5", within=5) is None
    assert parse_layer("For the first convolutional layer", within=30).number == 1


@pytest.mark.parametrize("text, networks", [
    ("Q1) LeNet5:", ("lenet5",)),
    ("Q2) Alexnet $\\Rightarrow 61,706$", ("alexnet",)),
    ("9) VGG/6", ("vgg16",)),  # OCR of VGG16
    ("5 VGG19, in out kernel", ("vgg19",)),
    ("ZFNET", ("zfnet",)),
    ("# AlexNet的实际网络结构与参数数量计算", ("alexnet",)),
    ("VGG16总参数量是138M", ("vgg16",)),
    ("torchvision AlexNet", ("alexnet-torchvision",)),
    ("LeNet-5 (1998)", ("lenet5-1998",)),
    ("(Googlenet) Christian Szegedy et al.", ("googlenet",)),  # GoogLeNet, not LeNet
    ("Below is", ()),
])
def test_networks_named(text, networks):
    assert find_networks(text) == networks


def test_a_bare_family_names_all_its_networks():
    assert set(find_networks("VGG")) == {"vgg16", "vgg19"}
    assert {"alexnet", "vgg16", "vgg19"} <= set(find_networks("VGG nets are deeper than Alexnet"))


def test_what_lies_between_two_layers_is_the_seconds():
    """"C1与S2之间的参数" are S2's parameters; "the weights between conv5 and fc6" are fc6's."""
    from grader.extract.layers import pair_start, parse_layer

    assert parse_layer("C1与S2之间的参数", bare=False).key == "s2"
    assert parse_layer("the weights between conv5 and fc6", bare=False).key == "fc6"
    assert parse_layer("conv1 and conv2 have", bare=False).key == "conv1"
    text = "输入层与C1层之间的参数"
    layer = parse_layer(text, bare=False)
    assert layer.key == "c1" and pair_start(text, layer) == 0  # the input's words are not a label


@pytest.mark.parametrize("text, networks", [
    ("以19层VGG模型为例", ("vgg19",)),
    ("a 16-layer VGG", ("vgg16",)),
    ("VGG with 19 weight layers", ("vgg19",)),
    ("VGG has about 138M parameters", ("vgg16", "vgg19")),  # no depth: the family
])
def test_a_vgg_named_by_its_depth_is_that_vgg(text, networks):
    assert find_networks(text) == networks
