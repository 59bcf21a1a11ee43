"""Offline grounded answers over the fake library: lead, quotes, checked citations, not found."""

from __future__ import annotations

import pytest

from assistant.answering import citations as checks
from assistant.answering.answer import Answer, answer, stream_answer

TIMING = (
    "When should the informal meeting of the chairs and vice-chairs of the regional "
    "preparatory meetings be held before WTSA?"
)


def test_answered_with_quote_and_citation(fake_library) -> None:
    result = answer(fake_library, TIMING)
    data = result.to_json()
    assert set(data) == {"status", "answer", "citations", "related"}
    assert data["status"] == "answered"
    assert data["citations"][0]["document"] == "wtsa-43-rev-new-delhi-2024"
    assert "six months prior to WTSA" in data["answer"]
    # each quote is followed by the citation string of a cited clause, and is in its text
    for citation in data["citations"]:
        at = data["answer"].find(f'" ({citation["citation"]})')
        assert at > 0, citation["citation"]
        words = data["answer"][:at].rsplit('"', 1)[1]
        assert checks.quote_in(words, citation["text"])


def test_off_topic_question_is_not_found_with_related(fake_library) -> None:
    result = answer(fake_library, "What is the capital of France?")
    assert result.status == "not_found"
    assert result.text.startswith("The ingested resolutions do not address")
    assert result.citations == []
    assert result.related and all("citation" in c for c in result.related)


def test_cross_resolution_question_puts_clauses_side_by_side(fake_library) -> None:
    result = answer(
        fake_library,
        "How do WTSA 43 and WTDC 31 differ on briefings and training "
        "sessions during regional preparatory meetings?",
    )
    assert result.status == "answered"
    assert result.text.startswith("Side by side")
    documents = {c["document"] for c in result.citations}
    assert {"wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025"} <= documents


def test_named_body_is_preferred(fake_library) -> None:
    result = answer(fake_library, "What does the radio conference say about the CPM Report?")
    assert result.status == "answered"
    assert result.citations[0]["body"] == "WRC"


def test_stream_yields_text_then_the_answer(fake_library) -> None:
    pieces = list(stream_answer(fake_library, TIMING))
    assert isinstance(pieces[-1], Answer)
    assert all(isinstance(p, str) for p in pieces[:-1])
    assert "".join(pieces[:-1]) == pieces[-1].text


@pytest.mark.parametrize("question", ["", "   ", "x" * 3000])
def test_bad_questions_are_refused_clearly(fake_library, question: str) -> None:
    with pytest.raises(ValueError, match="question"):
        answer(fake_library, question)


def test_every_citation_was_retrieved_and_exists(fake_library) -> None:
    result = answer(
        fake_library, "Which regional telecommunication organizations are the six principal ones?"
    )
    assert result.status == "answered"
    for citation in result.citations:
        assert fake_library.clause(citation["id"])["text"] == citation["text"]


def test_citation_checks() -> None:
    class Library:
        def clause(self, clause_id: str) -> dict:
            if clause_id != "doc/s/1":
                raise LookupError(clause_id)
            text = "to hold “one” meeting per region, as soon as possible"
            return {"id": clause_id, "text": text}

    library = Library()
    kept, rejected = checks.check(
        library,
        [
            checks.Quote("doc/s/1", 'hold "one" meeting … as soon as possible'),
            checks.Quote("doc/s/2", "anything"),
            checks.Quote("doc/s/1", "two meetings"),
        ],
        retrieved={"doc/s/1"},
    )
    assert [q.clause_id for q in kept] == ["doc/s/1"]
    reasons = [r.reason for r in rejected]
    assert "unknown clause id" in reasons[0]
    assert "not in clause" in reasons[1]
    assert "not retrieved" in checks.problem(library, checks.Quote("doc/s/1"), retrieved=set())


