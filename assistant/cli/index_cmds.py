"""``resolutions ingest | search | documents | remove``: the index, from the terminal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from assistant.answering.ranking import ORDERS, Order, search_ordered
from assistant.cli import handoff
from assistant.cli.common import (
    LOCAL_HELP,
    UserError,
    library_from,
    print_json,
    settings_from,
    stderr,
    user_errors,
)

if TYPE_CHECKING:
    from assistant.index.library import IngestReport


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar (default: on when stderr is a terminal).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="A resolution whose id is already indexed from another file is replaced by this "
    "file's (default: refused).",
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Embed the whole library again with the current embedding model (after changing "
    "RESOLUTIONS_EMBEDDING_MODEL): every document is removed, then PATHS (default: the files "
    "the index held) ingested.",
)
@click.pass_context
@user_errors
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    as_json: bool,
    progress: bool | None,
    replace: bool,
    rebuild: bool,
) -> None:
    """Index resolutions (.txt, .md, .docx, .pdf; folders searched recursively).

    Default: the shipped corpus. Unchanged files are skipped (content hash); a changed file is
    replaced as a whole. A file holding several resolutions (a collection) gives one document
    per resolution; one that does not parse is reported and skipped. Exit code 2 if a file or
    a resolution failed (the others are indexed).
    """
    library = library_from(ctx)
    show = sys.stderr.isatty() if progress is None else progress
    bar: Any = None

    def on_progress(done: int, total: int, what: str) -> None:
        nonlocal bar
        unit = "file" if ": " not in what else "resolution"  # a collection: per resolution
        if bar is None or bar.total != total or bar.unit != unit:
            from tqdm import tqdm

            if bar is not None:
                bar.close()
            bar = tqdm(total=total, unit=unit, desc="ingest", file=sys.stderr, leave=False)
        bar.set_postfix_str(what[-40:], refresh=False)
        bar.update(done - bar.n)

    try:
        callback = on_progress if show else None
        if rebuild:
            report = library.rebuild(list(paths) or None, callback)
        else:
            report = library.ingest(list(paths) or None, callback, replace=replace)
    finally:
        if bar is not None:
            bar.close()
    if as_json:
        print_json(_report_json(report))
    else:
        _print_report(report)
    if report.failed:
        ctx.exit(2)


def _report_json(report: IngestReport) -> dict[str, Any]:
    return {
        "added": report.added,
        "replaced": report.replaced,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "clauses": report.clauses,
    }


def _print_report(report: IngestReport) -> None:
    for failure in report.failed:
        line = f":{failure['line']}" if failure.get("line") else ""
        stderr(f"error: {failure['file']}{line}: {failure['reason']}")
    click.echo(
        f"{len(report.added)} added, {len(report.replaced)} replaced, "
        f"{len(report.unchanged)} unchanged, {len(report.failed)} failed; "
        f"{report.clauses} clauses embedded"
    )


def _parse_filters(values: tuple[str, ...]) -> dict[str, str | list[str]]:
    filters: dict[str, list[str]] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UserError(f"--filter {item!r}: write it as key=value, e.g. --filter body=WTSA")
        filters.setdefault(key.strip(), []).append(value.strip())
    return {k: v[0] if len(v) == 1 else v for k, v in filters.items()}


@click.command()
@click.argument("query")
@click.option(
    "--k",
    "k",
    type=click.IntRange(1, 200),
    default=None,
    help="Number of clauses (default: RESOLUTIONS_SEARCH_K).",
)
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="KEY=VALUE",
    help="Restrict to body, document, keyword, status, kind or section (repeatable).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print a JSON list of citation objects (with "score" and "served_by").',
)
@click.option(
    "--order",
    type=click.Choice(ORDERS),
    default="search",
    show_default=True,
    help="search: by how well words and meaning match; answerer: by the probability that the "
    "clause answers QUERY as a question (the answerer's support model; slower), each with "
    '"support".',
)
@click.option("--local", is_flag=True, help=LOCAL_HELP)
@click.pass_context
@user_errors
def search(
    ctx: click.Context,
    query: str,
    k: int | None,
    filters: tuple[str, ...],
    as_json: bool,
    order: Order,
    local: bool,
) -> None:
    """Find the clauses that best match QUERY (dense + BM25 hybrid search).

    A running `resolutions serve` searches instead, in about a second, when one is up at
    RESOLUTIONS_SERVER_URL (default http://127.0.0.1:8000) and serves this same library (data
    directory, database, settings) and the search fits its /search (--k up to 50, --filter on
    body or document, once each); otherwise, or with --local, this process does. The output is
    the same; in --json each clause carries "served_by" (the server's URL, or "local").
    """
    settings = settings_from(ctx)
    wanted = _parse_filters(filters)
    count = k or settings.search_k
    served_by = "local"
    found: list[dict[str, Any]] | None = None
    if not local and _servable(count, wanted):
        server = handoff.find_server(settings)
        if server is not None:
            found = server.search(query, count, wanted, order) or None  # none: maybe empty
            served_by = server.url
    if found is None:
        library = library_from(ctx)
        if not library.documents():
            raise UserError("the index is empty; run `resolutions ingest` first")
        found = search_ordered(library, query, count, wanted, order)
        served_by = "local"
    if as_json:
        print_json([{**hit, "served_by": served_by} for hit in found])
        return
    if not found:
        click.echo("no matching clause")
    for rank, hit in enumerate(found, start=1):
        support = f", support {hit['support']:.2f}" if "support" in hit else ""
        click.secho(f"{rank}. {hit['citation']}  [{hit['score']:.4f}{support}]", bold=True)
        click.echo(f"   {hit['text'][:300]}")
        click.echo(f"   id: {hit['id']}")


SERVED_FILTERS = ("body", "document")  # what GET /search takes
SERVED_MAX_K = 50


def _servable(k: int, filters: dict[str, str | list[str]]) -> bool:
    """Whether ``GET /search`` can run this search as given (else it runs here)."""
    return k <= SERVED_MAX_K and all(
        key in SERVED_FILTERS and isinstance(value, str) for key, value in filters.items()
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_context
@user_errors
def documents(ctx: click.Context, as_json: bool) -> None:
    """List the documents in the index."""
    rows = library_from(ctx).documents()
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("the index is empty; run `resolutions ingest`")
    for row in rows:
        click.echo(
            f"{row['document']}  {row['name']}  [{row['status']}]  "
            f"{row['clauses']} clauses  {row['ingested']}  {row['file']}"
        )


@click.command()
@click.argument("document")
@click.pass_context
@user_errors
def remove(ctx: click.Context, document: str) -> None:
    """Remove DOCUMENT (an id or a name such as 'WTSA 43') and its clauses from the index."""
    library = library_from(ctx)
    document_id = library.resolve_document(document)
    library.remove(document_id)
    click.echo(f"removed {document_id}")


commands = [ingest, search, documents, remove]
