"""Archiving throughput: citecheck against wget --warc-file on the same local site.

The site (200 pages, each with an image, a shared stylesheet and script, plus 5 PDFs) is
served by aiohttp in a separate process on 127.0.0.1. Both tools fetch the same URLs: citecheck
from the notes of a document (with assets, called in this process), wget from a URL list (-i).
Each round runs both, in alternating order, so that a noisy machine weighs on both alike; it
prints MB/s, records/s, CPU seconds of the tool and of the server, and the ratio of the two
tools in that round. The median ratio closes the table.

    .venv/bin/python benchmarks/archive.py [--pages 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from citecheck.model import Document, Link, Note
from citecheck.options import Options
from citecheck.resolve.archive import archive_documents


def build_site(root: Path, pages: int) -> list[str]:
    """Write the site; returns the paths a full capture fetches."""
    rng = random.Random(1)
    (root / "s.css").write_text("body{font:16px serif}" * 200)
    (root / "s.js").write_text("console.log('x');" * 300)
    paths = ["/s.css", "/s.js"]
    for i in range(pages):
        (root / f"i{i}.jpg").write_bytes(rng.randbytes(20_000))
        text = " ".join(rng.choice(["freedom", "school", "citizen", "reason"]) for _ in range(2500))
        (root / f"p{i}.html").write_text(
            f"<html><head><link rel=stylesheet href='/s.css'><script src='/s.js'></script>"
            f"</head><body><h1>Page {i}</h1><img src='/i{i}.jpg'><p>{text}</p></body></html>"
        )
        paths += [f"/p{i}.html", f"/i{i}.jpg"]
    for i in range(5):
        (root / f"d{i}.pdf").write_bytes(b"%PDF-1.4\n" + rng.randbytes(1_000_000))
        paths.append(f"/d{i}.pdf")
    return paths


def serve(root: str, port: int) -> None:
    from aiohttp import web

    app = web.Application()
    app.router.add_static("/", root)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.1).close()
            return
        except OSError:
            time.sleep(0.05)


def warc_stats(paths: list[Path]) -> tuple[int, int]:
    """(response records, payload bytes) in the WARCs."""
    records = size = 0
    for path in paths:
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    records += 1
                    size += len(record.content_stream().read())
    return records, size


@dataclass(frozen=True)
class Run:
    tool: str
    seconds: float
    cpu: float
    server_cpu: float
    records: int
    size: int

    @property
    def rate(self) -> float:
        return self.size / self.seconds / 1e6

    def row(self) -> str:
        return (
            f"{self.tool:10} {self.records:5d} {self.size / 1e6:6.1f} {self.seconds:6.2f} "
            f"{self.rate:6.1f} {self.records / self.seconds:7.1f} {self.cpu:6.2f} "
            f"{self.server_cpu:6.2f}"
        )


def process_cpu(pid: int) -> float:
    """User and system CPU seconds of a running process (from /proc)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def measure(tool: str, server: int, out: Path, run: Callable[[], None]) -> Run:
    who = resource.RUSAGE_SELF if tool == "citecheck" else resource.RUSAGE_CHILDREN
    cpu, served = own_cpu(who), process_cpu(server)
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    cpu, served = own_cpu(who) - cpu, process_cpu(server) - served
    records, size = warc_stats(list(out.glob("*.warc.gz")))
    return Run(tool, seconds, cpu, served, records, size)


def run_citecheck(base: str, pages: int, out: Path) -> None:
    urls = [f"{base}/p{i}.html" for i in range(pages)] + [f"{base}/d{i}.pdf" for i in range(5)]
    notes = tuple(
        Note(str(n + 1), n + 1, 1, u, links=(Link(u, n + 1, 1, u),)) for n, u in enumerate(urls)
    )
    document = Document("bench.md", "markdown", "", notes=notes)
    archive_documents(
        [document], str(out), Options(allow_private=True, per_host=8), with_assets=True
    )


def run_wget(base: str, paths: list[str], out: Path) -> None:
    subprocess.run(
        [
            "/usr/bin/wget",
            "-q",
            "-i",
            "urls.txt",
            "--warc-file=wget",
            "--no-warc-keep-log",
            "--delete-after",
            "-P",
            "files",
        ],
        cwd=out,
        check=False,
    )


def one_round(
    number: int, base: str, pages: int, paths: list[str], server: int, root: Path
) -> float:
    wget_out, cc_out = root / f"wget{number}", root / f"cc{number}"
    wget_out.mkdir()
    (wget_out / "urls.txt").write_text("".join(f"{base}{p}\n" for p in paths))
    runs = {
        "wget": lambda: measure("wget", server, wget_out, lambda: run_wget(base, paths, wget_out)),
        "citecheck": lambda: measure(
            "citecheck", server, cc_out, lambda: run_citecheck(base, pages, cc_out)
        ),
    }
    order = ["wget", "citecheck"] if number % 2 == 0 else ["citecheck", "wget"]
    done = {name: runs[name]() for name in order}
    ratio = done["citecheck"].rate / done["wget"].rate
    for name in ("wget", "citecheck"):
        print(
            f"{number:5d} " + done[name].row() + (f" {ratio:6.2f}" if name == "citecheck" else "")
        )
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        (root / "site").mkdir()
        paths = build_site(root / "site", arguments.pages)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = multiprocessing.get_context("spawn").Process(
            target=serve, args=(str(root / "site"), port), daemon=True
        )
        server.start()
        wait_for(port)
        base = f"http://127.0.0.1:{port}"
        print(f"cpus {os.cpu_count()}; citecheck runs in this process, wget as a child")
        print("round tool       resp.     MB   wall   MB/s  recs/s   CPU s server  ratio")
        try:
            ratios = [
                one_round(n, base, arguments.pages, paths, server.pid or 0, root)
                for n in range(arguments.rounds)
            ]
        finally:
            server.kill()
        print(
            f"ratio citecheck/wget (MB/s, same round): median {statistics.median(ratios):.2f}, "
            f"min {min(ratios):.2f}, max {max(ratios):.2f}"
        )


if __name__ == "__main__":
    main()
