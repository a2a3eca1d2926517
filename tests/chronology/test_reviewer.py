"""The reviewer's columns (Child's age, Event ref, Key event) and collate's accounting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrtool.case import load_case
from scrtool.chronology.collate import collate
from scrtool.chronology.returns import read_return
from scrtool.chronology.reviewer import age_on, child_age, derive_code
from scrtool.chronology.schema import load_schema
from scrtool.dates import PartialDate
from scrtool.errors import CaseError
from tests.chronology.test_collate import make_xlsx

SCHEMA = load_schema()
BORN = dt.date(2022, 9, 18)


def write_case(root: Path, extra: str = "", review: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "returns").mkdir(exist_ok=True)
    (root / "working").mkdir(exist_ok=True)
    (root / "case.toml").write_text(
        '[review]\nref = "NS-2026-09"\ntype = "lcspr"\nchild = "Child A"\n' + review + extra,
        encoding="utf-8",
    )
    return root


def chronology(path: Path) -> list[dict[str, object]]:
    from openpyxl import load_workbook

    ws = load_workbook(path)["Chronology"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


# --- The child's age ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2022, 9, 17), "before birth"),
        (dt.date(2022, 9, 18), "0w"),
        (dt.date(2022, 12, 25), "14w"),
        (dt.date(2023, 9, 17), "52w"),
        (dt.date(2023, 9, 18), "1y 0m"),
        (dt.date(2023, 12, 18), "1y 3m"),
        (dt.date(2026, 1, 5), "3y 3m"),
    ],
)
def test_age_format(day, expected):
    assert age_on(BORN, day) == expected


def test_an_approximate_or_month_date_gives_an_age_that_starts_with_about():
    month = PartialDate(dt.date(2023, 12, 1), "month", False, "December 2023")
    assert child_age(BORN, month) == "about 1y 2m"
    approx = PartialDate(dt.date(2024, 1, 20), "day", True, "approx. 20/01/2024")
    assert child_age(BORN, approx) == "about 1y 4m"
    year = PartialDate(dt.date(2025, 1, 1), "year", False, "2025")
    assert child_age(BORN, year) == "about 2y"
    assert child_age(BORN, PartialDate(dt.date(2021, 1, 1), "year", True, "approx. 2021")) == (
        "before birth"
    )
    birth_month = PartialDate(dt.date(2022, 9, 1), "month", False, "September 2022")
    assert child_age(BORN, birth_month) == "about 0w"


@given(st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)), st.integers(0, 7000))
def test_age_is_weeks_under_one_year_and_years_and_months_after(born, days):
    day = born + dt.timedelta(days=days)
    shown = age_on(born, day)
    if shown.endswith("w"):
        assert int(shown[:-1]) == days // 7 and days < 366
    else:
        years, months = shown.split()
        assert int(years[:-1]) >= 1 and 0 <= int(months[:-1]) <= 11


# --- Event references and key events ----------------------------------------------------------


def test_codes_come_from_known_phrases_or_initials():
    assert derive_code("Northshire Police", SCHEMA) == "POL"
    assert derive_code("Brookside Medical Practice", SCHEMA) == "GP"
    assert derive_code("Northshire Children's Social Care", SCHEMA) == "CSC"
    assert derive_code("Westmarch Lantern Trust", SCHEMA) == "WLT"


def test_refs_are_unique_and_stay_the_same_when_a_return_arrives(tmp_path):
    case_dir = write_case(
        tmp_path / "case",
        '[[agencies]]\nname = "Northshire Police"\ncode = "NP"\nfiles = ["police*"]\n'
        '[[agencies]]\nname = "Northshire Health Visiting"\nfiles = ["hv*"]\n',
    )
    returns = case_dir / "returns"
    make_xlsx(
        returns / "police.xlsx",
        [["Date", "Details"], ["01/05/2024", "first"], ["02/06/2024", "second"]],
    )
    case = load_case(case_dir)
    out = case_dir / "working" / "chronology.xlsx"
    collate([returns], output=out, case=case)
    before = {r["Details"]: r["Event ref"] for r in chronology(out)}
    assert before == {"first": "NP-2", "second": "NP-3"}
    # A health visiting return and a revised police return arrive; the revision sorts first.
    make_xlsx(returns / "hv.xlsx", [["Date", "Details"], ["03/05/2024", "visit"]])
    make_xlsx(
        returns / "police 0 revised.xlsx",
        [["Date", "Details"], ["05/05/2024", "revised"], ["06/05/2024", "later"]],
    )
    collate([returns], output=out, case=case)
    after = {r["Details"]: r["Event ref"] for r in chronology(out)}
    assert after["first"] == "NP-2" and after["second"] == "NP-3"
    assert after["visit"] == "HV-2"
    assert {after["revised"], after["later"]} == {"NP-2b", "NP-3b"}
    assert len(set(after.values())) == len(after)


def test_key_event_is_carried_through_under_its_aliases(tmp_path):
    path = make_xlsx(
        tmp_path / "csc.xlsx",
        [
            ["Date", "Details", "Significant event"],
            ["01/05/2024", "conference", "Y"],
            ["02/05/2024", "visit", "no"],
            ["03/05/2024", "call", None],
            ["04/05/2024", "meeting", "\u2713"],
        ],
    )
    read = read_return(path)
    assert [e.values.get("Key event") for e in read.entries] == ["Yes", "No", None, "Yes"]


# --- The date of birth in a case ----------------------------------------------------------------


def test_age_column_in_the_workbook_and_the_word_table(tmp_path):
    import docx

    case_dir = write_case(tmp_path / "case", review="child_date_of_birth = 2023-01-10\n")
    make_xlsx(
        case_dir / "returns" / "police.xlsx",
        [["Date", "Details", "Key event"], ["01/05/2024", "a", "Yes"], ["April 2025", "b", ""]],
    )
    out = case_dir / "working" / "chronology.xlsx"
    word = case_dir / "working" / "chronology.docx"
    result = collate([case_dir / "returns"], output=out, docx=word, case=load_case(case_dir))
    rows = chronology(out)
    assert list(rows[0])[10:13] == ["Child's age", "Event ref", "Key event"]
    assert [r["Child's age"] for r in rows] == ["1y 3m", "about 2y 2m"]
    assert result.notes == ()
    table = docx.Document(str(word)).tables[0]
    heads = [c.text for c in table.rows[0].cells]
    assert heads[:3] == ["Ref", "Date", "Child's age"]
    assert [c.text for c in table.rows[1].cells][:3] == ["POL-2", "01/05/2024", "1y 3m"]
    # The date of birth itself is in neither output.
    assert "10/01/2023" not in "\n".join(c.text for r in table.rows for c in r.cells)
    assert all("2023-01-10" not in str(v) for r in rows for v in r.values())


def test_a_birth_after_the_first_event_says_before_birth_with_a_note(tmp_path):
    case_dir = write_case(tmp_path / "case", review="child_date_of_birth = 2024-06-01\n")
    make_xlsx(
        case_dir / "returns" / "police.xlsx",
        [["Date", "Details"], ["01/05/2024", "a"], ["01/07/2024", "b"]],
    )
    out = case_dir / "working" / "chronology.xlsx"
    result = collate([case_dir / "returns"], output=out, case=load_case(case_dir))
    assert [r["Child's age"] for r in chronology(out)] == ["before birth", "4w"]
    assert any("after the first event" in n for n in result.notes)


def test_a_birth_date_in_the_future_is_refused(tmp_path):
    case_dir = write_case(tmp_path / "case", review="child_date_of_birth = 2099-01-01\n")
    make_xlsx(case_dir / "returns" / "police.xlsx", [["Date", "Details"], ["01/05/2024", "a"]])
    out = case_dir / "working" / "chronology.xlsx"
    with pytest.raises(
        CaseError, match="child_date_of_birth is 01/01/2099, which is in the future"
    ):
        collate([case_dir / "returns"], output=out, case=load_case(case_dir))
    assert not out.exists()


def test_the_redaction_check_treats_a_date_of_birth_as_identifying(tmp_path):
    import docx

    from scrtool.checks.redaction import check_redaction

    path = tmp_path / "report.docx"
    document = docx.Document()
    document.add_paragraph("Child A was born on 18/09/2022 at the local hospital.")
    document.add_paragraph("Child A (DOB 18 September 2022) lived with Mother.")
    document.save(str(path))
    report = check_redaction([path])
    found = [f for f in report.files[0].findings if f.kind == "date-of-birth"]
    assert {f.text for f in found} == {"18/09/2022", "18 September 2022"}
    assert not report.passed


# --- Every sheet, every agency --------------------------------------------------------------


def test_a_return_split_across_sheets_by_year_is_read_whole(tmp_path):
    path = make_xlsx(
        tmp_path / "police.xlsx",
        None,
        sheets=[
            ("2023", "visible", [["Date", "Details"], ["01/05/2023", "a"], ["02/05/2023", "b"]]),
            ("2024", "visible", [["Date", "Details"], ["01/05/2024", "c"]]),
        ],
    )
    out = tmp_path / "c.xlsx"
    result = collate([path], output=out)
    rows = chronology(out)
    assert [(r["Details"], r["Source sheet"], r["Event ref"]) for r in rows] == [
        ("a", "2023", "POL-2"),
        ("b", "2023", "POL-3"),
        ("c", "2024", "POL-2b"),
    ]
    assert result.rows_read == 3 and result.notes == ()


def test_a_sheet_that_looks_like_a_chronology_but_cannot_be_read_needs_attention(tmp_path):
    path = make_xlsx(
        tmp_path / "police.xlsx",
        None,
        sheets=[
            ("2023", "visible", [["Date", "Details"], ["01/05/2023", "a"]]),
            ("2024", "visible", [["When it happened", "Details", "Outcome"], ["May", "b", "c"]]),
        ],
    )
    out = tmp_path / "c.xlsx"
    result = collate([path], output=out, strict=True)
    assert result.rows_needing_attention == 1 and result.exit_code == 1
    (item,) = result.attention
    assert item.sheet == "2024" and "no column is recognisable as the Date column" in item.reason
    assert result.rows_read == result.rows_merged + result.rows_needing_attention


def test_a_header_below_a_block_of_guidance_is_found_in_a_return(tmp_path):
    guidance = [[f"{n}. Write one contact on each row, with its date."] for n in range(1, 41)]
    path = make_xlsx(
        tmp_path / "hv.xlsx", [*guidance, ["Date", "Details"], ["01/05/2024", "visit"]]
    )
    read = read_return(path)
    assert read.header_row == 41 and [e.values["Details"] for e in read.entries] == ["visit"]


def test_a_data_row_mentioning_a_date_is_not_a_header(tmp_path):
    path = tmp_path / "gp.csv"
    path.write_text(
        "Date,Details\n01/05/2024,Mother asked for a new date for the appointment\n",
        encoding="utf-8",
    )
    read = read_return(path)
    assert read.header_row == 1 and len(read.entries) == 1
    headerless = tmp_path / "bare.csv"
    headerless.write_text("01/05/2024,Mother asked for a new date\n", encoding="utf-8")
    with pytest.raises(Exception, match="no column is recognisable as the Date column|no header"):
        read_return(headerless)


def test_collate_lists_agencies_without_a_return_and_returns_without_an_agency(tmp_path):
    case_dir = write_case(
        tmp_path / "case",
        '[[agencies]]\nname = "Northshire Police"\nfiles = ["police*"]\n'
        '[[agencies]]\nname = "Northshire Probation Service"\nfiles = ["probation*"]\n',
    )
    returns = case_dir / "returns"
    make_xlsx(returns / "police.xlsx", [["Date", "Details"], ["01/05/2024", "a"]])
    make_xlsx(returns / "housing.xlsx", [["Date", "Details"], ["02/05/2024", "b"]])
    (returns / "covering letter.txt").write_text("Please find attached", encoding="utf-8")
    out = case_dir / "working" / "chronology.xlsx"
    case = load_case(case_dir)
    result = collate([returns], output=out, case=case)
    data = result.to_json()
    assert data["agencies_without_return"] == ["Northshire Probation Service"]
    assert data["returns_without_agency"] == [str(returns / "housing.xlsx")]
    assert data["skipped"] == [str(returns / "covering letter.txt")]
    assert result.exit_code == 0
    assert collate([returns], output=out, case=case, strict=True).exit_code == 1
    assert any("No return was found" in n and "Probation" in n for n in result.notes)


def test_the_command_lists_missing_agencies_and_strict_fails_on_a_skipped_file(invoke, tmp_path):
    case_dir = write_case(
        tmp_path / "case",
        '[[agencies]]\nname = "Northshire Police"\nfiles = ["police*"]\n'
        '[[agencies]]\nname = "Northshire Probation Service"\nfiles = ["probation*"]\n',
    )
    returns = case_dir / "returns"
    make_xlsx(returns / "police.xlsx", [["Date", "Details"], ["01/05/2024", "a"]])
    make_xlsx(returns / "housing.xlsx", [["Date", "Details"], ["02/05/2024", "b"]])
    (returns / "probation.txt").write_text("01/05/2024, seen", encoding="utf-8")
    result = invoke("collate", "--case", case_dir)
    assert result.exit_code == 0
    assert "No return from: Northshire Probation Service." in result.stdout
    assert "Returns that match no agency in case.toml: housing.xlsx" in result.stdout
    assert "Skipped 1 file" in result.stdout and "probation.txt" in result.stdout
    result = invoke("collate", "--case", case_dir, "--strict", "--json")
    assert result.exit_code == 1
    import json

    data = json.loads(result.stdout)
    assert data["agencies_without_return"] == ["Northshire Probation Service"]
    assert data["skipped"] == [str(returns / "probation.txt")]


def test_a_future_birth_date_is_exit_2_in_one_sentence(invoke, tmp_path):
    case_dir = write_case(tmp_path / "case", review="child_date_of_birth = 2099-01-01\n")
    make_xlsx(case_dir / "returns" / "police.xlsx", [["Date", "Details"], ["01/05/2024", "a"]])
    result = invoke("collate", "--case", case_dir)
    assert result.exit_code == 2
    assert "child_date_of_birth is 01/01/2099, which is in the future" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (case_dir / "working" / "chronology.xlsx").exists()
