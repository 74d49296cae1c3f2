"""The general mechanisms of the extractor on documents written by hand: shapes normalised by
their structure, a section's network decided by the layer sequence its rows follow, parameters
told from weights by what the text says of biases, and readings the extractor is unsure of.

Every expected value is what the (invented) student wrote, or worked by hand from it."""
from __future__ import annotations

from extract_helpers import PAPER, PARAMS, Q, document, found, table

from grader.extract import extract

SHAPES = {"alexnet": (Q.SHAPE, Q.PARAMS)}


def test_shapes_in_framework_orders_are_height_width_channels():
    doc = document(
        "## AlexNet summary",
        table(["Layer (type:depth-idx)", "Output Shape", "Param #"],
              ["Conv2d: 1-1", "[1, 96, 55, 55]", "34,944"],      # torchinfo: batch first, channels first
              ["MaxPool2d: 1-2", "[-1, 96, 27, 27]", "--"],       # torchsummary
              ["Conv2d: 1-3", "(None, 27, 27, 256)", "614,656"]),  # Keras: batch first, channels last
        "conv3 output: 384 × 13 × 13",                            # channels first, written by hand
    )
    got = found(doc, SHAPES)
    assert got[("alexnet", "conv1", Q.SHAPE)] == [(55, 55, 96)]
    assert got[("alexnet", "pool1", Q.SHAPE)] == [(27, 27, 96)]
    assert got[("alexnet", "conv2", Q.SHAPE)] == [(27, 27, 256)]
    assert got[("alexnet", "conv3", Q.SHAPE)] == [(13, 13, 384)]
    assert got[("alexnet", "conv1", Q.PARAMS)] == [34944]


def _vgg_listing(convs_per_block: tuple[int, ...]) -> list[list[str]]:
    """A VGG table named by kernel and filters ("CONV3-64"), with each conv's parameters with biases
    worked by hand: (3·3·Cin + 1)·Cout."""
    rows, channels = [["Layer", "Parameters"]], 3
    for block, convs in enumerate(convs_per_block):
        filters = (64, 128, 256, 512, 512)[block]
        for _ in range(convs):
            rows.append([f"CONV3-{filters}", str((9 * channels + 1) * filters)])
            channels = filters
        rows.append(["POOL2", "0"])
    return rows


def test_a_table_headed_vgg19_that_lists_vgg16s_layers_is_vgg16s():
    got = found(document("## VGG19", table(*_vgg_listing((2, 2, 3, 3, 3)))), PARAMS)
    assert got[("vgg16", "conv3_3", Q.PARAMS)] == [590080]  # 3·3·256·256 + 256
    assert got[("vgg16", "pool3", Q.PARAMS)] == [0]
    assert got[("vgg16", "conv5_3", Q.PARAMS)] == [2359808]
    assert not any(network == "vgg19" and value for (network, _, _), values in got.items() for value in values)


def test_a_table_headed_vgg16_that_lists_vgg19s_layers_is_vgg19s():
    got = found(document("## VGG16", table(*_vgg_listing((2, 2, 4, 4, 4)))), PARAMS)
    assert got[("vgg19", "conv3_4", Q.PARAMS)] == [590080]
    assert got[("vgg19", "conv5_4", Q.PARAMS)] == [2359808]


def test_a_listing_of_only_the_convolutions_keeps_the_network_it_names():
    rows = [r for r in _vgg_listing((2, 2, 3, 3, 3)) if r[0] != "POOL2"]
    got = found(document("## VGG16", table(*rows)), PARAMS)
    assert got[("vgg16", "conv5_3", Q.PARAMS)] == [2359808]


def test_parameters_that_are_the_weights_answer_the_weights_asked():
    doc = document(
        "Parameters of AlexNet, one line a layer:",
        "1. #Params Conv 1 = 96 x 3 x 11 x 11 = 34,848",
        "2. #Params Conv 2 = (256 x 96 x 5 x 5) / 2 = 307,200",
        "3. #Params Conv 3 = 384 x 256 x 3 x 3 = 884,736",
    )
    got = found(doc, PAPER)
    assert got[("alexnet", "conv2", Q.WEIGHTS)] == [307200]
    assert ("alexnet", "conv2", Q.PARAMS) not in got


def test_parameters_with_their_biases_stay_parameters():
    doc = document(
        "Parameters of AlexNet:",
        "1. #Params Conv 1 = (11 x 11 x 3 + 1) x 96 = 34,944",
        "2. #Params Conv 2 = (5 x 5 x 48 + 1) x 256 = 307,456",
    )
    got = found(doc, PAPER)
    assert got[("alexnet", "conv1", Q.PARAMS)] == [34944]
    assert got[("alexnet", "conv2", Q.PARAMS)] == [307456]
    # where the parameters are asked, a count short of its biases stays a parameter count
    assert found(document("AlexNet", "conv2 parameters: 307,200"), PARAMS)[("alexnet", "conv2", Q.PARAMS)] == [307200]


