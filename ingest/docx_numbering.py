"""Labels of Word's automatic numbering, rebuilt from ``numbering.xml`` (python-docx gives none).

A paragraph is numbered by ``w:numPr`` (``w:numId`` + ``w:ilvl``) in its own properties or in its
style. ``w:num`` points at a ``w:abstractNum`` whose ``w:lvl`` elements give the start value, the
format (``decimal``, ``lowerLetter``, ``lowerRoman``, ``bullet``, ...) and the text (``%1)``);
``w:lvlOverride`` in a ``w:num`` restarts (``w:startOverride``) or replaces a level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Element = Any  # an lxml element

_BULLET_FALLBACK = "–"  # symbol-font bullets (private-use code points) print as a dash


@dataclass
class Level:
    """One level of a list definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False
    style: str = ""  # w:pStyle: the paragraph style bound to this level


@dataclass
class ListInstance:
    """A ``w:num``: its abstract definition, levels replaced or restarted by overrides."""

    abstract: str
    levels: dict[int, Level] = field(default_factory=dict)
    start_overrides: dict[int, int] = field(default_factory=dict)


def _val(element: Element | None, name: str = "val") -> str | None:
    if element is None:
        return None
    value = element.get(f"{W}{name}")
    return None if value is None else str(value)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(element: Element) -> Level:
    restart = _val(element.find(f"{W}lvlRestart"))
    return Level(
        start=_int(_val(element.find(f"{W}start")), 1),
        fmt=_val(element.find(f"{W}numFmt")) or "decimal",
        text=_val(element.find(f"{W}lvlText")) or "",
        restart=None if restart is None else _int(restart, 0),
        legal=element.find(f"{W}isLgl") is not None,
        style=_val(element.find(f"{W}pStyle")) or "",
    )


