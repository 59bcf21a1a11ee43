"""Searches and answers while documents are replaced, and two ingests at once.

A document is switched back and forth between two versions (every "preparatory" of WTSA Res. 43
becomes "preliminary"; the clause ids stay the same) while other threads (the API's case: one
Library shared by the request threads) or another process (a CLI ingest beside a running server)
search and answer. Nothing may fail, and
no result may mix clauses of the two versions. SIGKILL at many points of an ingest is in
test_ingest_kill.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assistant.index import ingest_state as st
from assistant.index.library import Library
from assistant.settings import Settings
from tests.conftest import CORPUS, ROOT
from tests.fakes import FakeEmbedder

DOCUMENT = "wtsa-43-rev-new-delhi-2024"
FILE = "WTSA-43-Rev-New-Delhi-2024.txt"
QUESTION = "What do the resolutions say about preparatory or preliminary regional meetings?"
ORIGINAL = (CORPUS / FILE).read_text(encoding="utf-8")
CHANGED = re.sub("preparatory", "preliminary", ORIGINAL, flags=re.IGNORECASE)


def version_of(texts: list[str]) -> set[str]:
    """Which versions the texts come from ('old' says "preparatory", 'new' "preliminary")."""
    found = set()
    for text in texts:
        lowered = text.lower()
        if "preparatory" in lowered:
            found.add("old")
        if "preliminary" in lowered:
            found.add("new")
    return found


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder, ignore=shutil.ignore_patterns("README*"))
    return folder


@pytest.fixture
def library(corpus: Path, tmp_path: Path) -> Library:
    library = Library(Settings(home=tmp_path / "home", corpus=corpus), embedder=FakeEmbedder())
    assert not library.ingest().failed
    return library


def run_readers(
    library: Library, stop: threading.Event, threads: int = 3
) -> tuple[list[BaseException], list[set[str]], list[int]]:
    """Threads that search and answer until ``stop``; return errors, versions seen, counts."""
    from assistant.answering.answer import answer

    errors: list[BaseException] = []
    seen: list[set[str]] = []
    counts = [0] * threads

    def read(number: int) -> None:
        while not stop.is_set():
            try:
                hits = library.search(
                    "preparatory preliminary regional meetings",
                    k=40,
                    filters={"document": DOCUMENT},
                )
                seen.append(version_of([h.citation["text"] for h in hits]))
                reply = answer(library, QUESTION)
                assert reply.status in ("answered", "not_found")
                cited = [c["text"] for c in reply.citations if c["document"] == DOCUMENT]
                seen.append(version_of(cited))
                for hit in hits[:3]:
                    library.clause(hit.id)
                counts[number] += 1
            except BaseException as error:
                import traceback

                error.add_note("".join(traceback.format_exception(error)[-6:]))
                errors.append(error)
                return

    workers = [threading.Thread(target=read, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    run_readers.workers = workers  # type: ignore[attr-defined]
    return errors, seen, counts


def join_readers(stop: threading.Event) -> None:
    stop.set()
    for worker in run_readers.workers:  # type: ignore[attr-defined]
        worker.join(timeout=60)
        assert not worker.is_alive(), "a reader hung"


RACES = (
    "assistant/ bug (index): searches racing an ingest in the same process fail: "
    "LexicalIndex.save from two threads -> OSError 'Directory not empty' (bm25 -> bm25.old); "
    "a Chroma hit whose chunk is being deleted has no metadata, passes the generation check "
    "(None == None) and becomes LookupError(\"no clause 'None'\"); a 500 in the API. "
    "With both patched, some results still mix old and new texts (hits ranked on one "
    "state, citations read by library.clause from the newer one)"
)


def test_searches_and_answers_during_ingests_in_the_same_process(
    library: Library, corpus: Path
) -> None:
    """One Library shared by threads (as in the API): ingest replaces the file meanwhile."""
    stop = threading.Event()
    errors, seen, counts = run_readers(library, stop)
    path = corpus / FILE
    try:
        for turn in range(6):
            path.write_text(CHANGED if turn % 2 == 0 else ORIGINAL, encoding="utf-8")
            report = library.ingest([str(path)])
            assert report.replaced == [DOCUMENT] and not report.failed
            time.sleep(0.05)
    finally:
        join_readers(stop)
    assert not errors, (
        "\n".join(map(repr, errors[:1]))
        + "\n"
        + "\n".join(getattr(errors[0], "__notes__", []) if errors else [])
    )
    assert min(counts) >= 1, counts
    mixed = [versions for versions in seen if len(versions) > 1]
    assert not mixed, f"{len(mixed)} of {len(seen)} results mixed the old and the new version"


WRITER = r"""
import os, re, sys
sys.path.insert(0, os.environ["PROJECT_ROOT"])
from pathlib import Path
from assistant.index.library import Library
from assistant.settings import Settings
from tests.fakes import FakeEmbedder

