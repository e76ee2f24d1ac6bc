"""Wayback CDX lookups against recorded answers, served from 127.0.0.1.

The cassettes (edgi wayback, vcrpy format) are read with PyYAML and their recorded bodies and
headers, gzip encoding included, are served by a local server: the code under test makes real
HTTP requests to ``Options.wayback_url``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from citecheck.errors import ConfigError
from citecheck.options import Options
from citecheck.resolve.wayback import SavePageNow, closest_before, find_snapshot, parse_cdx


def _replay(httpserver: HTTPServer, cassette: Path) -> None:
    interaction = yaml.safe_load(cassette.read_text())["interactions"][0]["response"]
    body = interaction["body"]["string"]
    data = body if isinstance(body, bytes) else body.encode()
    headers = [
        (k, v)
        for k, values in interaction["headers"].items()
        for v in values
        if k.lower() not in ("transfer-encoding", "connection", "content-length")
    ]
    httpserver.expect_request("/cdx/search/cdx").respond_with_response(
        Response(data, status=interaction["status"]["code"], headers=headers)
    )


def test_closest_2xx_snapshot_before_a_date(httpserver: HTTPServer, corpus: Path) -> None:
    _replay(httpserver, corpus / "crossref-json" / "wayback-test_search.yaml")
    options = Options(wayback_url=httpserver.url_for("/"))
    snapshot = find_snapshot("nasa.gov", datetime(1997, 1, 1, tzinfo=UTC), options)
    assert snapshot is not None
    assert snapshot.url.startswith("http://www.nasa.gov") and snapshot.status == 200
    assert snapshot.timestamp <= "19970101000000"
    assert snapshot.replay_url.endswith(f"/web/{snapshot.timestamp}/{snapshot.url}")
    sent = httpserver.log[0][0]
    assert sent.args["url"] == "nasa.gov" and sent.args["to"] == "19970101000000"
    assert find_snapshot("nasa.gov", datetime(1990, 1, 1, tzinfo=UTC), options) is None


def test_blocked_url_gives_no_snapshot(httpserver: HTTPServer, corpus: Path) -> None:
    _replay(
        httpserver, corpus / "crossref-json" / "wayback-test_search_raises_for_blocked_urls.yaml"
    )
    options = Options(wayback_url=httpserver.url_for("/"))
    assert find_snapshot("https://nationalpost.com/health", datetime.now(UTC), options) is None


@pytest.mark.parametrize(
    "name, kept",
    [
        ("wayback-malformed_cdx.txt", 3),
        ("wayback-bad_timestamp_cdx.txt", 3),
        ("wayback-zero_length_cdx.txt", 5),
    ],
)
def test_malformed_cdx_lines_are_skipped(corpus: Path, name: str, kept: int) -> None:
    snapshots = list(parse_cdx((corpus / "crossref-json" / name).read_text()))
    assert len(snapshots) == kept
    assert all(s.url.startswith("http") and "mailto:" not in s.url for s in snapshots)
    assert closest_before(snapshots, datetime.now(UTC)) is not None


def test_zero_length_record_keeps_no_length(corpus: Path) -> None:
    text = (corpus / "crossref-json" / "wayback-zero_length_cdx.txt").read_text()
    assert [s.length for s in parse_cdx(text)][-1] is None


def test_save_page_now_posts_with_credentials_and_polls(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITECHECK_IA_ACCESS_KEY", "key")
    monkeypatch.setenv("CITECHECK_IA_SECRET_KEY", "secret")
    seen: list[Request] = []
    polls = iter([{"status": "pending"}, {"status": "success", "timestamp": "20240501120000"}])

    def save(request: Request) -> Response:
        seen.append(request)
        return Response(json.dumps({"url": request.form["url"], "job_id": "spn2-1"}))

    def status(request: Request) -> Response:
        seen.append(request)
        return Response(json.dumps(next(polls)))

    httpserver.expect_request("/save", method="POST").respond_with_handler(save)
    httpserver.expect_request("/save/status/spn2-1").respond_with_handler(status)
    waits: list[float] = []
    client = SavePageNow(
        Options(wayback_url=httpserver.url_for("/")), interval=0.05, sleep=waits.append
    )
    result = client.save("https://example.org/essay")
    assert (result.status, result.job_id, result.timestamp) == (
        "success",
        "spn2-1",
        "20240501120000",
    )
    assert all(r.headers["Authorization"] == "LOW key:secret" for r in seen)
    assert len(seen) == 3 and len(waits) >= 1 and all(0 < w <= 0.05 for w in waits)


def test_save_page_now_needs_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITECHECK_IA_ACCESS_KEY", raising=False)
    with pytest.raises(ConfigError):
        SavePageNow(Options())
