"""Resolutions as Word documents in the ITU template, and as the PDF LibreOffice prints from them.

The paragraph styles are those of the ITU template: ``ResNo`` (the header), ``Restitle``,
``Normalaftertitle`` (what follows the title up to the adopting line), ``Call`` (section
headings), ``enumlev1`` (dash items), ``enumlev2`` (roman sub-items). A resolution in the ITU
text layout gives one paragraph per line (typed label, TAB, text), its footnotes real Word
footnotes; one in the UN paragraph layout gives one paragraph per paragraph of the text as the
parser reads it (hard wraps joined). Several resolutions go into one file, each from a new page
(a collection). Used by the ``layout`` eval family and by ``tests/docx_itu_fixtures.py``.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'
ITU_STYLES = (
    "ResNo",
    "Restitle",
    "Normalaftertitle",
    "Call",
    "enumlev1",
    "enumlev2",
    "Reasons",
    "Proposal",
)
_NOTE_DEF = re.compile(r"^\[\^(\d+)\]:\s*(.*)$")


def soffice() -> str | None:
    """The LibreOffice program, or ``None`` when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


# ---- paragraphs as raw XML ----------------------------------------------------------------------


def run(text: str, deleted: bool = False) -> str:
    """Runs for text; ``[^N]`` becomes a footnote reference, a TAB a ``w:tab`` (``deleted``: the
    text in ``w:delText``, for a tracked deletion)."""
    out = []
    for part in re.split(r"(\[\^\d+\]|\t)", text):
        if not part:
            continue
        if part == "\t":
            out.append("<w:r><w:tab/></w:r>")
        elif re.fullmatch(r"\[\^\d+\]", part):
            out.append(
                '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteReference w:id="{part[2:-1]}"/></w:r>'
            )
        else:
            tag = "w:delText" if deleted else "w:t"
            out.append(f'<w:r><{tag} xml:space="preserve">{escape(part)}</{tag}></w:r>')
    return "".join(out)


def add_paragraph(
    document: Any, content: str, *, style: str = "", page_break: bool = False
) -> None:
    """Append a ``w:p`` holding raw run XML (before the final ``w:sectPr``)."""
    from docx.oxml import parse_xml

    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    ppr += "<w:pageBreakBefore/>" if page_break else ""
    xml = f"<w:p {NSDECL}>" + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + content + "</w:p>"
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))


def add_footnotes(document: Any, notes: dict[int, str]) -> None:
    """A footnotes part with the separators Word writes and ``notes`` (id -> text)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    parts = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>",
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    for note_id, text in notes.items():
        parts.append(
            f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        )
    blob = f"<w:footnotes {NSDECL}>{''.join(parts)}</w:footnotes>".encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def to_bytes(document: Any) -> bytes:
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


# ---- the ITU template ---------------------------------------------------------------------------


def itu_document() -> Any:
    """An empty document whose styles.xml defines the ITU template's paragraph styles."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    for name in ITU_STYLES:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        if name == "Call":
            style.font.italic = True
        if name == "ResNo":
            style.font.all_caps = True
    return document


def body_and_notes(text: str) -> tuple[list[str], dict[int, str]]:
    """The non-empty lines of a text in the ITU layout, and its footnotes (``[^N]: text``)."""
    lines, notes = [], {}
    for line in text.splitlines():
        match = _NOTE_DEF.match(line)
        if match:
            notes[int(match.group(1))] = match.group(2)
        elif line.strip():
            lines.append(line)
    return lines, notes


def _style_of(line: str, index: int, in_sections: bool) -> str:
    from ingest.layout import looks_like_heading, match_label

    label = match_label(line)
    if index == 0:
        return "ResNo"
    if index == 1:
        return "Restitle"
    if not in_sections:
        return "Normalaftertitle"
    if label is None:
        return "Call" if looks_like_heading(line) else ""
    if label.style == "bullet":
        return "enumlev1"
    if label.style == "roman":
        return "enumlev2"
    return ""


