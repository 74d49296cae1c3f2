"""Headers and labels -> what their numbers are; a region -> the value it states.

The words are the ones real answers use (seeds, corpus README); the values are worked by hand."""
from __future__ import annotations

import pytest

from grader.core import Quantity
from grader.extract.quantities import INPUT, NOT_ANSWER, SHAPE_AFTER, classify
from grader.extract.regions import clean, read_value, read_values, strip_numbering

Q = Quantity

HEADERS = [
    ("# Units", Q.UNITS), ("neurons", Q.UNITS), ("Number of activiations", Q.UNITS), ("神经元数量", Q.UNITS),
    ("节点数", Q.UNITS), ("#Activations", Q.UNITS), ("像素", Q.UNITS),
    ("# Weights", Q.WEIGHTS), ("weights", Q.WEIGHTS), ("权重", Q.WEIGHTS),
    ("bias", Q.BIASES), ("偏置", Q.BIASES),
    ("Parameter Count", Q.PARAMS), ("parameters", Q.PARAMS), ("# of parameters", Q.PARAMS),
    ("Number of Parameters", Q.PARAMS), ("训练参数", Q.PARAMS), ("可训练参数", Q.PARAMS), ("参数数量", Q.PARAMS),
    ("파라미터 수", Q.PARAMS), ("Paramters", Q.PARAMS),  # a typo, matched fuzzily
    ("# Connections", Q.CONNECTIONS), ("连接数", Q.CONNECTIONS), ("ConnNum", Q.CONNECTIONS), ("MACs", Q.CONNECTIONS),
    ("Output Size", Q.SHAPE), ("tensor size", Q.SHAPE), ("输出featuremap大小", Q.SHAPE),
    ("Output featuremap size", Q.SHAPE),
]


@pytest.mark.parametrize("header, quantity", HEADERS, ids=[h for h, _ in HEADERS])
def test_header_names_a_quantity(header, quantity):
    assert classify(header, fuzzy=True).quantity is quantity


@pytest.mark.parametrize("header", ["Filters", "Kernel Size", "Stride", "Padding", "In", "out", "img size",
                                    "# Feature maps", "Note", "卷积核大小", "卷积核种类", "步长", "核", "Input channels"])
def test_columns_that_hold_no_answers(header):
    label = classify(header, fuzzy=True)
    assert label.quantity is None and label.role in (NOT_ANSWER, INPUT)


def test_shapes_named_by_what_came_before():
    assert classify("relu后").role == SHAPE_AFTER
    assert classify("降采样后").quantity is Q.SHAPE


def test_totals():
    assert classify("Total").total
    assert classify("Total Parameters").total and classify("Total Parameters").quantity is Q.PARAMS
    assert classify("总参数").total
    assert not classify("Parameter Count").total


def test_input_labels():
    assert classify("输入图片").role == INPUT
    assert classify("Input size").role == INPUT


# ------------------------------------------------------------------------------ regions

REGIONS = [
    # (region, value, computed): the stated result wins; the expression's own value is kept
    ("(11 x 11 x 3 x 96) + 96 = 34848", 34848, 11 * 11 * 3 * 96 + 96),
    ("$3\\times(11\\times11)\\times96$", 34848, 34848),
    ("$= 11 \\times 11 \\times 96 + 96 = 11,712$", 11712, 11712),
    ("$= 5 \\times 5 \\times 96 \\times 256 + 256 = 61,4656$", 614656, 614656),
    ("1,64,11 = 1 \\times 64 \\times 11 \\times 11 + 64 = 23296", 23296, 64 * 121 + 64),  # in,out,kernel first
    ("1792 = 3*3*3*64+64", 1792, 1792),  # result first
    ("（11\\*11+1）\\*3 \\*96（每个滤波器11\\*11=121个unit参数和一个bias参数）", 35136, 35136),  # remark after
    ("4096\\*\\(256+1\\)=1052672", 1052672, 1052672),
    ("11 * 11 * 3 * 96 * 55 * 55 = 105415200 (Single tower here!)", 105415200, 105415200),
    ("(3* 3* 128)*256 295168", 295168, 294912),  # "=" dropped
    ("(5 5 + 1) 6", 156, 156),  # signs dropped
    ("16 (2 2 + 1) 5 5 = 2000", 2000, 16 * 5 * 25),
    ("= 1792", 1792, None),
    ("→ 138 357 544"[2:], 138357544, None),
    ("156 (conv1) + 2416 (conv2) + 850 (fc3) = 3422", 3422, 156 + 2416 + 850),
]


