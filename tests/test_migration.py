"""A data directory of the file-based versions opens and is migrated into the database with no
loss: tests/legacy_home_v1 was written by the code of commit fe97ccb (its MADE_BY.txt)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.chat.conversations import ConversationStore
from assistant.index.library import Library
from assistant.settings import Settings
from ingest.model import document_from_dict
from tests.conftest import CORPUS
from tests.fakes import FakeEmbedder
from tests.pg_server import running_postgres

LEGACY = Path(__file__).with_name("legacy_home_v1")


def legacy_copy(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(LEGACY, home)
    return home


def legacy_turns(home: Path) -> list[tuple]:
    with sqlite3.connect(home / "conversations.sqlite3") as db:
        return db.execute(
            "SELECT conversation, idx, question, resolved, answer, created FROM turns ORDER BY idx"
        ).fetchall()


def check_nothing_lost(home: Path, database_url: str = "") -> Library:
    old_state = json.loads((home / "state.json").read_text(encoding="utf-8"))
    old_turns = legacy_turns(home)
    settings = Settings(home=home, corpus=CORPUS, database_url=database_url)
    library = Library(settings, embedder=FakeEmbedder())
    state = library.state()
    assert state.documents == old_state["documents"]
    assert state.files == old_state["files"]
    assert state.pending == old_state["pending"] == {}
    for document_id, entry in old_state["documents"].items():
        saved = home / "documents" / f"{document_id}@{entry['sha256'][:16]}.json"
        expected = document_from_dict(json.loads(saved.read_text(encoding="utf-8")))
        assert library.document(document_id) == expected
    turns = ConversationStore.for_settings(settings).conversation("legacy-1").turns()
    assert [(t.index, t.question, t.resolved, t.answer, t.created) for t in turns] == [
        (idx, question, resolved, json.loads(answer), created)
        for _, idx, question, resolved, answer, created in old_turns
    ]
    assert len(turns) == 2
    hits = library.search("regional preparatory meetings", k=5, filters={"body": "WTSA"})
    assert hits and all(h.citation["body"] == "WTSA" for h in hits)
    assert not (home / "state.json").exists() and (home / "state.json.imported").exists()
    return library


def test_a_file_based_home_is_migrated_into_sqlite_with_no_loss(tmp_path: Path) -> None:
    home = legacy_copy(tmp_path)
    library = check_nothing_lost(home)
    assert (home / "library.sqlite3").is_file()
    # a follow-up continues the imported conversation
    store = ConversationStore.for_settings(library.settings)
    store.conversation("legacy-1").add("and WRC?", "What does WRC say?", {"text": "..."})
    assert [t.index for t in store.conversation("legacy-1").turns()] == [0, 1, 2]
    # opened again (another process): nothing imported twice, the ingest goes on as before
    again = Library(Settings(home=home, corpus=CORPUS), embedder=FakeEmbedder())
    assert [d["document"] for d in again.documents()] == [
        d["document"] for d in library.documents()
    ]
    changed = tmp_path / "WRC-72-Rev-WRC-19.txt"
    changed.write_text(
        (CORPUS / changed.name).read_text(encoding="utf-8").replace("radiocomm", "wirelesscomm"),
        encoding="utf-8",
    )
    report = again.ingest([str(changed)], replace=True)
    assert report.replaced == ["wrc-72-rev-wrc-19"] and not report.failed
    hits = again.search("wirelesscommunication", k=5, filters={"body": "WRC"})
    texts = [h.citation["text"] for h in hits]
    assert any("wirelesscomm" in t for t in texts)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with running_postgres() as url:
        yield url


@pytest.mark.slow
def test_a_file_based_home_is_migrated_into_postgresql(tmp_path: Path, postgres_url: str) -> None:
    check_nothing_lost(legacy_copy(tmp_path), postgres_url)
