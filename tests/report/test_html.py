"""The HTML report: escaping, links between markers and notes, and a real browser."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright

from citecheck.model import (
    Document,
    Finding,
    Link,
    LinkCheck,
    LinkStatus,
    Marker,
    Note,
    Report,
    Severity,
)
from citecheck.options import Options
from citecheck.pipeline import check
from citecheck.report.html_format import render

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def essay_report(essay: Path) -> Report:
    """citecheck's own report on the example essay (links not fetched)."""
    return check(essay, Options(offline=True, cache=None))


@pytest.fixture(scope="module")
def essay_html(essay_report: Report) -> str:
    return render(essay_report)


def script_report(title: str = "citecheck report") -> Report:
    hostile = "<script>document.title = 'owned'; window.owned = true;</script>"
    text = f'An essay.1 It quotes <img src=x onerror="window.owned=true">.\n\n1. {hostile}\n'
    note = Note(
        "1",
        3,
        1,
        hostile,
        links=(Link("javascript:window.owned=true", 3, 5, "javascript:window.owned=true"),),
    )
    document = Document(
        "essay <b>.md", "markdown", text, markers=(Marker("1", 1, 10),), notes=(note,)
    )
    finding = Finding(
        "unused-note",
        Severity.WARNING,
        document.path,
        3,
        1,
        "1",
        f"Note {hostile} is never referenced.",
        url="javascript:window.owned=true",
    )
    return Report((document,), (finding,))


# -- the page as text -------------------------------------------------------------------------


def test_markers_and_notes_link_both_ways(essay_html: str) -> None:
    marker = re.search(r'<a class="marker[^"]*" id="(d0-m0)" href="#(d0-n\d+)"', essay_html)
    assert marker is not None
    note_id = marker[2]
    assert f'<span class="note" id="{note_id}">[1] The related episode' in essay_html
    assert re.search(rf'id="{note_id}">[^\n]*<a class="backref" href="#d0-m0"', essay_html)


def test_marker_without_note_is_marked_dangling(essay_html: str) -> None:
    assert re.search(
        r'<a class="marker flagged sev-error dangling" id="d0-m5" title="note 6 '
        r'does not exist">6</a>',
        essay_html,
    )


def test_duplicate_note_label_links_to_the_first(essay_html: str) -> None:
    marker_five = re.search(r'id="d0-m4" href="#(d0-n\d+)"', essay_html)
    assert marker_five is not None
    assert marker_five[1] == "d0-n4"
    assert '<span class="note flagged sev-error" id="d0-n5">' in essay_html


def test_findings_stand_in_the_row_of_their_line(essay_report: Report, essay_html: str) -> None:
    assert len(essay_report.findings) == 3
    for item in essay_report.findings:
        row = essay_html.split(f'id="d0-L{item.line}"', 1)[1].split('<div class="row', 1)[0]
        assert f'data-rule="{item.rule}"' in row


def test_script_in_note_is_rendered_as_text() -> None:
    page = render(script_report())
    assert page.count("<script") == 1
    assert "&lt;script&gt;document.title = &#39;owned&#39;" in page
    assert "&lt;img src=x onerror=" in page
    assert 'href="javascript:' not in page
    assert "essay &lt;b&gt;.md" in page


def test_an_unparseable_url_is_shown_not_linked(tmp_path: Path) -> None:
    essay = tmp_path / "e.md"
    essay.write_text("A.[^1]\n\n[^1]: See http://[bad/page for it.\n", encoding="utf-8")
    page = render(check([essay], Options(offline=True)))
    assert "http://[bad/page" in page and 'href="http://[bad' not in page


def test_citation_findings_name_the_key_and_a_lone_found_value_stands_alone() -> None:
    document = Document("paper.tex", "latex", "Text \\cite{nokey}.\n")
    findings = (
        Finding("undefined-citation", Severity.ERROR, "paper.tex", 1, 6, "nokey", "Undefined."),
        Finding(
            "invalid-isbn",
            Severity.ERROR,
            "paper.tex",
            1,
            1,
            "2",
            "Bad ISBN.",
            found="9780000000001",
        ),
    )
    page = render(Report((document,), findings))
    assert '<span class="label">key nokey</span>' in page
    assert '<span class="label">note 2</span>' in page
    assert "found <q>9780000000001</q>" in page and "expected <q>None</q>" not in page