@pytest.mark.parametrize("region, value, computed", REGIONS, ids=[r for r, _, _ in REGIONS])
def test_region_value(region, value, computed):
    parsed = read_value(region)
    assert parsed is not None
    assert parsed.value == value
    assert parsed.computed == computed


def test_shape_factors():
    assert read_value("55 x  55 x  96").factors == (55, 55, 96)
    assert read_value("$4096\\times1$").factors == (4096, 1)


def test_a_list_of_inputs_states_no_value():
    assert read_values("3, 64, 3") == []
    assert read_values("$=$") == []


def test_a_size_formula_comes_after_the_count():
    first, second = read_values("（224-3+2*1）/1+1=224 224*224*64")
    assert first.value == 224 * 224 * 64 and second.size_formula and second.value == 224


def test_approximate_values():
    parsed = read_value("224 *224 *64=3.2M")
    assert parsed.approximate and parsed.value == 3_200_000 and parsed.computed == 224 * 224 * 64


@pytest.mark.parametrize("line, body", [
    ("1.3 pool1 核：3\\*3", "pool1 核：3*3"),
    ("Q2) Alexnet", "Alexnet"),
    ("- Conv Layer 1", "Conv Layer 1"),
    ("**1. conv1层**", "conv1层"),
    ("7 F8全连接层", "F8全连接层"),
    ("第1层:1792", "第1层:1792"),
    ("28 * 28", "28 * 28"),
    ("$$ 96 \\times 3 = 288 $$", "96 \\times 3 = 288"),
    ("\\*   \\*  Total Number \\*   \\*", "Total Number"),
    ("3) ~~ZFNet~~ 2) Alexnet with 61 M.", "Alexnet with 61 M."),  # struck out
])
def test_markup_and_numbering(line, body):
    assert strip_numbering(clean(line)) == body


# ------------------------------------------------------------------------------ languages

