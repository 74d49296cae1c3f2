"""Images (photos and scans of handwritten or printed work) through OCR: an optional extra.

The rows of a photographed table are rebuilt from the boxes' positions (grader.readers.layout),
and every line and cell carries the OCR's confidence in Source.ocr_confidence. Source.line is the
line within the image, top to bottom. The photo is turned upright by its EXIF orientation first.
"""
from __future__ import annotations

import importlib.util
import io
import warnings

from grader.core import Document, Source, UnreadableError
from grader.readers.layout import layout_blocks
from grader.readers.limits import Limits
from grader.readers.ocr import OCR_CELL_GAP, ocr_boxes, require_ocr
from grader.readers.tables import CellBudget

# Magic numbers of the images read, and their names for messages.
IMAGE_KINDS = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".jpe", ".gif", ".tif", ".tiff", ".bmp", ".webp")


def image_kind(data: bytes) -> str | None:
    """"PNG", "JPEG", ... when the bytes start like an image this reader takes, else None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    for magic, kind in IMAGE_KINDS:
        if data.startswith(magic) and (kind != "BMP" or data[6:10] == bytes(4)):  # "BM" starts words too
            return kind
    return None


def read_image(data: bytes, *, path: str, limits: Limits) -> Document:
    kind = image_kind(data)
    if kind is None:
        raise UnreadableError(f"{path}: not a valid image (not PNG, JPEG, GIF, TIFF, BMP or WebP)")
    if importlib.util.find_spec("PIL") is None:  # Pillow comes with the ocr extra
        require_ocr(path, f"a {kind} image")
    image = decode_image(data, path, kind, limits)  # a damaged image says so, OCR or not
    require_ocr(path, f"a {kind} image")
    boxes = ocr_boxes(image, path)
    blocks = layout_blocks(boxes, lambda line: Source(line=line), CellBudget(limits.max_cells, path),
                           cell_gap=OCR_CELL_GAP)
    return Document(path=path, format="image", blocks=tuple(blocks))


def decode_image(data: bytes, path: str, kind: str, limits: Limits):
    """The image upright (by its EXIF orientation) in RGB, or UnreadableError."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > limits.max_pixels:
                raise UnreadableError(f"{path}: a {image.width}×{image.height} image, over the "
                                      f"{limits.max_pixels:,}-pixel limit")
            return ImageOps.exif_transpose(image).convert("RGB")  # loads the pixels: a truncated file fails here
    except UnreadableError:
        raise
    except UnidentifiedImageError:  # its message names a stream object: not for a person
        raise UnreadableError(f"{path}: not a valid {kind} image (its data cannot be decoded)") from None
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise UnreadableError(f"{path}: not a valid {kind} image ({err})") from None
