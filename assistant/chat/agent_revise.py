"""The ``revise`` intent offline: a whole resolution revised with
:func:`assistant.drafting.revise.revise`, told as a summary ("for BODY, with DOCS: N revised, N
added, N kept") and the revised and added clauses with their sources (kept clauses are left out of
the text; the reply's ``revision`` holds them all). Without a resolution to revise, the reply asks
which one and lists the library's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from assistant.chat.agent_offline import reply_fields
from assistant.chat.router import Route, State
from assistant.chat.tools import Tools

MAX_TEXT = 240
MAX_LISTED = 20


def revise(tools: Tools, found: Route, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
    """The reply fields and the request (kept for follow-ups such as 'and for WTSA?')."""
    if not found.revise_document:
        return reply_fields("not_found", which_one(tools, found), []), {}
    args: dict[str, Any] = {
        "document": found.revise_document,
        "for_body": found.for_body or None,
        "with_documents": found.with_documents or None,
        "exclude_documents": found.exclude_documents or None,
    }
    result = tools.run("revise", args)
    name = _name(tools, found.revise_document)
    if "error" in result:
        return reply_fields("not_found", f"I could not revise {name}: {result['error']}.", []), {}
    counts = result.get("counts", {})
    used = "; ".join(_name(tools, d) for d in result.get("with", []))
    lines = [
        f"{name} revised for {result.get('for', '')}, with {used}: {counts.get('revised', 0)} "
        f"revised, {counts.get('added', 0)} added, {counts.get('kept', 0)} kept."
    ]
    cited: dict[str, dict[str, Any]] = {}
    for clause in result.get("clauses", []):
        if clause.get("status") == "kept":
            continue
        lines.append(_entry(tools, clause, cited))
    extra = {"revision": result, "docx": docx_hint(args)}
    return reply_fields("answered", "\n".join(lines), list(cited.values()), **extra), args


def _entry(tools: Tools, clause: dict[str, Any], cited: dict[str, dict[str, Any]]) -> str:
    """One changed clause: where it is, its text (shortened) and the clauses it comes from."""
    for source in clause.get("sources", []):
        if source not in cited:
            cited[source] = _clause(tools, source)
    base = clause.get("base")
    if base:
        where = (cited.get(base) or _clause(tools, base)).get("citation", base)
    else:
        where = " ".join(p for p in (clause.get("section", ""), "(new)") if p)
    others = [cited[s].get("citation", s) for s in clause.get("sources", []) if s != base]
    text = _short(str(clause.get("text", "")))
    sources = f"\n  Sources: {'; '.join(others)}" if others else ""
    return f"- {clause.get('status')}: {where}: {text}{sources}"


def _clause(tools: Tools, clause_id: str) -> dict[str, Any]:
    try:
        return dict(tools.library.clause(clause_id))
    except LookupError:
        return {"id": clause_id, "citation": clause_id}


def _short(text: str) -> str:
    if len(text) <= MAX_TEXT:
        return text
    return text[:MAX_TEXT].rsplit(" ", 1)[0] + " …"


def _name(tools: Tools, document_id: str) -> str:
    document = tools.catalog.by_id.get(document_id)
    return document.short_name if document is not None else document_id


def which_one(tools: Tools, found: Route) -> str:
    """Ask which resolution to revise: the candidates the message named, else the library's."""
    if found.documents:
        names = [f"{_name(tools, d)} ({d})" for d in found.documents]
        return "Several resolutions match; which one should I revise? " + "; ".join(names) + "."
    resolutions = [d for d in tools.catalog.documents if d.kind == "resolution"]
    if not resolutions:
        return "The library holds no resolution to revise: ingest some first."
    listed = [f"{d.short_name} ({d.id})" for d in resolutions[:MAX_LISTED]]
    more = len(resolutions) - len(listed)
    missing = f"The library has no {found.unresolved}. " if found.unresolved else ""
    example = f"revise {resolutions[0].short_name}"
    if len(resolutions) > 1:
        example += f" with {resolutions[-1].short_name}"
    return (
        f"{missing}Which resolution should I revise? Name one, for example '{example}'. "
        "The library holds:\n- " + "\n- ".join(listed) + (f"\n... and {more} more." if more else "")
    )


def docx_hint(args: dict[str, Any]) -> dict[str, Any]:
    """How to get the revision as a Word redline of the resolution (``MOD``, tracked changes)."""
    command = ["resolutions", "revise", args["document"]]
    query: list[tuple[str, str]] = [("document", args["document"])]
    if args.get("for_body"):
        command += ["--for", args["for_body"]]
        query.append(("for", args["for_body"]))
    for document in args.get("with_documents") or []:
        command += ["--with", document]
        query.append(("with", document))
    for document in args.get("exclude_documents") or []:
        command += ["--exclude", document]
        query.append(("exclude", document))
    query.append(("format", "docx"))
    return {
        "cli": " ".join([*command, "--docx", "revision.docx"]),
        "api": {"method": "GET", "path": f"/revise?{urlencode(query)}"},
    }
