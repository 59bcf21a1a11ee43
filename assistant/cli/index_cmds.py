"""``resolutions ingest | search | documents | remove``: the index, from the terminal."""

from __future__ import annotations

import sys
from typing import Any

import click

from assistant.cli.common import (
    UserError,
    library_from,
    print_json,
    stderr,
    user_errors,
)
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
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of citation objects.")
@click.pass_context
@user_errors
def search(
    ctx: click.Context, query: str, k: int | None, filters: tuple[str, ...], as_json: bool
) -> None:
    """Find the clauses that best match QUERY (dense + BM25 hybrid search)."""
    library = library_from(ctx)
    if not library.documents():
        raise UserError("the index is empty; run `resolutions ingest` first")
    hits = library.search(query, k or library.settings.search_k, _parse_filters(filters))
    if as_json:
        print_json([hit.to_json() for hit in hits])
        return
    if not hits:
        click.echo("no matching clause")
    for rank, hit in enumerate(hits, start=1):
        click.secho(f"{rank}. {hit.citation['citation']}  [{hit.score:.4f}]", bold=True)
        click.echo(f"   {hit.citation['text'][:300]}")
        click.echo(f"   id: {hit.id}")


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
