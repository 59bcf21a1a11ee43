"""One error shape for every error the API returns.

Every 4xx and 5xx body is ``{"error": {"status": int, "code": str, "message": str,
"details": [...]}}``: ``code`` is a stable machine word (``not_found``, ``invalid_request``, ...),
``message`` one readable sentence that says what is wrong and what to do, ``details`` optional
field-level problems (validation). Tests pin this shape for every error path.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import AssistantError
from assistant.index.ingest_state import IngestBusyError
from ingest.errors import IngestError, LimitError, UnsupportedFileError

log = logging.getLogger("api")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class ErrorDetail(BaseModel):
    """One problem with one field of the request."""

    field: str = Field(examples=["query.k"])
    message: str = Field(examples=["Input should be less than or equal to 50"])


class ErrorBody(BaseModel):
    status: int = Field(examples=[404])
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["No clause with id 'pp-58/x/1'; GET /search finds clauses."])
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody


class ApiError(Exception):
    """An error with a status, a code and a message for the client."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.headers = headers


class ServiceUnavailable(ApiError):
    """A feature whose module is not installed or not ready."""

    def __init__(self, message: str) -> None:
        super().__init__(503, message)


def error_body(
    status: int, message: str, code: str | None = None, details: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The JSON of one error (also used inside Server-Sent Events)."""
    return {
        "error": {
            "status": status,
            "code": code or CODES.get(status, "error"),
            "message": message,
            "details": details or [],
        }
    }


def error_response(
    status: int,
    message: str,
    code: str | None = None,
    details: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        error_body(status, message, code, details), status_code=status, headers=headers
    )


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.code, headers=exc.headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else CODES.get(exc.status_code, "error")
    if exc.status_code == 404 and message == "Not Found":
        message = f"No route {request.url.path}; see /docs for the endpoints."
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}; see /docs."
    return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        {"field": _field(err.get("loc", ())), "message": str(err.get("msg", ""))}
        for err in exc.errors()
    ]
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:3])
    return error_response(
        422, f"Invalid request ({summary}); see /docs for the schema.", details=details
    )


async def _assistant_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AssistantError)
    message = str(exc.args[0]) if exc.args else type(exc).__name__
    if exc.status >= 500:
        log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, message)
    return error_response(exc.status, message)


async def _ingest_error(request: Request, exc: Exception) -> JSONResponse:
    status = 415 if isinstance(exc, UnsupportedFileError) else 422
    status = 413 if isinstance(exc, LimitError) else status
    return error_response(status, str(exc), code="unreadable_file" if status == 422 else None)


async def _ingest_busy(request: Request, exc: Exception) -> JSONResponse:
    message = "The index is busy: another ingest is running on the server; try again in a minute."
    return error_response(409, message, code="ingest_busy", headers={"Retry-After": "30"})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error(
        "unexpected error on %s %s: %s",
        request.method,
        request.url.path,
        type(exc).__name__,
        exc_info=log.isEnabledFor(logging.DEBUG),
    )
    return error_response(500, "Internal error; the server log has the details.")


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of failure to the one error shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(IngestError, _ingest_error)
    app.add_exception_handler(IngestBusyError, _ingest_busy)
    app.add_exception_handler(AssistantError, _assistant_error)
    app.add_exception_handler(Exception, _unexpected)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": code.replace("_", " ")}
    for status, code in CODES.items()
    if status in (400, 404, 422, 503)
}

RATE_LIMITED_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorResponse, "description": "rate limited: wait the seconds in Retry-After"}
}
