"""Whole resolutions and versions, offline: the ``summary`` intent ("What does WTSA 43
resolve?", "Summarize resolution 300") and the version a look-up shows.

A summary lists the operative part of the named resolution (or the one section asked for:
"What does WTSA 43 resolve?" -> its ``resolves`` sections), clause by clause, each quoted whole
and cited. A number the library does not hold is said so, with the list of what it holds.

A look-up shows the text in force by default: a clause named without its version ("PP-58
considering e)") is quoted from the version in force, and the draft's wording is offered beside
it ("The Doha 2026 draft changes it: ..."); a draft named as such ("the Doha draft") is quoted
and named a draft, with the text in force beside it.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.chat.locate import clauses_about
from assistant.chat.router import Route, same_clause
from assistant.chat.tools import Tools
from assistant.text.catalog import Catalog, revision_year
from assistant.text.mentions import all_mentions
from ingest.model import Document, Section

MAX_CLAUSES = 60


def is_draft(document: Document) -> bool:
    return "draft" in document.status.lower()


def in_force_version(catalog: Catalog, document: Document) -> Document | None:
    """The newest version in force of ``document``'s series (``None`` when none is)."""
    versions = [d for d in catalog.series(document) if "force" in d.status.lower()]
    return max(versions, key=lambda d: revision_year(d.revision), default=None)


def draft_name(document: Document) -> str:
    """``the Doha 2026 draft`` for ``PP Res. 58 (Rev. Doha, 2026)``."""
    where = re.sub(r"^\s*Rev\.?\s*", "", document.revision).replace(",", "").strip()
    return f"the {where} draft" if where else "the draft"


def _status_word(document: Document) -> str:
    return "draft" if is_draft(document) else (document.status or "in force")


def summary(tools: Tools, found: Route) -> dict[str, Any]:
    """The operative part (or the section asked) of each resolution named, quoted and cited."""
    if not found.documents:
        return not_held(tools, found.unresolved or "this resolution")
    lines: list[str] = []
    citations: list[dict[str, Any]] = []
    for document_id in found.documents[:3]:
        document = tools.catalog.by_id[document_id]
        sections = _sections_asked(document, found)
        plural = "s" if len(sections) > 1 else ""
        what = f"its '{found.section}' section{plural}" if found.section else "its operative part"
        name = f"{document.short_name} ({_status_word(document)})"
        if not sections:
            headings = ", ".join(dict.fromkeys(s.keyword or s.heading for s in document.sections))
            lines.append(f"{name} has no '{found.section}' section; its sections: {headings}.")
            continue
        clauses = tools.outline(document_id, [s.slug for s in sections])
        if found.subject:
            about = {c.id for c in clauses_about(document, found.subject)}
            clauses = [c for c in clauses if c["id"] in about]
            what = f"the clauses that speak of {found.subject}"
            if not clauses:
                lines.append(f"{name} never speaks of {found.subject}.")
                continue
        clauses = clauses[:MAX_CLAUSES]
        lines.append(f"{name}, {what} ({len(clauses)} clause{'s' if len(clauses) > 1 else ''}):")
        if is_draft(document):
            current = in_force_version(tools.catalog, document)
            if current is not None:
                lines.append(
                    f"This is {draft_name(document)}; the text in force is {current.short_name}."
                )
        heading = ""
        for citation in clauses:
            if citation.get("section") != heading:
                heading = str(citation.get("section", ""))
                lines.append(f"{heading}:")
            label = " ".join(str(citation.get(k) or "") for k in ("label", "sub")).strip()
            lead = f"{label} " if label else ""
            lines.append(f'- {lead}"{citation["text"]}" ({citation["citation"]})')
        citations += clauses
    status = "answered" if citations else "not_found"
    return {"status": status, "answer": "\n".join(lines), "citations": citations}


