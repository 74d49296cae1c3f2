"""The comparator's verdicts on hand-built answers, with figures worked by hand (AlexNet as in
Krizhevsky et al. 2012: input 227×227×3, two towers; seed 001 is its answer key).

The helpers at the top build Answers and Documents from plain data; the pitfall cases and the
seed tests use them too."""
from __future__ import annotations

import pytest

from grader.compare import compare
from grader.core import Answer, Document, Quantity, Source, TextLine, Verdict
from grader.rubric import load_rubric, parse_rubric
from grader.score import score
from figures import SEED_001_KEY as KEY

# ---------------------------------------------------------------- helpers


def make_answer(item: dict, line: int = 1, network: str = "alexnet") -> Answer:
    value = item["value"]
    computed = item.get("computed")
    return Answer(
        network=item.get("network", network), layer=item["layer"], quantity=Quantity(item["quantity"]),
        value=tuple(value) if isinstance(value, list) else value, source=Source(line=item.get("line", line)),
        expression=item.get("expression"), computed=tuple(computed) if isinstance(computed, list) else computed,
        approximate=item.get("approximate", False), confidence=item.get("confidence", 1.0),
        text=item.get("text", ""))


def make_answers(items: list[dict], network: str = "alexnet") -> tuple[Answer, ...]:
    return tuple(make_answer(item, i + 1, network) for i, item in enumerate(items))


def table_answers(table: dict) -> tuple[Answer, ...]:
    """{network: {layer: {quantity: value}}}, as the seeds' labels give them."""
    items = [{"network": network, "layer": layer, "quantity": quantity, "value": value}
             for network, layers in table.items() for layer, quantities in layers.items()
             for quantity, value in quantities.items()]
    return make_answers(items)


def make_document(text: str, path: str = "submission.md") -> Document:
    """A Markdown text as lines; '#'s make headings. A stand-in for the readers."""
    blocks = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        stripped = line.lstrip()
        level = len(stripped) - len(stripped.lstrip("#")) if stripped.startswith("#") else 0
        blocks.append(TextLine(stripped.lstrip("#").strip() if level else line.strip(), Source(line=number), level))
    return Document(path=path, format="markdown", blocks=tuple(blocks))


def raised(comparison) -> dict[str, set[str]]:
    """code -> the layers it was raised on, read as check_labels.py reads the JSON result."""
    found: dict[str, set[str]] = {}
    for hit in comparison.pitfalls:
        found.setdefault(hit.code, set()).update(hit.layers)
        found[hit.code].update(f"{hit.network}.{layer}" for layer in hit.layers)
    for judgement in comparison.judgements:
        for code in judgement.pitfalls:
            found.setdefault(code, set()).update({judgement.layer, f"{judgement.network}.{judgement.layer}"})
    return found


def judgement(comparison, layer: str, quantity: str, network: str = "alexnet", asked: bool | None = None):
    matches = [j for j in comparison.judgements if j.network == network and j.layer == layer
               and j.quantity.value == quantity and (asked is None or j.asked == asked)]
    assert matches, f"no judgement for {network}.{layer}.{quantity}"
    return matches[0]


PAPER = load_rubric("alexnet-paper")
PARAMS = load_rubric("cnn-params")



def key_answers(**changes) -> tuple[Answer, ...]:
    """The answer key, with some slots changed: changes["conv2_units"] = value (None drops it)."""
    items = []
    for layer, figures in KEY.items():
        for quantity, value in zip(("units", "weights", "connections"), figures):
            value = changes.get(f"{layer}_{quantity}", value)
            if value is not None:
                items.append({"layer": layer, "quantity": quantity, "value": value})
    return make_answers(items)


def rubric_with(**changes):
    """alexnet-paper with some keys changed."""
    import yaml

    from grader.core import RUBRICS_DIR

    raw = yaml.safe_load((RUBRICS_DIR / "alexnet-paper.yaml").read_text(encoding="utf-8"))
    raw.update(changes)
    return parse_rubric(raw, "alexnet-paper-variant.yaml")


# ---------------------------------------------------------------- verdicts


def test_the_answer_key_is_all_correct():
    comparison = compare(key_answers(), PAPER)
    asked = [j for j in comparison.judgements if j.asked]
    assert len(asked) == 24
    assert {j.verdict for j in asked} == {Verdict.CORRECT}
    assert comparison.pitfalls == ()


