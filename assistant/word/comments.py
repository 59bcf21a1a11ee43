"""Word comments on redlined clauses: where the merged sources differ, the readings not chosen.

A clause whose spans carry ``alternatives`` (:meth:`assistant.drafting.draft.Span.to_json`) gets one
comment anchored on its whole paragraph, the way drafters annotate negotiation texts::

    The sources differ here:
    «their» (WTSA Res. 43 (Rev. New Delhi, 2024), invites the Secretary-General 3) or «the» (...)
    nothing after «the ITU Council» (...) or «during the calendar year» (...)

A clause that cites a resolution in a newer revision than its source did
(:mod:`assistant.drafting.citation_update`) says so in the same comment. Sources are cited by their
citation string with the section heading cut at its first comma.
The markers are children of the ``w:p``: ``w:commentRangeStart`` before its first run,
``w:commentRangeEnd`` after its last, then a run holding the ``w:commentReference``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from assistant.drafting.model import words_before
from ingest.docx_revisions import read_paragraph
from ingest.xml_chars import xml_safe

HEADER = "The sources differ here:"
UPDATED = "Cited in the newest revision in force in the library:"
Cite = Callable[[str], str]


def short_citation(cited: Mapping[str, Any]) -> str:
    """``WTDC Res. 31 (Rev. Baku, 2025), requests the Secretary-General 4``: the citation string
    with a long section heading cut at its first comma (the id when there is no citation)."""
    text = str(cited.get("citation") or cited.get("id") or "")
    section = str(cited.get("section") or "")
    if "," in section and section in text:
        text = text.replace(section, section.split(",", 1)[0].rstrip(), 1)
    return text


def citer(sources: Iterable[Mapping[str, Any]], fallback: Cite | None = None) -> Cite:
    """A function from a clause id to its short citation: from ``sources`` (citation objects),
    else ``fallback``, else the id itself."""
    known = {str(c["id"]): short_citation(c) for c in sources if c.get("id")}

    def cite(source: str) -> str:
        if source not in known:
            known[source] = fallback(source) if fallback else source
        return known[source]

    return cite


def _reading(text: str, sources: list[str], term_map: bool, cite: Cite) -> str:
    where = "; ".join(cite(s) for s in sources) + ("; term map" if term_map else "")
    return f"{text} ({where})" if where else text


def comment_text(spans: list[Mapping[str, Any]], cite: Cite) -> str:
    """The comment for one clause (paragraphs separated by newlines), or ``""`` when its sources
    agree everywhere and it cites no resolution in a newer revision than its source."""
    updated = [
        f"«{str(span['text']).strip()}» (was «{'; '.join(span.get('replaces', []))}»)"
        for span in spans
        if span.get("updated_citation")
    ]
    notes = [UPDATED, *updated] if updated else []
    differ = _differences(spans, cite)
    return "\n".join([*([HEADER, *differ] if differ else []), *notes])


def _differences(spans: list[Mapping[str, Any]], cite: Cite) -> list[str]:
    lines: list[str] = []
    for k, span in enumerate(spans):
        others = span.get("alternatives") or []
        if not others:
            continue
        chosen = str(span["text"]).strip()
        if chosen:
            words = f"«{chosen}»"
        else:
            before = words_before(spans, k)
            words = f"nothing after «{before}»" if before else "nothing at the start"
        parts = [_reading(words, list(span["sources"]), bool(span.get("term_map")), cite)]
        for other in others:
            text = str(other["text"]).strip()
            shown = f"«{text}»" if text else "nothing"
            parts.append("or " + _reading(shown, list(other["sources"]), "term_map" in other, cite))
        lines.append(" ".join(parts))
    return lines


def initials(author: str) -> str:
    """``Resolution assistant`` -> ``RA``."""
    return "".join(word[0] for word in author.split() if word[:1].isalnum()).upper()


def comment_paragraph(document: Any, paragraph: Any, text: str, author: str) -> int | None:
    """Add a comment with ``text`` to ``document`` (python-docx) anchored on the whole ``w:p``
    ``paragraph``; returns its id (``None`` and nothing added when ``text`` is empty)."""
    if not text:
        return None
    comment = document.comments.add_comment(
        text=xml_safe(text), author=author, initials=initials(author)
    )
    number = str(comment.comment_id)
    start = OxmlElement("w:commentRangeStart", attrs={qn("w:id"): number})
    props = paragraph.find(qn("w:pPr"))
    paragraph.insert(0 if props is None else paragraph.index(props) + 1, start)
    paragraph.append(OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): number}))
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:commentReference", attrs={qn("w:id"): number}))
    paragraph.append(run)
    return int(number)


def accepted_text(paragraph: Any) -> str:
    """The text of a ``w:p`` with its tracked changes accepted (as our .docx reader reads it)."""
    return read_paragraph(paragraph).render("accepted", {})
