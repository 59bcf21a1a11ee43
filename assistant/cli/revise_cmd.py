"""``resolutions revise``: a whole resolution revised with the wording of its parallel ones."""

from __future__ import annotations

from pathlib import Path

import click

from assistant.cli.common import (
    COMMENTS_HELP,
    UserError,
    docx_path_option,
    library_from,
    print_json,
    resolve_documents,
    stderr,
    user_errors,
)


@click.command()
@click.argument("document")
@click.option(
    "--for",
    "for_body",
    metavar="BODY",
    help="Revise for the resolution of this body (PP, WTSA, ...; default: DOCUMENT's own body).",
)
@click.option(
    "--with",
    "others",
    multiple=True,
    metavar="DOC",
    help="Take wording from this document (repeat; default: the other resolutions that have "
    "counterparts for at least 10% of DOCUMENT's clauses).",
)
@click.option(
    "--exclude", "excluded", multiple=True, metavar="DOC", help="Never use this document (repeat)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the revision as JSON.")
@click.option(
    "--docx",
    "docx_path",
    type=click.Path(path_type=Path),
    help="Write the revision as a Word redline of DOCUMENT (MOD, tracked changes); "
    + COMMENTS_HELP,
)
@click.option("--markdown", is_flag=True, help="Print the redline as Markdown (<ins>/<del>).")
@click.pass_context
@user_errors
def revise(
    ctx: click.Context,
    document: str,
    for_body: str | None,
    others: tuple[str, ...],
    excluded: tuple[str, ...],
    as_json: bool,
    docx_path: Path | None,
    markdown: bool,
) -> None:
    """Revise DOCUMENT clause by clause with the wording of parallel resolutions.

    Each clause is merged with its counterparts (as `resolutions draft` does); clauses that two
    or more of the other resolutions share (and at least half of them) and DOCUMENT lacks are
    proposed as additions; clauses without counterparts are kept. Resolutions cited in an older
    revision than one the library holds are cited in the newest. Every span names the clauses
    it comes from.
    """
    from assistant.drafting.revise import revise as run_revise
    from assistant.word.revision_output import to_markdown_redline, write_revision_docx

    if as_json and markdown:
        raise UserError("give at most one of --json and --markdown")
    docx_path = docx_path_option(docx_path)
    library = library_from(ctx)
    result = run_revise(
        library,
        library.resolve_document(document),
        for_body=for_body,
        with_documents=resolve_documents(library, others),
        exclude_documents=resolve_documents(library, excluded),
    )
    if docx_path:
        write_revision_docx(docx_path, result, library=library)
        stderr(f"wrote the redline to {docx_path}")
    if as_json:
        print_json(result.to_json())
        return
    if markdown:
        click.echo(to_markdown_redline(result), nl=False)
        return
    counts = result.counts()
    click.secho(
        f"{result.base.short_name} revised for {result.target_body} with "
        f"{', '.join(result.with_documents)}: {counts['revised']} revised, "
        f"{counts['added']} added, {counts['kept']} kept",
        bold=True,
    )
    for entry in result.entries:
        if entry.status == "kept":
            continue
        clause = entry.clause
        where = f"{entry.section.heading if entry.section else ''} {clause.label}".strip()
        where += f", {clause.sub}" if clause.sub else ""
        click.echo(f"{entry.status:>8}  {where}: {entry.clause.text[:90]}")
        click.echo(f"          <- {', '.join(entry.sources)}")


commands = [revise]