home, corpus, turns = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
path = corpus / "WTSA-43-Rev-New-Delhi-2024.txt"
original = path.read_text(encoding="utf-8")
changed = re.sub("preparatory", "preliminary", original, flags=re.IGNORECASE)
library = Library(Settings(home=home, corpus=corpus), embedder=FakeEmbedder())
for turn in range(turns):
    path.write_text(changed if turn % 2 == 0 else original, encoding="utf-8")
    report = library.ingest([str(path)])
    assert report.replaced and not report.failed, report
print("done", turns)
"""


def run_script(tmp_path: Path, script: str, *args: str, wait: bool = True) -> Any:
    path = tmp_path / "script.py"
    path.write_text(script, encoding="utf-8")
    env = {**os.environ, "PROJECT_ROOT": str(ROOT), "ANONYMIZED_TELEMETRY": "False"}
    command = [sys.executable, str(path), *args]
    if not wait:
        return subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_searches_and_answers_during_an_ingest_in_another_process(
    library: Library, corpus: Path, tmp_path: Path
) -> None:
    """A CLI ingest beside a running server: the server's Library keeps answering, never mixes
    versions, and sees the new version once the ingest is done."""
    stop = threading.Event()
    errors, seen, _counts = run_readers(library, stop)
    try:
        writer = run_script(tmp_path, WRITER, str(library.home), str(corpus), "5")
    finally:
        join_readers(stop)
    assert writer.returncode == 0, writer.stderr[-2000:]
    assert not errors, (
        "\n".join(map(repr, errors[:1]))
        + "\n"
        + "\n".join(getattr(errors[0], "__notes__", []) if errors else [])
    )
    mixed = [versions for versions in seen if len(versions) > 1]
    assert not mixed, f"{len(mixed)} of {len(seen)} results mixed the old and the new version"
    # five turns: the changed version is the committed one; this process must see it, also in
    # the dense results (chunks written by the other process)
    hits = library.search("preliminary regional meetings", k=10, filters={"document": DOCUMENT})
    assert version_of([h.citation["text"] for h in hits]) == {"new"}
    dense = [h for h in hits if h.signals.get("dense_rank", 0) > 0]
    assert dense, "the dense index of this process did not see the other process's chunks"


def test_a_version_replaced_by_another_process_before_the_next_poll_is_read_anew(
    corpus: Path, tmp_path: Path
) -> None:
    """A server that has not polled yet still holds the old state, whose parsed document the
    other process's ingest deleted: reading the document (as the answerer's statistics do) reads
    the state anew and gives the new version, not "its version was replaced"."""
    from assistant.answering.answer import answer

    home = tmp_path / "home"
    assert not Library(Settings(home=home, corpus=corpus), FakeEmbedder()).ingest().failed
    server = Library(Settings(home=home, corpus=corpus, state_poll_ms=60_000), FakeEmbedder())
    before = server.state()
    writer = run_script(tmp_path, WRITER, str(home), str(corpus), "1")
    assert writer.returncode == 0, writer.stderr[-2000:]
    assert server.state() is before  # not polled yet: the old version is still the one held
    document = server.document(DOCUMENT)
    texts = [clause.full_text for _section, clause in document.clauses()]
    assert version_of(texts) == {"new"}
    assert server.state().generation(DOCUMENT) != before.generation(DOCUMENT)
    assert answer(server, QUESTION).status in ("answered", "not_found")


HOLDER = r"""
import os, sys, time
sys.path.insert(0, os.environ["PROJECT_ROOT"])
from pathlib import Path
from assistant.index.database import database_for
from assistant.index.ingest_state import ingest_lock
from assistant.settings import Settings
with ingest_lock(database_for(Settings(home=Path(sys.argv[1])))):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def lock_held(library: Library, tmp_path: Path) -> Any:
    """Another process holds the ingest lock of the library's data directory."""
    holder = run_script(tmp_path, HOLDER, str(library.home), "60", wait=False)
    assert holder.stdout.readline().strip() == "locked"
    yield holder
    holder.kill()
    holder.wait(timeout=10)


