"""Manuscripts end to end through the command line: a Word file built here, LaTeX corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docx_parts import HEAD, field, note, part, ref, rels, run, zip_parts

ZOTERO = {
    "citationID": "x1",
    "citationItems": [
        {
            "id": 7,
            "uris": ["http://zotero.org/users/1/items/WXYZ"],
            "itemData": {
                "id": 7,
                "type": "book",
                "title": "The Putin Exodus",
                "author": [{"family": "Herbst", "given": "John E."}],
                "issued": {"date-parts": [[2019]]},
            },
        }
    ],
}


# The Zotero item carries no DOI or ISBN: with one, the metadata stage would ask the
# authority over the network, and tests stay on 127.0.0.1.


def check(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = subprocess.run(
        [sys.executable, "-m", "citecheck", "check", *args, "--format", "json", "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stderr == "" or "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def word_file(gone_url: str) -> bytes:
    instruction = "ADDIN ZOTERO_ITEM CSL_CITATION " + json.dumps(ZOTERO).replace("&", "&amp;")
    body = (
        f"<w:p>{run('A first claim.')}{ref('footnote', 1)}</w:p>"
        f"<w:p>{run('The same note again.')}{ref('footnote', 1)}</w:p>"
        f"<w:p>{run('A second claim.')}{ref('footnote', 2)}</w:p>"
    )
    footnotes = note("footnote", 1, run(" ") + field(instruction, "Herbst 2019.")) + note(
        "footnote",
        2,
        run(" Gone: ") + '<w:hyperlink r:id="rId1">' + run("source") + "</w:hyperlink>",
    )
    return zip_parts(
        {
            "[Content_Types].xml": f"{HEAD}<Types/>",
            "word/document.xml": part("document", f"<w:body>{body}</w:body>"),
            "word/_rels/document.xml.rels": rels(("rId1", "footnotes", "footnotes.xml", False)),
            "word/footnotes.xml": part("footnotes", footnotes),
            "word/_rels/footnotes.xml.rels": rels(("rId1", "hyperlink", gone_url, True)),
        }
    )


def test_word_file_with_reused_mark_zotero_field_and_dead_link(tmp_path: Path, httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    path = tmp_path / "chapter.docx"
    path.write_bytes(word_file(httpserver.url_for("/gone")))
    code, report = check(str(path), "--allow-private")
    assert code == 1
    document = report["documents"][0]
    assert document["format"] == "docx"
    assert [m["label"] for m in document["markers"]] == ["1", "1", "2"]
    assert document["notes"][0]["text"] == "Herbst 2019."
    assert [c["key"] for c in document["citations"]] == ["http://zotero.org/users/1/items/WXYZ"]
    found = {(f["rule"], f["label"], f.get("location")) for f in report["findings"]}
    assert ("reused-marker", "1", "body, paragraph 2") in found
    broken = next(f for f in report["findings"] if f["rule"] == "broken-link")
    assert (broken["label"], broken["url"], broken["status"]) == (
        "2",
        httpserver.url_for("/gone"),
        404,
    )


def test_a_zotero_field_is_no_undefined_key_and_its_entry_is_cited(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@book{herbst2019putin, author={Herbst, John E.}, title={The Putin Exodus}, year={2019}}\n"
        "@book{roe2020, author={Roe, Anna}, title={Something Else Entirely}, year={2020}}\n",
        encoding="utf-8",
    )
    path = tmp_path / "chapter.docx"
    path.write_bytes(word_file("http://127.0.0.1:9/gone"))
    _, report = check(str(path), "--offline", "--bib", str(bib))
    found = [(f["rule"], f["label"]) for f in report["findings"]]
    assert ("unused-bib-entry", "roe2020") in found
    assert "undefined-citation" not in {rule for rule, _ in found}
    assert ("unused-bib-entry", "herbst2019putin") not in found


def test_a_zip_that_is_not_a_word_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(zip_parts({"hello.txt": "hi"}))
    result = subprocess.run(
        [sys.executable, "-m", "citecheck", "check", str(path), "--offline"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert str(path) in result.stderr and result.stderr.count("\n") == 1


def test_a_bibliography_with_no_good_entry_still_reports_each_broken_one(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{x, title={A}\n@book{,}\n", encoding="utf-8")
    essay = tmp_path / "essay.md"
    essay.write_text("Text.[^1]\n\n[^1]: See Smith.\n", encoding="utf-8")
    command = [sys.executable, "-m", "citecheck", "check", str(essay), "--bib", str(bib)]
    result = subprocess.run(
        [*command, "--offline", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    found = [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [("bib-syntax-error", 1), ("bib-syntax-error", 2)]


def test_keys_with_no_bibliography_to_check_them_are_a_notice(tmp_path: Path) -> None:
    chapter = tmp_path / "chapter.md"
    chapter.write_text("As shown [@smith2001; @doe, p. 4], and again [@doe].\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "citecheck", "check", str(chapter), "--offline", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert report["notices"] == [
        f"{chapter}: 2 citation keys not checked: no bibliography (give one with --bib)"
    ]
    assert report["findings"] == [] and result.returncode == 0


def _check_json(*arguments: str) -> tuple[int, dict[str, object]]:
    command = [sys.executable, "-m", "citecheck", "check", *arguments, "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return result.returncode, json.loads(result.stdout)


def test_a_documents_bibliography_does_not_count_for_another(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text(
        "@book{alpha, author={A}, title={Alpha}, year={2000}, publisher={P}}\n", encoding="utf-8"
    )
    chapter = tmp_path / "c.md"
    chapter.write_text("---\nbibliography: a.bib\n---\nText [@alpha].\n", encoding="utf-8")
    other = tmp_path / "d.md"
    other.write_text("Text [@beta].\n", encoding="utf-8")
    code, report = _check_json(str(chapter), str(other), "--offline")
    assert report["findings"] == [] and code == 0
    assert report["notices"] == [
        f"{other}: 1 citation key not checked: no bibliography (give one with --bib)"
    ]


def test_an_empty_bibliography_given_still_checks_the_keys(tmp_path: Path) -> None:
    empty = tmp_path / "refs.bib"
    empty.write_text("", encoding="utf-8")
    essay = tmp_path / "d.md"
    essay.write_text("Cite [@x].\n", encoding="utf-8")
    code, report = _check_json(str(essay), "--bib", str(empty), "--offline")
    findings = report["findings"]
    assert isinstance(findings, list)
    assert [(f["rule"], f["label"]) for f in findings] == [("undefined-citation", "x")]
    assert code == 1


def test_chapters_sharing_a_bibliography_are_judged_together(tmp_path: Path) -> None:
    (tmp_path / "book.bib").write_text(
        "@book{alpha, title={Alpha}, year={2000}}\n"
        "@book{beta, title={Beta}, year={2001}}\n"
        "@book{gamma, title={Gamma}, year={2002}}\n",
        encoding="utf-8",
    )
    for name, key in (("one.md", "alpha"), ("two.md", "beta")):
        text = f"---\nbibliography: book.bib\n---\nText [@{key}].\n"
        (tmp_path / name).write_text(text, encoding="utf-8")
    one, two = tmp_path / "one.md", tmp_path / "two.md"
    code, report = _check_json(str(one), str(two), "--offline")
    findings = report["findings"]
    assert isinstance(findings, list)
    assert [(f["rule"], f["label"], f["line"]) for f in findings] == [
        ("unused-bib-entry", "gamma", 3)
    ]
    assert findings[0]["message"] == f"entry 'gamma' is never cited in {one} or {two}"
    assert code == 0


def test_notes_are_matched_only_to_their_own_documents_bibliography(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text(
        "@book{alpha, author={Ann Alder}, title={Alpha Things}, year={2000}}\n", encoding="utf-8"
    )
    chapter = tmp_path / "c.md"
    chapter.write_text(
        "---\nbibliography: a.bib\n---\nText.[^1]\n\n"
        "[^1]: Brown, A. (2001) A History of Ink. Cambridge University Press.\n",
        encoding="utf-8",
    )
    other = tmp_path / "d.md"
    other.write_text(
        "Text.[^1]\n\n[^1]: Brown, A. (2001) A History of Ink. Cambridge University Press.\n",
        encoding="utf-8",
    )
    _, report = _check_json(str(chapter), str(other), "--offline")
    findings = report["findings"]
    assert isinstance(findings, list)
    assert [(f["rule"], f["path"]) for f in findings] == [("unmatched-reference", str(chapter))]


def test_a_file_named_twice_is_checked_once(tmp_path: Path) -> None:
    essay = tmp_path / "e.md"
    essay.write_text("Text.[^1] More.[^1]\n\n[^1]: A note.\n", encoding="utf-8")
    dotted = str(tmp_path / "." / "e.md")
    _, once = _check_json(str(essay), "--offline")
    _, report = _check_json(str(essay), dotted, str(tmp_path), "--offline")
    documents = report["documents"]
    assert isinstance(documents, list)
    assert [d["path"] for d in documents] == [str(essay)]
    assert report["findings"] == once["findings"] != []


@pytest.mark.parametrize(
    ("tex", "bib"),
    [
        ("astropy-v2.0-paper.main.tex", "astropy-v2.0-paper.bibliography.bib"),
        ("biblatex-examples.72-style-verbose-note.tex", "biblatex-examples.bib"),
        ("biblatex-examples.74-style-verbose-trad1.tex", "biblatex-examples.bib"),
    ],
)
def test_latex_corpus_has_no_false_undefined_citation(corpus: Path, tex: str, bib: str) -> None:
    _, report = check(
        str(corpus / "latex" / tex), "--bib", str(corpus / "latex" / bib), "--offline"
    )
    rules = {f["rule"] for f in report["findings"]}
    assert "undefined-citation" not in rules
    assert report["documents"][0]["citations"]


def _thesis(folder: Path) -> None:
    """A main file and a chapter it reads in, with a bibliography that defines ``known``."""
    (folder / "ch").mkdir(parents=True)
    (folder / "refs.bib").write_text("@book{known, title={Known}, year={2000}}\n", "utf-8")
    (folder / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n"
        "Intro.\\footnote{First.} \\cite{known}\n"
        "Again \\cite{lost}.\n"
        "\\input{ch/two}\n\\bibliography{refs}\n\\end{document}\n",
        encoding="utf-8",
    )
    (folder / "ch" / "two.tex").write_text(
        "Chapter two.\\footnote[3]{Jumps.}\n"
        "As \\cite{nosuch} shows.\n"
        "% citecheck: ignore undefined-citation\n"
        "Quiet \\cite{hushed}.\n",
        encoding="utf-8",
    )


def _check_in(folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "citecheck", "check", *arguments, "--offline", "--no-cache"]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=folder)


def test_findings_in_an_included_latex_file_name_that_file_and_its_lines(tmp_path: Path) -> None:
    _thesis(tmp_path / "paper")
    result = _check_in(tmp_path, "paper/main.tex", "--format", "json")
    report = json.loads(result.stdout)
    chapter = "paper/ch/two.tex"
    found = [(f["rule"], f["label"], f["path"], f["line"], f["column"]) for f in report["findings"]]
    # The chapter's ignore comment (its line 3) hides 'hushed' on its line 4, not main.tex's line 4.
    assert found == [
        ("numbering-gap", "2", chapter, 1, 13),
        ("undefined-citation", "nosuch", chapter, 2, 10),
        ("undefined-citation", "lost", "paper/main.tex", 4, 13),
    ]
    (document,) = report["documents"]
    assert document["markers"][1] == {"label": "3", "line": 1, "column": 13, "path": chapter}
    assert document["notes"][1]["path"] == chapter
    assert [c.get("path") for c in document["citations"]] == [None, None, chapter, chapter]
    assert result.returncode == 1


def test_sarif_points_at_the_included_file(tmp_path: Path) -> None:
    _thesis(tmp_path / "paper")
    result = _check_in(tmp_path, "paper/main.tex", "--format", "sarif")
    results = json.loads(result.stdout)["runs"][0]["results"]
    nosuch = next(r for r in results if "'nosuch'" in r["message"]["text"])
    place = nosuch["locations"][0]["physicalLocation"]
    assert place["artifactLocation"]["uri"] == "paper/ch/two.tex"
    assert place["region"] == {"startLine": 2, "startColumn": 10}


def test_a_folder_checks_an_included_chapter_once_as_part_of_its_main_file(
    tmp_path: Path,
) -> None:
    _thesis(tmp_path / "paper")
    by_file = json.loads(_check_in(tmp_path, "paper/main.tex", "--format", "json").stdout)
    by_folder = json.loads(_check_in(tmp_path, "paper", "--format", "json").stdout)
    assert [d["path"] for d in by_folder["documents"]] == ["paper/main.tex"]
    assert by_folder["findings"] == by_file["findings"]
    alone = json.loads(_check_in(tmp_path, "paper/ch/two.tex", "--format", "json").stdout)
    assert [d["path"] for d in alone["documents"]] == ["paper/ch/two.tex"]


def test_two_files_that_read_each_other_are_both_checked(tmp_path: Path) -> None:
    (tmp_path / "a.tex").write_text("A.\\footnote{One.}\n\\input{b}\n", encoding="utf-8")
    (tmp_path / "b.tex").write_text("B.\\footnote{Two.}\n\\input{a}\n", encoding="utf-8")
    report = json.loads(_check_in(tmp_path, ".", "--format", "json").stdout)
    assert [d["path"] for d in report["documents"]] == ["./a.tex", "./b.tex"]


def test_a_dangling_link_in_a_folder_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("A.[^1]\n\n[^1]: Note.\n", encoding="utf-8")
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")
    code, report = _check_json(str(tmp_path), "--offline")
    documents = report["documents"]
    assert isinstance(documents, list) and code == 0
    assert [d["path"] for d in documents] == [str(tmp_path / "a.md")]
    named = _check_in(tmp_path, "gone.md")
    assert named.returncode == 2 and "gone.md" in named.stderr
