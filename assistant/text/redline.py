"""Word-level redlines: what to insert and delete to turn a base text into a proposal.

``diff_words(base, proposal)`` gives a list of :class:`Edit` (``equal``, ``insert``,
``delete``), each with the whitespace before it, so that the equal and inserted parts read as the
proposal and the equal and deleted parts as the base. Rendered as Markdown or HTML with
``<ins>``/``<del>``, and written as Word revisions by :mod:`assistant.word.writer`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from assistant.text.terms import Token, tokenize

EditKind = Literal["equal", "insert", "delete"]


@dataclass
class Edit:
    """A run of words that is kept, inserted or deleted; ``text`` starts with its whitespace."""

    kind: EditKind
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text}


def _text(tokens: list[Token]) -> str:
    return "".join(token.space + token.text for token in tokens)


def diff_words(base: str, proposal: str) -> list[Edit]:
    """Word-level edits from ``base`` to ``proposal`` (a deletion comes before its insertion)."""
    old, new = tokenize(base), tokenize(proposal)
    matcher = SequenceMatcher(None, [t.key for t in old], [t.key for t in new], autojunk=False)
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            if old[i1].space != new[j1].space:  # the word is kept, the space before it is not
                _add(edits, "delete", old[i1].space)
                _add(edits, "insert", new[j1].space)
                _add(edits, "equal", new[j1].text + _text(new[j1 + 1 : j2]))
            else:
                _add(edits, "equal", _text(new[j1:j2]))
            continue
        if i2 > i1:
            _add(edits, "delete", _text(old[i1:i2]))
        if j2 > j1:
            _add(edits, "insert", _text(new[j1:j2]))
    return [edit for edit in edits if edit.text]


def _add(edits: list[Edit], kind: EditKind, text: str) -> None:
    if not text:
        return
    if edits and edits[-1].kind == kind:
        edits[-1].text += text
    else:
        edits.append(Edit(kind, text))


def accepted(edits: list[Edit]) -> str:
    """The proposal: equal and inserted text."""
    return "".join(e.text for e in edits if e.kind != "delete").strip()


def original(edits: list[Edit]) -> str:
    """The base: equal and deleted text."""
    return "".join(e.text for e in edits if e.kind != "insert").strip()


def _split_space(text: str) -> tuple[str, str]:
    stripped = text.lstrip()
    return text[: len(text) - len(stripped)], stripped


def render(edits: list[Edit], *, escape: bool) -> str:
    """Edits with ``<ins>``/``<del>`` tags; whitespace stays outside the tags."""
    out: list[str] = []
    for edit in edits:
        space, body = _split_space(edit.text)
        body = html.escape(body, quote=False) if escape else body.replace("<", "&lt;")
        if edit.kind == "equal" or not body:
            out.append(space + body)
        else:
            tag = "ins" if edit.kind == "insert" else "del"
            out.append(f"{space}<{tag}>{body}</{tag}>")
    return "".join(out)


def to_markdown(edits: list[Edit]) -> str:
    """Markdown (with inline ``<ins>``/``<del>``, which Markdown renderers show as marks)."""
    return render(edits, escape=False)


def to_html(edits: list[Edit]) -> str:
    """An HTML fragment (text escaped)."""
    return render(edits, escape=True)


def summary(edits: list[Edit]) -> dict[str, int]:
    """How many words were inserted and deleted."""
    counts = {"inserted_words": 0, "deleted_words": 0}
    for edit in edits:
        if edit.kind != "equal":
            key = "inserted_words" if edit.kind == "insert" else "deleted_words"
            counts[key] += sum(1 for t in tokenize(edit.text) if t.text[0].isalnum())
    return counts
