"""One loader for every settings file: case.toml and the data files under ``schemas/``.

Each file is TOML that people edit by hand in Notepad, checked against a JSON Schema
beside it (``case.toml`` against ``case.schema.json``, ``schemas/NAME.toml`` against
``schemas/NAME.schema.json``). Every mistake becomes one plain sentence with the file,
the line and what to write instead: a misspelt key names the nearest known key, a
TOML syntax error says what TOML wanted in words a business support officer can use,
and an impossible date says why it is impossible.

The schema is the only list of keys: a key added to a schema's ``properties`` is
known everywhere at once. An object whose ``additionalProperties`` is ``false`` has a
fixed set of keys, so anything else in it is reported as unknown; an object whose
``additionalProperties`` is a schema is a map (names to values), so any key is allowed.

This module also holds the one header matcher: how a heading typed in a spreadsheet
("Due date:", "DUE-DATE", "Date\\n(dd/mm/yyyy)") is compared with a column's name and
aliases, for the chronology returns and the action plan alike.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import functools
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from scrtool.errors import Reason, ScrtoolError, SettingsError
from scrtool.resources import schema_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "TOMLDecodeError",
    "check_data",
    "header_key",
    "header_keys",
    "header_ranks",
    "key_line",
    "load_data",
    "load_json_schema",
    "parse_toml",
    "read_toml",
    "tomllib",
]

TOMLDecodeError = tomllib.TOMLDecodeError

#: Advice that fits any TOML line, for a mistake with no better diagnosis.
TOML_ADVICE = (
    'text goes in "double quotes", dates are written 2026-02-02 (or "02/02/2026" in '
    "quotes), lists in [square brackets] and a line starting with # is a note"
)


# --- Reading TOML ----------------------------------------------------------------------


def read_text(path: Path, *, error: type[ScrtoolError] = SettingsError) -> str:
    """A settings file's text: UTF-8, with or without Notepad's byte order mark."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(
            "does not exist",
            file=path,
            advice="check the file's name and folder, then run the command again",
            reason=Reason.MISSING,
        ) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", file=path, reason=Reason.NOT_A_FILE) from None
    except PermissionError as exc:
        raise error(
            f"cannot be read ({exc.strerror or exc})",
            file=path,
            advice="check that you may read it and that it is not open elsewhere, then try again",
            reason=Reason.NO_PERMISSION,
        ) from None
    except OSError as exc:
        raise error(f"cannot be read ({exc.strerror or exc})", file=path) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(
            "is not saved as UTF-8 text",
            file=path,
            advice="open it in Notepad, choose Save As with the encoding UTF-8, and run the command again",
        ) from None


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
_CURLY = "\u201c\u201d\u2018\u2019\u201e\u201f\u2032\u2033"
_SLASH_DATE = re.compile(r"=\s*(\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\b")
_ISO_DATE = re.compile(r"=\s*(\d{4})-(\d{1,2})-(\d{1,2})\b")
_BARE_WORD = re.compile(r"=\s*([A-Za-z][^#]*?)\s*(?:#.*)?$")
_KEY = re.compile(r'^\s*"?([^"=\[\]]+?)"?\s*=')


def _line_of(text: str, number: int | None) -> str:
    lines = text.splitlines()
    if number is None or not 1 <= number <= len(lines):
        return ""
    return lines[number - 1].strip()


