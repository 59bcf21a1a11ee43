"""Labels from Word's automatic numbering, footnotes, headings of other documents."""

from __future__ import annotations

from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx_fixtures import (
    NSDECL,
    add_footnotes,
    add_paragraph,
    ins,
    new_document,
    run,
    set_numbering,
    to_bytes,
)

from ingest.docx_numbering import format_number, to_letters, to_roman
from ingest.docx_reader import read_docx
from ingest.loader import load_file
from ingest.model import citation_string

SYMBOL_BULLET = "\uf0b7"  # the bullet Word writes with the Symbol font


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


NUMBERING = (
    '<w:abstractNum w:abstractNumId="10">' + _lvl(0, "lowerLetter", "%1)") + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="20">'
    + _lvl(0, "decimal", "%1")
    + _lvl(1, "lowerRoman", "%2)")
    + _lvl(2, "bullet", SYMBOL_BULLET)
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="30">' + _lvl(0, "decimal", "%1.", start=3) + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="40">' + _lvl(0, "lowerLetter", "%1)") + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="10"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="20"/></w:num>'
    '<w:num w:numId="5"><w:abstractNumId w:val="30"/></w:num>'
    '<w:num w:numId="6"><w:abstractNumId w:val="40"/></w:num>'
)
HEADER = [
    "RESOLUTION 99 (Rev. Geneva, 2030)",
    "Numbered resolution",
    "The Plenipotentiary Conference (Geneva, 2030),",
]


def _numbered_docx() -> bytes:
    document = new_document()
    style = document.styles.add_style("List Letter", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {NSDECL}><w:numId w:val="6"/></w:numPr>')
    )
    set_numbering(document, NUMBERING)
    for line in HEADER:
        add_paragraph(document, run(line))
    content = [
        ("considering", None),
        ("that one;", (1, 0)),
        ("that two[^1];", (1, 0)),
        ("that three,", (1, 0)),
        ("noting", None),
        ("that four;", (2, 0)),
        ("that five,", (2, 0)),
        ("recognizing", None),
        ("styled six;", "style"),
        ("styled seven,", "style"),
        ("resolves", None),
        ("to act;", (3, 0)),
        ("first part;", (3, 1)),
        ("second part:", (3, 1)),
        ("a bullet;", (3, 2)),
        ("to act again:", (3, 0)),
        ("only part,", (3, 1)),
        ("instructs the Secretary-General", None),
        ("to report;", (5, 0)),
        ("to publish.", (5, 0)),
    ]
    for text, num in content:
        if num == "style":
            add_paragraph(document, run(text), style=style.style_id)
        else:
            add_paragraph(document, run(text), num=num)  # type: ignore[arg-type]
    add_footnotes(document, {1: "A note on two."})
    return to_bytes(document)


def test_labels_are_rebuilt_from_numbering_xml(tmp_path: Path) -> None:
    path = tmp_path / "numbered.docx"
    path.write_bytes(_numbered_docx())
    (document,) = load_file(path).documents
    cited = [citation_string(document, s, c).split("), ", 1)[1] for s, c in document.clauses()]
    assert cited == [
        "considering a)",
        "considering b)",
        "considering c)",
        "noting a)",
        "noting b)",  # a new list instance restarts at its startOverride
        "recognizing a)",
        "recognizing b)",  # numbering from the paragraph style
        "resolves 1",
        "resolves 1 i)",
        "resolves 1 ii)",
        "resolves 1, indent 1",
        "resolves 2",
        "resolves 2 i)",  # a deeper level restarts under a new parent
        "instructs the Secretary-General 3",
        "instructs the Secretary-General 4",  # w:start 3
    ]
    _, clause = document.clauses()[1]
    assert clause.text == "that two;" and clause.footnotes == ["A note on two."]
    assert [c.text for _, c in document.clauses()][10] == "a bullet;"


def test_number_formats() -> None:
    assert [to_letters(n) for n in (1, 26, 27, 28)] == ["a", "z", "aa", "bb"]
    assert [to_roman(n) for n in (1, 4, 9, 14, 40)] == ["i", "iv", "ix", "xiv", "xl"]
    assert format_number(3, "upperLetter") == "C" and format_number(7, "decimalZero") == "07"


