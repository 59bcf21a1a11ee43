"""Safety checks on a .docx package before anything expands or parses it.

A .docx is a zip of XML parts. Refused: what is not a zip (or is an old binary .doc), a truncated
or damaged zip, a zip bomb (declared sizes, compression ratios and the bytes actually inflated are
all checked against limits), and XML with entity declarations, external entities or a DTD (Word
never writes those; they serve entity-expansion and file-disclosure attacks).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import Any
from xml.parsers import expat

from lxml import etree

from ingest.errors import LimitError, ParseError, UnsupportedFileError

MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # all members together, once decompressed
MAX_MEMBER_BYTES = 128 * 1024 * 1024
MAX_RATIO = 200  # decompressed / compressed, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 4 * 1024 * 1024
MAX_MEMBERS = 5000
_CHUNK = 1 << 20
_LEADING = b"\xef\xbb\xbf \t\r\n"  # a BOM and white space before an XML declaration
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_SPLIT = "split the document into smaller files, or save it again from Word"


class UnsafeFileError(UnsupportedFileError):
    """The file is built to harm its reader (zip bomb, entity expansion, external entities)."""


def _mib(size: int) -> str:
    return f"{size:,} bytes ({size / 1024 / 1024:,.1f} MiB)"


def check_package(
    data: bytes,
    source: str,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
    max_paragraphs: int | None = None,
) -> None:
    """Refuse what is not a sound, reasonably sized zip of well-behaved XML.

    Every part is streamed (never held whole); with ``max_paragraphs``, the Word paragraphs of all
    XML parts are counted on the way and a file with more is refused (:class:`LimitError`) before
    any tree is built.
    """
    archive, infos = _open_archive(data, source, max_uncompressed)
    total, paragraphs = 0, 0
    for info in infos:
        size, found = _scan_member(
            archive, info, source, max_uncompressed - total, max_paragraphs, paragraphs
        )
        total += size
        paragraphs += found


def check_paragraph_count(data: bytes, source: str, max_paragraphs: int) -> None:
    """Refuse a .docx with more than ``max_paragraphs`` paragraphs, by a streaming count.

    Memory stays bounded whatever the file holds: the parts are read 1 MiB at a time, and the
    count stops at the first paragraph over the limit. The package checks run as well.
    """
    check_package(data, source, max_paragraphs=max_paragraphs)


def _open_archive(
    data: bytes, source: str, max_uncompressed: int
) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The zip and its members, once the headers show a Word package within the size limits."""
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
            f"the package holds {len(infos):,} parts, over the limit of {MAX_MEMBERS:,} parts "
            "(a Word document has a few dozen); save it again from Word",
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise UnsafeFileError(
                source,
                0,
                f"zip bomb refused: {info.filename} would expand to {_mib(info.file_size)} at a "
                f"compression ratio of {ratio:,.0f}:1, over the limit of {MAX_RATIO}:1 for parts "
                f"over {RATIO_FLOOR // 1024 // 1024} MiB (Word text compresses about 10:1); "
                "if the document is genuine, save it again from Word",
            )
        if info.file_size > MAX_MEMBER_BYTES:
            raise UnsafeFileError(
                source,
                0,
                f"{info.filename} would expand to {_mib(info.file_size)}, over the limit of "
                f"{_mib(MAX_MEMBER_BYTES)} for one part; {_SPLIT}",
            )
    declared = sum(info.file_size for info in infos)
    if declared > max_uncompressed:
        raise UnsafeFileError(
            source,
            0,
            f"the package would expand to {_mib(declared)} in all, over the limit of "
            f"{_mib(max_uncompressed)} for all parts together; {_SPLIT}",
        )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise UnsupportedFileError(
            source,
            0,
            "a zip file but not a Word document (no word/document.xml); save it from Word as .docx",
        )
    return archive, infos