# Labels as students of each language write them (our own phrasings): inflected, with and without
# accents, in headers and in prose labels. (label, quantity, names a total)
LANGUAGE_LABELS = {
    "en": [("Number of neurons", Q.UNITS, False), ("# weights", Q.WEIGHTS, False), ("biases", Q.BIASES, False),
           ("Total params", Q.PARAMS, True), ("connections", Q.CONNECTIONS, False), ("Output shape", Q.SHAPE, False)],
    # (Traditional characters are read through their conversion: test_extract_languages.py)
    "zh": [("神经元数量", Q.UNITS, False), ("权重", Q.WEIGHTS, False), ("偏置项", Q.BIASES, False),
           ("参数量", Q.PARAMS, False), ("总参数", Q.PARAMS, True), ("连接数", Q.CONNECTIONS, False),
           ("输出维度", Q.SHAPE, False)],
    "ko": [("뉴런 개수", Q.UNITS, False), ("가중치의 수", Q.WEIGHTS, False), ("바이어스", Q.BIASES, False),
           ("매개변수 수", Q.PARAMS, False), ("총 파라미터 수", Q.PARAMS, True), ("연결 개수", Q.CONNECTIONS, False),
           ("출력 형태", Q.SHAPE, False)],
    "ja": [("ニューロン数", Q.UNITS, False), ("ﾆｭｰﾛﾝ数", Q.UNITS, False),  # half-width katakana
           ("重みの数", Q.WEIGHTS, False), ("バイアス項", Q.BIASES, False), ("パラメータ数", Q.PARAMS, False),
           ("パラメーター数の合計", Q.PARAMS, True), ("結合数", Q.CONNECTIONS, False), ("接続数", Q.CONNECTIONS, False),
           ("出力サイズ", Q.SHAPE, False)],
    "es": [("Número de neuronas", Q.UNITS, False), ("Pesos", Q.WEIGHTS, False), ("sesgos", Q.BIASES, False),
           ("Parámetros", Q.PARAMS, False), ("Parametros totales", Q.PARAMS, True),
           ("Conexiones", Q.CONNECTIONS, False), ("Tamaño de salida", Q.SHAPE, False)],
    "pt": [("Neurônios", Q.UNITS, False), ("neuronios", Q.UNITS, False), ("Número de pesos", Q.WEIGHTS, False),
           ("Vieses", Q.BIASES, False), ("parâmetros", Q.PARAMS, False), ("Total de parâmetros", Q.PARAMS, True),
           ("Conexões", Q.CONNECTIONS, False), ("Tamanho da saída", Q.SHAPE, False)],
    "fr": [("Nombre de neurones", Q.UNITS, False), ("Poids", Q.WEIGHTS, False), ("biais", Q.BIASES, False),
           ("Paramètres", Q.PARAMS, False), ("parametres", Q.PARAMS, False), ("Paramètres au total", Q.PARAMS, True),
           ("Connexions", Q.CONNECTIONS, False), ("Taille de sortie", Q.SHAPE, False)],
    "de": [("Anzahl der Neuronen", Q.UNITS, False), ("Gewichte", Q.WEIGHTS, False), ("Bias", Q.BIASES, False),
           ("Parameter", Q.PARAMS, False), ("mit Parametern", Q.PARAMS, False), ("Gesamtparameter", Q.PARAMS, True),
           ("Parameter insgesamt", Q.PARAMS, True), ("Verbindungen", Q.CONNECTIONS, False),
           ("Ausgabegröße", Q.SHAPE, False)],
    "ru": [("Число нейронов", Q.UNITS, False), ("нейроны", Q.UNITS, False), ("весов", Q.WEIGHTS, False),
           ("Весовые коэффициенты", Q.WEIGHTS, False), ("смещения", Q.BIASES, False),
           ("Количество параметров", Q.PARAMS, False), ("Всего параметров", Q.PARAMS, True),
           ("связей", Q.CONNECTIONS, False), ("соединений", Q.CONNECTIONS, False), ("Размер выхода", Q.SHAPE, False)],
    "vi": [("Số nơ-ron", Q.UNITS, False), ("số lượng neuron", Q.UNITS, False), ("Trọng số", Q.WEIGHTS, False),
           ("Số tham số", Q.PARAMS, False), ("so tham so", Q.PARAMS, False),  # typed without diacritics
           ("Tổng số tham số", Q.PARAMS, True), ("Số kết nối", Q.CONNECTIONS, False),
           ("Kích thước đầu ra", Q.SHAPE, False)],
}
LABEL_CASES = [pytest.param(label, quantity, total, id=f"{language}-{label}")
               for language, cases in LANGUAGE_LABELS.items() for label, quantity, total in cases]


@pytest.mark.parametrize("label, quantity, total", LABEL_CASES)
def test_labels_in_every_language(label, quantity, total):
    found = classify(label)
    assert found.quantity is quantity
    assert found.total is total


@pytest.mark.parametrize("label", [
    "canales de salida", "Canaux d'entrée", "Ausgabekanäle", "выходных каналов", "kênh đầu ra", "出力チャネル",
    "출력 채널", "输出通道", "Número de filtros", "Anzahl der Filter", "число фильтров", "フィルタ数", "Kernelgröße",
    "размер ядра", "kích thước kernel",
])
def test_channel_and_filter_columns_hold_no_answers_in_every_language(label):
    # "canales de salida" holds "salida" (output), "выходных каналов" holds "выход": the longer phrase wins
    assert classify(label).role == NOT_ANSWER


def test_accents_written_decomposed():
    # a letter then its combining mark, as some editors save text: "è" as "e" + U+0300
    assert classify("Parame\u0300tres").quantity is Q.PARAMS
    assert classify("So\u0302\u0301 tham so\u0302\u0301").quantity is Q.PARAMS  # "Số tham số"


@pytest.mark.parametrize("label", ["Свёрточная нейронная сеть", "Весь слой", "связующий"])
def test_cyrillic_words_do_not_match_inside_longer_words(label):
    # "нейрон" (neuron) is in "нейронная сеть" (neural network), "вес" in "весь" (whole)
    assert classify(label).quantity is None


@pytest.mark.parametrize("label", ["imagen de entrada", "Image d'entrée", "Eingabebild", "входное изображение",
                                   "ảnh đầu vào", "入力画像"])