def test_page_is_self_contained(essay_html: str) -> None:
    assert not re.search(r"<link\b|\bsrc=|@import|url\(", essay_html)
    script = essay_html.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in essay_html


def test_sources_table_shows_status_archive_and_metadata() -> None:
    url = "https://example.org/paper"
    snapshot = "https://web.archive.org/web/2020/https://example.org/paper"
    note = Note(
        "1",
        3,
        1,
        f"Paper, {url}, archived {snapshot}",
        links=(Link(url, 3, 8, url), Link(snapshot, 3, 40, snapshot)),
    )
    document = Document(
        "a.txt", "text", "Text.1\n\n[1] Paper\n", markers=(Marker("1", 1, 6),), notes=(note,)
    )
    mismatch = Finding(
        "metadata-mismatch",
        Severity.ERROR,
        "a.txt",
        3,
        1,
        "1",
        "Volume is 12, the publisher says 21.",
        field="volume",
        expected="21",
        found="12",
        source="crossref",
    )
    page = render(Report((document,), (mismatch,), (LinkCheck(url, LinkStatus.SOFT_404, 200),)))
    table = page.split('<table class="sources">', 1)[1]
    assert '<span class="status status-soft_404 bad">soft_404 200</span>' in table
    assert f'<a href="{snapshot}" rel="noopener noreferrer">' in table
    assert "<code>metadata-mismatch</code>: Volume is 12, the publisher says 21." in table
    assert table.count(f'<a href="{url}"') == 1


def test_findings_off_the_text_and_in_other_files_are_listed() -> None:
    document = Document("a.docx", "docx", "Body.\n", markers=(), notes=())
    far = Finding(
        "unused-note",
        Severity.WARNING,
        "a.docx",
        0,
        0,
        "3",
        "Note 3 is unused.",
        location="footnotes, note 3",
    )
    other = Finding("bib-syntax-error", Severity.ERROR, "refs.bib", 4, 1, None, "Unclosed brace.")
    page = render(Report((document,), (far, other)))
    loose = page.split('<div class="loose">', 1)[1].split('<div class="text"', 1)[0]
    assert "Note 3 is unused." in loose and "footnotes, note 3" in loose
    assert "refs.bib:4" in page.split("<h2>Other files</h2>", 1)[1]


def test_findings_in_an_included_file_are_listed_not_placed_on_the_main_text() -> None:
    chapter = "ch/two.tex"
    document = Document(
        "main.tex",
        "latex",
        "Main.\\footnote{One.}\n\\input{ch/two}\n",
        markers=(Marker("1", 1, 6), Marker("2", 1, 5, path=chapter)),
        notes=(Note("1", 1, 6, "One."), Note("2", 1, 5, "Two.", path=chapter)),
        included_paths=(chapter,),
    )
    message = "year: the note has '1999', bibliography has '2001'"
    mismatch = Finding("metadata-mismatch", Severity.ERROR, chapter, 1, 5, "2", message)
    page = render(Report((document,), (mismatch,)))
    loose = page.split('<div class="loose">', 1)[1].split('<div class="text"', 1)[0]
    text = page.split('<div class="text"', 1)[1].split("<h3>Sources</h3>", 1)[0]
    table = page.split('<table class="sources">', 1)[1]
    assert f'<p class="where">{chapter}:1</p>' in loose and "1999" in loose
    assert "1999" not in text and 'id="d0-m1"' not in text and 'id="d0-n1"' not in text
    assert 'href="#d0-n0"' in text
    assert '<tr id="d0-n1">' in table and f"{chapter}:1" in table and "1999" in table
    assert "Other files" not in page


def test_summary_counts_by_severity_and_rule(essay_html: str) -> None:
    assert '<li class="count sev-error"><span class="figure">2</span> error</li>' in essay_html
    rules = essay_html.split('<table class="rules">', 1)[1].split("</table>", 1)[0]
    assert rules.index("duplicate-note") < rules.index("unattributed-quote")
    assert '<td class="num">1</td>' in rules


# -- the page in a browser -------------------------------------------------------------------


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[BrowserContext]:
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


