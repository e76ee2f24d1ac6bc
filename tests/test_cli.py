"""The command line, end to end: exit codes, formats, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "citecheck", *args], capture_output=True, text=True, check=False
    )


def test_essay_json_reports_the_three_defects_and_exits_1(essay: Path) -> None:
    result = run("check", str(essay), "--format", "json", "--offline")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert report["tool"]["name"] == "citecheck"
    found = [(f["rule"], f["label"]) for f in report["findings"]]
    assert sorted(found, key=str) == sorted(
        [("duplicate-note", "5"), ("missing-note", "6"), ("unattributed-quote", None)], key=str
    )
    missing = next(f for f in report["findings"] if f["rule"] == "missing-note")
    assert "renumber the second note [5]" in missing["suggestion"]
    assert report["summary"] == {"error": 2, "warning": 1, "info": 0}
    document = report["documents"][0]
    assert [m["label"] for m in document["markers"]] == ["1", "2", "3", "4", "5", "6"]
    assert document["notes"][3]["urls"] == ["https://theins.ru/opinions/sergei-erofeev/247593"]
    assert set(document["notes"][0]) >= {"label", "line", "column", "text", "urls", "dois", "isbns"}


def test_text_output_is_grouped_with_a_summary_line(essay: Path) -> None:
    result = run("check", str(essay), "--offline")
    lines = result.stdout.splitlines()
    assert lines[0] == str(essay)
    assert f"{essay}:36:1: error duplicate-note: note [5] repeats" in result.stdout
    assert lines[-2] == "note: offline: 2 links not checked"
    assert lines[-1] == "1 document, 6 markers, 6 notes: 2 errors, 1 warning, 0 infos"
    assert "\x1b[" not in result.stdout


def test_fail_on_never_and_warning(essay: Path) -> None:
    assert main(["check", str(essay), "--offline", "--fail-on", "never", "--format", "json"]) == 0
    assert main(["check", str(essay), "--offline", "--fail-on", "warning", "--format", "json"]) == 1


def test_clean_file_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_text("A claim.1 Another.2\n\n[1] First.\n[2] Second.\n", encoding="utf-8")
    result = run("check", str(path), "--offline")
    assert result.returncode == 0
    assert "0 errors" in result.stdout


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no such file or directory"),
        (lambda p: p.write_bytes(b"\x00\x01\x02" * 100), "binary file"),
        (lambda p: p.write_bytes(b"\xff\xfeE\x00s\x00\x01"), "byte-order mark"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.txt"
    setup(path)
    result = run("check", str(path), "--offline")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert message in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--output", "{missing}/report.json"], "report.json: cannot write"),
        (["--summary", "{missing}/summary.md"], "summary.md: cannot write"),
        (["--severity", "no-such-rule=error"], "unknown rule"),
        (["--severity", "missing-note=loud"], "expected one of error, warning, info, off"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(
    tmp_path: Path, essay: Path, arguments: list[str], message: str
) -> None:
    filled = [a.replace("{missing}", str(tmp_path / "missing")) for a in arguments]
    result = run("check", str(essay), "--offline", *filled)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not (tmp_path / "missing").exists()


def test_verifying_a_missing_archive_folder_exits_2(tmp_path: Path) -> None:
    result = run("archive", "verify", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr == f"citecheck: error: {tmp_path / 'nowhere'}: no such archive folder\n"


def test_unknown_input_format_is_a_usage_error(essay: Path) -> None:
    result = run("check", str(essay), "--input-format", "pdf")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_directory_of_mixed_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Claim.1\n\n[1] Note.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("Claim.[^1]\n\n[^1]: Note.\n", encoding="utf-8")
    (tmp_path / "c.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.txt").write_text("Claim.2\n\n[1] Note.\n", encoding="utf-8")
    result = run("check", str(tmp_path), "--format", "json", "--offline")
    report = json.loads(result.stdout)
    assert [Path(d["path"]).name for d in report["documents"]] == ["a.txt", "b.md", "d.txt"]
    assert result.returncode == 1


def test_output_file_is_written_whole(tmp_path: Path, essay: Path) -> None:
    out = tmp_path / "report.json"
    assert main(["check", str(essay), "--offline", "--format", "json", "--output", str(out)]) == 1
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_report_and_baseline_files_get_the_usual_permissions(
    tmp_path: Path, essay: Path, umask: int
) -> None:
    previous = os.umask(umask)
    try:
        run("check", str(essay), "--offline", "--format", "html", "--output", str(tmp_path / "r"))
        run("check", str(essay), "--offline", "--write-baseline", str(tmp_path / "b"))
    finally:
        os.umask(previous)
    for name in ("r", "b"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask


def test_file_that_disappears_mid_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from citecheck import pipeline

    keep = tmp_path / "keep.txt"
    gone = tmp_path / "gone.txt"
    for path in (keep, gone):
        path.write_text("Claim.1\n\n[1] Note.\n", encoding="utf-8")
    listed = pipeline.collect_files([str(tmp_path)])
    monkeypatch.setattr(pipeline, "collect_files", lambda paths: listed)
    os.unlink(gone)
    assert main(["check", str(tmp_path), "--offline"]) == 2


CLOSED_PIPE = """
import sys
from citecheck.cli import main


