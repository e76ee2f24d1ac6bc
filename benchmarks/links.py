"""Link checking on a simulated web: citecheck against the peers that install here.

A server process answers on 127.0.0.2 ... 127.0.0.(hosts+1), one port, every request after
``--latency`` seconds, keep-alive, HEAD and GET. Link i goes to host i % hosts; its kind is
fixed by (i + i // hosts) % 100: 90 ok, 5 404, 3 301 to an ok page, 2 500, so exactly 7 % are
broken. Each tool is timed as a subprocess under /usr/bin/time -v (wall, CPU of the tool and
its children); peak RSS is the larger of time's figure and the sampled sum over the tool's
process tree, peak PSS the sampled sum of proportional set sizes (a page the tool's processes
share counted once). Each tool writes its results to a file, which is what is counted.

markdown-link-check checks two links at a time (hard-coded), so by default it gets the first
--small-links (500) links only; its wall and CPU are also shown scaled to --links.

    python benchmarks/links.py                       # 10,000 links, every tool found
    python benchmarks/links.py --links 1000 --tools citecheck
    python benchmarks/links.py --tools markdown-link-check --links 1000 --small-links 0
    python benchmarks/links.py --tools citecheck,linkinator --repeat 5   # medians of 5 rounds

Peers are looked for in --peers (default /tmp/peers): a venv lcvenv/ with linkchecker and
node_modules/ with linkinator and markdown-link-check. To install them there:

    python3 -m venv /tmp/peers/lcvenv && /tmp/peers/lcvenv/bin/pip install linkchecker
    cd /tmp/peers && npm install linkinator markdown-link-check

citecheck is timed as its command line (`citecheck check links.md --format json ...`),
start-up included, as every peer is: by default (the run shared between processes, one per
core) and as `citecheck-1-process` (`--workers 1`). Peak RSS is the sum over the process
tree, so a shared run counts each process's own copy of the interpreter.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import itertools
import json
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SECONDS = 0.05
"""Between two samples of a tool's memory."""
RESCAN = 5
"""Samples between two looks for new processes in the tool's tree (every 0.25 s)."""


