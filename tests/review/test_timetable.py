"""The timetable's arithmetic: calendar months, working days and bank holidays."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrtool.case import load_case
from scrtool.errors import InputError
from scrtool.review.timetable import (
    add_months,
    bank_holiday_name,
    build_timetable,
    completion_due,
    is_working_day,
    notification_due,
    panel_copy_due,
    published_until,
    rapid_review_due,
    working_days_after,
    working_days_before,
)

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 2, 2), 6, D(2026, 8, 2)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # no 31 February: clamped
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year
        (D(2023, 8, 29), 6, D(2024, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2027, 2, 28), 12, D(2028, 2, 28)),
        (D(2026, 3, 31), 6, D(2026, 9, 30)),
        (D(2026, 7, 31), 6, D(2027, 1, 31)),
        (D(2026, 12, 15), 12, D(2027, 12, 15)),
        (D(2026, 10, 31), 6, D(2027, 4, 30)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_completion_and_website_period():
    assert completion_due(D(2025, 8, 31)) == D(2026, 2, 28)
    assert published_until(D(2024, 2, 29)) == D(2025, 2, 28)


def test_scr_panel_copy_is_seven_calendar_days():
    assert panel_copy_due("scr", D(2026, 9, 14)) == D(2026, 9, 7)
    # Calendar days, whatever the weekday or holiday.
    assert panel_copy_due("scr", D(2027, 1, 1)) == D(2026, 12, 25)


def test_lcspr_panel_copy_is_seventh_working_day_before():
    assert panel_copy_due("lcspr", D(2026, 9, 14)) == D(2026, 9, 3)
    assert panel_copy_due("LCSPR", D(2026, 9, 14)) == D(2026, 9, 3)


def test_lcspr_panel_copy_skips_easter():
    # Good Friday 3 April and Easter Monday 6 April 2026 are bank holidays.
    assert bank_holiday_name(D(2026, 4, 3)) == "Good Friday"
    assert bank_holiday_name(D(2026, 4, 6)) == "Easter Monday"
    assert panel_copy_due("lcspr", D(2026, 4, 9)) == D(2026, 3, 27)


def test_lcspr_panel_copy_skips_christmas_with_a_substitute_day():
    # 2026: Christmas is a Friday, Boxing Day a Saturday: Monday 28 December is a holiday.
    assert not is_working_day(D(2026, 12, 28))
    assert panel_copy_due("lcspr", D(2027, 1, 5)) == D(2026, 12, 22)


def test_christmas_on_a_weekend_gives_two_substitute_days():
    # 2021: Christmas Saturday, Boxing Day Sunday: Monday 27 and Tuesday 28 are holidays;
    # New Year's Day 2022 was a Saturday, so Monday 3 January was too.
    for day in (D(2021, 12, 27), D(2021, 12, 28), D(2022, 1, 3)):
        assert not is_working_day(day), day
    assert panel_copy_due("lcspr", D(2022, 1, 5)) == D(2021, 12, 22)


def test_one_off_bank_holidays_come_from_the_library():
    assert not is_working_day(D(2022, 9, 19))  # a state funeral
    assert is_working_day(D(2022, 9, 20))


def test_weekends_are_not_working_days():
    assert not is_working_day(D(2026, 9, 12))
    assert not is_working_day(D(2026, 9, 13))
    assert is_working_day(D(2026, 9, 14))


def test_working_days_before_and_after():
    assert working_days_before(D(2026, 9, 14), 1) == D(2026, 9, 11)
    assert working_days_before(D(2026, 9, 14), 0) == D(2026, 9, 14)
    assert working_days_after(D(2026, 9, 11), 1) == D(2026, 9, 14)
    # Late Summer Bank Holiday, Monday 31 August 2026.
    assert working_days_after(D(2026, 8, 28), 1) == D(2026, 9, 1)
    with pytest.raises(ValueError):
        working_days_before(D(2026, 9, 14), -1)


def test_lcspr_notification_and_rapid_review():
    # The sample case: known Monday 5 January 2026, notified Friday 9 January.
    assert notification_due(D(2026, 1, 5)) == D(2026, 1, 12)
    assert rapid_review_due(D(2026, 1, 9)) == D(2026, 1, 30)
    # Over Easter 2026 (3 and 6 April).
    assert notification_due(D(2026, 4, 1)) == D(2026, 4, 10)


def test_unknown_review_type():
    with pytest.raises(InputError, match="scr"):
        panel_copy_due("serious", D(2026, 9, 14))


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31)), st.integers(0, 30))
def test_working_days_round_trip(day, n):
    back = working_days_before(day, n)
    assert back <= day
    if n:
        assert is_working_day(back)
        assert working_days_after(back, n) >= day or not is_working_day(day)


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2150, 12, 31)), st.integers(-240, 240))
def test_add_months_stays_in_the_right_month(day, months):
    out = add_months(day, months)
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == months
    assert out.day == day.day or out.day < day.day


# --- build_timetable -------------------------------------------------------------------


REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sample_case(tmp_path):
    root = tmp_path / "case"
    root.mkdir()
    shutil.copy(REPO / "samples" / "case.toml", root / "case.toml")
    return root


def write_case(root: Path, review: str, extra: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "case.toml").write_text(f'[review]\nref = "T-1"\n{review}\n{extra}', encoding="utf-8")
    return root


def test_sample_case_timetable(sample_case):
    table = build_timetable(case=load_case(sample_case), today=D(2026, 7, 24))
    assert table.review_type == "lcspr"
    assert table.completion_due == D(2026, 8, 2)
    assert table.panel_copy_due == D(2026, 9, 3)
    assert table.published_until == D(2027, 9, 14)
    keys = [m.key for m in table.milestones]
    assert keys == [
        "notification", "rapid_review", "decision_to_panel", "completion", "publication_due",
        "delay_told", "panel_copy", "publication", "website_period",
    ]  # fmt: skip
    by_key = {m.key: m for m in table.milestones}
    assert by_key["notification"].due == D(2026, 1, 12)
    assert by_key["rapid_review"].due == D(2026, 1, 30)
    assert by_key["completion"].done and by_key["completion"].done_on == D(2026, 7, 24)
    assert by_key["publication"].status == "due"
    assert by_key["publication"].days_until_due == 52
    assert not table.overdue
    # Planned after the six months: the delay reasons stand beside the six-month target.
    assert table.publication_due == D(2026, 8, 2)
    assert by_key["publication_due"].delay_reasons[0].startswith("The criminal trial")
    assert by_key["delay_told"].due == D(2026, 8, 2)


def test_scr_has_no_notification_or_rapid_review(tmp_path):
    root = write_case(
        tmp_path / "c", 'type = "scr"\ninitiated = 2025-08-31\npublication = 2026-05-01'
    )
    table = build_timetable(case=load_case(root), today=D(2026, 4, 30))
    assert [m.key for m in table.milestones] == [
        "completion", "panel_copy", "publication", "website_period",
    ]  # fmt: skip
    assert table.completion_due == D(2026, 2, 28)
    assert table.panel_copy_due == D(2026, 4, 24)
    completion = table.milestone("completion")
    assert completion is not None
    assert completion.overdue and completion.days_overdue == 61
    assert completion.describe() == "overdue by 61 days"
    panel = table.milestone("panel_copy")
    assert panel is not None and panel.overdue and panel.days_overdue == 6


def test_done_late_and_due_today(tmp_path):
    root = write_case(
        tmp_path / "c",
        'type = "scr"\ninitiated = 2026-01-10\ncompleted = 2026-07-13\npublication = 2026-09-14',
    )
    table = build_timetable(case=load_case(root), today=D(2026, 9, 7))
    completion = table.milestone("completion")
    assert completion is not None
    assert completion.done and completion.days_late == 3
    assert "3 days late" in completion.describe()
    panel = table.milestone("panel_copy")
    assert panel is not None and panel.status == "due" and panel.describe() == "due today"


def test_flags_override_case(sample_case):
    table = build_timetable(
        case=load_case(sample_case),
        review_type="scr",
        publication=D(2026, 10, 1),
        today=D(2026, 7, 24),
    )
    assert table.review_type == "scr"
    assert table.panel_copy_due == D(2026, 9, 24)
    assert table.milestone("notification") is None


def test_missing_publication_still_gives_completion():
    table = build_timetable(initiated=D(2026, 2, 2), today=D(2026, 3, 1))
    assert table.completion_due == D(2026, 8, 2)
    assert table.panel_copy_due is None and table.published_until is None
    assert any("--publication" in n for n in table.notes)


def test_publication_without_type_gives_website_period_but_no_panel_copy():
    table = build_timetable(publication=D(2026, 9, 14), today=D(2026, 3, 1))
    assert table.published_until == D(2027, 9, 14)
    assert table.panel_copy_due is None
    assert any("--type" in n for n in table.notes)


def test_an_lcspr_without_a_case_says_once_where_its_early_dates_come_from():
    table = build_timetable(
        review_type="lcspr",
        initiated=D(2026, 2, 2),
        publication=D(2026, 9, 14),
        today=D(2026, 3, 1),
    )
    early = [n for n in table.notes if "rapid review" in n]
    assert len(early) == 1 and "--case" in early[0]
    assert table.milestone("notification").status == "unknown"


def test_no_dates_at_all_is_an_error():
    with pytest.raises(InputError, match="no dates"):
        build_timetable(review_type="scr", today=D(2026, 3, 1))


def test_website_period_done_once_passed():
    table = build_timetable(review_type="scr", publication=D(2024, 2, 29), today=D(2025, 3, 1))
    end = table.milestone("website_period")
    assert end is not None and end.due == D(2025, 2, 28) and end.done and not end.overdue


# --- the command -----------------------------------------------------------------------


def test_cli_json_shape(invoke, sample_case):
    result = invoke("timetable", "--case", sample_case, "--today", "24/07/2026", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    for key in ("review_type", "initiated", "completion_due", "publication",
                "panel_copy_due", "published_until", "milestones"):  # fmt: skip
        assert key in doc
    assert doc["panel_copy_due"] == "2026-09-03"
    assert doc["completion_due"] == "2026-08-02"
    for m in doc["milestones"]:
        assert {"name", "due", "done", "overdue"} <= set(m)
        assert isinstance(m["done"], bool) and isinstance(m["overdue"], bool)


def test_cli_text(invoke, sample_case):
    result = invoke("timetable", "--case", sample_case, "--today", "01/09/2026")
    assert result.exit_code == 0
    assert "Copy sent to the National Panel" in result.stdout
    assert "done on 1 September 2026" in result.stdout
    assert "3 September 2026" in result.stdout


def test_cli_dates_are_day_first(invoke):
    result = invoke(
        "timetable", "--type", "scr", "--initiated", "02/03/2026", "--publication",
        "1/10/2026", "--today", "3/4/2026", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["initiated"] == "2026-03-02"
    assert doc["completion_due"] == "2026-09-02"
    assert doc["publication"] == "2026-10-01"
    assert doc["today"] == "2026-04-03"


def test_cli_overdue_is_reported(invoke):
    result = invoke("timetable", "--initiated", "31/08/2025", "--today", "01/03/2026", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["completion_due"] == "2026-02-28"
    completion = doc["milestones"][0]
    assert completion["overdue"] is True and completion["days_overdue"] == 1
    assert doc["panel_copy_due"] is None
    assert "--publication" in result.stderr


@pytest.mark.parametrize("bad", ["31/02/2026", "banana", "13/13/2026"])
def test_cli_bad_date_is_exit_2(invoke, bad):
    result = invoke("timetable", "--initiated", bad)
    assert result.exit_code == 2
    assert "--initiated" in result.stderr and "is not a date" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_cli_nothing_to_compute_is_exit_2(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("timetable", "--type", "lcspr", "--json")
    assert result.exit_code == 2
    assert "no dates" in result.stderr and "--initiated" in result.stderr
    assert json.loads(result.stdout)["exit_code"] == 2


def test_cli_missing_case_toml_is_exit_2(invoke, tmp_path):
    (tmp_path / "empty").mkdir()
    result = invoke("timetable", "--case", tmp_path / "empty")
    assert result.exit_code == 2
    assert "case.toml" in result.stderr and "Traceback" not in result.stderr


def test_cli_bad_date_in_case_toml_is_exit_2(invoke, tmp_path):
    root = write_case(tmp_path / "c", 'type = "scr"\ninitiated = "31/02/2026"')
    result = invoke("timetable", "--case", root)
    assert result.exit_code == 2
    assert "review.initiated" in result.stderr
    assert "Traceback" not in result.stderr


# --- the calendar file -----------------------------------------------------------------


def unfold(text: str) -> list[str]:
    """A small RFC 5545 reader: CRLF lines, continuation lines start with a space."""
    assert "\n" not in text.replace("\r\n", ""), "bare LF line ending"
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def parse_ics(text: str) -> dict:
    calendar: dict = {"props": {}, "events": []}
    stack: list[str] = []
    current: dict | None = None
    for line in unfold(text):
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
            continue
        if name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                calendar["events"].append(current)
                current = None
            continue
        target = current if current is not None else calendar["props"]
        target[name] = value
    assert not stack
    return calendar


def test_ics_structure(invoke, sample_case, tmp_path):
    out = tmp_path / "deadlines.ics"
    result = invoke("timetable", "--case", sample_case, "--today", "24/07/2026", "--ics", out)
    assert result.exit_code == 0, result.stderr
    text = out.read_bytes().decode("utf-8")
    cal = parse_ics(text)
    assert cal["props"]["VERSION"] == "2.0"
    assert cal["props"]["PRODID"]
    assert len(cal["events"]) == 9
    uids = [e["UID"] for e in cal["events"]]
    assert len(set(uids)) == 9
    panel = next(e for e in cal["events"] if "panel-copy" in e["UID"])
    assert panel["DTSTART;VALUE=DATE"] == "20260903"
    assert panel["DTEND;VALUE=DATE"] == "20260904"
    assert panel["DTSTAMP"].endswith("Z") and len(panel["DTSTAMP"]) == 16
    assert "National Panel" in panel["SUMMARY"]


def test_ics_uids_are_stable(invoke, sample_case, tmp_path):
    a, b = tmp_path / "a.ics", tmp_path / "b.ics"
    invoke("timetable", "--case", sample_case, "--ics", a)
    invoke("timetable", "--case", sample_case, "--ics", b)
    uid = [e["UID"] for e in parse_ics(a.read_bytes().decode("utf-8"))["events"]]
    assert uid == [e["UID"] for e in parse_ics(b.read_bytes().decode("utf-8"))["events"]]


def test_ics_folding_and_escaping():
    from scrtool.review.ics import AllDayEvent, render_calendar

    long = "Chronology returns from Northshire Children's Social Care; due, é " * 4
    text = render_calendar(
        [AllDayEvent(uid="x@scrtool", day=D(2026, 12, 25), summary="A; b, c", description=long)],
        name="Test",
        stamp=dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc),
    )
    cal = parse_ics(text)
    event = cal["events"][0]
    assert event["SUMMARY"] == "A\\; b\\, c"
    assert event["DESCRIPTION"].replace("\\;", ";").replace("\\,", ",") == long
    assert event["DTSTAMP"] == "20260101T120000Z"


def test_ics_parses_with_icalendar(invoke, sample_case, tmp_path):
    icalendar = pytest.importorskip("icalendar")
    out = tmp_path / "deadlines.ics"
    invoke("timetable", "--case", sample_case, "--ics", out)
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 9
    starts = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in events}
    assert starts["NS-2026-01: Copy sent to the National Panel and the Secretary of State"] == D(
        2026, 9, 3
    )
    assert starts["NS-2026-01: Review completed"] == D(2026, 8, 2)
    for e in events:
        assert isinstance(e.decoded("DTSTART"), dt.date)
        assert not isinstance(e.decoded("DTSTART"), dt.datetime)
        assert e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(days=1)
        assert e["UID"] and e.decoded("DTSTAMP")


def test_ics_locked_output_is_refused(invoke, sample_case, tmp_path):
    out = tmp_path / "deadlines.ics"
    out.write_text("old", encoding="utf-8")
    (tmp_path / "~$deadlines.ics").write_text("", encoding="utf-8")
    result = invoke("timetable", "--case", sample_case, "--ics", out)
    assert result.exit_code == 2
    assert "close it and try again" in result.stderr
    assert out.read_text(encoding="utf-8") == "old"


def test_ics_over_the_case_file_is_refused(invoke, sample_case, monkeypatch):
    """Inputs are never modified: --ics case.toml (however it is spelled) is refused."""
    case_file = sample_case / "case.toml"
    before = case_file.read_bytes()
    monkeypatch.chdir(sample_case)
    for name in ("case.toml", "working/../case.toml", str(case_file)):
        result = invoke("timetable", "--ics", name)
        assert result.exit_code == 2, result.stdout
        assert "does not write over its inputs" in result.stderr
        assert "Traceback" not in result.stderr
        assert case_file.read_bytes() == before


def test_recorded_dates_after_today_are_not_done_yet(sample_case):
    table = build_timetable(case=load_case(sample_case), today=D(2026, 7, 24))
    panel = table.milestone("panel_copy")
    assert panel is not None
    assert not panel.done and panel.status == "due" and panel.done_on is None
    assert panel.days_until_due == 41
    later = build_timetable(case=load_case(sample_case), today=D(2026, 9, 1))
    panel = later.milestone("panel_copy")
    assert panel is not None and panel.done and panel.done_on == D(2026, 9, 1)


def test_demo_step(tmp_path):
    from scrtool.demo import make_demo_case
    from scrtool.demo import timetable_step as demo_step

    case = make_demo_case(tmp_path / "demo")
    result = demo_step(case)
    assert result.exit_code == 0, result.summary
    assert "as on 24 July 2026" in result.summary and "4 of 9 milestones done" in result.summary
    (ics,) = result.outputs
    assert parse_ics(ics.read_bytes().decode("utf-8"))["events"]


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2025, 4, 21), "Easter Monday"),
        (D(2027, 3, 29), "Easter Monday"),
        (D(2027, 3, 26), "Good Friday"),
        (D(2022, 12, 27), "Christmas Day (observed)"),  # Christmas on a Sunday
        (D(2027, 12, 27), "Christmas Day (observed)"),  # Christmas on a Saturday
        (D(2027, 12, 28), "Boxing Day (observed)"),
        (D(2026, 12, 28), "Boxing Day (observed)"),  # Boxing Day on a Saturday
    ],
)
def test_england_and_wales_bank_holidays(day, name):
    assert bank_holiday_name(day) == name
    assert not is_working_day(day)
