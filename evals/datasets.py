"""The curated evaluation data (``evals/data/*.jsonl``): loading and validation.

Formats are documented in ``evals/README.md``. Every loader returns plain dataclasses; ``validate``
checks the ids against a set of known clause ids and returns readable problems.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
QUESTION_KINDS = {"lookup", "paraphrase", "comparison", "followup", "unanswerable"}
INTENTS = {"question", "lookup", "compare", "draft", "revise", "summary"}


class DataError(ValueError):
    """A line of an eval data file is malformed."""


@dataclass
class Question:
    id: str
    question: str
    kind: str
    expected: list[str]
    fact: str
    acceptable: list[str] = field(default_factory=list)
    previous: str | None = None

    @property
    def supporting(self) -> set[str]:
        """Every clause that supports an answer: expected and acceptable."""
        return set(self.expected) | set(self.acceptable)

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


@dataclass
class AlignmentLink:
    a: str
    b: str
    why: str = ""
    partial: bool = False


@dataclass
class AnnexRow:
    """One row of the seed's annex: the sections of each resolution (column) set side by side."""

    row: int
    cells: dict[str, list[str]]  # document id -> section ids (``doc/section``)
    note: str = ""


@dataclass
class HarmonizationCase:
    id: str
    text: str
    base: str | None
    sources: list[str]
    note: str = ""


@dataclass
class Reference:
    text: str
    ids: list[str]
    match: str = "all"


@dataclass
class ChatMessage:
    id: str
    message: str
    intent: str
    bodies: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    previous: str | None = None


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON-lines file; blank lines and lines starting with ``//`` are skipped."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(f"{path}:{number}: not valid JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise DataError(f"{path}:{number}: expected a JSON object")
        row["_line"] = number
        rows.append(row)
    return rows


def _need(row: dict[str, Any], key: str, path: Path) -> Any:
    if key not in row:
        raise DataError(f"{path}:{row['_line']}: missing field {key!r}")
    return row[key]


def load_questions(path: Path | None = None) -> list[Question]:
    path = path or DATA_DIR / "questions.jsonl"
    out = []
    for row in read_jsonl(path):
        kind = _need(row, "kind", path)
        if kind not in QUESTION_KINDS:
            raise DataError(f"{path}:{row['_line']}: kind {kind!r} not in {sorted(QUESTION_KINDS)}")
        out.append(
            Question(
                id=str(_need(row, "id", path)),
                question=str(_need(row, "question", path)),
                kind=kind,
                expected=list(row.get("expected", [])),
                fact=str(row.get("fact", "")),
                acceptable=list(row.get("acceptable", [])),
                previous=row.get("previous"),
            )
        )
    return out


def load_alignment(path: Path | None = None) -> list[AlignmentLink]:
    path = path or DATA_DIR / "alignment.jsonl"
    return [
        AlignmentLink(
            a=str(_need(r, "a", path)),
            b=str(_need(r, "b", path)),
            why=str(r.get("why", "")),
            partial=bool(r.get("partial", False)),
        )
        for r in read_jsonl(path)
    ]


def load_annex_rows(path: Path | None = None) -> list[AnnexRow]:
    path = path or DATA_DIR / "annex_rows.jsonl"
    out = []
    for r in read_jsonl(path):
        cells = _need(r, "cells", path)
        if not isinstance(cells, dict) or not all(isinstance(v, list) for v in cells.values()):
            raise DataError(
                f"{path}:{r['_line']}: cells must map document ids to lists of sections"
            )
        out.append(
            AnnexRow(
                row=int(_need(r, "row", path)),
                cells={str(d): [str(s) for s in ids] for d, ids in cells.items()},
                note=str(r.get("note", "")),
            )
        )
    return out


def validate_annex_rows(rows: list[AnnexRow], clause_ids: set[str]) -> list[str]:
    """Rows numbered in increasing order, the same columns in each, every section in the corpus
    and in its own column's document."""
    sections = {"/".join(i.split("/")[:2]) for i in clause_ids}
    documents = {s.split("/", 1)[0] for s in sections}
    problems: list[str] = []
    columns = list(rows[0].cells) if rows else []
    previous = 0
    for row in rows:
        where = f"annex_rows.jsonl row {row.row}"
        if row.row <= previous:
            problems.append(f"{where}: rows must be numbered in increasing order")
        previous = row.row
        if list(row.cells) != columns:
            problems.append(f"{where}: columns {list(row.cells)} differ from the first row's")
        for document, ids in row.cells.items():
            if document not in documents:
                problems.append(f"{where}: unknown document {document!r}")
            for section in ids:
                if section not in sections:
                    problems.append(f"{where}: unknown section {section!r}")
                elif section.split("/", 1)[0] != document:
                    problems.append(f"{where}: section {section!r} is not in column {document!r}")
    return problems


