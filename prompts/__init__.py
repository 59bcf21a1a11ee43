"""Prompt files shipped as package data: ``load_prompt('answer_system')`` reads its ``.md``."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>.md``; ``FileNotFoundError`` naming the file if absent."""
    resource = resources.files(__name__).joinpath(f"{name}.md")
    if not resource.is_file():
        raise FileNotFoundError(f"no prompt file prompts/{name}.md in the installed package")
    return resource.read_text(encoding="utf-8")
