"""The number and expression scanner on the forms students write, each figure worked by hand in a
comment beside it (the seeds and ../shared/corpus show where each form comes from)."""
from __future__ import annotations

import pytest

from grader.core import GraderError
from grader.extract.numbers import (LIMITS, ExpressionError, Limits, Written, evaluate, parse_number, rounding,
                                   scan)


def one(text: str) -> Written:
    found = scan(text)
    assert len(found) == 1, found
    return found[0]


def values(text: str) -> list:
    return [w.value for w in scan(text)]


# ---------------------------------------------------------------- plain numbers


@pytest.mark.parametrize("text, expected", [
    ("34,848", 34_848),
    ("34 848", 34_848),
    ("34{,}848", 34_848),
    ("34\\,848", 34_848),
    ("34'848", 34_848),
    ("34_848", 34_848),
    ("34\u202f848", 34_848),  # narrow no-break space, as word processors write it
    ("307.200", 307_200),  # dot grouping: exactly three digits after the dot
    ("1.327.488", 1_327_488),
    ("60,965,224", 60_965_224),
    ("138 357 544", 138_357_544),  # seed 003, VGG16's total
    ("61,4656", 614_656),  # seed 003: 614,656 grouped oddly
    ("1516,000", 1_516_000),  # corpus 05: 1,516,000 grouped oddly
    ("3,07,200", 307_200),  # Indian grouping: lakhs (conv2's weights)
    ("10,54,15,200", 105_415_200),  # and crores (conv1's connections)
    ("1,234.5", 1234.5),
    ("3.4848", 3.4848),
    ("0.001", 0.001),
    ("1.2", 1.2),
    ("１２３", 123),  # full-width digits
    ("3.4848e4", 34_848),  # 3.4848 * 10,000
    ("1e-3", 0.001),
    ("-0.1", -0.1),
])
def test_plain_numbers(text, expected):
    written = one(text)
    assert (written.value, written.stated, written.expression, written.computed) == (expected, expected, None, None)
    assert type(written.value) is type(expected)
    assert written.text == text and (written.start, written.end) == (0, len(text))
    assert not written.approximate


@pytest.mark.parametrize("text, expected", [
    ("61M", 61_000_000),
    ("61 M", 61_000_000),  # seed 003: "Alexnet with 61 M."
    ("61 million", 61_000_000),
    ("3.2M", 3_200_000),
    ("35K", 35_000),
    ("150k", 150_000),
    ("1.4G", 1_400_000_000),
    ("6000万", 60_000_000),  # 6,000 * 10,000
    ("65万", 650_000),  # 65 * 10,000
    ("0.61亿", 61_000_000),  # 0.61 * 100,000,000
    ("6亿3000万", 630_000_000),  # 600,000,000 + 3,000 * 10,000
    ("1.5千万", 15_000_000),  # 1.5 * 10,000,000
])
def test_scale_words_are_approximate(text, expected):
    written = one(text)
    assert written.value == expected and type(written.value) is int
    assert written.approximate and written.text == text


@pytest.mark.parametrize("text, expected", [
    ("~61,706", 61_706),
    ("≈ 61,706", 61_706),
    ("约6000万", 60_000_000),
    ("$\\approx 62378344$", 62_378_344),
])
def test_approximately_marks(text, expected):
    written = one(text)
    assert written.value == expected and written.approximate


def test_a_scale_letter_glued_to_a_word_is_not_a_scale():
    # "224MB": megabytes, "4Byte": a unit; the numbers stay exact
    assert [(w.value, w.approximate) for w in scan("61M \\times 4Byte = 224MB")] == [
        (244_000_000, True), (224, False)]  # 61,000,000 * 4 = 244,000,000


# ---------------------------------------------------------------- lists are not numbers


