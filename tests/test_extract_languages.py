"""Answers in the languages the course is taught in, read end to end (documents written by hand).

AlexNet as in the paper (input 227, two towers): conv1 has 55·55·96 = 290,400 units, 11·11·3·96 =
34,848 weights and 34,848·55·55 = 105,415,200 connections; conv2 27·27·256 = 186,624 units, 5·5·48·256
= 307,200 weights, 307,200·27·27 = 223,948,800 connections. Each language writes its digits its way:
dots or spaces for thousands, 万 and 億 for ten thousands and hundred millions."""
from __future__ import annotations

import pytest

from extract_helpers import PAPER, Q, document, found, table

CONV1 = {Q.UNITS: 290_400, Q.WEIGHTS: 34_848, Q.CONNECTIONS: 105_415_200}
CONV2 = {Q.UNITS: 186_624, Q.WEIGHTS: 307_200, Q.CONNECTIONS: 223_948_800}

PROSE = {
    "ru": ["# AlexNet", "Первый свёрточный слой: 290 400 нейронов, 34 848 весов, 105 415 200 связей.",
           "Второй свёрточный слой: 186 624 нейрона, 307 200 весов, 223 948 800 связей."],
    "de": ["# AlexNet", "Faltungsschicht 1: 290.400 Neuronen, 34.848 Gewichte, 105.415.200 Verbindungen.",
           "Faltungsschicht 2: 186.624 Neuronen, 307.200 Gewichte, 223.948.800 Verbindungen."],
    "fr": ["# AlexNet", "Couche de convolution 1 : 290 400 neurones, 34 848 poids, 105 415 200 connexions.",
           "Couche de convolution 2 : 186 624 neurones, 307 200 poids, 223 948 800 connexions."],
    "vi": ["# AlexNet", "Lớp tích chập 1: số nơ-ron 290.400, số trọng số 34.848, số kết nối 105.415.200.",
           "Lớp tích chập 2: số nơ-ron 186.624, số trọng số 307.200, số kết nối 223.948.800."],
}

TABLES = {
    "es": [["Capa", "Neuronas", "Pesos", "Conexiones"],
           ["Capa convolucional 1", "290.400", "34.848", "105.415.200"],
           ["Capa convolucional 2", "186.624", "307.200", "223.948.800"]],
    "pt": [["Camada", "Neurônios", "Pesos", "Conexões"],
           ["Camada de convolução 1", "290 400", "34 848", "105 415 200"],
           ["Camada de convolução 2", "186 624", "307 200", "223 948 800"]],
    "tr": [["Katman", "Nöron sayısı", "Ağırlık sayısı", "Bağlantı sayısı"],
           ["Evrişim katmanı 1", "290.400", "34.848", "105.415.200"],
           ["Evrişim katmanı 2", "186.624", "307.200", "223.948.800"]],
    "id": [["Lapisan", "Jumlah neuron", "Jumlah bobot", "Jumlah koneksi"],
           ["Lapisan konvolusi 1", "290.400", "34.848", "105.415.200"],
           ["Lapisan konvolusi 2", "186.624", "307.200", "223.948.800"]],
    "ja": [["層", "ニューロン数", "重みの数", "結合数"],
           ["畳み込み層1", "290,400", "34,848", "105,415,200"],
           ["畳み込み層2", "18万6624", "30万7200", "2億2394万8800"]],  # every digit written
}


def _check(slots: dict) -> None:
    for layer, figures in (("conv1", CONV1), ("conv2", CONV2)):
        for quantity, value in figures.items():
            assert slots.get(("alexnet", layer, quantity)) == [value], (layer, quantity)


@pytest.mark.parametrize("language", PROSE)
def test_prose_in_every_language(language):
    _check(found(document(*PROSE[language]), PAPER))


@pytest.mark.parametrize("language", TABLES)
def test_tables_in_every_language(language):
    _check(found(document("# AlexNet", table(*TABLES[language])), PAPER))


