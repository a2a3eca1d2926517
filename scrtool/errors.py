"""One family of errors for everything a user can put right.

Core code raises these and never prints or exits; the command line turns them into one
plain sentence on stderr and exit code 2. Each error carries the file, the place in it
and what to do, so the sentence a business support officer reads always says all three.
"""

from __future__ import annotations

import enum
from pathlib import Path

#: Exit codes, in one place (contract: 0 done or passed, 1 findings, 2 could not run).
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class Reason(str, enum.Enum):
    """Why a command could not run, for scripts to branch on (never a wording to match).

    The value appears as ``"reason"`` in the JSON error document.
    """

    MISSING = "missing"  # no such file or folder
    NOT_A_FILE = "not-a-file"  # a folder where a file was wanted, or the other way round
    NO_PERMISSION = "no-permission"  # the user may not read or write it
    LOCKED = "locked"  # open in Excel or Word, or locked by another program
    ENCRYPTED = "encrypted"  # protected with a password to open
    MACRO_SHEET = "macro-sheet"  # an Excel 4 macro sheet where a worksheet was wanted
    DAMAGED = "damaged"  # corrupt, truncated or not the format its name says
    WRONG_KIND = "wrong-kind"  # a kind of file scrtool does not read
    EMPTY = "empty"  # nothing in it
    BAD_VALUE = "bad-value"  # a readable file holding a value that is wrong
    BAD_CASE = "bad-case"  # case.toml is missing, cannot be read or says something wrong
    BAD_SETTINGS = "bad-settings"  # a settings file under schemas/ is wrong
    BAD_TEMPLATE = "bad-template"  # a template is broken or needs data that is missing
    BAD_ARGUMENTS = "bad-arguments"  # the command line is wrong
    REFUSED = "refused"  # scrtool will not overwrite something without being told to
    OUTPUT = "output"  # an output cannot be written
    DISK_FULL = "disk-full"
    TOOL_MISSING = "tool-missing"  # LibreOffice is not installed
    INTERRUPTED = "interrupted"
    FAULT = "fault"  # a fault in scrtool itself


def _name(file: str | Path | None) -> str | None:
    if file is None:
        return None
    return str(file)


class ScrtoolError(Exception):
    """A problem the user can fix: bad input, a bad template, an output that cannot be written.

    The message reads ``FILE: PLACE: PROBLEM; ADVICE.``. ``problem`` says what is wrong,
    ``advice`` says what to do about it.
    """

    exit_code = EXIT_ERROR
    default_advice = "correct it and try again"
    default_reason = Reason.BAD_VALUE

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        place: str | None = None,
        advice: str | None = None,
        reason: Reason | None = None,
    ) -> None:
        self.problem = problem.rstrip(".")
        self.reason = reason if reason is not None else self.default_reason
        self.file = _name(file)
        self.place = place
        self.advice = (advice if advice is not None else self.default_advice).rstrip(".")
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.place:
            parts.append(self.place)
        head = ": ".join(parts + [self.problem])
        if self.advice:
            return f"{head}; {self.advice}."
        return f"{head}."

    def __str__(self) -> str:
        return self.message


class InputError(ScrtoolError):
    """An input file is missing, unreadable, encrypted, corrupt or of the wrong shape."""


class UnreadableInputError(InputError):
    """An input file cannot be read at all (encrypted, corrupt, not the format it claims)."""

    default_reason = Reason.DAMAGED


class DataError(ScrtoolError):
    """The values inside a readable input are wrong (a date that is not a date, a bad key)."""


class CaseError(ScrtoolError):
    """case.toml is missing or does not say what a command needs."""

    default_advice = "correct case.toml and run the command again"
    default_reason = Reason.BAD_CASE


class SettingsError(InputError):
    """A data file under schemas/ (or one given with --schema) is not as its schema says."""

    default_advice = "correct the file and run the command again"
    default_reason = Reason.BAD_SETTINGS


class TemplateError(ScrtoolError):
    """A template is broken, reaches outside its sandbox, or needs data that is missing."""

    default_advice = "correct the template in Word and try again"
    default_reason = Reason.BAD_TEMPLATE


class OutputError(ScrtoolError):
    """An output cannot be written."""

    default_advice = "choose another place to write it, or check you may write there"
    default_reason = Reason.OUTPUT


class OutputLockedError(OutputError):
    """The output is open in Excel or Word (or otherwise locked)."""

    default_advice = "close it and try again"
    default_reason = Reason.LOCKED


class ToolMissingError(ScrtoolError):
    """A program scrtool needs (LibreOffice) is not installed."""

    default_reason = Reason.TOOL_MISSING


def exit_code_of(result: object) -> int:
    """The exit code a command's result carries: ``exit_code``, else ``passed``, else 0."""
    if result is None:
        return EXIT_OK
    if isinstance(result, bool):
        return EXIT_OK if result else EXIT_FINDINGS
    if isinstance(result, int):
        return result
    code = getattr(result, "exit_code", None)
    if isinstance(code, int):
        return code
    passed = getattr(result, "passed", None)
    if isinstance(passed, bool):
        return EXIT_OK if passed else EXIT_FINDINGS
    return EXIT_OK