@pytest.mark.parametrize("text, expected", [
    ("1, 96, 11", [1, 96, 11]),  # seed 003: in, out, kernel
    ("(227,227,3)", [227, 227, 3]),  # corpus 01: a shape as a tuple
    ("(11,11)", [11, 11]),
    ("28 28 6", [28, 28, 6]),  # corpus 06: multiplication signs dropped
    ("5 5 16", [5, 5, 16]),
    ("4096,4096", [4096, 4096]),  # two groups of four: not a slip of one number
    ("1,96,11", [1, 96, 11]),  # groups of two that do not end in three: no Indian grouping
    ("48/192/192", [48, 192, 192]),  # two slashes or more: a list (each tower's channels), no division
    ("290400 / 34848 / 105415200", [290_400, 34_848, 105_415_200]),
    ("96 256 384 384 256", [96, 256, 384, 384, 256]),  # five groups: a list, not 96 trillion
    ("253,440–186,624–64,896", [253_440, 186_624, 64_896]),  # the AlexNet caption, en dashes
    ("2.5.1 Latency", [2, 5, 1]),  # a section number
    ("05:46:58", [5, 46, 58]),
])
def test_lists_keep_their_numbers_apart(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text, expression, stated", [
    ("55.55.96 = 290400", "55*55*96", 290400),  # handwriting: dots for the multiplication signs
    ("wts = 11.11.3.96 = 34848", "11*11*3*96", 34848),
    ("27 . 27 . 256 = 186624", "27*27*256", 186624),  # spaced as OCR reads it
    ("= 5.5.48.256", "5*5*48*256", None),
])
def test_dots_that_multiply_beside_an_equals(text, expression, stated):
    (written,) = scan(text)
    assert written.expression == expression and written.stated == stated


def test_a_scale_letter_before_a_unit_of_work():
    assert values("1.45 GFLOP") == [1_450_000_000]
    assert values("724 MMACs") == [724_000_000]
    assert values("4 GB") == [4]  # a size, not a count: the extractor leaves sizes out


def test_dots_grouped_as_thousands_stay_one_number():
    assert values("= 1.400.000") == [1_400_000]
    assert values("307.200") == [307_200]
    assert values("= 307.200 x 27 x 27 = 223.948.800") == [223_948_800]
    (written,) = scan("192.192.384 = 14155776")  # grouped like thousands, but the result is the product
    assert written.expression == "192*192*384"


# ---------------------------------------------------------------- digits in names


def test_digits_glued_to_names_are_not_numbers():
    assert scan("conv1 FC6 C3 F7全连接层 Linear-1 Conv-2 conv3-64 conv2d_1 block1_conv1 fc6 LeNet-5 "
                "local\\_size2") == []


@pytest.mark.parametrize("text, expected", [
    ("Layer 1", [1]),
    ("Conv 3", [3]),
    ("第14层", [14]),
    ("卷积层1", [1]),
    ("1.2 relu后", [1.2]),  # a section number is a number; the extractor drops it by context
    ("1st", [1]),
])
def test_digits_apart_from_a_name_are_numbers(text, expected):
    assert values(text) == expected


# ---------------------------------------------------------------- expressions and = chains


def test_seed_000_cell_is_one_chain():
    # 11*11 = 121, *3 = 363, *96 = 34,848, +96 = 34,944; the student wrote 34,848
    written = one("(11  x   11  x   3  x   96) + 96 = 34848")
    assert written.expression == "(11*11*3*96)+96"
    assert (written.computed, written.stated, written.value) == (34_944, 34_848, 34_848)
    assert written.factors is None and not written.approximate
    assert written.text == "(11  x   11  x   3  x   96) + 96 = 34848"


def test_leading_equals_in_latex():
    # seed 003: 5*5 = 25, *6 = 150, +6 = 156
    text = "$= 5 \\times 5 \\times 6 + 6 = 156$"
    written = one(text)
    assert (written.expression, written.computed, written.stated) == ("5*5*6+6", 156, 156)
    assert written.text == "5 \\times 5 \\times 6 + 6 = 156"
    assert text[written.start:written.end] == written.text


