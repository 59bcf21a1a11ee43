"""Optional smoothing of a merged draft by a language model, checked word by word against sources.

The model gets the source clauses as DATA (each marked ``[S1]``, ``[S2]``... with its citation,
in the wording the term map gives them for the target body) and the merged draft, and is asked to
rewrite the draft as one fluent clause with the sources' wording only (``prompts/draft_smooth.md``:
the rules, then one worked example as a user/assistant exchange, which small models need).
The reply is then re-aligned to the sources at word level: greedily, the longest run of the reply
found verbatim (case aside) in some source becomes a span listing every source that has that run.
A word that no source has is allowed only if it is a function word or punctuation (``"and"``,
``","``): it becomes a span marked ``added`` with no sources.

Policy: all or nothing. The whole smoothing is rejected, and the deterministic draft returned
unchanged, when the reply

- is empty, or the model failed (error, timeout); the draft unchanged is "not applied" too;
- cites a marker or clause id that is not among the sources (``[S9]``), or reads like an
  instruction (``ignore previous instructions``), which can only come from the data;
- has a content word that no source has (a new obligation, body, number, date...), or the
  body-specific wording the term map replaces for the target body;
- uses a content word more often than the draft or any single source does;
- drops more than a fifth of the draft's content words, or brings in more content words that
  the merge left out than ``max(2, a quarter of the draft's)``: a re-draft, not a smoothing.

A partial repair (the deterministic phrase for each rejected region) was left out on purpose: a
region boundary in the model's reordered text is not well defined, and a spliced result could
read worse than either. ``Draft.smoothing`` says whether smoothing was applied, why not, and by
which model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.chat_model import Message, as_chat_model
from assistant.drafting.citation_update import CitationUpdate
from assistant.drafting.model import Draft, Span
from assistant.text.terms import Token, load_term_map, tokenize
from prompts import load_prompt

MIN_KEPT = 0.8  # share of the draft's distinct content words the reply must keep
NEW_SHARE = 0.25  # content words the merge left out, as a share of the draft's content words
MIN_NEW = 2
MAX_SHOWN = 2000  # characters of a rejected reply kept in the record
FUNCTION_WORDS = frozenset(
    """a an the of to in on at by for from with into within upon as and that which who whom
    whose its their it they them this these those be is are was were been being has have had
    do does did so such also there here""".split()
)
MARKER = re.compile(r"\[([^\[\]]{0,200})\]")
CLAUSE_ID = re.compile(r"(?<![\w/-])[a-z0-9]+-[a-z0-9.-]*(?:/[A-Za-z0-9._-]+)+")  # not "and/or"
INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.;:]{0,40}\b(?:instructions?|rules?|prompts?|"
    r"above)\b|\bsystem prompt\b|\byou are (?:now )?(?:an?|the) (?:ai|assistant|model)\b",
    re.IGNORECASE,
)
FENCE = re.compile(r"^\s*```\w*\s*$")


@dataclass
class SmoothSpan(Span):
    """A span of a smoothed draft; ``added`` marks a function word or punctuation mark that no
    source has (the model's own glue: it carries no content and lists no source)."""

    added: bool = False

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        if self.added:
            data["added"] = True
        return data


@dataclass
class Source:
    """A source clause as the model sees it: its marker, its tokens for the target body, and
    the words of its own wording (to name body-specific words the term map replaced)."""

    key: str
    id: str
    citation: str
    tokens: list[Token]
    own_words: set[str] = field(default_factory=set)

    @property
    def keys(self) -> list[str]:
        return [_key(t) for t in self.tokens]


def _key(token: Token) -> str:
    return token.key.lower()


def _is_word(token: Token) -> bool:
    return token.text[:1].isalnum() or token.text[:1] == "_"


def _content(tokens: Sequence[Token]) -> list[str]:
    return [_key(t) for t in tokens if _is_word(t) and _key(t) not in FUNCTION_WORDS]


def prepare_sources(
    sources: Sequence[dict[str, Any]],
    target_body: str,
    extra_terms: Any = None,
    updates: Sequence[CitationUpdate] = (),
) -> list[Source]:
    """The sources (citation dicts) in the wording of ``target_body``, marked S1, S2..., with
    the draft's ``updates`` of cited revisions applied."""
    terms = load_term_map(extra_terms)
    prepared = []
    for number, cited in enumerate(sources, start=1):
        text = str(cited.get("text", ""))
        body = str(cited.get("body", "")) or target_body
        edits = [
            (m.start(), m.end(), u.new)
            for u in updates
            for m in re.finditer(re.escape(u.old), text)
        ]
        prepared.append(
            Source(
                f"S{number}",
                str(cited["id"]),
                str(cited.get("citation", cited["id"])),
                terms.generalize(text, body, target_body, edits),
                {_key(t) for t in tokenize(text)},
            )
        )
    return prepared


def _inert(text: str) -> str:
    """Text made inert inside the DATA block (no closing tag, no fake markers)."""
    text = re.sub(r"</?\s*data\s*>", "(data)", text, flags=re.IGNORECASE)
    return text.replace("[", "(").replace("]", ")")


def build_messages(result: Draft, sources: Sequence[Source]) -> list[Message]:
    """The system message (rules) and the user message (sources and draft as DATA)."""
    system, rest = load_prompt("draft_smooth").split("<!-- example -->", 1)
    example, rest = rest.split("<!-- example reply -->", 1)
    reply, user = rest.split("<!-- user -->", 1)
    blocks = [
        f"[{s.key}] {_inert(s.citation)}\n{_inert(''.join(t.space + t.text for t in s.tokens))}"
        for s in sources
    ]
    user = user.replace("{sources}", "\n\n".join(b.strip() for b in blocks)).replace(
        "{draft}", _inert(result.text)
    )
    return [
        {"role": "system", "content": system.strip()},
        {"role": "user", "content": example.strip()},
        {"role": "assistant", "content": reply.strip()},
        {"role": "user", "content": user.strip()},
    ]


def clean_reply(raw: str) -> str:
    """The clause in a reply: DATA tags, code fences, label lines ending in ':' and wrapping
    quotes gone (only removals: nothing is added)."""
    raw = re.sub(r"</?\s*data\s*>", " ", raw, flags=re.IGNORECASE)
    lines = [line.strip() for line in raw.strip().splitlines() if not FENCE.match(line)]
    lines = [line for line in lines if line]
    while len(lines) > 1 and lines[0].endswith(":"):
        lines.pop(0)
    text = " ".join(lines).strip()
    for left, right in (('"', '"'), ("“", "”"), ("'", "'")):
        if len(text) > 1 and text.startswith(left) and text.endswith(right):
            text = text[1:-1].strip()
    return text


def _markers(text: str, sources: Sequence[Source]) -> tuple[str, str]:
    """The text without markers and ids of known sources; or a reason for an unknown one."""
    known = {s.key for s in sources} | {s.id for s in sources}

    def drop(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        return "" if inner.upper() in known or inner in known else match.group(0)

    text = MARKER.sub(drop, text)
    left = MARKER.search(text)
    if left:
        return text, f"it cites {left.group(0)}, which is not among the sources"
    for found in CLAUSE_ID.findall(text):
        if found not in known:
            return text, f"it cites {found!r}, which is not among the sources"
    return CLAUSE_ID.sub("", text), ""


def _longest(out: list[str], start: int, keys: list[str]) -> tuple[int, int]:
    """(length, position in ``keys``) of the longest run of ``out[start:]`` found in ``keys``."""
    best = (0, 0)
    for position in range(len(keys)):
        length = 0
        while (
            start + length < len(out)
            and position + length < len(keys)
            and out[start + length] == keys[position + length]
        ):
            length += 1
        if length > best[0]:
            best = (length, position)
    return best


def realign(tokens: list[Token], sources: Sequence[Source]) -> tuple[list[SmoothSpan], list[str]]:
    """Spans of ``tokens`` with the sources of each, and the words no source supports."""
    out = [_key(t) for t in tokens]
    keys = [s.keys for s in sources]
    marked: list[tuple[Token, list[str], Token | None, bool]] = []  # token, ids, replacing
    unsupported: list[str] = []
    p = 0
    while p < len(out):
        found = [_longest(out, p, k) for k in keys]
        length = max((n for n, _ in found), default=0)
        if length == 0:
            token = tokens[p]
            if _is_word(token) and out[p] not in FUNCTION_WORDS:
                unsupported.append(token.text)
            marked.append((token, [], None, True))
            p += 1
            continue
        having = [(s, at) for s, (n, at) in zip(sources, found, strict=True) if n == length]
        ids = [s.id for s, _ in having]
        for k in range(length):
            from_sources = [s.tokens[at + k] for s, at in having]
            replacing = None if any(t.origin is None for t in from_sources) else from_sources[0]
            marked.append((tokens[p + k], ids, replacing, False))
        p += length
    return _group(marked), unsupported


def _group(marked: list[tuple[Token, list[str], Token | None, bool]]) -> list[SmoothSpan]:
    spans: list[SmoothSpan] = []
    for index, (token, ids, replacing, added) in enumerate(marked):
        text = ("" if index == 0 else token.space) + token.text
        last = spans[-1] if spans else None
        origin = replacing.origin if replacing else None
        updated = bool(replacing and replacing.updated)
        same_origin = (last.generalized[-1:] if last else []) == ([origin] if origin else [])
        same_origin = same_origin and (last is None or last.updated == updated)
        if last and last.sources == ids and last.added == added and same_origin:
            last.text += text
        else:
            generalized = [origin] if origin else []
            spans.append(SmoothSpan(text, list(ids), generalized, updated=updated, added=added))
    return spans


def check_reply(
    raw: str, result: Draft, sources: Sequence[Source]
) -> tuple[list[SmoothSpan] | None, str, str]:
    """(spans, "", text) for an acceptable reply; (None, reason, text) for a rejected one."""
    text = clean_reply(raw)
    if not text:
        return None, "the model returned no text", text
    text, problem = _markers(text, sources)
    if problem:
        return None, problem, text
    instruction = INSTRUCTION.search(text)
    if instruction:
        return None, f"it reads like an instruction ({instruction.group(0)!r})", text
    tokens = tokenize(text)
    spans, unsupported = realign(tokens, sources)
    if unsupported:
        words = list(dict.fromkeys(unsupported))
        specific = [w for w in words if any(w.lower() in s.own_words for s in sources)]
        if specific:
            return None, f"it keeps body-specific wording: {', '.join(specific[:5])}", text
        return None, f"words found in no source: {', '.join(words[:5])}", text
    draft_words = _content(tokenize(result.text))
    problem = _counts(_content(tokens), draft_words, sources)
    if problem:
        return None, problem, text
    if [_key(t) for t in tokens] == [_key(t) for t in tokenize(result.text)]:
        return None, "the model returned the merged draft unchanged", text
    return spans, "", text


def _counts(words: list[str], draft_words: list[str], sources: Sequence[Source]) -> str:
    """A reason when the reply repeats, drops or brings back too much content; else ''."""
    used, drafted = Counter(words), Counter(draft_words)
    per_source = [Counter(_content(s.tokens)) for s in sources]
    for word, count in used.items():
        if count > max([drafted[word], *(c[word] for c in per_source)]):
            return f"it repeats {word!r} more often than the draft or any source"
    kept = sum(1 for word in drafted if word in used)
    if drafted and kept / len(drafted) < MIN_KEPT:
        dropped = [word for word in drafted if word not in used]
        return f"it drops content of the draft: {', '.join(dropped[:5])}"
    new = [word for word in used if word not in drafted]
    if len(new) > max(MIN_NEW, NEW_SHARE * len(drafted)):
        return f"it brings back {len(new)} words the merge left out: a re-draft, not a smoothing"
    return ""


def model_name(model: Any) -> str:
    """A readable name of the chat model (the served model's name when known)."""
    inner = getattr(model, "model", model)
    for attribute in ("model_name", "model"):
        value = getattr(inner, attribute, None)
        if isinstance(value, str) and value:
            return value
    return type(inner).__name__


def smooth(
    result: Draft,
    chat_model: Any,
    sources: Sequence[dict[str, Any]] | None = None,
    *,
    extra_terms: Any = None,
) -> Draft:
    """``result`` reworded by ``chat_model`` if the rewording passes the checks above, else
    ``result`` itself; either way with ``smoothing`` = ``{"applied", "reason", "model"}`` (and
    the rejected reply as ``proposed``)."""
    model = as_chat_model(chat_model)
    name = model_name(model)
    cited = result.sources if sources is None else sources
    prepared = prepare_sources(cited, result.target_body, extra_terms, result.updated_citations)
    try:
        raw = "".join(model.stream(build_messages(result, prepared)))
    except Exception as error:  # the server failed: the deterministic draft stands
        reason = f"the language model failed ({type(error).__name__}: {error})"
        return _with(result, {"applied": False, "reason": reason, "model": name})
    spans, reason, text = check_reply(raw, result, prepared)
    if spans is None:
        record: dict[str, Any] = {"applied": False, "reason": reason, "model": name}
        if text:
            record["proposed"] = text[:MAX_SHOWN]
        return _with(result, record)
    kept: list[Span] = list(spans)
    text = "".join(span.text for span in kept).strip()
    smoothed = replace(result, text=text, spans=kept)
    reason = "every word is found in the sources" + (
        "; the model added function words or punctuation" if any(s.added for s in spans) else ""
    )
    return _with(smoothed, {"applied": True, "reason": reason, "model": name})


def _with(result: Draft, record: dict[str, Any]) -> Draft:
    return replace(result, smoothing=record)
