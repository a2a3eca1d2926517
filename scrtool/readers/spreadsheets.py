"""Rows out of the spreadsheets agencies send: .xlsx, .xlsm, .xls, .ods and .csv.

python-calamine reads the binary formats (fast, and it never runs macros); CSV is read
with the standard library after working out its encoding, since returns come from
Excel on Windows as often as from anything else. Every failure is an
``UnreadableInputError`` naming the file and saying what the sender must do.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrtool.errors import Reason, UnreadableInputError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")

Cell = Any  # str | int | float | bool | datetime.date | datetime.datetime | datetime.time | datetime.timedelta | None

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"

PROTECTED_ADVICE = (
    "ask the agency to send a copy without a password (in Excel: File, Info, "
    "Protect Workbook, Encrypt with Password, and clear the password), then run again"
)
MACRO_SHEET_ADVICE = (
    "a macro sheet can hold commands, so scrtool does not open the workbook; ask the "
    "agency to copy the chronology into a new workbook without the macro sheet, save it as "
    "an Excel Workbook (.xlsx) and send that, then run again"
)

#: The errors Excel and LibreOffice show in a cell whose formula failed.
ERROR_TEXTS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!",
     "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA", "Err:502",
     "Err:504", "Err:508", "Err:511", "Err:522"}
)  # fmt: skip


class CellError(str):
    """A cell showing a formula's error (``#N/A``, ``#VALUE!``): not empty, not a value."""

    __slots__ = ()

    def describe(self) -> str:
        return f"the error {self} (a formula that did not work)"


#: The first day of Excel's 1900 calendar, and the 29 February 1900 Excel shows for serial
#: 60 though it never existed (Lotus 1-2-3's leap-year mistake, kept for compatibility).
EXCEL_PHANTOM_DAY = "29/02/1900"


@dataclass(frozen=True)
class SheetInfo:
    name: str
    index: int
    visible: bool


def is_hidden_or_lock_file(path: Path) -> bool:
    """Excel/Word owner files (``~$x.xlsx``) and hidden files are never inputs."""
    return path.name.startswith("~$") or path.name.startswith(".")


def _unreadable(
    path: Path, problem: str, advice: str | None = None, reason: Reason = Reason.DAMAGED
) -> UnreadableInputError:
    return UnreadableInputError(
        problem,
        file=path,
        advice=advice
        or "ask the agency to send it again as an Excel workbook (.xlsx), then run again",
        reason=reason,
    )


def _protected(path: Path) -> UnreadableInputError:
    return _unreadable(
        path, "is protected with a password", PROTECTED_ADVICE, reason=Reason.ENCRYPTED
    )


def sniff(path: Path) -> None:
    """Catch the common ways a file is not what its name says, before a parser is confused."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            size = path.stat().st_size
    except FileNotFoundError:
        raise UnreadableInputError(
            "does not exist",
            file=path,
            advice="check the file name and folder, then run again",
            reason=Reason.MISSING,
        ) from None
    except IsADirectoryError:
        raise UnreadableInputError(
            "is a folder, not a file", file=path, reason=Reason.NOT_A_FILE
        ) from None
    except OSError as exc:
        raise UnreadableInputError(
            f"cannot be opened ({exc.strerror or exc})",
            file=path,
            advice="check that you may read it and that it is not open elsewhere, then run again",
        ) from None
    if size == 0:
        raise _unreadable(path, "is empty (0 bytes)")
    suffix = path.suffix.lower()
    if head.startswith(_CFB_MAGIC) and (_is_encrypted_ooxml(path) or _xls_is_encrypted(path)):
        # An OOXML file wrapped in an OLE container is how Office stores an encrypted one;
        # an Excel 97-2003 file with a password has a FILEPASS record among its globals.
        raise _protected(path)
    if suffix in (".xlsx", ".xlsm", ".ods") and not head.startswith((_ZIP_MAGIC, _CFB_MAGIC)):
        raise _unreadable(
            path,
            f"is not a real {suffix} workbook (it may be another kind of file renamed, or damaged)",
        )
    if suffix == ".xls" and not head.startswith((_CFB_MAGIC, _ZIP_MAGIC)):
        raise _unreadable(
            path,
            "is not a real Excel 97-2003 workbook (it may be a web page or text file saved with an .xls name)",
            "open it in Excel and save it as an Excel Workbook (.xlsx), then run again",
        )


def _is_encrypted_ooxml(path: Path) -> bool:
    """Office's encrypted workbooks are OLE containers holding an ``EncryptionInfo`` stream."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return "EncryptionInfo".encode("utf-16-le") in data


