"""extract() on Documents built by hand: each number in its slot, and nothing where it does not belong.

Every expected value is what the (invented) student wrote, or an expression worked by hand."""
from __future__ import annotations

from grader.core import Cell, Document, Quantity, Source, Table, TextLine
from grader.extract import extract

Q = Quantity
PAPER = {"alexnet": (Q.UNITS, Q.WEIGHTS, Q.CONNECTIONS)}
PARAMS = {"lenet5": (Q.PARAMS,), "alexnet": (Q.PARAMS,), "vgg16": (Q.PARAMS,), "vgg19": (Q.PARAMS,)}


class Doc:
    """Blocks in order; lines numbered as they are added."""

    def __init__(self) -> None:
        self.blocks: list = []
        self.line = 0

    def text(self, *texts: str, heading: int = 0) -> Doc:
        for text in texts:
            self.line += 1
            self.blocks.append(TextLine(text, Source(line=self.line), heading))
        return self

    def table(self, *rows: list[str], header: bool = True) -> Doc:
        start = self.line + 1
        cells = []
        for r, row in enumerate(rows):
            self.line += 1
            cells.append(tuple(Cell(t, Source(line=self.line, cell=f"r{r + 1}c{c + 1}")) for c, t in enumerate(row)))
        self.blocks.append(Table(tuple(cells), Source(line=start), has_header=header))
        return self

    def document(self) -> Document:
        return Document("hand.md", "markdown", tuple(self.blocks))


def slots(doc: Doc, networks) -> dict:
    found: dict = {}
    for answer in extract(doc.document(), networks=networks):
        found.setdefault((answer.network, answer.layer, answer.quantity), []).append(answer)
    return found


def values(found: dict, network: str, layer: str, quantity: Quantity) -> list:
    return [a.value for a in found.get((network, layer, quantity), [])]


# ------------------------------------------------------------------------------ tables


def test_header_columns_and_expressions():
    doc = Doc().text("## AlexNet").table(
        ["Layer", "Filters", "Output Size", "Parameter Count", "Note"],
        ["Conv 1", "96", "55 x 55 x 96", "(11 x 11 x 3 x 96) + 96 = 34944", "one tower"],
        ["Max Pool 1", "-", "27 x 27 x 96", "", ""],
        ["Conv2", "128 x 2", "27 x 27 x 256", "((5 x 5 x 48 x 128) + 128) x 2 = 307456", "Two GPU"],
        ["FC6", "", "", "(6 x 6 x 256) x 4096 + 4096 = 37752832", ""],
    )
    found = slots(doc, PARAMS)
    conv1 = found[("alexnet", "conv1", Q.PARAMS)][0]
    assert conv1.value == 34944 and conv1.computed == 34944 and conv1.confidence == 1.0
    assert conv1.source == Source(line=3, cell="r2c4")
    assert values(found, "alexnet", "conv1", Q.SHAPE) == [(55, 55, 96)]
    assert values(found, "alexnet", "pool1", Q.SHAPE) == [(27, 27, 96)]
    assert values(found, "alexnet", "conv2", Q.PARAMS) == [307456]
    assert values(found, "alexnet", "fc6", Q.PARAMS) == [37752832]
    # filter counts and notes are not answers
    assert not any(a.value in (96, 128, 256) for key, answers in found.items() for a in answers
                   if key[2] is not Q.SHAPE)


def test_fc_ordinals_tensor_shapes_and_a_trailing_output_row():
    doc = Doc().text("# AlexNet的参数数量").table(
        ["Layer Name", "tensor size", "weights", "bias", "parameters"],
        ["Input image", "$227\\times227\\times3$", "0", "0", "0"],
        ["FC1", "$4096\\times1$", "$(6\\times6\\times256)\\times4096$", "4096", "37752832"],
        ["FC2", "$4096\\times1$", "$4096\\times4096$", "4096", "16781312"],
        ["FC3", "$1000\\times1$", "$4096\\times1000$", "1000", "4097000"],
        ["Output", "$1000\\times1$", "0", "0", "0"],
        ["Total", "", "", "", "58631144"],
    )
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "input", Q.SHAPE) == [(227, 227, 3)]
    assert values(found, "alexnet", "fc6", Q.WEIGHTS) == [6 * 6 * 256 * 4096]
    assert values(found, "alexnet", "fc6", Q.SHAPE) == [(4096,)]  # an FC layer's shape is its units
    assert values(found, "alexnet", "fc7", Q.BIASES) == [4096]
    assert values(found, "alexnet", "fc8", Q.PARAMS) == [4097000]
    # the "Output" row after FC3 is the softmax output, not a second fc8 of zeros
    assert values(found, "alexnet", "fc8", Q.WEIGHTS) == [4096000]
    assert values(found, "alexnet", "total", Q.PARAMS) == [58631144]
    assert not values(found, "alexnet", "input", Q.WEIGHTS)


