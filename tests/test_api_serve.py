"""`resolutions serve` as a user runs it, and the rate limiter's window."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from api.ratelimit import RateLimiter, retry_after_header
from tests.conftest import free_port


def test_serve_starts_on_loopback_and_answers_health(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "RESOLUTIONS_HOME": str(tmp_path / "home"), "HF_HUB_OFFLINE": "1"}
    env.pop("RESOLUTIONS_API_TOKEN", None)
    command = [str(Path(sys.executable).parent / "resolutions"), "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        assert health["status"] == "ok" and health["uploads"] is False
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert "Resolutions assistant" in page.text
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert "uploads are off" in err and f"127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_rate_limiter_window_slides() -> None:
    now = [1000.0]
    limiter = RateLimiter(2, window=60, clock=lambda: now[0])
    assert limiter.check("a") == 0 and limiter.check("a") == 0
    wait = limiter.check("a")
    assert 59 <= wait <= 60 and retry_after_header(wait) == {"Retry-After": "60"}
    assert limiter.check("b") == 0
    now[0] += 30
    assert 29 <= limiter.check("a") <= 30
    now[0] += 30.5
    assert limiter.check("a") == 0
    assert RateLimiter(0).check("a") == 0
