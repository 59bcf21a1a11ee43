"""Drafting routes: alignment (the annex), harmonized drafts, comparison of versions, and a
whole resolution revised with the wording of its counterparts.

Each returns JSON, or a Word document with ``?format=docx`` or ``Accept: <docx type>``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from api.deps import LibraryDep, ServicesDep
from api.errors import ERROR_RESPONSES, RATE_LIMITED_RESPONSES, ApiError
from api.schemas import CITATION_EXAMPLE, CLAUSE_ID, DOCUMENT_ID, DraftRequest
from assistant.errors import NotFoundError
from assistant.index.model import ClauseLibrary
from ingest.model import slugify

router = APIRouter(responses=ERROR_RESPONSES, tags=["drafting"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
Format = Annotated[
    Literal["json", "docx"] | None,
    Query(description=f"'docx' for a Word file (same as Accept: {DOCX})"),
]


def docx_or_json(example: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI of a 200 that is JSON (with an example) or a Word file."""
    return {
        200: {
            "content": {
                "application/json": {"example": example},
                DOCX: {"schema": {"type": "string", "format": "binary"}},
            },
            "description": "JSON, or the .docx with format=docx",
        }
    }


ALIGN_EXAMPLE = {"groups": [{"clauses": [CITATION_EXAMPLE], "score": 0.91}]}
DRAFT_EXAMPLE = {
    "text": "to coordinate the timing of regional preparatory meetings ...",
    "spans": [{"text": "to coordinate the timing of", "sources": [CLAUSE_ID]}],
    "sources": [CITATION_EXAMPLE],
    "base": CITATION_EXAMPLE,
}
COMPARE_EXAMPLE = {
    "a": {"document": "pp-58-rev-busan-2014"},
    "b": {"document": "pp-58-rev-doha-2026"},
    "summary": {"added": 14, "removed": 4, "moved": 0, "modified": 20, "unchanged": 10},
    "clauses": [{"status": "modified", "a": CITATION_EXAMPLE, "b": CITATION_EXAMPLE}],
}
REVISE_EXAMPLE = {
    "document": "pp-58-rev-busan-2014",
    "for": "PP",
    "with": ["wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025"],
    "excluded": ["pp-58-rev-doha-2026"],
    "clauses": [
        {
            "id": "pp-58-rev-busan-2014/resolves/1",
            "label": "1",
            "sub": "",
            "section": "resolves",
            "status": "revised",
            "text": "to coordinate the timing of regional preparatory meetings ...",
            "footnotes": [],
            "base": "pp-58-rev-busan-2014/resolves/1",
            "spans": [
                {"text": "to coordinate the timing of", "sources": [CLAUSE_ID]},
                {"text": " regional preparatory meetings ...", "sources": [CLAUSE_ID]},
            ],
            "sources": [CLAUSE_ID],
        }
    ],
    "counts": {"kept": 10, "revised": 12, "added": 2, "clauses": 24},
}


def wants_docx(request: Request, fmt: str | None) -> bool:
    """Whether the client asked for Word (query parameter first, then Accept)."""
    if fmt:
        return fmt == "docx"
    return DOCX in request.headers.get("accept", "")


