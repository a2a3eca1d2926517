"""``anonymise`` and ``personalise``: a copy of each Word or Excel file, names swapped.

The reviewer and the partnership work on documents with real names; what is published
or shared outside must carry pseudonyms. Chronolator does this one Word document at a
time, with macros; scrtool does any number of .docx and .xlsx files, in every part the
redaction check reads, and then runs that check on what it wrote, so the officer knows
the copy is clean before it leaves the building.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.anonymise.ooxml import package_texts, rewrite
from scrtool.anonymise.pseudonyms import Replacer, _names_in, load_table
from scrtool.errors import CaseError, InputError, OutputError
from scrtool.outputs import check_writable, lock_files, same_file, write_all_atomic

if TYPE_CHECKING:
    from scrtool.case import Case

SUFFIXES = (".docx", ".xlsx", ".xlsm")
_OLD_FORMATS = {".doc": ".docx", ".xls": ".xlsx", ".odt": ".docx", ".ods": ".xlsx", ".rtf": ".docx"}


@dataclass(frozen=True)
class OutputReport:
    """One file written: how many names were replaced, and any the check still finds."""

    source: Path
    file: Path
    replacements: int
    names_left: tuple[str, ...] = ()
    pseudonyms_before: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "source": str(self.source),
            "replacements": self.replacements,
            "names_left": list(self.names_left),
            "pseudonyms_before": self.pseudonyms_before,
        }


@dataclass(frozen=True)
class AnonymiseResult:
    outputs: tuple[OutputReport, ...]
    personalise: bool = False

    @property
    def passed(self) -> bool:
        """Whether every anonymised copy passes the redaction check for names."""
        return all(not o.names_left for o in self.outputs)

    @property
    def exit_code(self) -> int:
        """1 when an anonymised copy still holds a register name, else 0."""
        return 0 if self.personalise or self.passed else 1

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "outputs": [o.to_json() for o in self.outputs],
            "mode": "personalise" if self.personalise else "anonymise",
        }
        if not self.personalise:
            data["redaction_check_names"] = "passed" if self.passed else "failed"
        return data


def _check_input(path: Path) -> None:
    if not path.exists():
        raise InputError(
            "does not exist", file=path, advice="check the file name and folder, then try again"
        )
    if path.is_dir():
        raise InputError("is a folder", file=path, advice="name the .docx or .xlsx files in it")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise InputError(
            "is a PDF, and a PDF cannot be anonymised safely (its text is drawn, not written)",
            file=path,
            advice="anonymise the Word document before converting it to PDF, then convert the "
            "anonymised copy",
        )
    if suffix in _OLD_FORMATS:
        raise InputError(
            f'is a "{suffix}" file, which anonymise does not read',
            file=path,
            advice=f"save it as {_OLD_FORMATS[suffix]} in Word or Excel and run anonymise again",
        )
    if suffix not in SUFFIXES:
        raise InputError(
            f'is a "{suffix or "(no extension)"}" file, which anonymise does not read',
            file=path,
            advice="anonymise a Word (.docx) or Excel (.xlsx) file",
        )
    for lock in lock_files(path):
        if lock.exists():
            raise InputError(
                "is open in Word, Excel or LibreOffice (its lock file is beside it), so the "
                "copy could miss the latest changes",
                file=path,
                advice="save it, close it and try again",
            )


def anonymise(
    files: Sequence[str | Path],
    *,
    case: Case | None,
    output_dir: str | Path,
    personalise: bool = False,
) -> AnonymiseResult:
    """Write a copy of each file into ``output_dir`` with names swapped; none on failure.

    Anonymising replaces every register name (and its distinctive parts) with its
    pseudonym and then checks each copy for names as the redaction check does.
    Personalising puts the real names back in place of the pseudonyms.
    """
    if case is None:
        raise CaseError(
            "no case.toml was found, so there is no pseudonym table",
            advice="run anonymise inside the case folder, or give it with --case DIR",
        )
    paths = [Path(f) for f in files]
    if not paths:
        raise InputError("no files were named", advice="name the .docx or .xlsx files to copy")
    for path in paths:
        _check_input(path)
    table = load_table(case)
    out_dir = Path(output_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(
            "is a file, not a folder", file=out_dir, advice="give a folder with --output-dir"
        )
    targets: list[Path] = []
    for path in paths:
        target = out_dir / path.name
        if any(same_file(target, p) for p in paths):
            raise OutputError(
                "would be written over the file it is copied from, and scrtool never changes "
                "its inputs",
                file=target,
                advice="give another folder with --output-dir",
            )
        if target in targets:
            raise InputError(
                "is named twice (two files with one name would be written to one place)",
                file=path,
                advice="anonymise them in two runs, each with its own --output-dir",
            )
        check_writable(target)
        targets.append(target)
    replacer = Replacer.build(table, case, personalise=personalise)
    if not personalise:
        # Pseudonyms the author had already typed: personalising the copy would turn
        # them into names too, so the round trip is exact only without them.
        replacer.reverse = Replacer.build(table, case, personalise=True)
    counts: dict[Path, tuple[int, int]] = {}

    def job(source: Path) -> Any:
        def write(temp: Path) -> None:
            count, before = replacer.count, replacer.before
            rewrite(source, temp, replacer)
            counts[source] = (replacer.count - count, replacer.before - before)

        return write

    write_all_atomic([(t, job(p)) for p, t in zip(paths, targets, strict=True)])
    outputs = []
    for path, target in zip(paths, targets, strict=True):
        left = () if personalise else tuple(names_left(target, case=case, reals=table.reals))
        count, before = counts.get(path, (0, 0))
        outputs.append(OutputReport(path, target, count, left, before))
    return AnonymiseResult(tuple(outputs), personalise=personalise)


def names_left(path: Path, *, case: Case, reals: Sequence[str] = ()) -> list[str]:
    """Register names the redaction check still finds in a file (``"Name" (place)``).

    A Word document is read by the redaction check itself (it reads more places than
    anonymise writes, so nothing hides there); a workbook, which that check does not
    read, is searched with the check's own matcher in every place anonymise writes.
    """
    from scrtool.checks.redaction import build_matcher, check_file

    matcher = build_matcher(terms=list(reals), case=case)
    found: list[str] = []
    if path.suffix.lower() == ".docx":
        report = check_file(path, matcher)
        for finding in report.findings:
            if finding.kind == "name":
                found.append(f'"{finding.text}" ({finding.location})')
        return found
    seen: set[tuple[str, str]] = set()
    for part, text in package_texts(path):
        if (part, text) in seen:
            continue
        seen.add((part, text))
        for name in _names_in(text, matcher):
            entry = f'"{name}" ({part})'
            if entry not in found:
                found.append(entry)
    return found
