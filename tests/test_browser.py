"""The web page in a real Chromium (Debian's package), driven by Playwright.

The server runs uvicorn on a free loopback port in a thread, over the fake library and services
(tests/api_fakes.py). Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import importlib.util
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_fakes import CORPUS, FakeLibrary, FakeServices

from api.app import create_app
from api.deps import get_library, get_services
from assistant.settings import Settings
from tests.conftest import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Chromium missing: apt-get install -y chromium (.ci/run does)"
    ),
]


def serve(app: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free loopback port until the fixture ends."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("home")
    app = create_app(Settings(home=home, api_token="browser-token", rate_limit_per_minute=0))
    library, services = FakeLibrary(), FakeServices()
    app.dependency_overrides[get_library] = lambda: library
    app.dependency_overrides[get_services] = lambda: services
    yield from serve(app)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def real_url(
    _fake_library_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The real library (sample corpus, fake embedder) and the real assistant modules."""
    from assistant.index.library import Library
    from tests.fakes import FakeEmbedder

    home = tmp_path_factory.mktemp("real") / "home"
    shutil.copytree(_fake_library_template, home)
    settings = Settings(home=home, corpus=CORPUS, rate_limit_per_minute=0)
    library = Library(settings, embedder=FakeEmbedder())
    yield from serve(create_app(settings, library=library))


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    yield from open_page(browser, base_url)


@pytest.fixture
def real_page(browser: Any, real_url: str) -> Iterator[Any]:
    yield from open_page(browser, real_url)


def open_page(browser: Any, url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 800}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and "status of 401" not in m.text else None
        ),
    )
    page.goto(url + "/")
    page.wait_for_selector("#compare-base option", state="attached")
    yield page
    context.close()
    assert not errors, errors


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_ask_see_a_cited_answer_and_open_the_citation(page: Any) -> None:
    page.get_by_label("Your question").fill("What about regional preparatory meetings?")
    page.keyboard.press("Enter")
    reply = page.locator(".message.assistant").last
    chip = reply.locator(".chips .chip").first
    chip.wait_for()
    assert "Res." in chip.inner_text()
    assert reply.locator(".badge").count() == 0
    shot(page, "chat-answer")
    chip.click()
    panel = page.get_by_role("complementary", name="Clause")
    panel.locator(".clause-text").wait_for()
    assert panel.locator("dd").first.inner_text().strip()
    assert panel.get_by_role("button", name="Next:").count() == 1
    shot(page, "chat-clause-panel")
    page.keyboard.press("Escape")
    assert panel.is_hidden()


def test_not_found_is_shown_with_related_clauses(page: Any) -> None:
    page.get_by_label("Your question").fill("zebra migration patterns and council fellowships")
    page.get_by_role("button", name="Ask").click()
    reply = page.locator(".message.assistant").last
    reply.locator(".badge").wait_for()
    assert reply.locator(".badge").inner_text() == "Not found"
    assert "Related clauses" in reply.inner_text()
    shot(page, "chat-not-found")


def test_compare_tab_aligns_and_downloads(page: Any) -> None:
    page.get_by_role("tab", name="Compare").click()
    panel = page.get_by_role("tabpanel", name="Compare")
    panel.get_by_label("Resolution").select_option("wtsa-43-rev-new-delhi-2024")
    panel.get_by_label("WTDC Res. 31 (Rev. Baku, 2025)").check()
    panel.get_by_label("WRC Res. 72 (Rev. WRC-19)").check()
    page.get_by_role("button", name="Align clauses").click()
    table = page.get_by_role("table", name="Aligned clauses")
    table.wait_for()
    assert table.locator("th").count() == 4
    assert table.locator("tbody tr").count() > 5
    shot(page, "compare")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download .docx").click()
    assert download.value.suggested_filename.endswith(".docx")


