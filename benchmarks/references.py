"""Accuracy and speed of the reference parser on labelled references.

    python benchmarks/references.py [FILE_OR_DIR ...] [--part held-out|development|all]
                                    [--model PATH] [--per-file]

Each FILE is AnyStyle XML or GROBID TEI (default: every file in
``../shared/corpus/references-labeled``); by default only the held-out part is scored
(:mod:`citecheck.references_corpus` documents the split).

How fields are matched: the gold Reference is built from the file's labels by the same
span-to-field code the parser uses, the predicted one is ``parse_reference(text)``. A field
counts as right when both normalised values are equal: NFKC, case-folded, whitespace
collapsed, dashes unified, punctuation trimmed at both ends (pages as ``first-last``, volume and
issue as their number, year as four digits, DOI lower-cased, URL normalised). Both sides go
through the same span-to-field rules, so an issue written inside a volume span (``41(1)``,
``39, No. 9``) is split off alike in the gold and the predicted reference. Authors and
editors are compared as the ordered list of family names. A field present in only one of the
two counts as a false positive or a false negative; a wrong value counts as both. A reference
is right as a whole when every scored field agrees (absent in both counts as agreeing).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from citecheck.references import parse_reference
from citecheck.references_corpus import (
    CORE_FIELDS,
    FIELDS,
    LabelledReference,
    Score,
    read_labelled,
    split,
)
from citecheck.references_fields import build_reference
from citecheck.references_lexicon import path_for
from citecheck.references_model import model_path
from citecheck.references_tokens import tokenize

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "references-labeled"


def select(path: Path, part: str) -> list[LabelledReference]:
    refs = read_labelled(path)
    dev, held = split(refs)
    return {"held-out": held, "development": dev, "all": refs}[part]


def score(refs: list[LabelledReference]) -> tuple[Score, float]:
    """Field scores and the seconds spent parsing."""
    result = Score()
    elapsed = 0.0
    for ref in refs:
        gold = build_reference(ref.text, ref.tokens, ref.labels)
        started = time.perf_counter()
        found = parse_reference(ref.text)
        elapsed += time.perf_counter() - started
        result.add(gold, found)
    return result, elapsed


def render(title: str, result: Score) -> str:
    lines = [
        f"{title}: {result.references} references",
        f"{'field':<14} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}",
    ]
    for name in FIELDS:
        tally = result.fields[name]
        if tally.tp + tally.fn == 0 and tally.fp == 0:
            continue
        lines.append(
            f"{name:<14} {tally.precision:6.3f} {tally.recall:6.3f} {tally.f1:6.3f} "
            f"{tally.tp + tally.fn:6d}"
        )
    micro = result.micro()
    lines.append(
        f"{'micro (core)':<14} {micro.precision:6.3f} {micro.recall:6.3f} "
        f"{micro.f1:6.3f}   core = {', '.join(CORE_FIELDS)}"
    )
    accuracy = result.exact / result.references if result.references else 0.0
    lines.append(f"whole-reference accuracy {accuracy:.3f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_CORPUS])
    parser.add_argument("--part", choices=("held-out", "development", "all"), default="held-out")
    parser.add_argument("--per-file", action="store_true")
    args = parser.parse_args()
    files: list[Path] = []
    for path in args.paths:
        files.extend(sorted(path.glob("*.xml")) if path.is_dir() else [path])
    total = Score()
    seconds = 0.0
    tokens = 0
    for path in files:
        refs = select(path, args.part)
        result, elapsed = score(refs)
        seconds += elapsed
        tokens += sum(len(tokenize(r.text)) for r in refs)
        if args.per_file:
            print(render(f"{path.name} ({args.part})", result), end="\n\n")
        for name, tally in result.fields.items():
            mine = total.fields[name]
            mine.tp, mine.fp, mine.fn = mine.tp + tally.tp, mine.fp + tally.fp, mine.fn + tally.fn
        total.references += result.references
        total.exact += result.exact
    print(render(f"all files ({args.part})", total))
    size = model_path().stat().st_size
    words = path_for(model_path())
    extra = f", dictionary {words.stat().st_size:,} bytes" if words.exists() else ""
    rate = total.references / seconds if seconds else 0.0
    print(
        f"speed: {rate:,.0f} references/s ({1000 * seconds / max(total.references, 1):.3f} "
        f"ms each, {tokens / max(total.references, 1):.0f} tokens on average); "
        f"model {size:,} bytes{extra}"
    )


if __name__ == "__main__":
    main()
