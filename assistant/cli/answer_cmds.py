"""``resolutions ask`` and ``resolutions chat``: cited answers in the terminal."""

from __future__ import annotations

import sys
import uuid
from typing import Any

import click

from assistant.cli.common import UserError, print_json, settings_from, stderr, user_errors
from assistant.index.model import ClauseLibrary

EXIT_WORDS = {"/quit", "/exit", "quit", "exit", ":q"}


def _open(ctx: click.Context) -> tuple[Any, Any]:
    """The library (refusing an empty index) and the configured chat model (or None)."""
    from assistant.chat_model import chat_model_from_settings
    from assistant.index.library import Library

    settings = settings_from(ctx)
    library = Library(settings)
    if not library.documents():
        raise UserError(f"the index in {settings.home} is empty: run `resolutions ingest` first")
    return library, chat_model_from_settings(settings)


def _show(
    library: ClauseLibrary, message: str, conversation_id: str | None, chat_model: Any
) -> None:
    """Stream the reply to stdout, then the related clauses and where to get a Word file."""
    from assistant.chat.agent import Reply, stream_respond

    final: Reply | None = None
    for piece in stream_respond(
        library, message, conversation_id=conversation_id, chat_model=chat_model
    ):
        if isinstance(piece, Reply):
            final = piece
        else:
            click.echo(piece, nl=False)
            sys.stdout.flush()
    assert final is not None
    if final.mode == "fallback":
        click.echo("")
        click.echo(final.answer, nl=False)
    click.echo("")
    if final.status == "partial":
        stderr("Partial answer: the closest provisions cited do not state the detail asked.")
    if final.related and final.status in ("not_found", "partial"):
        click.echo("Related:")
        for citation in final.related:
            click.echo(f"- {citation['citation']}")
    if final.extra.get("docx"):
        stderr(f"Word file: {final.extra['docx']}")


@click.command()
@click.argument("question")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the reply as JSON: status, answer, citations, intent, tool_calls.",
)
@click.option(
    "--conversation",
    "conversation_id",
    metavar="ID",
    help="Keep history under this id: follow-ups resolve against earlier turns.",
)
@click.pass_context
@user_errors
def ask(ctx: click.Context, question: str, as_json: bool, conversation_id: str | None) -> None:
    """Answer QUESTION from the ingested resolutions, quoting and citing the clauses.

    QUESTION may also ask for a clause ("show me WRC 72 resolves to invite 2"), a comparison
    ("how does the Doha draft change considering e)?") or a draft ("propose harmonized wording
    for considering h) taking WTSA 43 into account"): the reply says which (`intent`) and what it
    did (`tool_calls`). Without a language model (the default) answers are composed from the
    retrieved clauses; with RESOLUTIONS_LLM_PROVIDER set, a chat model words them and its
    citations are checked. When nothing supports the question, it says so and lists the nearest
    clauses.
    """
    from assistant.chat.agent import respond

    library, chat_model = _open(ctx)
    if as_json:
        reply = respond(library, question, conversation_id=conversation_id, chat_model=chat_model)
        print_json(reply.to_json())
        return
    _show(library, question, conversation_id, chat_model)


@click.command()
@click.option(
    "--conversation",
    "conversation_id",
    metavar="ID",
    help="Resume this conversation (default: a new one).",
)
@click.pass_context
@user_errors
def chat(ctx: click.Context, conversation_id: str | None) -> None:
    """Ask questions one after another; follow-ups ("and the WRC one?") use the history.

    Type a question and press Enter; /quit or Ctrl-D ends the session.
    """
    library, chat_model = _open(ctx)
    conversation = conversation_id or uuid.uuid4().hex[:12]
    stderr(
        f"conversation {conversation} (resume with --conversation {conversation}); /quit to leave"
    )
    while True:
        try:
            question = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            click.echo("")
            return
        if not question:
            continue
        if question.lower() in EXIT_WORDS:
            return
        try:
            _show(library, question, conversation, chat_model)
        except ValueError as error:
            stderr(f"error: {error}")
        click.echo("")


commands = [ask, chat]
