"""The case folder: one review, one ``case.toml``, five subfolders.

A business support officer edits ``case.toml`` by hand, so it is checked against
``schemas/case.schema.json`` and every mistake names the key and what was expected.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool.dates import coerce_date
from scrtool.errors import CaseError, Reason

CASE_FILE = "case.toml"
SCHEMA_FILE = "case.schema.json"
SUBFOLDERS = ("requests", "returns", "working", "final", "submission")

#: Where each of the case folder's standard files lives, relative to the case folder.
#: ``Case`` hands these out as paths, so the layout is written down once, here.
LAYOUT = {
    "chronology": "working/chronology.xlsx",
    "chronology_docx": "working/chronology.docx",
    "action_plan": "working/action-plan.xlsx",
    "screening_record": "working/screening-decision.docx",
    "report_draft": "working/overview-report.docx",
    "response_draft": "working/partnership-response.docx",
    "calendar": "working/timetable.ics",
    "summary": "working/reviews-summary.xlsx",
}
REVIEW_TYPES = ("scr", "lcspr")
REVIEW_TYPE_NAMES = {
    "scr": "Serious Case Review",
    "lcspr": "Local Child Safeguarding Practice Review",
}

REVIEW_DATE_KEYS = (
    "incident_known", "notified", "rapid_review", "initiated", "scope_from", "scope_to",
    "returns_due", "completed", "panel_copy_sent", "publication", "published",
    "improvements_published", "not_published_told", "delay_told", "ofsted_notified",
)  # fmt: skip


@dataclass(frozen=True)
class Agency:
    name: str
    files: tuple[str, ...] = ()
    contact: str | None = None
    email: str | None = None
    address: str | None = None

    def matches(self, filename: str) -> bool:
        name = Path(filename).name.casefold()
        return any(fnmatch.fnmatch(name, pattern.casefold()) for pattern in self.files)


@dataclass(frozen=True)
class Case:
    """A loaded, checked ``case.toml``. ``data`` keeps every key, dates as ``datetime.date``."""

    root: Path
    data: Mapping[str, Any] = field(repr=False)

    @property
    def file(self) -> Path:
        return self.root / CASE_FILE

    @property
    def review(self) -> Mapping[str, Any]:
        return self.data.get("review", {})

    @property
    def ref(self) -> str:
        return str(self.review["ref"])

    @property
    def type(self) -> str:
        return str(self.review["type"])

    @property
    def partnership(self) -> str | None:
        return self.review.get("partnership")

    @property
    def child(self) -> str | None:
        return self.review.get("child")

    def date(self, key: str) -> dt.date | None:
        """A date from ``[review]`` (``initiated``, ``publication``...), or None when unset."""
        value = self.review.get(key)
        return value if isinstance(value, dt.date) else None

    def path(self, name: str) -> Path:
        """One of the case folder's standard files (a key of ``LAYOUT``)."""
        return self.root / LAYOUT[name]

    @property
    def chronology_path(self) -> Path:
        return self.path("chronology")

    @property
    def action_plan_path(self) -> Path:
        return self.path("action_plan")

    @property
    def report_drafts(self) -> tuple[Path, Path]:
        """The overview report and partnership response drafts ``scrtool report`` writes."""
        return self.path("report_draft"), self.path("response_draft")

    def section(self, name: str) -> Mapping[str, Any]:
        """A table of case.toml, with the schema's default for each key left out."""
        value = self.data.get(name, {})
        value = value if isinstance(value, Mapping) else {}
        return {**schema_defaults(name), **value}

    @property
    def agencies(self) -> tuple[Agency, ...]:
        out = []
        for item in self.data.get("agencies", []):
            out.append(
                Agency(
                    name=item["name"],
                    files=tuple(item.get("files", ())),
                    contact=item.get("contact"),
                    email=item.get("email"),
                    address=item.get("address"),
                )
            )
        return tuple(out)

    def agency_for_file(self, filename: str | Path) -> str | None:
        """The agency whose ``files`` patterns match this return's file name."""
        for agency in self.agencies:
            if agency.matches(str(filename)):
                return agency.name
        return None

    @property
    def register_terms(self) -> tuple[str, ...]:
        """Real names, places and other identifying words that must not be published."""
        reg = self.section("register")
        terms: list[str] = []
        for key in ("names", "places", "other"):
            terms.extend(t for t in reg.get(key, []) if str(t).strip())
        return tuple(terms)

    @property
    def allow_terms(self) -> tuple[str, ...]:
        return tuple(t for t in self.section("register").get("allow", []) if str(t).strip())

    def folder(self, name: str) -> Path:
        return self.root / name


