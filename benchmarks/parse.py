"""Parsing throughput (MB/s) and peak memory per input format on generated documents.

The documents have the marker density of real essays (one per paragraph of about 1 KB).

Usage: python benchmarks/parse.py [--sizes 5,50] [--formats text,markdown,html,latex,docx]

Each measurement runs in a fresh subprocess so that peak RSS belongs to one parse.
Linearity is the ratio of the large file's time to the small one's, against the size ratio.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

SENTENCE = (
    "The gallerist said that “a considerable part of the country’s identity resides outside”.{n} "
    "In 2012, 45% of respondents (n = 1,200) agreed, see pp. 78-114 and vol. 49(1). "
)
WORDS = (
    "freedom diaspora exodus protest emigration society government opposition survey focus "
    "group respondents learned helplessness transnational political actors the of and in to "
    "a that is was for on with as by at from this which be or an are were its their"
).split()
# One marker per paragraph of about 1 KB: the density of the example essay, the
# dissertation chapter and the Wikipedia page in the corpus (one per 1.5-3 KB).
WORDS_PER_PARAGRAPH = 120
TEXT_LABELS = 900  # plain-text markers have at most three digits, as in real essays


def _paragraphs(megabytes: float, marker: str, cycle: int = 0) -> tuple[list[str], int]:
    rng = random.Random(42)
    target = int(megabytes * 1_000_000)
    out, size, n = [], 0, 0
    while size < target:
        n += 1
        label = (n - 1) % cycle + 1 if cycle else n
        line = SENTENCE.replace("{n}", marker.format(label))
        line += " ".join(rng.choice(WORDS) for _ in range(WORDS_PER_PARAGRAPH)) + "."
        out.append(line)
        size += len(line.encode()) + 2
    return out, min(n, cycle) if cycle else n


def _note(k: int) -> str:
    return (
        f"Author, A. ({2000 + k % 20}) Title {k}. Journal, 4({k % 12}), 1-37. "
        f"https://example.org/{k}"
    )


def make_text(mb: float) -> str:
    body, n = _paragraphs(mb * 0.97, "{}", cycle=TEXT_LABELS)
    notes = "\n".join(f"[{k}] {_note(k)}" for k in range(1, n + 1))
    return "\n\n".join(body) + "\n\nNotes\n\n" + notes + "\n"


def make_markdown(mb: float) -> str:
    body, n = _paragraphs(mb * 0.85, "[^{}]")
    return "\n\n".join(body) + "\n\n" + "\n".join(f"[^{k}]: {_note(k)}" for k in range(1, n + 1))


def make_html(mb: float) -> str:
    body, n = _paragraphs(mb * 0.7, '<sup><a href="#fn{0}" id="fnref{0}">{0}</a></sup>')
    notes = "".join(
        f'<li id="fn{k}"><a href="https://example.org/{k}">{_note(k)}</a></li>\n'
        for k in range(1, n + 1)
    )
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body)
    return f"<!DOCTYPE html><html><body>{paragraphs}<ol>{notes}</ol></body></html>"


def make_latex(mb: float) -> str:
    body, _ = _paragraphs(
        mb * 0.9, "\\footnote{{See \\url{{https://example.org/{0}}} and \\cite{{key{0}}}.}}"
    )
    return (
        "\\documentclass{article}\n\\begin{document}\n" + "\n\n".join(body) + "\n\\end{document}\n"
    )


_PACKAGE = "http://schemas.openxmlformats.org/package/2006/"
_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def make_docx(mb: float) -> bytes:
    body, _ = _paragraphs(mb * 0.7, "{}")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paras = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r>'
        f'<w:r><w:footnoteReference w:id="{k + 1}"/></w:r></w:p>'
        for k, p in enumerate(body)
    )
    notes = "".join(
        f'<w:footnote w:id="{k + 1}"><w:p><w:r><w:t>{_note(k)}</w:t></w:r></w:p></w:footnote>'
        for k in range(len(body))
    )
    rels = (
        f'<?xml version="1.0"?><Relationships xmlns="{_PACKAGE}relationships">'
        f'<Relationship Id="rId1" Type="{_FOOTNOTES}" Target="footnotes.xml"/></Relationships>'
    )
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{_PACKAGE}content-types"/>',
        "word/document.xml": f"<w:document {ns}><w:body>{paras}</w:body></w:document>",
        "word/_rels/document.xml.rels": rels,
        "word/footnotes.xml": f"<w:footnotes {ns}>{notes}</w:footnotes>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


MAKERS = {
    "text": (make_text, ".txt"),
    "markdown": (make_markdown, ".md"),
    "html": (make_html, ".html"),
    "latex": (make_latex, ".tex"),
    "docx": (make_docx, ".docx"),
}

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("CITECHECK_CORPUS", ROOT.parent / "shared" / "corpus"))
REAL = {
    "text": ROOT / "examples" / "learning-for-freedom.txt",
    "markdown": CORPUS / "footnotes-md" / "decretist-dissertation-chapter0.md",
    "html": CORPUS / "footnotes-html" / "wikipedia-Mozilla.readability-source.html",
    "latex": CORPUS / "latex" / "astropy-v2.0-paper.main.tex",
}


def repeat_real(fmt: str, mb: float) -> tuple[str, str]:
    """A real document's content repeated to about ``mb`` MB, kept one valid document."""
    text = REAL[fmt].read_text(encoding="utf-8")
    head, middle, tail = _split_frame(fmt, text)
    times = max(1, int(mb * 1_000_000 / max(1, len(middle.encode()))))
    return head + middle * times + tail, REAL[fmt].suffix


