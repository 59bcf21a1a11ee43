"""Whole-resolution revision: PP-58 Busan revised with the Sector resolutions, and made-up ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx_fixtures import libreoffice_convert

from assistant.align.alignment import mutual_groups
from assistant.cli import main, revise_cmd
from assistant.drafting.draft import MAX_DOCUMENTS
from assistant.drafting.place import _without
from assistant.drafting.revise import Revision, revise
from assistant.word.revision_output import comparison, to_markdown_redline, write_revision_docx
from ingest.docx_reader import View, read_docx
from ingest.model import Document

BUSAN, DOHA = "pp-58-rev-busan-2014", "pp-58-rev-doha-2026"
SECTORS = {"wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025", "wrc-72-rev-wrc-19"}


def _doc(source: str) -> str:
    return source.split("/", 1)[0]


@pytest.fixture
def busan(fake_library: Any) -> Revision:
    return revise(fake_library, BUSAN, for_body="PP", exclude_documents=[DOHA])


def _readback(path: Path, expected: Document, view: View) -> None:
    back = read_docx(path.read_bytes(), path.name, "x", view=view).documents[0]
    assert [c.full_text for _, c in back.clauses()] == [c.full_text for _, c in expected.clauses()]
    assert [s.heading for s in back.sections] == [s.heading for s in expected.sections]
    assert [(c.label, c.sub) for _, c in back.clauses()] == [
        (c.label, c.sub) for _, c in expected.clauses()
    ]


def test_every_base_clause_is_kept_or_revised(busan: Revision, fake_library: Any) -> None:
    base = fake_library.document(BUSAN)
    revised = [e for e in busan.entries if e.base is not None]
    assert [e.base.id for e in revised if e.base] == [c.id for _, c in base.clauses()]
    for entry in revised:
        assert entry.status in {"kept", "revised"}
        assert entry.base is not None
        same = entry.clause.text == entry.base.clause.text
        assert same == (entry.status == "kept")
        assert entry.clause.footnotes == entry.base.clause.footnotes
    assert busan.counts()["revised"] >= 3
    assert busan.with_documents and set(busan.with_documents) == SECTORS


def test_added_clauses_are_shared_by_two_sector_resolutions(
    busan: Revision, fake_library: Any
) -> None:
    added = [e for e in busan.entries if e.status == "added"]
    assert added
    taken = {s for e in busan.entries if e.base for s in e.sources}
    proposed = {s for e in added for s in e.sources}
    assert not taken & proposed  # a Sector clause is merged into one clause only
    for entry in added:
        documents = {_doc(s) for s in entry.sources}
        assert len(documents) >= 2 and documents <= SECTORS
    # what no Busan clause took in, aligned among the Sector resolutions: a clause that only one
    # of them has is never proposed; one that two or more share is (unless it cites Busan)
    rest = [_without(fake_library.document(i), taken) for i in sorted(SECTORS)]
    for group in mutual_groups(rest, fake_library):
        ids = {m.id for m in group.members}
        if len({m.document.id for m in group.members}) == 1:
            assert not ids & proposed
        elif not any("Resolution 58 (Rev. Busan, 2014)" in m.clause.text for m in group.members):
            assert ids & proposed


def test_provenance_and_exclusion(busan: Revision, fake_library: Any) -> None:
    for entry in busan.entries:
        assert entry.spans and entry.sources
        assert "".join(s.text for s in entry.spans).strip() == entry.clause.text
        for span in entry.spans:
            assert span.sources
            for source in span.sources:
                assert fake_library.clause(source)["id"] == source
                assert _doc(source) != DOHA
    data = busan.to_json()
    assert data["document"] == BUSAN and data["for"] == "PP"
    assert {c["status"] for c in data["clauses"]} == {"kept", "revised", "added"}
    assert data["counts"]["clauses"] == len(data["clauses"]) == len(busan.document.clauses())
    assert all(set(c) >= {"id", "label", "section", "status", "text", "spans", "sources"}
               for c in data["clauses"])  # fmt: skip
    # every source is named as it is cited, for shells that show sources
    sources = {s for c in data["clauses"] for s in c["sources"]}
    assert set(data["citations"]) == sources
    for source, cited in data["citations"].items():
        assert cited == fake_library.clause(source)["citation"]


def test_added_clauses_go_where_their_heading_belongs(busan: Revision) -> None:
    base_headings = {s.heading for s in busan.base.sections}
    for section in busan.document.sections:
        entries = [e for e in busan.entries if e.section is section]
        if section.heading not in base_headings:  # a new section holds added clauses only
            assert all(e.status == "added" for e in entries)
    kinds = [s.kind for s in busan.document.sections]
    assert kinds == sorted(kinds, key=lambda k: k != "preamble")  # preamble first
    lettered = next(s for s in busan.document.sections if s.heading == "considering")
    labels = [c.label for c in lettered.clauses if not c.sub]
    assert labels == [chr(ord("a") + k) for k in range(len(labels))]


def test_the_redline_reads_back(busan: Revision, tmp_path: Path) -> None:
    path = write_revision_docx(tmp_path / "revision.docx", busan, author="Delegation X")
    _readback(path, busan.document, "accepted")
    _readback(path, busan.base, "original")
    counts = comparison(busan).counts()
    assert counts["removed"] == counts["moved"] == 0
    assert counts["added"] == busan.counts()["added"]
    markdown = to_markdown_redline(busan)
    assert markdown.startswith("**MOD**") and "<ins>" in markdown and "<del>" in markdown


def test_libreoffice_opens_the_redline(busan: Revision, tmp_path: Path) -> None:
    path = write_revision_docx(tmp_path / "revision.docx", busan)
    assert libreoffice_convert(path, "pdf", tmp_path).read_bytes().startswith(b"%PDF")


def test_cli(fake_library: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(revise_cmd, "library_from", lambda ctx: fake_library)
    out = tmp_path / "r.docx"
    args = ["revise", BUSAN, "--for", "PP", "--exclude", DOHA, "--json", "--docx", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["document"] == BUSAN and data["counts"]["added"] >= 1
    _readback(out, fake_library.document(BUSAN), "original")
    text = CliRunner().invoke(main, ["revise", BUSAN, "--exclude", DOHA, "--markdown"])
    assert text.exit_code == 0 and text.stdout.startswith("**MOD**")
    for bad in (
        ["revise", "no-such-resolution"],
        ["revise", BUSAN, "--with", "no-such-resolution"],
        ["revise", BUSAN, "--docx", str(tmp_path / "r.pdf")],
        ["revise", BUSAN, "--exclude", BUSAN],
    ):
        failed = CliRunner().invoke(main, bad)
        assert failed.exit_code == 2, (bad, failed.output)
        assert "Traceback" not in failed.output and len(failed.output.strip().splitlines()) == 1


BASE = """RESOLUTION 7 (Rev. Lisbon, 2020)
Shared rivers and basin data
The Water Assembly (Lisbon, 2020),
observing
a)\tthat river basins cross national borders and their data are held by many agencies;
b)\tthat flood warnings depend on timely exchange of gauge readings between states;
decides
1\tthat basin states should exchange gauge readings daily during the flood season;
2\tthat the secretariat shall keep a public register of basin agreements;
"""
FORUM = """RESOLUTION 3 (Rev. Porto, 2023)
Gauge data for rivers
The River Forum (Porto, 2023),
observing
a)\tthat flood warnings depend on timely and reliable exchange of gauge readings between states;
b)\tthat drought monitoring also needs shared records of river flows across basins;
c)\tthat satellite altimetry of lakes is improving quickly in every region;
decides
1\tthat basin states should exchange gauge readings hourly during the flood season;
"""
CONFERENCE = """RESOLUTION 12 (Rev. Nairobi, 2024)
River data exchange
The Basin Conference (Nairobi, 2024),
observing
a)\tthat drought monitoring also needs shared records of river flows across all basins;
b)\tthat flood warnings depend on timely exchange of gauge readings between riparian states;
decides
1\tthat basin states should exchange gauge readings daily during the whole flood season;
"""


def test_made_up_resolutions(tmp_path: Path) -> None:
    from assistant.index.library import Library
    from assistant.settings import Settings
    from tests.fakes import FakeEmbedder

    folder = tmp_path / "texts"
    folder.mkdir()
    for name, text in {"base": BASE, "forum": FORUM, "conference": CONFERENCE}.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    library = Library(Settings(home=tmp_path / "home", corpus=folder), embedder=FakeEmbedder())
    assert not library.ingest().failed
    base_id = library.resolve_document("water-assembly-7-rev-lisbon-2020")
    result = revise(library, base_id)
    assert result.target_body == "WATER ASSEMBLY"
    added = [e for e in result.entries if e.status == "added"]
    assert [e.clause.text.startswith("that drought monitoring") for e in added] == [True]
    assert not any("altimetry" in e.clause.text for e in result.entries)  # only one has it
    observing = result.document.sections[0]
    assert observing.heading == "observing" and len(observing.clauses) == 3
    assert [c.label for c in observing.clauses] == ["a", "b", "c"]
    decides = [e for e in result.entries if e.section and e.section.heading == "decides"]
    assert [e.status for e in decides] == ["kept", "kept"]  # daily: two sources to one
    path = write_revision_docx(tmp_path / "water.docx", result)
    _readback(path, result.document, "accepted")
    _readback(path, result.base, "original")
    with pytest.raises(LookupError):
        revise(library, "no-such-resolution")


def test_an_addition_needs_half_of_the_other_resolutions(tmp_path: Path) -> None:
    """Two of five is not enough: the drought clause shared by two is not proposed."""
    from assistant.index.library import Library
    from assistant.settings import Settings
    from tests.fakes import FakeEmbedder

    folder = tmp_path / "texts"
    folder.mkdir()
    texts = {"base": BASE, "forum": FORUM, "conference": CONFERENCE}
    unrelated = (
        "fisheries quotas follow the spawning survey of each spring",
        "port dues are waived for vessels carrying relief cargo",
        "canal tolls are published in three currencies before each season",
    )
    for n, text in enumerate(unrelated, start=20):
        texts[f"other{n}"] = (
            f"RESOLUTION {n} (Rev. Oslo, 2021)\nHarbours {n}\nThe Harbour Board (Oslo, 2021),\n"
            f"decides\n1\tthat {text};\n"
        )
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    library = Library(Settings(home=tmp_path / "home", corpus=folder), embedder=FakeEmbedder())
    assert not library.ingest().failed
    base_id = library.resolve_document("water-assembly-7-rev-lisbon-2020")
    others = [d["document"] for d in library.documents() if d["document"] != base_id]
    result = revise(library, base_id, with_documents=others)  # named: all five are used
    assert len(result.with_documents) == 5
    assert not [e for e in result.entries if e.status == "added"]
    # found for the user, the three harbour texts are not parallel to the base: left out
    found = revise(library, base_id)
    assert len(found.with_documents) == 2
    assert [e.clause.text.startswith("that drought monitoring") for e in found.entries
            if e.status == "added"] == [True]  # fmt: skip
    harbour = library.resolve_document("harbour-board-20-rev-oslo-2021")
    with pytest.raises(ValueError, match="shares enough clauses"):
        revise(library, harbour)


def test_unsc_resolutions(unsc_dir: Path, tmp_path: Path) -> None:
    from assistant.index.library import Library
    from assistant.settings import Settings
    from tests.fakes import FakeEmbedder

    every = sorted(unsc_dir.glob("*.txt"))
    series = [f for f in every if "Cyprus" in f.read_text("utf-8", errors="replace")][:26]
    others = [f for f in every if f not in series][10:20]
    library = Library(Settings(home=tmp_path / "home", corpus=unsc_dir), embedder=FakeEmbedder())
    library.ingest([str(f) for f in series + others])
    sources = {d["document"]: d["source"] for d in library.documents()}
    ids = sorted(d for d, source in sources.items() if Path(source) in series)
    if len(sources) <= MAX_DOCUMENTS + 1:
        pytest.skip("too few UNSC resolutions parsed")
    base_id = ids[-1]  # too many resolutions to take all: the search picks them
    result = revise(library, base_id)
    assert 0 < len(result.with_documents) <= MAX_DOCUMENTS
    assert all(Path(sources[d]) in series for d in result.with_documents)  # parallel texts only
    base = library.document(base_id)
    assert [e.base.id for e in result.entries if e.base] == [c.id for _, c in base.clauses()]
    path = write_revision_docx(tmp_path / "unsc.docx", result)
    views: list[tuple[View, Document]] = [("accepted", result.document), ("original", base)]
    for view, expected in views:
        back = read_docx(path.read_bytes(), "unsc.docx", "x", view=view).documents[0]
        # the reader may join unlabelled paragraphs into one clause: compare the words
        assert _words(back) == _words(expected)


def _words(document: Document) -> list[str]:
    return " ".join(c.full_text for _, c in document.clauses()).split()


def test_the_revision_eval_family(tmp_path: Path) -> None:
    from assistant.settings import Settings
    from evals import runner
    from tests.fakes import FakeEmbedder

    run = runner.run(Settings(home=tmp_path / "unused"), embedder=FakeEmbedder(), only=["revision"])
    (family,) = run.families
    assert family.status == "ok", family.reason
    assert family.breakdown["revisions citing an excluded document"] == 0
    ours, base = family.metrics["assistant"], family.metrics["base_unchanged"]
    assert ours["chrf"] is not None and base["chrf"] is not None
    assert ours["chrf"] > base["chrf"]
    assert ours["provenance_coverage"] == 1.0
