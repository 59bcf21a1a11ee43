"""The names a question uses and which of them a text never uses (assistant/text/names.py)."""

from __future__ import annotations

from assistant.text.names import absent_names, acronyms_of, names_in, unknown_names
from assistant.text.question import stems


def test_names_are_capitalized_words_not_adjectives_months_or_the_first_word() -> None:
    words = [n.word for n in names_in("When did Soviet troops leave Afghanistan in March 1989?")]
    assert words == ["Afghanistan"]  # "When" opens it, "Soviet troops": an adjective, a month
    assert [n.word for n in names_in("What did the UN ask of POWs in Walvis Bay?")] == [
        "Walvis",
        "Bay",
    ]  # acronyms are no names
    (bay,) = [n for n in names_in("Where is Walvis Bay?") if n.word == "Bay"]
    assert bay.phrase == "Walvis Bay"


def test_an_acronym_is_a_name_only_when_asked_for() -> None:
    """ "UNOMIL" is no name a text must use to be found, but a text on UNOMIG does not use it."""
    question = "How many military observers does UNOMIL have?"
    assert names_in(question) == []
    (unomil,) = names_in(question, acronyms=True)
    assert absent_names([unomil], stems("the military observers of UNOMIG")) == ["UNOMIL"]
    assert not absent_names([unomil], stems("the strength of UNOMIL"))
    assert names_in("What do ITU-T and the UN say?", acronyms=True) == []  # glossary terms
    assert names_in("How many RPMs are held?", acronyms=True) == []  # ... in the plural too


def test_a_place_is_used_by_a_text_that_uses_another_of_its_names() -> None:
    (lisbon,) = names_in("What did the Council ask Lisbon to do?")
    assert lisbon.place
    assert lisbon.used_by(stems("Calls upon Portugal to cease its attacks"))
    assert absent_names([lisbon], stems("Calls upon Angola to cease")) == ["Lisbon"]
    assert not absent_names([lisbon], stems("the Government of Portugal"))


def test_unknown_names_leave_places_out() -> None:
    known = {s: 1.0 for s in stems("the Council condemns the attack on Kabul")}
    assert unknown_names("What did the Council say about Dubrovnik and Lisbon?", known) == [
        "Dubrovnik"
    ]


def test_a_name_absent_from_a_clause_text_weighs_against_it(fake_library) -> None:
    """The support signal ``names_absent``: the share of the question's names the clause's
    text never uses."""
    from assistant.answering.evidence import retrieve

    retrieval = retrieve(fake_library, "What do regional meetings prepare in Ruritania?")
    assert retrieval.evidence
    assert all(e.features["names_absent"] == 1.0 for e in retrieval.evidence)
    plain = retrieve(fake_library, "What do regional preparatory meetings prepare?")
    assert all(e.features["names_absent"] == 0.0 for e in plain.evidence)


def test_the_long_names_of_a_text_spell_their_acronyms() -> None:
    spelled = acronyms_of(
        "extends the mandate of the United Nations Interim Force in Lebanon; welcomes the "
        "report of the United Nations Transitional Authority in Cambodia"
    )
    assert {"unifil", "untac"} <= spelled  # with "in", and without
    assert not acronyms_of("the Council decides to remain seized of the matter")


def test_the_first_word_of_a_sentence_is_no_name() -> None:
    question = "The Council named two parties in El Salvador. Besides the FMLN, which did it name?"
    assert [n.word for n in names_in(question)] == ["El", "Salvador"]
    assert "Bush" in [n.word for n in names_in("What did Mr. Bush say?")]  # an abbreviation
