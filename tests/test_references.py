"""The resolver of clause references: in a person's words, and inside the texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.text.catalog import Catalog, revision_place, revision_year
from assistant.text.references import document_references, resolve
from ingest.loader import load_file

ROOT = Path(__file__).resolve().parent.parent
DOHA, BUSAN = "pp-58-rev-doha-2026", "pp-58-rev-busan-2014"
WTSA, WTDC, WRC = "wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025", "wrc-72-rev-wrc-19"


def clause_ids(text: str, catalog: Catalog, **kwargs: object) -> list[str]:
    return [
        i for r in resolve(text, catalog, **kwargs) if r.kind != "document" for i in r.clause_ids
    ]


def test_revisions_are_read_generally() -> None:
    assert revision_year("Rev. New Delhi, 2024") == 2024
    assert revision_year("Rev. WRC-07") == 2007
    assert revision_place("Rev. New Delhi, 2024") == "new delhi"
    assert revision_place("Kyoto, 1994") == "kyoto"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("recognizing b) of WTDC 31", [f"{WTDC}/recognizing/b"]),
        ("WTSA Res. 43 (Rev. New Delhi, 2024), noting b)", [f"{WTSA}/noting/b"]),
        ("considering (h) in PP 58 Busan", [f"{BUSAN}/considering/h"]),
        (
            "the third indent of instructs the Director of the Radiocommunication Bureau 2 "
            "in WRC 72",
            [f"{WRC}/instructs-the-director-of-the-radiocommunication-bureau/2/indent-3"],
        ),
        (
            "WTDC 31 requests the Secretary-General 2(iii)",
            [f"{WTDC}/requests-the-secretary-general-in-cooperation-with-the/2/iii"],
        ),
        ("the radio conference's considering f)", [f"{WRC}/considering/f"]),
        ("instructs the Council in the 2014 text", [f"{BUSAN}/instructs-the-council/p"]),
        (
            "Res. 31 (Rev. Baku, 2025) resolves to instruct 5",
            [f"{WTDC}/resolves-to-instruct-the-director-of-the-telecommunication/5"],
        ),
        (
            "the TSB Director's instruction 2 in WTSA 43",
            [f"{WTSA}/resolves-to-instruct-the-director-of-the-telecommunication/2"],
        ),
    ],
)
def test_clause_references_in_a_persons_words(
    text: str, expected: list[str], catalog: Catalog
) -> None:
    assert clause_ids(text, catalog) == expected


def test_a_clause_in_several_documents_named_together(catalog: Catalog) -> None:
    ids = clause_ids("recognizing c) in the WTSA and WTDC texts", catalog)
    assert sorted(ids) == [f"{WTDC}/recognizing/c", f"{WTSA}/recognizing/c"]


def test_an_unbound_clause_is_ambiguous_between_series(catalog: Catalog) -> None:
    (reference,) = [r for r in resolve("considering h)", catalog) if r.kind == "clause"]
    assert reference.status == "ambiguous"
    assert DOHA in reference.candidates and BUSAN not in reference.candidates  # newest version
    assert WTSA in reference.candidates


def test_context_and_exclusions_bind_unbound_clauses(catalog: Catalog) -> None:
    assert clause_ids("and resolves 1?", catalog, context=[BUSAN]) == [f"{BUSAN}/resolves/1"]
    ids = clause_ids("considering h)", catalog, exclude=[WTSA, WTDC])
    assert ids == [f"{DOHA}/considering/h"]


def test_words_that_are_not_references(catalog: Catalog) -> None:
    assert clause_ids("What is considered a regional preparatory meeting?", catalog) == []
    assert clause_ids("Do the resolutions mention 6 regions?", catalog) == []
    refs = resolve("Who organizes RPMs for PP-26?", catalog)
    assert all(r.number != "26" for r in refs)  # PP-26 is a conference (glossary), not Res. 26


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("PP-58", DOHA),
        ("the 2014 text", BUSAN),
        ("the Doha draft", DOHA),
        ("the standardization assembly's resolution", WTSA),
        ("Res. 31 (Rev. Baku, 2025)", WTDC),
        ("Resolution 72 (Rev. WRC-19)", WRC),
    ],
)
def test_document_references(text: str, document: str, catalog: Catalog) -> None:
    (reference,) = resolve(text, catalog)
    assert (reference.kind, reference.status, reference.document) == (
        "document",
        "resolved",
        document,
    )


def test_an_older_revision_is_flagged(catalog: Catalog) -> None:
    (reference,) = resolve("Res. 43 (Rev. Dubai, 2012)", catalog)
    assert reference.status == "external" and reference.newer == WTSA


def test_cross_references_inside_the_texts(catalog: Catalog) -> None:
    wtsa = document_references(catalog.by_id[WTSA], catalog)
    recalled = [r for r in wtsa if r.source == f"{WTSA}/recalling/a"]
    assert [(r.document, r.newer) for r in recalled] == [(BUSAN, DOHA)]
    bucharest = [r for r in wtsa if "Bucharest" in r.text]
    assert bucharest and bucharest[0].status == "external" and not bucharest[0].newer

    doha = document_references(catalog.by_id[DOHA], catalog)
    above = [r for r in doha if r.text == "resolves 2"]
    assert above and all(r.clause_ids == [f"{DOHA}/resolves/2"] for r in above)
    mentioned = [r for r in doha if r.source == f"{DOHA}/noting/d"]
    assert mentioned[0].clause_ids == [f"{DOHA}/considering/b"]

    wrc = document_references(catalog.by_id[WRC], catalog)
    external = [r for r in wrc if r.source == f"{WRC}/recognizing/a"]
    assert external[0].kind == "clause" and external[0].status == "external"
    assert external[0].text.startswith("resolves 2 of Resolution 80")
    inside = [r for r in wrc if r.source.endswith("radiocommunication-bureau/1")]
    assert inside[0].clause_ids == [
        f"{WRC}/resolves-to-invite-the-regional-telecommunication-organizations/2"
    ]
    busan = document_references(catalog.by_id[BUSAN], catalog)
    assert {r.newer for r in busan if r.newer} == {DOHA, WRC, WTSA, WTDC}


UNSEEN = """RESOLUTION 7 (Rev. Lisbon, 2030)
Cooperation on numbering
The Example Assembly (Lisbon, 2030),
recalling
a)\tResolution 3 (Rev. Oslo, 2021) of the Example Assembly;
decides
1\tto cooperate;
2\tto report as set out in decides 1 above;
requests the Director of the Bureau
1\tto apply decides 2, taking into account recalling a);
"""


def test_an_unseen_resolution(tmp_path: Path) -> None:
    path = tmp_path / "res7.txt"
    path.write_text(UNSEEN, encoding="utf-8")
    (document,) = load_file(path, 10**6).documents
    older = UNSEEN.replace("RESOLUTION 7 (Rev. Lisbon, 2030)", "RESOLUTION 3 (Rev. Rome, 2026)")
    (path.parent / "res3.txt").write_text(older, encoding="utf-8")
    (other,) = load_file(path.parent / "res3.txt", 10**6).documents
    catalog = Catalog([document, other])
    found = {(r.source.split("/", 1)[1], r.text): r for r in document_references(document, catalog)}
    assert found[("decides/2", "decides 1")].clause_ids == [f"{document.id}/decides/1"]
    assert found[("requests-the-director-of-the-bureau/1", "recalling a)")].clause_ids == [
        f"{document.id}/recalling/a"
    ]
    oslo = next(r for (_, text), r in found.items() if "Oslo" in text)
    assert oslo.status == "external" and oslo.newer == other.id
    assert clause_ids("decides 2 of the Lisbon text", catalog) == [f"{document.id}/decides/2"]


def test_unsc_resolutions_are_linked(unsc_dir: Path) -> None:
    files = sorted(unsc_dir.iterdir())[240:250]
    documents = [d for path in files for d in load_file(path, 10**7).documents]
    catalog = Catalog(documents)
    refs = [r for d in documents for r in document_references(d, catalog)]
    resolved = [r for r in refs if r.status == "resolved" and r.kind == "document"]
    assert resolved, "UNSC resolutions cite each other: some references should resolve"
    for reference in resolved:
        citing = catalog.by_id[reference.source.split("/", 1)[0]]
        assert revision_year(catalog.by_id[reference.document].revision) <= revision_year(
            citing.revision
        )


def test_headings_without_a_keyword_are_named_in_full(tmp_path: Path) -> None:
    from ingest.model import Clause, Document, Section

    passages = Document(
        id="notes",
        kind="passages",
        body="",
        number="",
        revision="",
        title="Notes",
        sections=[
            Section(
                "Resolution 58 background",
                "passages",
                "",
                "resolution-58",
                [Clause("notes/resolution-58/43", "43", "", "text")],
            )
        ],
    )
    catalog = Catalog([passages])
    assert clause_ids("WTSA Resolution 43", catalog) == []
    assert clause_ids("Resolution 58 background 43", catalog) == ["notes/resolution-58/43"]