def test_pure_product_has_its_factors():
    # seed 001: 11*11*3*96 = 34,848; *55*55 = 34,848 * 3,025 = 105,415,200
    written = one("11 * 11 * 3 * 96 * 55 * 55 = 105415200")
    assert written.factors == (11, 11, 3, 96, 55, 55)
    assert written.computed == written.stated == 105_415_200


@pytest.mark.parametrize("text, expression, computed, stated", [
    # seed 004: 4096 * 257 = 1,052,672
    ("4096\\*\\(256+1\\)=1052672", "4096*(256+1)", 1_052_672, 1_052_672),
    # seed 004: (121 + 1) * 3 = 366, * 96 = 35,136; no result written
    ("（11\\*11+1）\\*3 \\*96", "(11*11+1)*3*96", 35_136, None),
    # seed 002: 216 / 4 = 54, + 1 = 55
    ("$(227-11)/4+1=55$", "(227-11)/4+1", 55, 55),
    # seed 004 with 224: 214 / 4 = 53.5, + 1 = 54.5, not an integer
    ("（224-11+1）/4 +1", "(224-11+1)/4+1", 54.5, None),
    # seed 002: 96 * 25 = 2,400, * 256 = 614,400
    ("$96\\times(5\\times5)\\times256$", "96*(5*5)*256", 614_400, None),
    # seed 000: 5*5*48*128 = 153,600, +128 = 153,728, *2 = 307,456
    ("((5 x  5 x  48 x  128) + 128) x  2 = 307456", "((5*5*48*128)+128)*2", 307_456, 307_456),
    # corpus 18: 256*96*25 = 614,400, over 2 = 307,200
    ("{ {256 \\times 96 \\times 5 \\times 5} \\over {2} } = 307,200", "((256*96*5*5)/(2))", 307_200, 307_200),
    # \over binds looser than +: (3 + 5) / 2 = 4
    ("{3 + 5 \\over 2}", "((3+5)/2)", 4, None),
    ("\\frac{227-11}{4}+1", "(227-11)/(4)+1", 55, None),
    # \left( \right): 5*5*48 = 1,200, +1 = 1,201, *128 = 153,728
    ("\\left( 5 \\times 5 \\times 48 + 1 \\right) \\times 128", "(5*5*48+1)*128", 153_728, None),
    # corpus 08: 96 * 121 * 3 = 34,848
    ("96 $\\cdot$ 11 $\\cdot$ 11 $\\cdot$ 3", "96*11*11*3", 34_848, None),
    # the other signs: ×, ·, ∗, X, full-width ＊, Unicode minus
    ("11×11·3∗96", "11*11*3*96", 34_848, None),
    ("227 X 227 X 3", "227*227*3", 154_587, None),  # 227*227 = 51,529, *3 = 154,587
    ("１１＊１１", "11*11", 121, None),
    ("13 − 3 + 2", "13-3+2", 12, None),
    # powers: 2^10 = 1,024; 2 ** 10 likewise; 10^{-3} = 0.001
    ("2^10", "2^10", 1_024, None),
    ("2**10", "2^10", 1_024, None),
    ("10^{-3}", "10^(-3)", 0.001, None),
    ("-2^2", "-2^2", -4, None),  # the power first, as in mathematics
    # separators inside expressions: 150,528 + 290,400 = 440,928 (corpus 18)
    ("150,528 + 290,400 = 440,928", "150528+290400", 440_928, 440_928),
])
def test_expressions(text, expression, computed, stated):
    written = one(text)
    assert (written.expression, written.computed, written.stated) == (expression, computed, stated)
    assert type(written.computed) is type(computed)


