"""Make the sample agency returns for the fictional case "Child A": ``python3 samples/make_samples.py``.

Writes ``samples/returns/``: seven chronology returns in the shapes agencies really send,
so that ``scrtool demo`` and the end-to-end tests have something honest to chew on:

- ``Police return.xlsx``: a title block of merged cells above the header, date-time cells
  with the Time column empty, bullet points that start with "-" or "=", and a "Key
  event?" column marking the events that matter (Y).
- ``CSC chronology.xlsx``: an Instructions sheet first, a hidden Lists sheet, an
  approximate date ("approx. 2021", "?22/05/2016"), a month-only date, "TBC" as a date,
  an Analysis column, a "Significant event" column (Yes or No).
- ``Health visiting return.csv``: Windows-1252 text with £ and curly quotes, dates typed
  every way people in England type them, times such as "2.30pm".
- ``GP return.xlsx``: saved in Excel for Mac's 1904 date system, with a serial number in
  a General cell, and a 31 February.
- ``School return.xls``: a legacy Excel 97-2003 file, serial-number dates in General
  cells, a date merged down over two entries.
- ``Ambulance return.ods``: LibreOffice, one "Date/time" column, an unknown "Job number"
  column.
- ``Probation return.xlsx``: a numbered template with a pre-filled Agency column, blank
  numbered rows at the end, a month-only date and "unknown" as a date.

The police and social care returns both record the same strategy meeting: the one
possible duplicate. Every name and event is invented; the family's names are the
register names in ``samples/case.toml``. The files are made the same way every time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RETURNS = HERE / "returns"
FIXED = dt.datetime(2026, 2, 20, 9, 0, 0)
ZIP_TIME = (2026, 2, 20, 9, 0, 0)


def d(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


def dtm(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%d/%m/%Y %H:%M")


def t(text: str) -> dt.time:
    return dt.datetime.strptime(text, "%H:%M").time()


def fixed_zip(path: Path) -> None:
    """Rewrite a zip-based file with fixed timestamps, so it is the same bytes every time."""
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = (
                zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED
            )
            info.external_attr = 0o644 << 16
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                # openpyxl stamps the time of saving; the samples keep one fixed time.
                stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data
                )
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())


def _props(wb) -> None:  # type: ignore[no-untyped-def]
    wb.properties.creator = "Northshire sample data"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.lastModifiedBy = "Northshire sample data"


# --- Police: title block, merged cells, date-time cells ---------------------------------


def police() -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    _props(wb)
    ws = wb.active
    ws.title = "Police chronology"
    title = [
        "Northshire Police: chronology return",
        "Local Child Safeguarding Practice Review NS-2026-01 (Child A)",
        "Completed by DS Priya Calloway, Public Protection Unit, 20/02/2026",
    ]
    for row, text in enumerate(title, start=1):
        ws.cell(row=row, column=1, value=text).font = Font(
            bold=row == 1, size=14 if row == 1 else 11
        )
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
    headers = [
        "Date of incident",
        "Time",
        "Source of information",
        "Type of contact",
        "Summary of contact",
        "Outcome / action",
        "Key event?",
    ]
    ws.append([])
    ws.append(headers)
    rows = [
        (
            dtm("12/05/2024 23:40"),
            None,
            "Storm incident log 24-118830",
            "Incident",
            "Call from a neighbour in Larkspur Close reporting shouting and a child crying. "
            "Officers attended; Stacey Harrowgate had a cut lip and said she had fallen. Dean Voss "
            "had left before officers arrived. Child A and Sibling B were asleep upstairs.",
            "DASH risk assessment completed: medium. Public protection notice submitted.",
        ),
        (
            d("13/05/2024"),
            t("09:30"),
            "Public protection notice 24-PPN-5521",
            "Information sharing",
            "Public protection notice shared with children's social care and the health "
            "visiting service.",
            "Referral to the multi-agency safeguarding hub.",
        ),
        (
            d("03/06/2024"),
            t("10:00"),
            "Minutes, DS Calloway",
            "Strategy meeting",
            "Strategy meeting held with children's social care, health visiting and the school "
            "after the second disclosure by Sibling B. Agreed threshold met for enquiries under "
            "section 47.",
            "Joint visit with social care agreed for 04/06/2024.",
        ),
        (
            d("04/06/2024"),
            t("15:15"),
            "PC 2291 Marsh",
            "Home visit",
            "- Joint visit with the social worker to Larkspur Close.\n- Dean Voss present; "
            "declined to speak to officers.\n- Bedroom for the children had no bedding.",
            "Intelligence report submitted.",
        ),
        (
            dtm("27/08/2024 02:10"),
            None,
            "Storm incident log 24-201544",
            "Incident",
            "Report of a disturbance; Dean Voss arrested for criminal damage at the home address in "
            "Easthaven. Children present in the house.",
            "= Charged; bailed with a condition not to attend Larkspur Close.",
        ),
        (
            d("14/11/2024"),
            None,
            "Bail compliance check",
            "Home visit",
            "Officers checked bail conditions at night; Dean Voss found at the address in breach "
            "of bail.",
            "Arrested for breach of bail. Children's social care informed the next morning.",
        ),
        (
            dtm("05/01/2026 18:25"),
            None,
            "Storm incident log 26-000912",
            "Incident",
            "Ambulance service requested police attendance: Child A seriously injured at home. "
            "Scene secured.",
            "Major crime investigation opened. Child protection strategy discussion requested.",
        ),
    ]
    # The officer marked the events that matter to the review (a "Key event?" column).
    key_events = {0: "Y", 2: "Y", 6: "Y"}
    for number, row in enumerate(rows):
        ws.append([*row, key_events.get(number, "")])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text, not a formula (openpyxl would make one)
    widths = {"A": 18, "B": 8, "C": 28, "D": 18, "E": 70, "F": 45, "G": 10}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row[0].number_format = (
            "dd/mm/yyyy hh:mm" if isinstance(row[0].value, dt.datetime) else "dd/mm/yyyy"
        )
        if row[1].value is not None:
            row[1].number_format = "hh:mm"
    path = RETURNS / "Police return.xlsx"
    wb.save(path)
    fixed_zip(path)


# --- Children's social care: instructions sheet, hidden lists, approximate dates -------


def social_care() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    _props(wb)
    info = wb.active
    info.title = "Instructions"
    for line in [
        "How to complete this chronology",
        "Enter one row for each contact, in date order. Date: dd/mm/yyyy.",
        "Date of contact | Worker | Contact type | Details of contact | Outcome/action",
        "Use the drop-down list for Contact type.",
    ]:
        info.append([line])
    ws = wb.create_sheet("Chronology")
    ws.append(["Northshire Children's Social Care: chronology for NS-2026-01"])
    ws.append([])
    ws.append(
        [
            "Date of contact",
            "Worker",
            "Contact type",
            "Details of contact",
            "Outcome/action",
            "Analysis",
            "Significant event",
        ]
    )
    rows = [
        (
            "?22/05/2016",
            "Archive record",
            "Referral",
            "Stacey Harrowgate, then aged 17, referred by her college about neglect at home. "
            "Date taken from a scanned file: the day is uncertain.",
            "Early help offered; case closed.",
            "Mother's own history of care.",
        ),
        (
            "approx. 2021",
            "Archive record",
            "Assessment",
            "Sibling B subject to a child in need plan while the family lived in another area.",
            "Plan ended when the family moved to Northshire.",
            None,
        ),
        (
            d("14/05/2024"),
            "Duty social worker",
            "Referral",
            "Police notice received about a domestic incident at the family home on 12/05/2024.",
            "Checks with the health visitor and school; threshold for assessment met.",
            None,
        ),
        (
            d("03/06/2024"),
            "Owen Tregarth, team manager",
            "Strategy meeting",
            "Strategy meeting held with police, health visiting and the school after the second "
            "disclosure by Sibling B; section 47 enquiries agreed.",
            "Joint visit with police on 04/06/2024.",
            "Multi-agency decision made promptly.",
        ),
        (
            d("10/06/2024"),
            "Social worker Amira Lennox",
            "Home visit",
            "Home visit to Larkspur Close. Child A seen and spoken with; home conditions poor; no "
            "food in the fridge.",
            "Food bank voucher given. Child protection conference requested.",
            None,
        ),
        (
            d("01/07/2024"),
            "Conference chair",
            "Child protection conference",
            "Initial child protection conference. Child A and Sibling B made subject to child "
            "protection plans under the category of neglect.",
            "Core group to meet within 10 working days.",
            "Father not invited; his address was not known.",
        ),
        (
            "April 2025",
            "Team manager",
            "Other",
            "Case transferred to a new social worker after Amira Lennox left the team; the "
            "exact date is not recorded.",
            "Handover visit planned.",
            "Third change of worker in twelve months.",
        ),
        (
            "TBC",
            "Social worker",
            "Home visit",
            "Unannounced visit; no answer at the door.",
            "Card left.",
            None,
        ),
        (
            d("06/01/2026"),
            "Emergency duty team",
            "Strategy meeting",
            "Strategy discussion after Child A was admitted to hospital with serious injuries.",
            "Sibling B placed with maternal grandmother under a safety plan.",
            None,
        ),
    ]
    # "Significant event" is the social worker's name for the Key event column.
    significant = {5: "Yes", 8: "Yes"}
    for number, row in enumerate(rows):
        ws.append([*row, significant.get(number, "No")])
    for row in ws.iter_rows(min_row=4):
        if isinstance(row[0].value, dt.date):
            row[0].number_format = "dd/mm/yyyy"
    lists = wb.create_sheet("Lists")
    for item in ["Home visit", "Referral", "Strategy meeting", "Date of contact"]:
        lists.append([item])
    lists.sheet_state = "hidden"
    path = RETURNS / "CSC chronology.xlsx"
    wb.save(path)
    fixed_zip(path)


# --- Health visiting: a Windows-1252 CSV with text dates -------------------------------


def health_visiting() -> None:
    rows = [
        ["Contact date", "Contact time", "Practitioner", "Nature of contact", "Summary", "Outcome"],
        [
            "3rd April 2024",
            "10.15",
            "HV Bethan Ash",
            "Home visit",
            "New birth review for Child A’s sibling-to-be cancelled; Mother said “we’re "
            "managing fine”. Home cold; Mother said she had £3 on the gas meter.",
            "Advice on the Warm Homes grant; follow-up in four weeks.",
        ],
        [
            "1 Sept 2024",
            "2.30pm",
            "HV Bethan Ash",
            "Appointment not attended",
            "Child A not brought to the 2½ year review at the clinic.",
            "Letter sent offering a new appointment.",
        ],
        [
            "27.12.2024",
            "14:30",
            "HV Bethan Ash",
            "Telephone call",
            "Call to Mother about missed immunisations; she said Child A had a “bad chest”.",
            "Advised to book with the GP.",
        ],
        [
            "07/01/25",
            "",
            "Named nurse",
            "Information sharing",
            "Attended the core group; reported weight below the 2nd centile.",
            "Referral to the paediatric dietitian (£0 cost to family).",
        ],
        [
            "Tuesday 14 January 2025",
            "9am",
            "HV Bethan Ash",
            "Home visit",
            "Weight check at home. Dean Voss present and answered for Mother.",
            "Discussed with safeguarding supervisor.",
        ],
        [
            "",
            "",
            "HV Bethan Ash",
            "Telephone call",
            "Telephone message left for Mother – no answer. Date not recorded on the system.",
            "",
        ],
        [
            "2025-03-18",
            "11:00",
            "HV Bethan Ash",
            "Home visit",
            "Visit with the nursery nurse; Child A’s speech delayed; referral made.",
            "Speech and language therapy referral sent.",
        ],
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    (RETURNS / "Health visiting return.csv").write_bytes(buffer.getvalue().encode("cp1252"))


# --- GP: a 1904 (Mac) workbook ----------------------------------------------------------


def gp() -> None:
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = Workbook()
    _props(wb)
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Chronology"
    ws.append(["Date seen", "Clinician", "Consultation type", "Description", "Plan"])
    rows = [
        (
            d("19/04/2024"),
            "Dr Felix Amberley",
            "Appointment attended",
            "Child A seen with a cough and wheeze; weight recorded on the 9th centile.",
            "Inhaler prescribed; review in two weeks.",
        ),
        (
            d("08/05/2024"),
            "Practice nurse",
            "Appointment not attended",
            "Child A not brought for immunisations.",
            "Reminder letter sent.",
        ),
        (
            "31/02/2025",
            "Dr Felix Amberley",
            "Telephone call",
            "Telephone consultation with Mother about Child A's eczema.",
            "Cream prescribed.",
        ),
        (
            # A serial number typed into a General cell of this 1904 workbook: 10/03/2025.
            float((d("10/03/2025") - dt.date(1904, 1, 1)).days),
            "Dr Felix Amberley",
            "Appointment attended",
            "Mother seen alone: low mood, poor sleep, said money was tight.",
            "Referred to talking therapies.",
        ),
        (
            d("06/01/2026"),
            "Practice safeguarding lead",
            "Information sharing",
            "Practice informed by the hospital safeguarding team; records reviewed.",
            "Records shared with the review.",
        ),
    ]
    for row in rows:
        ws.append(list(row))
    for row in ws.iter_rows(min_row=2):
        if isinstance(row[0].value, dt.date):
            row[0].number_format = "dd/mm/yyyy"
    path = RETURNS / "GP return.xlsx"
    wb.save(path)
    fixed_zip(path)


# --- School: a legacy .xls with serial numbers and a merged date -----------------------


def school() -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("CPOMS export")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    wrap = xlwt.easyxf("align: wrap on, vert top")
    sheet.write(0, 0, "Brambleford Primary School: safeguarding chronology for Sibling B")
    headers = ["Date", "Time", "Recorded by", "Type of event", "Details of event", "Action taken"]
    for col, text in enumerate(headers):
        sheet.write(2, col, text)

    def serial(day: dt.date) -> float:
        return float((day - dt.date(1899, 12, 30)).days)

    rows = [
        # (date, time, recorded by, type, details, action); date "serial" = General cell.
        (
            ("date", d("22/04/2024")),
            "08:50",
            "Class teacher",
            "School contact",
            "Sibling B arrived without a coat and said there was no breakfast at home.",
            "Breakfast club place offered.",
        ),
        (
            ("serial", d("31/05/2024")),
            "13:05",
            "DSL Ruth Okafor",
            "Disclosure",
            "Sibling B told his teacher that Dean shouts at Mum and hit the wall.",
            "Referral to children's social care the same day.",
        ),
        (
            ("serial", d("02/06/2024")),
            "10:40",
            "DSL Ruth Okafor",
            "Disclosure",
            "Second disclosure: Sibling B said Dean hurt his arm. Mark seen on the forearm.",
            "Body map completed; police and social care informed.",
        ),
        (
            ("merged", d("16/09/2024")),
            "09:00",
            "Attendance officer",
            "School contact",
            "Attendance for the first two weeks of term 60 percent.",
            "Letter home.",
        ),
        (
            ("merged-below", None),
            "15:30",
            "DSL Ruth Okafor",
            "School contact",
            "Mother collected Sibling B late and appeared unwell.",
            "Welfare conversation; logged on CPOMS.",
        ),
        (
            ("serial", d("11/12/2024")),
            "",
            "Head teacher",
            "Core group meeting",
            "Attended core group; school reported improved attendance of 91 percent.",
            "Continue breakfast club.",
        ),
    ]
    r = 3
    for (kind, day), time, who, typ, details, action in rows:
        if kind == "date":
            sheet.write(r, 0, day, date_style)
        elif kind == "serial":
            sheet.write(r, 0, serial(day))
        elif kind == "merged":
            sheet.write_merge(r, r + 1, 0, 0, day, date_style)
        for col, value in enumerate([time, who, typ, details, action], start=1):
            if value:
                sheet.write(r, col, value, wrap if col == 4 else xlwt.Style.default_style)
        r += 1
    sheet.col(4).width = 256 * 60
    book.save(str(RETURNS / "School return.xls"))


# --- Ambulance: an .ods with a Date/time column ----------------------------------------


def ambulance() -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    doc.meta.addElement(
        __import__("odf.meta", fromlist=["CreationDate"]).CreationDate(text=FIXED.isoformat())
    )
    wide = Style(name="wide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="8cm"))
    doc.automaticstyles.addElement(wide)
    table = Table(name="Return")
    for _ in range(5):
        table.addElement(TableColumn(stylename=wide))

    def text_cell(value: str) -> TableCell:
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=value))
        return cell

    def stamp_cell(value: dt.datetime) -> TableCell:
        cell = TableCell(valuetype="date", datevalue=value.strftime("%Y-%m-%dT%H:%M:%S"))
        cell.addElement(P(text=value.strftime("%d/%m/%Y %H:%M")))
        return cell

    def add(values: list[object]) -> None:
        row = TableRow()
        for value in values:
            if isinstance(value, dt.datetime):
                row.addElement(stamp_cell(value))
            elif value is None:
                row.addElement(TableCell())
            else:
                row.addElement(text_cell(str(value)))
        table.addElement(row)

    add(["Date/time", "Call type", "Job number", "Details", "Outcome"])
    add(
        [
            dtm("19/10/2024 21:12"),
            "Emergency call",
            "NAS-24-77812",
            "Mother called: Child A, aged 2, had a high temperature and a rash. Crew noted the "
            "home was very cold and there was little food.",
            "Conveyed to Easthaven General Hospital. Safeguarding referral made by the crew.",
        ]
    )
    add(
        [
            dtm("05/01/2026 18:02"),
            "Emergency call",
            "NAS-26-00431",
            "999 call: Child A unresponsive after a fall down the stairs, per Mother's partner. "
            "Injuries not consistent with the account.",
            "Blue-light transfer to the major trauma centre; police requested.",
        ]
    )
    doc.spreadsheet.addElement(table)
    path = RETURNS / "Ambulance return.ods"
    doc.save(str(path))
    fixed_zip(path)


# --- Probation: a numbered template with a pre-filled Agency column ---------------------


def probation() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    _props(wb)
    ws = wb.active
    ws.title = "Chronology"
    ws.append(
        [
            "No.",
            "Agency",
            "Date",
            "Officer",
            "Contact type",
            "Contact summary",
            "Action",
            "Comments",
        ]
    )
    agency = "Northshire Probation Service"
    rows = [
        (
            "April 2024",
            "Probation officer",
            "Other",
            "Dean Voss released on licence; the release date in the record is the month only.",
            "Licence conditions explained.",
            "No check made on the children at his new address.",
        ),
        (
            d("20/05/2024"),
            "Probation officer",
            "Office visit",
            "Dean Voss reported; said he had not been at Larkspur Close on 12/05/2024.",
            "Police incident log requested.",
            None,
        ),
        (
            "unknown",
            "Probation officer",
            "Telephone call",
            "Call from Dean Voss to say he had moved address.",
            "Address check requested.",
            None,
        ),
        (
            d("28/08/2024"),
            "Senior probation officer",
            "Information sharing",
            "Informed by police of the arrest for criminal damage on 27/08/2024.",
            "Licence breach considered; warning letter issued.",
            "Risk to children not reassessed.",
        ),
        (
            d("15/11/2024"),
            "Probation officer",
            "Information sharing",
            "Police reported the breach of bail at the family home.",
            "Recall to prison considered; not pursued.",
            None,
        ),
    ]
    number = 1
    for day, who, typ, summary, action, comment in rows:
        ws.append([number, agency, day, who, typ, summary, action, comment])
        number += 1
    while number <= 12:
        ws.append([number, agency])
        number += 1
    for row in ws.iter_rows(min_row=2):
        if isinstance(row[2].value, dt.date):
            row[2].number_format = "dd/mm/yyyy"
    path = RETURNS / "Probation return.xlsx"
    wb.save(path)
    fixed_zip(path)


def main() -> None:
    RETURNS.mkdir(parents=True, exist_ok=True)
    for make in (police, social_care, health_visiting, gp, school, ambulance, probation):
        make()
    for path in sorted(RETURNS.iterdir()):
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
