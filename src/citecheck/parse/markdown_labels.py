"""Note labels matched regardless of letter case, as cmark-gfm matches them.

``[^Note]`` points to ``[^note]: ...``; the numbering rules compare labels exactly, so every
marker and note whose label differs only in case from an earlier one takes that one's label:
the first note's, or the first marker's where no note has it.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import chain

from citecheck.model import Citation
from citecheck.parse.markdown_inline import Collector


def match_labels(sink: Collector) -> None:
    """Give the markers, notes and note citations in ``sink`` one label per letter-case-free
    label."""
    renamed = _renamed(sink)
    if not renamed:
        return
    sink.markers = [
        replace(marker, label=renamed[marker.label]) if marker.label in renamed else marker
        for marker in sink.markers
    ]
    for note in sink.notes:
        note.label = renamed.get(note.label, note.label)
        note.citations = _relabelled(note.citations, renamed)
    sink.citations = _relabelled(sink.citations, renamed)


def _renamed(sink: Collector) -> dict[str, str]:
    """Each label that gives way -> the label it takes."""
    first: dict[str, str] = {}
    renamed: dict[str, str] = {}
    labels = chain((note.label for note in sink.notes), (marker.label for marker in sink.markers))
    for label in dict.fromkeys(labels):
        kept = first.setdefault(label.casefold(), label)
        if kept != label:
            renamed[label] = kept
    return renamed


def _relabelled(citations: list[Citation], renamed: dict[str, str]) -> list[Citation]:
    return [
        replace(citation, note_label=renamed[citation.note_label])
        if citation.note_label in renamed
        else citation
        for citation in citations
    ]
