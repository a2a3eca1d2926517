"""scrtool requests: a letter and a blank, locked return workbook for every agency."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from docx_helpers import body_text, docx_text

from scrtool.case import load_case
from scrtool.drafting.requests import (
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    RETURN_SHEET,
    chronology_columns,
    make_requests,
)
from scrtool.errors import CaseError


@pytest.fixture
def case_dir(repo, tmp_path) -> Path:
    root = tmp_path / "case"
    for sub in ("requests", "returns", "working"):
        (root / sub).mkdir(parents=True)
    shutil.copy(repo / "samples" / "case.toml", root / "case.toml")
    return root


@pytest.fixture
def packs(case_dir):
    return make_requests(load_case(case_dir), today=dt.date(2026, 2, 9))


def test_a_letter_and_a_workbook_per_agency(case_dir, packs):
    case = load_case(case_dir)
    assert [p.agency for p in packs.packs] == [a.name for a in case.agencies]
    names = sorted(p.name for p in (case_dir / "requests").iterdir())
    assert "Northshire Police request.docx" in names
    assert "Northshire Police chronology return.xlsx" in names
    assert len(names) == 2 * len(case.agencies)
    assert packs.to_json()["count"] == len(names)


def test_letter_says_what_when_and_how(packs):
    police = packs.packs[0]
    text = "\n".join(body_text(police.letter))
    assert "Dear Detective Sergeant Priya Calloway," in text
    assert "Police Headquarters, Northshire" in text
    assert "from 1 April 2024 to 5 January 2026" in text
    assert "by 2 March 2026" in text
    assert "secure email" in text
    assert "Northshire Police chronology return.xlsx" in text
    assert "9 February 2026" in text
    assert "{{" not in docx_text(police.letter)
    # an agency with no address in case.toml gets no empty address line
    social_care = "\n".join(body_text(packs.packs[1].letter))
    assert "\n\n\n" not in social_care.split("Our reference")[0]


def test_workbook_columns_and_agency(packs):
    from openpyxl import load_workbook

    book = load_workbook(packs.packs[0].workbook)
    sheet = book[RETURN_SHEET]
    columns = chronology_columns()
    headers = [sheet.cell(row=HEADER_ROW, column=i + 1).value for i in range(len(columns))]
    assert headers == [c.name for c in columns]
    assert headers[:7] == [
        "Date",
        "Time",
        "Agency",
        "Source",
        "Event type",
        "Details",
        "Action taken",
    ]
    assert "Date as written" not in headers
    title = sheet.cell(row=1, column=1).value
    assert "NS-2026-01" in title and "Northshire Police" in title
    assert sheet.cell(row=2, column=1).value == "Agency: Northshire Police"
    # Blank: no row under the header holds anything, so a blank return prints one page.
    assert sheet.max_row == HEADER_ROW
    agency_col = headers.index("Agency") + 1
    letter = sheet.cell(row=HEADER_ROW, column=agency_col).column_letter
    agency_dv = next(
        dv for dv in sheet.data_validations.dataValidation if str(dv.sqref).startswith(letter)
    )
    assert agency_dv.type == "list" and agency_dv.showInputMessage
    assert "Northshire Police" in agency_dv.prompt
    listed = agency_dv.formula1.split("!")[1].replace("$", "").split(":")[0]
    assert book["Lists"][listed].value == "Northshire Police"
    assert book.properties.title == "NS-2026-01 chronology return: Northshire Police"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"


def test_workbook_dropdowns_and_date_checks(packs):
    from openpyxl import load_workbook

    book = load_workbook(packs.packs[0].workbook)
    sheet = book[RETURN_SHEET]
    by_column = {str(dv.sqref)[0]: dv for dv in sheet.data_validations.dataValidation}
    assert by_column["A"].type == "date"  # Date
    assert by_column["B"].type == "time"  # Time
    event = by_column["E"]
    assert event.type == "list"
    lists = book["Lists"]
    assert lists.sheet_state == "hidden"
    choices = next(c for c in chronology_columns() if c.name == "Event type").choices
    ref = event.formula1.split("!")[1].replace("$", "")
    start, end = ref.split(":")
    values = [c[0].value for c in lists[start:end]]
    assert values == list(choices)


def test_workbook_header_locked_rows_free(packs):
    from openpyxl import load_workbook

    sheet = load_workbook(packs.packs[0].workbook)[RETURN_SHEET]
    assert sheet.protection.sheet is True
    assert not sheet.protection.password
    assert sheet.cell(row=HEADER_ROW, column=1).protection.locked is True
    assert sheet.cell(row=1, column=1).protection.locked is True
    # The rows to fill are unlocked by their columns' style, which every new cell takes.
    assert sheet.column_dimensions["A"].protection.locked is False
    assert sheet.column_dimensions["F"].protection.locked is False


def test_instructions_explain_every_column(packs):
    from openpyxl import load_workbook

    book = load_workbook(packs.packs[0].workbook)
    assert book.sheetnames[0] == RETURN_SHEET
    sheet = book[INSTRUCTIONS_SHEET]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    text = "\n".join(cells)
    for column in chronology_columns():
        assert column.name in cells
        if column.description:
            assert column.description in text
    assert "Northshire Police" in text and "2 March 2026" in text
    assert "Home visit" in text


def test_no_agencies_is_a_case_error(tmp_path, invoke):
    invoke("new", tmp_path / "c", "--ref", "NS-2026-02")
    with pytest.raises(CaseError, match="lists no agencies"):
        make_requests(load_case(tmp_path / "c"))
    result = invoke("requests", "--case", tmp_path / "c")
    assert result.exit_code == 2
    assert "[[agencies]]" in result.stderr and "Traceback" not in result.stderr
    assert list((tmp_path / "c" / "requests").iterdir()) == []


def test_cli_requests_json(invoke, case_dir):
    result = invoke("requests", "--case", case_dir, "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["agencies"][0]["agency"] == "Northshire Police"
    assert doc["count"] == len(doc["outputs"]) == 14


def test_cli_requests_locked_file_writes_nothing(invoke, case_dir):
    requests = case_dir / "requests"
    (requests / "Northshire Police chronology return.xlsx").write_bytes(b"old")
    (requests / "~$Northshire Police chronology return.xlsx").write_bytes(b"lock")
    result = invoke("requests", "--case", case_dir, "--replace")
    assert result.exit_code == 2
    assert "close it and try again" in result.stderr
    assert sorted(p.name for p in requests.iterdir()) == [
        "Northshire Police chronology return.xlsx",
        "~$Northshire Police chronology return.xlsx",
    ]


def fill_return(workbook: Path, target: Path, rows: int) -> None:
    """Fill a blank return as an agency would, in Excel's place: openpyxl."""
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    sheet = book[RETURN_SHEET]
    headers = [c.value for c in sheet[HEADER_ROW]]
    col = {name: headers.index(name) + 1 for name in headers if name}
    choices = next(c for c in chronology_columns() if c.name == "Event type").choices
    for i in range(rows):
        r = HEADER_ROW + 1 + i
        sheet.cell(
            row=r, column=col["Date"], value=dt.datetime(2024, 4, 2) + dt.timedelta(days=9 * i)
        )
        if i % 2:
            sheet.cell(row=r, column=col["Time"], value=dt.time(9 + i % 8, 15))
        sheet.cell(row=r, column=col["Source"], value="Case record")
        sheet.cell(row=r, column=col["Event type"], value=choices[i % len(choices)])
        sheet.cell(row=r, column=col["Details"], value=f"Contact number {i + 1} & notes <kept>.")
        sheet.cell(row=r, column=col["Action taken"], value="Recorded.")
    book.save(target)


