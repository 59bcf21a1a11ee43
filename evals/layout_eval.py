"""The ``layout`` family: the same resolutions in the layouts real documents arrive in.

Every resolution of ``corpus/`` and a sample of the UN Security Council texts of
``evals/data/unsc/`` is rendered in each layout and parsed again; the parse is compared with the
parse of the original text:

- ``spaced``, ``glued``, ``wrapped``: the text layouts of :mod:`evals.layouts`;
- ``docx``: Word in the ITU template (:mod:`evals.word_layout`), all resolutions in one file;
- ``pdf``: that Word file printed to PDF by headless LibreOffice ("not available: soffice not
  found" without it); corpus/ and the first UNSC texts of the sample only (one conversion).

Metrics per layout (system ``assistant``, metric ``<layout>_<measure>``):

- ``clause_agreement``: share of the original clauses found with the same id and the same text
  (whitespace-normalized, footnotes resolved in);
- ``section_agreement``: the same for the section headings (same slug, same heading);
- ``split_precision`` / ``split_recall``: the rendered resolutions concatenated into one file (a
  collection) and read back: a document found is right when its id is one of the file's and it
  starts where that resolution starts (the line of its header in a text; in Word and PDF the
  document's own parse checks the boundary, since a cut in the wrong place moves clauses).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.context import EvalContext, FamilyResult
from evals.layouts import LAYOUTS
from evals.splits import TESTED, split_paths
from ingest.collection import is_header_line
from ingest.errors import IngestError
from ingest.loader import ParsedFile, parse_text, parse_text_file
from ingest.model import Document

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "corpus"
UNSC = Path(__file__).resolve().parent / "data" / "unsc"
UNSC_STEP = 5  # every 5th of the 45 UNSC texts: 9
PDF_UNSC = 5  # UNSC texts also printed to PDF (with the corpus: 10 documents)
MEASURES = ("clause_agreement", "section_agreement", "split_precision", "split_recall")


@dataclass
class Tally:
    """Counts of one layout."""

    clauses: int = 0
    clauses_agreed: int = 0
    sections: int = 0
    sections_agreed: int = 0
    found: int = 0
    found_right: int = 0
    expected: int = 0
    misses: list[str] = field(default_factory=list)

    def metrics(self) -> dict[str, float | None]:
        return {
            "clause_agreement": _share(self.clauses_agreed, self.clauses),
            "section_agreement": _share(self.sections_agreed, self.sections),
            "split_precision": _share(self.found_right, self.found),
            "split_recall": _share(self.found_right, self.expected),
        }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def sample_files() -> list[Path]:
    """The corpus and every UNSC_STEP-th UNSC text of the first three question splits (the 45
    texts of train, dev and test; the later test splits' are left for their questions)."""
    later = tuple(name for name in TESTED if name != "test")  # test2 ... the held-out split
    unsc = [p for p in split_paths(held_out=later) if p.parent == UNSC]
    return sorted(CORPUS.glob("*.txt")) + unsc[::UNSC_STEP]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def compare(original: Document, parsed: Document | None, tally: Tally, name: str) -> None:
    """Add the clause and section agreement of ``parsed`` with ``original`` to ``tally``."""
    want_clauses = {c.id: _normal(c.full_text) for _, c in original.clauses()}
    want_sections = {s.slug: _normal(s.heading) for s in original.sections}
    got_clauses = {c.id: _normal(c.full_text) for _, c in parsed.clauses()} if parsed else {}
    got_sections = {s.slug: _normal(s.heading) for s in parsed.sections} if parsed else {}
    agreed = [k for k, text in want_clauses.items() if got_clauses.get(k) == text]
    tally.clauses += len(want_clauses)
    tally.clauses_agreed += len(agreed)
    tally.sections += len(want_sections)
    tally.sections_agreed += sum(1 for k, h in want_sections.items() if got_sections.get(k) == h)
    if len(agreed) < len(want_clauses) and len(tally.misses) < 20:
        key = next(k for k in want_clauses if got_clauses.get(k) != want_clauses[k])
        tally.misses.append(
            f"{name}: {key}: {want_clauses[key][:70]!r} -> {got_clauses.get(key, '')[:70]!r}"
        )


def _header_line(text: str) -> int:
    """The index of the header line of one rendered resolution."""
    lines = text.split("\n")
    return next((i for i, line in enumerate(lines) if is_header_line(line)), 0)


def text_layout(layout: Callable[[str], str], originals: list[tuple[str, str, Document]]) -> Tally:
    """One text layout: each resolution alone, then all of them as one collection."""
    tally = Tally()
    rendered = []
    for name, text, original in originals:
        shown = layout(text)
        rendered.append(shown)
        try:
            parsed: Document | None = parse_text(shown, name)
        except IngestError as error:
            parsed = None
            tally.misses.append(f"{name}: {error.reason}")
        compare(original, parsed, tally, name)
    expected: dict[str, int] = {}
    offset = 0
    for shown, (_, _, original) in zip(rendered, originals, strict=True):
        expected[original.id] = offset + _header_line(shown) + 1
        offset += len(shown.split("\n")) + 1  # the blank line between two resolutions
    collection = parse_text_file("\n\n".join(rendered), "collection.txt", "")
    _split(collection, expected, tally, "line")
    return tally


def _split(parsed: ParsedFile, expected: Mapping[str, int | None], tally: Tally, unit: str) -> None:
    """Boundary precision and recall of a collection read back; ``expected`` maps each id to
    its position (``None``: not checked)."""
    tally.expected += len(expected)
    tally.found += len(parsed.documents) + len(parsed.failures)
    for document in parsed.documents:
        want = expected.get(document.id, -1)
        got = parsed.positions.get(document.id, {}).get(unit)
        if document.id in expected and (want is None or want == got):
            tally.found_right += 1
        elif len(tally.misses) < 20:
            tally.misses.append(f"split: {document.id} at {unit} {got}, expected {want}")
    tally.misses.extend(f"split: {f.reason[:120]}" for f in parsed.failures[:5])


def office_layout(
    data: bytes, suffix: str, originals: list[tuple[str, str, Document]], tally: Tally
) -> None:
    """Word or PDF: one file of all the resolutions, read back as a collection."""
    import tempfile

    from ingest.loader import load_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"collection{suffix}"
        path.write_bytes(data)
        parsed = load_file(path)
    by_id = {d.id: d for d in parsed.documents}
    for name, _, original in originals:
        compare(original, by_id.get(original.id), tally, name)
    _split(parsed, {original.id: None for _, _, original in originals}, tally, "")


def run(context: EvalContext) -> FamilyResult:
    from evals import word_layout

    result = FamilyResult("layout")
    files = sample_files()
    originals = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        originals.append((path.name, text, parse_text(text, path.name)))
    tallies: dict[str, Tally] = {}
    seconds: dict[str, float] = {}
    for name, layout in LAYOUTS.items():
        started = time.perf_counter()
        tallies[name] = text_layout(layout, originals)
        seconds[name] = time.perf_counter() - started
    started = time.perf_counter()
    tallies["docx"] = Tally()
    word = word_layout.itu_docx([text for _, text, _ in originals])
    office_layout(word, ".docx", originals, tallies["docx"])
    seconds["docx"] = time.perf_counter() - started
    pdf_set = [o for o in originals if not o[0].startswith("S_RES")]
    pdf_set += [o for o in originals if o[0].startswith("S_RES")][:PDF_UNSC]
    not_gated = []
    if word_layout.soffice() is None:
        result.notes.append("pdf layout not available: soffice not found (install LibreOffice)")
        not_gated.append("layout.assistant.pdf_")
    else:
        started = time.perf_counter()
        tallies["pdf"] = Tally()
        pdf = word_layout.docx_to_pdf(word_layout.itu_docx([t for _, t, _ in pdf_set]), "layout")
        office_layout(pdf, ".pdf", pdf_set, tallies["pdf"])
        seconds["pdf"] = time.perf_counter() - started
    metrics: dict[str, float | None] = {}
    for name, tally in tallies.items():
        for measure, value in tally.metrics().items():
            metrics[f"{name}_{measure}"] = value
    result.metrics["assistant"] = metrics
    result.breakdown = {
        "layouts": {
            name: {
                **tally.metrics(),
                "documents": (len(pdf_set) if name == "pdf" else len(originals)),
                "clauses": tally.clauses,
                "seconds": round(seconds[name], 2),
            }
            for name, tally in tallies.items()
        },
        "files": [name for name, _, _ in originals],
        "not_gated": not_gated,
    }
    result.details = [
        {"layout": name, "miss": miss} for name, tally in tallies.items() for miss in tally.misses
    ]
    return result


def layout_table(family: dict[str, Any]) -> list[str]:
    """The per-layout table of report.md (``family`` as in report.json)."""
    layouts = family.get("breakdown", {}).get("layouts", {})
    lines = [
        "| layout | documents | clauses | clause agreement | section agreement "
        "| split precision | split recall | seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, row in layouts.items():
        cells = [row.get(m) for m in MEASURES]
        shown = ["-" if v is None else f"{v:.3f}" for v in cells]
        lines.append(
            f"| {name} | {row['documents']} | {row['clauses']} | "
            + " | ".join(shown)
            + f" | {row['seconds']} |"
        )
    return lines
