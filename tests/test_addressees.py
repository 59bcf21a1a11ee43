"""A section asked for by its verb and addressee ("What does PP-58 instruct the Council to do?"):
only that section is listed; a verb under "resolves" counts; glossary acronyms stand for their
expansions; an addressee no heading names leaves the message a question."""

from __future__ import annotations

import pytest

from assistant.chat.addressees import asked_sections
from assistant.chat.router import route
from assistant.text.catalog import Catalog
from ingest.model import Clause, Document, Section


def _document(*headings: tuple[str, str]) -> Document:
    sections = [
        Section(heading, "operative", keyword, f"s{n}", [Clause(f"x/s{n}/p", "", "", "to act.")])
        for n, (keyword, heading) in enumerate(headings)
    ]
    return Document("x", "resolution", "PP", "9", "2030", "T", sections=sections)


MADE_UP = _document(
    ("resolves", "resolves to instruct the Director of the Radiocommunication Bureau"),
    (
        "instructs",
        "instructs the Secretary-General, in close cooperation with the Directors "
        "of the three Bureaux",
    ),
    ("instructs", "instructs the Council"),
    ("invites", "invites Member States"),
)


@pytest.mark.parametrize(
    ("keyword", "addressee", "expected"),
    [
        ("instructs", ["Council"], ["instructs the Council"]),
        ("instructs", ["SG"], ["instructs the Secretary-General, in close"]),
        ("instructs", ["BR", "Director"], ["resolves to instruct the Director of the Radio"]),
        ("instructs", ["directors"], ["resolves to instruct", "instructs the Secretary-General"]),
        ("instructs", [], ["resolves to instruct", "instructs the Secretary", "instructs the C"]),
        ("invites", ["member", "states"], ["invites Member States"]),
        ("invites", ["Council"], []),
        ("instructs", ["sg"], []),  # a short acronym only in capitals, as search reads it
        ("urges", [], []),
    ],
)
def test_the_sections_named_by_verb_and_addressee(
    keyword: str, addressee: list[str], expected: list[str]
) -> None:
    found = [s.heading for s in asked_sections(MADE_UP, keyword, addressee)]
    assert len(found) == len(expected)
    assert all(h.startswith(e) for h, e in zip(found, expected, strict=True))


def test_the_router_lists_the_section_asked_and_no_other(catalog: Catalog) -> None:
    council = route("What does PP-58 instruct the Council to do?", catalog)
    assert council.intent == "summary" and council.headings == ["instructs the Council"]
    tsb = route("What does WTSA 43 instruct the TSB Director to do?", catalog)
    assert tsb.headings == [
        "resolves to instruct the Director of the Telecommunication Standardization Bureau"
    ]
    asked = route("What does WTDC 31 ask the SG to do?", catalog)
    assert asked.intent == "summary" and asked.section == "requests"
    # a subject the headings do not name: a question, searched as before
    about = route("What does WTSA 43 request the Secretary-General to do about the forum?", catalog)
    assert about.intent == "question"
