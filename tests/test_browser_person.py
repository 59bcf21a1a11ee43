"""The chat and the web page as a person uses them (issue 19, items 5-9), in a real Chromium, at a
laptop's size (1280x800) and a phone's (390x844).

Streaming that streams, a conversation that survives a reload, a layout that fits a phone, the Word
file of "What changed", a redline that reads by phrase, and the small things: match scores, a lost
connection, the draft form's own words, the focus ring, clause labels, uploads. Screenshots go to
tests/artifacts/ (``person-*``).
"""

from __future__ import annotations

import shutil
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_fakes import CORPUS

from api.app import create_app
from assistant.settings import Settings
from tests import test_browser as shared
from tests.test_browser import ARTIFACTS, CHROMIUM, serve

# the fixtures of tests/test_browser.py: the fake stack, the browser, the real stack
base_url, browser, real_url = shared.base_url, shared.browser, shared.real_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium missing: apt-get install chromium"),
]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
SEARCH_DELAY = 0.8  # seconds added to each search of the slowed library
QUESTION = "What do the resolutions say about the timing of interregional meetings?"


@pytest.fixture(scope="module")
def slow_url(
    _fake_library_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The real assistant over the sample corpus, with every search made slow on purpose, so
    that an answer takes as long as it does with a large library."""
    from assistant.index.library import Library
    from tests.fakes import FakeEmbedder

    home = tmp_path_factory.mktemp("slow") / "home"
    shutil.copytree(_fake_library_template, home)
    settings = Settings(home=home, corpus=CORPUS, rate_limit_per_minute=0)
    library = Library(settings, embedder=FakeEmbedder())
    search = library.search

    def slow_search(*args: Any, **kwargs: Any) -> Any:
        time.sleep(SEARCH_DELAY)
        return search(*args, **kwargs)

    library.search = slow_search  # type: ignore[method-assign]
    yield from serve(create_app(settings, library=library))


def open_at(browser: Any, url: str, size: dict[str, int], allow: tuple[str, ...] = ()) -> Any:
    """A page at ``size``, its documents loaded; console errors fail the test (except ``allow``)."""
    context = browser.new_context(viewport=size, accept_downloads=True, has_touch=size is PHONE)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            page.errors.append(m.text)
            if m.type == "error" and not any(a in m.text for a in ("status of 401", *allow))
            else None
        ),
    )
    page.goto(url + "/")
    page.wait_for_selector("#compare-base option", state="attached")
    return page


@pytest.fixture
def pages(browser: Any) -> Iterator[list[Any]]:
    opened: list[Any] = []
    yield opened
    for page in opened:
        errors = page.errors
        page.context.close()
        assert not errors, errors


def at(pages: list[Any], browser: Any, url: str, size: dict[str, int], **kw: Any) -> Any:
    page = open_at(browser, url, size, **kw)
    pages.append(page)
    return page


def shot(page: Any, name: str, size: dict[str, int], full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    kind = "phone" if size is PHONE else "laptop"
    page.screenshot(path=str(ARTIFACTS / f"person-{name}-{kind}.png"), full_page=full)


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 5).map((e) => e.tagName + '.' + e.className + '#' + e.id)"""
    )
    assert width[0] <= width[1], f"the page scrolls sideways: {width}, {wide}"


def record_stages(page: Any) -> None:
    """Record each stage the newest reply goes through (data-stage), with the time and what the
    page says meanwhile."""
    page.evaluate(
        """() => {
          window.stages = [];
          new MutationObserver((changes) => {
            for (const change of changes) {
              const box = change.target;
              window.stages.push({ stage: box.dataset.stage, at: performance.now(),
                says: box.querySelector('.progress')?.textContent || '',
                chips: box.querySelectorAll('.chip').length });
            }
          }).observe(document.getElementById('messages'),
            { subtree: true, attributes: true, attributeFilter: ['data-stage'] });
        }"""
    )


# -- 5. streaming that streams -----------------------------------------------------------------


