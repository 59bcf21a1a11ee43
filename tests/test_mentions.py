"""Mentions of resolutions: the UN symbol (``S/RES/242 (1967)``) and lists of numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chat.router import route
from assistant.text.catalog import Catalog
from assistant.text.mentions import all_mentions, explicit_mentions
from assistant.text.question import find_mentions
from ingest.loader import load_file
from ingest.model import Document

# A Security Council resolution in the layout of the UNSC corpus (parsed like the real files).
COUNCIL = (
    "{number} ({year}). Resolution of 4 April {year}\n\nThe Security Council,\n\n"
    "Noting the report of the Secretary-General,\n\n"
    "Decides to remain seized of the matter.\n\nAdopted at the 30th meeting.\n"
)
Row = tuple[str, str, int]  # body, number, year


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Catalog:
    """The shipped corpus and four Security Council resolutions parsed from text."""
    folder = tmp_path_factory.mktemp("council")
    documents: list[Document] = []
    for number, year in [(3, 1946), (4, 1946), (5, 1946), (242, 1967)]:
        path = folder / f"council-{number}.txt"
        path.write_text(COUNCIL.format(number=number, year=year), encoding="utf-8")
        documents += load_file(path, 10**7).documents
    return Catalog([*catalog.documents, *documents])


def sc(catalog: Catalog) -> str:
    """The body the Security Council's documents get (whatever ingest names it)."""
    return next(d.body for d in catalog.documents if "Security Council" in d.adopting)


def rows(text: str, catalog: Catalog) -> list[Row]:
    return [
        (m.cited.body, m.cited.number, m.cited.year)
        for m in all_mentions(text, catalog)
        if m.explicit
    ]


def test_the_council_documents_have_one_body(council: Catalog) -> None:
    assert sc(council) and {d.body for d in council.documents if d.revision.isdigit()} == {
        sc(council)
    }


@pytest.mark.parametrize(
    ("text", "number", "year", "span"),
    [
        ("revise S/RES/3 (1946) with the others", "3", 1946, "S/RES/3 (1946)"),
        ("S/RES/242(1967)", "242", 1967, "S/RES/242(1967)"),
        ("what does S/RES/1373 (2001) require?", "1373", 2001, "S/RES/1373 (2001)"),
        ("see S / RES / 242 ( 1967 ) please", "242", 1967, "S / RES / 242 ( 1967 )"),
        ("s/res/242 (1967)", "242", 1967, "s/res/242 (1967)"),
        ("Security Council resolution 1373 (2001)", "1373", 2001, ""),
        ("UNSC Res. 242", "242", 0, "UNSC Res. 242"),
        ("UNSCR 1373", "1373", 0, "UNSCR 1373"),
        ("S/RES/242", "242", 0, "S/RES/242"),
    ],
)
def test_the_un_symbol_names_a_council_resolution(
    text: str, number: str, year: int, span: str, council: Catalog
) -> None:
    mentions = [m for m in all_mentions(text, council) if m.explicit]
    assert [(m.cited.body, m.cited.number, m.cited.year) for m in mentions] == [
        (sc(council), number, year)
    ]
    if span:
        assert mentions[0].text == span
        assert text[mentions[0].start : mentions[0].end] == span


def test_a_symbol_resolves_to_its_document(council: Catalog) -> None:
    (mention,) = all_mentions("revise S/RES/3 (1946) with the others", council)
    assert [(d.number, d.revision) for d in council.matching(mention.cited)] == [("3", "1946")]
    missing = all_mentions("S/RES/1373 (2001)", council)[0]
    assert council.matching(missing.cited) == []  # named, but not in the corpus: external


@pytest.mark.parametrize(
    "text",
    ["document S/24", "S/RES/ is the prefix", "UNSCR", "see A/RES/70/1", "S/RES/12.5"],
)
def test_near_misses_of_the_symbol(text: str, council: Catalog) -> None:
    assert rows(text, council) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what do resolutions 4 and 5 say", [("", "4", 0), ("", "5", 0)]),
        (
            "Resolutions 58, 25 and 31 of the Plenipotentiary Conference",
            [("PP", "58", 0), ("PP", "25", 0), ("PP", "31", 0)],
        ),
        ("WTSA Resolutions 43 and 44", [("WTSA", "43", 0), ("WTSA", "44", 0)]),
        ("resolutions 3 (1946) and 5 (1946)", [("", "3", 1946), ("", "5", 1946)]),
        ("resolutions 3 (1946) and 5", [("", "3", 1946), ("", "5", 0)]),
        ("Resolutions Nos. 4, 5, or 6", [("", "4", 0), ("", "5", 0), ("", "6", 0)]),
        ("resolutions 1325, 1820 and 1888", [("", "1325", 0), ("", "1820", 0), ("", "1888", 0)]),
        (
            "its resolutions 54 (1948) of 15 July 1948 and 73 (1949)",
            [("", "54", 1948), ("", "73", 1949)],
        ),
    ],
)
def test_lists_give_one_mention_per_number(
    text: str, expected: list[Row], council: Catalog
) -> None:
    assert rows(text, council) == expected


def test_a_revision_belongs_to_its_own_number(council: Catalog) -> None:
    mentions = all_mentions("Resolutions 58 and 25 (Rev. Busan, 2014)", council)
    assert [(m.cited.number, m.cited.place, m.cited.year) for m in mentions] == [
        ("58", "", 0),
        ("25", "busan", 2014),
    ]
    assert [m.text for m in mentions] == ["Resolutions 58", "25 (Rev. Busan, 2014)"]


