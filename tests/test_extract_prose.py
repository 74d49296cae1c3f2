"""The rules a TA would state for reading prose, lists, printed summaries and notation, one test each.

Every text here is written for the test (not taken from a submission); every expected value is what
the invented student wrote, or an AlexNet / LeNet-5 figure worked by hand from DESIGN.md:
AlexNet conv1 55·55·96 = 290,400 units, 11·11·3·96 = 34,848 weights, 34,848·55·55 = 105,415,200
connections; conv2 27·27·256 = 186,624 units, 5·5·48·256 = 307,200 weights; conv3 3·3·256·384 =
884,736 weights; fc6 6·6·256·4096 = 37,748,736 weights; fc7 4096·4096 = 16,777,216; LeNet-5 with
biases 156, 2,416, 48,120, 10,164, 850 (61,706 in all)."""
from __future__ import annotations

import pytest

from extract_helpers import PAPER, PARAMS, Q, document, found, table
from grader.extract.quantities import NOT_ANSWER, classify, names_total
from grader.extract.regions import read_value, read_values, strip_numbering



def every_value(slots: dict) -> set:
    return {value for values in slots.values() for value in values}


# ------------------------------------------------------------------------------ clauses in prose


def test_each_layer_named_in_a_sentence_owns_the_numbers_after_it():
    slots = found(document(
        "## AlexNet",
        "Conv1 gives 290,400 neurons and 34,848 weights; conv2 gives 186,624 neurons and 307,200 weights.",
        "The fc6 layer holds 37,748,736 weights, and FC7 has 16,777,216 weights.",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186624]
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307200]
    assert slots[("alexnet", "fc6", Q.WEIGHTS)] == [37748736]
    assert slots[("alexnet", "fc7", Q.WEIGHTS)] == [16777216]


def test_a_layer_named_as_a_source_is_a_reference_not_a_clause():
    slots = found(document(
        "## AlexNet",
        "FC6 takes conv5's output and has 37,748,736 weights.",
        "Conv3 reads the maps of conv2 and has 884,736 weights.",
    ), PAPER)
    assert slots[("alexnet", "fc6", Q.WEIGHTS)] == [37748736]
    assert slots[("alexnet", "conv3", Q.WEIGHTS)] == [884736]
    assert not any(layer in ("conv5", "conv2") for _, layer, _ in slots)


def test_layers_after_a_comma_open_clauses_in_any_language():
    slots = found(document("## AlexNet", "conv1层的参数为34944，conv2层的参数为307456。"), PARAMS)
    assert slots[("alexnet", "conv1", Q.PARAMS)] == [34944]
    assert slots[("alexnet", "conv2", Q.PARAMS)] == [307456]


def test_a_sentence_that_goes_on_after_its_value():
    slots = found(document("## AlexNet", "The number of neurons in conv4 is 64,896 and the next layer is smaller."),
                  PAPER)
    assert slots[("alexnet", "conv4", Q.UNITS)] == [64896]


def test_a_line_of_quantity_words_orders_the_lists_below_it():
    slots = found(document("## AlexNet", "Each line: layer: (units, weights, connections)",
                           "conv3: (64896,884736,149520384)", "conv4: 64,896 / 663,552 / 112,140,288"), PAPER)
    assert slots[("alexnet", "conv3", Q.UNITS)] == [64896]
    assert slots[("alexnet", "conv3", Q.WEIGHTS)] == [884736]
    assert slots[("alexnet", "conv3", Q.CONNECTIONS)] == [149520384]
    assert slots[("alexnet", "conv4", Q.WEIGHTS)] == [663552]
    assert slots[("alexnet", "conv4", Q.CONNECTIONS)] == [112140288]


def test_a_tuple_of_counts_is_no_shape():
    assert read_values("(None, 55, 55, 96)")[0].factors == (55, 55, 96)
    assert read_values("(64896, 884736, 149520384)") == []  # a list, with no order declared


def test_a_list_of_layers_and_numbers_under_a_label_line():
    slots = found(document(
        "## AlexNet",
        "Weights of every layer (no biases):",
        "conv1 34848, conv2 307200, conv3 884736,",
        "fc6 37748736, fc7 16777216",
        "Units: conv1 290400, conv2 186624",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert slots[("alexnet", "conv3", Q.WEIGHTS)] == [884736]
    assert slots[("alexnet", "fc7", Q.WEIGHTS)] == [16777216]  # the list goes on over the next line
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]  # the label on the same line
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186624]


def test_a_label_line_names_only_the_lines_right_below_it():
    slots = found(document("## AlexNet", "Neurons per layer:", "conv1 290400", "", "", "Some notes.",
                           "conv2 307200"), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert ("alexnet", "conv2", Q.UNITS) not in slots  # after a blank line the label is over


def test_worked_lines_in_one_sentence_with_the_total_after_them():
    slots = found(document("## LeNet-5", "My working: conv1 (5*5*1+1)*6 = 156, conv2 (5*5*6+1)*16 = 2,416,",
                           "fc3 (84+1)*10 = 850, total 61,706."), PARAMS)
    assert slots[("lenet5", "conv1", Q.PARAMS)] == [156]
    assert slots[("lenet5", "conv2", Q.PARAMS)] == [2416]
    assert slots[("lenet5", "fc3", Q.PARAMS)] == [850]
    assert slots[("lenet5", "total", Q.PARAMS)] == [61706]


def test_a_count_said_of_one_filter_is_not_the_layers():
    slots = found(document(
        "## AlexNet",
        "Every filter of conv2 has 5x5x48 = 1,200 weights, so the layer has 1,200 x 256 = 307,200 weights.",
        "For conv1 the output is 55x55x96, which is 290,400 neurons.",
    ), PAPER)
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307200]
    assert 1200 not in every_value(slots)


