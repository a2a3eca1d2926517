"""The chronology core: schema, header matching, dates, rows, duplicates, sorting, outputs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrtool.chronology.collate import collate
from scrtool.chronology.merge import find_duplicates, sort_entries, summarise
from scrtool.chronology.returns import (
    Attention,
    Entry,
    find_header,
    read_date,
    read_return,
    read_time,
    title_block_agency,
)
from scrtool.chronology.schema import CORE_COLUMNS, DuplicateRules, header_key, load_schema
from scrtool.chronology.word import write_docx
from scrtool.chronology.workbook import write_workbook
from scrtool.dates import MONTH_NAMES, PartialDate, parse_partial_date, parse_time
from scrtool.errors import (
    DataError,
    InputError,
    OutputError,
    OutputLockedError,
    TemplateError,
    UnreadableInputError,
)

COLLATE_DATA = Path(__file__).resolve().parents[1] / "data" / "collate"
SCHEMA = load_schema()


def make_xlsx(path: Path, rows, *, title="Chronology", sheets=None, epoch1904=False, merge=()):
    """A workbook: ``rows`` on sheet ``title``, or ``sheets`` = [(name, state, rows)]."""
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = Workbook()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    wb.remove(wb.active)
    for name, state, sheet_rows in sheets or [(title, "visible", rows)]:
        ws = wb.create_sheet(name)
        ws.sheet_state = state
        for row in sheet_rows:
            ws.append(row)
        for ref in merge:
            ws.merge_cells(ref)
    wb.save(path)
    return path


def entry(day, agency="Police", details="", time=None, row=1, order=0, **values):
    values = {"Details": details, **values}
    if isinstance(day, PartialDate):
        date = day
    else:
        date = PartialDate(day, "day", False, "")
    return Entry(
        date=date,
        time=time,
        time_text="",
        agency=agency,
        values=values,
        file=f"{agency}.xlsx",
        sheet="Chronology",
        row=row,
        order=order,
    )


# --- The schema and header matching -------------------------------------------------------


def test_default_schema_has_the_contract_columns_first():
    assert tuple(c.name for c in SCHEMA.columns[: len(CORE_COLUMNS)]) == CORE_COLUMNS
    assert [c.name for c in SCHEMA.extras] == [
        "Key event",
        "Comments",
        "Date as written",
        "Before the review period",
    ]
    assert SCHEMA.column("Date").required


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Date", "Date"),
        ("DATE OF CONTACT", "Date"),
        ("date-of-contact", "Date"),
        ("Date of\ncontact*", "Date"),
        ("Date (dd/mm/yyyy)", "Date"),
        ("  Contact   date ", "Date"),
        ("Summary of contact", "Details"),
        ("Outcome / action", "Action taken"),
        ("OUTCOME/ACTION", "Action taken"),
        ("Source of information", "Source"),
        ("Type of contact", "Event type"),
        ("Agency / service", "Agency"),
        ("Analysis", "Comments"),
        ("Date as written", None),
        ("Favourite colour", None),
    ],
)
def test_header_matching_ignores_case_spacing_and_punctuation(header, column):
    assert SCHEMA.match(header) == column


ALIASES = [(alias, c.name) for c in SCHEMA.columns if not c.fill for alias in (c.name, *c.aliases)]


@settings(max_examples=300)
@given(
    st.sampled_from(ALIASES),
    st.lists(
        st.sampled_from([" ", "  ", "-", "_", "/", ".", ":", "*", "\n", "&", "'"]), max_size=4
    ),
    st.randoms(use_true_random=False),
)
def test_property_any_alias_matches_whatever_its_case_spacing_and_punctuation(pair, junk, rnd):
    alias, column = pair
    letters = [c.upper() if rnd.random() < 0.5 else c.lower() for c in alias]
    for mark in junk:
        letters.insert(rnd.randrange(len(letters) + 1), mark)
    written = "".join(letters)
    if not header_key(written):
        return
    assert SCHEMA.match(written) == column


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Z"]), max_size=30))
def test_property_header_key_is_stable(text):
    key = header_key(text)
    assert header_key(key) == key
    assert header_key(text.upper()) == header_key(text.lower()) or not text.isascii()
    assert not re.search(r"[\s\W_]", key)


def test_custom_schema_adds_columns_and_aliases(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        """
[[columns]]
name = "Date"
type = "date"
aliases = ["Wann"]

