"""``resolutions ask`` and ``resolutions chat``: cited answers in the terminal."""

from __future__ import annotations

import sys
import uuid
from typing import TYPE_CHECKING, Any

import click

from assistant.cli import handoff
from assistant.cli.common import (
    LOCAL_HELP,
    UserError,
    print_json,
    settings_from,
    stderr,
    user_errors,
)

if TYPE_CHECKING:
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
    _show_end(final.to_json())


def _show_end(reply: dict[str, Any]) -> None:
    """After the streamed text: the status, the related clauses and the Word file, if any."""
    click.echo("")
    if reply["status"] == "partial":
        stderr("Partial answer: the closest provisions cited do not state the detail asked.")
    if reply.get("related") and reply["status"] in ("not_found", "partial"):
        click.echo("Related:")
        for citation in reply["related"]:
            click.echo(f"- {citation['citation']}")
    if reply.get("docx"):
        stderr(f"Word file: {reply['docx']}")


def _nothing_found(status: Any, citations: Any, related: Any) -> bool:
    """A reply with nothing in it: maybe the server's library is empty, which the CLI reports as
    an error of its own; answered in-process instead (the same reply, or that error)."""
    return status == "not_found" and not citations and not related


def _ask_served(
    server: handoff.Server, question: str, conversation_id: str | None, as_json: bool
) -> bool:
    """Ask ``server``; ``False`` (nothing printed) when it did not answer, to answer here."""
    if as_json:
        reply = server.ask(question, conversation_id)
        if reply is None or _nothing_found(
            reply.get("status"), reply.get("citations"), reply.get("related")
        ):
            return False
        print_json({**reply, "served_by": server.url})
        return True
    events = server.ask_stream(question, conversation_id)
    if events is None:
        return False
    streamed: list[str] = []
    try:
        for name, data in events:
            if name == "citations" and not streamed:
                if _nothing_found(data.get("status"), data.get("citations"), data.get("related")):
                    return False
            elif name == "token":
                text = str(data.get("text", ""))
                if text:
                    streamed.append(text)
                    click.echo(text, nl=False)
                    sys.stdout.flush()
            elif name == "error":
                if not streamed:
                    return False
                message = (data.get("error") or {}).get("message") or "the server failed"
                raise UserError(f"{message} (served by {server.url}; --local answers here)")
            elif name == "answer":
                if not streamed and _nothing_found(
                    data.get("status"), data.get("citations"), data.get("related")
                ):
                    return False
                if "".join(streamed) != data["answer"]:  # a model's answer was rejected
                    if streamed:
                        click.echo("")
                    click.echo(data["answer"], nl=False)
                _show_end(data)
                return True
    except handoff.ServerFailed as error:
        if not streamed:
            return False
        raise UserError(f"{error} (served by {server.url}; --local answers here)") from error
    return not streamed


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
@click.option("--local", is_flag=True, help=LOCAL_HELP)
@click.pass_context
@user_errors
def ask(
    ctx: click.Context, question: str, as_json: bool, conversation_id: str | None, local: bool
) -> None:
    """Answer QUESTION from the ingested resolutions, quoting and citing the clauses.

    QUESTION may also ask for a clause ("show me WRC 72 resolves to invite 2"), a comparison
    ("how does the Doha draft change considering e)?") or a draft ("propose harmonized wording
    for considering h) taking WTSA 43 into account"): the reply says which (`intent`) and what it
    did (`tool_calls`). Without a language model (the default) answers are composed from the
    retrieved clauses; with RESOLUTIONS_LLM_PROVIDER set, a chat model words them and its
    citations are checked. When nothing supports the question, it says so and lists the nearest
    clauses.

    A running `resolutions serve` answers instead, in about a second, when one is up at
    RESOLUTIONS_SERVER_URL (default http://127.0.0.1:8000) and serves this same library (data
    directory, database, answer settings); otherwise, or with --local, this process does. The
    output is the same; --json adds "served_by" (the server's URL, or "local").
    """
    if not local:
        server = handoff.find_server(settings_from(ctx))
        if server is not None and _ask_served(server, question, conversation_id, as_json):
            return
    from assistant.chat.agent import respond

    library, chat_model = _open(ctx)
    if as_json:
        reply = respond(library, question, conversation_id=conversation_id, chat_model=chat_model)
        print_json({**reply.to_json(), "served_by": "local"})
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
