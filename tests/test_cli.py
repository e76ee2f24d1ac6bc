"""The command line, end to end: exit codes, formats, errors without tracebacks."""

from __future__ import annotations

import json
import os
import re
import socket
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
        (["--exclude", "(unclosed"], "--exclude: bad regular expression '(unclosed': missing )"),
        (["--remap", "[a- https://x/"], "--remap: bad regular expression '[a-': unterminated"),
        (["--remap", "/404$ /ok/$1"], "--remap '/404$ /ok/$1': replacement '/ok/$1' refers to"),
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


@pytest.mark.parametrize(
    ("flag", "key", "value"),
    [
        ("--timeout", "timeout", "0"),
        ("--timeout", "timeout", "-1"),
        ("--timeout", "timeout", "nan"),
        ("--concurrency", "concurrency", "0"),
        ("--per-host", "per_host", "0"),
        ("--workers", "workers", "2.5"),
        ("--min-interval", "interval", "-0.5"),
        ("--max-cache-age", "max_cache_age", "-1"),
        ("--mailto", "mailto", "'nobody'"),
    ],
)
def test_numbers_in_flags_are_checked_as_in_the_configuration_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, key: str, value: str
) -> None:
    essay = tmp_path / "essay.md"
    essay.write_text("A claim.[^1]\n\n[^1]: https://example.org/a\n", encoding="utf-8")
    assert main(["check", str(essay), "--offline", flag, value.strip("'")]) == 2
    from_flag = capsys.readouterr().err
    assert from_flag.startswith(f"citecheck: error: {flag}: expected ")
    assert from_flag.count("\n") == 1
    config = tmp_path / "citecheck.toml"
    config.write_text(f"{key} = {value}\n", encoding="utf-8")
    assert main(["check", str(essay), "--offline"]) == 2
    from_file = capsys.readouterr().err
    assert from_file == from_flag.replace(f"error: {flag}:", f"error: {config}: {key}:")


def test_a_bad_input_format_in_the_configuration_names_the_file_and_key(tmp_path: Path) -> None:
    essay = tmp_path / "w.md"
    essay.write_text("A claim.[^1]\n\n[^1]: A note.\n", encoding="utf-8")
    config = tmp_path / "citecheck.toml"
    config.write_text('input_format = "pdf"\n', encoding="utf-8")
    result = run("check", str(essay), "--offline")
    assert result.returncode == 2
    assert result.stderr.startswith(f"citecheck: error: {config}: input_format: expected one of ")
    assert "got 'pdf'" in result.stderr and str(essay) not in result.stderr


def test_config_of_a_folder_is_read_from_that_folder(tmp_path: Path) -> None:
    folder = tmp_path / "essays"
    folder.mkdir()
    (folder / "citecheck.toml").write_text("per_host = 1\n", encoding="utf-8")
    result = run("config", str(folder))
    assert f"per_host = 1  # {folder / 'citecheck.toml'}: per_host" in result.stdout


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


def _essay_citing(folder: Path, *urls: str, name: str = "essay.txt") -> Path:
    markers = " ".join(f"Claim.{i}" for i in range(1, len(urls) + 1))
    notes = "\n".join(f"[{i}] {url}" for i, url in enumerate(urls, 1))
    path = folder / name
    path.write_text(f"{markers}\n\n{notes}\n", encoding="utf-8")
    return path


