"""Comparisons that compare: two resolutions on one subject ("How do WTSA 43 and WTDC 31
differ on regional preparatory meetings?").

The clauses of each text on the subject (every idea of the subject in the clause, acronyms read
through the glossary both ways) are paired by the clause alignment
(:mod:`assistant.align.alignment`); each pair is shown side by side with its word-level
differences (:mod:`assistant.text.redline`), and the clauses one text has on the subject and the
other lacks are listed. The first sentence says what differs, from the differing words only: the
aspects they touch (timing, who organizes, what is reported, who takes part, money) with the
words of each text, never a word the texts do not hold.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.chat.tools import Tools
from assistant.text.glossary import load_glossary
from assistant.text.question import STOPWORDS, stems, term_groups
from assistant.text.redline import Edit, diff_words, to_markdown

MAX_PAIRS = 6
# What a run of differing words is about, by the words in it (stems of a light stemmer).
ASPECTS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "timing",
        frozenset(
            "month months year years prior before after earlier later soon closest time "
            "immediately preceding following date dates deadline last conjunction week weeks "
            "day days session".split()
        ),
    ),
    (
        "who organizes",
        frozenset(
            "director bureau secretary-general council convene chairs vice-chairs partnership "
            "offices tdag tsag rag".split()
        ),
    ),
    (
        "what is reported",
        frozenset("report reports results feedback submit submitted consolidating outputs".split()),
    ),
    (
        "who takes part",
        frozenset("participate participation members countries least developed states".split()),
    ),
    ("funding", frozenset("financial budget budgetary fellowships resources".split())),
)
# Words that only name the body or its meetings: a run of these alone is no difference.
NAMES = frozenset(
    """
    wtsa wtsas wtdc wtdcs wrc wrcs pp standardization development radiocommunication
    telecommunication assembly assemblies conference conferences world tsb bdt br itu-t itu-d
    itu-r sector sectors plenipotentiary rpm rpms regional preparatory meeting meetings
    organizations organisations rtos rto
    """.split()
)


def _clause_stems(text: str) -> set[str]:
    """Stems of a clause's words and of the expansions of its acronyms ("RPMs")."""
    return stems(text) | stems(" ".join(load_glossary().expansions(text)))


def on_subject(text: str, topic: str) -> bool:
    """Whether a clause holds every idea of ``topic`` (an acronym or its expansion)."""
    groups = term_groups(topic)
    have = _clause_stems(text)
    return bool(groups) and all(any(alt <= have for alt in g.alternatives) for g in groups)


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w-]+", text)]


def _runs(edits: list[Edit]) -> list[tuple[str, str]]:
    """(deleted, inserted) runs of a diff: what one text says where the other says otherwise."""
    runs: list[tuple[str, str]] = []
    old, new = "", ""
    for edit in edits:
        if edit.kind == "equal":
            if edit.text.strip():
                if old.strip() or new.strip():
                    runs.append((old.strip(), new.strip()))
                old, new = "", ""
            continue
        if edit.kind == "delete":
            old += edit.text
        else:
            new += edit.text
    if old.strip() or new.strip():
        runs.append((old.strip(), new.strip()))
    return runs


def _substantive(run: tuple[str, str]) -> bool:
    words = [w for w in _words(" ".join(run)) if w not in STOPWORDS and not w.isdigit()]
    return any(w not in NAMES for w in words)


def _aspects(run: tuple[str, str]) -> list[str]:
    words = set(_words(" ".join(run)))
    return [name for name, keys in ASPECTS if words & keys]


