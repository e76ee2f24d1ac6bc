"""The authority replaying real Crossref and doi.org recordings (cassettes/) and local servers."""

from __future__ import annotations

from pathlib import Path

import pytest
import vcr
from pytest_httpserver import HTTPServer

from citecheck.model import Person, Reference
from citecheck.options import Options
from citecheck.resolve.authority import Authority, LookupStatus
from citecheck.resolve.authority_records import from_csl

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
OFFLINE_CACHE = Options(cache=None, max_retries=0)


def _recorder() -> vcr.VCR:
    return vcr.VCR(cassette_library_dir=str(CASSETTES), record_mode="none")


def test_works_message_from_habanero_recording() -> None:
    with (
        _recorder().use_cassette("crossref-works-200-habanero-test_works_with_one_id.yaml"),
        Authority(OFFLINE_CACHE) as authority,
    ):
        answer = authority.by_doi("10.1371/journal.pone.0033693")
    assert answer.status is LookupStatus.FOUND and answer.record is not None
    record = answer.record
    assert record.source == "Crossref"
    assert record.reference.title == (
        "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of Microglia "
        "in the Basal Ganglia of Mice"
    )
    assert record.reference.container == "PLoS ONE"
    assert (record.reference.volume, record.reference.issue) == ("7", "3")
    assert record.reference.pages == "e33693"
    assert record.reference.year == "2012" and record.reference.date == "2012-03-21"
    assert record.reference.authors[0] == Person("Sadasivan", "Shankar")
    assert len(record.reference.authors) == 6
    assert record.reference.kind == "article-journal"
    assert record.reference.publisher == "Public Library of Science (PLoS)"
    assert record.published_online == "2012-03-21"
    assert not record.retracted


def test_unknown_doi_is_not_found_without_raising() -> None:
    cassette = "crossref-404-habanero-test_works_bad_id_warn.agency-handwritten.yaml"
    with _recorder().use_cassette(cassette) as played, Authority(OFFLINE_CACHE) as authority:
        answer = authority.by_doi("10.1371/notarealdoi")
    assert answer.status is LookupStatus.NOT_FOUND
    assert answer.record is None
    assert played.play_count == 2


def test_doi_org_404_from_habanero_recording() -> None:
    cassette = (
        "doi-404-habanero-test_content_negotiation_raises_an_http_error_with_bad_requests.yaml"
    )
    with _recorder().use_cassette(cassette), Authority(OFFLINE_CACHE) as authority:
        answer = authority.csl("10.1126/foo")
    assert answer.status is LookupStatus.NOT_FOUND
    assert answer.url == "https://doi.org/10.1126/foo"


def test_400_validation_failure_is_an_error_answer() -> None:
    reference = Reference(
        authors=(Person("Ahmadov"), Person("Sasse")),
        title="A Voice Despite Exit",
        container="Comparative Political Studies",
        year="2015",
    )
    with (
        _recorder().use_cassette("crossref-400-rcrossref-cr_works_fails_well.yaml"),
        Authority(OFFLINE_CACHE) as authority,
    ):
        answer = authority.search(reference)
    assert answer.status is LookupStatus.ERROR
    assert answer.detail.startswith("HTTP 400: Integer specified as 200")


def test_csl_json_content_negotiation_follows_doi_org() -> None:
    with (
        _recorder().use_cassette("doi-csl-json-habanero-test_content_negotiation.yaml") as played,
        Authority(OFFLINE_CACHE) as authority,
    ):
        answer = authority.csl("10.1126/science.169.3946.635")
    assert played.play_count == 2
    assert answer.status is LookupStatus.FOUND and answer.record is not None
    reference = answer.record.reference
    assert answer.record.source == "Crossref"
    assert reference.title is not None and reference.title.startswith(
        "The Structure of Ordinary Water"
    )
    assert reference.container == "Science"
    assert (reference.volume, reference.issue, reference.year) == ("169", "3946", "1970")
    assert reference.authors[0].family == "Frank"


def test_datacite_doi_goes_to_doi_org_after_the_agency() -> None:
    cassette = "doi-datacite-rcrossref-cr_cn_different_base_urls.handwritten-csl.yaml"
    with _recorder().use_cassette(cassette) as played, Authority(OFFLINE_CACHE) as authority:
        answer = authority.by_doi("10.5284/1011335")
    assert played.play_count == 3
    assert answer.status is LookupStatus.FOUND and answer.record is not None
    assert answer.record.source == "DataCite"
    assert answer.record.reference.authors == (Person("AC Archaeology Ltd."),)
    assert answer.record.reference.year == "2011"
    assert answer.record.reference.publisher == "Archaeology Data Service"


