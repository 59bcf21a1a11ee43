"""A revision as a redline of its base: the comparison (base -> proposal), Markdown with
``<ins>``/``<del>``, and a Word document with tracked changes headed ``MOD``.

The pairing of clauses is known (each kept or revised clause revises one base clause, added ones
are new), so the comparison is built from it rather than guessed, and written by the comparison's
own Word writer (:func:`assistant.word.comparison.write_comparison_docx`); the clauses whose sources
differ then get Word comments (:mod:`assistant.word.comments`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document as open_docx
from docx.oxml.ns import qn

from assistant.align.alignment import ClauseRef
from assistant.align.compare import ClauseChange, Comparison
from assistant.index.model import ClauseLibrary
from assistant.text.redline import Edit, diff_words, to_markdown
from assistant.word.comments import (
    accepted_text,
    citer,
    comment_paragraph,
    comment_text,
    short_citation,
)
from assistant.word.comparison import printed_label, write_comparison_docx
from assistant.word.writer import DEFAULT_AUTHOR
from ingest.model import citation

if TYPE_CHECKING:
    from assistant.drafting.revise import Revision


def comparison(revision: Revision) -> Comparison:
    """The base (old) against the proposal (new), clause by clause in the proposal's order."""
    changes: list[ClauseChange] = []
    position = 0
    for entry in revision.entries:
        assert entry.section is not None
        new = ClauseRef(revision.document, entry.section, entry.clause, position)
        position += 1
        if entry.base is None:
            changes.append(ClauseChange("added", None, new))
            continue
        edits = diff_words(entry.base.clause.full_text, entry.clause.full_text)
        same = all(e.kind == "equal" for e in edits)
        status = (
            "unchanged" if same and entry.clause.label == entry.base.clause.label else "modified"
        )
        changes.append(ClauseChange(status, entry.base, new, edits))
    return Comparison(revision.base, revision.document, changes)


def write_revision_docx(
    path: str | Path,
    revision: Revision,
    *,
    author: str = DEFAULT_AUTHOR,
    library: ClauseLibrary | None = None,
) -> Path:
    """The proposal as a Word redline of the base (``MOD``, tracked insertions and deletions).
    Each clause whose sources differ gets a Word comment with the readings not chosen; their
    sources are cited from the base document, else ``library.clause(id)`` (short headings), else
    the revision's own ``citations``."""
    target = write_comparison_docx(path, comparison(revision), author=author)
    base = revision.base
    fallback = (
        (lambda i: short_citation(library.clause(i)))
        if library is not None
        else (lambda i: revision.citations.get(i, i))
    )
    cite = citer([citation(base, s, c) for s, c in base.clauses()], fallback)
    comments = [(e, comment_text([s.to_json() for s in e.spans], cite)) for e in revision.entries]
    if not any(text for _, text in comments):
        return target
    document = open_docx(str(target))
    paragraphs = list(document.element.body.iter(qn("w:p")))
    texts = [accepted_text(p) for p in paragraphs]
    position = 0
    for entry, text in comments:  # clause paragraphs come in the proposal's order
        assert entry.section is not None
        start = printed_label(ClauseRef(revision.document, entry.section, entry.clause, 0))
        start = f"{start}\t{entry.clause.text}" if start else entry.clause.text
        found = next((k for k in range(position, len(texts)) if texts[k].startswith(start)), None)
        if found is not None and text:
            comment_paragraph(document, paragraphs[found], text, author)
        position = position if found is None else found + 1
    document.save(str(target))
    return target


def _marked(old: str, new: str) -> str:
    if old == new:
        return new
    return to_markdown([e for e in (Edit("delete", old), Edit("insert", new)) if e.text])


def to_markdown_redline(revision: Revision) -> str:
    """The whole proposal as Markdown: ``MOD``, headings, and each clause with its changes."""
    base, lines = revision.base, ["**MOD**", ""]
    lines += [f"**{base.short_name}**", "", f"**{base.title}**", ""]
    heading = None
    bases = {s.heading for s in base.sections}
    for change in comparison(revision).changes:
        assert change.new is not None
        section = change.new.section.heading
        if section != heading:
            heading = section
            shown = section if section in bases else f"<ins>{section}</ins>"
            lines += [f"*{shown}*", ""]
        label = _marked(printed_label(change.old), printed_label(change.new))
        if change.old is None:
            text = to_markdown([Edit("insert", change.new.clause.full_text)])
        else:
            text = to_markdown(change.edits)
        lines += [f"{label} {text}".rstrip() if label else text, ""]
    return "\n".join(line for k, line in enumerate(lines) if line or lines[k - 1]).strip() + "\n"