@SIZES
def test_the_answer_arrives_in_stages(
    browser: Any, slow_url: str, pages: list[Any], size: dict[str, int]
) -> None:
    page = at(pages, browser, slow_url, size)
    record_stages(page)
    page.get_by_label("Your question").fill(QUESTION)
    page.keyboard.press("Enter")
    reply = page.locator(".message.assistant").last
    searching = reply.get_by_role("status")
    searching.get_by_text("Searching the resolutions…").wait_for()
    shot(page, "chat-searching", size)
    reply.locator(".chips .chip").first.wait_for()
    page.locator('.message.assistant[data-stage="answer"]').wait_for()
    stages = page.evaluate("window.stages")
    names = [s["stage"] for s in stages]
    assert names[:2] == ["sent", "intent"] and names[-1] == "answer", names
    assert "citations" in names and names.index("citations") > names.index("intent")
    when = {s["stage"]: s["at"] for s in stages}
    # the intent is shown while the search runs, measurably before the answer: not one burst
    assert when["answer"] - when["intent"] >= SEARCH_DELAY * 1000 * 0.7, stages
    said = {s["stage"]: s["says"] for s in stages}
    assert said["intent"] == "Searching the resolutions…"
    assert said["citations"] in (  # with chips of the clauses found (or the nearest ones)
        "Found the clauses; composing the answer…",
        "No clause states it; composing the reply…",
    )
    assert next(s["chips"] for s in stages if s["stage"] == "citations") >= 1  # before answer
    assert reply.get_by_role("status").count() == 0  # the waiting state ends with the answer
    assert reply.get_attribute("aria-busy") is None
    assert "Res." in reply.locator(".chips .chip").first.inner_text()
    shot(page, "chat-answered", size)


# -- 6. conversations survive a reload ------------------------------------------------------------


@SIZES
def test_a_reload_shows_the_conversation_and_keeps_using_it(
    browser: Any, real_url: str, pages: list[Any], size: dict[str, int]
) -> None:
    page = at(pages, browser, real_url, size)
    page.get_by_role("button", name="New conversation").click()
    page.get_by_label("Your question").fill(QUESTION)
    page.keyboard.press("Enter")
    first = page.locator(".message.assistant").last
    first.locator(".chips .chip").first.wait_for()
    answer = first.locator(".text").first.inner_text()
    kept = page.evaluate("localStorage.getItem('resolutions.conversation')")
    assert kept

    page.reload()
    page.locator(".message.user").first.wait_for()
    assert page.locator(".message.user").all_inner_texts() == [QUESTION]
    restored = page.locator(".message.assistant").first
    assert restored.get_attribute("data-stage") == "restored"
    assert restored.locator(".text").first.inner_text() == answer
    assert restored.locator(".chips .chip").count() >= 1
    assert "Earlier in this conversation" in page.locator(".hint.earlier").inner_text()
    shot(page, "chat-after-reload", size)

    with page.expect_request(lambda r: r.url.endswith("/ask/stream")) as sent:
        page.get_by_label("Your question").fill("and what does the WTDC one say?")
        page.keyboard.press("Enter")
    assert sent.value.post_data_json["conversation_id"] == kept  # the server's follow-up context
    page.locator(".message.assistant").nth(1).locator(".text").first.wait_for()
    page.locator('.message.assistant[data-stage="answer"]').wait_for()
    turns = page.request.get(f"{real_url}/conversations/{kept}").json()["turns"]
    assert [t["question"] for t in turns] == [QUESTION, "and what does the WTDC one say?"]

    page.get_by_role("button", name="New conversation").click()  # the only way to drop it
    assert page.evaluate("localStorage.getItem('resolutions.conversation')") is None
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator(".message").count() == 0


# -- 7. phones --------------------------------------------------------------------------------