def test_counts_compare_exactly():
    # 34,944 is 0.28% off 34,848: a 1% tolerance would pass the bias mistake
    comparison = compare(key_answers(conv1_weights=34_944), PAPER)
    conv1 = judgement(comparison, "conv1", "weights")
    assert conv1.verdict is Verdict.WRONG
    assert conv1.expected == 34_848
    assert "bias-counted" in conv1.pitfalls


def test_a_value_nothing_explains_is_wrong_without_pitfall():
    comparison = compare(key_answers(conv1_units=12_345), PAPER)
    conv1 = judgement(comparison, "conv1", "units")
    assert conv1.verdict is Verdict.WRONG
    assert conv1.pitfalls == ()
    assert conv1.formula  # the worked formula is there for the report to show if the policy allows


def test_missing_slots_are_judged_missing():
    comparison = compare(key_answers(conv1_connections=None, fc8_units=None), PAPER)
    assert judgement(comparison, "conv1", "connections").verdict is Verdict.MISSING
    assert judgement(comparison, "fc8", "units").verdict is Verdict.MISSING
    assert judgement(comparison, "fc8", "units").expected == 1_000


def test_approximate_answers_only_within_the_rubrics_tolerance():
    total = {"layer": "total", "quantity": "params", "value": 61_000_000, "approximate": True}
    # AlexNet has 60,965,224 parameters: 61M is 0.06% off
    strict = compare(make_answers([total]), PARAMS)
    assert judgement(strict, "total", "params").verdict is Verdict.WRONG
    lenient_raw = {"name": "lenient", "networks": {"alexnet": {"layers": ["total"], "quantities": ["params"]}},
                   "approximate": 0.01}
    lenient = parse_rubric(lenient_raw, "lenient.yaml")
    # a rounding the rubric accepts: its verdict for rounded answers (tests/test_rounded.py has the rest)
    assert judgement(compare(make_answers([total]), lenient), "total", "params").verdict is Verdict.ACCEPTED
    far = dict(total, value=70_000_000)
    assert judgement(compare(make_answers([far]), lenient), "total", "params").verdict is Verdict.WRONG


@pytest.mark.parametrize("shape", [(4096, 1), (4096,), (1, 4096)])
def test_fc_shapes_compare_as_tuples(shape):
    comparison = compare(make_answers([{"layer": "fc6", "quantity": "shape", "value": list(shape)}]), PAPER)
    fc6 = judgement(comparison, "fc6", "shape")
    assert fc6.verdict is Verdict.CORRECT
    assert fc6.asked is False  # shapes are not asked by alexnet-paper, but judged


def test_conv_shapes_compare_as_tuples():
    right = compare(make_answers([{"layer": "conv1", "quantity": "shape", "value": [55, 55, 96]},
                                  {"layer": "pool1", "quantity": "shape", "value": [27, 27, 96]},
                                  {"layer": "conv2", "quantity": "shape", "value": [96, 27, 27]}]), PAPER)
    assert judgement(right, "conv1", "shape").verdict is Verdict.CORRECT
    assert judgement(right, "pool1", "shape").verdict is Verdict.CORRECT
    assert judgement(right, "conv2", "shape").verdict is Verdict.WRONG  # 96 is conv1's depth, conv2 has 256


def test_several_answers_in_one_slot_judge_the_best_supported():
    answers = make_answers([
        {"layer": "conv1", "quantity": "weights", "value": 34_944, "confidence": 0.6},
        {"layer": "conv1", "quantity": "weights", "value": 34_848},
        {"layer": "conv1", "quantity": "weights", "value": 99},
    ])
    comparison = compare(answers, PAPER)
    scored = [j for j in comparison.judgements if j.layer == "conv1" and j.quantity.value == "weights" and j.asked]
    assert len(scored) == 1 and scored[0].verdict is Verdict.CORRECT and scored[0].answer.value == 34_848
    extra = [j for j in comparison.judgements if j.layer == "conv1" and not j.asked]
    assert sorted(j.answer.value for j in extra) == [99, 34_944]
    verdicts = {j.answer.value: j.verdict for j in extra}
    assert verdicts[34_944] is Verdict.WRONG  # biases counted: a mistake the student made
    assert verdicts[99] is Verdict.REVIEW  # nothing explains it: a reading for a person to check