# Elements reaching, or whose text reaches, past the viewport outside any scrolling box.
OVERFLOWING = """(width) => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 0.5
    || (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1))
  .filter(el => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return false;
    }
    return true;
  })
  .map(el => `${el.tagName.toLowerCase()}.${el.className}`).slice(0, 10)"""


def _open(context: BrowserContext, path: Path, html: str) -> Page:
    path.write_text(html, encoding="utf-8")
    page = context.new_page()
    page.goto(path.as_uri())
    return page


def test_findings_show_beside_their_markers_and_filters_hide_them(
    browser: BrowserContext, tmp_path: Path, essay_html: str
) -> None:
    page = _open(browser, tmp_path / "report.html", essay_html)
    marker = page.locator("#d0-m5")
    missing = page.locator('.finding[data-rule="missing-note"]')
    quote = page.locator('.finding[data-rule="unattributed-quote"]')
    assert marker.is_visible() and missing.is_visible() and quote.is_visible()
    row = page.locator(".row", has=missing)
    assert row.locator("#d0-m5").count() == 1
    marker_box, card_box = marker.bounding_box(), missing.bounding_box()
    assert marker_box is not None and card_box is not None
    assert card_box["x"] > marker_box["x"]
    row_box = row.bounding_box()
    assert row_box is not None
    assert row_box["y"] <= card_box["y"] < row_box["y"] + row_box["height"]
    page.screenshot(path=str(tmp_path / "essay.png"), full_page=True)

    page.get_by_label("error (2)").uncheck()
    assert not missing.is_visible()
    assert not page.locator('.finding[data-rule="duplicate-note"]').is_visible()
    assert quote.is_visible()
    page.get_by_label("unattributed-quote (1)").uncheck()
    assert not quote.is_visible()
    page.get_by_label("error (2)").check()
    assert missing.is_visible()
    page.screenshot(path=str(tmp_path / "filtered.png"), full_page=True)
    assert (tmp_path / "essay.png").stat().st_size > 10_000


def test_marker_leads_to_its_note_and_back(
    browser: BrowserContext, tmp_path: Path, essay_html: str
) -> None:
    page = _open(browser, tmp_path / "report.html", essay_html)
    page.locator("#d0-m0").click()
    assert page.evaluate("location.hash") == "#d0-n0"
    page.locator("#d0-n0 .backref").click()
    assert page.evaluate("location.hash") == "#d0-m0"


@pytest.fixture
def deep_essay_html(tmp_path: Path, essay: Path) -> str:
    """The report on the essay at a deep path with no break opportunity, as in a CI checkout."""
    deep = tmp_path / "checkouts_of_the_project_under_a_long_directory_name" / essay.name
    deep.parent.mkdir()
    deep.write_bytes(essay.read_bytes())
    return render(check(deep, Options(offline=True, cache=None)))


def test_readable_on_a_phone_and_in_print(
    deep_essay_html: str, browser: BrowserContext, tmp_path: Path
) -> None:
    page = _open(browser, tmp_path / "report.html", deep_essay_html)
    # 320 px is the narrowest phone in use; checking there leaves room for wider fonts.
    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        wide = page.evaluate(OVERFLOWING, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
    page.set_viewport_size({"width": 390, "height": 844})
    missing = page.locator('.finding[data-rule="missing-note"]')
    line = page.locator(".row", has=missing).locator(".line").bounding_box()
    card = missing.bounding_box()
    assert line is not None and card is not None
    assert card["y"] >= line["y"] + line["height"] - 1
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator(".filters").is_visible()
    assert page.locator('.finding[data-rule="missing-note"]').is_visible()
    assert page.pdf().startswith(b"%PDF")


def test_script_in_a_note_does_not_run(browser: BrowserContext, tmp_path: Path) -> None:
    page = _open(browser, tmp_path / "hostile.html", render(script_report()))
    assert page.title() == "citecheck report: essay <b>.md"
    assert page.evaluate("window.owned === undefined")
    assert "<script>document.title = 'owned'" in page.locator("#d0-n0").inner_text()
    page.locator('input[value="warning"]').uncheck()
    assert not page.locator(".finding").first.is_visible()
