"""The Python API: citecheck.check(paths, **options) -> Report, and Report.render(format)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import citecheck
from citecheck.options import Options, with_fields

ROOT = Path(__file__).resolve().parent.parent
BIBLIOGRAPHY = ROOT / "bibliographies" / "learning-for-freedom.bib"


def test_check_takes_options_as_keywords(essay: Path) -> None:
    report = citecheck.check(
        essay,
        offline=True,
        bibliographies=[str(BIBLIOGRAPHY)],
        severities={"unattributed-quote": "off"},
        fail_on="never",
    )
    rules = sorted({finding.rule for finding in report.findings})
    assert rules == ["duplicate-note", "metadata-mismatch", "missing-note"]
    assert not report.failed
    rendered = json.loads(report.render("json"))
    assert [f["rule"] for f in rendered["findings"]] == [f.rule for f in report.findings]


def test_keywords_override_an_options_object(essay: Path) -> None:
    strict = Options(offline=True, fail_on=citecheck.Severity.WARNING)
    assert citecheck.check(essay, strict).failed
    assert not citecheck.check(essay, strict, fail_on="never").failed


def test_an_unknown_option_is_named() -> None:
    with pytest.raises(TypeError, match="unknown option offlien"):
        with_fields(Options(), {"offlien": True})


@pytest.mark.parametrize(
    ("severities", "named"),
    [({"broken-lnk": "off"}, "unknown rule 'broken-lnk'"), ({"broken-link": "fatal"}, "'fatal'")],
)
def test_a_wrong_severity_is_named(severities: dict[str, str], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        with_fields(Options(), {"severities": severities})
    assert with_fields(Options(), {"severities": {"broken-link": "off"}}).severities == (
        ("broken-link", "off"),
    )


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"timeout": -1}, "timeout: expected a number of seconds > 0, got -1"),
        ({"concurrency": 0}, "concurrency: expected a positive integer, got 0"),
        ({"mailto": "nobody"}, "mailto: "),
    ],
)
def test_a_value_the_configuration_refuses_is_refused(
    values: dict[str, object], named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        with_fields(Options(), values)


def test_checked_values_keep_their_meaning() -> None:
    options = with_fields(Options(), {"timeout": 5, "min_interval": 0, "workers": None})
    assert (options.timeout, options.min_interval, options.workers) == (5.0, 0.0, None)


def test_plain_values_become_the_field_types() -> None:
    options = with_fields(
        Options(), {"exclude": ["a", "b"], "remap": [["x", "y"]], "fail_on": "info"}
    )
    assert options.exclude == ("a", "b")
    assert options.remap == (("x", "y"),)
    assert options.fail_on is citecheck.Severity.INFO


def test_an_offline_check_without_keys_leaves_the_http_stack_and_matchers_unimported(
    tmp_path: Path,
) -> None:
    """aiohttp, httpx, rapidfuzz and the bibliography readers cost start-up time and memory
    that a check fetching nothing and matching no keys never uses."""
    essay = tmp_path / "e.md"
    essay.write_text("Claim.[^1]\n\n[^1]: Source, https://example.org/a\n", encoding="utf-8")
    script = (
        "import sys, citecheck.cli\n"
        f"report = citecheck.check({str(essay)!r}, offline=True, cache=None)\n"
        "heavy = ('aiohttp', 'httpx', 'rapidfuzz', 'pybtex')\n"
        "print(len(report.documents[0].notes), sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "[]"]
