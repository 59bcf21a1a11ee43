"""Safety checks on a .docx package before anything expands or parses it.

A .docx is a zip of XML parts. Refused: what is not a zip (or is an old binary .doc), a truncated
or damaged zip, a zip bomb (declared sizes, compression ratios and the bytes actually inflated are
all checked against limits), and XML with entity declarations, external entities or a DTD (Word
never writes those; they serve entity-expansion and file-disclosure attacks).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException, EntitiesForbidden
from lxml import etree

from ingest.errors import ParseError, UnsupportedFileError

MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # all members together, once decompressed
MAX_MEMBER_BYTES = 128 * 1024 * 1024
MAX_RATIO = 200  # decompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 4 * 1024 * 1024
MAX_MEMBERS = 5000
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class UnsafeFileError(UnsupportedFileError):
    """The file is built to harm its reader (zip bomb, entity expansion, external entities)."""


def check_package(data: bytes, source: str, max_uncompressed: int = MAX_UNCOMPRESSED_BYTES) -> None:
    """Refuse what is not a sound, reasonably sized zip of well-behaved XML."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFileError(source, 0, "this is an old binary Word (.doc) file named "
                                   ".docx; open it in Word and save it as .docx")
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise UnsupportedFileError(source, 0, "not a .docx file (a .docx is a zip package and "
                                   "this file is not one); save it from Word as .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise ParseError(source, 0, f"the .docx is truncated or damaged ({error}); "
                         "save it again from Word") from error
    if len(infos) > MAX_MEMBERS:
        raise UnsafeFileError(source, 0, f"the package holds {len(infos):,} files "
                              f"(limit {MAX_MEMBERS:,}); this is not a normal Word document")
    declared = sum(info.file_size for info in infos)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > RATIO_FLOOR and ratio > MAX_RATIO
        ):
            raise UnsafeFileError(source, 0, f"zip bomb refused: {info.filename} would expand to "
                                  f"{info.file_size:,} bytes (compression ratio {ratio:,.0f}:1)")
    if declared > max_uncompressed:
        raise UnsafeFileError(source, 0, f"zip bomb refused: the package would expand to "
                              f"{declared:,} bytes (limit {max_uncompressed:,})")
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise UnsupportedFileError(source, 0, "a zip file but not a Word document (no "
                                   "word/document.xml); save it from Word as .docx")
    total = 0
    for info in infos:
        blob = _read_member(archive, info, source, max_uncompressed - total)
        total += len(blob)
        if info.filename.endswith((".xml", ".rels")):
            _check_xml(blob, info.filename, source)


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, budget: int
) -> bytes:
    chunks, size = [], 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                size += len(chunk)
                if size > info.file_size or size > budget:
                    raise UnsafeFileError(source, 0, f"zip bomb refused: {info.filename} expands "
                                          "past its declared size or the limit")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise ParseError(source, 0, f"the .docx is truncated or damaged ({info.filename}: "
                         f"{error}); save it again from Word") from error
    except (NotImplementedError, RuntimeError) as error:
        raise UnsupportedFileError(source, 0, f"cannot read {info.filename} ({error}); "
                                   "save the document without encryption") from error
    return b"".join(chunks)


def _check_xml(blob: bytes, name: str, source: str) -> None:
    try:
        safe_xml.fromstring(blob, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as error:
        if error.sysid or error.pubid:
            raise UnsafeFileError(source, 0, f"{name} declares an external entity "
                                  f"({error.sysid or error.pubid}); Word never writes these: "
                                  "file refused") from error
        raise UnsafeFileError(source, 0, f"{name} declares XML entities (an entity-expansion "
                              "attack); Word never writes these: file refused") from error
    except DefusedXmlException as error:
        raise UnsafeFileError(source, 0, f"{name} refers to an external resource ({error}); "
                              "Word never writes these: file refused") from error
    except safe_xml.ParseError as error:
        raise ParseError(source, 0, f"{name} is not well-formed XML ({error}); "
                         "save the document again from Word") from error
    if b"<!DOCTYPE" in blob[:4096]:
        raise UnsafeFileError(source, 0, f"{name} has a DTD; Word never writes one: file refused")


def parse_part(blob: bytes) -> Any:
    """Parse an XML part already checked by :func:`check_package` (no entities, no network)."""
    return etree.fromstring(blob, _PARSER)
