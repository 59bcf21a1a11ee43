"""Comparison tables: a Word table whose header row names conferences, one resolution per column.

Like the annex of a Council contribution: ``PP-26 | WTSA | WTDC | WRC`` in the header row, then
rows whose cells hold the parts of each resolution that correspond (the header block, then the
sections). Concatenating a column's cells gives that resolution in the ITU layout; the rows say
which sections the columns share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ingest.bodies import body_from_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Element = Any  # an lxml element

# A short conference or body name: PP-26, WTSA, WTDC-29, WRC-23, RA, Council 2026, CWG-FHR ...
_BODY_NAME = re.compile(
    r"^(?:PP|WTSA|WTDC|WRC|RA|WCIT|WTPF|TDAG|TSAG|RAG|Council|UNSC|UNGA|ECOSOC|HRC)"
    r"(?:[-‑– ]?\d{2,4})?(?:\s+Res(?:olution)?\.?\s*\d+\w*)?$",
    re.IGNORECASE,
)


@dataclass
class TableColumn:
    """One column of a comparison table: its header and its cell per row (None when absent)."""

    header: str
    grid: int
    cells: list[Element | None] = field(default_factory=list)


def cell_text(tc: Element) -> str:
    """Plain text of a cell (all its paragraphs, revision marks ignored)."""
    texts = []
    for p in tc.iter(f"{W}p"):
        texts.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return " ".join(text.strip() for text in texts if text.strip())


def names_a_body(text: str) -> bool:
    """True when a header cell names a conference or body (``PP-26``, ``WTSA``, a full name)."""
    text = re.sub(r"\s+", " ", text).strip()
    return bool(text) and (bool(_BODY_NAME.match(text)) or bool(body_from_text(text)))


def table_rows(tbl: Element) -> list[list[tuple[int, Element]]]:
    """Each row of a table as (grid column, ``w:tc``) pairs, honouring ``w:gridSpan``."""
    rows = []
    for tr in tbl.findall(f"{W}tr"):
        cells, grid = [], 0
        for tc in _row_cells(tr):
            cells.append((grid, tc))
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            grid += int(span.get(f"{W}val") or 1) if span is not None else 1
        rows.append(cells)
    return rows


def _row_cells(tr: Element) -> list[Element]:
    cells = []
    for child in tr:
        if child.tag == f"{W}tc":
            cells.append(child)
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            cells.extend(child.iter(f"{W}tc"))
    return cells


def comparison_columns(tbl: Element) -> list[TableColumn] | None:
    """The columns of a comparison table, or ``None`` when the table is not one.

    The header row (the first, or the second under a title row spanning the table) must name a
    body in at least two cells; a column without a body name (row labels, say) is left out.
    """
    rows = table_rows(tbl)
    for first in (0, 1):
        if len(rows) < first + 2:
            return None
        header = [(grid, cell_text(tc)) for grid, tc in rows[first]]
        named = [(grid, text) for grid, text in header if names_a_body(text)]
        if len(named) >= 2 and len(named) >= len([t for _, t in header if t]) - 1:
            break
        if len(rows[0]) > 1:
            return None
    else:
        return None
    columns = [TableColumn(text, grid) for grid, text in named]
    for row in rows[first + 1 :]:
        by_grid = dict(row)
        for column in columns:
            tc = by_grid.get(column.grid)
            merged = (
                tc is not None
                and tc.find(f"{W}tcPr/{W}vMerge") is not None
                and (tc.find(f"{W}tcPr/{W}vMerge").get(f"{W}val") in (None, "continue"))
            )
            column.cells.append(None if merged else tc)
    return columns