def test_a_paragraph_that_opens_a_layer_is_read_sentence_by_sentence():
    paragraph = ("Conv2 uses 256 filters of 5x5x48 because each GPU only sees half of the maps, which gives "
                 "307,200 weights. The padding keeps the map at 27x27, so there are 186,624 neurons. Every "
                 "weight is used at each of the 729 positions, so the number of connections is 307,200 x 729 "
                 "= 223,948,800.")
    assert len(paragraph) > 240
    slots = found(document("## AlexNet", paragraph), PAPER)
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307200]
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186624]
    assert slots[("alexnet", "conv2", Q.CONNECTIONS)] == [223948800]
    assert 256 not in every_value(slots)  # the filters


def test_a_total_sentence_owns_its_number_whatever_layer_it_names_later():
    slots = found(document("## AlexNet", "FC7 has 16,777,216 weights.",
                           "In total there are about 61 million weights, mostly in FC6 and FC7."), PAPER)
    assert slots[("alexnet", "total", Q.WEIGHTS)] == [61_000_000]
    assert slots[("alexnet", "fc7", Q.WEIGHTS)] == [16777216]


def test_a_total_word_inside_a_sentence_is_no_total():
    assert not names_total("a total of 16 feature maps")
    slots = found(document("## AlexNet", "Conv1 has 96 maps, a total of 290,400 neurons.",
                           "Pooling takes the sum of the 3x3 window."), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert not any(layer == "total" for _, layer, _ in slots)


def test_total_words_of_other_languages():
    for words in ("합계", "총 파라미터", "모두 합치면 61M", "总共 6000 万", "总计", "共 6000 万", "in total"):
        assert names_total(words), words
    assert not names_total("权值共享")  # "shared": 共 is a total only before its number
    slots = found(document("## LeNet-5", "- C1: 156", "모든 층의 파라미터를 합치면 61,706 개"), PARAMS)
    assert slots[("lenet5", "total", Q.PARAMS)] == [61706]


# ------------------------------------------------------------------------------ labels and values


def test_a_line_that_starts_with_a_layer_opens_it_whatever_follows():
    slots = found(document(
        "AlexNet",
        "Layer 1 (CONV1)",
        "  Units: 290,400",
        "Layer 2 (CONV2)   -- filters see only the 48 maps of their own GPU",
        "  Units: 186,624",
        "  Weights: 307,200",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186624]
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307200]
    assert 48 not in every_value(slots)


def test_label_value_pairs_bind_each_value_to_the_label_before_it():
    slots = found(document("## AlexNet", "conv2: units=186,624 weights=307,200 connections=223,948,800",
                           "conv1 -> neurons = 290,400, weights = 34,848"), PAPER)
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186624]
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307200]
    assert slots[("alexnet", "conv2", Q.CONNECTIONS)] == [223948800]
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]


def test_a_name_after_the_last_equals_names_the_value_too():
    slots = found(document("## AlexNet", "fc7: 4096 neurons, weights = 4096 x 4096 = 16,777,216 = connections"),
                  PAPER)
    assert slots[("alexnet", "fc7", Q.UNITS)] == [4096]
    assert slots[("alexnet", "fc7", Q.WEIGHTS)] == [16777216]
    assert slots[("alexnet", "fc7", Q.CONNECTIONS)] == [16777216]


def test_the_students_own_notation_names_the_slot():
    slots = found(document(
        "## AlexNet",
        "Let $P_l$ denote the number of weights of layer $l$, and $A_l$: the number of neurons.",
        "$A_{conv1} = 55 \\times 55 \\times 96 = 290{,}400$",
        "$P_{conv1} = 11 \\times 11 \\times 3 \\times 96 = 34{,}848$",
        # slips no figure explains: only the notation says what they are
        "$A_{conv2} = 186{,}000$, $P_{conv2} = 307{,}000$",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]  # the same layer again, for another quantity
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186000]
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307000]


def test_a_symbol_in_an_expression_makes_it_unevaluable():
    parsed = read_value("= P_{conv1} \\times 55 \\times 55 = 105{,}415{,}200")
    assert parsed.value == 105415200 and parsed.computed is None and parsed.expression is None
    assert read_values("(fan_in + 1) x 4096") == []
    assert read_value("11 \\times 11 \\times 3 \\times 96 = 34{,}848").computed == 34848  # numbers only


def test_a_percentage_is_never_a_count():
    assert read_values("about 94% of the weights") == []
    slots = found(document("## AlexNet", "FC6: 37,748,736 weights", "Together FC6-FC8 hold ~94% of the weights."),
                  PAPER)
    assert 94 not in every_value(slots)


def test_the_shape_after_an_arrow_is_the_layers_output():
    slots = found(document("## AlexNet", "1. CONV1: 96 filters 11x11x3, stride 4 -> 55x55x96",
                           "2. POOL1: 3x3, stride 2: (55 - 3)/2 + 1 = 27 -> 27x27x96",
                           "3. POOL2: 3x3 window -> 13x13x256"), PAPER)
    assert slots[("alexnet", "conv1", Q.SHAPE)] == [(55, 55, 96)]
    assert slots[("alexnet", "pool1", Q.SHAPE)] == [(27, 27, 96)]
    assert slots[("alexnet", "pool2", Q.SHAPE)] == [(13, 13, 256)]
    assert not {9, 96} & every_value(slots)  # the window, the filters


def test_numbers_that_count_no_answer_are_none():
    slots = found(document("## AlexNet", "Conv3: 384 filters of 3x3x256", "Max pool 3: 3x3, stride 2",
                           "Conv4 - 3 and 5 are both 13x13 layers with the same kind of filters"), PAPER)
    assert not every_value(slots)


def test_a_number_with_its_own_word_beats_a_shape_word_in_its_label():
    slots = found(document("## AlexNet", "Output of conv1: 290,400 neurons"), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]


def test_a_number_before_a_scale_word_is_no_list_numbering():
    assert strip_numbering("60.9 million weights") == "60.9 million weights"
    assert strip_numbering("2. Conv2") == "Conv2"


# ------------------------------------------------------------------------------ words