def _content_kind(path: Path) -> str:
    """``zip`` (.xlsx/.ods), ``cfb`` (.xls) or ``other``, from the file's first bytes."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_CFB_MAGIC):
        return "cfb"
    return "other"


def _workbook_is_1904(path: Path) -> bool:
    """Whether an .xlsx counts dates from 1904 (Excel for Mac's old default)."""
    import re
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("xl/workbook.xml")[:20000]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return re.search(rb'date1904="(?:1|true)"', xml) is not None


class Workbook:
    """One spreadsheet file, opened once; sheets are read only when asked for."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.suffix = self.path.suffix.lower()
        if self.suffix not in SPREADSHEET_SUFFIXES:
            raise _unreadable(
                self.path,
                f"is not a spreadsheet scrtool reads ({', '.join(SPREADSHEET_SUFFIXES)})",
                (
                    "if it is a table saved from Excel as Text or Unicode Text, rename it to "
                    "end in .csv; otherwise ask the agency to send it as an Excel workbook "
                    "(.xlsx); then run again"
                )
                if self.suffix in (".txt", ".tsv", ".tab")
                else None,
            )
        sniff(self.path)
        self._csv_rows: list[list[Cell]] | None = None
        self._book: Any = None
        self._merged: dict[str, list[Any]] = {}
        self._is_ods = False
        #: For .xlsx/.xlsm: error cells and serial-60 cells by sheet, read from the XML,
        #: since calamine shows an error cell as empty and 29/02/1900 as 28/02/1900.
        self._xlsx_cells: dict[str, dict[tuple[int, int], Any]] | None = None
        #: True when serial numbers count from 1904 (only known for .xlsx/.xlsm).
        self.date1904 = False
        kind = _content_kind(self.path)
        if self.suffix == ".csv" and kind == "other":
            self._csv_rows = read_csv(self.path)
            self.sheets = [SheetInfo(name=self.path.stem, index=0, visible=True)]
        else:
            # A workbook saved under another format's name (an .xls renamed .xlsx, an
            # Excel file called .csv) is read for what it is, not what it is called.
            by_content = kind != {".xls": "cfb", ".csv": "other"}.get(self.suffix, "zip")
            self._open_calamine(by_content=by_content)
            if kind == "zip":
                self.date1904 = _workbook_is_1904(self.path)
                self._is_ods = _is_ods(self.path)
                if not self._is_ods:
                    self._xlsx_cells = {}

    def _open_calamine(self, *, by_content: bool = False) -> None:
        import python_calamine as pc

        try:
            if by_content:
                with self.path.open("rb") as fh:
                    self._book = pc.CalamineWorkbook.from_filelike(fh)
            else:
                self._book = pc.CalamineWorkbook.from_path(str(self.path))
            meta = self._book.sheets_metadata
        except pc.PasswordError:
            raise _protected(self.path) from None
        except Exception:  # calamine raises many kinds for damaged files
            # Say why from the file's own structure, never from the library's wording.
            kind = _content_kind(self.path)
            if kind == "cfb" and _xls_is_encrypted(self.path):
                raise _protected(self.path) from None
            macro = _macro_sheets(self.path, kind)
            if macro:
                names = ", ".join(f'"{n}"' for n in macro)
                raise _unreadable(
                    self.path,
                    f"holds an Excel 4 macro sheet ({names})",
                    MACRO_SHEET_ADVICE,
                    reason=Reason.MACRO_SHEET,
                ) from None
            raise _unreadable(self.path, "is damaged or incomplete and cannot be read") from None
        sheets = []
        for index, item in enumerate(meta):
            visible = str(getattr(item, "visible", "Visible")).lower().endswith("visible") and (
                "hidden" not in str(getattr(item, "visible", "")).lower()
            )
            typ = str(getattr(item, "typ", "WorkSheet")).lower()
            if "chart" in typ or "macro" in typ or "module" in typ:
                # A chart, an Excel 4 macro sheet or a VBA module holds no rows to read.
                continue
            sheets.append(SheetInfo(name=item.name, index=index, visible=visible))
        self.sheets = sheets

    def rows(self, sheet: SheetInfo, *, fill_merged: bool = False) -> list[list[Cell]]:
        """The sheet's rows, so that ``rows[i]`` is sheet row ``i + 1`` and column A is 0.

        ``fill_merged`` copies a merged cell's value down the rows it covers, the way a
        person reads it (a date merged down over three entries applies to all three).
        Across columns the value stays in the first one only, so it is never doubled.
        """
        if self._csv_rows is not None:
            return self._csv_rows
        import python_calamine as pc

        try:
            data = self._book.get_sheet_by_name(sheet.name)
            values = data.to_python(skip_empty_area=False)
            try:
                self._merged[sheet.name] = list(data.merged_cell_ranges or [])
            except Exception:  # older calamine, or a format without merged cells
                self._merged[sheet.name] = []
            merged = self._merged[sheet.name] if fill_merged else []
        except pc.PasswordError:
            raise _protected(self.path) from None
        except Exception:
            raise _unreadable(
                self.path, f'sheet "{sheet.name}" is damaged and cannot be read'
            ) from None
        ods = self._is_ods
        plain = _PLAIN_ODS if ods else _PLAIN
        rows = [
            [None if c == "" else (c if c.__class__ in plain else _as_read(c, ods=ods)) for c in r]
            for r in values
        ]
        if self._xlsx_cells is not None:
            self._mark_raw_cells(sheet, rows)
        for (top, left), (bottom, _right) in merged:
            if top >= len(rows) or left >= len(rows[top]):
                continue
            value = rows[top][left]
            for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
                row = rows[r]
                if len(row) <= left:
                    row.extend([None] * (left + 1 - len(row)))
                row[left] = value
        return rows

    def _mark_raw_cells(self, sheet: SheetInfo, rows: list[list[Cell]]) -> None:
        assert self._xlsx_cells is not None
        if sheet.name not in self._xlsx_cells:
            self._xlsx_cells[sheet.name] = _xlsx_raw_cells(self.path, sheet.name)
        for (r, c), value in self._xlsx_cells[sheet.name].items():
            if r >= len(rows):
                continue
            row = rows[r]
            if len(row) <= c:
                row.extend([None] * (c + 1 - len(row)))
            if isinstance(value, CellError):
                if row[c] is None:
                    row[c] = value
            elif isinstance(row[c], (dt.date, dt.datetime)) and _as_date(row[c]) == dt.date(
                1900, 2, 28
            ):
                # Serial 60: the day Excel shows as 29/02/1900, which never was.
                row[c] = EXCEL_PHANTOM_DAY

    def merged_ranges(self, sheet: SheetInfo) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """The merged areas of a sheet already read, as ((top, left), (bottom, right)) from 0."""
        if sheet.name not in self._merged and self._csv_rows is None:
            self.rows(sheet)
        return list(self._merged.get(sheet.name, []))

    def close(self) -> None:
        if self._book is not None:
            try:
                self._book.close()
            except Exception:
                pass
            self._book = None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


_ODS_DURATION = re.compile(r"^-?PT?(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")


def round_seconds(value: Any) -> Any:
    """A date-time or time to the nearest second, as Excel shows it (16:17:36.96 is :37)."""
    if isinstance(value, dt.datetime):
        if value.microsecond:
            value = value.replace(microsecond=0) + dt.timedelta(
                seconds=1 if value.microsecond >= 500_000 else 0
            )
        return value
    if isinstance(value, dt.time):
        if value.microsecond:
            stamp = dt.datetime.combine(dt.date(2000, 1, 1), value)
            return round_seconds(stamp).time().replace(tzinfo=value.tzinfo)
        return value
    return value


def time_of_day(length: dt.timedelta) -> dt.time:
    """The time a time-only cell shows when its value arrives as a length of time.

    LibreOffice keeps a time-only cell as a duration (PT16H17M36S); one that once held a
    date and time keeps the days too (PT296296H17M36S): the clock shows what is left
    over after whole days, to the nearest second.
    """
    seconds = round(length.total_seconds()) % 86400
    return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


#: Cell types calamine hands over that are already as a person reads them.
_PLAIN = frozenset({str, int, float, bool, dt.date})
_PLAIN_ODS = frozenset({int, float, bool, dt.date})


def _as_read(value: Any, *, ods: bool) -> Cell:
    """A cell from calamine as a person reads it in the sheet."""
    if value == "":
        return None
    if isinstance(value, (dt.datetime, dt.time)):
        return round_seconds(value)
    if ods and isinstance(value, dt.timedelta):
        return time_of_day(value)
    if ods and isinstance(value, str) and value.startswith(("PT", "-PT", "P")):
        match = _ODS_DURATION.match(value)
        if match and any(match.groups()):
            days, hours, minutes, seconds = match.groups()
            return time_of_day(
                dt.timedelta(
                    days=int(days or 0),
                    hours=int(hours or 0),
                    minutes=int(minutes or 0),
                    seconds=float(seconds or 0),
                )
            )
    if isinstance(value, str) and value in ERROR_TEXTS and ods:
        return CellError(value)
    return value  # type: ignore[no-any-return]


def _is_ods(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            return zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_REF = re.compile(rb"([A-Z]+)(\d+)")


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return {k.split(b":")[-1]: v for k, v in _ATTR.findall(tag)}


def _xlsx_sheet_parts(path: Path) -> list[tuple[str, str, str]]:
    """(sheet name, relationship type, part name) for each sheet of an .xlsx."""
    import html
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            book = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
    except (OSError, KeyError, zipfile.BadZipFile):
        return []
    targets: dict[bytes, tuple[str, str]] = {}
    for tag in _REL.findall(rels):
        a = _attrs(tag)
        target = a.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
        if not target.startswith("xl/"):
            target = "xl/" + target
        targets[a.get(b"Id", b"")] = (a.get(b"Type", b"").decode("utf-8", "replace"), target)
    out = []
    for tag in _SHEET_ENTRY.findall(book):
        a = _attrs(tag)
        name = html.unescape(a.get(b"name", b"").decode("utf-8", "replace"))
        typ, target = targets.get(a.get(b"id", b""), ("", ""))
        out.append((name, typ, target))
    return out


def _macro_sheets(path: Path, kind: str) -> list[str]:
    """The names of a workbook's Excel 4 macro sheets (.xlsx/.xlsm or .xls)."""
    if kind == "zip":
        return [
            name
            for name, typ, target in _xlsx_sheet_parts(path)
            if typ.lower().endswith("macrosheet") or "/macrosheets/" in target
        ]
    if kind == "cfb":
        return [name for name, sheet_type in _xls_sheets(path) if sheet_type == 1]
    return []


def _xlsx_raw_cells(path: Path, sheet: str) -> dict[tuple[int, int], Any]:
    """Error cells (``t="e"``) and cells holding serial 60, from one sheet's XML."""
    import zipfile

    part = next((t for n, _typ, t in _xlsx_sheet_parts(path) if n == sheet), None)
    if part is None:
        return {}
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read(part)
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    if b't="e"' not in xml and b">60<" not in xml:
        return {}
    out: dict[tuple[int, int], Any] = {}
    for attrs, body in _CELL.findall(xml):
        a = _attrs(attrs)
        ref = _REF.match(a.get(b"r", b""))
        if ref is None or not body:
            continue
        value = _VALUE.search(body)
        if value is None:
            continue
        col = 0
        for ch in ref.group(1):
            col = col * 26 + ch - 64
        place = (int(ref.group(2)) - 1, col - 1)
        if a.get(b"t") == b"e":
            out[place] = CellError(value.group(1).decode("utf-8", "replace"))
        elif a.get(b"t", b"n") == b"n" and re.fullmatch(rb"60(?:\.\d*)?", value.group(1)):
            out[place] = 60
    return out


def _xls_globals(path: Path) -> bytes:
    """The start of an .xls file's Workbook stream (its global records), or b""."""
    try:
        import olefile
    except ImportError:  # pragma: no cover
        return b""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            for name in ("Workbook", "Book"):
                if ole.exists(name):
                    with ole.openstream(name) as stream:
                        return stream.read(1 << 20)  # type: ignore[no-any-return]
    except Exception:  # not an OLE file olefile can read: leave the verdict to calamine
        return b""
    return b""


def _xls_records(data: bytes) -> Iterator[tuple[int, bytes]]:
    pos = 0
    while pos + 4 <= len(data):
        typ, length = struct.unpack_from("<HH", data, pos)
        yield typ, data[pos + 4 : pos + 4 + length]
        if typ == 0x000A:  # EOF: the end of the global records
            return
        pos += 4 + length


def _xls_is_encrypted(path: Path) -> bool:
    """A FILEPASS record among the globals: the workbook has a password to open (XOR
    obfuscation or RC4, as Excel 97 to 2003 save it)."""
    return any(typ == 0x002F for typ, _ in _xls_records(_xls_globals(path)))


def _xls_sheets(path: Path) -> list[tuple[str, int]]:
    """(name, type) from each BOUNDSHEET record: type 0 worksheet, 1 macro sheet, 2 chart."""
    out = []
    for typ, body in _xls_records(_xls_globals(path)):
        if typ != 0x0085 or len(body) < 8:
            continue
        length, flags = body[6], body[7]
        raw = body[8:]
        name = (
            raw[: length * 2].decode("utf-16-le", "replace")
            if flags & 1
            else raw[:length].decode("latin-1")
        )
        out.append((name, body[5]))
    return out


def decode_text(path: Path, raw: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252, as Excel writes CSV."""
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            return raw.decode(codec)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def read_csv(path: Path) -> list[list[Cell]]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _unreadable(path, "is not a text (CSV) file despite its name")
    text = decode_text(path, raw)
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise _unreadable(path, f"is not a well-formed CSV file ({exc})") from None
    return [
        [
            (CellError(c.strip()) if c.strip() in ERROR_TEXTS else c) if c.strip() else None
            for c in r
        ]
        for r in rows
    ]


def iter_input_files(
    paths: list[Path], *, note_others: bool = False
) -> Iterator[tuple[Path, str | None]]:
    """Expand files and folders; yields ``(path, note)`` where a note means it is skipped.

    ``note_others`` also yields, with a note, files in a folder that are not
    spreadsheets (a covering letter saved beside the returns), so nothing is left out
    without a word.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir(), key=lambda p: p.name.casefold()):
                if not child.is_file():
                    if note_others and child.is_dir() and not is_hidden_or_lock_file(child):
                        yield (
                            child,
                            f"{child}: skipped, it is a folder (returns in a folder inside "
                            "are not read; name that folder too to include them)",
                        )
                    continue
                if child.suffix.lower() not in SPREADSHEET_SUFFIXES:
                    if note_others and is_hidden_or_lock_file(child):
                        yield child, _skip_note(child)
                    elif note_others:
                        yield (
                            child,
                            (
                                f"{child}: skipped, it is not a spreadsheet "
                                f"({', '.join(SPREADSHEET_SUFFIXES)})"
                            ),
                        )
                    continue
                if is_hidden_or_lock_file(child):
                    yield child, _skip_note(child)
                else:
                    yield child, None
        else:
            if is_hidden_or_lock_file(path):
                yield path, _skip_note(path)
            else:
                yield path, None


def _skip_note(path: Path) -> str:
    if path.name.startswith("~$"):
        return f"{path}: skipped, it is a lock file Excel leaves while a workbook is open"
    if path.name.startswith(".~lock.") and path.name.endswith("#"):
        return f"{path}: skipped, it is a lock file LibreOffice leaves while a file is open"
    return f"{path}: skipped, it is a hidden file"


def cell_text(value: Cell) -> str:
    """A cell as text, the way a person would read it in the sheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.timedelta):
        return time_of_day(value).strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).strip()


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out