def test_scientific_notation_in_latex_is_a_number():
    # 3.4848 * 10^4 = 34,848
    written = one("= 3.4848 \\times 10^{4}")
    assert (written.expression, written.stated) == (None, 34_848)
    assert written.text == "3.4848 \\times 10^{4}"
    # as the result of a chain: 11*11*3*96 = 34,848
    chain = one("11 \\times 11 \\times 3 \\times 96 = 3.4848 \\times 10^{4}")
    assert (chain.computed, chain.stated) == (34_848, 34_848)


def test_results_with_scale_words_are_approximate():
    # corpus 01: 224*224 = 50,176, *3 = 150,528; the student wrote 150K
    written = one("224* 224 *3=150K")
    assert (written.computed, written.stated, written.approximate) == (150_528, 150_000, True)
    assert written.factors == (224, 224, 3)
    # corpus 18: 724M * 2 = 1,448,000,000; written 1.4G
    flops = one("$$ 724M \\times 2 = 1.4G $$")
    assert (flops.computed, flops.stated, flops.approximate) == (1_448_000_000, 1_400_000_000, True)


def test_approximately_in_a_chain():
    # 11*11*3*96 = 34,848
    written = one("11*11*3*96 ≈ 35K")
    assert (written.computed, written.stated, written.approximate) == (34_848, 35_000, True)


def test_a_label_before_equals_is_not_part_of_the_chain():
    # seed 004: kernel=11*11*3 (121*3 = 363), step=4
    found = scan("卷积核大小：kernel=11\\*11\\*3,step=4")
    assert [(w.text, w.expression, w.value) for w in found] == [("11\\*11\\*3", "11*11*3", 363), ("4", None, 4)]
    # corpus 02: (1*6*5*5) + 6 = 150 + 6 = 156
    written = one("Number of parameters = (1 x 6 x 5 x 5) + 6 = 156")
    assert (written.expression, written.computed, written.stated) == ("(1*6*5*5)+6", 156, 156)


def test_a_plain_number_before_equals_stands_alone():
    # seed 003: "in, out, kernel = working = result"; 64 * 121 = 7,744, + 64 = 7,808 (the student
    # meant 3 input channels: 3*64*121 + 64 = 23,296)
    found = scan("$$\\text{Pool Conv 1 } 1,64,11 = 1 \\times 64 \\times 11 \\times 11 + 64 = 23296$$")
    assert [w.value for w in found] == [1, 1, 64, 11, 23_296]
    assert (found[-1].expression, found[-1].computed) == ("1*64*11*11+64", 7_808)
    # the result written first, then the working (corpus 19): two Writtens; 9*64 = 576, +64 = 640
    first, working = scan("1792 = 3*3*3*64+64")
    assert (first.value, first.expression) == (1_792, None)
    assert (working.expression, working.computed, working.stated) == ("3*3*3*64+64", 1_792, None)


def test_cells_of_a_tab_separated_row_are_read_apart():
    # seed 001: 55*55 = 3,025, *96 = 290,400; 121*3*96 = 34,848; 34,848 * 3,025 = 105,415,200
    found = scan("Convolution\t55 * 55 * 96\t11 * 11 * 3 * 96\t11 * 11 * 3 * 96 * 55 * 55 = 105415200")
    assert [(w.expression, w.value) for w in found] == [
        ("55*55*96", 290_400), ("11*11*3*96", 34_848), ("11*11*3*96*55*55", 105_415_200)]
    # an expression that ends a line with "=" keeps its value; the "=" is left out of its text
    dangling = one("3 * 3 * 128 * 384 * 2 * 13 * 13 =")
    assert dangling.text == "3 * 3 * 128 * 384 * 2 * 13 * 13" and dangling.stated is None
    # 9 * 128 = 1,152, * 384 = 442,368, * 2 = 884,736, * 169 = 149,520,384
    assert dangling.computed == 149_520_384


def test_a_newline_ends_an_expression():
    assert [w.value for w in scan("11 * 11 * 3 * 96\n= 34848")] == [34_848, 34_848]


