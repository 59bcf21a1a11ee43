"""Verb phrases that frame what a question is about ("Which resolutions deal with Cyprus?").

They are words of the asking, not of the subject. Their forms are rare in resolution texts
("refrain from all dealings with ..."), so a word search weighs them above the subject itself;
:func:`without_topic_frames` takes them out of the words searched for.
"""

from __future__ import annotations

import re

_TOPIC_FRAMES = re.compile(
    r"\b(?:deal|deals|dealt|dealing)\s+(?=with\b)"
    r"|\b(?:talk|talks|talked|talking)\s+(?=about\b)"
    r"|\b(?:touch|touches|touched|touching)\s+(?=(?:on|upon)\b)"
    r"|\b(?:pertain|pertains|pertained|pertaining)\s+(?=to\b)"
    r"|\b(?:has|have|had)\s+to\s+do\s+(?=with\b)",
    re.IGNORECASE,
)


def without_topic_frames(query: str) -> str:
    """``query`` without the verbs that frame its topic ("deal with" keeps only "with")."""
    return _TOPIC_FRAMES.sub("", query)
