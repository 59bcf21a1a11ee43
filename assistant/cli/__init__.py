"""The ``resolutions`` command: a thin shell over the library."""

from __future__ import annotations

import click

from assistant.cli import (
    answer_cmds,
    draft_cmds,
    eval_cmd,
    index_cmds,
    parse_cmd,
    refs_cmd,
    revise_cmd,
    serve_cmd,
)
from assistant.cli.common import UserError
from assistant.errors import ConfigurationError
from assistant.settings import load_settings

COMMAND_MODULES = [
    parse_cmd,
    serve_cmd,
    index_cmds,
    eval_cmd,
    refs_cmd,
    draft_cmds,
    answer_cmds,
    revise_cmd,
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="resolution-assistant")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Query, align and harmonize ITU resolutions with cited answers.

    The data directory comes from RESOLUTIONS_HOME (default: .resolutions/ here). Start with
    `resolutions ingest` (the shipped corpus), then `resolutions search` or `resolutions ask`.
    Every command takes --help; most take --json for scripts.
    """
    try:
        ctx.obj = load_settings()
    except ConfigurationError as error:
        raise UserError(str(error)) from None


for _module in COMMAND_MODULES:
    for _command in _module.commands:
        main.add_command(_command)