def test_agreement_is_a_signal_of_the_learned_support() -> None:
    from assistant.answering.evidence import Evidence, agreed
    from assistant.answering.support import default_config

    assert agreed({"bm25_rank": 1.0, "dense_rank": 3.0})
    assert not agreed({"bm25_rank": 1.0, "dense_rank": 12.0})
    assert not agreed({"bm25_rank": 2.0, "dense_rank": 1.0})
    assert not agreed({"bm25_rank": 1.0, "dense_rank": 0.0})  # not found by the embedder
    alone = Evidence({"id": "d/c"}, 0.1, coverage=0.6, similarity=0.5)
    both = Evidence({"id": "d/c"}, 0.1, coverage=0.6, similarity=0.5, agreed=True)
    assert both.features["agreed"] == 1.0 and alone.features["agreed"] == 0.0
    config = default_config()
    at = alone.support
    assert Evidence(
        {"id": "d/c"}, 0.1, coverage=0.6, config=config.with_thresholds(answered=at / 2)
    ).supports == (Evidence({"id": "d/c"}, 0.1, coverage=0.6).support >= at / 2)


def test_not_found_quotes_the_whole_question_when_no_topic_can_be_cut_out(fake_library) -> None:
    from assistant.answering.answer import not_found
    from assistant.answering.evidence import retrieve

    question = "What role do field offices play before the development conference?"
    text = not_found(retrieve(fake_library, question)).text
    assert f'this question ("{question}")' in text
    assert "play before the (" not in text
    shaped = not_found(
        retrieve(fake_library, "Does the standardization assembly say anything about orbits?")
    )
    assert "do not address orbits" in shaped.text


def test_a_named_resolution_that_never_uses_the_words_asked_is_silent(fake_library) -> None:
    """Its nearest clause does not answer: the reply names the words it never uses."""
    from assistant.answering.answer import compose
    from assistant.answering.evidence import retrieve

    silent = retrieve(fake_library, "Does WTSA 43 say anything about satellite orbits?")
    assert silent.question.answering_documents and silent.silent and not silent.supporting
    assert silent.named_coverage == 0.0 and set(silent.unused_words) == {"satellite", "orbits"}
    reply = compose(fake_library, silent)
    assert reply.status != "answered"
    assert 'never uses the words "satellite" or "orbits"' in reply.text
    spoken = retrieve(fake_library, "What does WTSA 43 say about regional preparatory meetings?")
    assert spoken.named_coverage == 1.0 and not spoken.silent and not spoken.unused_words
    unnamed = retrieve(fake_library, "Does the standardization assembly mention satellite orbits?")
    assert unnamed.named_coverage == 1.0 and not unnamed.silent  # names no resolution by number
    one = retrieve(fake_library, "What does WTSA 43 say about orbits?")
    assert one.silent and 'never uses the word "orbits"' in compose(fake_library, one).text
    # the words of the text's theme (in half its clauses or more) say nothing of the detail asked
    themed = retrieve(
        fake_library,
        "What does WTSA 43 say about satellite orbits of regional telecommunication organizations?",
    )
    assert {"regional", "organizations"} <= {g.word for g in themed.question.groups}
    assert themed.named_coverage == 0.0 and themed.silent
    off = silent.config.with_thresholds(silent=0.0)
    assert not retrieve(fake_library, silent.question.text, config=off).silent
    # a clause that states the kind asked with support at ``overrule`` answers all the same
    best = max((e.support for e in one.evidence if e.states_answer), default=0.0)
    sure = one.config.with_thresholds(overrule=best)
    assert best > 0 and not retrieve(fake_library, one.question.text, config=sure).silent
    assert retrieve(
        fake_library, one.question.text, config=sure.with_thresholds(overrule=2.0)
    ).silent
    # the words of the asking ("What kind of ... does it ask ... to make?") are no ideas of it
    framed = retrieve(
        fake_library, "What kind of regional preparatory meetings does WTSA 43 ask us to make?"
    )
    assert framed.named_coverage == 1.0 and not framed.silent and not framed.unused_words
    # nor the kind and the order of what is asked ("two", "earlier", "named", "dates")
    ordered = retrieve(
        fake_library, "Which two earlier regional preparatory meetings does WTSA 43 name?"
    )
    assert ordered.named_coverage == 1.0 and not ordered.unused_words
    # a word of the same family counts ("preparing": "preparatory")
    family = retrieve(fake_library, "What does WTSA 43 say about preparing regional meetings?")
    assert family.named_coverage == 1.0 and not family.silent


