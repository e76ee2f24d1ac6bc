"""The shipped CRF model (``data/references.crfsuite``) and its dictionary, opened on first use.

The dictionary (:mod:`citecheck.references_lexicon`) lives beside the model it was trained with.
"""

from __future__ import annotations

import re
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
        labels = list(tagger.tag(xseq))
    return _with_last_family_name(tokens, labels)


_INITIAL = re.compile(r"^[A-Z]\.$")
_FAMILY_WITH_STOP = re.compile(r"^[A-Z][a-z'’-]+\.$")
_AND = frozenset(("and", "&"))


def _with_last_family_name(tokens: list[Token], labels: list[str]) -> list[str]:
    """Give the last person of the leading name list their family name back.

    After "and", a name is written given name first ("Levitsky, Steven, and Lucan A. Way."):
    a capitalised word that follows an initial there and ends with a full stop is the family
    name, not the first word of the title.
    """
    end = next((i for i in range(1, len(labels)) if labels[i - 1] == "author" != labels[i]), 0)
    if end < 2 or not _INITIAL.match(tokens[end - 1].text):
        return labels
    if not _FAMILY_WITH_STOP.match(tokens[end].text):
        return labels
    for j in range(end - 2, max(-1, end - 5), -1):  # "and Lucan A.": no comma since "and"
        if labels[j] != "author" or tokens[j].text == ",":
            break
        if tokens[j].text.lower() in _AND:
            labels[end] = "author"
            break
    return labels
