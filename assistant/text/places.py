"""Places as people name them, and the names resolutions use (``assistant/data/places.json``).

"What did the Council ask Lisbon to do?" asks about Portugal; "Syria" is "the Syrian Arab
Republic" in the texts. A capital or a short country name in a query adds the country's other
names to the search (as glossary expansions do) and to the ideas a clause may use to speak of it.
Matching is case-sensitive: "Male" the capital, not "male". The data file is generated from
GeoNames and ISO 3166 by ``python -m evals.make_places``.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

PLACES_FILE = Path(__file__).resolve().parents[1] / "data" / "places.json"


@dataclass(frozen=True)
class Place:
    """``Lisbon`` -> ``Portugal`` (kind ``capital``); ``Syria`` -> ``Syrian Arab Republic``
    (kind ``country``)."""

    term: str
    names: tuple[str, ...]
    kind: str = "capital"


def fold(text: str) -> str:
    """``text`` as a place's name is looked up: without accents and the apostrophes inside
    words ("Sana'a" is "Sanaa", "Bogotá" is "Bogota")."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"(?<=[A-Za-z])['’](?!s\b)(?=[a-z])", "", bare)  # not a possessive's


class Places:
    """Lookups of place terms in a text (folded: :func:`fold`)."""

    def __init__(self, places: list[Place], states: list[str] | None = None) -> None:
        self.by_term: dict[str, list[Place]] = {}
        for place in places:
            self.by_term.setdefault(fold(place.term), []).append(place)
        terms = sorted(self.by_term, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in terms) + r")(?![\w-])")
            if terms
            else None
        )
        names = sorted(set(states or ()), key=len, reverse=True)
        self._states = (
            re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
            if names
            else None
        )

    def found(self, text: str) -> list[Place]:
        """The places whose term ``text`` uses, in order of appearance."""
        if self._pattern is None:
            return []
        return [p for m in self._pattern.finditer(fold(text)) for p in self.by_term[m.group(1)]]

    def expansions(self, text: str) -> list[str]:
        """The other names of the places ``text`` names, those it does not already use."""
        lowered = text.lower()
        extra: list[str] = []
        for place in self.found(text):
            extra += [n for n in place.names if n.lower() not in lowered and n not in extra]
        return extra

    def states_in(self, text: str) -> list[str]:
        """The names of States (current or former) ``text`` uses: what answers "which
        countries ...?"."""
        return [name for name, _ in self.states_at(text)]

    def states_at(self, text: str) -> list[tuple[str, int]]:
        """The names of States ``text`` uses, each with where it starts."""
        return (
            [(m.group(1), m.start(1)) for m in self._states.finditer(text)] if self._states else []
        )

    def word_names(self, text: str) -> dict[str, list[str]]:
        """Each word (lower case) of a place term in ``text`` -> the place's other names."""
        names: dict[str, list[str]] = {}
        for place in self.found(text):
            for word in re.findall(r"[A-Za-z0-9]+", fold(place.term)):
                names.setdefault(word.lower(), []).extend(place.names)
        return names


@functools.cache
def load_places(path: Path = PLACES_FILE) -> Places:
    """The places from their JSON file (cached)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Places(
        [
            Place(item["term"], tuple(item["names"]), item.get("kind", "capital"))
            for item in data["places"]
        ],
        list(data.get("states", [])),
    )
