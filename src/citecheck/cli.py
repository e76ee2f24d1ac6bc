"""The command line: arguments in, pipeline call, format, exit code.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence

from citecheck import __version__, pipeline
from citecheck.errors import CitecheckError
from citecheck.model import Report, Severity
from citecheck.options import Options
from citecheck.parse.detect import FORMATS
from citecheck.report import OUTPUT_FORMATS, json_format, render, text_format
from citecheck.validate.rules import RULES

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except CitecheckError as error:
        print(f"citecheck: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("citecheck: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citecheck", description="Check that every citation in a document holds up."
    )
    parser.add_argument("--version", action="version", version=f"citecheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_check(commands)
    _add_extract(commands)
    _add_rules(commands)
    return parser


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser("check", help="check documents and report findings")
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    check.add_argument("--format", choices=OUTPUT_FORMATS, default="text")
    check.add_argument("--output", metavar="FILE", help="write the report here, not stdout")
    check.add_argument(
        "--fail-on",
        choices=["error", "warning", "info", "never"],
        default="error",
        help="lowest severity that makes the exit code 1",
    )
    check.add_argument("--input-format", choices=FORMATS)
    check.add_argument(
        "--bib",
        action="append",
        default=[],
        metavar="FILE",
        help="a BibTeX or CSL-JSON bibliography (repeatable)",
    )
    links = check.add_argument_group("link checking")
    links.add_argument("--offline", action="store_true", help="do not use the network")
    links.add_argument("--all-links", action="store_true", help="check body links too")
    links.add_argument(
        "--allow-private",
        action="store_true",
        help="allow requests to private and loopback addresses",
    )
    links.add_argument("--concurrency", type=int, default=128)
    links.add_argument("--per-host", type=int, default=4)
    links.add_argument("--min-interval", type=float, default=0.0, metavar="SECONDS")
    links.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS")
    links.add_argument("--exclude", action="append", default=[], metavar="REGEX")
    links.add_argument("--remap", action="append", default=[], metavar="'REGEX REPLACEMENT'")
    links.add_argument("--cache", default=".citecheck/cache.sqlite", metavar="FILE")
    links.add_argument("--no-cache", action="store_true")
    links.add_argument("--max-cache-age", type=float, default=86400.0, metavar="SECONDS")
    links.add_argument("--quiet", action="store_true", help="no progress bar")
    check.set_defaults(run=_run_check)


def _add_extract(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    extract = commands.add_parser("extract", help="show what the parser understood")
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--format", choices=["text", "json"], default="text")
    extract.add_argument("--input-format", choices=FORMATS)
    extract.set_defaults(run=_run_extract)


def _add_rules(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = commands.add_parser("rules", help="list the rules, or explain one")
    rules.add_argument("name", nargs="?")
    rules.set_defaults(run=_run_rules)


def _run_check(args: argparse.Namespace) -> int:
    report = pipeline.check(args.paths, _options(args))
    if args.format == "text" and not args.output:
        sys.stdout.write(text_format.render(report, color=sys.stdout.isatty()))
    else:
        _emit(render(report, args.format), args.output)
    return EXIT_FINDINGS if report.failed else EXIT_OK


def _options(args: argparse.Namespace) -> Options:
    return Options(
        input_format=args.input_format,
        fail_on=None if args.fail_on == "never" else Severity(args.fail_on),
        bibliographies=tuple(args.bib),
        offline=args.offline,
        all_links=args.all_links,
        allow_private=args.allow_private,
        concurrency=args.concurrency,
        per_host=args.per_host,
        min_interval=args.min_interval,
        timeout=args.timeout,
        exclude=tuple(args.exclude),
        remap=tuple(_remap(rule) for rule in args.remap),
        cache=None if args.no_cache else args.cache,
        max_cache_age=args.max_cache_age,
        quiet=args.quiet,
    )


def _remap(rule: str) -> tuple[str, str]:
    pattern, _, replacement = rule.strip().partition(" ")
    if not replacement:
        raise CitecheckError(f"--remap needs 'REGEX REPLACEMENT', got {rule!r}")
    return pattern, replacement.strip()


def _run_extract(args: argparse.Namespace) -> int:
    documents = pipeline.extract(args.paths, args.input_format)
    report = Report(tuple(documents), (), fail_on=None)
    if args.format == "json":
        _emit(json_format.render(report), None)
        return EXIT_OK
    for document in documents:
        print(
            f"{document.path} ({document.format}): "
            f"{len(document.markers)} markers, {len(document.notes)} notes"
        )
        for marker in document.markers:
            print(
                f"  marker {marker.label} at {marker.location or f'{marker.line}:{marker.column}'}"
            )
        for note in document.notes:
            print(f"  note [{note.label}] at {note.line}:{note.column}: {_shorten(note.text)}")
            for url in note.urls:
                print(f"      link {url}")
    return EXIT_OK


def _run_rules(args: argparse.Namespace) -> int:
    if args.name:
        if args.name not in RULES:
            raise CitecheckError(f"unknown rule {args.name!r} (see `citecheck rules`)")
        rule = RULES[args.name]
        print(
            f"{rule.name} ({rule.severity.value}, {rule.family})\n\n{rule.summary}\n\n"
            f"{rule.explanation}"
        )
        return EXIT_OK
    width = max(len(name) for name in RULES)
    for rule in RULES.values():
        print(f"{rule.name:<{width}}  {rule.severity.value:<7}  {rule.summary}")
    return EXIT_OK


def _shorten(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _emit(content: str, output: str | None) -> None:
    """Write to stdout, or replace ``output`` atomically so no half-written report is left."""
    if output is None:
        sys.stdout.write(content)
        return
    folder = os.path.dirname(os.path.abspath(output))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".citecheck-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.replace(temporary, output)
    except BaseException:
        os.unlink(temporary)
        raise