def test_fully_connected_names_the_layer_not_the_connections():
    for label in ("F6 (완전연결)", "全连接层2", "F6层全连接层"):
        assert classify(label).quantity is None, label
    assert classify("全连接层连接数").quantity is Q.CONNECTIONS
    slots = found(document("## LeNet-5", "- F6 (완전연결, 120 → 84): $120 \\times 84 + 84 = 10,164$",
                           "- 출력층 (84 → 10): 850"), PARAMS)
    assert slots[("lenet5", "fc2", Q.PARAMS)] == [10164]
    assert slots[("lenet5", "fc3", Q.PARAMS)] == [850]  # the output layer


def test_sizes_in_bytes_are_not_counts():
    for label in ("Params size (MB)", "Estimated Total Size (MB)", "Input size (MB)", "weights (KB)"):
        assert classify(label).role == NOT_ANSWER, label
    slots = found(document("## LeNet-5", "Total params: 61,706", "Non-trainable params: 0",
                           "Params size (MB): 0.24", "Estimated Total Size (MB): 0.35"), PARAMS)
    assert slots[("lenet5", "total", Q.PARAMS)] == [61706]


# ------------------------------------------------------------------------------ framework summaries


@pytest.mark.parametrize("left_out", [None, "Tanh-8"])  # a row left out of a pasted summary
def test_a_running_module_index_is_not_the_layer_number(left_out):
    rows = [
        ["Layer (type)", "Output Shape", "Param #"],
        ["Conv2d-1", "[-1, 6, 28, 28]", "156"],
        ["Tanh-2", "[-1, 6, 28, 28]", "0"],
        ["AvgPool2d-3", "[-1, 6, 14, 14]", "0"],
        ["Conv2d-4", "[-1, 16, 10, 10]", "2,416"],
        ["Tanh-5", "[-1, 16, 10, 10]", "0"],
        ["AvgPool2d-6", "[-1, 16, 5, 5]", "0"],
        ["Linear-7", "[-1, 120]", "48,120"],
        ["Tanh-8", "[-1, 120]", "0"],
        ["Linear-9", "[-1, 84]", "10,164"],
        ["Linear-10", "[-1, 10]", "850"],
    ]
    summary = table(*(row for row in rows if row[0] != left_out))
    slots = found(document("## LeNet-5", summary), PARAMS)
    assert slots[("lenet5", "conv1", Q.PARAMS)] == [156]
    assert slots[("lenet5", "conv1", Q.SHAPE)] == [(28, 28, 6)]  # PyTorch prints the channels first
    assert slots[("lenet5", "conv2", Q.PARAMS)] == [2416]  # Conv2d-4: the second convolution
    assert slots[("lenet5", "fc1", Q.PARAMS)] == [48120]  # Linear-7: the first linear layer
    assert slots[("lenet5", "fc2", Q.PARAMS)] == [10164]
    assert slots[("lenet5", "fc3", Q.PARAMS)] == [850]


def test_numbers_that_count_layers_of_one_kind_stay_layer_numbers():
    rows = table(["Layer", "Params"], ["Conv-1", "156"], ["Conv-2", "2,416"], ["Linear-1", "48,120"],
                 ["Linear-2", "10,164"], ["Linear-3", "850"])
    slots = found(document("## LeNet-5", rows), PARAMS)
    assert slots[("lenet5", "conv2", Q.PARAMS)] == [2416]
    assert slots[("lenet5", "fc3", Q.PARAMS)] == [850]


def test_a_word_with_a_colon_after_it_labels_what_follows_not_the_number_before():
    slots = found(document("## VGG16", "CONV3-64: [224x224x64]   memory: 224*224*64=3.2M   params: (3*3*3)*64 = 1,728"),
                  PARAMS)
    assert slots[("vgg16", "conv1_1", Q.PARAMS)] == [1728]  # not the memory's 3.2M
    assert slots[("vgg16", "conv1_1", Q.SHAPE)] == [(224, 224, 64)]  # a product in square brackets: a shape


def test_a_total_heading_makes_the_lines_below_totals():
    slots = found(document("## AlexNet", "### FC8", "- Neurons: 1000", "### Total",
                           "Neurons: 650,000 (approx.), weights ≈ 58.6M"), PAPER)
    assert slots[("alexnet", "fc8", Q.UNITS)] == [1000]
    assert slots[("alexnet", "total", Q.UNITS)] == [650000]
    assert slots[("alexnet", "total", Q.WEIGHTS)] == [58_600_000]


def test_a_part_of_a_whole_is_the_layers_and_the_whole_is_the_total():
    slots = found(document("## AlexNet", "### FC6", "- Weights: 37,748,736", "## Discussion",
                           "FC6 alone holds 37.7M of the 58.6M weights, so it is the layer to shrink."), PAPER)
    # back to FC6 under another heading: 37.7M restates its 37,748,736, which answers
    assert slots[("alexnet", "fc6", Q.WEIGHTS)] == [37748736]
    assert slots[("alexnet", "total", Q.WEIGHTS)] == [58_600_000]
    assert ("alexnet", "fc7", Q.WEIGHTS) not in slots


def test_numbers_never_override_an_explicit_label():
    # a student who gives the weights as the connections: the comparator must see connections
    slots = found(document(
        "## AlexNet",
        "conv1: weights = 34,848, connections = 34,848",
        "conv2 has 307,200 weights and 307,200 connections.",
        table(["Layer", "Connections"], ["Conv3", "884,736"], ["Conv4", "663,552"], ["Conv5", "442,368"]),
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.CONNECTIONS)] == [34848]
    assert slots[("alexnet", "conv2", Q.CONNECTIONS)] == [307200]
    for layer, weights in (("conv3", 884736), ("conv4", 663552), ("conv5", 442368)):
        assert slots[("alexnet", layer, Q.CONNECTIONS)] == [weights]
        assert ("alexnet", layer, Q.WEIGHTS) not in slots


