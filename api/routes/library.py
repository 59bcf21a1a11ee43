"""Read-only routes over the library: health, documents, clauses, search."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.deps import LibraryDep, SettingsDep
from api.errors import ERROR_RESPONSES
from api.schemas import CITATION_EXAMPLE, DOCUMENT_ID, Health
from assistant.answering.ranking import Order, search_ordered
from assistant.errors import NotFoundError
from assistant.index.model import ClauseLibrary
from assistant.settings import MAX_QUESTION_CHARS, library_identity
from ingest.model import Document, citation, document_structure, document_summary

router = APIRouter(responses=ERROR_RESPONSES)


def _version() -> str:
    try:
        return version("resolution-assistant")
    except PackageNotFoundError:
        return "unknown"


@router.get("/health", tags=["meta"])
async def health(request: Request, settings: SettingsDep) -> Health:
    """Liveness: answers at once, without loading the index or the model (and without a
    worker thread, so it answers while every thread is busy)."""
    ready = getattr(request.app.state, "library", None) is not None
    return Health(
        status="ok",
        version=_version(),
        library="ready" if ready else "not loaded yet",
        uploads=bool(settings.api_token),
        library_id=library_identity(settings),
    )


DOCUMENTS_EXAMPLE = [
    {
        "document": DOCUMENT_ID,
        "kind": "resolution",
        "body": "WTSA",
        "number": "43",
        "revision": "Rev. New Delhi, 2024",
        "title": "Regional preparations for world telecommunication standardization assemblies",
        "status": "in force",
        "name": "WTSA Res. 43 (Rev. New Delhi, 2024)",
        "clauses": 37,
    }
]


@router.get(
    "/documents",
    tags=["library"],
    responses={200: {"content": {"application/json": {"example": DOCUMENTS_EXAMPLE}}}},
)
def documents(library: LibraryDep) -> list[dict[str, Any]]:
    """Summaries of the indexed documents (id in ``document``, citation fields, clause count)."""
    return list(library.documents())


def find_document(library: ClauseLibrary, name: str) -> Document:
    """A document by id, or by a loose name (``WTSA 43``); ``NotFoundError`` names what to do."""
    try:
        return library.document(name)
    except NotFoundError:
        pass
    try:
        return library.document(library.resolve_document(name))
    except NotFoundError as error:
        raise NotFoundError(f"No document {name!r}; GET /documents lists them.") from error


@router.get("/documents/{document_id}", tags=["library"])
def document(library: LibraryDep, document_id: str) -> dict[str, Any]:
    """The structure of one document: sections and their clauses (as ``resolutions parse``).

    The id may also be a loose name such as ``WTSA 43``.
    """
    return document_structure(find_document(library, document_id))


@router.get(
    "/clauses/{clause_id:path}",
    tags=["library"],
    responses={200: {"content": {"application/json": {"example": CITATION_EXAMPLE}}}},
)
def clause(
    library: LibraryDep,
    clause_id: str,
    context: Annotated[bool, Query(description="Add the document, section and neighbours")] = False,
) -> dict[str, Any]:
    """The citation object of one clause; with ``context=true`` also where it sits."""
    try:
        found: dict[str, Any] = dict(library.clause(clause_id))
    except NotFoundError as error:
        raise NotFoundError(
            f"No clause with id {clause_id!r}; GET /documents/{{id}} lists the "
            "ids of a document, GET /search finds clauses."
        ) from error
    if context:
        found["context"] = clause_context(library.document(found["document"]), clause_id)
    return found


def clause_context(doc: Document, clause_id: str) -> dict[str, Any]:
    """The document summary, the section (heading, kind) and the clauses before and after."""
    ordered = doc.clauses()
    index = next((i for i, (_, c) in enumerate(ordered) if c.id == clause_id), None)
    if index is None:
        return {"document": document_summary(doc), "section": None, "previous": None, "next": None}
    section = ordered[index][0]

    def near(position: int) -> dict[str, Any] | None:
        if 0 <= position < len(ordered):
            sec, cla = ordered[position]
            return citation(doc, sec, cla)
        return None

    return {
        "document": document_summary(doc),
        "section": {
            "heading": section.heading,
            "kind": section.kind,
            "keyword": section.keyword,
            "clauses": len(section.clauses),
        },
        "previous": near(index - 1),
        "next": near(index + 1),
    }


@router.get(
    "/search",
    tags=["library"],
    responses={
        200: {"content": {"application/json": {"example": [{**CITATION_EXAMPLE, "score": 0.8312}]}}}
    },
)
def search(
    library: LibraryDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUESTION_CHARS,
            examples=["timing of regional preparatory meetings"],
        ),
    ],
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    body: Annotated[str | None, Query(max_length=100, examples=["WTSA"])] = None,
    document: Annotated[str | None, Query(max_length=200, examples=[DOCUMENT_ID])] = None,
    order: Annotated[
        Order,
        Query(
            description="search: by how well words and meaning match; answerer: by the "
            "probability that the clause answers the query as a question (each with support)"
        ),
    ] = "search",
) -> list[dict[str, Any]]:
    """Ranked clauses for a query (hybrid search): citation objects with ``score``; with
    ``order=answerer``, in the answerer's order, each with ``support``."""
    filters: dict[str, str | list[str]] = {}
    if body:
        filters["body"] = body
    if document:
        filters["document"] = document
    return search_ordered(library, q, k, filters or None, order)