def _short(text: str, limit: int = 140) -> str:
    text = text.strip(" ,;:")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def compare_on_subject(
    tools: Tools, documents: list[str], topic: str, phrase: str = ""
) -> dict[str, Any] | None:
    """The reply fields of a comparison of two resolutions on ``topic`` (its content words;
    ``phrase``: the subject as the person wrote it); ``None`` when neither text has a clause on
    it that the other matches (the answerer is asked instead)."""
    a_id, b_id = documents[:2]
    catalog = tools.catalog
    if a_id not in catalog.by_id or b_id not in catalog.by_id:
        return None
    names = {d: catalog.by_id[d].short_name for d in (a_id, b_id)}
    alignment = tools.align(a_id, [b_id])
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    lacks: dict[str, list[dict[str, Any]]] = {a_id: [], b_id: []}  # clauses only in the key's
    for group in alignment.get("groups", []):
        clauses = group.get("clauses", [])
        mine = [c for c in clauses if c["document"] == a_id]
        theirs = [c for c in clauses if c["document"] == b_id]
        if not any(on_subject(c["text"], topic) for c in clauses):
            continue
        if mine and theirs:
            pairs.append((mine[0], theirs[0]))
        else:
            for clause in mine + theirs:
                lacks[clause["document"]].append(clause)
    if not pairs and not (lacks[a_id] and lacks[b_id]):
        return None
    rows: list[tuple[dict[str, Any], dict[str, Any], list[Edit], list[tuple[str, str]]]] = []
    for a, b in pairs:
        edits = diff_words(a["text"], b["text"])
        rows.append((a, b, edits, [r for r in _runs(edits) if _substantive(r)]))
    rows.sort(key=lambda r: -sum(len(_words(" ".join(x))) for x in r[3]))
    lead = _lead(phrase or topic, names[a_id], names[b_id], rows)
    only = []
    for owner, other in ((a_id, b_id), (b_id, a_id)):
        if lacks[owner]:
            cited = "; ".join(c["citation"] for c in lacks[owner])
            only.append(f"{names[owner]} has clauses on it that {names[other]} lacks: {cited}.")
    lines = [lead, *only, ""]
    citations: list[dict[str, Any]] = []
    for a, b, edits, runs in rows[:MAX_PAIRS]:
        state = f"{len(runs)} differences" if runs else "the same but for the names"
        lines.append(f"{a['citation']} <-> {b['citation']} ({state}):")
        lines.append(to_markdown(edits))
        citations += [a, b]
    for owner in (a_id, b_id):
        for clause in lacks[owner][:3]:
            lines.append(f'Only in {names[owner]}: {clause["citation"]}: "{clause["text"]}"')
            citations.append(clause)
    tools.retrieved.update(c["id"] for c in citations)
    return {
        "status": "answered",
        "answer": "\n".join(lines).strip(),
        "citations": citations,
        "comparison_pairs": [
            {"a": a["id"], "b": b["id"], "differences": [list(r) for r in runs]}
            for a, b, _, runs in rows
        ],
    }


def _segments(text: str) -> list[str]:
    return [
        p.strip()
        for p in re.split(r"[,;:]\s+|\s+(?=followed by\b|to be held\b)", text)
        if p.strip()
    ]


def _aspect_phrases(a: str, b: str) -> dict[str, tuple[list[str], list[str]]]:
    """For each aspect, the phrases of each text that touch it with words the other lacks."""
    words_a, words_b = set(_words(a)), set(_words(b))
    found: dict[str, tuple[list[str], list[str]]] = {}
    for name, keys in ASPECTS:
        sides: list[list[str]] = []
        for text, other in ((a, words_b), (b, words_a)):
            phrases = []
            for segment in _segments(text):
                mine = set(_words(segment))
                own = {w for w in mine - other if w not in STOPWORDS and w not in NAMES}
                if mine & keys and own:
                    phrases.append(segment)
            sides.append(phrases)
        if sides[0] or sides[1]:
            found[name] = (sides[0], sides[1])
    return found


def _said(name: str, phrases: list[str]) -> str:
    if not phrases:
        return f"{name} says nothing of it"
    return f"{name} has " + " and ".join(f'"{_short(p, 110)}"' for p in phrases[:2])


def _lead(
    topic: str,
    a_name: str,
    b_name: str,
    rows: list[tuple[dict[str, Any], dict[str, Any], list[Edit], list[tuple[str, str]]]],
) -> str:
    """One sentence on what differs, from the differing words of the pairs."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for a, b, _, runs in rows:
        if not runs:
            continue
        for aspect, sides in _aspect_phrases(a["text"], b["text"]).items():
            found.setdefault(aspect, sides)
    if not found:
        if any(runs for *_, runs in rows):
            a, b, _, runs = next(r for r in rows if r[3])
            old, new = runs[0]
            return (
                f"On {topic}, {a_name} and {b_name} differ in wording: {a_name} has "
                f'"{_short(old) or "nothing"}" where {b_name} has "{_short(new) or "nothing"}".'
            )
        return f"On {topic}, {a_name} and {b_name} say the same but for the names of the bodies."
    parts: list[str] = []
    shown: set[str] = set()
    for aspect, (mine, theirs) in found.items():
        if len(parts) == 2 or set(mine + theirs) <= shown:
            continue
        shown |= set(mine + theirs)
        parts.append(f"{aspect} ({_said(a_name, mine)}; {_said(b_name, theirs)})")
    return f"On {topic}, {a_name} and {b_name} differ in " + " and in ".join(parts) + "."
