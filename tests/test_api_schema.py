"""schemathesis against the OpenAPI schema (fake library and services): no 5xx, one error shape."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from api_fakes import FakeLibrary, FakeServices
from hypothesis import HealthCheck, settings

from api.app import create_app
from api.deps import get_library, get_services
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
