"""The header line of a resolution, decision, recommendation or opinion, and document ids.

``RESOLUTION 43 (Rev. New Delhi, 2024)``, ``DECISION 3 (Minneapolis, 1998)``, ``MOD RESOLUTION
58 (Rev. Busan, 2014)``, and headers carrying their revision history
(``RESOLUTION 44 (Florianópolis, 2004; Johannesburg, 2008; Dubai, 2012)``: the revision is the
last place and year, ``Rev. Dubai, 2012``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ingest.model import slugify

PROPOSAL_MARK = r"\(?(?:MOD|ADD|SUP|NOC)\)?"
HEADER = re.compile(
    r"^(?:" + PROPOSAL_MARK + r"\s+)?(?:draft\s+(?:revision\s+of\s+)?)?(?:(?:new|revised)\s+)?"
    r"(?P<instrument>resolution|res\.|decision|recommendation|opinion)\s+"
    r"(?P<number>[0-9]+[A-Z]?|[IVXLC]+)\b"
    r"\s*(?:\((?P<revision>[^)]*)\))?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# A proposal marker standing alone before the header: ``MOD``, ``ADD PP/58/1``, ``(MOD)``.
MARKER_LINE = re.compile(r"^" + PROPOSAL_MARK + r"(?:\s+\S*[/#\d]\S*)?\s*$")
MAX_ID_LENGTH = 80
_INSTRUMENTS = {"res.": "resolution"}


@dataclass
class Header:
    """What a header line gives: the kind of instrument, its number and its revision."""

    instrument: str  # "resolution", "decision", "recommendation", "opinion"
    number: str
    revision: str


def read_header(line: str) -> Header | None:
    """The fields of a header line, or ``None`` when ``line`` is not one."""
    match = HEADER.match(line.strip())
    if match is None:
        return None
    instrument = match.group("instrument").lower()
    return Header(
        instrument=_INSTRUMENTS.get(instrument, instrument),
        number=match.group("number"),
        revision=revision_of(match.group("revision") or ""),
    )


def revision_of(parenthesized: str) -> str:
    """The revision in a header's parentheses; a history gives its last place and year.

    ``'Florianópolis, 2004; Johannesburg, 2008; Dubai, 2012'`` -> ``'Rev. Dubai, 2012'``.
    """
    parts = [part.strip() for part in parenthesized.split(";") if part.strip()]
    if len(parts) < 2:
        return normalize_revision(parenthesized)
    last = parts[-1]
    return normalize_revision(last if re.match(r"rev\b", last, re.IGNORECASE) else f"Rev. {last}")


def normalize_revision(revision: str) -> str:
    """``'REV.WRC-19'`` -> ``'Rev. WRC-19'``; ``'Rev. BAKU, 2025'`` -> ``'Rev. Baku, 2025'``."""
    revision = re.sub(r"\s+", " ", revision.strip())
    revision = re.sub(r"^rev\.?\s*", "Rev. ", revision, flags=re.IGNORECASE)

    def place_case(match: re.Match[str]) -> str:
        word = match.group(0)
        return word.title() if word.isupper() and len(word) > 3 and "-" not in word else word

    return re.sub(r"[A-Za-zÀ-ÿ'-]+", place_case, revision)


def capped_id(slug: str, limit: int = MAX_ID_LENGTH) -> str:
    """``slug`` if at most ``limit`` characters, else its head and a hash of the whole (unique)."""
    if len(slug) <= limit:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:10]
    return f"{slug[: limit - len(digest) - 1].rstrip('-')}-{digest}"


def document_id(body: str, number: str, revision: str, instrument: str = "resolution") -> str:
    """Stable document id from its citation fields: ``wtsa-43-rev-new-delhi-2024``.

    Other instruments name themselves (``pp-decision-3-minneapolis-1998``); ids longer than
    :data:`MAX_ID_LENGTH` characters are cut and end with a hash of the full id.
    """
    kind = "" if instrument == "resolution" else instrument
    return capped_id(slugify(" ".join(part for part in (body, kind, number, revision) if part)))