def test_rows_split_already_joined_and_units_column():
    doc = Doc().table(
        ["", "# Units", "# Weights", "# Connections"],
        ["Convolution Layer 1", "55 * 55 * 96 = 290400", "11 * 11 * 3 * 96 = 34848",
         "11 * 11 * 3 * 96 * 55 * 55 = 105415200 (Single tower here!)"],
        ["Fully Connected Layer 1", "4096", "9216 * 4096 = 37748736", "9216 * 4096 = 37748736"],
        ["Output Layer", "1000", "4096 * 1000 = 4096000", "4096 * 1000 = 4096000"],
    )
    found = slots(doc, PAPER)  # no network named: the only one asked
    assert values(found, "alexnet", "conv1", Q.UNITS) == [290400]
    assert values(found, "alexnet", "conv1", Q.CONNECTIONS) == [105415200]
    assert values(found, "alexnet", "fc6", Q.WEIGHTS) == [37748736]
    assert values(found, "alexnet", "fc8", Q.UNITS) == [1000]


def test_a_headerless_table_gives_the_result_after_the_equals():
    doc = Doc().text("Q1) LeNet5:").table(
        ["", "In", "out", "kernel", "Params"],
        ["Conv-1", "1", "6", "5", "$= 5 \\times 5 \\times 6 + 6 = 156$"],
        ["Pool-1", "6", "10", "5", "$=$"],
        ["Linear-1", "$16 \\times 5 \\times 5$", "120", "", "$= 16 \\times 5 \\times 5 \\times 120 + 120 = 48,120$"],
        header=False,
    ).text("Q2) Alexnet").table(
        ["Pool(Conv 1)", "1, 96, 11", "$= 11 \\times 11 \\times 96 + 96 = 11,712$"],
        ["Conv 3", "256, 384, 3", "$= 3 \\times 3 \\times 384 \\times 256 + 384 = 885,120$"],
        ["Linear-1", "6400, 4096", "$= 6400 \\times 4096 + 4096 = 26,218,496$"],
        header=False,
    )
    found = slots(doc, PARAMS)
    assert values(found, "lenet5", "conv1", Q.PARAMS) == [156]
    assert values(found, "lenet5", "fc1", Q.PARAMS) == [48120]
    assert not values(found, "lenet5", "pool1", Q.PARAMS)
    assert values(found, "alexnet", "conv1", Q.PARAMS) == [11712]  # "Pool(Conv 1)" is the convolution
    assert values(found, "alexnet", "conv3", Q.PARAMS) == [885120]
    assert values(found, "alexnet", "fc6", Q.PARAMS) == [26218496]  # Linear-1 of AlexNet
    every = [a.value for answers in found.values() for a in answers]
    assert 96 not in every and 6400 not in every and 120 not in every  # in/out/kernel are not answers


def test_vgg_style_rows_are_placed_by_position():
    doc = Doc().text("2. VGG19: activations and parameters").table(
        ["Layers", "Number of activations", "Parameters"],
        ["CONV3-64", "224*224*64", "(3*3*3)*64 = 1728"],
        ["CONV3-64", "224*224*64", "(3*3*64)*64 = 36864"],
        ["POOL2", "112*112*64", "0"],
        ["CONV3-128", "112*112*128", "(3*3*64)*128 = 73728"],
        ["CONV3-128", "112*112*128", "(3*3*128)*128 = 147456"],
        ["POOL2", "56*56*128", "0"],
        ["FC", "4096", "7*7*512*4096 = 102760448"],
    )
    found = slots(doc, PARAMS)
    assert values(found, "vgg19", "conv1_2", Q.PARAMS) == [36864]
    assert values(found, "vgg19", "pool1", Q.UNITS) == [112 * 112 * 64]
    assert values(found, "vgg19", "conv2_1", Q.PARAMS) == [73728]
    assert values(found, "vgg19", "pool2", Q.UNITS) == [56 * 56 * 128]  # the second "POOL2" row
    assert values(found, "vgg19", "fc6", Q.PARAMS) == [102760448]