def test_filled_return_collates_with_nothing_needing_attention(invoke, case_dir, packs):
    pytest.importorskip("scrtool.chronology.collate")
    police, health = packs.packs[0], packs.packs[2]
    fill_return(police.workbook, case_dir / "returns" / police.workbook.name, 12)
    fill_return(health.workbook, case_dir / "returns" / health.workbook.name, 5)
    result = invoke("collate", "--case", case_dir, "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["rows_needing_attention"] == 0
    assert doc["rows_read"] == doc["rows_merged"] == 17
    agencies = {i["agency"] for i in doc["inputs"]}
    assert agencies == {"Northshire Police", "Northshire Health Visiting Service"}
    # and the report picks the merged chronology up
    report = invoke("report", "--case", case_dir, "--json")
    assert report.exit_code == 0, report.stderr
    assert json.loads(report.stdout)["chronology_rows"] == 17


@pytest.mark.libreoffice
def test_return_workbook_opens_in_libreoffice(packs, tmp_path):
    from conftest import convert_with_soffice

    pdf = convert_with_soffice(packs.packs[0].workbook, "pdf", tmp_path)
    assert pdf.stat().st_size > 0


def test_return_with_dates_and_times_typed_as_text_collates_cleanly(invoke, case_dir, packs):
    """Agencies type dates as text (and leave gaps); every row still places in the chronology."""
    pytest.importorskip("scrtool.chronology.collate")
    from openpyxl import load_workbook

    police = packs.packs[0]
    book = load_workbook(police.workbook)
    sheet = book[RETURN_SHEET]
    headers = [c.value for c in sheet[HEADER_ROW]]
    col = {name: headers.index(name) + 1 for name in headers if name}
    typed = [
        ("05/04/2024", "09:15", "Telephone call"),
        ("6 April 2024", None, "Incident"),
        ("2024-04-07", "23:59", "Referral"),
        ("1/5/24", "7:05", "Strategy meeting"),
        (dt.datetime(2025, 12, 31), dt.time(0, 0), "Other"),
    ]
    for i, (day, time, kind) in enumerate(typed):
        r = HEADER_ROW + 1 + i * 2  # a blank row (the agency only) between each
        sheet.cell(row=r, column=col["Date"], value=day)
        if time is not None:
            sheet.cell(row=r, column=col["Time"], value=time)
        sheet.cell(row=r, column=col["Event type"], value=kind)
        sheet.cell(row=r, column=col["Details"], value=f'Line one\nline "two" & <three> {i}')
    book.save(case_dir / "returns" / police.workbook.name)
    result = invoke("collate", "--case", case_dir, "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["rows_needing_attention"] == 0
    assert doc["rows_read"] == doc["rows_merged"] == len(typed)


def test_packs_already_made_are_kept_and_only_new_agencies_get_one(case_dir, packs, invoke):
    police = case_dir / "requests" / "Northshire Police request.docx"
    police.write_bytes(b"edited and sent")
    text = (case_dir / "case.toml").read_text(encoding="utf-8")
    text += '\n[[agencies]]\nname = "Northshire Youth Justice Service"\nfiles = ["yjs*"]\n'
    (case_dir / "case.toml").write_text(text, encoding="utf-8")
    again = make_requests(load_case(case_dir), today=dt.date(2026, 2, 9))
    assert [p.agency for p in again.packs] == ["Northshire Youth Justice Service"]
    assert len(again.kept) == len(packs.packs)
    assert police.read_bytes() == b"edited and sent"
    result = invoke("requests", "--case", case_dir)
    assert result.exit_code == 0, result.stderr
    assert "Kept the packs already there" in result.stdout
    assert police.read_bytes() == b"edited and sent"
    result = invoke("requests", "--case", case_dir, "--replace", "--json")
    assert result.exit_code == 0, result.stderr
    assert police.read_bytes() != b"edited and sent"
    assert json.loads(result.stdout)["kept"] == []
