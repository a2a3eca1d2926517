"""What every command shares: the error policy, --json output, --case, messages on stderr."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from scrtool.errors import EXIT_ERROR, EXIT_OK, Reason, ScrtoolError, exit_code_of

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


def note_refusal(outcome: str, problems: Sequence[str]) -> None:
    """Why nothing was written ("Not packaged", "Not published"), one problem a line."""
    count = len(problems)
    note(
        f"{outcome}: {count} problem{'s' if count != 1 else ''} to put right first. "
        "Nothing was written."
    )
    for problem in problems:
        note(f"  - {problem}")


def _is_utf(stream: Any) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding.startswith("utf")


#: Keys in ``click.Context.meta`` (shared by a command and its group) for the --json policy.
_JSON_MODE = "scrtool.json_mode"
_JSON_DOC = "scrtool.json_document"


def emit_json(value: Any) -> None:
    """Hand the command's one JSON document to ``run_safely``, which prints it last.

    Holding it until the command has finished means a problem found after the document
    was made still ends in exactly one document on stdout: the error, not both.
    Outside ``run_safely`` (a command invoked on its own) it is printed at once.
    """
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get(_JSON_MODE):
        ctx.meta[_JSON_DOC] = value
        return
    _print_json(value)


def _print_json(value: Any, stream: Any = None) -> None:
    """The one place a JSON document reaches stdout; escaped to ASCII where stdout cannot
    take every letter (a Windows script that redirects stdout gets cp1252)."""
    from scrtool.jsonout import dumps

    stream = stream if stream is not None else sys.stdout
    click.echo(dumps(value, ascii_only=not _is_utf(stream)), file=stream)


def error_document(
    message: str, *, file: str | None, exit_code: int, reason: Reason
) -> dict[str, Any]:
    """The contract's JSON for a command that could not run, plus the reason for scripts."""
    return {"error": message, "file": file, "exit_code": exit_code, "reason": reason.value}


def prepare_streams() -> None:
    """Never crash on a letter the console cannot show: print a ? instead."""
    for stream in (sys.stdout, sys.stderr):
        if not _is_utf(stream) and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


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


def os_error_reason(exc: OSError) -> Reason:
    if exc.errno == errno.ENOSPC:
        return Reason.DISK_FULL
    if isinstance(exc, FileNotFoundError):
        return Reason.MISSING
    if isinstance(exc, (IsADirectoryError, NotADirectoryError)):
        return Reason.NOT_A_FILE
    if isinstance(exc, PermissionError):
        return Reason.NO_PERMISSION
    return Reason.OUTPUT


def wants_json(args: Any) -> bool:
    """Whether the command line asks for --json (before click has parsed it, so that a
    bad argument is answered in JSON too)."""
    words = list(args)
    if "--" in words:
        words = words[: words.index("--")]
    return "--json" in words


def run_safely(invoke: Callable[[], Any], ctx: click.Context, *, as_json: bool = False) -> Any:
    """The exit-code policy in one place.

    The command returns its result; the result's ``exit_code`` (0 done or passed, 1
    findings) becomes the exit here and nowhere else. A user's problem is one sentence on
    stderr and exit 2. With --json, stdout holds exactly one document whatever happens:
    the command's, or the error document; anything else a command prints goes to stderr.
    """
    if not as_json:
        return _run(invoke, ctx, as_json=False)
    ctx.meta[_JSON_MODE] = True
    ctx.meta.pop(_JSON_DOC, None)
    stdout = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return _run(invoke, ctx, as_json=True)
    finally:
        document = ctx.meta.pop(_JSON_DOC, None)
        ctx.meta[_JSON_MODE] = False
        if document is not None:
            _print_json(document, stdout)


def _fail(
    ctx: click.Context,
    message: str,
    *,
    file: str | None,
    reason: Reason,
    exit_code: int,
    as_json: bool,
    on_stderr: bool = True,
) -> None:
    if on_stderr:
        click.echo(style(message, fg="red"), err=True, color=colour_allowed() and None)
    if as_json:
        ctx.meta[_JSON_DOC] = error_document(message, file=file, exit_code=exit_code, reason=reason)
    ctx.exit(exit_code)


def _run(invoke: Callable[[], Any], ctx: click.Context, *, as_json: bool) -> Any:
    try:
        result = invoke()
    except click.exceptions.Exit:
        raise
    except click.exceptions.Abort:
        if as_json:
            ctx.meta[_JSON_DOC] = error_document(
                "Stopped before any answer was given. Nothing was written.",
                file=None,
                exit_code=1,
                reason=Reason.INTERRUPTED,
            )
        raise
    except click.ClickException as exc:
        # click prints its own usage message on stderr; the script gets the document.
        if as_json:
            ctx.meta[_JSON_DOC] = error_document(
                exc.format_message(),
                file=None,
                exit_code=exc.exit_code,
                reason=Reason.BAD_ARGUMENTS,
            )
        raise
    except ScrtoolError as exc:
        _fail(
            ctx,
            exc.message,
            file=exc.file,
            reason=exc.reason,
            exit_code=exc.exit_code,
            as_json=as_json,
        )
    except KeyboardInterrupt:
        _fail(
            ctx,
            "Stopped. Nothing was written.",
            file=None,
            reason=Reason.INTERRUPTED,
            exit_code=130,
            as_json=as_json,
        )
    except BrokenPipeError:
        # The reader of stdout went away (``scrtool ... | head``): not a problem to report.
        _silence_stdout()
        ctx.meta.pop(_JSON_DOC, None)
        ctx.exit(0)
    except OSError as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        _fail(
            ctx,
            report_os_error(exc),
            file=str(exc.filename) if exc.filename else None,
            reason=os_error_reason(exc),
            exit_code=EXIT_ERROR,
            as_json=as_json,
        )
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        _fail(
            ctx,
            f"scrtool stopped on an unexpected problem ({type(exc).__name__}: {exc}). "
            f"Nothing was written. This is a fault in scrtool: please report it with the "
            f"command you ran (set {DEBUG_ENV}=1 to see the details).",
            file=None,
            reason=Reason.FAULT,
            exit_code=EXIT_ERROR,
            as_json=as_json,
        )
    code = exit_code_of(result)
    if code != EXIT_OK:
        ctx.exit(code)
    return result


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def find_case_or_say(case_dir: Path | None, *, using: str) -> Any:
    """The case (``--case``, else the current folder's), or None after saying so in one line.

    A command that can run without a case says so before it asks for anything, so an
    officer who forgot to open the case folder is not left answering questions.
    """
    from scrtool.case import CASE_FILE, case_folder_above, find_case

    case = find_case(case_dir, required=False)
    if case is None:
        above = case_folder_above(Path.cwd())
        where = (
            f"this folder is inside the case folder {above}: run the command there or add "
            f'--case "{above}"'
            if above is not None
            else f"no {CASE_FILE} in this folder and no --case given"
        )
        note(f"No case: {where}; {using}.")
    return case


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
