"""Collating agency chronology returns into one merged chronology the reviewer can trust.

Each agency returns its chronology in its own shape: a title block above the header, its
own names for the columns, dates as cells, serial numbers or text, sometimes a month or
"approx. 2021". ``collate`` reads every return, finds the header and the date in each
row, keeps every row it cannot place (with the reason) rather than dropping it, marks
rows from different agencies that seem to describe the same event, and writes one
workbook (and, if asked, a Word table) in which every row names the file, sheet and row
it came from.

The steps are separate so each can be tested alone: ``load_schema``, ``find_header``,
``read_return``, ``find_duplicates``, ``sort_entries``, ``summarise``,
``write_workbook`` and ``write_docx``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.errors import (
    InputError,
    OutputError,
    Reason,
    UnreadableInputError,
)
from scrtool.outputs import check_writable, write_all_atomic
from scrtool.readers.spreadsheets import (
    SPREADSHEET_SUFFIXES,
    is_hidden_or_lock_file,
    iter_input_files,
)

if TYPE_CHECKING:
    from scrtool.case import Case
from scrtool.chronology.merge import duplicate_label, find_duplicates, sort_entries
from scrtool.chronology.returns import Attention, ReturnRead, read_return
from scrtool.chronology.reviewer import (
    BEFORE_BIRTH,
    annotate,
    births_after_events,
    child_age,
    date_of_birth,
    previous_refs,
)
from scrtool.chronology.schema import SHEETS, Note, Schema, load_schema
from scrtool.chronology.word import write_docx
from scrtool.chronology.workbook import InputSummary, write_workbook

# --- Collating ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CollateResult:
    """What ``collate`` did; ``to_json()`` is the contract's JSON."""

    inputs: tuple[InputSummary, ...]
    rows_read: int
    rows_merged: int
    rows_needing_attention: int
    possible_duplicates: int
    output: Path
    docx: Path | None = None
    strict: bool = False
    notes: tuple[str, ...] = ()
    attention: tuple[Attention, ...] = ()
    agencies_without_return: tuple[str, ...] = ()
    returns_without_agency: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    child_age: bool = False

    @property
    def exit_code(self) -> int:
        """1 when ``strict`` and a row needs attention or a file in the inputs was skipped."""
        return 1 if self.strict and (self.rows_needing_attention or self.skipped) else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "inputs": [i.to_json() for i in self.inputs],
            "rows_read": self.rows_read,
            "rows_merged": self.rows_merged,
            "rows_needing_attention": self.rows_needing_attention,
            "possible_duplicates": self.possible_duplicates,
            "output": str(self.output),
            "agencies_without_return": list(self.agencies_without_return),
            "returns_without_agency": list(self.returns_without_agency),
            "skipped": list(self.skipped),
        }


def gather_inputs(
    inputs: Sequence[str | Path],
    *,
    exclude: Iterable[Path] = (),
    note: Note | None = None,
    skipped: list[str] | None = None,
) -> list[Path]:
    """The return files named by ``inputs`` (files or folders), each once, in order."""
    excluded = {_resolved(p) for p in exclude}
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise InputError(
                "does not exist",
                file=path,
                advice="check the name and folder, then run collate again",
                reason=Reason.MISSING,
            )
    for path, skip_note in iter_input_files([Path(p) for p in inputs], note_others=True):
        if skip_note is not None:
            if note is not None:
                note(skip_note)
            if skipped is not None and not is_hidden_or_lock_file(path):
                skipped.append(str(path))
            continue
        key = _resolved(path)
        if key in excluded:
            if not _made_by_collate(path):  # an agency's return: inputs are never modified
                raise OutputError(
                    "is one of the returns being merged, and scrtool does not write over its "
                    "inputs",
                    file=path,
                    advice="give another name or folder for the merged chronology (--output)",
                )
            if note is not None:
                note(f"{path}: skipped, it is this run's own output")
            continue
        if _made_by_collate(path):
            if note is not None:
                note(
                    f"{path}: skipped, it is a merged chronology scrtool made, not an agency's "
                    "return (reading it would count every row twice)"
                )
            continue
        if key in seen:
            continue
        seen.add(key)
        out.append(path)
    return out


def _made_by_collate(path: Path) -> bool:
    """Whether a workbook is an earlier run's output (saved beside the returns)."""
    import zipfile

    if path.suffix.lower() != ".xlsx":
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml")[:4000]
            book = zf.read("xl/workbook.xml")[:20000]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return b">scrtool</dc:creator>" in core and all(
        f'name="{name}"'.encode() in book for name in SHEETS
    )


def _resolved(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path).absolute()


