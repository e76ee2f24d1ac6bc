"""Retrain the reference parser's CRF on the development part of the labelled corpus.

    python benchmarks/train_references.py [CORPUS_DIR_OR_FILES ...] [--output PATH]

Reads every AnyStyle XML / GROBID TEI file given (by default the folder
``../shared/corpus/references-labeled`` beside the project), keeps the development part
(:func:`citecheck.references_corpus.split`; the held-out part is never seen), and writes
``src/citecheck/data/references.crfsuite``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pycrfsuite

from citecheck.references_corpus import LabelledReference, read_labelled, split
from citecheck.references_tokens import features

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "references-labeled"
DEFAULT_OUTPUT = ROOT / "src" / "citecheck" / "data" / "references.crfsuite"
PARAMS = {
    "c1": 0.05,
    "c2": 0.01,
    "max_iterations": 250,
    "feature.possible_transitions": True,
    "feature.minfreq": 1,
}


def labelled_files(paths: list[Path]) -> list[Path]:
    """The .xml files named, or found in the folders named."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.xml")) if path.is_dir() else [path])
    return files


def development(paths: list[Path]) -> list[LabelledReference]:
    refs: list[LabelledReference] = []
    for path in labelled_files(paths):
        dev, _held = split(read_labelled(path))
        refs.extend(dev)
    return refs


def train(refs: list[LabelledReference], output: Path, params: dict[str, object]) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for ref in refs:
        if ref.tokens:
            trainer.append(features(ref.tokens), ref.labels)
    trainer.set_params(params)
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_CORPUS])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--c1", type=float, default=PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=PARAMS["c2"])
    parser.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    args = parser.parse_args()
    refs = development(args.paths)
    params = {**PARAMS, "c1": args.c1, "c2": args.c2, "max_iterations": args.iterations}
    started = time.perf_counter()
    train(refs, args.output, params)
    elapsed = time.perf_counter() - started
    size = args.output.stat().st_size
    print(f"trained on {len(refs)} references in {elapsed:.1f} s: {args.output} ({size:,} bytes)")


if __name__ == "__main__":
    main()