def test_altogether_in_a_sentence_about_one_layer_is_that_layers_count():
    slots = found(document("## AlexNet", "第四个卷积层有64896个神经元，663552个权重，总共112140288个连接。",
                           "conv5 442,368, fc6 37,748,736, in total 60,954,656 weights"), PAPER)
    assert slots[("alexnet", "conv4", Q.UNITS)] == [64896]  # "有64896": a CJK word's number, not a name
    assert slots[("alexnet", "conv4", Q.WEIGHTS)] == [663552]
    assert slots[("alexnet", "conv4", Q.CONNECTIONS)] == [112140288]
    assert slots[("alexnet", "total", Q.WEIGHTS)] == [60954656]  # after several layers: the network's


def test_word_number_pairs_bind_each_number_to_the_word_before_it():
    slots = found(document("## AlexNet", "conv2 units 186,624 weights 307,200 connections 223,948,800",
                           "conv3 has 64,896 neurons and 884,736 weights"), PAPER)
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186624]
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307200]
    assert slots[("alexnet", "conv2", Q.CONNECTIONS)] == [223948800]
    assert slots[("alexnet", "conv3", Q.UNITS)] == [64896]  # the word after, as usual
    assert slots[("alexnet", "conv3", Q.WEIGHTS)] == [884736]


def test_a_short_sentence_that_names_its_layer_last_is_about_that_layer():
    slots = found(document("## AlexNet", "Conv3 has 884,736 weights.",
                           "The weights are 663,552 and the connections 112,140,288 for conv4.",
                           "Input: the 13x13x384 maps of conv4"), PAPER)
    assert slots[("alexnet", "conv4", Q.WEIGHTS)] == [663552]  # not the line before's conv3
    assert slots[("alexnet", "conv4", Q.CONNECTIONS)] == [112140288]
    assert slots[("alexnet", "conv3", Q.WEIGHTS)] == [884736]


# ------------------------------------------------------------------------------ coordinated quantities

LENET = {"lenet5": (Q.UNITS, Q.PARAMS, Q.CONNECTIONS)}


def test_two_quantities_joined_before_one_value_both_get_it():
    """LeNet-5's F6 is fully connected: its (120 + 1) × 84 = 10,164 parameters are also its connections,
    and C5's 5×5×16 kernels on a 5×5 map give (400 + 1) × 120 = 48,120 of each."""
    slots = found(document(
        "## LeNet-5",
        "## F6",
        "F6 has 84 units. Its trainable parameters and its connections are both (120+1)*84 = 10164.",
        "## C5",
        "C5: the parameters and the connections are 48120.",
        "## C3",
        "C3 的参数和连接数分别是 1516 和 151600。",
    ), LENET)
    assert slots[("lenet5", "fc2", Q.UNITS)] == [84]
    assert slots[("lenet5", "fc2", Q.PARAMS)] == [10164]
    assert slots[("lenet5", "fc2", Q.CONNECTIONS)] == [10164]
    assert slots[("lenet5", "fc1", Q.PARAMS)] == [48120]
    assert slots[("lenet5", "fc1", Q.CONNECTIONS)] == [48120]


def test_weights_joined_with_biases_name_their_sum():
    from grader.extract.quantities import coordinated

    assert coordinated("weights and biases") == (Q.PARAMS,)
    assert coordinated("权重和偏置") == (Q.PARAMS,)
    assert coordinated("parámetros y conexiones") == (Q.PARAMS, Q.CONNECTIONS)
    assert coordinated("the kernels and the stride") == ()


def test_a_count_after_has_is_no_list_number():
    """"has 84 units": the 84 is the count, not an item's number."""
    assert strip_numbering("84 units", bare=False) == "84 units"
    assert strip_numbering("1) 减少参数", bare=False) == "减少参数"
    slots = found(document("## LeNet-5", "F6 is fully connected and has 84 nodes."), LENET)
    assert slots[("lenet5", "fc2", Q.UNITS)] == [84]


def test_the_output_and_the_last_layer_are_the_networks_last():
    """LeNet-5's output layer: 10 units, 84 × 10 + 10 = 850 parameters."""
    slots = found(document(
        "## LeNet-5",
        "## F6",
        "F6 has 84 units.",
        "## Output",
        "This layer has 84*10+10 = 850 parameters.",
    ), LENET)
    assert slots[("lenet5", "fc3", Q.PARAMS)] == [850]
    slots = found(document(
        "## LeNet-5",
        "F6 has 84 units.",
        "The last layer has 10 nodes and 850 parameters.",
    ), LENET)
    assert slots[("lenet5", "fc3", Q.UNITS)] == [10]
    assert slots[("lenet5", "fc3", Q.PARAMS)] == [850]


def test_values_given_respectively_follow_the_order_of_their_words():
    """LeNet-5's C3 (the paper's partial connection table): 1,516 parameters, 10 × 10 × 1,516 = 151,600
    connections; S2: 2 × 6 = 12 parameters, 14 × 14 × 6 × 5 = 5,880 connections."""
    slots = found(document(
        "## LeNet-5",
        "## C3",
        "C3 的参数和连接数分别是 1516 和 151600。",
        "For S2, the parameters and connections are 12 and 5880 respectively.",
    ), LENET)
    assert slots[("lenet5", "conv2", Q.PARAMS)] == [1516]
    assert slots[("lenet5", "conv2", Q.CONNECTIONS)] == [151600]
    assert slots[("lenet5", "pool1", Q.PARAMS)] == [12]
    assert slots[("lenet5", "pool1", Q.CONNECTIONS)] == [5880]


