"""Archiving throughput: citecheck against wget --warc-file on the same local site.

The site (200 pages, each with an image, a shared stylesheet and script, plus 5 PDFs) is
served by aiohttp in a separate process on 127.0.0.1. Both tools fetch the same URLs: citecheck
from the notes of a document (with assets), wget from a URL list (-i). Prints MB/s and
records/s of both and the ratio.

    .venv/bin/python benchmarks/archive.py [--pages 200]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import socket
import subprocess
import tempfile
import time
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


def run_citecheck(base: str, pages: int, out: Path) -> float:
    urls = [f"{base}/p{i}.html" for i in range(pages)] + [f"{base}/d{i}.pdf" for i in range(5)]
    notes = tuple(
        Note(str(n + 1), n + 1, 1, u, links=(Link(u, n + 1, 1, u),)) for n, u in enumerate(urls)
    )
    document = Document("bench.md", "markdown", "", notes=notes)
    start = time.perf_counter()
    archive_documents(
        [document], str(out), Options(allow_private=True, per_host=8), with_assets=True
    )
    return time.perf_counter() - start


def run_wget(base: str, paths: list[str], out: Path) -> float:
    out.mkdir()
    (out / "urls.txt").write_text("".join(f"{base}{p}\n" for p in paths))
    start = time.perf_counter()
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
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200)
    pages = parser.parse_args().pages
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        (root / "site").mkdir()
        paths = build_site(root / "site", pages)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = multiprocessing.get_context("spawn").Process(
            target=serve, args=(str(root / "site"), port), daemon=True
        )
        server.start()
        wait_for(port)
        base = f"http://127.0.0.1:{port}"
        try:
            results = {
                "wget": (
                    run_wget(base, paths, root / "wget"),
                    list((root / "wget").glob("*.warc.gz")),
                ),
                "citecheck": (
                    run_citecheck(base, pages, root / "cc"),
                    list((root / "cc").glob("*.warc.gz")),
                ),
            }
        finally:
            server.kill()
        rates = {}
        for name, (seconds, warcs) in results.items():
            records, size = warc_stats(warcs)
            rates[name] = (size / seconds / 1e6, records / seconds)
            print(
                f"{name:10} {records:5d} responses {size / 1e6:7.1f} MB in {seconds:6.2f} s: "
                f"{rates[name][0]:7.1f} MB/s {rates[name][1]:8.1f} records/s"
            )
        print(
            f"ratio citecheck/wget: {rates['citecheck'][0] / rates['wget'][0]:.2f} (MB/s), "
            f"{rates['citecheck'][1] / rates['wget'][1]:.2f} (records/s); cpus {os.cpu_count()}"
        )


if __name__ == "__main__":
    main()
