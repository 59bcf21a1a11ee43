"""Resolutions of another body in the hard-wrapped paragraph layout: the UNSC corpus.

The completeness check (``ingest.paragraph_survey.check``), stated precisely:

- ``numbers`` = every ``N.`` opening a paragraph of the raw text (start of file or after a blank
  line), before any ``Annex`` line;
- the top-level operative clauses outside annexes, in order, have numeric labels starting at 1
  and each next one is the previous + 1 (or 1 again, in a new part), and they include every
  number in ``numbers``; with no ``numbers``, there is at least one operative clause;
- when the raw text has a paragraph ending in ``,`` between ``The ... Council`` and the first
  ``1.`` paragraph (or the adoption note), the parse has preamble clauses.

The full figure: ``python -m ingest.paragraph_parser --survey ../shared/corpora/unsc``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.errors import ParseError
from ingest.loader import decode_text, load_file, parse_text
from ingest.model import Document, citation
from ingest.paragraph_parser import is_paragraph_layout
from ingest.paragraph_survey import check

TRICKY = [
    "S_RES_0001_1946",
    "S_RES_0004_1946",
    "S_RES_0017_1947",
    "S_RES_0034_1947",
    "S_RES_0082_1950",
    "S_RES_0100_1953",
    "S_RES_0150_1960",
    "S_RES_0161_1961",
    "S_RES_0242_1967",
    "S_RES_0273_1969",
    "S_RES_0277_1970",
    "S_RES_0290_1970",
    "S_RES_0361_1974",
    "S_RES_0563_1985",
    "S_RES_0674_1990",
    "S_RES_0687_1991",
    "S_RES_0818_1993",
    "S_RES_0851_1993",
    "S_RES_0864_1993",
    "S_RES_0871_1993",
    "S_RES_0902_1994",
    "S_RES_1445_2002",
    "S_RES_1454_2002",
]


def _parse(unsc_dir: Path, stem: str) -> Document:
    return load_file(unsc_dir / f"{stem}_EN_GOLD.txt").documents[0]


def _sample(unsc_dir: Path) -> list[Path]:
    files = sorted(unsc_dir.glob("*.txt"))
    chosen = {path.name: path for path in files[::10]}
    for stem in TRICKY:
        chosen[f"{stem}_EN_GOLD.txt"] = unsc_dir / f"{stem}_EN_GOLD.txt"
    return sorted(chosen.values())


def test_sample_gives_preamble_and_every_numbered_paragraph(unsc_dir: Path) -> None:
    sample = _sample(unsc_dir)
    failures = {}
    for path in sample:
        raw = decode_text(path.read_bytes(), path.name)
        cause = check(raw, parse_text(raw, path.name))
        if cause:
            failures[path.name] = cause
    share = 1 - len(failures) / len(sample)
    assert len(sample) >= 100
    assert share >= 0.95, failures


def test_sample_has_unique_ids_and_no_adoption_notes_or_artefacts(unsc_dir: Path) -> None:
    for path in _sample(unsc_dir):
        document = load_file(path).documents[0]
        ids = [clause.id for _, clause in document.clauses()]
        assert len(ids) == len(set(ids)), path.name
        for _, clause in document.clauses():
            assert not re.search(r"\bAdopted (unanimously )?at the\b", clause.text), path.name
            assert not re.search(r"S/RES/\d+ \(\d{4}\)|\d\d-\d{5} \(E\)", clause.text), path.name


def test_resolution_242_structure_and_citations(unsc_dir: Path) -> None:
    document = _parse(unsc_dir, "S_RES_0242_1967")
    assert (document.id, document.body, document.number, document.revision) == (
        "unsc-242-1967",
        "UNSC",
        "242",
        "1967",
    )
    assert document.title == "Resolution 242 (1967) of 22 November 1967"
    assert [(s.heading, s.kind) for s in document.sections] == [
        ("preambular paragraph", "preamble"),
        ("operative paragraph", "operative"),
    ]
    preamble, operative = document.sections
    assert [c.label for c in preamble.clauses] == ["1", "2", "3"]
    assert preamble.clauses[0].text.startswith("Expressing its continuing concern with the grave")
    assert "\n" not in preamble.clauses[0].text  # hard-wrapped lines are joined
    assert [(c.label, c.sub) for c in operative.clauses] == [
        ("1", ""),
        ("1", "1"),
        ("1", "ii"),
        ("2", ""),
        ("2", "a"),
        ("2", "b"),
        ("2", "c"),
        ("3", ""),
        ("4", ""),
    ]
    section, clause = document.clauses()[-1]
    cited = citation(document, section, clause)
    assert cited["citation"] == "UNSC Res. 242 (1967), operative paragraph 4"
    assert cited["id"] == "unsc-242-1967/operative/4"
    sub = next(c for c in operative.clauses if c.sub == "a")
    assert citation(document, operative, sub)["citation"].endswith("operative paragraph 2 (a)")
    assert not any("Adopted" in c.text for _, c in document.clauses())


def test_page_break_and_slash_footnotes_1994(unsc_dir: Path) -> None:
    document = _parse(unsc_dir, "S_RES_0902_1994")
    preamble, operative = document.sections
    welcoming = preamble.clauses[1]
    assert "1/" not in welcoming.text and welcoming.footnotes == ["S/1994/262."]
    third = next(c for c in operative.clauses if c.label == "3")
    assert third.text.endswith("stresses the need to conclude such an agreement without delay;")
    assert [c.label for c in operative.clauses] == ["1", "2", "3", "4", "5"]  # "S." read as 5


def test_trailing_number_and_star_footnotes_after_adoption_note(unsc_dir: Path) -> None:
    document = _parse(unsc_dir, "S_RES_0100_1953")
    preamble, operative = document.sections
    assert preamble.clauses[0].footnotes and "S/3122" in preamble.clauses[0].footnotes[0]
    assert not preamble.clauses[0].text.endswith("6")
    relies = operative.clauses[-1]
    assert "*" not in relies.text and "Relies" in relies.full_text and relies.footnotes


def test_indents_parts_and_annexes(unsc_dir: Path) -> None:
    indents = [
        c.sub
        for c in _parse(unsc_dir, "S_RES_1445_2002").sections[1].clauses
        if c.label == "13" and c.sub
    ]
    assert indents == [f"indent {n}" for n in range(1, 7)]
    parts = _parse(unsc_dir, "S_RES_0161_1961")
    assert [s.heading for s in parts.sections] == [
        "part A, preambular paragraph",
        "part A, operative paragraph",
        "part B, preambular paragraph",
        "part B, operative paragraph",
    ]
    annexed = _parse(unsc_dir, "S_RES_1454_2002")
    headings = [s.heading for s in annexed.sections]
    assert headings[:2] == ["preambular paragraph", "operative paragraph"]
    assert any(s.keyword == "annex" and s.heading.startswith("Annex") for s in annexed.sections)


def test_single_unnumbered_operative_paragraph(unsc_dir: Path) -> None:
    document = _parse(unsc_dir, "S_RES_0150_1960")  # no blank line before "Recommends"
    preamble, operative = document.sections
    assert len(preamble.clauses) == 1 and preamble.clauses[0].footnotes
    assert [c.label for c in operative.clauses] == [""]
    assert operative.clauses[0].text.startswith("Recommends to the General Assembly")


def test_itu_layout_is_not_taken_for_the_paragraph_layout(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        assert not is_paragraph_layout(path.read_text())


def test_header_without_body_is_an_error_naming_file_and_line() -> None:
    text = "Resolution 999 (1999)\nof 1 January 1999\n\nThe Security Council,\n"
    with pytest.raises(ParseError) as error:
        parse_text(text, "s999.txt")
    assert "s999.txt" in str(error.value) and error.value.line > 0


def test_unseen_paragraph_resolution_of_another_body() -> None:
    text = (
        "Resolution 12 (2031)\nof 3 March 2031\n\nThe Human Rights Council,\n\n"
        "Recalling its earlier\nresolutions on the matter,\n\n"
        "Noting with concern the\nreport of the rapporteur, 1/\n\n"
        "1. Decides to extend the\nmandate;\n\n(a) for one year;\n\n(b) with a review;\n\n"
        "2. Requests the Secretary-General\nto report.\n\n1/ A/HRC/31/2.\n"
    )
    document = parse_text(text, "hrc.txt")
    assert (document.body, document.id) == ("HRC", "hrc-12-2031")
    preamble, operative = document.sections
    assert [c.text for c in preamble.clauses] == [
        "Recalling its earlier resolutions on the matter,",
        "Noting with concern the report of the rapporteur,",
    ]
    assert preamble.clauses[1].footnotes == ["A/HRC/31/2."]
    assert [(c.label, c.sub) for c in operative.clauses] == [
        ("1", ""),
        ("1", "a"),
        ("1", "b"),
        ("2", ""),
    ]


def test_itu_resolution_without_revision_is_not_lost_to_the_paragraph_layout() -> None:
    text = (
        "RESOLUTION 12\nA short title\nThe World Radiocommunication Conference (Geneva, 2020),\n"
        "resolves\nthat the matter be studied.\n"
    )
    document = parse_text(text, "wrc12.txt")
    assert (document.body, document.number, document.revision) == ("WRC", "12", "Geneva, 2020")
    assert [s.heading for s in document.sections] == ["resolves"]


def test_a_resolution_number_at_a_line_end_keeps_its_year_on_the_next_line() -> None:
    # Published texts wrap "541 (1983)" as "541\n(1983)": the year is not a sub-item "(1983)",
    # and the number is not a footnote call; a footnote printed against a year is one.
    text = (
        "Resolution 12 (2031)\nof 3 March 2031\n\nThe Human Rights Council,\n\n"
        "Recalling its resolutions 365 (2029), 367 (2030), 541\n(2030) and 544 (2030),\n\n"
        "Noting the agreement signed at Geneva on 10 September 20306 and the report, 7\n\n"
        "1. Decides to remain seized of the matter.\n\n"
        "6/ A/HRC/30/1, annex.\n\n7/ A/HRC/30/2.\n"
    )
    preamble, operative = parse_text(text, "hrc.txt").sections
    recalling, noting = preamble.clauses
    assert (
        recalling.text
        == "Recalling its resolutions 365 (2029), 367 (2030), 541 (2030) and 544 (2030),"
    )
    assert (
        noting.text == "Noting the agreement signed at Geneva on 10 September 2030 and the report,"
    )
    assert noting.footnotes == ["A/HRC/30/1, annex.", "A/HRC/30/2."]
    assert [c.label for c in operative.clauses] == ["1"]