def test_a_list_of_layers_takes_each_list_of_as_many_values_in_order():
    """AlexNet's FC layers: 4096, 4096, 1000 neurons; 9216 × 4096 = 37,748,736, 4096 × 4096 =
    16,777,216 and 4096 × 1000 = 4,096,000 weights, as many connections."""
    slots = found(document(
        "## AlexNet",
        "The fully connected layers fc6, fc7 and fc8 have 4096, 4096 and 1000 neurons and 37,748,736, "
        "16,777,216 and 4,096,000 weights respectively, and the connections are the same: 37,748,736, "
        "16,777,216 and 4,096,000.",
        "conv3 and conv4 both use 3x3 kernels and 384 filters.",
    ), PAPER)
    for layer, units, weights in (("fc6", 4096, 37748736), ("fc7", 4096, 16777216), ("fc8", 1000, 4096000)):
        assert slots[("alexnet", layer, Q.UNITS)] == [units]
        assert slots[("alexnet", layer, Q.WEIGHTS)] == [weights]
        assert slots[("alexnet", layer, Q.CONNECTIONS)] == [weights]
    assert not any(layer in ("conv3", "conv4") for _, layer, _ in slots)


def test_a_conclusion_opens_the_clause_of_the_layer_it_names():
    """", so conv1 has 290,400 neurons": conv1's."""
    slots = found(document(
        "## AlexNet",
        "The output volume is 55x55x96, so conv1 has 290,400 neurons; the paper's caption says otherwise, "
        "but that is a known typo in the paper and the text around it is long enough to be a paragraph.",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]


def test_a_layers_output_in_a_sentence_is_not_the_output_layer():
    """conv2 of AlexNet: 27 × 27 × 256 = 186,624 neurons, 307,200 × 729 = 223,948,800 connections."""
    slots = found(document(
        "## AlexNet",
        "**Conv2.** 256 kernels of 5×5, so a kernel has 5 × 5 × 48 = 1,200 weights.",
        "The output 27×27×256 gives 186,624 neurons, and the layer has 223,948,800 connections.",
    ), PAPER)
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186624]
    assert slots[("alexnet", "conv2", Q.CONNECTIONS)] == [223948800]
    assert ("alexnet", "fc8", Q.CONNECTIONS) not in slots
    assert 1200 not in every_value(slots)  # one kernel's weights, not the layer's


def test_the_words_right_after_the_numbers_beat_a_word_of_the_label():
    """AlexNet's fc7: 4096 × 4096 = 16,777,216 weights, as many connections."""
    slots = found(document(
        "## AlexNet",
        "**FC7.** 4096 neurons fed by the 4096 of FC6: 16,777,216 weights and 16,777,216 connections.",
    ), PAPER)
    assert slots[("alexnet", "fc7", Q.WEIGHTS)] == [16777216]
    assert slots[("alexnet", "fc7", Q.CONNECTIONS)] == [16777216]
    assert 16777216 not in slots.get(("alexnet", "fc7", Q.UNITS), [])


def test_a_quantitys_subscript_numbers_the_layer_of_the_kind_counted():
    """Under "Conv4 and Conv5": units_4 = 13² × 384 = 64,896 and units_5 = 13² × 256 = 43,264."""
    slots = found(document(
        "## AlexNet",
        "## Conv4 and Conv5",
        "units_4 = 13^2 * 384 = 64896",
        "units_5 = 13^2 * 256 = 43264",
        "weights_{5} = 3*3*192*256 = 442368",
    ), PAPER)
    assert slots[("alexnet", "conv4", Q.UNITS)] == [64896]
    assert slots[("alexnet", "conv5", Q.UNITS)] == [43264]
    assert slots[("alexnet", "conv5", Q.WEIGHTS)] == [442368]


def test_a_line_that_only_names_the_output_layer_opens_it():
    """LeNet-5's output layer: (84 + 1) × 10 = 850 parameters."""
    slots = found(document(
        "LeNet-5",
        "F6-全连接层",
        "参数: 84*(120+1)=10164",
        "OUTPUT-输出层",
        "参数: 10*(84+1)=850",
        "Output featuremap size: 5*5",
    ), LENET)
    assert slots[("lenet5", "fc2", Q.PARAMS)] == [10164]
    assert slots[("lenet5", "fc3", Q.PARAMS)] == [850]


def test_a_line_below_a_table_of_layers_is_not_the_layer_above_the_table():
    """884,736 is conv3's weights (3 × 3 × 256 × 384), not conv2's: placed by its value, for review."""
    slots = found(document(
        "## AlexNet",
        "conv2: 186624 neurons",
        table(["layer", "kernel"], ["conv3", "3x3"]),
        "weights = 884736",
    ), PAPER)
    assert ("alexnet", "conv2", Q.WEIGHTS) not in slots


def test_the_activations_in_bytes_are_the_memory():
    """EECS 498's column "memory (KB)": conv1 of torchvision's AlexNet at 227, 64 × 56 × 56 × 4 / 1024
    = 784 KB; a parameter's size in bytes stays no answer."""
    assert classify("Memory (KB)").role is Q.MEMORY
    assert classify("activations (MB)").role is Q.MEMORY
    assert classify("Params size (MB)").role == NOT_ANSWER
    slots = found(document("## AlexNet (torchvision)", table(["Layer", "Memory (KB)", "Params (k)"], ["conv1", "784", "23"])),
                  {"alexnet-torchvision": (Q.MEMORY, Q.PARAMS)})
    assert slots[("alexnet-torchvision", "conv1", Q.MEMORY)] == [784]


def test_a_network_named_where_the_assignment_asks_its_variant_is_that_variant():
    """"AlexNet" in an answer to the torchvision AlexNet assignment is torchvision's (conv1: 64 filters of
    11 × 11 × 3 and their biases, 23,296 parameters); VGG16 named where VGG19 is asked stays VGG16."""
    slots = found(document("## AlexNet", table(["Layer", "Params"], ["conv1", "23,296"])),
                  {"alexnet-torchvision": (Q.PARAMS,)})
    assert slots[("alexnet-torchvision", "conv1", Q.PARAMS)] == [23296]
    slots = found(document("## VGG16", table(["Layer", "Params"], ["conv1_1", "1,792"])), {"vgg19": (Q.PARAMS,)})
    assert ("vgg19", "conv1_1", Q.PARAMS) not in slots