def test_prose_around_numbers():
    # seed 004: a labelled line with a remark in full-width brackets
    found = scan("训练参数：（11\\*11+1）\\*3 \\*96（每个滤波器11\\*11=121个unit参数和一个bias参数 \\* 3 个 channel，一共96个滤波器）")
    assert [(w.expression, w.value) for w in found] == [
        ("(11*11+1)*3*96", 35_136), ("11*11", 121), (None, 3), (None, 96)]
    # seed 001: a bullet and a numbered remark
    found = scan("- (1) There is a minor mistake that the input should be 227 X 227 X 3 rather than 224 X 224 X 3.")
    assert [w.value for w in found] == [1, 154_587, 150_528]  # 224*224 = 50,176, *3 = 150,528
    # seed 003: an arrow before the total
    assert values("Q2) Alexnet $\\Rightarrow 61,706$") == [61_706]
    # Markdown bold around a number, a stray asterisk after a sign
    assert values("**Total**: **60,965,224**") == [60_965_224]


def test_an_operator_before_a_word_is_left_out():
    # "150,528-dimensional": the minus belongs to the word
    written = one("The network's input is 150,528-dimensional")
    assert (written.text, written.value, written.expression) == ("150,528", 150_528, None)


def test_a_minus_apart_from_its_number_is_a_bullet():
    assert values("- 5 layers") == [5]


def test_offsets_point_into_the_input():
    text = "conv1: 55 x 55 x 96 = 290,400 neurons; 34{,}848 weights"
    for written in scan(text):
        assert text[written.start:written.end] == written.text
    assert [w.text for w in scan(text)] == ["55 x 55 x 96 = 290,400", "34{,}848"]


def test_value_is_stated_else_computed():
    assert Written("1+1", 0, 3, "1+1", 2, None, None).value == 2
    assert Written("1+1=3", 0, 5, "1+1", 2, 3, None).value == 3


# ---------------------------------------------------------------- evaluate and parse_number


@pytest.mark.parametrize("expression, expected", [
    ("(11*11+1)*3*96", 35_136),  # 122 * 288
    ("11 \\times 11", 121),
    ("4096\\*\\(256+1\\)", 1_052_672),
    ("61M", 61_000_000),
    ("7/2", 3.5),
    ("6/3", 2),
    ("2**-2", 0.25),
    ("1/3 + 2/3", 1),  # exact: a float sum would give 1.0 only by luck
    ("0.1 + 0.2", 0.3),  # exact decimals: 0.30000000000000004 in floats
    ("10^{3}", 1_000),
])
def test_evaluate(expression, expected):
    result = evaluate(expression)
    assert result == expected and type(result) is type(expected)


def test_evaluate_fractional_power():
    assert evaluate("4^0.5") == 2
    assert evaluate("2^0.5") == pytest.approx(1.41421356)


@pytest.mark.parametrize("expression", [
    "", "   ", "abc", "11 x 11 cm", "1 = 1", "1, 2", "(1+2", "1+", "*5", "1/0", "0^-1",
    "(-8)^(1/3)", "2^^2",
])
def test_evaluate_refuses(expression):
    with pytest.raises(ExpressionError):
        evaluate(expression)


def test_expression_error_is_a_grader_error():
    assert issubclass(ExpressionError, GraderError)


@pytest.mark.parametrize("token, expected", [
    ("34,848", 34_848), (" 34 848 ", 34_848), ("$34{,}848$", 34_848), ("61M", 61_000_000),
    ("6亿3000万", 630_000_000), ("3.4848e4", 34_848), ("１２３", 123), ("(34848)", 34_848),
    ("= 290400", 290_400), ("~61M", 61_000_000), ("-5", -5), ("3.4848 \\times 10^{4}", 34_848),
])
def test_parse_number(token, expected):
    assert parse_number(token) == expected