def test_equal_confidence_judges_the_first():
    answers = make_answers([{"layer": "conv1", "quantity": "units", "value": 290_400},
                            {"layer": "conv1", "quantity": "units", "value": 279_936}])
    comparison = compare(answers, PAPER)
    assert judgement(comparison, "conv1", "units", asked=True).answer.value == 290_400


def test_a_params_column_answers_the_weights_asked():
    # seed 000's "Parameter Count" column: weights + biases where weights are asked
    answers = make_answers([{"layer": "conv2", "quantity": "params", "value": 307_456},
                            {"layer": "conv1", "quantity": "params", "value": 34_848}])
    comparison = compare(answers, PAPER)
    conv2 = judgement(comparison, "conv2", "params")
    assert conv2.asked and conv2.verdict is Verdict.WRONG
    assert conv2.expected == 307_200 and conv2.pitfalls == ("bias-counted",)
    assert judgement(comparison, "conv1", "params").verdict is Verdict.CORRECT
    # the weights slots they fill are not missing
    assert not any(j.verdict is Verdict.MISSING and j.layer in ("conv1", "conv2") and j.quantity.value == "weights"
                   for j in comparison.judgements)


def test_params_beside_weights_are_judged_but_not_asked():
    answers = make_answers([{"layer": "conv2", "quantity": "weights", "value": 307_200},
                            {"layer": "conv2", "quantity": "params", "value": 307_456}])
    comparison = compare(answers, PAPER)
    assert judgement(comparison, "conv2", "weights").verdict is Verdict.CORRECT
    params = judgement(comparison, "conv2", "params")
    assert params.asked is False and params.verdict is Verdict.CORRECT and params.expected == 307_456


def test_a_weights_column_answers_the_params_asked():
    answers = make_answers([{"layer": "fc8", "quantity": "weights", "value": 4_096_000}])
    fc8 = judgement(compare(answers, PARAMS), "fc8", "weights")
    assert fc8.asked and fc8.verdict is Verdict.WRONG and fc8.pitfalls == ("bias-missed",)


def test_224_carried_through_is_follow_through_and_charged_once():
    # Input 224: conv1 (224-11)/4+1 = 54 (floored), pool1 26, pool2 12, pool3 5.
    worked_224 = {
        "conv1_units": 54 * 54 * 96, "conv1_connections": 34_848 * 54 * 54,
        "conv2_units": 26 * 26 * 256, "conv2_connections": 307_200 * 26 * 26,
        "conv3_units": 12 * 12 * 384, "conv3_connections": 884_736 * 12 * 12,
        "conv4_units": 12 * 12 * 384, "conv4_connections": 663_552 * 12 * 12,
        "conv5_units": 12 * 12 * 256, "conv5_connections": 442_368 * 12 * 12,
        "fc6_weights": 5 * 5 * 256 * 4096, "fc6_connections": 5 * 5 * 256 * 4096,
    }
    comparison = compare(key_answers(**worked_224), PAPER)
    changed = {tuple(name.split("_")) for name in worked_224}
    for j in comparison.judgements:
        if (j.layer, j.quantity.value) in changed:
            assert j.verdict is Verdict.FOLLOW_THROUGH, (j.layer, j.quantity)
            assert "input-224" in j.pitfalls
        else:
            assert j.verdict is Verdict.CORRECT, (j.layer, j.quantity)
    assert [hit.code for hit in comparison.pitfalls] == ["input-224"]
    assert comparison.conventions["alexnet.input_size"] == 224


def test_padding_missed_is_wrong_where_made_and_follow_through_after():
    # conv2 without its padding: (27-5)/1+1 = 23, so 23·23·256; pool2 (23-3)/2+1 = 11; conv3 11·11·384
    answers = key_answers(conv2_units=23 * 23 * 256, conv3_units=11 * 11 * 384)
    comparison = compare(answers, PAPER)
    conv2 = judgement(comparison, "conv2", "units")
    assert conv2.verdict is Verdict.WRONG and conv2.pitfalls == ("padding-missed",)
    conv3 = judgement(comparison, "conv3", "units")
    assert conv3.verdict is Verdict.FOLLOW_THROUGH and conv3.pitfalls == ()
    assert "padding-missed at conv2" in conv3.note
    assert {hit.code: hit.layers for hit in comparison.pitfalls} == {"padding-missed": ("conv2",)}


