"""Dependencies of the routes, as ``Annotated`` aliases (override the ``get_*`` in tests).

``app.dependency_overrides[get_library] = lambda: fake`` swaps the library; the same for
:func:`get_services` and :func:`get_settings`.

These three are ``async``: they only read the app's state (building an object on first use),
and FastAPI runs a plain ``def`` dependency in the thread pool, a hop to a worker thread and
back per dependency per request (a sync route then takes its own).
"""

from __future__ import annotations

import hmac
import threading
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from api.services import AssistantServices, Services
from assistant.settings import Settings

_library_lock = threading.Lock()


async def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def library_of(app: Any) -> Any:
    """The one :class:`~assistant.index.library.Library` of an app, built on first use."""
    state = app.state
    library = getattr(state, "library", None)
    if library is None:
        with _library_lock:
            library = getattr(state, "library", None)
            if library is None:
                from assistant.index.library import Library

                library = state.library = Library(state.settings)
    return library


async def get_library(request: Request) -> Any:
    """The library of this process (override in tests)."""
    return library_of(request.app)


LibraryDep = Annotated[Any, Depends(get_library)]


async def get_services(request: Request, settings: SettingsDep) -> Services:
    """Chat, drafting, alignment, comparison, Word export and conversations."""
    state = request.app.state
    services = getattr(state, "services", None)
    if services is None:
        services = state.services = AssistantServices(settings)
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


_bearer = HTTPBearer(auto_error=False, description="RESOLUTIONS_API_TOKEN of the server")


def require_token(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Writes need the bearer token; with no token configured, writes are off."""
    expected = settings.api_token
    if not expected:
        raise ApiError(
            403,
            "Uploads are off on this server: no API token is configured "
            "(set RESOLUTIONS_API_TOKEN and restart).",
            code="uploads_disabled",
        )
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(
            401,
            "Missing or wrong bearer token: send 'Authorization: Bearer <RESOLUTIONS_API_TOKEN>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )


TokenRequired = Depends(require_token)
