"""The report in a real headless Chromium: renders, filters, opens evidence, scales to 5,000.

Uses Debian's chromium (``/usr/bin/chromium``, installed by .ci/run) driven by the PyPI
``playwright`` package; Playwright's own browser download is never used. Skipped, with the
reason printed, when either is missing.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from pipeline.report import build_report, load_tables
from pipeline.report.synthetic import synthetic_tables

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures" / "report"
CHROMIUM = os.environ.get("ADCM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _skip(reason: str) -> None:
    print(f"SKIP browser test: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    """A fresh page factory over one Chromium with a fresh user-data-dir."""
    if not Path(CHROMIUM).is_file():
        _skip(f"no chromium binary at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip("the playwright package is not installed (pip install playwright)")
    user_data = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(user_data),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        pages = []

        def new_page():
            page = context.new_page()
            page.errors = []
            page.requests = []
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
            page.on("request", lambda r: page.requests.append(r.url))
            pages.append(page)
            return page

        yield new_page
        for page in pages:
            page.close()
        context.close()


def _open(page, index: Path) -> float:
    start = time.perf_counter()
    page.goto(index.as_uri(), wait_until="load")
    page.wait_for_function("window.__report && window.__report.ready", timeout=30_000)
    return time.perf_counter() - start


def test_report_renders_filters_and_opens_evidence(browser_page, tmp_path):
    index = build_report(load_tables(FIXTURES), tmp_path / "out")
    page = browser_page()
    _open(page, index)

    # the figures render (decoded images with a size), the table has every triple
    for img in ("#heatmap-img", "#matrix-img"):
        assert page.eval_on_selector(img, "i => i.complete && i.naturalWidth") > 300
    assert page.locator("#t-body tr.trow").count() == 4
    assert page.locator("#t-status").inner_text() == "4 triples"

    # filter to one drug
    page.select_option("#f-drug", "sacituzumab govitecan")
    rows = page.locator("#t-body tr.trow")
    assert rows.count() == 1
    assert "sacituzumab govitecan" in rows.first.inner_text()
    assert page.locator("#t-status").inner_text() == "1 of 4 triples match"

    # open its evidence and find the sentence, its highlights and the cited paper's links
    rows.first.click()
    panel = page.locator("#t-body tr.evrow")
    panel.wait_for()
    text = panel.inner_text()
    assert "Loss of SLFN11 expression was associated with resistance to sacituzumab" in text
    assert "Review A: mechanisms of ADC resistance" in text and "Mechanisms" in text
    assert panel.locator("blockquote mark.hl-drug").first.inner_text() == "sacituzumab govitecan"
    assert panel.locator("blockquote mark.hl-mechanism").first.inner_text() == "SLFN11"
    hrefs = panel.locator("a.reflink").evaluate_all("els => els.map(e => e.href)")
    assert "https://pubmed.ncbi.nlm.nih.gov/11111111/" in hrefs
    assert "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC123/" in hrefs

    # sorting by drug puts the generic ADC first
    page.select_option("#f-drug", "")
    page.click("#t-table th[data-key=drug]")
    assert page.locator("#t-body tr.trow").first.inner_text().startswith("▸ antibody-drug")

    # the inferred view is there and marked, and leads back to the extracted triple
    inferred = page.locator("#i-body tr")
    assert inferred.count() == 1 and "inferred" in inferred.first.inner_text()
    inferred.first.locator("a").click()
    page.wait_for_function("document.querySelectorAll('#t-body tr.evrow').length === 1")
    assert "SLFN11" in page.locator("#t-body tr.evrow").inner_text()

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
    assert page.errors == []
    offline = [u for u in page.requests if not u.startswith(("file:", "data:"))]
    assert offline == [], f"the page fetched from the network: {offline}"


def test_5000_triples_load_and_filter_fast(browser_page, tmp_path):
    """Measured numbers are printed; the bounds are generous (shared 2-core CI)."""
    start = time.perf_counter()
    index = build_report(synthetic_tables(5000, seed=1), tmp_path / "out")
    build_s = time.perf_counter() - start
    page = browser_page()
    load_s = _open(page, index)
    init_ms = page.evaluate("window.__report.initMs")
    ready_ms = page.evaluate("window.__report.readyAt")
    assert page.locator("#t-status").inner_text() == "5,000 triples"
    assert page.locator("#t-body tr.trow").count() == 50  # paginated

    filter_ms = page.evaluate(
        """(drug) => {
            const s = document.getElementById('f-drug');
            const t0 = performance.now();
            s.value = drug; s.dispatchEvent(new Event('change'));
            document.body.getBoundingClientRect();  // force style and layout
            return performance.now() - t0;
        }""",
        "trastuzumab deruxtecan",
    )
    drugs = page.locator("#t-body tr.trow td.drug").all_inner_texts()
    assert drugs and all("trastuzumab deruxtecan" in d for d in drugs)
    sort_ms = page.evaluate(
        """() => {
            document.getElementById('f-reset').click();
            const t0 = performance.now();
            document.querySelector('#t-table th[data-key=ment]').click();
            document.body.getBoundingClientRect();
            return performance.now() - t0;
        }"""
    )
    search_ms = page.evaluate(
        """() => new Promise(resolve => {
            const q = document.getElementById('f-q');
            const status = document.getElementById('t-status');
            const t0 = performance.now();
            q.value = 'overcomes'; q.dispatchEvent(new Event('input'));
            const obs = new MutationObserver(() => { obs.disconnect();
                resolve(performance.now() - t0); });
            obs.observe(status, {childList: true, characterData: true, subtree: true});
        })"""
    )
    print(
        f"\n5,000 triples: build_report {build_s:.2f} s, page load to ready {load_s:.2f} s "
        f"(in-page ready at {ready_ms:.0f} ms, script init {init_ms:.0f} ms), "
        f"drug filter {filter_ms:.1f} ms, sort {sort_ms:.1f} ms, "
        f"sentence search {search_ms:.1f} ms (incl. 120 ms debounce), "
        f"page size {index.stat().st_size / 1e6:.1f} MB"
    )
    assert load_s < 15
    assert filter_ms < 1000 and sort_ms < 1000 and search_ms < 2000
    assert page.errors == []
