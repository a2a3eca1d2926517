"""File names for filled documents, from ``--name`` patterns and a row's values.

Names must survive Windows and shared drives: no reserved characters or device names,
no trailing dots, and short enough for the 260-character path limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scrtool.drafting.data import Row, identifier
from scrtool.drafting.jinja_env import display
from scrtool.errors import DataError

#: Names Windows refuses as a file name, with or without an extension.
RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{i}" for i in "123456789¹²³"]
    + [f"LPT{i}" for i in "123456789¹²³"]
)
UNSAFE_NAME_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
#: Short enough that a name fits in Windows' 260-character path limit on a shared drive.
MAX_NAME_LENGTH = 120
MAX_NAME_BYTES = 240

_FIELD = re.compile(r"\{([^{}]*)\}")


def safe_file_name(name: str, *, suffix: str = ".docx") -> str:
    """A name Windows and shared drives accept: no <>:"/\\|?*, no CON, no trailing dots."""
    name = unicodedata.normalize("NFC", name)
    name = UNSAFE_NAME_CHARS.sub("-", name)
    name = " ".join(name.split())
    if not name.lower().endswith(suffix):
        name = name.rstrip(". ") + suffix
    stem = name[: -len(suffix)].rstrip(". ")
    if not stem:
        stem = "document"
    base = stem.split(".")[0].rstrip(" ")
    if base.upper() in RESERVED_NAMES:
        stem = base + "_" + stem[len(base) :]
    limit = MAX_NAME_LENGTH - len(suffix)
    if len(stem) > limit:
        stem = stem[:limit].rstrip(". ")
    # Linux and most shared drives allow 255 bytes in a name: 120 Chinese characters or
    # emoji take more than that in UTF-8.
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1].rstrip(". ")
    return stem + suffix


def _format_name(
    pattern: str, values: Mapping[str, Any], original: Mapping[str, Any]
) -> tuple[str, list[str]]:
    missing: list[str] = []

    def sub(m: re.Match[str]) -> str:
        key = m.group(1).strip()
        if key in values:
            value = values[key]
        elif key in original:
            value = original[key]
        elif identifier(key) in values:
            value = values[identifier(key)]
        else:
            missing.append(key)
            return ""
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(key)
            return ""
        return str(display(value))

    text = pattern.replace("{{", "\x00").replace("}}", "\x01")
    text = _FIELD.sub(sub, text)
    text = text.replace("\x00", "{").replace("\x01", "}")
    return text, missing


def target_names(pattern: str, batch: Sequence[Row], rows_name: str, folder: Path) -> list[Path]:
    first = batch[0]
    fields = [f.strip() for f in _FIELD.findall(pattern.replace("{{", "").replace("}}", ""))]
    unknown = [
        f
        for f in fields
        if f not in first.values and f not in first.original and identifier(f) not in first.values
    ]
    if unknown:
        columns = ", ".join(f'"{c}"' for c in first.original)
        raise DataError(
            f'the name pattern "{pattern}" uses '
            + ", ".join(f'"{u}"' for u in unknown)
            + f", which is not a column in {rows_name} (its columns are {columns}, and row_number)",
            advice="use the column headings in --name, in curly brackets, and try again",
        )
    problems: list[str] = []
    names: list[str] = []
    for row in batch:
        text, missing = _format_name(pattern, row.values, row.original)
        if missing:
            problems.append(f"row {row.number}: " + ", ".join(f'"{m}"' for m in missing))
            names.append("")
            continue
        names.append(safe_file_name(text))
    if problems:
        raise DataError(
            f'the name pattern "{pattern}" uses values that {rows_name} does not give ({"; ".join(problems)})',
            advice="fill in those cells, or use other columns in --name, and try again",
        )
    seen: dict[str, int] = {}
    clashes: list[str] = []
    for row, file_name in zip(batch, names, strict=True):
        key = unicodedata.normalize("NFC", file_name).casefold()
        if key in seen:
            clashes.append(f'rows {seen[key]} and {row.number} would both be "{file_name}"')
        else:
            seen[key] = row.number
    if clashes:
        raise DataError(
            f'the name pattern "{pattern}" gives two documents the same name ({"; ".join(clashes)})',
            advice="add a column that differs between rows to --name, such as {row_number}, and try again",
        )
    return [folder / n for n in names]
