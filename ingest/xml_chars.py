"""Characters that XML 1.0 cannot hold (or should not), removed from text at ingest.

A clause carrying U+0001, U+001B, U+FFFE or a lone surrogate would be accepted, then break every
Word export that touches it (lxml: "All strings must be XML compatible"). Removed: C0 controls
other than tab and newline, DEL and the C1 controls (U+007F-U+009F), surrogates, U+FFFE and U+FFFF.
Vertical tab (Word's manual line break) becomes a space, as ``w:br`` does in a .docx; form feed
(a page break) and NEL (U+0085) become a newline.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from typing import Any

_REPLACED = str.maketrans({"\v": " ", "\f": "\n", "\x85": "\n"})
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters above (a vertical tab or form feed kept as white space)."""
    if UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub("", text.replace("\r\n", "\n").translate(_REPLACED).replace("\r", "\n"))


def clean_strings(item: Any) -> None:
    """Make every string field of a dataclass tree (a parsed document) XML-safe, in place."""
    if is_dataclass(item) and not isinstance(item, type):
        for spec in fields(item):
            value = getattr(item, spec.name)
            if isinstance(value, str):
                if UNSAFE.search(value) is not None:
                    setattr(item, spec.name, xml_safe(value))
            else:
                clean_strings(value)
    elif isinstance(item, list):
        for index, value in enumerate(item):
            if isinstance(value, str):
                item[index] = xml_safe(value)
            else:
                clean_strings(value)
