"""Grounded answers: composed from retrieved clauses (offline), or worded by a chat model.

Library calls::

    answer(library, question, *, conversation=None, chat_model=None, config=None) -> Answer
    stream_answer(library, question, *, conversation=None, chat_model=None, config=None)
        -> Iterator[str | Answer]

Three outcomes, said plainly (``Answer.status``): ``answered`` (a clause states it, quoted and
cited), ``partial`` (the closest provisions address the subject but not the detail asked: the
answer says which detail is missing and cites them) and ``not_found``. ``config`` is a
:class:`~assistant.answering.support.SupportConfig` (the learned support models and their
thresholds); ``None`` is the shipped one.

``stream_answer`` yields ``str`` pieces of the answer text as they are produced (model tokens,
or lines of the offline answer) and, as its LAST item, the final :class:`Answer`. The final
``Answer.text`` is authoritative: when the model's answer cited no valid clause, the streamed pieces
are replaced by the offline answer (``Answer.mode == "fallback"``) and a client shows
``Answer.text`` instead of what it streamed. ``answer`` consumes the stream and returns the Answer.

A configured chat model words answered questions; it is also consulted when no clause supports the
question but the nearest come close (``config.consult``,
:attr:`~assistant.answering.evidence.Retrieval.uncertain`): it may answer,
citing only clauses whose words it quotes exactly, or say NOT FOUND (the offline
``not_found`` stands).

``conversation`` is a :class:`~assistant.answering.model.Thread` (the chat's conversations, kept in
the database under ``settings.home``): follow-ups are resolved against its earlier turns and the
turn is recorded. A rewritten follow-up is shown: the stream starts with ``Searched: <question as
searched> (read as a follow-up: <why>; ...)`` and ``Answer.question`` is what was searched.
``chat_model`` is a :class:`~assistant.chat_model.ChatModel` or a LangChain chat model; ``None``
answers offline.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assistant.align.alignment import clause_ref, counterparts
from assistant.answering import citations as checks
from assistant.answering.adoption import adoption_answer
from assistant.answering.evidence import Evidence, Retrieval, evaluate, retrieve
from assistant.answering.llm_answer import stream_llm_answer
from assistant.answering.matching import document_frequencies
from assistant.answering.model import Answer, Thread, plain_citation
from assistant.answering.support import SupportConfig
from assistant.errors import BadRequestError
from assistant.index.model import ClauseLibrary
from assistant.settings import MAX_QUESTION_CHARS
from assistant.text.answer_type import asked_type
from assistant.text.question import catalog_for, strip_spans
from assistant.text.roles import asked_role
from ingest.layout import heading_keyword, section_kind

MAX_QUOTES = 3
SIDE_BY_SIDE_SHARE = 0.7  # a named document's best clause's coverage, against the lead's
SIDE_BY_SIDE_ALIGNMENT = 0.6  # lowest alignment score of a counterpart put side by side
RELATED = 3
PASSAGE_WEIGHT = 0.9  # a passage (no body: not a resolution) must support 11 % better to lead
PARTIAL_QUOTES = 2
SEARCHED = "Searched: "  # the first line of a reply to a follow-up that was rewritten
# What a partial answer says is missing, by the kind of answer the question asks for.
MISSING = {
    "amount": "an amount",
    "duration": "how long or how often",
    "count": "how many",
    "date": "when (a date or a period)",
    "person_or_body": "who (which person, office or body)",
    "place": "where",
    "reference": "which article or resolution",
    "reason": "why (a reason or a purpose)",
    "instance": "which one (by its name)",
}

# What a clause must state to answer a question of a checked kind (``_unstated``).
STATED = {
    "amount": "an amount",
    "duration": "a duration or an interval",
    "count": "a number",
    "date": "a date or a period",
    "place": "a place",
}


def document_name(citation: dict[str, Any]) -> str:
    """``WTSA Res. 43 (Rev. New Delhi, 2024)`` from a citation object."""
    readable = str(citation.get("citation", ""))
    section = str(citation.get("section", ""))
    if section and f", {section}" in readable:
        return readable.split(f", {section}")[0]
    body, number, revision = (str(citation.get(k, "")) for k in ("body", "number", "revision"))
    if number:
        name = f"{body} Res. {number}".strip()
        return f"{name} ({revision})" if revision else name
    return readable or str(citation.get("document", ""))


def quote_line(evidence: Evidence) -> str:
    """``WTSA Res. 43 (...) resolves to ...: "decisive words" (citation)``."""
    citation = evidence.citation
    section = str(citation.get("section", ""))
    name = document_name(citation)
    if section and section_kind(heading_keyword(section)) == "operative":
        where = f"{name} {section}"
    else:
        where = f"{name}, {section}" if section else name
    return f'{where}: "{evidence.words}" ({citation.get("citation", "")})'


def _topic_phrase(retrieval: Retrieval) -> str:
    question = retrieval.question
    topic = question.topic.strip().rstrip("?.! ")
    unshaped = strip_spans(question.text, question.mentions).rstrip("?.! ")
    if not topic or topic in (unshaped, question.text.strip().rstrip("?.! ")):
        # no noun phrase could be cut out: quote the whole question, never a mangled part of it
        return f'this question ("{question.text.strip()}")'
    return topic


def not_found(retrieval: Retrieval, reason: str = "") -> Answer:
    """Said plainly, with the nearest clauses as related."""
    scope = ""
    names = [m.text.strip() for m in retrieval.question.mentions]
    if names:
        scope = " (searched with weight on " + ", ".join(dict.fromkeys(names)) + ")"
    text = f"The ingested resolutions do not address {_topic_phrase(retrieval)}{scope}."
    if retrieval.unheld:  # named by number, not held: say that first
        absent = " and ".join(retrieval.question.absent)
        verb = "is" if len(retrieval.question.absent) == 1 else "are"
        text = (
            f"{absent[:1].upper()}{absent[1:]} {verb} not in the library, so no clause of it can "
            "answer; ingest the text (`resolutions ingest FILE`) to ask about it."
        )
    elif retrieval.silent:
        text = f"{_silence(retrieval)}, so no clause of it answers {_topic_phrase(retrieval)}."
    if retrieval.evidence:
        text += " The nearest clauses are listed as related."
    related = [plain_citation(e.citation) for e in retrieval.evidence[:RELATED]]
    return Answer("not_found", text + reason, [], related, retrieval.question.text)


def _silence(retrieval: Retrieval, names: list[str] | None = None) -> str:
    """'Resolution 687 never uses the words "no-fly" or "zone"': why a question about a named
    resolution is not answered from it (:attr:`Retrieval.silent`)."""
    if names is None:
        names = [m.text.strip() for m in retrieval.question.mentions if m.numbered]
    named = " and ".join(dict.fromkeys(names)) or "the resolution named"
    named = named[:1].upper() + named[1:]
    unused = retrieval.unused_words
    words = " or ".join(f'"{w}"' for w in unused) or "the words asked"
    noun = "the word" if len(unused) == 1 else "the words"
    return f"{named} never {'uses' if len(names) <= 1 else 'use'} {noun} {words}"


def _names(words: list[str]) -> str:
    """'"Walvis Bay" or "Dubrovnik"'."""
    return " or ".join(f'"{w}"' for w in dict.fromkeys(words))


def _unstated(retrieval: Retrieval) -> str:
    """Why the nearest clauses do not answer: the question names what no text mentions, or it
    asks for an amount, a duration, a count, a date or a place, or who holds a role."""
    if not retrieval.evidence or any(e.states_answer for e in retrieval.evidence):
        return ""
    if retrieval.unknown_names:
        return f" No ingested text mentions {_names(retrieval.unknown_names)}."
    kind = retrieval.question.answer_type
    if kind:
        return f" None of them states {STATED[kind]}."
    role = asked_role(retrieval.question.text)
    return f" None of them says who {role.phrase}." if role else ""


def _ordered(retrieval: Retrieval) -> list[Evidence]:
    """Supporting clauses, those of the named documents first (any that supports); a resolution's
    clause before a passage of another document (a contribution quoting it) that supports about
    as well."""
    named = set(retrieval.question.documents)
    supporting = sorted(
        retrieval.supporting,
        key=lambda e: -e.support * (1.0 if e.citation.get("body") else PASSAGE_WEIGHT),
    )
    first = [e for e in supporting if e.document in named]  # the question asked about them
    return first + [e for e in supporting if e not in first]


def _single(retrieval: Retrieval) -> tuple[list[str], list[Evidence]]:
    ordered = _ordered(retrieval)
    lead, rest = ordered[0], ordered[1:]
    chosen = [lead, *[e for e in rest if e.support >= 0.8 * lead.support][: MAX_QUOTES - 1]]
    lines = [quote_line(lead)]
    if len(chosen) > 1:
        lines.append("Also:")
        lines += [f"- {quote_line(e)}" for e in chosen[1:]]
    return lines, chosen


def _side_by_side(library: ClauseLibrary, retrieval: Retrieval) -> tuple[list[str], list[Evidence]]:
    question = retrieval.question
    documents = (
        question.documents
        if len(question.documents) >= 2
        else list(dict.fromkeys(e.document for e in retrieval.supporting))
    )
    best: dict[str, Evidence] = {}
    strongest = retrieval.supporting[0]
    for evidence in retrieval.evidence:  # ranked by support
        comparable = (
            evidence.supports
            or evidence.topicality >= retrieval.config.partial  # on the subject compared
            or evidence.coverage >= SIDE_BY_SIDE_SHARE * strongest.coverage  # holds its ideas
        )
        if evidence.document in documents and evidence.document not in best and comparable:
            best[evidence.document] = evidence
    best.update(_corresponding(library, retrieval, best))
    names = {e.document: document_name(e.citation) for e in retrieval.evidence}
    addressed = [names[d] for d in documents if d in best]
    silent = [names.get(d, d) for d in documents if d not in best]
    lead = (
        f"Side by side on {_topic_phrase(retrieval)}: "
        + " and ".join(addressed)
        + (" address it" if len(addressed) > 1 else " addresses it")
    )
    lead += f"; {', '.join(silent)} do{'es' if len(silent) == 1 else ''} not." if silent else "."
    lines = [lead] + [f"- {quote_line(best[d])}" for d in documents if d in best]
    return lines, [best[d] for d in documents if d in best]


def _corresponding(
    library: ClauseLibrary, retrieval: Retrieval, best: dict[str, Evidence]
) -> dict[str, Evidence]:
    """Where another document's pick is not the counterpart of the best-supported clause (by the
    clause alignment), its counterpart instead, so the clauses side by side correspond."""
    if len(best) < 2:
        return {}
    lead = max(best.values(), key=lambda e: e.support)
    others = [d for d in best if d != lead.document]
    found = counterparts(library, clause_ref(library, lead.id), others, SIDE_BY_SIDE_ALIGNMENT)
    known = {e.id: e for e in retrieval.evidence}
    replaced: dict[str, Evidence] = {}
    for ref, _ in found:
        if ref.id != best[ref.document.id].id:
            evidence = known.get(ref.id) or _evidence_for(library, retrieval, ref.id)
            replaced[ref.document.id] = evidence
    return replaced


def _evidence_for(library: ClauseLibrary, retrieval: Retrieval, clause_id: str) -> Evidence:
    """Evidence for a clause found by alignment, added to what was retrieved for the question."""
    idf, unseen = document_frequencies(library)
    found = evaluate(
        library,
        retrieval.question,
        [(library.clause(clause_id), 0.0)],
        idf,
        unseen,
        config=retrieval.config,
    )
    retrieval.evidence.append(found[0])
    return found[0]


_THIRD_PERSON = {"are": "is", "were": "was", "have": "has", "do": "does"}
_MODALS = frozenset("must may might can could will would shall should is was has does".split())


def third_person(phrase: str) -> str:
    """The verb phrase of a "which <plural> <verb>" question after "who": "host" -> "hosts",
    "are to host" -> "is to host"; "chairs", "must chair" as they are."""
    verb, _, rest = phrase.partition(" ")
    if verb in _THIRD_PERSON:
        verb = _THIRD_PERSON[verb]
    elif verb not in _MODALS and not verb.endswith(("s", "ed")):
        verb += "es" if verb.endswith(("sh", "ch", "x", "o")) else "s"
    return f"{verb} {rest}" if rest else verb


def _missing(retrieval: Retrieval) -> str:
    """The detail a partial answer lacks, in words: 'who chairs', 'who (which person, office or
    body)'."""
    role = asked_role(retrieval.question.text)
    if role:
        return f"who {third_person(role.phrase)}"
    kind = retrieval.question.answer_type or asked_type(retrieval.question.text)
    return MISSING.get(kind or "", "the detail asked")


