"""Rules a TA would state for submissions the earlier rules missed (headings of a layer and its
pooling, layers talked about together, one value for two quantities, network totals, lists under a
header of quantities, qualifiers, abbreviations, rounding restated), one test each.

Every text here is written for the test; every expected value is what the invented student wrote,
or a figure worked by hand from DESIGN.md: AlexNet conv1 55·55·96 = 290,400 units, 11·11·3·96 =
34,848 weights, 34,848·55·55 = 105,415,200 connections; conv2 5·5·48·256 = 307,200 weights; conv3
13·13·384 = 64,896 units, 3·3·256·384 = 884,736 weights, 884,736·169 = 149,520,384 connections;
fc6 9,216·4,096 = 37,748,736; fc7 4,096² = 16,777,216; fc8 4,096·1,000 = 4,096,000 (4,097,000 with
biases); totals 60,965,224 parameters, 60,954,656 weights; LeNet-5 61,706 parameters; VGG16
138,357,544 and VGG19 143,667,240 parameters, VGG16's conv3_2 3·3·256·256+256 = 590,080."""
from __future__ import annotations

from grader.core import Cell, Document, Source, Table, TextLine
from extract_helpers import PAPER, PARAMS, Q, document, found, table
from grader.extract.quantities import classify



# ------------------------------------------------------------------------------ words


def test_abbreviations_of_a_handwritten_page():
    assert classify("wts").quantity is Q.WEIGHTS
    assert classify("conn").quantity is Q.CONNECTIONS
    assert classify("#conn").quantity is Q.CONNECTIONS
    assert classify("connections").quantity is Q.CONNECTIONS  # "conn" is no prefix match


def test_a_parameter_count_without_biases_is_the_weights():
    assert classify("#Parameters (no bias)", fuzzy=True).quantity is Q.WEIGHTS
    assert classify("parameters without biases").quantity is Q.WEIGHTS
    assert classify("参数量（不含偏置）").quantity is Q.WEIGHTS
    assert classify("Parameters (biases included)").quantity is Q.PARAMS
    assert classify("参数量（含偏置）").quantity is Q.PARAMS


def test_a_header_that_says_no_bias_fills_the_weights():
    slots = found(document("## AlexNet", table(
        ["Layer", "#Parameters (no bias)"], ["Conv 1", "34,848"], ["Conv 2", "307,200"], ["Conv 3", "884,736"])),
        PAPER)
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert slots[("alexnet", "conv3", Q.WEIGHTS)] == [884736]
    assert not any(q is Q.PARAMS for _, _, q in slots)


# ------------------------------------------------------------------------------ layers and headings


def test_layers_talked_about_together_open_no_rows():
    # the list of layers is no layer's answer, and does not rename the numbered labels after it
    slots = found(document(
        "## AlexNet",
        "Two GPUs: conv2, conv4 and conv5 only see the maps of their own GPU.",
        "**Conv1**",
        "- units: 290,400",
        "**Conv2** (one GPU each)",
        "- weights: 5×5×48×256 = 307,200",
        "**Conv3** (both GPUs)",
        "- weights: 3×3×256×384 = 884,736",
    ), PAPER)
    assert slots == {("alexnet", "conv1", Q.UNITS): [290400], ("alexnet", "conv2", Q.WEIGHTS): [307200],
                     ("alexnet", "conv3", Q.WEIGHTS): [884736]}


def test_a_heading_of_a_convolution_and_its_pooling_is_the_convolutions():
    slots = found(document(
        "## AlexNet",
        "### Layer 1 (CONV1 + POOL1)",
        "- conv: 96 kernels 11x11x3, stride 4 → 55x55x96; max pool 3x3 stride 2 → 27x27x96",
        "- units: 55 × 55 × 96 = 290,400",
        "- weights: 11 × 11 × 3 × 96 = 34,848",
        "### Layer 3 (CONV3)",
        "- conv: 384 kernels 3x3x256 → 13x13x384",
        "- connections: 884,736 × 169 = 149,520,384",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.SHAPE)] == [(55, 55, 96)]
    assert slots[("alexnet", "pool1", Q.SHAPE)] == [(27, 27, 96)]  # the pooling's line says its shape
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]  # the lines after it are the convolution's
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert slots[("alexnet", "conv3", Q.SHAPE)] == [(13, 13, 384)]  # "conv:" under Layer 3 is conv3
    assert slots[("alexnet", "conv3", Q.CONNECTIONS)] == [149520384]


