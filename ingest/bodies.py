"""Who adopted a resolution: body names as printed in adopting lines, and their short forms."""

from __future__ import annotations

import re

# (pattern in the adopting line or header, short name), most specific first.
BODY_PATTERNS: list[tuple[str, str]] = [
    (r"plenipotentiary conference", "PP"),
    (r"world telecommunication standardi[sz]ation assembly", "WTSA"),
    (r"world telecommunication development conference", "WTDC"),
    (r"world radiocommunication conference", "WRC"),
    (r"radiocommunication assembly", "RA"),
    (r"world conference on international telecommunications", "WCIT"),
    (r"security council", "UNSC"),
    (r"general assembly", "UNGA"),
    (r"economic and social council", "ECOSOC"),
    (r"human rights council", "HRC"),
]

SECTION_OF_BODY = {"WTSA": "ITU-T", "WTDC": "ITU-D", "WRC": "ITU-R", "RA": "ITU-R"}


def body_from_text(text: str) -> str:
    """The short name of the body named in ``text`` (an adopting line), or ``""``."""
    lowered = text.lower()
    for pattern, short in BODY_PATTERNS:
        if re.search(pattern, lowered):
            return short
    return ""


def body_from_adopting_line(line: str) -> str:
    """Short name of the body, or the name as printed when it is not a known one.

    ``"The Council of Europe (Strasbourg, 2020),"`` -> ``"Council of Europe"``.
    """
    known = body_from_text(line)
    if known:
        return known
    name = re.sub(r"^\s*the\s+", "", line, flags=re.IGNORECASE)
    name = re.sub(r"\s*\(.*$", "", name).strip(" ,.")
    return name
