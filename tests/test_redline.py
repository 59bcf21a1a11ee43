"""Word-level redlines: both sides come back exactly; Markdown and HTML marks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.text.redline import (
    accepted,
    diff_words,
    original,
    summary,
    to_html,
    to_markdown,
)

BASE = (
    "that all six regional telecommunication organizations have coordinated their "
    "preparations for this conference;"
)
PROPOSAL = (
    "that all six regional telecommunication organizations have coordinated their "
    "preparations for many conferences and assemblies of the Union;"
)


def test_word_level_changes() -> None:
    edits = diff_words(BASE, PROPOSAL)
    assert to_markdown(edits) == (
        "that all six regional telecommunication organizations have coordinated their "
        "preparations for <del>this conference</del> <ins>many conferences and assemblies of "
        "the Union</ins>;"
    )
    assert accepted(edits) == PROPOSAL and original(edits) == BASE
    assert summary(edits) == {"inserted_words": 7, "deleted_words": 2}


def test_html_escapes_and_markdown_keeps_words() -> None:
    edits = diff_words("a <b> & c", "a <b> & d")
    assert to_html(edits) == "a &lt;b&gt; &amp; <del>c</del> <ins>d</ins>"
    assert "<ins>d</ins>" in to_markdown(edits)


def test_whole_insertions_and_deletions() -> None:
    assert [e.kind for e in diff_words("", "new text")] == ["insert"]
    assert [e.kind for e in diff_words("old text", "")] == ["delete"]
    assert diff_words("", "") == []
    same = diff_words(BASE, BASE)
    assert [e.kind for e in same] == ["equal"]


WORDS = st.lists(
    st.sampled_from(
        [
            "the",
            "Union",
            "WTSAs",
            "conferences",
            "and",
            "of",
            ";",
            ",",
            "(RTOs)",
            "six",
            "ITU-D",
            "assemblies",
        ]
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(WORDS, WORDS)
def test_both_sides_come_back(old_words: list[str], new_words: list[str]) -> None:
    old, new = " ".join(old_words), " ".join(new_words)
    edits = diff_words(old, new)
    assert accepted(edits) == new
    assert original(edits) == old


def test_a_space_that_only_one_side_has() -> None:
    edits = diff_words("the Union", "Union")
    assert accepted(edits) == "Union" and original(edits) == "the Union"
    assert to_markdown(edits) == "<del>the </del>Union"
    assert "<del></del>" not in to_markdown(diff_words("a ( b", "a (b"))
