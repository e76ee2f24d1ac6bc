"""Tokens of a reference string and the features the sequence labeller reads from them.

A token is a word (with its trailing full stop, so ``pp.`` and ``J.`` stay whole), a number
(with a letter suffix, as ``1991a`` or ``5th``), a URL or DOI, or one punctuation character.
Features are plain strings (``name=value``), the fastest form python-crfsuite accepts: the
token's form, its neighbours' within two tokens, the word pairs it is in, what came before it
(quotes, brackets, a year), and the punctuation-delimited segment it sits in (its place counted
from both ends, its share of capitalised words, the kinds of keyword in it, whether it starts
with "In"), runs of abbreviations ("J. Am. Chem. Soc."), and, given a dictionary
(:mod:`citecheck.references_lexicon`), the labels its words were seen with in training.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from citecheck.parse.identifiers import trim_url
from citecheck.references_context import context_features
from citecheck.references_lexicon import Lexicon, lexicon_features

_URL_OR_DOI = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"“”]+|(?:doi:\s*)?10\.\d{4,9}/\S+", re.I
)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*\.?|\d+[^\W\d_]*|\S")
_YEAR = re.compile(r"^(?:1[5-9]\d\d|20\d\d)[a-z]?$")
_ROMAN = re.compile(r"^[ivxlcdm]+\.?$")

MONTHS = frozenset(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december janvier février mars avril mai juin "
    "juillet août septembre octobre novembre décembre januar februar märz juni juli oktober "
    "dezember spring summer autumn fall winter январь января февраля марта апреля мая июня "
    "июля августа сентября октября ноября декабря".split()
)
_KEYWORDS = {
    "pages": "pp p pages page pg s seiten с",
    "volume": "vol vols volume volumes v bd band t tome tomo т",
    "issue": "no nos nr issue number num heft n° № н",
    "editor": "ed eds editor editors edited edd hrsg hg ред",
    "in": "in dans im в",
    "and": "and & und et y e и",
    "etal": "al",
    "publisher": "press university universitet verlag publishing publishers publisher books "
    "company co inc ltd llc gmbh editions éditions edizioni editorial wiley springer elsevier "
    "routledge sage pearson mcgraw-hill academic издательство изд",
    "journal": "journal journals review proceedings proc conference symposium workshop "
    "transactions trans bulletin annals quarterly studies letters magazine j rev int "
    "international acta research science sciences newsletter zeitschrift revue rivista",
    "report": "report technical tech thesis dissertation phd working paper memo manuscript",
    "access": "accessed retrieved available viewed consulted online abgerufen",
    "edition": "edition ed edn auflage éd",
    "ibid": "ibid ibidem op cit loc idem",
}
_KEYWORD_OF = {word: kind for kind, words in _KEYWORDS.items() for word in words.split()}
_OPEN_QUOTES = frozenset('“‘«„"')
_CLOSE_QUOTES = frozenset('”’»"')


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens with their character offsets."""
    tokens: list[Token] = []
    pos = 0
    length = len(text)
    while pos < length:
        if text[pos].isspace():
            pos += 1
            continue
        special = _URL_OR_DOI.match(text, pos)
        if special:
            raw = trim_url(special.group())
            if raw:
                tokens.append(Token(raw, pos, pos + len(raw)))
                pos += len(raw)
                continue
        match = _TOKEN.match(text, pos)
        end = match.end() if match else pos + 1
        tokens.append(Token(text[pos:end], pos, end))
        pos = end
    return tokens


def _shape(word: str) -> str:
    out: list[str] = []
    for char in word:
        if char.isupper():
            kind = "X"
        elif char.isalpha():
            kind = "x"
        elif char.isdigit():
            kind = "d"
        else:
            kind = char
        if len(out) < 2 or out[-1] != kind or out[-2] != kind:
            out.append(kind)
    return "".join(out)


def _script(word: str) -> str:
    for char in word:
        if char.isalpha():
            code = ord(char)
            if code < 0x250:
                return "lat"
            if 0x400 <= code < 0x530:
                return "cyr"
            if 0xAC00 <= code < 0xD7B0 or 0x1100 <= code < 0x1200:
                return "han"
            if 0x3040 <= code < 0xA000:
                return "cjk"
            return "oth"
    return "none"