def test_a_repeated_label_takes_the_next_layer():
    doc = Doc().text("AlexNet #Params").text(
        "1. #Params Conv 1 = 96 x 3 x 11 x 11 = 34848",
        "2. #Params Conv 2 = (256 x 96 x 5 x 5)/2 = 307200",
        "2. #Params Conv 3 = 384 x 256 x 3 x 3 = 884736",
        "3. #Params Conv 3 = (384 x 384 x 3 x 3)/2 = 663,552",
        "4. #Params Conv 3 = (256 x 384 x 3 x 3)/2 = 442,368",
    )
    found = slots(doc, PARAMS)
    assert values(found, "alexnet", "conv3", Q.PARAMS) == [884736]
    assert values(found, "alexnet", "conv4", Q.PARAMS) == [663552]
    assert values(found, "alexnet", "conv5", Q.PARAMS) == [442368]


def test_a_header_the_numbers_contradict():
    # a "# Connections" column holding the parameter counts (conv 5·5·96·256+256 = 614,656 ...)
    doc = Doc().text("AlexNet").table(
        ["Layer name", "# Filters", "# Connections"],
        ["Conv 1", "96", "34,944"],
        ["Conv 2", "256", "614,656"],
        ["Conv 3", "384", "885,120"],
        ["Conv 4", "384", "1,327,488"],
    )
    found = slots(doc, PAPER)
    # the student's label stands (the comparator names the mistake), but the slot is in doubt
    assert values(found, "alexnet", "conv2", Q.CONNECTIONS) == [614656]
    assert not values(found, "alexnet", "conv2", Q.PARAMS)
    assert all(a.confidence < 1 for a in found[("alexnet", "conv2", Q.CONNECTIONS)])


def test_parameters_without_biases_stay_parameters():
    doc = Doc().text("VGG19").table(
        ["Layers", "Parameters"], ["CONV3-64", "(3*3*3)*64 = 1728"], ["CONV3-64", "(3*3*64)*64 = 36864"],
        ["CONV3-128", "(3*3*64)*128 = 73728"],
    )
    found = slots(doc, PARAMS)
    assert values(found, "vgg19", "conv2_1", Q.PARAMS) == [73728]  # not moved to weights: biases missed
    assert found[("vgg19", "conv2_1", Q.PARAMS)][0].confidence == 0.9  # placed by position


def test_a_cell_that_names_its_own_layer():
    doc = Doc().text("Alexnet").table(
        ["Layer", "In", "Out", "Number of Parameters"],
        ["conv4", "384", "384", "(3*3)*384*384 + 384 = 1327488"],
        ["conv4", "384", "256", "conv5: (3*3)*384*256 + 256 = 884992"],
    )
    found = slots(doc, PARAMS)
    assert values(found, "alexnet", "conv4", Q.PARAMS) == [1327488]
    assert values(found, "alexnet", "conv5", Q.PARAMS) == [884992]


def test_a_keras_summary():
    doc = Doc().text("## AlexNet").table(
        ["Layer (type)", "Output Shape", "Param #"],
        ["conv2d (Conv2D)", "(None, 55, 55, 96)", "34944"],
        ["max_pooling2d (MaxPooling2D)", "(None, 27, 27, 96)", "0"],
        ["conv2d_1 (Conv2D)", "(None, 27, 27, 256)", "614656"],  # Keras counts from 0 after the first
        ["dense (Dense)", "(None, 4096)", "37752832"],
    ).text("Total params: 62,378,344", "Trainable params: 62,378,344", "Non-trainable params: 0")
    found = slots(doc, PARAMS)
    assert values(found, "alexnet", "conv1", Q.SHAPE) == [(55, 55, 96)]
    assert values(found, "alexnet", "conv2", Q.PARAMS) == [614656]
    assert values(found, "alexnet", "fc6", Q.SHAPE) == [(4096,)]
    assert values(found, "alexnet", "total", Q.PARAMS) == [62378344]
    assert 62378344 not in [a.value for key, answers in found.items() if key[1] != "total" for a in answers]


def test_a_table_turned_layers_across():
    doc = Doc().text("## AlexNet").table(
        ["", "Conv1", "Conv2", "FC6"], ["Units", "290,400", "186,624", "4096"],
        ["Weights", "34,848", "307,200", "37,748,736"],
    )
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "conv2", Q.UNITS) == [186624]
    assert values(found, "alexnet", "fc6", Q.WEIGHTS) == [37748736]