def test_inserted_numbered_paragraph_renumbers_only_the_accepted_view() -> None:
    document = new_document()
    set_numbering(document, NUMBERING)
    for line in [*HEADER, "considering"]:
        add_paragraph(document, run(line))
    add_paragraph(document, run("that one;"), num=(1, 0))
    add_paragraph(document, ins("that new;"), num=(1, 0), mark="ins")
    add_paragraph(document, run("that old,"), num=(1, 0))
    data = to_bytes(document)
    accepted = read_docx(data, "n.docx", "x").documents[0]
    assert [(c.label, c.text, c.original_text) for _, c in accepted.clauses()] == [
        ("a", "that one;", "that one;"),
        ("b", "that new;", ""),
        ("c", "that old,", "that old,"),
    ]
    original = read_docx(data, "n.docx", "x", view="original").documents[0]
    assert [(c.label, c.text) for _, c in original.clauses()] == [
        ("a", "that one;"),
        ("b", "that old,"),
    ]


def test_other_document_gives_passages_under_heading_styles() -> None:
    document = new_document()
    document.core_properties.title = "Contribution to Council 2026"
    document.add_paragraph("Background of this contribution.", style="Heading 1")
    add_paragraph(document, run("The streamlining of resolutions was considered[^1] in 2025."))
    add_paragraph(document, run("Work continued in the working group, as planned."))
    document.add_paragraph("Proposal", style="Heading 1")
    add_paragraph(document, run("The Council is invited to consider the draft."))
    add_footnotes(document, {1: "See Document C25/12."})
    parsed = read_docx(to_bytes(document), "contribution.docx", "x")
    (passages,) = parsed.documents
    assert passages.kind == "passages" and passages.title == "Contribution to Council 2026"
    headings = [s.heading for s in passages.sections]
    assert headings == ["Background of this contribution.", "Proposal"]
    first = passages.sections[0].clauses[0]
    assert first.text == "The streamlining of resolutions was considered in 2025."
    assert first.footnotes == ["See Document C25/12."]
    assert citation_string(passages, passages.sections[1], passages.sections[1].clauses[0]) == (
        "Contribution to Council 2026, Proposal, paragraph 1"
    )


def test_endnotes_resolve_like_footnotes() -> None:
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document = new_document()
    for line in [*HEADER, "considering"]:
        add_paragraph(document, run(line))
    add_paragraph(
        document, run("a)\tthat one") + '<w:r><w:endnoteReference w:id="2"/></w:r>' + run(";")
    )
    blob = (
        f'<w:endnotes {NSDECL}><w:endnote w:id="2"><w:p><w:r><w:endnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> An endnote.</w:t></w:r></w:p></w:endnote></w:endnotes>'
    ).encode()
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"
    part = Part(PackURI("/word/endnotes.xml"), ct, blob, document.part.package)
    document.part.relate_to(part, rel)
    ((_, clause),) = read_docx(to_bytes(document), "e.docx", "x").documents[0].clauses()
    assert (clause.text, clause.footnotes) == ("that one;", ["An endnote."])


def test_seed_contribution_as_word_gives_passages() -> None:
    import pytest

    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_709f3f257bb0f9f2.txt"
    if not seed.is_file():
        pytest.skip(f"the seed contribution is not at {seed}")
    document = new_document()
    for line in seed.read_text().splitlines()[:79]:  # the main text, before the annex table
        if line.strip() in ("Purpose", "Action required by the Council"):
            document.add_paragraph(line.strip(), style="Heading 1")
        else:
            add_paragraph(document, run(line))
    (passages,) = read_docx(to_bytes(document), "C26-contribution.docx", "x").documents
    assert passages.kind == "passages"
    headings = [s.heading for s in passages.sections]
    assert headings[:2] == ["Purpose", "Action required by the Council"]
    assert sum(len(s.clauses) for s in passages.sections) >= 50


def test_numbering_applied_as_a_tracked_change_is_absent_from_the_original() -> None:
    document = new_document()
    set_numbering(document, NUMBERING)
    for line in [*HEADER, "considering"]:
        add_paragraph(document, run(line))
    add_paragraph(document, run("that one;"), num=(1, 0))
    body = document.element.body
    change = (
        f'<w:p {NSDECL}><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        '<w:pPrChange w:id="77" w:author="A" w:date="2026-01-01T00:00:00Z"><w:pPr/></w:pPrChange>'
        f"</w:pPr>{run('that two,')}</w:p>"
    )
    body.insert(len(body) - 1, parse_xml(change))
    data = to_bytes(document)
    accepted = read_docx(data, "n.docx", "x").documents[0]
    assert [(c.label, c.text) for _, c in accepted.clauses()] == [
        ("a", "that one;"),
        ("b", "that two,"),
    ]
    original = read_docx(data, "n.docx", "x", view="original").documents[0]
    assert [(c.label, c.text) for _, c in original.clauses()] == [("a", "that one;\nthat two,")]