def docx_response(data: bytes, name: str) -> Response:
    filename = (slugify(name) or "document")[:80] + ".docx"
    return Response(
        data, media_type=DOCX, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _resolve(library: ClauseLibrary, name: str) -> str:
    """The id of the document ``name`` (an id or a loose name such as ``WTSA 43``)."""
    try:
        return str(library.document(name).id)
    except NotFoundError:
        pass
    try:
        return str(library.resolve_document(name))
    except NotFoundError as error:
        raise NotFoundError(f"No document {name!r}; GET /documents lists them.") from error


@router.get("/align", responses=docx_or_json(ALIGN_EXAMPLE))
def align(
    request: Request,
    library: LibraryDep,
    services: ServicesDep,
    doc: Annotated[str, Query(min_length=1, max_length=200, examples=[DOCUMENT_ID])],
    with_: Annotated[
        list[str], Query(alias="with", max_length=20, examples=[["wtdc-31-rev-kigali-2022"]])
    ],
    format: Format = None,
) -> Any:
    """Groups of corresponding clauses across resolutions (``with`` may repeat)."""
    document_id = _resolve(library, doc)
    others = [_resolve(library, name) for name in with_ if name]
    if not others:
        raise ApiError(422, "Name at least one other document with 'with'.")
    if wants_docx(request, format):
        return docx_response(
            services.align_docx(library, document_id, others), f"alignment-{document_id}"
        )
    return services.align(library, document_id, others)


@router.post(
    "/draft",
    responses={**docx_or_json(DRAFT_EXAMPLE), **RATE_LIMITED_RESPONSES},
)
def draft(
    body: DraftRequest,
    request: Request,
    library: LibraryDep,
    services: ServicesDep,
    format: Format = None,
) -> Any:
    """A harmonized wording from a clause (or a topic), each span with its sources.

    With a language model configured, it may smooth the wording; ``smoothing`` then says whether
    its text was kept (only if every word is found in the sources) and why.

    With ``format=docx`` (or the Word ``Accept`` type), the redline against the base as a
    Word document with tracked changes.
    """
    arguments = body.arguments()
    for key in ("with_documents", "exclude_documents"):  # ids or loose names, as elsewhere
        if arguments.get(key):
            arguments[key] = [_resolve(library, name) for name in arguments[key]]
    if wants_docx(request, format):
        name = f"draft-{body.clause_id or body.topic or ''}"
        return docx_response(services.draft_docx(library, arguments), name[:60])
    return services.draft(library, arguments)


@router.get("/compare", responses=docx_or_json(COMPARE_EXAMPLE))
def compare(
    request: Request,
    library: LibraryDep,
    services: ServicesDep,
    a: Annotated[str, Query(min_length=1, max_length=200, examples=["pp-58-rev-busan-2014"])],
    b: Annotated[str, Query(min_length=1, max_length=200, examples=["pp-58-rev-doha-2026"])],
    format: Format = None,
) -> Any:
    """What changed between two versions, clause by clause (added, removed, moved, modified)."""
    doc_a, doc_b = _resolve(library, a), _resolve(library, b)
    if wants_docx(request, format):
        return docx_response(
            services.compare_docx(library, doc_a, doc_b), f"compare-{doc_a}-{doc_b}"
        )
    return services.compare(library, doc_a, doc_b)


@router.get(
    "/revise",
    responses={**docx_or_json(REVISE_EXAMPLE), **RATE_LIMITED_RESPONSES},
)
def revise(
    request: Request,
    library: LibraryDep,
    services: ServicesDep,
    document: Annotated[
        str, Query(min_length=1, max_length=200, examples=["pp-58-rev-busan-2014"])
    ],
    for_: Annotated[
        str | None,
        Query(
            alias="for",
            pattern=r"^[A-Za-z][A-Za-z0-9-]{0,19}$",
            description="revise for the resolution of this body (PP, WTSA, ...; default: the "
            "document's own body)",
            examples=["PP"],
        ),
    ] = None,
    with_: Annotated[
        list[str] | None,
        Query(
            alias="with",
            max_length=20,
            description="take wording from this document (repeat; default: the other resolutions "
            "with counterparts for at least 10% of the document's clauses)",
            examples=[["wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025"]],
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        Query(
            max_length=20,
            description="never use this document (repeat)",
            examples=[["pp-58-rev-doha-2026"]],
        ),
    ] = None,
    format: Format = None,
) -> Any:
    """A whole resolution revised clause by clause with the wording of its counterparts.

    Each clause of ``document`` is merged with its counterparts in the other resolutions (those
    named with ``with``, else every other resolution but ``exclude`` and the document's other
    versions); clauses that two or more of them share (and half of them at least) and the
    document lacks are proposed as added. Each clause has a ``status`` (kept, revised, added)
    and spans naming their sources.

    With ``format=docx`` (or the Word ``Accept`` type), the redline of the document as a Word
    document with tracked changes (``MOD``).
    """
    document_id = _resolve(library, document)
    arguments = {
        "for_body": for_,
        "with_documents": [_resolve(library, name) for name in with_ or [] if name] or None,
        "exclude_documents": [_resolve(library, name) for name in exclude or [] if name] or None,
    }
    if wants_docx(request, format):
        return docx_response(
            services.revise_docx(library, document_id, arguments), f"revision-{document_id}"
        )
    return services.revise(library, document_id, arguments)
