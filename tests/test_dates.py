from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrtool.dates import MONTH_NAMES, format_english, parse_date, parse_month, parse_partial_date


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


@pytest.mark.parametrize(
    ("text", "start", "precision"),
    [
        ("between 3 and 5 May 2022", dt.date(2022, 5, 3), "day"),
        ("3-5 May 2022", dt.date(2022, 5, 3), "day"),
        ("2nd/3rd May 2022", dt.date(2022, 5, 2), "day"),
        ("30 April - 2 May 2022", dt.date(2022, 4, 30), "day"),
        ("between 01/03/2022 and 05/03/2022", dt.date(2022, 3, 1), "day"),
        ("between March and May 2022", dt.date(2022, 3, 1), "month"),
        ("between 2019 and 2021", dt.date(2019, 1, 1), "year"),
        ("?/06/2022", dt.date(2022, 6, 1), "month"),
        ("XX/06/22", dt.date(2022, 6, 1), "month"),
        ("?/?/2022", dt.date(2022, 1, 1), "year"),
        ("Summer term 2021", dt.date(2021, 1, 1), "year"),
    ],
)
def test_periods_and_unknown_days_are_kept_approximate(text, start, precision):
    from scrtool.dates import parse_partial_date

    found = parse_partial_date(text)
    assert (found.start, found.precision, found.approximate) == (start, precision, True)
    assert found.written == text


@pytest.mark.parametrize("text", ["31-32 May 2022", "?/13/2022", "N/K", "?31/02/2016"])
def test_impossible_periods_are_still_refused(text):
    from scrtool.dates import parse_partial_date

    with pytest.raises(ValueError):
        parse_partial_date(text)


def test_a_month_first_date_is_refused_saying_dates_are_day_first():
    with pytest.raises(ValueError, match="day first"):
        parse_date("12/13/2022")


def test_a_weekday_that_does_not_match_the_date_is_not_dropped_silently():
    assert parse_date("Tuesday 14 March 2023") == dt.date(2023, 3, 14)
    assert parse_date("Tue, 14/03/2023") == dt.date(2023, 3, 14)
    with pytest.raises(ValueError, match="15 March 2023 was a Wednesday, not a Tuesday"):
        parse_date("Tuesday 15 March 2023")


def test_partial_dates_do_not_drop_a_mismatched_weekday_either():
    from scrtool.dates import parse_partial_date

    with pytest.raises(ValueError, match="was a Wednesday, not a Tuesday"):
        parse_partial_date("Tuesday 15 March 2023")


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("March 2027", dt.date(2027, 3, 1)),
        ("Sept 2027", dt.date(2027, 9, 1)),
        ("03/2027", dt.date(2027, 3, 1)),
        ("2027-03", dt.date(2027, 3, 1)),
        ("  March   2027 ", dt.date(2027, 3, 1)),
        ("2027", None),
        ("13/2027", None),
        ("Smarch 2027", None),
        ("4 March 2027", None),
    ],
)
def test_parse_month_names_a_month_alone(text, first):
    assert parse_month(text) == first


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("03/04/2023", "3 April 2023"),
        ("April 2023", "April 2023"),
        ("2021", "2021"),
        ("approx. April 2023", "about April 2023"),
        ("about 2016", "about 2016"),
    ],
)
def test_partial_dates_in_english_keep_their_precision(text, english):
    assert parse_partial_date(text).english() == english
