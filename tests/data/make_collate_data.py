"""Make the messy returns under tests/data/collate/: ``python3 tests/data/make_collate_data.py``.

They are committed, so the tests need none of the tools used here (``msoffcrypto-tool``
makes the real password-protected workbook: ``pip install msoffcrypto-tool``).

- ``password.xlsx``: a real workbook encrypted with the password "review", as Excel's
  File > Info > Protect Workbook > Encrypt with Password saves it.
- ``truncated.xlsx``: the first half of a good workbook (a download that stopped).
- ``web page.xls``: an HTML table saved with an .xls name, as case systems export it.
- ``macro.xlsm``: a macro-enabled workbook with a VBA project part (never run).
- ``messy return.xlsx``: instructions above the header in the same sheet (header on
  row 12), "Date of\\ncontact*" with a line break and a footnote star, blank columns,
  dates typed a dozen ways, times with "hrs" and "approx", a repeated header row, an
  "END OF CHRONOLOGY" line, spaces around values.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "collate"
ZIP_TIME = (2026, 2, 1, 9, 0, 0)


def _fixed(data: bytes, extra: dict[str, bytes] | None = None, types: bytes | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                import re

                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-02-01T09:00:00Z", body)
            if item.filename == "[Content_Types].xml" and types is not None:
                body = types
            dst.writestr(zipfile.ZipInfo(item.filename, date_time=ZIP_TIME), body)
        for name, body in (extra or {}).items():
            dst.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), body)
    return out.getvalue()


def _book(rows: list[list[object]], title: str = "Chronology") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed(buffer.getvalue())


SIMPLE = [
    ["Date", "Details"],
    [dt.date(2024, 5, 1), "Home visit; all well."],
    [dt.date(2024, 5, 2), "Telephone call with Mother."],
]


def password() -> None:
    import msoffcrypto.format.ooxml

    plain = io.BytesIO(_book(SIMPLE))
    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("review", out)
    (HERE / "password.xlsx").write_bytes(out.getvalue())


def truncated() -> None:
    data = _book(SIMPLE * 40)
    (HERE / "truncated.xlsx").write_bytes(data[: len(data) // 2])


def web_page() -> None:
    (HERE / "web page.xls").write_text(
        "<html><body><table><tr><td>Date</td><td>Details</td></tr>"
        "<tr><td>01/05/2024</td><td>Home visit</td></tr></table></body></html>\n",
        encoding="utf-8",
    )


def macro() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Chronology"
    for row in SIMPLE:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        types = zf.read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ).replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    # Not a working VBA project: scrtool must never look inside one, let alone run it.
    vba = b"Attribute VB_Name = \"Module1\"\r\nSub Auto_Open()\r\n  Kill \"C:\\*.*\"\r\nEnd Sub\r\n"
    (HERE / "macro.xlsm").write_bytes(_fixed(buffer.getvalue(), {"xl/vbaProject.bin": vba}, types))


def messy() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Return"
    lines = [
        "NORTHSHIRE SAFEGUARDING CHILDREN PARTNERSHIP",
        "Agency chronology template (version 3.2)",
        "",
        "Guidance:",
        "1. One row per contact.",
        "2. Dates as DD/MM/YYYY please.",
        "3. Do not merge cells.",
        "Agency:   Easthaven Housing Association",
        "Completed by: Tenancy Services",
        "Date completed: 14/02/2026",
        "",
    ]
    for line in lines:
        ws.append([line] if line else [])
    ws.append(["Date of\ncontact*", None, "  Time  ", "Type", None, "Details of involvement", "Outcome / Action", "Officer"])
    rows = [
        [" 3.4.23 ", None, "14.30hrs", "Home visit", None, "  Tenancy visit; rent arrears discussed.  ", "Payment plan agreed.", "J. Morrow"],
        ["03-Apr-2023", None, "approx 3pm", "Telephone call", None, "Mother rang about damp in the bedroom.", "Repair ordered.", "J. Morrow"],
        ["Mon 3rd April 2023", None, None, "Letter", None, "Letter confirming the repair date.", None, "Repairs team"],
        ["3/4/2023 (approx)", None, None, "Other", None, "Neighbour complaint about noise (date estimated).", "Warning letter.", "ASB team"],
        [None, None, None, None, None, None, None, None],
        ["Date of\ncontact*", None, "  Time  ", "Type", None, "Details of involvement", "Outcome / Action", "Officer"],
        ["N/A", None, None, "Other", None, "Gas safety check refused (date not known).", None, "Gas team"],
        ["2023-06-01 09:15", None, None, "Home visit", None, "Gas safety check completed.", None, "Gas team"],
        ["June 2023", None, None, "Other", None, "Tenancy audit (month only in the system).", None, "Audit"],
        ["30/06/2023", None, "25:00", "Home visit", None, "Evening visit; time recorded wrongly.", None, "J. Morrow"],
        [45108, None, 0.4375, "Home visit", None, "Serial date typed into a General cell.", None, "J. Morrow"],
        ["END OF CHRONOLOGY", None, None, None, None, None, None, None],
    ]
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    (HERE / "messy return.xlsx").write_bytes(_fixed(buffer.getvalue()))


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    for make in (password, truncated, web_page, macro, messy):
        make()
    for path in sorted(HERE.iterdir()):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
