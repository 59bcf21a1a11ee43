"""Hardening of parsing (issue 20): bounded .docx parsing, limits named in errors, linear ids,
XML-safe text, hidden folders skipped."""

from __future__ import annotations

import io
import random
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx_fixtures import add_paragraph, new_document, run, to_bytes

from ingest import docx_package
from ingest.docx_package import UnsafeFileError
from ingest.errors import IngestError, LimitError
from ingest.limits import ParseLimits
from ingest.loader import iter_corpus_files, load_file
from ingest.model import unique_key
from ingest.xml_chars import xml_safe

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEAD = (
    "RESOLUTION 1 (Rev. X, 2020)\nTitle\n"
    "The World Radiocommunication Conference (X, 2020),\nconsidering\n"
)
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _body(paragraphs: int) -> Iterator[str]:
    yield f'<w:document xmlns:w="{W}"><w:body>'
    for number in range(1, paragraphs + 1):
        yield f"<w:p><w:r><w:t>{number})\tParagraph {number}.</w:t></w:r></w:p>"
    yield "</w:body></w:document>"


def many_paragraphs(path: Path, paragraphs: int) -> Path:
    """A .docx of short paragraphs, written as a stream (no python-docx, no tree)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w") as part:
            batch: list[str] = []
            for piece in _body(paragraphs):
                batch.append(piece)
                if len(batch) == 5000:
                    part.write("".join(batch).encode())
                    batch = []
            part.write("".join(batch).encode())
    return path


# ---- item 1: paragraph and clause caps ---------------------------------------------------------


def test_parse_limits_defaults_and_validation() -> None:
    limits = ParseLimits()
    assert (limits.max_bytes, limits.max_paragraphs, limits.max_clauses) == (
        20 * 1024 * 1024,
        20_000,
        5_000,
    )
    with pytest.raises(ValueError, match="max_clauses"):
        ParseLimits(max_clauses=0)


def test_docx_over_the_paragraph_cap_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = many_paragraphs(tmp_path / "many.docx", 200_000)
    tracemalloc.start()
    try:
        with pytest.raises(LimitError) as caught:
            load_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    error = caught.value
    assert error.source == str(path) and isinstance(error, IngestError)
    assert "has 200,000 paragraphs, over the limit of 20,000" in error.reason
    assert "raise RESOLUTIONS_MAX_PARAGRAPHS to allow it" in error.reason
    assert (error.setting, error.size, error.limit) == (
        "RESOLUTIONS_MAX_PARAGRAPHS",
        200_000,
        20_000,
    )
    assert peak < 40 * 1024 * 1024  # the file itself is ~1.5 MB; parsed, it took over 500 MB


def test_paragraph_cap_is_a_setting(tmp_path: Path) -> None:
    path = many_paragraphs(tmp_path / "some.docx", 120)
    with pytest.raises(LimitError, match="has 120 paragraphs, over the limit of 100"):
        load_file(path, limits=ParseLimits(max_paragraphs=100))
    (document,) = load_file(path, limits=ParseLimits(max_paragraphs=120)).documents
    assert len(document.clauses()) == 120


def test_clause_cap_for_text_and_docx(tmp_path: Path) -> None:
    text = tmp_path / "r.txt"
    text.write_text(HEAD + "".join(f"{n})\tthat item {n};\n" for n in range(1, 31)))
    assert len(load_file(text).documents[0].clauses()) == 30
    with pytest.raises(LimitError) as caught:
        load_file(text, limits=ParseLimits(max_clauses=10))
    assert "has 30 clauses, over the limit of 10" in caught.value.reason
    assert "raise RESOLUTIONS_MAX_CLAUSES to allow it" in caught.value.reason
    word = many_paragraphs(tmp_path / "w.docx", 30)
    with pytest.raises(LimitError, match="RESOLUTIONS_MAX_CLAUSES"):
        load_file(word, limits=ParseLimits(max_clauses=29))


def test_text_lines_count_as_paragraphs(tmp_path: Path) -> None:
    text = tmp_path / "r.txt"
    text.write_text(HEAD + "a)\tthat;\n" + "more words\n\n" * 50)
    with pytest.raises(LimitError, match="non-empty lines, over the limit of 40 paragraphs"):
        load_file(text, limits=ParseLimits(max_paragraphs=40))


def test_max_bytes_still_positional_and_overrides_limits(tmp_path: Path) -> None:
    text = tmp_path / "r.txt"
    text.write_text(HEAD + "a)\tthat;\n")
    with pytest.raises(LimitError, match="RESOLUTIONS_MAX_FILE_BYTES") as caught:
        load_file(text, 10)
    assert caught.value.limit == 10
    with pytest.raises(LimitError):
        load_file(text, 10, ParseLimits(max_bytes=10**6))
    assert load_file(text, None, ParseLimits(max_bytes=10**6)).documents


# ---- item 2 (13): which package limit was hit --------------------------------------------------


def _package(document_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document_xml)
    return out.getvalue()


def _text_xml(size: int) -> bytes:
    """Word XML of about ``size`` bytes that compresses like real text (~10:1)."""
    words = "the member states union council resolves instructs invites of and to".split()
    pick = random.Random(7).choices
    paragraphs, total = [], 0
    while total < size:
        paragraph = f"<w:p><w:r><w:t>{' '.join(pick(words, k=8))}</w:t></w:r></w:p>"
        paragraphs.append(paragraph)
        total += len(paragraph)
    return f'<w:document xmlns:w="{W}"><w:body>{"".join(paragraphs)}</w:body></w:document>'.encode()


def test_a_large_part_of_ordinary_compression_is_not_called_a_zip_bomb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _package(_text_xml(300_000))
    monkeypatch.setattr(docx_package, "MAX_MEMBER_BYTES", 100_000)
    with pytest.raises(UnsafeFileError) as caught:
        docx_package.check_package(data, "big.docx")
    reason = caught.value.reason
    assert "zip bomb" not in reason
    assert "word/document.xml would expand to" in reason
    assert "over the limit of 100,000 bytes" in reason and "for one part" in reason
    assert "split the document" in reason


def test_each_package_limit_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    xml = _text_xml(50_000)
    data = _package(xml)
    with pytest.raises(UnsafeFileError) as caught:
        docx_package.check_package(data, "b.docx", max_uncompressed=20_000)
    assert "in all, over the limit of 20,000 bytes" in caught.value.reason
    assert "for all parts together; split the document" in caught.value.reason
    bomb = _package(b"<a>" + b" " * (8 * 1024 * 1024) + b"</a>")
    with pytest.raises(UnsafeFileError) as caught:
        docx_package.check_package(bomb, "b.docx")
    assert (
        "zip bomb refused" in caught.value.reason
        and "over the limit of 200:1" in caught.value.reason
    )
    assert "save it again from Word" in caught.value.reason
    monkeypatch.setattr(docx_package, "MAX_MEMBERS", 2)
    with pytest.raises(UnsafeFileError) as caught:
        docx_package.check_package(data, "b.docx")
    assert "holds 3 parts, over the limit of 2 parts" in caught.value.reason


def test_paragraphs_in_any_part_and_prefix_are_counted() -> None:
    xml = (
        '<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        + "<x:body>"
        + "<x:p/>" * 30
        + "</x:body></x:document>"
    )
    with pytest.raises(LimitError, match="has 30 paragraphs, over the limit of 25"):
        docx_package.check_package(_package(xml.encode()), "p.docx", max_paragraphs=25)
    docx_package.check_package(_package(xml.encode()), "p.docx", max_paragraphs=30)


# ---- item 3 (7): ids of many clauses with one label ----------------------------------------------


class _CountingSet(set[str]):
    probes = 0

    def __contains__(self, item: object) -> bool:
        type(self).probes += 1
        return super().__contains__(item)


def _old_unique_key(key: str, used: set[str]) -> str:
    candidate, counter = key, 2
    while candidate in used:
        candidate, counter = f"{key}-{counter}", counter + 1
    used.add(candidate)
    return candidate


def test_unique_key_probes_linearly() -> None:
    used = _CountingSet()
    _CountingSet.probes = 0
    keys = [unique_key("doc/considering/a", used) for _ in range(32_000)]
    assert keys[:3] == ["doc/considering/a", "doc/considering/a-2", "doc/considering/a-3"]
    assert keys[-1] == "doc/considering/a-32000"
    assert _CountingSet.probes <= 3 * 32_000  # was 32,000 * 32,001 / 2 (512 million)


def test_unique_key_gives_the_ids_of_before() -> None:
    chooser = random.Random(3)
    for trial in range(200):
        start = {f"k{chooser.randint(0, 3)}-{chooser.randint(2, 6)}" for _ in range(trial % 5)}
        start |= {"start"} if trial % 2 else set()
        new, old = set(start), set(start)
        other_new, other_old = {"k1"}, {"k1"}  # a second set in use at the same time
        for _ in range(60):
            key = chooser.choice(["k0", "k1", "k2", "k1-2", "k3", "start"])
            assert unique_key(key, new) == _old_unique_key(key, old)
            assert unique_key(key, other_new) == _old_unique_key(key, other_old)
            if chooser.random() < 0.1:  # a key taken by its caller, not through unique_key
                extra = f"{key}-{chooser.randint(2, 20)}"
                new.add(extra)
                old.add(extra)
        assert new == old


# ---- item 4 (5): characters XML cannot hold ------------------------------------------------------

BAD = "\x01\x07\x1b\x00\x08\x0e\x1f\x7f\x80\x9f\ufffe\uffff"


def test_control_characters_are_removed_from_text_files(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    body = "a)\tthat the\x07 bell\x1b[0m rings\x01;\nb)\tthat a\vline\fbreak\x85is kept\x9f;\n"
    path.write_text(HEAD + body, encoding="utf-8")
    (document,) = load_file(path).documents
    texts = [clause.text for _, clause in document.clauses()]
    assert texts[0] == "that the bell[0m rings;"
    assert "that a line" in texts[1] and "is kept;" in texts[1]
    for _, clause in document.clauses():
        assert not any(char in clause.full_text for char in BAD + "\v\f\x85")


def test_xml_safe_removes_what_xml_cannot_hold() -> None:
    assert xml_safe("a\tb\nc") == "a\tb\nc"
    assert xml_safe(f"x{BAD}\ud800y\udfff") == "xy"
    assert xml_safe("page\fnext\vsame") == "page\nnext same"


def test_control_characters_in_a_docx_are_removed(tmp_path: Path) -> None:
    document = new_document()
    add_paragraph(document, run("A note\x85 with a C1\x9b control."))
    path = tmp_path / "c1.docx"
    path.write_bytes(to_bytes(document))
    (parsed,) = load_file(path).documents
    texts = [clause.text for _, clause in parsed.clauses()]
    assert texts and not any(char in text for text in texts for char in BAD + "\x85\x9b")


# ---- item 5 (9): hidden folders ------------------------------------------------------------------


def test_hidden_folders_below_the_folder_given_are_skipped(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    (uploads / ".incoming-1234").mkdir(parents=True)
    (uploads / "sub" / ".git").mkdir(parents=True)
    for name in ["a.txt", ".incoming-1234/b.txt", "sub/c.md", "sub/.git/d.txt", ".e.txt"]:
        (uploads / name).write_text("x")
    assert iter_corpus_files([uploads]) == [uploads / "a.txt", uploads / "sub" / "c.md"]
    hidden = uploads / ".incoming-1234"
    assert iter_corpus_files([hidden]) == [hidden / "b.txt"]  # named: read though hidden
    assert iter_corpus_files([uploads / ".e.txt"]) == [uploads / ".e.txt"]
