"""Citations of resolutions brought up to date in drafts and revisions."""

from __future__ import annotations

from assistant.drafting.citation_update import CitationUpdater
from assistant.drafting.draft import draft
from assistant.drafting.revise import revise
from assistant.drafting.smooth import prepare_sources, realign
from assistant.text.terms import tokenize
from ingest.model import Document

BUSAN, DOHA = "pp-58-rev-busan-2014", "pp-58-rev-doha-2026"


def _resolution(body: str, number: str, revision: str, status: str = "in force") -> Document:
    slug = f"{body}-{number}-{revision}".lower().replace(" ", "-").replace(",", "")
    return Document(
        slug, "resolution", body, number, revision, f"{body} Res. {number}", status=status
    )


LIBRARY = [
    _resolution("WRC", "72", "Rev. WRC-19"),
    _resolution("WRC", "72", "Rev. WRC-23", status="draft"),  # not in force: never cited
    _resolution("WTSA", "43", "Rev. New Delhi, 2024"),
    _resolution("PP", "58", "Rev. Busan, 2014"),
]
TEXT = (
    "Resolution 72 (Rev. WRC-07) of the World Radiocommunication Conference (WRC), on world "
    "and regional preparations for WRCs; Resolution 43 (Rev. New Delhi, 2024) of the WTSA; "
    "Resolution 58 (Kyoto, 1994) of the Plenipotentiary Conference; Resolution 25 (Rev. "
    "Bucharest, 2022) of the Plenipotentiary Conference"
)


def test_an_older_revision_is_updated_to_the_newest_in_force() -> None:
    updates = CitationUpdater(LIBRARY).updates(TEXT, "PP")
    found = {(u.old, u.new, u.document) for u in updates}
    assert found == {
        ("(Rev. WRC-07)", "(Rev. WRC-19)", "wrc-72-rev.-wrc-19"),
        ("(Kyoto, 1994)", "(Rev. Busan, 2014)", "pp-58-rev.-busan-2014"),
    }  # New Delhi is the newest already; Res. 25 is not in the library; WRC-23 is a draft
    for update in updates:
        assert TEXT[update.start : update.end] == update.old


def test_the_resolution_being_revised_is_never_updated() -> None:
    updates = CitationUpdater(LIBRARY, keep=[("PP", "58")]).updates(TEXT, "PP")
    assert [u.old for u in updates] == ["(Rev. WRC-07)"]
    assert CitationUpdater([]).updates(TEXT, "PP") == []


def test_a_parenthesis_that_is_not_the_revision_is_left_alone() -> None:
    text = "Resolution 72 of the World Radiocommunication Conference (WRC) and resolution 1 (2019)"
    assert CitationUpdater(LIBRARY).updates(text, "PP") == []


def test_draft_cites_the_newest_revision_and_says_so(fake_library) -> None:
    clause = f"{BUSAN}/recalling/c/indent-1"
    data = draft(fake_library, clause_id=clause, for_body="PP", exclude_documents=[DOHA]).to_json()
    assert data["text"].startswith("Resolution 72 (Rev. WRC-19) of the World Radiocommunication")
    updated = [s for s in data["spans"] if s.get("updated_citation")]
    assert [(s["text"].strip(), s["replaces"]) for s in updated] == [
        ("(Rev. WRC-19)", ["(Rev. WRC-07)"])
    ]
    assert "term_map" not in updated[0]
    assert data["updated_citations"] == [
        {"from": "(Rev. WRC-07)", "to": "(Rev. WRC-19)", "document": "wrc-72-rev-wrc-19"}
    ]
    # excluded versions are not in the library for the draft: nothing to update
    excluded = [DOHA, "wrc-72-rev-wrc-19"]
    data = draft(
        fake_library, clause_id=clause, for_body="PP", exclude_documents=excluded
    ).to_json()
    assert "(Rev. WRC-07)" in data["text"] and "updated_citations" not in data


def test_revise_updates_citations_in_clauses_without_counterparts(fake_library) -> None:
    revision = revise(fake_library, BUSAN, exclude_documents=[DOHA])
    entries = {e.base.id: e for e in revision.entries if e.base is not None}
    recalled = entries[f"{BUSAN}/recalling/c/indent-2"]
    assert recalled.status == "revised"
    assert recalled.clause.text.startswith("Resolution 43 (Rev. New Delhi, 2024) of the World")
    assert any(s.updated for s in recalled.spans)
    own = entries[f"{BUSAN}/recalling/a"]  # an earlier version of the text being revised
    assert "(Kyoto, 1994)" in own.clause.text
    data = revision.to_json()
    assert {u["to"] for u in data["updated_citations"]} == {
        "(Rev. WRC-19)",
        "(Rev. New Delhi, 2024)",
        "(Rev. Baku, 2025)",
    }


def test_smoothing_counts_the_updated_citation_as_supported(fake_library) -> None:
    result = draft(
        fake_library,
        clause_id=f"{BUSAN}/recalling/c/indent-1",
        for_body="PP",
        exclude_documents=[DOHA],
    )
    plain = prepare_sources(result.sources, "PP")
    updated = prepare_sources(result.sources, "PP", updates=result.updated_citations)
    assert "WRC-19" in realign(tokenize(result.text), plain)[1]
    spans, unsupported = realign(tokenize(result.text), updated)
    assert unsupported == []
    assert any(s.updated and s.generalized == ["(Rev. WRC-07)"] for s in spans)