@pytest.mark.parametrize("token", ["", "abc", "1, 96", "11*11", "34848 weights", "conv1", "1"*101])
def test_parse_number_refuses(token):
    assert parse_number(token) is None


# ---------------------------------------------------------------- limits (issue 6)


def test_limits_defaults_are_generous_and_frozen():
    assert LIMITS == Limits()
    assert LIMITS.depth >= 32 and LIMITS.expression_chars >= 1_000 and LIMITS.digits >= 30
    with pytest.raises(AttributeError):
        LIMITS.depth = 3  # type: ignore[misc]


def test_three_thousand_nested_brackets_fail_fast():
    text = "(" * 3_000 + "1" + ")" * 3_000
    with pytest.raises(ExpressionError):
        evaluate(text)
    with pytest.raises(ExpressionError):
        evaluate(text, Limits(expression_chars=10_000))  # over the depth, not the length
    assert values(text) == [1]


def test_nesting_up_to_the_limit_evaluates():
    # every level adds one: (1+(1+(...(1)...)))
    depth = LIMITS.depth
    text = "(1+" * (depth - 1) + "(1" + ")" * depth
    assert evaluate(text) == depth
    with pytest.raises(ExpressionError):
        evaluate("(" + text + ")")


def test_towers_of_powers_fail_fast():
    with pytest.raises(ExpressionError, match="exponent"):
        evaluate("9**9**9")
    with pytest.raises(ExpressionError):
        evaluate("10^200")  # 201 digits, over the 100 allowed
    written = one("9**9**9 = 5")
    assert (written.expression, written.computed, written.stated) == ("9^9^9", None, 5)
    assert evaluate("2^10^2", Limits(digits=40)) == 2**100  # 31 digits: allowed


def test_division_by_zero_in_a_chain():
    written = one("1/0 = 5")
    assert (written.computed, written.stated) == (None, 5)


def test_long_expression_is_read_as_its_numbers():
    limits = Limits(expression_chars=20)
    text = "+".join(["1"] * 30)  # 59 characters
    with pytest.raises(ExpressionError):
        evaluate(text, limits)
    found = scan(text, limits)
    assert sum(w.value for w in found) == 30  # every 1 is read, alone or in short sums
    assert all(w.end - w.start <= 20 for w in found)


def test_numbers_with_too_many_digits_are_skipped():
    assert values("1" * 101 + " 5") == [5]
    with pytest.raises(ExpressionError, match="digits"):
        evaluate("1" * 101)
    assert values("1e999999 7") == [7]


def test_scan_stops_at_the_number_limit():
    assert [w.value for w in scan("1, 2, 3, 4, 5, 6", Limits(numbers=3))] == [1, 2, 3]


def test_a_five_megabyte_line():
    # 10,000 paragraphs of 500 characters, two numbers in each; one line, no newline
    paragraph = "the layer has 96 filters of 11 x 11 x 3 weights" + ", and then some more words" * 17 + "."
    paragraph += " " * (500 - len(paragraph))
    found = scan(paragraph * 10_000)
    assert len(found) == 20_000
    assert {(w.value, w.expression) for w in found} == {(96, None), (363, "11*11*3")}  # 121*3
    assert found[-1].end == 500 * 9_999 + paragraph.index(" weights")


def test_hostile_lines_do_not_blow_up():
    for text in ("(" * 200_000 + "1", "-+" * 100_000 + "1", "1e" * 500_000, "1,1" * 300_000,
                 "\\frac{" * 50_000 + "1"):
        found = scan(text)
        assert len(found) <= LIMITS.numbers
        assert all(text[w.start:w.end] == w.text for w in found)


# ---------------------------------------------------------------- number forms of every language (issue 11)

