"""The reviewer's columns: the child's age at each event, and a reference for each event.

A reviewer reads a chronology to understand a child's life, and cites its events in the
report. ``Child's age`` keeps the precision of the date it is worked out from ("about
1y 3m" for "April 2023"); ``Event ref`` is the agency's short code and the row the event
came from ("POL-14"), kept from the previous run so a reference quoted in a draft still
points at the same event after more returns arrive.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.dates import PartialDate
from scrtool.errors import CaseError

if TYPE_CHECKING:
    from scrtool.case import Case
    from scrtool.chronology.returns import Entry
    from scrtool.chronology.schema import Schema

BEFORE_BIRTH = "before birth"
APPROXIMATE = "about "
_CODE = re.compile(r"[A-Za-z0-9]{1,8}")
_SMALL_WORDS = frozenset(["the", "of", "and", "for", "in", "on", "at", "to", "a", "an", "&"])


# --- The child's age ------------------------------------------------------------------------


def _months_between(born: dt.date, day: dt.date) -> int:
    months = (day.year - born.year) * 12 + day.month - born.month
    if day.day < born.day:
        months -= 1
    return months


def age_on(born: dt.date, day: dt.date) -> str:
    """``1y 3m`` from one year, ``14w`` under one year, ``before birth`` before ``born``."""
    if day < born:
        return BEFORE_BIRTH
    months = _months_between(born, day)
    if months >= 12:
        return f"{months // 12}y {months % 12}m"
    return f"{(day - born).days // 7}w"


def child_age(born: dt.date, date: PartialDate) -> str:
    """The age at an event, "about " when the date is a month, a year or approximate.

    A month or year is measured from its first day; an event in the month of the birth
    cannot be placed before or after it, so it reads "about 0w".
    """
    exact = date.precision == "day" and not date.approximate
    if exact:
        return age_on(born, date.start)
    if date.precision == "year":
        end = dt.date(date.start.year, 12, 31)
        if end < born:
            return BEFORE_BIRTH
        start = max(date.start, born)
        months = _months_between(born, start)
        return APPROXIMATE + (
            f"{months // 12}y" if months >= 12 else f"{(start - born).days // 7}w"
        )
    if date.precision == "month":
        if (date.start.year, date.start.month) < (born.year, born.month):
            return BEFORE_BIRTH
        return APPROXIMATE + age_on(born, max(date.start, born))
    shown = age_on(born, date.start)
    return shown if shown == BEFORE_BIRTH else APPROXIMATE + shown


def date_of_birth(case: Case | None, *, today: dt.date | None = None) -> dt.date | None:
    """``[review] child_date_of_birth`` from case.toml, checked: a future date is refused."""
    if case is None:
        return None
    value = case.review.get("child_date_of_birth")
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        from scrtool.dates import parse_partial_date

        try:
            parsed = parse_partial_date(str(value))
        except ValueError:
            parsed = None
        if parsed is None or parsed.precision != "day" or parsed.approximate:
            raise CaseError(
                f'child_date_of_birth is "{value}", which is not a date',
                file=case.file,
                place="[review]",
                advice="write it as child_date_of_birth = 2021-03-14 and run the command again",
            )
        value = parsed.start
    if value > (today or dt.date.today()):
        raise CaseError(
            f"child_date_of_birth is {value.strftime('%d/%m/%Y')}, which is in the future",
            file=case.file,
            place="[review]",
            advice="correct the child's date of birth and run the command again",
        )
    return value


def births_after_events(born: dt.date, entries: Sequence[Entry]) -> int:
    """How many events fall before the birth (a note, not an error: pregnancy matters)."""
    return sum(1 for e in entries if child_age(born, e.date) == BEFORE_BIRTH)


# --- Agency codes ----------------------------------------------------------------------------


def derive_code(name: str, schema: Schema) -> str:
    """The short code for an agency: a known phrase in its name, else its initials."""
    folded = " " + " ".join(re.findall(r"[^\W_]+(?:'[^\W_]+)?", name.casefold())) + " "
    for phrase, code in schema.agency_codes:
        wanted = " " + " ".join(re.findall(r"[^\W_]+(?:'[^\W_]+)?", phrase)) + " "
        if wanted.strip() and wanted in folded:
            return code
    words = [w for w in re.findall(r"[^\W\d_]+", name) if w.casefold() not in _SMALL_WORDS]
    initials = "".join(w[0] for w in words).upper()
    if len(initials) >= 2:
        return initials[:4]
    letters = re.sub(r"[^A-Za-z0-9]", "", name).upper()
    return (letters[:3] or "AG").ljust(2, "X")


def case_codes(case: Case | None) -> dict[str, str]:
    """Agency name (folded) -> the ``code`` case.toml gives it; two agencies sharing one is refused."""
    if case is None:
        return {}
    out: dict[str, str] = {}
    owner: dict[str, str] = {}
    for item in case.data.get("agencies", []) or []:
        if not isinstance(item, Mapping) or "code" not in item:
            continue
        name = str(item.get("name", ""))
        code = str(item["code"]).strip()
        if not _CODE.fullmatch(code):
            raise CaseError(
                f'the agency "{name}" has the code "{code}"; a code is 1 to 8 letters or digits',
                file=case.file,
                place="[[agencies]]",
                advice='write a short code such as code = "POL" and run the command again',
            )
        code = code.upper()
        if code in owner:
            raise CaseError(
                f'the agencies "{owner[code]}" and "{name}" both have the code "{code}"',
                file=case.file,
                place="[[agencies]]",
                advice="give each agency its own code and run the command again",
            )
        owner[code] = name
        out[name.casefold()] = code
    return out


def agency_codes(agencies: Iterable[str], schema: Schema, case: Case | None) -> dict[str, str]:
    """A code for every agency, unique: a derived code that is taken gets a number (NP, NP2)."""
    given = case_codes(case)
    out: dict[str, str] = {}
    taken = set(given.values())
    names = sorted(set(agencies), key=str.casefold)
    for name in names:
        if name.casefold() in given:
            out[name] = given[name.casefold()]
    for name in names:
        if name in out:
            continue
        base = derive_code(name, schema)
        code, n = base, 2
        while code in taken:
            code, n = f"{base}{n}", n + 1
        taken.add(code)
        out[name] = code
    return out


# --- Event references ------------------------------------------------------------------------

SourceKey = tuple[str, str, int]


@dataclass(frozen=True)
class PreviousRefs:
    """The references an earlier run gave, by (file, sheet, row)."""

    refs: Mapping[SourceKey, str]


def previous_refs(path: Path) -> PreviousRefs:
    """The Event refs in an earlier merged chronology; nothing when there is none or it is not ours."""
    if not Path(path).is_file():
        return PreviousRefs({})
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # an unreadable earlier output only means fresh references
        return PreviousRefs({})
    refs: dict[SourceKey, str] = {}
    try:
        if "Chronology" not in book.sheetnames:
            return PreviousRefs({})
        rows = book["Chronology"].iter_rows(values_only=True)
        head = [str(v) if v is not None else "" for v in next(rows, ())]
        try:
            f, s, r, e = (
                head.index(n) for n in ("Source file", "Source sheet", "Source row", "Event ref")
            )
        except ValueError:
            return PreviousRefs({})
        for row in rows:
            if len(row) <= max(f, s, r, e) or not row[e] or row[r] is None:
                continue
            try:
                number = int(row[r])
            except (TypeError, ValueError):
                continue
            refs[(str(row[f] or ""), str(row[s] or ""), number)] = str(row[e])
    finally:
        book.close()
    return PreviousRefs(refs)


def assign_refs(
    entries: Sequence[Entry],
    codes: Mapping[str, str],
    previous: PreviousRefs | None = None,
) -> list[str]:
    """An Event ref for each entry, unique, and the same as last time for a row seen before.

    The first source (file and sheet) of an agency gives ``POL-14``; a second source of
    the same agency (a revised return, the "2024" sheet) gives ``POL-14b``, a third
    ``POL-14c``. A reference the previous run gave is kept, so new returns never move
    the old ones.
    """
    kept = previous.refs if previous is not None else {}
    out: list[str | None] = [None] * len(entries)
    used: set[str] = set()
    for index, entry in enumerate(entries):
        ref = kept.get((entry.file, entry.sheet, entry.row))
        if ref and ref not in used:
            out[index] = ref
            used.add(ref)
    # Sources in the order they were read, so the first return keeps the plain reference.
    sources: dict[tuple[str, str, str], int] = {}
    for entry in sorted(entries, key=lambda e: (e.order, e.sheet_order, e.row)):
        key = (entry.agency, entry.file, entry.sheet)
        if key not in sources:
            sources[key] = sum(1 for k in sources if k[0] == entry.agency)
    for index, entry in enumerate(entries):
        if out[index] is not None:
            continue
        code = codes.get(entry.agency) or "AG"
        nth = sources[(entry.agency, entry.file, entry.sheet)]
        suffix = _letters(nth)
        ref = f"{code}-{entry.row}{suffix}"
        bump = nth
        while ref in used:
            bump += 1
            ref = f"{code}-{entry.row}{_letters(bump)}"
        used.add(ref)
        out[index] = ref
    return [r or "" for r in out]


def _letters(n: int) -> str:
    """0 -> "", 1 -> "b", 2 -> "c" ... 25 -> "z", 26 -> "aa"."""
    if n <= 0:
        return ""
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def annotate(
    entries: Sequence[Entry],
    *,
    schema: Schema,
    case: Case | None,
    born: dt.date | None,
    previous: PreviousRefs | None = None,
) -> list[Entry]:
    """The entries with their Event ref and, when the birth date is known, the child's age."""
    import dataclasses

    codes = agency_codes((e.agency for e in entries), schema, case)
    refs = assign_refs(entries, codes, previous)
    out = []
    for entry, ref in zip(entries, refs, strict=True):
        age = child_age(born, entry.date) if born is not None else ""
        out.append(dataclasses.replace(entry, ref=ref, age=age))
    return out


def key_event(values: Mapping[str, Any]) -> bool:
    return str(values.get("Key event", "")).strip() == "Yes"