def test_retraction_in_crossref_update_format() -> None:
    with (
        _recorder().use_cassette("crossref-retraction-lancet-1998.handwritten.yaml"),
        Authority(OFFLINE_CACHE) as authority,
    ):
        original = authority.by_doi("10.1016/S0140-6736(97)11096-0")
        notice = authority.by_doi("10.1016/s0140-6736(10)60175-4")
    assert original.record is not None and notice.record is not None
    assert original.record.retracted
    assert original.record.notices == ("10.1016/s0140-6736(10)60175-4",)
    assert not notice.record.retracted
    assert notice.record.retracts == ("10.1016/s0140-6736(97)11096-0",)


def test_retracted_title_and_relation_mark_a_retraction() -> None:
    titled = from_csl({"title": ["RETRACTED: A study"], "DOI": "10.1/x"}, "Crossref")
    related = from_csl(
        {"title": ["A study"], "relation": {"is-retracted-by": [{"id": "10.1/notice"}]}}, "Crossref"
    )
    assert titled.retracted and related.retracted
    assert related.notices == ("10.1/notice",)
    assert not from_csl({"title": ["A study"]}, "Crossref").retracted


def test_year_is_the_issue_year_when_issued_is_the_online_date() -> None:
    record = from_csl(
        {
            "issued": {"date-parts": [[2015, 8, 20]]},
            "published-online": {"date-parts": [[2015, 8, 20]]},
            "published-print": {"date-parts": [[2016, 1]]},
        },
        "Crossref",
    )
    assert record.reference.year == "2016" and record.published_online == "2015-08-20"


def _work(doi: str, title: str, score: float, family: str, year: int) -> dict[str, object]:
    return {
        "DOI": doi,
        "title": [title],
        "score": score,
        "author": [{"family": family, "given": "A."}],
        "issued": {"date-parts": [[year]]},
    }


def _search_options(server: HTTPServer, **extra: object) -> Options:
    return Options(cache=None, max_retries=1, crossref_url=server.url_for("").rstrip("/"), **extra)  # type: ignore[arg-type]


REFERENCE = Reference(
    authors=(Person("Ahmadov", "A. K."),),
    title="A Voice Despite Exit",
    container="Comparative Political Studies",
    year="2015",
)


def test_search_accepts_a_clear_candidate_that_agrees(httpserver: HTTPServer) -> None:
    items = [
        _work(
            "10.1177/0010414015600468",
            "A Voice Despite Exit: The Role of Assimilation",
            80,
            "Ahmadov",
            2016,
        ),
        _work("10.1/other", "Exit, Voice, and Loyalty", 20, "Hirschman", 1970),
    ]
    httpserver.expect_request("/works").respond_with_json({"message": {"items": items}})
    with Authority(_search_options(httpserver)) as authority:
        answer = authority.search(REFERENCE)
    assert answer.status is LookupStatus.FOUND and answer.record is not None
    assert answer.record.reference.doi == "10.1177/0010414015600468"
    request = httpserver.log[0][0]
    assert request.args["rows"] == "5"
    assert "Voice Despite Exit" in request.args["query.bibliographic"]


def test_search_refuses_a_close_runner_up(httpserver: HTTPServer) -> None:
    items = [
        _work("10.1/a", "A Voice Despite Exit", 50, "Ahmadov", 2016),
        _work("10.1/b", "A Voice Despite Exit", 48, "Ahmadov", 2015),
    ]
    httpserver.expect_request("/works").respond_with_json({"message": {"items": items}})
    with Authority(_search_options(httpserver)) as authority:
        answer = authority.search(REFERENCE)
    assert answer.status is LookupStatus.NOT_FOUND
    assert "clearly ahead" in answer.detail


def test_search_refuses_another_work(httpserver: HTTPServer) -> None:
    items = [_work("10.1/a", "Exit, Voice, and Loyalty", 90, "Hirschman", 1970)]
    httpserver.expect_request("/works").respond_with_json({"message": {"items": items}})
    with Authority(_search_options(httpserver)) as authority:
        answer = authority.search(REFERENCE)
    assert answer.status is LookupStatus.NOT_FOUND and "another work" in answer.detail


