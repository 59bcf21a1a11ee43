"""BM25 over clause chunks with ``bm25s``, persisted beside the vector index.

chromadb 1.5 has sparse vectors and ``Rrf`` in its ``Collection.search`` API, but that API raises
``NotImplementedError: Search is not implemented for Local Chroma`` in the embedded client (it is
for distributed/hosted Chroma), so lexical search and fusion are done here. The index is saved in
a folder with a fingerprint of the indexed generations; a different fingerprint means rebuild.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.text.names import Acronyms
from assistant.text.question import joined_compounds

FILTER_KEYS = ("body", "document", "keyword", "status", "kind", "section")
FIELD_KEYS = (*FILTER_KEYS, "label", "sub")  # kept per chunk (filters and boosts)
_WORD = re.compile(r"[a-z0-9]+")
TOKENS = 2  # the version of :func:`tokenize`: a saved index of another version is rebuilt
_STOPWORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "them",
        "this",
        "these",
        "those",
        "to",
        "was",
        "were",
        "which",
        "with",
        "what",
        "does",
        "do",
        "did",
        "how",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "shall",
        "should",
        "would",
        "will",
        "can",
        "could",
        "about",
        "any",
        "all",
        "there",
        "than",
        "then",
        "such",
        "so",
        "not",
        "no",
    )
)


@functools.cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-case word stems without stop words, and hyphenated words also written as one
    (``cease-fire``: ``ceasefire``; the same for passages and queries)."""
    lowered = text.lower()
    words = [
        w for w in (*_WORD.findall(lowered), *joined_compounds(lowered)) if w not in _STOPWORDS
    ]
    return list(_stemmer().stemWords(words))


# Verb phrases that frame what a question is about ("Which resolutions deal with Cyprus?"): words
# of the asking, whose rare forms in the texts ("refrain from all dealings with ...") outweighed
# the subject itself in a word search.
_TOPIC_FRAMES = re.compile(
    r"\b(?:deal|deals|dealt|dealing)\s+(?=with\b)"
    r"|\b(?:talk|talks|talked|talking)\s+(?=about\b)"
    r"|\b(?:touch|touches|touched|touching)\s+(?=(?:on|upon)\b)"
    r"|\b(?:pertain|pertains|pertained|pertaining)\s+(?=to\b)"
    r"|\b(?:has|have|had)\s+to\s+do\s+(?=with\b)",
    re.IGNORECASE,
)


def without_topic_frames(query: str) -> str:
    """``query`` without the verbs that frame its subject ("deal with" keeps only "with")."""
    return _TOPIC_FRAMES.sub("", query)


class LexicalIndex:
    """BM25 scores of chunks; each chunk maps to its clause id and filterable metadata."""

    def __init__(
        self,
        retriever: Any,
        clause_ids: list[str],
        fields: dict[str, list[str]],
        fingerprint: str,
        acronyms: Acronyms | None = None,
    ) -> None:
        self.retriever = retriever
        self.acronyms = acronyms or Acronyms()  # the acronyms the indexed texts define
        self.clause_ids = clause_ids
        self.fields = {key: np.asarray(values, dtype=object) for key, values in fields.items()}
        self.fingerprint = fingerprint
        self.vocab: dict[str, int] = dict(getattr(retriever, "vocab_dict", {}) or {})
        columns = [self.fields[key] for key in ("document", "keyword", "label", "sub")]
        self.clause_info: dict[str, tuple[str, str, str, str]] = {  # doc, keyword, label, sub
            c: (str(d), str(k), str(la), str(su))
            for c, d, k, la, su in zip(clause_ids, *columns, strict=True)
        }

    @classmethod
    def build(
        cls,
        texts: Sequence[str],
        clause_ids: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
        fingerprint: str,
    ) -> LexicalIndex:
        """Index chunk texts (tokens: :func:`tokenize`) and the acronyms they define."""
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75)
        tokens = [tokenize(text) or ["_empty_"] for text in texts]
        if tokens:
            retriever.index(tokens, show_progress=False)
        fields = {key: [str(m.get(key, "")) for m in metadatas] for key in FIELD_KEYS}
        return cls(retriever, list(clause_ids), fields, fingerprint, Acronyms.from_texts(texts))

    def search(
        self,
        query: str,
        n: int,
        filters: dict[str, list[str]] | None = None,
        expansion: str = "",
        expansion_weight: float = 0.3,
    ) -> list[tuple[str, float]]:
        """Best ``n`` clause ids (each once, best chunk) with positive BM25 score.

        ``expansion`` (glossary expansions of the query) counts with ``expansion_weight``: the
        words a person typed weigh more than the words added for them.
        """
        if not self.clause_ids or not self.vocab:
            return []
        own = tokenize(query)
        ids = [self.vocab[t] for t in own if t in self.vocab]
        extra = [self.vocab[t] for t in set(tokenize(expansion)) - set(own) if t in self.vocab]
        if not ids and not extra:
            return []
        scores = np.zeros(len(self.clause_ids), dtype=float)
        if ids:
            scores += np.asarray(self.retriever.get_scores(ids), dtype=float)
        if extra and expansion_weight:
            scores += expansion_weight * np.asarray(self.retriever.get_scores(extra), dtype=float)
        if filters:
            mask = np.ones(len(scores), dtype=bool)
            for key, values in filters.items():
                if key in self.fields:
                    mask &= np.isin(self.fields[key], list(values))
            scores = np.where(mask, scores, 0.0)
        count = min(len(scores), max(n * 3, n + 10))
        best = (
            np.argpartition(-scores, count - 1)[:count]
            if count < len(scores)
            else np.arange(len(scores))
        )
        best = best[np.argsort(-scores[best], kind="stable")]
        out: list[tuple[str, float]] = []
        seen: set[str] = set()
        for index in best:
            score = float(scores[index])
            if score <= 0:
                break
            clause = self.clause_ids[index]
            if clause not in seen:
                seen.add(clause)
                out.append((clause, score))
                if len(out) >= n:
                    break
        return out

    def save(self, folder: Path) -> None:
        """Write the index atomically (a temporary folder renamed into place)."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".bm25-", dir=folder.parent))
        try:
            if self.clause_ids:
                self.retriever.save(str(tmp / "bm25"), show_progress=False)
            meta = {
                "fingerprint": self.fingerprint,
                "clause_ids": self.clause_ids,
                "fields": {k: v.tolist() for k, v in self.fields.items()},
                "acronyms": self.acronyms.long_forms,
                "tokens": TOKENS,
            }
            (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            old = folder.with_name(folder.name + ".old")
            if folder.exists():
                shutil.rmtree(old, ignore_errors=True)
                folder.rename(old)
            tmp.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, fingerprint: str) -> LexicalIndex | None:
        """The saved index if it matches ``fingerprint``; ``None`` if absent, stale or broken."""
        meta_file = folder / "meta.json"
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("fingerprint") != fingerprint or meta.get("tokens") != TOKENS:
            return None  # stale, or made by another :func:`tokenize`: rebuilt
        if "acronyms" not in meta:
            return None  # saved before acronyms were kept: rebuilt
        import bm25s

        retriever: Any = bm25s.BM25()
        if meta["clause_ids"]:
            try:
                retriever = bm25s.BM25.load(str(folder / "bm25"), show_progress=False)
            except (OSError, ValueError, KeyError):
                return None
        acronyms = Acronyms({str(k): list(v) for k, v in meta["acronyms"].items()})
        return cls(retriever, meta["clause_ids"], meta["fields"], fingerprint, acronyms)
