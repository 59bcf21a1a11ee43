"""schemathesis against the OpenAPI schema (fake library and services): no 5xx, one error shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_fakes import CORPUS, FakeLibrary, FakeServices
from hypothesis import HealthCheck, settings

from api.app import create_app
from api.deps import get_library, get_services
from api.services import AssistantServices
from assistant.settings import Settings


def build_app() -> Any:
    import tempfile

    home = tempfile.mkdtemp(prefix="api-schema-")
    app = create_app(
        Settings(
            home=home, api_token="schema-token", rate_limit_per_minute=0, max_file_bytes=20_000
        )
    )
    library, services = FakeLibrary(), FakeServices()
    app.dependency_overrides[get_library] = lambda: library
    app.dependency_overrides[get_services] = lambda: services
    return app


schema = schemathesis.openapi.from_asgi("/openapi.json", build_app())


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors_and_one_error_shape(case: Any) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:300])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}
        assert set(body["error"]) == {"status", "code", "message", "details"}
        assert body["error"]["status"] == response.status_code


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


_real: dict[str, Any] = {}


def real_library() -> Any:
    """The real library over the sample corpus (fake embedder), built on the first request."""
    if "library" not in _real:
        import atexit
        import tempfile

        from assistant.index.library import Library
        from tests.fakes import FakeEmbedder

        folder = tempfile.TemporaryDirectory(prefix="api-schema-real-")
        atexit.register(folder.cleanup)
        home = Settings(home=Path(folder.name) / "home", corpus=CORPUS)
        library = Library(home, embedder=FakeEmbedder())
        assert not library.ingest().failed
        _real["library"] = library
    return _real["library"]


def build_real_app() -> Any:
    app = create_app(Settings(home=Path("/nonexistent"), rate_limit_per_minute=0))
    app.dependency_overrides[get_library] = real_library
    app.dependency_overrides[get_services] = lambda: AssistantServices(real_library().settings)
    return app


real = schemathesis.openapi.from_asgi("/openapi.json", build_real_app())


@real.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_real_modules_never_answer_5xx(case: Any) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:300])
