"""One module per output format; each exposes a pure ``render(report) -> str``."""

from __future__ import annotations

import importlib

from citecheck.errors import ConfigError
from citecheck.model import Report

OUTPUT_FORMATS = ("text", "json", "sarif", "junit", "github", "markdown", "html")

_MODULES = {name: f"citecheck.report.{name}_format" for name in OUTPUT_FORMATS}


def render(report: Report, output_format: str) -> str:
    """Render ``report`` in ``output_format``."""
    if output_format not in _MODULES:
        raise ConfigError(f"unknown output format {output_format!r}")
    module = importlib.import_module(_MODULES[output_format])
    return module.render(report)  # type: ignore[no-any-return]