def impossible_date(year: int, month: int, day: int) -> str | None:
    """Why year-month-day is not a date, in words ("February 2026 has 28 days")."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days"
    return None


def toml_problem(text: str, exc: Exception) -> tuple[int | None, str, str]:
    """(line, what is wrong, what to write instead) for a TOML syntax error, in plain words.

    tomllib's messages ("Expected newline or end of document after a statement") are for
    programmers; this reads the line itself to say what a person should change.
    """
    message = str(exc)
    line_no: int | None = None
    at = _AT.search(message)
    if at:
        line_no = int(at.group(1))
        message = message[: at.start()]
    else:
        lineno = getattr(exc, "lineno", None)
        if isinstance(lineno, int):
            line_no = lineno
        message = _AT_END.sub("", message)
    line = _line_of(text, line_no)
    key_match = _KEY.match(line)
    key = key_match.group(1).strip() if key_match else None
    where = f'"{key}" ' if key else ""
    if any(q in line for q in _CURLY):
        return (
            line_no,
            "uses curly quotes (\u201c \u201d), which Word and Outlook put in; TOML needs straight ones",
            'type the quotes again in Notepad as straight quotes, such as child = "Child A"',
        )
    iso = _ISO_DATE.search(line)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        why = impossible_date(year, month, day)
        written = f"{iso.group(1)}-{iso.group(2)}-{iso.group(3)}"
        if why:
            return (
                line_no,
                f"{where}is {written}, which is not a date: {why}",
                "correct the date (written year-month-day, such as 2026-02-02)",
            )
        if len(iso.group(2)) < 2 or len(iso.group(3)) < 2:
            good = f"{year:04d}-{month:02d}-{day:02d}"
            return (
                line_no,
                f"{where}is {written}, but a date written this way needs two-digit months and days",
                f'write it as {good} (or "{day:02d}/{month:02d}/{year:04d}" in quotes)',
            )
    slash = _SLASH_DATE.search(line)
    if slash:
        value = slash.group(1)
        return (
            line_no,
            f"{where}is the date {value} without quotes",
            f'write it as "{value}" in quotes, or as year-month-day such as 2026-02-02',
        )
    if "overwrite" in message or "twice" in message or "already" in message:
        return (
            line_no,
            f"{where}is given a second time" if key else "repeats a [section] given earlier",
            "keep one of them and delete the other",
        )
    heading = line.split("#", 1)[0].rstrip()
    if heading.startswith("[[") and not heading.endswith("]]"):
        return (
            line_no,
            "starts a [[block]] heading that is not closed",
            "end the heading with ]], such as [[agencies]]",
        )
    if heading.startswith("[") and not heading.endswith("]"):
        return (
            line_no,
            "starts a [section] heading that is not closed",
            "end the heading with ], such as [review]",
        )
    if key and re.match(r"^[^=]*=\s*(?:#.*)?$", line):
        return (
            line_no,
            f"{where}has nothing after the =",
            f'give it a value, such as {key} = "...", or put # at the start of the line',
        )
    bare = _BARE_WORD.search(line)
    if bare and bare.group(1).strip() not in ("true", "false", "inf", "nan"):
        value = bare.group(1).strip()
        if not value.startswith(("[", "{", '"', "'")):
            return (
                line_no,
                f"{where}has the text {value} without quotes",
                f'put text in double quotes, such as {key or "name"} = "{value}"',
            )
    if line.count('"') % 2 == 1 or "Unterminated string" in message:
        return (
            line_no,
            "has text with an opening quote but no closing one",
            'end the text with a straight double quote (")',
        )
    if line and "=" not in line and not line.startswith(("[", "#")):
        return (
            line_no,
            "is not a setting (a setting is written key = value)",
            "write it as key = value, or put # at the start to make it a note",
        )
    return line_no, "is not written the way scrtool can read", TOML_ADVICE


def toml_error(
    text: str, exc: Exception, *, file: Path, error: type[ScrtoolError], then: str
) -> ScrtoolError:
    line_no, problem, advice = toml_problem(text, exc)
    line = _line_of(text, line_no)
    place = None
    if line_no is not None:
        place = f"line {line_no}" + (f" ({_clip(line)})" if line else "")
    return error(problem, file=file, place=place, advice=f"{advice}, {then}")


def _clip(line: str, width: int = 60) -> str:
    line = " ".join(line.split())
    return line if len(line) <= width else line[: width - 3].rstrip() + "..."


def parse_toml(
    text: str,
    *,
    file: Path,
    error: type[ScrtoolError] = SettingsError,
    then: str = "then run the command again",
) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(text, exc, file=file, error=error, then=then) from None


def read_toml(
    path: Path,
    *,
    error: type[ScrtoolError] = SettingsError,
    then: str = "then run the command again",
) -> tuple[dict[str, Any], str]:
    """(data, text) of a TOML file, every problem in plain words."""
    text = read_text(path, error=error)
    return parse_toml(text, file=path, error=error, then=then), text


# --- Where a key is written ------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def _split_dotted(name: str) -> list[str]:
    return [p.strip().strip('"').strip("'") for p in name.split(".")]


def key_line(text: str, path: Sequence[str | int]) -> int | None:
    """The line (from 1) on which the key at ``path`` is written, or None when unknown.

    ``path`` is as jsonschema gives it: ``["review", "initated"]``, ``["agencies", 1,
    "nmae"]`` (the second [[agencies]] block). A whole table (``["reveiw"]``) is found by
    its heading.
    """
    if not path:
        return None
    parts = [p for p in path]
    current: list[str | int] = []
    counts: dict[str, int] = {}
    fallback: int | None = None
    last = parts[-1]
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header:
            names = _split_dotted(header.group(2))
            if header.group(1) == "[[":
                key = ".".join(names)
                index = counts.get(key, -1) + 1
                counts[key] = index
                current = [*names, index]
            else:
                current = list(names)
            if current == parts or (header.group(1) == "[[" and current[:-1] == parts):
                return number
            continue
        match = _KEY.match(line)
        if not match:
            continue
        dotted = _split_dotted(match.group(1))
        full = [*current, *dotted]
        if full == parts:
            return number
        if isinstance(last, str) and dotted and dotted[-1] == last and fallback is None:
            fallback = number
    return fallback


# --- Checking against the schema -------------------------------------------------------


def load_json_schema(name: str) -> dict[str, Any]:
    """A schema under ``schemas/`` by file name (``case.schema.json``)."""
    return _load_json_schema(str(schema_path(name)))


@functools.lru_cache(maxsize=16)
def _load_json_schema(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=16)
def _validator(path: str) -> Any:
    import jsonschema

    schema = _load_json_schema(path)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow a local ``$ref`` (``#/$defs/date``)."""
    seen = 0
    while isinstance(schema, Mapping) and "$ref" in schema and seen < 10:
        ref = str(schema["$ref"])
        if not ref.startswith("#/"):
            break
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        merged = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **merged}
        seen += 1
    return schema


