"""A resolution's text rendered into the layouts real documents arrive in, and the agreement of
their parses with the parse of the original.

Layouts (each a function ``str -> str``):

- ``spaced``: every tab becomes one space (text pasted from a web page);
- ``glued``: the label touches its text (``a)the role``, ``1that``, ``1.Decides``, ``(a)For``);
- ``wrapped``: every line hard-wrapped at 70 columns, long words hyphenated (``Gr-`` / ``oup``),
  compounds broken after their hyphen, and at every page break a page number (``- 3 -``,
  ``Page 4``, ``5``), the document symbol and a running head (a PDF's text).

``python -m evals.layouts [FILE ...]`` prints the agreement per layout (default: the shipped
corpus and every 45th file of ``../shared/corpora/unsc``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from ingest.errors import IngestError
from ingest.loader import parse_text
from ingest.model import Document

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "corpus"
UNSC = PROJECT.parent / "shared" / "corpora" / "unsc"
_ITU_LABEL = re.compile(r"^(\S{1,8})\t")
_UN_LABEL = re.compile(r"^(\d{1,3}\.|\([a-z0-9]{1,5}\)|[—–])\s+(?=\S)")


def spaced(text: str) -> str:
    """Tabs become single spaces."""
    return text.replace("\t", " ")


def glued(text: str) -> str:
    """Labels glued to their text: ``a)\\tthe`` -> ``a)the``; ``1. Decides`` -> ``1.Decides``."""
    lines: list[str] = []
    for line in text.split("\n"):
        opens = not lines or not lines[-1].strip()  # a paragraph of the UN layout
        if "\t" in line:
            lines.append(_ITU_LABEL.sub(r"\1", line))
        else:
            lines.append(_UN_LABEL.sub(r"\1", line) if opens else line)
    return "\n".join(lines)


def wrap_line(line: str, width: int = 70) -> list[str]:
    """Greedy wrap of one line; long words hyphenated, compounds broken after a hyphen."""
    line = line.replace("\t", " ")
    out: list[str] = []
    current = ""
    for word in line.split(" "):
        while True:
            room = width - len(current) - (1 if current else 0)
            if len(word) <= room:
                current = f"{current} {word}" if current else word
                break
            head, rest = _split_word(word, room)
            if head:
                out.append(f"{current} {head}" if current else head)
                current, word = "", rest
                continue
            if not current:  # a word longer than the line
                current = word
                break
            out.append(current)
            current = ""
    out.append(current)
    return out


def _split_word(word: str, room: int) -> tuple[str, str]:
    """The part of ``word`` that fits in ``room`` (ending in a hyphen), and the rest."""
    hyphen = word.rfind("-", 0, room)
    if hyphen > 1 and word[hyphen - 1].isalpha() and hyphen + 1 < len(word):
        return word[: hyphen + 1], word[hyphen + 1 :]
    letters = re.match(r"[A-Za-z]+", word)
    if letters and len(letters.group(0)) >= 8 and room >= 4:
        cut = min(room - 1, len(letters.group(0)) - 3)
        if cut >= 3:
            return word[:cut] + "-", word[cut:]
    return "", word


def wrapped(text: str, width: int = 70, page_lines: int = 30) -> str:
    """Hard-wrapped at ``width`` with hyphenation, page numbers, symbol and running heads."""
    lines = text.split("\n")
    header = next((line.strip() for line in lines if line.strip()), "")
    symbol = _symbol(header)
    out: list[str] = []
    page = 1
    for line in lines:
        for piece in wrap_line(line, width) if line.strip() else [""]:
            out.append(piece)
            if len(out) % page_lines == 0:
                page += 1
                number = [f"- {page} -", f"Page {page}", str(page)][page % 3]
                out.extend([number, f"\f{symbol}", header])
    return "\n".join(out)


def _symbol(header: str) -> str:
    match = re.search(r"(\d+)\s*\((\d{4})\)", header)
    if match and "Rev" not in header:
        return f"S/RES/{match.group(1)} ({match.group(2)})"
    number = re.search(r"\d+", header)
    return f"PP-26/{number.group(0) if number else '1'}-E"


LAYOUTS: dict[str, Callable[[str], str]] = {"spaced": spaced, "glued": glued, "wrapped": wrapped}


def clause_texts(document: Document) -> dict[str, str]:
    """Clause id -> text with its whitespace normalized."""
    return {
        clause.id: re.sub(r"\s+", " ", clause.full_text).strip() for _, clause in document.clauses()
    }


def agreement(original: Document, rendered: Document) -> tuple[int, int]:
    """(clauses that agree: same id and text, clauses in the larger of the two parses)."""
    want, got = clause_texts(original), clause_texts(rendered)
    agreed = sum(1 for key, text in want.items() if got.get(key) == text)
    return agreed, max(len(want), len(got))


def measure(paths: list[Path], layout: Callable[[str], str]) -> tuple[int, int, dict[str, str]]:
    """(clauses agreeing, clauses, first disagreement by file) of ``layout`` over ``paths``."""
    agreed = total = 0
    misses: dict[str, str] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        original = parse_text(text, path.name)
        try:
            rendered = parse_text(layout(text), path.name)
        except IngestError as error:
            rendered = Document("", "passages", "", "", "", "")
            misses[path.name] = f"error: {error}"
        good, count = agreement(original, rendered)
        agreed, total = agreed + good, total + count
        if good < count and path.name not in misses:
            want, got = clause_texts(original), clause_texts(rendered)
            key = next((k for k in want if got.get(k) != want[k]), "(extra clauses)")
            misses[path.name] = f"{key}: {want.get(key, '')[:80]!r} -> {got.get(key, '')[:80]!r}"
    return agreed, total, misses


def default_files() -> list[Path]:
    """The shipped corpus and every 45th UNSC file (about 20) when the corpus is present."""
    return sorted(CORPUS.glob("*.txt")) + sorted(UNSC.glob("*.txt"))[::45]


def main(argv: list[str]) -> int:
    """Print the agreement per layout."""
    paths = [Path(arg) for arg in argv if not arg.startswith("-")] or default_files()
    for name, layout in LAYOUTS.items():
        agreed, total, misses = measure(paths, layout)
        print(f"{name:8s} {agreed}/{total} clauses agree ({100 * agreed / max(total, 1):.1f}%)")
        if "--verbose" in argv:
            for file, miss in misses.items():
                print(f"    {file}: {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