def _closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_archive_offline_fetches_nothing_and_says_why(
    tmp_path: Path,
    httpserver,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    httpserver.expect_request("/source").respond_with_data("<p>x</p>", content_type="text/html")
    essay = _essay_citing(tmp_path, httpserver.url_for("/source"))
    out = tmp_path / "sources"
    code = main(["archive", str(essay), "--out", str(out), "--offline", "--allow-private"])
    assert code == 2
    assert capsys.readouterr().err == (
        "citecheck: error: archive needs the network to capture sources; --offline given\n"
    )
    assert httpserver.log == [] and not out.exists()


def test_archive_names_a_configured_offline_and_no_offline_overrides_it(
    tmp_path: Path,
    httpserver,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    httpserver.expect_request("/source").respond_with_data("<p>x</p>", content_type="text/html")
    (tmp_path / "citecheck.toml").write_text("offline = true\n", encoding="utf-8")
    essay = _essay_citing(tmp_path, httpserver.url_for("/source"))
    out = tmp_path / "sources"
    assert main(["archive", str(essay), "--out", str(out), "--allow-private"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert f"{tmp_path / 'citecheck.toml'}: offline is true (give --no-offline)" in error
    assert httpserver.log == [] and not out.exists()
    assert main(["archive", str(essay), "--out", str(out), "--allow-private", "--no-offline"]) == 0
    assert len(httpserver.log) == 1
    assert capsys.readouterr().out.startswith("1 capture in 1 WARC file")


def test_archive_exits_1_and_counts_the_cited_urls_that_failed(
    tmp_path: Path,
    httpserver,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    httpserver.expect_request("/kept").respond_with_data("<p>kept</p>", content_type="text/html")
    httpserver.expect_request("/busy").respond_with_data("busy", status=503)
    kept, busy = httpserver.url_for("/kept"), httpserver.url_for("/busy")
    gone = f"http://127.0.0.1:{_closed_port()}/gone"
    essay = _essay_citing(tmp_path, kept, busy, gone)
    out = tmp_path / "sources"
    assert main(["archive", str(essay), "--out", str(out), "--allow-private"]) == 1
    first = capsys.readouterr()
    assert ", 0 already archived, 2 of 3 cited URLs failed (tried again next run);" in first.out
    problems = first.err.splitlines()
    assert len(problems) == 2
    assert any(line.startswith(f"citecheck: {busy}: ") and "HTTP 503" in line for line in problems)
    assert any(line.startswith(f"citecheck: {gone}: ") for line in problems)
    # the next run takes only the two that failed, and they fail again
    assert main(["archive", str(essay), "--out", str(out), "--allow-private"]) == 1
    assert ", 1 already archived, 2 of 2 cited URLs failed" in capsys.readouterr().out
    assert (
        main(["archive", str(essay), "--out", str(out), "--allow-private", "--fail-on", "never"])
        == 0
    )


def test_archive_where_every_source_is_unreachable_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    essay = _essay_citing(tmp_path, f"http://127.0.0.1:{_closed_port()}/a")
    assert main(["archive", str(essay), "--out", str(tmp_path / "out"), "--allow-private"]) == 1
    assert capsys.readouterr().out.startswith(
        "0 captures in 0 WARC files, 0 already archived, 1 of 1 cited URL failed"
    )


def test_an_unrequestable_url_is_left_out_of_the_archive_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    essay = _essay_citing(tmp_path, "http://[bad/a")
    assert main(["archive", str(essay), "--out", str(tmp_path / "out"), "--allow-private"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("citecheck: note: http://[bad/a: not archived: ")
    assert captured.out.startswith("0 captures in 0 WARC files, 0 already archived;")


def test_a_configured_archive_without_captures_is_a_notice_and_the_check_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "citecheck.toml").write_text('archive = "sources"\n', encoding="utf-8")
    essay = _essay_citing(tmp_path, "https://example.org/a")
    for _ in range(2):  # the folder missing, then there but without a manifest
        assert main(["check", str(essay), "--offline", "--format", "json"]) == 0
        notices = json.loads(capsys.readouterr().out)["notices"]
        assert any(
            re.fullmatch(
                r"archive \S*sources/ has no captures yet; run citecheck archive "
                rf"\({re.escape(str(tmp_path / 'citecheck.toml'))}: archive\)",
                notice,
            )
            for notice in notices
        ), notices
        (tmp_path / "sources").mkdir(exist_ok=True)


def test_an_archive_flag_without_captures_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    essay = _essay_citing(tmp_path, "https://example.org/a")
    nowhere = tmp_path / "nowhere"
    assert main(["check", str(essay), "--offline", "--archive", str(nowhere)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith(f"citecheck: error: --archive {nowhere}/: no captures yet")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["check", "{a}", "--offline", "{b}", "--format", "json"], '"path": "{b}"'),
        (["extract", "{a}", "--format", "json", "{b}"], '"path": "{b}"'),
        (["config", "{a}", "--fail-on", "never", "{b}"], 'fail_on = "never"  # command line'),
        (["archive", "{a}", "--out", "{out}", "{b}", "--quiet"], "0 captures in 0 WARC files"),
    ],
)
def test_options_may_stand_between_paths(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    expected: str,
) -> None:
    names = {"a": str(tmp_path / "a.txt"), "b": str(tmp_path / "b.txt"), "out": str(tmp_path / "o")}
    for name in ("a", "b"):
        Path(names[name]).write_text("Claim.1\n\n[1] A note.\n", encoding="utf-8")
    code = main([argument.format(**names) for argument in arguments])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert expected.format(**names) in captured.out


def _damage(warc: Path, start: int, length: int, member: bytes) -> None:
    data = warc.read_bytes()
    warc.write_bytes(data[:start] + member + data[start + length :])


def test_verify_reports_damaged_records_in_plain_one_line_words(
    tmp_path: Path,
    httpserver,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    import gzip

    body = "<html><body>" + "evidence " * 300 + "</body></html>"
    httpserver.expect_request("/source").respond_with_data(body, content_type="text/html")
    essay = _essay_citing(tmp_path, httpserver.url_for("/source"))
    out = tmp_path / "sources"
    assert main(["archive", str(essay), "--out", str(out), "--allow-private", "--quiet"]) == 0
    capsys.readouterr()
    warc = next(out.glob("*.warc.gz"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    capture = next(iter(manifest["documents"][str(essay)]["1"].values()))["captures"][0]
    start, length = capture["offset"], capture["length"]
    original = warc.read_bytes()
    flipped = bytearray(original[start : start + length])
    flipped[length // 2] ^= 0xFF
    # a sound gzip member with no WARC record inside; one flipped byte in the deflated data
    for damage in (gzip.compress(bytes(range(256)) * 8, mtime=0), bytes(flipped)):
        warc.write_bytes(original)
        _damage(warc, start, length, damage)
        assert main(["archive", "verify", str(out)]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert lines[-1].startswith(f"{out}: ") and lines[-1].endswith(" problems")
        for line in lines:
            assert line.isprintable() and "\\x" not in line and len(line) < 300, line
        damaged = [line for line in lines if line.startswith(warc.name)]
        assert damaged
        assert all(
            re.match(rf"{re.escape(warc.name)} offset {start}: \S", line) for line in damaged
        )