def test_a_table_of_one_layers_figures_under_its_heading():
    doc = Doc().text("## AlexNet").text("### Conv1", heading=3).table(
        ["Quantity", "Value"], ["Neurons", "55x55x96 = 290,400"], ["Weights", "34,848"], ["Connections", "105,415,200"],
    )
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "conv1", Q.UNITS) == [290400]
    assert values(found, "alexnet", "conv1", Q.CONNECTIONS) == [105415200]


def test_a_row_label_with_its_hyperparameters():
    doc = Doc().text("AlexNet").table(["Layer", "Neurons", "Weights"], ["Conv1 (11x11, stride 4)", "290400", "34848"])
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "conv1", Q.UNITS) == [290400]
    assert values(found, "alexnet", "conv1", Q.WEIGHTS) == [34848]


# ------------------------------------------------------------------------------ prose


def test_labelled_values_in_one_line():
    doc = Doc().text("## AlexNet").text(
        "Conv1: units = 55*55*96 = 290400, weights = 11*11*3*96 = 34848, connections = 105415200",
        "- **Conv2**: 27×27×256 = 186,624 neurons; 5×5×48×256 = 307,200 weights; 223,948,800 connections",
        "Output: 27x27x256",  # conv2's output, not the output layer
        "Total ≈ 62.4M parameters",
    )
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "conv1", Q.UNITS) == [290400]
    assert values(found, "alexnet", "conv1", Q.CONNECTIONS) == [105415200]
    assert values(found, "alexnet", "conv2", Q.UNITS) == [186624]
    assert values(found, "alexnet", "conv2", Q.WEIGHTS) == [307200]
    assert values(found, "alexnet", "conv2", Q.CONNECTIONS) == [223948800]
    assert values(found, "alexnet", "conv2", Q.SHAPE) == [(27, 27, 256)]
    assert not any(key[1] == "fc8" for key in found)
    total = found[("alexnet", "total", Q.PARAMS)][0]
    assert total.value == 62_400_000 and total.approximate


def test_chinese_sections_per_layer():
    doc = Doc().text(
        "**1. conv1层**", "输入图片：224\\*224\\*3", "卷积核大小：kernel=11\\*11\\*3,step=4", "卷积核种类：96",
        "神经元数量：55\\*55\\*96",
        "训练参数：（11\\*11\\*3+1）\\*96（每个滤波器11\\*11\\*3个参数和一个bias参数，一共96个滤波器）",
        "连接数：（11\\*11\\*3+1）\\*96 \\* 55 \\* 55",
        "1.3 pool1 核：3\\*3，步长：2，降采样后：27\\*27\\*96,   \\(55-3\\)/2+1",
        "**2. conv2层**", "输入图片：27\\*27\\*96", "神经元数量：27\\*27\\*256",
        "**6. F6层全连接层**", "输入：conv5输出", "可训练参数:4096\\*\\(9216+1\\)=37752832",
    )
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "input", Q.SHAPE) == [(224, 224, 3)]  # conv2's input is not the network's
    assert values(found, "alexnet", "conv1", Q.UNITS) == [290400]
    assert values(found, "alexnet", "conv1", Q.PARAMS) == [(121 * 3 + 1) * 96]  # not the remark's numbers
    assert values(found, "alexnet", "conv1", Q.CONNECTIONS) == [(121 * 3 + 1) * 96 * 55 * 55]
    assert values(found, "alexnet", "pool1", Q.SHAPE) == [(27, 27, 96)]
    assert values(found, "alexnet", "conv2", Q.UNITS) == [27 * 27 * 256]
    assert values(found, "alexnet", "fc6", Q.PARAMS) == [37752832]  # "输入：conv5输出" did not switch to conv5
    assert not any(key[1] == "conv5" for key in found)
    every = [a.value for answers in found.values() for a in answers]
    assert 96 not in every and 4 not in every  # filters and strides