def collate(
    inputs: Sequence[str | Path],
    *,
    output: str | Path,
    docx: str | Path | None = None,
    schema: str | Path | Schema | None = None,
    strict: bool = False,
    skip_unreadable: bool = False,
    case: Case | None = None,
    on_note: Note | None = None,
    template: Path | None = None,
    today: dt.date | None = None,
) -> CollateResult:
    """Merge the returns into ``output`` (.xlsx) and, if asked, ``docx``; nothing on failure."""
    notes: list[str] = []

    def note(text: str) -> None:
        notes.append(text)
        if on_note is not None:
            on_note(text)

    output = Path(output)
    docx_path = Path(docx) if docx is not None else None
    if output.suffix.lower() != ".xlsx":
        raise OutputError(
            "is not an .xlsx file name", file=output, advice="give an output name ending in .xlsx"
        )
    if docx_path is not None and docx_path.suffix.lower() != ".docx":
        raise OutputError(
            "is not a .docx file name", file=docx_path, advice="give a name ending in .docx"
        )
    check_writable(output)
    if docx_path is not None:
        check_writable(docx_path)
    schema_obj = schema if isinstance(schema, Schema) else load_schema(schema)
    if not inputs:
        raise InputError("no returns were named", advice="name the returns or their folder")
    born = date_of_birth(case, today=today)
    skipped: list[str] = []
    files = gather_inputs(
        inputs, exclude=[output, *([docx_path] if docx_path else [])], note=note, skipped=skipped
    )
    if not files:
        shown = ", ".join(str(p) for p in inputs)
        raise InputError(
            f"holds no returns ({', '.join(SPREADSHEET_SUFFIXES)})",
            file=shown,
            advice="save the agencies' returns there and run collate again",
        )
    returns: list[ReturnRead] = []
    for order, path in enumerate(files):
        try:
            read = read_return(path, schema=schema_obj, case=case, order=order)
        except UnreadableInputError as exc:
            if not skip_unreadable:
                raise
            note(f"{exc.message} It was left out (--skip-unreadable).")
            skipped.append(str(path))
            continue
        for text in read.notes:
            note(text)
        returns.append(read)
    if not returns:
        raise InputError(
            "none of the returns could be read", advice="ask the agencies for readable copies"
        )
    entries = sort_entries(e for r in returns for e in r.entries)
    groups = find_duplicates(entries, schema_obj.duplicates)
    if groups:
        entries = [
            dataclasses.replace(e, duplicate=duplicate_label(groups[i])) if i in groups else e
            for i, e in enumerate(entries)
        ]
    entries = annotate(
        entries, schema=schema_obj, case=case, born=born, previous=previous_refs(output)
    )
    early = births_after_events(born, entries) if born is not None else 0
    if born is not None and early and child_age(born, entries[0].date) == BEFORE_BIRTH:
        note(
            f"The child's date of birth in case.toml is after the first "
            f"{'event' if early == 1 else f'{early} events'}, whose age reads "
            f'"{BEFORE_BIRTH}"; check the date of birth if the child was born by then.'
        )
    attention = [a for r in returns for a in r.attention]
    without_return, without_agency = account_for_agencies(returns, case)
    for name in without_return:
        note(f'No return was found for "{name}" (an agency in case.toml).')
    for path_text, agency in without_agency:
        note(
            f'{path_text}: its agency "{agency}" is not one of the agencies in case.toml; '
            'add the agency, or its file name to that agency\'s "files", in case.toml'
        )
    summaries = tuple(
        InputSummary(
            path=r.path,
            agency=r.agency,
            rows=r.rows,
            sheet=r.sheet,
            merged=len(r.entries),
            needing_attention=len(r.attention),
        )
        for r in returns
    )
    made = today or dt.date.today()
    title = "Merged chronology"
    if case is not None:
        title = f"{case.ref}: merged chronology" + (f" for {case.child}" if case.child else "")

    def write_xlsx(temp: Path) -> None:
        write_workbook(
            temp,
            entries=entries,
            attention=attention,
            inputs=summaries,
            schema=schema_obj,
            title=title,
            made=made,
            child_age=born is not None,
            without_return=without_return,
            ref=case.ref if case is not None else "",
        )

    jobs: list[tuple[Path, Callable[[Path], object]]] = [(output, write_xlsx)]
    if docx_path is not None:
        n_att = len(attention)
        fields = {
            "title": title,
            "subtitle": (
                f"Made by scrtool on {made.strftime('%d/%m/%Y')} from {len(returns)} "
                f"return{'s' if len(returns) != 1 else ''}: {len(entries)} "
                f"row{'s' if len(entries) != 1 else ''}."
            ),
            "notes": (
                f"{n_att} row{'s' if n_att != 1 else ''} could not be placed in date order and "
                f"{'are' if n_att != 1 else 'is'} listed on the Needs attention sheet of "
                f"{output.name}."
                if n_att
                else "Every row of every return is in this chronology."
            ),
        }
        jobs.append(
            (
                docx_path,
                lambda temp: write_docx(
                    temp,
                    entries=entries,
                    template=template,
                    fields=fields,
                    schema=schema_obj,
                    child_age=born is not None,
                ),
            )
        )
    write_all_atomic(jobs)
    rows_merged = len(entries)
    return CollateResult(
        inputs=summaries,
        rows_read=rows_merged + len(attention),
        rows_merged=rows_merged,
        rows_needing_attention=len(attention),
        possible_duplicates=len(set(groups.values())),
        output=output,
        docx=docx_path,
        strict=strict,
        notes=tuple(notes),
        attention=tuple(attention),
        agencies_without_return=tuple(without_return),
        returns_without_agency=tuple(p for p, _ in without_agency),
        skipped=tuple(skipped),
        child_age=born is not None,
    )


def account_for_agencies(
    returns: Sequence[ReturnRead], case: Case | None
) -> tuple[list[str], list[tuple[str, str]]]:
    """The agencies in case.toml with no return, and the returns that match no agency there.

    A return matches an agency when the agency's ``files`` patterns match its name, or
    when its rows (or title block) name that agency.
    """
    if case is None or not case.agencies:
        return [], []
    known = {a.name.casefold(): a.name for a in case.agencies}
    seen: set[str] = set()
    without_agency: list[tuple[str, str]] = []
    for read in returns:
        by_file = case.agency_for_file(read.path.name)
        names = {e.agency for e in read.entries} | {a.agency for a in read.attention}
        names.add(read.agency)
        matched = {n.casefold() for n in names if n.casefold() in known}
        if by_file:
            matched.add(by_file.casefold())
        seen |= matched
        if not matched:
            without_agency.append((str(read.path), read.agency))
    without_return = [a.name for a in case.agencies if a.name.casefold() not in seen]
    return without_return, without_agency