def test_a_word_is_used_by_a_text_that_uses_its_family() -> None:
    from assistant.answering.matching import uses_stem
    from assistant.text.question import stem, stems

    assert uses_stem(stem("withdraw"), stems("demands the withdrawal of all forces"))
    assert uses_stem(stem("chairs"), stems("the Chairman of the Committee"))
    assert not uses_stem(stem("war"), stems("the Warsaw Pact"))  # too short to find a family
    assert not uses_stem(stem("invaded"), stems("condemns the occupation"))
    assert uses_stem(stem("hear"), stems("Having heard the statement"))  # an irregular verb
    assert uses_stem(stem("withdrew"), stems("to withdraw its forces"))
    assert uses_stem(stem("withdrawn"), stems("to complete the withdrawal of all troops"))
    assert uses_stem(stem("violated"), stems("in violation of obligations"))  # "-ate", "-ation"
    assert not uses_stem(stem("violated"), stems("the violence in the area"))
    assert uses_stem(stem("extension"), stems("Extends the stationing of the Force"))  # "-sion"
    assert uses_stem(stem("decide"), stems("the decision of the Council"))
    assert not uses_stem(stem("extension"), stems("the extent of the damage"))
    assert uses_stem(stem("end"), stems("for three months, ending 26 September"))  # a short word
    assert not uses_stem(stem("end"), stems("calls for an endeavour"))


def test_a_clause_holds_the_other_forms_of_its_irregular_verbs() -> None:
    from assistant.answering.matching import with_forms
    from assistant.text.question import stem, stems

    assert stem("held") in with_forms(stems("the holding of elections no later than October"))
    assert with_forms(stems("the elections")) == stems("the elections")


