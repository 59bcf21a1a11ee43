"""Clause alignment: heading functions, section constraints, groups, the CLI and the annex."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.align.alignment import (
    align,
    align_documents,
    clause_refs,
    compatibility,
    heading_role,
)
from assistant.cli import draft_cmds, main
from ingest.loader import load_file
from ingest.model import Section

ROOT = Path(__file__).resolve().parent.parent
DOHA, BUSAN = "pp-58-rev-doha-2026", "pp-58-rev-busan-2014"
WTSA, WTDC, WRC = "wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025", "wrc-72-rev-wrc-19"


def _doc(name: str):
    return load_file(ROOT / "corpus" / name).documents[0]


@pytest.fixture(scope="module")
def parsed():
    names = [
        "PP-58-Rev-Doha-2026-draft.txt",
        "WTSA-43-Rev-New-Delhi-2024.txt",
        "WTDC-31-Rev-Baku-2025.txt",
        "WRC-72-Rev-WRC-19.txt",
    ]
    return [_doc(name) for name in names]


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("instructs the Secretary-General", "executive"),
        ("invites the Secretary-General, in cooperation with the Directors", "executive"),
        (
            "requests the Secretary-General, in cooperation with the Director of the BDT",
            "executive",
        ),
        (
            "resolves to instruct the Director of the Telecommunication Standardization Bureau",
            "executive",
        ),
        ("invites regional and subregional telecommunication organizations", "organizations"),
        (
            "resolves further to invite the principal regional telecommunication organizations",
            "organizations",
        ),
        ("invites Member States", "members"),
        ("invites administrations", "members"),
        ("instructs the Council", "council"),
        ("resolves", "union"),
    ],
)
def test_operative_headings_are_classified_by_addressee(heading: str, role: str) -> None:
    assert heading_role(Section(heading, "operative", heading.split()[0], "x")) == role


@pytest.fixture
def fast_cli(fake_library, monkeypatch: pytest.MonkeyPatch):
    """The CLI over the fake library (no model load): the commands' own logic is under test."""
    monkeypatch.setattr(draft_cmds, "library_from", lambda ctx: fake_library)
    return fake_library


def test_preamble_never_aligns_with_operative(parsed) -> None:
    doha = clause_refs(parsed[0])
    preamble = next(r for r in doha if r.section.kind == "preamble")
    operative = next(r for r in doha if r.section.kind == "operative")
    assert compatibility(preamble, operative) is None
    assert compatibility(preamble, preamble) is not None


def test_groups_follow_the_lead_document_and_cover_every_clause(parsed) -> None:
    result = align_documents(parsed, None)  # lexical only
    data = result.to_json()
    members = [c["id"] for g in data["groups"] for c in g["clauses"]]
    every = {c.id for d in parsed for _, c in d.clauses()}
    assert set(members) == every
    lead_order = [
        g["clauses"][0]["id"] for g in data["groups"] if g["clauses"][0]["document"] == DOHA
    ]
    assert lead_order == [c.id for _, c in parsed[0].clauses()]
    for group in data["groups"]:
        assert isinstance(group["score"], float)
        assert {"id", "citation", "text", "document", "section"} <= set(group["clauses"][0])


def test_parallel_clauses_are_grouped_across_bodies(parsed) -> None:
    groups = [{m.id for m in g.members} for g in align_documents(parsed, None).groups]
    need = {
        f"{DOHA}/considering/l",
        f"{WTSA}/considering/i",
        f"{WTDC}/considering/i",
        f"{WRC}/considering/g",
    }
    assert any(need <= g for g in groups)
    # a Secretary-General clause matches a Bureau Director's clause of another body
    sg = f"{DOHA}/instructs-the-secretary-general-in-close-cooperation-with/3/indent-4"
    tsb = f"{WTSA}/resolves-to-instruct-the-director-of-the-telecommunication/2"
    assert any({sg, tsb} <= g for g in groups)


def test_align_through_the_library_contract(fake_library) -> None:
    data = align(fake_library, DOHA, [WTSA, WRC]).to_json()
    assert data["groups"] and all(g["clauses"] for g in data["groups"])
    documents = {c["document"] for g in data["groups"] for c in g["clauses"]}
    assert documents == {DOHA, WTSA, WRC}
    with pytest.raises(LookupError):
        align(fake_library, "no-such-document", [WTSA])


