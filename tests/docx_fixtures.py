"""Word documents built in code for the .docx reader tests (python-docx plus raw XML)."""

from __future__ import annotations

import difflib
import io
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from evals.word_layout import add_footnotes, run

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'
AUTHOR, DATE = "Drafting Group", "2026-01-15T10:00:00Z"
_ids = iter(range(1000, 10**6))


def new_document() -> docx.document.Document:
    return docx.Document()


def to_bytes(document: docx.document.Document) -> bytes:
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


# ---- runs and paragraphs as raw XML -------------------------------------------------------------


def ins(text: str, author: str = AUTHOR, date: str = DATE, tag: str = "w:ins") -> str:
    runs = run(text)
    return f'<{tag} w:id="{next(_ids)}" w:author="{author}" w:date="{date}">{runs}</{tag}>'


def dele(text: str, author: str = AUTHOR, date: str = DATE, tag: str = "w:del") -> str:
    deleted = run(text, deleted=True)
    return f'<{tag} w:id="{next(_ids)}" w:author="{author}" w:date="{date}">{deleted}</{tag}>'


def add_paragraph(
    document: docx.document.Document,
    content: str,
    *,
    style: str = "",
    num: tuple[int, int] | None = None,
    mark: str = "",
    renumbered: bool = False,
    num_before: tuple[int, int] | None = None,
) -> None:
    """Append a ``w:p`` with raw run XML; ``mark`` = ``ins`` or ``del`` for the paragraph mark.

    ``renumbered`` records a tracked numbering change, the old ``w:numPr`` being ``num_before``.
    """
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num is not None:
        ppr += _num_pr(num)
    if renumbered:
        old = "" if num_before is None else _num_pr(num_before)
        ppr += (
            f'<w:pPrChange w:id="{next(_ids)}" w:author="{AUTHOR}" w:date="{DATE}">'
            f"<w:pPr>{old}</w:pPr></w:pPrChange>"
        )
    if mark:
        ppr += f'<w:rPr><w:{mark} w:id="{next(_ids)}" w:author="{AUTHOR}" w:date="{DATE}"/></w:rPr>'
    xml = f"<w:p {NSDECL}>" + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + content + "</w:p>"
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))  # before the final w:sectPr


def _num_pr(num: tuple[int, int]) -> str:
    return f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'


def set_numbering(document: docx.document.Document, inner_xml: str) -> None:
    """Replace numbering.xml with ``<w:numbering>inner_xml</w:numbering>``."""
    part = document.part.numbering_part
    part._element = parse_xml(f"<w:numbering {NSDECL}>{inner_xml}</w:numbering>")


# ---- tracked changes from two versions ----------------------------------------------------------

_TOKEN = re.compile(r"\[\^\d+\]|\t|[^\s\[]+ *|\[ *|\s")