def test_what_a_resolution_does_is_no_word_its_text_must_use(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """ "the extension decided in resolution 44": the text "Extends", "ending" a date; it need
    not say "decides", "extension" nor "end" to speak of it."""
    from assistant.answering.evidence import retrieve
    from tests.fakes import hrc_resolution, library_of

    extends = "Extends the stationing of the Force for three months, ending 26 September 2031"
    text = hrc_resolution(44, "6 April 2031", "Cyprus", [extends, "Calls upon the parties"])
    library = library_of(tmp_path, {"r44.txt": text})
    found = retrieve(library, "When does the extension decided in resolution 44 (2031) end?")
    assert found.named_coverage == 1.0 and not found.unused_words


def test_side_by_side_shows_the_counterpart_of_the_best_clause(fake_library) -> None:
    """A document's own best pick gives way to the clause that corresponds (the alignment)."""
    from assistant.answering.answer import _corresponding
    from assistant.answering.evidence import evaluate, retrieve

    question = "What do WTSA 43 and WRC 72 say about the burden of preparing for future meetings?"
    retrieval = retrieve(fake_library, question)
    lead_id = "wtsa-43-rev-new-delhi-2024/considering/d"
    wrong_id = "wrc-72-rev-wrc-19/considering/a"
    picks = [(fake_library.clause(i), 0.0) for i in (lead_id, wrong_id)]
    found = {e.id: e for e in evaluate(fake_library, retrieval.question, picks, {}, 1.0)}
    lead, wrong = found[lead_id], found[wrong_id]
    lead.named = True  # the stronger of the two
    replaced = _corresponding(fake_library, retrieval, {lead.document: lead, wrong.document: wrong})
    assert [e.id for e in replaced.values()] == ["wrc-72-rev-wrc-19/considering/d"]
    assert "wrc-72-rev-wrc-19/considering/d" in retrieval.retrieved_ids  # so its quote is checked


def test_a_question_the_closest_provisions_address_only_in_part_is_partial(fake_library) -> None:
    from assistant.answering.support import default_config

    question = "Who chairs the informal meeting of the chairs of the RPMs before WTSA?"
    strict = default_config().with_thresholds(answered=2.0, partial=0.0)  # nothing answers
    result = answer(fake_library, question, config=strict)
    assert result.status == "partial" and result.citations
    assert result.text.startswith("Partial answer:")
    assert "does not say who" in result.text or "do not say who" in result.text
    lenient = default_config().with_thresholds(answered=0.0)
    # "the chairs of the RPMs" names them, not who they are: no threshold makes it an answer
    assert answer(fake_library, question, config=lenient).status == "partial"
    when = "When is the informal meeting of the chairs of the RPMs held before WTSA?"
    assert answer(fake_library, when, config=lenient).status == "answered"
    assert answer(fake_library, when, config=strict).status == "partial"
    none = default_config().with_thresholds(answered=2.0, partial=2.0)
    assert answer(fake_library, question, config=none).status == "not_found"


def test_a_resolution_clause_leads_over_a_passage_that_quotes_it(fake_library) -> None:
    from assistant.answering.answer import _ordered
    from assistant.answering.evidence import Evidence, Retrieval
    from assistant.text.question import Question

    clause = {"id": "pp/instructs/3", "document": "pp", "body": "PP", "text": "fellowships"}
    from assistant.answering.support import LogisticModel, SupportConfig

    simple = LogisticModel({"coverage": 1.0})  # support = sigmoid(coverage)
    config = SupportConfig(simple, simple, answered=0.5)
    passage = {"id": "contribution/annex/53", "document": "contribution", "body": ""}
    quoted = Evidence(passage, 0.0, coverage=1.3, config=config)  # a little better supported
    original = Evidence(clause, 0.0, coverage=1.25, config=config)
    stronger = Evidence({**passage, "id": "contribution/annex/9"}, 0.0, coverage=2.0, config=config)
    retrieval = Retrieval(Question("fellowships?"), [stronger, quoted, original], config)
    assert [e.id for e in _ordered(retrieval)] == [stronger.id, original.id, quoted.id]


def test_a_resolution_the_library_lacks_is_said_to_be_absent(fake_library) -> None:
    result = answer(fake_library, "Who chairs the committee established by resolution 253?")
    assert result.status == "not_found" and not result.citations
    assert result.text.startswith("Resolution 253 is not in the library")
    assert "resolutions ingest" in result.text


def test_a_resolution_named_by_number_is_answered_from_its_own_clauses(fake_library) -> None:
    # WRC Resolution 72 says it ("to publish the documents ... on the website"); WTDC 31 does not
    subject = "publishing documents on the website immediately after receiving them"
    result = answer(fake_library, f"What does WTDC Resolution 31 say about {subject}?").to_json()
    assert result["status"] != "answered", result["citations"]
    unnamed = answer(fake_library, f"What do the resolutions say about {subject}?")
    assert unnamed.status == "answered"
    assert unnamed.to_json()["citations"][0]["id"].startswith("wrc-72")


def test_operative_sections_are_told_from_the_preamble() -> None:
    from assistant.answering.evidence import is_operative

    assert is_operative({"section": "operative paragraph"})  # a UNSC resolution's paragraphs
    assert is_operative({"section": "resolves to instruct the Director of the BDT"})
    assert is_operative({"section": "instructs the Secretary-General"})
    assert not is_operative({"section": "preamble"})
    assert not is_operative({"section": "considering"})
    assert not is_operative({"section": "recognizing further"})


def test_a_name_no_text_uses_is_never_answered(fake_library) -> None:
    # the timing question again, about a meeting no text names: the WTSA clause is no answer
    asked = TIMING.replace("before WTSA?", "in Timbuktu before WTSA?")
    result = answer(fake_library, asked)
    assert result.status != "answered"
    assert 'ingested text mentions "Timbuktu"' in result.text
    assert answer(fake_library, TIMING).status == "answered"  # ... which it is without the name


def test_unknown_names_are_names_not_adjectives_acronyms_or_places() -> None:
    from assistant.text.names import unknown_names
    from assistant.text.question import stems

    known = dict.fromkeys(stems("the Council condemns the attack on Portugal by Sérot"), 1.0)
    assert unknown_names("What did the Council say about the shelling of Dubrovnik?", known) == [
        "Dubrovnik"
    ]
    assert unknown_names("What did Sérot attack?", known) == []  # accents: as the texts read
    assert unknown_names("What of the Dutch handover and Christmas-week talks?", known) == []
    assert unknown_names("What happens to the POWs of Lisbon?", known) == []  # acronym, capital
    assert unknown_names("What does a member pay in ITU-T?", known) == []  # a glossary term
    assert unknown_names("What is the status of Walvis Bay?", known) == ["Walvis Bay"]


def test_a_clause_that_says_the_mission_speaks_of_the_mission_its_text_names(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """ "the Mission" refers to the "United Nations Angola Verification Mission" the text names
    elsewhere: the clause that gives its term answers a question that uses the long name."""
    from assistant.answering.evidence import retrieve
    from tests.fakes import hrc_resolution, library_of

    text = hrc_resolution(
        42,
        "4 April 2031",
        "Angola",
        [
            "Decides to establish a United Nations Angola Verification Mission",
            "Also decides that the Mission shall be established for a period of thirty-one months",
        ],
    )
    library = library_of(tmp_path, {"r42.txt": text})
    question = "For how long is the United Nations Angola Verification Mission established?"
    (term,) = [e for e in retrieve(library, question).evidence if "thirty-one" in e.words]
    assert term.coverage > 0.9  # without its referent: "Mission", "established" only


def test_an_acronym_the_named_text_spells_out_is_a_word_it_uses(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """ "UNIFIL" in the question, "United Nations Interim Force in Lebanon" in the text: the
    named resolution is not silent on it."""
    from assistant.answering.evidence import retrieve
    from tests.fakes import hrc_resolution, library_of

    extends = "Decides to extend the mandate of the United Nations Interim Force in Lebanon for a "
    text = hrc_resolution(
        41, "3 April 2031", "southern Lebanon", [extends + "further period of six months"]
    )
    library = library_of(tmp_path, {"r41.txt": text})
    found = retrieve(library, "For how long does resolution 41 (2031) extend UNIFIL's mandate?")
    assert "UNIFIL" not in found.unused_words
    assert found.named_coverage == 1.0


def test_a_title_of_common_words_names_no_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """ "Who is the Prime Minister ...?" asks for a name: "the Armed Forces of Haiti" is made of
    words the texts also write in lower case, so it is no one's name; "Robert Malval" is one."""
    from assistant.answering.evidence import retrieve
    from assistant.answering.matching import common_words
    from tests.fakes import hrc_resolution, library_of

    text = hrc_resolution(
        43,
        "5 April 2031",
        "Haiti",
        [
            "Notes the agreement between the President and the Commander-in-Chief of the Armed "
            "Forces of Haiti under which the Prime Minister of Haiti would be confirmed",
            "Condemns the armed attacks on the observers",
            "Welcomes the confirmation of the Prime Minister of Haiti, Mr. Robert Malval",
        ],
    )
    library = library_of(tmp_path, {"r43.txt": text})
    assert {"armed", "observers"} <= common_words(library)
    assert "malval" not in common_words(library)
    question = "Who is the Prime Minister of Haiti whose confirmation resolution 43 (2031) notes?"
    found = {e.id.split("/", 1)[1]: e for e in retrieve(library, question).evidence}
    assert found["operative/1"].features["type_new"] == 0.0  # "Armed Forces" was a name before
    assert found["operative/3"].features["type_new"] == 1.0


def test_a_date_before_the_text_was_adopted_is_no_deadline_it_sets(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """ "to the positions held before 5 August 2031" in a text of November 2031 dates the
    positions, not the time by which the withdrawal is due."""
    from assistant.answering.evidence import retrieve
    from tests.fakes import hrc_resolution, library_of

    text = hrc_resolution(
        45,
        "5 November 2031",
        "the cease-fire",
        [
            "Demands the withdrawal of all armed personnel to the positions held before 5 "
            "August 2031",
            "Demands that the withdrawal of all armed personnel be completed before 1 February "
            "2032",
        ],
    )
    library = library_of(tmp_path, {"r45.txt": text})
    question = (
        "By what date must the withdrawal of armed personnel be completed under resolution 45?"
    )
    found = {e.id.split("/", 1)[1]: e for e in retrieve(library, question).evidence}
    assert found["operative/1"].features["type_new"] == 0.0
    assert found["operative/2"].features["type_new"] == 1.0


@pytest.mark.parametrize(
    ("phrase", "said"),
    [
        ("host", "hosts"),
        ("chairs", "chairs"),
        ("are to host", "is to host"),
        ("must chair", "must chair"),
        ("finance", "finances"),
    ],
)
def test_the_missing_detail_is_said_in_the_third_person(phrase: str, said: str) -> None:
    from assistant.answering.answer import third_person

    assert third_person(phrase) == said


def test_a_partial_answer_to_which_countries_host_says_who_hosts(fake_library) -> None:
    from assistant.answering.support import default_config

    strict = default_config().with_thresholds(answered=2.0, partial=0.0)  # nothing answers
    question = "Which countries host the regional preparatory meetings for the PP?"
    result = answer(fake_library, question, config=strict)
    assert result.status == "partial"
    assert "not say who hosts" in result.text