def test_numbers_that_describe_a_layer_are_no_answers_without_a_word():
    doc = document(
        "## AlexNet",
        "Conv1: 96 kernels of 11x11x3, stride 4",
        "Conv1: parameters 11x11x3x96+96 = 34944",
        "Conv2: 256 个 5x5x48 卷积核",
        "Conv2: 参数数量 5x5x48x256+256 = 307456",
    )
    got = found(doc, PARAMS)
    assert got[("alexnet", "conv1", Q.PARAMS)] == [34944]
    assert got[("alexnet", "conv2", Q.PARAMS)] == [307456]
    # a word makes the filter count a count: conv1 has 96 biases
    assert found(document("## AlexNet", "Conv1 biases: 96"), PARAMS)[("alexnet", "conv1", Q.BIASES)] == [96]


def test_a_result_then_the_next_product_is_not_one_product_with_a_sign_dropped():
    from grader.extract.regions import read_values

    # the side of pool2's map ((112-2)/2+1 = 56), then its units 56·56·128 = 401,408
    assert [p.value for p in read_values("（112-2）/2+1=56 56*56*128")] == [401408, 56]
    assert [p.value for p in read_values("(5 5 + 1) 6 28 28 = 122304")] == [122304]  # signs dropped


def test_an_fc_output_written_one_by_one_by_depth_stays_as_written():
    got = found(document("## AlexNet", "FC6: [1x1x4096] weights: 6*6*256*4096 = 37,748,736"), SHAPES)
    assert got[("alexnet", "fc6", Q.SHAPE)] == [(1, 1, 4096)]


def test_a_paragraph_under_a_layer_heading_gives_the_numbers_its_words_name():
    doc = document(
        "# LeNet-5",
        "## C1 层",
        "这一层的输入是 32x32x1 的图像，过滤器尺寸为 5x5，深度为 6，不使用全 0 填充，步长为 1，所以输出的尺寸为"
        " 32-5+1=28，深度为 6。这个卷积层总共有 5x5x1x6+6=156 个参数，其中 6 个为偏置项参数。下一层的节点矩阵有"
        " 28x28x6=4704 个节点，每个节点和 5x5=25 个当前层节点相连，所以本层总共有 4704x(25+1)=122304 个连接。",
    )
    got = found(doc, PARAMS)
    assert got[("lenet5", "conv1", Q.PARAMS)] == [156]
    assert got[("lenet5", "conv1", Q.CONNECTIONS)] == [122304]
    answers = {a.quantity: a for a in extract(doc, networks=PARAMS) if a.layer == "conv1"}
    assert answers[Q.CONNECTIONS].confidence < 1  # the layer came from the heading, not the sentence
    assert ("lenet5", "total", Q.PARAMS) not in got  # "总共" qualifies C1's count here


def test_a_block_of_layers_holds_no_single_layers_count():
    doc = document("## VGG16 parameters by block", "conv3-64 x 2 : 38,720", "conv3-128 x 2 : 221,440",
                   "fc6 : 102,764,544")
    got = found(doc, PARAMS)
    assert got[("vgg16", "fc6", Q.PARAMS)] == [102764544]
    assert not {38720, 221440} & {v for values in got.values() for v in values}


def test_a_scale_word_with_its_point_does_not_end_the_sentence():
    # (307,3 thousand fits no figure: only the word after the point can say it counts weights)
    got = found(document("## AlexNet", "Die Schicht conv2 hat 307,3 Tsd. Gewichte."), PAPER)
    assert got[("alexnet", "conv2", Q.WEIGHTS)] == [307300]


def test_a_number_grouped_with_narrow_spaces_is_one_number():
    got = found(document("## AlexNet", "conv1 connections: 105\u202f415\u202f200"), PAPER)
    assert got[("alexnet", "conv1", Q.CONNECTIONS)] == [105415200]


