"""POST /ingest: the token, the size limit, safe names, clear 4xx, nothing half done, quiet logs."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path
from typing import Any

import pytest
from api_fakes import CORPUS, FakeLibrary, FakeServices
from fastapi.testclient import TestClient
from test_api import assert_error

from api.app import create_app
from api.deps import get_library, get_services
from api.errors import ApiError
from api.routes.ingest import safe_name
from assistant.settings import Settings

TOKEN = "t0ken-that-must-never-be-logged"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
RESOLUTION = (CORPUS / "WRC-72-Rev-WRC-19.txt").read_bytes()


@pytest.fixture
def library() -> FakeLibrary:
    return FakeLibrary([])


def make(tmp_path: Path, library: FakeLibrary, **settings: Any) -> TestClient:
    app = create_app(Settings(home=tmp_path / "home", **settings))
    app.dependency_overrides[get_library] = lambda: library
    app.dependency_overrides[get_services] = FakeServices
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(tmp_path: Path, library: FakeLibrary) -> TestClient:
    return make(tmp_path, library, api_token=TOKEN, max_file_bytes=50_000)


def upload(
    client: TestClient,
    name: str,
    data: bytes,
    headers: dict[str, str] | None = None,
) -> Any:
    return client.post(
        "/ingest",
        files={"file": (name, data, "text/plain")},
        headers=AUTH if headers is None else headers,
    )


def uploads(tmp_path: Path) -> list[str]:
    folder = tmp_path / "home" / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_upload_parses_and_ingests(
    client: TestClient, library: FakeLibrary, tmp_path: Path
) -> None:
    response = upload(client, "wrc72.txt", RESOLUTION)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["file"] == "wrc72.txt" and body["added"] == ["wrc-72-rev-wrc-19"]
    assert body["documents"][0]["body"] == "WRC" and body["documents"][0]["clauses"] > 5
    assert uploads(tmp_path) == ["wrc72.txt"]
    assert library.ingested == [str((tmp_path / "home" / "uploads" / "wrc72.txt").resolve())]


def test_no_token_configured_means_uploads_are_off(tmp_path: Path, library: FakeLibrary) -> None:
    client = make(tmp_path, library)
    error = assert_error(upload(client, "a.txt", RESOLUTION), 403)
    assert "RESOLUTIONS_API_TOKEN" in error["message"]
    assert library.ingested == []


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
    ],
)
def test_wrong_or_missing_token(
    client: TestClient, library: FakeLibrary, headers: dict[str, str]
) -> None:
    response = upload(client, "a.txt", RESOLUTION, headers=headers)
    assert_error(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert library.ingested == []


@pytest.mark.parametrize(
    "name",
    [
        "../../evil.txt",
        "..\\..\\evil.txt",
        "/etc/evil.txt",
        "sub/dir/evil.txt",
        "C:\\Windows\\evil.txt",
    ],
)
def test_names_cannot_escape_the_data_dir(client: TestClient, tmp_path: Path, name: str) -> None:
    assert upload(client, name, RESOLUTION).status_code == 200
    assert uploads(tmp_path) == ["evil.txt"]
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "home" / "evil.txt").exists()


@pytest.mark.parametrize("name", ["..", "...", "", "   ", "/", "x/.."])
def test_unusable_names(name: str) -> None:
    with pytest.raises(ApiError) as caught:
        safe_name(name)
    assert caught.value.status in (415, 422)


def test_over_the_size_limit(client: TestClient, library: FakeLibrary, tmp_path: Path) -> None:
    error = assert_error(upload(client, "big.txt", RESOLUTION * 40), 413)
    assert "RESOLUTIONS_MAX_FILE_BYTES" in error["message"]
    assert library.ingested == [] and uploads(tmp_path) == []


def test_declared_length_is_refused_before_reading(client: TestClient) -> None:
    response = client.post(
        "/ingest",
        content=b"x" * 10,
        headers={
            **AUTH,
            "Content-Type": "multipart/form-data; boundary=b",
            "Content-Length": "99999999",
        },
    )
    assert_error(response, 413)


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("notes.pdf", b"%PDF-1.4", 415),
        ("empty.txt", b"", 422),
        ("junk.txt", bytes(range(256)) * 20, 415),
        ("fake.docx", b"this is not a zip", 422),
        ("truncated.docx", b"", 422),
    ],
)
def test_bad_files_get_a_clear_4xx_and_leave_nothing(
    client: TestClient, library: FakeLibrary, tmp_path: Path, name: str, data: bytes, status: int
) -> None:
    if name == "truncated.docx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>" * 100)
        data = buffer.getvalue()[:-40]
    response = upload(client, name, data)
    assert response.status_code in (415, 422), response.text
    error = assert_error(response, response.status_code)
    assert status in (415, 422) and name in error["message"]
    assert "home" not in error["message"]  # no server paths
    assert library.ingested == [] and uploads(tmp_path) == []


def test_not_multipart(client: TestClient) -> None:
    response = client.post(
        "/ingest", content=RESOLUTION, headers={**AUTH, "Content-Type": "text/plain"}
    )
    assert_error(response, 415)


def test_missing_file_field(client: TestClient) -> None:
    response = client.post("/ingest", files={"other": ("a.txt", b"x")}, headers=AUTH)
    assert_error(response, 422)


def test_no_token_or_document_text_in_logs(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    upload(client, "wrc72.txt", RESOLUTION)
    upload(client, "junk.txt", b"\x00\x01" * 500)
    client.post("/ask", json={"question": "frequency spectrum"})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert TOKEN not in logged
    sample = RESOLUTION.decode("utf-8")[400:480]
    assert sample not in logged


def test_a_refused_ingest_leaves_the_folder_as_it_was(
    client: TestClient, library: FakeLibrary, tmp_path: Path
) -> None:
    assert upload(client, "wrc72.txt", RESOLUTION).status_code == 200
    kept = (tmp_path / "home" / "uploads" / "wrc72.txt").read_bytes()

    def refuse(paths: Any = None, progress: Any = None, parsed: Any = ()) -> Any:
        report = FakeLibrary.ingest(library, [])
        report.failed.append(
            {"file": paths[0], "line": 0, "reason": f"clash with {tmp_path}/home/other.txt"}
        )
        return report

    library.ingest = refuse  # type: ignore[method-assign]
    changed = RESOLUTION.replace(b"WRC", b"WRX", 3)
    error = assert_error(upload(client, "wrc72.txt", changed), 422)
    assert str(tmp_path) not in error["message"] and "other.txt" in error["message"]
    assert uploads(tmp_path) == ["wrc72.txt"]
    assert (tmp_path / "home" / "uploads" / "wrc72.txt").read_bytes() == kept