def test_polite_pool_sends_mailto(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITECHECK_MAILTO", "editor@example.org")
    httpserver.expect_request("/works/10.1/x").respond_with_json({"message": {"title": ["X"]}})
    with Authority(_search_options(httpserver)) as authority:
        authority.by_doi("10.1/x")
    request = httpserver.log[0][0]
    assert request.args["mailto"] == "editor@example.org"
    assert request.headers["User-Agent"].endswith("(mailto:editor@example.org)")


def test_retry_after_is_honoured_with_an_injected_sleeper(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/works/10.1/x").respond_with_data(
        "Too many requests", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/works/10.1/x").respond_with_json(
        {"message": {"title": ["X"]}},
        headers={"x-rate-limit-limit": "5", "x-rate-limit-interval": "1s"},
    )
    httpserver.expect_ordered_request("/works/10.1/y").respond_with_json(
        {"message": {"title": ["Y"]}}
    )
    slept: list[float] = []
    clock = iter([0.0, 0.0, 0.0, 0.05, 0.05, 0.05])
    with Authority(
        _search_options(httpserver), sleep=slept.append, clock=lambda: next(clock)
    ) as authority:
        first = authority.by_doi("10.1/x")
        second = authority.by_doi("10.1/y")
    assert first.status is LookupStatus.FOUND and second.status is LookupStatus.FOUND
    assert slept[0] == 7.0
    assert slept[1] == pytest.approx(0.15)  # 5 per second: 0.2 s apart, 0.05 s already gone


def test_rate_limit_that_persists_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/works/10.1/x").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    slept: list[float] = []
    with Authority(_search_options(httpserver), sleep=slept.append) as authority:
        answer = authority.by_doi("10.1/x")
    assert answer.status is LookupStatus.ERROR and "rate limited" in answer.detail
    assert slept == []  # an hour is beyond the cap: give up rather than wait


def test_network_failure_is_an_answer_not_an_exception(httpserver: HTTPServer) -> None:
    url = httpserver.url_for("").rstrip("/")
    httpserver.stop()
    with Authority(Options(cache=None, crossref_url=url, max_retries=0)) as authority:
        answer = authority.by_doi("10.1/x")
    httpserver.start()
    assert answer.status is LookupStatus.ERROR and answer.detail.startswith("cannot connect")


def test_open_library_isbn(httpserver: HTTPServer) -> None:
    book = {
        "title": "The Putin Exodus",
        "subtitle": "The New Russian Brain Drain",
        "authors": [{"name": "J. E. Herbst"}, {"name": "S. Erofeev"}],
        "publishers": [{"name": "Atlantic Council"}],
        "publish_date": "2019",
    }
    httpserver.expect_request(
        "/api/books",
        query_string={"bibkeys": "ISBN:9781619775817", "format": "json", "jscmd": "data"},
    ).respond_with_json({"ISBN:9781619775817": book})
    httpserver.expect_request("/api/books").respond_with_json({})
    options = Options(cache=None, openlibrary_url=httpserver.url_for("").rstrip("/"))
    with Authority(options) as authority:
        answer = authority.by_isbn("978-1-61977-581-7")
        missing = authority.by_isbn("978-0-00-000000-2")
    assert answer.status is LookupStatus.FOUND and answer.record is not None
    reference = answer.record.reference
    assert answer.record.source == "Open Library"
    assert reference.title == "The Putin Exodus: The New Russian Brain Drain"
    assert reference.authors == (Person("Herbst", "J. E."), Person("Erofeev", "S."))
    assert (reference.year, reference.publisher) == ("2019", "Atlantic Council")
    assert missing.status is LookupStatus.NOT_FOUND


def test_cache_serves_offline_runs(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/works/10.1/x").respond_with_json({"message": {"title": ["X"]}})
    cache = str(tmp_path / "cache.sqlite")
    online = Options(cache=cache, crossref_url=httpserver.url_for("").rstrip("/"))
    with Authority(online) as authority:
        assert authority.by_doi("10.1/X").status is LookupStatus.FOUND
    offline = Options(cache=cache, crossref_url=online.crossref_url, offline=True, max_cache_age=0)
    with Authority(offline) as authority:
        again = authority.by_doi("10.1/x")
        unknown = authority.by_doi("10.1/y")
    assert again.record is not None and again.record.reference.title == "X"
    assert unknown.status is LookupStatus.OFFLINE
    assert len(httpserver.log) == 1
