"""Written answers (alexnet-paper's question 2) graded by the concepts they mention.

The answer is found after its question's number ("## 2,", "2.", "Q2", "Question 2"), split into
parts "(a)", "(b)" when the rubric has several items for that question, and each concept counts
when one of its phrases appears (case-insensitive; rapidfuzz forgives small typos in long phrases).
What is not sure goes to the TA's review queue."""
from __future__ import annotations

import re

from grader.core import Document, FreeTextAnswer, Source, TextLine

FUZZY_MIN_LENGTH = 8  # shorter phrases must appear as written
FUZZY_SCORE = 90


_PREFIX = r"(?:q(?:uestion)?\.?\s*|problem\s*|exercise\s*|题\s*|第\s*)?"


def _marker(text: str, heading: bool) -> tuple[int, int, int] | None:
    """(number, strength, where the answer text starts) when a line opens a question."""
    if heading:
        match = re.match(rf"\s*{_PREFIX}(\d+)\s*(?:[,.，、:：)）]|$|\s)", text, re.I)
        if match:
            return int(match.group(1)), 3, match.end()
    match = re.match(rf"\s*(?:{_PREFIX}(\d+)\s*[,.，、:：)）](?!\d)|(?:q|question|problem)\s*(\d+)\b)", text, re.I)
    if match:
        return int(match.group(1) or match.group(2)), 2, match.end()
    match = re.match(r"\s*[(（](\d+)[)）]", text)
    if match:
        return int(match.group(1)), 1, match.end()
    return None


_PART = re.compile(r"\s*[-*•]?\s*(?:[(（]([a-h])[)）]|([a-h])[).])\s*", re.I)


def question_text(document: Document, number: int) -> list[tuple[str, Source]]:
    """The lines answering question `number`, from its opening line to the next question's."""
    lines = [block for block in document.blocks if isinstance(block, TextLine)]
    markers = [_marker(line.text, line.heading > 0) for line in lines]
    opening = [(m[1], -i) for i, m in enumerate(markers) if m and m[0] == number]
    if not opening:
        return []
    strength, start = max(opening)
    start = -start
    found = [(lines[start].text[markers[start][2]:].strip(), lines[start].source)]
    for line, marker in zip(lines[start + 1:], markers[start + 1:]):
        if marker and marker[0] != number and marker[1] >= strength:
            break
        found.append((line.text.strip(), line.source))
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