def to_letters(value: int, upper: bool = False) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa..."""
    if value < 1:
        return ""
    letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
    return letter.upper() if upper else letter


def to_roman(value: int, upper: bool = False) -> str:
    """Roman numerals (``4`` -> ``iv``)."""
    if value < 1:
        return ""
    pairs = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ]
    out = ""
    for number, letters in pairs:
        while value >= number:
            out, value = out + letters, value - number
    return out.upper() if upper else out


def format_number(value: int, fmt: str) -> str:
    """One counter in a numbering format."""
    if fmt == "lowerLetter":
        return to_letters(value)
    if fmt == "upperLetter":
        return to_letters(value, upper=True)
    if fmt == "lowerRoman":
        return to_roman(value)
    if fmt == "upperRoman":
        return to_roman(value, upper=True)
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


class Numbering:
    """The list definitions of one document and the running counters of one reading of it."""

    def __init__(self, root: Element | None, style_numbering: dict[str, tuple[str, int | None]]):
        """``style_numbering`` maps a paragraph style id to its (numId, ilvl or None)."""
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.instances: dict[str, ListInstance] = {}
        self.style_numbering = style_numbering
        if root is not None:
            self._load(root)
        self.counters: dict[str, dict[int, int]] = {}

    def _load(self, root: Element) -> None:
        links: dict[str, str] = {}
        for abstract in root.iter(f"{W}abstractNum"):
            key = _val(abstract, "abstractNumId") or ""
            self.abstracts[key] = {
                _int(_val(lvl, "ilvl"), 0): _level(lvl) for lvl in abstract.iter(f"{W}lvl")
            }
            link = _val(abstract.find(f"{W}numStyleLink"))
            if link:
                links[key] = link
        for num in root.iter(f"{W}num"):
            instance = ListInstance(_val(num.find(f"{W}abstractNumId")) or "")
            for override in num.iter(f"{W}lvlOverride"):
                ilvl = _int(_val(override, "ilvl"), 0)
                start = _val(override.find(f"{W}startOverride"))
                if start is not None:
                    instance.start_overrides[ilvl] = _int(start, 1)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    instance.levels[ilvl] = _level(lvl)
            self.instances[_val(num, "numId") or ""] = instance
        for key, style in links.items():  # a list bound to a numbering style: follow the style
            num_id, _ = self.style_numbering.get(style, ("", None))
            target = self.instances.get(num_id)
            if target is not None and target.abstract in self.abstracts:
                self.abstracts[key] = self.abstracts[target.abstract]

    def reset(self) -> None:
        """Start a new reading (the accepted and the original views are counted separately)."""
        self.counters = {}

    def _levels(self, instance: ListInstance) -> dict[int, Level]:
        return {**self.abstracts.get(instance.abstract, {}), **instance.levels}

    def resolve(self, num_pr: tuple[str, int] | None, style_id: str) -> tuple[str, int] | None:
        """The (numId, ilvl) that numbers a paragraph, from its own properties or its style."""
        if num_pr is not None:
            return None if num_pr[0] in ("", "0") else num_pr
        num_id, ilvl = self.style_numbering.get(style_id, ("", None))
        if not num_id or num_id == "0" or num_id not in self.instances:
            return None
        if ilvl is None:
            levels = self._levels(self.instances[num_id])
            ilvl = next((i for i, lvl in levels.items() if lvl.style == style_id), 0)
        return num_id, ilvl

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of this list level and return the label as printed."""
        instance = self.instances.get(num_id)
        if instance is None:
            return ""
        levels = self._levels(instance)
        level = levels.get(ilvl)
        if level is None:
            return ""
        # Instances of one abstract list share counters unless they restart it.
        key = f"num:{num_id}" if instance.start_overrides else f"abs:{instance.abstract}"
        counters = self.counters.setdefault(key, {})
        start = instance.start_overrides.get(ilvl, level.start)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [lvl for lvl in counters if lvl > ilvl]:
            restart = levels.get(deeper, Level()).restart
            if restart is None or (restart != 0 and ilvl < restart):
                del counters[deeper]
        if level.fmt == "bullet":
            return _bullet(level.text)

        def substitute(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            lvl = levels.get(index, Level())
            value = counters.get(index, instance.start_overrides.get(index, lvl.start))
            return format_number(value, "decimal" if level.legal else lvl.fmt)

        return re.sub(r"%([1-9])", substitute, level.text).strip()


def _bullet(text: str) -> str:
    char = text.strip()[:1]
    if not char or 0xE000 <= ord(char) <= 0xF8FF or char in "o§":
        return _BULLET_FALLBACK
    return char


def style_numbering(styles_root: Element | None) -> dict[str, tuple[str, int | None]]:
    """Paragraph style id -> (numId, ilvl or None), following ``w:basedOn``."""
    own: dict[str, tuple[str, int | None]] = {}
    based: dict[str, str] = {}
    if styles_root is None:
        return own
    for style in styles_root.iter(f"{W}style"):
        style_id = _val(style, "styleId") or ""
        base = _val(style.find(f"{W}basedOn"))
        if base:
            based[style_id] = base
        num_pr = style.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            num_id = _val(num_pr.find(f"{W}numId")) or ""
            ilvl = _val(num_pr.find(f"{W}ilvl"))
            own[style_id] = (num_id, None if ilvl is None else _int(ilvl, 0))
    resolved: dict[str, tuple[str, int | None]] = {}
    for style_id in set(own) | set(based):
        seen, current = set(), style_id
        while current and current not in own and current not in seen:
            seen.add(current)
            current = based.get(current, "")
        if current in own:
            resolved[style_id] = own[current]
    return resolved


def paragraph_num_pr(p: Element) -> tuple[str, int] | None:
    """The paragraph's own ``w:numPr`` as (numId, ilvl), or ``None``."""
    ppr = p.find(f"{W}pPr")
    return None if ppr is None else num_pr_in(ppr)


def original_numbering(p: Element) -> tuple[tuple[str, int] | None, str] | None:
    """(numPr, style id) before a tracked change of paragraph properties, or ``None``."""
    old = p.find(f"{W}pPr/{W}pPrChange/{W}pPr")
    if old is None:
        return None
    return num_pr_in(old), _val(old.find(f"{W}pStyle")) or ""


def num_pr_in(ppr: Element) -> tuple[str, int] | None:
    """The ``w:numPr`` of a ``w:pPr`` as (numId, ilvl), or ``None``."""
    num_pr = ppr.find(f"{W}numPr")
    if num_pr is None:
        return None
    num_id = _val(num_pr.find(f"{W}numId"))
    if num_id is None:
        return None
    return num_id, _int(_val(num_pr.find(f"{W}ilvl")), 0)
