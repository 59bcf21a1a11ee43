"""``resolutions align | draft | compare``: the drafter's commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from assistant.cli.common import (
    COMMENTS_HELP,
    UserError,
    docx_path_option,
    library_from,
    print_json,
    resolve_documents,
    settings_from,
    stderr,
    user_errors,
)


def _short(citation: dict[str, Any]) -> str:
    return str(citation["citation"])


@click.command()
@click.argument("document")
@click.option(
    "--with",
    "others",
    multiple=True,
    metavar="DOC",
    help="A document to align with (repeat; default: every other resolution).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the groups as JSON.")
@click.option(
    "--docx",
    "docx_path",
    type=click.Path(path_type=Path),
    help="Write the comparison annex (a Word table) to this file.",
)
@click.pass_context
@user_errors
def align(
    ctx: click.Context,
    document: str,
    others: tuple[str, ...],
    as_json: bool,
    docx_path: Path | None,
) -> None:
    """Line up the clauses of DOCUMENT with those of parallel resolutions.

    Prints groups of corresponding clauses with a score (0-1, higher is closer); clauses with no
    counterpart stand alone. Documents by id or loose name, as `resolutions documents` lists them.
    """
    from assistant.align.alignment import align as run_align

    docx_path = docx_path_option(docx_path)
    library = library_from(ctx)
    lead = library.resolve_document(document)
    result = run_align(library, lead, resolve_documents(library, others) or [])
    if docx_path:
        from assistant.word.writer import write_annex_docx

        write_annex_docx(docx_path, result)
        stderr(f"wrote the comparison annex to {docx_path}")
    if as_json:
        print_json(result.to_json())
        return
    for group in result.to_json()["groups"]:
        click.secho(f"[{group['score']:.2f}]", bold=True)
        for cited in group["clauses"]:
            click.echo(f"  {_short(cited)}: {cited['text'][:100]}")


@click.command()
@click.option("--clause", "clause_id", metavar="ID", help="The clause to harmonize (its id).")
@click.option("--topic", metavar="TEXT", help="Or a topic: the best matching clause is used.")
@click.option(
    "--for",
    "for_body",
    metavar="BODY",
    help="Draft for the resolution of this body (PP, WTSA, ...; default: the clause's own body).",
)
@click.option(
    "--with",
    "others",
    multiple=True,
    metavar="DOC",
    help="Take counterparts from this document (repeat; default: all resolutions).",
)
@click.option(
    "--exclude", "excluded", multiple=True, metavar="DOC", help="Never use this document (repeat)."
)
@click.option(
    "--against",
    metavar="ID",
    help="Redline against this clause id, or this document's matching clause "
    "(default: the draft's base clause).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the proposal as JSON.")
@click.option(
    "--docx",
    "docx_path",
    type=click.Path(path_type=Path),
    help="Write the proposal as a Word redline (MOD, tracked changes) to this file; "
    + COMMENTS_HELP,
)
@click.option(
    "--no-llm",
    "no_llm",
    is_flag=True,
    help="Never ask the configured language model to smooth the wording (deterministic).",
)
@click.pass_context
@user_errors
def draft(
    ctx: click.Context,
    clause_id: str | None,
    topic: str | None,
    for_body: str | None,
    others: tuple[str, ...],
    excluded: tuple[str, ...],
    against: str | None,
    as_json: bool,
    docx_path: Path | None,
    no_llm: bool,
) -> None:
    """Propose one harmonized wording for a clause from its counterparts.

    Deterministic: the counterparts are aligned word by word, shared words are kept, differences
    are settled by support and by the target body, and body-specific terms are generalized when
    drafting for the Plenipotentiary Conference (term map: assistant/data/terms.json, extend it
    with RESOLUTIONS_TERMS_FILE). A cited resolution is cited in the newest revision in force that
    the library holds. Every span names the clauses it comes from. With a language
    model configured (RESOLUTIONS_LLM_PROVIDER) and no --no-llm, the model may smooth the
    wording; its text is kept only if every word is found in the sources (see "smoothing").
    """
    from assistant.chat_model import chat_model_from_settings
    from assistant.drafting.draft import draft as run_draft
    from assistant.drafting.model import words_before

    if bool(clause_id) == bool(topic):
        raise UserError("give exactly one of --clause ID or --topic TEXT")
    docx_path = docx_path_option(docx_path)
    library = library_from(ctx)
    result = run_draft(
        library,
        clause_id=clause_id,
        topic=topic,
        for_body=for_body,
        with_documents=resolve_documents(library, others),
        exclude_documents=resolve_documents(library, excluded),
        chat_model=None if no_llm else chat_model_from_settings(settings_from(ctx)),
        against=against,
    )
    data = result.to_json()
    if docx_path:
        from assistant.word.writer import write_draft_docx

        write_draft_docx(docx_path, result)
        stderr(f"wrote the redline to {docx_path}")
    if as_json:
        print_json(data)
        return
    click.secho(f"Proposal for {result.target_body}:", bold=True)
    click.echo(result.text)
    if result.smoothing:
        done = "applied" if result.smoothing["applied"] else "not applied"
        stderr(f"smoothing by {result.smoothing['model']}: {done} ({result.smoothing['reason']})")
    if "redline" in data:
        click.secho(f"\nAgainst {_short(data['redline']['against'])}:", bold=True)
        click.echo(data["redline"]["markdown"])
    click.secho("\nSpans and their sources:", bold=True)
    for span in data["spans"]:
        if not span["text"]:
            continue  # an empty choice: shown with the other readings below
        mark = f" (term map, was: {'; '.join(span['replaces'])})" if span.get("term_map") else ""
        if span.get("updated_citation"):
            mark = f" (newest revision in the library, was: {'; '.join(span['replaces'])})"
        click.echo(f"  {span['text'].strip()!r}{mark} <- {', '.join(span['sources'])}")
    spans = data["spans"]
    differing = [k for k, span in enumerate(spans) if span.get("alternatives")]
    if differing:
        click.secho("\nWhere the sources differ (chosen, then the other readings):", bold=True)
    for k in differing:
        span = spans[k]
        before = words_before(spans, k)
        chosen = (
            repr(span["text"].strip()) if span["text"].strip() else f"(nothing, after {before!r})"
        )
        click.echo(f"  {chosen} <- {', '.join(span['sources'])}")
        for other in span["alternatives"]:
            words = repr(other["text"]) if other["text"] else "(nothing)"
            click.echo(f"      or {words} <- {', '.join(other['sources'])}")


@click.command()
@click.argument("doc_a")
@click.argument("doc_b")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option(
    "--docx",
    "docx_path",
    type=click.Path(path_type=Path),
    help="Write DOC_B as a Word redline of DOC_A (MOD, tracked changes).",
)
@click.pass_context
@user_errors
def compare(
    ctx: click.Context, doc_a: str, doc_b: str, as_json: bool, docx_path: Path | None
) -> None:
    """What changed from DOC_A (old) to DOC_B (new): clauses added, removed, moved, modified."""
    from assistant.align.compare import compare as run_compare
    from assistant.word.comparison import write_comparison_docx

    docx_path = docx_path_option(docx_path)
    library = library_from(ctx)
    result = run_compare(library, library.resolve_document(doc_a), library.resolve_document(doc_b))
    if docx_path:
        write_comparison_docx(docx_path, result)
        stderr(f"wrote the redline to {docx_path}")
    data = result.to_json()
    if as_json:
        print_json(data)
        return
    counts = ", ".join(f"{n} {status}" for status, n in data["summary"].items())
    click.secho(f"{result.a.short_name} -> {result.b.short_name}: {counts}", bold=True)
    for change in data["clauses"]:
        if change["status"] == "unchanged":
            continue
        cited = change["b"] or change["a"]
        click.echo(f"{change['status']:>9}  {_short(cited)}")
        if change.get("markdown") and change.get("text_changed"):
            click.echo(f"           {change['markdown']}")


commands = [align, draft, compare]