def test_a_count_first_sentence_under_a_layer_heading():
    slots = found(document(
        "## AlexNet",
        "### Layer 7 (fully connected)",
        "4,096 neurons. Weights: 4,096 × 4,096 = 16,777,216.",
    ), PAPER)
    assert slots[("alexnet", "fc7", Q.UNITS)] == [4096]  # not the working of the heading above
    assert slots[("alexnet", "fc7", Q.WEIGHTS)] == [16777216]


# ------------------------------------------------------------------------------ values


def test_an_exact_figure_beats_its_rounded_restatement():
    from grader.extract.regions import read_value

    assert read_value("(11*11*3)*96 = 34,848 ≈ 35K").value == 34848
    assert read_value("60,954,656 (≈61M)").value == 60954656
    assert read_value("49430888，约 0.49 亿").value == 49430888
    assert read_value("1.38 亿（138,357,544）").value == 138357544  # the rounded figure first
    assert read_value("61,706 个参数，约 6.2 万").value == 61706
    assert read_value("35K*55*55 ≈ 105M").value == 105000000  # a product, then its (rounded) value
    assert read_value("≈ 224M").value == 224000000  # rounded alone: as written
    slots = found(document("## AlexNet", "总计：权重约 6095 万（60954656），连接数约 7.24 亿。"), PAPER)
    assert slots[("alexnet", "total", Q.WEIGHTS)] == [60954656]  # in a sentence too
    assert slots[("alexnet", "total", Q.CONNECTIONS)] == [724000000]


def test_one_value_for_two_quantities():
    slots = found(document(
        "## AlexNet",
        "**FC6**: units 4096, weights = connections = 9216×4096 = 37,748,736",
        "Layer 7 has 4,096 neurons and (4,096+1)×4,096 = 16,781,312 parameters, and the same number of connections.",
        "### Layer 8 (fully connected)",
        "1,000 neurons. Weights: 4,096 × 1,000 = 4,096,000, and the connections are the same.",
        "- Conv1: Weights 11\\*11\\*3\\*96 = 34,848, connections 105,415,200",
    ), {"alexnet": (Q.UNITS, Q.WEIGHTS, Q.PARAMS, Q.CONNECTIONS)})
    assert slots[("alexnet", "fc6", Q.UNITS)] == [4096]
    assert slots[("alexnet", "fc6", Q.WEIGHTS)] == [37748736]
    assert slots[("alexnet", "fc6", Q.CONNECTIONS)] == [37748736]
    assert slots[("alexnet", "fc7", Q.PARAMS)] == [16781312]
    assert slots[("alexnet", "fc7", Q.CONNECTIONS)] == [16781312]
    assert slots[("alexnet", "fc8", Q.UNITS)] == [1000]
    assert slots[("alexnet", "fc8", Q.CONNECTIONS)] == [4096000]
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert slots[("alexnet", "conv1", Q.CONNECTIONS)] == [105415200]  # a second label after the value


def test_a_name_after_the_last_equals_names_the_value_too():
    slots = found(document("## AlexNet", "- FC7: 4096 neurons. Weights 4096\\*4096 = 16.8M = connections"), PAPER)
    assert slots[("alexnet", "fc7", Q.WEIGHTS)] == [16800000]
    assert slots[("alexnet", "fc7", Q.CONNECTIONS)] == [16800000]


# ------------------------------------------------------------------------------ networks and totals


def test_a_network_and_its_number_is_its_total():
    slots = found(document(
        "作业：参数量（含偏置）",
        "- **LeNet-5**（输入 32×32×1，C3 全连接）：61,706 个参数，约 6.2 万",
        "- **AlexNet**（按论文：conv2/4/5 分两组）：60,965,224，约 0.61 亿，也就是常说的“6千万参数”",
        "- **VGG16**：1.38 亿（138,357,544）",
    ), PARAMS)
    assert slots[("lenet5", "total", Q.PARAMS)] == [61706]  # the remark names no layer
    assert slots[("alexnet", "total", Q.PARAMS)] == [60965224]  # not the rounded restatements
    assert slots[("vgg16", "total", Q.PARAMS)] == [138357544]
    assert all(layer == "total" for _, layer, _ in slots)


