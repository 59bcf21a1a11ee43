"""What a question asks for, read once, and whether a text states it (:class:`Asked`).

"Who chairs the committee?" is not answered by a clause that only names the committee: a clause
states the answer when it holds a span of the kind asked (:func:`stated_spans`) with a word the
question does not (:func:`any_new`). Both the answerer (``assistant/answering/evidence.py``)
and the search's typed boost (``assistant/index/retrieval.py``) read questions this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.answer_type import (
    GeneralType,
    asked_type,
    asks_calendar_date,
    asks_deadline,
    asks_document_date,
    asks_frequency,
    asks_resolution_date,
    asks_state,
    counted_nouns,
    dated_before,
    stated_spans,
)
from assistant.text.person_names import asks_name, proper_names
from assistant.text.question import WORD, focus_words, stem, stems
from ingest.model import without_footnotes

NEAR_WORDS = 8  # how close to the word asked about a span must be (:meth:`Asked.near_anchor`)


@dataclass(frozen=True)
class Asked:
    """The kind a question asks for (None: any), its stems, and how spans of the kind are read:
    ``calendar`` (:func:`asks_calendar_date`), ``frequency`` (:func:`asks_frequency`), ``state``
    (:func:`asks_state`), ``document`` (:func:`asks_document_date`), ``deadline``
    (:func:`asks_deadline`), ``counting``
    (:func:`counted_nouns`), ``name`` (:func:`asks_name`: only proper names answer), ``content``
    (:func:`asks_content`: only a clause that reports what a document says answers)."""

    kind: GeneralType | None
    stems: frozenset[str] = frozenset()
    calendar: bool = False
    frequency: bool = False
    state: bool = False
    document: bool = False
    resolution_date: bool = False  # ... and the document is a resolution (its "(1978)" dates it)
    deadline: bool = False
    counting: frozenset[str] = frozenset()
    name: bool = False  # who holds an office, what a thing is called (:func:`asks_name`)
    content: bool = False  # what a document the text cites says (:func:`asks_content`)
    anchor: str = ""  # the stem of the word asked about (:func:`anchor_of`)

    @classmethod
    def read(cls, question: str) -> Asked:
        kind = asked_type(question)
        name = asks_name(question)
        return cls(
            "person_or_body" if name and kind is None else kind,
            frozenset(stems(question)),
            calendar=asks_calendar_date(question),
            frequency=asks_frequency(question),
            state=kind == "person_or_body" and asks_state(question),
            document=asks_document_date(question),
            resolution_date=asks_resolution_date(question),
            deadline=asks_deadline(question),
            counting=counted_nouns(question),
            name=name,
            content=asks_content(question),
            anchor=anchor_of(question),
        )

    def spans(
        self,
        text: str,
        common: frozenset[str] = frozenset(),
        adopted: tuple[int, int] | None = None,
    ) -> list[str]:
        """The spans of ``text`` that state an answer of the kind asked (none without a kind);
        ``common``: the words no one's name is made of only (:func:`proper_names`);
        ``adopted``: the (year, month) the text was adopted, before which no deadline it sets
        falls (:func:`dated_before`)."""
        if self.content:
            return reported_contents(text)
        if self.kind is None:
            return []
        if self.name:
            spans = proper_names(text, common, people=True)
        else:
            spans = stated_spans(
                text,
                self.kind,
                calendar=self.calendar,
                frequency=self.frequency,
                state=self.state,
                document=self.document,
                resolution=self.resolution_date,
                deadline=self.deadline,
                counting=self.counting,
            )
        if self.deadline and adopted:
            return [span for span in spans if not dated_before(span, adopted)]
        return spans

    def states_new(self, text: str) -> bool:
        """Whether ``text`` states an answer of the kind asked that the question does not hold
        (always true when the question asks for no kind)."""
        if self.kind is None and not self.content:
            return True
        return any_new(self.spans(text), self.stems)

    def near_anchor(self, text: str, spans: list[str], window: int = NEAR_WORDS) -> bool:
        """Whether one of ``spans`` that the question does not hold lies within ``window``
        words of a word of the anchor's family in ``text``: "Requests the Secretary-General to
        report" answers "Who is to report?"; a body named a sentence away from "representatives"
        does not say who represented whom."""
        if not self.anchor:
            return False
        words = [(m.start(), stem(m.group(0))) for m in WORD.finditer(text)]
        anchors = [i for i, (_, w) in enumerate(words) if _same_family(w, self.anchor)]
        if not anchors:
            return False
        for span in spans:
            own = stems(span) - self.stems
            if not own or all(_same_family(w, self.anchor) for w in own):
                continue  # nothing new, or the word asked about itself ("representatives")
            start = text.find(span)
            if start < 0:
                continue
            first = sum(1 for offset, _ in words if offset < start)
            last = first + max(len(WORD.findall(span)) - 1, 0)
            if any(first - window <= i <= last + window for i in anchors):
                return True
        return False


# Words that say what kind of answer is asked, not what it is about ("Which party won ...?").
_KIND_NOUNS = frozenset(
    "party parties body bodies organ country countries state states government governments "
    "person people organization organizations many much long often date day days year years "
    "month months time place city cities town area article articles paragraph paragraphs "
    "resolution resolutions document documents".split()
)


def anchor_of(question: str) -> str:
    """The stem of the word a question asks about: its first focus word that does not only say
    the kind of answer ("represented" in "Who represented the two communities?", "won" in
    "Which party won the election?"); "" when there is none."""
    for word in focus_words(question):
        if word.lower() not in _KIND_NOUNS and not word.isdigit():
            return stem(word)
    return ""


def _same_family(word: str, anchor: str) -> bool:
    """Whether two stems are of one family: equal, or sharing their first five letters when
    both have that many ("represent" / "representative", "command" / "commander")."""
    return word == anchor or (len(word) >= 5 and len(anchor) >= 5 and word[:5] == anchor[:5])


def any_new(spans: list[str], asked: set[str] | frozenset[str]) -> bool:
    """Whether one of ``spans`` holds a word the question (``asked``: its stems) does not."""
    return any(not stems(span) or not stems(span) <= asked for span in spans)


# What a resolution cites rather than says: "What did Lebanon's complaint of 3 March 1981,
# recalled in resolution 488, say?", "What do paragraphs 5, 8 and 9 of the report ... say?".
_DOCUMENT = (
    r"(?:reports?|complaints?|letters?|agreements?|declarations?|plans?|proposals?"
    r"|recommendations?|communiqu[ée]s?|statements?|paragraphs?|accords?|memorandum|notes?"
    r"|protocols?|conclusions?|findings|views|messages?|appeals?)"
)
# ... not a resolution's own paragraphs: "What do paragraphs 5 and 8 of resolution 519 say?"
_OF_A_RESOLUTION = r"\bof\s+(?:the\s+|this\s+|that\s+|its\s+)?(?:present\s+)?(?:resolutions?|res\.)"
_ASKS_CONTENT = re.compile(
    r"\bwhat (?:do|does|did|will|would)\s+(?:(?!\bresolutions?\b|\bcouncil\b)[^?])*?\b"
    + _DOCUMENT
    + rf"\b(?:(?!{_OF_A_RESOLUTION})[^?])*?"
    r"\b(?:say|provide|contain|state|set out|recommend|propose|stipulate|describe)\b"
    r"(?!\s+(?:about|on|that|the|it|should|would|was|were|is)\b)"
    # ... or what someone said in one: "What did the President say in his letter of 26 June?"
    r"|\bwhat (?:do|does|did)\s+[^?]*?\b(?:say|state|write|propose)\s+in\s+"
    r"(?:his|her|its|their|the|a|that|this)\s+(?:[\w-]+\s+){0,2}?" + _DOCUMENT + r"\b",
    re.IGNORECASE,
)
# A clause that reports a document's content: the document, then within the same sentence part
# "that ...", "as follows", a colon or a quotation ("the report ..., and particularly:").
_REPORTED = re.compile(
    rf"\b{_DOCUMENT}\b[^;]{{0,160}}?(?:\b(?:that|as follows|which reads)\b|:|[“\"‘])",
    re.IGNORECASE,
)


def asks_content(question: str) -> bool:
    """Whether ``question`` asks what a document other than a resolution says (a report, a
    complaint, an agreement that the text cites): a clause that only cites it does not answer."""
    return bool(_ASKS_CONTENT.search(question))


def reported_contents(text: str) -> list[str]:
    """The places where ``text`` reports what a document says (:data:`_REPORTED`); a footnote
    ("[Footnote: Official Records ...]") reports nothing."""
    return [m.group(0) for m in _REPORTED.finditer(without_footnotes(text))]