def test_numbers_named_in_a_sentence():
    doc = Doc().text("## AlexNet").text(
        "The first convolutional layer has 290,400 neurons, 34,848 weights and 105,415,200 connections.",
        "Conv2 has 256 filters and 307,200 weights",
        "Total: 650,000 neurons, 60M parameters",
    )
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "conv1", Q.UNITS) == [290400]
    assert values(found, "alexnet", "conv1", Q.WEIGHTS) == [34848]
    assert values(found, "alexnet", "conv1", Q.CONNECTIONS) == [105415200]
    assert values(found, "alexnet", "conv2", Q.WEIGHTS) == [307200]
    assert 256 not in [a.value for answers in found.values() for a in answers]  # filters
    assert values(found, "alexnet", "total", Q.UNITS) == [650000]
    assert values(found, "alexnet", "total", Q.PARAMS) == [60_000_000]


def test_numbers_named_in_explanations():
    doc = Doc().text("## AlexNet").text(
        "Convolutional layer 1: The output is 55x55x96, so there are 290,400 neurons. Each neuron sees "
        "11x11x3 inputs, so the weights are 11x11x3x96 = 34,848. Connections: 105,415,200.",
        "There are 186,624 neurons in the second convolutional layer.",
        "In total, AlexNet has about 650K neurons and 60M parameters.",
    )
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "conv1", Q.UNITS) == [290400]
    assert values(found, "alexnet", "conv1", Q.WEIGHTS) == [34848]
    assert values(found, "alexnet", "conv1", Q.CONNECTIONS) == [105415200]
    assert values(found, "alexnet", "conv2", Q.UNITS) == [186624]
    assert values(found, "alexnet", "total", Q.UNITS) == [650_000]
    assert values(found, "alexnet", "total", Q.PARAMS) == [60_000_000]


def test_a_paragraph_of_worked_explanation_gives_its_worded_counts_unsurely():
    doc = Doc().text("LeNet-5", "### C1", heading=0).text(
        "For the convolutional layer C1, each pixel in C1 is connected to 5x5 pixels and 1 bias in the input "
        "image, so there are 156 x 28 x 28 = 122304 connections in total. There are 122,304 connections, but "
        "we only need to learn 156 parameters, mainly through weight sharing.")
    found = slots(doc, PARAMS)
    # under C1's heading, "122304 connections" and "156 parameters" are C1's, read with the
    # heading's layer: not sure enough to charge a wrong value
    assert values(found, "lenet5", "conv1", Q.CONNECTIONS) == [122304]
    assert values(found, "lenet5", "conv1", Q.PARAMS) == [156]
    assert all(a.confidence < 1 for answers in found.values() for a in answers)
    assert ("lenet5", "total", Q.CONNECTIONS) not in found  # "in total" qualifies C1's count


def test_prose_that_comes_back_to_a_layer():
    doc = Doc().text("## AlexNet").text(
        "Number of units in conv1: 290400", "conv2 的神经元数：186624", "Conv1 output: (55, 55, 96)")
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "conv1", Q.SHAPE) == [(55, 55, 96)]  # its numbers are conv1's, not conv3's
    assert values(found, "alexnet", "conv2", Q.UNITS) == [186624]
    assert not any(key[1] == "conv3" for key in found)


def test_a_label_then_its_value_lines_below():
    doc = Doc().text("9) VGG/6", "Conv1 3, 64, 3", "", "= 1792", "Pool Conv 2 64, 64, 3", "= 36928",
                     "Linear-3 4096, 1000", "= 4097000", "→ 138 357 544", "kernel size (2 in linear)")
    found = slots(doc, PARAMS)
    assert values(found, "vgg16", "conv1_1", Q.PARAMS) == [1792]
    assert values(found, "vgg16", "conv1_2", Q.PARAMS) == [36928]
    assert values(found, "vgg16", "fc8", Q.PARAMS) == [4097000]
    assert values(found, "vgg16", "total", Q.PARAMS) == [138357544]
    assert not any(2 in [a.value for a in answers] for answers in found.values())


