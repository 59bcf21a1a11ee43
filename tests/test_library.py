"""The Library facade on the fake embedder: ingest, documents, search, filters, remove."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from assistant.index.library import Library
from assistant.settings import Settings
from tests.conftest import CORPUS
from tests.fakes import FakeEmbedder

CITATION_KEYS = {
    "id",
    "document",
    "body",
    "number",
    "revision",
    "section",
    "label",
    "sub",
    "citation",
    "text",
}


def test_fixture_has_the_sample_corpus(fake_library: Library) -> None:
    ids = [d["document"] for d in fake_library.documents()]
    assert (
        ids == sorted(p.stem.lower().replace("-draft", "") for p in CORPUS.glob("*.txt"))
        or len(ids) == 5
    )
    row = fake_library.documents()[0]
    assert {"clauses", "file", "sha256", "ingested", "body", "number", "revision"} <= set(row)
    assert row["clauses"] > 0


def test_search_returns_citation_objects(fake_library: Library) -> None:
    hits = fake_library.search("regional preparatory meetings", k=4)
    assert 1 <= len(hits) <= 4
    assert len({h.id for h in hits}) == len(hits), "one hit per clause"
    for hit in hits:
        data = hit.to_json()
        assert CITATION_KEYS | {"score"} <= set(data)
        assert data["text"]
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_filters_restrict_and_validate(fake_library: Library) -> None:
    hits = fake_library.search("Director of the Bureau", k=10, filters={"body": "wtsa"})
    assert hits and all(h.citation["body"] == "WTSA" for h in hits)
    hits = fake_library.search(
        "cooperation", k=10, filters={"document": "PP 58 busan", "keyword": "resolves"}
    )
    assert hits and all(h.citation["document"] == "pp-58-rev-busan-2014" for h in hits)
    with pytest.raises(ValueError, match="unknown filter"):
        fake_library.search("x", filters={"colour": "red"})
    with pytest.raises(ValueError, match="empty"):
        fake_library.search("   ")


def test_named_body_is_weighted_not_exclusive(fake_library: Library) -> None:
    plain = fake_library.search("regional preparations coordination", k=10)
    named = fake_library.search(
        "what does the standardization assembly say on regional preparations coordination", k=40
    )
    assert named[0].citation["body"] == "WTSA"
    assert {h.citation["body"] for h in plain} - {"WTSA"}
    assert {h.citation["body"] for h in named} - {"WTSA"}, "other bodies stay in the ranking"


def test_resolve_document_and_clause(fake_library: Library) -> None:
    assert fake_library.resolve_document("WTSA 43") == "wtsa-43-rev-new-delhi-2024"
    assert fake_library.resolve_document("pp-58 busan") == "pp-58-rev-busan-2014"
    with pytest.raises(LookupError, match="several"):
        fake_library.resolve_document("PP 58")
    with pytest.raises(LookupError):
        fake_library.resolve_document("WTSA 999")
    document = fake_library.document("wrc-72-rev-wrc-19")
    section, clause = document.clauses()[0]
    cited = fake_library.clause(clause.id)
    assert cited["id"] == clause.id and cited["section"] == section.heading
    with pytest.raises(LookupError):
        fake_library.clause("wrc-72-rev-wrc-19/nowhere/9")


def test_reingest_is_incremental(fake_library: Library) -> None:
    embedder = fake_library.embedder
    report = fake_library.ingest()
    assert len(report.unchanged) == 5 and not report.added and not report.replaced
    assert embedder.texts_embedded == 0


def test_changed_file_is_replaced_whole(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    library = Library(Settings(home=tmp_path / "home", corpus=corpus), embedder=FakeEmbedder())
    library.ingest()
    before = library.store.count()
    path = corpus / "WRC-72-Rev-WRC-19.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("preparatory", "preliminary"), encoding="utf-8")
    report = library.ingest()
    assert report.replaced == ["wrc-72-rev-wrc-19"] and len(report.unchanged) == 4
    assert library.store.count() == before, "old chunks deleted, no duplicates"
    texts = [
        h.citation["text"] for h in library.search("preliminary", k=20, filters={"body": "WRC"})
    ]
    assert texts and not any("preparatory" in t for t in texts)


def test_remove_and_bad_files(fake_library: Library, tmp_path: Path) -> None:
    fake_library.remove("WRC 72")
    assert "wrc-72-rev-wrc-19" not in [d["document"] for d in fake_library.documents()]
    assert all(h.citation["body"] != "WRC" for h in fake_library.search("radio", k=20))
    with pytest.raises(LookupError):
        fake_library.remove("wrc-72-rev-wrc-19")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4")
    report = fake_library.ingest([str(bad), str(tmp_path / "missing.txt")])
    assert len(report.failed) == 2 and all(f["reason"] for f in report.failed)


def test_embed_is_normalized(fake_library: Library) -> None:
    vectors = fake_library.embed(["one text", "another text"])
    assert len(vectors) == 2
    assert all(abs(sum(v * v for v in vector) - 1.0) < 1e-6 for vector in vectors)


def test_nearest_clauses_for_many_texts_in_one_query(fake_library: Library) -> None:
    clause = fake_library.clause("wtsa-43-rev-new-delhi-2024/considering/d")
    other = fake_library.clause("wrc-72-rev-wrc-19/considering/d")
    nearest = fake_library.nearest([clause["text"], other["text"]], 5)
    assert len(nearest) == 2 and all(len(row) == 5 for row in nearest)
    assert nearest[0][0] == clause["id"] and nearest[1][0] == other["id"]
    # the same as the dense half of a search, one vector at a time
    vector = fake_library.embed([clause["text"]])
    single = fake_library.store.query(vector[0], 10)
    assert [h.metadata["clause"] for h in single][:1] == nearest[0][:1]
    assert fake_library.nearest([], 5) == []


def test_a_file_with_too_many_passages_is_refused_and_the_rest_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-one-line.txt").write_text("word " * 60_000, encoding="utf-8")
    shutil.copy(CORPUS / "WRC-72-Rev-WRC-19.txt", folder)
    settings = Settings(home=tmp_path / "home", corpus=folder, max_chunks_per_file=50)
    library = Library(settings, embedder=FakeEmbedder())
    report = library.ingest()
    assert report.added == ["wrc-72-rev-wrc-19"]
    [failed] = report.failed
    assert "over the limit of 50" in failed["reason"]
    assert "RESOLUTIONS_MAX_CHUNKS_PER_FILE" in failed["reason"]


def test_a_missing_document_is_not_found_and_a_bug_is_not(fake_library: Library) -> None:
    from assistant.errors import NotFoundError

    with pytest.raises(NotFoundError):
        fake_library.document("no-such-document")


def test_a_very_long_revision_gives_a_short_id_and_every_file_is_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = (CORPUS / "WRC-72-Rev-WRC-19.txt").read_text(encoding="utf-8")
    places = "; ".join(f"Place number {n}, {1900 + n}" for n in range(60))
    long_header = text.replace("RESOLUTION 72 (REV.WRC-19)", f"RESOLUTION 972 ({places})", 1)
    (folder / "a-long.txt").write_text(long_header, encoding="utf-8")
    shutil.copy(CORPUS / "WTSA-43-Rev-New-Delhi-2024.txt", folder / "b-good.txt")
    library = Library(Settings(home=tmp_path / "home", corpus=folder), embedder=FakeEmbedder())
    report = library.ingest()
    assert not report.failed and len(report.added) == 2
    assert all(len(d) <= 80 for d in report.added)


def test_a_file_that_cannot_be_stored_is_reported_and_the_others_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.index import ingest_state

    real = ingest_state.save_document

    def failing(home: Path, document: Any, generation: str) -> None:
        if document.body == "WRC":
            raise OSError(36, "File name too long")
        real(home, document, generation)

    monkeypatch.setattr(ingest_state, "save_document", failing)
    library = Library(Settings(home=tmp_path / "home", corpus=CORPUS), embedder=FakeEmbedder())
    report = library.ingest()
    [failed] = report.failed
    assert "WRC-72" in failed["file"] and "File name too long" in failed["reason"]
    assert len(report.added) == 4 and "wrc-72-rev-wrc-19" not in report.added
    assert all(h.citation["body"] != "WRC" for h in library.search("radio", k=20))
