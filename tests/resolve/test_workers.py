"""Sharing a link run between processes: whole hosts per process, the same results."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Iterator
from dataclasses import replace

import pytest

from citecheck.model import LinkCheck, LinkStatus
from citecheck.resolve import collector, workers
from citecheck.resolve.links import check_urls
from citecheck.resolve.urls import host_key
from tests.resolve.local_web import FAST, HTML, Web, page, raw


def test_shares_keep_each_host_whole_and_balance_the_urls() -> None:
    sizes = {"a:80": 50, "b:80": 30, "c:80": 20, "d:80": 10, "e:80": 10}
    items = [
        (host, (f"http://{host}/{i}", f"http://{host}/{i}"))
        for host, n in sizes.items()
        for i in range(n)
    ]
    result = workers.shares(items, 2)
    assert sorted(len(share) for share in result) == [60, 60]
    owners = [{host for host, _ in share} for share in result]
    assert owners[0].isdisjoint(owners[1]) and owners[0] | owners[1] == set(sizes)
    assert sorted(item for share in result for item in share) == sorted(items)


def test_worker_count_is_one_for_small_runs_and_never_more_than_hosts() -> None:
    assert workers.worker_count(None, workers.AUTO_THRESHOLD - 1, 50) == 1
    assert workers.worker_count(None, workers.AUTO_THRESHOLD, 1) == 1
    assert workers.worker_count(3, 10, 2) == 2
    assert workers.worker_count(1, 100_000, 100) == 1


@pytest.fixture
def two_hosts() -> Iterator[list[Web]]:
    servers = [Web(), Web()]
    yield servers
    for server in servers:
        server.close()


def _site(servers: list[Web], per_host: int) -> dict[str, LinkStatus]:
    """URLs on both servers, every third one gone; the status each should get."""
    expected = {}
    for server in servers:
        for i in range(per_host):
            gone = i % 3 == 0
            server.answer(f"/p{i}", raw(404, page("gone")) if gone else raw(200, page("ok"), HTML))
            expected[server.url(f"/p{i}")] = LinkStatus.BROKEN if gone else LinkStatus.OK
    return expected


def test_a_child_process_checks_its_share(two_hosts: list[Web]) -> None:
    expected = _site(two_hosts[:1], 12)
    share = [(host_key(url), (url, url)) for url in expected]
    got: dict[str, LinkCheck] = {}

    async def run() -> workers.Children:
        record = got.__setitem__
        async with workers.Children([share], FAST, (), record) as children:
            pass
        return children

    children = asyncio.run(run())
    assert {url: check.status for url, check in got.items()} == expected
    assert children.unreported == [] and children.counters.responses >= len(expected)
    assert two_hosts[0].hits["/p1"] == ["HEAD"]


def test_a_child_process_reports_malformed_urls_as_invalid() -> None:
    malformed = ["http://[bad", "http://a..b/", "http://example.org:99999/"]
    share = [(host_key(url), (url, url)) for url in malformed]
    got: dict[str, LinkCheck] = {}

    async def run() -> workers.Children:
        async with workers.Children([share], FAST, (), got.__setitem__) as children:
            pass
        return children

    children = asyncio.run(run())
    assert children.unreported == [], "the child did not die"
    assert {url: check.status for url, check in got.items()} == dict.fromkeys(
        malformed, LinkStatus.INVALID
    )


def test_two_processes_give_the_results_of_one(two_hosts: list[Web]) -> None:
    expected = _site(two_hosts, 15)
    alone = asyncio.run(check_urls(list(expected), replace(FAST, workers=1)))
    shared = asyncio.run(check_urls(list(expected), replace(FAST, workers=2)))
    assert {url: check.status for url, check in shared.checks.items()} == expected
    assert [c.status for c in shared.checks.values()] == [c.status for c in alone.checks.values()]
    assert list(shared.checks) == list(expected)  # in the order given


def test_a_child_that_dies_leaves_its_share_to_this_process(
    two_hosts: list[Web], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _site(two_hosts, 6)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # the child exits at once, silent
    shared = asyncio.run(check_urls(list(expected), replace(FAST, workers=2)))
    assert {url: check.status for url, check in shared.checks.items()} == expected
    assert all(two_hosts[i].hits["/p1"] for i in (0, 1))


def test_the_collector_is_restored_after_a_run() -> None:
    before = gc.get_threshold()
    with collector.lean_collector():
        assert gc.get_threshold()[0] == collector.YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_objects_the_caller_froze_stay_frozen() -> None:
    gc.freeze()
    try:
        assert gc.get_freeze_count() > 0
        with collector.lean_collector():
            pass
        # objects frozen by the caller may die meanwhile, but none is unfrozen
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_this_process_takes_a_head_start_of_urls() -> None:
    items = [
        (f"h{h}:80", (f"http://h{h}/{i}", f"http://h{h}/{i}")) for h in range(40) for i in range(25)
    ]
    own, child = workers.shares(items, 2, head_start=100)
    assert len(own) - len(child) == 100
    assert workers.shares(items, 1, head_start=100) == [items]
