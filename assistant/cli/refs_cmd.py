"""``resolutions refs DOC``: the cross-references inside a resolution, linked and checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from assistant.cli.common import print_json, settings_from, user_errors
from assistant.errors import NotFoundError
from assistant.text.catalog import Catalog
from assistant.text.references import Reference, document_references
from ingest.model import Document, citation_string


def _target(reference: Reference, catalog: Catalog) -> str:
    """What the reference points to, readable."""
    document = catalog.by_id.get(reference.document)
    if reference.status == "ambiguous":
        return "ambiguous: " + ", ".join(reference.candidates)
    if document is None:
        return "this revision is not in the corpus" if reference.newer else "not in the corpus"
    if not reference.clause_ids:
        return (
            document.short_name
            if reference.status == "resolved"
            else (f"no such clause in {document.short_name}")
        )
    names = []
    for clause_id in reference.clause_ids:
        found = document.clause(clause_id)
        if found is not None:
            names.append(citation_string(document, *found))
    return "; ".join(names)


def reference_rows(document: Document, catalog: Catalog) -> list[dict[str, Any]]:
    """The references of ``document`` with where they are and what they point to."""
    rows = []
    for reference in document_references(document, catalog):
        found = document.clause(reference.source)
        where = citation_string(document, *found) if found else reference.source
        newer = catalog.by_id.get(reference.newer)
        rows.append(
            {
                **reference.to_json(),
                "in": where,
                "target": _target(reference, catalog),
                "newer_name": newer.short_name if newer else "",
            }
        )
    return rows


def _load(ctx: click.Context, name: str) -> tuple[Document, Catalog]:
    settings = settings_from(ctx)
    from assistant.index.library import Library
    from assistant.text.question import catalog_for

    library = Library(settings)
    catalog = catalog_for(library)
    path = Path(name)
    if path.is_file():
        from ingest.loader import load_file

        parsed = load_file(path, limits=settings.parse_limits()).documents
        if not parsed:
            raise click.UsageError(f"{name}: no resolution found in this file")
        known = {d.id for d in parsed}
        catalog = Catalog([*parsed, *(d for d in catalog.documents if d.id not in known)])
        return parsed[0], catalog
    try:
        document_id = library.resolve_document(name)
    except LookupError as error:
        raise NotFoundError(f"{error} (or give the path of a file)") from error
    return catalog.by_id.get(document_id) or library.document(document_id), catalog


@click.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
@user_errors
def refs(ctx: click.Context, doc: str, as_json: bool) -> None:
    """List the references inside DOC (an ingested document's name or id, or a file) to other
    clauses and resolutions, what they point to, and which cite a revision older than the one
    the library holds (a drafting aid: update them).
    """
    document, catalog = _load(ctx, doc)
    rows = reference_rows(document, catalog)
    outdated = [row for row in rows if row["newer"]]
    if as_json:
        print_json(
            {
                "document": document.id,
                "name": document.short_name,
                "references": rows,
                "outdated": len(outdated),
            }
        )
        return
    click.secho(
        f"{document.short_name} [{document.id}]: {len(rows)} references, "
        f"{len(outdated)} to an older revision",
        bold=True,
    )
    for row in rows:
        flag = f"  [newer in the corpus: {row['newer_name']}]" if row["newer"] else ""
        click.echo(f'  {row["in"]}\n    "{row["text"]}" -> {row["target"]}{flag}')


commands = [refs]