# (text, value, approximate, step): each figure worked by hand beside it; the step is the unit of the
# last significant digit of a value that may be rounded, None when every digit is written.
NUMBER_FORMS = {
    "grouping": [
        ("34 848", 34_848, False, None),  # a plain space
        ("34\u2009848", 34_848, False, None),  # thin space
        ("34\u202f848", 34_848, False, None),  # narrow no-break space (French typography)
        ("34\u00a0848", 34_848, False, None),  # no-break space
        ("34\u2007848", 34_848, False, None),  # figure space
        ("34'848", 34_848, False, None),  # Swiss apostrophe
        ("105\u202f415\u202f200", 105_415_200, False, None),
        ("60.965.224", 60_965_224, False, None),  # dots as thousands (de, es, pt, vi)
        ("34.848", 34_848, False, None),  # three digits after the dot: thousands
    ],
    "decimals": [
        ("0,5", 0.5, False, None),  # a decimal comma: "0,5" is no list and no thousands
        ("0,25", 0.25, False, None),
        ("1.234,5", 1_234.5, False, None),  # dot thousands, comma decimals
        ("60.965.224,0", 60_965_224, False, None),
        ("34 848,5", 34_848.5, False, None),  # space thousands, comma decimals
        ("1'234.5", 1_234.5, False, None),
        ("3,5", None, False, None),  # no scale after it: "(3,5)" is a pair more often than 3.5
    ],
    "suffixes": [
        ("34.8K", 34_800, True, 100),  # 34.8 * 1,000; the last digit is hundreds
        ("34,8K", 34_800, True, 100),  # the same with a decimal comma
        ("34,848K", 34_848_000, True, 1_000),  # three digits after the comma: thousands, then K
        ("61M", 61_000_000, True, 1_000_000),
        ("60M", 60_000_000, True, 10_000_000),  # the zero ending a whole number is not significant
        ("3.20M", 3_200_000, True, 10_000),  # a zero after the point is
        ("1.05G", 1_050_000_000, True, 10_000_000),
        ("1.2B", 1_200_000_000, True, 100_000_000),
    ],
    "words": [
        ("61 million", 61_000_000, True, 1_000_000),
        ("61 Mio.", 61_000_000, True, 1_000_000),  # de
        ("60,97 Mio", 60_970_000, True, 10_000),  # 60.97 * 1,000,000
        ("1,2 Mrd.", 1_200_000_000, True, 100_000_000),
        ("35 Tsd.", 35_000, True, 1_000),
        ("61 millions", 61_000_000, True, 1_000_000),  # fr
        ("1,2 milliard", 1_200_000_000, True, 100_000_000),
        ("61 millones", 61_000_000, True, 1_000_000),  # es
        ("34,8 mil", 34_800, True, 100),
        ("61 milhões", 61_000_000, True, 1_000_000),  # pt
        ("61 млн", 61_000_000, True, 1_000_000),  # ru
        ("34,8 тыс.", 34_800, True, 100),
        ("61 миллион", 61_000_000, True, 1_000_000),
        ("61 triệu", 61_000_000, True, 1_000_000),  # vi
        ("35 nghìn", 35_000, True, 1_000),
    ],
    "cjk": [
        ("6100万", 61_000_000, True, 1_000_000),  # 6,100 * 10,000; its last significant digit is the 1
        ("6100萬", 61_000_000, True, 1_000_000),  # traditional characters
        ("0.61亿", 61_000_000, True, 1_000_000),  # 0.61 * 100,000,000
        ("0.61億", 61_000_000, True, 1_000_000),
        ("6096.5万", 60_965_000, True, 1_000),  # 6,096.5 * 10,000
        ("6100만", 61_000_000, True, 1_000_000),  # ko
        ("6천만", 60_000_000, True, 10_000_000),  # ko: 6 * 10,000,000
        ("6亿3000万", 630_000_000, True, 10_000_000),  # 600,000,000 + 30,000,000
        ("3万4848", 34_848, False, None),  # 30,000 + 4,848: every digit written
        ("6096万5224", 60_965_224, False, None),  # 60,960,000 + 5,224
    ],
    "scientific": [
        ("3.4848e4", 34_848, False, None),  # every digit of 34,848
        ("3.072e5", 307_200, False, 100),  # 307,200, or anything from 307,150 to 307,250
        ("1.05e8", 105_000_000, False, 1_000_000),
        ("1.05 \\times 10^{8}", 105_000_000, False, 1_000_000),
    ],
    "approximately": [
        ("~35,000", 35_000, True, 1_000),
        ("≈ 61,706", 61_706, True, None),  # every digit written
        ("约6000万", 60_000_000, True, 10_000_000),
    ],
}
FORM_CASES = [pytest.param(text, value, approximate, step, id=f"{form}-{text}")
              for form, cases in NUMBER_FORMS.items() for text, value, approximate, step in cases]


