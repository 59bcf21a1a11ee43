"""The question splits of issue 16 (train / dev / test) and the index they are asked against.

The split questions cite clauses of ``corpus/*.txt`` and of the 45 UNSC resolutions of
``evals/data/unsc/``: they are asked against a second private index over the shipped corpus, the
seed and those texts, built once per run (:func:`split_context`); the other families keep their
own index (corpus + seed), so their figures do not move. Scoring (:func:`score_outcomes`) counts
three outcomes: ``answered``, ``partial`` and ``not_found`` (evals/README.md).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.baselines import Ranked
from evals.context import EvalContext
from evals.corpus import ParsedCorpus, default_paths, parse_corpus
from evals.datasets import DATA_DIR, read_jsonl
from evals.metrics import contains_fact, ratio

HELD_OUT_SPLIT = "test30"  # written in the twenty-ninth round; never read by fitting
# test ... test29 were each scored once, then seen: training data now (evals/ROUNDS.md).
# test30 is in no run until its one scoring run (evals/ROUNDS.md); every run scores it since:
# tuning against it again needs a new split written first.
SEEN_TESTS = (
    "test",
    "test2",
    "test3",
    "test4",
    "test5",
    "test6",
    "test7",
    "test8",
    "test9",
    "test10",
    "test11",
    "test12",
    "test13",
    "test14",
    "test15",
    "test16",
    "test17",
    "test18",
    "test19",
    "test20",
    "test21",
    "test22",
    "test23",
    "test24",
    "test25",
    "test26",
    "test27",
    "test28",
    "test29",
)
SPLITS = ("train", "dev", *SEEN_TESTS, HELD_OUT_SPLIT)
TESTED = (*SEEN_TESTS, HELD_OUT_SPLIT)  # the splits the baselines are measured on too
# Written for a later round and in no index yet (its texts would move every figure): the next
# round makes it the held-out split (evals/SPLITS.md).
# test31: written in the thirtieth round (evals/SPLITS.md).
PENDING_SPLITS: tuple[str, ...] = ("test31",)
UNSC_DIR = DATA_DIR / "unsc"


@dataclass
class SplitQuestion:
    """One question of a split (the fields of evals/README.md, issue 16)."""

    id: str
    question: str
    kind: str
    expected: list[str]
    fact: str
    acceptable: list[str] = field(default_factory=list)
    answer_type: str = "other"
    topic: list[str] = field(default_factory=list)
    missing: str = ""
    split: str = ""
    document: str = ""
    previous: str | None = None

    @property
    def supporting(self) -> set[str]:
        return set(self.expected) | set(self.acceptable)

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


def load_split(name: str, data_dir: Path = DATA_DIR) -> list[SplitQuestion]:
    """The questions of ``questions_<name>.jsonl`` (empty when the file is absent)."""
    path = data_dir / f"questions_{name}.jsonl"
    if not path.is_file():
        return []
    return [
        SplitQuestion(
            id=str(r["id"]),
            question=str(r["question"]),
            kind=str(r["kind"]),
            expected=list(r.get("expected", [])),
            fact=str(r.get("fact", "")),
            acceptable=list(r.get("acceptable", [])),
            answer_type=str(r.get("answer_type", "other")),
            topic=list(r.get("topic", [])),
            missing=str(r.get("missing", "")),
            split=str(r.get("split", name)),
            document=str(r.get("document", "")),
        )
        for r in read_jsonl(path)
    ]


def split_paths(data_dir: Path = DATA_DIR, held_out: Sequence[str] = ()) -> list[Path]:
    """What the split questions are asked against: corpus + seed, and the UNSC texts; without
    the texts of the splits ``held_out`` (what fitting must not see) and of the pending ones."""
    texts = sorted((data_dir / "unsc").glob("*.txt"))
    left_out = (*held_out, *PENDING_SPLITS)
    hidden = {d for name in left_out for d in held_out_documents(name, data_dir)}
    if hidden:
        texts = [p for p in texts if unsc_document_id(p) not in hidden]
    return [*default_paths(), *texts]


def unsc_document_id(path: Path) -> str:
    """The parser's id of a UNSC text from its file name: ``S_RES_0118_1956_EN_GOLD.txt`` ->
    ``unsc-118-1956``."""
    match = re.match(r"S_RES_0*(\d+)_(\d{4})", path.name)
    return f"unsc-{match.group(1)}-{match.group(2)}" if match else path.stem


def held_out_documents(name: str, data_dir: Path = DATA_DIR) -> set[str]:
    """The documents of split ``name`` (only the ``document`` field of its lines is read)."""
    path = data_dir / f"questions_{name}.jsonl"
    return {str(r.get("document", "")) for r in read_jsonl(path)} if path.is_file() else set()


@dataclass
class SplitContext:
    """The second index and its parsed corpus (shared by the answers and retrieval families)."""

    library: Any
    corpus: ParsedCorpus
    error: str = ""
    folder: Any = None  # the TemporaryDirectory that holds the index


_CONTEXTS: dict[int, tuple[EvalContext, SplitContext]] = {}


def build_split_library(
    settings: Any, paths: Sequence[Path], embedder: Any
) -> tuple[Any, Any, str]:
    """A private library over ``paths`` in a temporary home: (library or None, folder, error)."""
    folder = tempfile.TemporaryDirectory(prefix="resolutions-eval-splits-")
    try:
        from assistant.index.library import Library

        private = settings.model_copy(
            update={"home": Path(folder.name), "chroma_url": "", "collection": "eval-splits"}
        )
        library = Library(private, embedder=embedder)
        library.ingest([str(p) for p in paths])
    except Exception as error:
        return None, folder, f"{type(error).__name__}: {error}"
    return library, folder, ""


def split_context(context: EvalContext) -> SplitContext:
    """The split index of this run, built at the first call."""
    known = _CONTEXTS.get(id(context))
    if known is not None and known[0] is context:
        return known[1]
    paths = split_paths(context.data_dir)
    corpus = parse_corpus(paths)
    base = context.need_library()
    settings = getattr(base, "settings", None)
    if settings is None:
        from assistant.settings import Settings

        settings = Settings()
    library, folder, error = build_split_library(settings, paths, context.embedder)
    made = SplitContext(library, corpus, error, folder)
    _CONTEXTS.clear()  # one run at a time: drop the index of an earlier run
    _CONTEXTS[id(context)] = (context, made)
    return made


def score_outcomes(
    questions: Sequence[SplitQuestion], replies: dict[str, Any]
) -> dict[str, float | None]:
    """Three outcomes scored (evals/README.md): ``replies[id]`` has ``status``, ``text``, ``cited``.

    - ``false_answer_rate``: ``answered`` on an unanswerable question (a ``partial`` is not one);
    - ``missed_answer_rate``: ``not_found`` or ``partial`` on an answerable one;
    - ``cited_right``: answered answerable questions citing a clause of expected + acceptable;
    - ``fact_accuracy``: answerable questions answered with the fact in the text;
    - ``partial_accuracy``: unanswerable questions with a topic answered ``partial``;
      ``partial_cited``: ... citing a clause of the topic;
    - ``not_found_accuracy``: unanswerable questions without a topic answered ``not_found``;
    - ``outcome_accuracy``: the right one of the three outcomes, over all questions.
    """
    answerable = [q for q in questions if q.answerable]
    unanswerable = [q for q in questions if not q.answerable]
    topical = [q for q in unanswerable if q.topic]
    bare = [q for q in unanswerable if not q.topic]

    def status(q: SplitQuestion) -> str:
        return str(replies[q.id].status)

    answered = [q for q in answerable if status(q) == "answered"]
    right_outcome = (
        len(answered)
        + sum(1 for q in topical if status(q) == "partial")
        + sum(1 for q in bare if status(q) == "not_found")
    )
    return {
        "false_answer_rate": ratio(
            sum(1 for q in unanswerable if status(q) == "answered"), len(unanswerable)
        ),
        "missed_answer_rate": ratio(len(answerable) - len(answered), len(answerable)),
        "cited_right": ratio(
            sum(1 for q in answered if set(replies[q.id].cited) & q.supporting), len(answered)
        ),
        "fact_accuracy": ratio(
            sum(1 for q in answered if contains_fact(replies[q.id].text, q.fact)), len(answerable)
        ),
        "partial_rate_answerable": ratio(
            sum(1 for q in answerable if status(q) == "partial"), len(answerable)
        ),
        "partial_rate_unanswerable": ratio(
            sum(1 for q in unanswerable if status(q) == "partial"), len(unanswerable)
        ),
        "partial_accuracy": ratio(sum(1 for q in topical if status(q) == "partial"), len(topical)),
        "partial_cited": ratio(
            sum(
                1
                for q in topical
                if status(q) == "partial" and set(replies[q.id].cited) & set(q.topic)
            ),
            len(topical),
        ),
        "not_found_accuracy": ratio(sum(1 for q in bare if status(q) == "not_found"), len(bare)),
        "outcome_accuracy": ratio(right_outcome, len(questions)),
        # the two rates as "higher is better" (what the gate compares)
        "no_false_answer": ratio(
            sum(1 for q in unanswerable if status(q) != "answered"), len(unanswerable)
        ),
        "no_missed_answer": ratio(len(answered), len(answerable)),
    }


def rrf_baseline(systems: Sequence[Any], k: float = 60.0) -> Any:
    """Unweighted reciprocal rank fusion (k = 60) of the given baselines' rankings."""
    from assistant.index.fusion import top, weighted_rrf

    class RRFBaseline:
        name = "rrf"

        def rank(self, query: str, depth: int) -> Ranked:
            lists = {s.name: [next(iter(p)) for p in s.rank(query, 50) if p] for s in systems}
            scores = weighted_rrf(lists, {}, k=k)
            return [{c} for c, _ in top(scores, depth)]

    return RRFBaseline()


