"""Limits on what one file may hold, so that parsing it takes bounded time and memory.

The defaults are far above real documents: the largest of the 902 UN Security Council resolutions
(S/RES/1454 (2002)) is 40 KB, 824 lines and about 330 clauses; the ITU corpus files are under
70 lines. Each limit is a setting (``RESOLUTIONS_MAX_FILE_BYTES``, ``RESOLUTIONS_MAX_PARAGRAPHS``,
``RESOLUTIONS_MAX_CLAUSES``), which the caller turns into a :class:`ParseLimits`.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PARAGRAPHS = 20_000
DEFAULT_MAX_CLAUSES = 5_000


@dataclass(frozen=True)
class ParseLimits:
    """Caps checked while reading one file.

    ``max_bytes``: size of the file on disk. ``max_paragraphs``: Word paragraphs (``w:p``) in the
    main part of a .docx, counted by a streaming scan before any tree is built; for a text file,
    its non-blank lines. ``max_clauses``: clauses (or passages) of any one document parsed from
    the file, whatever its format.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_paragraphs: int = DEFAULT_MAX_PARAGRAPHS
    max_clauses: int = DEFAULT_MAX_CLAUSES

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_paragraphs", "max_clauses"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"ParseLimits.{name} must be a positive integer, not {value!r}")
