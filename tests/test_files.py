"""Files replaced whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from citecheck.files import write_atomic


def test_the_old_file_stays_whole_when_writing_fails(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    write_atomic(path, "old")
    with pytest.raises(TypeError):
        write_atomic(path, 12)  # type: ignore[arg-type]
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_the_new_text_replaces_the_old(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    write_atomic(path, "old text, longer")
    write_atomic(str(path), "new")
    assert path.read_text(encoding="utf-8") == "new"