class ClosedPipe:
    \"\"\"Standard output whose reader has gone: every write fails as on a closed pipe.\"\"\"

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def __getattr__(self, name):
        return getattr(self.stream, name)


sys.stdout = ClosedPipe(sys.stdout)
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    "command", [["rules"], ["check", "--offline", "--format", "json"], ["check", "--offline"]]
)
def test_a_reader_that_stops_early_ends_the_run_quietly(essay: Path, command: list[str]) -> None:
    """``citecheck rules | head -1``: exit as a killed pipe writer does, no traceback."""
    arguments = [*command, str(essay)] if command[0] == "check" else command
    result = subprocess.run(
        [sys.executable, "-c", CLOSED_PIPE, *arguments], capture_output=True, check=False
    )
    assert result.returncode == 141
    assert result.stderr == b""


def test_extract_shows_what_was_understood(essay: Path) -> None:
    result = run("extract", str(essay))
    assert result.returncode == 0
    assert "6 markers, 6 notes" in result.stdout
    assert "link https://theins.ru/opinions/sergei-erofeev/247593" in result.stdout
    data = json.loads(run("extract", str(essay), "--format", "json").stdout)
    assert len(data["documents"][0]["notes"]) == 6


def test_rules_lists_and_explains() -> None:
    listing = run("rules")
    assert "duplicate-note" in listing.stdout and "broken-link" in listing.stdout
    one = run("rules", "missing-note")
    assert one.stdout.startswith("missing-note (error, numbering)")
    assert run("rules", "no-such-rule").returncode == 2


def test_links_are_checked_against_a_local_server(tmp_path: Path, httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/alive").respond_with_data(
        "<title>Here</title>", content_type="text/html"
    )
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    path = tmp_path / "essay.txt"
    alive, gone = httpserver.url_for("/alive"), httpserver.url_for("/gone")
    path.write_text(f"One.1 Two.2\n\n[1] Alive: {alive}\n[2] Gone: {gone}.\n", encoding="utf-8")
    result = run("check", str(path), "--format", "json", "--allow-private", "--no-cache")
    report = json.loads(result.stdout)
    broken = [f for f in report["findings"] if f["rule"] == "broken-link"]
    assert [(f["label"], f["url"], f["status"]) for f in broken] == [
        ("2", httpserver.url_for("/gone"), 404)
    ]
    assert (broken[0]["line"], broken[0]["column"]) == (4, 11)
    assert result.returncode == 1


def test_network_unplugged_reports_no_broken_link(tmp_path: Path) -> None:
    path = tmp_path / "essay.txt"
    path.write_text(
        "One.1\n\n[1] See https://source.invalid/page and https://other.invalid/x\n",
        encoding="utf-8",
    )
    result = run("check", str(path), "--format", "json", "--no-cache")
    report = json.loads(result.stdout)
    assert report["notices"] == ["network unavailable: 2 links not checked"]
    assert report["findings"] == []
    assert result.returncode == 0


