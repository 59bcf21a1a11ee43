"""Parsing of resolutions in the ITU plain-text layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.errors import ParseError
from ingest.loader import load_file, parse_text
from ingest.model import citation, document_structure

GOLDEN = Path(__file__).parent / "golden"
CORPUS_FILES = sorted((Path(__file__).parent.parent / "corpus").glob("*.txt"))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_corpus_file_matches_golden(path: Path, update_golden: bool) -> None:
    (document,) = load_file(path).documents
    structure = document_structure(document)
    structure["source"] = path.name
    golden = GOLDEN / f"{path.stem}.json"
    if update_golden:
        golden.write_text(json.dumps(structure, ensure_ascii=False, indent=2) + "\n")
    assert structure == json.loads(golden.read_text())


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_corpus_file_parses_completely(path: Path) -> None:
    """Every labelled line of the file becomes a clause; no text is lost."""
    raw = path.read_text()
    (document,) = load_file(path).documents
    assert document.kind == "resolution"
    labelled_lines = [
        line for line in raw.splitlines() if "\t" in line and not line.startswith("[^")
    ]
    clauses = [clause for _, clause in document.clauses()]
    labelled_clauses = [c for c in clauses if c.label or c.sub]
    assert len(labelled_clauses) == len(labelled_lines)
    all_text = " ".join(c.full_text for c in clauses)
    for line in labelled_lines:
        assert line.split("\t", 1)[1].replace("[^1]", "").replace("[^2]", "")[:60] in all_text


def test_header_fields_and_citation() -> None:
    document = load_file(Path("corpus/WTSA-43-Rev-New-Delhi-2024.txt")).documents[0]
    assert (document.body, document.number, document.revision) == (
        "WTSA",
        "43",
        "Rev. New Delhi, 2024",
    )
    assert document.status == "in force"
    section, clause = document.clauses()[-3]
    cited = citation(document, section, clause)
    assert cited["citation"].startswith(
        "WTSA Res. 43 (Rev. New Delhi, 2024), invites the Secretary"
    )
    assert cited["label"] == "2" and cited["sub"] == "iv"


def test_considering_i_is_a_letter_not_a_roman_sub_item() -> None:
    document = load_file(Path("corpus/WTSA-43-Rev-New-Delhi-2024.txt")).documents[0]
    considering = next(s for s in document.sections if s.heading == "considering")
    assert [c.label for c in considering.clauses][-2:] == ["h", "i"]
    assert all(not c.sub for c in considering.clauses)


def test_footnote_is_resolved_into_the_clause() -> None:
    document = load_file(Path("corpus/PP-58-Rev-Doha-2026-draft.txt")).documents[0]
    _, clause = next((s, c) for s, c in document.clauses() if c.id.endswith("/considering/b"))
    assert "[^1]" not in clause.text
    assert clause.footnotes and "nine regional telecommunication organizations" in clause.full_text


def test_ids_are_stable_across_parses() -> None:
    path = Path("corpus/PP-58-Rev-Busan-2014.txt")
    first = [c.id for _, c in load_file(path).documents[0].clauses()]
    second = [c.id for _, c in load_file(path).documents[0].clauses()]
    assert first == second and len(set(first)) == len(first)


UNSEEN = """RESOLUTION 76 (Rev. Hammamet, 2016)
Studies related to conformance and interoperability testing
(Johannesburg, 2008; Dubai, 2012; Hammamet, 2016)
The World Telecommunication Standardization Assembly (Hammamet, 2016),
considering
a)\tthat conformance testing is important;
b)\tthat interoperability is needed[^1],
recognizing further
that the Union has a role,
resolves
1\tthat study groups should develop Recommendations;
2\tthat the following be done:
i)\ttesting specifications;
ii)\ta database of products;
1bis\tthat the programme continues,
instructs the Director of the Telecommunication Standardization Bureau, in close \
collaboration with the Director of the Telecommunication Development Bureau
1\tto implement the programme;
–\tfirst step;
–\tsecond step,
invites Member States and Sector Members
to contribute.

[^1]: As defined in Recommendation ITU-T X.290.
"""


def test_unseen_resolution_parses_with_all_sections_clauses_and_sub_items() -> None:
    document = parse_text(UNSEEN, "res76.txt")
    assert (document.body, document.number, document.revision) == (
        "WTSA",
        "76",
        "Rev. Hammamet, 2016",
    )
    assert [s.heading.split()[0] for s in document.sections] == [
        "considering",
        "recognizing",
        "resolves",
        "instructs",
        "invites",
    ]
    assert [s.kind for s in document.sections] == [
        "preamble",
        "preamble",
        "operative",
        "operative",
        "operative",
    ]
    resolves = document.sections[2]
    assert [(c.label, c.sub) for c in resolves.clauses] == [
        ("1", ""),
        ("2", ""),
        ("2", "i"),
        ("2", "ii"),
        ("1bis", ""),
    ]
    instructs = document.sections[3]
    assert [(c.label, c.sub) for c in instructs.clauses] == [
        ("1", ""),
        ("1", "indent 1"),
        ("1", "indent 2"),
    ]
    assert "X.290" in document.sections[0].clauses[1].full_text
    assert document.sections[4].clauses[0].text == "to contribute."


def test_markdown_headings_and_emphasis_are_read_as_the_layout() -> None:
    markdown = UNSEEN.replace("considering\n", "## *considering*\n").replace(
        "resolves\n", "**resolves**\n"
    )
    document = parse_text(markdown, "res76.md")
    assert [s.heading for s in document.sections][:3] == [
        "considering",
        "recognizing further",
        "resolves",
    ]


def test_text_before_first_heading_is_an_error_with_line() -> None:
    bad = (
        "RESOLUTION 1 (Rev. X, 2020)\nTitle\nThe Plenipotentiary Conference (X, 2020),\n"
        "This stray sentence opens the body.\nconsidering\na)\tthat;"
    )
    with pytest.raises(ParseError) as error:
        parse_text(bad, "bad.txt")
    assert error.value.line == 4 and "bad.txt:4" in str(error.value)


def test_empty_text_is_an_error() -> None:
    with pytest.raises(ParseError, match="empty"):
        parse_text("  \n\n", "empty.txt")
