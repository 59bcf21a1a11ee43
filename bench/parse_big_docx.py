"""Peak memory of ``load_file`` on a small .docx that holds many short paragraphs (issue 20).

Builds a .docx of ``--paragraphs`` short paragraphs (1,000,000: 9.4 MB on disk, 106 MiB of XML,
within every package limit), then parses it with ``load_file`` in a fresh subprocess and prints
the outcome, the time and the peak resident memory of that subprocess.

    .venv/bin/python bench/parse_big_docx.py [--paragraphs N] [--code DIR]

``--code DIR`` parses with the ``ingest`` package found in DIR (e.g. an export of an older
commit: ``git archive HEAD~1 ingest | tar -x -C /tmp/old``).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
CHILD = """
import resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from ingest.loader import load_file
started = time.monotonic()
try:
    parsed = load_file(Path(sys.argv[2]), 50 * 1024 * 1024)
    outcome = f"parsed: {sum(len(d.clauses()) for d in parsed.documents):,} clauses"
except Exception as error:
    outcome = f"refused: {type(error).__name__}: {error}"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{outcome}\\ntime {time.monotonic() - started:.2f} s, peak RSS {peak:,.0f} MiB")
"""


def _paragraphs(count: int) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}">'
    yield "<w:body>"
    words = "the of and to in member states union council resolves instructs invites".split()
    pick = random.Random(20).choices
    for number in range(1, count + 1):
        picked = pick(words, k=8)
        yield (
            f'<w:p><w:r><w:t xml:space="preserve">{number}) {" ".join(picked)}.</w:t></w:r></w:p>'
        )
    yield "</w:body></w:document>"


def build_docx(path: Path, paragraphs: int) -> int:
    """Write a .docx of ``paragraphs`` short paragraphs, streaming; returns the XML size."""
    size = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            batch: list[str] = []
            for piece in _paragraphs(paragraphs):
                batch.append(piece)
                if len(batch) >= 10_000:
                    data = "".join(batch).encode()
                    part.write(data)
                    size += len(data)
                    batch = []
            data = "".join(batch).encode()
            part.write(data)
            size += len(data)
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=1_000_000)
    parser.add_argument("--code", type=Path, default=ROOT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "many-paragraphs.docx"
        started = time.monotonic()
        xml = build_docx(path, args.paragraphs)
        print(
            f"{args.paragraphs:,} paragraphs: {path.stat().st_size / 1e6:.1f} MB on disk, "
            f"{xml / 1024 / 1024:.0f} MiB of XML (built in {time.monotonic() - started:.1f} s)"
        )
        subprocess.run([sys.executable, "-c", CHILD, str(args.code), str(path)], check=True)


if __name__ == "__main__":
    main()
