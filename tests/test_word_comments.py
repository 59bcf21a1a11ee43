"""Word comments where the merged sources differ: one per clause, anchored on its paragraph,
naming the readings not chosen and their sources; the redline still reads back, LibreOffice
opens it and python-docx lists the comments."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
from docx_fixtures import libreoffice_convert
from lxml import etree

from assistant.drafting.draft import draft
from assistant.drafting.revise import revise
from assistant.word.comments import HEADER, UPDATED, accepted_text, short_citation
from assistant.word.revision_output import write_revision_docx
from assistant.word.writer import write_draft_docx
from ingest.docx_reader import read_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BUSAN, DOHA = "pp-58-rev-busan-2014", "pp-58-rev-doha-2026"
WTSA = "wtsa-43-rev-new-delhi-2024/invites-the-secretary-general-in-cooperation-with-the/3"
WTDC = "wtdc-31-rev-baku-2025/requests-the-secretary-general-in-cooperation-with-the/4"
BASE = "to submit a report on the meetings, their results and the application of this resolution,"
PROPOSAL = "to submit a report on the meetings, their results and the application of it,"


def _cited(clause_id: str, name: str, section: str, label: str, text: str) -> dict[str, Any]:
    return {
        "id": clause_id,
        "label": label,
        "sub": "",
        "section": section,
        "citation": f"{name}, {section} {label}",
        "text": text,
    }


SOURCES = [
    _cited(WTSA, "WTSA Res. 43 (Rev. New Delhi, 2024)", "invites the Secretary-General, in "
           "cooperation with the Directors of the Bureaux", "3", BASE),
    _cited(WTDC, "WTDC Res. 31 (Rev. Baku, 2025)", "requests the Secretary-General, in "
           "cooperation with the Director", "4", "to submit a report on the meetings"),
]  # fmt: skip


def _draft(differing: bool) -> dict[str, Any]:
    spans: list[dict[str, Any]] = [
        {"text": "to submit a report on the meetings,", "sources": [WTSA, WTDC]},
        {"text": " their", "sources": [WTSA], "alternatives": [{"text": "the", "sources": [WTDC]}]},
        {"text": " results", "sources": [WTSA, WTDC]},
        {"text": "", "sources": [WTSA], "alternatives": [{"text": "of them", "sources": [WTDC]}]},
        {"text": " and the application of it,", "sources": [WTSA, WTDC]},
    ]
    if not differing:
        spans = [{k: v for k, v in s.items() if k != "alternatives"} for s in spans if s["text"]]
    return {"text": PROPOSAL, "spans": spans, "sources": SOURCES, "base": SOURCES[0]}


def _anchors(path: Path) -> dict[int, str]:
    """Comment id -> the accepted text of the paragraph that holds its range and reference."""
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    anchors: dict[int, str] = {}
    for paragraph in body.iter(f"{W}p"):
        starts = [e.get(f"{W}id") for e in paragraph.findall(f"{W}commentRangeStart")]
        ends = [e.get(f"{W}id") for e in paragraph.findall(f"{W}commentRangeEnd")]
        refs = [e.get(f"{W}id") for e in paragraph.findall(f"{W}r/{W}commentReference")]
        assert starts == ends == refs  # all three markers in the same w:p
        for number in starts:
            anchors[int(str(number))] = accepted_text(paragraph)
    markers = ("commentRangeStart", "commentRangeEnd", "commentReference")
    assert sum(1 for e in body.iter() if etree.QName(e).localname in markers) == 3 * len(anchors)
    return anchors


def test_one_comment_on_the_clause_where_sources_differ(tmp_path: Path) -> None:
    path = write_draft_docx(tmp_path / "p.docx", _draft(True), author="Delegation X")
    comments = list(docx.Document(str(path)).comments)
    assert len(comments) == 1
    comment = comments[0]
    assert comment.author == "Delegation X" and comment.initials == "DX"
    lines = comment.text.split("\n")
    wtsa = "WTSA Res. 43 (Rev. New Delhi, 2024), invites the Secretary-General 3"
    wtdc = "WTDC Res. 31 (Rev. Baku, 2025), requests the Secretary-General 4"
    assert lines == [
        HEADER,
        f"«their» ({wtsa}) or «the» ({wtdc})",
        f"nothing after «meetings, their results» ({wtsa}) or «of them» ({wtdc})",
    ]
    assert WTSA not in comment.text and WTDC not in comment.text  # cited, not by id
    assert _anchors(path) == {comment.comment_id: f"3)\t{PROPOSAL}"}


def test_the_commented_redline_reads_back(tmp_path: Path) -> None:
    data = write_draft_docx(tmp_path / "p.docx", _draft(True)).read_bytes()
    accepted = read_docx(data, "p.docx", "x", view="accepted").documents[0]
    original = read_docx(data, "p.docx", "x", view="original").documents[0]
    accepted_text = " ".join(c.full_text for _, c in accepted.clauses())
    original_text = " ".join(c.full_text for _, c in original.clauses())
    assert PROPOSAL in accepted_text and BASE not in accepted_text
    assert BASE in original_text and PROPOSAL not in original_text
    assert "The sources differ" not in accepted_text + original_text  # comments are not read


def test_no_comment_when_the_sources_agree(tmp_path: Path) -> None:
    path = write_draft_docx(tmp_path / "p.docx", _draft(False))
    assert len(docx.Document(str(path)).comments) == 0
    assert _anchors(path) == {}


def test_short_citation_keeps_short_headings() -> None:
    cited = {
        "id": "x/considering/b",
        "section": "considering",
        "citation": "PP Res. 58, considering b)",
    }
    assert short_citation(cited) == "PP Res. 58, considering b)"
    assert short_citation({"id": "x/1"}) == "x/1"


def test_a_real_draft_names_every_other_reading(fake_library: Any, tmp_path: Path) -> None:
    result = draft(fake_library, clause_id=WTSA, for_body="PP", exclude_documents=[DOHA])
    data = result.to_json()
    differing = [s for s in data["spans"] if s.get("alternatives")]
    assert differing
    path = write_draft_docx(tmp_path / "d.docx", result)
    comments = list(docx.Document(str(path)).comments)
    assert len(comments) == 1
    short = {c["id"]: short_citation(c) for c in data["sources"]}
    for span in differing:
        for other in span["alternatives"]:
            words = other["text"].strip()
            assert (f"or «{words}»" if words else "or nothing") in comments[0].text
            assert all(short[s] in comments[0].text for s in other["sources"])


def test_the_revision_has_one_comment_per_clause_with_other_readings(
    fake_library: Any, tmp_path: Path
) -> None:
    revision = revise(fake_library, BUSAN, for_body="PP", exclude_documents=[DOHA])
    path = write_revision_docx(tmp_path / "r.docx", revision, author="X Y", library=fake_library)
    noted = [e for e in revision.entries if any(s.alternatives or s.updated for s in e.spans)]
    differing = [e for e in noted if any(s.alternatives for s in e.spans)]
    assert len(differing) >= 3
    comments = list(docx.Document(str(path)).comments)
    assert len(comments) == len(noted)
    anchors = _anchors(path)
    for entry, comment in zip(noted, comments, strict=True):
        assert entry.clause.text in anchors[comment.comment_id]
        assert comment.author == "X Y"
        if any(s.updated for s in entry.spans):  # recalling c): the Sector texts' revisions
            assert UPDATED in comment.text and "(Rev. WRC-07)" in " ".join(c.text for c in comments)
        if entry not in differing:
            assert comment.text.startswith(UPDATED + "\n")
            continue
        assert comment.text.startswith(HEADER + "\n")
        for span in entry.spans:
            for other in span.alternatives:
                cited = [short_citation(fake_library.clause(s)) for s in other.sources]
                assert all(c in comment.text for c in cited)
        assert not any(s in comment.text for e in revision.entries for s in e.sources)
    data = path.read_bytes()
    accepted = read_docx(data, "r.docx", "x", view="accepted").documents[0]
    assert [c.full_text for _, c in accepted.clauses()] == [
        c.full_text for _, c in revision.document.clauses()
    ]


def test_libreoffice_opens_the_comments(tmp_path: Path) -> None:
    path = write_draft_docx(tmp_path / "p.docx", _draft(True))
    assert libreoffice_convert(path, "pdf", tmp_path).read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(libreoffice_convert(path, "odt", tmp_path)) as package:
        content = package.read("content.xml").decode()
    assert content.count("<office:annotation ") == content.count("<office:annotation-end ") == 1
    assert "of them" in content and "<text:changed-region" in content