def _sections_asked(document: Document, found: Route) -> list[Section]:
    """The sections a summary lists: those asked by heading, else by keyword, else the
    operative part (every section when the clauses on a subject are asked)."""
    if found.subject:
        return list(document.sections)
    if found.headings:
        return [s for s in document.sections if s.heading in found.headings]
    if found.section:
        return [s for s in document.sections if s.keyword == found.section]
    return [s for s in document.sections if s.kind == "operative"]


def not_held(tools: Tools, named: str) -> dict[str, Any]:
    """'The library has no Resolution 302', and what it holds."""
    held = [d for d in tools.catalog.documents if d.kind == "resolution"]
    others = len(tools.catalog.documents) - len(held)
    listing = [f"- {d.short_name} ({_status_word(d)})" for d in held]
    more = f"\n(and {others} other documents)" if others else ""
    text = f"The library has no {named}. It holds:\n" + "\n".join(listing) + more
    return {"status": "not_found", "answer": text, "citations": []}


def _explicit_version(text: str, catalog: Catalog, document: Document) -> bool:
    """Whether ``text`` names ``document``'s version (a place, a year or 'draft')."""
    for mention in all_mentions(text, catalog):
        cited = mention.cited
        if (cited.place or cited.year or cited.status) and document in catalog.matching(cited):
            return True
    return False


def _counterpart(tools: Tools, older: Document, newer: Document, clause_id: str) -> Any:
    """The change pairing ``clause_id`` of one version with the other (``None`` if none)."""
    result = tools.compare(older.id, newer.id)
    for change in result.get("clauses", []):
        ends = {(change.get("a") or {}).get("id"), (change.get("b") or {}).get("id")}
        if clause_id in ends:
            return change
    return None


def in_force_first(
    tools: Tools, found: Route, ids: list[str]
) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The clause ids to show (the text in force first), for each shown id the lines to add
    after its quote (the draft named as a draft, the other version offered), and the ids of
    the other versions quoted in those lines (cited too)."""
    shown: list[str] = []
    notes: dict[str, list[str]] = {}
    also: list[str] = []
    for clause_id in ids:
        document = tools.catalog.by_id.get(clause_id.split("/", 1)[0])
        current = in_force_version(tools.catalog, document) if document else None
        if document is None or not is_draft(document) or current is None:
            shown.append(clause_id)
            continue
        reference = next((r for r in found.references if clause_id in r.clause_ids), None)
        explicit = _explicit_version(reference.text if reference else "", tools.catalog, document)
        change = _counterpart(tools, current, document, clause_id)
        own = same_clause(reference, current) if reference and not explicit else []
        if own and own[0] != ((change or {}).get("a") or {}).get("id"):
            change = _counterpart(tools, current, document, own[0])  # "h)" of the text in force
            change = {**(change or {}), "a": tools.get_clause(own[0])}
        old = (change or {}).get("a")
        draft = draft_name(document)
        if not old:  # the draft adds it
            shown.append(clause_id)
            notes[clause_id] = [
                f"This is {draft} ({document.short_name}, a draft); the text in force, "
                f"{current.short_name}, has no such clause."
            ]
            continue
        tools.retrieved.add(old["id"])
        new = (change or {}).get("b")
        where = f" ({new['citation']})" if new and new["id"] != clause_id else ""
        if not new:
            differs = f"{draft[0].upper()}{draft[1:]} removes it."
        elif change and change.get("text_changed"):
            differs = f"{draft[0].upper()}{draft[1:]} changes it{where}: {change['markdown']}"
        else:
            differs = f"{draft[0].upper()}{draft[1:]} keeps it unchanged{where}."
        if explicit:  # the draft asked for: named as a draft, the text in force offered
            shown.append(clause_id)
            also.append(old["id"])
            notes[clause_id] = [
                f"This is {draft} ({document.short_name}), not the text in force. In force, "
                f'{old["citation"]}: "{old["text"]}"',
                differs,
            ]
        else:  # the text in force by default, the draft offered
            shown.append(old["id"])
            also += [new["id"]] if new else []
            notes[old["id"]] = [f"In force ({current.short_name}).", differs]
    return list(dict.fromkeys(shown)), notes, [i for i in also if i not in shown]