def partial(library: ClauseLibrary, retrieval: Retrieval) -> Answer:
    """The closest provisions, cited, and what they leave out: ``partial``."""
    chosen = retrieval.on_topic[:PARTIAL_QUOTES]
    quotes = [checks.Quote(e.id, e.words) for e in chosen]
    kept, _ = checks.check(library, quotes, retrieval.retrieved_ids)
    good = {q.clause_id for q in kept}
    chosen = [e for e in chosen if e.id in good]
    if not chosen:
        return not_found(retrieval, _unstated(retrieval))
    names = list(dict.fromkeys(document_name(e.citation) for e in chosen))
    one = len(names) == 1
    lead = (
        f"{_silence(retrieval, names)}."
        if retrieval.silent
        else f"no ingested text mentions {_names(retrieval.unknown_names)}."
        if retrieval.unknown_names
        else f"{' and '.join(names)} {'addresses' if one else 'address'} "
        f"{_topic_phrase(retrieval)} but {'does' if one else 'do'} not say "
        f"{_missing(retrieval)}."
    )
    lines = [f"Partial answer: {lead} The closest provisions:"]
    lines += [f"- {quote_line(e)}" for e in chosen]
    cited = {e.id for e in chosen}
    related = [plain_citation(e.citation) for e in retrieval.evidence if e.id not in cited][
        :RELATED
    ]
    return Answer(
        "partial",
        "\n".join(lines),
        [plain_citation(e.citation) for e in chosen],
        related,
        retrieval.question.text,
    )


