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