def test_a_heading_names_the_quantity_of_unlabelled_working():
    doc = Doc().text("예제 1: AlexNet \\#Parameters", heading=3).text(
        "Conv Layer 1", "$$ 96 \\times 3 \\times 11 \\times 11 = 34,848 $$",
        "Linear Layer 3", "$$ 1000 \\times 4096 = 4,096,000 $$",
    ).text("예제 3: AlexNet \\#Activations", heading=3).text(
        "$$ 96 \\times 55 \\times 55 = 290,400 $$", "$$ 96 \\times 27 \\times 27 = 69,984 $$",
    ).text("예제 4: AlexNet \\#MACs", heading=3).text(
        "Conv Layer 1", "$$ 96 \\times 3 \\times 11 \\times 11 \\times 55 \\times 55 = 105,415,200 $$",
    )
    found = slots(doc, PAPER)
    # "#Parameters" whose figures are the weights, where the weights are asked: the weights
    assert values(found, "alexnet", "conv1", Q.WEIGHTS) == [34848]
    assert values(found, "alexnet", "fc8", Q.WEIGHTS) == [4096000]
    assert values(found, "alexnet", "conv1", Q.UNITS) == [290400]  # placed by its number alone
    assert values(found, "alexnet", "pool1", Q.UNITS) == [69984]
    assert found[("alexnet", "conv1", Q.UNITS)][0].confidence <= 0.5
    assert values(found, "alexnet", "conv1", Q.CONNECTIONS) == [105415200]


def test_totals_close_the_section_before():
    doc = Doc().text("Q1) LeNet5:", "Conv-1 = 5 x 5 x 6 + 6 = 156", "Q2) Alexnet $\\Rightarrow 61,706$",
                     "Conv 3 256, 384, 3 = 3 x 3 x 256 x 384 + 384 = 885,120", "ZFNET", "→ 885,120")
    found = slots(doc, PARAMS)
    assert values(found, "lenet5", "total", Q.PARAMS) == [61706]  # written on the next heading
    assert values(found, "alexnet", "total", Q.PARAMS) == [885120]  # written after "ZFNET", before its rows
    assert not values(found, "alexnet", "total", Q.PARAMS)[1:]


def test_a_network_and_its_total_on_one_line():
    doc = Doc().text("LeNet: 61,706", "AlexNet: 60,965,224", "VGG16 has 138,357,544 parameters.", "VGG19 = 143,667,240")
    found = slots(doc, PARAMS)
    assert values(found, "lenet5", "total", Q.PARAMS) == [61706]
    assert values(found, "alexnet", "total", Q.PARAMS) == [60965224]
    assert values(found, "vgg16", "total", Q.PARAMS) == [138357544]
    assert values(found, "vgg19", "total", Q.PARAMS) == [143667240]


def test_total_quantity_from_the_students_own_sum():
    doc = Doc().text("Table for Alexnet Parameters Counts").table(
        ["Layer", "Parameter Count"], ["Conv 1", "34944"], ["FC8", "4097000"],
    ).text("\\*\\*Total Number\\*\\*", "34944 + 4097000 = 4131944")
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "total", Q.PARAMS) == [4131944]


def test_a_section_is_moved_to_the_variant_its_numbers_fit():
    paper = ["Pool Conv 1 = 11 x 11 x 3 x 96 + 96 = 34944", "Pool Conv 2 = 5 x 5 x 48 x 256 + 256 = 307456",
             "Conv 3 = 3 x 3 x 256 x 384 + 384 = 885120", "Linear-2 = 4096 x 4096 + 4096 = 16781312"]
    torchvision = ["Pool Conv 1 = 11 x 11 x 3 x 64 + 64 = 23296", "Pool Conv 2 = 5 x 5 x 64 x 192 + 192 = 307392",
                   "Conv 3 = 3 x 3 x 192 x 384 + 384 = 663936", "Conv 4 = 3 x 3 x 384 x 256 + 256 = 884992",
                   "Pool Conv 5 = 3 x 3 x 256 x 256 + 256 = 590080"]
    found = slots(Doc().text("Q2) Alexnet", *paper).text("Alexnet with 61M", *torchvision), PARAMS)
    assert values(found, "alexnet", "conv1", Q.PARAMS) == [34944]
    assert values(found, "alexnet-torchvision", "conv1", Q.PARAMS) == [23296]
    assert values(found, "alexnet-torchvision", "conv5", Q.PARAMS) == [590080]
    # alone, the same numbers stay AlexNet's: the comparator can then name the wrong variant
    alone = slots(Doc().text("Alexnet", *torchvision), PARAMS)
    assert values(alone, "alexnet", "conv1", Q.PARAMS) == [23296]


def test_numbers_of_a_network_that_is_not_shipped_go_nowhere():
    doc = Doc().text("LeNet-5 Model", heading=3).text("- Convolutional Layer 1: (5×5×1+1)×6 = 156 parameters")
    doc.text("Custom MLP Model", heading=3).text("- First Layer: 784×80+80 = 62,880 parameters",
                                                 "- **Total Parameters**: 64,630")
    found = slots(doc, PARAMS)
    assert values(found, "lenet5", "conv1", Q.PARAMS) == [156]
    every = [a.value for answers in found.values() for a in answers]
    assert 62880 not in every and 64630 not in every