def test_a_layer_mistake_carried_forward_is_charged_on_that_layer_only():
    # conv1 with stride 1: (227-11)/1+1 = 217, 217·217·96 = 4,520,544 units; pool1 (217-3)/2+1 = 108;
    # conv2 keeps its size (padding 2): 108·108·256 = 2,985,984 units, 307,200·108·108 connections;
    # pool2 (108-3)/2+1 = 53
    answers = key_answers(conv1_units=4_520_544, conv2_units=2_985_984, conv2_connections=307_200 * 108 * 108)
    answers += make_answers([{"layer": "pool1", "quantity": "shape", "value": [108, 108, 96]},
                             {"layer": "pool2", "quantity": "shape", "value": [53, 53, 256]}])
    comparison = compare(answers, PAPER)
    conv1 = judgement(comparison, "conv1", "units")
    assert conv1.verdict is Verdict.WRONG and conv1.pitfalls == ("stride-missed",)
    for layer, quantity in (("pool1", "shape"), ("conv2", "units"), ("conv2", "connections"), ("pool2", "shape")):
        carried = judgement(comparison, layer, quantity, asked=None)
        assert carried.verdict is Verdict.FOLLOW_THROUGH and carried.pitfalls == (), (layer, quantity)
    assert set(raised(comparison)) == {"stride-missed"}
    assert raised(comparison)["stride-missed"] == {"conv1", "alexnet.conv1"}


def test_an_accepted_convention_is_accepted_not_correct():
    # alexnet-paper accepts connections counted with biases: conv1 (34,848+96)·55·55
    comparison = compare(key_answers(conv1_connections=105_705_600), PAPER)
    conv1 = judgement(comparison, "conv1", "connections")
    assert conv1.verdict is Verdict.ACCEPTED
    assert conv1.pitfalls == ()
    strict = rubric_with(accept=[])
    assert judgement(compare(key_answers(conv1_connections=105_705_600), strict),
                     "conv1", "connections").verdict is Verdict.WRONG


def test_bias_counted_is_accepted_where_the_rubric_says_so():
    lenient = rubric_with(accept=[{"convention": "bias-counted", "value": True, "deduction": 0.5}])
    comparison = compare(key_answers(conv1_weights=34_944), lenient)
    conv1 = judgement(comparison, "conv1", "weights")
    assert conv1.verdict is Verdict.ACCEPTED
    assert "bias-counted" not in raised(comparison)


def test_answers_only_another_convention_explains_are_never_correct():
    """Every value a perturbation gives for an asked slot, when it differs from the key, is judged
    anything but correct."""
    from grader.compare.index import slot_index

    index = slot_index("alexnet", PAPER.asked[0].conventions, frozenset())
    checked = 0
    for layer, figures in KEY.items():
        for quantity, expected in zip((Quantity.UNITS, Quantity.WEIGHTS, Quantity.CONNECTIONS), figures):
            for value in index._layer(layer, quantity):
                if value == expected:
                    continue
                answers = make_answers([{"layer": layer, "quantity": quantity.value, "value": value}])
                assert judgement(compare(answers, PAPER), layer, quantity.value).verdict is not Verdict.CORRECT
                checked += 1
    assert checked > 50


def test_an_unknown_layer_goes_to_review():
    answers = make_answers([{"layer": "conv9", "quantity": "units", "value": 1}])
    comparison = compare(answers, PAPER)
    assert any("conv9" in item.reason for item in comparison.review)


def test_a_total_that_is_the_sum_of_their_layers_follows_through():
    # seed 000: params with conv1's bias left out; its total 60,965,128 is the sum of those values
    params = {"conv1": 34_848, "conv2": 307_456, "conv3": 885_120, "conv4": 663_936, "conv5": 442_624,
              "fc6": 37_752_832, "fc7": 16_781_312, "fc8": 4_097_000}
    items = [{"layer": layer, "quantity": "params", "value": value} for layer, value in params.items()]
    items.append({"layer": "total", "quantity": "params", "value": 60_965_128})
    comparison = compare(make_answers(items), PARAMS)
    total = judgement(comparison, "total", "params")
    assert total.verdict is Verdict.FOLLOW_THROUGH
    assert "total-inconsistent" not in raised(comparison)
    assert judgement(comparison, "conv1", "params").pitfalls == ("bias-missed",)


