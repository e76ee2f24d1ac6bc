"""Fingerprints name a file the same way however its path was typed."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from citecheck.model import Finding, Report, Severity
from citecheck.report.fingerprint import fingerprint, portable_path
from citecheck.report.sarif_format import render


def _finding(path: str) -> Finding:
    return Finding("missing-note", Severity.ERROR, path, 3, 7, "4", "marker 4 points to no note")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "essays").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "typed",
    [
        "essays/a.md",
        "./essays/a.md",
        "essays//a.md",
        "essays/./a.md",
        "essays/../essays/a.md",
        "essays\\a.md",
        "{project}/essays/a.md",
        "{project}/essays/../essays/a.md",
    ],
)
def test_every_spelling_of_a_file_inside_the_folder_is_one_path(project: Path, typed: str) -> None:
    spelled = typed.format(project=project)
    assert portable_path(spelled) == "essays/a.md"
    assert fingerprint(_finding(spelled)) == fingerprint(_finding("essays/a.md"))


def test_a_file_outside_the_folder_keeps_its_steps_up(project: Path) -> None:
    os.chdir(project / "essays")
    outside = project / "notes.md"
    assert portable_path(str(outside)) == "../notes.md"
    assert portable_path("../notes.md") == "../notes.md"
    assert fingerprint(_finding(str(outside))) == fingerprint(_finding("../notes.md"))


def test_a_link_to_the_folder_is_seen_through(project: Path, tmp_path: Path) -> None:
    link = tmp_path.parent / f"{tmp_path.name}-link"
    link.symlink_to(project, target_is_directory=True)
    try:
        assert portable_path(str(link / "essays" / "a.md")) == "essays/a.md"
    finally:
        link.unlink()


def test_plain_relative_paths_hash_as_in_version_1(project: Path) -> None:
    """Baselines and code-scanning alerts written before paths were normalised still match."""
    item = _finding("essays/a.md")
    parts = ("missing-note", "essays/a.md", "4", "marker 4 points to no note")
    earlier = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
    assert fingerprint(item) == earlier


def test_sarif_gives_one_fingerprint_for_two_spellings(project: Path) -> None:
    def prints(path: str) -> object:
        sarif = json.loads(render(Report((), (_finding(path),))))
        return sarif["runs"][0]["results"][0]["partialFingerprints"]

    assert prints("./essays/a.md") == prints(str(project / "essays" / "a.md"))
