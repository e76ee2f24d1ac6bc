"""The JSON report's layout: the same data as the model, one record per line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from citecheck.options import Options
from citecheck.pipeline import check
from citecheck.report.json_format import as_dict, layout, render

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(JSON_VALUES)
def test_layout_is_json_of_the_same_value(value: Any) -> None:
    assert json.loads(layout(value)) == value


def test_essay_report_reads_back_with_one_note_and_one_finding_per_line(essay: Path) -> None:
    report = check(essay, Options(offline=True, cache=None))
    text = render(report)
    assert json.loads(text) == as_dict(report)
    lines = text.splitlines()
    notes = [line for line in lines if line.lstrip().startswith('{"label": ')]
    findings = [line for line in lines if line.lstrip().startswith('{"rule": ')]
    assert len(findings) == len(report.findings) == 3
    assert len(notes) == len(report.documents[0].notes) + len(report.documents[0].markers)
    assert all(json.loads(line.strip().rstrip(",")) for line in notes + findings)
    assert "Недостойное правление" in text  # not escaped to \\u sequences


def test_records_made_as_they_are_written_give_the_same_text(essay: Path, tmp_path: Path) -> None:
    """render makes each note's dict only when writing it; the text is the same as from the
    whole data, empty lists (no citations, an empty document) included."""
    empty = tmp_path / "empty.md"
    empty.write_text("Nothing cited here.\n", encoding="utf-8")
    for path in (essay, empty):
        report = check(path, Options(offline=True, cache=None))
        assert render(report) == layout(as_dict(report)) + "\n"
    assert '"citations": []' in render(check(essay, Options(offline=True, cache=None)))