[[columns]]
name = "Risk level"
type = "choice"
choices = ["Low", "Medium", "High"]
aliases = ["Risk", "DASH risk"]
width = 12
""",
        encoding="utf-8",
    )
    schema = load_schema(path)
    assert [c.name for c in schema.columns][: len(CORE_COLUMNS)] == list(CORE_COLUMNS)
    assert [c.name for c in schema.extras] == ["Risk level"]
    assert schema.match("wann") == "Date"
    assert schema.match("DASH risk") == "Risk level"
    assert schema.match("Date of contact") is None  # only this schema's names count
    assert schema.choice("Risk level", "HIGH") == "High"
    assert schema.choice("Risk level", "unclear") == "unclear"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "[[columns]\nname = ",
            "line 1 ([[columns]): starts a [[block]] heading that is not closed",
        ),
        ("x = 1", "line 1: `x` is not a key scrtool knows"),
        (
            '[[columns]]\nname = "Date"\ntype = "datetime"',
            'line 3: key "columns[1].type" is "datetime", but must be one of "date", "time", "text", "choice"',
        ),
        ('[[columns]]\nname = "Source file"', "a column scrtool fills itself"),
        ('[[columns]]\nname = "Date"\n[[columns]]\nname = "date"', 'names the column "Date" twice'),
        (
            '[[columns]]\nname = "Date"\naliases = ["When"]\n[[columns]]\nname = "Extra"\naliases = ["when"]',
            'is given to both "Date" and "Extra"',
        ),
        ('[[columns]]\nname = "Date"\naliases = "When"', 'is "When", but must be a list such as'),
        ('[[columns]]\nname = "Risk"\ncore = true', '"core" is true'),
        (
            '[[columns]]\nname = "Date"\n[sheets]\nheader_rows = 0',
            'key "sheets.header_rows" is 0, but must be at least 1',
        ),
        ("", 'bad.toml: needs the key "columns"'),
    ],
)
def test_bad_schemas_are_named_plainly(tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_schema(path)
    assert words in info.value.message
    assert "bad.toml" in info.value.message


def test_missing_schema_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_schema(tmp_path / "none.toml")


def test_find_header_below_a_title_block_and_prefers_the_fullest_row():
    rows = [
        ["Northshire Police chronology"],
        ["Date", "03/03/2026"],  # a key-value line in the title block
        [],
        ["Date of contact", "Time", "Summary of contact", "Outcome / action", "Notes to reviewer"],
        ["01/05/2024", "10:00", "x", "y", "z"],
    ]
    header = find_header(rows, SCHEMA)
    assert header is not None
    assert header.row == 3
    assert dict(header.columns) == {"Date": 0, "Time": 1, "Details": 2, "Action taken": 3}
    assert dict(header.others) == {4: "Notes to reviewer"}


def test_when_two_columns_mean_one_the_schemas_first_name_wins():
    rows = [["Date recorded", "Date of event", "Details"], ["05/05/2024", "01/05/2024", "x"]]
    header = find_header(rows, SCHEMA)
    assert header.columns["Date"] == 1
    assert dict(header.others) == {0: "Date recorded"}


def test_a_header_below_a_long_block_of_guidance_is_found():
    guidance = [[f"Guidance line {n}: write each contact on its own row"] for n in range(60)]
    rows = [*guidance, ["Date", "Details"], ["01/05/2024", "x"]]
    header = find_header(rows, SCHEMA)
    assert header is not None and header.row == 60
    assert find_header(rows[:20], SCHEMA) is None


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Date/Time of contact", "Date"),
        ("Date and time of contact", "Date"),
        ("Date of GP consultation", "Date"),
        ("Event/Contact date", "Date"),
        ("Details of contact / event", "Details"),
        ("Description of event/contact", "Details"),
        ("Outcome/Action taken", "Action taken"),
        ("Actions / Outcome", "Action taken"),
        ("Agency/Organisation", "Agency"),
        ("Name of worker", "Source"),
    ],
)
def test_headers_no_alias_names_are_matched_by_keyword(header, column):
    rows = [["Title"], [header if column == "Date" else "Date", header], ["01/05/2024", "x"]]
    found = find_header(rows, SCHEMA)
    assert found is not None and found.row == 1
    assert found.columns[column] == (0 if column == "Date" else 1)


def test_keywords_never_take_a_date_of_birth_or_a_column_named_exactly():
    rows = [
        ["DATE OF CONTACT:", "Date of birth", "Date/Time of contact", "Summary"],
        ["01/05/2024", "01/01/2015", "14:30", "x"],
    ]
    found = find_header(rows, SCHEMA)
    assert found is not None
    assert dict(found.columns) == {"Date": 0, "Time": 2, "Details": 3}
    assert dict(found.others) == {1: "Date of birth"}


def test_a_two_row_header_with_a_grouped_heading(tmp_path):
    path = make_xlsx(
        tmp_path / "Health.xlsx",
        [
            ["Agency:", "Westford Health"],
            ["Date", "Contact", None, "Outcome / action"],
            [None, "Time", "Summary", None],
            ["01/02/2022", "10:00", "Seen at clinic", "none"],
        ],
        merge=("A2:A3", "B2:C2", "D2:D3"),
    )
    read = read_return(path)
    assert read.header_row == 3 and read.agency == "Westford Health"
    (only,) = read.entries
    assert only.time == dt.time(10) and only.values["Details"] == "Seen at clinic"
    assert only.values["Action taken"] == "none" and not read.attention


def test_a_header_with_a_first_data_row_of_text_is_one_row():
    rows = [["Date", "Details", "Action"], ["not known", "Telephone call", "Outcome"]]
    found = find_header(rows, SCHEMA)
    assert found is not None and found.row == 0 and found.top is None


def test_title_block_agency():
    assert title_block_agency([["Agency: Easthaven Housing"]]) == "Easthaven Housing"
    assert (
        title_block_agency([["Organisation", None, "  Brookside  Practice "]])
        == "Brookside Practice"
    )
    assert title_block_agency([["Chronology of agency involvement"]]) is None


# --- Dates and times ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "start", "precision", "approximate", "time"),
    [
        (dt.date(2023, 4, 3), dt.date(2023, 4, 3), "day", False, None),
        (dt.datetime(2023, 4, 3, 14, 30), dt.date(2023, 4, 3), "day", False, dt.time(14, 30)),
        (dt.datetime(2023, 4, 3), dt.date(2023, 4, 3), "day", False, None),
        (45019.0, dt.date(2023, 4, 3), "day", False, None),
        (45019.75, dt.date(2023, 4, 3), "day", False, dt.time(18, 0)),
        ("45019", dt.date(2023, 4, 3), "day", False, None),
        (2021, dt.date(2021, 1, 1), "year", False, None),
        ("03/04/2023", dt.date(2023, 4, 3), "day", False, None),
        ("3rd April 2023", dt.date(2023, 4, 3), "day", False, None),
        ("1 Sept 2022", dt.date(2022, 9, 1), "day", False, None),
        ("25.12.2022", dt.date(2022, 12, 25), "day", False, None),
        ("07/01/23", dt.date(2023, 1, 7), "day", False, None),
        ("Tuesday 14 March 2023", dt.date(2023, 3, 14), "day", False, None),
        ("2023-03-14", dt.date(2023, 3, 14), "day", False, None),
        ("03/04/2023 14:30", dt.date(2023, 4, 3), "day", False, dt.time(14, 30)),
        ("03/04/2023 at 2.30pm", dt.date(2023, 4, 3), "day", False, dt.time(14, 30)),
        ("April 2023", dt.date(2023, 4, 1), "month", False, None),
        ("approx. 2021", dt.date(2021, 1, 1), "year", True, None),
        ("?22/05/2016", dt.date(2016, 5, 22), "day", True, None),
        ("w/c 22/05/2016", dt.date(2016, 5, 22), "day", True, None),
        ("Sept 2022 (approx)", dt.date(2022, 9, 1), "month", True, None),
    ],
)
def test_read_date(value, start, precision, approximate, time):
    day, found_time = read_date(value)
    assert (day.start, day.precision, day.approximate, found_time) == (
        start,
        precision,
        approximate,
        time,
    )


def test_serial_numbers_follow_the_workbooks_date_system():
    serial_1904 = float((dt.date(2025, 3, 10) - dt.date(1904, 1, 1)).days)
    assert read_date(serial_1904, date1904=True)[0].start == dt.date(2025, 3, 10)
    assert read_date(serial_1904)[0].start == dt.date(2021, 3, 9)  # 1,462 days earlier


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "the Date cell is empty"),
        ("  ", "the Date cell is empty"),
        ("31/02/2023", '"31/02/2023" is not a real date: February 2023 has no day 31'),
        ("?31/02/2016", "February 2016 has no day 31"),
        ("TBC", '"TBC" is not a date scrtool can read'),
        (True, "not a date"),
        (dt.time(14, 30), "holds the time 14:30"),
        (5.0, "holds the number 5"),
        (99999999.0, "holds the number"),
        ("03/04/1850", "the year is 1850"),
        (dt.timedelta(hours=3), "length of time"),
    ],
)
def test_read_date_refusals_say_why(value, words):
    with pytest.raises(ValueError) as info:
        read_date(value)
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("value", "time", "text"),
    [
        (None, None, ""),
        (dt.time(14, 30), dt.time(14, 30), ""),
        (dt.datetime(1899, 12, 30, 9, 15), dt.time(9, 15), ""),
        (0.5, dt.time(12), ""),
        (dt.timedelta(hours=14, minutes=30), dt.time(14, 30), ""),
        ("14:30", dt.time(14, 30), ""),
        ("2.30pm", dt.time(14, 30), ""),
        ("1430hrs", dt.time(14, 30), ""),
        ("noon", dt.time(12), ""),
        ("morning", None, "morning"),
        ("25:00", None, "25:00"),
    ],
)
def test_read_time(value, time, text):
    assert read_time(value) == (time, text)


DATES = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31))


@given(
    DATES,
    st.sampled_from(
        ["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%A %d %B %Y"]
    ),
)
def test_property_exact_dates_are_read_day_first(day, fmt):
    found, time = read_date(day.strftime(fmt))
    assert found.exact and found.start == day and time is None


@given(DATES, st.integers(0, 23), st.integers(0, 59))
def test_property_date_and_time_in_one_cell(day, hour, minute):
    found, time = read_date(f"{day.strftime('%d/%m/%Y')} {hour:02d}:{minute:02d}")
    assert found.start == day and time == dt.time(hour, minute)


@given(DATES, st.sampled_from(["{m} {y}", "{mon} {y}", "{mm}/{y}", "{y}-{mm}"]))
def test_property_a_month_is_never_given_a_day(day, fmt):
    text = fmt.format(
        m=MONTH_NAMES[day.month - 1],
        mon=MONTH_NAMES[day.month - 1][:3],
        mm=f"{day.month:02d}",
        y=day.year,
    )
    found = parse_partial_date(text)
    assert found.precision == "month" and not found.exact
    assert found.start == day.replace(day=1)


@given(
    DATES,
    st.sampled_from(["approx. {d}", "?{d}", "c. {d}", "circa {d}", "{d}?", "about {d}", "~{d}"]),
    st.booleans(),
)
def test_property_hedged_dates_are_never_exact(day, fmt, year_only):
    written = str(day.year) if year_only else day.strftime("%d/%m/%Y")
    found = parse_partial_date(fmt.format(d=written))
    assert found.approximate and not found.exact
    assert found.start == (dt.date(day.year, 1, 1) if year_only else day)


@given(st.text(max_size=25))
def test_property_the_date_reader_never_crashes_and_never_invents_exactness(text):
    try:
        found, _ = read_date(text)
    except ValueError:
        return
    if found.exact:
        digits = re.findall(r"\d+", text)
        assert (
            len(digits) >= 2
            or any(m.lower() in text.lower() for m in MONTH_NAMES)
            or len(digits[0]) >= 5
        )


@given(st.integers(0, 23), st.integers(0, 59))
def test_property_times(hour, minute):
    assert parse_time(f"{hour:02d}:{minute:02d}") == dt.time(hour, minute)
    assert parse_time(f"{hour}.{minute:02d}") == dt.time(hour, minute)
    twelve = hour % 12 or 12
    half = "am" if hour < 12 else "pm"
    assert parse_time(f"{twelve}.{minute:02d}{half}") == dt.time(hour, minute)


# --- Reading a return ---------------------------------------------------------------------


def test_read_return_places_rows_and_keeps_the_rest(tmp_path):
    path = make_xlsx(
        tmp_path / "Police return.xlsx",
        [
            ["Northshire Police: chronology"],
            [],
            [
                "Date of incident",
                "Time",
                "Summary of contact",
                "Outcome / action",
                "Officer's note",
            ],
            [
                dt.datetime(2024, 5, 12, 23, 40),
                None,
                "Domestic incident",
                "DASH completed",
                "late call",
            ],
            [dt.date(2024, 5, 13), "09:30", "Notice shared", None, None],
            [None, None, None, None, None],
            ["31/02/2024", None, "Impossible day", None, None],
            [None, None, "No date at all", None, None],
            ["April 2024", "morning", "Month only", None, None],
        ],
    )
    read = read_return(path)
    assert read.sheet == "Chronology" and read.header_row == 3
    assert read.agency == "Police return"
    assert [e.row for e in read.entries] == [4, 5, 9]
    first, second, month = read.entries
    assert first.time == dt.time(23, 40)
    assert first.values["Details"] == "Domestic incident\nOfficer's note: late call"
    assert second.time == dt.time(9, 30)
    assert month.date.precision == "month" and month.time_text == "morning"
    assert month.values["Date as written"] == "April 2024"
    assert [a.row for a in read.attention] == [7, 8]
    assert read.attention[0].values["Date"] == "31/02/2024"
    assert "no day 31" in read.attention[0].reason
    assert read.attention[1].reason == "The Date cell is empty."
    assert read.rows == 5


def test_rows_holding_only_a_number_or_the_agency_are_not_rows(tmp_path):
    rows = [["No.", "Agency", "Date", "Details"]]
    rows.append([1, "Northshire Probation", dt.date(2024, 5, 1), "Reported"])
    rows += [[n, "Northshire Probation", None, None] for n in range(2, 30)]
    read = read_return(make_xlsx(tmp_path / "probation.xlsx", rows))
    assert read.rows == 1
    assert read.entries[0].agency == "Northshire Probation"
    assert "No." not in read.entries[0].values["Details"]


def test_repeated_header_rows_are_left_out_with_a_note(tmp_path):
    rows = [["Date", "Details"], ["01/05/2024", "a"], ["Date", "Details"], ["02/05/2024", "b"]]
    read = read_return(make_xlsx(tmp_path / "r.xlsx", rows))
    assert read.rows == 2
    assert any("row 3 repeats the header" in n for n in read.notes)


def test_a_date_merged_down_over_entries_applies_to_each(tmp_path):
    rows = [["Date", "Details"], ["01/05/2024", "first"], [None, "second"], [None, None]]
    read = read_return(make_xlsx(tmp_path / "m.xlsx", rows, merge=["A2:A4"]))
    assert [(e.date.start, e.values["Details"]) for e in read.entries] == [
        (dt.date(2024, 5, 1), "first"),
        (dt.date(2024, 5, 1), "second"),
    ]


def test_sheet_choice(tmp_path):
    header = [["Date", "Details"], ["01/05/2024", "x"]]
    path = make_xlsx(
        tmp_path / "csc.xlsx",
        None,
        sheets=[
            ("Instructions", "visible", [["Date", "Details"], ["dd/mm/yyyy", "what happened"]]),
            ("Lists", "hidden", header),
            ("Sheet1", "visible", [["nothing here"]]),
            ("2024", "visible", header),
            ("Old chronology", "visible", header + [["02/05/2024", "y"]]),
        ],
    )
    read = read_return(path)
    # Every visible sheet whose columns make a chronology is read, preferred names first.
    assert read.sheets == ("Old chronology", "2024")
    assert read.rows == 3
    assert {e.sheet for e in read.entries} == {"Old chronology", "2024"}
    path = make_xlsx(
        tmp_path / "plain.xlsx",
        None,
        sheets=[
            ("Cover", "visible", [["About"]]),
            ("Data", "visible", [["x"]]),
            ("Returns", "visible", header),
        ],
    )
    assert read_return(path).sheet == "Returns"


def test_no_date_column_lists_the_headers_found_and_the_names_accepted(tmp_path):
    path = make_xlsx(
        tmp_path / "GP.xlsx", [["When it happened", "What", "Who"], ["yesterday", "x", "y"]]
    )
    with pytest.raises(DataError) as info:
        read_return(path)
    message = info.value.message
    assert message.startswith("")
    assert "GP.xlsx" in message and 'sheet "Chronology"' in message
    assert '"When it happened", "What", "Who"' in message
    assert '"Date of contact"' in message
    assert "schemas/chronology.toml" in message


def test_a_chronology_sheet_without_a_date_column_is_the_one_named(tmp_path):
    path = make_xlsx(
        tmp_path / "x.xlsx",
        None,
        sheets=[
            ("Chronology", "visible", [["Happened on", "What"]]),
            ("Other", "visible", [["Date", "Details"]]),
        ],
    )
    with pytest.raises(DataError, match='sheet "Chronology".*"Happened on", "What"'):
        read_return(path)


def test_an_empty_workbook_and_an_instructions_only_workbook(tmp_path):
    with pytest.raises(DataError, match="is empty"):
        read_return(make_xlsx(tmp_path / "empty.xlsx", []))
    path = make_xlsx(tmp_path / "guide.xlsx", None, sheets=[("Guidance", "visible", [["Date"]])])
    with pytest.raises(DataError, match="only sheets of instructions"):
        read_return(path)


def test_a_required_extra_column(tmp_path):
    schema_file = tmp_path / "s.toml"
    schema_file.write_text(
        '[[columns]]\nname = "Date"\n[[columns]]\nname = "Details"\nrequired = true\n'
    )
    path = make_xlsx(tmp_path / "r.xlsx", [["Date", "Notes2"], ["01/05/2024", "x"]])
    with pytest.raises(DataError, match='has no "Details" column'):
        read_return(path, schema=load_schema(schema_file))


def test_agency_comes_from_the_row_then_the_case_then_the_title_then_the_file(tmp_path):
    from scrtool.case import Case

    case = Case(
        root=tmp_path, data={"agencies": [{"name": "Northshire Police", "files": ["police*"]}]}
    )
    path = make_xlsx(
        tmp_path / "police return.xlsx",
        [
            ["Agency: Someone else"],
            ["Date", "Agency", "Details"],
            ["01/05/2024", None, "a"],
            ["02/05/2024", "BTP", "b"],
        ],
    )
    read = read_return(path, case=case)
    assert [e.agency for e in read.entries] == ["Northshire Police", "BTP"]
    assert [e.agency for e in read_return(path).entries] == ["Someone else", "BTP"]
    other = make_xlsx(tmp_path / "GP.xlsx", [["Date", "Details"], ["01/05/2024", "a"]])
    assert read_return(other, case=case).agency == "GP"


def test_csv_returns_have_no_sheet_and_keep_windows_text(tmp_path):
    path = tmp_path / "Health visiting.csv"
    path.write_bytes(
        "Contact date,Contact time,Summary\r\n3rd April 2024,2.30pm,Mother said “fine”; £3 on the meter\r\n".encode(
            "cp1252"
        )
    )
    read = read_return(path)
    assert read.sheet == ""
    (only,) = read.entries
    assert only.time == dt.time(14, 30)
    assert only.values["Details"] == "Mother said “fine”; £3 on the meter"


def test_a_1904_workbook(tmp_path):
    serial = float((dt.date(2025, 3, 10) - dt.date(1904, 1, 1)).days)
    path = make_xlsx(
        tmp_path / "mac.xlsx",
        [["Date", "Details"], [dt.date(2024, 5, 1), "cell"], [serial, "General"]],
        epoch1904=True,
    )
    assert [e.date.start for e in read_return(path).entries] == [
        dt.date(2024, 5, 1),
        dt.date(2025, 3, 10),
    ]


def test_the_messy_return(data_dir):
    read = read_return(data_dir / "collate" / "messy return.xlsx")
    assert read.header_row == 12
    assert read.agency == "Easthaven Housing Association"
    by_row = {e.row: e for e in read.entries}
    assert (
        by_row[13].time == dt.time(14, 30)
        and by_row[13].values["Details"] == "Tenancy visit; rent arrears discussed."
    )
    assert by_row[14].time is None and by_row[14].time_text == "approx 3pm"
    assert by_row[16].date.approximate
    assert by_row[20].time == dt.time(9, 15)
    assert by_row[21].date.precision == "month"
    assert by_row[22].time_text == "25:00"
    assert by_row[23].date.start == dt.date(2023, 7, 1) and by_row[23].time == dt.time(10, 30)
    assert sorted(a.row for a in read.attention) == [19, 24]
    assert any("row 18 repeats the header" in n for n in read.notes)


def test_a_macro_workbook_reads(data_dir):
    read = read_return(data_dir / "collate" / "macro.xlsm")
    assert read.rows == 2


# --- Duplicates, sorting, summary ---------------------------------------------------------

RULES = load_schema().duplicates


def test_the_same_meeting_reported_by_two_agencies_is_one_group():
    day = dt.date(2024, 6, 3)
    entries = [
        entry(
            day, "Police", "Strategy meeting held with social care and health; section 47 agreed."
        ),
        entry(day, "Social care", "Strategy meeting with police: s47 enquiries agreed."),
        entry(day, "School", "Sibling B had lunch and played football."),
    ]
    assert find_duplicates(entries, RULES) == {0: 1, 1: 1}


def test_similar_details_from_different_agencies_the_same_day():
    day = dt.date(2024, 6, 3)
    entries = [
        entry(
            day,
            "Ambulance",
            "Child conveyed to Easthaven General with burns to the right hand.",
            time=dt.time(18, 2),
        ),
        entry(
            day,
            "Hospital",
            "Attended Easthaven General: burns to right hand, dressing applied.",
            time=dt.time(18, 50),
        ),
        entry(
            day, "GP", "Burns to the right hand seen at Easthaven General.", time=dt.time(23, 30)
        ),
        entry(
            day,
            "Ambulance",
            "Burns to right hand at Easthaven General, second crew.",
            time=dt.time(18, 10),
        ),
    ]
    assert find_duplicates(entries, RULES) == {0: 1, 1: 1, 3: 1}


def test_no_duplicates_within_one_agency_or_across_days():
    entries = [
        entry(dt.date(2024, 6, 3), "Police", "Strategy meeting held."),
        entry(dt.date(2024, 6, 3), "Police", "Strategy meeting held."),
        entry(dt.date(2024, 6, 4), "Social care", "Strategy meeting held."),
        entry(PartialDate(dt.date(2024, 6, 1), "month"), "Health", "Strategy meeting held."),
        entry(PartialDate(dt.date(2024, 6, 1), "month"), "School", "Strategy meeting held."),
    ]
    assert find_duplicates(entries, RULES) == {}


def test_two_returns_from_one_agency_mark_the_rows_they_share():
    first = entry(dt.date(2024, 6, 3), "Police", "Domestic incident at the flat, DASH done.")
    revised = dataclasses.replace(first, file="Police v2.xlsx", order=1)
    other_day = entry(dt.date(2024, 6, 4), "Police", "Domestic incident at the flat, DASH done.")
    assert find_duplicates([first, revised, other_day], RULES) == {0: 1, 1: 1}


def test_duplicate_thresholds_come_from_the_schema():
    day = dt.date(2024, 6, 3)
    entries = [entry(day, "A", "bruise noted left arm"), entry(day, "B", "bruise on left arm")]
    assert find_duplicates(entries, DuplicateRules(min_shared_words=3)) == {0: 1, 1: 1}
    assert find_duplicates(entries, DuplicateRules(min_shared_words=4)) == {}


def test_sort_order_date_then_untimed_first_then_agency_then_source_order():
    day = dt.date(2024, 5, 1)
    entries = [
        entry(day, "Police", time=dt.time(9), row=5),
        entry(day, "School", row=2, order=1),
        entry(day, "Ambulance", time=dt.time(9), row=7, order=2),
        entry(day, "Ambulance", row=3, order=2),
        entry(dt.date(2024, 4, 30), "Zeta", time=dt.time(23), row=9),
        entry(PartialDate(dt.date(2024, 5, 1), "month"), "Police", row=1),
        entry(day, "ambulance", row=1, order=3),
    ]
    order = [(e.agency, e.time, e.row) for e in sort_entries(entries)]
    assert order == [
        ("Zeta", dt.time(23), 9),
        ("Ambulance", None, 3),
        ("ambulance", None, 1),
        ("Police", None, 1),
        ("School", None, 2),
        ("Ambulance", dt.time(9), 7),
        ("Police", dt.time(9), 5),
    ]


def test_summary_counts_gaps_and_months():
    entries = sort_entries(
        [
            entry(dt.date(2024, 1, 10), "Police"),
            entry(dt.date(2024, 1, 20), "Police"),
            entry(dt.date(2024, 4, 1), "Police"),
            entry(PartialDate(dt.date(2021, 1, 1), "year", True), "Police"),
            entry(dt.date(2024, 2, 5), "GP"),
        ]
    )
    attention = [Attention("why", "GP", {}, "", "GP.xlsx", "", 3, 1)]
    summary = summarise(entries, attention)
    police = next(a for a in summary.agencies if a.agency == "Police")
    assert (police.rows, police.partial_dates, police.first, police.last) == (
        4,
        1,
        dt.date(2024, 1, 10),
        dt.date(2024, 4, 1),
    )
    assert (police.longest_gap_days, police.gap_from, police.gap_to) == (
        72,
        dt.date(2024, 1, 20),
        dt.date(2024, 4, 1),
    )
    gp = next(a for a in summary.agencies if a.agency == "GP")
    assert (gp.rows, gp.needing_attention, gp.longest_gap_days) == (1, 1, None)
    assert summary.total.rows == 5 and summary.total.needing_attention == 1
    assert [m.month for m in summary.months] == [1, 2, 3, 4]
    assert summary.per_month["Police"] == [2, 0, 0, 1]
    assert summary.per_month["GP"] == [0, 1, 0, 0]


# --- The workbook -------------------------------------------------------------------------

RISKY = ["=1+1", "+44 7700 900123", "-ve drug wipe", "@SUM(A1:A2)", '=HYPERLINK("http://x")']


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """A workbook with exact, partial and risky rows, written once for several tests."""
    folder = tmp_path_factory.mktemp("written")
    entries = [
        entry(
            dt.date(2024, 5, 1),
            "Police",
            RISKY[0],
            time=dt.time(14, 30),
            **{"Action taken": RISKY[1]},
        ),
        entry(
            PartialDate(dt.date(2024, 4, 1), "month", False, "April 2024"),
            "GP",
            RISKY[2],
            **{"Date as written": "April 2024"},
        ),
        entry(PartialDate(dt.date(2021, 1, 1), "year", True, "approx. 2021"), "CSC", RISKY[3]),
        entry(
            PartialDate(dt.date(2016, 5, 22), "day", True, "?22/05/2016"),
            "CSC",
            RISKY[4],
            Source="_x0041_ control\x07char",
        ),
    ]
    entries = sort_entries(entries)
    attention = [
        Attention(
            "The Date cell is empty.",
            "GP",
            {"Details": "=2+2"},
            "No.: 3",
            "GP.xlsx",
            "Chronology",
            9,
            1,
        )
    ]
    path = folder / "out.xlsx"
    write_workbook(
        path,
        entries=entries,
        attention=attention,
        inputs=(),
        schema=SCHEMA,
        made=dt.date(2026, 3, 1),
    )
    return path


def test_workbook_sheets_columns_and_types(written):
    from openpyxl import load_workbook

    wb = load_workbook(written)
    assert wb.sheetnames == ["Chronology", "Needs attention", "Summary"]
    ws = wb["Chronology"]
    header = [c.value for c in ws[1]]
    assert header[:10] == list(CORE_COLUMNS) + ["Source file", "Source sheet", "Source row"]
    assert header[-1] == "Possible duplicate"
    assert ws.freeze_panes == "A2"
    assert list(ws.tables) == ["Chronology"]
    assert ws.tables["Chronology"].ref == f"A1:{ws.cell(1, len(header)).column_letter}5"
    # Widths follow the content: Details wraps within the schema's 60, and the Date
    # column is wide enough for "approx. 22/05/2016" (so no cell shows ###).
    assert 10 < ws.column_dimensions["F"].width <= 60
    assert ws.column_dimensions["A"].width >= len("approx. 22/05/2016")
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.oddFooter.center.text == "OFFICIAL-SENSITIVE"
    dates = [(ws.cell(r, 1).value, ws.cell(r, 1).number_format) for r in range(2, 6)]
    assert dates == [
        (dt.datetime(2016, 5, 22), '"approx. "dd/mm/yyyy'),
        (dt.datetime(2021, 1, 1), '"approx. "yyyy'),
        (dt.datetime(2024, 4, 1), "mmm yyyy"),
        (dt.datetime(2024, 5, 1), "dd/mm/yyyy"),
    ]
    assert ws["B5"].value == dt.time(14, 30)
    assert ws["F2"].alignment.wrap_text
    assert ws["D2"].value.endswith(" controlchar")  # the bell character is dropped


def test_no_input_text_becomes_a_formula(written):
    from openpyxl import load_workbook

    wb = load_workbook(written)
    cells = [
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    ]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert set(RISKY) <= values and "=2+2" in values


def test_needs_attention_and_summary(written):
    from openpyxl import load_workbook

    wb = load_workbook(written)
    need = wb["Needs attention"]
    header = [c.value for c in need[1]]
    row = dict(zip(header, [c.value for c in need[2]], strict=True))
    assert row["Reason"] == "The Date cell is empty."
    assert row["Other columns"] == "No.: 3"
    assert (row["Source file"], row["Source sheet"], row["Source row"]) == (
        "GP.xlsx",
        "Chronology",
        9,
    )
    summary = wb["Summary"]
    assert summary._charts
    texts = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Agency" in texts and "Total" in texts and "May 2024" in texts


@pytest.mark.libreoffice
def test_libreoffice_opens_the_workbook_and_shows_text_as_text(written, tmp_path):
    from conftest import soffice_csv

    sheets = soffice_csv(written, tmp_path)
    assert set(sheets) == {"Chronology", "Needs attention", "Summary"}
    rows = sheets["Chronology"]
    assert [r[0] for r in rows[1:]] == [
        "approx. 22/05/2016",
        "approx. 2021",
        "Apr 2024",
        "01/05/2024",
    ]
    assert rows[4][1] == "14:30"
    assert {r[5] for r in rows[1:]} == set(RISKY[:1] + RISKY[2:])
    assert rows[4][6] == RISKY[1]
    assert rows[1][3] == "_x0041_ controlchar"
    assert "=2+2" in sheets["Needs attention"][1]


def test_an_empty_chronology_is_still_a_good_workbook(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "empty.xlsx"
    write_workbook(path, entries=[], attention=[], inputs=(), schema=SCHEMA)
    wb = load_workbook(path)
    assert wb["Chronology"].max_row <= 2


# --- The Word table -----------------------------------------------------------------------


def test_docx_table_has_a_repeating_header_and_one_row_per_entry(tmp_path):
    import docx
    from docx.enum.section import WD_ORIENT

    entries = sort_entries(
        [
            entry(dt.date(2024, 5, 1), "Police", "Line one\nLine two & <more>", time=dt.time(9, 5)),
            entry(PartialDate(dt.date(2024, 4, 1), "month", False, "April 2024"), "GP", "=1+1"),
        ]
    )
    out = tmp_path / "c.docx"
    write_docx(
        out,
        entries=entries,
        fields={"title": "NS-2026-01: merged chronology", "subtitle": "two rows", "notes": "end"},
    )
    document = docx.Document(str(out))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    (table,) = document.tables
    assert len(table.rows) == 3
    assert (
        table.rows[0]._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    # The template predates the Event ref column: it is added first.
    assert table.rows[0].cells[0].text == "Ref"
    first = [c.text for c in table.rows[1].cells][1:]
    assert first[0] == "April 2024" and first[5] == "=1+1"
    second = [c.text for c in table.rows[2].cells][1:]
    assert second[:3] == ["01/05/2024", "09:05", "Police"]
    assert second[5] == "Line one\nLine two & <more>"
    assert second[7] == 'Police.xlsx, sheet "Chronology", row 1'
    text = "\n".join(p.text for p in document.paragraphs)
    assert "NS-2026-01: merged chronology" in text and "{{" not in text


def test_docx_says_under_the_date_when_a_row_is_before_the_review_period(tmp_path):
    """The workbook's "Before the review period" column has no column in the Word table,
    so the Word table says it under the date."""
    import docx

    before = {"Before the review period": "Yes"}
    entries = sort_entries(
        [
            entry(dt.date(2016, 5, 22), "GP", "Registered", row=2, **before),
            entry(dt.date(2024, 5, 1), "Police", "Visit", row=3),
        ]
    )
    out = tmp_path / "c.docx"
    write_docx(out, entries=entries)
    dates = [row.cells[1].text for row in docx.Document(str(out)).tables[0].rows[1:]]
    assert dates == ["22/05/2016\nbefore the review period", "01/05/2024"]


def test_docx_with_thousands_of_rows(tmp_path):
    import docx

    entries = [
        entry(dt.date(2024, 1, 1) + dt.timedelta(days=i % 700), "Police", f"Row {i}", row=i)
        for i in range(3000)
    ]
    out = tmp_path / "big.docx"
    write_docx(out, entries=sort_entries(entries))
    assert len(docx.Document(str(out)).tables[0].rows) == 3001


def test_docx_template_problems(tmp_path):
    import docx

    plain = tmp_path / "plain.docx"
    document = docx.Document()
    document.add_table(rows=2, cols=2)
    document.save(str(plain))
    with pytest.raises(TemplateError, match="no table row with placeholders"):
        write_docx(tmp_path / "x.docx", entries=[], template=plain)
    bad = tmp_path / "bad.docx"
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(1, 0).text = "{{ Date }}"
    table.cell(1, 1).text = "{{ Shoe size }}"
    document.save(str(bad))
    with pytest.raises(TemplateError, match="Shoe size"):
        write_docx(tmp_path / "x.docx", entries=[], template=bad)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match="not a Word document"):
        write_docx(tmp_path / "x.docx", entries=[], template=broken)


# --- collate: all or nothing --------------------------------------------------------------


@pytest.fixture
def returns(tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    make_xlsx(
        folder / "Police.xlsx", [["Date", "Details"], ["01/05/2024", "Incident"], ["TBC", "Later"]]
    )
    make_xlsx(folder / "GP.xlsx", [["Date seen", "Description"], [dt.date(2024, 5, 2), "Seen"]])
    return folder


def test_collate_counts_and_invariant(returns, tmp_path):
    out = tmp_path / "out" / "chronology.xlsx"
    result = collate([returns], output=out, docx=tmp_path / "out" / "c.docx")
    assert out.exists() and (tmp_path / "out" / "c.docx").exists()
    assert result.rows_read == result.rows_merged + result.rows_needing_attention == 3
    assert (result.rows_merged, result.rows_needing_attention) == (2, 1)
    assert result.to_json() == {
        "inputs": [
            {"path": str(returns / "GP.xlsx"), "agency": "GP", "rows": 1},
            {"path": str(returns / "Police.xlsx"), "agency": "Police", "rows": 2},
        ],
        "rows_read": 3,
        "rows_merged": 2,
        "rows_needing_attention": 1,
        "possible_duplicates": 0,
        "output": str(out),
        "agencies_without_return": [],
        "returns_without_agency": [],
        "skipped": [],
    }
    assert result.exit_code == 0
    assert collate([returns], output=out, strict=True).exit_code == 1


@pytest.mark.parametrize("bad", ["password.xlsx", "truncated.xlsx", "web page.xls"])
def test_an_unreadable_return_stops_the_run_and_writes_nothing(returns, tmp_path, bad):
    shutil.copy(COLLATE_DATA / bad, returns / bad)
    out = tmp_path / "chronology.xlsx"
    with pytest.raises(UnreadableInputError) as info:
        collate([returns], output=out, docx=tmp_path / "c.docx")
    assert bad in info.value.message
    assert not out.exists() and not (tmp_path / "c.docx").exists()
    assert not list(tmp_path.glob(".~scrtool-*"))


def test_skip_unreadable_leaves_it_out_with_a_note(returns, tmp_path):
    shutil.copy(COLLATE_DATA / "password.xlsx", returns / "password.xlsx")
    notes = []
    result = collate(
        [returns], output=tmp_path / "c.xlsx", skip_unreadable=True, on_note=notes.append
    )
    assert [i.path.name for i in result.inputs] == ["GP.xlsx", "Police.xlsx"]
    assert any("password.xlsx" in n and "left out" in n for n in notes)
    assert result.notes == tuple(notes)


def test_a_return_without_a_date_column_stops_the_run_even_with_skip_unreadable(returns, tmp_path):
    make_xlsx(returns / "School.xlsx", [["Happened on", "What"], ["x", "y"]])
    with pytest.raises(DataError):
        collate([returns], output=tmp_path / "c.xlsx", skip_unreadable=True)
    assert not (tmp_path / "c.xlsx").exists()


def test_an_output_open_in_excel_is_refused_before_any_work(returns, tmp_path):
    out = tmp_path / "chronology.xlsx"
    out.write_bytes(b"old")
    (tmp_path / "~$chronology.xlsx").write_bytes(b"owner")
    with pytest.raises(OutputLockedError, match="close it and try again"):
        collate([returns], output=out)
    assert out.read_bytes() == b"old"


def test_lock_hidden_and_other_files_are_skipped_and_the_output_is_never_an_input(
    returns, tmp_path
):
    (returns / "~$Police.xlsx").write_bytes(b"owner")
    (returns / ".DS_Store.xlsx").write_bytes(b"junk")
    (returns / "covering letter.docx").write_bytes(b"PK")
    out = returns / "chronology.xlsx"
    notes: list[str] = []
    collate([returns], output=out, on_note=notes.append)
    result = collate([returns, returns / "GP.xlsx"], output=out, on_note=notes.append)
    assert [i.path.name for i in result.inputs] == ["GP.xlsx", "Police.xlsx"]
    joined = "\n".join(notes)
    assert "~$Police.xlsx: skipped" in joined and ".DS_Store.xlsx: skipped" in joined
    assert "covering letter.docx: skipped" in joined
    assert "chronology.xlsx: skipped, it is this run's own output" in joined


def test_an_output_named_as_an_agency_return_is_refused(returns, tmp_path):
    """Inputs are never modified: -o POLICE.xlsx (in the folder, or named too) is refused."""
    police = returns / "Police.xlsx"
    before = police.read_bytes()
    for inputs in ([returns], [police, returns / "GP.xlsx"]):
        with pytest.raises(OutputError, match="does not write over its inputs"):
            collate(inputs, output=police)
        assert police.read_bytes() == before
    assert not [p for p in returns.iterdir() if p.name.startswith(".~scrtool-")]


def test_an_earlier_merged_chronology_beside_the_returns_is_not_read_again(returns, tmp_path):
    collate([returns], output=returns / "merged last week.xlsx")
    notes: list[str] = []
    result = collate([returns], output=tmp_path / "merged.xlsx", on_note=notes.append)
    assert [i.path.name for i in result.inputs] == ["GP.xlsx", "Police.xlsx"]
    assert result.rows_read == 3
    assert any("merged last week.xlsx: skipped" in n and "twice" in n for n in notes)


def test_a_return_with_only_a_header_is_noted(tmp_path):
    path = make_xlsx(tmp_path / "School.xlsx", [["Date", "Details", "Action taken"]])
    read = read_return(path)
    assert read.rows == 0
    assert any("no rows under it" in n and "School.xlsx" in n for n in read.notes)


def test_an_empty_workbook_says_to_ask_the_agency_again(tmp_path):
    with pytest.raises(DataError) as caught:
        read_return(make_xlsx(tmp_path / "empty.xlsx", []))
    assert "is empty" in caught.value.message
    assert "ask the agency" in caught.value.message
    assert "name the date column" not in caught.value.message


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"output": "c.csv"}, OutputError, "is not an .xlsx file name"),
        ({"output": "c.xlsx", "docx": "c.pdf"}, OutputError, "is not a .docx file name"),
    ],
)
def test_bad_output_names(returns, tmp_path, kwargs, error, words):
    kwargs = {k: tmp_path / v for k, v in kwargs.items()}
    with pytest.raises(error, match=words):
        collate([returns], **kwargs)


def test_missing_and_empty_inputs(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        collate([tmp_path / "nowhere"], output=tmp_path / "c.xlsx")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="holds no returns"):
        collate([tmp_path / "empty"], output=tmp_path / "c.xlsx")
    (tmp_path / "zero.xlsx").write_bytes(b"")
    with pytest.raises(UnreadableInputError, match="is empty"):
        collate([tmp_path / "zero.xlsx"], output=tmp_path / "c.xlsx")
    assert not (tmp_path / "c.xlsx").exists()