# ---------------------------------------------------------------- another variant, totals, repeated slots

# LeNet-5 as in LeCun et al. 1998, Section II-B: parameters C1 156, S2 12 (trainable subsampling),
# C3 1,516 (the partial connections of Table I), S4 32, C5 48,120, F6 10,164, and an RBF output of
# 10 × 84 = 840 without biases; connections counted with the biases (C3 151,600; C5 and F6 equal to
# their parameters). The modern LeNet-5 the rubric asks has conv2 2,416, no pool parameters, fc3 850.
LENET_1998 = {"conv1": 156, "pool1": 12, "conv2": 1_516, "pool2": 32, "fc1": 48_120, "fc2": 10_164, "fc3": 840}


def test_every_shipped_variant_of_a_network_is_one_the_specs_declare():
    from grader.reference.spec import variants

    assert variants("lenet5") == ("lenet5-1998",)
    assert variants("lenet5-1998") == ("lenet5",)
    assert variants("alexnet") == ("alexnet-torchvision",)
    assert variants("vgg16") == ()


def test_the_1998_lenet_answered_for_the_modern_one_is_the_wrong_variant_and_nothing_else():
    items = [{"layer": layer, "quantity": "params", "value": value} for layer, value in LENET_1998.items()]
    items += [{"layer": "conv2", "quantity": "connections", "value": 151_600},
              {"layer": "fc1", "quantity": "connections", "value": 48_120},
              {"layer": "fc2", "quantity": "connections", "value": 10_164},
              {"layer": "total", "quantity": "params", "value": 60_840}]  # the sum of their seven layers
    comparison = compare(make_answers(items, network="lenet5"), PARAMS)
    found = raised(comparison)
    assert "wrong-variant" in found
    # S2 and S4 are trainable in that variant, C3's 151,600 is no slip of 241,600, and C5's and
    # F6's connections equal their parameters there: the variant explains all of them
    assert not {"pool-params-counted", "transcription-slip", "misplaced-answer", "total-inconsistent"} & set(found)
    assert judgement(comparison, "conv2", "params", network="lenet5").pitfalls == ("wrong-variant",)
    # the RBF output's 840 has no bias in that variant: the variant the table shows explains it, not a
    # bias left out of this one answer
    assert judgement(comparison, "fc3", "params", network="lenet5").pitfalls == ("wrong-variant",)
    assert judgement(comparison, "conv1", "params", network="lenet5").verdict is Verdict.CORRECT


ALEXNET_PARAMS = {"conv1": 34_944, "conv2": 307_456, "conv3": 885_120, "conv4": 663_936, "conv5": 442_624,
                  "fc6": 37_752_832, "fc7": 16_781_312, "fc8": 4_097_000}  # 60,965,224 in all


@pytest.mark.parametrize("total, inconsistent", [(60_965_224 + 192, False), (60_965_224, False),
                                                 (60_965_000, True)])
def test_a_total_is_checked_against_the_sum_of_every_layer_the_student_gave(total, inconsistent):
    # pool1 given 2·96 = 192 parameters: a total with them is the student's own sum, so is one without
    items = [{"layer": layer, "quantity": "params", "value": value} for layer, value in ALEXNET_PARAMS.items()]
    items += [{"layer": "pool1", "quantity": "params", "value": 192},
              {"layer": "total", "quantity": "params", "value": total}]
    found = raised(compare(make_answers(items), PARAMS))
    assert "pool-params-counted" in found
    assert ("total-inconsistent" in found) is inconsistent


@pytest.mark.parametrize("restatement", [
    {"value": 61_000_000, "approximate": True},  # "61M" first, the exact figure below it
    {"value": 60_965_000, "confidence": 0.3},  # a number placed in the slot by its value
])
def test_an_exact_answer_answers_its_slot_before_a_restatement(restatement):
    items = [{"layer": layer, "quantity": "params", "value": value} for layer, value in ALEXNET_PARAMS.items()]
    items += [{"layer": "total", "quantity": "params", **restatement},
              {"layer": "total", "quantity": "params", "value": 60_965_224}]
    comparison = compare(make_answers(items), PARAMS)
    total = judgement(comparison, "total", "params", asked=True)
    assert total.answer.value == 60_965_224
    assert total.verdict is Verdict.CORRECT
    assert "total-inconsistent" not in raised(comparison)


