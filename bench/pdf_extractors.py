"""Benchmark: PDF text extractors for ingest/pdf_reader.py (issue 15).

Each corpus text is made into a Word document (typed labels, Word footnotes, page numbers in the
footer; a second variant adds a running head) and printed to PDF by headless LibreOffice. Each
extractor's output is parsed, and fidelity is the share of the clauses of the .txt found in the
parse of the PDF with the same id and the same whitespace-normalized text.

Two pipelines per extractor:
- ``glyphs``: the extractor's characters with position and size, laid out by
  ``ingest.pdf_reader.layout_text`` (footnotes, page numbers, running heads, hard wraps);
- ``text``: the extractor's own plain text, with a text-only clean-up (page-number lines dropped,
  a label's space made a TAB, wrapped lines joined when the line does not end a clause).

    .venv/bin/pip install pdfplumber pypdf     # the comparison only; pypdfium2 is a dependency
    .venv/bin/python bench/pdf_extractors.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import platform
import re
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.errors import IngestError  # noqa: E402
from ingest.layout import heading_keyword  # noqa: E402
from ingest.loader import parse_text  # noqa: E402
from ingest.pdf_reader import Glyph, Page, layout_text, pdfium_pages  # noqa: E402
from tests.pdf_fixtures import corpus_pdf  # noqa: E402

CORPUS = ROOT / "corpus"
LICENCES = {
    "pypdfium2": "Apache-2.0 or BSD-3-Clause (PDFium: BSD-3-Clause/Apache-2.0)",
    "pdfplumber": "MIT (pdfminer.six: MIT)",
    "pypdf": "BSD-3-Clause",
}


# ---- extractors ---------------------------------------------------------------------------------


def pdfium_glyphs(data: bytes) -> list[Page]:
    return pdfium_pages(data, "bench")


def plumber_glyphs(data: bytes) -> list[Page]:
    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            glyphs = [
                Glyph(
                    " " if c["text"].isspace() else c["text"],
                    float(c["x0"]),
                    float(c["x1"]),
                    float(page.height) - float(c["matrix"][5]),
                    float(c["size"]),
                )
                for c in page.chars
            ]
            images = len(page.images)
            pages.append(Page(float(page.width), float(page.height), glyphs, images))
    return pages


def pdfium_text(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    document.close()
    return [text.replace("\r\n", "\n").replace("\x02", "-") for text in texts]


def plumber_text(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pypdf_text(data: bytes) -> list[str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]


# ---- the text-only clean-up ---------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^\s*[-–]?\s*\d{1,4}\s*[-–]?\s*$")
_SPACE_LABEL = re.compile(r"^(\(?\d{1,3}[a-z]?[.)]?|\(?[a-z]{1,5}\)|[–—•])\s+(?=\S)")


def text_layout(pages: list[str]) -> str:
    """Plain text of the pages as one paragraph a line, from the words alone."""
    lines = [line.strip() for page in pages for line in page.split("\n") if line.strip()]
    lines = [line for line in lines if not _PAGE_NUMBER.match(line)]
    paragraphs: list[str] = []
    for line in lines:
        labelled = _SPACE_LABEL.sub(lambda m: m.group(1) + "\t", line, count=1)
        starts = labelled != line or bool(heading_keyword(line))
        ends = bool(paragraphs) and paragraphs[-1].rstrip()[-1:] in ";:."
        opening = len(paragraphs) == 1 or (len(paragraphs) <= 3 and line.startswith("The "))
        if not paragraphs or starts or ends or opening:
            paragraphs.append(labelled)
        else:
            joiner = "" if paragraphs[-1].endswith("-") else " "
            paragraphs[-1] += joiner + line
    return "\n".join(paragraphs) + "\n"


# ---- measure ------------------------------------------------------------------------------------


def normalized(text: str) -> str:
    return " ".join(text.split())


def clauses(text: str, source: str) -> set[tuple[str, str]]:
    document = parse_text(text, source)
    return {(clause.id, normalized(clause.text)) for _, clause in document.clauses()}


def page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    count = len(document)
    document.close()
    return count


PIPELINES: dict[str, Callable[[bytes], str]] = {
    "pypdfium2 glyphs": lambda d: layout_text(pdfium_glyphs(d), "bench"),
    "pdfplumber glyphs": lambda d: layout_text(plumber_glyphs(d), "bench"),
    "pypdfium2 text": lambda d: text_layout(pdfium_text(d)),
    "pdfplumber text": lambda d: text_layout(plumber_text(d)),
    "pypdf text": lambda d: text_layout(pypdf_text(d)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing runs (best is kept)")
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.txt"))
    variants = {
        "page numbers": {},
        "page numbers + running head": {"running_head": "Resolution as adopted"},
    }
    pdfs: list[tuple[str, str, bytes, set[tuple[str, str]]]] = []
    for path in files:
        expected = clauses(path.read_text(), path.name)
        for variant, options in variants.items():
            pdfs.append((path.name, variant, corpus_pdf(path.name, **options), expected))
    pages = sum(page_count(data) for _, _, data, _ in pdfs)
    print(f"{len(pdfs)} PDFs, {pages} pages; Python {platform.python_version()}")
    print(", ".join(f"{name} {version(name)}" for name in ("pypdfium2", "pdfplumber", "pypdf")))
    print()
    print("| pipeline | fidelity (all) | page numbers | + running head | s/page | licence |")
    print("|---|---|---|---|---|---|")
    for name, pipeline in PIPELINES.items():
        found: dict[str, list[int]] = {variant: [0, 0] for variant in variants}
        misses: list[str] = []
        for file, variant, data, expected in pdfs:
            try:
                got = clauses(pipeline(data), file)
            except IngestError as error:
                got = set()
                misses.append(f"{file} ({variant}): {error.reason}")
            found[variant][0] += len(expected & got)
            found[variant][1] += len(expected)
            misses += [f"{file} ({variant}): {cid}" for cid, _ in sorted(expected - got)][:3]
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            for _, _, data, _ in pdfs:
                pipeline(data)
            best = min(best, time.perf_counter() - start)
        total = [sum(x) for x in zip(*found.values(), strict=True)]
        cells = [f"{a / b:.3f} ({a}/{b})" for a, b in [total, *found.values()]]
        licence = LICENCES[name.split()[0]]
        print(f"| {name} | {' | '.join(cells)} | {best / pages:.4f} | {licence} |")
        for miss in misses[:6]:
            print(f"    missed: {miss}", file=sys.stderr)


if __name__ == "__main__":
    main()