def schema_defaults(table: str) -> dict[str, Any]:
    """The ``default`` of each key of a table in ``schemas/case.schema.json``."""
    from scrtool.settings import resolve

    schema = _case_schema()
    spec = resolve(schema.get("properties", {}).get(table, {}), schema)
    return {
        key: sub["default"]
        for key, sub in spec.get("properties", {}).items()
        if isinstance(sub, Mapping) and "default" in sub
    }


def _date_keys(
    data: Any, schema: Mapping[str, Any], root: Mapping[str, Any], path: tuple[str | int, ...] = ()
) -> list[tuple[tuple[str | int, ...], dict[str, Any], str]]:
    """(path, table, key) of every value the schema says is a date, wherever it is."""
    from scrtool.settings import resolve

    schema = resolve(schema, root)
    out: list[tuple[tuple[str | int, ...], dict[str, Any], str]] = []
    if isinstance(data, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, value in data.items():
            sub = props.get(key, extra if isinstance(extra, Mapping) else None)
            if sub is None:
                continue
            sub = resolve(sub, root)
            if sub.get("format") == "date":
                out.append(((*path, key), data, key))
            else:
                out.extend(_date_keys(value, sub, root, (*path, key)))
    elif isinstance(data, list) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(data):
            out.extend(_date_keys(item, schema["items"], root, (*path, index)))
    return out


def _coerce_dates(data: dict[str, Any], file: Path, text: str = "") -> None:
    """Turn day-first text dates ("31/03/2026") in the schema's date keys into real dates."""
    from scrtool.settings import key_line, key_path, load_json_schema

    schema = load_json_schema(SCHEMA_FILE)
    for path, table, key in _date_keys(data, schema, schema):
        value = table[key]
        if not isinstance(value, (str, dt.date)):
            continue
        try:
            table[key] = coerce_date(value)
        except ValueError as exc:
            # One piece of advice, for case.toml (not the command line's 31/03/2026).
            reason = str(exc).replace(" (write it as 31/03/2026)", "")
            line = key_line(text, path) if text else None
            raise CaseError(
                f'key "{key_path(path)}" is {json.dumps(value, default=str)}: {reason}',
                file=file,
                place=f"line {line}" if line else None,
                advice='write the date as 2026-03-31 (or "31/03/2026" in quotes) and run the command again',
            ) from None


def validate_case_data(data: dict[str, Any], file: Path, text: str = "") -> None:
    """Every key known (the nearest known key named when not), every value as the schema says."""
    from scrtool.settings import check_data

    check_data(data, SCHEMA_FILE, file=file, text=text, error=CaseError)


def parse_case_text(text: str, file: Path) -> dict[str, Any]:
    """case.toml's text as checked data: syntax, unknown keys, dates, then every value."""
    from scrtool.settings import check_keys, parse_toml

    data = parse_toml(text, file=file, error=CaseError, then="then run the command again")
    # An unknown key is named before anything else: a misspelt key's value is never read.
    check_keys(data, SCHEMA_FILE, file=file, text=text, error=CaseError)
    _coerce_dates(data, file, text)
    validate_case_data(data, file, text)
    return data


def case_folder_above(path: Path) -> Path | None:
    """The case folder holding ``path`` (``returns/`` inside a case), if any."""
    try:
        resolved = path.resolve()
    except OSError:
        return None
    for parent in resolved.parents:
        if (parent / CASE_FILE).is_file():
            return parent
    return None


def _shown(path: Path) -> str:
    """A folder as the user can type it: relative to here when inside it."""
    try:
        return str(path.relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def load_case(root: str | Path) -> Case:
    """Read and check ``root/case.toml``."""
    from scrtool.settings import read_text

    root = Path(root)
    file = root / CASE_FILE
    if not file.is_file():
        above = case_folder_above(root)
        if above is not None:
            raise CaseError(
                f"is inside the case folder {_shown(above)}, not a case folder itself",
                file=root,
                advice=f'name the case folder instead: --case "{_shown(above)}"',
                reason=Reason.BAD_CASE,
            )
        raise CaseError(
            f"there is no {CASE_FILE} in this folder",
            file=root,
            advice=f'make one with "scrtool new {root} --ref REF", or name the case folder with --case',
            reason=Reason.MISSING if not root.exists() else Reason.BAD_CASE,
        )
    text = read_text(file, error=CaseError)
    data = parse_case_text(text, file)
    return Case(root=root, data=data)


def resolve_case_dir(case_dir: str | Path | None, *, required: bool) -> Path | None:
    """The ``--case`` folder, else the current folder when it holds ``case.toml``."""
    if case_dir is not None:
        path = Path(case_dir)
        if not path.is_dir():
            raise CaseError(
                "does not exist" if not path.exists() else "is not a folder",
                file=path,
                advice="name the review's case folder with --case",
                reason=Reason.MISSING if not path.exists() else Reason.NOT_A_FILE,
            )
        return path
    here = Path.cwd()
    if (here / CASE_FILE).is_file():
        return here
    if required:
        above = case_folder_above(here)
        if above is not None:
            raise CaseError(
                f"this folder holds no {CASE_FILE}; it is inside the case folder {above}",
                file=here,
                advice=f'run the command in {above}, or add --case "{above}"',
            )
        raise CaseError(
            f"this folder holds no {CASE_FILE}",
            file=here,
            advice="run the command inside a case folder or name one with --case",
        )
    return None


def find_case(case_dir: str | Path | None, *, required: bool = False) -> Case | None:
    path = resolve_case_dir(case_dir, required=required)
    return load_case(path) if path is not None else None


#: Where the notes beside the keys start in the case.toml that ``scrtool new`` writes.
_NOTE_COLUMN = 34


def _toml_value(value: Any, schema: Mapping[str, Any] | None = None) -> str:
    """A value as it is written in TOML; a date from the schema's examples stays bare."""
    if schema is not None and schema.get("format") == "date" and isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value, default=str)


#: The widest line ``scrtool new`` writes: a longer note goes on its own lines above.
_WIDTH = 92


def _with_note(line: str, note: str | None) -> list[str]:
    """``key = value  # note``, or the note on its own lines above when it is long."""
    import textwrap

    if not note:
        return [line]
    beside = f"{line.ljust(_NOTE_COLUMN - 1)} # {note}"
    if len(beside) <= _WIDTH:
        return [beside]
    note = note[:1].upper() + note[1:]
    above = textwrap.wrap(note, width=_WIDTH - 2)
    return [*(f"# {part}" for part in above), line]


def _comment_block(text: str | None, *, sentence: bool = True) -> list[str]:
    text = (text or "").strip()
    if sentence and text and text[0].islower():
        text = text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")
    return [f"# {line}".rstrip() for line in text.splitlines()]


def _key_lines(
    key: str, spec: Mapping[str, Any], given: Mapping[str, Any], *, table_set: bool
) -> list[str]:
    from scrtool.settings import resolve

    schema = _case_schema()
    spec = resolve(spec, schema)
    lines = _comment_block(spec.get("x-heading"))
    note = spec.get("description")
    if key in given and given[key] is not None:
        return [*lines, *_with_note(f"{key} = {_toml_value(given[key], spec)}", note)]
    if "examples" in spec:
        example = spec["examples"][0]
    elif "default" in spec:
        example = spec["default"]
    else:
        return lines
    line = f"{key} = {_toml_value(example, spec)}"
    if spec.get("x-new") == "set" and table_set:
        return [*lines, *_with_note(line, note)]
    return [*lines, *_with_note(f"# {line}", note)]


def _case_schema() -> Mapping[str, Any]:
    from scrtool.settings import load_json_schema

    return load_json_schema(SCHEMA_FILE)


def render_case_toml(
    *, ref: str, review_type: str, partnership: str | None = None, child: str | None = None
) -> str:
    """The commented case.toml ``scrtool new`` writes, from ``schemas/case.schema.json``.

    Every key, note, example and default comes from the schema, so a key added there is
    explained in every new case at once.
    """
    from scrtool.settings import resolve

    schema = _case_schema()
    # Without --partnership the line stays a note to fill in: a guessed name would be
    # printed on the cover sheet of the panel bundle.
    given: dict[str, dict[str, Any]] = {
        "review": {"ref": ref, "type": review_type, "partnership": partnership, "child": child}
    }
    out = _comment_block(schema.get("description"), sentence=False)
    for table, raw in schema.get("properties", {}).items():
        spec = resolve(raw, schema)
        out.append("")
        if spec.get("type") == "array":
            item = resolve(spec.get("items", {}), schema)
            out.extend(_comment_block(spec.get("description")))
            out.append(f"# [[{table}]]")
            for key, sub in item.get("properties", {}).items():
                out.extend(
                    line if line.startswith("#") else f"# {line}"
                    for line in _key_lines(key, sub, {}, table_set=False)
                )
            continue
        table_set = spec.get("x-new") == "set"
        out.extend(_comment_block(spec.get("description")))
        out.append(f"[{table}]" if table_set else f"# [{table}]")
        for key, sub in spec.get("properties", {}).items():
            out.extend(_key_lines(key, sub, given.get(table, {}), table_set=table_set))
    return "\n".join(out) + "\n"