def test_draft_tab_merges_shows_redline_and_downloads(page: Any, tmp_path: Path) -> None:
    page.get_by_role("tab", name="Draft").click()
    panel = page.get_by_role("tabpanel", name="Draft")
    panel.get_by_label("Resolution", exact=True).select_option("pp-58-rev-busan-2014")
    page.locator("#draft-clause option").nth(3).wait_for(state="attached")
    page.get_by_label("For the resolution of").select_option("PP")
    page.get_by_role("button", name="Draft", exact=True).click()
    span = page.locator(".merged .span").first
    span.wait_for()
    assert span.get_attribute("title").startswith("Sources: PP Res. 58")
    assert page.locator(".redline ins").count() >= 1
    gap = page.locator(".merged .span.gap")  # where another source has words the draft lacks
    assert gap.count() == 1
    assert "Other readings: “in the calendar year”" in gap.get_attribute("title")
    differ = page.locator(".alternatives li")
    assert differ.count() == 1 and "or “in the calendar year” (other/id)" in differ.inner_text()
    span.hover()
    shot(page, "draft")
    with page.expect_download() as download:
        page.locator("#draft-docx").click()
    saved = tmp_path / "draft.docx"
    download.value.save_as(saved)
    assert zipfile.is_zipfile(saved)


def test_draft_tab_revises_a_whole_resolution_from_the_keyboard(page: Any) -> None:
    page.get_by_role("tab", name="Draft").click()
    panel = page.get_by_role("tabpanel", name="Draft")
    panel.get_by_label("Resolution", exact=True).select_option("pp-58-rev-busan-2014")
    whole = panel.get_by_label("the whole resolution")
    whole.focus()
    page.keyboard.press("Space")
    assert whole.is_checked() and page.locator("#draft-clause").is_hidden()
    panel.get_by_label("For the resolution of").select_option("PP")
    panel.get_by_role("button", name="Revise", exact=True).focus()
    page.keyboard.press("Enter")
    result = page.get_by_role("region", name="Revised resolution")
    result.wait_for()
    statuses = {s.get_attribute("data-status") for s in result.locator(".revised-clause").all()}
    assert statuses == {"kept", "revised", "added"}
    assert result.locator("ins").count() >= 2 and "MOD" in result.inner_text()
    assert result.get_by_role("button").first.inner_text().startswith("PP Res. 58 (Rev. Doha")
    shot(page, "draft-whole-resolution")
    with page.expect_download() as download:
        panel.get_by_role("button", name="Download .docx").click()
    assert download.value.suggested_filename == "revision-pp-58-rev-busan-2014.docx"
    assert zipfile.is_zipfile(download.value.path())
    panel.get_by_label("a clause").check()
    assert panel.get_by_role("button", name="Draft", exact=True).is_visible()


def test_upload_with_the_token(page: Any, tmp_path: Path) -> None:
    page.get_by_role("tab", name="Upload").click()
    source = tmp_path / "wrc72-copy.txt"
    source.write_bytes((CORPUS / "WRC-72-Rev-WRC-19.txt").read_bytes())
    page.get_by_label("File").set_input_files(str(source))
    page.get_by_label("Token").fill("wrong")
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("alert").wait_for()
    assert "bearer token" in page.get_by_role("alert").inner_text()
    page.get_by_label("Token").fill("browser-token")
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Ingested wrc72-copy.txt").wait_for()
    assert "WRC Res. 72" in page.locator("#upload-result").inner_text()
    shot(page, "upload-done")


def test_tabs_work_from_the_keyboard(page: Any) -> None:
    page.get_by_role("tab", name="Chat").focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("tab", name="Compare").get_attribute("aria-selected") == "true"
    page.keyboard.press("End")
    assert page.locator("#panel-upload").is_visible()
    shot(page, "upload")


