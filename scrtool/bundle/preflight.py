"""The checks before anything is written: inputs readable, redaction, draft, readability,
timetable."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.dates import format_english
from scrtool.errors import InputError

if TYPE_CHECKING:
    from pypdf import PdfReader
from scrtool.bundle.request import DOCUMENT_SUFFIXES, Document, PackageRequest, TimetableCheck

# --------------------------------------------------------------------------- inputs


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_inputs(documents: Sequence[Document]) -> dict[Path, PdfReader]:
    """Every document exists, is a .docx or .pdf, and can be opened: else exit 2.

    Returns the PDFs opened, so the bundle reuses them rather than reading them again.
    """
    from scrtool.bundle.convert import check_convertible, open_pdf

    readers: dict[Path, PdfReader] = {}
    seen: dict[Path, Path] = {}
    for doc in documents:
        path = doc.path
        if not path.is_file():
            raise InputError(
                "does not exist" if not path.exists() else "is not a file",
                file=path,
                advice="check the name and the folder, then try again",
            )
        suffix = path.suffix.lower()
        if suffix not in DOCUMENT_SUFFIXES:
            raise InputError(
                f'is a "{path.suffix or "no extension"}" file; the bundle takes .docx or .pdf',
                file=path,
                advice="save it as .docx or .pdf and try again",
            )
        key = path.resolve()
        if key in seen:
            raise InputError("is given twice", file=path, advice="give each document once")
        seen[key] = path
        if suffix == ".pdf":
            readers[path] = open_pdf(path)
        else:
            check_convertible(path)
    return readers


# --------------------------------------------------------------------------- the checks


def _file_name(value: Any) -> Any:
    return Path(str(value)).name if value else value


def _scrub(report: Mapping[str, Any], *, drop_text: bool) -> dict[str, Any]:
    """A check's JSON for the manifest: file names, not paths from this computer.

    The manifest leaves the partnership, so a path (which can hold the officer's user
    name) and the text of any finding (a name the check found in hidden metadata) stay
    behind.
    """
    out = dict(report)
    files = []
    for entry in report.get("files", []):
        entry = dict(entry)
        if "path" in entry:
            entry["path"] = _file_name(entry["path"])
        if drop_text and "findings" in entry:
            entry["findings"] = [
                {k: v for k, v in f.items() if k != "text"} for f in entry["findings"]
            ]
        files.append(entry)
    if "files" in report:
        out["files"] = files
    return out


def _where(location: Any) -> str:
    return f" ({location})" if location else ""


#: What to do about a redaction finding, by its kind (the default: replace or remove it).
_REDACTION_ADVICE = {
    "metadata": "clear the document's properties (in Word: File, Info, Check for Issues, "
    "Inspect Document) and save it again",
    "comment": "delete the comments (in Word: Review, Delete All Comments) and save it again",
    "tracked-change": "accept or reject every tracked change (in Word: Review) and save it again",
    "revision-history": "clear the document's properties and history (in Word: File, Info, "
    "Inspect Document) and save it again",
    "hidden-text": "delete the hidden text, or show it and rewrite it, and save it again",
    "covered-text": "delete the text under the box rather than covering it, and save it again",
    "annotation": "delete the comments and other annotations (or print it to a new PDF) and "
    "save it again",
    "attachment": "remove the attached file (send it as a document of its own with --attach "
    "if it belongs in the bundle) and save it again",
    "javascript": "remove the script (or print it to a new PDF) and save it again",
    "form-field": "clear or flatten the form fields (or print it to a new PDF) and save it again",
    "embedded-object": "remove the embedded file or macros and save it again",
}
_DEFAULT_REDACTION_ADVICE = "replace it with the pseudonym or remove it, and save it again"


def redaction_problems(report_json: Mapping[str, Any]) -> list[str]:
    problems = []
    for entry in report_json.get("files", []):
        name = _file_name(entry.get("path"))
        for f in entry.get("findings", []):
            if f.get("severity") not in ("high", "medium"):
                continue
            kind = str(f.get("kind"))
            advice = _REDACTION_ADVICE.get(kind, _DEFAULT_REDACTION_ADVICE)
            problems.append(
                f'{name}: redaction: {kind} "{f.get("text")}"{_where(f.get("location"))}; {advice}'
            )
    if not report_json.get("passed", True) and not problems:
        problems.append("the redaction check did not pass; run scrtool check redaction to see why")
    return problems


def _number(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, (int, float)) else "unknown"


def readability_problems(report_json: Mapping[str, Any]) -> list[str]:
    problems = []
    for entry in report_json.get("files", []):
        if entry.get("passed", True):
            continue
        name = _file_name(entry.get("path"))
        found = [str(p) for p in entry.get("problems") or []]
        if not found:
            found = [
                f"Flesch reading ease {_number(entry.get('flesch_reading_ease'))}, "
                f"Flesch-Kincaid grade {_number(entry.get('flesch_kincaid_grade'))}"
            ]
        problems.append(
            f"{name}: readability: {'; '.join(found)}; "
            f'see "scrtool check readability {name}" and rewrite it in plainer English, '
            "or send it anyway with --skip-readability"
        )
    if not report_json.get("passed", True) and not problems:
        problems.append("the readability check did not pass; run scrtool check readability")
    return problems


def timetable_check(request: PackageRequest) -> TimetableCheck:
    from scrtool.review.timetable import panel_copy_due

    due = panel_copy_due(request.review_type, request.publication)
    return TimetableCheck(
        review_type=request.review_type,
        publication=request.publication,
        panel_copy_due=due,
        sent=request.sent,
    )


def timetable_problem(check: TimetableCheck) -> str:
    return (
        f"timetable: the panel copy is due by {format_english(check.panel_copy_due)} "
        f"({check.describe_rule()} on {format_english(check.publication)}), but it is being "
        f"sent on {format_english(check.sent)}; agree a later publication date "
        "(--publication) or send it on time (--sent)"
    )


def run_redaction(paths: Sequence[Path], request: PackageRequest) -> dict[str, Any]:
    from scrtool.checks.redaction import check_redaction
    from scrtool.jsonout import to_jsonable

    report = check_redaction(list(paths), terms=request.terms, case=request.case)
    return to_jsonable(report)  # type: ignore[no-any-return]


def run_readability(paths: Sequence[Path], request: PackageRequest) -> dict[str, Any]:
    from scrtool.checks.readability import check_readability
    from scrtool.jsonout import to_jsonable

    report = check_readability(list(paths), case=request.case, advice=False)
    return to_jsonable(report)  # type: ignore[no-any-return]


def run_draft(
    paths: Sequence[Path],
    *,
    convert: Any = None,
    work: Path | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The draft check, never skippable: (its JSON, the refusal's lines with file and page).

    ``publish`` calls this too. A .docx that fails is converted (``convert``) into
    ``work`` so each finding can name its page.
    """
    from scrtool.checks.draft import check_before_sending

    report, problems = check_before_sending(list(paths), convert=convert, work=work)
    return report.to_json(), problems