def test_connections_counted_as_flops_are_no_merged_towers_and_nothing_misplaced():
    # Two FLOPs per connection (a multiply and an add), the split weights kept: conv2 2·307,200·27·27 =
    # 447,897,600 is also the towers-merged figure, and conv5 2·442,368·13·13 = 149,520,384 is conv3's
    # right count; neither is what the student did.
    doubled = {f"{layer}_connections": 2 * figures[2] for layer, figures in KEY.items()}
    comparison = compare(key_answers(**doubled), PAPER)
    assert raised(comparison) == {}
    conv5 = judgement(comparison, "conv5", "connections")
    assert "FLOPs" in conv5.note
    # one way of counting, applied to every layer: charged once, on the first answer it changes
    assert judgement(comparison, "conv1", "connections").verdict is Verdict.WRONG
    assert conv5.verdict is Verdict.FOLLOW_THROUGH and "charged once, on conv1 connections" in conv5.note


def test_merged_towers_still_explain_doubled_connections_where_the_weights_are_merged_too():
    comparison = compare(key_answers(conv2_weights=614_400, conv2_connections=447_897_600), PAPER)
    assert judgement(comparison, "conv2", "connections").pitfalls == ("tower-split-missed",)


# ---------------------------------------------------------------- free text

Q2 = """## 2,

- (a) You can reduce the number of parameters by e.g., reducing the size of the fully connected layer.
- (b) You can reduce the connections by use fewer number of filters for the convolutional layers.
"""


def test_free_text_found_after_its_number_and_graded_by_concepts():
    comparison = compare(key_answers(), PAPER, document=make_document("1,\n\nthe table\n\n" + Q2))
    assert [(a.id, a.points, a.sure) for a in comparison.free_text] == [
        ("q2-parameters", 1.0, True), ("q2-connections", 1.0, True)]
    assert comparison.review == ()


def test_free_text_forgives_small_typos():
    text = "2. Shrink the fully conected layers; use fewer filtres and a larger strde."
    comparison = compare(key_answers(), PAPER, document=make_document(text))
    parameters, connections = comparison.free_text
    assert parameters.points == 1.0  # "fully conected" ~ "fully connected"
    assert connections.points == 1.0


def test_free_text_unanswered_is_a_verdict_and_unrecognised_goes_to_review():
    nothing = compare(key_answers(), PAPER, document=make_document("1, the table only"))
    assert [a.points for a in nothing.free_text] == [0.0, 0.0]
    assert nothing.review == ()  # no answer: no points, nothing for a person to decide
    vague = compare(key_answers(), PAPER, document=make_document("Q2: make the network better"))
    assert all(not a.sure for a in vague.free_text)
    assert [item.kind for item in vague.review] == ["low-confidence", "low-confidence"]


def test_a_slot_given_two_different_values_goes_to_review_with_both_places():
    answers = key_answers() + make_answers([{"layer": "conv2", "quantity": "weights", "value": 614_400,
                                             "line": 40}])
    comparison = compare(answers, PAPER)
    [item] = comparison.review
    assert item.kind == "conflict" and "conv2 weights" in item.reason and "line 40" in item.reason
    restated = key_answers() + make_answers([{"layer": "fc6", "quantity": "weights", "value": 37_700_000,
                                              "approximate": True, "line": 41}])
    assert compare(restated, PAPER).review == ()  # 37.7M restates 37,748,736: no conflict


def test_a_numbered_note_inside_question_1_is_not_question_2():
    text = "1,\n- (2) The caption under Figure 2 is wrong.\n" + Q2
    comparison = compare(key_answers(), PAPER, document=make_document(text))
    assert "caption" not in comparison.free_text[0].text


def test_an_explicit_question_marker_outranks_a_list_item_of_figures():
    text = ("For each layer: units / weights / connections\n"
            "1. 290400 / 34848 / 105415200\n"
            "2. 186624 / 307200 / 223948800\n"
            "3. 64896 / 884736 / 149520384\n"
            "\n"
            "Q2: fewer parameters -> global average pooling instead of fc6; fewer connections -> a larger stride\n")
    comparison = compare(key_answers(), PAPER, document=make_document(text))
    assert [(a.points, a.source.line) for a in comparison.free_text] == [(1.0, 6), (1.0, 6)]


