"""``resolutions serve``: the HTTP API and the web page (imports ``api`` only when run)."""

from __future__ import annotations

import copy
from typing import Any

import click

from assistant.cli.common import settings_from, stderr


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 exposes it to the network).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (share the index through RESOLUTIONS_CHROMA_URL; the "
    "rate limit is counted per process).",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the API and the web chat page (open http://HOST:PORT/ in a browser).

    Uploads (POST /ingest) need RESOLUTIONS_API_TOKEN; CORS is off unless
    RESOLUTIONS_CORS_ORIGINS is set. Several processes may share one Chroma server
    (RESOLUTIONS_CHROMA_URL).
    """
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    from api.app import create_app

    settings = settings_from(ctx)
    stderr(f"serving on http://{host}:{port}/ (API docs at /docs); Ctrl-C stops")
    if not settings.api_token:
        stderr("uploads are off: set RESOLUTIONS_API_TOKEN to enable POST /ingest")
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "server_header": False,
        # X-Forwarded-For decides who is rate limited: believe it only from named proxies
        "proxy_headers": bool(settings.trusted_proxies),
        "log_config": _with_api_log(LOGGING_CONFIG),
    }
    if settings.trusted_proxies:
        options["forwarded_allow_ips"] = ",".join(settings.trusted_proxies)
    if workers > 1:  # each worker builds its app from the environment
        if not settings.chroma_url:
            stderr(
                "warning: several workers without RESOLUTIONS_CHROMA_URL share one embedded "
                "index on disk; run `chroma run` and set it for concurrent writes"
            )
        uvicorn.run("api.app:serving_app", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(settings, warm=True), **options)


commands = [serve]


def _with_api_log(config: dict[str, Any]) -> dict[str, Any]:
    """uvicorn's logging, and the app's own lines ("library ready", removed uploads) beside its
    access log: without a handler, Python drops them below WARNING."""
    merged = copy.deepcopy(config)
    merged["loggers"]["api"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return merged
