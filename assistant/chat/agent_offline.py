"""What the router does with each intent, offline: look-ups, comparisons and drafts composed from
the library's clauses (questions go to :mod:`assistant.answering.answer`)."""

from __future__ import annotations

from typing import Any

from assistant.chat import agent_texts as texts
from assistant.chat.agent_compare import compare_on_subject
from assistant.chat.router import _FILLER, COMPARE, Route, State
from assistant.chat.tools import Tools, redline
from assistant.errors import NotFoundError
from assistant.text.catalog import revision_year
from assistant.text.question import STOPWORDS, topic_of
from assistant.text.references import document_references

MAX_ALIGN_GROUPS = 12
MAX_CHANGES = 8


def reply_fields(
    status: str, answer: str, citations: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {"status": status, "answer": answer, "citations": citations, **extra}


def _quote(citation: dict[str, Any]) -> str:
    return f'{citation["citation"]}: "{citation["text"]}"'


def lookup(tools: Tools, found: Route) -> dict[str, Any]:
    """The clauses the message names, quoted, with the cross-references inside them."""
    tools.calls.append({"tool": "resolve_reference", "args": {"text": found.message}})
    ids = found.clause_ids or [i for r in found.references for i in r.clause_ids]
    if not ids:
        where = ", ".join(found.documents) or "the library"
        return reply_fields(
            "not_found",
            f"No clause of {where} matches what you named. Name "
            "it as printed, e.g. 'considering h) of the Doha draft'.",
            [],
        )
    shown, notes, also = texts.in_force_first(tools, found, ids[:12])
    citations = [tools.get_clause(clause_id) for clause_id in shown]
    ambiguous = any(r.status == "ambiguous" for r in found.references)
    lines = ["Several resolutions have this clause; name one to narrow it:"] if ambiguous else []
    for citation in citations:
        lines.append(_quote(citation))
        lines += notes.get(citation["id"], [])
    citations += [tools.get_clause(clause_id) for clause_id in also]
    return reply_fields("answered", "\n".join(lines), citations)


def links_for(tools: Tools, citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cross-references inside the cited clauses (for the web page to show as links)."""
    wanted = {c["id"] for c in citations}
    links: list[dict[str, Any]] = []
    for document_id in dict.fromkeys(c["document"] for c in citations):
        document = tools.catalog.by_id.get(document_id)
        if document is None:
            continue
        links += [
            r.to_json() for r in document_references(document, tools.catalog) if r.source in wanted
        ]
    return links


def compare(tools: Tools, found: Route, ask: Any) -> dict[str, Any]:
    """Clause against clause, version against version, or resolution against resolution."""
    clause_ids = found.clause_ids
    if len(clause_ids) >= 2:
        return _compare_clauses(tools, clause_ids)
    documents = found.documents
    if len(documents) >= 2:
        a, b = (tools.catalog.by_id.get(d) for d in documents[:2])
        content = _topic_words(found)
        if (
            a is not None
            and b is not None
            and (a.body, a.number) == (b.body, b.number)
            and (len(documents) == 2)
            and not content
        ):
            older, newer = sorted((a, b), key=lambda d: revision_year(d.revision))
            return _compare_versions(tools, older.id, newer.id)
        if not content:
            return _align(tools, documents[0], documents[1:])
        phrase = topic_of(found.message)
        shown = phrase if phrase != found.message.strip().rstrip("?.! ") else " ".join(content)
        fields = compare_on_subject(tools, documents, " ".join(content), shown)
        if fields is not None:  # the clauses on the subject side by side, what differs first
            return fields
    return ask()


def _topic_words(found: Route) -> list[str]:
    """Words of a comparison beyond 'compare X with Y' (a topic: then search answers it)."""

    words = [w.strip("'’").lower() for w in found.topic.split()]
    return [
        w
        for w in words
        if len(w) > 1
        and w not in _FILLER
        and w not in STOPWORDS
        and not COMPARE.fullmatch(w)
        and w not in {"how", "between", "version", "versions", "section", "sections", "what"}
    ]


def _compare_clauses(tools: Tools, clause_ids: list[str]) -> dict[str, Any]:
    citations = [tools.get_clause(i) for i in clause_ids[:6]]
    first = citations[0]
    lines = [_quote(first)]
    for other in citations[1:]:
        marked, changes = redline(first["text"], other["text"])
        lines.append(
            f"{other['citation']} differs from {first['citation']} "
            f"({len(changes)} changes):\n{marked}"
        )
    return reply_fields("answered", "\n\n".join(lines), citations)


def _compare_versions(tools: Tools, older: str, newer: str) -> dict[str, Any]:
    result = tools.compare(older, newer)
    if "error" in result:
        return _align(tools, newer, [older])
    names = [tools.catalog.by_id[d].short_name for d in (older, newer)]
    summary = result.get("summary") or {}
    counts = (
        ", ".join(f"{v} {k}" for k, v in summary.items())
        if isinstance(summary, dict)
        else str(summary)
    )
    lines = [f"Changes from {names[0]} to {names[1]}: {counts}."]
    citations: list[dict[str, Any]] = []
    changed = [c for c in result.get("clauses", []) if c.get("status") != "unchanged"]
    for change in changed[:MAX_CHANGES]:
        cited = change.get("b") or change.get("a") or {}
        citations.append(cited)
        detail = change.get("markdown") if change.get("text_changed") else ""
        lines.append(
            f"- {change['status']}: {cited.get('citation', '')}" + (f": {detail}" if detail else "")
        )
    if len(changed) > MAX_CHANGES:
        lines.append(f"... and {len(changed) - MAX_CHANGES} more (see the comparison).")
    return reply_fields("answered", "\n".join(lines), citations, comparison=result)


def _align(tools: Tools, lead: str, others: list[str]) -> dict[str, Any]:
    result = tools.align(lead, others)
    lines, citations = [], []
    for group in result.get("groups", [])[:MAX_ALIGN_GROUPS]:
        clauses = group.get("clauses", [])
        if len(clauses) < 2:
            continue
        lines.append(" <-> ".join(c["citation"] for c in clauses))
        citations += clauses
    text = (
        "Corresponding clauses:\n" + "\n".join(lines)
        if lines
        else ("No corresponding clauses found.")
    )
    return reply_fields("answered" if lines else "not_found", text, citations, alignment=result)


def draft(tools: Tools, found: Route, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
    """A harmonized wording (and the request, for follow-ups); a redline when a base is named."""
    args = _draft_args(found, state)
    if args is None:
        return reply_fields(
            "not_found",
            "Name a clause ('considering h) of the Doha draft') or a "
            "topic ('the clauses on regional preparatory meetings') to draft "
            "from.",
            [],
        ), {}
    if args == state.draft and state.draft_result and not found.base_document:
        result = state.draft_result  # the same request as the previous turn: its draft
        tools.retrieved.update(c["id"] for c in result.get("sources", []))
    elif found.base_document:
        try:  # the draft with its redline against the corresponding clause of that document
            result = tools.draft(**args, against=found.base_document)
        except NotFoundError:  # no clause of it corresponds: the draft alone
            result = tools.draft(**args)
            result.pop("redline", None)
    else:
        result = tools.draft(**args)
    text = result["text"]
    extra: dict[str, Any] = {"draft": result, "docx": docx_hint(args)}
    if found.base_document:
        extra["docx"] = docx_hint({**args, "against": found.base_document})
        marked = result.get("redline")
        if marked is not None:
            extra["redline"] = marked
            text = f"Redline against {marked['against']['citation']}:\n{marked['markdown']}"
    sources = ", ".join(c["citation"] for c in result.get("sources", []))
    answer = f"{text}\n\nSources: {sources}" if sources else text
    return reply_fields("answered", answer, list(result.get("sources", [])), **extra), args


def _draft_args(found: Route, state: State) -> dict[str, Any] | None:
    docs = list(dict.fromkeys(found.with_documents + found.documents))
    docs = [d for d in docs if d != found.base_document]
    args: dict[str, Any] = {"for_body": found.for_body or None}
    if found.exclude_documents:  # "without the Doha draft"
        args["exclude_documents"] = list(found.exclude_documents)
    if found.clause_ids:
        args["clause_id"] = found.clause_ids[0]
        named = {i.split("/", 1)[0] for i in found.clause_ids}
        docs = list(dict.fromkeys([*docs, *sorted(named)]))
        args["with_documents"] = docs if len(docs) > 1 else None
        return args
    if found.follow_up or (found.base_document and not _content(found)):
        if state.draft:
            return {**state.draft}
        if state.clause_ids:
            return {**args, "clause_id": state.clause_ids[0]}
        if state.question:
            return {**args, "topic": state.question}
        return None
    topic = " ".join(_content(found))
    if not topic:
        return None
    return {**args, "topic": topic, "with_documents": docs or None}


def _content(found: Route) -> list[str]:
    return [w for w in found.topic.split() if w.lower() not in _FILLER]


def docx_hint(args: dict[str, Any]) -> dict[str, Any]:
    """How to get the draft as a Word document with revision marks."""
    command = ["resolutions", "draft"]
    if args.get("clause_id"):
        command += ["--clause", args["clause_id"]]
    else:
        command += ["--topic", repr(args.get("topic") or "")]
    if args.get("for_body"):
        command += ["--for", args["for_body"]]
    for document in args.get("with_documents") or []:
        command += ["--with", document]
    for document in args.get("exclude_documents") or []:
        command += ["--exclude", document]
    if args.get("against"):
        command += ["--against", args["against"]]
    body = {k: v for k, v in args.items() if v and k != "against"}
    return {
        "cli": " ".join([*command, "--docx", "draft.docx"]),
        "api": {"method": "POST", "path": "/draft?format=docx", "json": body},
    }