def test_input_labels_in_every_language(label):
    assert classify(label).role == INPUT


@pytest.mark.parametrize("text, layer", [
    ("Capa convolucional 2", "conv2"), ("primera capa totalmente conectada", "fc6"), ("tercera capa de pooling", "pool3"),
    ("Camada de convolução 3", "conv3"), ("segunda camada totalmente conectada", "fc7"), ("2ª camada convolucional", "conv2"),
    ("Couche de convolution 4", "conv4"), ("deuxième couche entièrement connectée", "fc7"), ("2e couche de convolution", "conv2"),
    ("Faltungsschicht 5", "conv5"), ("zweite vollständig verbundene Schicht", "fc7"), ("Pooling-Schicht 1", "pool1"),
    ("Свёрточный слой 2", "conv2"), ("Сверточный слой 3", "conv3"), ("второй полносвязный слой", "fc7"),
    ("3-й свёрточный слой", "conv3"),
    ("Lớp tích chập 1", "conv1"), ("lớp kết nối đầy đủ 2", "fc7"),
    ("畳み込み層1", "conv1"), ("全結合層2", "fc7"), ("2番目の畳み込み層", "conv2"),
    ("卷积层3", "conv3"), ("全连接层1", "fc6"), ("합성곱 층 2", "conv2"), ("완전연결층 3", "fc8"),
])
def test_layer_kinds_in_every_language(text, layer):
    from grader.extract.layers import parse_layer, resolve
    from grader.reference.spec import load_network

    # AlexNet: conv1-5, then fc6-8, the first fully connected layer being fc6
    assert resolve(parse_layer(text), load_network("alexnet")) == layer


def test_layer_kinds_do_not_make_connections():
    # "全結合" (fully connected) holds "結合" (connection), "kết nối đầy đủ" holds "kết nối"
    assert classify("全結合層").quantity is None
    assert classify("lớp kết nối đầy đủ").quantity is None
    assert classify("全結合層の結合数").quantity is Q.CONNECTIONS


def test_a_shape_word_after_a_count_word_names_a_shape_or_no_count():
    assert classify("Activation Shape", fuzzy=True).quantity is Quantity.SHAPE
    assert classify("神经元尺寸").quantity is Quantity.SHAPE
    assert classify("Weight shape").role == NOT_ANSWER  # a kernel's shape, no count
    assert classify("Activations").quantity is Quantity.UNITS


@pytest.mark.parametrize(("label", "quantity"), [
    ("conv1 connectoins", Quantity.CONNECTIONS), ("Nuerons", Quantity.UNITS), ("the paramters", Quantity.PARAMS)])
def test_a_misspelt_quantity_word_names_its_quantity(label, quantity):
    assert classify(label).quantity is quantity


@pytest.mark.parametrize("label", ["connected layer", "weighting", "neural network", "position"])
def test_words_near_a_quantity_word_are_not_misspellings_of_it(label):
    assert classify(label).quantity is None


@pytest.mark.parametrize(("label", "quantity"), [
    ("Pesos (sin sesgos)", Quantity.WEIGHTS), ("Parameter (ohne Bias)", Quantity.WEIGHTS),
    ("参数（不含偏置）", Quantity.WEIGHTS), ("파라미터 (편향 제외)", Quantity.WEIGHTS),
    ("#Parameters (no bias)", Quantity.WEIGHTS), ("Paramètres (sans biais)", Quantity.WEIGHTS),
    ("sesgos", Quantity.BIASES)])
def test_biases_left_out_name_no_biases(label, quantity):
    assert classify(label, fuzzy=True).quantity is quantity


@pytest.mark.parametrize(("copied", "meant"), [
    ("each 5×55\\times5, stride 1", "each 5×5, stride 1"),
    ("a 28×28×628\\times28\\times6 map: 5×5×1×6+6=1565\\times5\\times1\\times6 + 6 = 156 parameters",
     "a 28×28×6 map: 5×5×1×6+6=156 parameters"),
    ("W = 11\\times11\\times3\\times96 = 34848", "W = 11\\times11\\times3\\times96 = 34848")])
def test_math_copied_from_a_web_page_keeps_its_rendered_text_once(copied, meant):
    assert clean(copied) == meant