def kind(i: int, hosts: int) -> str:
    slot = (i + i // hosts) % 100
    return "ok" if slot < 90 else "404" if slot < 95 else "301" if slot < 98 else "500"


def link(i: int, hosts: int, port: int) -> str:
    return f"http://127.0.0.{2 + i % hosts}:{port}/{kind(i, hosts)}/page-{i}"


class SimulatedHost(asyncio.Protocol):
    """HTTP/1.1 keep-alive; each request answered ``latency`` seconds after it arrived."""

    latency = 0.05
    server_header = b"simulated"

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            line = head.split(b"\r\n", 1)[0].split(b" ")
            method, path = line[0], line[1].decode()
            asyncio.get_running_loop().call_later(self.latency, self.answer, method, path)

    def answer(self, method: bytes, path: str) -> None:
        if self.transport.is_closing():
            return
        status, extra = 200, b""
        if not path.startswith(("/ok/", "/301/", "/500/")):
            status = 404
        elif path.startswith("/500/"):
            status = 500
        elif path.startswith("/301/"):
            status, extra = 301, f"Location: /ok{path[4:]}\r\n".encode()
        body = b"<html><head><title>page</title></head><body>text</body></html>"
        reason = {200: b"OK", 404: b"Not Found", 500: b"Server Error", 301: b"Moved"}[status]
        head = (
            b"HTTP/1.1 %d %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n"
            b"Server: %s\r\nLinkChecker: allow\r\n%s\r\n"
            % (status, reason, len(body), self.server_header, extra)
        )
        self.transport.write(head + (body if method != b"HEAD" else b""))


def serve(port: int, latency: float, ready: multiprocessing.synchronize.Event) -> None:
    SimulatedHost.latency = latency

    async def main() -> None:
        loop = asyncio.get_running_loop()
        await loop.create_server(SimulatedHost, "0.0.0.0", port, backlog=4096, reuse_address=True)
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_documents(
    folder: Path, links: int, hosts: int, port: int, stem: str = "links"
) -> tuple[Path, Path]:
    urls = [link(i, hosts, port) for i in range(links)]
    markdown = folder / f"{stem}.md"
    body = "".join(f"Claim {i}.[^{i}]\n" for i in range(links))
    notes = "".join(f"[^{i}]: Source {i}, {url}\n" for i, url in enumerate(urls))
    markdown.write_text(f"# Essay\n\n{body}\n{notes}", encoding="utf-8")
    page = folder / f"{stem}.html"
    items = "".join(f'<li id="n{i}"><a href="{url}">{url}</a></li>\n' for i, url in enumerate(urls))
    page.write_text(f"<html><body><ol>{items}</ol></body></html>", encoding="utf-8")
    for path in (folder, markdown, page):
        path.chmod(0o755 if path.is_dir() else 0o644)  # LinkChecker runs as nobody under root
    return markdown, page


class Timed:
    """What one timed run cost: wall and CPU seconds, peak RSS and PSS in MB."""

    def __init__(self, wall: float, cpu: float, rss: float) -> None:
        self.wall, self.cpu, self.rss = wall, cpu, rss
        self.pss = 0.0
        """Peak of the sampled PSS sum over the process tree."""
        self.server = 0.0
        """CPU seconds the simulated web spent answering this tool."""


def process_cpu(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """Processes below ``root`` (the /usr/bin/time wrapper), from a scan of /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def tree_memory(pids: list[int]) -> tuple[float, float]:
    """Resident and proportional MB of ``pids`` together.

    RSS counts every page a process maps, so a page two processes share (the interpreter,
    libssl, a library loaded by both) counts twice in the sum; PSS charges each process its
    share of such a page, so the sum counts it once.
    """
    rss = pss = 0
    for pid in pids:
        try:
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except OSError:
            continue
        pss += _pss_kb(pid)
    return rss * os.sysconf("SC_PAGE_SIZE") / 2**20, pss / 1024


def _pss_kb(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
    return int(match.group(1)) if match else 0


def run_timed(command: list[str], output: Path, cwd: Path, timeout: float = 3600) -> Timed:
    """Run ``command`` under /usr/bin/time -v, its stdout to ``output``."""
    log = output.with_suffix(".time")
    start = time.perf_counter()
    with output.open("wb") as out, log.open("wb") as err:
        process = subprocess.Popen(
            ["/usr/bin/time", "-v", *command], stdout=out, stderr=err, cwd=cwd
        )
        peak = [0.0, 0.0]

        def sample() -> None:
            pids: list[int] = []
            for tick in itertools.count():
                if process.poll() is not None:
                    return
                if tick % RESCAN == 0:  # a scan of /proc costs ~6 times a sample
                    pids = descendants(process.pid)
                rss, pss = tree_memory(pids)
                peak[:] = max(peak[0], rss), max(peak[1], pss)
                time.sleep(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        process.wait(timeout)
        sampler.join()
    wall = time.perf_counter() - start
    text = log.read_text(errors="replace")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    rss = max(int(match.group(1)) / 1024 if match else 0.0, peak[0])
    times = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text)
    timed = Timed(wall, sum(float(t) for t in times), rss)
    timed.pss = peak[1]
    return timed


_DEAD = {"broken-link", "unreachable-link", "soft-404"}


def count_citecheck(output: Path) -> int:
    """citecheck check --format json: the dead-link findings."""
    try:
        report = json.loads(output.read_text(errors="replace"))
    except ValueError:
        return -1
    return sum(1 for item in report["findings"] if item["rule"] in _DEAD)


def count_linkinator(output: Path) -> int:
    """linkinator --format csv: url,status,state,parent,failureDetails."""
    text = output.read_text(errors="replace")
    rows = csv.DictReader(text[text.find("url,status,state") :].splitlines())
    return sum(1 for row in rows if row.get("state") == "BROKEN")


def count_mlc(output: Path) -> int:
    return len(re.findall(r"\[✖\]", output.read_text(errors="replace")))


def count_linkchecker(output: Path) -> int:
    """LinkChecker's CSV file output: ';'-separated, '#' comments, valid is True/False."""
    lines = [ln for ln in output.read_text(errors="replace").splitlines() if ln[:1] != "#"]
    rows = csv.DictReader(lines, delimiter=";")
    return sum(1 for row in rows if row.get("valid") == "False")


Tool = tuple[list[str], Callable[[Path], int], Path]


def tools(markdown: Path, page: Path, args: argparse.Namespace) -> dict[str, Tool]:
    """Per tool: the command, how to count its broken links, the file it reports to."""
    peers = Path(args.peers)
    bin_ = peers / "node_modules" / ".bin"
    folder = markdown.parent
    stem = markdown.stem
    lc_report = folder / f"{stem}-linkchecker.csv"
    lc_report.touch()
    lc_report.chmod(0o666)  # LinkChecker writes it as nobody when started as root
    lc_config = folder / "linkcheckerrc"  # it parses no page over 1 MB by default
    lc_config.write_text("[checking]\nmaxfilesizeparse=1000000000\n", encoding="utf-8")
    lc_config.chmod(0o644)
    citecheck = [str(Path(sys.executable).parent / "citecheck"), "check", str(markdown)]
    citecheck += ["--format", "json", "--allow-private", "--no-cache", "--quiet"]
    citecheck += ["--concurrency", str(args.concurrency), "--per-host", str(args.per_host)]
    citecheck += ["--fail-on", "never"]
    linkinator = [str(bin_ / "linkinator"), str(markdown), "--markdown", "--format", "csv"]
    linkinator += ["--concurrency", str(args.concurrency)]
    linkchecker = [str(peers / "lcvenv" / "bin" / "linkchecker"), "-f", str(lc_config)]
    linkchecker += ["--check-extern"]
    linkchecker += ["--no-robots", "-r", "1", "-t", str(args.concurrency), "--no-status"]
    linkchecker += ["-o", "none", "-F", f"csv/utf-8/{lc_report}", str(page)]
    return {
        "citecheck": (citecheck, count_citecheck, folder / f"{stem}-citecheck.out"),
        "citecheck-1-process": (
            [*citecheck, "--workers", "1"],
            count_citecheck,
            folder / f"{stem}-citecheck-1.out",
        ),
        "linkinator": (linkinator, count_linkinator, folder / f"{stem}-linkinator.csv"),
        "markdown-link-check": (
            [str(bin_ / "markdown-link-check"), "-q", str(markdown)],
            count_mlc,
            folder / f"{stem}-mlc.out",
        ),
        "linkchecker": (linkchecker, count_linkchecker, lc_report),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--links", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=128, help="global limit")
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument(
        "--tools",
        default="citecheck,citecheck-1-process,linkinator,linkchecker,markdown-link-check",
    )
    parser.add_argument("--peers", default="/tmp/peers")
    parser.add_argument(
        "--small-links", type=int, default=500, help="links for --small-tools (0: all)"
    )
    parser.add_argument("--small-tools", default="markdown-link-check")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds, each running every tool once, in turn"
    )
    args = parser.parse_args()
    port = free_port()
    ready = multiprocessing.get_context("spawn").Event()
    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(port, args.latency, ready), daemon=True
    )
    server.start()
    ready.wait(10)
    expected = broken(args.links, args.hosts)
    floor = args.links * args.latency / min(args.concurrency, args.hosts * args.per_host)
    print(f"load average before the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(
        f"{args.links} links over {args.hosts} hosts, {args.latency * 1000:g} ms latency, "
        f"global {args.concurrency}, per host {args.per_host}: floor {floor:.2f} s, "
        f"{expected} broken expected"
    )
    print(
        f"{'tool':20} {'links':>6} {'wall s':>8} {'x floor':>8} {'CPU s':>7} "
        f"{'RSS MB':>7} {'PSS MB':>7} {'broken':>12} {'server CPU s':>13}"
    )
    small = set(args.small_tools.split(",")) if 0 < args.small_links < args.links else set()
    try:
        with tempfile.TemporaryDirectory() as folder:
            os.chmod(folder, 0o755)
            full = tools(*write_documents(Path(folder), args.links, args.hosts, port), args)
            few = tools(
                *write_documents(Path(folder), args.small_links, args.hosts, port, "few"), args
            )
            runs: dict[str, list[Timed]] = {}
            for _ in range(args.repeat):  # rounds, so every tool meets the same moments
                for name in args.tools.split(","):
                    command, count, output = (few if name in small else full)[name]
                    if not Path(command[0]).exists():
                        print(f"{name:20} not installed ({command[0]})")
                        continue
                    links = args.small_links if name in small else args.links
                    served = process_cpu(server.pid or 0)
                    timed = run_timed(command, output, cwd=Path(folder))
                    timed.server = process_cpu(server.pid or 0) - served
                    found = f"{count(output)}/{broken(links, args.hosts)}"
                    report(name, links, timed, floor * links / args.links, found)
                    if links != args.links:
                        scale = args.links / links
                        scaled = Timed(timed.wall * scale, timed.cpu * scale, timed.rss)
                        scaled.pss = timed.pss
                        report(f"  scaled to {args.links}", args.links, scaled, floor, "")
                        timed = scaled
                    runs.setdefault(name, []).append(timed)
            if args.repeat > 1:
                summarise(runs, floor)
    finally:
        server.terminate()


def broken(links: int, hosts: int) -> int:
    return sum(1 for i in range(links) if kind(i, hosts) in ("404", "500"))


def summarise(runs: dict[str, list[Timed]], floor: float) -> None:
    """Per tool over the rounds: median wall (and its range), its ratio to the floor and to
    citecheck's median, median CPU, the highest peak RSS and PSS."""
    print(
        f"\nmedians over the rounds\n{'tool':20} {'rounds':>6} {'wall s':>8} {'range':>13} "
        f"{'x floor':>8} {'x citecheck':>12} {'CPU s':>7} {'RSS MB':>7} {'PSS MB':>7}"
    )
    walls = {name: statistics.median(t.wall for t in timed) for name, timed in runs.items()}
    ours = walls.get("citecheck")
    for name, timed in runs.items():
        wall = walls[name]
        spread = f"{min(t.wall for t in timed):.2f}-{max(t.wall for t in timed):.2f}"
        versus = f"{wall / ours:12.2f}" if ours else f"{'':12}"
        print(
            f"{name:20} {len(timed):6d} {wall:8.2f} {spread:>13} {wall / floor:8.2f} {versus} "
            f"{statistics.median(t.cpu for t in timed):7.2f} {max(t.rss for t in timed):7.1f} "
            f"{max(t.pss for t in timed):7.1f}",
            flush=True,
        )


def report(name: str, links: int, timed: Timed, floor: float, found: str) -> None:
    print(
        f"{name:20} {links:6d} {timed.wall:8.2f} {timed.wall / floor:8.2f} {timed.cpu:7.2f} "
        f"{timed.rss:7.1f} {timed.pss:7.1f} {found:>12} {timed.server:13.2f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
