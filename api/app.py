"""The FastAPI app factory: routes, the one error shape, CORS (off unless configured), the page."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders

from api.deps import library_of
from api.errors import install_error_handlers
from api.guard import RequestGuard
from api.ratelimit import RateLimiter
from api.routes import chat, drafting, ingest
from api.routes import library as library_routes
from api.services import AssistantServices
from assistant.index.model import ClauseLibrary
from assistant.settings import Settings

log = logging.getLogger("api")
STATIC = Path(__file__).resolve().parent / "static"
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

DESCRIPTION = """Query, align and harmonize ITU resolutions with cited answers.

Every error has one shape: `{"error": {"status", "code", "message", "details"}}`.
`POST /ask` and `POST /draft` are rate limited per client (429 with `Retry-After`);
`POST /ingest` needs `Authorization: Bearer <RESOLUTIONS_API_TOKEN>` (no token: uploads off).
The web page is at `/`."""


def create_app(
    settings: Settings | None = None,
    *,
    library: ClauseLibrary | None = None,
    services: Any = None,
    warm: bool = False,
) -> FastAPI:
    """Build the app. ``library`` and ``services`` default to the real ones, built on first use
    (``warm=True``: built in the background at startup, so the first question is fast)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        cleared = ingest.clear_staging(settings.home / "uploads")
        if cleared:
            log.info("removed %d unfinished upload(s) left by an earlier run", cleared)
        if warm:
            threading.Thread(target=_warm_up, args=(app,), daemon=True).start()
        yield

    app = FastAPI(
        title="Resolutions assistant", version="0.1.0", description=DESCRIPTION, lifespan=lifespan
    )
    app.state.settings = settings
    app.state.library = library
    app.state.services = services
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
    app.state.upload_slot = threading.Lock()  # one upload at a time; others get 409 at once
    install_error_handlers(app)
    for module in (library_routes.router, chat.router, drafting.router, ingest.router):
        app.include_router(module)
    app.add_middleware(
        RequestGuard,
        limiter=app.state.rate_limiter,
        max_body_bytes=settings.max_request_bytes,
        max_upload_bytes=settings.max_file_bytes,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_credentials=False,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """``X-Content-Type-Options``, ``Referrer-Policy`` on every response, the page's
    ``Content-Security-Policy`` on ``/`` and ``/static/``: a pure ASGI middleware that edits
    the response's start message (Starlette's ``@app.middleware("http")`` runs each request
    through a task group and a memory stream, a large share of a search's time in the server)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        page = path == "/" or path.startswith("/static/")

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                if page:
                    headers.setdefault("Content-Security-Policy", PAGE_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _warm_up(app: FastAPI) -> None:
    """Open the index and load the embedding model before the first request needs them."""
    try:
        library = library_of(app)
        library.embed(["regional preparatory meetings"])  # the model, even for an empty library
        library.search("regional preparatory meetings", k=1)
        services = app.state.services or AssistantServices(app.state.settings)
        app.state.services = services
        services.respond(library, "What about regional preparatory meetings?", None)
        log.info("library ready")
    except Exception as error:  # the first request will report it properly
        log.warning("warm-up failed: %s", type(error).__name__)


def serving_app() -> FastAPI:
    """The app of ``resolutions serve --workers N`` (settings from the environment)."""
    return create_app(warm=True)
