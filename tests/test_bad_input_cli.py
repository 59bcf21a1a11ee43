"""Hostile and broken input through the real `resolutions` CLI: exit 2, one readable line, no
traceback, nothing half ingested, the index exactly as before (`documents --json`, chunk ids,
files).

The loader-level checks live in test_docx_security.py and test_decode.py; here every case goes the
whole way: click command -> Library -> Indexer -> the data directory.
"""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from assistant.cli import main
from ingest.loader import load_file
from tests.conftest import CORPUS, ROOT
from tests.fakes import FakeEmbedder

WTSA = CORPUS / "WTSA-43-Rev-New-Delhi-2024.txt"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)
GIB = 1 << 30


# -- hostile files, built in code ------------------------------------------------------------------


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from (name, raw deflate data, crc32, declared uncompressed size):
    lets a member declare any size, as an attacker's file does."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in members:
        offset, encoded = out.tell(), name.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
            )
            + encoded
            + data
        )
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    directory = central.getvalue()
    start = out.tell()
    out.write(directory)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0
        )
    )
    return out.getvalue()


def deflated(blob: bytes) -> tuple[str, bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return "", packer.compress(blob) + packer.flush(), zlib.crc32(blob), len(blob)


def member(name: str, blob: bytes) -> tuple[str, bytes, int, int]:
    return (name, *deflated(blob)[1:])


def docx_with(document_xml: str | bytes) -> bytes:
    blob = document_xml.encode() if isinstance(document_xml, str) else document_xml
    return raw_zip(
        [member("[Content_Types].xml", CONTENT_TYPES.encode()), member("word/document.xml", blob)]
    )


@functools.cache
def two_gib_of_zeros() -> tuple[bytes, int, int]:
    """A deflate stream of 2 GiB of zeros (about 2 MB), with its real crc32 and size."""
    mib = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(mib) + packer.flush(zlib.Z_FULL_FLUSH)  # byte-aligned, repeatable
    crc = 0
    for _ in range(2048):
        crc = zlib.crc32(mib, crc)
    return block * 2048 + packer.flush(), crc, 2 * GIB


def zip_bomb() -> bytes:
    """A .docx whose document part honestly declares 2 GiB (about 2 MB on disk)."""
    data, crc, size = two_gib_of_zeros()
    return raw_zip(
        [
            member("[Content_Types].xml", CONTENT_TYPES.encode()),
            ("word/document.xml", data, crc, size),
        ]
    )


@pytest.fixture(scope="module")
def zeros_stream() -> tuple[bytes, int, int]:
    return two_gib_of_zeros()


def billion_laughs() -> str:
    entities = '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">' + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    return f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>' + DOCUMENT_XML.split("?>", 1)[
        1
    ].format(text="&i;")


def external_entity(target: Path) -> str:
    return (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM '
        f'"file://{target}">]>' + DOCUMENT_XML.split("?>", 1)[1].format(text="&xxe;")
    )


# -- running the CLI against a data directory ------------------------------------------------------


