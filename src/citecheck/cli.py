"""The command line: arguments in, pipeline call, format, exit code.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error.
Options may stand before, between or after the paths of every command.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from citecheck import __version__, pipeline
from citecheck.cli_flags import flags_given
from citecheck.config import (
    FLAG,
    ConfigResult,
    load_config,
    load_file,
    merge,
    sources,
)
from citecheck.config_describe import describe
from citecheck.errors import ArchiveError, CitecheckError, ConfigError, OutputError
from citecheck.files import write_atomic
from citecheck.model import Report
from citecheck.options import Options
from citecheck.parse.detect import FORMATS
from citecheck.report import OUTPUT_FORMATS, extract_text, github_format, json_format, render
from citecheck.resolve.progress import LinkProgress
from citecheck.validate.rules import RULES
from citecheck.validate.suppress import write_baseline
from citecheck.words import counted

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # as a writer killed by SIGPIPE


def command() -> NoReturn:
    """The ``citecheck`` command and ``python -m citecheck``: :func:`main`, then exit.

    What the run made is frozen first, out of the garbage collector's sight: the
    interpreter's last collection would otherwise walk every object only to have the exit
    free them all (0.05-0.07 s after a 10,000-link run).
    """
    code = main()
    gc.freeze()
    sys.exit(code)


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
    except BrokenPipeError:
        # The reader went away (`citecheck rules | head`): stop quietly, as a killed pipe
        # writer does, and keep Python from failing again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


class _AnyOrderParser(argparse.ArgumentParser):
    """A command's parser that takes options anywhere among its paths (``a.md --offline b.md``).

    argparse reaches a command's parser through ``parse_known_args``; the intermixed parse
    calls it again for each of its two passes, which must then be the plain one.
    """

    _intermixing = False

    def parse_known_args(  # type: ignore[override]  # one signature for the overloads
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._intermixing:
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citecheck", description="Check that every citation in a document holds up."
    )
    parser.add_argument("--version", action="version", version=f"citecheck {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_AnyOrderParser
    )
    _add_check(commands)
    _add_extract(commands)
    _add_rules(commands)
    _add_config(commands)
    _add_archive(commands)
    return parser


def _add_check(commands: argparse._SubParsersAction[_AnyOrderParser]) -> None:
    check = commands.add_parser(
        "check", help="check documents and report findings", argument_default=argparse.SUPPRESS
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    check.add_argument("--format", choices=OUTPUT_FORMATS, default="text")
    check.add_argument("--output", metavar="FILE", help="write the report here, not stdout")
    check.add_argument("--summary", metavar="FILE", help="append a Markdown summary here")
    _add_run_options(check)
    check.add_argument(
        "--write-baseline", metavar="FILE", help="record today's findings and exit 0"
    )
    check.set_defaults(run=_run_check)


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """Flags that set Options; only those given override the configuration file."""
    parser.add_argument("--config", metavar="FILE", help="use this configuration file")
    parser.add_argument(
        "--fail-on",
        choices=["error", "warning", "info", "never"],
        help="lowest severity that makes the exit code 1 (default error)",
    )
    parser.add_argument("--input-format", choices=FORMATS)
    parser.add_argument(
        "--bib",
        action="append",
        metavar="FILE",
        help="a BibTeX or CSL-JSON bibliography (repeatable)",
    )
    parser.add_argument(
        "--severity",
        action="append",
        metavar="RULE=LEVEL",
        help="change a rule's severity: error, warning, info or off",
    )
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not in FILE")
    links = parser.add_argument_group("link checking")
    links.add_argument(
        "--offline",
        action=argparse.BooleanOptionalAction,
        help="do not use the network (--no-offline: use it, whatever the configuration says)",
    )
    links.add_argument("--no-links", action="store_true", help="do not check links")
    links.add_argument("--all-links", action="store_true", help="check body links too")
    links.add_argument(
        "--allow-private",
        action="store_true",
        help="allow requests to private and loopback addresses",
    )
    # numbers are checked in _flags, by the readers of the configuration keys
    links.add_argument("--concurrency", metavar="N", help="requests in flight (default 128)")
    links.add_argument("--per-host", metavar="N", help="requests in flight per host (default 4)")
    links.add_argument(
        "--workers",
        metavar="N",
        help="processes sharing the link run (default: every core from 1,000 links)",
    )
    links.add_argument(
        "--min-interval",
        metavar="SECONDS",
        help="pause between two requests to one host",
    )
    links.add_argument("--timeout", metavar="SECONDS", help="total time for one URL (default 20)")
    links.add_argument("--exclude", action="append", metavar="REGEX")
    links.add_argument("--remap", action="append", metavar="'REGEX REPLACEMENT'")
    links.add_argument("--cache", metavar="FILE", help="default .citecheck/cache.sqlite")
    links.add_argument("--no-cache", action="store_true")
    links.add_argument("--max-cache-age", metavar="SECONDS")
    links.add_argument("--quiet", action="store_true", help="no progress bar")
    links.add_argument("--mailto", metavar="EMAIL", help="contact sent to Crossref's polite pool")
    links.add_argument("--archive", metavar="DIR", help="compare live sources with this archive")


def _add_archive(commands: argparse._SubParsersAction[_AnyOrderParser]) -> None:
    archive = commands.add_parser(
        "archive",
        help="capture every cited source into WARC files (or: archive verify DIR)",
        argument_default=argparse.SUPPRESS,
    )
    archive.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="documents to archive, or `verify DIR` to check an archive",
    )
    archive.add_argument("--out", metavar="DIR", help="archive folder (default sources/)")
    archive.add_argument("--wacz", action="store_true", help="also package a WACZ file")
    archive.add_argument(
        "--with-assets",
        action="store_true",
        help="also capture the images, stylesheets and scripts of pages",
    )
    archive.add_argument(
        "--wayback",
        action="store_true",
        help="record each source's closest Wayback Machine snapshot in the manifest",
    )
    archive.add_argument(
        "--save",
        action="store_true",
        help="also ask Save Page Now to capture sources the Wayback Machine lacks (implies "
        "--wayback; credentials from CITECHECK_IA_ACCESS_KEY and CITECHECK_IA_SECRET_KEY)",
    )
    archive.add_argument(
        "--digest",
        choices=["sha256", "sha1"],
        help="digest algorithm of WARC records (default sha256)",
    )
    _add_run_options(archive)
    archive.set_defaults(run=_run_archive)


def _add_config(commands: argparse._SubParsersAction[_AnyOrderParser]) -> None:
    config = commands.add_parser(
        "config", help="print the effective configuration", argument_default=argparse.SUPPRESS
    )
    config.add_argument("paths", nargs="*", metavar="PATH")
    _add_run_options(config)
    config.set_defaults(run=_run_config)


def _add_extract(commands: argparse._SubParsersAction[_AnyOrderParser]) -> None:
    extract = commands.add_parser("extract", help="show what the parser understood")
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--format", choices=["text", "json"], default="text")
    extract.add_argument("--input-format", choices=FORMATS)
    extract.set_defaults(run=_run_extract)


def _add_rules(commands: argparse._SubParsersAction[_AnyOrderParser]) -> None:
    rules = commands.add_parser("rules", help="list the rules, or explain one")
    rules.add_argument("name", nargs="?")
    rules.set_defaults(run=_run_rules)


def _run_check(args: argparse.Namespace) -> int:
    options, origin = _effective(args)
    if "write_baseline" in args:
        options = replace(options, baseline=None)  # today's findings are recorded whole
    else:
        _require_baseline(options.baseline, origin["baseline"])
    options, notices = _archive_to_compare(options, origin["archive"])
    with LinkProgress(quiet=options.quiet, stream=sys.stderr) as progress:
        report = pipeline.check(args.paths, options, progress)
    if notices:
        report = replace(report, notices=(*report.notices, *notices))
    if "write_baseline" in args:
        write_baseline(Path(args.write_baseline), report.findings)
        print(f"baseline of {len(report.findings)} findings written to {args.write_baseline}")
        return EXIT_OK
    if args.format == "text" and "output" not in args:
        from citecheck.report import text_format  # rich: only for the terminal

        sys.stdout.write(text_format.render(report, color=sys.stdout.isatty()))
    else:
        _emit(render(report, args.format), getattr(args, "output", None))
    if "summary" in args:
        try:
            with open(args.summary, "a", encoding="utf-8") as stream:
                stream.write(github_format.render_summary(report))
        except OSError as error:
            raise OutputError(f"{args.summary}: cannot write: {error.strerror}") from None
    return EXIT_FINDINGS if report.failed else EXIT_OK


def _require_baseline(baseline: str | None, origin: str) -> None:
    """A baseline asked for but not written yet stops the run, naming who asked for it."""
    if baseline is None or os.path.exists(baseline):
        return
    where = "--baseline" if origin == FLAG else origin
    shown = _shown(baseline)
    raise ConfigError(
        f"{where}: baseline {shown} does not exist yet; "
        f"write it with citecheck check PATH --write-baseline {shown}"
    )


def _archive_to_compare(options: Options, origin: str) -> tuple[Options, tuple[str, ...]]:
    """The options, without a configured archive that holds no captures yet (and a notice
    saying so); an archive named by --archive must hold some."""
    folder = options.archive
    # the manifest's name spelled out: importing the archive store would load warcio
    if folder is None or os.path.isfile(os.path.join(folder, "manifest.json")):
        return options, ()
    shown = _shown(folder).rstrip("/") + "/"
    if origin == FLAG:
        raise ArchiveError(
            f"--archive {shown}: no captures yet (no manifest.json); "
            f"run citecheck archive PATH --out {shown} first"
        )
    notice = f"archive {shown} has no captures yet; run citecheck archive ({origin})"
    return replace(options, archive=None), (notice,)


def _shown(path: str) -> str:
    """``path`` as from the current folder when it lies inside it, else as it is."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _run_archive(args: argparse.Namespace) -> int:
    if args.paths[0] == "verify":
        return _run_verify(args.paths[1:])
    from citecheck.resolve.archive import OFFLINE, archive_documents
    from citecheck.resolve.archive_progress import ArchiveProgress

    options, origin = _effective(args)
    if options.offline:
        if origin["offline"] == FLAG:
            raise ConfigError(f"{OFFLINE}; --offline given")
        raise ConfigError(f"{OFFLINE}; {origin['offline']} is true (give --no-offline)")
    documents = pipeline.extract(args.paths, options.input_format)
    with ArchiveProgress(quiet=options.quiet) as bar:
        result = archive_documents(
            documents,
            getattr(args, "out", options.archive or "sources"),
            options,
            progress=bar.update,
            wacz="wacz" in args,
            with_assets="with_assets" in args,
            wayback="wayback" in args or "save" in args,
            save="save" in args,
            digest=getattr(args, "digest", "sha256"),
        )
    for notice in result.notices:
        print(f"citecheck: note: {notice}", file=sys.stderr)
    for problem in result.problems:
        print(f"citecheck: {problem}", file=sys.stderr)
    failed = f", {len(result.failed)} of {counted(result.attempted, 'cited URL')} failed"
    print(
        f"{counted(len(result.captures), 'capture')} in "
        f"{counted(len(result.warc_files), 'WARC file')}, "
        f"{result.skipped} already archived"
        + (f"{failed} (tried again next run)" if result.failed else "")
        + f"; manifest {result.manifest}"
        + (f"; {result.wacz}" if result.wacz else "")
    )
    worst, threshold = result.worst, options.fail_on
    failing = worst is not None and threshold is not None and worst.at_least(threshold)
    return EXIT_FINDINGS if failing else EXIT_OK


