"""The command line: a thin skin over the core. Commands load only when used."""

from __future__ import annotations

import importlib
from typing import Any

import click

from scrtool import __version__
from scrtool.cli._common import prepare_streams, run_safely, wants_json

#: command name -> module under scrtool.cli holding a click command called ``command``.
COMMANDS: dict[str, str] = {
    "new": "new",
    "demo": "demo",
    "check": "check",
    "collate": "collate",
    "anonymise": "anonymise",
    "timeline": "timeline",
    "fill": "fill",
    "report": "report",
    "requests": "requests",
    "timetable": "timetable",
    "screen": "screen",
    "package": "package",
    "publish": "publish",
    "actions": "actions",
    "reviewers": "reviewers",
    "summary": "summary",
}


def load_command(module: str) -> click.Command | None:
    name = f"scrtool.cli.{module}"
    try:
        mod = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise
    return mod.command


class LazyGroup(click.Group):
    """Imports a command's module only when it runs, so ``scrtool --help`` starts fast."""

    def __init__(self, *args: Any, commands_map: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._commands_map = commands_map

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = [n for n in self._commands_map if self.get_command(ctx, n) is not None]
        return sorted(set(names) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        module = self._commands_map.get(cmd_name)
        return load_command(module) if module else None

    def invoke(self, ctx: click.Context) -> Any:
        args = [*getattr(ctx, "_protected_args", ()), *ctx.args]
        return run_safely(lambda: super(LazyGroup, self).invoke(ctx), ctx, as_json=wants_json(args))


@click.group(
    cls=LazyGroup,
    commands_map=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="scrtool", message="%(prog)s %(version)s")
def cli() -> None:
    """Paperwork for child safeguarding practice reviews.

    Collate agency chronologies, fill letters and reports, check a report is plain
    English and identifies nobody, and package the National Panel's copy.

    Start with "scrtool new FOLDER --ref REF", or try "scrtool demo FOLDER".
    """


def main() -> None:
    prepare_streams()
    cli(prog_name="scrtool")
