"""The prompted answer: a chat model words it from the retrieved clauses, checked as it streams.

The clauses go to the model as DATA, each marked ``[C1]``, ``[C2]``... (prompts ``answer_system``
and ``answer_user``). While tokens stream, every bracketed marker is held back until it closes, then
checked (:mod:`assistant.answering.citations`): a known, retrieved id whose preceding quote (if any)
is in the clause becomes its readable citation; an unknown or unretrieved id is dropped, never
shown. An answer with no valid citation is replaced by the offline answer (``mode == "fallback"``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from assistant.answering import citations as checks
from assistant.answering.evidence import Evidence, Retrieval
from assistant.answering.model import Answer, plain_citation
from assistant.chat_model import Message, as_chat_model
from assistant.index.model import ClauseLibrary
from prompts import load_prompt

MAX_CLAUSES = 6
MARKER_PART = re.compile(r"^\s*(?:C\d{1,3}|[a-z0-9][a-z0-9.-]*(?:/[A-Za-z0-9._-]+)+)\s*$")
TRAILING_QUOTE = re.compile(r"[\"“]([^\"“”]{3,})[\"”]\s*[,.;:]?\s*$")
MAX_MARKER = 200


def _data(text: str) -> str:
    """Clause text made inert inside the DATA block (no closing tag, no fake markers)."""
    text = re.sub(r"</?\s*data\s*>", "(data)", text, flags=re.IGNORECASE)
    return text.replace("[", "(").replace("]", ")")


def build_messages(
    question: str, evidence: list[Evidence]
) -> tuple[list[Message], dict[str, Evidence]]:
    """The system and user messages, and the key (``C1``...) of each clause."""
    keys = {f"C{i}": e for i, e in enumerate(evidence, start=1)}
    blocks = [
        f"[{key}] {e.citation.get('citation', '')}\n{_data(str(e.citation.get('text', '')))}"
        for key, e in keys.items()
    ]
    user = (
        load_prompt("answer_user")
        .replace("{question}", _data(question))
        .replace("{clauses}", "\n\n".join(blocks))
    )
    return [
        {"role": "system", "content": load_prompt("answer_system")},
        {"role": "user", "content": user},
    ], keys


class CitationFilter:
    """Streams text through, replacing checked citation markers and dropping invalid ones."""

    def __init__(self, check: Callable[[str, str], tuple[str | None, str]]) -> None:
        self.check = check  # (marker, quoted words) -> (clause id or None, reason)
        self.shown = ""
        self.marker = ""
        self.cited: list[str] = []
        self.rejected: list[checks.Rejected] = []

    def feed(self, piece: str) -> str:
        """The text to show for ``piece`` (a marker is held back until it closes)."""
        out: list[str] = []
        for char in piece:
            emitted = ""
            if self.marker:
                self.marker += char
                if char == "]":
                    emitted, self.marker = self._close(self.marker), ""
                elif char == "\n" or len(self.marker) > MAX_MARKER:
                    emitted, self.marker = self.marker, ""
            elif char == "[":
                self.marker = char
            else:
                emitted = char
            if emitted:
                out.append(emitted)
                self.shown += emitted
        return "".join(out)

    def close(self) -> str:
        rest, self.marker = self.marker, ""
        return rest

    def _close(self, marker: str) -> str:
        parts = re.split(r"[,;]", marker[1:-1])
        if not all(MARKER_PART.match(p) for p in parts):
            return marker
        quote = TRAILING_QUOTE.search(self.shown)
        words = quote.group(1) if quote else ""
        readable = []
        for part in parts:
            clause_id, reason = self.check(part.strip(), words)
            if clause_id is None:
                self.rejected.append(checks.Rejected(checks.Quote(part.strip(), words), reason))
                continue
            if clause_id not in self.cited:
                self.cited.append(clause_id)
            readable.append(reason)
        return f"({'; '.join(readable)})" if readable else ""


def stream_llm_answer(
    library: ClauseLibrary, retrieval: Retrieval, chat_model: Any, offline: Answer
) -> Iterator[str | Answer]:
    """Yield the model's tokens (markers checked), then the final Answer (or the fallback).

    When the offline answer is ``not_found`` or ``partial`` (the model is consulted because
    retrieval was uncertain), a citation counts only with the clause's own words quoted before
    it."""
    need_quote = offline.status != "answered"
    model = as_chat_model(chat_model)
    evidence = retrieval.supporting + [e for e in retrieval.evidence if not e.supports]
    evidence = evidence[:MAX_CLAUSES]
    messages, keys = build_messages(retrieval.question.text, evidence)
    by_id = {e.id: e for e in evidence}
    retrieved = retrieval.retrieved_ids

    def check(marker: str, words: str) -> tuple[str | None, str]:
        evidence_item = keys.get(marker.upper()) if marker[:1] in "cC" else by_id.get(marker)
        clause_id = evidence_item.id if evidence_item else marker
        reason = checks.problem(library, checks.Quote(clause_id, words), retrieved)
        if evidence_item is None and not reason:
            reason = f"clause {clause_id!r} was not given to the model"
        if need_quote and not words.strip() and not reason:
            reason = f"no words of clause {clause_id!r} quoted (needed when retrieval is uncertain)"
        if reason:
            return None, reason
        assert evidence_item is not None
        return clause_id, str(evidence_item.citation.get("citation", clause_id))

    cleaner = CitationFilter(check)
    text: list[str] = []
    note = ""
    try:
        for token in model.stream(messages):
            shown = cleaner.feed(token)
            if shown:
                text.append(shown)
                yield shown
        tail = cleaner.close()
        if tail:
            text.append(tail)
            yield tail
    except Exception as error:  # the server failed: the offline answer stands
        note = f"the language model failed ({type(error).__name__}: {error}); offline answer shown"
    if not cleaner.cited:
        yield Answer(
            offline.status,
            offline.text,
            offline.citations,
            offline.related,
            offline.question,
            "fallback",
            offline.rejected + cleaner.rejected,
            note or "the model's answer cited no retrieved clause; offline answer shown",
        )
        return
    cited = [by_id[i] for i in cleaner.cited]
    related = [plain_citation(e.citation) for e in retrieval.evidence if e.id not in cleaner.cited][
        :3
    ]
    yield Answer(
        "answered",
        "".join(text).strip(),
        [plain_citation(e.citation) for e in cited],
        related,
        retrieval.question.text,
        "llm",
        cleaner.rejected,
    )