def key_path(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(the whole file)"


def _known_keys(schema: Mapping[str, Any]) -> list[str]:
    return list(schema.get("properties", {}))


def _all_keys(
    schema: Mapping[str, Any], root: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> dict[str, list[tuple[str, ...]]]:
    """Every key any table of the schema knows -> the tables that hold it."""
    out: dict[str, list[tuple[str, ...]]] = {}
    schema = resolve(schema, root)
    for key, sub in schema.get("properties", {}).items():
        out.setdefault(key, []).append(prefix)
        sub = resolve(sub, root)
        if sub.get("type") == "array" and isinstance(sub.get("items"), Mapping):
            sub = resolve(sub["items"], root)
        for k, tables in _all_keys(sub, root, (*prefix, key)).items():
            out.setdefault(k, []).extend(tables)
    return out


def unknown_keys(
    data: Any, schema: Mapping[str, Any], root: Mapping[str, Any], path: tuple[str | int, ...] = ()
) -> Iterable[tuple[tuple[str | int, ...], list[str]]]:
    """(path of the unknown key, the keys known there) for every key the schema does not know."""
    schema = resolve(schema, root)
    if isinstance(data, Mapping):
        props = schema.get("properties", {})
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        closed = schema.get("additionalProperties") is False
        for key, value in data.items():
            if key in props:
                yield from unknown_keys(value, props[key], root, (*path, key))
            elif any(p.search(key) for p in patterns):
                continue
            elif closed:
                yield (*path, key), list(props)
            elif isinstance(schema.get("additionalProperties"), Mapping):
                yield from unknown_keys(value, schema["additionalProperties"], root, (*path, key))
    elif isinstance(data, list) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(data):
            yield from unknown_keys(item, schema["items"], root, (*path, index))


def nearest(word: str, choices: Sequence[str]) -> str | None:
    folded = {c.casefold(): c for c in choices}
    if word.casefold() in folded:
        return folded[word.casefold()]
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def _table_words(table: Sequence[str | int]) -> str:
    names = [p for p in table if isinstance(p, str)]
    if not names:
        return "at the top of the file"
    return f"under [{'.'.join(names)}]"


def _unknown_key_error(
    path: tuple[str | int, ...],
    known: list[str],
    schema: Mapping[str, Any],
    *,
    file: Path,
    text: str,
    error: type[ScrtoolError],
) -> ScrtoolError:
    key = str(path[-1])
    line = key_line(text, path)
    place = f"line {line}" if line else None
    guess = nearest(key, known)
    if guess is not None and guess != key:
        problem = f"`{key}` is not a key scrtool knows; did you mean `{guess}`?"
        advice = f"correct it to {guess}"
    else:
        elsewhere = _all_keys(schema, schema).get(key) or _all_keys(schema, schema).get(
            nearest(key, list(_all_keys(schema, schema))) or "", []
        )
        if elsewhere:
            home = nearest(key, list(_all_keys(schema, schema))) or key
            problem = (
                f"`{key}` is not a key scrtool knows {_table_words(path[:-1])}; "
                f"`{home}` belongs {_table_words(elsewhere[0])}"
            )
            advice = f"move it {_table_words(elsewhere[0])}"
        else:
            listed = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
            problem = f"`{key}` is not a key scrtool knows {_table_words(path[:-1])}"
            advice = (
                f"the keys there are {listed}; correct it, or put # at the start of the line"
                if known
                else "delete it, or put # at the start of the line"
            )
    return error(problem, file=file, place=place, advice=f"{advice}, then run the command again")


def describe(error: Any) -> str:
    """A jsonschema error in words a business support officer can act on."""
    validator = error.validator
    schema = error.schema
    value = error.instance
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f'needs the key "{missing}"'
    if validator == "enum":
        allowed = ", ".join(json.dumps(v) for v in schema["enum"])
        return f"is {json.dumps(value, default=str)}, but must be one of {allowed}"
    if validator == "const":
        return f"is {json.dumps(value, default=str)}, but must be {json.dumps(schema['const'])}"
    if validator == "type":
        wanted = schema["type"]
        words = {
            "string": "text in quotes",
            "array": 'a list such as ["a", "b"]',
            "object": "a table of keys",
            "integer": "a whole number",
            "number": "a number",
            "boolean": "true or false",
        }
        if isinstance(wanted, list):
            said = " or ".join(str(words.get(w, w)) for w in wanted)
        else:
            said = str(words.get(wanted, wanted))
        return f"is {json.dumps(value, default=str)}, but must be {said}"
    if validator == "format" and schema.get("format") == "date":
        return f"is {json.dumps(value, default=str)}, but must be a date such as 2026-03-31"
    if validator == "pattern":
        said = schema.get("x-pattern") or schema.get("description") or "is not in the expected form"
        return f"is {json.dumps(value)}, but {said}"
    if validator in ("minimum", "maximum"):
        bound = "at least" if validator == "minimum" else "at most"
        return f"is {value}, but must be {bound} {schema[validator]}"
    if validator in ("exclusiveMinimum", "exclusiveMaximum"):
        bound = "more than" if validator == "exclusiveMinimum" else "less than"
        return f"is {value}, but must be {bound} {schema[validator]}"
    if validator == "minLength":
        return "is empty"
    if validator == "minItems":
        return "is an empty list" if not value else f"needs at least {schema['minItems']} items"
    if validator == "uniqueItems":
        return "lists the same value twice"
    if validator == "additionalProperties":
        return error.message.replace(
            "Additional properties are not allowed", "has keys scrtool does not know"
        )
    return str(error.message)


def jsonable(value: Any) -> Any:
    """TOML's dates and times as the ISO text JSON Schema checks."""
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def _schema_file(schema_file: str | Path) -> str:
    if Path(schema_file).is_absolute():
        return str(schema_file)
    return str(schema_path(str(schema_file)))


def check_keys(
    data: Mapping[str, Any],
    schema_file: str | Path,
    *,
    file: Path,
    text: str = "",
    error: type[ScrtoolError] = SettingsError,
) -> None:
    """The first key the schema does not know, with the nearest one it does, as an error."""
    schema = _load_json_schema(_schema_file(schema_file))
    for bad, known in unknown_keys(data, schema, schema):
        raise _unknown_key_error(bad, known, schema, file=file, text=text, error=error)


def check_data(
    data: Mapping[str, Any],
    schema_file: str | Path,
    *,
    file: Path,
    text: str = "",
    error: type[ScrtoolError] = SettingsError,
) -> None:
    """Unknown keys first (with the nearest known key), then every other rule of the schema."""
    path = _schema_file(schema_file)
    check_keys(data, schema_file, file=file, text=text, error=error)
    errors = sorted(_validator(path).iter_errors(jsonable(data)), key=lambda e: list(e.path))
    if not errors:
        return
    first = errors[0]
    more = len(errors) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    line = key_line(text, list(first.path)) if text else None
    subject = f'key "{key_path(first.path)}" ' if list(first.path) else ""
    raise error(
        f"{subject}{describe(first)}{tail}",
        file=file,
        place=f"line {line}" if line else None,
    )


# --- The data files under schemas/ -----------------------------------------------------


def load_data(name: str, path: str | Path | None = None) -> dict[str, Any]:
    """``schemas/NAME.toml`` (or ``path``, a file in its shape), checked against
    ``schemas/NAME.schema.json``. Read once per run for each file as it stands."""
    source = Path(path) if path is not None else schema_path(f"{name}.toml")
    try:
        stamp = source.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _load_data(name, str(source), stamp)


@functools.lru_cache(maxsize=32)
def _load_data(name: str, source: str, stamp: int) -> dict[str, Any]:
    path = Path(source)
    data, text = read_toml(path)
    check_data(data, f"{name}.schema.json", file=path, text=text)
    return data


# --- The one header matcher ------------------------------------------------------------


def header_key(text: object) -> str:
    """A heading as it is matched: case, spaces and punctuation ignored ("Due date:" ==
    "DUE-DATE" == "due date"). The one normaliser for every spreadsheet scrtool reads."""
    return re.sub(r"[\W_]+", "", str(text if text is not None else "").casefold())


#: A note in brackets after a heading: "Date (dd/mm/yyyy)".
BRACKETED_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")


def header_keys(text: object) -> list[str]:
    """The keys one header cell may match: as written, without (notes), first line only.

    Templates often say "Date (dd/mm/yyyy)" or "Details\\n(what happened and who was
    there)"; the bracketed or second-line note does not change which column it is.
    """
    s = str(text)
    keys = [header_key(s), header_key(BRACKETED_NOTE.sub(" ", s))]
    stripped = s.strip()
    if stripped:
        keys.append(header_key(stripped.splitlines()[0]))
        keys.append(header_key(BRACKETED_NOTE.sub(" ", stripped.splitlines()[0])))
        if ":" in stripped:
            keys.append(header_key(stripped.split(":", 1)[0]))
    out: list[str] = []
    for key in keys:
        if key and key not in out:
            out.append(key)
    return out


def header_ranks(columns: Iterable[tuple[str, Sequence[str]]]) -> dict[str, list[tuple[int, str]]]:
    """Heading key -> [(rank, column name)], best first, for (name, aliases) pairs.

    Rank 0 is the column's own name, then its aliases in the order given, so a sheet
    with both "RAG" and "Status" reads the status from "Status".
    """
    ranks: dict[str, list[tuple[int, str]]] = {}
    for name, aliases in columns:
        seen: set[str] = set()
        for rank, alias in enumerate((name, *aliases)):
            key = header_key(alias)
            if key and key not in seen:
                seen.add(key)
                ranks.setdefault(key, []).append((rank, name))
    for entries in ranks.values():
        entries.sort()
    return ranks


def one_line(text: object) -> str:
    """Header text quoted in a message: line breaks and runs of spaces become one space."""
    return " ".join(str(text if text is not None else "").split())
