"""The shipped CRF model (``data/references.crfsuite``) and its dictionary, opened on first use.

The dictionary (:mod:`citecheck.references_lexicon`) lives beside the model it was trained with.
"""

from __future__ import annotations

import threading
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycrfsuite

from citecheck.references_lexicon import Lexicon, load, path_for
from citecheck.references_tokens import Token, features

MODEL_NAME = "references.crfsuite"
_LOCK = threading.Lock()


def model_path() -> Path:
    """Where the shipped model file lives inside the installed package."""
    return Path(str(resources.files("citecheck") / "data" / MODEL_NAME))


@cache
def _tagger(path: str) -> Any:
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


@cache
def _lexicon(path: str) -> Lexicon | None:
    return load(path_for(Path(path)))


def label(tokens: list[Token], path: Path | None = None) -> list[str]:
    """One label per token, as the model at ``path`` (by default the shipped one) assigns."""
    if not tokens:
        return []
    where = str(path or model_path())
    tagger = _tagger(where)
    xseq = features(tokens, _lexicon(where))
    with _LOCK:  # a crfsuite tagger keeps its state between set() and viterbi()
        return list(tagger.tag(xseq))
