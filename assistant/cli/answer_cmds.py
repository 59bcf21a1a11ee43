"""``resolutions ask`` and ``resolutions chat``: cited answers in the terminal."""

from __future__ import annotations

import functools
import sys
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import click

from assistant.cli.common import UserError, print_json, settings_from, stderr, user_errors
from assistant.cli.index_cmds import model_errors

F = TypeVar("F", bound=Callable[..., Any])
EXIT_WORDS = {"/quit", "/exit", "quit", "exit", ":q"}


def chat_errors(function: F) -> F:
    """A misconfigured language model: one line, exit code 2."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from assistant.chat_model import ChatModelError

        try:
            return function(*args, **kwargs)
        except ChatModelError as error:
            raise UserError(str(error)) from error

    return wrapper  # type: ignore[return-value]


def _open(ctx: click.Context) -> tuple[Any, Any]:
    """The library (refusing an empty index) and the configured chat model (or None)."""
    from assistant.chat_model import chat_model_from_settings
    from assistant.library import Library

    settings = settings_from(ctx)
    library = Library(settings)
    if not library.documents():
        raise UserError(f"the index in {settings.home} is empty: run `resolutions ingest` first")
    return library, chat_model_from_settings(settings)


def _show(library: Any, question: str, conversation: Any, chat_model: Any) -> None:
    """Stream the answer to stdout, then the related clauses (and any note on stderr)."""
    from assistant.answer import Answer, stream_answer

    shown: list[str] = []
    final: Answer | None = None
    for piece in stream_answer(library, question, conversation=conversation,
                               chat_model=chat_model):
        if isinstance(piece, Answer):
            final = piece
        else:
            shown.append(piece)
            click.echo(piece, nl=False)
            sys.stdout.flush()
    assert final is not None
    if final.note:
        click.echo("")
        stderr(f"note: {final.note}")
    if final.mode == "fallback":
        click.echo(final.text, nl=False)
    click.echo("")
    if final.related and final.status == "not_found":
        click.echo("Related:")
        for citation in final.related:
            click.echo(f"- {citation['citation']}")


@click.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True,
              help='Print {"status", "answer", "citations", "related"} as JSON.')
@click.option("--conversation", "conversation_id", metavar="ID",
              help="Keep history under this id: follow-ups resolve against earlier turns.")
@click.pass_context
@user_errors
@model_errors
@chat_errors
def ask(ctx: click.Context, question: str, as_json: bool, conversation_id: str | None) -> None:
    """Answer QUESTION from the ingested resolutions, quoting and citing the clauses.

    Without a language model (the default) the answer is composed from the retrieved clauses;
    with RESOLUTIONS_LLM_PROVIDER set, a chat model words it and its citations are checked.
    When nothing retrieved supports the question, it says so and lists the nearest clauses.
    """
    from assistant.answer import answer

    library, chat_model = _open(ctx)
    if as_json:
        result = answer(library, question, conversation=conversation_id, chat_model=chat_model)
        if result.note:
            stderr(f"note: {result.note}")
        print_json(result.to_json())
        return
    _show(library, question, conversation_id, chat_model)


@click.command()
@click.option("--conversation", "conversation_id", metavar="ID",
              help="Resume this conversation (default: a new one).")
@click.pass_context
@user_errors
@model_errors
@chat_errors
def chat(ctx: click.Context, conversation_id: str | None) -> None:
    """Ask questions one after another; follow-ups ("and the WRC one?") use the history.

    Type a question and press Enter; /quit or Ctrl-D ends the session.
    """
    from assistant.conversations import ConversationStore

    library, chat_model = _open(ctx)
    store = ConversationStore.for_settings(settings_from(ctx))
    conversation = store.conversation(conversation_id or uuid.uuid4().hex[:12])
    stderr(f"conversation {conversation.id} (resume with --conversation {conversation.id}); "
           "/quit to leave")
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