def test_second_ingest_is_refused_clearly_while_one_runs(
    library: Library, corpus: Path, lock_held: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.cli import main

    before = library.documents()
    (corpus / FILE).write_text(CHANGED, encoding="utf-8")
    monkeypatch.setenv("RESOLUTIONS_HOME", str(library.home))
    monkeypatch.setattr(
        "assistant.index.embedding.default_embedder", lambda *a, **k: FakeEmbedder()
    )
    for command in (["ingest", "--no-progress", str(corpus)], ["remove", DOCUMENT]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2, result.output
        assert "another ingest or remove is running" in result.stderr
        assert "wait for it to finish" in result.stderr and "Traceback" not in result.output
    with pytest.raises(st.IngestBusyError):
        library.ingest([str(corpus / FILE)])
    assert library.documents() == before
    # searches go on while the lock is held
    assert library.search("preparatory meetings", k=3)
    lock_held.kill()
    lock_held.wait(timeout=10)
    report = library.ingest([str(corpus / FILE)])  # a dead holder holds no lock
    assert report.replaced == [DOCUMENT]


CHECK = r"""
import json, os, sys
sys.path.insert(0, os.environ["PROJECT_ROOT"])
from pathlib import Path
from assistant.index.library import Library
from assistant.settings import Settings
from tests.fakes import FakeEmbedder
lib = Library(Settings(home=Path(sys.argv[1]), corpus=Path(sys.argv[2])), embedder=FakeEmbedder())
if len(sys.argv) > 3:
    lib.ingest()
state = lib.state()
ids = lib.store.ids()
hits = lib.search("preliminary regional meetings", k=5,
                  filters={"document": "wtsa-43-rev-new-delhi-2024"})
print(json.dumps({"pending": state.pending, "chunks": len(ids), "distinct": len(set(ids)),
                  "expected": sum(e["chunks"] for e in state.documents.values()),
                  "documents": sorted(state.documents),
                  "texts": [h.citation["text"] for h in hits]}))
"""


def test_two_ingest_processes_at_once(corpus: Path, tmp_path: Path) -> None:
    """Started together on the same data directory: each finishes or is refused with the clear
    message; afterwards the index is the one a single run gives."""
    home = tmp_path / "home"
    first_run = run_script(tmp_path, CHECK, str(home), str(corpus), "ingest")
    assert first_run.returncode == 0, first_run.stderr[-2000:]
    (corpus / FILE).write_text(CHANGED, encoding="utf-8")
    script = (
        "import os, sys\nsys.path.insert(0, os.environ['PROJECT_ROOT'])\n"
        "from pathlib import Path\nfrom assistant.index.library import Library\n"
        "from assistant.settings import Settings\nfrom tests.fakes import FakeEmbedder\n"
        "from assistant.index.ingest_state import IngestBusyError\n"
        "lib = Library(Settings(home=Path(sys.argv[1]), corpus=Path(sys.argv[2])),"
        " embedder=FakeEmbedder())\n"
        "try:\n    r = lib.ingest()\n    print('ok', len(r.replaced))\n"
        "except IngestBusyError as e:\n    print('busy', e)\n"
    )
    first = run_script(tmp_path, script, str(home), str(corpus), wait=False)
    second = run_script(tmp_path, script, str(home), str(corpus), wait=False)
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    words = sorted(out.split()[0] for out, _ in outputs)
    assert words in (["ok", "ok"], ["busy", "ok"]), outputs
    for out, _ in outputs:
        if out.startswith("busy"):
            assert "another ingest or remove is running" in out
    checked = run_script(tmp_path, CHECK, str(home), str(corpus))
    assert checked.returncode == 0, checked.stderr[-2000:]
    result = json.loads(checked.stdout)
    assert result["pending"] == {}
    assert result["chunks"] == result["distinct"] == result["expected"]
    assert version_of(result["texts"]) == {"new"}
    assert result["documents"] == json.loads(first_run.stdout)["documents"]


def _upload(client: Any, name: str, data: bytes) -> Any:
    return client.post(
        "/ingest",
        files={"file": (name, data, "text/plain")},
        headers={"Authorization": "Bearer tok"},
    )


def api_client(library: Library) -> Any:
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings = library.settings.model_copy(update={"api_token": "tok", "rate_limit_per_minute": 0})
    return TestClient(create_app(settings, library=library), raise_server_exceptions=False)


def test_an_upload_during_an_upload_gets_409_at_once_then_lands(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uploads never queue: the second is refused at once (409), and lands when sent again."""
    client = api_client(library)
    indexing, release = threading.Event(), threading.Event()
    real_ingest = library.ingest

    def slow_ingest(*args: Any, **kwargs: Any) -> Any:
        indexing.set()
        release.wait(timeout=60)
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(library, "ingest", slow_ingest)
    first: dict[str, Any] = {}
    note = b"Notes 0\n\nA paragraph about quiet zephyr hours 0.\n"
    thread = threading.Thread(target=lambda: first.update(r=_upload(client, "note-0.txt", note)))
    thread.start()
    assert indexing.wait(timeout=60)
    started = time.monotonic()
    second = _upload(client, "note-1.txt", b"Notes 1\n\nA paragraph about zephyr hours 1.\n")
    assert time.monotonic() - started < 5
    assert second.status_code == 409, second.text
    assert second.json()["error"]["code"] == "ingest_busy" and second.headers["Retry-After"]
    assert client.get("/health").status_code == 200
    release.set()
    thread.join(timeout=60)
    assert first["r"].status_code == 200, first["r"].text
    again = _upload(client, "note-1.txt", b"Notes 1\n\nA paragraph about zephyr hours 1.\n")
    assert again.status_code == 200, again.text
    files = {Path(d["file"]).name for d in library.documents()}
    assert {"note-0.txt", "note-1.txt"} <= files


def test_upload_while_a_cli_ingest_runs_is_a_clear_4xx(library: Library, lock_held: Any) -> None:
    client = api_client(library)
    response = _upload(client, "note.txt", b"Notes\n\nA paragraph about quiet zephyr hours.\n")
    assert response.status_code in (409, 423, 503), response.text
    message = response.json()["error"]["message"]
    assert "another ingest" in message or "busy" in message.lower()
    assert not (library.home / "uploads" / "note.txt").exists()


def test_first_searches_of_a_fresh_library_may_come_at_once(
    _fake_library_template: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(_fake_library_template, home)
    library = Library(Settings(home=home, corpus=CORPUS), embedder=FakeEmbedder())
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def search() -> None:
        barrier.wait(timeout=30)
        try:
            library.search("regional preparatory meetings", k=3)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=search) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, repr(errors[0])
