"""Questions that ask what a document the resolution only cites says (issue 16): "What did
Lebanon's complaint of 3 March 1981, recalled in resolution 488, say?" is not answered by the
clause that recalls the complaint, only by one that reports what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.text.asked import Asked, asks_content, reported_contents
from tests.fakes import hrc_resolution, library_of


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did the complaint of 3 March 2030, recalled in resolution 41, say?", True),
        ("What do paragraphs 5, 8 and 9 of the Secretary-General's report say?", True),
        ("What does the agreement annexed to the Chairman's report provide?", True),
        ("What did the Secretary-General's letter of 5 May contain?", True),
        # what someone said in a document the text cites
        ("What did the President of Ruritania say in his letter of 2 May 2031?", True),
        ("What did the Government state in its memorandum of 4 June?", True),
        ("What did the Council say in resolution 847?", False),  # its own words answer
        ("What did the delegate say in the debate?", False),  # no document
        # the resolution's own words answer these
        ("What do paragraphs 5 and 8 of resolution 519 say?", False),
        ("What does operative paragraph 3 of the resolution provide?", False),
        ("What does resolution 242 say about Jerusalem?", False),
        ("What did the Council say the report should contain?", False),
        ("What does the report say about refugees?", False),  # what it says of a subject
    ],
)
def test_a_question_asks_what_a_cited_document_says(question: str, expected: bool) -> None:
    assert asks_content(question) is expected


@pytest.mark.parametrize(
    ("clause", "reports"),
    [
        ("Recalling its complaint of 3 March 2030 and the letter of 4 March 2030,", False),
        ("Taking into account paragraphs 5, 8 and 9 of the report of the Chairman,", False),
        ("Noting the report of the Chairman, which states that the mission is ready", True),
        ("the guidelines, as stated in the report of 19 March 2030, and particularly:", True),
        ("Recalling the letter of 3 March 2030, [Footnote: Official Records, Supplement]", False),
    ],
)
def test_a_clause_that_only_cites_the_document_states_nothing_of_it(
    clause: str, reports: bool
) -> None:
    asked = Asked.read("What did the complaint of 3 March 2030 say?")
    assert asked.content and asked.kind is None
    assert bool(reported_contents(clause)) is reports
    assert asked.states_new(clause) is reports


def test_the_answer_to_what_a_cited_report_says_is_partial(tmp_path: Path) -> None:
    from assistant.answering.answer import answer

    library = library_of(
        tmp_path,
        {
            "r41.txt": hrc_resolution(
                41,
                "3 March 2031",
                "the situation in Ruritania",
                [
                    "Takes note of paragraphs 5, 8 and 9 of the report of the High Commissioner "
                    "on Ruritania and calls on all concerned to co-operate with the mission",
                    "Decides to remain seized of the matter",
                ],
            )
        },
    )
    question = "What do paragraphs 5, 8 and 9 of the High Commissioner's report on Ruritania say?"
    assert answer(library, question).status != "answered"
    # the clause itself is still what the text says of it: the reply cites it as the closest
    assert answer(library, "What does the resolution take note of?").status == "answered"