def add_itu_resolution(
    document: Any, text: str, *, caps: bool = True, note_base: int = 0, page_break: bool = False
) -> dict[int, str]:
    """Append a resolution in the ITU text layout in ITU styles; returns its footnotes, their
    numbers moved up by ``note_base`` (add them once, for all resolutions of the file)."""
    lines, notes = body_and_notes(text)
    in_sections = False
    for index, line in enumerate(lines):
        style = _style_of(line, index, in_sections)
        if index == 0 and caps:  # typed in capitals, as many contributions are
            line = line.upper()
        if note_base:
            line = re.sub(r"\[\^(\d+)\]", lambda m: f"[^{int(m.group(1)) + note_base}]", line)
        add_paragraph(document, run(line), style=style, page_break=page_break and index == 0)
        in_sections = in_sections or (index >= 2 and line.rstrip().endswith(","))
    return {number + note_base: note for number, note in notes.items()}


def un_paragraphs(text: str) -> list[str]:
    """The paragraphs of a resolution in the UN paragraph layout, as the parser reads them."""
    from ingest.page_text import clean_pages, vocabulary
    from ingest.paragraph_parser import _opens_paragraph
    from ingest.paragraph_text import is_artefact, split_paragraphs

    texts = text.split("\n")
    cleaned = clean_pages(texts, is_artefact, lower_only=True)
    lines = [(n, line) for n, line in enumerate(cleaned, 1) if line is not None]
    return [p.text for p in split_paragraphs(lines, _opens_paragraph, vocabulary(texts))]


def add_un_resolution(document: Any, text: str, *, page_break: bool = False) -> None:
    """Append a resolution in the UN paragraph layout: one Word paragraph per paragraph from
    its header on (in the style ``ResNo``; a masthead or subject heading before it is left out:
    the template has no style for it, and the parser does not read it)."""
    from ingest.collection import is_header_line

    paragraphs = un_paragraphs(text)
    first = next((i for i, p in enumerate(paragraphs) if is_header_line(p)), 0)
    for index, paragraph in enumerate(paragraphs[first:]):
        style = "ResNo" if index == 0 else ""
        content = run(paragraph)
        if index == 0:  # typed as printed: the style's capitals turned off on the run
            content = content.replace("<w:r>", '<w:r><w:rPr><w:caps w:val="0"/></w:rPr>')
        add_paragraph(document, content, style=style, page_break=page_break and index == 0)


def is_itu_layout(text: str) -> bool:
    """A text in the ITU layout (labels before a TAB), not the UN paragraph layout."""
    return sum(1 for line in text.split("\n") if re.match(r"^\S{1,8}\t", line)) >= 2


def itu_docx(texts: list[str], *, caps: bool = True) -> bytes:
    """One .docx in the ITU template holding ``texts`` (resolutions), each from a new page."""
    document = itu_document()
    notes: dict[int, str] = {}
    for index, text in enumerate(texts):
        if is_itu_layout(text):
            base = max(notes, default=0)
            notes.update(
                add_itu_resolution(document, text, caps=caps, note_base=base, page_break=index > 0)
            )
        else:
            add_un_resolution(document, text, page_break=index > 0)
    if notes:
        add_footnotes(document, notes)
    return to_bytes(document)


def docx_to_pdf(
    data: bytes, name: str = "document", *, target: str = "pdf", timeout: int = 300
) -> bytes:
    """The PDF that headless LibreOffice prints from ``data`` (a .docx); ``target`` is the
    ``--convert-to`` argument (a filter with options, e.g. to encrypt the PDF)."""
    program = soffice()
    if program is None:
        raise RuntimeError("not available: soffice not found (install LibreOffice)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        source = out / f"{name}.docx"
        source.write_bytes(data)
        done = subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{out / 'profile'}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        result = out / f"{name}.pdf"
        if done.returncode != 0 or not result.is_file():
            raise RuntimeError(f"LibreOffice did not convert {name}.docx: {done.stderr[-300:]}")
        return result.read_bytes()