@SIZES
def test_every_tab_fits_the_screen(
    browser: Any, base_url: str, pages: list[Any], size: dict[str, int]
) -> None:
    page = at(pages, browser, base_url, size)
    for tab in page.get_by_role("tab").all():
        box = tab.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= size["width"], box
    no_sideways_scroll(page)

    page.get_by_label("Your question").fill("What about regional preparatory meetings?")
    page.keyboard.press("Enter")
    chip = page.locator(".message.assistant").last.locator(".chips .chip").first
    chip.wait_for()
    no_sideways_scroll(page)
    chip.tap() if size is PHONE else chip.click()
    panel = page.get_by_role("complementary", name="Clause")
    panel.locator(".clause-text").wait_for()
    box = panel.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + min(box["height"], 120) <= size["height"]
    assert panel.locator(".clause-text").is_visible()
    assert page.evaluate(  # the clause is on screen, not below the chat
        """() => { const r = document.querySelector('#clause-panel .clause-text')
            .getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; }"""
    )
    shot(page, "clause-open", size)
    page.get_by_role("button", name="Close the clause panel").click()

    page.get_by_role("tab", name="Compare").click()
    panel = page.get_by_role("tabpanel", name="Compare")
    panel.get_by_label("Resolution").select_option("wtsa-43-rev-new-delhi-2024")
    for name in ("WTDC Res. 31 (Rev. Baku, 2025)", "WRC Res. 72 (Rev. WRC-19)", "PP Res. 58"):
        for box in panel.get_by_label(name).all():
            box.check()
    panel.get_by_role("button", name="Align clauses").click()
    table = page.get_by_role("table", name="Aligned clauses")
    table.wait_for()
    no_sideways_scroll(page)  # the table scrolls in its own box
    scroller = page.locator(".table-scroll")
    if size is PHONE:
        assert scroller.evaluate("s => s.scrollWidth > s.clientWidth")
    shot(page, "compare-table", size)

    page.get_by_role("tab", name="Draft").click()
    panel = page.get_by_role("tabpanel", name="Draft")
    panel.get_by_label("Resolution", exact=True).select_option("pp-58-rev-busan-2014")
    page.locator("#draft-clause option").nth(3).wait_for(state="attached")
    panel.get_by_role("button", name="Draft", exact=True).click()
    page.locator(".merged .span").first.wait_for()
    no_sideways_scroll(page)
    shot(page, "draft", size, full=True)
    panel.get_by_label("the whole resolution").check()
    panel.get_by_role("button", name="Revise", exact=True).click()
    page.get_by_role("region", name="Revised resolution").wait_for()
    no_sideways_scroll(page)
    page.get_by_role("tab", name="Upload").click()
    no_sideways_scroll(page)
    shot(page, "upload", size)


# -- 8. the Word file of "What changed"; the redline by phrase; gap marks ---------------------


@SIZES
def test_what_changed_has_its_word_file_and_reads_by_phrase(
    browser: Any, real_url: str, pages: list[Any], size: dict[str, int]
) -> None:
    page = at(pages, browser, real_url, size)
    page.get_by_role("tab", name="Compare").click()
    panel = page.get_by_role("tabpanel", name="Compare")
    panel.get_by_label("Resolution").select_option("pp-58-rev-doha-2026")
    panel.get_by_label("PP Res. 58 (Rev. Busan, 2014)").check()
    panel.get_by_role("button", name="What changed").click()
    card = page.locator(".changes-card")
    card.wait_for()
    no_sideways_scroll(page)
    shot(page, "what-changed", size)
    link = card.get_by_role("link", name="Download the redline (.docx)")
    assert "format=docx" in link.get_attribute("href")
    with page.expect_download() as download:
        link.click()
    with zipfile.ZipFile(download.value.path()) as archive:
        assert "<w:ins " in archive.read("word/document.xml").decode()

    page.get_by_role("tab", name="Draft").click()
    panel = page.get_by_role("tabpanel", name="Draft")
    with page.expect_response(lambda r: "/documents/pp-58-rev-busan-2014" in r.url):
        panel.get_by_label("Resolution", exact=True).select_option("pp-58-rev-busan-2014")
    page.locator("#draft-clause").select_option("pp-58-rev-busan-2014/considering/i")
    panel.get_by_label("For the resolution of").select_option("PP")
    with page.expect_response(lambda r: r.url.endswith("/draft")) as response:
        panel.get_by_role("button", name="Draft", exact=True).click()
    draft = response.value.json()
    redline = page.locator(".draft .redline").first
    redline.wait_for()
    deleted = redline.locator("del").all_inner_texts()
    inserted = redline.locator("ins").all_inner_texts()
    # word by word the server says: of ~~WRCs~~ all ITU conferences and ~~WTDCs, ...~~ assemblies
    assert "WRCs and WTDCs, and latterly WTSAs," in deleted, (deleted, draft["redline"])
    assert "all ITU conferences and assemblies;" in inserted, inserted
    proposal = redline.evaluate(
        """r => [...r.childNodes].filter(n => n.nodeName !== 'DEL')
            .map(n => n.textContent).join('')"""
    )
    assert " ".join(proposal.split()) == " ".join(draft["text"].split())  # still reads as it
    redline.scroll_into_view_if_needed()
    shot(page, "draft-redline", size)