def test_draft_tab_leaves_out_the_unticked_resolutions(page: Any) -> None:
    page.get_by_role("tab", name="Draft").click()
    panel = page.get_by_role("tabpanel", name="Draft")
    panel.get_by_label("Resolution", exact=True).select_option("pp-58-rev-busan-2014")
    page.locator("#draft-clause option").nth(3).wait_for(state="attached")
    sources = panel.get_by_role("group", name="Take wording from")
    offered = [box.get_attribute("value") for box in sources.get_by_role("checkbox").all()]
    assert "pp-58-rev-busan-2014" not in offered and "pp-58-rev-doha-2026" in offered
    assert all(box.is_checked() for box in sources.get_by_role("checkbox").all())
    sources.get_by_label("PP Res. 58 (Rev. Doha, 2026)").uncheck()

    def posted(request: Any) -> bool:
        return "/draft" in request.url and request.method == "POST"

    with page.expect_request(posted) as sent:
        panel.get_by_role("button", name="Draft", exact=True).click()
    assert sent.value.post_data_json["exclude_documents"] == ["pp-58-rev-doha-2026"]
    left_out = page.locator("#draft-result .left-out")
    left_out.wait_for()
    assert left_out.inner_text() == "Left out: PP Res. 58 (Rev. Doha, 2026)."
    assert "Doha" not in page.locator("#draft-result .used-documents").inner_text()
    with page.expect_request(posted) as sent, page.expect_download():
        page.locator("#draft-docx").click()
    assert "format=docx" in sent.value.url
    assert sent.value.post_data_json["exclude_documents"] == ["pp-58-rev-doha-2026"]

    panel.get_by_label("a topic").check()  # no document drafted from: every resolution offered
    assert sources.get_by_role("checkbox").count() == 5
    assert not sources.get_by_label("PP Res. 58 (Rev. Doha, 2026)").is_checked()  # kept unticked
    panel.get_by_label("the whole resolution").check()
    offered = [box.get_attribute("value") for box in sources.get_by_role("checkbox").all()]
    assert "pp-58-rev-doha-2026" not in offered  # other versions are never used by a revision
    sources.get_by_label("WRC Res. 72 (Rev. WRC-19)").uncheck()
    with page.expect_request(lambda r: "/revise?" in r.url) as sent:
        panel.get_by_role("button", name="Revise", exact=True).click()
    assert "exclude=wrc-72-rev-wrc-19" in sent.value.url
    result = page.get_by_role("region", name="Revised resolution")
    result.wait_for()
    assert "WRC Res. 72" not in result.locator(".revision-summary").inner_text()
    assert result.locator(".left-out").inner_text() == "Left out: WRC Res. 72 (Rev. WRC-19)."
    with page.expect_request(lambda r: "format=docx" in r.url) as sent, page.expect_download():
        panel.get_by_role("button", name="Download .docx").click()
    assert "exclude=wrc-72-rev-wrc-19" in sent.value.url

    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for box in sources.get_by_role("checkbox").all():
        box.uncheck()
    message = sources.get_by_role("alert")
    assert message.is_visible() and "tick at least one" in message.inner_text()
    panel.get_by_role("button", name="Revise", exact=True).press("Enter")
    assert sources.get_by_role("checkbox").first.evaluate("b => b === document.activeElement")
    assert message.is_visible() and not requests
    shot(page, "draft-take-wording-from")
    sources.get_by_role("checkbox").first.press("Space")
    assert message.is_hidden()


def test_real_stack_question_citation_and_draft(real_page: Any) -> None:
    page = real_page
    page.get_by_label("Your question").fill(
        "What do the resolutions say about the timing of interregional meetings?"
    )
    page.keyboard.press("Enter")
    reply = page.locator(".message.assistant").last
    reply.locator(".chips .chip").first.wait_for()
    assert "Res." in reply.locator(".chips .chip").first.inner_text()
    reply.locator(".chips .chip").first.click()
    page.get_by_role("complementary", name="Clause").locator(".clause-text").wait_for()
    shot(page, "real-chat")
    page.get_by_label("Your question").fill(
        "propose harmonized wording for considering h) of the Doha draft taking WTSA 43 and "
        "WTDC 31 into account"
    )
    page.keyboard.press("Enter")
    reply = page.locator(".message.assistant").nth(1)
    reply.locator(".merged .span").first.wait_for()
    shot(page, "real-chat-draft")
    if importlib.util.find_spec("assistant.word.writer") is not None:
        with page.expect_download() as download:
            reply.get_by_role("button", name="Download the redline (.docx)").click()
        assert download.value.suggested_filename.endswith(".docx")


