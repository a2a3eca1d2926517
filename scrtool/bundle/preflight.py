"""The checks before anything is written: inputs readable, redaction, draft, readability,
timetable."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.dates import format_english
from scrtool.errors import InputError, Reason

if TYPE_CHECKING:
    from pypdf import PdfReader

    from scrtool.readers.model import ReadFile
    from scrtool.readers.pdf_ahead import PagesAhead
from scrtool.bundle.request import DOCUMENT_SUFFIXES, Document, PackageRequest, TimetableCheck
from scrtool.checks.readability import ReadabilityReport
from scrtool.checks.redaction import RedactionReport

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
                reason=Reason.MISSING if not path.exists() else Reason.NOT_A_FILE,
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


def _scrub(
    report: RedactionReport | ReadabilityReport | Mapping[str, Any], *, drop_text: bool
) -> dict[str, Any]:
    """A check's report as JSON for the manifest: file names, not paths from this computer.

    The manifest leaves the partnership, so a path (which can hold the officer's user
    name) and the text of any finding (a name the check found in hidden metadata) stay
    behind. The manifest is an output, so this is where the report becomes JSON.
    """
    from scrtool.jsonout import to_jsonable

    out: dict[str, Any] = dict(to_jsonable(report))
    files = []
    for entry in out.get("files", []):
        entry = dict(entry)
        entry["path"] = _file_name(entry.get("path"))
        if drop_text and "findings" in entry:
            entry["findings"] = [
                {k: v for k, v in f.items() if k != "text"} for f in entry["findings"]
            ]
        files.append(entry)
    out["files"] = files
    return out


def _where(location: str) -> str:
    return f" ({location})" if location else ""


def redaction_problems(report: RedactionReport) -> list[str]:
    """One line per high or medium finding, with the finding's own advice (the same words
    ``scrtool check redaction`` shows)."""
    problems = []
    for file in report.files:
        name = file.path.name
        for f in file.findings:
            if not f.fails:
                continue
            problems.append(
                f'{name}: redaction: {f.kind} "{f.text}"{_where(f.location)}; {f.advice}'
            )
    if not report.passed and not problems:  # pragma: no cover - passed follows the findings
        problems.append("the redaction check did not pass; run scrtool check redaction to see why")
    return problems


def readability_problems(report: ReadabilityReport) -> list[str]:
    problems = []
    for file in report.files:
        if file.passed:
            continue
        name = file.path.name
        found = list(file.problems) or [
            f"Flesch reading ease {file.flesch_reading_ease:.1f}, "
            f"Flesch-Kincaid grade {file.flesch_kincaid_grade:.1f}"
        ]
        problems.append(
            f"{name}: readability: {'; '.join(found)}; "
            f'see "scrtool check readability {name}" and rewrite it in plainer English, '
            "or send it anyway with --skip-readability"
        )
    return problems


def timetable_check(request: PackageRequest) -> TimetableCheck:
    from scrtool.review.timetable import panel_copy_due

    kind = request.review_type
    day = request.publication
    due = None
    if day is not None:
        due = panel_copy_due("lcspr" if request.publication_basis == "improvements" else kind, day)
    return TimetableCheck(
        review_type=kind,
        publication=day,
        panel_copy_due=due,
        sent=request.sent,
        basis=request.publication_basis,
    )


def timetable_problem(check: TimetableCheck) -> str:
    # Only a check with a due day can fail.
    assert check.panel_copy_due is not None and check.publication is not None
    return (
        f"timetable: the panel copy is due by {format_english(check.panel_copy_due)} "
        f"({check.describe_rule()} on {format_english(check.publication)}), but it is being "
        f"sent on {format_english(check.sent)}; agree a later publication date "
        "(--publication) or send it on time (--sent)"
    )


def read_inputs(
    paths: Sequence[Path],
    readers: Mapping[Path, PdfReader] | None = None,
    ahead: Mapping[Path, PagesAhead] | None = None,
) -> list[ReadFile]:
    """Each input read once, for every check that follows (its visible text for
    readability, every place for redaction and draft), under the readers' one safety
    policy. A PDF in ``readers`` (opened by ``check_inputs``) is read from the bytes
    that reader was opened on, so the checks read exactly what will be bundled, with its
    pages laid out already when it is in ``ahead`` (see ``scrtool.readers.pdf_ahead``)."""
    from scrtool.readers.documents import read_file

    readers = readers or {}
    ahead = ahead or {}
    out = []
    for path in paths:
        reader = readers.get(path)
        data = reader_bytes(reader) if reader is not None else None
        if data is None:
            out.append(read_file(path))
        else:
            out.append(read_file(path, data=data, pdf_ahead=ahead.get(path)))
    return out


def reader_bytes(reader: PdfReader) -> bytes | None:
    """The bytes pypdf's reader was opened on (``check_inputs`` reads each file once)."""
    import io

    stream = getattr(reader, "stream", None)
    return stream.getvalue() if isinstance(stream, io.BytesIO) else None


def run_redaction(
    paths: Sequence[Path], request: PackageRequest, *, read: Sequence[ReadFile] | None = None
) -> RedactionReport:
    """The redaction check as ``scrtool check redaction`` runs it (on ``read``, the
    files read already, when given)."""
    from scrtool.checks.redaction import (
        RedactionReport,
        build_matcher,
        check_read_file,
        check_redaction,
    )

    if read is None:
        return check_redaction(list(paths), terms=request.terms, case=request.case)
    matcher = build_matcher(terms=request.terms, case=request.case)
    return RedactionReport(files=tuple(check_read_file(r, matcher) for r in read))


def run_readability(
    paths: Sequence[Path], request: PackageRequest, *, read: Sequence[ReadFile] | None = None
) -> ReadabilityReport:
    from scrtool.checks.readability import Thresholds, check_read_files, check_readability

    if read is None:
        return check_readability(list(paths), case=request.case, advice=False)
    thresholds = Thresholds.resolve(request.case)
    return check_read_files(read, thresholds=thresholds, advice=False)


def run_draft(
    paths: Sequence[Path],
    *,
    convert: Any = None,
    work: Path | None = None,
    read: Sequence[ReadFile] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The draft check, never skippable: (its JSON, the refusal's lines with file and page).

    ``publish`` calls this too. A .docx that fails is converted (``convert``) into
    ``work`` so each finding can name its page. ``read``: the files read already
    (``read_inputs``), so the check reads none of them again.
    """
    from scrtool.checks.draft import check_before_sending

    report, problems = check_before_sending(list(paths), convert=convert, work=work, read=read)
    return report.to_json(), problems