def ranks_of(
    system: Any, questions: Sequence[SplitQuestion], depth: int, hook: Callable[[], None] | None
) -> dict[str, int | None]:
    """The first rank of a supporting clause for each answerable question."""
    from evals.metrics import first_rank

    out: dict[str, int | None] = {}
    for q in questions:
        if hook:
            hook()
        out[q.id] = first_rank(system.rank(q.question, depth), q.supporting)
    return out


def answer_splits(
    context: EvalContext, answer: Callable[..., Any], reply: Callable[[dict[str, Any]], Any]
) -> tuple[dict[str, float | None], list[dict[str, Any]], dict[str, Any]]:
    """The answers of every split against the split index: flat metrics ``<split>_<metric>``,
    details and a breakdown (each question asked once, with no conversation)."""
    metrics: dict[str, float | None] = {}
    details: list[dict[str, Any]] = []
    counts: dict[str, Any] = {}
    questions = {name: load_split(name, context.data_dir) for name in SPLITS}
    if not any(questions.values()):
        return metrics, details, counts
    made = split_context(context)
    if made.library is None:
        counts["split index"] = f"not available: {made.error}"
        return metrics, details, counts
    for name, asked in questions.items():
        if not asked:
            continue
        replies = {q.id: reply(answer(made.library, q.question).to_json()) for q in asked}
        for metric, value in score_outcomes(asked, replies).items():
            metrics[f"{name}_{metric}"] = value
        counts[f"{name} questions"] = len(asked)
        counts[f"{name} outcomes"] = {
            status: sum(1 for r in replies.values() if r.status == status)
            for status in ("answered", "partial", "not_found")
        }
        details += [
            {
                "id": q.id,
                "split": name,
                "kind": q.kind,
                "topic": bool(q.topic),
                "status": replies[q.id].status,
                "cited": replies[q.id].cited,
                "answer": replies[q.id].text[:300],
            }
            for q in asked
        ]
    return metrics, details, counts


