"""Streaming big sheets into a workbook that openpyxl laid out.

openpyxl spends about ten microseconds on every cell it writes, even in write-only mode;
a merged chronology of 30,000 rows has over 300,000 cells. So openpyxl lays out the
workbook (styles, tables, charts, column widths, the header row) and the rows of the big
sheets are then written straight into their ``<sheetData>`` as XML text here, with
styles openpyxl registered. Every text value is written as an inline string, so it is
never read as a formula, whatever it starts with.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_ORDINAL_EPOCH = _EXCEL_EPOCH.toordinal()
#: XML 1.0 forbids these characters; Excel refuses a file that holds them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Excel reads "_x0041_" in a string as an escaped character; escape the underscore.
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
MAX_CELL_TEXT = 32767


def clean_text(text: str) -> str:
    """Text as a cell may hold it: no control characters, ``\\n`` line ends, within limits."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 40] + " [cut: the rest is in the source file]"
    return text


def escape(text: str) -> str:
    """Text for XML: markup escaped, characters XML cannot hold dropped."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F_\1", text)
    return text


def column_letters(count: int) -> list[str]:
    from scrtool.readers.spreadsheets import column_letter

    return [column_letter(i) for i in range(count)]


def excel_serial(day: dt.date) -> int:
    """The 1900-system serial number of a date: Excel counts a 29 February 1900 that never
    was (serial 60), so days before 1 March 1900 are one lower than the count from 1899."""
    serial = day.toordinal() - _ORDINAL_EPOCH
    return serial - 1 if serial < 61 else serial


def excel_time(value: dt.time) -> float:
    return (value.hour * 3600 + value.minute * 60 + value.second) / 86400


def text_cell(ref: str, text: str, style: int) -> str:
    return (
        f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
        f"{escape(text)}</t></is></c>"
    )


def number_cell(ref: str, value: float | int, style: int) -> str:
    return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'


def stitch(
    skeleton: bytes,
    target: Path,
    bodies: Mapping[str, Iterable[str]],
    dimensions: Mapping[str, str],
) -> None:
    """Copy the workbook ``skeleton`` to ``target``, appending rows to some sheets.

    ``bodies`` maps a sheet's part name (``xl/worksheets/sheet1.xml``) to the XML of the
    rows that follow its header row; ``dimensions`` gives each sheet's used range.
    """
    with (
        zipfile.ZipFile(io.BytesIO(skeleton)) as src,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            body = bodies.get(info.filename)
            if body is None:
                dst.writestr(info, data)
                continue
            xml = data.decode("utf-8")
            if "</sheetData>" in xml:
                head, _, tail = xml.partition("</sheetData>")
            else:
                head, _, tail = xml.partition("<sheetData/>")
                head += "<sheetData>"
            dim = dimensions.get(info.filename)
            if dim:
                head = re.sub(
                    r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dim}"/>', head, count=1
                )
            with dst.open(info.filename, "w", force_zip64=True) as out:
                out.write(head.encode("utf-8"))
                chunk: list[str] = []
                size = 0
                for piece in body:
                    chunk.append(piece)
                    size += len(piece)
                    if size > 1 << 20:
                        out.write("".join(chunk).encode("utf-8"))
                        chunk, size = [], 0
                out.write("".join(chunk).encode("utf-8"))
                out.write(("</sheetData>" + tail).encode("utf-8"))