@pytest.mark.parametrize("style", ["第{}题：", "{}、", "问题{}：", "## 第{}题"])
@pytest.mark.parametrize("numerals", ["一二三", "123"])
def test_chinese_numerals_and_prefixes_mark_question_2(style, numerals):
    one, two, three = (style.format(n) for n in numerals)
    text = (f"{one}每层的参数见上表。\n"
            f"{two}\n"
            "参数：用全局平均池化代替全连接层。\n"
            "连接：减少卷积核，增大步长。\n"
            f"{three}其他\n")
    parameters, connections = compare(key_answers(), PAPER, document=make_document(text)).free_text
    assert parameters.points == 1.0 and connections.points == 1.0
    assert "其他" not in parameters.text and "每层" not in parameters.text


def test_a_question_marker_in_the_first_column_of_a_table_row():
    from grader.core import Cell, Table

    def row(*texts, line):
        return tuple(Cell(text, Source(line=line, cell=f"{'ABC'[k]}{line}")) for k, text in enumerate(texts))

    table = Table((row("Layer", "Weights", line=1), row("C1", "34,848", line=2),
                   row("Q2 (parameters)", "Replace fc6 and fc7 by global average pooling", line=3),
                   row("Q2 (connections)", "A larger stride in the first layer", line=4)),
                  Source(line=1), True)
    document = Document(path="answers.csv", format="csv", blocks=(table,))
    parameters, connections = compare(key_answers(), PAPER, document=document).free_text
    assert (parameters.points, connections.points) == (1.0, 1.0)
    assert parameters.source == Source(line=3, cell="A3")
    assert "34,848" not in parameters.text


# ---------------------------------------------------------------- combinations


def test_towers_merged_and_biases_counted_together():
    # conv2 5·5·96·256 + 256 = 614,656 where weights without biases are asked
    comparison = compare(key_answers(conv2_weights=614_656), PAPER)
    conv2 = judgement(comparison, "conv2", "weights")
    assert conv2.verdict is Verdict.WRONG
    assert set(conv2.pitfalls) == {"tower-split-missed", "bias-counted"}


def test_224_and_biases_together():
    # fc6 from 224: 5·5·256 = 6,400 inputs; with its biases 6,400·4,096 + 4,096 = 26,218,496
    answers = key_answers(conv1_units=54 * 54 * 96, fc6_weights=26_218_496)
    comparison = compare(answers, PAPER)
    fc6 = judgement(comparison, "fc6", "weights")
    assert fc6.verdict is Verdict.WRONG  # the biases are its own mistake, 224 is carried
    assert set(fc6.pitfalls) == {"input-224", "bias-counted"}
    assert judgement(comparison, "conv1", "units").verdict is Verdict.FOLLOW_THROUGH
    hits = {hit.code: hit.layers for hit in comparison.pitfalls}
    assert hits == {"input-224": ("input",), "bias-counted": ("fc6",)}


def test_the_diagnosis_names_the_conventions():
    merged = key_answers(conv2_weights=614_400, conv4_weights=1_327_104, conv5_weights=884_736)
    conventions = compare(merged, PAPER).conventions
    assert conventions["alexnet.towers"] == 1
    assert conventions["alexnet.input_size"] == 227
    assert compare(key_answers(), PAPER).conventions["alexnet.towers"] == 2


# ---------------------------------------------------------------- how sure the slot is


def test_a_spatial_size_alone_is_right_when_it_matches():
    comparison = compare(make_answers([{"layer": "conv1", "quantity": "shape", "value": [55, 55]},
                                       {"layer": "conv2", "quantity": "shape", "value": [23, 23]}]), PAPER)
    assert judgement(comparison, "conv1", "shape").verdict is Verdict.CORRECT
    conv2 = judgement(comparison, "conv2", "shape")  # (27-5)/1+1 = 23: conv2's padding left out
    assert conv2.verdict is Verdict.WRONG and conv2.pitfalls == ("padding-missed",)


