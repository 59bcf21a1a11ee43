"""Parse time of a resolution whose clauses all share one label (issue 20, item 7).

32,000 clauses labelled ``a)`` get the ids ``.../a``, ``.../a-2`` ... ``.../a-32000``. Finding
each id used to probe every suffix from 2 (quadratic: 95 s); it now resumes where the last left
off. Prints the parse time (``parse_text``, best of ``--repeat``) and the last id.

    .venv/bin/python bench/parse_same_label.py [--clauses N] [--repeat R] [--code DIR]

``--code DIR`` parses with the ``ingest`` package found in DIR (e.g. an export of an older
commit: ``git archive HEAD~1 ingest | tar -x -C /tmp/old``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAD = (
    "RESOLUTION 1 (Rev. X, 2020)\nTitle\n"
    "The World Radiocommunication Conference (X, 2020),\nconsidering\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clauses", type=int, default=32_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--code", type=Path, default=ROOT)
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    from ingest.loader import parse_text

    text = HEAD + "".join(f"a)\tthat item {n} is noted;\n" for n in range(1, args.clauses + 1))
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        document = parse_text(text, "same-label.txt")
        times.append(time.perf_counter() - started)
    clauses = document.clauses()
    print(
        f"{len(clauses):,} clauses labelled a): best {min(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}); last id {clauses[-1][1].id}"
    )


if __name__ == "__main__":
    main()
