"""Listings of parameter tensors, as `model.named_parameters()`, a state dict or a Keras weight
list print them: each tensor's module is a layer, the tensor its weights or its biases. Texts
written here; figures by hand: VGG16 conv1_1 3·3·3·64 = 1,728 weights and 64 biases, conv1_2
3·3·64·64 = 36,864, fc6 7·7·512·4096 = 102,760,448 and 4,096 biases; AlexNet conv1 11·11·3·96 =
34,848 weights, fc6 6·6·256·4096 = 37,748,736."""
from __future__ import annotations

from extract_helpers import PARAMS, Q, document, found, table


def test_a_state_dict_table_numbers_its_modules_by_the_rank_of_their_weights():
    doc = document("# VGG16 parameters", table(
        ["Name", "Shape", "Number of parameters"],
        ["features.0.weight", "(64, 3, 3, 3)", "1728"],
        ["features.0.bias", "(64,)", "64"],
        ["features.2.weight", "(64, 64, 3, 3)", "36864"],
        ["features.2.bias", "(64,)", "64"],
        ["classifier.0.weight", "(4096, 25088)", "102760448"],
        ["classifier.0.bias", "(4096,)", "4096"]))
    got = found(doc, PARAMS)
    assert got[("vgg16", "conv1_1", Q.WEIGHTS)] == [1728]
    assert got[("vgg16", "conv1_1", Q.BIASES)] == [64]
    assert got[("vgg16", "conv1_2", Q.WEIGHTS)] == [36864]
    assert got[("vgg16", "fc6", Q.WEIGHTS)] == [102760448]
    assert got[("vgg16", "fc6", Q.BIASES)] == [4096]
    # the tensors' shapes are no layer's output
    assert not any(quantity is Q.SHAPE for _, _, quantity in got)


def test_printed_named_parameters_lines_are_read_as_the_table_is():
    doc = document("# AlexNet", "```",
                   "features.0.weight torch.Size([96, 3, 11, 11]) 34848",
                   "features.0.bias torch.Size([96]) 96",
                   "classifier.1.weight torch.Size([4096, 9216]) 37748736", "```")
    got = found(doc, PARAMS)
    assert got[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert got[("alexnet", "conv1", Q.BIASES)] == [96]
    assert got[("alexnet", "fc6", Q.WEIGHTS)] == [37748736]


def test_a_normalisations_tensors_take_no_layer():
    # a batch norm's weight is a vector: its module is no layer of the spec, and the next
    # convolution is still the second
    doc = document("# VGG16", "```",
                   "features.0.weight (64, 3, 3, 3) 1728",
                   "features.1.weight (64,) 64",
                   "features.1.bias (64,) 64",
                   "features.3.weight (64, 64, 3, 3) 36864", "```")
    got = found(doc, PARAMS)
    assert got[("vgg16", "conv1_1", Q.WEIGHTS)] == [1728]
    assert got[("vgg16", "conv1_2", Q.WEIGHTS)] == [36864]
    assert ("vgg16", "conv1_1", Q.BIASES) not in got


def test_a_tensor_named_by_its_layer_is_that_layers():
    doc = document("# AlexNet", "conv1.weight: 34848", "conv1.bias: 96", "fc6/kernel:0 37748736")
    got = found(doc, PARAMS)
    assert got[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert got[("alexnet", "conv1", Q.BIASES)] == [96]
    assert got[("alexnet", "fc6", Q.WEIGHTS)] == [37748736]