def tracked_content(old: str, new: str) -> str:
    """Runs that turn ``old`` into ``new`` with word-level ``w:del``/``w:ins`` (difflib)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(run("".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(dele("".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(ins("".join(b[j1:j2])))
    return "".join(out)


def _strip_label(line: str) -> str:
    return line.split("\t", 1)[1] if "\t" in line else line


def pair_lines(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Pair the lines of two versions (indexes; ``None`` for an inserted or deleted line)."""
    pairs: list[tuple[int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(
        None, [_strip_label(x) for x in old], [_strip_label(x) for x in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        j = j1
        for i in range(i1, i2):
            scores = [
                (difflib.SequenceMatcher(None, old[i], new[k]).ratio(), k) for k in range(j, j2)
            ]
            best = max(scores, default=(0.0, -1))
            if best[0] >= 0.6:
                pairs.extend((None, k) for k in range(j, best[1]))
                pairs.append((i, best[1]))
                j = best[1] + 1
            else:
                pairs.append((i, None))
        pairs.extend((None, k) for k in range(j, j2))
    return pairs


def _body_and_notes(path: Path) -> tuple[list[str], dict[int, str]]:
    lines, notes = [], {}
    for line in path.read_text().splitlines():
        match = re.match(r"^\[\^(\d+)\]:\s*(.*)$", line)
        if match:
            notes[int(match.group(1))] = match.group(2)
        elif line.strip():
            lines.append(line)
    return lines, notes


AUTO_NUMBERING = (
    '<w:abstractNum w:abstractNumId="10"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="20"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="30"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="bullet"/><w:lvlText w:val="\u2013"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="9"><w:abstractNumId w:val="30"/></w:num>'
)
_TYPED_LABEL = re.compile(r"^(?:(?P<letter>[a-z]{1,2}\))|(?P<number>\d{1,2})|(?P<bullet>–))\t")


def _auto_label(line: str, section: int) -> tuple[str, int | None]:
    """Strip a typed label; the list instance that numbers it instead (per section)."""
    match = _TYPED_LABEL.match(line)
    if match is None:
        return line, None
    number = 9 if match.group("bullet") else 100 * section + (1 if match.group("letter") else 2)
    return line[match.end() :], number


def _num(number: int | None) -> tuple[int, int] | None:
    return None if number is None else (number, 0)


def tracked_revision_docx(
    old_path: Path, new_path: Path, auto_numbering: bool = False
) -> tuple[bytes, list[tuple[int | None, int | None]]]:
    """A .docx whose tracked changes turn ``old_path`` into ``new_path``.

    With ``auto_numbering`` the labels come from numbering.xml (one list per section) instead of
    being typed. Returns the bytes and the line pairs (line numbers in the files, 1-based).
    """
    old, old_notes = _body_and_notes(old_path)
    new, new_notes = _body_and_notes(new_path)
    document = new_document()
    sections = {"old": 0, "new": 0}  # each side's lists restart at each of its headings
    for i, j in pair_lines(old, new):
        before, after = (old[i] if i is not None else ""), (new[j] if j is not None else "")
        num_old = num_new = None
        if auto_numbering:
            for side, line in (("old", before), ("new", after)):
                sections[side] += bool(line.strip()) and not _TYPED_LABEL.match(line)
            before, num_old = _auto_label(before, sections["old"])
            after, num_new = _auto_label(after, sections["new"])
        if i is None:
            add_paragraph(document, ins(after), mark="ins", num=_num(num_new))
        elif j is None:
            add_paragraph(document, dele(before), mark="del", num=_num(num_old))
        else:  # a paragraph that moved to another list keeps its old one in w:pPrChange
            add_paragraph(
                document,
                tracked_content(before, after),
                num=_num(num_new),
                renumbered=num_old != num_new,
                num_before=_num(num_old),
            )
    if auto_numbering:
        set_numbering(
            document,
            AUTO_NUMBERING
            + "".join(
                f'<w:num w:numId="{100 * k + n}"><w:abstractNumId w:val="{10 * n}"/>'
                '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
                for k in range(1, max(sections.values()) + 1)
                for n in (1, 2)
            ),
        )
    add_footnotes(document, {**old_notes, **new_notes})
    numbers_old = _line_numbers(old_path)
    numbers_new = _line_numbers(new_path)
    pairs = [
        (None if i is None else numbers_old[i], None if j is None else numbers_new[j])
        for i, j in pair_lines(old, new)
    ]
    return to_bytes(document), pairs


def _line_numbers(path: Path) -> list[int]:
    return [
        number
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.strip() and not re.match(r"^\[\^\d+\]:", line)
    ]


def pp58_busan_to_doha(
    auto_numbering: bool = False,
) -> tuple[bytes, list[tuple[int | None, int | None]]]:
    return tracked_revision_docx(
        CORPUS / "PP-58-Rev-Busan-2014.txt",
        CORPUS / "PP-58-Rev-Doha-2026-draft.txt",
        auto_numbering,
    )


def plain_paragraphs(document: docx.document.Document, lines: Iterable[str]) -> None:
    for line in lines:
        add_paragraph(document, run(line))


# ---- comparison table ---------------------------------------------------------------------------


def _sections(path: Path) -> tuple[list[str], list[tuple[str, list[str]]], dict[int, str]]:
    """The header block and the (keyword, lines) sections of a corpus file in the ITU layout."""
    from ingest.layout import heading_keyword, looks_like_heading, match_label

    lines, notes = _body_and_notes(path)
    header: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in lines:
        text = line.strip()
        opens_first = bool(header) and header[-1].rstrip().endswith(",") and not sections
        if opens_first or (sections and match_label(text) is None and looks_like_heading(text)):
            sections.append((heading_keyword(text) or text.split()[0], [line]))
        elif sections:
            sections[-1][1].append(line)
        else:
            header.append(line)
    return header, sections, notes


def comparison_rows(paths: list[Path]) -> list[list[list[str]]]:
    """Rows of a comparison table, the first resolution as pivot (like the seed's annex).

    Row 0 holds the header blocks; then, for each section of the pivot, one row with the
    sections of the others that have the same keyword, preceded by a row with the sections of
    the others that match nothing (several sections in one cell).
    """
    parts = [_sections(path) for path in paths]
    pivot = parts[0][1]
    n = len(pivot)
    gaps = [[[] for _ in paths] for _ in range(n + 1)]  # before pivot row i: lines per doc
    match = [[[] for _ in paths] for _ in range(n)]
    for i, (_, lines) in enumerate(pivot):
        match[i][0] = lines
    for k in range(1, len(paths)):
        other = parts[k][1]
        matcher = difflib.SequenceMatcher(
            None, [key for key, _ in pivot], [key for key, _ in other], autojunk=False
        )
        matched = {}
        for block in matcher.get_matching_blocks():
            for offset in range(block.size):
                matched[block.b + offset] = block.a + offset
        for j, (_, lines) in enumerate(other):
            if j in matched:
                match[matched[j]][k] = lines
            else:
                later = [matched[x] for x in range(j + 1, len(other)) if x in matched]
                gaps[later[0] if later else n][k] += lines
    rows: list[list[list[str]]] = [[header for header, _, _ in parts]]
    for i in range(n + 1):
        if any(gaps[i]):
            rows.append(gaps[i])
        if i < n:
            rows.append(match[i])
    return rows


def expected_headings(cell: list[str]) -> list[str]:
    """The section headings among the lines of a cell."""
    from ingest.layout import looks_like_heading, match_label

    return [x.strip() for x in cell if match_label(x.strip()) is None and looks_like_heading(x)]


def add_cell_paragraphs(
    cell: object, lines: list[str], tracked: dict[str, str] | None = None
) -> None:
    """Fill a table cell with paragraphs; ``tracked`` maps a line to the old text it revises."""
    tc = cell._tc  # type: ignore[attr-defined]
    for p in tc.findall(f"{{{W_NS}}}p"):
        tc.remove(p)
    for line in lines or [""]:
        old = (tracked or {}).get(line)
        content = tracked_content(old, line) if old is not None else run(line)
        tc.append(parse_xml(f"<w:p {NSDECL}>{content}</w:p>"))


def comparison_table_docx(
    paths: list[Path],
    headers: list[str],
    *,
    tracked: dict[str, str] | None = None,
    intro: list[str] | None = None,
    rows: list[list[list[str]]] | None = None,
) -> tuple[bytes, list[list[list[str]]]]:
    """A .docx with optional intro paragraphs and a table: one column per resolution."""
    document = new_document()
    for line in intro or []:
        add_paragraph(document, run(line))
    rows = [list(row) for row in rows or comparison_rows(paths)]
    notes: dict[int, str] = {}
    for k, path in enumerate(paths):  # footnote ids are unique in a document: renumber them
        numbering = {}
        for local, text in _body_and_notes(path)[1].items():
            numbering[local] = len(notes) + 1
            notes[len(notes) + 1] = text
        for row in rows:
            row[k] = [_renumber(line, numbering) for line in row[k]]
    table = document.add_table(rows=len(rows) + 1, cols=len(paths))
    for k, header in enumerate(headers):
        add_cell_paragraphs(table.cell(0, k), [f"\t{header}"])
    for r, row in enumerate(rows, start=1):
        for k, lines in enumerate(row):
            add_cell_paragraphs(table.cell(r, k), lines, tracked)
    if notes:
        add_footnotes(document, notes)
    return to_bytes(document), rows


def _renumber(line: str, numbering: dict[int, int]) -> str:
    return re.sub(r"\[\^(\d+)\]", lambda m: f"[^{numbering.get(int(m.group(1)), 0)}]", line)


def libreoffice_convert(path: Path, target: str, out: Path) -> Path:
    """``path`` converted by headless LibreOffice to ``target`` (``pdf``, ``odt``...) in ``out``;
    skips the test when LibreOffice is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice is not installed (Debian: apt-get install libreoffice-writer); "
            "CI must install it to run this test"
        )
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = out / f"{path.stem}.{target.split(':')[0]}"
    assert result.is_file(), done.stdout + done.stderr
    return result
