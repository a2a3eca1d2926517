"""The timetable's arithmetic: calendar months, working days and bank holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrtool.errors import InputError
from scrtool.timetable import (
    add_months,
    bank_holiday_name,
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