def test_cli_align_json_and_annex(fast_cli, tmp_path: Path) -> None:
    annex = tmp_path / "annex.docx"
    result = CliRunner().invoke(
        main, ["align", DOHA, "--with", WTSA, "--with", WTDC, "--json", "--docx", str(annex)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["groups"]
    with zipfile.ZipFile(annex) as package:
        xml = package.read("word/document.xml").decode()
    assert xml.count("<w:gridCol") == 3  # one column per resolution
    assert "taking note" in xml


def test_cli_align_reports_unknown_documents(fast_cli) -> None:
    result = CliRunner().invoke(main, ["align", "nothing-like-this"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_align_other_bodies(unsc_dir: Path) -> None:
    files = sorted(unsc_dir.glob("*.txt"))[:2]
    docs = [d for f in files for d in load_file(f).documents]
    if len(docs) < 2:
        pytest.skip("fewer than two UNSC documents parsed")
    result = align_documents(docs[:2], None)
    assert {m.id for g in result.groups for m in g.members} == {
        c.id for d in docs[:2] for _, c in d.clauses()
    }


@pytest.mark.slow
def test_alignment_f1_on_the_curated_links(real_library) -> None:
    path = ROOT / "evals" / "data" / "alignment.jsonl"
    if not path.is_file():
        pytest.skip("evals/data/alignment.jsonl is not there")
    links = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    gold = {(link["a"], link["b"]) for link in links}
    lead = links[0]["a"].split("/")[0]
    others = list(dict.fromkeys(link["b"].split("/")[0] for link in links))
    predicted = set()
    for group in align(real_library, lead, others).groups:
        ids = [m.id for m in group.members]
        predicted |= {
            (a, b)
            for a in ids
            if a.startswith(lead + "/")
            for b in ids
            if not b.startswith(lead + "/")
        }
    hits = len(predicted & gold)
    precision, recall = hits / len(predicted), hits / len(gold)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.85, (precision, recall, f1)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Resolution 112 (Marrakesh, 2002) of the Plenipotentiary Conference;", "112"),
        ("resolves 2 of Resolution 80 (Rev. Marrakesh, 2002) of the Plenipotentiary "
         "Conference;", "80"),
        ("Resolution 72 (Rev. WRC-07) of the World Radiocommunication Conference (WRC), on world "
         "and regional preparations for WRCs;", "72"),
        ("that Resolution 12 of the PP asks the Council to consider the matter;", None),
        ('resolves 3 of Resolution 80 (Rev. Marrakesh, 2002):\n"to encourage it",', None),
        ("the following resolutions:", None),
    ],
)  # fmt: skip
def test_a_clause_that_only_cites_a_resolution(text: str, number: str | None) -> None:
    from assistant.align.alignment import cited_only

    assert cited_only(text) == number


def test_clauses_citing_different_resolutions_are_never_counterparts() -> None:
    from assistant.align.alignment import Scorer
    from ingest.model import Clause, Document

    def ref(document: str, body: str, text: str):
        clause = Clause(f"{document}/recalling/a", "a", "", text)
        section = Section("recalling", "preamble", "recalling", "recalling", [clause])
        return clause_refs(Document(document, "resolution", body, "1", "", "", sections=[section]))[
            0
        ]

    pp = ref("pp", "PP", "Resolution 112 (Marrakesh, 2002) of the Plenipotentiary Conference;")
    wrc = ref(
        "wrc",
        "WRC",
        "resolves 2 of Resolution 80 (Rev. Marrakesh, 2002) of the Plenipotentiary Conference;",
    )
    same = ref(
        "wtsa", "WTSA", "Resolution 112 (Rev. Busan, 2014) of the Plenipotentiary Conference;"
    )
    scorer = Scorer([pp, wrc, same], None)
    assert scorer.score(pp, wrc) is None
    score = scorer.score(pp, same)
    assert score is not None and score > 0.5


@pytest.mark.parametrize(
    ("heading", "text", "role"),
    [
        ("resolves further", "to invite regional organizations to continue", "organizations"),
        ("resolves", "to instruct the Secretary-General to report to the Council", "executive"),
        ("resolves", "that the Union should continue developing stronger relations", "union"),
        ("invites Member States", "to instruct their delegations to take part", "members"),
    ],
)  # fmt: skip
def test_a_clause_names_its_addressee_when_the_heading_does_not(
    heading: str, text: str, role: str
) -> None:
    from assistant.align.alignment import clause_role

    assert clause_role(Section(heading, "operative", heading, "x"), text) == role


def test_mutual_groups_keep_twins_together_whatever_document_leads() -> None:
    from assistant.align.alignment import mutual_groups
    from ingest.model import Clause, Document

    def doc(name: str, texts: list[str]) -> Document:
        clauses = [
            Clause(f"{name}/instructs/{k + 1}", str(k + 1), "", t) for k, t in enumerate(texts)
        ]
        heading = "instructs the Secretary-General"
        section = Section(heading, "operative", "instructs", "instructs", clauses)
        return Document(name, "resolution", name.upper(), "1", "", name, sections=[section])

    feedback = (
        "a report on feedback from Member States concerning regional preparatory meetings and "
        "the results of the meetings"
    )
    council = "to submit, no later than the session of the Council following the"
    a = doc("a", ["to submit a report on the results of such consultations to each conference,"])
    b = doc("b", [f"{council} assembly, {feedback};"])
    c = doc("c", [
        "to continue to submit to the next conference a report on the application of this "
        "resolution;",
        f"{council} conference, {feedback},",
    ])  # fmt: skip
    # the first document leads align_documents: its weak match takes b's clause from its twin
    greedy = [[m.id for m in g.members] for g in align_documents([a, b, c], None, 0.3).groups]
    assert ["a/instructs/1", "b/instructs/1", "c/instructs/1"] in greedy
    mutual = [[m.id for m in g.members] for g in mutual_groups([a, b, c], None, 0.3)]
    assert sorted(mutual) == [
        ["a/instructs/1", "c/instructs/1"],
        ["b/instructs/1", "c/instructs/2"],
    ]
