"""What a question asks for: an amount or a duration (a clause must state one), and the words
that only say how texts are compared."""

from __future__ import annotations

import pytest

from assistant.answering.answer import answer
from assistant.answering.evidence import Evidence
from assistant.text.answer_type import expected_answer_type, states


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much does a Sector Member pay per contributory unit?", "amount"),
        ("What budget does the Council approve for the IRMs in 2027?", "amount"),
        ("What is the cost of the regional preparatory meetings?", "amount"),
        ("How many Swiss francs are set aside for fellowships?", "amount"),
        ("How long is the term of office of the Director?", "duration"),
        ("How long before the assembly may the chairs meet?", "duration"),
        ("How many regional preparatory meetings are held?", None),
        ("When should the interregional meeting take place?", None),
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
