"""Words that frame a question's subject ("Which resolutions deal with Cyprus?") are not searched
for: their rare forms in the texts ("all dealings with the regime") outweighed the subject."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index.lexical import without_topic_frames
from tests.fakes import hrc_resolution, library_of


@pytest.mark.parametrize(
    ("query", "searched"),
    [
        ("Which resolutions deal with Cyprus?", "Which resolutions with Cyprus?"),
        (
            "What did the Council say when it dealt with Goa?",
            "What did the Council say when it with Goa?",
        ),
        ("Does any text talk about fellowships?", "Does any text about fellowships?"),
        ("Which clauses have to do with funding?", "Which clauses with funding?"),
        ("Which States must refrain from dealings with the regime?", None),  # the subject itself
        ("Which resolution deals out aid?", None),  # no frame without "with"
    ],
)
def test_framing_verbs_are_taken_out(query: str, searched: str | None) -> None:
    assert without_topic_frames(query) == (searched or query)


def test_a_framed_question_finds_its_subject(tmp_path: Path) -> None:
    library = library_of(
        tmp_path,
        {
            f"r{n}.txt": hrc_resolution(
                n,
                f"{n} March 2031",
                "the situation in Freedonia",
                [f"Calls upon the parties in Freedonia to pursue talks, round {n}"],
            )
            for n in (40, 41, 42, 43)
        }
        | {
            "r44.txt": hrc_resolution(
                44,
                "9 April 2031",
                "the regime of Sylvania",
                ["Calls upon all States to refrain from all dealings with the regime"],
            )
        },
    )
    hits = library.search("Which resolutions deal with Freedonia?", k=3)
    assert all("Freedonia" in str(h.citation.get("text")) for h in hits), [h.id for h in hits]