def load_harmonization(path: Path | None = None) -> list[HarmonizationCase]:
    path = path or DATA_DIR / "harmonization.jsonl"
    return [
        HarmonizationCase(
            id=str(_need(r, "id", path)),
            text=str(_need(r, "text", path)),
            base=r.get("base"),
            sources=list(_need(r, "sources", path)),
            note=str(r.get("note", "")),
        )
        for r in read_jsonl(path)
    ]


def load_chat_messages(path: Path | None = None) -> list[ChatMessage]:
    path = path or DATA_DIR / "chat_messages.jsonl"
    out = []
    for row in read_jsonl(path):
        intent = _need(row, "intent", path)
        if intent not in INTENTS:
            raise DataError(f"{path}:{row['_line']}: intent {intent!r} not in {sorted(INTENTS)}")
        refs = [
            Reference(text=str(r["text"]), ids=list(r["ids"]), match=r.get("match", "all"))
            for r in row.get("references", [])
        ]
        out.append(
            ChatMessage(
                id=str(_need(row, "id", path)),
                message=str(_need(row, "message", path)),
                intent=intent,
                bodies=list(row.get("bodies", [])),
                documents=list(row.get("documents", [])),
                references=refs,
                previous=row.get("previous"),
            )
        )
    return out


def _unknown(ids: Iterable[str | None], known: set[str], where: str) -> list[str]:
    return [f"{where}: unknown clause id {i!r}" for i in ids if i and i not in known]


def validate(
    clause_ids: set[str],
    document_ids: set[str],
    data_dir: Path | None = None,
    clause_texts: dict[str, str] | None = None,
) -> list[str]:
    """Problems in the data files of ``data_dir`` against the known ids (empty list: all good)."""
    data_dir = data_dir or DATA_DIR
    problems: list[str] = []
    questions = load_questions(data_dir / "questions.jsonl")
    seen: set[str] = set()
    for q in questions:
        where = f"questions.jsonl {q.id}"
        if q.id in seen:
            problems.append(f"{where}: duplicate id")
        if q.previous and q.previous not in seen:
            problems.append(f"{where}: previous {q.previous!r} is not an earlier question")
        seen.add(q.id)
        problems += _unknown(q.expected + q.acceptable, clause_ids, where)
        if q.answerable and not (q.expected and q.fact):
            problems.append(f"{where}: an answerable question needs expected ids and a fact")
        if not q.answerable and (q.expected or q.fact):
            problems.append(f"{where}: an unanswerable question has no expected ids nor fact")
        if (
            clause_texts
            and q.fact
            and all(i in clause_texts for i in q.supporting)
            and not any(q.fact.lower() in clause_texts[i].lower() for i in q.supporting)
        ):
            problems.append(f"{where}: fact {q.fact!r} is in none of its clauses")
    for link in load_alignment(data_dir / "alignment.jsonl"):
        problems += _unknown([link.a, link.b], clause_ids, f"alignment.jsonl {link.a}")
    if (data_dir / "annex_rows.jsonl").is_file():
        rows = load_annex_rows(data_dir / "annex_rows.jsonl")
        problems += validate_annex_rows(rows, clause_ids)
    for case in load_harmonization(data_dir / "harmonization.jsonl"):
        where = f"harmonization.jsonl {case.id}"
        problems += _unknown([case.id, case.base, *case.sources], clause_ids, where)
        if clause_texts and case.id in clause_texts and clause_texts[case.id] != case.text:
            problems.append(f"{where}: text differs from the parsed clause")
    for message in load_chat_messages(data_dir / "chat_messages.jsonl"):
        where = f"chat_messages.jsonl {message.id}"
        for ref in message.references:
            problems += _unknown(ref.ids, clause_ids, where)
        problems += [
            f"{where}: unknown document {d!r}" for d in message.documents if d not in document_ids
        ]
    return problems
