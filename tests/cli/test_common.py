"""The exit-code policy: one sentence on stderr, exit 2, never a traceback."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from scrtool.cli import LazyGroup
from scrtool.cli._common import style
from scrtool.errors import DataError, OutputLockedError


def make_cli(exc: BaseException):
    @click.group(cls=LazyGroup, commands_map={})
    def group() -> None:
        pass

    @group.command("boom")
    def boom() -> None:
        click.echo("partial stdout")
        raise exc

    return group


@pytest.mark.parametrize(
    "exc",
    [
        DataError(
            '"31/02/2023" is not a date',
            file="Police.xlsx",
            place='sheet "Chronology" row 14, column "Date"',
            advice="correct it and run collate again",
        ),
        OutputLockedError("is open in Excel", file="out.xlsx"),
    ],
)
def test_scrtool_error_is_one_sentence_and_exit_2(exc):
    result = CliRunner().invoke(make_cli(exc), ["boom"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0] == exc.message
    assert "Traceback" not in result.stderr


def test_contract_example_message():
    exc = DataError(
        '"31/02/2023" is not a date',
        file="Police.xlsx",
        place='sheet "Chronology" row 14, column "Date"',
        advice="correct it and run collate again",
    )
    assert exc.message == (
        'Police.xlsx: sheet "Chronology" row 14, column "Date": "31/02/2023" is not a date; '
        "correct it and run collate again."
    )


def test_locked_output_says_close_it():
    assert OutputLockedError("is open in Excel", file="a.xlsx").message.endswith(
        "close it and try again."
    )


def test_os_error_is_plain(monkeypatch):
    monkeypatch.delenv("SCRTOOL_DEBUG")
    result = CliRunner().invoke(
        make_cli(PermissionError(13, "Permission denied", "x.xlsx")), ["boom"]
    )
    assert result.exit_code == 2
    assert "x.xlsx: cannot be used (Permission denied)" in result.stderr
    assert "Traceback" not in result.stderr


def test_disk_full_and_nameless_os_errors_are_plain(monkeypatch):
    """ENOSPC from a write() names no file: the message must not say "a file: ..."."""
    monkeypatch.delenv("SCRTOOL_DEBUG", raising=False)
    result = CliRunner().invoke(make_cli(OSError(28, "No space left on device")), ["boom"])
    assert result.exit_code == 2
    assert "the disk is full" in result.stderr and "a file:" not in result.stderr
    result = CliRunner().invoke(make_cli(OSError(5, "Input/output error")), ["boom"])
    assert result.exit_code == 2
    assert result.stderr.startswith("scrtool could not read or write a file (Input/output")


def test_unexpected_error_is_exit_2_without_traceback(monkeypatch):
    monkeypatch.delenv("SCRTOOL_DEBUG")
    result = CliRunner().invoke(make_cli(ZeroDivisionError("oops")), ["boom"])
    assert result.exit_code == 2
    assert "unexpected problem" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_color_is_honoured(monkeypatch):
    assert "\x1b[" in style("x", fg="red")
    monkeypatch.setenv("NO_COLOR", "1")
    assert style("x", fg="red") == "x"


def test_broken_pipe_is_quiet():
    result = CliRunner().invoke(make_cli(BrokenPipeError(32, "Broken pipe")), ["boom"])
    assert result.exit_code == 0
    assert "Broken pipe" not in result.stderr