def test_a_reading_below_the_review_threshold_is_never_charged():
    guessed = make_answers([
        {"layer": "conv2", "quantity": "weights", "value": 614_400, "confidence": 0.3},
        {"layer": "conv1", "quantity": "weights", "value": 34_944, "confidence": 0.3,
         "expression": "11*11*3*96", "computed": 34_848},
    ])
    comparison = compare(guessed, PAPER)
    # 614,400 is conv2's weights with the towers merged, 34,944 conv1's with biases: were these
    # slots sure, both would be wrong with a pitfall; read this unsurely, a person checks them first
    for layer in ("conv1", "conv2"):
        assert judgement(comparison, layer, "weights").verdict is Verdict.REVIEW
    assert raised(comparison) == {}
    assert {item.reason.split(":")[0] for item in comparison.review} >= {"alexnet.conv1 weights", "alexnet.conv2 weights"}
    grade = score(comparison, PAPER, file="guessed.md")
    assert sum(j.points for j in grade.judgements if j.layer in ("conv1", "conv2") and j.quantity.value == "weights") == 2


def test_an_unexplained_value_on_an_inferred_slot_needs_evidence_to_be_charged():
    answers = make_answers([
        # the sum of conv1-5's parameters (2,334,080) on a slot inferred from the line before:
        # within 10x of fc8's 4,096,000 weights, but no working and no words: review
        {"layer": "fc8", "quantity": "weights", "value": 2_334_080, "confidence": 0.7},
        # 100x conv1's weights on an inferred slot: no count of that slot
        {"layer": "conv1", "quantity": "weights", "value": 3_484_800, "confidence": 0.7,
         "expression": "34848*100", "computed": 3_484_800},
        # the student's own working, of the slot's size: a mistake of theirs, charged
        {"layer": "conv2", "quantity": "weights", "value": 300_000, "confidence": 0.7,
         "expression": "5*5*48*250", "computed": 300_000},
        # words named the slot: an unexplained value there is the student's
        {"layer": "conv3", "quantity": "weights", "value": 12_345, "confidence": 1.0},
    ])
    comparison = compare(answers, PAPER)
    assert judgement(comparison, "fc8", "weights").verdict is Verdict.REVIEW
    assert judgement(comparison, "conv1", "weights").verdict is Verdict.REVIEW
    assert judgement(comparison, "conv2", "weights").verdict is Verdict.WRONG
    assert judgement(comparison, "conv3", "weights").verdict is Verdict.WRONG


def test_the_networks_total_on_a_layer_is_a_reading_to_check():
    # 60,954,656: AlexNet's weights in all (as the paper counts them), read as fc8's
    answers = make_answers([{"layer": "fc8", "quantity": "weights", "value": 60_954_656}])
    assert judgement(compare(answers, PAPER), "fc8", "weights").verdict is Verdict.REVIEW
    # a TA who confirms the reading makes it the student's answer: judged as written
    from dataclasses import replace

    confirmed = [replace(a, confirmed=True) for a in answers]
    assert judgement(compare(confirmed, PAPER), "fc8", "weights").verdict is Verdict.WRONG


def test_a_network_the_rubric_does_not_ask_names_no_pitfall_but_its_own_slips():
    # torchvision AlexNet conv3 3·3·192·384 + 384 = 663,936, written 336,936 (seed 003)
    other = make_answers([
        {"network": "alexnet-torchvision", "layer": "conv2", "quantity": "params", "value": 614_400},
        {"network": "alexnet-torchvision", "layer": "conv3", "quantity": "params", "value": 336_936,
         "expression": "192 x 3 x 3 x 384 + 384", "computed": 663_936},
    ])
    comparison = compare(other, PARAMS)
    assert all(not j.asked for j in comparison.judgements if j.network == "alexnet-torchvision")
    assert set(raised(comparison)) == {"arithmetic-slip"}


def test_a_cost_worked_out_on_a_conv_layer_is_judged_without_the_count_checks():
    # a memory table a rubric does not ask: conv1's 96·55·55 floats of 4 bytes = 1,134.375 KB,
    # worked with an expression whose numbers a filter-count check would otherwise try
    answers = make_answers([{"layer": "conv1", "quantity": "memory", "value": 1134,
                             "expression": "96*55*55*4/1024", "computed": 1134.375}])
    comparison = compare(answers, PAPER)
    assert raised(comparison) == {}
