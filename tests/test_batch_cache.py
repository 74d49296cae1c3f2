"""The batch cache: Documents and Answers survive the round trip exactly; entries are keyed by
content, by the code that produced them and by what the rubric asks."""
from __future__ import annotations

from grader.batch import cache
from grader.core import Answer, Cell, Document, Quantity, Source, Table, TextLine

DOCUMENT = Document("a.md", "markdown", (
    TextLine("AlexNet", Source(line=1), heading=1),
    Table(((Cell("layer", Source(line=3, cell="r1c1")), Cell("weights", Source(line=3, cell="r1c2"))),
           (Cell("conv1", Source(line=4, cell="r2c1")), Cell("34,848", Source(line=4, cell="r2c2")))),
          Source(line=3), has_header=True),
    TextLine("卷积层 2", Source(sheet="HW", cell="B4", notebook_cell=2, paragraph=5)),
), encoding="gb18030")
ANSWERS = (
    Answer("alexnet", "conv1", Quantity.WEIGHTS, 34_848, Source(line=4, cell="r2c2"), expression="11*11*3*96",
           computed=34_848, text="11*11*3*96 = 34848"),
    Answer("alexnet", "conv1", Quantity.SHAPE, (55, 55, 96), Source(line=5), computed=(55, 55, 96)),
    Answer("alexnet", "total", Quantity.PARAMS, 61_000_000.0, Source(line=9), approximate=True, confidence=0.5,
           text="61M"),
)
ASKED = {"alexnet": (Quantity.UNITS, Quantity.WEIGHTS)}


def test_document_round_trip(tmp_path):
    cache.store(tmp_path, "abc", "a.md", DOCUMENT)
    assert cache.load(tmp_path, "abc", "a.md") == DOCUMENT
    moved = cache.load(tmp_path, "abc", "b/a copy.md")  # the same content elsewhere
    assert moved.path == "b/a copy.md" and moved.blocks == DOCUMENT.blocks


def test_unreadable_reason_names_the_file_asked_for(tmp_path):
    cache.store(tmp_path, "abc", "x/a.docx", "x/a.docx: not a zip file")
    assert cache.load(tmp_path, "abc", "y/b.docx") == "y/b.docx: not a zip file"


def test_answers_round_trip_and_key(tmp_path):
    cache.store_answers(tmp_path, "abc", ASKED, ANSWERS)
    assert cache.load_answers(tmp_path, "abc", ASKED) == ANSWERS
    assert cache.load_answers(tmp_path, "abc", {"alexnet": (Quantity.PARAMS,)}) is None
    assert cache.load_answers(tmp_path, "abd", ASKED) is None


def test_damaged_entries_are_ignored(tmp_path):
    cache.entry_path(tmp_path, "abc").write_text("{not json")
    assert cache.load(tmp_path, "abc", "a.md") is None
    cache.answers_path(tmp_path, "abc", ASKED).write_text('{"answers": [{"network": 1}]}')
    assert cache.load_answers(tmp_path, "abc", ASKED) is None


def test_the_source_key_is_the_bytes_and_the_extension(tmp_path):
    """The extension helps choose the reader: the same bytes as .txt and .ipynb are two entries."""
    for name in ("a.txt", "b.txt", "c.TXT", "d.ipynb", "e"):
        (tmp_path / name).write_text("| conv1 | 290,400 |\n")
    keys = {name: cache.source_key(tmp_path / name) for name in ("a.txt", "b.txt", "c.TXT", "d.ipynb", "e")}
    assert keys["a.txt"] == keys["b.txt"] == keys["c.TXT"]
    assert len({keys["a.txt"], keys["d.ipynb"], keys["e"]}) == 3
    (tmp_path / "b.txt").write_text("| conv1 | 290,401 |\n")
    assert cache.source_key(tmp_path / "b.txt") != keys["a.txt"]
