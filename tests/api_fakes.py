"""Fakes for the API tests: a library over the parsed sample corpus, and simple services.

They follow the contracts of the library (Library, Answer/Reply JSON, Alignment, Draft) so the API
can be tested without the index or the model.
"""

from __future__ import annotations

import io
import re
import uuid
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import BadRequestError, NotFoundError
from assistant.index.model import ClauseLibrary, Hit, IngestReport, ProgressCallback
from assistant.settings import Settings
from assistant.text.redline import diff_words, to_markdown
from ingest.loader import ParsedFile, load_file
from ingest.model import Document, citation, document_summary

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
STOP = {
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "on",
    "for",
    "what",
    "do",
    "does",
    "say",
    "about",
    "is",
    "are",
    "how",
    "with",
    "by",
    "be",
    "that",
    "this",
    "it",
    "as",
    "at",
    "or",
}


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP}


class FakeLibrary:
    """Documents parsed from ``corpus/``; search by word overlap; embeddings by hashed words.

    Implements :class:`~assistant.index.model.ClauseLibrary` (mypy checks it: ``make lint``)."""

    def __init__(self, paths: list[Path] | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or Settings(home=Path("/nonexistent/fake-library"))
        self.docs: dict[str, Document] = {}
        self.ingested: list[str] = []
        for path in sorted(CORPUS.glob("*.txt")) if paths is None else paths:
            for doc in load_file(path).documents:
                self.docs[doc.id] = doc

    def documents(self) -> list[dict[str, Any]]:
        return [{**document_summary(d), "clauses": len(d.clauses())} for d in self.docs.values()]

    def document(self, document_id: str) -> Document:
        if document_id not in self.docs:
            raise NotFoundError(f"unknown document {document_id!r}")
        return self.docs[document_id]

    def resolve_document(self, name: str) -> str:
        wanted = words(name)
        for doc_id in self.docs:
            if wanted and wanted <= set(doc_id.split("-")):
                return doc_id
        raise NotFoundError(f"no document matches {name!r}")

    def clause(self, clause_id: str) -> dict[str, Any]:
        for doc in self.docs.values():
            found = doc.clause(clause_id)
            if found:
                return citation(doc, *found)
        raise NotFoundError(f"unknown clause {clause_id!r}")

    def search(
        self, query: str, k: int = 5, filters: dict[str, str | list[str]] | None = None
    ) -> list[Hit]:
        wanted = words(query)
        hits = []
        for doc in self.docs.values():
            if filters and filters.get("body") and doc.body != filters["body"]:
                continue
            for section, clause in doc.clauses():
                overlap = len(wanted & words(clause.full_text + " " + section.heading))
                if overlap:
                    hits.append(Hit(citation(doc, section, clause), overlap / (len(wanted) or 1)))
        hits.sort(key=lambda h: -h.score)
        return hits[:k]

    def nearest(self, texts: Sequence[str], k: int) -> list[list[str]]:
        return [[h.id for h in self.search(text, k)] for text in texts]

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            vector = [0.0] * 64
            for word in words(text):
                vector[zlib.crc32(word.encode()) % 64] += 1.0
            norm = sum(v * v for v in vector) ** 0.5 or 1.0
            vectors.append([v / norm for v in vector])
        return vectors

    def remove(self, document_id: str) -> None:
        del self.docs[self.resolve_document(document_id)]

    def ingest(
        self,
        paths: Sequence[str] | None = None,
        progress: ProgressCallback | None = None,
        parsed: Sequence[ParsedFile] = (),
        replace: bool = False,
    ) -> IngestReport:
        report = IngestReport()
        for path in paths or []:
            for doc in load_file(Path(path)).documents:
                (report.replaced if doc.id in self.docs else report.added).append(doc.id)
                self.docs[doc.id] = doc
                report.clauses += len(doc.clauses())
            self.ingested.append(path)
        return report


class FakeServices:
    """Answers from the top hits; alignment by label; drafts from the first source."""

    def __init__(self) -> None:
        self.conversations: dict[str, list[dict[str, Any]]] = {}

    def respond(self, library: Any, message: str, conversation_id: str | None) -> dict[str, Any]:
        hits = library.search(message, k=3)
        if conversation_id is not None:
            self.conversation(conversation_id)["turns"].append({"question": message})
        if not hits or hits[0].score < 0.5:
            return {
                "status": "not_found",
                "intent": "question",
                "tool_calls": [],
                "answer": f"The ingested resolutions do not address {message!r}.",
                "citations": [],
                "related": [h.citation for h in hits],
            }
        best = hits[0].citation
        return {
            "status": "answered",
            "intent": "question",
            "tool_calls": [{"tool": "search", "args": {"query": message}}],
            "answer": f"{best['text'][:120]} [{best['citation']}]",
            "citations": [best],
            "related": [h.citation for h in hits[1:]],
        }

    def stream(
        self, library: Any, message: str, conversation_id: str | None
    ) -> Iterator[str | dict[str, Any]]:
        reply = self.respond(library, message, conversation_id)
        for word in reply["answer"].split(" "):
            yield word + " "
        yield reply

    def align(self, library: Any, document_id: str, with_ids: list[str]) -> dict[str, Any]:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for doc_id in [document_id, *with_ids]:
            doc = library.document(doc_id)
            for section, clause in doc.clauses():
                if not clause.sub:
                    groups.setdefault((section.keyword, clause.label), []).append(
                        citation(doc, section, clause)
                    )
        return {
            "groups": [{"clauses": c, "score": 0.5 if len(c) > 1 else 0.0} for c in groups.values()]
        }

    def align_docx(self, library: Any, document_id: str, with_ids: list[str]) -> bytes:
        return _docx("Alignment " + document_id)

    def draft(self, library: Any, request: dict[str, Any]) -> dict[str, Any]:
        if request.get("clause_id"):
            base = library.clause(request["clause_id"])
        else:
            hits = library.search(request["topic"], k=1)
            if not hits:
                raise NotFoundError(f"nothing in the library about {request['topic']!r}")
            base = hits[0].citation
        text = base["text"].replace("Union", "International Telecommunication Union")
        text = text.replace(" the ", " all the ", 1) + " of the Union"
        half = len(text) // 2
        return {
            "text": text,
            "spans": [
                {"text": text[:half], "sources": [base["id"]]},
                {  # nothing chosen here, another source has words: the drafter is shown them
                    "text": "",
                    "sources": [base["id"]],
                    "alternatives": [{"text": "in the calendar year", "sources": ["other/id"]}],
                },
                {"text": text[half:], "sources": [base["id"], "other/id"]},
            ],
            "sources": [base],
            "base": base,
            "redline": {
                "against": base,
                "markdown": to_markdown(diff_words(base["text"], text)),
                "changes": [e.to_json() for e in diff_words(base["text"], text)],
            },
        }

    def draft_docx(self, library: Any, request: dict[str, Any]) -> bytes:
        return _docx("MOD " + self.draft(library, request)["text"])

    def compare(self, library: Any, doc_a: str, doc_b: str) -> dict[str, Any]:
        library.document(doc_a)
        library.document(doc_b)
        return {"a": doc_a, "b": doc_b, "changes": []}

    def compare_docx(self, library: Any, doc_a: str, doc_b: str) -> bytes:
        return _docx(f"Compare {doc_a} {doc_b}")

    def revise(self, library: Any, document_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """Every clause kept but the first (revised with a span from another document), plus one
        added clause."""
        base = library.document(document_id)
        excluded = set(request.get("exclude_documents") or ())
        if document_id in excluded:
            raise BadRequestError(f"{document_id} is the document to revise: it cannot be excluded")
        others = [
            d
            for d in request.get("with_documents") or [d["document"] for d in library.documents()]
            if d != document_id and d not in excluded
        ]
        if not others:
            raise BadRequestError(f"no other resolution to revise {document_id} with")
        other = library.document(others[0])
        _, taken = other.clauses()[0]
        clauses = []
        for number, (section, clause) in enumerate(base.clauses()):
            spans = [{"text": clause.text, "sources": [clause.id]}]
            if number == 0:
                spans.append({"text": " " + taken.text, "sources": [taken.id]})
            clauses.append(
                {
                    "id": clause.id,
                    "label": clause.label,
                    "sub": clause.sub,
                    "section": section.heading,
                    "status": "revised" if number == 0 else "kept",
                    "text": "".join(span["text"] for span in spans),
                    "footnotes": clause.footnotes,
                    "base": clause.id,
                    "spans": spans,
                    "sources": list(dict.fromkeys(s for sp in spans for s in sp["sources"])),
                }
            )
        added = {"text": taken.text, "sources": [taken.id]}
        clauses.append(
            {
                **clauses[-1],
                "id": f"{document_id}/added-1",
                "label": "",
                "sub": "",
                "status": "added",
                "text": taken.text,
                "footnotes": [],
                "base": None,
                "spans": [added],
                "sources": [taken.id],
            }
        )
        counts = {status: 0 for status in ("kept", "revised", "added")}
        for entry in clauses:
            counts[entry["status"]] += 1
        return {
            "document": document_id,
            "for": (request.get("for_body") or base.body).upper(),
            "with": others,
            "excluded": sorted(excluded),
            "clauses": clauses,
            "counts": {**counts, "clauses": len(clauses)},
        }

    def revise_docx(self, library: Any, document_id: str, request: dict[str, Any]) -> bytes:
        revision = self.revise(library, document_id, request)
        return _docx("MOD " + " ".join(entry["text"] for entry in revision["clauses"]))

    def new_conversation(self) -> str:
        conversation_id = uuid.uuid4().hex[:12]
        self.conversations[conversation_id] = []
        return conversation_id

    def conversation(self, conversation_id: str) -> dict[str, Any]:
        if conversation_id not in self.conversations:
            raise NotFoundError(f"No conversation {conversation_id!r}")
        return {"id": conversation_id, "turns": self.conversations[conversation_id]}


def _docx(text: str) -> bytes:
    from docx import Document as WordDocument

    document = WordDocument()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


if TYPE_CHECKING:  # mypy checks that the fake has what the shells and the domain need
    _conforms: type[ClauseLibrary] = FakeLibrary
