"""Traditional Chinese read as Simplified. The vocabulary writes Chinese in Simplified characters
("参数", "节点数量", "全连接层"); a student in Taiwan or Hong Kong writes "參數", "節點數量", "全連接層",
and a page converted by machine writes Taiwan's words ("引數" for 参数, "全連線層"). OpenCC's
Taiwan-to-Simplified conversion with phrases (`tw2sp`) maps both, so the vocabulary stays one list.
Japanese shares many of these characters ("畳み込み層"), so a text with kana is left as written. Only
the extractor's view is converted (the file and the Document the readers made are not); an answer's
`text`, the working feedback quotes, is taken from that view, its digits as written."""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from grader.core import Block, Document, Table, block_texts

_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")


@lru_cache(maxsize=1)
def _converter():
    import opencc  # lazily: only a document in Chinese characters needs it

    return opencc.OpenCC("tw2sp")


def simplified(document: Document) -> Document:
    """The document with Traditional Chinese written in Simplified characters; a document with no
    Chinese, with kana, or already Simplified is returned as it is."""
    text = "\n".join(block_texts(document.blocks))
    if not _IDEOGRAPH.search(text) or _KANA.search(text):
        return document
    convert = _converter().convert
    if convert(text) == text:
        return document
    return dataclasses.replace(document, blocks=tuple(_converted(block, convert) for block in document.blocks))


def _converted(block: Block, convert) -> Block:
    if isinstance(block, Table):
        rows = tuple(tuple(dataclasses.replace(cell, text=convert(cell.text)) for cell in row) for row in block.rows)
        return dataclasses.replace(block, rows=rows)
    return dataclasses.replace(block, text=convert(block.text))