def compose(library: ClauseLibrary, retrieval: Retrieval) -> Answer:
    """The offline answer: a lead, the decisive words quoted, each with its checked citation;
    ``partial`` when only clauses on the subject were found; ``not_found`` when none."""
    if not retrieval.supporting:
        if retrieval.on_topic:
            return partial(library, retrieval)
        return not_found(retrieval, _unstated(retrieval))
    question = retrieval.question
    side = question.comparison and (
        len(question.documents) >= 2 or len({e.document for e in retrieval.supporting}) >= 2
    )
    lines, chosen = _side_by_side(library, retrieval) if side else _single(retrieval)
    quotes = [checks.Quote(e.id, e.words) for e in chosen]
    kept, rejected = checks.check(library, quotes, retrieval.retrieved_ids)
    if not kept:
        return not_found(retrieval)
    if rejected:  # never expected: the words are cut from the clause itself; recompose without
        bad = {r.quote.clause_id for r in rejected}
        retrieval.evidence = [e for e in retrieval.evidence if e.id not in bad]
        return compose(library, retrieval)
    cited = {e.id for e in chosen}
    related = [plain_citation(e.citation) for e in retrieval.evidence if e.id not in cited][
        :RELATED
    ]
    return Answer(
        "answered",
        "\n".join(lines),
        [plain_citation(e.citation) for e in chosen],
        related,
        retrieval.question.text,
    )