def test_a_header_over_two_rows_whose_top_row_ends_early():
    """An HTML header whose top cell spans the columns below ("Count" over units and weights)."""
    slots = found(document("## AlexNet", table(
        ["Layer", "Count"],
        ["", "Units", "Weights"],
        ["conv1", "290,400", "34,848"],
        ["conv2", "186,624", "307,200"],
    )), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307200]


def test_a_row_of_one_towers_half_is_no_answer_and_no_next_layer():
    """AlexNet's conv2 split over two GPUs: each tower's 128 filters of 5 × 5 × 48 and their biases
    hold 153,728 parameters, the layer 307,456; conv3 (3 × 3 × 256 + 1) × 384 = 885,120."""
    slots = found(document("## AlexNet", table(
        ["layer", "params"],
        ["conv2 [A]", "153,728"],
        ["conv2 [B]", "153,728"],
        ["conv2 = A+B", "307,456"],
        ["conv3", "885,120"],
        ["conv4 (GPU 1)", "331,968"],
    )), PARAMS)
    assert slots[("alexnet", "conv2", Q.PARAMS)] == [307456]
    assert slots[("alexnet", "conv3", Q.PARAMS)] == [885120]
    assert 153728 not in every_value(slots) and 331968 not in every_value(slots)


def test_a_product_of_four_factors_is_no_maps_shape():
    """"(11*11*3)*96 = 35K": conv1's kernels, 11 × 11 × 3 × 96 = 34,848 weights, not a map of four sides."""
    slots = found(document(
        "## AlexNet",
        "- First layer (CONV1): 96 filters of 11*11*3 applied at stride 4",
        "-> output volume [55*55*96] -- parameters: (11*11*3)*96 = 35K",
    ), PAPER)
    assert not any(len(v) == 4 for key, values in slots.items() if key[2] is Q.SHAPE for v in values)


def test_one_items_count_after_a_label_and_a_layer_named_twice_hold_no_answer():
    """"conv1: each filter is 11×11×3 = 363 weights" is one filter's; "conv1（第1畳み込み層）" names conv1
    twice, its 1 no count; AlexNet conv1 has 55 × 55 × 96 = 290,400 neurons."""
    slots = found(document(
        "## AlexNet",
        "### conv1（第1畳み込み層）",
        "- ニューロン数：55×55×96 ＝ 290,400",
        "* conv1: each filter is 11×11×3 = 363 weights, 96 filters, applied at 55² = 3,025 positions.",
        "* fc6 is split over the two GPUs: each GPU holds 2048 of the 4096 neurons.",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert not {1, 363, 2048} & every_value(slots)


def test_every_sentence_of_a_line_that_lists_layers_is_read():
    """AlexNet: conv1 and conv2 have 290,400 and 186,624 neurons; conv3 and conv4 3 × 3 × 256 × 384 =
    884,736 and 3 × 3 × 192 × 384 = 663,552 weights."""
    slots = found(document(
        "## AlexNet",
        "conv1 and conv2 have 290,400 and 186,624 neurons. conv3 and conv4 have 884,736 and 663,552 weights.",
    ), PAPER)
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186624]
    assert slots[("alexnet", "conv4", Q.WEIGHTS)] == [663552]


def test_a_sentence_opened_by_the_word_layer_and_its_name_is_that_layers():
    """"Layer C1 is …" in a paragraph of long sentences, one a layer: LeNet-5's C1 has (5·5·1 + 1)·6
    = 156 parameters, S2 2·6 = 12 (trainable subsampling), C5 (400 + 1)·120 = 48,120 and 120 units:
    the 400 values it takes in are C5's inputs, not its units."""
    slots = found(document(
        "# LeNet-5",
        "Layer C1 is a convolutional layer: 6 filters, each 5×5, no padding, taking the 32×32×1 input down "
        "to a 28×28×6 feature map with 5×5×1×6+6=156 trainable parameters. Layer S2 pools that down with a "
        "2×2 filter, stride 2, giving 14×14×6 with just 12 parameters.",
        "Layer C5 is fully connected, taking the 5×5×16=400 values down to 120 units, with "
        "(400×120)+120=48120 parameters."), LENET)
    assert slots[("lenet5", "conv1", Q.PARAMS)] == [156]
    assert slots[("lenet5", "pool1", Q.PARAMS)] == [12]
    assert slots[("lenet5", "fc1", Q.PARAMS)] == [48120]
    assert slots[("lenet5", "fc1", Q.UNITS)] == [120]


def test_a_label_waits_for_working_that_opens_the_next_line_and_an_item_follows_on_it():
    """A blog's list copied with its line breaks moved: conv1's label ends a line, its working opens
    the next, which goes on into conv2's item. AlexNet with towers: conv1 (11·11·3·96) + 96 = 34,944
    parameters, conv2 (5·5·48·128 + 128)·2 = 307,456; 27·27·128·2 = 186,624 units. The label's clause
    nearest its colon says what it counts: 参数 (parameters), not the 偏置 (biases) before it."""
    slots = found(document(
        "# AlexNet",
        "- 第1个隐层, 卷积层, 节点数量: 55 x 55 x 48 x 2 = 290400. 卷积层的参数 = 卷积核大小 x 卷积核的数量",
        "+ 偏置数量(即卷积核的数量),本层参数数量为:",
        "(11 * 11 * 3 * 96) + 96 = 34944, 注: 参数分为w和b两部分。 - 第2个隐层, 卷积层, 节点数量: 27*27*128*2 = 186624,"
        " 参数数量: (5*5*48*128+128)*2 = 307456"), PARAMS | {"alexnet": (Q.PARAMS, Q.UNITS)})
    assert slots[("alexnet", "conv1", Q.PARAMS)] == [34944]
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186624]
    assert slots[("alexnet", "conv2", Q.PARAMS)] == [307456]
    assert ("alexnet", "conv1", Q.BIASES) not in slots