def _run_verify(folders: list[str]) -> int:
    if len(folders) != 1:
        raise CitecheckError("usage: citecheck archive verify DIR")
    if not os.path.isdir(folders[0]):
        raise ArchiveError(f"{folders[0]}: no such archive folder")
    from citecheck.resolve.archive import verify_archive

    problems = verify_archive(folders[0])
    for problem in problems:
        print(problem)
    print(f"{folders[0]}: {counted(len(problems), 'problem') if problems else 'sound'}")
    return EXIT_FINDINGS if problems else EXIT_OK


def _run_config(args: argparse.Namespace) -> int:
    config, flags = _config_and_flags(args)
    sys.stdout.write(describe(merge(Options(), config, flags), config, flags))
    return EXIT_OK


def _effective(args: argparse.Namespace) -> tuple[Options, Mapping[str, str]]:
    """The options of the run, and where each came from (see :func:`citecheck.config.sources`)."""
    config, flags = _config_and_flags(args)
    return merge(Options(), config, flags), sources(config, flags)


def _config_and_flags(args: argparse.Namespace) -> tuple[ConfigResult, dict[str, Any]]:
    if "config" in args:
        config = load_file(Path(args.config))
    else:
        paths = getattr(args, "paths", [])
        start = Path(paths[0]).resolve() if paths else Path.cwd()  # a file: from its folder
        config = load_config(start)
    return config, flags_given(args)


def _run_extract(args: argparse.Namespace) -> int:
    documents = pipeline.extract(args.paths, args.input_format)
    if args.format == "json":
        _emit(json_format.render(Report(tuple(documents), (), fail_on=None)), None)
    else:
        _emit(extract_text.render(documents), None)
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


def _emit(content: str, output: str | None) -> None:
    """Write to stdout, or replace ``output`` atomically so no half-written report is left."""
    if output is None:
        sys.stdout.write(content)
        return
    try:
        write_atomic(output, content)
    except OSError as error:
        raise OutputError(f"{output}: cannot write: {error.strerror}") from None