def stream_answer(
    library: ClauseLibrary,
    question: str,
    *,
    conversation: Thread | None = None,
    chat_model: Any = None,
    config: SupportConfig | None = None,
) -> Iterator[str | Answer]:
    """Yield pieces of the answer text, then the final :class:`Answer` (see the module doc)."""
    text = _checked_question(question)
    thread = conversation
    resolved, why = _follow_up(thread, text, library)
    if why:  # shown first, so a person sees (and can undo) the rewrite
        yield searched_line(resolved, why)
    retrieval = retrieve(library, resolved, config=config)
    # "When was resolution 242 adopted?": its heading answers
    from_heading = adoption_answer(catalog_for(library), retrieval.question)
    offline = from_heading or compose(library, retrieval)
    result = offline
    if (
        from_heading is None
        and chat_model is not None
        and (offline.status == "answered" or retrieval.uncertain)
    ):
        for piece in stream_llm_answer(library, retrieval, chat_model, offline):
            if isinstance(piece, Answer):
                result = piece
            else:
                yield piece
    else:
        yield from offline.text.splitlines(keepends=True)
    if thread:
        thread.add(text, resolved, result.to_json())
    yield result


def _follow_up(thread: Thread | None, text: str, library: ClauseLibrary) -> tuple[str, str]:
    """(what is searched, why it was rewritten or ``""``) for ``text`` in ``thread``."""
    if thread is None:
        return text, ""
    catalog = catalog_for(library)
    decide = getattr(thread, "follow_up", None)  # a conversation that says why it rewrote
    if decide is None:
        return thread.resolve(text, catalog), ""
    decision = decide(text, catalog)
    return decision.resolved, (decision.evidence if decision.rewritten else "")


def searched_line(searched: str, why: str) -> str:
    """The line that shows what a follow-up was searched as, why, and how to undo it."""
    return (
        f'{SEARCHED}{searched} (read as a follow-up: {why}; start with "New question:" '
        "to search your words as typed)\n"
    )


def answer(
    library: ClauseLibrary,
    question: str,
    *,
    conversation: Thread | None = None,
    chat_model: Any = None,
    config: SupportConfig | None = None,
) -> Answer:
    """The final answer to ``question`` (see the module doc)."""
    final: Answer | None = None
    pieces = stream_answer(
        library, question, conversation=conversation, chat_model=chat_model, config=config
    )
    for piece in pieces:
        if isinstance(piece, Answer):
            final = piece
    assert final is not None
    return final


def _checked_question(question: str) -> str:
    text = " ".join(str(question).split())
    if not text:
        raise BadRequestError(
            "the question is empty: ask something, e.g. "
            "'What do the resolutions say about regional preparatory meetings?'"
        )
    if len(text) > MAX_QUESTION_CHARS:
        raise BadRequestError(
            f"the question is {len(text)} characters long; keep it under {MAX_QUESTION_CHARS}"
        )
    return text
