"""What every command shares: the error policy, --json output, --case, messages on stderr."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from scrtool.errors import EXIT_ERROR, ScrtoolError

F = TypeVar("F", bound=Callable[..., Any])

DEBUG_ENV = "SCRTOOL_DEBUG"


def colour_allowed() -> bool:
    return not os.environ.get("NO_COLOR")


def style(text: str, **kwargs: Any) -> str:
    """``click.style`` unless NO_COLOR is set (click strips colour from pipes itself)."""
    return click.style(text, **kwargs) if colour_allowed() else text


def echo(text: str = "") -> None:
    click.echo(text, color=colour_allowed() and None)


def note(text: str) -> None:
    """A note, warning or progress line: always stderr, never mixed with --json output."""
    click.echo(text, err=True, color=colour_allowed() and None)


def _is_utf(stream: Any) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding.startswith("utf")


def emit_json(value: Any) -> None:
    """One JSON document on stdout; escaped to ASCII where stdout cannot take every letter.

    A Windows script that redirects stdout gets the ANSI code page (cp1252), which has no
    room for many names; escaped letters keep the JSON exact whatever the console.
    """
    from scrtool.jsonout import dumps

    click.echo(dumps(value, ascii_only=not _is_utf(sys.stdout)))


def prepare_streams() -> None:
    """Never crash on a letter the console cannot show: print a ? instead."""
    for stream in (sys.stdout, sys.stderr):
        if not _is_utf(stream) and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def report_error(exc: ScrtoolError) -> None:
    click.echo(style(exc.message, fg="red"), err=True, color=colour_allowed() and None)


def report_os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    where = f"{exc.filename}: " if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return (
            f"{where}scrtool could not write: the disk is full ({reason}); "
            "free some space or write to another drive, then try again."
        )
    if not where:
        return (
            f"scrtool could not read or write a file ({reason}); "
            "check you may use the files and folders named, then try again."
        )
    return (
        f"{where}cannot be used ({reason}); "
        "check the name, that it exists and that you may use it, then try again."
    )


def run_safely(invoke: Callable[[], Any], ctx: click.Context) -> Any:
    """The exit-code policy in one place: user problems are one sentence and exit 2."""
    try:
        return invoke()
    except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
        raise
    except ScrtoolError as exc:
        report_error(exc)
        ctx.exit(exc.exit_code)
    except KeyboardInterrupt:
        note("Stopped. Nothing was written.")
        ctx.exit(130)
    except BrokenPipeError:
        # The reader of stdout went away (``scrtool ... | head``): not a problem to report.
        _silence_stdout()
        ctx.exit(0)
    except OSError as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        note(report_os_error(exc))
        ctx.exit(EXIT_ERROR)
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        note(
            f"scrtool stopped on an unexpected problem ({type(exc).__name__}: {exc}). "
            f"Nothing was written. This is a fault in scrtool: please report it with the "
            f"command you ran (set {DEBUG_ENV}=1 to see the details)."
        )
        ctx.exit(EXIT_ERROR)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document on stdout and nothing else."
)

case_option = click.option(
    "--case",
    "case_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The review's case folder (default: the current folder when it holds case.toml).",
)


def existing_file(**kwargs: Any) -> click.Path:
    """Existence is checked by the core so the message can say what to do."""
    return click.Path(dir_okay=False, path_type=Path, **kwargs)


class DateParam(click.ParamType):
    """A date on the command line, read day first as written in England (31/03/2026)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import datetime as dt

        from scrtool.dates import parse_date

        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            reason = str(exc)
            advice = "" if "write it as" in reason else "; write it as 31/03/2026"
            self.fail(f'"{value}" is not a date: {reason}{advice}', param, ctx)


DATE = DateParam()


def flush_streams() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