def test_a_layer_named_as_what_the_layer_under_the_heading_is_compared_with_opens_no_row():
    """Under "Subsampling layer 2 (S2)", a sentence naming C1 to compare with: S2's 12 parameters,
    (1 + 1)·6, stay S2's (LeNet-5's first subsampling, pool1), not C1's or the next convolution's."""
    slots = found(document(
        "# LeNet-5", "###### Convolution layer 1 (C1)", "trainable params = (5 * 5 * 1 + 1) * 6 = 156",
        "###### Subsampling layer 2 (S2)",
        "The differences from C1 are no pixel overlapping and only 1 weight and 1 bias per feature map.",
        "trainable params = (weight + bias) * feature maps = (1 + 1) * 6 = 12"), LENET)
    assert slots[("lenet5", "conv1", Q.PARAMS)] == [156]
    assert slots[("lenet5", "pool1", Q.PARAMS)] == [12]
    assert ("lenet5", "conv2", Q.PARAMS) not in slots


def test_a_number_grouped_with_spaces_ends_its_sentence_whole():
    """"связей — 16 777 216." (fc7's 4,096·4,096 connections): the full stop is no decimal point, and
    the space before 216 is a group's, not a dropped multiplication sign (16,777 · 216)."""
    assert read_value(" 16 777 216.").value == 16_777_216
    assert read_value("28 28 6.").value == 28 * 28 * 6  # signs dropped: still a product


def test_a_layers_name_after_a_value_is_no_later_number_for_its_word():
    """"连接数:(2*2+1)*6*14*14 S2中每个特征图的大小是C1中特征图大小的1/4": LeNet-5's S2 has
    (2·2 + 1)·6·14·14 = 5,880 connections; the 1 of "C1" is a name's, not a number its words count."""
    slots = found(document("# LeNet-5", "S2层 连接数:(2*2+1)*6*14*14 S2中每个特征图的大小是C1中特征图大小的1/4。"), LENET)
    assert slots[("lenet5", "pool1", Q.CONNECTIONS)] == [5880]


