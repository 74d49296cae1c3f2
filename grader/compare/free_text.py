"""Written answers (alexnet-paper's question 2) graded by the concepts they mention.

The answer is found after its question's number ("## 2,", "2.", "Q2", "Question 2", "第二题", "二、",
a table row headed "Q2"), split into
parts "(a)", "(b)" when the rubric has several items for that question, and each concept counts
when one of its phrases appears (case-insensitive; rapidfuzz forgives small typos in long phrases).
What is not sure goes to the TA's review queue."""
from __future__ import annotations

import re

from grader.core import Document, FreeTextAnswer, Source, Table, TextLine

FUZZY_MIN_LENGTH = 8  # shorter phrases must appear as written
FUZZY_SCORE = 90


_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER = r"(\d+|[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
# An explicit question marker: "Q2", "Q.2", "Question 2", "Problem 2", "问题2", "题2", "第二题", "第2问".
_EXPLICIT = re.compile(
    rf"\s*(?:(?:q(?:uestion)?|problem|exercise)\s*(?:\.\s*)?(\d+)(?!\d)|(?:问题|习题|题目?)\s*{_NUMBER}"
    rf"|第\s*{_NUMBER}\s*[题題问問](?:目)?)\s*[,.，、:：)）]?", re.I)
# A bare list number: "2.", "2)", "二、"; in a heading also "## 2 Parameters".
_BARE = re.compile(rf"\s*{_NUMBER}\s*[,.，、:：)）](?!\d)")
_BARE_HEADING = re.compile(rf"\s*{_NUMBER}\s*(?:[,.，、:：)）]|$|\s)")
_PARENTHESISED = re.compile(rf"\s*[(（]{_NUMBER}[)）]")
# What follows a list number that is an answer row, not a question: "2. 186624 / 307200 / 223948800".
_FIGURE_CHARACTERS = re.compile(r"[\d\s,.，、/×xX*+\-=()（）:：;|%≈~]*")


def _figures_only(text: str) -> bool:
    return bool(_FIGURE_CHARACTERS.fullmatch(text)) and any(ch.isdigit() for ch in text)


def _value(token: str) -> int:
    if token.isdigit():
        return int(token)
    if "十" in token:
        tens, _, ones = token.partition("十")
        return _CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(ones, 0)
    return _CHINESE_DIGITS[token]


def _marker(text: str, heading: bool) -> tuple[int, int, int] | None:
    """(number, strength, where the answer text starts) when a line opens a question. An explicit
    marker (Q2, Question 2, 第二题) outranks a bare list number (2., 二、), which outranks "(2)"; a
    heading outranks the same marker in a line. A list item made of figures marks no question."""
    found = None
    match = _EXPLICIT.match(text)
    if match:
        found = (_value(next(g for g in match.groups() if g)), 3, match.end())
    else:
        match = (_BARE_HEADING if heading else _BARE).match(text)
        if match and not _figures_only(text[match.end():]):
            found = (_value(match.group(1)), 2, match.end())
        else:
            match = _PARENTHESISED.match(text)
            if match:
                found = (_value(match.group(1)), 1, match.end())
    if found is None:
        return None
    number, strength, end = found
    return number, strength + 2 * heading, end


def _lines(document: Document):
    """The document's lines of text, with the rows of a table from the first one whose first cell
    is an explicit question marker ("Q2 (parameters)" above its answer in the next cell)."""
    for block in document.blocks:
        if isinstance(block, TextLine):
            yield block.text, block.source, block.heading > 0
        elif isinstance(block, Table):
            opened = False
            for row in block.rows:
                cells = [cell for cell in row if cell.text.strip()]
                if not cells:
                    continue
                if not opened:
                    marker = _marker(row[0].text, False)
                    opened = marker is not None and marker[1] >= 3
                if opened:
                    yield " ".join(cell.text.strip() for cell in cells), cells[0].source, False


_PART = re.compile(r"\s*[-*•]?\s*(?:[(（]([a-h])[)）]|([a-h])[).])\s*", re.I)


def question_text(document: Document, number: int) -> list[tuple[str, Source]]:
    """The lines answering question `number`, from its opening line to the next question's."""
    lines = list(_lines(document))
    markers = [_marker(text, heading) for text, _, heading in lines]
    opening = [(m[1], -i) for i, m in enumerate(markers) if m and m[0] == number]
    if not opening:
        return []
    strength, start = max(opening)
    start = -start
    found = [(lines[start][0][markers[start][2]:].strip(), lines[start][1])]
    for (text, source, _), marker in zip(lines[start + 1:], markers[start + 1:]):
        if marker and marker[0] != number and marker[1] >= strength:
            break
        found.append((text.strip(), source))
    return [(text, source) for text, source in found if text]


def _parts(lines: list[tuple[str, Source]]) -> list[list[tuple[str, Source]]]:
    parts: list[list[tuple[str, Source]]] = []
    for text, source in lines:
        match = _PART.match(text)
        if match:
            parts.append([(text[match.end():], source)])
        elif parts:
            parts[-1].append((text, source))
    return parts


def mentions(text: str, phrase: str) -> bool:
    text, phrase = text.lower(), phrase.lower().strip()
    if not phrase:
        return False
    if phrase.isascii() and len(phrase) <= 3:
        return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text) is not None
    if phrase in text:
        return True
    if phrase.isascii() and len(phrase) >= FUZZY_MIN_LENGTH:
        from rapidfuzz import fuzz

        return fuzz.partial_ratio(phrase, text) >= FUZZY_SCORE
    return False


def grade_free_text(document: Document | None, items) -> tuple[FreeTextAnswer, ...]:
    """Each rubric FreeText item, graded."""
    answers = []
    by_question: dict[int | None, list] = {}
    for item in items:
        match = re.match(r"q(\d+)", item.id, re.I)
        by_question.setdefault(int(match.group(1)) if match else None, []).append(item)
    for number, question_items in by_question.items():
        lines = question_text(document, number) if document is not None and number is not None else []
        parts = _parts(lines)
        for i, item in enumerate(question_items):
            chosen = parts[i] if len(question_items) > 1 and len(parts) >= len(question_items) else lines
            text = " ".join(t for t, _ in chosen)
            concepts = tuple(name for name, phrases in item.concepts if any(mentions(text, p) for p in phrases))
            earned = item.points * min(1.0, len(concepts) / item.needed) if item.needed else item.points
            answers.append(FreeTextAnswer(
                id=item.id, prompt=item.prompt, text=text, source=chosen[0][1] if chosen else None,
                concepts=concepts, points=round(earned, 2), max_points=item.points,
                sure=bool(text) and len(concepts) >= item.needed))
    order = {item.id: i for i, item in enumerate(items)}
    return tuple(sorted(answers, key=lambda a: order[a.id]))