def test_private_addresses_are_refused_by_default(tmp_path: Path, httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/alive").respond_with_data("ok")
    path = tmp_path / "essay.txt"
    path.write_text(f"One.1\n\n[1] {httpserver.url_for('/alive')}\n", encoding="utf-8")
    report = json.loads(run("check", str(path), "--format", "json", "--no-cache").stdout)
    assert httpserver.log == []
    assert [f["rule"] for f in report["findings"]] in (["unreachable-link"], ["broken-link"])


def test_archive_then_verify_then_detect_a_flipped_byte(tmp_path: Path, httpserver) -> None:  # type: ignore[no-untyped-def]
    body = "<html><title>Source</title><body>" + "evidence " * 200 + "</body></html>"
    httpserver.expect_request("/source").respond_with_data(body, content_type="text/html")
    essay = tmp_path / "essay.txt"
    essay.write_text(f"Claim.1\n\n[1] {httpserver.url_for('/source')}\n", encoding="utf-8")
    out = tmp_path / "sources"
    archived = run("archive", str(essay), "--out", str(out), "--allow-private", "--no-cache")
    assert archived.returncode == 0, archived.stderr
    assert archived.stdout.startswith("1 capture in 1 WARC file")
    assert run("archive", "verify", str(out)).returncode == 0
    warc = next(out.glob("*.warc.gz"))
    data = bytearray(warc.read_bytes())
    data[len(data) // 2] ^= 0xFF
    warc.write_bytes(bytes(data))
    damaged = run("archive", "verify", str(out))
    assert damaged.returncode == 1
    assert "problems" in damaged.stdout.splitlines()[-1]


def test_essay_with_its_bibliography_flags_volume_pages_and_online_first_year(
    essay: Path,
) -> None:
    bib = essay.parent.parent / "bibliographies" / "learning-for-freedom.bib"
    result = run("check", str(essay), "--bib", str(bib), "--offline", "--format", "json")
    report = json.loads(result.stdout)
    mismatches = [
        (f["field"], f["expected"], f["found"], f["severity"], f["source"], f["label"], f["line"])
        for f in report["findings"]
        if f["rule"] == "metadata-mismatch"
    ]
    assert mismatches == [
        ("volume", "49", "41", "error", "bibliography", "5", 36),
        ("pages", "78–114", "1-37", "error", "bibliography", "5", 36),
        ("year", "2016", "2015", "info", "bibliography", "5", 36),
    ]
    other = {f["rule"] for f in report["findings"]} - {"metadata-mismatch"}
    assert other == {"duplicate-note", "missing-note", "unattributed-quote"}


def test_check_against_an_archive_flags_drift_and_offers_the_capture(
    tmp_path: Path, httpserver
) -> None:  # type: ignore[no-untyped-def]
    words = " ".join(f"finding{n} about emigrant political engagement" for n in range(60))
    original = f"<html><title>Study</title><body><article><p>{words}</p></article></body></html>"
    httpserver.expect_request("/study").respond_with_data(original, content_type="text/html")
    httpserver.expect_request("/report").respond_with_data(original, content_type="text/html")
    essay = tmp_path / "essay.txt"
    study, report_url = httpserver.url_for("/study"), httpserver.url_for("/report")
    essay.write_text(f"One.1 Two.2\n\n[1] {study}\n[2] {report_url}\n", encoding="utf-8")
    out = tmp_path / "sources"
    archived = run("archive", str(essay), "--out", str(out), "--allow-private", "--no-cache")
    assert archived.returncode == 0, archived.stderr

    httpserver.clear()
    rewritten = "<html><title>Study</title><body><article><p>"
    rewritten += (
        " ".join(f"unrelated{n} cooking recipe" for n in range(80)) + "</p></article></body></html>"
    )
    httpserver.expect_request("/study").respond_with_data(rewritten, content_type="text/html")
    httpserver.expect_request("/report").respond_with_data("gone", status=404)
    result = run(
        "check",
        str(essay),
        "--archive",
        str(out),
        "--allow-private",
        "--no-cache",
        "--format",
        "json",
    )
    findings = {f["rule"]: f for f in json.loads(result.stdout)["findings"]}
    assert findings["content-drift"]["url"] == study
    assert findings["broken-link"]["suggestion"].startswith("cite the archived copy: ")
    assert ".warc.gz, captured " in findings["broken-link"]["suggestion"]
