"""Places as people name them (issue 16): a capital or a short name finds the State's clauses."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.text.places import PLACES_FILE, Place, Places, load_places
from assistant.text.question import term_groups
from tests.fakes import library_of


def test_the_shipped_places_map_capitals_and_short_names_to_the_names_texts_use() -> None:
    places = load_places()
    assert [p.names for p in places.found("Did the Council ask Lisbon?")] == [("Portugal",)]
    assert "Syrian Arab Republic" in places.expansions("What did Syria accept?")
    assert "Democratic People's Republic of Korea" in places.expansions("North Korea's bid")
    # case matters: the word "male" is no capital; a State's own name adds nothing new
    assert places.found("male and female observers") == []
    assert places.expansions("What did Portugal and Iran accept?") == []
    # the resolutions dispute Jerusalem's status: never taken for a government
    assert places.found("the status of Jerusalem") == []
    data = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    assert len(data["places"]) > 200 and "GeoNames" in data["source"]


def test_a_capital_is_an_idea_a_clause_may_state_by_the_country_name() -> None:
    groups = {g.word: g.alternatives for g in term_groups("What did the Council ask Pretoria?")}
    assert frozenset({"pretoria"}) in groups["Pretoria"]
    assert frozenset({"south", "africa"}) in groups["Pretoria"]
    words = {g.word: g.alternatives for g in term_groups("Did North Korea join?")}
    assert any("democratic" in alt for alt in words["North"])


def test_a_place_list_of_ones_own() -> None:
    places = Places([Place("Minas Tirith", ("Gondor", "Kingdom of Gondor"))])
    assert places.expansions("Why did Minas Tirith refuse?") == ["Gondor", "Kingdom of Gondor"]
    assert places.word_names("Why did Minas Tirith refuse?")["tirith"] == [
        "Gondor",
        "Kingdom of Gondor",
    ]
    assert Places([]).found("Lisbon") == []


def test_search_finds_the_states_clause_by_its_capital(tmp_path: Path) -> None:
    library = library_of(
        tmp_path,
        {
            f"r{number}.txt": f"Resolution {number} (2031)\nof 3 March 2031\n\n"
            "The Human Rights Council,\n\nRecalling its earlier resolutions on the matter,\n\n"
            f"1. Calls upon {state} to release all political prisoners;\n\n"
            "2. Decides to remain seized of the matter.\n"
            for number, state in ((31, "Ruritania"), (32, "Portugal"), (33, "Freedonia"))
        },
    )
    hits = library.search("Whom did the Council ask Lisbon to release?", k=3)
    assert hits[0].id == "hrc-32-2031/operative/1"


def test_a_place_is_found_however_its_name_is_spelled() -> None:
    """Accents and apostrophes inside a name do not hide it ("Sana'a" is Sanaa, the capital of
    Yemen); a possessive stays a possessive."""
    places = load_places()
    assert [p.names for p in places.found("What did the Council ask Sana'a to do?")] == [("Yemen",)]
    assert [p.term for p in places.found("Talks in Bogotá")] == ["Bogota"]
    assert "Democratic People's Republic of Korea" in places.expansions("North Korea's bid")


def test_every_state_is_a_state_even_with_one_name_and_no_capital_entry() -> None:
    """Israel (one name; Jerusalem is disputed) and Singapore (the capital is the name) give no
    place entry, yet each is a State for "Which countries ...?"."""
    places = load_places()
    found = places.states_in("Israel, Singapore and Monaco agreed")
    assert sorted(found) == ["Israel", "Monaco", "Singapore"]
    assert places.found("Israel") == []  # no capital, no other name: nothing to expand
