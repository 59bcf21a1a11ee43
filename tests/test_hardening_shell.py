"""Hardening of the shells (issue 20): bad settings, forged lines, blank tokens, stale uploads."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_fakes import FakeLibrary, FakeServices
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_library, get_services
from assistant.cli import main
from assistant.settings import Settings


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("RESOLUTIONS_CORS_ORIGINS", "https://a.example", "JSON list"),
        ("RESOLUTIONS_MAX_FILE_BYTES", "abc", "valid integer"),
        ("RESOLUTIONS_RATE_LIMIT_PER_MINUTE", "many", "valid integer"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable(
    variable: str, value: str, expected: str, tmp_path: Path
) -> None:
    env = {variable: value, "RESOLUTIONS_HOME": str(tmp_path)}
    result = CliRunner().invoke(main, ["documents"], env=env)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and variable in lines[0] and expected in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_a_file_name_cannot_forge_a_line(tmp_path: Path) -> None:
    forged = tmp_path / "x.rtf\n5 added, 0 replaced, 0 unchanged, 0 failed; 9 clauses embedded"
    forged.write_bytes(b"junk")
    env = {"RESOLUTIONS_HOME": str(tmp_path / "home")}
    result = CliRunner().invoke(main, ["ingest", str(forged)], env=env)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and "\\n5 added" in errors[0]
    assert result.stdout.strip().startswith("0 added")


def _client(tmp_path: Path, **settings: object) -> TestClient:
    app = create_app(Settings(home=tmp_path / "home", **settings))  # type: ignore[arg-type]
    app.dependency_overrides[get_library] = FakeLibrary
    app.dependency_overrides[get_services] = FakeServices
    return TestClient(app, raise_server_exceptions=False)


def test_a_blank_token_means_uploads_are_off(tmp_path: Path) -> None:
    client = _client(tmp_path, api_token="   ")
    assert client.get("/health").json()["uploads"] is False
    response = client.post(
        "/ingest",
        files={"file": ("a.txt", b"Notes\n\nText.\n", "text/plain")},
        headers={"Authorization": "Bearer    "},
    )
    assert response.status_code == 403


def test_staging_left_by_a_killed_server_is_cleared_at_start(tmp_path: Path) -> None:
    stale = tmp_path / "home" / "uploads" / ".incoming-0123abcd"
    stale.mkdir(parents=True)
    (stale / "half.txt").write_text("half an upload")
    kept = tmp_path / "home" / "uploads" / "kept.txt"
    kept.write_text("a finished upload")
    with _client(tmp_path) as client:
        assert client.get("/health").status_code == 200
    assert not stale.exists() and kept.exists()