def test_several_networks_on_one_line_each_take_their_total():
    slots = found(document("VGG16：138,357,544（约 1.38 亿）；VGG19：143,667,240（约 1.44 亿）。"), PARAMS)
    assert slots == {("vgg16", "total", Q.PARAMS): [138357544], ("vgg19", "total", Q.PARAMS): [143667240]}
    slots = found(document("三、VGG16 总参数约 1.38亿，VGG19 约 1.44亿（参数主要在第一个全连接层）。"), PARAMS)
    assert slots == {("vgg16", "total", Q.PARAMS): [138000000], ("vgg19", "total", Q.PARAMS): [144000000]}


def test_a_label_before_the_network_is_no_network_total():
    slots = found(document("## Notes", "- Example: AlexNet has 724M MACs, so 1.4G FLOPs"),
                  {"alexnet": (Q.UNITS, Q.PARAMS, Q.CONNECTIONS)})
    assert slots == {("alexnet", "total", Q.CONNECTIONS): [724000000]}  # named by its word, MACs


def test_years_and_layer_counts_are_no_totals():
    slots = found(document("LeNet-5: 1998", "VGG16: 16 layers", "AlexNet：一共 8 层"), PARAMS)
    assert not slots
    slots = found(document("## LeNet-5", "一共 7 层，总参数 61706 个（约 6.2 万）。"), PARAMS)
    assert slots == {("lenet5", "total", Q.PARAMS): [61706]}


def test_chinese_totals_and_a_shape_word_before_its_value():
    slots = found(document("## AlexNet", "参数总量：60,965,224（按论文两块 GPU 计算）"), PARAMS)
    assert slots == {("alexnet", "total", Q.PARAMS): [60965224]}  # 总量: the amount in all
    slots = found(document("## LeNet-5", "**C3 卷积层**：参数量 = (5×5×6+1)×16 = 2416",
                           "**S4 池化层**：输出 5×5×16，无参数"), PARAMS)
    assert slots[("lenet5", "pool2", Q.SHAPE)] == [(5, 5, 16)]  # not 400 parameters
    assert ("lenet5", "pool2", Q.PARAMS) not in slots


def test_a_total_label_owns_its_line_when_a_network_is_named_later():
    slots = found(document(
        "## VGG19",
        "- fc8: 4,097,000",
        "- Total: 143,667,240 (≈143.7M), i.e. the biases of three more layers than VGG16: 5,309,696 more.",
    ), PARAMS)
    assert slots[("vgg19", "total", Q.PARAMS)] == [143667240]
    assert not any(network == "vgg16" for network, _, _ in slots)
    assert 5309696 not in {v for values in slots.values() for v in values}  # a difference


def test_a_handwritten_page_with_dots_and_abbreviations():
    slots = found(document(
        "Q1  AlexNet     input 227x227x3",
        "conv1   units = 55.55.96 = 290400",
        "        wts   = 11.11.3.96 = 34848",
        "        conn  = 34848 x 55 x 55 = 105 415 200",
        "conv3   units = 13 . 13 . 384 = 64896",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]  # no stray 55 from the dots
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]  # the layer carries to the lines below
    assert slots[("alexnet", "conv1", Q.CONNECTIONS)] == [105415200]
    assert slots[("alexnet", "conv3", Q.UNITS)] == [64896]


# ------------------------------------------------------------------------------ lists and columns


