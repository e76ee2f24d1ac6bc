"""Baselines from the command line: written without reading one, found however paths are typed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.cli import main

ESSAY = "A claim.1 Another.2 Third.3\n\n[1] First.\n[2] Second.\n[2] Third, misnumbered.\n"
"""Two errors: marker 3 has no note, and note [2] is there twice."""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder, the current folder, holding essay.txt and docs/."""
    (tmp_path / "essay.txt").write_text(ESSAY, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _findings(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    findings: list[dict[str, object]] = json.loads(capsys.readouterr().out)["findings"]
    return findings


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("./essay.txt", "essay.txt"),
        ("essay.txt", "./essay.txt"),
        ("essay.txt", "{project}/essay.txt"),
        ("{project}/essay.txt", "docs/../essay.txt"),
        ("{project}/./essay.txt", ".//essay.txt"),
    ],
)
def test_a_baseline_holds_however_the_path_is_typed(
    project: Path, capsys: pytest.CaptureFixture[str], written: str, read: str
) -> None:
    written, read = (p.format(project=project) for p in (written, read))
    assert main(["check", written, "--offline", "--write-baseline", "b.json"]) == 0
    capsys.readouterr()
    code = main(["check", read, "--offline", "--baseline", "b.json", "--format", "json"])
    assert _findings(capsys) == []
    assert code == 0


def test_one_more_finding_is_still_new_with_another_spelling(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "./essay.txt", "--offline", "--write-baseline", "b.json"]) == 0
    (project / "essay.txt").write_text(ESSAY + "[2] Again.\n", encoding="utf-8")
    capsys.readouterr()
    main(
        [
            "check",
            str(project / "essay.txt"),
            "--offline",
            "--baseline",
            "b.json",
            "--format",
            "json",
        ]
    )
    assert [f["rule"] for f in _findings(capsys)] == ["duplicate-note"]


def test_writing_a_configured_baseline_does_not_read_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.citecheck]\nbaseline = "baseline.json"\n', encoding="utf-8"
    )
    assert main(["check", "essay.txt", "--offline", "--write-baseline", "baseline.json"]) == 0
    recorded = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert sum(recorded["fingerprints"].values()) == 2
    capsys.readouterr()
    assert main(["check", "essay.txt", "--offline", "--format", "json"]) == 0
    assert _findings(capsys) == []


def test_rewriting_a_configured_baseline_records_every_finding(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not only those the old baseline lacked: the new one replaces it."""
    (project / "citecheck.toml").write_text('baseline = "baseline.json"\n', encoding="utf-8")
    assert main(["check", "essay.txt", "--offline", "--write-baseline", "baseline.json"]) == 0
    (project / "essay.txt").write_text(ESSAY + "[2] Again.\n", encoding="utf-8")
    assert main(["check", "essay.txt", "--offline", "--write-baseline", "baseline.json"]) == 0
    recorded = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert sum(recorded["fingerprints"].values()) == 3
    capsys.readouterr()
    assert main(["check", "essay.txt", "--offline", "--format", "json"]) == 0
    assert _findings(capsys) == []


def test_a_configured_baseline_not_written_yet_names_file_and_key(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project / "pyproject.toml"
    config.write_text('[tool.citecheck]\nbaseline = "baseline.json"\n', encoding="utf-8")
    assert main(["check", "essay.txt", "--offline"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"citecheck: error: {config}: tool.citecheck.baseline: baseline baseline.json does not "
        "exist yet; write it with citecheck check PATH --write-baseline baseline.json\n"
    )


def test_a_baseline_flag_naming_no_file_is_the_same_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "essay.txt", "--offline", "--baseline", "nowhere.json"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("citecheck: error: --baseline: baseline nowhere.json does not exist")
