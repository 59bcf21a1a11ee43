"""Questions about a resolution's own adoption ("When was resolution 242 adopted?", "What was the
vote on resolution 678?"): the adoption note is kept by the parser, such questions are told from
questions about what happened when a resolution was adopted, and they are answered from the
heading, cited as such."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.adoption import adoption_answer, asked_adoption
from assistant.answering.answer import answer
from assistant.answering.model import Answer
from assistant.chat.conversations import resolve_follow_up
from assistant.chat.router import route
from assistant.index.library import Library
from assistant.text.catalog import Catalog
from assistant.text.question import analyse
from ingest.loader import load_file, parse_text
from ingest.model import document_from_dict, document_to_dict, heading_citation
from tests.unsc_texts import unsc_document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def both_catalog() -> Catalog:
    itu = [d for path in sorted(CORPUS.glob("*.txt")) for d in load_file(path).documents]
    return Catalog([*(unsc_document(n) for n in ("242", "678", "661", "638")), *itu])


def test_the_parser_keeps_the_adoption_note_and_storage_round_trips_it() -> None:
    document = unsc_document("678")
    assert document.adoption == (
        "Adopted at the 2963rd meeting by 12 votes to 2 (Cuba and Yemen), "
        "with 1 abstention (China)."
    )
    assert "Adopted" not in " ".join(c.text for _, c in document.clauses())  # not a clause
    assert document_from_dict(document_to_dict(document)).adoption == document.adoption
    itu = load_file(CORPUS / "WTSA-43-Rev-New-Delhi-2024.txt").documents[0]
    assert itu.adoption == ""


def _made_up(note: str, notes: str = "") -> str:
    """A resolution in the UN paragraph layout that no corpus holds, ending with ``note``."""
    return (
        "Resolution 9001 (2031)\nof 3 March 2031\n\nThe Security Council,\n\n"
        "Recalling its earlier decisions,\n\n1. Decides to remain seized of the matter.\n\n"
        f"{note}\n\n\n{notes}"
    )


@pytest.mark.parametrize(
    ("note", "notes", "kept"),
    [
        # the footnote the note calls is spelled out: it holds the vote in older texts
        (
            "Adopted at the 80th meeting 25",
            "24 Ibid., document S/1.\n25 Adopted without vote.",
            "Adopted at the 80th meeting. (Note: Adopted without vote.)",
        ),
        (
            "Adopted at the 1752nd\nmeeting by 14 votes to\nnone33",
            "33 One member (China) did not participate in the voting.",
            "Adopted at the 1752nd meeting by 14 votes to none. "
            "(Note: One member (China) did not participate in the voting.)",
        ),
        # a call whose note is not printed is dropped; a vote's last figure is no call
        (
            "Adopted at the 1822nd meeting by 13 votes to none. 13",
            "",
            "Adopted at the 1822nd meeting by 13 votes to none.",
        ),
        (
            "Adopted at the 2963rd meeting by 12 votes to 2",
            "2 Ibid.",
            "Adopted at the 2963rd meeting by 12 votes to 2",
        ),
        # a note cut by a blank line is one note
        (
            "Adopted unanimously at the\n\n2351st meeting.",
            "",
            "Adopted unanimously at the 2351st meeting.",
        ),
    ],
)
def test_the_adoption_note_is_read_whole(note: str, notes: str, kept: str) -> None:
    document = parse_text(_made_up(note, notes), "made-up.txt")
    assert document.adoption == kept
    assert [c.text for _, c in document.clauses()] == [
        "Recalling its earlier decisions,",
        "Decides to remain seized of the matter.",
    ]


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("When was resolution 242 adopted?", "date"),
        ("When did the Security Council adopt resolution 678 (1990)?", "date"),
        ("What is the date of resolution 661?", "date"),
        ("In what year was resolution 638 passed?", "date"),
        ("When was WTSA Resolution 43 last revised?", "date"),
        ("What was the vote on resolution 678?", "vote"),
        ("Who abstained on resolution 678?", "vote"),
        ("Which countries voted against resolution 678?", "vote"),
        ("Was resolution 242 adopted unanimously?", "vote"),
        ("At which meeting was resolution 661 adopted?", "meeting"),
        ("Who adopted WTDC Resolution 31?", "body"),
        ("Which conference adopted Resolution 72?", "body"),
        ("Where was WTSA 43 last revised?", "place"),
        ("What is the title of WRC Resolution 72?", "title"),
        ("Who is the Special Representative under resolution 242?", None),
        ("Against whom was resolution 661 adopted?", None),
        # what happened when it was adopted, or what it says: the clauses answer (or not)
        ("How many hostages were being held when resolution 638 (1989) was adopted?", None),
        ("When was the committee of resolution 661 established?", None),
        ("When does resolution 678 expire?", None),
        ("When was resolution 678 adopted and what does it authorize?", None),
        ("What does resolution 242 say about withdrawal?", None),
        ("When was the regional preparatory meeting held?", None),  # names no resolution
        ("When was resolution 9999 adopted?", None),  # not held
    ],
)
def test_what_is_asked_about_the_adoption(both_catalog: Catalog, text: str, ask: str) -> None:
    assert asked_adoption(analyse(text, both_catalog)) == ask


def _answer(catalog: Catalog, text: str) -> Answer | None:
    return adoption_answer(catalog, analyse(text, catalog))


def test_the_heading_answers_with_its_own_words_cited(both_catalog: Catalog) -> None:
    dated = _answer(both_catalog, "When was resolution 242 adopted?")
    assert dated is not None and dated.status == "answered"
    assert '"Resolution 242 (1967) of 22 November 1967"' in dated.text
    (cited,) = dated.citations
    assert cited == heading_citation(both_catalog.by_id["unsc-242-1967"])
    assert cited["id"] == "unsc-242-1967/heading" and cited["section"] == "heading"
    assert "Adopted unanimously at the 1382nd meeting." in cited["text"]
    absent = Catalog(
        [
            parse_text(
                _made_up(
                    "Adopted at the 80th meeting 5",
                    "5 One member (France) did not participate in the voting.",
                ),
                "x",
            )
        ]
    )
    who = _answer(absent, "Which members did not participate in the vote on resolution 9001?")
    assert who is not None and "One member (France) did not participate" in who.text
    vote = _answer(both_catalog, "Who abstained on resolution 678?")
    assert vote is not None and "with 1 abstention (China)" in vote.text
    revised = _answer(both_catalog, "When was WTSA Resolution 43 last revised?")
    assert revised is not None
    assert "(New Delhi, 2024)" in revised.text and "WTSA Res. 43" in revised.text
    body = _answer(both_catalog, "Which conference adopted Resolution 72?")
    assert (
        body is not None and "The World Radiocommunication Conference (Sharm el-Sheikh" in body.text
    )


def test_what_the_heading_does_not_state_is_left_to_the_clauses(both_catalog: Catalog) -> None:
    # the ITU texts record no vote, and a revision's heading does not date the first adoption
    assert _answer(both_catalog, "What was the vote on WTSA Resolution 43?") is None
    assert _answer(both_catalog, "When was WTSA Resolution 43 first adopted?") is None
    assert _answer(both_catalog, "What is the title of resolution 242?") is None  # number, date
    assert _answer(both_catalog, "Where was resolution 242 adopted?") is None
    # two held versions of a number: each heading, the draft said to be one
    both = _answer(both_catalog, "When was Resolution 58 adopted?")
    assert both is not None and len(both.citations) == 2
    assert "(Rev. Doha, 2026) (draft)" in both.text


def test_the_answer_path_and_the_chat_route(fake_library: Library, catalog: Catalog) -> None:
    result = answer(fake_library, "When was WTSA Resolution 43 last revised?")
    assert result.status == "answered"
    assert [c["id"] for c in result.citations] == ["wtsa-43-rev-new-delhi-2024/heading"]
    # the citation opens like a clause's (the web page's clause panel, GET /clauses/{id})
    assert fake_library.clause("wtsa-43-rev-new-delhi-2024/heading") == result.citations[0]
    other = answer(fake_library, "When was WTSA Resolution 43 first adopted?")
    assert not any(c["id"].endswith("/heading") for c in other.citations)
    assert route("What was the vote on resolution 678?", catalog).intent == "question"


def test_a_follow_up_about_the_adoption_keeps_its_own_question(catalog: Catalog) -> None:
    first = "What does WTSA 43 say about the timing of the regional preparatory meetings?"
    resolved = resolve_follow_up("And when was it last revised?", first, catalog)
    assert resolved == "when was it last revised in WTSA 43?"
    found = _answer(catalog, resolved)
    assert found is not None and "(New Delhi, 2024)" in found.text
    # "what about <subject>" is still the same resolutions asked about another subject
    other = resolve_follow_up("And what about fellowships?", first, catalog)
    assert other == "What does WTSA 43 say about fellowships?"
