"""Errors of ingestion: each names the file, the line and what to do."""

from __future__ import annotations


class IngestError(Exception):
    """A file could not be read; the message says which, where and why."""

    def __init__(self, source: str, line: int, reason: str):
        self.source = source
        self.line = line
        self.reason = reason
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {reason}")


class ParseError(IngestError):
    """The file was read but its structure could not be parsed."""


class NotAResolutionError(ParseError):
    """The text is not in a resolution layout (it is read as plain passages instead)."""


class UnsupportedFileError(IngestError):
    """The file has a format the project does not read."""


class LimitError(IngestError):
    """The file is over a size limit (bytes, paragraphs, clauses): too large, not malformed.

    ``setting`` is the environment variable that raises the limit, ``size`` what the file has and
    ``limit`` the cap it is over.
    """

    def __init__(self, source: str, reason: str, *, setting: str, size: int, limit: int):
        super().__init__(source, 0, reason)
        self.setting = setting
        self.size = size
        self.limit = limit
