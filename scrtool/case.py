"""The case folder: one review, one ``case.toml``, five subfolders.

A business support officer edits ``case.toml`` by hand, so it is checked against
``schemas/case.schema.json`` and every mistake names the key and what was expected.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool.dates import coerce_date
from scrtool.errors import CaseError
from scrtool.resources import schema_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASE_FILE = "case.toml"
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
        value = self.data.get(name, {})
        return value if isinstance(value, Mapping) else {}

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


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def _key_path(parts: Any) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(the whole file)"


def _describe(error: Any) -> str:
    """Turn a jsonschema error into words a business support officer can act on."""
    validator = error.validator
    schema = error.schema
    value = error.instance
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f'needs the key "{missing}"'
    if validator == "enum":
        allowed = ", ".join(f'"{v}"' for v in schema["enum"])
        return f"is {json.dumps(value)}, but must be one of {allowed}"
    if validator == "type":
        wanted = schema["type"]
        words = {
            "string": "text in quotes",
            "array": 'a list such as ["a", "b"]',
            "object": "a table of keys",
            "integer": "a whole number",
            "number": "a number",
        }
        return f"is {json.dumps(value, default=str)}, but must be {words.get(wanted, wanted)}"
    if validator == "format" and schema.get("format") == "date":
        return f"is {json.dumps(value)}, but must be a date such as 2026-03-31"
    if validator == "pattern":
        return f"is {json.dumps(value)}, but {schema.get('description', 'is not in the expected form')}"
    if validator in ("minimum", "maximum"):
        return f"is {value}, which is out of range ({validator} {schema[validator]})"
    if validator == "minLength":
        return "is empty"
    if validator == "additionalProperties":
        return error.message.replace(
            "Additional properties are not allowed", "has keys scrtool does not know"
        )
    return error.message


def _coerce_dates(data: dict[str, Any], file: Path) -> None:
    """Turn day-first text dates in the known date keys into real dates."""
    tables: list[tuple[str, Mapping[str, Any], tuple[str, ...]]] = [
        ("review", data.get("review", {}), REVIEW_DATE_KEYS),
        ("screening", data.get("screening", {}), ("decided_on", "panel_told")),
    ]
    for table_name, table, keys in tables:
        if not isinstance(table, dict):
            continue
        for key in keys:
            if key in table and isinstance(table[key], (str, dt.date)):
                try:
                    table[key] = coerce_date(table[key])
                except ValueError as exc:
                    # One piece of advice, for case.toml (not the command line's 31/03/2026).
                    reason = str(exc).replace(" (write it as 31/03/2026)", "")
                    raise CaseError(
                        f'key "{table_name}.{key}" is {json.dumps(table[key])}: {reason}',
                        file=file,
                        advice='write the date as 2026-03-31 (or "31/03/2026" in quotes) and run the command again',
                    ) from None


@functools.lru_cache(maxsize=1)
def _case_validator() -> Any:
    """Built once per run: ``scrtool summary`` loads many cases."""
    import jsonschema

    schema = json.loads(schema_path("case.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def validate_case_data(data: dict[str, Any], file: Path) -> None:
    validator = _case_validator()
    errors = sorted(validator.iter_errors(_jsonable(data)), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        more = (
            f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
            if len(errors) > 1
            else ""
        )
        raise CaseError(f'key "{_key_path(first.path)}" {_describe(first)}{more}', file=file)


def load_case(root: str | Path) -> Case:
    """Read and check ``root/case.toml``."""
    root = Path(root)
    file = root / CASE_FILE
    if not file.is_file():
        raise CaseError(
            f"there is no {CASE_FILE} in this folder",
            file=root,
            advice=f'make one with "scrtool new {root} --ref REF", or name the case folder with --case',
        )
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise CaseError(f"cannot be read ({exc.strerror or exc})", file=file) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseError(
            "is not saved as UTF-8 text",
            file=file,
            advice="open it in Notepad, choose Save As with the encoding UTF-8, and run the command again",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(
            f"is not valid TOML ({exc})",
            file=file,
            advice='check the quotes and brackets on that line (text goes in "double quotes") and run the command again',
        ) from None
    _coerce_dates(data, file)
    validate_case_data(data, file)
    return Case(root=root, data=data)


def resolve_case_dir(case_dir: str | Path | None, *, required: bool) -> Path | None:
    """The ``--case`` folder, else the current folder when it holds ``case.toml``."""
    if case_dir is not None:
        path = Path(case_dir)
        if not path.is_dir():
            raise CaseError(
                "is not a folder", file=path, advice="name the review's case folder with --case"
            )
        return path
    here = Path.cwd()
    if (here / CASE_FILE).is_file():
        return here
    if required:
        raise CaseError(
            f"this folder holds no {CASE_FILE}",
            file=here,
            advice="run the command inside a case folder or name one with --case",
        )
    return None


def find_case(case_dir: str | Path | None, *, required: bool = False) -> Case | None:
    path = resolve_case_dir(case_dir, required=required)
    return load_case(path) if path is not None else None


CASE_TEMPLATE = """\
# case.toml: what scrtool knows about this review.
#
# Edit it in Notepad (or any plain text editor). Text goes in "double quotes"; dates are
# written 2026-03-31 (year-month-day) or "31/03/2026" in quotes. A line starting with #
# is a note and is ignored: remove the # to use a line. Check your changes with any
# scrtool command: a mistake is reported with the key and what is expected.

