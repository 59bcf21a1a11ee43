"""Moved clauses in the comparison redline are Word move revisions (w:moveFrom / w:moveTo with
their named range markers), read back by our own reader as both versions, and accepted by
LibreOffice (PDF, and .odt with the moves as tracked changes)."""

from __future__ import annotations

import copy
import random
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Literal

import pytest
from docx_fixtures import libreoffice_convert
from lxml import etree

from assistant.align.compare import Comparison, compare_documents
from assistant.word.comparison import write_comparison_docx
from ingest.docx_reader import read_docx
from ingest.loader import load_file
from ingest.model import Clause, Document, Section
from ingest.resolution_parser import parse_resolution_text

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Redline = tuple[Comparison, Path]
View = Literal["accepted", "original"]
REVISIONS = ("ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveToRangeStart")

TEMPLATE = "RESOLUTION 1 (Rev. Geneva, {year})\nStaff and premises\nThe Council (Geneva, {year}),\n"
OLD = """considering
a)\tthat budgets matter for every sector of the Union and its members;
b)\tthat staffing levels must follow the workload of the secretariat;
c)\tthat premises need regular maintenance and repair every year;
d)\tthat travel costs have risen sharply since the last session;
resolves
1\tto review the budget of the Union every year at its regular session;
2\tto keep the staffing table of the secretariat under constant review;
3\tto publish the list of premises and their condition;
instructs the Secretary-General
1\tto report on the implementation of this resolution;
"""
NEW = """considering
a)\tthat staffing levels must follow the workload of the secretariat;
b)\tthat premises need regular maintenance and repair every year;
c)\tthat budgets matter for every sector and Bureau of the Union and its members;
d)\tthat energy prices are volatile;
resolves
1\tto review the budget of the Union every year at its regular session;
2\tto publish the list of premises and their condition;
instructs the Secretary-General
1\tto report on the implementation of this resolution;
2\tto keep the staffing table under constant and careful review;
"""


def _texts() -> tuple[Document, Document]:
    old = parse_resolution_text(TEMPLATE.format(year=2020) + OLD, "old.txt")
    new = parse_resolution_text(TEMPLATE.format(year=2024) + NEW, "new.txt")
    return old, new


def _corpus(name: str) -> Document:
    return load_file(ROOT / "corpus" / name).documents[0]


def _top(section: Section) -> list[Clause]:
    return [c for c in section.clauses if not c.sub]


def _moved_within(document: Document) -> Document:
    """A copy whose longest section has its second clause moved to the end of that section."""
    moved = copy.deepcopy(document)
    section = max(moved.sections, key=lambda s: len(_top(s)))
    clause = _top(section)[1]
    section.clauses.remove(clause)
    section.clauses.append(clause)
    return moved


def _moved_across(document: Document) -> Document:
    """A copy with the last clause of the first preamble section that has two or more clauses
    moved to the end of the next section of the preamble, and the last clause of the last
    operative section that has two or more clauses moved to the front of the operative part."""
    moved = copy.deepcopy(document)
    preamble = [s for s in moved.sections if s.kind == "preamble"]
    first = next(i for i, s in enumerate(preamble[:-1]) if len(_top(s)) >= 2)
    clause = _top(preamble[first])[-1]
    preamble[first].clauses.remove(clause)
    preamble[first + 1].clauses.append(clause)
    operative = [s for s in moved.sections if s.kind == "operative" and len(_top(s)) >= 2]
    last = _top(operative[-1])[-1]
    operative[-1].clauses.remove(last)
    operative[0].clauses.insert(0, last)
    return moved


