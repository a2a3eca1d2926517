"""One family of errors for everything a user can put right.

Core code raises these and never prints or exits; the command line turns them into one
plain sentence on stderr and exit code 2. Each error carries the file, the place in it
and what to do, so the sentence a business support officer reads always says all three.
"""

from __future__ import annotations

from pathlib import Path

#: Exit codes, in one place (contract: 0 done or passed, 1 findings, 2 could not run).
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


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

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        place: str | None = None,
        advice: str | None = None,
    ) -> None:
        self.problem = problem.rstrip(".")
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


class DataError(ScrtoolError):
    """The values inside a readable input are wrong (a date that is not a date, a bad key)."""


class CaseError(ScrtoolError):
    """case.toml is missing or does not say what a command needs."""

    default_advice = "correct case.toml and run the command again"


class TemplateError(ScrtoolError):
    """A template is broken, reaches outside its sandbox, or needs data that is missing."""

    default_advice = "correct the template in Word and try again"


class OutputError(ScrtoolError):
    """An output cannot be written."""

    default_advice = "choose another place to write it, or check you may write there"


class OutputLockedError(OutputError):
    """The output is open in Excel or Word (or otherwise locked)."""

    default_advice = "close it and try again"


class ToolMissingError(ScrtoolError):
    """A program scrtool needs (LibreOffice) is not installed."""
