"""Documents that are not resolutions: numbered passages under their headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import ParseError
from ingest.loader import load_file, parse_text
from ingest.model import Document, citation

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEED = SHARED / "seed" / "000_709f3f257bb0f9f2.txt"

README = """Project notes
=============

Some *introductory* text that is
hard-wrapped over
three lines.

A second paragraph.

## Install

1. Create the environment
   with the script.
2. Run **the tests**.

- a bullet
- [x] a done task

Usage
-----

| option | meaning |
|--------|---------|
| `--k` | how many results |
| `--json` | print JSON |

```
resolutions search "timing"
  --k 3
```

**Limits**

---

<!-- a comment -->
[ref]: https://example.org
Final words.
"""


def _passages(document: Document) -> list[tuple[str, str, str]]:
    return [(s.heading, c.label, c.text) for s, c in document.clauses()]


def test_markdown_readme_passages() -> None:
    document = parse_text(README, "notes/README.md")
    assert document.kind == "passages" and document.title == "Project notes"
    assert _passages(document) == [
        ("Project notes", "1", "Some introductory text that is hard-wrapped over three lines."),
        ("Project notes", "2", "A second paragraph."),
        ("Install", "1", "Create the environment with the script."),
        ("Install", "2", "Run the tests."),
        ("Install", "3", "a bullet"),
        ("Install", "4", "a done task"),
        ("Usage", "1", "option: `--k`; meaning: how many results"),
        ("Usage", "2", "option: `--json`; meaning: print JSON"),
        ("Usage", "3", 'resolutions search "timing"\n  --k 3'),
        ("Limits", "1", "Final words."),
    ]


def test_passage_ids_and_citations() -> None:
    document = parse_text(README, "notes/README.md")
    ids = [c.id for _, c in document.clauses()]
    assert ids[0] == "readme/project-notes/1" and len(set(ids)) == len(ids)
    assert ids == [c.id for _, c in parse_text(README, "notes/README.md").clauses()]
    section, clause = document.clauses()[3]
    assert citation(document, section, clause)["citation"] == "Project notes, Install, paragraph 2"


def test_plain_text_hard_wrapped_blocks_are_joined() -> None:
    text = (
        "Meeting report\n\nThe group met on Monday and\ndiscussed the timing of the\nmeetings.\n\n"
        "It agreed to meet\nagain in May.\n"
    )
    document = parse_text(text, "report.txt")
    assert _passages(document) == [
        (
            "Meeting report",
            "1",
            "The group met on Monday and discussed the timing of the meetings.",
        ),
        ("Meeting report", "2", "It agreed to meet again in May."),
    ]


def test_plain_text_one_paragraph_per_line() -> None:
    first = "The first paragraph is one long line, as a word processor exports it, " * 3
    text = f"Summary\n{first}\nThe second one.\n"
    document = parse_text(text, "export.txt")
    assert [(s.heading, c.text) for s, c in document.clauses()] == [
        ("Summary", first.strip()),
        ("Summary", "The second one."),
    ]


@pytest.mark.skipif(not SEED.exists(), reason="the seed contribution lives in ../shared")
def test_seed_contribution_artefacts_removed_and_footnotes_resolved() -> None:
    document = load_file(SEED).documents[0]
    assert document.kind == "passages"
    headings = [s.heading for s in document.sections]
    assert headings[:4] == [
        "Purpose",
        "Action required by the Council",
        "I Introduction",
        "II Proposal",
    ]
    texts = [c.text for _, c in document.clauses()]
    assert not any("[bookmark" in t or "footnoteRef" in t for t in texts)
    noted = [c for _, c in document.clauses() if c.footnotes]
    assert noted and "nine regional telecommunication organizations" in noted[0].full_text
    assert "[1:" not in noted[0].text
    section, clause = next((s, c) for s, c in document.clauses() if s.heading == "I Introduction")
    assert citation(document, section, clause)["citation"].endswith("I Introduction, paragraph 1")


def test_document_with_no_text_is_an_error() -> None:
    with pytest.raises(ParseError, match="no text"):
        parse_text("---\n\n___\n", "rules.md")
