"""read -> extract on files: fixtures written for these tests (tests/data/extract/), the real seeds
against their labels (../shared/seeds/expected), and the parts of the real-world corpus
(../shared/corpus) the grader relies on, labelled here by hand from the texts."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.core import Quantity
from grader.extract import extract
from grader.readers import read
from grader.rubric import load_rubric

Q = Quantity
DATA = Path(__file__).parent / "data" / "extract"
SHARED = Path(__file__).resolve().parents[2] / "shared"
LABELS = sorted((SHARED / "seeds" / "expected").glob("*.yaml"))
CORPUS = SHARED / "corpus"
PARAMS = load_rubric("cnn-params").quantities
PAPER = load_rubric("alexnet-paper").quantities


def slots(path: Path, networks) -> dict:
    found: dict = {}
    for answer in extract(read(path), networks=networks):
        found.setdefault((answer.network, answer.layer, answer.quantity), []).append(answer)
    return found


def best(found: dict, network: str, layer: str, quantity: Quantity):
    """The value of the answer a grader would judge: the most confident one in the slot."""
    answers = found.get((network, layer, quantity))
    return max(answers, key=lambda a: a.confidence).value if answers else None


def every_value(found: dict) -> set:
    return {a.value for answers in found.values() for a in answers}


# ------------------------------------------------------------------------------ fixtures


def test_english_table_with_input_224():
    found = slots(DATA / "alexnet_input224.md", PAPER)
    assert best(found, "alexnet", "input", Q.SHAPE) == (224, 224, 3)
    assert best(found, "alexnet", "conv1", Q.UNITS) == 54 * 54 * 96
    assert best(found, "alexnet", "conv1", Q.CONNECTIONS) == 34848 * 54 * 54
    assert best(found, "alexnet", "conv2", Q.UNITS) == 173056
    assert best(found, "alexnet", "conv2", Q.SHAPE) == (26, 26, 256)
    assert best(found, "alexnet", "fc6", Q.WEIGHTS) == 5 * 5 * 256 * 4096
    assert best(found, "alexnet", "total", Q.WEIGHTS) == 34848 + 307200 + 26214400


def test_chinese_prose_lenet():
    found = slots(DATA / "lenet5_zh.md", PARAMS)
    assert best(found, "lenet5", "conv1", Q.UNITS) == 28 * 28 * 6
    assert best(found, "lenet5", "conv1", Q.PARAMS) == 156
    assert best(found, "lenet5", "conv1", Q.CONNECTIONS) == 122304
    assert best(found, "lenet5", "pool1", Q.SHAPE) == (14, 14, 6)  # S2
    assert best(found, "lenet5", "pool1", Q.PARAMS) == 12
    assert best(found, "lenet5", "conv2", Q.PARAMS) == 2416  # C3
    assert best(found, "lenet5", "fc2", Q.PARAMS) == 10164  # F6; "输入：C5的输出" names C5 only as input
    assert best(found, "lenet5", "total", Q.PARAMS) == 61706
    assert not found.get(("lenet5", "fc1", Q.PARAMS))


def test_tab_separated_rows_without_header():
    found = slots(DATA / "vgg16_tabs.txt", PARAMS)
    assert best(found, "vgg16", "conv1_1", Q.PARAMS) == 1792
    assert best(found, "vgg16", "conv1_2", Q.PARAMS) == 36928
    assert best(found, "vgg16", "fc6", Q.PARAMS) == 102764544  # Linear-1
    assert not {64, 4096, 25088} & every_value(found)


# ------------------------------------------------------------------------------ seeds


def _labelled(label: dict):
    for network, layers in label["answers"].items():
        for layer, quantities in layers.items():
            for quantity, value in quantities.items():
                yield network, layer, Q(quantity), tuple(value) if isinstance(value, list) else value


@pytest.mark.skipif(not LABELS, reason="shared/seeds not available")
@pytest.mark.parametrize("label_path", LABELS, ids=[p.stem[:3] for p in LABELS])
def test_seed_answers_in_their_labelled_slots(label_path):
    label = yaml.safe_load(label_path.read_text(encoding="utf-8"))
    found = slots(SHARED / "seeds" / label["file"], load_rubric(label["rubric"]).quantities)
    missing = [(n, l, q.value, v) for n, l, q, v in _labelled(label)
               if v not in [a.value for a in found.get((n, l, q), [])]]
    assert not missing
    # and the answer a grader judges in each labelled slot is the labelled one
    judged_wrong = [(n, l, q.value, v, best(found, n, l, q)) for n, l, q, v in _labelled(label)
                    if best(found, n, l, q) != v]
    assert not judged_wrong


# ------------------------------------------------------------------------------ corpus

corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus not available")


@corpus
def test_corpus_aragao_alexnet_and_vgg19():
    found = slots(CORPUS / "01_aragao_hw3p2.md", PARAMS)
    assert best(found, "alexnet", "conv4", Q.PARAMS) == 1327488
    assert best(found, "alexnet", "conv5", Q.PARAMS) == 884992  # a second "conv4" row, "conv5:" in its cell
    assert best(found, "alexnet", "pool3", Q.PARAMS) == 0  # a second "maxpool2" row
    assert best(found, "alexnet", "total", Q.PARAMS) == 62378344
    # headed VGG19, but 13 convolutions and 5 pools in VGG16's order: VGG16's table
    assert best(found, "vgg16", "conv1_1", Q.PARAMS) == 1792  # "CONV3-64", by position
    assert best(found, "vgg16", "pool1", Q.UNITS) == 800_000  # "112* 112* 64=800K"
    assert best(found, "vgg16", "fc6", Q.PARAMS) == 102764544
    assert best(found, "vgg16", "total", Q.PARAMS) == 138357544
    # the Inception question's operation counts are no network's
    assert not {341_835_776, 33_554_432} & every_value(found)


@corpus
def test_corpus_zouharvi_weights_and_biases():
    found = slots(CORPUS / "08_zouharvi_nnia_alexnet_params.md", PARAMS)
    assert best(found, "alexnet", "conv1", Q.WEIGHTS) == 96 * 11 * 11 * 3  # "96 $\cdot$ 11 $\cdot$ 11 $\cdot$ 3"
    assert best(found, "alexnet", "conv1", Q.BIASES) == 96
    assert best(found, "alexnet", "fc6", Q.WEIGHTS) == 6 * 6 * 256 * 4096  # "fc1"
    assert best(found, "alexnet", "fc8", Q.BIASES) == 1000


@corpus
def test_corpus_chinese_lenet():
    found = slots(CORPUS / "16_unknown_lenet5_zh_latex.md", PARAMS)
    assert best(found, "lenet5", "conv1", Q.UNITS) == 28 * 28 * 6
    assert best(found, "lenet5", "conv1", Q.CONNECTIONS) == 122304
    assert best(found, "lenet5", "pool1", Q.PARAMS) == 12  # S2: 2 × 6
    assert best(found, "lenet5", "pool2", Q.CONNECTIONS) == 2000  # S4, as stated
    assert best(found, "lenet5", "fc1", Q.PARAMS) == 48120  # C5: (16×5×5+1)×120
    assert best(found, "lenet5", "fc2", Q.PARAMS) == 10164  # F6


@corpus
def test_corpus_korean_alexnet():
    found = slots(CORPUS / "18_erectbranch_tinyml_lec02_ko.md", PAPER)
    # "#Parameters" heading over the weights (biases ignored, as the label says); 34,848 misread
    assert best(found, "alexnet", "conv1", Q.WEIGHTS) == 24848
    assert best(found, "alexnet", "fc6", Q.WEIGHTS) == 37738736
    assert best(found, "alexnet", "conv1", Q.CONNECTIONS) == 105415200  # the "#MACs" example
    assert best(found, "alexnet", "conv1", Q.UNITS) == 290400  # the "#Activations" example, by its number
    assert best(found, "alexnet", "total", Q.UNITS) == 932264


@corpus
def test_corpus_vgg16_by_ordinal():
    found = slots(CORPUS / "19_page_iodraw_vgg16_params.txt", PARAMS)
    expected = {"conv1_1": 1792, "conv1_2": 36928, "conv3_3": 590080, "conv4_1": 1180160, "conv5_3": 2359808,
                "fc6": 102764544, "fc7": 16781312, "fc8": 4097000}  # 第1层 … 第16层
    assert {layer: best(found, "vgg16", layer, Q.PARAMS) for layer in expected} == expected


@corpus
def test_corpus_zfnet_table():
    found = slots(CORPUS / "21_page_newlib_zfnet_table.txt", PARAMS)
    conv1 = found[("zfnet", "conv1", Q.CONNECTIONS)]  # the column says connections; its numbers are params
    assert [a.value for a in conv1] == [14208] and conv1[0].confidence < 1
    assert best(found, "zfnet", "conv1", Q.SHAPE) == (110, 110)
    assert best(found, "zfnet", "fc6", Q.UNITS) == 4096  # "4,096 neurons"
    # "62,357,608 (Total)" sits under "Filter size": the number says what it is, ZFNet's parameters
    assert best(found, "zfnet", "total", Q.PARAMS) == 62357608


@corpus
def test_corpus_lenet_prose_english():
    found = slots(CORPUS / "02_beyzakebeli_lenet_params.md", PARAMS)
    assert best(found, "lenet5", "fc1", Q.PARAMS) == 3080  # the student's slip, as written
    assert best(found, "lenet5", "total", Q.PARAMS) == 17166
    assert not {15620, 210, 15830} & every_value(found)  # the MLP's
    found = slots(CORPUS / "06_arcaman_lenet_connections.md", PARAMS)
    assert best(found, "lenet5", "conv1", Q.UNITS) == 4704  # "28 28 6": signs dropped
    assert best(found, "lenet5", "conv1", Q.PARAMS) == 156  # "(5 5 + 1) 6"
    assert best(found, "lenet5", "pool1", Q.CONNECTIONS) == 5880  # "(2 2 + 1) 6 14 14"
    found = slots(CORPUS / "30_moominci_lenet5_params_hw.md", PARAMS)
    assert best(found, "lenet5", "conv2", Q.PARAMS) == 2416  # "Convolutional Layer 3": C3
    assert best(found, "lenet5", "fc2", Q.PARAMS) == 10164  # "Fully Connected Layer 6"
    assert best(found, "lenet5", "total", Q.PARAMS) == 61706
    assert not {62880, 64630} & every_value(found)  # the custom MLP's


@corpus
def test_corpus_lecture_notes_repeat_a_label():
    found = slots(CORPUS / "17_unknown_efficientml_lec2_notes.md", PARAMS)
    assert best(found, "alexnet", "conv1", Q.PARAMS) == 24847
    assert best(found, "alexnet", "conv4", Q.PARAMS) == 663552  # the second "Conv 3"
    assert best(found, "alexnet", "conv5", Q.PARAMS) == 442368  # the third


@corpus
def test_corpus_python_comments():
    found = slots(CORPUS / "33_unknown_vgg19_tf_zh_comments.py", PARAMS)
    assert best(found, "vgg16", "conv1_1", Q.PARAMS) == 1728  # 13 convolutions: VGG16 by its numbers
    assert best(found, "vgg16", "conv1_1", Q.UNITS) == 224 * 224 * 64  # "像素", after the size formula
    assert best(found, "vgg16", "fc6", Q.PARAMS) == 102760448


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus not available")
@pytest.mark.parametrize("path", sorted(p for p in CORPUS.glob("*") if p.is_file() and p.name != "README.md"),
                         ids=lambda p: p.name[:2])
def test_corpus_extracts_without_error(path):
    for answer in extract(read(path), networks=PARAMS):
        assert 0 < answer.confidence <= 1
        if answer.quantity is Q.SHAPE:
            assert isinstance(answer.value, tuple)