def _split_frame(fmt: str, text: str) -> tuple[str, str, str]:
    frames = {
        "html": (r"(?is)(.*?<body[^>]*>)(.*)(</body>.*)", 3),
        "latex": (r"(?s)(.*?\\begin\{document\})(.*)(\\end\{document\}.*)", 3),
        "markdown": (r"(?s)(---\n.*?\n---\n)(.*)()", 3),
    }
    if fmt in frames:
        match = re.match(frames[fmt][0], text)
        if match:
            return match.group(1), match.group(2), match.group(3)
    return "", text + "\n\n", ""


MEASURE = """
import json, sys, time
from citecheck.parse import parse_file
start, cpu = time.perf_counter(), time.process_time()
document = parse_file(sys.argv[1])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
# VmHWM is this process's own peak (ru_maxrss would include the parent's before exec)
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
print(json.dumps({"seconds": elapsed, "cpu": cpu, "markers": len(document.markers),
                  "notes": len(document.notes), "rss_mb": peak / 1024}))
"""


def measure(path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="5,50", help="file sizes in MB, comma-separated")
    parser.add_argument("--formats", default=",".join(MAKERS))
    parser.add_argument(
        "--real-size", type=float, default=5.0, help="MB to repeat each real corpus document to"
    )
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    baseline = measure_baseline()
    print(f"interpreter + imports alone: {baseline:.0f} MB RSS")
    print(f"machine: a 10-million-step Python loop takes {calibrate():.2f} s of CPU")
    print("MB/s is per second of CPU time (one core); wall seconds shown beside it.")
    print(
        f"{'format':<9} {'MB':>6} {'wall s':>8} {'CPU s':>7} {'MB/s':>7} {'RSS MB':>7} "
        f"{'markers':>8} {'notes':>7}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for fmt in args.formats.split(","):
            make, suffix = MAKERS[fmt]
            times = []
            for size in sizes:
                content = make(size)
                path = Path(folder) / f"bench{suffix}"
                data = content if isinstance(content, bytes) else content.encode()
                path.write_bytes(data)
                result = measure(path)
                mb = _megabytes(path)
                times.append((mb, result["cpu"]))
                _row(fmt, mb, result)
            if len(times) > 1:
                (small_mb, small_s), (big_mb, big_s) = times[0], times[-1]
                print(
                    f"{fmt:<9} linearity: {big_mb / small_mb:.1f}x size "
                    f"took {big_s / small_s:.1f}x CPU time"
                )
        measure_real(folder, args.formats.split(","), args.real_size)


def _megabytes(path: Path) -> float:
    """Size of the document: for Word files, of its XML parts, not of the zip."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist()) / 1_000_000
    return path.stat().st_size / 1_000_000


def _row(fmt: str, mb: float, result: dict[str, float], note: str = "") -> None:
    print(
        f"{fmt:<9} {mb:>6.1f} {result['seconds']:>8.2f} {result['cpu']:>7.2f} "
        f"{mb / result['cpu']:>7.1f} {result['rss_mb']:>7.0f} {result['markers']:>8} "
        f"{result['notes']:>7}  {note}"
    )


def measure_real(folder: str, formats: list[str], size: float) -> None:
    print(f"\nreal documents repeated to about {size:g} MB:")
    for fmt in formats:
        if fmt not in REAL or not REAL[fmt].exists():
            continue
        content, suffix = repeat_real(fmt, size)
        path = Path(folder) / f"real{suffix}"
        path.write_text(content, encoding="utf-8")
        _row(fmt, _megabytes(path), measure(path), REAL[fmt].name)


def calibrate() -> float:
    """CPU seconds of a fixed loop, to compare runs on a shared, noisy machine."""
    start = time.process_time()
    total = 0
    for step in range(10_000_000):
        total += step
    return time.process_time() - start


def measure_baseline() -> float:
    code = (
        "import citecheck.parse; print(next(int(line.split()[1]) for line in "
        "open('/proc/self/status') if line.startswith('VmHWM')) / 1024)"
    )
    return float(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )


if __name__ == "__main__":
    main()
