"""Make the spreadsheets under tests/data/spreadsheets/: ``python3 tests/data/make_spreadsheet_data.py``.

They are committed, so the tests need none of the tools used here.

- ``password 2002.xls``: an Excel 97-2003 workbook with a password to open, saved by
  LibreOffice through UNO exactly as an officer's "Save with password" does (RC4
  encryption, the FILEPASS record scrtool looks for). Needs LibreOffice and the system
  Python's ``uno`` module; run it with ``/usr/bin/python3``.
- ``password xor.xls``: an Excel 97-2003 workbook marked with the older XOR password
  (a FILEPASS record of type 0 after the first BOF, as Excel 2002 writes with "Weak
  encryption (XOR)"); calamine cannot open it and used to call it damaged.
- ``macro sheet.xls``: an Excel 97-2003 workbook whose second sheet is an Excel 4 macro
  sheet (a BOUNDSHEET record of type 1).
- ``macro sheet.xlsx``: a workbook whose second sheet is an Excel 4 macro sheet
  (``xl/macrosheets/``), as Excel saves one made with Insert > MS Excel 4.0 Macro.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "spreadsheets"
ZIP_TIME = (2026, 2, 1, 9, 0, 0)


def password_xls(target: Path) -> None:
    import uno  # type: ignore[import-not-found]
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    def prop(name: str, value: object) -> PropertyValue:
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    with tempfile.TemporaryDirectory() as tmp:
        pipe = f"scrtool{int(time.time())}"
        office = subprocess.Popen(
            [
                "soffice",
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{tmp}/profile",
                f"--accept=pipe,name={pipe};urp;",
            ]
        )
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local
            )
            for _ in range(60):
                try:
                    ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except Exception:
                    time.sleep(0.5)
            desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (prop("Hidden", True),))
            sheet = doc.Sheets.getByIndex(0)
            sheet.Name = "Chronology"
            rows = [("Date", "Details"), ("01/05/2024", "Home visit; all well.")]
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    sheet.getCellByPosition(c, r).setString(value)
            doc.storeToURL(
                uno.systemPathToFileUrl(str(target)),
                (prop("FilterName", "MS Excel 97"), prop("Password", "review")),
            )
            doc.close(True)
        finally:
            office.terminate()
            office.wait(30)


def _xls_stream(rows: list[tuple[str, str]], *, macro: bool = False) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Chronology")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    if macro:
        book.add_sheet("Macro1").write(0, 0, "=HALT()")
    return book.get_biff_data()


def _save_xls(stream: bytes, target: Path) -> None:
    from xlwt.CompoundDoc import XlsDoc

    buffer = io.BytesIO()
    XlsDoc().save(buffer, stream)
    target.write_bytes(buffer.getvalue())


def _records(stream: bytes):
    import struct

    pos = 0
    while pos + 4 <= len(stream):
        typ, length = struct.unpack_from("<HH", stream, pos)
        yield pos, typ, length
        pos += 4 + length


def password_xor_xls(target: Path) -> None:
    import struct

    stream = _xls_stream([("Date", "Details"), ("01/05/2024", "Home visit; all well.")])
    first = next(_records(stream))
    cut = first[0] + 4 + first[2]
    # FILEPASS, XOR obfuscation: wEncryptionType 0, key, verifier (MS-XLS 2.4.117).
    filepass = struct.pack("<HHHHH", 0x002F, 6, 0, 0x1A2B, 0xCC4D)
    shifted = stream[:cut] + filepass + stream[cut:]
    _save_xls(_fix_sheet_offsets(shifted, len(filepass)), target)


def _fix_sheet_offsets(stream: bytes, shift: int) -> bytes:
    """BOUNDSHEET records point at each sheet's BOF: move them by the bytes inserted."""
    import struct

    data = bytearray(stream)
    for pos, typ, _length in _records(stream):
        if typ == 0x0085:
            (offset,) = struct.unpack_from("<I", data, pos + 4)
            struct.pack_into("<I", data, pos + 4, offset + shift)
        if typ == 0x000A:
            break
    return bytes(data)


def macro_sheet_xls(target: Path) -> None:
    import struct

    stream = bytearray(
        _xls_stream([("Date", "Details"), ("01/05/2024", "Home visit; all well.")], macro=True)
    )
    sheets = [pos for pos, typ, _ in _records(bytes(stream)) if typ == 0x0085]
    # The second sheet's type byte: 1 is an Excel 4 macro sheet (MS-XLS 2.4.28).
    struct.pack_into("<B", stream, sheets[1] + 4 + 5, 1)
    _save_xls(bytes(stream), target)


def macro_sheet_xlsx(target: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws.append(["Date", "Details"])
    ws.append(["01/05/2024", "Home visit; all well."])
    wb.create_sheet("Macro1")["A1"] = "=HALT()"
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            name, data = item.filename, src.read(item.filename)
            if name == "xl/worksheets/sheet2.xml":
                name = "xl/macrosheets/sheet1.xml"
                data = data.replace(
                    b"<worksheet ",
                    b'<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" ',
                ).replace(b"</worksheet>", b"</xm:macrosheet>")
            elif name == "xl/_rels/workbook.xml.rels":
                data = re.sub(
                    rb'Type="[^"]*worksheet" Target="(/xl/)?worksheets/sheet2.xml"',
                    rb'Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" '
                    rb'Target="/xl/macrosheets/sheet1.xml"',
                    data,
                )
            elif name == "[Content_Types].xml":
                data = data.replace(
                    b'PartName="/xl/worksheets/sheet2.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"',
                    b'PartName="/xl/macrosheets/sheet1.xml" '
                    b'ContentType="application/vnd.ms-excel.macrosheet+xml"',
                )
            elif name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-02-01T09:00:00Z", data
                )
            dst.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data)
    target.write_bytes(out.getvalue())


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    if "--xlsx-only" not in sys.argv:
        password_xls(HERE / "password 2002.xls")
    password_xor_xls(HERE / "password xor.xls")
    macro_sheet_xls(HERE / "macro sheet.xls")
    macro_sheet_xlsx(HERE / "macro sheet.xlsx")
