"""Survey of the paragraph-layout parser over a folder of resolutions (e.g. the UNSC corpus).

``python -m ingest.paragraph_survey --survey DIR`` prints how many files give "a preamble and an
operative part with every numbered paragraph", and the causes of the failures.

The check (:func:`check`) compares the parse with what simple regexes find in the raw text:

- *numbers*: every ``N.`` that opens a paragraph (at the start of the file or after a blank line)
  before the first ``Annex`` line. The parse must give top-level operative clauses (outside
  annexes) whose labels run 1, 2, ... N consecutively (a part may restart at 1 or go on), and
  include every number the regex found.
- *no numbers*: the parse must give at least one operative clause.
- *preamble*: when a paragraph ending in ``,`` stands between the line ``The ... Council`` and the
  first ``1.`` paragraph (or the adoption note), the parse must give preamble clauses.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path

from ingest.errors import IngestError
from ingest.loader import decode_text, parse_text
from ingest.model import Document

PARAGRAPH_NUMBER = re.compile(r"(?:\A|\n[ \t]*\n)[ \t]*(\d{1,3})\.\s+[A-Z“\"(]")
ANNEX_LINE = re.compile(r"\n[ \t]*(?:ANNEX|Annex)(?:\s+[A-Z0-9]{1,4})?\.?[ \t]*\n")


def raw_numbers(raw: str) -> set[int]:
    """The paragraph numbers a regex finds in the raw text (before any annex)."""
    annex = ANNEX_LINE.search(raw)
    text = raw[: annex.start()] if annex else raw
    return {int(n) for n in PARAGRAPH_NUMBER.findall(text)}


def raw_has_preamble(raw: str) -> bool:
    """A paragraph ending in a comma between the adopting line and the first operative one."""
    start = re.search(r"^The [A-Z][\w ]*(Council|Assembly)\b.*$", raw, re.MULTILINE)
    if start is None:
        return False
    rest = raw[start.end() :]
    end = re.search(r"(?:\A|\n[ \t]*\n)[ \t]*1\.\s|\n[ \t]*Adopted\b", rest)
    blocks = re.split(r"\n[ \t]*\n", rest[: end.start()] if end else rest)
    return any(block.strip().endswith(",") for block in blocks[:-1] if block.strip()) or (
        end is not None and any(b.strip().endswith(",") for b in blocks if b.strip())
    )


def check(raw: str, document: Document) -> str:
    """``""`` when the parse is complete, else the cause of the failure (see module docstring)."""
    if document.kind != "resolution":
        return "not recognized as a resolution"
    operative = [s for s in document.sections if s.kind == "operative" and s.keyword != "annex"]
    labels = [c.label for s in operative for c in s.clauses if not c.sub]
    numbers = [int(label) for label in labels if label.isdigit()]
    found = raw_numbers(raw)
    if raw_has_preamble(raw) and not any(
        s.kind == "preamble" and s.clauses for s in document.sections
    ):
        return "preamble missing"
    if not found:
        return "" if labels else "no operative paragraph"
    if not numbers or numbers[0] != 1:
        return "numbering does not start at 1"
    for before, after in pairwise(numbers):
        if after not in (before + 1, 1):
            return f"numbering jumps from {before} to {after}"
    missing = found - set(numbers)
    if missing:
        return f"numbered paragraphs missing: {sorted(missing)[:5]}"
    return ""


def survey(folder: Path) -> tuple[int, Counter[str], dict[str, list[str]]]:
    """(files checked, failure causes counted, files by cause)."""
    causes: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    files = sorted(folder.glob("*.txt"))
    for path in files:
        raw = decode_text(path.read_bytes(), str(path)).replace("\r\n", "\n")
        try:
            cause = check(raw, parse_text(raw, path.name))
        except IngestError as error:
            cause = f"error: {error.reason[:60]}"
        if cause:
            key = re.sub(r"\d+", "N", cause)
            causes[key] += 1
            examples.setdefault(key, []).append(f"{path.name}: {cause}")
    return len(files), causes, examples


def main(argv: list[str]) -> int:
    """Command line: ``--survey DIR [--verbose]``."""
    if len(argv) < 2 or argv[0] != "--survey":
        print("usage: python -m ingest.paragraph_survey --survey DIR [--verbose]")
        return 2
    total, causes, examples = survey(Path(argv[1]))
    failed = sum(causes.values())
    print(f"{total - failed}/{total} complete ({100 * (total - failed) / max(total, 1):.1f}%)")
    for cause, count in causes.most_common():
        print(f"  {count:4d}  {cause}")
        if "--verbose" in argv:
            for example in examples[cause][:8]:
                print(f"          {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
