"""The workbook house style: measuring text, and every writer using it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrtool import workbook_style as house


def test_wrapped_lines_counts_words_and_line_breaks():
    assert house.wrapped_lines("", 20) == 1
    assert house.wrapped_lines("short", 20) == 1
    assert house.wrapped_lines("one\ntwo\nthree", 40) == 3
    room = int((20 - 1) / house.CHAR_UNITS)
    words = " ".join(["word"] * 30)  # 149 characters
    assert house.wrapped_lines(words, 20) >= -(-len(words) // room)
    # A word longer than the column breaks over as many lines as it needs.
    assert house.wrapped_lines("x" * (room * 3), 20) == 3


@given(st.text(alphabet="ab \n", max_size=300), st.floats(min_value=4, max_value=80))
def test_wrapped_lines_never_fewer_than_the_characters_need(text, width):
    # Spaces at a wrap are swallowed, so only the other characters must find room.
    room = max(1, int((width - 1) / house.CHAR_UNITS))
    needed = sum(max(1, -(-len(p.replace(" ", "")) // room)) for p in text.split("\n"))
    assert house.wrapped_lines(text, width) >= needed


def test_fit_width_follows_content_within_limits():
    assert house.fit_width(["abc"], header="Date") < house.fit_width(["a" * 30], header="Date")
    assert house.fit_width(["a" * 500], header="Details", wrap=True, maximum=60) == 60
    # An unwrapped column (a date) is never cut, whatever the limit.
    approx = house.fit_width(["approx. 22/05/2016"], header="Date", maximum=10)
    assert approx >= len("approx. 22/05/2016") * house.DIGIT_UNITS + 2
    # A header's longest word always fits.
    assert house.fit_width([], header="Possible duplicate") >= len("duplicate") * house.CHAR_UNITS


def test_row_height_only_for_wrapped_rows():
    assert house.row_height([("short", 30)]) is None
    tall = house.row_height([("word " * 40, 20)])
    assert tall is not None and tall >= 3 * house.LINE_POINTS


def test_fit_to_page_keeps_floors_and_total():
    widths = [12, 60, 40, 40, 30, 30, 30]
    floors = [12, 14, 14, 14, 14, 14, 14]
    fitted = house.fit_to_page(widths, floors, total=150)
    assert sum(fitted) <= 150.5
    assert all(f >= lo for f, lo in zip(fitted, floors, strict=True))
    assert fitted[0] == 12 and fitted[1] > fitted[4]  # the widest stays widest
    assert house.fit_to_page([10, 20], [10, 10], total=100) == [10, 20]


def test_shown_text_of_dates_follows_the_format():
    day = dt.date(2024, 5, 22)
    assert len(house.shown_text(day, '"approx. "dd/mm/yyyy')) == len("approx. 22/05/2024")
    assert house.shown_text(day, "mmm yyyy") == "Sep 2026"  # the widest month
    assert house.shown_text(None) == ""


def test_print_setup_and_footer(tmp_path):
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    ws = book.active
    house.style_header(ws, 1, ["A", "B"])
    ws.append(["x", "y"])
    house.data_sheet(ws, ref="R&D-1", header_row=1, columns=2, last_row=2)
    book.save(tmp_path / "s.xlsx")
    ws = load_workbook(tmp_path / "s.xlsx").active
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:B2"
    assert ws.oddFooter.left.text == "R&&D-1"  # "&" is a code in a footer
    assert ws.oddFooter.center.text == "OFFICIAL-SENSITIVE"
    assert ws.oddFooter.right.text == "Page &P of &N"
    assert ws["A1"].fill.fgColor.rgb.endswith(house.HEADER_COLOUR)


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory):
    from scrtool.demo import run_demo

    root = tmp_path_factory.mktemp("style") / "demo"
    result = run_demo(root)
    assert not result.failed
    return root


def test_every_writer_uses_the_one_header_colour(demo_case, tmp_path):
    from openpyxl import load_workbook

    from scrtool.review.action_plan import write_action_plan

    plan = write_action_plan(tmp_path / "plan.xlsx", agencies=["Police"], ref="NS-1")
    books = [
        (demo_case / "working" / "chronology.xlsx", ["Chronology", "Needs attention", "Summary"]),
        (demo_case / "working" / "reviews-summary.xlsx", None),
        (demo_case / "requests" / "Northshire Police chronology return.xlsx", ["Chronology"]),
        (plan, None),
    ]
    for path, sheets in books:
        book = load_workbook(path)
        for ws in book.worksheets:
            if ws.sheet_state != "visible" or (sheets and ws.title not in sheets):
                continue
            fills = {
                c.fill.fgColor.rgb[-6:]
                for row in ws.iter_rows(max_row=30)
                for c in row
                if c.fill is not None and c.fill.fill_type == "solid"
            }
            assert fills == {house.HEADER_COLOUR}, (path.name, ws.title, fills)
            assert ws.page_setup.orientation == "landscape", (path.name, ws.title)
            assert ws.oddFooter.center.text == "OFFICIAL-SENSITIVE", (path.name, ws.title)


def test_chronology_rows_are_tall_enough_for_their_text(demo_case):
    from openpyxl import load_workbook

    ws = load_workbook(demo_case / "working" / "chronology.xlsx")["Chronology"]
    widths = {c.column: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    checked = 0
    for row in ws.iter_rows(min_row=2):
        lines = max(
            house.wrapped_lines(str(c.value), widths[c.column])
            for c in row
            if isinstance(c.value, str) and c.alignment.wrap_text
        )
        height = ws.row_dimensions[row[0].row].height
        if lines > 1:
            assert height is not None and height >= lines * house.LINE_POINTS
            checked += 1
    assert checked >= 5
