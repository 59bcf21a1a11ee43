"""What a question asks for: an amount, a duration, a count or a date (a clause must state one
the question does not already hold), and the words that only say how texts are compared."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answering.answer import answer
from assistant.answering.evidence import Evidence, focus_share
from assistant.text.answer_type import (
    GeneralType,
    asked_type,
    counted_nouns,
    expected_answer_type,
    stated_spans,
    states,
)
from assistant.text.asked import Asked
from assistant.text.question import focus_words, stems


def states_new(text: str, kind: GeneralType | None, asked: set[str], **flags: Any) -> bool:
    """Whether ``text`` states an answer of ``kind`` new to the question (``asked``: stems)."""
    return Asked(kind, frozenset(asked), **flags).states_new(text)


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
        ("Give me the number of civilians displaced by the offensive.", "count"),
        ("What figure does the resolution give for the settlements?", "count"),
        ("When should the interregional meeting take place?", "date"),
        ("Who chairs the interregional meeting?", None),
        ("What does the resolution say about budgets of RTOs?", None),
        ("What percentage of the dues goes to development?", "amount"),
        ("What fine must a shipowner pay for breaking the embargo?", "amount"),
        ("What share of the regular budget is assessed on the new Member?", "amount"),
        ("How far must the units withdraw from the safe areas?", "amount"),
        ("How often must the Secretary-General report to the Council?", "duration"),
        ("Within what time limit must the régime be brought to an end?", "duration"),
        ("Which Angolan provinces does the resolution say are occupied?", "place"),
        ("Which route should Zambia use for its exports?", "place"),
        ("For how much longer is the mandate of the mission extended?", "duration"),
        ("Within how much time must the parties report back?", "duration"),
        ("How much more time does the Council give the two sides?", "duration"),
        ("What is the authorized strength of the force?", "count"),
        ("To what strength does the resolution increase the force?", "count"),
        ("What troop ceiling did the mediator suggest?", "count"),
        ("What are the new deadlines for the elections?", "date"),
        ("On what dates is the election to be held?", "date"),  # plural: still dates
        ("On which days did the ministers meet in Paris?", "date"),
        ("During which months was the mission deployed?", "date"),
        ("To which country were the civilians deported?", "place"),
        ("From which country was the raid launched?", "place"),
    ],
)
def test_the_kind_of_answer_a_question_asks_for(question: str, kind: str | None) -> None:
    assert expected_answer_type(question) == kind


def test_a_question_that_begins_who_asks_for_a_person_whatever_follows() -> None:
    assert asked_type("Who is to help Benin assess how much damage the raid caused?") == (
        "person_or_body"
    )
    assert asked_type("How much damage did the raid cause, and who pays?") == "amount"


def test_which_side_asks_for_a_party_and_which_side_of_a_line_for_a_place() -> None:
    assert asked_type("Which side does the resolution say used chemical weapons?") == (
        "person_or_body"
    )
    assert asked_type("Which side of the line must the troops go back to?") != "person_or_body"


def test_a_body_named_before_what_it_issues_is_not_what_is_asked() -> None:
    """ "Which two Security Council resolutions ...?" asks for resolutions, not a council."""
    assert asked_type("Which two Security Council resolutions does it reaffirm?") == "reference"
    assert asked_type("Which earlier Council decisions does the timetable carry out?") == (
        "reference"
    )
    assert asked_type("Which Council members sit on the committee?") == "person_or_body"
    assert asked_type("Remind me what the Council said it would do next.") is None
    assert asked_type("Which Secretary-General report does the resolution welcome?") == "reference"


def test_a_city_of_a_name_is_the_place_not_the_word_city() -> None:
    asked = Asked.read("Which city must the observers pay special attention to?")
    assert asked.spans("attention to the situation in the City of Tarsa") == ["City of Tarsa"]


def test_a_deadline_may_be_relative() -> None:
    asked = Asked.read("What deadline does the resolution set for the report?")
    assert asked.states_new("to report not later than one month from this date")
    assert asked.states_new("to report before the next session of the Council")
    assert not asked.states_new("to do everything within their power to ensure the report")
    # the time of an event is no limit
    assert not asked.states_new("to show restraint following the conclusion of the cease-fire")
    plural = Asked.read("What are the new deadlines for completing the peace process?")
    assert plural.deadline
    assert not plural.states_new("to complete the peace process by the new deadlines agreed")
    assert Asked.read("When must they show restraint?").states_new(
        "to show restraint following the conclusion of the cease-fire"
    )


def test_a_deadline_is_a_date_set_as_a_limit_not_the_date_of_an_event() -> None:
    asked = Asked.read("By what date must the abducted personnel be returned?")
    assert asked.deadline and asked.calendar
    assert not asked.states_new("personnel abducted from Lebanese territory on 21 June 1972")
    assert asked.spans("to report to the Council by 22 June 1992 on the measures") == [
        "22 June 1992"
    ]
    assert asked.states_new("to report not later than 1 May 1978 on the implementation")
    assert asked.states_new("the first report to be submitted by the end of March 1994")
    assert asked.states_new("that elections be held by May 1993 at the latest")
    # a question that asks no deadline keeps every date of an event
    assert Asked.read("On what date were they abducted?").states_new("abducted on 21 June 1972")


def test_why_is_answered_by_a_cause_or_a_purpose() -> None:
    assert asked_type("Why was the contact between the parties a failure?") == "reason"
    assert asked_type("For what purpose is the fund established?") == "reason"
    why = Asked.read("Why should plastic explosives be marked?")
    assert why.states_new("to share research with a view to devising a marking régime")
    assert why.states_new("hardship confronting Botswana as a result of the raids")
    assert why.states_new("is preliminary, since final acceptance depends on the whole")
    assert not why.states_new("to extend the mandate for six months and twelve days")
    assert not why.states_new("it has been in force since 1963")  # a time, no cause


def test_which_one_of_a_kind_is_answered_by_a_name() -> None:
    """ "At which airfields ...?" asks for which ones, by name: a clause that repeats the noun
    ("airfields in the territory") names none; one that names "Pleso Airport" does."""
    asked = Asked.read("At which airfields are the observers to be placed?")
    assert asked.kind == "instance"
    assert not asked.states_new("observers to be placed where necessary at airfields")
    assert asked.states_new("observers at Pleso Airport near Zagreb")
    assert asked_type("What is the mandate of the force?") is None  # no kind of thing asked
    assert asked_type("Which States must report?") == "person_or_body"  # a kind before it


def test_a_time_may_be_an_event_to_come() -> None:
    when = Asked.read("When do the arrangements for the mission enter into force?")
    assert when.states_new("shall enter into force as soon as the agreements are signed")
    until = Asked.read("Until when will the Council remain seized of the question?")
    assert until.states_new("to remain seized of the matter until a united country is established")


def test_a_side_of_a_line_is_a_place_the_question_does_not_hold() -> None:
    asked = Asked.read("Where must each side's troops go back to along the border?")
    assert asked.states_new("troops to pull back to their own side of the border")
    assert not asked.states_new("troops to respect the border")


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
        ("to report to the Council annually on the Force", "duration", True),  # how often
        ("to report every six months", "duration", True),
        ("to report on a periodic basis", "duration", False),  # no interval
        ("to keep the Council regularly informed", "duration", False),
        ("acts of violence committed since 1963", "duration", True),  # for how long
        ("confined to their bases", "place", True),
        ("to be deployed in the demilitarized zone", "place", True),
        ("one-third of the assessed contributions", "amount", True),
        ("a fair proportion of the dues", "amount", False),
        ("a zone extending ten kilometres into Iraq", "amount", True),  # how far
        ("to a distance wherefrom they cease to be a menace", "amount", False),
        ("the report to the Council", None, True),
        ("the measures taken by the Portuguese Government", "place", False),  # a body
        ("the conference to be held in Western Sahara", "place", True),
        ("the announcement of the killing of Mr. Patrice Lumumba", "person_or_body", True),
        ("the repeated harassment of Radio Okapi staff", "person_or_body", True),
        (
            "to submit a report on the results of such consultations to each WRC",
            "person_or_body",
            True,
        ),
        ("to cooperate fully with the Peace-keeping Force", "person_or_body", True),
        ("recalls the failure to abide by 262 (1968) and 270 (1969)", "reference", True),
        ("having considered the provisional agenda S/Agenda/2000", "reference", True),
        (
            "calls for an immediate cease-fire and the withdrawal of all troops",
            "person_or_body",
            False,
        ),
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
        ("on 6 September 1957 2 of the complaint", False),  # a footnote mark after a year
        ("the Armistice Agreement between Israel and Jordan 10 and the Charter", False),  # a name
        ("the Agreement between Israel and Syria, 4 including those relating to", False),
        ("the functions described in paragraphs 27 to 29 of the report", False),  # a range
        ("the Council 15 members", True),  # after a name, but a count all the same
        ("to raise the strength of the Force from 7,000 to 10,000", True),  # a range
        ("the events from 1968 to 1970", False),  # years
        ("the membership of the Commission shall be increased to seven", True),
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


@pytest.mark.parametrize(
    ("text", "calendar", "expected"),
    [
        ("the elections shall be held not later than 31 December 1989", True, True),
        ("Requests the withdrawal without delay of foreign military personnel", True, False),
        ("Requests the withdrawal without delay of foreign military personnel", False, True),
        ("in conjunction with the last meeting of TDAG before the next WTDC", False, True),
        ("upon official notification by Iraq of its acceptance", False, True),
        ("in accordance with the report of 19 April 1991", False, False),  # names a document
        ("Recalling its resolution 73 (1949) of 11 August 1949", False, False),
        ("imperative that free elections be held for the whole of Namibia", False, False),
    ],
)
def test_a_date_is_a_date_and_a_calendar_question_wants_one(
    text: str, calendar: bool, expected: bool
) -> None:
    assert bool(stated_spans(text, "date", calendar=calendar)) is expected


def test_which_questions_ask_for_a_calendar_date() -> None:
    from assistant.text.answer_type import asks_calendar_date

    assert asks_calendar_date("By what date must the personnel leave Cyprus?")
    assert asks_calendar_date("In which month must the elections be held?")
    assert not asks_calendar_date("When should the cease-fire take effect?")


@pytest.mark.parametrize(
    ("text", "question", "expected"),
    [
        ("to the security of the city of Kigali", "Which city's security ...?", True),
        ("the passage of goods through the Suez Canal", "Through which canal ...?", True),
        ("the Referendum in Western Sahara", "Where is the Western Sahara mission?", False),
        ("to report to the Council on the establishment of it", "Where is its seat?", False),
        ("withdraw to the internationally recognized boundaries", "Where must they go?", True),
        ("at least one regional meeting per region", "In which city is the next one?", False),
    ],
)
def test_a_place_is_a_new_place(text: str, question: str, expected: bool) -> None:
    assert states_new(text, "place", stems(question)) is expected


def test_numbers_in_words_and_counted_nationalities() -> None:
    assert states("for a period not to exceed eighteen months", "duration")
    assert states("until the Security Council decides otherwise", "duration")
    assert stated_spans("the withdrawal of 23,400 Rwandan troops", "count")
    assert not stated_spans("on 13 August the Council met", "count")


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("How many observers does the resolution deploy along the border?", {"observer"}),
        ("How many United Nations military observers will be sent?", {"military", "observer"}),
        ("How many UNOSOM personnel were authorized?", {"unosom", "personnel"}),
        ("How many Member States submitted the question?", {"member", "state"}),
        ("How many sailors died in the incident?", {"sailor"}),
        # an acronym counts what it stands for ("six regional preparatory meetings")
        (
            "How many RPMs per region does the conference want?",
            {"rpm", "preparatory", "meeting"},
        ),
        ("What is the number of members of the Commission?", {"member"}),
        ("How many people were killed?", set()),  # anyone: "44 sailors", "19 civilians"
        ("Who chairs the Committee?", set()),
    ],
)
def test_what_a_count_question_counts(question: str, counted: set[str]) -> None:
    assert counted_nouns(question) == counted


@pytest.mark.parametrize(
    ("text", "question", "expected"),
    [
        # two countries are no count of observers
        (
            "the deployment of observers along the border between these two countries",
            "How many observers does it deploy?",
            [],
        ),
        (
            "up to fifty additional United Nations military observers",
            "How many observers does it add?",
            ["fifty additional United Nations military observers"],
        ),
        (
            "one RPM per region for each of the six regions",
            "How many RPMs per region?",
            ["one RPM"],
        ),
        ("the killing of 19 civilians", "How many people were killed?", ["19 civilians"]),
    ],
)
def test_a_count_counts_what_is_asked(text: str, question: str, expected: list[str]) -> None:
    assert stated_spans(text, "count", counting=counted_nouns(question)) == expected


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("Who chairs the committee established by resolution 253 (1968)?", "chairs"),
        ("Who will command the United Nations Emergency Force?", "will command"),
        ("Which sanctions committee oversees the measures?", "oversees"),
        ("Which country held the presidency of the Council?", "holds the presidency"),
        ("Who is the chairman of the Board?", "is the chairman"),
        ("Who is the Special Representative for Somalia?", "is the special representative"),
        ("Who was appointed Prosecutor of the Tribunal?", "was appointed prosecutor"),
        ("Who should be appointed Plebiscite Administrator?", "should be appointed"),
        (
            "Who is the Secretary-General's Special Representative?",
            "is the secretary-general's special representative",
        ),
        ("Whom should the UN chief send to Liberia?", None),  # "chief" is no predicate here
        ("Who should they work with in their own region?", None),
        ("What does the resolution say about budgets?", None),
    ],
)
def test_the_role_a_question_asks_about(question: str, phrase: str | None) -> None:
    from assistant.text.roles import asked_role

    role = asked_role(question)
    assert (role.phrase if role else None) == phrase


def test_a_clause_answers_who_holds_a_role_only_if_it_speaks_of_the_role() -> None:
    from assistant.text.roles import asked_role, speaks_of

    role = asked_role("Who chairs the committee established by resolution 724?")
    assert not speaks_of("Calls upon all States to cooperate fully with the Committee", role)
    assert speaks_of("the Committee shall be presided over by its Chairman", role)
    assert speaks_of("any text at all", None)
    # the holders named as a group: the clause speaks of them, not of who they are
    chairs = asked_role("Who chairs the regional preparatory meetings?")
    assert not speaks_of("a meeting of the chairs and vice-chairs of the RPMs", chairs)
    assert not speaks_of("in consultation with the chairmen of the meetings", chairs)
    assert speaks_of("the meetings shall be chaired by the Director", chairs)
    assert speaks_of("Mr. Ali, Chairman of the regional preparatory meeting", chairs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("to review them every sixty days", True),
        ("to report annually to the Council", True),
        ("to report to it at each of its sessions", True),
        ("to meet twice a year", True),
        ("a meeting not less than three months before WTDC", False),  # when, not how often
        ("to report on a periodic basis", False),
        ("to make every effort", False),
    ],
)
def test_how_often_is_answered_by_an_interval(text: str, expected: bool) -> None:
    from assistant.text.answer_type import asks_frequency

    assert asks_frequency("How often must the Director report on the meetings?")
    assert bool(stated_spans(text, "duration", frequency=True)) is expected


def test_who_holds_a_personal_title_is_answered_only_by_a_name() -> None:
    from assistant.text.roles import asked_role, speaks_of

    role = asked_role("Who is the Special Envoy for Haiti?")
    assert role is not None and role.person
    assert speaks_of("Commends the Special Envoy, Mr. Dante Caputo, for his efforts", role)
    assert speaks_of("the Mediator, Count Folke Bernadotte,", role)
    assert not speaks_of("Welcomes the intention to appoint a Special Envoy for Haiti", role)
    assert not speaks_of("requests the General Assembly to elect the judges", role)


def test_asking_who_holds_a_role_no_clause_speaks_of_is_never_answered(fake_library) -> None:
    from assistant.answering.support import default_config

    lenient = default_config().with_thresholds(answered=0.0)  # the role must still be there
    result = answer(fake_library, "Who commands the regional preparatory meetings?", config=lenient)
    assert result.status in ("partial", "not_found")
    assert "who commands" in result.text


def test_which_states_is_answered_by_the_names_of_states() -> None:
    from assistant.text.answer_type import asks_state

    assert asks_state("Which States had failed to comply with resolution 253?")
    assert asks_state("Which four Council members were appointed to the committee?")
    assert asks_state("Which members of the Council sit on the Sub-Committee?")
    assert not asks_state("Which group of countries does the conference help?")
    assert not asks_state("Which United Nations programmes does it name?")
    asked = stems("Which States had failed to comply with resolution 253?")
    flags = {"state": True}
    body = "the Council and the Secretary-General"
    assert states_new(body, "person_or_body", asked)  # a body, for who or which body ...
    assert not states_new(body, "person_or_body", asked, **flags)  # ... but no State
    assert states_new("Calls upon Greece, Turkey and Cyprus", "person_or_body", asked, **flags)
    assert not states_new("Calls upon certain States", "person_or_body", asked, **flags)
    former = "the Union of Soviet Socialist Republics and Yugoslavia"
    assert states_new(former, "person_or_body", asked, **flags)


def test_a_documents_date_answers_a_question_about_that_document() -> None:
    from assistant.text.answer_type import asks_document_date

    letter = "On what date was the Botswana letter noted in resolution 568 written?"
    assert asks_document_date(letter)
    assert asks_document_date("When was resolution 314 adopted?")
    assert not asks_document_date("By what date must the Secretary-General report back?")
    assert not asks_document_date("When should the cease-fire take effect?")
    text = "Having considered the letter dated 17 June 1985 from Botswana"
    assert not stated_spans(text, "date")  # the date names a document ...
    assert stated_spans(text, "date", document=True)  # ... which is what is asked


def test_the_year_that_names_a_resolution_dates_no_letter() -> None:
    from assistant.text.asked import Asked

    text = 'Reaffirms its resolution 425 (1978) which reads: "Taking note of the letters ..."'
    letter = Asked.read("Of what date is the letter of Ruritania that resolution 41 notes?")
    assert letter.document and not letter.spans(text)
    adopted = Asked.read("When was resolution 425 adopted?")
    assert adopted.spans(text) == ["1978"]  # the resolution's own date is asked
    dated = "Taking note of the letter dated 17 June 1985 from Botswana, and resolution 425 (1978)"
    assert letter.spans(dated) == ["17 June 1985"]


@pytest.mark.parametrize(
    "text",
    [
        "to respect the Cease-fire Agreement of 27 July 1993",
        "the Commission's resolutions of 13 August 1948 2 and 5 January 1949 3",  # footnote marks
        "in accordance with the Memorandum of Understanding of 1 December 1993",
        "as called for in resolutions 209 (1965) of 4 September, 210(1965) of 6 September",
    ],
)
def test_an_agreement_or_resolution_named_by_its_date_dates_no_event(text: str) -> None:
    from assistant.text.answer_type import asks_document_date

    assert not stated_spans(text, "date")  # "On what date did the side violate it?"
    assert asks_document_date("When was the Cease-fire Agreement signed?")
    assert stated_spans(text, "date", document=True)  # ... but it dates the agreement asked


def test_a_state_or_a_territory_of_a_name_is_a_place() -> None:
    asked = stems("Which territory did South Africa use as a launch pad?")
    assert states_new("the international Territory of Namibia", "place", asked)
    assert states_new("its raids from Namibia", "place", asked)
    deported = stems("Where were the deported civilians sent?")
    assert not states_new("Calls upon Israel to ensure their safe return", "place", deported)
    assert states_new("the civilians deported by Israel to Lebanon", "place", deported)
    assert not states_new("raids by South Africa", "place", asked)


def test_what_were_countries_asked_is_no_question_of_which_states() -> None:
    from assistant.text.answer_type import asks_state

    assert not asks_state("What were countries asked in 1965 to stop selling to Portugal?")
    assert not asks_state("What should countries do with Iraqi-flagged ships?")


def test_a_relative_time_brings_what_it_is_relative_to() -> None:
    """ "until the" alone holds only words every question has: the span runs on to what the time
    is relative to, so that a clause can state something the question lacks."""
    asked = stems("Until when does resolution 463 keep the situation under review?")
    clause = "Decides to keep the situation under review until the Territory attains independence"
    assert stated_spans(clause, "date")[-1] == "until the Territory attains independence"
    assert states_new(clause, "date", asked)
    assert not states_new("Decides to keep the situation under review until the", "date", asked)
    assert stated_spans("for six months", "duration") == ["six months"]


def test_a_state_answers_who_or_whose() -> None:
    asked = stems("Whose applications for membership does resolution 109 consider?")
    clause = "Having considered the applications for membership of Albania, Jordan and Ireland"
    assert states_new(clause, "person_or_body", asked)
    assert not states_new(
        "Having considered the applications for membership", "person_or_body", asked
    )
