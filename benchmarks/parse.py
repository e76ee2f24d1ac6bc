"""Parsing throughput (MB/s) and peak memory per input format on generated documents.

Usage: python benchmarks/parse.py [--sizes 5,50] [--formats text,markdown,html,latex,docx]

Each measurement runs in a fresh subprocess so that peak RSS belongs to one parse.
Linearity is the ratio of the large file's time to the small one's, against the size ratio.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

SENTENCE = (
    "The gallerist said that “a considerable part of the country’s identity resides outside”.{n} "
    "In 2012, 45% of respondents (n = 1,200) agreed, see pp. 78-114 and vol. 49(1),{m} "
)


def _paragraphs(megabytes: float, marker: str) -> tuple[list[str], int]:
    rng = random.Random(42)
    target = int(megabytes * 1_000_000)
    out, size, n = [], 0, 0
    while size < target:
        n += 2
        line = SENTENCE.replace("{n}", marker.format(n - 1)).replace("{m}", marker.format(n))
        line += " ".join(
            rng.choice(["freedom", "diaspora", "exodus", "protest"]) for _ in range(30)
        )
        out.append(line)
        size += len(line.encode()) + 2
    return out, n


def _note(k: int) -> str:
    return f"Author, A. ({2000 + k % 20}) Title {k}. Journal, 4({k % 12}), 1-37. https://example.org/{k}"


def make_text(mb: float) -> str:
    body, n = _paragraphs(mb * 0.8, "{}")
    return (
        "\n\n".join(body)
        + "\n\nNotes\n\n"
        + "\n".join(f"[{k}] {_note(k)}" for k in range(1, n + 1))
    )


def make_markdown(mb: float) -> str:
    body, n = _paragraphs(mb * 0.8, "[^{}]")
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

MEASURE = """
import json, resource, sys, time
from citecheck.parse import parse_file
start = time.perf_counter()
document = parse_file(sys.argv[1])
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "markers": len(document.markers),
                  "notes": len(document.notes),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
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
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    baseline = measure_baseline()
    print(f"interpreter + imports alone: {baseline:.0f} MB RSS")
    print(
        f"{'format':<9} {'MB':>6} {'seconds':>8} {'MB/s':>7} {'RSS MB':>7} "
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
                mb = len(data) / 1_000_000
                times.append((mb, result["seconds"]))
                print(
                    f"{fmt:<9} {mb:>6.1f} {result['seconds']:>8.2f} {mb / result['seconds']:>7.1f} "
                    f"{result['rss_mb']:>7.0f} {result['markers']:>8} {result['notes']:>7}"
                )
            if len(times) > 1:
                (small_mb, small_s), (big_mb, big_s) = times[0], times[-1]
                print(
                    f"{fmt:<9} linearity: {big_mb / small_mb:.1f}x size "
                    f"took {big_s / small_s:.1f}x time"
                )


def measure_baseline() -> float:
    code = (
        "import resource, citecheck.parse; "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    return float(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )


if __name__ == "__main__":
    main()
