"""Words of a clause, and the term map that generalizes body-specific wording.

Text is handled as :class:`Token` lists: a word or a punctuation mark, with the whitespace that
came before it (so text comes back exactly as printed). The term map (``data/terms.json``, plus
a user file named by ``RESOLUTIONS_TERMS_FILE``) turns body-specific wording into the wording of a
target body: for a Plenipotentiary Conference resolution, "WTSAs" becomes "conferences and
assemblies of the Union". Tokens produced by a rule keep the phrase they replace in ``origin``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.errors import ConfigurationError
from assistant.text.glossary import load_glossary

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "terms.json"
# A citation of a resolution: its number, revision, issuing body and title are names, never
# generalized ("Resolution 21 (Rev. Baku, 2025) of the WTDC, on ..." stays as it is).
_CITATION = re.compile(
    r"\bResolutions?\s+\d+[A-Z]?(?:\s*\([^()]*\))?"
    r"(?:\s+of\s+(?:the|this)\s+[^,;()]*(?:\([^()]*\))?)?(?:,\s+on\s+[^,;()]+)?"
)
# In a cited resolution, "of this conference" names the body of the text it is quoted from: in
# another body's text it becomes that body's name ("of the World Telecommunication Development
# Conference").
_CITED_SELF = re.compile(r"(?<=\bof )this (?:conference|assembly)\b", re.IGNORECASE)
_TOKEN = re.compile(r"(\s*)(\w[\w'’]*(?:[-‑]\w[\w'’]*)*|[^\w\s])")


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark, the whitespace before it, and for a term-map word (or an
    updated citation, see :mod:`assistant.drafting.citation_update`) the phrase it replaces."""

    text: str
    space: str = " "
    origin: str | None = None
    updated: bool = False  # the origin is an older revision of a cited resolution

    @property
    def key(self) -> str:
        """What alignment compares: the text with hyphen variants folded."""
        return self.text.replace("‑", "-")


def tokenize(text: str) -> list[Token]:
    """Split text into words and punctuation, keeping the whitespace before each."""
    return [Token(m.group(2), _space(m.group(1))) for m in _TOKEN.finditer(text)]


def _space(raw: str) -> str:
    """The whitespace before a token: a line break if it has one (a clause quoting a text on a
    line of its own keeps it), else one space, or none."""
    return "\n" if "\n" in raw else " " if raw else ""


def detokenize(tokens: list[Token]) -> str:
    """Text from tokens: each token's own leading whitespace (none at the start)."""
    out = "".join(token.space + token.text for token in tokens)
    return out.strip()


@dataclass(frozen=True)
class TermRule:
    """One body-specific phrase and its Union-wide wording."""

    source: str
    target: str
    bodies: tuple[str, ...] = ()
    note: str = ""

    def applies_to(self, body: str) -> bool:
        return not self.bodies or body.upper() in self.bodies


class TermMap:
    """The rules for each target body, applied longest phrase first, left to right."""

    def __init__(
        self, rules: dict[str, list[TermRule]], specific: dict[str, frozenset[str]] | None = None
    ) -> None:
        self.rules = {target.upper(): list(items) for target, items in rules.items()}
        self.specific = {t.upper(): words for t, words in (specific or {}).items()}
        self._patterns: dict[tuple[str, str], tuple[re.Pattern[str], list[TermRule]] | None] = {}

    def targets(self) -> list[str]:
        return sorted(self.rules)

    def specific_to_one_sector(self, target_body: str) -> frozenset[str]:
        """Lower-cased names a text for ``target_body`` should not keep (``wtsa``, ``tdag``)."""
        return self.specific.get(target_body.upper(), frozenset())

    def rules_for(self, target_body: str, source_body: str) -> list[TermRule]:
        """Rules that turn a clause of ``source_body`` into the wording of ``target_body``."""
        found = [r for r in self.rules.get(target_body.upper(), []) if r.applies_to(source_body)]
        return sorted(found, key=lambda rule: -len(rule.source))

    def _pattern(self, target: str, source: str) -> tuple[re.Pattern[str], list[TermRule]] | None:
        key = (target.upper(), source.upper())
        if key not in self._patterns:
            rules = self.rules_for(target, source)
            if not rules:
                self._patterns[key] = None
            else:
                parts = [r"\s+".join(map(re.escape, rule.source.split())) for rule in rules]
                alternation = "|".join(f"(?P<r{i}>{part})" for i, part in enumerate(parts))
                pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
                self._patterns[key] = (pattern, rules)
        return self._patterns[key]

    def generalize(
        self,
        text: str,
        source_body: str,
        target_body: str,
        updates: Sequence[tuple[int, int, str]] = (),
    ) -> list[Token]:
        """Tokens of ``text`` with the rules for ``target_body`` applied; replaced words carry
        the phrase they replace in ``origin``. Nothing changes when the bodies are the same
        and there are no rules for the target. ``updates`` (start, end, new wording) replace
        revisions of cited resolutions; their words are marked ``updated``."""
        compiled = self._pattern(target_body, source_body) if target_body else None
        replacements = [(start, end, new, True) for start, end, new in updates]
        if compiled is None and not replacements:
            return tokenize(text)
        citations = [m.span() for m in _CITATION.finditer(text)]
        if compiled is not None:
            pattern, rules = compiled
            kept = _already_general(text, rules) + citations
            for match in pattern.finditer(text):
                if any(_blocks(start, end, match.start(), match.end()) for start, end in kept):
                    continue  # the Union-wide wording is already there, or a citation's name
                rule = rules[int(str(match.lastgroup)[1:])]
                replacements.append((match.start(), match.end(), rule.target, False))
        name = body_name(source_body)
        if name and target_body and source_body.upper() != target_body.upper():
            for start, end in citations:
                for match in _CITED_SELF.finditer(text, start, end):
                    replacements.append((match.start(), match.end(), f"the {name}", False))
        tokens: list[Token] = []
        position = 0
        for start, end, target, updated in sorted(replacements):
            if start < position:
                continue  # overlaps a replacement already made
            tokens.extend(tokenize(text[position:start]))
            space = " " if start > 0 and text[start - 1].isspace() else ""
            replaced = tokenize(target)
            if replaced:
                replaced[0] = Token(replaced[0].text, space)
            tokens.extend(Token(t.text, t.space, text[start:end], updated) for t in replaced)
            position = end
        tokens.extend(_with_space(tokenize(text[position:]), text[position:]))
        return tokens