def test_a_memory_in_bytes_is_no_count():
    got = found(document("## AlexNet", "conv1 memory: 55*55*96 = 290,400", "conv2 memory: 746,496 bytes",
                         "conv3 memory (KB): 254"), PAPER)
    assert got[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert ("alexnet", "conv2", Q.UNITS) not in got and ("alexnet", "conv3", Q.UNITS) not in got


def test_a_number_read_by_the_ocr_is_no_surer_than_the_ocr():
    from grader.core import Cell, Document, Source, Table, TextLine

    def cell(text: str, confidence: float) -> Cell:
        return Cell(text, Source(line=2, cell="r", ocr_confidence=confidence))

    doc = Document("photo.png", "image", (
        TextLine("AlexNet", Source(line=1), 1),
        Table(((cell("layer", 0.99), cell("weights", 0.99)), (cell("conv1", 0.98), cell("34,848", 0.42))),
              Source(line=2)),
    ))
    (answer,) = [a for a in extract(doc, networks=PAPER) if a.layer == "conv1"]
    assert answer.value == 34848 and answer.confidence == 0.42



def test_a_header_over_two_rows_names_each_column_by_both():
    doc = document("## AlexNet", table(
        ["Capa", "Salida", "", "Pesos (sin sesgos)", "Conexiones"],
        ["", "dimensiones", "neuronas", "total", "total"],
        ["conv1", "55×55×96", "290.400", "34.848", "105.415.200"],
        ["conv2", "27×27×256", "186.624", "307.200", "223.948.800"]))
    got = found(doc, {"alexnet": (Q.UNITS, Q.WEIGHTS, Q.CONNECTIONS, Q.SHAPE)})
    assert got[("alexnet", "conv1", Q.SHAPE)] == [(55, 55, 96)]
    assert got[("alexnet", "conv2", Q.UNITS)] == [186624]
    assert got[("alexnet", "conv2", Q.WEIGHTS)] == [307200]
    assert got[("alexnet", "conv2", Q.CONNECTIONS)] == [223948800]
    assert not any(q is Q.BIASES for (_, _, q) in got)


def test_a_symbol_of_the_students_own_is_what_its_worked_value_counts():
    doc = document(
        "# AlexNet",
        "Verbindungen einer Faltungsschicht: V = W · H · B",
        "## Faltungsschicht 2 (conv2)",
        "W &= 5·5·96·256 = 614 400",  # the towers merged: conv2's weights under that mistake
        "V &= W·27² = 614 400·729 = 447 897 600",
    )
    got = found(doc, PAPER)
    assert got[("alexnet", "conv2", Q.WEIGHTS)] == [614400]
    assert got[("alexnet", "conv2", Q.CONNECTIONS)] == [447897600]


def test_a_label_joining_two_counts_with_a_slash_names_both():
    got = found(document("# LeNet-5", "## C5", "Trainable parameters / connections: (5*5*16 + 1) * 120 = 48120"), PARAMS)
    assert got[("lenet5", "fc1", Q.PARAMS)] == [48120]
    assert got[("lenet5", "fc1", Q.CONNECTIONS)] == [48120]


def test_an_ordinal_alone_goes_on_counting_the_layers_named_before():
    doc = document("# AlexNet", "The third convolutional layer gives 64,896 neurons and 884,736 weights. The fourth "
                   "(384 kernels of 3×3×192) has 663,552 weights, and the fifth (256 kernels) has 442,368 weights.")
    got = found(doc, PAPER)
    assert got[("alexnet", "conv4", Q.WEIGHTS)] == [663552]
    assert got[("alexnet", "conv5", Q.WEIGHTS)] == [442368]
    assert got[("alexnet", "conv3", Q.WEIGHTS)] == [884736]


def test_totals_and_the_output_layer_named_in_other_languages():
    doc = document("## LeNet-5", table(["Warstwa", "Parametry"], ["C1", "156"], ["Wyjście", "850"], ["Razem", "61 706"]))
    got = found(doc, PARAMS)
    assert got[("lenet5", "fc3", Q.PARAMS)] == [850]
    assert got[("lenet5", "total", Q.PARAMS)] == [61706]
    doc = document("## AlexNet", table(["Layer", "Neurons"], ["conv1", "290,400"], ["Total (conv + fc)", "659,272"]))
    assert found(doc, PAPER)[("alexnet", "total", Q.UNITS)] == [659272]


def test_a_blocks_total_is_no_networks_total():
    # VGG16 block1: conv1_1 (3·3·3 + 1)·64 = 1,792 and conv1_2 (3·3·64 + 1)·64 = 36,928, 38,720 together
    doc = document("# VGG16", table(["block", "layer", "params"], ["block1", "conv1_1", "1792"],
                                    ["block1", "conv1_2", "36928"], ["block1", "block total", "38720"]))
    got = found(doc, PARAMS)
    assert got[("vgg16", "conv1_2", Q.PARAMS)] == [36928]
    assert ("vgg16", "total", Q.PARAMS) not in got


def test_a_value_far_below_every_figure_of_an_inferred_slot_is_no_answer():
    # LeNet-5 C1: 28·28·6 = 4,704 neurons; the 28 of "28 28 6" (signs dropped) is its map's side
    doc = document("# LeNet-5", "## C1 layer", "Output featuremap size: 28 * 28", "Number of neurons: 28 28 6")
    got = found(doc, {"lenet5": (Q.UNITS,)})
    assert got[("lenet5", "conv1", Q.UNITS)] == [4704]
