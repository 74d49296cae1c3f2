"""The memo of the extraction's text functions (grader/extract/memo.py): a result is worked out
once per text, and a caller that changes the list it is given changes no other caller's."""
from grader.extract.memo import LONGEST, memoised, memoised_list


def test_each_caller_gets_its_own_list():
    calls = []

    @memoised_list
    def numbers(text):
        calls.append(text)
        return [3, 1, 2]

    first = numbers("conv1: 3 1 2")
    first.sort()
    first.append(4)
    assert numbers("conv1: 3 1 2") == [3, 1, 2]
    assert calls == ["conv1: 3 1 2"]


def test_a_long_text_is_worked_out_each_time():
    calls = []

    @memoised
    def length(text):
        calls.append(len(text))
        return len(text)

    long_text = "9" * (LONGEST + 1)
    assert length(long_text) == length(long_text) == LONGEST + 1
    assert length("34848") == length("34848") == 5
    assert calls == [LONGEST + 1, LONGEST + 1, 5]



def test_the_documents_decimal_mark_is_part_of_the_key():
    """"34,848 Tsd." is 34,848 thousand in a text that groups with commas, 34.848 thousand in one that
    groups with dots: a memo that forgot the setting would hand one document the other's reading."""
    from grader.extract.memo import DECIMAL_COMMA
    from grader.extract.regions import read_values

    assert [p.value for p in read_values("34,848 Tsd.")] == [34848000]
    token = DECIMAL_COMMA.set(True)
    try:
        assert [p.value for p in read_values("34,848 Tsd.")] == [34848]
    finally:
        DECIMAL_COMMA.reset(token)
    assert [p.value for p in read_values("34,848 Tsd.")] == [34848000]
