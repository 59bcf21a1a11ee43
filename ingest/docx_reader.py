"""Word documents (.docx): resolutions, comparison tables and other documents.

The package is checked before anything reads it (a zip, not truncated, no zip bomb, no DTD or
entity declarations in its XML), then opened with python-docx. Paragraph text, automatic numbering,
footnotes and revision marks are read from the XML, turned into lines of the ITU plain-text layout
and given to the same parsers as text files. A line is ``<label>\\t<text>``; footnote references
become ``[^N]`` with ``[^N]: text`` definitions after the body.

- A resolution gives one document; each clause has its accepted ``text``, and when the file has
  tracked changes its ``original_text`` and ``changes`` (``view="original"`` reads the old text).
- A comparison table (header row naming conferences) gives one resolution per column, and
  ``ParsedFile.rows``: for each row, per document id, the section headings in that cell.
- Anything else gives numbered passages under the Word headings (heading styles, outline levels).
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any, Literal

from ingest.collection import PartFailure, find_parts
from ingest.docx_numbering import (
    Numbering,
    original_numbering,
    paragraph_num_pr,
    style_numbering,
)
from ingest.docx_package import MAX_UNCOMPRESSED_BYTES, UnsafeFileError, check_package, parse_part
from ingest.docx_revisions import Paragraph, compose_lines, read_paragraph
from ingest.docx_table import comparison_columns
from ingest.errors import IngestError, NotAResolutionError, ParseError, UnsupportedFileError
from ingest.layout import FOOTNOTE_REF
from ingest.loader import AlignedRow, ParsedFile
from ingest.model import Document
from ingest.paragraph_parser import is_paragraph_layout, parse_paragraph_resolution
from ingest.passages import parse_passages
from ingest.resolution_parser import SourceLine, parse_resolution

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
ENDNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
View = Literal["accepted", "original"]
_HEADING_STYLE = re.compile(r"^(heading\s*\d|title|subtitle)$", re.IGNORECASE)


def read_docx(
    data: bytes,
    source: str,
    digest: str,
    *,
    view: View = "accepted",
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
) -> ParsedFile:
    """Parse a .docx: one resolution, the resolutions of a comparison table, or passages.

    ``view="original"`` reads the text as it was before the tracked changes.
    """
    check_package(data, source, max_uncompressed)
    package = _open(data, source)
    reader = _Reader(package, source)
    return reader.read(digest, view)


def _open(data: bytes, source: str) -> Any:
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, ValueError ... on odd packages
        raise UnsupportedFileError(
            source, 0, f"not a Word document that can be read ({error}); save it from Word as .docx"
        ) from error


class _Reader:
    """Reads one opened package into paragraphs, then into documents."""

    def __init__(self, package: Any, source: str):
        self.package = package
        self.source = source
        part = package.part
        styles_root = part.styles.element
        self.heading_styles = _heading_styles(styles_root)
        self.style_names = _style_names(styles_root)
        numbering_root = None
        with contextlib.suppress(KeyError, NotImplementedError):
            numbering_root = part.numbering_part.element
        self.numbering = Numbering(numbering_root, style_numbering(styles_root))
        self.note_texts = self._notes(part)
        self.count = 0
        self.cells: dict[Any, list[Any]] = {}  # w:tc -> what _collect read in it

    def _notes(self, part: Any) -> dict[str, str]:
        texts: dict[str, str] = {}
        for rel in part.rels.values():
            if rel.is_external or rel.reltype not in (FOOTNOTES_REL, ENDNOTES_REL):
                continue
            prefix = "f" if rel.reltype == FOOTNOTES_REL else "e"
            for note in parse_part(rel.target_part.blob):
                note_id = note.get(f"{W}id")
                paragraphs = [read_paragraph(p).render("accepted", {}) for p in note.iter(f"{W}p")]
                text = " ".join(" ".join(paragraphs).split())
                if note_id is not None and text:
                    texts[f"{prefix}:{note_id}"] = text
        return texts

    def read(self, digest: str, view: View) -> ParsedFile:
        body = self.package.element.body
        items = self._collect(body)
        flow: list[Paragraph] = []
        tables: list[tuple[list[Any], list[Paragraph]]] = []
        for item in items:
            if isinstance(item, Paragraph):
                flow.append(item)
            else:
                tables.append(item)
        documents: list[Document] = []
        rows: list[AlignedRow] = []
        for columns, paragraphs in tables:
            try:
                table_docs, table_rows = self._comparison(columns, view)
            except NotAResolutionError:
                flow.extend(paragraphs)  # an ordinary table: its text belongs to the document
                continue
            documents.extend(table_docs)
            rows.extend(table_rows)
        flow.sort(key=lambda p: p.number)
        resolutions = _itu_resolutions(flow, self.style_names, view) or _collection(flow, view)
        parsed = ParsedFile(self.source, digest, documents, rows)
        if len(resolutions) > 1:  # a collection: a resolution that fails is skipped
            documents[:0] = self._collection_documents(resolutions, view, parsed)
        elif resolutions:
            documents[:0] = [self._document(part, view) for part in resolutions]
        elif any(p.text.render(view, {}).strip() for p in flow) or not documents:
            documents.insert(0, self._document(flow, view))
        return parsed

    def _collection_documents(
        self, parts: list[list[Paragraph]], view: View, parsed: ParsedFile
    ) -> list[Document]:
        """The resolutions of a collection, each with the paragraph it starts at; the parts
        that do not parse (or repeat an id) go to ``parsed.failures``."""
        documents: list[Document] = []
        for part in parts:
            header = part[0].text.render(view, {}).strip()[:80]
            try:
                document = self._document(part, view)
            except IngestError as error:
                line = error.line or part[0].number
                parsed.failures.append(
                    PartFailure(self.source, line, f"{header}: {error.reason}", header)
                )
                continue
            if document.id in parsed.positions:
                first = parsed.positions[document.id]["paragraph"]
                parsed.failures.append(
                    PartFailure(
                        self.source,
                        part[0].number,
                        f"{header}: document id {document.id!r} already given by the "
                        f"resolution at paragraph {first} of this file; the second is skipped",
                        header,
                    )
                )
                continue
            parsed.positions[document.id] = {"paragraph": part[0].number}
            documents.append(document)
        if not documents:
            first_failure = parsed.failures[0]
            raise ParseError(
                self.source,
                first_failure.line,
                f"none of the {len(parts)} resolutions of this file could be read; the first: "
                f"{first_failure.reason}",
            )
        return documents

    def _collect(self, container: Any) -> list[Any]:
        items: list[Any] = []
        for child in container:
            if child.tag == f"{W}p":
                self.count += 1
                style = child.find(f"{W}pPr/{W}pStyle")
                style_id = str(style.get(f"{W}val")) if style is not None else ""
                items.append(
                    Paragraph(
                        self.count,
                        read_paragraph(child),
                        style_id,
                        style_id in self.heading_styles or _outline(child),
                        paragraph_num_pr(child),
                        original_numbering(child),
                    )
                )
            elif child.tag == f"{W}tbl":
                columns = comparison_columns(child)
                start = len(items)
                for tc in child.iter(f"{W}tc"):
                    if _owner_table(tc) is child:
                        self.cells[tc] = self._collect(tc)
                        items.extend(self.cells[tc])
                if columns is not None:
                    paragraphs = [p for p in items[start:] if isinstance(p, Paragraph)]
                    del items[start:]
                    items.append((columns, paragraphs))
            elif child.tag in (f"{W}sdt", f"{W}customXml"):
                content = child.find(f"{W}sdtContent")
                items.extend(self._collect(content if content is not None else child))
        return items

    def _lines(self, paragraphs: list[Paragraph], view: View) -> list[SourceLine]:
        for label_view in ("accepted", "original"):
            self.numbering.reset()
            skip = "insert" if label_view == "original" else "delete"
            for p in paragraphs:
                before = p.original_num if label_view == "original" else None
                num = self.numbering.resolve(*(before or (p.num, p.style)))
                gone = _only(p, skip)
                p.labels[label_view] = "" if num is None or gone else self.numbering.label(*num)
        numbers: dict[str, str] = {}
        for p in paragraphs:
            for ref in p.text.note_refs():
                if ref in self.note_texts and ref not in numbers:
                    prefix = "" if ref.startswith("f:") else "e"
                    count = sum(1 for key in numbers if key[0] == ref[0]) + 1
                    numbers[ref] = f"{prefix}{count}"
        lines = compose_lines(paragraphs, view, numbers)
        last = paragraphs[-1].number if paragraphs else 0
        for offset, (ref, number) in enumerate(numbers.items(), start=1):
            lines.append(SourceLine(f"[^{number}]: {self.note_texts[ref]}", last + offset))
        return lines

    def _document(self, paragraphs: list[Paragraph], view: View) -> Document:
        lines = self._lines(paragraphs, view)
        numbers = {p.number for p in paragraphs if _itu_style(p, self.style_names) == "resno"}
        for line in lines:
            if line.number in numbers:
                line.text = _resolution_number_case(line.text)
        in_paragraphs = _paragraph_layout(lines, self.source)
        if isinstance(in_paragraphs, Document):
            return in_paragraphs
        try:
            return parse_resolution(lines, self.source)
        except NotAResolutionError:
            if in_paragraphs is not None:
                raise in_paragraphs from None
        except IngestError:
            if in_paragraphs is not None:  # it read as the paragraph layout: that error counts
                raise in_paragraphs from None
            raise
        headings = {p.number for p in paragraphs if p.heading}
        return _passages(lines, self.source, self.package.core_properties.title or "", headings)

    def _comparison(
        self, columns: list[Any], view: View
    ) -> tuple[list[Document], list[AlignedRow]]:
        documents, cells_of = [], []
        for column in columns:
            per_row = [
                [p for p in self.cells.get(tc, []) if isinstance(p, Paragraph)]
                for tc in column.cells
            ]
            paragraphs = [p for row in per_row for p in row]
            if not any(p.text.render(view, {}).strip() for p in paragraphs):
                continue
            lines = self._lines(paragraphs, view)
            try:
                document = parse_resolution(lines, self.source)
            except NotAResolutionError:
                raise
            except ParseError as error:
                raise ParseError(
                    self.source, error.line, f"table column {column.header!r}: {error.reason}"
                ) from error
            documents.append(document)
            cells_of.append((document, per_row, {line.number: line.text for line in lines}))
        if len(documents) < 2:
            raise NotAResolutionError(self.source, 0, "not a comparison table")
        rows = [AlignedRow({}) for _ in columns[0].cells]
        for document, per_row, texts in cells_of:
            headings = [section.heading for section in document.sections]
            index = 0
            for row, cell in zip(rows, per_row, strict=True):
                found = []
                for p in cell:
                    text = texts.get(p.number, "").strip()
                    if index < len(headings) and text == headings[index]:
                        found.append(text)
                        index += 1
                row.cells[document.id] = found
        return documents, [row for row in rows if any(row.cells.values())]


# ---- the ITU template --------------------------------------------------------------------------

_ITU_STYLES = {"resno", "restitle", "normalaftertitle", "call", "reasons", "proposal"}
_MARKER = re.compile(r"^\s*(MOD|ADD|SUP|NOC|SUPPRESS)\b(?:\s+[A-Z]{1,5}/[\w.]+/\d+\S*)?\s*$")
_REASONS = re.compile(r"^\s*Reasons?\s*:", re.IGNORECASE)


def _style_names(styles_root: Any) -> dict[str, str]:
    """Style id -> style name, both as written in styles.xml."""
    names: dict[str, str] = {}
    if styles_root is None:
        return names
    for style in styles_root.iter(f"{W}style"):
        name = style.find(f"{W}name")
        if name is not None:
            names[str(style.get(f"{W}styleId"))] = str(name.get(f"{W}val"))
    return names


def _itu_style(p: Paragraph, names: dict[str, str]) -> str:
    """The ITU template style of a paragraph (``resno``, ``reasons``...), or ``""``."""
    for candidate in (p.style, names.get(p.style, "")):
        key = candidate.replace(" ", "").lower()
        if key in _ITU_STYLES:
            return key
    return ""


def _itu_resolutions(
    flow: list[Paragraph], names: dict[str, str], view: View
) -> list[list[Paragraph]]:
    """The resolutions of a document in the ITU template, each from its ``ResNo`` paragraph.

    Proposal markers (``MOD PP/58/1``, style ``Proposal``), ``Reasons`` and what follows them
    up to the next resolution, and what comes before the first ``ResNo`` (a cover, an
    introduction) are not resolution text. Empty when no paragraph has the style ``ResNo``.
    """
    if not any(_itu_style(p, names) == "resno" for p in flow):
        return []
    parts: list[list[Paragraph]] = []
    inside = False
    for p in flow:
        style = _itu_style(p, names)
        text = p.text.render(view, {}) or p.text.render("original", {})
        if style == "resno":
            parts.append([p])
            inside = True
        elif style in ("reasons", "proposal") or _REASONS.match(text) or _MARKER.match(text):
            inside = False
        elif inside:
            parts[-1].append(p)
    return parts


def _collection(flow: list[Paragraph], view: View) -> list[list[Paragraph]]:
    """The resolutions of a document that holds two or more in plain paragraphs (no ITU
    styles), cut at their headers (:func:`ingest.collection.find_parts`); else ``[]``."""
    texts = [p.text.render(view, {}) or p.text.render("original", {}) for p in flow]
    parts = find_parts([text.replace("\n", " ") for text in texts])
    if len(parts) < 2:
        return []
    return [flow[part.start : part.end] for part in parts]


def _resolution_number_case(text: str) -> str:
    """``RESOLUTION 58 (REV. BUSAN, 2014)`` -> ``RESOLUTION 58 (Rev. Busan, 2014)``: words in
    capitals inside the brackets typed for a style that prints capitals; acronyms are kept."""
    match = re.match(r"^(.*?\()([^()]*)(\).*)$", text)
    if match is None or match.group(2) != match.group(2).upper():
        return text

    def word(found: re.Match[str]) -> str:
        token = found.group(0)
        keep = any(ch.isdigit() for ch in token) or len(token.rstrip(".")) <= 2
        return token if keep else token.capitalize()

    inner = re.sub(r"[^\s,;]+", word, match.group(2))
    return match.group(1) + inner + match.group(3)


def _only(p: Paragraph, kind: str) -> bool:
    """True when the paragraph exists only as an insertion (or only as a deletion)."""
    view: View = "original" if kind == "insert" else "accepted"
    return p.text.has_revisions and not p.text.render(view, {}).strip()


def _owner_table(tc: Any) -> Any:
    parent = tc.getparent()
    while parent is not None and parent.tag != f"{W}tbl":
        parent = parent.getparent()
    return parent


def _outline(element: Any) -> bool:
    """True when ``w:outlineLvl`` makes this paragraph (or style) a heading (9 is body text)."""
    level = element.find(f"{W}pPr/{W}outlineLvl")
    return level is not None and level.get(f"{W}val") not in (None, "9")


def _heading_styles(styles_root: Any) -> set[str]:
    found: set[str] = set()
    if styles_root is None:
        return found
    for style in styles_root.iter(f"{W}style"):
        name = style.find(f"{W}name")
        label = str(name.get(f"{W}val")) if name is not None else ""
        if _HEADING_STYLE.match(label) or _outline(style):
            found.add(str(style.get(f"{W}styleId")))
    return found


def _paragraph_layout(lines: list[SourceLine], source: str) -> Document | ParseError | None:
    """A resolution in the paragraph layout (the UN Security Council's: "Resolution 242 (1967)",
    an adopting line, numbered paragraphs), each Word paragraph a paragraph; its error when it
    looks like one but does not parse; None when it does not look like one."""
    if not is_paragraph_layout("\n".join(line.text for line in lines)):
        return None
    try:
        return parse_paragraph_resolution("\n\n".join(line.text for line in lines), source)
    except NotAResolutionError:
        return None
    except ParseError as error:  # line numbers of the blank-line-separated text -> paragraphs
        at = min(max((error.line - 1) // 2, 0), len(lines) - 1)
        return ParseError(source, lines[at].number if lines else 0, error.reason)


def _passages(lines: list[SourceLine], source: str, title: str, headings: set[int]) -> Document:
    """Other documents: footnote references resolved into the passage that calls them."""
    definitions = {}
    body: list[SourceLine] = []
    for line in lines:
        match = re.match(r"^\[\^([^\]\s]+)\]:\s*(.*)$", line.text)
        if match:
            definitions[match.group(1)] = match.group(2)
        else:
            body.append(line)
    notes_at: dict[int, list[str]] = {}
    spaced: list[SourceLine] = []  # a blank line between paragraphs: Word text is never wrapped
    for line in body:
        refs = FOOTNOTE_REF.findall(line.text)
        notes_at[line.number] = [definitions[ref] for ref in refs if ref in definitions]
        spaced += [SourceLine(FOOTNOTE_REF.sub("", line.text), line.number), SourceLine("", 0)]
    document = parse_passages(spaced, source, title or Path(source).stem, headings, markdown=False)
    for _, clause in document.clauses():
        clause.footnotes = clause.footnotes + notes_at.get(clause.line, [])
    return document


__all__ = ["UnsafeFileError", "check_package", "read_docx"]
