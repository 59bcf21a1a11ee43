"""``resolutions serve``: the HTTP API and the web page (imports ``api`` only when run)."""

from __future__ import annotations

import click

from assistant.cli.common import settings_from, stderr


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 exposes it to the network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the API and the web chat page (open http://HOST:PORT/ in a browser).

    Uploads (POST /ingest) need RESOLUTIONS_API_TOKEN; CORS is off unless
    RESOLUTIONS_CORS_ORIGINS is set. Several processes may share one Chroma server
    (RESOLUTIONS_CHROMA_URL).
    """
    import uvicorn

    from api.app import create_app

    settings = settings_from(ctx)
    app = create_app(settings)
    stderr(f"serving on http://{host}:{port}/ (API docs at /docs); Ctrl-C stops")
    if not settings.api_token:
        stderr("uploads are off: set RESOLUTIONS_API_TOKEN to enable POST /ingest")
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


commands = [serve]