def _word_features(token: str) -> list[str]:
    lower = token.lower()
    bare = lower.rstrip(".")
    feats = [f"w={lower}", f"sh={_shape(token)}", f"sc={_script(token)}"]
    if token.startswith(("http", "www.", "ftp:")):
        return [*feats, "url"]
    if (token.startswith("10.") and "/" in token) or lower.startswith("doi:"):
        return [*feats, "doi"]
    if len(bare) > 3:
        feats.append(f"s3={bare[-3:]}")
    if token[0].isdigit():
        digits = sum(c.isdigit() for c in token)
        feats.append(f"nd={min(digits, 5)}")
        if _YEAR.match(lower):
            feats.append("year")
    elif token[0].isalpha():
        if token[0].isupper():
            feats.append("cap" if not token.isupper() or len(bare) == 1 else "upper")
        if len(bare) == 1 and token.endswith("."):
            feats.append("initial")
        elif token.endswith(".") and len(bare) > 1:
            feats.append("dotword")
        if _ROMAN.match(lower) and token.isupper() == token[0].isupper():
            feats.append("roman")
        if bare in MONTHS:
            feats.append("month")
    kind = _KEYWORD_OF.get(bare)
    if kind:
        feats.append(f"kw={kind}")
    return feats


_SEGMENT_ENDS = frozenset('.,;:)]”»"')
_SEGMENT_STARTS = frozenset("([“«")
_IN_WORDS = frozenset(("in", "in:", "dans", "im", "в"))


def _ends_segment(text: str) -> bool:
    """A punctuation mark, or a word's full stop that is not an initial's or an abbreviation's."""
    if text in _SEGMENT_ENDS:
        return True
    bare = len(text) - 1
    return text.endswith(".") and (bare >= 5 or (bare >= 3 and text[0].islower()))


def segments(tokens: list[Token]) -> list[tuple[int, int]]:
    """Runs of tokens between punctuation marks (a mark belongs to the run it ends)."""
    found: list[tuple[int, int]] = []
    start = 0
    for i, token in enumerate(tokens):
        if token.text in _SEGMENT_STARTS and i > start:
            found.append((start, i))
            start = i
        if _ends_segment(token.text):
            if i == start and found:  # "). " closes the run before it
                found[-1] = (found[-1][0], i + 1)
            else:
                found.append((start, i + 1))
            start = i + 1
    if start < len(tokens):
        found.append((start, len(tokens)))
    return found


def _segment_flags(tokens: list[Token], found: list[tuple[int, int]]) -> list[list[str]]:
    """Features of the punctuation-delimited run a token is in: its place, words and kinds."""
    year_at = next((i for i, t in enumerate(tokens) if _YEAR.match(t.text)), -1)
    flags: list[list[str]] = []
    for k, (start, end) in enumerate(found):
        shared = _segment_view(tokens, start, end, k, len(found))
        if start <= year_at < end:
            shared.append("segyear")
        for i in range(start, end):
            here = [*shared, "segfirst"] if i == start else list(shared)
            if i == end - 1:
                here.append("seglast")
            if year_at >= 0:
                here.append("yearpos=" + ("b" if i < year_at else "a" if i > year_at else "y"))
            flags.append(here)
    return flags


def _segment_view(tokens: list[Token], start: int, end: int, k: int, count: int) -> list[str]:
    """What every token of segment ``k`` (of ``count``) shares."""
    words = [t.text for t in tokens[start:end] if t.text[0].isalpha()]
    caps = sum(w[0].isupper() for w in words)
    kinds = {_KEYWORD_OF.get(w.lower().rstrip(".")) for w in words}
    before = tokens[start - 1].text[-1] if start else "^"
    shared = [
        f"seg={min(k, 8)}",
        f"segr={min(count - 1 - k, 5)}",
        f"seglen={min(end - start, 12) // 3}",
        f"segcap={4 * caps // len(words) if words else 'n'}",
        f"segafter={'w' if before.isalnum() else before}",
        *(f"seg{kind}" for kind in sorted(kind for kind in kinds if kind)),
    ]
    if words and words[0].lower() in _IN_WORDS:
        shared.append("segstartin")
    return shared


