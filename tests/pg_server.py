"""A throwaway PostgreSQL server (Debian's package) on 127.0.0.1 at a free port, for tests.

``initdb`` into a fresh folder under /tmp, run as the ``postgres`` user when the tests run as
root (postgres refuses to run as root), with fsync off (a test server: speed over durability).
Skips when the server binaries are missing, except on CI (``CI=true``), where ``.ci/run``
installs them and a skip would hide a missing install step.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def running_postgres(database: str = "library") -> Iterator[str]:
    """Start a server, create ``database``; yield its SQLAlchemy URL; stop and delete it."""
    binaries = postgres_bin()
    if binaries is None:
        message = "PostgreSQL is not installed (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ": .ci/run installs it")
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="resolutions-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    port = free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    try:
        subprocess.run(
            _as_postgres(
                [str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "resolutions",
                 "--no-sync", "-E", "UTF8"]
            ),
            **run,
        )  # fmt: skip
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                [str(binaries / "pg_ctl"), "-D", str(data), "-o", options,
                 "-l", str(folder / "server.log"), "-w", "-t", "60", "start"]
            ),
            **run,
        )  # fmt: skip
        base = f"postgresql+psycopg://resolutions@127.0.0.1:{port}"
        _create_database(f"{base}/postgres", database)
        yield f"{base}/{database}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(folder, ignore_errors=True)


def _create_database(url: str, name: str) -> None:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(plain, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def create_database(url: str, name: str) -> str:
    """Another database on the same server as ``url``; its URL."""
    base = url.rsplit("/", 1)[0]
    _create_database(f"{base}/postgres", name)
    return f"{base}/{name}"