def test_real_stack_compare_and_draft_tabs(real_page: Any) -> None:
    page = real_page
    page.get_by_role("tab", name="Compare").click()
    panel = page.get_by_role("tabpanel", name="Compare")
    panel.get_by_label("Resolution").select_option("pp-58-rev-doha-2026")
    panel.get_by_label("WTSA Res. 43 (Rev. New Delhi, 2024)").check()
    panel.get_by_label("WTDC Res. 31 (Rev. Baku, 2025)").check()
    panel.get_by_role("button", name="Align clauses").click()
    page.get_by_role("table", name="Aligned clauses").wait_for()
    shot(page, "real-compare")
    with page.expect_download() as download:
        panel.get_by_role("button", name="Download .docx").click()
    assert zipfile.is_zipfile(download.value.path())
    panel.get_by_label("WTSA Res. 43 (Rev. New Delhi, 2024)").uncheck()
    panel.get_by_label("WTDC Res. 31 (Rev. Baku, 2025)").uncheck()
    panel.get_by_label("PP Res. 58 (Rev. Busan, 2014)").check()
    panel.get_by_role("button", name="What changed").click()
    page.get_by_role(
        "heading", name="What changed: PP Res. 58 (Rev. Busan, 2014) → PP Res. 58 (Rev. Doha, 2026)"
    ).wait_for()
    assert page.locator("#compare-result ins").count() > 0
    shot(page, "real-compare-changes")
    page.get_by_role("tab", name="Draft").click()
    panel = page.get_by_role("tabpanel", name="Draft")
    panel.get_by_label("Resolution", exact=True).select_option("pp-58-rev-doha-2026")
    page.locator("#draft-clause option").nth(3).wait_for(state="attached")
    page.locator("#draft-clause").select_option(index=8)
    panel.get_by_role("button", name="Draft", exact=True).click()
    page.locator(".merged .span").first.wait_for()
    assert page.locator(".merged .span").first.get_attribute("title").startswith("Sources:")
    shot(page, "real-draft")
    with page.expect_download() as download:
        page.locator("#draft-docx").click()
    assert zipfile.is_zipfile(download.value.path())
    panel.get_by_label("the whole resolution").check()
    panel.get_by_label("Resolution", exact=True).select_option("pp-58-rev-busan-2014")
    panel.get_by_role("group", name="Take wording from").get_by_label("WRC Res. 72").uncheck()
    panel.get_by_role("button", name="Revise", exact=True).click()
    result = page.get_by_role("region", name="Revised resolution")
    result.wait_for()
    assert result.locator(".left-out").inner_text() == "Left out: WRC Res. 72 (Rev. WRC-19)."
    assert "WRC Res. 72" not in " ".join(
        result.locator(".revision-summary, .chips").all_inner_texts()
    )
    assert result.locator(".revised-clause.revised").count() >= 1
    assert result.locator("ins").count() >= 1
    updated = result.locator(".updated-citations li").all_inner_texts()
    assert any("(Rev. Dubai, 2012) → (Rev. New Delhi, 2024)" in line for line in updated)
    assert not any("WRC-07" in line for line in updated)  # WRC Res. 72 was left out
    shot(page, "real-draft-whole-resolution")
    with page.expect_download() as download:
        panel.get_by_role("button", name="Download .docx").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        assert "<w:ins " in archive.read("word/document.xml").decode()


def test_chat_revises_a_whole_resolution(real_page: Any) -> None:
    """A revise request in the chat: the summary, the changed clauses with their sources, and
    the Word redline (GET /revise)."""
    page = real_page
    page.get_by_label("Your question").fill(
        "Propose a harmonized revision of the whole of PP-58 for the Plenipotentiary"
    )
    page.keyboard.press("Enter")
    reply = page.locator(".message.assistant").last
    result = reply.get_by_role("region", name="Revised resolution")
    result.wait_for()
    assert reply.locator(".text").first.inner_text().startswith("PP Res. 58 (Rev. Busan, 2014)")
    statuses = {s.get_attribute("data-status") for s in result.locator(".revised-clause").all()}
    assert statuses == {"revised", "added"}  # the kept clauses are left out
    assert result.locator(".revision-summary").inner_text().startswith("For PP, with ")
    assert result.locator(".revised-clause .chip").count() >= 2
    shot(page, "chat-revision")
    with page.expect_download() as download:
        reply.get_by_role("button", name="Download the redline (.docx)").click()
    assert download.value.suggested_filename == "revision-pp-58-rev-busan-2014.docx"
    assert zipfile.is_zipfile(download.value.path())
