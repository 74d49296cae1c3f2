"""Text in images (photos, scans, the pages of a scanned PDF) through RapidOCR on onnxruntime.

An optional extra (`pip install -e ".[ocr]"`, about 430 MB with OpenCV and onnxruntime): without
it an image is unreadable with a message naming the extra. RapidOCR's models ship inside its wheel,
so nothing is downloaded at run time. Each box keeps the OCR's confidence; a number whose digits
had to be repaired from letters (O for 0, l for 1, as phone photos give them) is marked far less
sure, so an uncertain digit goes to review rather than to a verdict.
"""
from __future__ import annotations

import functools
import importlib.util
import logging
import re

from grader.core import UnreadableError
from grader.readers.layout import Box, deskew

OCR_EXTRA = 'the ocr extra (pip install "cnn-count-grader[ocr]", or -e ".[ocr]" in a checkout)'
# An OCR box is taller than its text (it takes the line's height with a margin), so the gap that
# separates cells is a smaller part of it than in a PDF (grader.readers.layout.CELL_GAP).
OCR_CELL_GAP = 0.7
# A repaired digit is a guess: below the grader's review threshold, whatever the OCR's own score.
REPAIRED_CONFIDENCE = 0.4

# Letters an OCR gives for digits, repaired only inside a run of digits and separators with two
# digits or more: "29O,4O0" is a number, "Conv" and "FC6" are not touched.
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "Q": "0", "l": "1", "I": "1", "|": "1"})
_NUMBERISH = re.compile(r"(?<![A-Za-z])[\dOoQlI|][\dOoQlI|,.]*[\dOoQlI|](?![A-Za-z])")

# Thousands groups separated by both "," and "." ("37,748.736"): a comma the OCR read as a point.
_MIXED_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?=(?:[.,]\d{3})*,\d{3})(?=(?:[.,]\d{3})*\.\d{3})(?:[.,]\d{3})+(?![\d.,])")


def ocr_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))


def require_ocr(path: str, what: str) -> None:
    """UnreadableError naming the extra, for a file that only OCR can read."""
    if not ocr_available():
        raise UnreadableError(f"{path}: {what}, which needs OCR: install {OCR_EXTRA}")


@functools.cache
def _engine():
    import onnxruntime
    from rapidocr import RapidOCR

    onnxruntime.set_default_logger_severity(3)  # errors only
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR(params={"Global.log_level": "error"})


def repair_digits(text: str, confidence: float) -> tuple[str, float]:
    """Digits an OCR read as letters put back, and thousands groups split by both "," and "." put
    in commas; the confidence lowered where either was."""
    repaired = False

    def fix(match: re.Match) -> str:
        nonlocal repaired
        token = match.group()
        if sum(ch.isdigit() for ch in token) < 2 or token.isdigit():
            return token
        fixed = token.translate(_LOOKALIKES)
        repaired = repaired or fixed != token
        return fixed

    def regroup(match: re.Match) -> str:
        nonlocal repaired
        repaired = True
        return match.group().replace(".", ",")

    text = _MIXED_GROUPS.sub(regroup, _NUMBERISH.sub(fix, text))
    return text, min(confidence, REPAIRED_CONFIDENCE) if repaired else confidence


def ocr_boxes(image, path: str) -> list[Box]:
    """The text boxes of an image (a PIL image, RGB), in the image's pixels, rotated upright by the
    lines' own slope: a box per word where the OCR gives words (the gap between two words is
    what tells two cells apart, and the OCR's line boxes run over narrow gaps), each with the
    OCR's confidence in its line."""
    try:
        import numpy

        result = _engine()(numpy.asarray(image), return_word_box=True)
    except ImportError as err:
        raise UnreadableError(f"{path}: OCR is not installed ({err.name} is missing): install {OCR_EXTRA}") from None
    except Exception as err:  # noqa: BLE001 - the OCR raises many kinds on an image it cannot take
        raise UnreadableError(f"{path}: the OCR could not read the image ({type(err).__name__}: {err})") from None
    if result.boxes is None or result.txts is None:
        return []
    quads = [_corners(quad) for quad in result.boxes]
    upright = deskew(quads)
    words = result.word_results if len(getattr(result, "word_results", None) or ()) == len(quads) else None
    boxes = []
    for n, (quad, text, score) in enumerate(zip(quads, result.txts, result.scores)):
        # a word's own score runs low on a trailing comma or point: the line's is the surer measure
        parts = [(word, _corners(corners)) for word, _, corners in words[n]] if words and words[n] else [(text, quad)]
        at = 0  # where the line's own text has spaces, the words have them (Chinese lines come a character a word)
        for part, corners in parts:
            found = text.find(part, at) if part else -1
            spaced = found > at and text[at:found].isspace() or (found < 0 and at > 0)
            at = found + len(part) if found >= 0 else at
            part, confidence = repair_digits(part.strip(), float(score))
            if part:
                boxes.append(Box(" " + part if spaced else part, *upright(corners), confidence=round(confidence, 3)))
    return boxes


def _corners(quad) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in quad]