def test_unplaceable_numbers_when_several_networks_are_asked():
    doc = Doc().text("Some layer: 12345 = 12345")
    assert extract(doc.document(), networks=PARAMS) == ()


def test_empty_document():
    assert extract(Document("empty.md", "markdown", ()), networks=PAPER) == ()



def test_vgg_notation_after_a_numbered_layer_holds_no_number_of_the_working():
    # "FC-4096" is a layer's name, its 4096 no factor of "(7·7·512 + 1)·4096": 25,089·4,096 =
    # 102,764,544, VGG16's fc6 with its biases (a factor more would make an arithmetic slip of it)
    from extract_helpers import PARAMS, Q, document

    doc = document("# VGG16", "Layer 14  FC-4096   (7*7*512 + 1)*4096 = 102,764,544")
    (fc6,) = [a for a in extract(doc, networks=PARAMS) if (a.layer, a.quantity) == ("fc6", Q.PARAMS)]
    assert fc6.value == fc6.computed == 102764544


def test_a_code_comment_after_a_value_is_a_note_not_the_value():
    # LeNet-5 fc1: (16·5·5 + 1)·120 = 48,120 parameters; the comment's 400 is its input count
    from extract_helpers import PARAMS, Q, document, found

    doc = document("lenet5:            # 32x32x1 input, max pooling => pools have 0 params",
                   "  conv1: 156", "  fc1: 48120       # 16*5*5 = 400 inputs", "  fc8: 4096000 // 4096 * 1000")
    got = found(doc, PARAMS)
    assert got[("lenet5", "fc1", Q.PARAMS)] == [48120]
    # the input's shape on the network's line, and the pools' zero, are no total
    assert ("lenet5", "total", Q.PARAMS) not in got
    # "#" after a layer's number is "number of": AlexNet conv1 after pooling, 27·27·96 = 69,984
    got = found(document("# AlexNet", "Conv 1 # Units: 27 x 27 x 96 = 69,984", "CONV2 # Weights: 307,200"),
                {"alexnet": (Q.UNITS, Q.WEIGHTS)})
    assert got[("alexnet", "conv1", Q.UNITS)] == [69984]
    assert got[("alexnet", "conv2", Q.WEIGHTS)] == [307200]


def test_a_dataframes_index_column_numbers_rows_and_counts_nothing():
    # torchvision's AlexNet: 61,100,840 parameters in all; the total row's index 2 is no total
    from extract_helpers import PARAMS, Q, document, found, table

    doc = document("# AlexNet", table(["", "layer", "params"], ["0", "conv1", "23296"], ["1", "fc8", "4097000"],
                                      ["2", "total", "61100840"]))
    got = found(doc, PARAMS)
    assert got[("alexnet", "total", Q.PARAMS)] == [61100840]
    assert got[("alexnet", "conv1", Q.PARAMS)] == [23296]


def test_a_table_of_networks_gives_each_its_total_and_no_parts_sum_as_one():
    # VGG16 138,357,544 and VGG19 143,667,240 parameters; "conv params" counts a part of each
    from extract_helpers import PARAMS, Q, document, found, table

    doc = document("# Parameter counts", table(["model", "conv params", "fc params", "total params"],
                                               ["vgg16", "14714688", "123642856", "138357544"],
                                               ["vgg19", "20024384", "123642856", "143667240"]))
    got = found(doc, PARAMS)
    assert got[("vgg16", "total", Q.PARAMS)] == [138357544]
    assert got[("vgg19", "total", Q.PARAMS)] == [143667240]
    assert not any(layer != "total" for _, layer, _ in got)


def test_a_share_written_with_a_decimal_comma_is_no_count():
    from extract_helpers import PAPER, Q, document, found

    doc = document("# AlexNet", "fc6 weights: 37 748 736", "Больше всего весов в слое fc6: 61,9 % от всех весов.")
    got = found(doc, PAPER)
    assert got[("alexnet", "fc6", Q.WEIGHTS)] == [37748736]
    assert not any(61 in values for values in got.values())


