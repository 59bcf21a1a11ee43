"""What every command shares: the settings, JSON output, and one way to report user errors."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from assistant.errors import AssistantError
from assistant.settings import Settings, load_settings
from ingest.errors import IngestError

if TYPE_CHECKING:
    from assistant.index.library import Library
    from assistant.index.model import ClauseLibrary

F = TypeVar("F", bound=Callable[..., Any])
# The end of the --docx help of the commands whose Word files carry the differing readings.
COMMENTS_HELP = (
    "where the sources differ, the readings not chosen are added as Word comments on the clause."
)

# --local of the commands that hand their question to a running server (`ask`, `search`)
LOCAL_HELP = "Answer in this process, never through a running `resolutions serve`."


class UserError(click.ClickException):
    """A mistake the user can fix: printed as one line, exit code 2, no traceback."""

    exit_code = 2


def settings_from(ctx: click.Context) -> Settings:
    """The settings object built once by the top-level command."""
    settings = ctx.find_root().obj
    if not isinstance(settings, Settings):
        settings = load_settings()
        ctx.find_root().obj = settings
    return settings


def library_from(ctx: click.Context) -> Library:
    """The library over the settings' data directory (imported late: ``--help`` stays fast)."""
    from assistant.index.library import Library

    return Library(settings_from(ctx))


def resolve_documents(library: ClauseLibrary, names: Sequence[str]) -> list[str] | None:
    """The ids of documents given by id or loose name (``WTSA 43``); ``None`` for none."""
    return [library.resolve_document(name) for name in names] or None


def docx_path_option(path: Path | None) -> Path | None:
    """``--docx PATH`` checked: the name must end in ``.docx``."""
    if path is not None and path.suffix.lower() != ".docx":
        raise UserError(f"--docx {path}: the file name must end in .docx")
    return path


def print_json(data: Any) -> None:
    """Print one JSON document on stdout."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def user_errors(function: F) -> F:
    """Turn known errors of the library into one readable line and exit code 2."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (IngestError, AssistantError) as error:
            raise UserError(str(error)) from error
        except OSError as error:  # a file the user named cannot be read or written
            raise UserError(str(error)) from error

    return wrapper  # type: ignore[return-value]


def stderr(message: str) -> None:
    """One line for the person at the terminal, never on stdout. Control characters (a newline or
    an escape sequence in a file name) are shown escaped, so no name can forge another line."""
    click.echo(printable(message), file=sys.stderr)


def printable(text: str) -> str:
    """``text`` with control characters escaped (``\\n``, ``\\x1b``), tabs kept."""
    return "".join(
        char
        if char == "\t" or (char.isprintable() and char not in "\u2028\u2029")
        else _escape(char)
        for char in text
    )


def _escape(char: str) -> str:
    escaped = repr(char)[1:-1]
    return escaped if escaped != char else f"\\u{ord(char):04x}"