CASES = {
    "text": _texts,
    "busan-doha": lambda: (
        _corpus("PP-58-Rev-Busan-2014.txt"),
        _moved_within(_corpus("PP-58-Rev-Doha-2026-draft.txt")),
    ),
    "doha-doha": lambda: (
        _corpus("PP-58-Rev-Doha-2026-draft.txt"),
        _moved_across(_corpus("PP-58-Rev-Doha-2026-draft.txt")),
    ),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def redline(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Comparison, Path]:
    old, new = CASES[request.param]()
    comparison = compare_documents(old, new)
    path = tmp_path_factory.mktemp("moves") / f"{request.param}.docx"
    return comparison, write_comparison_docx(path, comparison, author="Delegation X")


def _body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


def test_the_comparisons_have_moves() -> None:
    old, new = _texts()
    result = compare_documents(old, new)
    statuses = Counter(c.status for c in result.changes)
    assert statuses["moved"] >= 2 and statuses["added"] == 1 and statuses["unchanged"] >= 3
    data = result.to_json()  # the JSON contract is unchanged: "moved" with both citations
    assert data["summary"]["moved"] == statuses["moved"]
    assert all(c["a"] and c["b"] for c in data["clauses"] if c["status"] == "moved")
    busan, doha = _corpus("PP-58-Rev-Busan-2014.txt"), _corpus("PP-58-Rev-Doha-2026-draft.txt")
    moved = compare_documents(busan, _moved_within(doha)).changes
    assert any(c.status == "moved" and any(e.kind != "equal" for e in c.edits) for c in moved)
    across = compare_documents(doha, _moved_across(doha))
    assert across.counts()["moved"] >= 2 and across.counts()["modified"] == 0


def test_moves_are_move_revisions_with_named_ranges(redline: Redline) -> None:
    comparison, path = redline
    root = _body(path)
    moved = comparison.counts()["moved"]
    sources = root.findall(f".//{W}moveFromRangeStart")
    targets = root.findall(f".//{W}moveToRangeStart")
    names = [e.get(f"{W}name") for e in sources]
    assert len(names) == moved == len(set(names))
    assert sorted(names) == sorted(e.get(f"{W}name") for e in targets)
    for start in sources + targets:
        assert start.get(f"{W}author") == "Delegation X"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", start.get(f"{W}date") or "")
        side = "From" if start.tag.endswith("moveFromRangeStart") else "To"
        ends = root.findall(f".//{W}move{side}RangeEnd[@{W}id='{start.get(f'{W}id')}']")
        assert len(ends) == 1 and ends[0].getparent() is start.getparent()
        paragraph = start.getparent()
        assert paragraph.find(f"{W}pPr/{W}rPr/{W}move{side}") is not None  # the paragraph mark
        assert paragraph.find(f"{W}move{side}/{W}r") is not None
    ids = [e.get(f"{W}id") for name in REVISIONS for e in root.iter(f"{W}{name}")]
    assert len(ids) == len(set(ids))
    assert root.find(f".//{W}moveFrom//{W}delText") is None  # moved text is w:t
    for wrapper in ("moveFrom", "moveTo", "ins", "del"):  # no revision nested in another
        for nested in ("ins", "del", "moveFrom", "moveTo"):
            assert root.find(f".//{W}{wrapper}//{W}{nested}") is None


def test_paragraphs_are_in_schema_order(redline: Redline, tmp_path: Path) -> None:
    _, path = redline
    for p in _body(path).iter(f"{W}p"):
        props = p.find(f"{W}pPr")
        if props is not None:
            assert p[0] is props
            assert props[-1].tag == f"{W}rPr"
            marks = [c.tag.split("}")[1] for c in props[-1]]
            assert marks in (["ins"], ["del"], ["moveFrom"], ["moveTo"])
        for run in p.iter(f"{W}r"):
            rpr = run.find(f"{W}rPr")
            assert rpr is None or run[0] is rpr
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    # python-docx places what it adds by the schema's order: before our paragraph-mark rPr
    document = docx.Document(str(path))
    assert len(document.paragraphs) == len(_body(path).findall(f".//{W}p"))
    moved = [p for p in document.paragraphs if p._p.find(f"{W}moveFromRangeStart") is not None]
    assert moved
    moved[0].style = document.styles["Body Text"]
    moved[0].alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    props = moved[0]._p.pPr
    assert props is not None
    children = [c.tag.split("}")[1] for c in props]
    assert children == ["pStyle", "jc", "rPr"]
    document.save(str(tmp_path / "resaved.docx"))
    back = read_docx((tmp_path / "resaved.docx").read_bytes(), "resaved.docx", "x").documents[0]
    assert back.clauses()


def test_our_reader_gets_both_versions_back(redline: Redline) -> None:
    comparison, path = redline
    data = path.read_bytes()
    views: list[tuple[View, Document]] = [("accepted", comparison.b), ("original", comparison.a)]
    for view, expected in views:
        back = read_docx(data, path.name, "x", view=view).documents[0]
        assert [c.full_text for _, c in back.clauses()] == [
            c.full_text for _, c in expected.clauses()
        ]
        assert [s.heading for s in back.sections] == [s.heading for s in expected.sections]
    accepted = read_docx(data, path.name, "x").documents[0]
    changes = [change for _, c in accepted.clauses() for change in c.changes]
    moved = [c for c in changes if c.moved]
    assert {c.kind for c in moved} == {"insert", "delete"}
    assert all(c.author == "Delegation X" for c in changes)


def test_the_redline_without_moves_has_no_move_marks(tmp_path: Path) -> None:
    busan, doha = _corpus("PP-58-Rev-Busan-2014.txt"), _corpus("PP-58-Rev-Doha-2026-draft.txt")
    comparison = compare_documents(busan, doha)
    assert comparison.counts()["moved"] == 0
    root = _body(write_comparison_docx(tmp_path / "pp58.docx", comparison))
    assert root.find(f".//{W}moveFrom") is None and root.find(f".//{W}moveToRangeStart") is None
    assert root.find(f".//{W}ins") is not None


def _shuffled(document: Document, rng: random.Random) -> Document:
    """A copy with labelled clauses moved (within and across sections of the same kind, some
    reworded), removed and added at random."""
    new = copy.deepcopy(document)
    sections = [s for s in new.sections if len([c for c in _top(s) if c.label]) >= 2]
    if not sections:
        return new

    def pick(section: Section) -> Clause | None:
        labelled = [c for c in _top(section) if c.label]
        if not labelled:
            return None
        clause = rng.choice(labelled)
        at = section.clauses.index(clause)
        return None if at + 1 < len(section.clauses) and section.clauses[at + 1].sub else clause

    def place(section: Section, clause: Clause) -> None:
        spots = [k for k, c in enumerate(section.clauses) if not c.sub] + [len(section.clauses)]
        section.clauses.insert(rng.choice(spots), clause)

    for _ in range(rng.randint(1, 3)):
        source = rng.choice(sections)
        targets = [
            s for s in new.sections if s.kind == source.kind and all(c.label for c in s.clauses)
        ]
        clause = pick(source)
        if clause is None or len(_top(source)) < 2 or not targets:
            continue
        source.clauses.remove(clause)
        words = clause.text.split()
        if rng.random() < 0.5 and len(words) > 4:
            at = rng.randrange(len(words))
            words[at : at + 1] = [] if rng.random() < 0.5 else ["notably", words[at]]
            clause.text = " ".join(words)
        place(rng.choice(targets), clause)
    for number in range(rng.randint(0, 2)):
        section = rng.choice(sections)
        clause = pick(section)
        if rng.random() < 0.5 and clause is not None and len(_top(section)) >= 2:
            section.clauses.remove(clause)
        elif all(c.label for c in section.clauses):
            text = f"that quorum rules {number} apply to zebra xylophones;"
            place(section, Clause(id=f"new-{number}", label="z", sub="", text=text))
    return new


def _words(text: str) -> str:
    """Text with its whitespace normalized (a line break inside a clause comes back a space)."""
    return " ".join(text.split())


def test_random_moves_read_back_as_both_versions(tmp_path: Path) -> None:
    rng = random.Random(58)
    documents = [load_file(path).documents[0] for path in sorted((ROOT / "corpus").glob("*.txt"))]
    moves = 0
    for trial in range(30):
        old = rng.choice(documents)
        new = _shuffled(old, rng)
        comparison = compare_documents(old, new)
        moves += comparison.counts()["moved"]
        data = write_comparison_docx(tmp_path / f"{trial}.docx", comparison).read_bytes()
        views: list[tuple[View, Document]] = [("accepted", new), ("original", old)]
        for view, expected in views:
            back = read_docx(data, f"{trial}.docx", "x", view=view).documents[0]
            assert [_words(c.full_text) for _, c in back.clauses()] == [
                _words(c.full_text) for _, c in expected.clauses()
            ], (trial, view)
            assert [s.heading for s in back.sections] == [
                s.heading for s in expected.sections if s.clauses
            ], (trial, view)
    assert moves >= 20


def test_soffice_converts_the_moves_to_pdf(redline: Redline, tmp_path: Path) -> None:
    _, path = redline
    assert libreoffice_convert(path, "pdf", tmp_path).read_bytes().startswith(b"%PDF")


def test_soffice_sees_the_moves_as_tracked_changes(redline: Redline, tmp_path: Path) -> None:
    comparison, path = redline
    with zipfile.ZipFile(libreoffice_convert(path, "odt", tmp_path)) as package:
        content = package.read("content.xml").decode()
    assert content.count("<text:changed-region") >= 2 * comparison.counts()["moved"]
    assert "<dc:creator>Delegation X</dc:creator>" in content
    for start in _body(path).iter(f"{W}moveFromRangeStart"):
        name = start.get(f"{W}name")  # LibreOffice pairs both halves by the move's name ...
        assert f'text:name="__RefMoveTo__{name}"' in content
        if start.getparent().find(f"{W}del") is None:  # ... when no word of the source is deleted
            assert f'text:name="__RefMoveFrom__{name}' in content


def test_soffice_keeps_the_moves_when_it_saves_docx(redline: Redline, tmp_path: Path) -> None:
    comparison, path = redline
    saved = libreoffice_convert(path, "docx:MS Word 2007 XML", tmp_path / "out")
    root = _body(saved)
    assert len(root.findall(f".//{W}moveFromRangeStart")) == comparison.counts()["moved"]
    data = saved.read_bytes()
    views: list[tuple[View, Document]] = [("accepted", comparison.b), ("original", comparison.a)]
    for view, expected in views:
        back = read_docx(data, saved.name, "x", view=view).documents[0]
        assert [c.full_text for _, c in back.clauses()] == [
            c.full_text for _, c in expected.clauses()
        ]