def test_phrases_merge_alternating_words(browser: Any, base_url: str, pages: list[Any]) -> None:
    page = at(pages, browser, base_url, LAPTOP)
    edits = [
        {"kind": "equal", "text": "preparation of"},
        {"kind": "insert", "text": " all"},
        {"kind": "delete", "text": " WRCs"},
        {"kind": "insert", "text": " ITU"},
        {"kind": "equal", "text": " and"},
        {"kind": "delete", "text": " WTDCs"},
        {"kind": "insert", "text": " conferences"},
        {"kind": "equal", "text": ", as already"},
        {"kind": "insert", "text": " agreed"},
    ]
    assert page.evaluate("edits => phrases(edits)", edits) == [
        {"kind": "equal", "text": "preparation of"},
        {"kind": "delete", "text": " WRCs and WTDCs"},
        {"kind": "insert", "text": " all ITU and conferences"},
        {"kind": "equal", "text": ", as already"},
        {"kind": "insert", "text": " agreed"},
    ]
    # a kept phrase of three words, or with punctuation, is never swallowed; nor between two
    # insertions
    keep = [
        {"kind": "delete", "text": "a"},
        {"kind": "insert", "text": " b"},
        {"kind": "equal", "text": " c d e"},
        {"kind": "insert", "text": " f"},
        {"kind": "equal", "text": " g"},
        {"kind": "insert", "text": " h"},
    ]
    assert page.evaluate("edits => phrases(edits)", keep) == keep


def test_gap_marks_are_not_copied(browser: Any, base_url: str, pages: list[Any]) -> None:
    page = at(pages, browser, base_url, LAPTOP)
    page.get_by_role("tab", name="Draft").click()
    panel = page.get_by_role("tabpanel", name="Draft")
    panel.get_by_label("Resolution", exact=True).select_option("pp-58-rev-busan-2014")
    page.locator("#draft-clause option").nth(3).wait_for(state="attached")
    panel.get_by_role("button", name="Draft", exact=True).click()
    gap = page.locator(".merged .span.gap")
    gap.wait_for()
    assert gap.evaluate("g => getComputedStyle(g, '::before').content") == '"‸"'  # still shown
    assert gap.inner_text() == "" and gap.get_attribute("aria-label").startswith("Gap: ")
    copied = page.locator(".merged").evaluate(
        """m => { const range = document.createRange(); range.selectNodeContents(m);
            const s = getSelection(); s.removeAllRanges(); s.addRange(range);
            return s.toString(); }"""
    )
    assert copied.strip() and "‸" not in copied


# -- 9. small things a person notices -----------------------------------------------------------


def test_match_scores_are_between_0_and_1_and_explained(
    browser: Any, real_url: str, pages: list[Any]
) -> None:
    page = at(pages, browser, real_url, LAPTOP)
    page.get_by_role("tab", name="Compare").click()
    panel = page.get_by_role("tabpanel", name="Compare")
    panel.get_by_label("Resolution").select_option("pp-58-rev-doha-2026")
    panel.get_by_label("WTSA Res. 43 (Rev. New Delhi, 2024)").check()
    panel.get_by_label("WTDC Res. 31 (Rev. Baku, 2025)").check()
    with page.expect_response(lambda r: "/align?" in r.url) as response:
        panel.get_by_role("button", name="Align clauses").click()
    assert max(g["score"] for g in response.value.json()["groups"]) > 1  # what the aligner says
    table = page.get_by_role("table", name="Aligned clauses")
    table.wait_for()
    shown = [float(s) for s in table.locator("td.score").all_inner_texts() if s != "–"]
    assert shown and all(0 <= s <= 1 for s in shown) and max(shown) == 1
    assert table.locator("th").last.inner_text() == "Match (0–1)"
    assert "from 0 to 1" in page.locator("#match-help").inner_text()


