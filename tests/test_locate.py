"""Where a named resolution speaks of a subject ("Which provisions of PP-58 deal with RPMs?"):
every clause of it that holds each idea of the subject, listed and cited, or "it never speaks
of" the subject; the other shapes of "which paragraph" stay questions."""

from __future__ import annotations

import pytest

from assistant.chat.agent import respond
from assistant.chat.locate import asked_subject, clauses_about
from assistant.chat.router import route
from assistant.index.library import Library
from assistant.text.catalog import Catalog
from ingest.model import Clause, Document, Section

BUSAN = "pp-58-rev-busan-2014"


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        (
            "Which provisions of PP-58 deal with regional preparatory meetings?",
            "regional preparatory meetings",
        ),
        ("What paragraphs in resolution 687 mention chemical weapons", "chemical weapons"),
        ("Where does WTDC 31 talk about least developed countries?", "least developed countries"),
        ("Which clauses of WTSA 43 refer to the CPM?", "the CPM"),
        ("Which paragraph of resolution 687 does resolution 773 cite?", None),  # what it cites
        ("Which paragraphs of resolution 577 is the report to cover in particular?", None),
        ("What does PP-58 say about regional preparatory meetings?", None),  # what it says
        ("Where were the regional preparatory meetings held?", None),
    ],
)
def test_what_asks_where_a_resolution_speaks_of_a_subject(text: str, subject: str | None) -> None:
    asked = asked_subject(text)
    assert (asked[1] if asked else None) == subject


def _made_up() -> Document:
    clauses = [
        Clause("x/resolves/1", "1", "", "to hold a cease-fire in the region;"),
        Clause("x/resolves/2", "2", "", "to organize RPMs for the conference;"),
        Clause("x/resolves/3", "3", "", "to report on the ceasefire lines;"),
        Clause("x/resolves/4", "4", "", "to welcome the preparatory work of the region;"),
    ]
    section = Section("resolves", "operative", "resolves", "resolves", clauses)
    return Document("x", "resolution", "PP", "9", "2030", "T", sections=[section])


def test_every_clause_that_holds_each_idea_in_any_spelling() -> None:
    document = _made_up()
    assert [c.id for c in clauses_about(document, "ceasefire")] == [
        "x/resolves/1",  # "cease-fire"
        "x/resolves/3",
    ]
    # the long form of an acronym the clause uses; every idea, not one of them
    assert [c.id for c in clauses_about(document, "regional preparatory meetings")] == [
        "x/resolves/2"
    ]
    assert clauses_about(document, "fellowships") == []


def test_the_reply_lists_the_clauses_or_says_it_never_speaks_of_it(
    fake_library: Library, catalog: Catalog
) -> None:
    found = route("Which provisions of PP-58 deal with regional preparatory meetings?", catalog)
    assert found.intent == "summary" and found.documents == [BUSAN]
    reply = respond(fake_library, found.message)
    ids = [c["id"] for c in reply.citations]
    assert ids == [
        f"{BUSAN}/resolves/1",
        f"{BUSAN}/resolves-further/p",  # "preparations for ... coordination meetings"
        *(f"{BUSAN}/instructs-the-secretary-general/3/indent-{n}" for n in (1, 3, 4)),
    ]  # indent 3 says "RPMs"
    assert "the clauses that speak of regional preparatory meetings (5 clauses)" in reply.answer
    never = respond(fake_library, "Which clauses of WTSA 43 mention fellowships?")
    assert never.status == "not_found" and never.citations == []
    assert "never speaks of fellowships" in never.answer
