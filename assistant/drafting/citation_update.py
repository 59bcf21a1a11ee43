"""Citations of resolutions brought up to date: the newest revision in force that the library holds.

A revision cites the texts in force. Where a clause cites "Resolution 72 (Rev. WRC-07) of the
World Radiocommunication Conference" and the library holds Resolution 72 (Rev. WRC-19), a draft
cites "Resolution 72 (Rev. WRC-19)", as the drafters of the 2026 revision of PP Resolution 58 did
for every resolution it recalls. Only the revision in parentheses changes (the number, body and
title are kept). Drafts (status ``draft``) are not in force and never count, nor do excluded
documents; the resolution being revised is never updated (a text does not cite itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.text.catalog import Catalog, revision_year
from assistant.text.mentions import explicit_mentions
from ingest.model import Document

_PARENTHESIS = re.compile(r"\(([^()]*\d[^()]*)\)")
_MAY_CITE = re.compile(r"\bres(?:olutions?\b|\.)", re.IGNORECASE)  # before the full parse


@dataclass(frozen=True)
class CitationUpdate:
    """The revision of a cited resolution, ``(Rev. WRC-07)`` at ``start:end``, and its newer one."""

    start: int
    end: int
    old: str
    new: str
    document: str  # the id of the newer version

    @property
    def edit(self) -> tuple[int, int, str]:
        """Where and what to write: the replacement the term map's ``generalize`` takes."""
        return self.start, self.end, self.new

    def to_json(self) -> dict[str, str]:
        return {"from": self.old, "to": self.new, "document": self.document}


class CitationUpdater:
    """Finds, in a clause's text, the citations an in-force version in the library supersedes."""

    def __init__(self, documents: Iterable[Document], keep: Iterable[tuple[str, str]] = ()):
        self.catalog = Catalog(
            [d for d in documents if d.kind == "resolution" and "draft" not in d.status.lower()]
        )
        self.keep = {(body.upper(), number.upper()) for body, number in keep}

    def updates(self, text: str, body: str = "") -> list[CitationUpdate]:
        """The updates for the citations in ``text`` (a clause of a ``body`` resolution)."""
        found: list[CitationUpdate] = []
        if not self.catalog.documents or not _MAY_CITE.search(text):
            return found
        for mention in explicit_mentions(text, self.catalog, body, in_text=True):
            cited = mention.cited
            if not (cited.body and cited.number and cited.year):
                continue
            if (cited.body.upper(), cited.number.upper()) in self.keep:
                continue
            newer = self.catalog.newer_than(cited.body, cited.number, cited.year)
            revision = _PARENTHESIS.search(text, mention.start, mention.end)
            if newer is None or revision is None or not newer.revision:
                continue
            if revision_year(revision.group(1)) != cited.year:
                continue  # the parenthesis is not the revision ("(WTSA)")
            new = f"({newer.revision})"
            found.append(
                CitationUpdate(revision.start(), revision.end(), revision[0], new, newer.id)
            )
        return found