[review]
ref = {ref}
type = {type}                 # "scr" (Serious Case Review) or "lcspr" (Local Child Safeguarding Practice Review)
{partnership}
child = {child}               # the pseudonym used in every document, never the real name
# lead_reviewer = "Name of the independent lead reviewer"

# The review's dates. Fill them in as they happen.
# incident_known = 2026-01-05     # the partnership learned of the incident
# notified = 2026-01-09           # the National Panel was notified
# rapid_review = 2026-01-28       # the rapid review was completed
# initiated = 2026-02-02          # the review was started (completion is due 6 months later)
# scope_from = 2024-04-01         # the period the chronology covers
# scope_to = 2026-01-05
# returns_due = 2026-03-02        # agencies' chronology returns are due
# completed = 2026-07-31
# publication = 2026-09-14        # planned publication date
# panel_copy_sent = 2026-09-01    # the report was sent to the National Panel
# published = 2026-09-14

# Whether the criteria for a review are met (used by "scrtool screen").
[screening]
# abuse_or_neglect = "suspected"  # "known", "suspected" or "no"
# outcome = "serious-harm"        # "died", "serious-harm" or "none"
# agency_concerns = "unclear"     # "yes", "no" or "unclear"
# custody = "no"                  # "yes" if the child died in custody or detention
# decided_by = "Chair of the partnership's review group"
# decided_on = 2026-01-20

# One [[agencies]] block for each agency asked for a chronology. "files" are the names
# (or patterns, * for any characters) of that agency's returns in returns/.
# [[agencies]]
# name = "Northshire Police"
# files = ["Police*.xlsx"]
# contact = "Detective Sergeant Example"
# email = "reviews@police.example"

# The case register: real names and places that must never appear in a published
# document. "scrtool check redaction" looks for each of them. Keep this file safe.
[register]
names = []                      # for example ["Firstname Surname", "Othername Surname"]
places = []                     # street names, schools, towns that would identify the family
allow = ["Child A", "Mother", "Father"]   # pseudonyms and role words that may appear

# Plain English thresholds for "scrtool check readability" (the defaults are shown).
[readability]
# min_reading_ease = 50
# max_grade = 11

# Reviewers and the organisations they have worked for (used by "scrtool reviewers").
# [[reviewers]]
# name = "Lead Reviewer Name"
# role = "lead"
# affiliations = [{{ organisation = "Northshire Council", from = 2008, to = 2014 }}]

[settings]
# independence_years = 5          # a lead reviewer must not have worked for an involved agency this recently
"""


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_case_toml(
    *, ref: str, review_type: str, partnership: str | None = None, child: str | None = None
) -> str:
    return CASE_TEMPLATE.format(
        ref=_toml_str(ref),
        type=_toml_str(review_type),
        # Without --partnership the line stays a note to fill in: a guessed name would be
        # printed on the cover sheet of the panel bundle.
        partnership=(
            f"partnership = {_toml_str(partnership)}"
            if partnership
            else '# partnership = "Name of your Safeguarding Children Partnership"'
        ),
        child=_toml_str(child or "Child A"),
    )
