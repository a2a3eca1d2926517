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


@dataclass(frozen=True)
class SheetInfo:
    name: str
    index: int
    visible: bool


def is_hidden_or_lock_file(path: Path) -> bool:
    """Excel/Word owner files (``~$x.xlsx``) and hidden files are never inputs."""
    return path.name.startswith("~$") or path.name.startswith(".")


def _unreadable(path: Path, problem: str, advice: str | None = None) -> UnreadableInputError:
    return UnreadableInputError(
        problem,
        file=path,
        advice=advice
        or "ask the agency to send it again as an Excel workbook (.xlsx), then run again",
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
    if head.startswith(_CFB_MAGIC) and _is_encrypted_ooxml(path):
        # An OOXML file wrapped in an OLE container is how Office stores an encrypted one.
        raise _unreadable(path, "is protected with a password", PROTECTED_ADVICE)
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
            raise _unreadable(self.path, "is protected with a password", PROTECTED_ADVICE) from None
        except Exception as exc:  # calamine raises many kinds for damaged files
            text = str(exc).lower()
            if "password" in text or "encrypt" in text:
                raise _unreadable(
                    self.path, "is protected with a password", PROTECTED_ADVICE
                ) from None
            raise _unreadable(self.path, "is damaged or incomplete and cannot be read") from None
        sheets = []
        for index, item in enumerate(meta):
            visible = str(getattr(item, "visible", "Visible")).lower().endswith("visible") and (
                "hidden" not in str(getattr(item, "visible", "")).lower()
            )
            typ = str(getattr(item, "typ", "WorkSheet")).lower()
            if "chart" in typ:
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
            raise _unreadable(self.path, "is protected with a password", PROTECTED_ADVICE) from None
        except Exception:
            raise _unreadable(
                self.path, f'sheet "{sheet.name}" is damaged and cannot be read'
            ) from None
        rows = [[None if c == "" else c for c in r] for r in values]
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
    return [[(c if c.strip() else None) for c in r] for r in rows]


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