def test_a_figure_the_student_takes_back_gives_way_to_its_correction():
    # conv1: 55·55·96 = 290,400 units (253,440 is the paper's caption); conv3 sees both towers:
    # 3·3·256·384 = 884,736 weights (3·3·128·384 = 442,368 would split it)
    from extract_helpers import PAPER, Q, document, found

    doc = document("# AlexNet",
                   "conv1: units 253,440 — no wait, that is Figure 2's caption; 55 x 55 x 96 = 290,400 units.",
                   "conv3: weights 3 x 3 x 128 x 384 = 442,368 — hmm, no: it sees both GPUs, so "
                   "3 x 3 x 256 x 384 = 884,736.",
                   "Total weights: 61,261,856 … no, I forgot conv2. Corrected total: 60,954,656 weights.")
    got = found(doc, PAPER)
    assert got[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert got[("alexnet", "conv3", Q.WEIGHTS)] == [884736]
    assert got[("alexnet", "total", Q.WEIGHTS)] == [60954656]


def test_a_full_stop_then_no_takes_nothing_back():
    from extract_helpers import PAPER, Q, document, found

    doc = document("# AlexNet", "conv1 units: 290,400. No, the caption's 253,440 is not right.")
    assert found(doc, PAPER)[("alexnet", "conv1", Q.UNITS)][0] == 290400


def test_the_networks_total_under_a_layers_line_is_the_total():
    # AlexNet: 60,954,656 weights in all, "61M"; conv1's are 11·11·3·96 = 34,848
    from extract_helpers import PAPER, Q, document, found

    doc = document("# AlexNet", "1. #Params Conv 1 = 96 x 3 x 11 x 11 = 34848", "", "Answer is 61M parameters in total")
    got = found(doc, PAPER)
    assert got[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert got[("alexnet", "total", Q.WEIGHTS)] == [61000000]


def test_a_total_stated_before_the_colon_that_opens_its_breakdown():
    # VGG16: 138,357,544 parameters, "138M"; conv1_1 3·3·3·64 + 64 = 1,792
    from extract_helpers import PARAMS, Q, document, found

    doc = document("VGG16总参数量是138M,具体如下:", " 第1层:1792 = 3*3*3*64+64")
    got = found(doc, PARAMS)
    assert got[("vgg16", "total", Q.PARAMS)] == [138000000]
    assert got[("vgg16", "conv1_1", Q.PARAMS)] == [1792]


def test_words_that_label_nothing_before_a_colon_leave_the_sentence_after_it_to_be_read():
    from extract_helpers import PAPER, Q, document, found

    for line, shape in (("**说明：**输入取227×227×3（论文正文写的224×224×3有误）。", (227, 227, 3)),
                        ("I follow the paper exactly: the input is 224x224x3 as stated in Section 3.", (224, 224, 3))):
        got = found(document("# AlexNet", line), PAPER)
        assert got.get(("alexnet", "input", Q.SHAPE)) == [shape], line


def test_an_expression_broken_over_two_lines_is_read_whole():
    # VGG19 with the input depth left out of its conv terms, as written: the sum is 123,697,896
    from extract_helpers import PARAMS, Q, document, found

    doc = document("以19层VGG模型为例",
                   "所以参数总数为(3*3*64+64)*2+(3*3*128+128)*2+(3*3*256+256)*4+(3*3*512+512)*8+...",
                   "    (512*7*7*4096+4096)+(4096*4096+4096)+(4096*1000+1000)=  123697896")
    assert found(doc, PARAMS)[("vgg19", "total", Q.PARAMS)] == [123697896]


def test_the_words_for_a_clauses_one_value_may_come_well_before_it():
    # LeNet-5 F6 (fc2): (120 + 1)·84 = 10,164 parameters, and as many connections
    from extract_helpers import Q, document, found

    doc = document("# LeNet-5", "## F6 layer",
                   "The training parameters and number of connections for this layer are (120 + 1) x 84 = 10164.")
    got = found(doc, {"lenet5": (Q.PARAMS, Q.CONNECTIONS)})
    assert got[("lenet5", "fc2", Q.PARAMS)] == [10164]
    assert got[("lenet5", "fc2", Q.CONNECTIONS)] == [10164]


def test_a_line_that_opens_with_a_shape_then_its_word_gives_the_layers_shape():
    # AlexNet conv2's output: 27×27×256
    from extract_helpers import PAPER, Q, document, found

    for line in ("27x27x256 feature map", "- 27 x 27 x 256 output"):
        assert found(document("# AlexNet", "## Conv2", line), PAPER).get(("alexnet", "conv2", Q.SHAPE)) \
            == [(27, 27, 256)], line


def test_a_line_ending_in_a_word_is_not_an_expression_broken_off():
    # "softmax" ends in an x, which is no sign: the next line is its own (fc8 4,096·1,000 weights)
    from extract_helpers import PAPER, Q, document

    from grader.extract import extract

    doc = document("# AlexNet", "FC8: 1,000 units, then softmax", "4,096,000 weights in FC8")
    lines = {(a.layer, a.quantity): a.source.line for a in extract(doc, networks=PAPER)}
    assert lines[("fc8", Q.UNITS)] == 2 and lines[("fc8", Q.WEIGHTS)] == 3


# ------------------------------------------------------------------------------ paragraphs and other languages


def test_a_sentence_wrapped_over_lines_is_read_as_one():
    # an editor's wrap leaves "= 64,896" on one line and its word "units" on the next
    slots = found(document(
        "## AlexNet",
        "In the third convolution both GPUs talk to each other and its 384 filters see all 256 channels: 64,896",
        "units, 3·3·256·384 = 884,736 weights and 64,896 · 2,304 = 149,520,384 connections.",
    ), PAPER)
    assert slots[("alexnet", "conv3", Q.UNITS)] == [64896]
    assert slots[("alexnet", "conv3", Q.WEIGHTS)] == [884736]
    assert slots[("alexnet", "conv3", Q.CONNECTIONS)] == [149520384]


def test_short_lines_of_their_own_are_not_joined():
    slots = found(document(
        "## AlexNet",
        "conv1 units = 55*55*96 = 290400",
        "conv2 units = 27*27*256 = 186624",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv2", Q.UNITS)] == [186624]


def test_a_layer_that_opens_a_sentence_after_an_article_owns_it_in_any_language():
    # "La cuarta convolución": the sentence's subject, whatever verb follows; the next sentence
    # ("Tiene también …") goes on about it; "La segunda (fc7)": the name in brackets, not "the second"
    slots = found(document(
        "## AlexNet",
        "La cuarta convolución vuelve a estar separada por GPU. Tiene también 64.896 unidades, 663.552 pesos "
        "y 64.896 · 1.728 = 112.140.288 conexiones.",
        "La segunda (fc7) tiene 4.096 neuronas y 16.777.216 pesos.",
        "The fourth convolution returns to the towers: 663,552 weights.",
    ), PAPER)
    assert slots[("alexnet", "conv4", Q.UNITS)] == [64896]
    assert slots[("alexnet", "conv4", Q.WEIGHTS)] == [663552, 663552]
    assert slots[("alexnet", "conv4", Q.CONNECTIONS)] == [112140288]
    assert slots[("alexnet", "fc7", Q.UNITS)] == [4096]
    assert slots[("alexnet", "fc7", Q.WEIGHTS)] == [16777216]
    assert ("alexnet", "fc2", Q.UNITS) not in slots


def test_one_filters_count_and_a_conclusion_in_spanish():
    # "Cada filtro …": one filter's 363 weights, no layer's; ", por lo que …": the layer's, a clause of its own
    slots = found(document(
        "## AlexNet",
        "La primera capa convolucional tiene 290.400 unidades. Cada filtro tiene 11·11·3 = 363 pesos, por lo "
        "que la capa entera tiene 34.848 pesos.",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert 363 not in every_value(slots)


def test_a_word_holding_an_x_is_a_word_and_y_joins_two_counts():
    # "conexiones" once lost its x to the multiplication sign; "y" joins as "and" does
    slots = found(document("## AlexNet", "conv5 tiene 442.368 pesos y 43.264 · 1.728 = 74.760.192 conexiones."),
                  PAPER)
    assert slots[("alexnet", "conv5", Q.WEIGHTS)] == [442368]
    assert slots[("alexnet", "conv5", Q.CONNECTIONS)] == [74760192]


def test_a_figure_quoted_from_the_paper_and_rejected_is_not_the_students():
    # the caption's 253,440 (the paper's figure for conv1), rejected in the same sentence
    slots = found(document(
        "## AlexNet",
        "The paper's Figure 2 caption says the first layer has 253,440 neurons, but that cannot be right.",
        "El artículo dice que conv1 tiene 253.440 neuronas, pero es un error.",
        "Conv1 has 290,400 neurons.",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert 253440 not in every_value(slots)


def test_a_layer_kinds_subtotal_is_no_layers_count_and_not_the_networks_total():
    # AlexNet with biases: conv1-5 hold 2,334,080 parameters, fc6-8 58,631,144, all 60,965,224
    slots = found(document(
        "## AlexNet",
        "FC8:",
        "参数数量:4096x1000+1000=4097000",
        "参数数量总数:60965224",
        "卷积层参数:2334080,占总参数的3.8%",
        "全连接层参数共58631144个",
    ), {"alexnet": (Q.PARAMS,)})
    assert slots[("alexnet", "total", Q.PARAMS)] == [60965224]
    assert slots[("alexnet", "fc8", Q.PARAMS)] == [4097000]
    assert not {2334080, 58631144} & every_value(slots)


def test_under_a_layers_heading_its_kind_names_that_layer():
    slots = found(document("## C1", "卷积层参数:156"), {"lenet5": (Q.PARAMS,)})
    assert slots[("lenet5", "conv1", Q.PARAMS)] == [156]
