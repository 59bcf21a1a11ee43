"""What a question asks for: an amount, a duration, a count or a date (a clause must state one
the question does not already hold), and the words that only say how texts are compared."""

from __future__ import annotations

import pytest

from assistant.answering.answer import answer
from assistant.answering.evidence import Evidence, focus_share, states_new
from assistant.text.answer_type import expected_answer_type, stated_spans, states
from assistant.text.question import focus_words, stems


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much does a Sector Member pay per contributory unit?", "amount"),
        ("What budget does the Council approve for the IRMs in 2027?", "amount"),
        ("What is the cost of the regional preparatory meetings?", "amount"),
        ("How many Swiss francs are set aside for fellowships?", "amount"),
        ("How long is the term of office of the Director?", "duration"),
        ("How long before the assembly may the chairs meet?", "duration"),
        ("How many regional preparatory meetings are held?", "count"),
        ("When should the interregional meeting take place?", "date"),
        ("Who chairs the interregional meeting?", None),
        ("What does the resolution say about budgets of RTOs?", None),
    ],
)
def test_the_kind_of_answer_a_question_asks_for(question: str, kind: str | None) -> None:
    assert expected_answer_type(question) == kind


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("a contribution of CHF 50 000 to the fund", "amount", True),
        ("up to 2.5 million Swiss francs", "amount", True),
        ("USD 300 per delegate", "amount", True),
        ("within the budget approved by the Council", "amount", False),
        ("Resolution 25 (Rev. Bucharest, 2022) on six regional meetings", "amount", False),
        ("not earlier than six months prior to WTSA", "duration", True),
        ("for a term of four years", "duration", True),
        ("at least 30 calendar days before the meeting", "duration", True),
        ("in the year preceding the conference", "duration", False),
        ("the report to the Council", None, True),
    ],
)
def test_whether_a_clause_states_it(text: str, kind: str | None, expected: bool) -> None:
    assert states(text, kind) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("decides to increase the Force by 1,000 additional troops", True),
        ("composed of fifteen members", True),
        ("recalling its resolution 770 (1992) and paragraph 5 above", False),
        ("adopted on 13 August 1992 at its 3106th meeting", False),  # a date, an ordinal
        ("the Committee established by resolution 724 (1991)", False),
        ("organizing one or more interregional meetings", False),  # not how many
    ],
)
def test_numbers_that_name_or_date_are_not_counts(text: str, expected: bool) -> None:
    assert bool(stated_spans(text, "count")) is expected


def test_a_clause_must_state_what_the_question_does_not_already_hold() -> None:
    asked = stems("Who chairs the Committee established by resolution 724?")
    kind = "person_or_body"
    assert not states_new("cooperate fully with the Committee in its tasks", kind, asked)
    assert states_new("the Committee is chaired by the Secretary-General", kind, asked)
    asked = stems("How many observers does resolution 350 send?")
    assert not states_new("Recalling resolution 350 (1974) on the observers", "count", asked)
    assert states_new("the Force shall consist of 1,250 observers", "count", asked)
    assert states_new("any text at all", None, asked)
    assert states("for nearly two and a half years", "duration")


def test_the_focus_of_a_question() -> None:
    assert focus_words("What does resolution 660 say about the rise in oil prices?") == [
        "rise",
        "oil",
        "prices",
    ]
    assert focus_words("Who chairs the committee of experts?")[:1] == ["chairs"]
    focus = [stems(w) for w in focus_words("What does it say about oil prices?")]
    assert focus_share(focus, stems("the price of oil rose")) == 1.0
    assert focus_share(focus, stems("the invasion of Kuwait")) == 0.0
    assert focus_share([], stems("anything")) == 1.0


def test_a_clause_that_states_no_answer_of_the_kind_never_supports() -> None:
    from assistant.answering.support import default_config

    lenient = default_config().with_thresholds(answered=0.0)
    strong = Evidence({"id": "d/c"}, 0.1, coverage=5.0, config=lenient)
    assert strong.supports
    weak = Evidence({"id": "d/c"}, 0.1, coverage=5.0, states_answer=False, config=lenient)
    assert not weak.supports


def test_asking_for_an_amount_the_texts_do_not_hold_is_never_answered(fake_library) -> None:
    from assistant.answering.support import default_config

    question = (
        "How much does the informal meeting of the chairs and vice-chairs of the regional "
        "preparatory meetings before WTSA cost?"
    )
    lenient = default_config().with_thresholds(answered=0.0)  # an amount must still be stated
    result = answer(fake_library, question, config=lenient)
    assert result.status in ("partial", "not_found")
    if result.status == "partial":  # the meeting is addressed; its cost is not
        assert "does not say an amount" in result.text or "do not say an amount" in result.text
    result = answer(fake_library, question, config=lenient.with_thresholds(partial=2.0))
    assert result.status == "not_found"
    assert result.text.endswith("None of them states an amount.")
    assert result.related


def test_asking_for_a_duration_the_texts_state_is_answered(fake_library) -> None:
    result = answer(
        fake_library,
        "How long before WTSA may the informal meeting of the chairs and vice-chairs of the "
        "regional preparatory meetings be held?",
    )
    assert result.status == "answered"
    assert "six months prior to WTSA" in result.text


def test_a_comparison_of_versions_is_not_about_the_words_that_compare(catalog) -> None:
    from assistant.text.question import analyse

    question = analyse(
        "How does the Doha draft revise the quotation of Article 43 compared with Busan 2014?",
        catalog,
    )
    assert question.comparison
    assert [g.word for g in question.groups] == ["quotation", "Article", "43"]
    plain = analyse("When will the revision of the Sector resolutions be considered?", catalog)
    assert not plain.comparison and "revision" in {g.word for g in plain.groups}


def test_the_words_that_ask_for_the_kind_are_not_topic_words(catalog) -> None:
    from assistant.text.question import analyse

    question = analyse("How long is the mandate of the force extended?", catalog)
    assert question.answer_type == "duration"
    assert [g.word for g in question.groups] == ["mandate", "force", "extended"]
