"""``resolutions parse``: the structure of files, without indexing them."""

from __future__ import annotations

from pathlib import Path

import click

from assistant.cli.common import print_json, settings_from, stderr, user_errors
from ingest.errors import IngestError
from ingest.loader import load_file
from ingest.model import Document, citation_string, document_structure


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list of documents.")
@click.pass_context
@user_errors
def parse(ctx: click.Context, paths: tuple[Path, ...], as_json: bool) -> None:
    """Show the structure of resolutions (.txt, .md, .docx): sections, clauses, sub-items.

    A file that cannot be parsed is reported with its line and reason; the others go on.
    Exit code 2 if any file failed.
    """
    settings = settings_from(ctx)
    documents: list[Document] = []
    failures = 0
    for path in paths:
        try:
            documents.extend(load_file(path, limits=settings.parse_limits()).documents)
        except IngestError as error:
            failures += 1
            stderr(f"error: {error}")
    if as_json:
        print_json([document_structure(document) for document in documents])
    else:
        for document in documents:
            _print_outline(document)
    if failures:
        ctx.exit(2)


def _print_outline(document: Document) -> None:
    click.secho(f"{document.short_name} [{document.id}]", bold=True)
    if document.title:
        click.echo(f"  {document.title}")
    click.echo(f"  {document.status}; {sum(len(s.clauses) for s in document.sections)} clauses")
    for section in document.sections:
        click.echo(f"  {section.heading or '(start)'}  [{section.kind}]")
        for clause in section.clauses:
            indent = "      " if clause.sub else "    "
            citation = citation_string(document, section, clause)
            where = citation.rsplit(section.heading, 1)[-1] if section.heading else clause.label
            text = clause.text.replace("\n", " ")
            click.echo(f"{indent}{where.strip(' ,') or '-'}: {text[:90]}")


commands = [parse]