def _scan_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    source: str,
    budget: int,
    max_paragraphs: int | None = None,
    counted: int = 0,
) -> tuple[int, int]:
    """Inflate one part a chunk at a time, checking its XML as it comes (nothing is kept).

    Returns the bytes inflated and the paragraphs (``w:p``) seen; ``counted`` were seen before.
    """
    size, head = 0, b""
    scanner: _XmlScan | None = None
    is_xml: bool | None = True if info.filename.endswith((".xml", ".rels")) else None
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > info.file_size:
                    raise UnsafeFileError(
                        source,
                        0,
                        f"zip bomb refused: {info.filename} inflates past its declared size of "
                        f"{info.file_size:,} bytes (the zip headers are forged); "
                        "save the document again from Word",
                    )
                if size > budget:
                    raise UnsafeFileError(
                        source,
                        0,
                        f"the package expands past the limit of {_mib(budget)} left for "
                        f"{info.filename} (all parts together); {_SPLIT}",
                    )
                if is_xml is None:  # sniff: XML whatever its name (entities hide anywhere)
                    head += chunk[:64]
                    rest = head.lstrip(_LEADING)
                    if rest:
                        is_xml = rest[:1] == b"<"
                if is_xml:
                    if scanner is None:
                        scanner = _XmlScan(info.filename, source, max_paragraphs, counted)
                    scanner.feed(chunk)
            if scanner is not None:
                scanner.close()
            elif is_xml:  # an empty .xml part
                _XmlScan(info.filename, source, None, counted).close()
    except _TooMany as many:
        total = counted + max(many.limit + 1 - counted, _count_paragraph_tags(archive, info))
        raise LimitError(
            source,
            f"the document has {total:,} paragraphs, over the limit of {many.limit:,} "
            "(raise RESOLUTIONS_MAX_PARAGRAPHS to allow it, or split the document)",
            setting="RESOLUTIONS_MAX_PARAGRAPHS",
            size=total,
            limit=many.limit,
        ) from None
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
    return size, scanner.paragraphs if scanner is not None else 0


_P_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?p[\s>/]")  # w:p, in any prefix


def _count_paragraph_tags(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Paragraph start tags in one part, counted on the raw bytes (for the message only)."""
    found, carry = 0, b""
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            buffer = carry + chunk
            found += sum(1 for m in _P_TAG.finditer(buffer) if m.end() > len(carry))
            carry = buffer[-64:]  # a tag cut by the chunk boundary is counted once
    return found


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


class _XmlScan:
    """Refuse entity declarations, external references and DTDs in one XML part, fed in chunks.

    A streaming expat scan (no tree is built) with the checks of defusedxml, run before lxml or
    python-docx parse anything; optionally counts paragraphs (``p`` in any namespace: ``w:p``).
    """

    def __init__(self, name: str, source: str, max_paragraphs: int | None, counted: int):
        self.name, self.source = name, source
        self.paragraphs = 0
        self.doctype: list[str] = []
        parser = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = lambda *args: self.doctype.append(str(args[0]))
        parser.EntityDeclHandler = _refuse_entity
        parser.UnparsedEntityDeclHandler = lambda *args: _refuse_entity(args[0], 0, None, *args[1:])
        parser.ExternalEntityRefHandler = _refuse_external
        if max_paragraphs is not None:
            limit = max_paragraphs - counted

            def start(tag: str, attributes: Any) -> None:
                if tag == "p" or tag.endswith(":p"):
                    self.paragraphs += 1
                    if self.paragraphs > limit:
                        raise _TooMany(max_paragraphs)

            parser.StartElementHandler = start
        self.parser = parser

    def feed(self, chunk: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(chunk, final)
        except _Refused as refused:
            if refused.what == "external":
                raise UnsafeFileError(
                    self.source,
                    0,
                    f"{self.name} declares an external entity "
                    f"({refused.where}); Word never writes these: file refused",
                ) from None
            raise UnsafeFileError(
                self.source,
                0,
                f"{self.name} declares XML entities (an entity-expansion "
                "attack); Word never writes these: file refused",
            ) from None
        except expat.ExpatError as error:
            raise ParseError(
                self.source,
                0,
                f"{self.name} is not well-formed XML ({error}); save the document again from Word",
            ) from error
        if self.doctype:
            raise UnsafeFileError(
                self.source, 0, f"{self.name} has a DTD; Word never writes one: file refused"
            )

    def close(self) -> None:
        self.feed(b"", final=True)


class _TooMany(Exception):
    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


def parse_part(blob: bytes) -> Any:
    """Parse an XML part already checked by :func:`check_package` (no entities, no network)."""
    return etree.fromstring(blob, _PARSER)