def retrieval_splits(
    context: EvalContext, depth: int, notes: list[str]
) -> dict[str, dict[str, float | None]]:
    """hit@1/3/5 and MRR on the answerable questions of each split, against the split index:
    the assistant's search (``assistant``) and the order the answerer weighs the clauses found
    in (``answerer``: search, then the support model) on every split; on the test splits
    (:data:`TESTED`) also BM25, dense, unweighted RRF of the two and the naive LangChain RAG,
    over the same texts. Metrics ``<split>_<metric>`` per system; the assistant's two also get
    ``<split>_hit@3_lead`` on those: their hit@3 minus the best baseline's."""
    from evals.baselines import (
        AnswererRanking,
        BM25Baseline,
        DenseBaseline,
        LibraryRetriever,
        NaiveRAGBaseline,
    )
    from evals.metrics import retrieval_scores

    questions = {name: load_split(name, context.data_dir) for name in SPLITS}
    if not any(questions.values()):
        return {}
    made = split_context(context)
    if made.library is None:
        notes.append(f"split index not available: {made.error}")
        return {}
    out: dict[str, dict[str, float | None]] = {}
    ours: list[Any] = [LibraryRetriever(made.library), AnswererRanking(made.library)]
    for name, asked in questions.items():
        answerable = [q for q in asked if q.answerable]
        if not answerable:
            continue
        systems: list[Any] = list(ours)
        if name in TESTED and context.embedder is not None:
            bm25 = BM25Baseline(made.corpus.clauses)
            dense = DenseBaseline(made.corpus.clauses, context.embedder)
            naive = NaiveRAGBaseline(made.corpus.files, made.corpus.clauses, context.embedder)
            systems += [bm25, dense, rrf_baseline([bm25, dense]), naive]
        for system in systems:
            ranks = ranks_of(system, answerable, depth, None)
            scores = retrieval_scores(list(ranks.values()))
            out.setdefault(system.name, {}).update(
                {f"{name}_{metric}": value for metric, value in scores.items()}
            )
    names = {system.name for system in ours}
    for name in TESTED:
        key = f"{name}_hit@3"
        others = [m[key] for system, m in out.items() if system not in names and key in m]
        for system in names:
            mine = out.get(system, {}).get(key)
            if mine is not None and others:
                out[system][f"{key}_lead"] = float(mine) - max(float(v or 0) for v in others)
    return out
