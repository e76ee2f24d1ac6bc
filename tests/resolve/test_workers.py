"""Sharing a link run between processes: whole hosts per process, the same results."""

from __future__ import annotations

import asyncio
import gc
import pickle
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from citecheck.model import LinkCheck, LinkStatus
from citecheck.pipeline import check
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


def _essay(folder: Path, note_urls: list[str], other_urls: int) -> Path:
    """Notes citing ``note_urls``, and a paragraph naming ``other_urls`` more (not checked:
    body links are not, by default) that still count for the guess before parsing."""
    body = " ".join(f"http://example.invalid/{i}" for i in range(other_urls))
    claims = "".join(f"Claim {i}.[^{i}]\n" for i in range(len(note_urls)))
    notes = "".join(f"[^{i}]: Source, {url}\n" for i, url in enumerate(note_urls))
    path = folder / "essay.md"
    path.write_text(f"# Essay\n\n{body}\n\n{claims}\n{notes}", encoding="utf-8")
    return path


def test_a_large_run_starts_its_child_before_reading_and_shares_with_it(
    two_hosts: list[Web], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _site(two_hosts, 6)
    essay = _essay(tmp_path, list(expected), workers.AUTO_THRESHOLD)
    started: list[subprocess.Popen[bytes]] = []
    spawn = workers._spawn

    def counted() -> subprocess.Popen[bytes]:
        started.append(spawn())
        return started[-1]

    monkeypatch.setattr(workers, "_spawn", counted)
    report = check(essay, replace(FAST, workers=2))
    assert {c.url: c.status for c in report.link_checks} == expected
    assert len(started) == 1, "the standby child took the share; no second child"
    assert started[0].returncode == 0
    assert all(two_hosts[i].hits["/p1"] for i in (0, 1))  # both shares were checked


def test_a_standby_child_is_started_only_when_the_files_promise_a_large_run(
    tmp_path: Path,
) -> None:
    large = _essay(tmp_path, [], workers.AUTO_THRESHOLD)
    small = tmp_path / "small.md"
    small.write_text("A claim.[^1]\n\n[^1]: http://example.invalid/1\n", encoding="utf-8")
    two = replace(FAST, workers=2)
    for files, options, waits in [
        ([str(large)], two, True),
        ([str(small)], two, False),
        ([str(large)], replace(two, offline=True), False),
        ([str(large)], replace(two, workers=1), False),
        ([str(large)], replace(two, check_links=False), False),
        ([str(tmp_path / "missing.md")], two, False),
    ]:
        with workers.standby_for(files, options) as standby:
            assert (standby.since is not None) is waits, (files, options)


def test_a_standby_child_without_a_share_exits_and_one_is_killed_on_an_error() -> None:
    with workers.Standby(1) as standby:
        process = standby.take()
        assert process is not None and standby.take() is None
        standby._processes.append(process)  # still waiting when the block ends
    assert process.returncode == 0, "no share: it read the end of its input and left"
    with pytest.raises(LookupError), workers.Standby(1) as standby:
        waiting = standby.take()
        assert waiting is not None
        standby._processes.append(waiting)
        raise LookupError("the documents could not be read")
    assert waiting.returncode is not None and waiting.returncode < 0  # killed


def test_the_head_start_follows_when_the_child_was_started() -> None:
    fresh = workers.head_start()
    early = workers.head_start(time.monotonic() - 10)
    assert early < fresh
    assert early <= 0, "a child waiting for long is ready before this process"


def test_a_child_whose_run_is_gone_leaves_quietly(two_hosts: list[Web]) -> None:
    """Nobody reads its results (the run was killed): no traceback, a failure code."""
    expected = _site(two_hosts[:1], 3)
    share = [(host_key(url), (url, url)) for url in expected]
    child = subprocess.Popen(
        [sys.executable, "-m", "citecheck.resolve.workers"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=workers._child_environment(),
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdout.close()  # the run that would read the results is gone
    child.stdin.write(pickle.dumps((share, FAST, ())))
    child.stdin.close()
    assert child.wait(30) == 1
    assert child.stderr is not None
    assert b"Traceback" not in child.stderr.read()
    child.stderr.close()