@pytest.mark.parametrize("text, value, approximate, step", FORM_CASES)
def test_number_forms(text, value, approximate, step):
    found = scan(text)
    if value is None:  # not one number
        assert len(found) != 1
        return
    assert len(found) == 1, found
    (written,) = found
    assert written.value == value and type(written.value) is type(value)
    assert written.text in text and text[written.start:written.end] == written.text
    assert (written.approximate, written.step) == (approximate, step)


@pytest.mark.parametrize("text, expected", [
    ("34 848 весов", [34_848]),  # the word after the number ends it
    ("Параметров: 60 965 224.", [60_965_224]),
    ("1,5 млн параметров", [1_500_000]),
    ("(5,5)", [5, 5]),  # a kernel size stays a pair
    ("(0,0)", [0, 0]),  # a zero padding, not 0.0
    ("(0,5,1)", [0, 5, 1]),
    ("3 mil millones", [3_000_000_000]),  # es: 3 * 1,000,000,000
    ("Conv1: 34 848 Gewichte, 105.415.200 Verbindungen", [34_848, 105_415_200]),
    ("3萬4848個", [34_848]),
])
def test_numbers_in_sentences_of_every_language(text, expected):
    assert values(text) == expected


def test_a_scale_word_glued_to_a_word_is_not_a_scale():
    assert values("34 millimetres") == [34]  # not 34 thousand ("mil")
    assert values("5 Milchkühe") == [5]


def test_rounding_intervals():
    # 34.8K stands for 34,750 up to (not including) 34,850; 61M for 61 million within half a million
    assert rounding(34_800, "34.8K") == (34_750, 34_850)
    assert rounding(61_000_000, "Alexnet with 61 M.") == (60_500_000, 61_500_000)
    assert rounding(60_970_000, "60,97 Mio") == (60_965_000, 60_975_000)
    assert rounding(307_200, "3.072e5") == (307_150, 307_250)
    # without a text, an approximate value's own digits show its precision
    assert rounding(61_000_000, approximate=True) == (60_500_000, 61_500_000)
    assert rounding(3_500_000.0, approximate=True) == (3_450_000, 3_550_000)
    # every digit written: exact as it stands
    assert rounding(34_848, "34,848") is None
    assert rounding(61_706, "≈ 61,706", approximate=True) is None
    assert rounding(34_848, approximate=False) is None


def test_a_scale_word_keeps_its_point_and_its_de():
    # "Mio." and "тыс." are abbreviations, not sentence ends; "millions de" (fr, es, pt) joins the noun
    assert [w.text for w in scan("307,2 Tsd. Gewichte, 223,9 Mio. Verbindungen")] == ["307,2 Tsd.", "223,9 Mio."]
    assert [w.text for w in scan("34,8 тыс. весов")] == ["34,8 тыс."]
    assert [(w.text, w.value) for w in scan("223,9 millions de connexions")] == [("223,9 millions de", 223_900_000)]
    assert [(w.text, w.value) for w in scan("2 millions d'unités")] == [("2 millions d'", 2_000_000)]
    assert [w.text for w in scan("61 millions demain")] == ["61 millions"]
