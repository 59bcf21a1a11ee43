"""``POST /ingest``: upload one .txt, .md or .docx (bearer token; size limit; safe file names).

The body is read only after the token is checked, and never past the size limit. The file is
parsed in a private folder first; only a file that parses is moved into ``<home>/uploads/`` and
ingested, so a bad upload leaves the index and the data directory as they were.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import uuid
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect

from api.deps import LibraryDep, SettingsDep, TokenRequired
from api.errors import ERROR_RESPONSES, ApiError, ErrorResponse
from api.guard import MULTIPART_OVERHEAD
from api.schemas import IngestResult
from assistant.index.model import ClauseLibrary
from ingest.errors import IngestError, LimitError, UnsupportedFileError
from ingest.limits import ParseLimits
from ingest.loader import SUPPORTED_SUFFIXES, ParsedFile, load_file
from ingest.model import document_summary

router = APIRouter(tags=["ingest"])
STAGING_PREFIX = ".incoming-"

UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "A .txt, .md, .docx or .pdf file",
                    }
                },
            }
        }
    },
}
INGEST_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    **{
        status: {"model": ErrorResponse, "description": text}
        for status, text in {
            401: "missing or wrong bearer token",
            403: "uploads are off (no token configured)",
            409: "another upload or ingest is running; retry after Retry-After",
            413: "file over the size limit",
            415: "unsupported format",
            422: "the file could not be read or parsed",
        }.items()
    },
}


def safe_name(raw: str) -> str:
    """The base name of an uploaded file, reduced to safe characters; never a path."""
    name = PurePosixPath(PureWindowsPath(raw or "").name).name
    name = re.sub(r"[^A-Za-z0-9._ -]+", "_", name).strip(" .")
    if not name or name.startswith("."):
        raise ApiError(422, "The upload has no usable file name; name it like 'res-58.txt'.")
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ApiError(
            415,
            f"Unsupported format {suffix or '(no extension)'!r} for {name!r}; "
            "upload .txt, .md, .docx or .pdf.",
        )
    return name[-120:]


async def read_capped(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) as soon as it passes ``limit`` bytes."""
    too_large = ApiError(
        413,
        f"The upload is over the limit of {limit - MULTIPART_OVERHEAD:,} "
        "bytes (the server's RESOLUTIONS_MAX_FILE_BYTES).",
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise too_large
            chunks.append(chunk)
    except ClientDisconnect as error:
        raise ApiError(400, "The upload was cut off before its end; send it again.") from error
    return b"".join(chunks)


async def uploaded_file(request: Request, max_bytes: int) -> tuple[str, bytes]:
    """The name and bytes of the ``file`` field of a multipart body."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(415, "Send the file as multipart/form-data in a field named 'file'.")
    body = await read_capped(request, max_bytes + MULTIPART_OVERHEAD)
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=1, max_fields=5)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(422, "No file in the upload: send it in a form field named 'file'.")
        data = await upload.read()
        name = safe_name(upload.filename or "")
    finally:
        await form.close()
    if len(data) > max_bytes:
        raise ApiError(
            413,
            f"{name} is {len(data):,} bytes, over the limit of {max_bytes:,} "
            "(the server's RESOLUTIONS_MAX_FILE_BYTES).",
        )
    return name, data


def _no_paths(text: str) -> str:
    """A message without the server's absolute paths (file names are kept)."""
    return re.sub(r"(?<![\w.])/(?:[^\s/'\"]+/)+([^\s/'\"]+)", r"\1", text)


def parse_and_ingest(
    library: ClauseLibrary,
    uploads: Path,
    name: str,
    data: bytes,
    limits: ParseLimits,
    replace: bool = False,
) -> IngestResult:
    """Parse in a private folder; if it parses, move it into ``uploads`` and ingest it.

    The file is parsed once: the index takes the parse made here. If the index refuses it, the
    folder is put back as it was (an earlier file of the same name is restored). The caller
    holds the upload slot, so no other upload of this process runs meanwhile. ``replace``: a
    document whose id another file gave is replaced by the upload's (else refused, 422)."""
    uploads.mkdir(parents=True, exist_ok=True)
    final = (uploads / name).resolve()
    if final.parent != uploads.resolve():
        raise ApiError(422, "The file name would leave the upload folder; rename the file.")
    staging = uploads / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        trial = staging / name
        trial.write_bytes(data)
        parsed = _parse(trial, name, limits)
        previous = staging / "previous"
        if final.exists():
            os.replace(final, previous)
        os.replace(trial, final)
        parsed.path = str(final)
        for document in parsed.documents:
            document.source = str(final)
        try:
            if replace:
                report = library.ingest([str(final)], parsed=[parsed], replace=True)
            else:  # the call as it was before replace existed
                report = library.ingest([str(final)], parsed=[parsed])
        except BaseException:
            _restore(final, previous)
            raise
        refused = [f for f in report.failed if not f.get("part")]
        if refused:
            _restore(final, previous)
            reasons = "; ".join(_failure_message(f) for f in refused)
            raise ApiError(422, f"{name}: {reasons}", code="unreadable_file")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return IngestResult(
        file=name,
        documents=[
            {
                **document_summary(doc),
                "source": name,
                "clauses": sum(len(s.clauses) for s in doc.sections),
            }
            for doc in parsed.documents
        ],
        added=list(report.added),
        replaced=list(report.replaced),
        unchanged=list(report.unchanged),
        clauses=int(report.clauses),
        skipped=[
            {"line": f.get("line", 0), "reason": _failure_message(f)}
            for f in report.failed
            if f.get("part")
        ],
    )


def _failure_message(failure: dict[str, Any]) -> str:
    """A refusal as the API says it: an id from another file names ``replace=true``."""
    if failure.get("code") == "already_indexed":
        owner = Path(str(failure.get("owner", ""))).name
        return (
            f"document id {failure.get('document')!r} is already in the library from {owner}; "
            "send the file again with replace=true to replace it, or remove that document first"
        )
    return _no_paths(str(failure.get("reason", "")))


def clear_staging(uploads: Path) -> int:
    """Remove the staging folders that a server killed during uploads left behind."""
    if not uploads.is_dir():
        return 0
    stale = [p for p in uploads.iterdir() if p.is_dir() and p.name.startswith(STAGING_PREFIX)]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return len(stale)


def _parse(path: Path, name: str, limits: ParseLimits) -> ParsedFile:
    try:
        return load_file(path, limits=limits)
    except IngestError as error:
        where = f"{name}:{error.line}" if error.line else name
        status = (
            415
            if isinstance(error, UnsupportedFileError)
            else 413
            if isinstance(error, LimitError)
            else 422
        )
        raise ApiError(
            status,
            f"{where}: {_no_paths(error.reason)}",
            code="unreadable_file" if status == 422 else None,
        ) from error


def _restore(final: Path, previous: Path) -> None:
    final.unlink(missing_ok=True)
    if previous.exists():
        os.replace(previous, final)


@router.post(
    "/ingest",
    dependencies=[TokenRequired],
    responses=INGEST_ERRORS,
    openapi_extra={"requestBody": UPLOAD_BODY},
)
async def ingest(
    request: Request, library: LibraryDep, settings: SettingsDep, replace: bool = False
) -> IngestResult:
    """Upload one .txt, .md, .docx or .pdf and index it; returns what was parsed from it.

    ``replace=true``: a resolution whose id is already indexed from another file is replaced
    by the upload's (without it, the upload is refused with 422 and a message saying so). A
    file holding several resolutions gives one document each; one that does not parse is
    listed in ``skipped`` and the others are indexed.

    Needs ``Authorization: Bearer <RESOLUTIONS_API_TOKEN>``; with no token configured on the
    server, uploads are off (403). One upload at a time: while one is read, parsed or indexed,
    another gets 409 at once (retry after ``Retry-After``), so uploads never queue up.
    """
    slot: threading.Lock = request.app.state.upload_slot
    if not slot.acquire(blocking=False):
        raise ApiError(
            409,
            "Another upload is being indexed on this server; send this one again in a moment.",
            code="ingest_busy",
            headers={"Retry-After": "10"},
        )
    try:
        name, data = await uploaded_file(request, settings.max_file_bytes)
        uploads = settings.home / "uploads"
        return await run_in_threadpool(
            parse_and_ingest, library, uploads, name, data, settings.parse_limits(), replace
        )
    finally:
        slot.release()