def test_a_numbered_list_under_a_line_of_quantities():
    slots = found(document(
        "AlexNet",
        "For each layer: units / weights / connections",
        "1. 290400 / 34848 / 105415200",
        "3. 64896 / 884736 / 149520384",
        "7. 4096 / 16777216 / 16777216",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv1", Q.CONNECTIONS)] == [105415200]
    assert slots[("alexnet", "conv3", Q.WEIGHTS)] == [884736]  # item 3: the third layer with weights
    assert slots[("alexnet", "fc7", Q.WEIGHTS)] == [16777216]  # item 7: the second FC layer
    slots = found(document("AlexNet (units / weights / connections for each layer)",
                           "2) 186,624 / 307,200 / 223,948,800"), PAPER)  # the order on the network's line
    assert slots[("alexnet", "conv2", Q.CONNECTIONS)] == [223948800]


def test_a_headerless_column_short_of_its_biases_is_the_asked_parameters():
    slots = found(document("VGG19 (my counting function, bias=False)", table(
        ["block1_conv1", "1,728"], ["block1_conv2", "36,864"], ["block2_conv1", "73,728"],
        ["fc1", "102,760,448"], ["fc2", "16,777,216"], ["predictions", "4,096,000"], header=False)), PARAMS)
    assert slots[("vgg19", "conv1_1", Q.PARAMS)] == [1728]  # 3·3·3·64: the biases missed, a pitfall
    assert slots[("vgg19", "fc6", Q.PARAMS)] == [102760448]
    assert slots[("vgg19", "fc8", Q.PARAMS)] == [4096000]  # Keras' "predictions" is the last layer
    assert not any(q is Q.WEIGHTS for _, _, q in slots)


def test_a_listing_cut_into_pieces_runs_on_in_order():
    # a reader may split space-aligned text into small tables between the lines it cannot align;
    # rows placed by position (no layer numbers) continue the lines right above them
    def rows(line: int, *texts: list[str]) -> Table:
        cells = tuple(tuple(Cell(t, Source(line=line + r, cell=f"r{r + 1}c{c + 1}")) for c, t in enumerate(row))
                      for r, row in enumerate(texts))
        return Table(cells, Source(line=line), has_header=False)

    doc = Document("hand.txt", "text", (
        TextLine("VGG16 parameters (no biases, as in the notes)", Source(line=1)),
        TextLine("INPUT: [224x224x3]   memory: 224*224*3=150K   params: 0", Source(line=2)),
        rows(3, ["CONV3-64: [224x224x64]", "memory:", "224*224*64=3.2M", "params: (3*3*3)*64 = 1,728"],
             ["CONV3-64: [224x224x64]", "memory:", "224*224*64=3.2M", "params: (3*3*64)*64 = 36,864"]),
        TextLine("POOL2: [112x112x64]  memory:  112*112*64=800K   params: 0", Source(line=5)),
        rows(6, ["CONV3-128: [112x112x128]", "memory:", "112*112*128=1.6M", "params: (3*3*64)*128 = 73,728"],
             ["CONV3-128: [112x112x128]", "memory:", "112*112*128=1.6M", "params: (3*3*128)*128 = 147,456"]),
        TextLine("POOL2: [56x56x128]  memory:  56*56*128=400K   params: 0", Source(line=8)),
        TextLine("My sum of the lines above: 259,776 params", Source(line=10)),
    ))
    slots = found(doc, PARAMS)
    assert slots[("vgg16", "conv1_2", Q.PARAMS)] == [36864]
    assert slots[("vgg16", "conv2_1", Q.PARAMS)] == [73728]  # not the first convolution again
    assert slots[("vgg16", "conv2_2", Q.PARAMS)] == [147456]
    assert slots[("vgg16", "pool2", Q.SHAPE)] == [(56, 56, 128)]  # "POOL2" is a 2x2 pool, the second one
    assert slots[("vgg16", "total", Q.PARAMS)] == [259776]  # "my sum": a total
    # the listing's "memory" counts each layer's activations (224·224·64 = 3.2M): its units
    assert slots[("vgg16", "conv1_1", Q.UNITS)] == [3200000]
    assert slots[("vgg16", "pool1", Q.UNITS)] == [800000]
    assert not any(q is Q.PARAMS and v in (3200000, 800000) for (_, _, q), values in slots.items() for v in values)


def test_a_range_of_layers():
    slots = found(document(
        "## VGG19",
        "- conv3_1: 295,168; conv3_2 ~ conv3_4: 590,080 each",
        "- fc6 - fc7: 102,764,544, 16,781,312",
        "- conv5_1 ~ conv5_4: 9,439,232",
    ), PARAMS)
    assert slots[("vgg19", "conv3_1", Q.PARAMS)] == [295168]
    for layer in ("conv3_2", "conv3_3", "conv3_4"):
        assert slots[("vgg19", layer, Q.PARAMS)] == [590080]
    assert slots[("vgg19", "fc6", Q.PARAMS)] == [102764544]  # one value each, in order
    assert slots[("vgg19", "fc7", Q.PARAMS)] == [16781312]
    assert not any(layer.startswith("conv5") for _, layer, _ in slots)  # four layers' sum: no layer's


def test_a_sum_of_layers_is_no_layers_count():
    slots = found(document(
        "## AlexNet",
        "- fc8: 4,096,000 weights",
        "Q2 a) params: FC6 + FC7 = 54M of 61M -> smaller FC layers",
        "FC6 + FC7 hold 54M of the 61M weights.",
    ), PAPER)
    assert slots == {("alexnet", "fc8", Q.WEIGHTS): [4096000]}


def test_two_total_labels_on_one_line():
    slots = found(document("AlexNet", "   total conn ≈ 1.45 GFLOP        total wts ≈ 61 M"), PAPER)
    assert slots[("alexnet", "total", Q.CONNECTIONS)] == [1450000000]  # "G" before FLOP is a scale
    assert slots[("alexnet", "total", Q.WEIGHTS)] == [61000000]


def test_a_line_that_opens_with_a_total_is_of_totals():
    slots = found(document("## AlexNet", "### FC6", "- neurons: 4,096",
                           "Total: 60,954,656 weights (≈ 61M); connections about 724M."), PAPER)
    assert slots[("alexnet", "total", Q.WEIGHTS)] == [60954656]
    assert slots[("alexnet", "total", Q.CONNECTIONS)] == [724000000]  # not FC6's
    assert set(slots) == {("alexnet", "fc6", Q.UNITS), ("alexnet", "total", Q.WEIGHTS),
                          ("alexnet", "total", Q.CONNECTIONS)}


def test_the_network_named_again_with_counts_gives_its_totals():
    slots = found(document("## AlexNet", "- CONV3: 884,736 weights",
                           "Sanity check: the lecture says AlexNet has 61M parameters and 724M MACs."),
                  {"alexnet": (Q.WEIGHTS, Q.PARAMS, Q.CONNECTIONS)})
    assert slots[("alexnet", "total", Q.CONNECTIONS)] == [724000000]  # not conv3's
    assert slots[("alexnet", "total", Q.PARAMS)] == [61000000]
    assert slots[("alexnet", "conv3", Q.WEIGHTS)] == [884736]


def test_layers_in_the_plural_hold_no_layers_count():
    slots = found(document("## AlexNet", "- CONV5: 442,368 weights",
                           "The three FC layers hold 58,621,952 weights, about 96% of all.",
                           "三个全连接层一共有 58,621,952 个权重。"), PAPER)
    assert slots == {("alexnet", "conv5", Q.WEIGHTS): [442368]}


def test_a_header_of_input_and_output_columns_is_no_row_of_layers():
    slots = found(document("## AlexNet", table(
        ["Layer", "Input channels per kernel", "Output size", "# Units", "# Weights"],
        ["conv1", "3", "55", "290400", "34848"],
        ["conv2", "48", "27", "186624", "307200"],
        ["Note: weights without biases", "", "", "", ""],
    )), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]  # read as it stands, not turned
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307200]


def test_a_number_nothing_names_is_left_out():
    # several quantities asked, no word, no heading, no figure it fits: no guess
    slots = found(document("## AlexNet", "- conv2: 186,624 neurons",
                           "Note: conv2 sees only its own GPU's 48 maps, conv4 reads 192."), PAPER)
    assert slots == {("alexnet", "conv2", Q.UNITS): [186624]}


def test_a_flops_column_is_the_connections_only_where_nothing_else_is():
    alone = found(document("## AlexNet", table(
        ["Layer", "# Weights", "FLOPs"], ["conv1", "34,848", "210,830,400"], ["fc8", "4,096,000", "8,192,000"])),
        PAPER)
    assert alone[("alexnet", "conv1", Q.CONNECTIONS)] == [210830400]  # as stated: 2 per connection
    beside = found(document("## AlexNet", table(
        ["Layer", "#MACs", "FLOPs (= 2×MACs)"], ["conv1", "105,415,200", "210.8M"], ["fc8", "4,096,000", "8.2M"])),
        PAPER)
    assert beside[("alexnet", "conv1", Q.CONNECTIONS)] == [105415200]
    assert beside[("alexnet", "fc8", Q.CONNECTIONS)] == [4096000]


def test_a_vgg_listing_split_into_tables_pools_by_window():
    def rows(line: int, *texts: list[str]) -> Table:
        cells = tuple(tuple(Cell(t, Source(line=line + r, cell=f"r{r + 1}c{c + 1}")) for c, t in enumerate(row))
                      for r, row in enumerate(texts))
        return Table(cells, Source(line=line), has_header=False)

    doc = Document("hand.md", "markdown", (
        TextLine("VGG-16 parameters (with biases)", Source(line=1), 1),
        rows(3, ["CONV3-64", "[224x224x64]", "params: 1,792"], ["CONV3-64", "[224x224x64]", "params: 36,928"],
             ["POOL2", "[112x112x64]", "params: 0"]),
        rows(6, ["CONV3-128", "[112x112x128]", "params: 73,856"], ["POOL2", "[56x56x128]", "params: 0"]),
    ))
    slots = found(doc, PARAMS)
    assert slots[("vgg16", "conv1_2", Q.PARAMS)] == [36928]
    assert slots[("vgg16", "pool1", Q.SHAPE)] == [(112, 112, 64)]  # "POOL2": a 2x2 pool, the first
    assert slots[("vgg16", "conv2_1", Q.PARAMS)] == [73856]  # the second table runs on from the first
    assert slots[("vgg16", "pool2", Q.SHAPE)] == [(56, 56, 128)]
    assert slots[("vgg16", "conv1_1", Q.SHAPE)] == [(224, 224, 64)]  # "[224x224x64]" is a shape, no units
    assert not any(q is Q.UNITS for _, _, q in slots)


def test_headings_that_number_the_pools_too_mean_layers_in_order_of_kind():
    slots = found(document(
        "# AlexNet",
        "## Layer 1 (convolution)", "Weights: 34,848.",
        "## Layer 2 (max pooling)", "Output 27 × 27 × 96.",
        "## Layer 3 (convolution)", "Weights: 307,200.",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert slots[("alexnet", "pool1", Q.SHAPE)] == [(27, 27, 96)]
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307200]  # the second convolution, not conv3
    # numbered among the layers with weights when no pool is numbered
    slots = found(document("# AlexNet", "## Layer 3 (convolution)", "Weights: 884,736."), PAPER)
    assert slots[("alexnet", "conv3", Q.WEIGHTS)] == [884736]


def test_a_quantity_said_to_be_the_same_as_another():
    slots = found(document(
        "## AlexNet",
        "FC7 has 4,096 neurons and 16,777,216 weights, and its connections equal its weights.",
        "For FC8 the weights are 4,096,000, the connections the same.",
        "F6 全连接层：权重 9216×4096 = 37,748,736，连接数与权重相同。",
        "Conv1 has 290,400 units, equal to 55*55*96.",
    ), PAPER)
    assert slots[("alexnet", "fc7", Q.CONNECTIONS)] == [16777216]
    assert slots[("alexnet", "fc8", Q.CONNECTIONS)] == [4096000]
    assert slots[("alexnet", "fc6", Q.CONNECTIONS)] == [37748736]
    assert ("alexnet", "conv1", Q.WEIGHTS) not in slots and ("alexnet", "conv1", Q.CONNECTIONS) not in slots


def test_a_row_label_with_its_own_value():
    slots = found(document("AlexNet", table(
        ["conv1 -> 290400 neurons", "34848 weights", "105415200 connections"],
        ["fc6 -> 4096 neurons", "37748736 weights", "37748736 connections"], header=False)), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "fc6", Q.UNITS)] == [4096]
    assert slots[("alexnet", "fc6", Q.CONNECTIONS)] == [37748736]


def test_a_layers_table_of_quantities_with_a_working_column_under_its_heading():
    """"### Layer 1 — conv1" over a table of quantity / working / value: each value is the last cell,
    after its working; "output map" is the shape's words, not the output layer. AlexNet conv1: output
    55×55×96 = 290,400 units, 11·11·3·96 = 34,848 weights, 34,848·55·55 = 105,415,200 connections."""
    slots = found(document(
        "# AlexNet", "### Layer 1 — conv1 (96 kernels, 11 × 11 × 3, stride 4)",
        table(["quantity", "working", "value"],
              ["output map", "(227 − 11)/4 + 1 = 55", "55 × 55 × 96"],
              ["neurons", "55 × 55 × 96", "2,90,400"],
              ["weights", "11 × 11 × 3 × 96", "34,848"],
              ["connections", "34,848 × 55 × 55", "10,54,15,200 (≈ 10.5 crore)"])), PAPER)
    assert slots[("alexnet", "conv1", Q.SHAPE)] == [(55, 55, 96)]
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert slots[("alexnet", "conv1", Q.CONNECTIONS)] == [105415200]


def test_a_table_in_long_form_gives_each_row_its_quantity_and_one_layer_its_rows():
    """One row per layer and quantity, as a spreadsheet exported "long": the quantity cell names
    the row's value, the value is the number written without working (not the formula before it,
    nor the note after it), and the rows of one layer are that layer's, not the next layers'.
    AlexNet conv1: 55·55·96 = 290,400 units, 11·11·3·96 = 34,848 weights (363 per filter);
    conv2 5·5·48·256 = 307,200 weights; kernel and stride rows are no count."""
    slots = found(document("# AlexNet", table(
        ["layer", "quantity", "formula", "value", "note"],
        ["conv1", "kernel", "", "11x11x3", "96 filters"],
        ["conv1", "stride", "", "4", ""],
        ["conv1", "output_shape", "(227-11)/4+1", "55x55x96", ""],
        ["conv1", "units", "55*55*96", "290400", ""],
        ["conv1", "weights", "11*11*3*96", "34848", "363 per filter"],
        ["conv2", "weights", "5*5*48*256", "307200", "1200 per filter"])), PAPER)
    assert slots[("alexnet", "conv1", Q.SHAPE)] == [(55, 55, 96)]
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert slots[("alexnet", "conv2", Q.WEIGHTS)] == [307200]
    assert not any(layer in ("conv3", "conv4", "conv5") for _, layer, _ in slots)


def test_a_row_giving_a_count_exactly_and_rounded_answers_with_the_exact_and_a_sigma_row_is_the_total():
    """A "≈ weights" column beside the exact one is a gloss; "**Σ**" heads the sum row. AlexNet conv1:
    34,848 weights (34.8K rounded); fc8 4,096,000 (4.1M); the two rows sum to 4,130,848."""
    slots = found(document("# AlexNet", table(
        ["Layer", "Weights", "≈ weights"],
        ["conv1", "$11\\times11\\times3\\times96 = 34{,}848$", "34.8K"],
        ["fc8", "$4096\\times1000 = 4{,}096{,}000$", "4.1M"],
        ["**Σ**", "**4,130,848**", "**4.1M**"])), PAPER)
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert slots[("alexnet", "fc8", Q.WEIGHTS)] == [4096000]
    assert slots[("alexnet", "total", Q.WEIGHTS)] == [4130848]


def test_a_printed_dict_gives_each_quoted_key_its_value():
    """A notebook's output "{'conv1': 34944, …, 'total': 60965224}": AlexNet's parameters with biases,
    (11·11·3 + 1)·96 = 34,944 for conv1, 2·(5·5·48 + 1)·128 = 307,456 for conv2, 60,965,224 in all."""
    slots = found(document("# AlexNet", "{'conv1': 34944, 'conv2': 307456, 'fc8': 4097000, 'total': 60965224}"),
                  PARAMS)
    assert slots[("alexnet", "conv1", Q.PARAMS)] == [34944]
    assert slots[("alexnet", "conv2", Q.PARAMS)] == [307456]
    assert slots[("alexnet", "fc8", Q.PARAMS)] == [4097000]
    assert slots[("alexnet", "total", Q.PARAMS)] == [60965224]


def test_a_bare_number_that_is_its_layers_units_is_no_answer_to_the_one_quantity_asked():
    """Parameters asked, and "After pool5 the map is 6×6×256 = 9216" says no count: 9,216 is pool5's
    units (pool3 in the spec's names), not its parameters; a weight count without its biases stays
    the parameters it answers ("conv1: 34848", bias-missed)."""
    slots = found(document("# AlexNet", "After pool5 the map is 6×6×256 = 9216.", "conv1: 34848"), PARAMS)
    assert ("alexnet", "pool3", Q.PARAMS) not in slots
    assert slots[("alexnet", "conv1", Q.PARAMS)] == [34848]


def test_a_slot_given_exactly_and_restated_rounded_elsewhere_is_answered_exactly():
    """A table's "= 4520544" for conv1's units (the student's 217×217×96, stride missed), then the
    summary's "卷积层1 的神经元约 452 万个": one answer, the exact one; the summary's "合计：权重共
    60954656 个" is the total's weights."""
    slots = found(document("# AlexNet", table(["层", "神经元数", "权重数"], ["卷积层1", "217 × 217 × 96 = 4520544", "34848"]),
                           "合计：权重共 60954656 个（约 6095 万）；卷积层1 的神经元约 452 万个，是所有层里最多的。"), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [4520544]
    assert slots[("alexnet", "total", Q.WEIGHTS)] == [60954656]


def test_a_header_group_over_two_rows_takes_the_names_below_it():
    """"Parameters" merged over "weights | biases | total": the weights, the biases, and the row's
    parameters; a header's own cell with a formula below it ("连接数" over "权重×H×W") keeps its name.
    LeNet-5's C1: 5·5·1·6 = 150 weights, 6 biases, 156 parameters, a 28×28×6 output."""
    slots = found(document("# LeNet-5", table(
        ["Layer", "Parameters", "", "", "Output"],
        ["", "weights", "biases", "total"],
        ["conv1 (C1)", "150", "6", "156", "28x28x6"],
        ["conv2 (C3)", "2400", "16", "2416", "10x10x16"])), {"lenet5": (Q.PARAMS,)})
    assert slots[("lenet5", "conv1", Q.PARAMS)] == [156]
    assert slots[("lenet5", "conv1", Q.WEIGHTS)] == [150]
    assert slots[("lenet5", "conv1", Q.SHAPE)] == [(28, 28, 6)]
    assert ("lenet5", "total", Q.PARAMS) not in slots
    own = found(document("# AlexNet", table(["层", "连接数"], ["", "权重×H×W"], ["conv1", "105415200"], ["conv3", "149520384"])),
                PAPER)
    assert own[("alexnet", "conv1", Q.CONNECTIONS)] == [105415200]


def test_a_remark_pointing_back_at_a_value_is_no_part_of_it():
    """"223,948,800 connections   <-- fixed, each filter only sees the 48 maps of its GPU": conv2's
    connections, 307,200·27·27."""
    slots = found(document("# AlexNet", table(
        ["conv1:  290,400 units", "34,848 weights", "105,415,200 connections"],
        ["conv2:  186,624 units", "307,200 weights", "223,948,800 connections   <-- fixed, each filter only sees the 48 maps"],
        header=False)), PAPER)
    assert slots[("alexnet", "conv2", Q.CONNECTIONS)] == [223948800]


def test_a_sheets_header_under_rows_of_the_students_name_is_found_and_polish_is_read():
    """A CSV saved from a Polish Excel: the name and course rows first, then "Warstwa; Neurony; Wagi;
    Połączenia": the columns' words name the slots (full confidence). AlexNet conv1: 290,400 units,
    34,848 weights, 105,415,200 connections."""
    from grader.extract import extract

    doc = document("# AlexNet", table(
        ["Imię i nazwisko", "Jakub Kowalczyk", "Nr albumu", "412398"],
        ["Przedmiot", "Sieci neuronowe, lista 2", "", ""],
        ["Warstwa", "Neurony", "Wagi", "Połączenia"],
        ["conv1", "290400", "34848", "105415200"],
        ["conv2", "186624", "307200", "223948800"]))
    assert all(answer.confidence == 1.0 for answer in extract(doc, networks=PAPER))
    slots = found(doc, PAPER)
    assert {q: slots[("alexnet", "conv1", q)] for q in (Q.UNITS, Q.WEIGHTS, Q.CONNECTIONS)} == {
        Q.UNITS: [290400], Q.WEIGHTS: [34848], Q.CONNECTIONS: [105415200]}
    assert not any(412398 in values for values in slots.values())


def test_keras_block_names_short_and_long_and_a_config_list_are_read_as_such():
    """"b3_conv1" is VGG16's conv3_1 as "block3_conv1" is, "block3_pool" its third pool; a config's
    "[256, 3]" (filters, kernel) counts no parameters. VGG16's conv3_1: (3·3·128 + 1)·256 = 295,168."""
    from grader.extract.layers import find_layers

    assert [m.key for m in find_layers("b3_conv1: 256, 3x3")] == ["conv3_1"]
    assert [m.key for m in find_layers("block3_pool (MaxPooling2D)")] == ["pool3"]
    slots = found(document("# VGG16", "b3_conv1: 256, 3x3, [params:295,168]", "{'conv5_b3': [256, 3]}"),
                  {"vgg16": (Q.PARAMS,)})
    assert slots[("vgg16", "conv3_1", Q.PARAMS)] == [295168]
    assert not any(768 in values for values in slots.values())


def test_a_cell_that_labels_its_own_values_gives_each_its_quantity():
    """A docstring listing aligned as a table, each row's last cell "[params:295,168, calc:…]": VGG16's
    conv3_1 and conv3_2 have 295,168 and (3·3·256 + 1)·256 = 590,080 parameters; "conn = 2 x wts = …"
    is working with symbols, no pairs."""
    slots = found(document("# VGG16", table(
        ["b3_conv1: 256, 3x3,", "[params:295,168, calc:925,646,848]"],
        ["b3_conv2: 256, 3x3,", "[params:590,080, calc:1,850,490,880]"],
        ["b3_conv3: 256, 3x3,", "[params:590,080, calc:1,850,490,880]"], header=False)), {"vgg16": (Q.PARAMS,)})
    assert [slots[("vgg16", f"conv3_{n}", Q.PARAMS)] for n in (1, 2, 3)] == [[295168], [590080], [590080]]
    from grader.extract.readings import _labelled_values

    assert _labelled_values("conn = 2 x wts = 75497472") == []