def _context_flags(tokens: list[Token]) -> list[list[str]]:
    """Features that depend on what came before: quotes, brackets, a year, full stops seen."""
    flags: list[list[str]] = []
    in_quote = in_paren = seen_year = seen_in = quote_closed = False
    stops = commas = 0
    for token in tokens:
        text = token.text
        here = [f"st={min(stops, 6)}", f"cm={min(commas, 6)}"]
        if in_quote:
            here.append("inq")
        if in_paren:
            here.append("inp")
        if seen_year:
            here.append("afteryear")
        if seen_in:
            here.append("afterin")
        if quote_closed:
            here.append("afterquote")
        flags.append(here)
        if text in _OPEN_QUOTES and not (in_quote and text in _CLOSE_QUOTES):
            in_quote = True
        elif text in _CLOSE_QUOTES:
            in_quote = False
            quote_closed = True
        elif text in "([":
            in_paren = True
        elif text in ")]":
            in_paren = False
        elif text == "." or (text.endswith(".") and len(text) > 3 and text[0].islower()):
            stops += 1
        elif text == ",":
            commas += 1
        elif text in ("In", "in", "In:", "Dans", "Im", "В"):
            seen_in = True
        if _YEAR.match(text):
            seen_year = True
    return flags


@lru_cache(maxsize=1 << 16)
def _token_view(token: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A token's own features and, for each neighbour offset, what a neighbour sees of it."""
    own = _word_features(token)
    flags = [f for f in own[3:] if "=" not in f or f.startswith("kw=")]
    views = []
    for offset in _OFFSETS:
        view = [f"{offset}{own[0]}", f"{offset}{own[1]}"]
        if abs(offset) == 1:
            view.extend(f"{offset}{f}" for f in flags)
        views.append(tuple(view))
    return tuple(own), tuple(views)


_OFFSETS = (-2, -1, 1, 2)
_NONE = tuple(f"{offset}none" for offset in _OFFSETS)


def features(tokens: list[Token], lexicon: Lexicon | None = None) -> list[list[str]]:
    """One feature list per token: its own form, its neighbours' and its place in the string.

    With a ``lexicon``, also the labels its word and the phrases around it were seen with.
    """
    count = len(tokens)
    views = [_token_view(t.text) for t in tokens]
    context = _context_flags(tokens)
    found = segments(tokens)
    segment = _segment_flags(tokens, found)
    around = context_features(tokens, found)
    abbreviations = _abbreviation_runs(tokens)
    seen = lexicon_features(tokens, lexicon) if lexicon else [[] for _ in tokens]
    words = [t.text.lower() for t in tokens]
    result: list[list[str]] = []
    previous_end = -1
    for i, token in enumerate(tokens):
        feats = [*views[i][0], *context[i], *segment[i], *around[i], *abbreviations[i], *seen[i]]
        feats.append(_POSITION[10 * i // count])
        if i == 0:
            feats.append("first")
        if i == count - 1:
            feats.append("last")
        if previous_end == token.start:
            feats.append("glued")
        previous_end = token.end
        if i:  # word pairs mark boundaries such as "In Proceedings" or "Eds.) ,"
            feats.append(f"bi={words[i - 1]}|{words[i]}")
        if i + 1 < count:
            feats.append(f"bi+={words[i]}|{words[i + 1]}")
        for k, offset in enumerate(_OFFSETS):
            j = i + offset
            if 0 <= j < count:
                feats.extend(views[j][1][k])
            else:
                feats.append(_NONE[k])
        result.append(feats)
    return result


_POSITION = tuple(f"pos={i}" for i in range(10))
_ABBREVIATION = re.compile(r"^[A-Z][a-z]{0,4}\.?$")


def _abbreviation_runs(tokens: list[Token]) -> list[list[str]]:
    """Mark runs of short capitalised words such as "J. Am. Chem. Soc." or "Am J Respir Crit".

    A run needs three words, or two when one is an abbreviation of two letters or more with a
    full stop ("Phys. Rev."); runs of initials alone ("J. R.") are left to the name features.
    """
    flags: list[list[str]] = [[] for _ in tokens]
    start = 0
    for i in range(len(tokens) + 1):
        if i < len(tokens) and _ABBREVIATION.match(tokens[i].text):
            continue
        run = [t.text for t in tokens[start:i]]
        dotted = sum(len(w) > 2 and w.endswith(".") for w in run)
        if len(run) >= 3 or (len(run) == 2 and dotted):
            kind = "abbr." if dotted else "abbr"
            for k in range(start, i):
                flags[k].append(kind)
                flags[k].append(f"{kind}={'s' if k == start else 'e' if k == i - 1 else 'm'}")
        start = i + 1
    return flags
