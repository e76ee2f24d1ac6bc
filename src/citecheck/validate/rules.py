"""The rule catalogue: every rule's name, family, default severity and explanation.

``docs/rules.md`` is checked against this catalogue by the test suite, and SARIF
output lists it as ``tool.driver.rules``. Rule functions live in their family's
module and build findings with :func:`finding`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from citecheck.model import Finding, Severity


@dataclass(frozen=True)
class Rule:
    name: str
    family: str
    severity: Severity
    summary: str
    explanation: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "duplicate-note",
            "numbering",
            _E,
            "A note repeats an earlier note's label.",
            "Two notes carry the same label, so a marker cannot point to exactly one of them. "
            "The finding stands at the repeat and names the first; the suggestion says which "
            "label the repeat most likely should have.",
        ),
        Rule(
            "missing-note",
            "numbering",
            _E,
            "A marker points to no note.",
            "An in-text marker uses a label that no note carries: the reader finds nothing "
            "behind it. Often a note was mis-numbered; the suggestion names it when evident. "
            "Markdown footnote labels are compared without letter case, as GitHub does.",
        ),
        Rule(
            "unused-note",
            "numbering",
            _W,
            "A note that no marker references.",
            "A note exists but nothing in the text points to it: either its marker was lost "
            "while editing or the note is left over.",
        ),
        Rule(
            "empty-note",
            "numbering",
            _W,
            "A note with nothing in it.",
            "A note carries its label but no text, link or citation: its content was lost, "
            "often when the page was copied or converted, and the claim it stands for has no "
            "source.",
        ),
        Rule(
            "numbering-gap",
            "numbering",
            _W,
            "Numeric note labels skip a number.",
            "The notes are numbered 1, 2, 4 ...: a note was deleted or mis-numbered. The "
            "finding's label is the missing number. A number that a marker points to is "
            "reported once, as that marker's missing-note.",
        ),
        Rule(
            "out-of-order",
            "numbering",
            _W,
            "A numeric marker first appears out of order.",
            "Numbered markers should first appear in ascending order. The markers reported are "
            "the fewest whose move restores the order.",
        ),
        Rule(
            "reused-marker",
            "numbering",
            _W,
            "One numeric label used by two markers.",
            "In a document where each marker has its own note, the same number appears twice "
            "in the text: one of them probably should be the next number.",
        ),
        Rule(
            "unattributed-quote",
            "quotes",
            _W,
            "A long quotation with no marker near it.",
            "A quoted passage of ten or more words in the body has no marker in its sentence "
            "or the next: the source of the words is not given. A quoted title right after "
            "the number of a law or standard (№ 44-ФЗ «…», ГОСТ 5264-80 «…») is no quotation.",
        ),
        Rule(
            "undefined-citation",
            "citations",
            _E,
            "A cited key that no bibliography defines.",
            "The document cites a key (\\cite, [@key]) that is in none of its bibliographies: "
            "those given with --bib and those the document itself names (\\bibliography, "
            "\\addbibresource, bibliography: in front matter); another document's bibliography "
            "does not count. When a key differs only by letter case or a near miss, the "
            "suggestion names it.",
        ),
        Rule(
            "unused-bib-entry",
            "citations",
            _I,
            "A bibliography entry nothing cites.",
            "Reported only for documents that cite by key: the entry is never cited. Chapters "
            "that share a bibliography are judged together; \\nocite{*} (pandoc: nocite: @*) "
            "cites every entry; a Word or OpenDocument citation field cites the entry its "
            "work matches.",
        ),
        Rule(
            "duplicate-bib-key",
            "citations",
            _W,
            "Two bibliography entries share a key.",
            "The bibliography defines the same key twice; only one of the entries can be cited.",
        ),
        Rule(
            "bib-syntax-error",
            "citations",
            _E,
            "A bibliography entry that cannot be read.",
            "An entry has a syntax error (unclosed brace, empty key ...), or a CSL-JSON file is "
            "not an array of items. The other entries still load; this one is ignored until it "
            "is fixed.",
        ),
        Rule(
            "broken-link",
            "links",
            _E,
            "The linked source is gone.",
            "404, 410 and other client errors, server errors that persist after retries, or a "
            "host that does not exist while the network is up.",
        ),
        Rule(
            "unreachable-link",
            "links",
            _E,
            "The linked server could not be reached.",
            "Connection refused or reset, TLS failure, or a timeout after retries.",
        ),
        Rule(
            "blocked-link",
            "links",
            _W,
            "The server refused an automated check.",
            "401, 402, 403, 429 after retries, 999 or a known bot wall (challenge page, login "
            "redirect): the source may exist. Verify it by hand or cite an archived copy.",
        ),
        Rule(
            "soft-404",
            "links",
            _E,
            "A page that answers 200 but is really not found.",
            "A deep URL redirected to the site's home page, a page whose title says not found, "
            "or a page identical to the host's answer for a path that cannot exist. The last "
            "two need the page's body, which is read when the server refuses HEAD or the link "
            "has a #fragment to look for; a page that answers HEAD with 200 is not read.",
        ),
        Rule(
            "redirected-link",
            "links",
            _I,
            "The link is permanently redirected.",
            "The server answers with a permanent redirect; the suggestion is the new URL.",
        ),
        Rule(
            "insecure-link",
            "links",
            _I,
            "An http:// link whose https:// twin answers alike.",
            "The same page is available over https; cite that instead.",
        ),
        Rule(
            "invalid-url",
            "links",
            _E,
            "A URL that cannot be parsed.",
            "The link is malformed: no host, bad characters, an impossible port.",
        ),
        Rule(
            "missing-anchor",
            "links",
            _W,
            "The #fragment is not defined by the target page.",
            "The page exists but defines no element with that id or name.",
        ),
        Rule(
            "invalid-doi",
            "links",
            _E,
            "A malformed DOI.",
            "The DOI does not have the form 10.NNNN/suffix.",
        ),
        Rule(
            "invalid-isbn",
            "links",
            _E,
            "An ISBN with a bad checksum.",
            "The check digit of the ISBN-10 or ISBN-13 does not match: a digit is wrong.",
        ),
        Rule(
            "unresolved-doi",
            "links",
            _E,
            "doi.org does not know the DOI.",
            "The DOI is well formed but the DOI resolver answers that it does not exist.",
        ),
        Rule(
            "content-drift",
            "archive",
            _W,
            "The live source no longer says what was captured.",
            "The main text of the live page differs from its archived capture beyond the "
            "threshold; the finding gives the capture date.",
        ),
        Rule(
            "bad-capture",
            "archive",
            _W,
            "The archived copy is not the source.",
            "The capture is a login wall, a cookie banner or an error page and cannot stand "
            "for the source.",
        ),
        Rule(
            "metadata-mismatch",
            "metadata",
            _E,
            "A note disagrees with its source's metadata.",
            "One finding per field (volume, pages, year ...) with what was expected, what was "
            "found and where the expectation came from: the bibliography or the authority.",
        ),
        Rule(
            "unmatched-reference",
            "metadata",
            _W,
            "The note cites a work not in the bibliography.",
            "No bibliography entry matches the reference with confidence.",
        ),
        Rule(
            "bib-entry-outdated",
            "metadata",
            _W,
            "The bibliography disagrees with the authority.",
            "The bibliography entry's field differs from the publisher's record.",
        ),
        Rule(
            "retracted-source",
            "metadata",
            _E,
            "The cited work is retracted or withdrawn.",
            "The authority marks the work retracted (Crossref update-to / updated-by, or a "
            "RETRACTED title).",
        ),
    )
}


def finding(
    rule: str, path: str, line: int, column: int, label: str | None, message: str, **extra: Any
) -> Finding:
    """A finding of ``rule`` at its default severity; the pipeline applies overrides."""
    return Finding(
        rule=rule,
        severity=RULES[rule].severity,
        path=path,
        line=line,
        column=column,
        label=label,
        message=message,
        **extra,
    )


def label_text(rule: str, label: str) -> str:
    """What a finding's label names, for people: ``note 3``, or ``key smith2019`` for the
    citation rules, whose label is a bibliography key."""
    known = RULES.get(rule)
    return f"key {label}" if known is not None and known.family == "citations" else f"note {label}"


def rules_markdown() -> str:
    """docs/rules.md, generated from the catalogue (the test suite keeps them equal)."""
    lines = [
        "# Rules",
        "",
        "Generated from `src/citecheck/validate/rules.py`; `citecheck rules NAME` shows the same.",
        "Severities can be changed per rule in the configuration (see configuration.md).",
        "",
        "| rule | family | default severity | what it means |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{rule.name}` | {rule.family} | {rule.severity.value} | {rule.summary} |"
        for rule in RULES.values()
    ]
    for rule in RULES.values():
        lines += ["", f"## {rule.name}", "", f"*{rule.family}, {rule.severity.value}*", ""]
        lines += [rule.explanation]
    return "\n".join(lines) + "\n"
