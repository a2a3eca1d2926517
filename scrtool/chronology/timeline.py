"""A picture of the chronology: who saw the child when, and the long silences.

One lane per agency, a mark per event, the key events labelled with their type and
reference, the review period and the longest gaps shaded, and the child's age along the
top when the date of birth is known. The picture goes in the overview report, so its
title is the review reference and the child's pseudonym (never a name), it reads in
greyscale (every lane has its own marker shape; shading is hatched), it fits A4
landscape, and it carries alternative text written from the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.errors import CaseError, DataError, InputError, OutputError
from scrtool.outputs import check_writable, write_atomic

if TYPE_CHECKING:
    from scrtool.case import Case

FORMATS = (".pdf", ".png", ".svg")
#: A4 landscape, in inches.
A4_LANDSCAPE = (11.69, 8.27)
#: The longest gaps shaded; a gap shorter than this many days is not a silence.
GAPS_SHOWN = 3
MIN_GAP_DAYS = 28
#: Labels beyond this many would overlap into a grey smear; the rest are marked only.
MAX_LABELS = 40
#: Okabe-Ito colours (safe for colour blindness), and marker shapes that tell lanes
#: apart in greyscale.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h", "<", ">", "p", "*")


@dataclass(frozen=True)
class Event:
    day: dt.date
    agency: str
    kind: str
    ref: str
    key: bool
    exact: bool


@dataclass(frozen=True)
class Gap:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "days": self.days}


@dataclass(frozen=True)
class TimelineData:
    """What the picture shows, worked out before anything is drawn (and tested alone)."""

    events: tuple[Event, ...]
    agencies: tuple[str, ...]
    title: str
    period: tuple[dt.date, dt.date] | None
    gaps: tuple[Gap, ...]
    born: dt.date | None = None

    @property
    def key_events(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.key)

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        days = [e.day for e in self.events]
        if self.period is not None:
            days += list(self.period)
        return min(days), max(days)

    def alt_text(self) -> str:
        """Alternative text from the data: the agencies, the period, the longest gap."""
        first, last = self.span
        agencies = len(self.agencies)
        parts = [
            f"Timeline of {len(self.events)} recorded event{'s' if len(self.events) != 1 else ''} "
            f"from {agencies} agenc{'ies' if agencies != 1 else 'y'} "
            f"({_join(self.agencies)}), {_month(first)} to {_month(last)}, one row per agency."
        ]
        if self.period is not None:
            parts.append(
                f"The review period, {_day(self.period[0])} to {_day(self.period[1])}, is shaded."
            )
        if self.gaps:
            gap = self.gaps[0]
            parts.append(
                f"The longest time with no recorded contact was {gap.days} days, from "
                f"{_day(gap.start)} to {_day(gap.end)}."
            )
        keys = self.key_events
        if keys:
            parts.append(f"{len(keys)} key event{'s are' if len(keys) != 1 else ' is'} labelled.")
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "events": len(self.events),
            "agencies": list(self.agencies),
            "key_events": len(self.key_events),
            "period": (
                {"from": self.period[0].isoformat(), "to": self.period[1].isoformat()}
                if self.period
                else None
            ),
            "longest_gaps": [g.to_json() for g in self.gaps],
            "child_age_axis": self.born is not None,
            "title": self.title,
            "alt_text": self.alt_text(),
        }


@dataclass(frozen=True)
class TimelineResult:
    output: Path
    data: TimelineData
    exit_code: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"output": str(self.output), **self.data.to_json()}


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def _month(day: dt.date) -> str:
    return day.strftime("%B %Y")


# --- Reading the chronology -----------------------------------------------------------------


def read_events(path: Path) -> list[Event]:
    """The dated rows of a merged chronology (its Chronology sheet) as events."""
    from scrtool.readers.spreadsheets import Workbook

    if not path.is_file():
        raise InputError(
            "does not exist" if not path.exists() else "is not a file",
            file=path,
            advice="run scrtool collate first, or name the chronology with --input",
        )
    with Workbook(path) as book:
        sheet = next((s for s in book.sheets if s.name == "Chronology"), None)
        if sheet is None:
            raise DataError(
                'has no "Chronology" sheet, so it is not a merged chronology',
                file=path,
                advice="name the workbook scrtool collate wrote (working/chronology.xlsx)",
            )
        rows = book.rows(sheet)
    if not rows:
        raise DataError("has an empty Chronology sheet", file=path, advice="run collate again")
    head = [str(v).strip() if v is not None else "" for v in rows[0]]
    if "Date" not in head or "Agency" not in head:
        raise DataError(
            'its Chronology sheet has no "Date" and "Agency" columns',
            file=path,
            advice="name the workbook scrtool collate wrote (working/chronology.xlsx)",
        )
    at = {name: head.index(name) for name in head if name}
    d, a = at["Date"], at["Agency"]
    kind_at, ref_at, key_at = at.get("Event type"), at.get("Event ref"), at.get("Key event")
    written_at = at.get("Date as written")
    events: list[Event] = []
    for number, row in enumerate(rows[1:], start=2):
        value = row[d] if d < len(row) else None
        if value is None or value == "":
            continue
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        else:
            raise DataError(
                f'the Date cell holds "{value}", not a date',
                file=path,
                place=f'sheet "Chronology" row {number}',
                advice="run collate again rather than editing the merged chronology by hand",
            )

        def cell(index: int | None, row: Sequence[Any] = row) -> str:
            if index is None or index >= len(row) or row[index] is None:
                return ""
            return str(row[index]).strip()

        events.append(
            Event(
                day=day,
                agency=cell(a) or "Unknown agency",
                kind=cell(kind_at),
                ref=cell(ref_at),
                key=cell(key_at).casefold() in ("yes", "y", "true"),
                exact=not cell(written_at),
            )
        )
    if not events:
        raise DataError(
            "has no dated rows to draw",
            file=path,
            advice="collate the agencies' returns first, then draw the timeline",
        )
    return events


def longest_gaps(
    events: Sequence[Event], period: tuple[dt.date, dt.date] | None, *, count: int = GAPS_SHOWN
) -> tuple[Gap, ...]:
    """The longest stretches with no exact-dated event from any agency, within the period."""
    days = sorted({e.day for e in events if e.exact})
    if period is not None:
        days = [d for d in days if period[0] <= d <= period[1]]
    gaps = [Gap(a, b) for a, b in zip(days, days[1:], strict=False) if (b - a).days >= MIN_GAP_DAYS]
    gaps.sort(key=lambda g: (-g.days, g.start))
    return tuple(gaps[:count])


def _title(case: Case | None) -> str:
    from scrtool.checks.redaction import build_matcher

    if case is None:
        return "Timeline of the merged chronology"
    child = case.child or "the child"
    title = f"{case.ref}: timeline for {child}"
    matcher = build_matcher(case=case)
    if matcher.pattern is not None:
        for m in matcher.pattern.finditer(title):
            from scrtool.anonymise.pseudonyms import key

            if key(m.group("base")) in matcher.term_keys and not matcher.allowed(title, *m.span()):
                raise CaseError(
                    f'the child is given as "{child}", which is a name in the register',
                    file=case.file,
                    place="[review] child",
                    advice='give the child\'s pseudonym (child = "Child A") and run timeline again',
                )
    return title


def timeline_data(
    events: Sequence[Event], *, case: Case | None, today: dt.date | None = None
) -> TimelineData:
    from scrtool.chronology.reviewer import date_of_birth

    born = date_of_birth(case, today=today)
    period = None
    if case is not None:
        start, end = case.date("scope_from"), case.date("scope_to")
        if start and end and start <= end:
            period = (start, end)
    order: dict[str, dt.date] = {}
    for e in events:
        order[e.agency] = min(order.get(e.agency, e.day), e.day)
    agencies = tuple(sorted(order, key=lambda n: (order[n], n.casefold())))
    return TimelineData(
        events=tuple(sorted(events, key=lambda e: e.day)),
        agencies=agencies,
        title=_title(case),
        period=period,
        gaps=longest_gaps(events, period),
        born=born,
    )


# --- Drawing --------------------------------------------------------------------------------


def _safe_label(event: Event, matcher: Any) -> str:
    """Event type and reference; an event type that names someone is left out."""
    kind = event.kind
    if kind and matcher is not None and matcher.pattern is not None:
        from scrtool.anonymise.pseudonyms import key

        for m in matcher.pattern.finditer(kind):
            if key(m.group("base")) in matcher.term_keys:
                kind = ""
                break
    if len(kind) > 28:
        kind = kind[:27].rstrip() + "…"
    return f"{kind} ({event.ref})" if kind and event.ref else (kind or event.ref)


def _split_at(data: TimelineData) -> dt.date | None:
    """Where to break the date axis: at the review period's start, when much older events
    (a parent's own childhood, an earlier sibling) would squeeze the period into a sliver."""
    if data.period is None:
        return None
    first, last = data.span
    start = data.period[0]
    inner = (max(last, data.period[1]) - start).days or 1
    if first < start and (start - first).days > 0.5 * inner:
        return start
    return None


def draw(data: TimelineData, *, case: Case | None = None) -> Any:
    """The matplotlib figure (Agg backend: no window, no display needed)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    from scrtool.checks.redaction import build_matcher

    matcher = build_matcher(case=case) if case is not None else None
    fig = Figure(figsize=A4_LANDSCAPE, dpi=100)
    lanes = {name: len(data.agencies) - 1 - i for i, name in enumerate(data.agencies)}
    first, last = data.span
    split = _split_at(data)
    left, bottom, width, height = 0.2, 0.12, 0.77, 0.72
    panels: list[tuple[Any, dt.date, dt.date, list[Event]]] = []
    if split is not None:
        before = [e for e in data.events if e.day < split]
        early = fig.add_axes((left, bottom, 0.08, height))
        pad = dt.timedelta(days=max(30, (split - first).days // 12))
        panels.append((early, first - pad, split, before))
        main = fig.add_axes((left + 0.095, bottom, width - 0.095, height))
        after = [e for e in data.events if e.day >= split]
        pad = dt.timedelta(days=max(7, (last - split).days // 40))
        panels.append((main, split - pad, last + pad, after))
    else:
        main = fig.add_axes((left, bottom, width, height))
        pad = dt.timedelta(days=max(7, (last - first).days // 40))
        panels.append((main, first - pad, last + pad, list(data.events)))
    labelled = 0
    for index, (ax, lo, hi, events) in enumerate(panels):
        ax.set_xlim(mdates.date2num(lo), mdates.date2num(hi))
        ax.set_ylim(-0.8, len(data.agencies) - 0.2)
        _shade(ax, data, lo, hi)
        _marks(ax, events, data.agencies, lanes)
        labelled += _labels(ax, events, lanes, matcher, lo, hi, MAX_LABELS - labelled)
        for lane in range(len(data.agencies)):
            ax.axhline(lane, color="#bbbbbb", lw=0.6, zorder=2)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="x", labelsize=9)
        if index == 0:
            ax.set_yticks(range(len(data.agencies)))
            ax.set_yticklabels([_wrap(a) for a in reversed(data.agencies)], fontsize=9)
        else:
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
    if split is not None:
        early = panels[0][0]
        years = sorted({first.year, (first.year + split.year) // 2} - {split.year})
        early.set_xticks([mdates.date2num(dt.date(y, 7, 1)) for y in years])
        early.set_xticklabels([str(y) for y in years])
        early.set_title("Earlier", fontsize=8, loc="left")
        # The break in the date axis, drawn where the two panels meet.
        fig.text(left + 0.0875, bottom - 0.012, "//", fontsize=11, ha="center", va="center")
    locator = mdates.AutoDateLocator(minticks=5, maxticks=14)
    main.xaxis.set_major_locator(locator)
    main.xaxis.set_major_formatter(FuncFormatter(_tick_label))
    main.set_xlabel("Date of the recorded event", fontsize=9)
    if data.born is not None:
        _age_axis(main, data.born, panels[-1][1], panels[-1][2])
    handles: list[Any] = []
    if data.period is not None:
        handles.append(Patch(facecolor="#e8e8e8", label="Review period"))
    if data.gaps:
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#555555",
                hatch="///",
                label="Longest gaps with no recorded contact",
            )
        )
    handles.append(
        Line2D([], [], marker="o", ls="", mfc="#777777", mec="black", mew=1.6, ms=10,
               label="Key event (labelled: type and reference)")
    )  # fmt: skip
    handles.append(
        Line2D([], [], marker="o", ls="", mfc="white", mec="#777777", mew=1.2, ms=6,
               label="Date not exact (month, year or approximate)")
    )  # fmt: skip
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=len(handles),
        fontsize=8,
        frameon=False,
        bbox_to_anchor=(0.55, 0.005),
    )
    fig.suptitle(data.title, fontsize=14, fontweight="bold", x=0.02, ha="left", y=0.975)
    keys = len(data.key_events)
    note = f"{len(data.events)} events from {len(data.agencies)} agencies; {keys} key events."
    if keys > labelled:
        note += f" {keys - labelled} more key events are marked but not labelled."
    fig.text(0.02, 0.925, note, fontsize=9, ha="left")
    return fig


def _tick_label(value: float, position: int | None) -> str:
    """ "May" under most ticks; the year under the first and under each January."""
    import matplotlib.dates as mdates

    day = mdates.num2date(value).date()
    if day.month == 1 and day.day == 1 and position:
        return day.strftime("%Y")
    if position == 0 or (day.month == 1 and day.day <= 7):
        return day.strftime("%b\n%Y")
    return day.strftime("%b") if day.day <= 7 else day.strftime("%d %b")


def _shade(ax: Any, data: TimelineData, lo: dt.date, hi: dt.date) -> None:
    import matplotlib.dates as mdates

    if data.period is not None and data.period[0] <= hi and data.period[1] >= lo:
        ax.axvspan(
            mdates.date2num(max(lo, data.period[0])),
            mdates.date2num(min(hi, data.period[1])),
            color="#e8e8e8",
            zorder=0,
            lw=0,
        )
    for gap in data.gaps:
        if gap.end < lo or gap.start > hi:
            continue
        ax.axvspan(
            mdates.date2num(gap.start),
            mdates.date2num(gap.end),
            facecolor="none",
            edgecolor="#666666",
            hatch="///",
            lw=0,
            zorder=1,
        )


def _marks(
    ax: Any, events: Sequence[Event], agencies: Sequence[str], lanes: dict[str, int]
) -> None:
    """One scatter per agency and kind of mark, so 30,000 events draw in one pass each."""
    import matplotlib.dates as mdates

    by_agency: dict[str, list[Event]] = {}
    for e in events:
        by_agency.setdefault(e.agency, []).append(e)
    for i, name in enumerate(agencies):
        items = by_agency.get(name)
        if not items:
            continue
        colour, marker = COLOURS[i % len(COLOURS)], MARKERS[i % len(MARKERS)]
        for exact in (True, False):
            chosen = [e for e in items if e.exact == exact and not e.key]
            if not chosen:
                continue
            ax.scatter(
                mdates.date2num([e.day for e in chosen]),
                [lanes[name]] * len(chosen),
                s=36,
                marker=marker,
                facecolors=colour if exact else "white",
                edgecolors="#222222" if exact else colour,
                linewidths=0.6 if exact else 1.2,
                zorder=3,
                rasterized=len(chosen) > 2000,
            )
        keys = [e for e in items if e.key]
        if keys:
            ax.scatter(
                mdates.date2num([e.day for e in keys]),
                [lanes[name]] * len(keys),
                s=110,
                marker=marker,
                facecolors=colour,
                edgecolors="black",
                linewidths=1.6,
                zorder=4,
            )


#: Label offsets in points, above and below the lane, near then further out, so labels
#: of events close together do not sit on one another.
_LEVELS = (14, -16, 30, -32)


def _labels(
    ax: Any,
    events: Sequence[Event],
    lanes: dict[str, int],
    matcher: Any,
    lo: dt.date,
    hi: dt.date,
    room: int,
) -> int:
    import matplotlib.dates as mdates

    keys = [e for e in events if e.key][: max(0, room)]
    span = max(1, (hi - lo).days)
    near = span * 0.12
    placed: list[tuple[Event, int]] = []
    for e in keys:
        used = {
            level for other, level in placed
            if other.agency == e.agency and abs((e.day - other.day).days) < near
        }  # fmt: skip
        level = next((n for n in range(len(_LEVELS)) if n not in used), len(placed) % 4)
        placed.append((e, level))
        where = (e.day - lo).days / span
        ha = "right" if where > 0.82 else "left" if where < 0.18 else "center"
        offset = _LEVELS[level]
        ax.annotate(
            _safe_label(e, matcher),
            (mdates.date2num(e.day), lanes[e.agency]),
            xytext=(0, offset),
            textcoords="offset points",
            ha=ha,
            va="bottom" if offset > 0 else "top",
            fontsize=7.5,
            zorder=5,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#888888", "lw": 0.5},
            arrowprops={"arrowstyle": "-", "color": "#666666", "lw": 0.6},
        )
    return len(keys)


def _wrap(name: str, width: int = 26) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(name, width)[:3]) or name


def _age_axis(ax: Any, born: dt.date, lo: dt.date, hi: dt.date) -> None:
    """The child's age along the top: a tick at birth and at each birthday in view."""
    import matplotlib.dates as mdates

    top = ax.secondary_xaxis("top")
    ticks: list[float] = []
    labels: list[str] = []
    years = max(1, (hi.year - born.year) + 1)
    step = 1 if years <= 12 else 2
    half = (hi - lo).days < 3 * 366
    for year in range(0, years + 1, step):
        try:
            birthday = born.replace(year=born.year + year)
        except ValueError:  # 29 February
            birthday = dt.date(born.year + year, 3, 1)
        for months, text in ((0, "birth" if year == 0 else f"{year}y"), (6, f"{year}y 6m")):
            if months and not half:
                continue
            mark = birthday + dt.timedelta(days=round(months * 30.44))
            if lo <= mark <= hi:
                ticks.append(float(mdates.date2num(mark)))
                labels.append(text)
    top.set_xticks(ticks)
    top.set_xticklabels(labels, fontsize=8)
    top.set_xlabel("Child's age", fontsize=9)


# --- Writing --------------------------------------------------------------------------------


def save(fig: Any, target: Path, data: TimelineData) -> None:
    """The picture in the format the name asks for, with its title and alternative text."""
    suffix = target.suffix.lower()
    alt = data.alt_text()
    if suffix == ".pdf":
        fig.savefig(
            target,
            format="pdf",
            metadata={"Title": data.title, "Subject": alt, "Creator": "scrtool", "Author": None},
        )
        tag_pdf(target, alt=alt, title=data.title)
    elif suffix == ".svg":
        fig.savefig(
            target,
            format="svg",
            metadata={"Title": data.title, "Description": alt, "Creator": "scrtool", "Date": None},
        )
        text = target.read_text(encoding="utf-8")
        from xml.sax.saxutils import quoteattr

        text = text.replace("<svg ", f'<svg role="img" aria-label={quoteattr(alt)} ', 1)
        target.write_text(text, encoding="utf-8")
    else:
        fig.savefig(
            target,
            format="png",
            dpi=200,
            metadata={"Title": data.title, "Description": alt, "Software": "scrtool"},
        )


def tag_pdf(path: Path, *, alt: str, title: str) -> None:
    """Make the one-page PDF a tagged PDF whose Figure carries the alternative text.

    A screen reader reads /Alt on the Figure structure element; the page's drawing is
    wrapped in one marked-content sequence that the element owns.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    reader = PdfReader(str(path))
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    content = page.get_contents()
    raw = content.get_data() if content is not None else b""
    stream = DecodedStreamObject()
    stream.set_data(b"/Figure <</MCID 0>> BDC\n" + raw + b"\nEMC\n")
    page[NameObject("/Contents")] = writer._add_object(stream)
    page[NameObject("/StructParents")] = NumberObject(0)
    root = writer._root_object
    tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    tree_ref = writer._add_object(tree)
    figure = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Figure"),
            NameObject("/P"): tree_ref,
            NameObject("/Pg"): page.indirect_reference,
            NameObject("/Alt"): TextStringObject(alt),
            NameObject("/K"): NumberObject(0),
        }
    )
    figure_ref = writer._add_object(figure)
    document = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/P"): tree_ref,
            NameObject("/K"): ArrayObject([figure_ref]),
        }
    )
    document_ref = writer._add_object(document)
    figure[NameObject("/P")] = document_ref
    tree[NameObject("/K")] = ArrayObject([document_ref])
    parent_tree = DictionaryObject(
        {NameObject("/Nums"): ArrayObject([NumberObject(0), ArrayObject([figure_ref])])}
    )
    tree[NameObject("/ParentTree")] = writer._add_object(parent_tree)
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(1)
    root[NameObject("/StructTreeRoot")] = tree_ref
    root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    root[NameObject("/Lang")] = TextStringObject("en-GB")
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    writer.add_metadata({"/Title": title, "/Subject": alt})
    with open(path, "wb") as handle:
        writer.write(handle)


def make_timeline(
    *,
    case: Case | None,
    chronology: str | Path | None,
    output: str | Path,
    today: dt.date | None = None,
) -> TimelineResult:
    """Draw the chronology's timeline into ``output`` (.pdf, .png or .svg); nothing on failure."""
    target = Path(output)
    if target.suffix.lower() not in FORMATS:
        raise OutputError(
            f'is a "{target.suffix or "(no extension)"}" file name',
            file=target,
            advice="give a name ending in .pdf, .png or .svg",
        )
    check_writable(target)
    if chronology is None:
        if case is None:
            raise InputError(
                "no chronology was named",
                advice="name it with --input working/chronology.xlsx, or use --case DIR",
            )
        chronology = case.chronology_path
    source = Path(chronology)
    if source.suffix.lower() != ".xlsx":
        raise InputError(
            "is not a merged chronology workbook (.xlsx)",
            file=source,
            advice="name the workbook scrtool collate wrote (working/chronology.xlsx)",
        )
    data = timeline_data(read_events(source), case=case, today=today)
    fig = draw(data, case=case)
    write_atomic(target, lambda temp: save(fig, temp, data))
    return TimelineResult(output=target, data=data)


def timeline_picture(case: Case, *, width_cm: float = 24.0) -> tuple[bytes, str] | None:
    """The timeline as PNG bytes and its alternative text, for the overview report.

    None when there is no merged chronology yet (the report says so in words instead).
    """
    import io

    source = case.chronology_path
    if not source.is_file():
        return None
    data = timeline_data(read_events(source), case=case)
    fig = draw(data, case=case)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200, metadata={"Title": data.title})
    return buffer.getvalue(), data.alt_text()
