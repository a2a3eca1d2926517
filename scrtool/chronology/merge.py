"""Marking possible duplicates across agencies, sorting, and the per-agency summary."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scrtool.chronology.returns import Attention, Entry
from scrtool.chronology.schema import DuplicateRules

# --- Possible duplicates ------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]{3,}")
_STOP = frozenset(
    """
    the and for with was were are has had have this that from not but his her hers him she
    they them their there then than who whom which what when where why how all any can could
    would should will did does done been being into onto upon about after before over under
    again also just only very some such our out off per via yes its itself one two said
    """.split()  # noqa: SIM905
)
#: On a busy day a word that many rows share says nothing about which two are the same.
_POSTING_LIMIT = 10


def _words(text: str, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    """The content words of lower-case text, plurals folded (visits -> visit)."""
    found = set(_WORD.findall(text))
    found -= _STOP
    if ignore:
        found -= ignore
    return frozenset(w[:-1] if len(w) > 4 and w[-1] == "s" else w for w in found)


def _phrase_pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    parts = [r"\s+".join(re.escape(w) for w in p.casefold().split()) for p in phrases if p.split()]
    if not parts:
        return None
    return re.compile(r"\b(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")\b")


def find_duplicates(entries: Sequence[Entry], rules: DuplicateRules) -> dict[int, int]:
    """Rows from different agencies (or different returns) that seem to describe the same event.

    Returns entry index -> group number (1, 2, ... in the order the groups first appear
    in ``entries``). Only rows on the same exact day are compared, and only pairs that
    share a word few other rows that day use, or one of the ``same_event`` phrases.
    """
    pattern = _phrase_pattern(rules.same_event)
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        if entry.date.precision == "day":
            by_day[entry.date.start].append(index)
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        root = i
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(i, i) != root:
            parent[i], i = root, parent[i]
        return root

    for members in by_day.values():
        if len(members) < 2:
            continue
        # Two files from one agency (a first and a revised return) are compared like
        # two agencies; rows of one file are never compared with each other.
        if len({(entries[i].agency, entries[i].file) for i in members}) < 2:
            continue
        words: dict[int, frozenset[str]] = {}
        marks: dict[int, frozenset[str]] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        for i in members:
            values = entries[i].values
            text = f"{values.get('Event type', '')} {values.get('Details', '')}".casefold()
            words[i] = _words(text, rules.ignore_words)
            marks[i] = (
                frozenset(" ".join(m.split()) for m in pattern.findall(text))
                if pattern is not None
                else frozenset()
            )
            for word in words[i]:
                postings[word].append(i)
            for mark in marks[i]:
                postings["\0" + mark].append(i)
        agency = {i: (entries[i].agency, entries[i].file) for i in members}
        minute = {i: _minutes(entries[i]) for i in members}
        apart = rules.max_minutes_apart
        candidates: set[tuple[int, int]] = set()
        for posting in postings.values():
            if 1 < len(posting) <= _POSTING_LIMIT:
                for k, i in enumerate(posting):
                    for j in posting[k + 1 :]:
                        if agency[i] == agency[j]:
                            continue
                        mi, mj = minute[i], minute[j]
                        if mi is None or mj is None or abs(mi - mj) <= apart:
                            candidates.add((i, j))
        for i, j in candidates:
            same = bool(marks[i] & marks[j])
            if not same:
                common = len(words[i] & words[j])
                smaller = min(len(words[i]), len(words[j]))
                same = common >= rules.min_shared_words and common >= rules.min_overlap * smaller
            if same:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent.setdefault(ri, ri)
                    parent.setdefault(rj, rj)
                    parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in list(parent):
        groups[find(i)].append(i)
    out: dict[int, int] = {}
    numbered = sorted((min(members), members) for members in groups.values() if len(members) > 1)
    for number, (_, members) in enumerate(numbered, start=1):
        for i in members:
            out[i] = number
    return out


def _minutes(entry: Entry) -> int | None:
    return entry.time.hour * 60 + entry.time.minute if entry.time is not None else None


def duplicate_label(number: int) -> str:
    return f"D{number}"


# --- Sorting and summarising --------------------------------------------------------------


def sort_key(entry: Entry) -> tuple[Any, ...]:
    """Date, then time (untimed rows first), then agency, then the order of the sources."""
    return (
        entry.date.start,
        entry.time is not None,
        entry.time or dt.time(0),
        entry.agency.casefold(),
        entry.order,
        entry.row,
    )


def sort_entries(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=sort_key)


@dataclass(frozen=True)
class AgencySummary:
    agency: str
    rows: int
    needing_attention: int
    partial_dates: int
    first: dt.date | None
    last: dt.date | None
    longest_gap_days: int | None
    gap_from: dt.date | None
    gap_to: dt.date | None


@dataclass(frozen=True)
class Summary:
    agencies: tuple[AgencySummary, ...]
    total: AgencySummary
    months: tuple[dt.date, ...]
    per_month: Mapping[str, Sequence[int]]


def _gap(days: Sequence[dt.date]) -> tuple[int | None, dt.date | None, dt.date | None]:
    best: tuple[int | None, dt.date | None, dt.date | None] = (None, None, None)
    for a, b in zip(days, days[1:], strict=False):
        gap = (b - a).days
        if best[0] is None or gap > best[0]:
            best = (gap, a, b)
    return best


def _agency_summary(name: str, entries: Sequence[Entry], attention: int) -> AgencySummary:
    exact = sorted({e.date.start for e in entries if e.date.exact})
    gap, start, end = _gap(exact)
    return AgencySummary(
        agency=name,
        rows=len(entries),
        needing_attention=attention,
        partial_dates=sum(1 for e in entries if not e.date.exact),
        first=exact[0] if exact else None,
        last=exact[-1] if exact else None,
        longest_gap_days=gap,
        gap_from=start,
        gap_to=end,
    )


def summarise(entries: Sequence[Entry], attention: Sequence[Attention]) -> Summary:
    """Per agency: rows, first and last exact dates, the longest gap; contacts per month."""
    by_agency: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_agency[entry.agency].append(entry)
    attention_by: Counter[str] = Counter(a.agency for a in attention)
    names = sorted(set(by_agency) | set(attention_by), key=str.casefold)
    agencies = tuple(
        _agency_summary(n, by_agency.get(n, []), attention_by.get(n, 0)) for n in names
    )
    total = _agency_summary("Total", entries, len(attention))
    monthly = [
        e for e in entries if e.date.precision in ("day", "month") and not e.date.approximate
    ]
    months: list[dt.date] = []
    per_month: dict[str, list[int]] = {}
    if monthly:
        first = min(e.date.start for e in monthly).replace(day=1)
        last = max(e.date.start for e in monthly).replace(day=1)
        month = first
        while month <= last:
            months.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        position = {m: i for i, m in enumerate(months)}
        for name in names:
            per_month[name] = [0] * len(months)
        for e in monthly:
            per_month[e.agency][position[e.date.start.replace(day=1)]] += 1
        per_month = {k: v for k, v in per_month.items() if any(v)}
    return Summary(agencies=agencies, total=total, months=tuple(months), per_month=per_month)