@pytest.mark.parametrize(
    "text",
    [
        "Security Council resolutions 242 (1967) and 338 (1973)",
        "S/RES/242 (1967) and 338 (1973)",
        "resolutions 242 (1967) and 338 (1973) of the Security Council",
    ],
)
def test_the_body_of_a_list_applies_to_every_number(text: str, council: Catalog) -> None:
    assert rows(text, council) == [(sc(council), "242", 1967), (sc(council), "338", 1973)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("resolves 2 and 3", []),
        ("paragraphs 4 and 5", []),
        ("considering a) and b)", []),
        ("Resolution 58 (Rev. Busan, 2014) and 2 other texts", [("", "58", 2014)]),
        ("PP Resolution 58 and 3 more", [("PP", "58", 0)]),
        ("in Resolution 43, 2 issues remain", [("", "43", 0)]),
        ("Resolution 43 and 5 members", [("", "43", 0)]),
        ("resolutions 43 and 2024", [("", "43", 0)]),
        ("Resolution 43, 5.2 and 6", [("", "43", 0)]),
        ("Resolution 43 resolves 2 and 3", [("", "43", 0)]),
        ("Resolution 43, paragraphs 4 and 5", [("", "43", 0)]),
        ("resolutions 4 and 5 of its annex", [("", "4", 0)]),
    ],
)
def test_other_numbers_are_not_resolutions(
    text: str, expected: list[Row], council: Catalog
) -> None:
    assert rows(text, council) == expected


def test_single_mentions_are_unchanged(catalog: Catalog) -> None:
    mentions = all_mentions("compare PP-58 with Res. 31 (Rev. Baku, 2025) and WTSA 43", catalog)
    assert [(m.text, m.cited.body, m.cited.number, m.listed) for m in mentions] == [
        ("PP-58", "PP", "58", False),
        ("Res. 31 (Rev. Baku, 2025)", "", "31", False),
        ("WTSA 43", "WTSA", "43", False),
    ]


def test_lists_inside_a_resolution_text(council: Catalog) -> None:
    text = "Recalling its resolutions 3 (1946) and 4 (1946), and S/RES/5 (1946),"
    mentions = explicit_mentions(text, council, own_body=sc(council), in_text=True)
    assert [(m.cited.number, m.cited.year) for m in mentions] == [
        ("3", 1946),
        ("4", 1946),
        ("5", 1946),
    ]


def test_the_question_analysis_finds_each_listed_document(council: Catalog) -> None:
    found = find_mentions("what do resolutions 4 and 5 say", council)
    numbers = [council.by_id[d].number for m in found for d in m.documents]
    assert numbers == ["4", "5"]


def test_a_year_that_dates_an_event_names_no_text(council: Catalog) -> None:
    from assistant.text.question import analyse

    dated = analyse("How many settlements has Israel established since 1967?", council)
    assert dated.documents == [] and not dated.comparison
    named = analyse("What did the Council decide in 1967 about withdrawal?", council)
    assert [council.by_id[d].number for d in named.documents] == ["242"]


def test_the_body_beside_one_of_its_texts_is_no_comparison(council: Catalog) -> None:
    from assistant.text.question import analyse

    one = analyse(
        "Which country held the presidency of the Security Council when resolution 4 was adopted?",
        council,
    )
    assert not one.comparison
    assert [council.by_id[d].number for d in one.numbered_documents] == ["4"]
    two = analyse("What do resolution 4 and resolution 5 say about the inquiry?", council)
    assert two.comparison


def test_a_resolution_named_by_number_that_the_library_lacks_is_absent(catalog: Catalog) -> None:
    from assistant.text.question import analyse

    lacking = analyse("Who chairs the committee established by resolution 253?", catalog)
    assert lacking.absent == ["resolution 253"] and lacking.documents == []
    other_version = analyse("What does Resolution 58 (Rev. Antalya, 2006) say?", catalog)
    assert other_version.absent == []  # another version of a held resolution: not absent
    series = analyse("What does Resolution 58 say about the meetings?", catalog)
    assert len(series.numbered_documents) == 2  # both held versions can answer


# -- end to end on the real UNSC files -------------------------------------------------------


def unsc_catalog_of(unsc_dir: Path, catalog: Catalog) -> Catalog:
    """The shipped corpus and four real Security Council resolutions."""
    numbers = [(3, 1946), (4, 1946), (5, 1946), (242, 1967)]
    paths = [unsc_dir / f"S_RES_{number:04d}_{year}_EN_GOLD.txt" for number, year in numbers]
    return Catalog([*catalog.documents, *(d for p in paths for d in load_file(p, 10**7).documents)])


def council_id(catalog: Catalog, number: str) -> str:
    (document,) = [d for d in catalog.documents if d.body == sc(catalog) and d.number == number]
    return document.id


def test_the_router_on_real_council_resolutions(unsc_dir: Path, catalog: Catalog) -> None:
    unsc_catalog = unsc_catalog_of(unsc_dir, catalog)
    first = route("revise S/RES/3 (1946) with the others", unsc_catalog)
    assert first.intent == "revise"
    assert first.documents == [council_id(unsc_catalog, "3")]
    listed = route("what do resolutions 4 and 5 say", unsc_catalog)
    assert listed.documents == [council_id(unsc_catalog, "4"), council_id(unsc_catalog, "5")]
    assert listed.bodies == [sc(unsc_catalog)]
    compared = route("compare S/RES/242(1967) and resolutions 3 (1946) and 5 (1946)", unsc_catalog)
    assert compared.intent == "compare"
    assert compared.documents == [council_id(unsc_catalog, n) for n in ("242", "3", "5")]
    shown = route("show operative paragraph 1 of S/RES/242 (1967)", unsc_catalog)
    assert shown.intent == "lookup"
    assert shown.clause_ids and all(
        i.startswith(council_id(unsc_catalog, "242") + "/") for i in shown.clause_ids
    )
