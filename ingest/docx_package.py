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
from xml.parsers import expat

from lxml import etree

from ingest.errors import ParseError, UnsupportedFileError

MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # all members together, once decompressed
MAX_MEMBER_BYTES = 128 * 1024 * 1024
MAX_RATIO = 200  # decompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 4 * 1024 * 1024
MAX_MEMBERS = 5000
_LEADING = b"\xef\xbb\xbf \t\r\n"  # a BOM and white space before an XML declaration
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class UnsafeFileError(UnsupportedFileError):
    """The file is built to harm its reader (zip bomb, entity expansion, external entities)."""


def check_package(data: bytes, source: str, max_uncompressed: int = MAX_UNCOMPRESSED_BYTES) -> None:
    """Refuse what is not a sound, reasonably sized zip of well-behaved XML."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFileError(
            source,
            0,
            "this is an old binary Word (.doc) file named "
            ".docx, or a password-protected document; open it in Word, "
            "remove any password and save it as .docx",
        )
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise UnsupportedFileError(
            source,
            0,
            "not a .docx file (a .docx is a zip package and "
            "this file is not one); save it from Word as .docx",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise ParseError(
            source, 0, f"the .docx is truncated or damaged ({error}); save it again from Word"
        ) from error
    if len(infos) > MAX_MEMBERS:
        raise UnsafeFileError(
            source,
            0,
            f"the package holds {len(infos):,} files "
            f"(limit {MAX_MEMBERS:,}); this is not a normal Word document",
        )
    declared = sum(info.file_size for info in infos)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > RATIO_FLOOR and ratio > MAX_RATIO
        ):
            raise UnsafeFileError(
                source,
                0,
                f"zip bomb refused: {info.filename} would expand to "
                f"{info.file_size:,} bytes (compression ratio {ratio:,.0f}:1)",
            )
    if declared > max_uncompressed:
        raise UnsafeFileError(
            source,
            0,
            f"zip bomb refused: the package would expand to "
            f"{declared:,} bytes (limit {max_uncompressed:,})",
        )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise UnsupportedFileError(
            source,
            0,
            "a zip file but not a Word document (no word/document.xml); save it from Word as .docx",
        )
    total = 0
    for info in infos:
        blob = _read_member(archive, info, source, max_uncompressed - total)
        total += len(blob)
        if info.filename.endswith((".xml", ".rels")) or blob.lstrip(_LEADING)[:1] == b"<":
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
                    raise UnsafeFileError(
                        source,
                        0,
                        f"zip bomb refused: {info.filename} expands "
                        "past its declared size or the limit",
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise ParseError(
            source,
            0,
            f"the .docx is truncated or damaged ({info.filename}: "
            f"{error}); save it again from Word",
        ) from error
    except (NotImplementedError, RuntimeError) as error:
        raise UnsupportedFileError(
            source,
            0,
            f"cannot read {info.filename} ({error}); save the document without encryption",
        ) from error
    return b"".join(chunks)


class _Refused(Exception):
    def __init__(self, what: str, where: str = ""):
        super().__init__(what)
        self.what, self.where = what, where


def _refuse_entity(
    name: str,
    is_parameter: int,
    value: str | None,
    base: str | None,
    system_id: str | None,
    public_id: str | None,
    notation: str | None,
) -> None:
    raise _Refused("external" if system_id or public_id else "entity", system_id or public_id or "")


def _refuse_external(*args: Any) -> int:
    raise _Refused("external", str(args[2] if len(args) > 2 else ""))


def _check_xml(blob: bytes, name: str, source: str) -> None:
    """Refuse entity declarations, external references and DTDs in one XML part.

    A streaming expat scan (no tree is built) with the checks of defusedxml, run before lxml or
    python-docx parse anything.
    """
    parser = expat.ParserCreate()
    doctype: list[str] = []
    parser.StartDoctypeDeclHandler = lambda *args: doctype.append(str(args[0]))
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = lambda *args: _refuse_entity(args[0], 0, None, *args[1:])
    parser.ExternalEntityRefHandler = _refuse_external
    try:
        parser.Parse(blob, True)
    except _Refused as refused:
        if refused.what == "external":
            raise UnsafeFileError(
                source,
                0,
                f"{name} declares an external entity "
                f"({refused.where}); Word never writes these: file refused",
            ) from None
        raise UnsafeFileError(
            source,
            0,
            f"{name} declares XML entities (an entity-expansion "
            "attack); Word never writes these: file refused",
        ) from None
    except expat.ExpatError as error:
        raise ParseError(
            source, 0, f"{name} is not well-formed XML ({error}); save the document again from Word"
        ) from error
    if doctype:
        raise UnsafeFileError(source, 0, f"{name} has a DTD; Word never writes one: file refused")


def parse_part(blob: bytes) -> Any:
    """Parse an XML part already checked by :func:`check_package` (no entities, no network)."""
    return etree.fromstring(blob, _PARSER)