def body_name(body: str) -> str:
    """The full name of a body from the glossary ("World Telecommunication Development
    Conference" for WTDC), or "" when the glossary has none."""
    for entry in load_glossary().entries:
        if entry.term.upper() == body.upper() and entry.expansions:
            return str(entry.expansions[0])
    return ""


def name_words(body: str) -> frozenset[str]:
    """The words (lower case) of a body's full name that no other body's name has:
    ``{"plenipotentiary"}`` for PP; empty when the glossary does not name the body."""
    entries = [e for e in load_glossary().entries if e.kind == "body" and e.expansions]
    own = [e for e in entries if e.body.upper() == body.upper()]
    if not own:
        return frozenset()
    others = {w for e in entries if e.body.upper() != body.upper() for w in _words(e.expansions[0])}
    return frozenset(_words(own[0].expansions[0]) - others)


def _words(name: str) -> set[str]:
    return {token.key.lower() for token in tokenize(name)}


def _already_general(text: str, rules: list[TermRule]) -> list[tuple[int, int]]:
    """Where the text already has a rule's replacement wording (rules must not apply twice)."""
    spans = []
    for target in {rule.target for rule in rules if rule.target}:
        words = r"\s+".join(map(re.escape, target.split()))
        spans += [m.span() for m in re.finditer(rf"(?<![\w-]){words}(?![\w-])", text)]
    return spans


def _blocks(start: int, end: int, m_start: int, m_end: int) -> bool:
    """Whether Union-wide wording at ``start:end`` stops a match at ``m_start:m_end``: it does
    when they overlap, unless the match merely contains it ("WTSA regional preparatory
    meetings" still becomes "regional preparatory meetings")."""
    overlap = start < m_end and m_start < end
    contains = m_start <= start and end <= m_end and (m_start, m_end) != (start, end)
    return overlap and not contains


def _with_space(tokens: list[Token], text: str) -> list[Token]:
    if tokens and text[:1].isspace():
        tokens[0] = Token(tokens[0].text, " ", tokens[0].origin)
    return tokens


def _rules_from(data: dict[str, Any], source: str) -> dict[str, list[TermRule]]:
    targets = data.get("targets")
    if not isinstance(targets, dict):
        raise ConfigurationError(
            f"{source}: a term map needs an object 'targets' (see {DATA_FILE.name})"
        )
    rules: dict[str, list[TermRule]] = {}
    for target, entry in targets.items():
        items = entry.get("rules", []) if isinstance(entry, dict) else []
        for number, item in enumerate(items, 1):
            if not isinstance(item, dict) or not item.get("from") or "to" not in item:
                raise ConfigurationError(
                    f"{source}: rule {number} of {target} needs 'from' and 'to'"
                )
            bodies = tuple(str(b).upper() for b in item.get("bodies") or ())
            rules.setdefault(target.upper(), []).append(
                TermRule(str(item["from"]), str(item["to"]), bodies, str(item.get("note", "")))
            )
    return rules


def _specific_from(data: dict[str, Any]) -> dict[str, frozenset[str]]:
    targets = data.get("targets") or {}
    return {
        target.upper(): frozenset(str(w).lower() for w in entry.get("specific", []))
        for target, entry in targets.items()
        if isinstance(entry, dict)
    }


def load_term_map(extra: Path | None = None) -> TermMap:
    """The shipped term map, with the rules of ``extra`` (a JSON file of the same shape) first."""
    return _load(str(extra) if extra else "")


@lru_cache(maxsize=8)
def _load(extra: str) -> TermMap:
    shipped = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    rules = _rules_from(shipped, str(DATA_FILE))
    specific = _specific_from(shipped)
    if extra:
        path = Path(extra)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ConfigurationError(
                f"term map {path}: cannot read it as JSON ({error})"
            ) from error
        for target, items in _rules_from(data, str(path)).items():
            rules[target] = items + rules.get(target, [])
        for target, words in _specific_from(data).items():
            specific[target] = specific.get(target, frozenset()) | words
    return TermMap(rules, specific)
