"""The tools of the chat agent, over the library: search, get_clause, align, draft, revise,
compare, resolve_reference (and outline: a resolution's clauses, for summaries). The router
calls them directly; a tool-calling chat model calls them by name.
Every call is recorded (``Tools.calls``) for the reply's ``tool_calls``, and every clause a tool
returned is remembered (``Tools.retrieved``) for the citation checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.align.alignment import align
from assistant.align.compare import compare
from assistant.drafting.draft import draft
from assistant.drafting.revise import revise
from assistant.index.model import ClauseLibrary
from assistant.text.catalog import Catalog
from assistant.text.redline import diff_words, to_markdown
from assistant.text.references import Reference, resolve

TOOL_SPECS: list[dict[str, Any]] = [
    {
        "name": "search",
        "description": "Search the clauses of the resolutions; returns citations.",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string"}, "k": {"type": "integer", "default": 5}},
            "required": ["query"],
        },
    },
    {
        "name": "get_clause",
        "description": "The text and citation of one clause by its id.",
        "parameters": {
            "type": "object",
            "properties": {"clause_id": {"type": "string"}},
            "required": ["clause_id"],
        },
    },
    {
        "name": "resolve_reference",
        "description": "Clause ids for a reference such as 'considering h) of the Doha draft'.",
        "parameters": {
            "type": "object",
            "properties": {"text": {"type": "string"}},
            "required": ["text"],
        },
    },
    {
        "name": "align",
        "description": "Groups of corresponding clauses across resolutions.",
        "parameters": {
            "type": "object",
            "properties": {
                "document": {"type": "string"},
                "with_documents": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["document"],
        },
    },
    {
        "name": "draft",
        "description": "A harmonized wording with the sources of every span.",
        "parameters": {
            "type": "object",
            "properties": {
                "clause_id": {"type": "string"},
                "topic": {"type": "string"},
                "for_body": {"type": "string"},
                "with_documents": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
    {
        "name": "revise",
        "description": "A whole resolution revised clause by clause with the wording of the "
        "other resolutions: each clause kept, revised or added, with its sources.",
        "parameters": {
            "type": "object",
            "properties": {
                "document": {"type": "string", "description": "the resolution to revise"},
                "for_body": {"type": "string", "description": "target body (PP, WTSA, ...)"},
                "with_documents": {"type": "array", "items": {"type": "string"}},
                "exclude_documents": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["document"],
        },
    },
    {
        "name": "compare",
        "description": "What changed between two versions of a resolution.",
        "parameters": {
            "type": "object",
            "properties": {"doc_a": {"type": "string"}, "doc_b": {"type": "string"}},
            "required": ["doc_a", "doc_b"],
        },
    },
]
TOOL_NAMES = tuple(spec["name"] for spec in TOOL_SPECS)


@dataclass
class Tools:
    """The tools bound to one library and one turn."""

    library: ClauseLibrary
    catalog: Catalog
    context: list[str] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    retrieved: set[str] = field(default_factory=set)
    drafts: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[dict[str, Any]] = field(default_factory=list)

    def run(self, name: str, args: dict[str, Any]) -> Any:
        """Call tool ``name``; a bad call returns ``{"error": ...}`` (for a model to read)."""
        if name not in TOOL_NAMES:
            return {"error": f"unknown tool {name!r}; tools: {', '.join(TOOL_NAMES)}"}
        try:
            return getattr(self, name)(**args)
        except (LookupError, ValueError, TypeError) as error:
            self.calls.append({"tool": name, "args": args, "error": str(error)})
            return {"error": str(error)}

    def _record(self, name: str, args: dict[str, Any]) -> None:
        self.calls.append(
            {"tool": name, "args": {k: v for k, v in args.items() if v not in (None, [], "")}}
        )

    def search(self, query: str, k: int = 5) -> list[dict[str, Any]]:
        self._record("search", {"query": query, "k": k})
        hits = self.library.search(query, k=max(1, min(int(k), 20)))
        self.retrieved.update(hit.id for hit in hits)
        return [hit.to_json() for hit in hits]

    def get_clause(self, clause_id: str) -> dict[str, Any]:
        self._record("get_clause", {"clause_id": clause_id})
        citation = dict(self.library.clause(clause_id))
        self.retrieved.add(citation["id"])
        return citation

    def outline(self, document: str, sections: list[str] | None = None) -> list[dict[str, Any]]:
        """The clauses of ``document`` (of the sections with these slugs), in order, cited."""
        self._record("outline", {"document": document, "sections": sections})
        parsed = self.catalog.by_id.get(document) or self.library.document(document)
        wanted = set(sections or [])
        ids = [c.id for s in parsed.sections if not wanted or s.slug in wanted for c in s.clauses]
        citations = [dict(self.library.clause(i)) for i in ids]
        self.retrieved.update(c["id"] for c in citations)
        return citations

    def resolve_reference(self, text: str) -> list[dict[str, Any]]:
        self._record("resolve_reference", {"text": text})
        return [r.to_json() for r in self.references(text)]

    def references(self, text: str) -> list[Reference]:
        return resolve(text, self.catalog, context=self.context or None)

    def align(self, document: str, with_documents: list[str] | None = None) -> dict[str, Any]:
        self._record("align", {"document": document, "with_documents": with_documents})
        result = align(self.library, document, with_documents or None).to_json()
        for group in result.get("groups", []):
            self.retrieved.update(c["id"] for c in group.get("clauses", []))
        return dict(result)

    def draft(
        self,
        clause_id: str | None = None,
        topic: str | None = None,
        for_body: str | None = None,
        with_documents: list[str] | None = None,
        exclude_documents: list[str] | None = None,
        against: str | None = None,
    ) -> dict[str, Any]:
        args: dict[str, Any] = {
            "clause_id": clause_id,
            "topic": topic,
            "for_body": for_body,
            "with_documents": with_documents,
            "exclude_documents": exclude_documents,
        }
        self._record("draft", args)
        result = draft(self.library, **args, against=against).to_json()
        self.retrieved.update(c["id"] for c in result.get("sources", []))
        self.drafts.append({"args": args, "draft": result})
        return dict(result)

    def revise(
        self,
        document: str,
        for_body: str | None = None,
        with_documents: list[str] | None = None,
        exclude_documents: list[str] | None = None,
    ) -> dict[str, Any]:

        args = {
            "document": document,
            "for_body": for_body,
            "with_documents": with_documents,
            "exclude_documents": exclude_documents,
        }
        self._record("revise", args)
        result = revise(
            self.library,
            self._document_id(document),
            for_body=for_body,
            with_documents=[self._document_id(d) for d in with_documents or []] or None,
            exclude_documents=[self._document_id(d) for d in exclude_documents or []] or None,
        ).to_json()
        for clause in result.get("clauses", []):
            self.retrieved.update(clause.get("sources", []))
        self.revisions.append({"args": args, "revision": result})
        return dict(result)

    def _document_id(self, name: str) -> str:
        """A document id from an id or a loose name ('PP-58 Busan'); ``LookupError``."""
        if name in self.catalog.by_id:
            return name
        return str(self.library.resolve_document(name))

    def compare(self, doc_a: str, doc_b: str) -> dict[str, Any]:
        self._record("compare", {"doc_a": doc_a, "doc_b": doc_b})
        return dict(compare(self.library, doc_a, doc_b).to_json())


def for_model(name: str, result: Any) -> Any:
    """A tool's result as the chat model reads it: a revision without its kept clauses and
    spans (the whole of it would not fit)."""
    if name != "revise" or not isinstance(result, dict) or "clauses" not in result:
        return result
    changed = [
        {k: c[k] for k in ("id", "status", "section", "label", "sub", "text", "base", "sources")}
        for c in result["clauses"]
        if c.get("status") != "kept"
    ]
    return {**{k: v for k, v in result.items() if k != "clauses"}, "changed_clauses": changed}


def redline(old: str, new: str) -> tuple[str, list[dict[str, Any]]]:
    """Word-level changes from ``old`` to ``new``: Markdown with ``<del>``/``<ins>``, and the
    edits (:mod:`assistant.text.redline`, the same marks as comparisons and the web page)."""

    edits = diff_words(old, new)
    return to_markdown(edits), [e.to_json() for e in edits if e.kind != "equal"]
