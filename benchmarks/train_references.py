"""Retrain the reference parser's CRF on the development part of the labelled corpus.

    python benchmarks/train_references.py [CORPUS_DIR_OR_FILES ...] [--output PATH]
    python benchmarks/train_references.py --folds 3 --iterations 100   # cross-validation

Reads every AnyStyle XML / GROBID TEI file given (by default the folder
``../shared/corpus/references-labeled`` beside the project), keeps the development part
(:func:`citecheck.references_corpus.split`; the held-out part is never seen), and writes
``src/citecheck/data/references.crfsuite`` with its word and phrase dictionary beside it
(``references.lexicon.json.gz``, built from the same references; ``--no-lexicon`` leaves it
out). With ``--folds K`` it writes no model: it splits the development part into K folds (by a
second hash of the text), trains on K-1 and scores the K-th, in turn (each fold's dictionary
built from the other folds only), and prints the field scores summed over the folds. Choose
features and settings this way; the held-out part is scored once, at the end, by
``benchmarks/references.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

import pycrfsuite

from citecheck.references import parse_reference
from citecheck.references_corpus import (
    CORE_FIELDS,
    LabelledReference,
    Score,
    read_labelled,
    split,
)
from citecheck.references_fields import build_reference
from citecheck.references_lexicon import build, path_for, save
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


def train(
    refs: list[LabelledReference], output: Path, params: dict[str, object], lexicon: bool = True
) -> None:
    """Write a model trained on ``refs`` to ``output`` and, with ``lexicon``, its dictionary.

    The dictionary is built from ``refs`` alone; each reference is featurised without its own
    counts, as new text will be.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    words = build((ref.tokens, ref.labels) for ref in refs) if lexicon else None
    path_for(output).unlink(missing_ok=True)
    if words is not None:
        save(words, path_for(output))
    trainer = pycrfsuite.Trainer(verbose=False)
    for ref in refs:
        if ref.tokens:
            own = words.without(ref.tokens, ref.labels) if words else None
            trainer.append(features(ref.tokens, own), ref.labels)
    trainer.set_params(params)
    trainer.train(str(output))


def fold_of(ref: LabelledReference, folds: int) -> int:
    """The cross-validation fold of a development reference (a byte the split does not use)."""
    return hashlib.sha1(" ".join(ref.text.split()).encode()).digest()[1] % folds


Job = tuple[list[LabelledReference], int, int, dict[str, object], Path | None, bool]


def one_fold(job: Job) -> Score:
    refs, folds, fold, params, keep, lexicon = job
    score = Score()
    with tempfile.TemporaryDirectory() as tmp:
        model = (keep or Path(tmp)) / f"fold{fold}.crfsuite"
        train([r for r in refs if fold_of(r, folds) != fold], model, params, lexicon)
        for ref in refs:
            if fold_of(ref, folds) == fold:
                gold = build_reference(ref.text, ref.tokens, ref.labels)
                score.add(gold, parse_reference(ref.text, model=model))
    return score


def cross_validate(
    refs: list[LabelledReference],
    folds: int,
    params: dict[str, object],
    keep: Path | None = None,
    lexicon: bool = True,
) -> Score:
    """Field scores of K-fold cross-validation on ``refs``, summed over the folds.

    Each fold's dictionary is built from the other folds only.
    """
    with Pool(folds) as pool:
        jobs = [(refs, folds, k, params, keep, lexicon) for k in range(folds)]
        scores = pool.map(one_fold, jobs)
    total = Score()
    for score in scores:
        for name, tally in score.fields.items():
            mine = total.fields[name]
            mine.tp, mine.fp, mine.fn = mine.tp + tally.tp, mine.fp + tally.fp, mine.fn + tally.fn
        total.references += score.references
        total.exact += score.exact
    return total


def render(result: Score) -> str:
    rows = [f"{'field':<10} {'P':>6} {'R':>6} {'F1':>6}"]
    for name in CORE_FIELDS:
        tally = result.fields[name]
        rows.append(f"{name:<10} {tally.precision:6.3f} {tally.recall:6.3f} {tally.f1:6.3f}")
    micro = result.micro()
    rows.append(f"{'micro':<10} {micro.precision:6.3f} {micro.recall:6.3f} {micro.f1:6.3f}")
    rows.append(f"whole-reference accuracy {result.exact / max(result.references, 1):.3f}")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_CORPUS])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--c1", type=float, default=PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=PARAMS["c2"])
    parser.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    parser.add_argument("--folds", type=int, default=0, help="cross-validate; write no model")
    parser.add_argument("--keep", type=Path, help="with --folds: keep the fold models here")
    parser.add_argument(
        "--no-lexicon", action="store_true", help="train without the word and phrase dictionary"
    )
    args = parser.parse_args()
    refs = development(args.paths)
    params = {**PARAMS, "c1": args.c1, "c2": args.c2, "max_iterations": args.iterations}
    if args.folds:
        started = time.perf_counter()
        print(render(cross_validate(refs, args.folds, params, args.keep, not args.no_lexicon)))
        print(f"{args.folds}-fold cross-validation in {time.perf_counter() - started:.0f} s")
        return
    started = time.perf_counter()
    train(refs, args.output, params, not args.no_lexicon)
    elapsed = time.perf_counter() - started
    size = args.output.stat().st_size
    print(f"trained on {len(refs)} references in {elapsed:.1f} s: {args.output} ({size:,} bytes)")
    words = path_for(args.output)
    if words.exists():
        print(f"dictionary: {words} ({words.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
