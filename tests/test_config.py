"""Configuration files: discovery, checking, precedence and the effective view."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from citecheck.config import KEYS, load_config, load_file, merge, sources
from citecheck.config_describe import describe
from citecheck.errors import ConfigError
from citecheck.model import Severity
from citecheck.options import HostPolicy, Options

PYPROJECT = """\
[project]
name = "essays"

[tool.citecheck]
timeout = 5
concurrency = 16
per_host = 2
fail_on = "warning"
exclude = ["^https://localhost"]
mailto = "editor@example.org"
cache = ".cache/links.sqlite"
archive = "archive"
bibliographies = ["refs.bib"]

[tool.citecheck.rules]
broken-link = "warning"
unattributed-quote = "off"

[tool.citecheck.remap]
"^http://old.example.org/(.*)" = "https://new.example.org/$1"

[tool.citecheck.hosts."Example.org"]
concurrency = 2
interval = 1.0
headers = { Accept = "text/html" }
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    essays = tmp_path / "essays" / "2022"
    essays.mkdir(parents=True)
    return essays


def test_found_from_a_subfolder_upward(project: Path) -> None:
    config = load_config(project)
    root = project.parent.parent
    assert config.path == root / "pyproject.toml"
    assert config.values["timeout"] == 5.0
    assert config.values["fail_on"] is Severity.WARNING
    assert config.values["severities"] == (
        ("broken-link", "warning"),
        ("unattributed-quote", "off"),
    )
    assert config.values["hosts"] == (
        ("example.org", HostPolicy(2, 1.0, (("Accept", "text/html"),))),
    )
    assert config.values["remap"] == (
        ("^http://old.example.org/(.*)", "https://new.example.org/$1"),
    )
    assert config.values["cache"] == str(root / ".cache/links.sqlite")
    assert config.values["bibliographies"] == (str(root / "refs.bib"),)
    assert config.sources["severities"] == f"{root / 'pyproject.toml'}: tool.citecheck.rules"


def test_citecheck_toml_wins_over_a_pyproject_further_up(project: Path) -> None:
    (project / "citecheck.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    config = load_config(project / "essay.md")
    assert config.path == project / "citecheck.toml"
    assert config.values == {"fail_on": None}
    assert config.sources["fail_on"] == f"{project / 'citecheck.toml'}: fail_on"


def test_pyproject_without_a_citecheck_table_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.citecheck]\nper_host = 1\n")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(inner).values == {"per_host": 1}


def test_no_file_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.path is None
    assert merge(Options(), config, {}) == Options()


def test_precedence_flag_over_file_over_default(project: Path) -> None:
    config = load_config(project)
    flags = {
        "timeout": 9.0,
        "severities": (("broken-link", "error"),),
        "exclude": ("x",),
        "fail_on": None,
    }
    options = merge(Options(), config, flags)
    assert options.timeout == 9.0
    assert options.fail_on is None
    assert options.concurrency == 16
    assert options.max_redirects == Options().max_redirects
    assert dict(options.severities) == {"broken-link": "error", "unattributed-quote": "off"}
    assert options.exclude == ("^https://localhost", "x")
    origin = sources(config, flags)
    assert origin["timeout"] == "command line"
    assert origin["concurrency"].endswith("pyproject.toml: tool.citecheck.concurrency")
    assert origin["severities"].startswith("command line + ")
    assert origin["max_redirects"] == "default"


def test_describe_prints_each_value_with_its_source(project: Path) -> None:
    config = load_config(project)
    flags = {"offline": True}
    text = describe(merge(Options(), config, flags), config, flags)
    lines = text.splitlines()
    assert lines[0] == f"# configuration file: {config.path}"
    assert "offline = true  # command line" in lines
    assert f"timeout = 5.0  # {config.path}: tool.citecheck.timeout" in lines
    assert "max_retries = 2  # default" in lines
    assert (
        'hosts = {"example.org" = {concurrency = 2, interval = 1.0, headers = {Accept = '
        '"text/html"}}}  # ' + f"{config.path}: tool.citecheck.hosts"
    ) in lines


def test_describe_can_be_copied_back_into_a_file(project: Path, tmp_path: Path) -> None:
    config = load_config(project)
    flags = {"offline": True, "fail_on": None, "exclude": ('^https://a"b\\\\',)}
    options = merge(Options(), config, flags)
    copy = tmp_path / "copy" / "citecheck.toml"
    copy.parent.mkdir()
    copy.write_text(describe(options, config, flags), encoding="utf-8")
    assert merge(Options(), load_file(copy), {}) == options