def test_a_blocks_list_of_values_gives_each_of_its_layers_one():
    # VGG19 block 3 (four convolutions): (3·3·128 + 1)·256 = 295,168, then (3·3·256 + 1)·256 = 590,080
    # three times; fc6-fc8: 102,764,544, 16,781,312, 4,097,000
    from extract_helpers import PARAMS, Q, document, found

    doc = document("vgg19:             # same as vgg16 plus conv3_4, conv4_4, conv5_4",
                   "  conv3: [295168, 590080, 590080, 590080]", "  fc: [102764544, 16781312, 4097000]",
                   "  conv1: [1792, 36928, 5]")  # not as long as block 1: no layer's
    got = found(doc, PARAMS)
    assert [got[("vgg19", f"conv3_{k}", Q.PARAMS)] for k in range(1, 5)] == [[295168], [590080], [590080], [590080]]
    assert [got[("vgg19", f"fc{k}", Q.PARAMS)] for k in (6, 7, 8)] == [[102764544], [16781312], [4097000]]
    assert ("vgg19", "conv1_1", Q.PARAMS) not in got and ("vgg16", "conv3_1", Q.PARAMS) not in got


def test_a_share_column_and_a_part_column_beside_the_whole_hold_no_answers():
    # conv2, two towers: 5·5·48·256 = 307,200 weights, 153,600 on each GPU; 186,624 units, 93,312
    # on each; 307,200 of AlexNet's 60,954,656 weights is 0.504 %
    doc = Doc().text("## AlexNet").table(
        ["Layer", "Weights", "", "Units", "", "Share of weights (%)"],
        ["", "per GPU", "total", "per GPU", "total", ""],
        ["conv2", "153,600", "307,200", "93,312", "186,624", "0.504"],
    )
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "conv2", Q.WEIGHTS) == [307_200]
    assert values(found, "alexnet", "conv2", Q.UNITS) == [186_624]


def test_a_part_column_alone_is_the_students_answer():
    # only the one-tower figure given: the student's answer (the comparator names it), not dropped
    doc = Doc().text("## AlexNet").table(["Layer", "Weights per GPU"], ["conv2", "153,600"])
    assert values(slots(doc, PAPER), "alexnet", "conv2", Q.WEIGHTS) == [153_600]


def test_a_percent_column_of_a_count_is_no_count():
    doc = Doc().table(["Schicht", "Gewichte", "Anteil Gewichte in %"], ["CONV1", "34848", "0,057"],
                      ["FC6", "37748736", "61,929"])
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "conv1", Q.WEIGHTS) == [34_848]
    assert values(found, "alexnet", "fc6", Q.WEIGHTS) == [37_748_736]


def test_a_long_form_table_that_names_each_layer_once():
    # "conv1 | units | …" then rows whose label cell is blank: the same layer's other quantities;
    # "same as weights" gives the connections the row's weights (fc6: 6·6·256·4096 = 37,748,736)
    doc = Doc().text("## AlexNet").table(
        ["conv1", "units", "55*55*96"],
        ["", "weights", "11*11*3*96"],
        ["", "conn", "(55*55*96) * (11*11*3)"],
        ["fc6", "units", "4096"],
        ["", "weights", "(6*6*256) * 4096"],
        ["", "conn", "same as weights"],
        header=False,
    )
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "conv1", Q.UNITS) == [290_400]
    assert values(found, "alexnet", "conv1", Q.WEIGHTS) == [34_848]
    assert values(found, "alexnet", "conv1", Q.CONNECTIONS) == [105_415_200]
    assert values(found, "alexnet", "fc6", Q.WEIGHTS) == [37_748_736]
    assert values(found, "alexnet", "fc6", Q.CONNECTIONS) == [37_748_736]
    assert all(a.confidence == 1.0 for group in found.values() for a in group)


def test_an_fc_layers_map_written_channels_first_is_one_by_one_by_channels():
    # "4096x1x1" (C×H×W, as a table of PyTorch shapes writes it) is fc6's 1×1×4096; "4096 x 1" is (4096,)
    doc = Doc().text("## AlexNet").table(["Layer", "Output shape"], ["FC6", "4096x1x1"], ["FC7", "4096 x 1"],
                                         ["FC8", "1 x 1 x 1000"])
    found = slots(doc, PAPER)
    assert values(found, "alexnet", "fc6", Q.SHAPE) == [(1, 1, 4096)]
    assert values(found, "alexnet", "fc7", Q.SHAPE) == [(4096,)]
    assert values(found, "alexnet", "fc8", Q.SHAPE) == [(1, 1, 1000)]
