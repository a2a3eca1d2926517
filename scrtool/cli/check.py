"""``scrtool check``: the pre-publication checks, one subcommand each."""

from __future__ import annotations

import importlib
from typing import Any

import click

#: subcommand name -> module under scrtool.cli holding a click command called ``command``.
CHECKS: dict[str, str] = {
    "accessibility": "check_accessibility",
    "draft": "check_draft",
    "readability": "check_readability",
    "redaction": "check_redaction",
}


class LazyChecks(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(CHECKS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = CHECKS.get(cmd_name)
        if module is None:
            return None
        return importlib.import_module(f"scrtool.cli.{module}").command  # type: ignore[no-any-return]

    @property
    def all_commands(self) -> dict[str, Any]:
        return {name: self.get_command(click.Context(self), name) for name in CHECKS}


@click.group("check", cls=LazyChecks)
def command() -> None:
    """Check documents before publication.

    readability: is the report plain English? redaction: does anything in the file
    identify the child or family? draft: is it finished (no placeholder, DRAFT mark,
    note to the officer, template tag or empty section)? accessibility: can everyone
    read it once it is on the website (a title, a language, headings, alternative
    text, table header rows, clear link text, text of 9 points or more, tags in a PDF)?
    Exit code 0 when every file passes, 1 when any fails, 2 when a file cannot be read.

    \b
    Example:
      scrtool check redaction final/report.docx --case .
    """