def test_describe_shows_only_keys_a_file_accepts(tmp_path: Path) -> None:
    text = describe(Options(), load_config(tmp_path), {})
    keys = [line.split(" = ")[0] for line in text.splitlines() if not line.startswith("#")]
    unset = [line[2:].split(":")[0] for line in text.splitlines()[1:] if line.startswith("# ")]
    assert sorted(keys + unset) == sorted(KEYS)
    assert "# archive: not set (default)" in text.splitlines()
    assert "exclude = []  # default" in text.splitlines()
    assert "rules = {}  # default" in text.splitlines()
    table = tomllib.loads(text)
    assert table["bibliographies"] == [] and table["fail_on"] == "error"
    copied = tmp_path / "citecheck.toml"
    copied.write_text(text, encoding="utf-8")
    assert merge(Options(), load_file(copied), {}) == replace(
        Options(), cache=str(tmp_path / ".citecheck" / "cache.sqlite")
    )


def test_configuration_docs_list_exactly_the_accepted_keys() -> None:
    docs = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"
    section = docs.read_text(encoding="utf-8").split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.split(" | ")[0] for line in section.splitlines() if line.startswith("| `")]
    assert sorted(key for row in rows for key in re.findall(r"`(\w+)`", row)) == sorted(KEYS)


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ("timout = 3", "tool.citecheck.timout", "unknown key"),
        ("timeout = 0", "tool.citecheck.timeout", "> 0"),
        ("timeout = 'fast'", "tool.citecheck.timeout", "seconds"),
        ("timeout = '5'", "tool.citecheck.timeout", "expected a number of seconds > 0, got '5'"),
        ("timeout = inf", "tool.citecheck.timeout", "expected a number of seconds > 0, got inf"),
        ("max_cache_age = nan", "tool.citecheck.max_cache_age", "seconds >= 0, got nan"),
        ("interval = -1", "tool.citecheck.interval", "seconds >= 0, got -1"),
        ("cache = true", "tool.citecheck.cache", "expected a file name or false"),
        ("input_format = 'pdf'", "tool.citecheck.input_format", "one of text, markdown, html"),
        ("concurrency = true", "tool.citecheck.concurrency", "positive integer"),
        ("per_host = -1", "tool.citecheck.per_host", "positive integer"),
        ("fail_on = 'fatal'", "tool.citecheck.fail_on", "never"),
        ("mailto = 'nobody'", "tool.citecheck.mailto", "email"),
        ("exclude = 'x'", "tool.citecheck.exclude", "list of strings"),
        ("exclude = ['x', 3]", "tool.citecheck.exclude[1]", "non-empty string"),
        ("rules = { broken-lnk = 'off' }", "tool.citecheck.rules.broken-lnk", "unknown rule"),
        ("rules = { broken-link = 'fatal' }", "tool.citecheck.rules.broken-link", "off"),
        ('hosts = { "a.org" = { burst = 2 } }', 'tool.citecheck.hosts."a.org".burst', "unknown"),
        ('hosts = { "a.org" = { headers = { X = 1 } } }', 'hosts."a.org".headers.X', "string"),
        ("crossref_url = 'ftp://x'", "tool.citecheck.crossref_url", "http"),
        (
            "exclude = ['^https://ok', '(unclosed']",
            "tool.citecheck.exclude[1]",
            "bad regular expression '(unclosed': ",
        ),
        (
            'remap = { "[a-" = "https://x/" }',
            'tool.citecheck.remap."[a-"',
            "bad regular expression '[a-': ",
        ),
        (
            'remap = { "/(404)$" = "/ok/$2" }',
            'tool.citecheck.remap."/(404)$"',
            "replacement '/ok/$2' refers to group 2",
        ),
    ],
)
def test_bad_keys_and_values_name_file_and_key(
    tmp_path: Path, body: str, key: str, problem: str
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.citecheck]\n{body}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert key in message and problem in message and "\n" not in message


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "citecheck.toml").write_text("timeout = = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"citecheck.toml: invalid TOML.*line 1"):
        load_config(tmp_path)


def test_explicit_file_and_cache_off(tmp_path: Path) -> None:
    path = tmp_path / "ci.toml"
    path.write_text("cache = false\noffline = true\n", encoding="utf-8")
    config = load_file(path)
    assert merge(Options(), config, {}).cache is None
    assert config.sources["offline"] == f"{path}: offline"


def test_unknown_flag_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown option speed"):
        merge(Options(), load_config(tmp_path), {"speed": 3})
