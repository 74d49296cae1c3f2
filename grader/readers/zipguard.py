"""Checks on a zipped document (xlsx, docx) before any XML library opens it: bounded sizes
(zip bombs) and no DTD or entity declarations in its XML parts (billion laughs, external entities)."""
from __future__ import annotations

import io
import zipfile
import zlib

from grader.core import UnreadableError
from grader.readers.limits import Limits, size_text

_XML_SUFFIXES = (".xml", ".rels", ".vml")
# Declarations as they appear in UTF-8 and in UTF-16 (either byte order) XML.
_FORBIDDEN = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_CHUNK = 1024 * 1024
_OVERLAP = 32


def zip_names(data: bytes, path: str, kind: str) -> list[str]:
    """The member names of a zip, or UnreadableError naming `kind` ("xlsx workbook")."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as err:
        raise UnreadableError(f"{path}: not a valid {kind} (broken zip archive: {err})") from None


def check_zip(data: bytes, path: str, kind: str, limits: Limits) -> None:
    """Raise UnreadableError unless the zip is intact, within the limits and free of XML declarations."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > limits.max_zip_members:
                raise UnreadableError(
                    f"{path}: not a valid {kind}: {len(members)} parts, over the {limits.max_zip_members}-part limit")
            declared = sum(member.file_size for member in members)
            if declared > limits.max_unzipped_bytes:
                raise UnreadableError(
                    f"{path}: not a valid {kind}: unzips to {size_text(declared)}, "
                    f"over the {size_text(limits.max_unzipped_bytes)} limit (a zip bomb?)")
            xml = [member for member in members if member.filename.lower().endswith(_XML_SUFFIXES)]
            declared = sum(member.file_size for member in xml)
            if declared > limits.max_xml_bytes:
                raise UnreadableError(
                    f"{path}: not a valid {kind}: its XML unzips to {size_text(declared)}, "
                    f"over the {size_text(limits.max_xml_bytes)} limit")
            for member in xml:
                _check_xml_part(archive, member, path, kind)
    except UnreadableError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError,
            NotImplementedError, zlib.error) as err:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method;
        # zlib.error: a damaged deflate stream.
        raise UnreadableError(f"{path}: not a valid {kind} (broken zip archive: {err})") from None


def _check_xml_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: str, kind: str) -> None:
    # zipfile never inflates a member past its declared size, so this read is bounded by the check above.
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in _FORBIDDEN):
                raise UnreadableError(
                    f"{path}: not a valid {kind}: {member.filename} declares a DTD or entities, which are refused")
            tail = window[-_OVERLAP:]
