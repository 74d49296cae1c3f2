"""Bytes to text: UTF-8 (with or without BOM), UTF-16/32 (with BOM, or UTF-16 without), GB18030/GBK
and the other encodings charset-normalizer recognises; binary data is refused."""
from __future__ import annotations

import codecs
import re

from grader.core import UnreadableError

_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never occur in text a person wrote (tab, newlines, form feed excluded).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_CHINESE = {"gb18030", "gbk", "gb2312", "hz"}


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """The text of a file and the name of its encoding; UnreadableError for binary data."""
    text, encoding = _decode(data, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    controls = len(_CONTROL.findall(text, 0, 1_000_000))
    if controls > max(2, min(len(text), 1_000_000) // 200):
        raise UnreadableError(f"{path}: binary file, not text")
    return text, encoding


def _decode(data: bytes, path: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return body.decode(encoding), encoding
            except UnicodeDecodeError as err:
                if err.end < len(body):
                    raise UnreadableError(f"{path}: binary file, not text (invalid {encoding})") from None
            # a file cut short in its last character (a lost byte of UTF-16): the rest is text
            return body.decode(encoding, errors="replace"), encoding
    if b"\x00" in data:
        # NUL bytes: UTF-16 without a BOM (every other byte NUL for Latin text), else binary.
        encoding = _utf16_without_bom(data)
        if encoding:
            return data.decode(encoding), encoding
        raise UnreadableError(f"{path}: binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 with a stray byte or a cut-off last character: plenty of valid multi-byte characters
    # around a few bad bytes (GBK read as UTF-8 gives almost no valid ones).
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    if bad <= valid // 10 and bad <= len(text) // 100 + 1:
        return text, "utf-8"
    return _guess(data, path)


# Han characters, CJK and full-width punctuation, and the symbols maths in Chinese text uses (× · ≈ →).
_HAN = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u00b1\u00b7\u00d7\u00f7\u2000-\u206f\u2190-\u22ff]")


def _chinese_text(data: bytes) -> str | None:
    """GB18030 text that charset-normalizer passes over (short files give it too little to score):
    it decodes strictly and nearly every non-ASCII character is a Han character, Chinese punctuation
    or a maths symbol, which random bytes decoded as GB18030 are not."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = sum(1 for char in text if ord(char) > 0x7F)
    return text if wide and len(_HAN.findall(text)) >= 0.95 * wide else None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:20_000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    for encoding, nuls, other in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):
        if nuls >= half * 0.3 and other <= half * 0.05:
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def _guess(data: bytes, path: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        chinese = _chinese_text(data)
        if chinese is not None:
            return chinese, "gb18030"
        raise UnreadableError(f"{path}: binary file, not text (no known text encoding fits)")
    best = matches[0].chaos
    # Short Chinese text is often equally plausible as Korean or Japanese; the class writes Chinese.
    ranked = sorted(matches, key=lambda m: (m.encoding not in _CHINESE or m.chaos > best + 0.02, m.chaos))
    for match in ranked:
        encoding = "gb18030" if match.encoding in _CHINESE else match.encoding
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnreadableError(f"{path}: binary file, not text (no known text encoding fits)")
