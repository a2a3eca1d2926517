from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrtool.dates import MONTH_NAMES, format_english, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/04/2023", dt.date(2023, 4, 3)),
        ("3rd April 2023", dt.date(2023, 4, 3)),
        ("1 Sept 2022", dt.date(2022, 9, 1)),
        ("25.12.2022", dt.date(2022, 12, 25)),
        ("07/01/23", dt.date(2023, 1, 7)),
        ("Tuesday 14 March 2023", dt.date(2023, 3, 14)),
        ("2023-03-14", dt.date(2023, 3, 14)),
        ("14-03-2023", dt.date(2023, 3, 14)),
        ("  14 / 3 / 2023 ", dt.date(2023, 3, 14)),
        ("March 14, 2023", dt.date(2023, 3, 14)),
        ("29/02/2024", dt.date(2024, 2, 29)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["31/02/2023", "29/02/2023", "00/01/2023", "12/13/2023", "", "soon"]
)
def test_not_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_format_english():
    assert format_english(dt.date(2026, 7, 3)) == "3 July 2026"


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_day_first_round_trip(day):
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(day.strftime("%d.%m.%Y")) == day
    assert parse_date(f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}") == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(format_english(day)) == day
