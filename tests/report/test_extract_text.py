"""``citecheck extract`` in text: everything a note yields, so a user can see what was read."""

from __future__ import annotations

from pathlib import Path

from citecheck import pipeline
from citecheck.report.extract_text import render


def test_notes_show_links_identifiers_and_keys(tmp_path: Path) -> None:
    essay = tmp_path / "e.md"
    essay.write_text(
        "A claim.[^1] Another [@smith].\n\n"
        "[^1]: See doi:10.1000/XYZ.1 and ISBN 978-0-306-40615-7, also ISBN 978-0-306-40615-8, "
        "<https://example.org/a>, and [@jones, p. 3].\n",
        encoding="utf-8",
    )
    lines = render(pipeline.extract([essay])).splitlines()
    assert lines[0] == f"{essay} (markdown): 1 marker, 1 note"
    assert "      doi 10.1000/xyz.1" in lines
    assert "      isbn 9780306406157" in lines
    assert "      isbn 9780306406158 (invalid)" in lines
    assert "      link https://example.org/a" in lines
    assert "      cites @jones" in lines
    assert "  cites @smith at 1:23" in lines