def test_a_document_that_groups_with_dots_writes_its_decimals_with_a_comma():
    """AlexNet in German: 290.400 neurons; "34,848 Tsd." is 34.848 thousand, the 11 · 11 · 3 · 96 =
    34,848 weights, not 34,848 thousand; an English text's "34,848K" stays 34,848 thousand."""
    slots = found(document(
        "## AlexNet",
        "conv1: Neuronen 55 · 55 · 96 = 290.400, Gewichte 34,848 Tsd.",
        "conv3: Neuronen 64.896, Gewichte 884.736",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    slots = found(document("## AlexNet", "conv1: 290,400 neurons, weights 34,848K"), PAPER)
    assert slots[("alexnet", "conv1", Q.WEIGHTS)] == [34848000]


def test_japanese_numbers_leave_out_the_zeros_after_man_and_write_digits_full_width():
    """AlexNet in Japanese: conv1 290,400 neurons ("29万400"), conv3 149,520,384 connections
    ("1億4952万384"); fc6 "４０９６" neurons and 9216 × 4096 = 37,748,736 weights after an ideographic comma."""
    slots = found(document(
        "## AlexNet",
        "### conv1",
        "- ニューロン数：55×55×96 ＝ **29万400**",
        "### conv3",
        "- 結合数：88万4736 × 169 ＝ **1億4952万384**",
        "### fc6",
        "- ニューロン数 **４０９６**、重み 9216×4096 ＝ **3774万8736**、結合数 **3774万8736**",
    ), PAPER)
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv3", Q.CONNECTIONS)] == [149520384]
    assert slots[("alexnet", "fc6", Q.UNITS)] == [4096]
    assert slots[("alexnet", "fc6", Q.WEIGHTS)] == [37748736]


def test_traditional_chinese_and_taiwans_words_are_read_as_simplified():
    """A Taiwan student's answer, and a page machine-converted to Taiwan's words (引數 for 参数,
    全連線層 for 全连接层): the same slots as the Simplified vocabulary reads. conv1 of AlexNet:
    290,400 units; (11·11·3 + 1)·96 = 34,944 parameters; conv2 as CONV2 above; fc6 (6·6·256 + 1)·4096
    = 37,752,832."""
    params = {"alexnet": (Q.UNITS, Q.PARAMS)}
    slots = found(document("# AlexNet", "第一個卷積層: 節點數量 290,400, 參數數量 34,944。",
                           "卷積層2: 神經元數量 186,624, 權重 307,200, 連接數 223,948,800",
                           "第一個全連線層的引數: (6*6*256+1)*4096 = 37752832"), params)
    assert {q: slots[("alexnet", "conv2", q)] for q in CONV2} == {q: [v] for q, v in CONV2.items()}
    assert slots[("alexnet", "conv1", Q.UNITS)] == [290400]
    assert slots[("alexnet", "conv1", Q.PARAMS)] == [34944]
    assert slots[("alexnet", "fc6", Q.PARAMS)] == [37752832]


def test_japanese_kanji_are_not_taken_for_traditional_chinese():
    """Japanese writes 層 and 數-like kanji too: a text with kana keeps its characters, and its own
    vocabulary reads it (conv1 of AlexNet: 34,848 weights)."""
    from grader.extract.scripts import simplified

    japanese = document("# AlexNet", "第1畳み込み層の重み: 34,848")
    assert simplified(japanese) is japanese
    assert found(japanese, PAPER)[("alexnet", "conv1", Q.WEIGHTS)] == [34848]


def test_a_question_about_one_layer_heads_the_answer_below_it_and_a_dash_labels_like_a_colon():
    """A numbered Q&A that copies each question: the question names the layer, the answer line below
    names the quantities, each with a dash before its value (Russian typography)."""
    slots = found(document(
        "# AlexNet",
        "Вопрос 1. Сколько нейронов, весов и связей в слое conv1?",
        "Ответ: нейронов — 290 400; весов — 11·11·3·96 = 34 848; связей — 34 848 · 55 · 55 = 105 415 200.",
        "Question 2. How many neurons, weights and connections are in conv2?",
        "Answer: neurons: 186,624; weights: 5·5·48·256 = 307,200; connections: 223,948,800."), PAPER)
    assert {q: slots[("alexnet", "conv1", q)] for q in CONV1} == {q: [v] for q, v in CONV1.items()}
    assert {q: slots[("alexnet", "conv2", q)] for q in CONV2} == {q: [v] for q, v in CONV2.items()}


def test_a_japanese_weights_header_that_says_without_biases_is_the_weights():
    # 重み数（バイアスなし）: "number of weights (no biases)"; AlexNet conv1 11·11·3·96 = 34,848
    doc = document("# AlexNet", table(["層", "ユニット数", "重み数（バイアスなし）"],
                                      ["conv1", "290,400", "11×11×3×96 ＝ 34,848"]))
    got = found(doc, PAPER)
    assert got[("alexnet", "conv1", Q.WEIGHTS)] == [34848]
    assert ("alexnet", "conv1", Q.BIASES) not in got


def test_full_width_digits_grouped_with_full_width_commas_are_one_number():
    doc = document("# AlexNet", table(["層", "ユニット数", "重み数"], ["fc8", "１，０００", "４，０９６，０００"]))
    got = found(doc, PAPER)
    assert got[("alexnet", "fc8", Q.UNITS)] == [1000]
    assert got[("alexnet", "fc8", Q.WEIGHTS)] == [4096000]


def test_the_number_of_a_figure_or_table_referred_to_counts_nothing():
    for line in ("conv1 のユニット数は論文の図2の説明文の値を使った。", "conv1 units: see Figure 2 of the paper.",
                 "conv1 的神经元数见论文图2。"):
        assert ("alexnet", "conv1", Q.UNITS) not in found(document("# AlexNet", line), PAPER), line


def test_an_ascii_comma_after_chinese_words_ends_a_clause():
    # LeNet-5 C3 (conv2): 5·5·6·16 + 16 = 2,416 parameters; 41,600 connections as the text counts them
    doc = document("LeNet-5", "## 第三层,卷积层(C3)",
                   "本层应该有5x5x6x16+16=2416个参数,10x10x16(25+1)=41600个连接。")
    got = found(doc, {"lenet5": (Q.PARAMS,)})
    assert got[("lenet5", "conv2", Q.PARAMS)] == [2416]
    assert got[("lenet5", "conv2", Q.CONNECTIONS)] == [41600]


def test_a_year_is_no_count():
    # a line naming its network twice: "LeNet-5 … 1998年 …。… LeNet-5 …" read as that network's total
    for lines in (("LeNet-5模型由LeCun教授于1998年在论文中提出。在MNIST上,LeNet-5模型可以达到大约99.2%的正确率。",),
                  ("LeNet-5 was published in 1998 by LeCun et al. On MNIST, LeNet-5 reaches about 99.2%.",)):
        got = found(document(*lines), {"lenet5": (Q.PARAMS,)})
        assert not any(1998 in values for values in got.values()), lines


def test_connected_layers_counted_are_no_connections():
    # "2个卷积层、2个池化层和3个连接层": two conv, two pooling and three (fully) connected layers
    got = found(document("LeNet-5", "LeNet-5一共包含7层，分别由2个卷积层、2个池化层和3个连接层组成。"),
                {"lenet5": (Q.PARAMS,)})
    assert not any(quantity is Q.CONNECTIONS for _, _, quantity in got)


def test_feature_map_words_of_several_languages_name_a_shape():
    # AlexNet conv2's output: 27×27×256
    for line in ("결과 27x27x256 특성맵을 얻음", "得到27x27x256的特征图", "結果は 27x27x256 の特徴マップ"):
        got = found(document("# AlexNet", "## Conv2", line), PAPER)
        assert got.get(("alexnet", "conv2", Q.SHAPE)) == [(27, 27, 256)], line


def test_a_layer_named_as_what_comes_before_is_not_the_sentences_layer():
    # LeNet-5's S2 (pool1) in the 1998 paper: one weight and one bias per map, (1+1)·6 = 12
    doc = document("# LeNet-5", "**2、下采样层$S_2$**",
                   "> 卷积层$C_1$之后接着就是池化运算，池化核大小为$2\\times2$，采样方式为4个输入相加，乘以一个可训练参数，"
                   "再加上一个可训练偏置，所以下采样的参数个数是$(1+1)\\times6$而不是零。")
    got = found(doc, {"lenet5": (Q.PARAMS,)})
    assert got.get(("lenet5", "pool1", Q.PARAMS)) == [12]
    assert ("lenet5", "conv1", Q.PARAMS) not in got
