"""schemathesis 4 against the OpenAPI schema of the app over the REAL library and services.

tests/test_api_schema.py fuzzes the routes over fakes; here the same generated requests go through
the real Library (Chroma, BM25, the sample corpus; the fake embedder keeps it fast), the agent,
alignment, drafting, comparison, Word export and uploads (with the token, so the parsers see
fuzzed files too). In-process (ASGI). Check: no 5xx, and every error in the one shape.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from api.app import create_app
from assistant.index.library import Library
from assistant.settings import Settings
from tests.conftest import CORPUS
from tests.fakes import FakeEmbedder

TOKEN = "schemathesis-token"


class LazyLibrary:
    """The real Library, built (sample corpus ingested with the fake embedder) on first use, so
    collecting the tests costs nothing."""

    def __init__(self) -> None:
        self._library: Library | None = None

    def __getattr__(self, name: str) -> Any:
        if self._library is None:
            library = Library(SETTINGS, embedder=FakeEmbedder())
            assert not library.ingest().failed
            self._library = library
        return getattr(self._library, name)


HOME = Path(tempfile.mkdtemp(prefix="schemathesis-")) / "home"  # mkdtemp only: cheap
atexit.register(shutil.rmtree, HOME.parent, True)
SETTINGS = Settings(
    home=HOME, corpus=CORPUS, api_token=TOKEN, rate_limit_per_minute=0, max_file_bytes=20_000
)
LIBRARY = LazyLibrary()
# pytest 9 breaks schemathesis.pytest.from_fixture ('Function' has no '_nodeid'): load eagerly
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(SETTINGS, library=LIBRARY))


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_over_the_real_library(case: Any) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"} if case.path == "/ingest" else None
    response = case.call(headers=headers)
    assert response.status_code < 500, (
        case.method,
        case.path,
        case.query,
        case.body,
        response.text[:500],
    )
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}
        assert body["error"]["status"] == response.status_code


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
