"""Finding a return's header: the row of short labels that names the Date column and others."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scrtool.chronology.schema import Schema
from scrtool.settings import one_line

# --- Finding the header ------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """Where a sheet's header is and which column is which (indexes count from 0).

    ``row`` is the header's last row (the data start below it); ``top`` its first, when
    the header is two rows (a grouped heading over sub-headings); ``cells`` the header
    as read, the sub-headings filled in from the row above where they are blank.
    """

    row: int
    columns: Mapping[str, int]
    others: Mapping[int, str]
    numbering: frozenset[int]
    texts: tuple[str, ...]
    top: int | None = None
    cells: tuple[Any, ...] = ()

    @property
    def first_row(self) -> int:
        return self.row if self.top is None else self.top


def _text_cells(row: Sequence[Any]) -> list[str]:
    return [v.strip() for v in row if isinstance(v, str) and v.strip()]


def _match_row(
    row: Sequence[Any], schema: Schema
) -> tuple[dict[str, int], dict[int, str], set[int]]:
    """Which column each header cell names: exact names and aliases first, then keywords."""
    matched: dict[str, int] = {}
    ranks: dict[str, int] = {}
    others: dict[int, str] = {}
    numbering: set[int] = set()
    guesses: list[tuple[int, list[str]]] = []
    for col, value in enumerate(row):
        if not isinstance(value, str) or not value.strip():
            continue
        name, rank = schema.match_ranked(value)
        if name is not None and (name not in matched or rank < ranks[name]):
            if name in matched:
                loser = matched[name]
                others[loser] = " ".join(str(row[loser]).split())
            matched[name], ranks[name] = col, rank
        elif name is None and schema.is_numbering(value):
            numbering.add(col)
        elif name is None and (names := schema.keyword_matches(value)):
            guesses.append((col, names))
        else:
            others[col] = " ".join(value.split())
    for col, names in guesses:
        free = next((n for n in names if n not in matched), None)
        if free is not None:
            matched[free] = col
        else:
            others[col] = " ".join(str(row[col]).split())
    return matched, others, numbering


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_DATE_TEXT = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
#: A cell with more words than this is a sentence, and a row holding one is not a header.
_SENTENCE_WORDS = 12


def is_label_row(row: Sequence[Any]) -> bool:
    """Whether a row could be a header: short labels, no date, no sentence.

    A data row such as "12/03/2024 | Home visit | Mother asked for a new date" names a
    "date", but it is a row of the chronology, not its header.
    """
    for value in row:
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, (dt.date, dt.time, dt.timedelta)):
            return False
        if isinstance(value, str):
            if _DATE_TEXT.search(value):
                return False
            if len(value.split()) > _SENTENCE_WORDS:
                return False
    return True


def find_header(rows: Sequence[Sequence[Any]], schema: Schema) -> Header | None:
    """The row that names the most columns, Date among them.

    It is looked for in the first ``schema.header_rows`` rows, then, when none is
    there, further down a window at a time (a long block of guidance above the table),
    the first window holding a header winning.

    A header may take two rows: a grouped heading ("Contact", merged over two columns)
    above sub-headings ("Time", "Summary"), with "Date" merged down over both. The two
    rows are read as one when that names more columns than either row alone.
    """
    step = max(1, schema.header_rows)
    found = _find_header_in(rows, schema, 0, min(len(rows), step))
    lo = step
    while found is None and lo < len(rows):
        found = _find_header_in(rows, schema, lo - 1, min(len(rows), lo + step))
        lo += step
    return found


def _find_header_in(
    rows: Sequence[Sequence[Any]], schema: Schema, start: int, limit: int
) -> Header | None:
    labels = [is_label_row(rows[i]) for i in range(start, limit)]
    empty: tuple[dict[str, int], dict[int, str], set[int]] = ({}, {}, set())
    singles = [
        _match_row(rows[i], schema) if labels[i - start] else empty for i in range(start, limit)
    ]
    best: Header | None = None
    best_score: tuple[int, int] = (0, 0)

    def consider(index: int, top: int | None, cells: Sequence[Any], found: tuple[Any, ...]) -> None:
        nonlocal best, best_score
        matched, others, numbering = found
        if "Date" not in matched:
            return
        score = (len(matched), len(matched) + len(others) + len(numbering))
        if score > best_score:
            best_score = score
            best = Header(
                row=index,
                columns=matched,
                others=others,
                numbering=frozenset(numbering),
                texts=tuple(_text_cells(cells)),
                top=top,
                cells=tuple(cells),
            )

    for index in range(start, limit):
        if not labels[index - start]:
            continue
        consider(index, None, rows[index], singles[index - start])
        below = rows[index + 1] if index + 1 < len(rows) else None
        if (
            below is None
            or not any(isinstance(v, str) and v.strip() for v in below)
            or not all(_blank(v) or isinstance(v, str) for v in below)
            or not is_label_row(below)
        ):
            continue
        above = rows[index]
        width = max(len(above), len(below))
        cells = [
            below[c]
            if c < len(below) and not _blank(below[c])
            else (above[c] if c < len(above) else None)
            for c in range(width)
        ]
        found = _match_row(cells, schema)
        alone = max(
            len(singles[index - start][0]),
            len(singles[index + 1 - start][0])
            if index + 1 < limit
            else len(_match_row(below, schema)[0]),
        )
        if len(found[0]) > alone:
            consider(index + 1, index, cells, found)
    return best


def looks_like_chronology(rows: Sequence[Sequence[Any]], schema: Schema) -> list[str]:
    """The headers of a sheet that names chronology columns but no Date (empty: it does not).

    Two or more of our columns in one row of labels, with rows below it, is a chronology
    whose Date column is missing or misnamed, not a list or a cover page.
    """
    for index in range(min(len(rows), 500)):
        row = rows[index]
        if not is_label_row(row):
            continue
        matched, _others, _numbering = _match_row(row, schema)
        if len(matched) >= 2 and any(
            any(not _blank(v) for v in later) for later in rows[index + 1 : index + 50]
        ):
            return _text_cells(row)
    return []


def _likely_headers(rows: Sequence[Sequence[Any]], schema: Schema) -> list[str]:
    """The row of the first ones that looks most like a header, for the error message."""
    best: list[str] = []
    for row in rows[: schema.header_rows]:
        texts = _text_cells(row)
        if len(texts) > len(best):
            best = texts
    return best


def _quoted(names: Iterable[str], limit: int = 12) -> str:
    names = list(names)
    shown = ", ".join(f'"{one_line(n)}"' for n in names[:limit])
    if len(names) > limit:
        shown += f" and {len(names) - limit} more"
    return shown
