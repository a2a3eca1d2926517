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