@pytest.fixture
def home(_fake_library_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a data directory with the sample corpus ingested; the CLI uses it, with the
    fake embedder (no model is loaded by these tests)."""
    target = tmp_path / "home"
    shutil.copytree(_fake_library_template, target)
    monkeypatch.setenv("RESOLUTIONS_HOME", str(target))
    monkeypatch.setenv("RESOLUTIONS_CORPUS", str(CORPUS))
    monkeypatch.setattr(
        "assistant.index.embedding.default_embedder", lambda *a, **k: FakeEmbedder()
    )
    return target


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def index_snapshot(home: Path) -> dict[str, Any]:
    """`documents --json`, the stored chunk ids, the committed state and parsed documents (the
    database), every other file of the data directory."""
    listed = cli("documents", "--json")
    assert listed.exit_code == 0, listed.output
    from assistant.index.library import Library
    from assistant.settings import Settings

    library = Library(Settings(home=home, corpus=CORPUS), embedder=FakeEmbedder())
    files = sorted(
        str(p.relative_to(home))
        for p in home.rglob("*")
        if p.is_file() and "library.sqlite3" not in p.name and "chroma" not in p.parts
    )
    from assistant.index import database
    from assistant.index import ingest_state as st

    committed = st.load_state(library.database)
    with library.database.engine.connect() as conn:
        parsed = sorted(tuple(r) for r in conn.execute(database.parsed_documents.select()))
    state = (committed.documents, committed.files, committed.pending, parsed)
    return {
        "documents": listed.stdout,
        "chunks": sorted(library.store.ids()),
        "files": files,
        "state": state,
    }


def assert_refused(result: Result, *words: str) -> None:
    """Exit code 2, one error line on stderr naming the file and the problem, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("error: ")
    for word in words:
        assert word in errors[0], (word, errors[0])
    assert "Traceback" not in result.output


def refuse(home: Path, path: Path | str, *words: str) -> None:
    before = index_snapshot(home)
    result = cli("ingest", "--no-progress", str(path))
    assert_refused(result, *words)
    assert "0 added, 0 replaced" in result.stdout
    assert index_snapshot(home) == before


# -- the cases of issue 9 --------------------------------------------------------------------------


def test_docx_that_is_not_a_zip(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_text("RESOLUTION 99 (Rev. Geneva, 2030)\nplain text named .docx\n")
    refuse(home, path, "notes.docx", "not a .docx file", "save it from Word")


def test_truncated_zip(home: Path, tmp_path: Path) -> None:
    whole = docx_with(DOCUMENT_XML.format(text="regional meetings " * 200))
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    refuse(home, path, "cut.docx", "truncated or damaged")


def test_zip_bomb_of_two_gigabytes(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bomb())
    assert path.stat().st_size < 4 * (1 << 20)
    started = time.monotonic()
    refuse(home, path, "bomb.docx", "zip bomb refused")
    assert time.monotonic() - started < 15  # refused from the headers, never inflated


def test_zip_bomb_that_lies_about_its_size(
    home: Path, tmp_path: Path, zeros_stream: tuple[bytes, int, int]
) -> None:
    """The headers declare 10 kB; the stream inflates to 2 GiB: reading stops at the declared
    size (a damaged file), never inflating the rest."""
    data, crc, _ = zeros_stream
    path = tmp_path / "liar.docx"
    path.write_bytes(
        raw_zip(
            [
                member("[Content_Types].xml", CONTENT_TYPES.encode()),
                ("word/document.xml", data, crc, 10_000),
            ]
        )
    )
    started = time.monotonic()
    refuse(home, path, "liar.docx")
    assert time.monotonic() - started < 15


def test_xml_entity_bomb(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "laughs.docx"
    path.write_bytes(docx_with(billion_laughs()))
    refuse(home, path, "laughs.docx", "entity")


def test_external_entity_leaks_nothing_into_the_index(home: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    marker = "CONFIDENTIAL-7f3a9c-host-secret"
    secret.write_text(f"{marker}\n")
    path = tmp_path / "xxe.docx"
    path.write_bytes(docx_with(external_entity(secret)))
    refuse(home, path, "xxe.docx", "external entity")
    for stored in home.rglob("*"):
        if stored.is_file():
            assert marker.encode() not in stored.read_bytes(), stored
    hits = cli("search", "--json", "CONFIDENTIAL host secret")
    assert marker not in hits.stdout


def test_empty_file(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    refuse(home, path, "empty.txt", "empty")


def test_binary_junk_named_txt(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    refuse(home, path, "junk.txt", "not a text file", "save it as text")


def test_unsupported_format(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "slides.pptx"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    refuse(home, path, "slides.pptx", "unsupported format", ".txt, .md, .docx or .pdf")


def test_a_damaged_pdf(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "slides.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(200))
    refuse(home, path, "slides.pdf", "not a PDF that can be read", "export it again")


def test_file_over_the_size_limit(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "WTSA-43-copy.txt"
    path.write_bytes(WTSA.read_bytes().replace(b"RESOLUTION 43", b"RESOLUTION 943", 1))
    monkeypatch.setenv("RESOLUTIONS_MAX_FILE_BYTES", "2000")
    refuse(home, path, "WTSA-43-copy.txt", "over the limit of 2,000", "RESOLUTIONS_MAX_FILE_BYTES")
    monkeypatch.setenv("RESOLUTIONS_MAX_FILE_BYTES", str(10 * 1024 * 1024))
    accepted = cli("ingest", "--no-progress", "--json", str(path))
    assert accepted.exit_code == 0, accepted.output  # the limit is the setting, not a constant


def test_path_that_does_not_exist(home: Path, tmp_path: Path) -> None:
    refuse(home, tmp_path / "nowhere" / "res-58.txt", "res-58.txt", "no such file")


def test_a_bad_file_beside_a_good_one(home: Path, tmp_path: Path) -> None:
    """The good file is indexed whole; the bad one leaves nothing; exit code 2 still."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "bomb.docx").write_bytes(docx_with(billion_laughs()))
    new = folder / "WTSA-943.txt"
    new.write_bytes(WTSA.read_bytes().replace(b"RESOLUTION 43", b"RESOLUTION 943", 1))
    before = cli("documents", "--json").stdout
    result = cli("ingest", "--no-progress", "--json", str(folder))
    assert result.exit_code == 2 and "Traceback" not in result.output
    report = json.loads(result.stdout)
    assert len(report["added"]) == 1 and len(report["failed"]) == 1
    assert report["failed"][0]["file"].endswith("bomb.docx")
    after = json.loads(cli("documents", "--json").stdout)
    assert len(after) == len(json.loads(before)) + 1
    (added,) = [d for d in after if d["document"] == report["added"][0]]
    expected = load_file(new).documents[0]
    assert added["clauses"] == len(expected.clauses())


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_legacy_encodings_are_ingested_correctly(home: Path, tmp_path: Path, encoding: str) -> None:
    """cp1252 and UTF-16 with a BOM (CRLF line ends, as Windows writes them) are read, not
    refused, and give the very clauses of the UTF-8 file."""
    text = WTSA.read_text(encoding="utf-8").replace("RESOLUTION 43", "RESOLUTION 943", 1)
    text = text.replace("preparatory", "“prépa–ratory”")  # bytes differ in each encoding
    path = tmp_path / f"WTSA-943-{encoding}.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff") or encoding == "cp1252"
    result = cli("ingest", "--no-progress", "--json", str(path))
    assert result.exit_code == 0, result.output
    (document_id,) = json.loads(result.stdout)["added"]
    from assistant.index.library import Library
    from assistant.settings import Settings

    library = Library(Settings(home=home), embedder=FakeEmbedder())
    reference = tmp_path / "reference.txt"
    reference.write_text(text, encoding="utf-8")
    expected = load_file(reference).documents[0]
    got = library.document(document_id)
    assert [(c.id, c.text) for _, c in got.clauses()] == [
        (c.id, c.text) for _, c in expected.clauses()
    ]
    assert any("“prépa–ratory”" in c.text for _, c in got.clauses())


def test_real_command_in_a_subprocess(tmp_path: Path) -> None:
    """The installed entry point, a fresh data directory, several bad files at once: one line
    each on stderr, exit code 2, no traceback, nothing written to the index."""
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "laughs.docx").write_bytes(docx_with(billion_laughs()))
    (bad / "empty.md").write_bytes(b"")
    (bad / "junk.txt").write_bytes(bytes(range(256)) * 16)
    missing = tmp_path / "missing.txt"
    home = tmp_path / "home"
    env = {
        **os.environ,
        "RESOLUTIONS_HOME": str(home),
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    command = [str(Path(sys.executable).with_name("resolutions"))]
    if not Path(command[0]).exists():
        command = [sys.executable, "-c", "from assistant.cli import main; main()"]
    done = subprocess.run(
        [*command, "ingest", "--no-progress", str(bad), str(missing)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4, done.stderr
    assert [line for line in done.stderr.splitlines() if line.strip()] == errors
    listed = subprocess.run(
        [*command, "documents", "--json"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0 and listed.stdout.strip() == "[]", listed.stdout
