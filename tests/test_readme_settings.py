"""The README's settings table keeps up with the settings class: every setting is documented."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def documented(name: str, readme: str) -> bool:
    """``RESOLUTIONS_X`` in full, or as ``_X`` beside another variable of the same row."""
    suffix = "_" + name.upper()
    return f"`RESOLUTIONS{suffix}`" in readme or f"`{suffix}`" in readme


def test_every_setting_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [
        f"RESOLUTIONS_{name.upper()}"
        for name in Settings.model_fields
        if not documented(name, readme)
    ]
    assert not missing, f"document these settings in README.md: {missing}"
