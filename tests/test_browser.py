"""The HTML pages in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

Each page is opened from a ``file://`` URL; every request the page makes is recorded and must be that file
itself (nothing from a network); a click on a record must highlight its evidence and scroll it into view.
Screenshots go to ``test-artifacts/`` (``SUMMARIZER_ARTIFACTS`` to choose). Skipped where Playwright or Chromium is
missing; ``.ci/run`` installs both and runs these tests (``pytest -m browser``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.config import Settings
from summarizer.eval.gold import load_gold_dir
from summarizer.eval.runner import evaluate, replay_settings, run_cases
from summarizer.htmlview import render_html
from summarizer.timeline import build_timeline
from summarizer.timeline_render import render_timeline

from .support.paths import ROOT

pytestmark = pytest.mark.browser
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
ARTIFACTS = Path(os.environ.get("SUMMARIZER_ARTIFACTS", ROOT / "test-artifacts"))
CASSETTES = ROOT / "cassettes" / "eval" / "cited"
SEEDS = ["seed-000", "seed-001", "seed-002"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def cases() -> dict[str, Any]:
    return {c.id: c for c in load_gold_dir(ROOT / "evals/gold", ROOT)}


def open_page(browser: Any, path: Path) -> tuple[Any, list[str]]:
    """The page at ``path``, opened from file://, with the list of every URL it requested."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, requests


def in_view(page: Any, selector: str) -> bool:
    return bool(
        page.eval_on_selector(
            selector,
            """el => { const r = el.getBoundingClientRect();
        return r.top >= -2 && r.bottom <= window.innerHeight + 2 && r.height > 0; }""",
        )
    )  # sub-pixel scrolls


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def test_summary_page_highlights_and_scrolls_to_a_clicked_records_evidence(
    browser: Any, cases: dict[str, Any], tmp_path: Path
) -> None:
    chosen = [cases[i] for i in SEEDS]
    records = run_cases(chosen, replay_settings(Settings()), live=False, cassette_dir=CASSETTES)
    items = [(c.id, c.article.text, r.prediction) for c, r in zip(chosen, records, strict=True) if r.prediction]
    path = tmp_path / "summaries.html"
    path.write_text(render_html(items, title="Seeds"), encoding="utf-8")
    page, requests = open_page(browser, path)
    assert requests == [path.as_uri()]  # nothing but the file itself
    assert page.locator("nav a").count() == 3
    row = page.locator("#art-3 tr.record").last  # late in the last article: its evidence starts out of view
    first = row.locator("a").first.get_attribute("href")
    assert first and first.startswith("#ev-")
    row.click(position={"x": 5, "y": 5})
    page.wait_for_timeout(600)  # the smooth scroll settles
    assert "pinned" in (page.get_attribute(first, "class") or "")
    assert in_view(page, first)
    shot(page, "summaries-clicked-record.png")
    assert requests == [path.as_uri()]


def test_eval_report_opens_offline_and_a_clicked_prediction_shows_its_evidence(
    browser: Any, cases: dict[str, Any], tmp_path: Path
) -> None:
    from summarizer.eval.htmlreport import render_report

    chosen = [cases[i] for i in SEEDS]
    log = evaluate(chosen, Settings(), live=False, cassette_dir=CASSETTES, gold_dir=ROOT / "evals/gold")
    path = tmp_path / "report.html"
    path.write_text(render_report(log, chosen), encoding="utf-8")
    page, requests = open_page(browser, path)
    assert requests == [path.as_uri()]
    assert page.locator("svg").count() >= 3  # the charts, drawn inline
    link = page.locator("a[href^='#pred-'], a[href^='#ev-'], tr[data-record] a[href^='#']").last
    target = link.get_attribute("href")
    assert target
    link.click()
    page.wait_for_timeout(600)
    assert in_view(page, target)
    shot(page, "report-clicked-prediction.png")
    assert requests == [path.as_uri()]


def test_timeline_page_links_each_event_on_the_time_axis(browser: Any, cases: dict[str, Any], tmp_path: Path) -> None:
    chosen = [cases[i] for i in SEEDS]
    records = run_cases(chosen, replay_settings(Settings()), live=False, cassette_dir=CASSETTES)
    timeline = build_timeline([(c.id, r.prediction) for c, r in zip(chosen, records, strict=True) if r.prediction])
    path = tmp_path / "timeline.html"
    path.write_text(render_timeline(timeline, "html"), encoding="utf-8")
    page, requests = open_page(browser, path)
    shot(page, "timeline-axis.png")
    marker = page.locator("svg.axis a").last
    target = marker.get_attribute("href")
    assert target and target.startswith("#event-")
    marker.click()
    page.wait_for_timeout(300)
    assert in_view(page, target)
    shot(page, "timeline-clicked-event.png")
    assert requests == [path.as_uri()]
