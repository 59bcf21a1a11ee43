"""Any other document (a report, a contribution, a README): numbered passages under headings.

A passage is cited as document, heading and paragraph (``Council contribution, Introduction,
paragraph 2``). What makes a passage:

- Markdown: ``#`` and underlined (``===``/``---``) headings, and lines entirely in bold, are
  headings; hard-wrapped paragraphs (blank-line separated) are joined; each list item is a
  passage (its wrapped lines joined); each table row is a passage ``Header: cell; ...``; a fenced
  code block is one passage; rules, HTML comments and link definitions are dropped.
- plain text: one passage per line (Word exports), or per blank-line separated block when the
  text is hard-wrapped; short unpunctuated lines standing alone are headings.
- Word export artefacts are removed (``[bookmark: _Toc1]``, ``[footnoteRef:1]1``); inline
  footnote bodies ``[1: 1 text]`` are taken out and resolved into their passage.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.errors import ParseError
from ingest.header import capped_id
from ingest.layout import strip_markdown
from ingest.model import Clause, Document, Section, slugify, unique_key
from ingest.resolution_parser import SourceLine

_ARTEFACT = re.compile(r"\[bookmark:[^\]]*\]|\[footnoteRef:\s*\d+\]\d*")
_INLINE_NOTE = re.compile(r"\s*\[(\d+):\s*(?:\d+\s+)?([^\]]*)\]")
_NUMBERED_HEADING = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*)\.?\t\S")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(?P<text>\S.*)$")
_MD_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MD_TABLE_RULE = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*(:?-{2,}:?)?\s*\|?\s*$")
_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_SKIP = re.compile(r"^\s*(<!--.*-->|\[[^\]]+\]:\s+\S+.*)\s*$")
_MD_BOLD_LINE = re.compile(r"^\s*(\*\*|__)([^*_].*?)\1\s*:?\s*$")


class _Builder:
    """Sections and numbered passages of one document."""

    def __init__(self, document: Document):
        self.document = document
        self.section = Section(heading="", kind="passages", keyword="", slug="start")
        document.sections.append(self.section)
        self.slugs = {"start"}

    def heading(self, text: str) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        slug = unique_key(slugify(text, max_words=8) or "section", self.slugs)
        self.section = Section(heading=text, kind="passages", keyword="", slug=slug)
        self.document.sections.append(self.section)

    def passage(self, text: str, line: int, verbatim: bool = False) -> None:
        text, notes = _take_notes(text)
        text = text.strip() if verbatim else re.sub(r"[ \t\u00a0]+", " ", text).strip()
        if not text or set(text) <= set("_-–=*#| \t"):
            return
        number = str(len(self.section.clauses) + 1)
        self.section.clauses.append(
            Clause(
                id=f"{self.document.id}/{self.section.slug}/{number}",
                label=number,
                sub="",
                text=text,
                footnotes=notes,
                line=line,
            )
        )


def _take_notes(text: str) -> tuple[str, list[str]]:
    notes = [note.strip() for _, note in _INLINE_NOTE.findall(text)]
    return _INLINE_NOTE.sub("", text), notes


def _clean(text: str) -> str:
    return _ARTEFACT.sub("", text)


def _is_heading(text: str, style_heading: bool) -> bool:
    if style_heading:
        return True
    if _NUMBERED_HEADING.match(text) and len(text.split()) <= 12 and text[-1] not in ".;,:":
        return True
    words = text.split()
    return len(words) <= 10 and text[-1] not in ".;,:!?" and text[:1].isupper() and len(text) < 90


def _looks_markdown(lines: list[SourceLine], source: str) -> bool:
    if Path(source).suffix.lower() in {".md", ".markdown"}:
        return True
    marks = sum(1 for line in lines if _MD_HEADING.match(line.text) or _MD_FENCE.match(line.text))
    return marks >= 2


def _is_hard_wrapped(lines: list[SourceLine]) -> bool:
    """Most text lines sit in multi-line blocks of similar width (an e-mail, a wrapped .txt)."""
    texts = [line.text.rstrip() for line in lines]
    padded = ["", *texts, ""]
    in_blocks = sum(
        1
        for i in range(1, len(padded) - 1)
        if padded[i].strip() and (padded[i - 1].strip() or padded[i + 1].strip())
    )
    filled = [text for text in texts if text.strip()]
    blank = len(texts) - len(filled)
    return (
        bool(filled)
        and blank > 0
        and in_blocks > 0.6 * len(filled)
        and max(map(len, filled)) <= 100
    )


def parse_passages(
    lines: list[SourceLine],
    source: str,
    title: str = "",
    headings: set[int] | None = None,
    markdown: bool | None = None,
) -> Document:
    """Cut a document into numbered passages under its headings.

    ``headings`` names the line numbers known to be headings (from Word heading styles);
    ``markdown`` forces or prevents Markdown reading (default: by suffix and content).
    """
    doc_id = capped_id(slugify(Path(source).stem)) or "document"
    document = Document(
        id=doc_id,
        kind="passages",
        body="",
        number="",
        revision="",
        title=title or Path(source).stem,
        source=source,
        status="",
    )
    builder = _Builder(document)
    plain_text = Path(source).suffix.lower() != ".docx"
    if markdown if markdown is not None else plain_text and _looks_markdown(lines, source):
        first_heading = _read_markdown(builder, lines)
        if first_heading and not title:
            document.title = first_heading
    elif plain_text and not headings and _is_hard_wrapped(lines):
        _read_wrapped(builder, lines)
    else:
        for line in lines:
            text = _clean(line.text).strip()
            if not text or set(text) <= set("_-–= "):
                continue
            if _is_heading(_take_notes(text)[0], line.number in (headings or set())):
                builder.heading(text)
            else:
                builder.passage(text, line.number)
    document.sections = [s for s in document.sections if s.clauses]
    if not document.sections:
        raise ParseError(source, 0, "no text found in the document; check that it is not empty")
    return document


def _read_wrapped(builder: _Builder, lines: list[SourceLine]) -> None:
    block: list[SourceLine] = []
    for line in [*lines, SourceLine("", 0)]:
        if line.text.strip():
            block.append(line)
            continue
        if not block:
            continue
        text = _clean(" ".join(part.text.strip() for part in block)).strip()
        if len(block) == 1 and text and _is_heading(text, False):
            builder.heading(text)
        else:
            builder.passage(text, block[0].number)
        block = []


def _read_markdown(builder: _Builder, lines: list[SourceLine]) -> str:
    """Fill ``builder`` from Markdown lines; return the first heading's text."""
    first_heading = ""
    paragraph: list[SourceLine] = []
    table_header: list[str] = []
    fence: list[str] | None = None
    fence_line = 0

    def flush() -> None:
        if paragraph:
            text = " ".join(strip_markdown(_clean(p.text)).strip() for p in paragraph)
            builder.passage(re.sub(r"\s+", " ", text), paragraph[0].number)
            paragraph.clear()

    for position, line in enumerate(lines):
        raw = line.text.rstrip()
        if fence is not None:
            if _MD_FENCE.match(raw):
                builder.passage("\n".join(fence), fence_line, verbatim=True)
                fence = None
            else:
                fence.append(raw)
            continue
        if _MD_FENCE.match(raw):
            flush()
            fence, fence_line = [], line.number
            continue
        following = lines[position + 1].text if position + 1 < len(lines) else ""
        heading = _MD_HEADING.match(raw) or _MD_BOLD_LINE.match(raw)
        setext = raw.strip() and not paragraph and _MD_SETEXT.match(following)
        if heading or (setext and not _MD_ITEM.match(raw) and not _MD_TABLE_ROW.match(raw)):
            flush()
            text = heading.group(heading.lastindex or 1) if heading else raw.strip()
            text = strip_markdown(_clean(text)).strip()
            first_heading = first_heading or text
            builder.heading(text)
            continue
        if not raw.strip() or _MD_RULE.match(raw) or _MD_SETEXT.match(raw) or _MD_SKIP.match(raw):
            flush()
            table_header = [] if not raw.strip() else table_header
            continue
        if _MD_TABLE_ROW.match(raw):
            flush()
            if _MD_TABLE_RULE.match(raw):
                continue
            cells = [strip_markdown(_clean(c)).strip() for c in raw.strip().strip("|").split("|")]
            if not table_header and _MD_TABLE_RULE.match(following):
                table_header = cells
                continue
            builder.passage(_row_text(table_header, cells), line.number)
            continue
        item = _MD_ITEM.match(raw)
        if item:
            flush()
            paragraph.append(SourceLine(item.group("text"), line.number))
            continue
        paragraph.append(line)
    flush()
    if fence is not None and fence:
        builder.passage("\n".join(fence), fence_line, verbatim=True)
    return first_heading


def _row_text(header: list[str], cells: list[str]) -> str:
    if len(header) == len(cells):
        return "; ".join(
            f"{name}: {cell}" if name else cell
            for name, cell in zip(header, cells, strict=True)
            if cell
        )
    return " | ".join(cell for cell in cells if cell)
