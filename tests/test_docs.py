"""Every rule and every CLI command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from citecheck.cli import _parser
from citecheck.validate.rules import RULES, rules_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_rules_md_matches_the_catalogue() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown()


def test_every_rule_has_a_section() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for name in RULES:
        assert f"## {name}\n" in text


def test_every_command_is_in_the_readme_or_docs() -> None:
    docs = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")
    )
    commands = _parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert re.search(rf"citecheck {name}\b", docs), name


def test_json_output_doc_names_every_top_level_key() -> None:
    text = (ROOT / "docs" / "json-output.md").read_text(encoding="utf-8")
    for key in ("version", "tool", "documents", "findings", "summary", "notices"):
        assert f"`{key}`" in text
