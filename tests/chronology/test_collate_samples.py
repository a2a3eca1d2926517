"""End to end: collate the bundled sample returns and check the whole result (after doc2dash)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from scrtool.case import load_case
from scrtool.chronology.collate import collate
from scrtool.readers.spreadsheets import Workbook, cell_text

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

EXPECTED_INPUTS = {
    "Ambulance return.ods": ("Northshire Ambulance Service", 2),
    "CSC chronology.xlsx": ("Northshire Children's Social Care", 9),
    "GP return.xlsx": ("Brookside Medical Practice", 5),
    "Health visiting return.csv": ("Northshire Health Visiting Service", 7),
    "Police return.xlsx": ("Northshire Police", 7),
    "Probation return.xlsx": ("Northshire Probation Service", 5),
    "School return.xls": ("Northshire Education Service", 6),
}


@pytest.fixture(scope="module")
def collated(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    case = load_case(SAMPLES)
    result = collate(
        [SAMPLES / "returns"],
        output=out / "chronology.xlsx",
        docx=out / "chronology.docx",
        case=case,
        today=dt.date(2026, 3, 2),
    )
    from openpyxl import load_workbook

    wb = load_workbook(out / "chronology.xlsx")

    def table(name):
        rows = list(wb[name].iter_rows(values_only=True))
        return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]

    return result, table("Chronology"), table("Needs attention"), wb, out


def test_counts(collated):
    result, chronology, attention, _, _ = collated
    assert {i.path.name: (i.agency, i.rows) for i in result.inputs} == EXPECTED_INPUTS
    assert (result.rows_read, result.rows_merged, result.rows_needing_attention) == (41, 37, 4)
    assert result.possible_duplicates == 1
    assert len(chronology) == 37 and len(attention) == 4
    # Two of social care's records (the mother's own history) are from before the birth.
    assert result.notes == (
        "The child's date of birth in case.toml is after the first 2 events, whose age reads "
        '"before birth"; check the date of birth if the child was born by then.',
    )


def test_sorted_by_date_then_time(collated):
    _, chronology, _, _, _ = collated
    keys = [
        (r["Date"], r["Time"] is not None and not isinstance(r["Time"], str), r["Time"])
        for r in chronology
    ]
    dates = [k[0] for k in keys]
    assert dates == sorted(dates)
    assert chronology[0]["Date as written"] == "?22/05/2016"
    assert chronology[-1]["Agency"] == "Brookside Medical Practice" or chronology[-1][
        "Date"
    ] == dt.datetime(2026, 1, 6)


def find(rows, **where):
    found = [r for r in rows if all(r.get(k) == v for k, v in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]


def test_known_rows(collated):
    _, chronology, _, _, _ = collated
    police = find(chronology, **{"Source file": "Police return.xlsx", "Source row": 6})
    assert police["Date"] == dt.datetime(2024, 5, 12) and police["Time"] == dt.time(23, 40)
    assert police["Source sheet"] == "Police chronology" and police["Event type"] == "Incident"
    bullets = find(chronology, **{"Source file": "Police return.xlsx", "Source row": 9})
    assert bullets["Details"].startswith("- Joint visit")
    charged = find(chronology, **{"Source file": "Police return.xlsx", "Source row": 10})
    assert charged["Action taken"].startswith("= Charged")
    meeting = [r for r in chronology if r["Possible duplicate"]]
    assert {(r["Agency"], r["Date"], r["Possible duplicate"]) for r in meeting} == {
        ("Northshire Police", dt.datetime(2024, 6, 3), "D1"),
        ("Northshire Children's Social Care", dt.datetime(2024, 6, 3), "D1"),
    }
    hv = find(chronology, **{"Source file": "Health visiting return.csv", "Source row": 2})
    assert hv["Source sheet"] is None and hv["Time"] == dt.time(10, 15)
    assert "“we’re managing fine”" in hv["Details"] and "£3" in hv["Details"]
    assert find(chronology, **{"Source file": "Health visiting return.csv", "Source row": 3})[
        "Time"
    ] == dt.time(14, 30)
    gp_serial = find(chronology, **{"Source file": "GP return.xlsx", "Source row": 5})
    assert gp_serial["Date"] == dt.datetime(2025, 3, 10)
    school = [
        r
        for r in chronology
        if r["Source file"] == "School return.xls" and r["Date"] == dt.datetime(2024, 9, 16)
    ]
    assert [r["Source row"] for r in school] == [7, 8]
    assert find(chronology, **{"Source file": "School return.xls", "Source row": 5})[
        "Date"
    ] == dt.datetime(2024, 5, 31)
    ambulance = find(chronology, **{"Source file": "Ambulance return.ods", "Source row": 2})
    assert (
        ambulance["Time"] == dt.time(21, 12) and "Job number: NAS-24-77812" in ambulance["Details"]
    )
    month = find(chronology, **{"Source file": "Probation return.xlsx", "Source row": 2})
    assert month["Date as written"] == "April 2024" and month["Comments"].startswith("No check")
    approx = find(chronology, **{"Source file": "CSC chronology.xlsx", "Source row": 5})
    assert approx["Date as written"] == "approx. 2021" and approx["Date"] == dt.datetime(2021, 1, 1)


def test_needs_attention(collated):
    _, _, attention, _, _ = collated
    got = {(r["Source file"], r["Source row"]): (r["Date"], r["Reason"]) for r in attention}
    assert got == {
        ("CSC chronology.xlsx", 11): (
            "TBC",
            '"TBC" is not a date scrtool can read (write it as 31/03/2026).',
        ),
        ("GP return.xlsx", 4): (
            "31/02/2025",
            '"31/02/2025" is not a real date: February 2025 has no day 31.',
        ),
        ("Health visiting return.csv", 7): (None, "The Date cell is empty."),
        ("Probation return.xlsx", 4): (
            "unknown",
            '"unknown" is not a date scrtool can read (write it as 31/03/2026).',
        ),
    }
    probation = find(attention, **{"Source file": "Probation return.xlsx"})
    assert probation["Other columns"] == "No.: 3"
    assert probation["Agency"] == "Northshire Probation Service"


def _source_cells(path: Path, sheet: str, row: int) -> list[str]:
    with Workbook(path) as book:
        info = next(s for s in book.sheets if s.name == sheet) if sheet else book.sheets[0]
        rows = book.rows(info, fill_merged=True)
    return [cell_text(c) for c in rows[row - 1]]


def test_every_row_is_traceable_to_its_source(collated):
    _, chronology, attention, _, _ = collated
    for r in chronology + attention:
        cells = _source_cells(
            SAMPLES / "returns" / r["Source file"], r["Source sheet"], r["Source row"]
        )
        details = (r["Details"] or "").split("\n")[0]
        assert any(details in c for c in cells), (r["Source file"], r["Source row"], details)
        agency_written = r["Agency"] in cells or r["Agency"] == EXPECTED_INPUTS[r["Source file"]][0]
        assert agency_written


def test_summary_sheet(collated):
    _, _, _, wb, _ = collated
    ws = wb["Summary"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "Agency")
    table = {r[0]: r for r in rows[header + 1 : header + 9]}
    assert set(table) == {a for a, _ in EXPECTED_INPUTS.values()} | {"Total"}
    police = table["Northshire Police"]
    assert police[1:4] == (7, 0, 0)
    assert (police[4], police[5]) == (dt.datetime(2024, 5, 12), dt.datetime(2026, 1, 5))
    assert table["Total"][1:3] == (37, 4)
    assert ws._charts


@pytest.mark.libreoffice
def test_libreoffice_opens_both_outputs(collated, tmp_path):
    from conftest import convert_with_soffice, soffice_csv

    _, _, _, _, out = collated
    sheets = soffice_csv(out / "chronology.xlsx", tmp_path)
    rows = sheets["Chronology"]
    assert rows[1][0] == "approx. 22/05/2016" and rows[2][0] == "approx. 2021"
    assert rows[3][0] == "Apr 2024"
    assert any(r[5].startswith("- Joint visit") for r in rows)
    text = convert_with_soffice(out / "chronology.docx", "txt:Text", tmp_path).read_text(
        encoding="utf-8-sig"
    )
    assert "NS-2026-01: merged chronology for Child A" in text
    assert "approx. 2021" in text and "Strategy meeting held with police" in text


def test_docx_has_every_row(collated):
    import docx

    _, chronology, _, _, out = collated
    document = docx.Document(str(out / "chronology.docx"))
    assert len(document.tables[0].rows) == len(chronology) + 1
    text = "\n".join(p.text for p in document.paragraphs)
    assert "4 rows could not be placed" in text


def test_demo_step(tmp_path):
    from scrtool.demo import collate_step as demo_step
    from scrtool.demo import make_demo_case

    case = make_demo_case(tmp_path / "demo")
    step = demo_step(case)
    assert step.exit_code == 0
    assert step.outputs == (
        case.folder("working") / "chronology.xlsx",
        case.folder("working") / "chronology.docx",
    )
    assert all(p.exists() for p in step.outputs)
    assert "37 rows in the chronology, 4 needing attention, 1 possible duplicate" in step.summary


def test_demo_step_reports_a_problem_instead_of_raising(tmp_path):
    from scrtool.demo import collate_step as demo_step
    from scrtool.demo import make_demo_case

    case = make_demo_case(tmp_path / "demo")
    shutil.copy(
        Path(__file__).resolve().parents[1] / "data" / "collate" / "password.xlsx",
        case.folder("returns") / "police 2.xlsx",
    )
    step = demo_step(case)
    assert step.exit_code == 2 and "protected with a password" in step.summary


def test_the_word_chronology_names_no_author(tmp_path):
    """Personal metadata is a redaction finding: nothing scrtool writes should carry any."""
    import docx

    from scrtool.chronology.collate import collate
    from scrtool.resources import data_dir

    out = tmp_path / "chronology.docx"
    collate([data_dir("samples") / "returns"], output=tmp_path / "c.xlsx", docx=out)
    props = docx.Document(str(out)).core_properties
    assert props.author == "" and props.last_modified_by == ""
