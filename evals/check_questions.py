"""Check the question splits of issue 16 (``evals/data/questions_*.jsonl``: test, dev, train and
the later test splits that :mod:`evals.splits` names, the pending one included).

Parses ``corpus/*.txt`` and ``evals/data/unsc/*.txt`` with the ingest parser only and reports:
clause ids that do not exist, resolutions used in two splits, facts not found verbatim
(case-insensitive, whitespace-normalized) in the text of one of the expected clauses, and
malformed rows (kinds, answer types, ids, split and document fields).

    python -m evals.check_questions        # exit 1 when there is a problem
    python -m evals.check_questions test   # only the named splits

A resolution used by a named split must not be used by any other split file present, named or not
(the held-out splits after the first, ``test2`` on, are checked against all the other splits).
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from evals.datasets import DATA_DIR, load_questions, read_jsonl
from evals.splits import HELD_OUT_SPLIT, PENDING_SPLITS, SEEN_TESTS
from ingest.loader import load_file

ROOT = Path(__file__).resolve().parent.parent
# every split, in the order of their writing; a pending one as soon as evals/splits.py names it
SPLITS = (
    "test",
    "dev",
    "train",
    *(name for name in (*SEEN_TESTS, HELD_OUT_SPLIT, *PENDING_SPLITS) if name != "test"),
)
ANSWER_TYPES = {
    "person_or_body",
    "date",
    "count",
    "amount",
    "place",
    "reference",
    "duration",
    "other",
}
KINDS = {"lookup", "paraphrase", "unanswerable"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def parse_corpus() -> tuple[dict[str, str], set[str]]:
    """Clause id -> text, and the document ids, of the project corpus and the UNSC copies."""
    files = sorted((ROOT / "corpus").glob("*.txt")) + sorted((DATA_DIR / "unsc").glob("*.txt"))
    texts: dict[str, str] = {}
    documents: set[str] = set()
    for path in files:
        if path.name.lower() == "readme.txt":
            continue
        for document in load_file(path).documents:
            documents.add(document.id)
            for section in document.sections:
                for clause in section.clauses:
                    texts[clause.id] = clause.text
    return texts, documents


def check(
    data_dir: Path = DATA_DIR, splits: tuple[str, ...] = SPLITS
) -> tuple[list[str], dict[str, list[dict]]]:
    texts, documents = parse_corpus()
    problems: list[str] = []
    rows: dict[str, list[dict]] = {}
    used: dict[str, set[str]] = defaultdict(set)  # document -> splits
    seen_ids: set[str] = set()
    for split in splits:
        path = data_dir / f"questions_{split}.jsonl"
        if not path.is_file():
            problems.append(f"{path.name}: missing")
            continue
        load_questions(path)  # the project's own loader must accept the file
        rows[split] = read_jsonl(path)
        for row in rows[split]:
            qid = row.get("id", "?")
            where = f"{path.name} {qid}"
            if qid in seen_ids:
                problems.append(f"{where}: duplicate id")
            seen_ids.add(qid)
            if not str(qid).startswith(f"{split}-"):
                problems.append(f"{where}: id should start with {split}-")
            if row.get("split") != split:
                problems.append(f"{where}: split {row.get('split')!r} is not {split!r}")
            kind = row.get("kind")
            if kind not in KINDS:
                problems.append(f"{where}: kind {kind!r} not in {sorted(KINDS)}")
            if row.get("answer_type") not in ANSWER_TYPES:
                problems.append(f"{where}: answer_type {row.get('answer_type')!r}")
            document = row.get("document")
            if document not in documents:
                problems.append(f"{where}: unknown document {document!r}")
            expected = list(row.get("expected", []))
            acceptable = list(row.get("acceptable", []))
            topic = list(row.get("topic", []))
            for cid in expected + acceptable + topic:
                if cid not in texts:
                    problems.append(f"{where}: unknown clause id {cid!r}")
                else:
                    used[cid.split("/", 1)[0]].add(split)
            if document:
                used[document].add(split)
            fact = str(row.get("fact", ""))
            if kind == "unanswerable":
                if expected or fact:
                    problems.append(
                        f"{where}: an unanswerable question has no expected ids nor fact"
                    )
                if topic and not row.get("missing"):
                    problems.append(f"{where}: a topic needs the missing detail")
                if not topic and row.get("missing"):
                    problems.append(f"{where}: 'missing' given without a topic")
            else:
                if not (expected and fact):
                    problems.append(
                        f"{where}: an answerable question needs expected ids and a fact"
                    )
                if topic:
                    problems.append(f"{where}: topic is for unanswerable questions only")
                known = [cid for cid in expected if cid in texts]
                if known and not any(_norm(fact) in _norm(texts[cid]) for cid in known):
                    problems.append(f"{where}: fact {fact!r} is in none of its expected clauses")
    for other in SPLITS:  # the documents of the splits not named, for the overlap check
        path = data_dir / f"questions_{other}.jsonl"
        if other in splits or not path.is_file():
            continue
        for row in read_jsonl(path):
            ids = [*row.get("expected", []), *row.get("acceptable", []), *row.get("topic", [])]
            for cid in ids:
                used[cid.split("/", 1)[0]].add(other)
            if row.get("document"):
                used[row["document"]].add(other)
    named = {d for d, used_in in used.items() if used_in & set(splits)}
    for document, used_in in sorted(used.items()):
        if len(used_in) > 1 and document in named:
            problems.append(f"{document}: used in several splits {sorted(used_in)}")
    return problems, rows


def summary(rows: dict[str, list[dict]]) -> str:
    lines = []
    for split, items in rows.items():
        kinds = Counter(r["kind"] for r in items)
        partial = sum(1 for r in items if r["kind"] == "unanswerable" and r.get("topic"))
        types = Counter(str(r.get("answer_type")) for r in items)
        docs = {str(r.get("document")) for r in items}
        lines.append(
            f"{split}: {len(items)} questions, {dict(kinds)} "
            f"(unanswerable with a topic: {partial}); "
            f"answer types {dict(sorted(types.items()))}; {len(docs)} documents"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    splits = tuple(argv if argv is not None else sys.argv[1:]) or SPLITS
    problems, rows = check(splits=splits)
    print(summary(rows))
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
