"""Reading rows out of what agencies send: .xlsx, .xlsm, .xls, .ods and .csv, good and bad."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from scrtool.errors import UnreadableInputError
from scrtool.readers.spreadsheets import (
    Workbook,
    cell_text,
    column_letter,
    decode_text,
    iter_input_files,
    read_csv,
)

COLLATE_DATA = Path(__file__).resolve().parents[1] / "data" / "collate"


def make_xlsx(path: Path, rows, *, title="Chronology", epoch1904=False, extra_sheets=()):
    from openpyxl import Workbook as XL
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = XL()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for name, state, sheet_rows in extra_sheets:
        other = wb.create_sheet(name)
        other.sheet_state = state
        for row in sheet_rows:
            other.append(row)
    wb.save(path)
    return path


def test_xlsx_rows_line_up_with_sheet_rows(tmp_path):
    path = make_xlsx(
        tmp_path / "a.xlsx", [["Title"], [], ["Date", "Details"], [dt.date(2024, 5, 1), "x"]]
    )
    with Workbook(path) as book:
        assert [s.name for s in book.sheets] == ["Chronology"]
        rows = book.rows(book.sheets[0])
    assert rows[0][0] == "Title"
    assert rows[2] == ["Date", "Details"]
    assert rows[3] == [dt.date(2024, 5, 1), "x"]
    assert not book.date1904


def test_hidden_sheets_are_marked(tmp_path):
    path = make_xlsx(
        tmp_path / "a.xlsx",
        [["Date"]],
        extra_sheets=[("Lists", "hidden", [["a"]]), ("Secret", "veryHidden", [["b"]])],
    )
    with Workbook(path) as book:
        visible = {s.name: s.visible for s in book.sheets}
    assert visible == {"Chronology": True, "Lists": False, "Secret": False}


def test_1904_workbooks_are_recognised_and_their_dates_read(tmp_path):
    path = make_xlsx(tmp_path / "mac.xlsx", [["Date"], [dt.date(2024, 5, 1)]], epoch1904=True)
    with Workbook(path) as book:
        assert book.date1904
        assert book.rows(book.sheets[0])[1][0] == dt.date(2024, 5, 1)


def test_merged_cells_fill_down_but_not_across(tmp_path):
    from openpyxl import Workbook as XL

    wb = XL()
    ws = wb.active
    ws["A1"] = "Title"
    ws.merge_cells("A1:C1")
    ws["A2"] = "Date"
    ws["A3"] = "01/05/2024"
    ws["B3"] = "first"
    ws["B4"] = "second"
    ws.merge_cells("A3:A4")
    wb.save(tmp_path / "m.xlsx")
    with Workbook(tmp_path / "m.xlsx") as book:
        sheet = book.sheets[0]
        plain = book.rows(sheet)
        filled = book.rows(sheet, fill_merged=True)
        merged = book.merged_ranges(sheet)
    assert plain[3][0] is None
    assert filled[3][0] == "01/05/2024"
    assert filled[0][1] is None  # the title is not copied across
    assert ((2, 0), (3, 0)) in merged


def test_xls_and_ods_are_read(tmp_path):
    import xlwt
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    book = xlwt.Workbook()
    sheet = book.add_sheet("Chronology")
    sheet.write(0, 0, "Date")
    sheet.write(1, 0, dt.date(2024, 5, 1), xlwt.easyxf(num_format_str="DD/MM/YYYY"))
    book.save(str(tmp_path / "old.xls"))

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Chronology")
    for value in ("Date", "01/05/2024"):
        row = TableRow()
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=value))
        row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(tmp_path / "calc.ods"))

    with Workbook(tmp_path / "old.xls") as old:
        assert old.rows(old.sheets[0]) == [["Date"], [dt.date(2024, 5, 1)]]
    with Workbook(tmp_path / "calc.ods") as calc:
        assert calc.rows(calc.sheets[0])[1] == ["01/05/2024"]


def test_a_workbook_saved_under_another_formats_name_is_read_for_what_it_is(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("Chronology").write(0, 0, "Date")
    book.save(str(tmp_path / "old.xls"))
    shutil.copy(tmp_path / "old.xls", tmp_path / "renamed.xlsx")
    make_xlsx(tmp_path / "new.xlsx", [["Date"]])
    shutil.copy(tmp_path / "new.xlsx", tmp_path / "renamed.xls")
    shutil.copy(tmp_path / "new.xlsx", tmp_path / "really a workbook.csv")
    for name in ("renamed.xlsx", "renamed.xls", "really a workbook.csv"):
        with Workbook(tmp_path / name) as book:
            assert book.rows(book.sheets[0])[0] == ["Date"], name


def test_macro_enabled_workbooks_are_read_and_their_macros_never_run(tmp_path):
    with Workbook(COLLATE_DATA / "macro.xlsm") as book:
        rows = book.rows(book.sheets[0])
    assert rows[0] == ["Date", "Details"]
    assert rows[1][0] == dt.date(2024, 5, 1)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.xlsx", b"", "is empty"),
        ("empty.csv", b"", "is empty"),
        ("report.xlsx", b"%PDF-1.7\n%binary", "is not a real .xlsx workbook"),
        ("notes.ods", b"just some text", "is not a real .ods workbook"),
        ("binary.csv", b"\x00\x01\x02\x03garbage\x00", "is not a text (CSV) file"),
        ("letter.docx", b"PK\x03\x04", "is not a spreadsheet scrtool reads"),
    ],
)
def test_files_that_are_not_what_they_say(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableInputError) as info:
        Workbook(path)
    assert words in info.value.message
    assert name in info.value.message


def test_password_protected_workbook_says_so(tmp_path):
    with pytest.raises(UnreadableInputError) as info:
        Workbook(COLLATE_DATA / "password.xlsx")
    message = info.value.message
    assert "password.xlsx" in message
    assert "protected with a password" in message
    assert "without a password" in message


def test_password_protected_copy_named_xls_is_also_recognised(tmp_path):
    shutil.copy(COLLATE_DATA / "password.xlsx", tmp_path / "police.xls")
    with pytest.raises(UnreadableInputError, match="protected with a password"):
        Workbook(tmp_path / "police.xls")


def test_truncated_and_web_page_workbooks(tmp_path):
    with pytest.raises(UnreadableInputError, match="damaged or incomplete"):
        Workbook(COLLATE_DATA / "truncated.xlsx")
    with pytest.raises(UnreadableInputError, match="web page"):
        Workbook(COLLATE_DATA / "web page.xls")


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableInputError, match="does not exist"):
        Workbook(tmp_path / "nowhere.xlsx")


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Mother said “fine”, £3".encode("cp1252"), "Mother said “fine”, £3"),
        ("£3 – café".encode(), "£3 – café"),
        (b"\xef\xbb\xbfDate,Details", "Date,Details"),
        ("Date,£".encode("utf-16"), "Date,£"),
    ],
)
def test_csv_encodings(raw, text, tmp_path):
    assert decode_text(tmp_path / "x.csv", raw) == text


def test_csv_dialects_and_blanks(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text("Date;Details\n01/05/2024;Home visit, all well\n;\n", encoding="utf-8")
    rows = read_csv(path)
    assert rows[0] == ["Date", "Details"]
    assert rows[1][0] == "01/05/2024"
    assert rows[2] == [None, None]


def test_iter_input_files_skips_lock_and_hidden_files_with_a_note(tmp_path):
    for name in ("Police.xlsx", "~$Police.xlsx", ".hidden.xlsx", "letter.docx", "GP.csv"):
        (tmp_path / name).write_bytes(b"x")
    found = list(iter_input_files([tmp_path], note_others=True))
    names = {p.name: note for p, note in found}
    assert names["Police.xlsx"] is None and names["GP.csv"] is None
    assert "lock file" in names["~$Police.xlsx"]
    assert "hidden" in names[".hidden.xlsx"]
    assert "not a spreadsheet" in names["letter.docx"]
    assert "letter.docx" not in {p.name for p, _ in iter_input_files([tmp_path])}


def test_libreoffice_locks_and_folders_inside_are_noted_not_silently_left_out(tmp_path):
    """Nothing is left out without a word: a LibreOffice lock says the return is open, and
    returns saved in a folder inside are not read, so the officer is told."""
    (tmp_path / "Police.xlsx").write_bytes(b"x")
    (tmp_path / ".~lock.Police.xlsx#").write_bytes(b"x")
    (tmp_path / "late returns").mkdir()
    (tmp_path / ".git").mkdir()
    names = {p.name: note for p, note in iter_input_files([tmp_path], note_others=True)}
    assert "LibreOffice" in names[".~lock.Police.xlsx#"]
    assert "it is a folder" in names["late returns"]
    assert ".git" not in names and names["Police.xlsx"] is None


def test_cell_text_and_column_letters():
    assert cell_text(None) == ""
    assert cell_text(3.0) == "3"
    assert cell_text(dt.datetime(2024, 5, 1, 14, 30)) == "01/05/2024 14:30"
    assert cell_text(dt.date(2024, 5, 1)) == "01/05/2024"
    assert cell_text(dt.time(9, 5)) == "09:05"
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_a_unicode_text_file_is_told_to_be_renamed_csv_and_then_reads(tmp_path):
    text = "Date\tDetails\r\n03/04/2023\tVisit \u00a320 \u201cfine\u201d\r\n"
    path = tmp_path / "Police.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    with pytest.raises(UnreadableInputError, match="rename it to end in .csv"):
        Workbook(path)
    renamed = path.rename(tmp_path / "Police.csv")
    with Workbook(renamed) as book:
        rows = book.rows(book.sheets[0])
    assert rows == [["Date", "Details"], ["03/04/2023", "Visit \u00a320 \u201cfine\u201d"]]


# --- Edge cases from real spreadsheets (issue 14) ---------------------------------------

SPREADSHEET_DATA = Path(__file__).resolve().parents[1] / "data" / "spreadsheets"


def _xlsx_with_errors(path: Path) -> Path:
    from openpyxl import Workbook as XL

    wb = XL()
    ws = wb.active
    ws.title = "Chronology"
    ws.append(["Date", "Details"])
    ws.append([None, "an error"])
    ws.append([None, "another"])
    ws.append([dt.date(2024, 5, 1), "fine"])
    ws["A2"].value, ws["A2"].data_type = "#N/A", "e"
    ws["A3"].value, ws["A3"].data_type = "#VALUE!", "e"
    wb.save(path)
    return path


def test_excel_error_cells_are_errors_not_empty(tmp_path):
    from scrtool.readers.spreadsheets import CellError

    with Workbook(_xlsx_with_errors(tmp_path / "e.xlsx")) as book:
        rows = book.rows(book.sheets[0])
    assert rows[1][0] == "#N/A" and isinstance(rows[1][0], CellError)
    assert rows[2][0] == "#VALUE!" and isinstance(rows[2][0], CellError)
    assert rows[3][0] == dt.date(2024, 5, 1)
    assert cell_text(rows[1][0]) == "#N/A"


def test_csv_error_texts_are_errors(tmp_path):
    from scrtool.readers.spreadsheets import CellError

    path = tmp_path / "e.csv"
    path.write_text("Date,Details\n#N/A,x\n#n/a note,y\n", encoding="utf-8")
    rows = read_csv(path)
    assert isinstance(rows[1][0], CellError)
    assert not isinstance(rows[2][0], CellError)


def test_collate_names_error_cells_as_errors(invoke, tmp_path):
    _xlsx_with_errors(tmp_path / "Police.xlsx")
    out = tmp_path / "out.xlsx"
    result = invoke("collate", tmp_path / "Police.xlsx", "--output", out)
    assert result.exit_code == 0, result.stderr
    assert "The Date cell is empty" not in result.stdout
    assert "holds the error #N/A (a formula that did not work), not a date" in result.stdout
    assert "holds the error #VALUE! (a formula that did not work)" in result.stdout


def _xlsx_1900(path: Path) -> Path:
    from openpyxl import Workbook as XL

    wb = XL()
    ws = wb.active
    ws.title = "Chronology"
    ws.append(["Date", "Details"])
    for serial, words in ((1, "first day"), (59, "28 Feb"), (60, "phantom"), (61, "1 Mar")):
        ws.append([serial, words])
        ws.cell(row=ws.max_row, column=1).number_format = "dd/mm/yyyy"
    wb.save(path)
    return path


def test_1900_dates_are_read_and_excels_phantom_day_is_not(tmp_path):
    with Workbook(_xlsx_1900(tmp_path / "old.xlsx")) as book:
        rows = book.rows(book.sheets[0])
    assert [r[0] for r in rows[1:]] == [
        dt.date(1900, 1, 1),
        dt.date(1900, 2, 28),
        "29/02/1900",
        dt.date(1900, 3, 1),
    ]


def test_collate_keeps_1900_dates_with_the_right_excel_serials(invoke, tmp_path):
    from openpyxl import load_workbook

    _xlsx_1900(tmp_path / "Police.xlsx")
    out = tmp_path / "out.xlsx"
    result = invoke("collate", tmp_path / "Police.xlsx", "--output", out)
    assert result.exit_code == 0, result.stderr
    assert '"29/02/1900" is not a real date' in result.stdout
    ws = load_workbook(out)["Chronology"]
    dates = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert [d.date() for d in dates] == [
        dt.date(1900, 1, 1),
        dt.date(1900, 2, 28),
        dt.date(1900, 3, 1),
    ]
    # The raw serials are Excel's, leap-year mistake included.
    import zipfile

    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert ">1<" in xml and ">59<" in xml and ">61<" in xml


def test_serials_around_excels_phantom_day():
    from scrtool.chronology.xlsxstream import excel_serial
    from scrtool.dates import from_excel_serial

    assert from_excel_serial(1).date() == dt.date(1900, 1, 1)
    assert from_excel_serial(59).date() == dt.date(1900, 2, 28)
    assert from_excel_serial(61).date() == dt.date(1900, 3, 1)
    with pytest.raises(ValueError, match="never was"):
        from_excel_serial(60)
    for day in (
        dt.date(1900, 1, 1),
        dt.date(1900, 2, 28),
        dt.date(1900, 3, 1),
        dt.date(2024, 5, 1),
    ):
        assert from_excel_serial(excel_serial(day)).date() == day


def _ods(path: Path, times: list[str]) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Chronology")

    def add(*cells):
        row = TableRow()
        for cell in cells:
            row.addElement(cell)
        table.addElement(row)

    def text(value):
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=value))
        return cell

    def date(value):
        cell = TableCell(valuetype="date", datevalue=value)
        cell.addElement(P(text=value))
        return cell

    def time(value):
        cell = TableCell(valuetype="time", timevalue=value)
        cell.addElement(P(text=value))
        return cell

    add(text("Date"), text("Time"), text("Details"))
    for index, value in enumerate(times):
        add(date(f"2024-05-{index + 1:02d}"), time(value), text(f"entry {index}"))
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def test_ods_time_cells_that_arrive_as_durations_are_times_of_day(tmp_path):
    path = _ods(tmp_path / "r.ods", ["PT296296H17M36S", "PT16H17M36.96S", "PT09H30M00S"])
    with Workbook(path) as book:
        rows = book.rows(book.sheets[0])
    assert [r[1] for r in rows[1:]] == [
        dt.time(16, 17, 36),
        dt.time(16, 17, 37),
        dt.time(9, 30),
    ]


def test_collate_shows_ods_duration_times_as_times(invoke, tmp_path):
    from openpyxl import load_workbook

    _ods(tmp_path / "Police.ods", ["PT296296H17M36S"])
    out = tmp_path / "out.xlsx"
    result = invoke("collate", tmp_path / "Police.ods", "--output", out)
    assert result.exit_code == 0, result.stderr
    ws = load_workbook(out)["Chronology"]
    assert ws.cell(row=2, column=2).value == dt.time(16, 17, 36)
    assert "PT" not in str(ws.cell(row=2, column=2).value)


def test_seconds_are_rounded_as_excel_rounds_them(tmp_path):
    from scrtool.readers.spreadsheets import round_seconds

    make_xlsx(
        tmp_path / "s.xlsx",
        [
            ["Date", "Time"],
            [dt.datetime(2024, 5, 1, 16, 17, 36, 960000), dt.time(16, 17, 36, 960000)],
            [dt.datetime(2024, 5, 1, 23, 59, 59, 700000), dt.time(10, 0, 0, 400000)],
        ],
    )
    with Workbook(tmp_path / "s.xlsx") as book:
        rows = book.rows(book.sheets[0])
    assert rows[1] == [dt.datetime(2024, 5, 1, 16, 17, 37), dt.time(16, 17, 37)]
    assert rows[2] == [dt.datetime(2024, 5, 2, 0, 0, 0), dt.time(10, 0, 0)]
    assert round_seconds(dt.time(23, 59, 59, 500000)) == dt.time(0, 0, 0)


def test_a_multi_line_header_is_quoted_on_one_line(invoke, tmp_path):
    make_xlsx(tmp_path / "Police.xlsx", [["When it\nhappened", "What\nhappened"], ["x", "y"]])
    result = invoke("collate", tmp_path / "Police.xlsx", "--output", tmp_path / "o.xlsx")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert '"When it happened", "What happened"' in result.stderr


@pytest.mark.parametrize("name", ["password 2002.xls", "password xor.xls"])
def test_password_protected_xls_is_named_as_a_password(name):
    from scrtool.errors import Reason

    with pytest.raises(UnreadableInputError) as caught:
        Workbook(SPREADSHEET_DATA / name)
    assert caught.value.reason is Reason.ENCRYPTED
    assert caught.value.problem == "is protected with a password"
    assert "without a password" in caught.value.advice
    assert "damaged" not in caught.value.message


def test_an_excel_4_macro_sheet_is_named_with_advice_that_fits():
    from scrtool.errors import Reason

    with pytest.raises(UnreadableInputError) as caught:
        Workbook(SPREADSHEET_DATA / "macro sheet.xlsx")
    assert caught.value.reason is Reason.MACRO_SHEET
    assert caught.value.problem == 'holds an Excel 4 macro sheet ("Macro1")'
    assert "without the macro sheet" in caught.value.advice
    assert "damaged" not in caught.value.message


def test_an_xls_macro_sheet_is_left_out_and_the_chronology_read():
    with Workbook(SPREADSHEET_DATA / "macro sheet.xls") as book:
        assert [s.name for s in book.sheets] == ["Chronology"]
        assert book.rows(book.sheets[0])[1][1] == "Home visit; all well."


def test_collate_under_json_says_why_a_workbook_cannot_be_read(invoke, tmp_path):
    import json

    for name, reason in (("password xor.xls", "encrypted"), ("macro sheet.xlsx", "macro-sheet")):
        result = invoke(
            "collate", SPREADSHEET_DATA / name, "--output", tmp_path / "o.xlsx", "--json"
        )
        assert result.exit_code == 2
        assert json.loads(result.stdout)["reason"] == reason
    assert not (tmp_path / "o.xlsx").exists()