def test_a_lost_connection_is_said_and_retried(
    browser: Any, base_url: str, pages: list[Any]
) -> None:
    page = at(pages, browser, base_url, LAPTOP, allow=("ERR_INTERNET_DISCONNECTED",))
    tries: list[str] = []

    def cut_the_first(route: Any) -> None:
        tries.append(route.request.url)
        if len(tries) == 1:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/ask/stream", cut_the_first)
    page.get_by_label("Your question").fill("What about regional preparatory meetings?")
    page.keyboard.press("Enter")
    reply = page.locator(".message.assistant").last
    waiting = reply.get_by_role("status")
    waiting.get_by_text("The server cannot be reached. Retrying in").wait_for()
    assert "Failed to fetch" not in reply.inner_text()
    shot(page, "chat-retrying", LAPTOP)
    reply.locator(".chips .chip").first.wait_for(timeout=10000)  # the retry answered
    assert len(tries) == 2 and "cannot be reached" not in reply.inner_text()

    page.unroute("**/ask/stream")
    page.route("**/documents/**", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("tab", name="Draft").click()
    page.locator("#draft-document").select_option("wtsa-43-rev-new-delhi-2024")
    page.get_by_role("alert").get_by_text("The server cannot be reached").wait_for()
    assert "Failed to fetch" not in page.get_by_role("alert").inner_text()


def test_the_draft_form_says_what_is_missing_in_its_own_words(
    browser: Any, base_url: str, pages: list[Any]
) -> None:
    page = at(pages, browser, base_url, LAPTOP)
    page.get_by_role("tab", name="Draft").click()
    panel = page.get_by_role("tabpanel", name="Draft")
    panel.get_by_label("a topic").check()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/draft" in r.url else None)
    panel.get_by_role("button", name="Draft", exact=True).click()
    message = panel.locator("#draft-target-message")
    assert message.is_visible()
    assert message.inner_text() == (
        "Type a topic to draft on, or choose “a clause” under “Start from”."
    )
    assert "clause_id" not in message.inner_text() and not requests
    topic = panel.get_by_label("Topic", exact=True)
    assert topic.evaluate("t => t === document.activeElement")
    assert topic.get_attribute("aria-invalid") == "true"
    shot(page, "draft-topic-missing", LAPTOP)
    topic.fill("regional preparatory meetings")
    assert message.is_hidden()


def test_the_focus_ring_stands_out(browser: Any, base_url: str, pages: list[Any]) -> None:
    page = at(pages, browser, base_url, LAPTOP)
    page.get_by_role("tab", name="Chat").focus()
    page.keyboard.press("Tab")
    ratios = page.evaluate(
        """() => {
          const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
          const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
            return (x + 0.05) / (y + 0.05); };
          const ring = getComputedStyle(document.activeElement).outlineColor;
          const page = getComputedStyle(document.body).backgroundColor;
          return [ratio(ring, page), ratio(ring, 'rgb(255, 255, 255)'),
                  getComputedStyle(document.activeElement).outlineStyle];
        }"""
    )
    assert ratios[2] == "solid" and ratios[0] >= 3 and ratios[1] >= 3, ratios


def test_whole_resolution_labels_keep_their_parenthesis(
    browser: Any, base_url: str, pages: list[Any]
) -> None:
    page = at(pages, browser, base_url, LAPTOP)
    page.get_by_role("tab", name="Draft").click()
    panel = page.get_by_role("tabpanel", name="Draft")
    panel.get_by_label("Resolution", exact=True).select_option("pp-58-rev-busan-2014")
    panel.get_by_label("the whole resolution").check()
    panel.get_by_role("button", name="Revise", exact=True).click()
    result = page.get_by_role("region", name="Revised resolution")
    result.wait_for()
    texts = result.locator(".revised-clause .redline").all_inner_texts()
    lettered = [t for t in texts if t[:1].isalpha() and t[1:3] in (") ", " ")]
    assert lettered and all(t[1] == ")" for t in lettered), lettered[:5]


def test_an_upload_keeps_what_compare_and_draft_had_chosen(
    browser: Any, base_url: str, pages: list[Any], tmp_path: Path
) -> None:
    page = at(pages, browser, base_url, LAPTOP)
    page.get_by_role("tab", name="Compare").click()
    page.locator("#compare-base").select_option("wtsa-43-rev-new-delhi-2024")
    page.get_by_role("tabpanel", name="Compare").get_by_label("WRC Res. 72 (Rev. WRC-19)").check()
    page.get_by_role("tab", name="Draft").click()
    with page.expect_response(lambda r: "/documents/wtdc-31-rev-baku-2025" in r.url):
        page.locator("#draft-document").select_option("wtdc-31-rev-baku-2025")
    page.locator("#draft-clause").select_option(index=2)
    clause = page.locator("#draft-clause").input_value()

    source = tmp_path / "WRC-99.txt"
    text = (CORPUS / "WRC-72-Rev-WRC-19.txt").read_text(encoding="utf-8")
    source.write_text(text.replace("RESOLUTION 72 (REV.WRC-19)", "RESOLUTION 99 (WRC-23)"))
    page.get_by_role("tab", name="Upload").click()
    page.get_by_label("File").set_input_files(str(source))
    page.get_by_label("Token").fill("browser-token")
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Ingested WRC-99.txt").wait_for()
    page.locator("#compare-base option[value*='99']").wait_for(state="attached")
    assert page.locator("#compare-base").input_value() == "wtsa-43-rev-new-delhi-2024"
    assert page.locator("#draft-document").input_value() == "wtdc-31-rev-baku-2025"
    assert page.locator("#draft-clause").input_value() == clause
    ticked = page.locator("#compare-with input:checked").evaluate_all("b => b.map(x => x.value)")
    assert ticked == ["wrc-72-rev-wrc-19"]
