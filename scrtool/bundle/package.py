"""The National Panel's copy: one PDF bundle, its manifest and a zip holding both.

Court e-bundles set the standard people already know: a cover sheet, an index with page
ranges that link to each document, a bookmark per document and "Page N of M" on every
page. The bundle goes outside the partnership, so nothing from the inputs travels with it
except what a reader sees on the page: no document information, no XMP, no comments or
other annotations, no form fields, attachments or scripts.

Nothing is written until every check has passed: the redaction check on every document
(never skippable), the readability check (``skip_readability`` lets a failure through and
the manifest says so) and the timetable rule for the panel copy. The finished bundle is
then checked again before it is put in place, because a Word-to-PDF conversion can bring
back what the first check looked for (a hidden author, hidden text made visible).

The same inputs give the same PDF, byte for byte: the cover carries no creation time, the
file identifier is made from the inputs, and the zip's entries carry a fixed timestamp.
Only ``created`` in the manifest says when the bundle was made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import re
import tempfile
import zipfile
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.case import REVIEW_TYPE_NAMES, REVIEW_TYPES, Case
from scrtool.dates import format_english
from scrtool.errors import CaseError, InputError, UnreadableInputError

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader, PdfWriter

DOCUMENT_SUFFIXES = (".docx", ".pdf")
REPORT_TITLE = "Review report"
RESPONSE_TITLE = "Partnership response"
MANIFEST_NAME = "manifest.json"

#: Words that pick the report and the response out of final/ (case-insensitive).
REPORT_WORD = "report"
RESPONSE_WORD = "response"

#: The zip's entries carry this timestamp so the same bundle gives the same zip.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)

_INDEX_ROWS_PER_PAGE = 30
_FRONT_PAGE_SIZE = (595.2756, 841.8898)  # A4 in points


def bundle_name(ref: str) -> str:
    return f"{ref}-panel-submission.pdf"


def zip_name(ref: str) -> str:
    return f"{ref}-panel-submission.zip"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class DocumentEntry:
    """One document in the bundle, as the manifest lists it."""

    title: str
    file: str
    sha256: str
    pages: int
    first_page: int

    @property
    def last_page(self) -> int:
        return self.first_page + self.pages - 1


@dataclass(frozen=True)
class BundleInfo:
    file: str
    sha256: str
    pages: int


@dataclass(frozen=True)
class Manifest:
    case_ref: str
    created: str
    documents: tuple[DocumentEntry, ...]
    bundle: BundleInfo
    checks: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "case_ref": self.case_ref,
            "created": self.created,
            "documents": [
                {
                    "title": d.title,
                    "file": d.file,
                    "sha256": d.sha256,
                    "pages": d.pages,
                    "first_page": d.first_page,
                }
                for d in self.documents
            ],
            "bundle": {
                "file": self.bundle.file,
                "sha256": self.bundle.sha256,
                "pages": self.bundle.pages,
            },
            "checks": dict(self.checks),
        }


@dataclass(frozen=True)
class TimetableCheck:
    """The panel copy rule: sent on or before the day due."""

    review_type: str
    publication: dt.date
    panel_copy_due: dt.date
    sent: dt.date

    @property
    def passed(self) -> bool:
        return self.sent <= self.panel_copy_due

    def describe_rule(self) -> str:
        if self.review_type == "scr":
            return "7 calendar days before publication"
        return "7 working days before publication"

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "review_type": self.review_type,
            "publication": self.publication.isoformat(),
            "panel_copy_due": self.panel_copy_due.isoformat(),
            "sent": self.sent.isoformat(),
        }


@dataclass(frozen=True)
class PackageResult:
    """What ``package`` did: the manifest when it wrote the bundle, else why it refused."""

    case_ref: str
    problems: tuple[str, ...]
    checks: Mapping[str, Any]
    manifest: Manifest | None = None
    outputs: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def written(self) -> bool:
        return self.manifest is not None

    @property
    def exit_code(self) -> int:
        return 0 if self.written else 1

    def to_json(self) -> dict[str, Any]:
        if self.manifest is not None:
            return self.manifest.to_json()
        return {
            "case_ref": self.case_ref,
            "refused": True,
            "problems": list(self.problems),
            "checks": dict(self.checks),
        }


# --------------------------------------------------------------------------- the request


@dataclass(frozen=True)
class Document:
    """A document to bundle: its title in the index and the file the author supplied."""

    title: str
    path: Path


@dataclass(frozen=True)
class CoverDetails:
    ref: str
    review_type: str
    partnership: str | None = None
    child: str | None = None
    initiated: dt.date | None = None
    completed: dt.date | None = None
    publication: dt.date | None = None
    panel_copy_due: dt.date | None = None
    sent: dt.date | None = None


@dataclass(frozen=True)
class PackageRequest:
    """Everything ``build_package`` needs, with case.toml and the flags already merged."""

    ref: str
    review_type: str
    documents: tuple[Document, ...]
    publication: dt.date
    sent: dt.date
    output_dir: Path
    partnership: str | None = None
    child: str | None = None
    initiated: dt.date | None = None
    completed: dt.date | None = None
    terms: tuple[str, ...] = ()
    case: Case | None = None
    skip_readability: bool = False
    notes: tuple[str, ...] = ()

    @property
    def bundle_path(self) -> Path:
        return self.output_dir / bundle_name(self.ref)

    @property
    def zip_path(self) -> Path:
        return self.output_dir / zip_name(self.ref)

    @property
    def manifest_path(self) -> Path:
        return self.output_dir / MANIFEST_NAME


def title_from_file(path: Path) -> str:
    """An attachment's index title from its file name: "appendix_1-chronology" -> "Appendix 1 chronology"."""
    words = " ".join(path.stem.replace("_", " ").replace("-", " ").split())
    return (words[:1].upper() + words[1:]) if words else path.name


def _visible_documents(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and not p.name.startswith(("~$", ".", ".~"))
        and p.suffix.lower() in DOCUMENT_SUFFIXES
    )


def find_final_documents(
    final_dir: Path, *, report: Path | None = None, response: Path | None = None
) -> tuple[Path, Path, list[Path]]:
    """The report and the response in ``final/``, and the other documents there.

    The report is the one .docx or .pdf whose name contains "report", the response the
    one whose name contains "response" (a name with both, such as "response to the
    report", is the response). Anything else is left for ``--attach``. A report or
    response given already is used as it is, and only the other one is looked for.
    """
    if not final_dir.is_dir():
        raise CaseError(
            "the case has no final/ folder",
            file=final_dir,
            advice="make it, put the finished report and response in it, and try again",
        )
    given = {p.resolve() for p in (report, response) if p is not None}
    docs = [p for p in _visible_documents(final_dir) if p.resolve() not in given]
    responses = [p for p in docs if RESPONSE_WORD in p.name.casefold()]
    reports = [p for p in docs if REPORT_WORD in p.name.casefold() and p not in responses]
    others = [p for p in docs if p not in responses and p not in reports]

    def one(found: list[Path], what: str, word: str, flag: str) -> Path:
        if len(found) == 1:
            return found[0]
        if not found:
            raise InputError(
                f'holds no {what} (a .docx or .pdf with "{word}" in its name)',
                file=final_dir,
                advice=f"put the finished {what} there, or name it with {flag}",
            )
        names = ", ".join(p.name for p in found)
        raise InputError(
            f"holds {len(found)} files that could be the {what} ({names})",
            file=final_dir,
            advice=f"keep only one of them in final/, or name the right one with {flag}",
        )

    if report is None:
        report = one(reports, "report", REPORT_WORD, "--report")
    else:
        others += reports
    if response is None:
        response = one(responses, "response", RESPONSE_WORD, "--response")
    else:
        others += responses
    return report, response, sorted(others)


def make_request(
    *,
    case: Case | None = None,
    ref: str | None = None,
    report: Path | None = None,
    response: Path | None = None,
    attachments: Sequence[Path] = (),
    publication: dt.date | None = None,
    sent: dt.date | None = None,
    review_type: str | None = None,
    terms_file: Path | None = None,
    output_dir: Path | None = None,
    skip_readability: bool = False,
    today: dt.date | None = None,
) -> PackageRequest:
    """Merge the flags with ``case.toml`` (flags win) and find the documents."""
    notes: list[str] = []
    ref = ref or (case.ref if case is not None else None)
    if not ref:
        raise InputError(
            "the review's reference is not known",
            advice="give it with --ref, or package a case folder with --case",
        )
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._-]*", ref):
        # The ref names the bundle's files: a / or .. would put them outside the folder.
        raise InputError(
            f'the reference "{ref}" cannot name the bundle\'s files: it may hold only letters, '
            "digits, spaces, dots, dashes and underscores, starting with a letter or digit",
            advice="give a --ref such as NS-2026-01 and try again",
        )
    review_type = review_type or (case.type if case is not None else "lcspr")
    if review_type not in REVIEW_TYPES:
        raise InputError(
            f'the review type "{review_type}" is not known',
            advice='use "scr" or "lcspr"',
        )
    publication = publication or (case.date("publication") if case is not None else None)
    if publication is None:
        raise InputError(
            "the publication date is not known, so the panel copy's due date cannot be checked",
            file=case.file if case is not None else None,
            advice="give it with --publication, or set review.publication in case.toml",
        )
    if report is None or response is None:
        if case is None:
            missing = " and ".join(
                flag
                for flag, value in (("--report", report), ("--response", response))
                if value is None
            )
            raise InputError(
                f"the report and the response are both needed, and {missing} was not given",
                advice="name them with --report and --response, or package a case folder "
                "with --case (they are then taken from its final/ folder)",
            )
        report, response, others = find_final_documents(
            case.folder("final"), report=report, response=response
        )
        attached = {Path(a).resolve() for a in attachments}
        others = [p for p in others if p.resolve() not in attached]
        locks = sorted(
            p.name
            for p in case.folder("final").iterdir()
            if p.is_file() and p.name.startswith(("~$", ".~lock."))
        )
        if locks:
            notes.append(
                f"Open in Word or LibreOffice (lock files in final/: {', '.join(locks)}): the "
                "last saved version is bundled; if it is still being changed, save and close "
                "it, then package again."
            )
        if others:
            notes.append(
                f"Not bundled from final/: {', '.join(p.name for p in others)} "
                f"(add {'it' if len(others) == 1 else 'them'} with --attach)."
            )
    if output_dir is None:
        if case is None:
            raise InputError("no output folder was given", advice="name one with --output")
        output_dir = case.folder("submission")
    documents = [Document(REPORT_TITLE, Path(report)), Document(RESPONSE_TITLE, Path(response))]
    documents += [Document(title_from_file(Path(a)), Path(a)) for a in attachments]
    terms: list[str] = []
    if terms_file is not None:
        from scrtool.checks.redaction import read_terms_file

        terms = list(read_terms_file(Path(terms_file)))
    return PackageRequest(
        ref=ref,
        review_type=review_type,
        documents=tuple(documents),
        publication=publication,
        sent=sent or today or dt.date.today(),
        output_dir=Path(output_dir),
        partnership=case.partnership if case is not None else None,
        child=case.child if case is not None else None,
        initiated=case.date("initiated") if case is not None else None,
        completed=case.date("completed") if case is not None else None,
        terms=tuple(terms),
        case=case,
        skip_readability=skip_readability,
        notes=tuple(notes),
    )


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


# --------------------------------------------------------------------------- the PDF


def _safe_text(text: str) -> str:
    """Text the standard PDF fonts can show (they cover Western European letters)."""
    return text.encode("cp1252", "replace").decode("cp1252")


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = _safe_text(text)
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "...", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "..."


def index_pages_needed(documents: int) -> int:
    return max(1, math.ceil(documents / _INDEX_ROWS_PER_PAGE))


def _pages_text(entry: DocumentEntry) -> str:
    if entry.pages == 1:
        return str(entry.first_page)
    return f"{entry.first_page}\u2013{entry.last_page}"


def _date_text(value: dt.date | None) -> str:
    return format_english(value) if value is not None else "not recorded"


def draw_front_matter(
    cover: CoverDetails, entries: Sequence[DocumentEntry], total_pages: int
) -> tuple[bytes, list[list[tuple[tuple[float, float, float, float], int]]]]:
    """The cover sheet and index with reportlab; returns the PDF and each index page's links.

    Links are returned as (rectangle, 0-based target page) per index page and added with
    pypdf once the documents are in place.
    """
    from reportlab.lib.colors import HexColor
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    width, height = _FRONT_PAGE_SIZE
    margin = 64.0
    text_width = width - 2 * margin
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=_FRONT_PAGE_SIZE, invariant=1, pageCompression=1)
    grey = HexColor("#555555")

    # Cover sheet.
    y = height - 110
    canvas.setFont("Helvetica", 12)
    canvas.setFillColor(grey)
    canvas.drawString(margin, y, "Submission to the Child Safeguarding Practice Review Panel")
    canvas.setFillColorRGB(0, 0, 0)
    y -= 40
    for line in simpleSplit(
        _safe_text(cover.partnership or "Safeguarding Children Partnership"),
        "Helvetica-Bold",
        22,
        text_width,
    ):
        canvas.setFont("Helvetica-Bold", 22)
        canvas.drawString(margin, y, line)
        y -= 28
    y -= 6
    type_name = REVIEW_TYPE_NAMES.get(cover.review_type, cover.review_type)
    for line in simpleSplit(
        _safe_text(f"{type_name}: {cover.child}" if cover.child else type_name),
        "Helvetica",
        15,
        text_width,
    ):
        canvas.setFont("Helvetica", 15)
        canvas.drawString(margin, y, line)
        y -= 20
    y -= 30
    rows = [
        ("Review reference", cover.ref),
        ("Review type", f"{type_name} ({cover.review_type.upper()})"),
        ("Child", cover.child or "not recorded"),
        ("Review initiated", _date_text(cover.initiated)),
        ("Review completed", _date_text(cover.completed)),
        ("Publication", _date_text(cover.publication)),
        ("Panel copy due", _date_text(cover.panel_copy_due)),
        ("Panel copy sent", _date_text(cover.sent)),
        ("Documents", f"{len(entries)} ({total_pages} pages in all)"),
    ]
    label_width = 150.0
    for label, value in rows:
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(margin, y, label)
        canvas.setFont("Helvetica", 11)
        canvas.drawString(
            margin + label_width,
            y,
            _fit(str(value), "Helvetica", 11, text_width - label_width),
        )
        y -= 22
    canvas.setFont("Helvetica", 9)
    canvas.setFillColor(grey)
    canvas.drawString(
        margin,
        margin,
        "Every document is bookmarked; the page numbers in the index are the bundle's own.",
    )
    canvas.showPage()

    # Index.
    links: list[list[tuple[tuple[float, float, float, float], int]]] = []
    per_page = _INDEX_ROWS_PER_PAGE
    row_height = 20.0
    pages_col = width - margin - 90
    chunks = [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    number = 0
    for page_no, chunk in enumerate(chunks):
        page_links: list[tuple[tuple[float, float, float, float], int]] = []
        y = height - 100
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont("Helvetica-Bold", 18)
        canvas.drawString(margin, y, "Index" if page_no == 0 else "Index (continued)")
        y -= 36
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(margin, y, "No.")
        canvas.drawString(margin + 36, y, "Document")
        canvas.drawString(pages_col, y, "Pages")
        y -= 6
        canvas.setLineWidth(0.5)
        canvas.line(margin, y, width - margin, y)
        y -= row_height - 4
        for entry in chunk:
            number += 1
            canvas.setFont("Helvetica", 11)
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawString(margin, y, f"{number}.")
            canvas.setFillColor(HexColor("#1a4f8b"))
            canvas.drawString(
                margin + 36, y, _fit(entry.title, "Helvetica", 11, pages_col - margin - 48)
            )
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawString(pages_col, y, _pages_text(entry))
            rect = (margin - 2, y - 5, width - margin + 2, y + 13)
            page_links.append((rect, entry.first_page - 1))
            y -= row_height
        links.append(page_links)
        canvas.showPage()
    canvas.save()
    return buf.getvalue(), links


def _displayed_size(
    page: PageObject,
) -> tuple[float, float, int, tuple[float, float, float, float]]:
    box = page.cropbox
    x0, y0, x1, y1 = (float(box.left), float(box.bottom), float(box.right), float(box.top))
    if x1 < x0:
        x0, x1 = x1, x0
    if y1 < y0:
        y0, y1 = y1, y0
    rotation = int(page.get("/Rotate", 0) or 0) % 360
    rotation -= rotation % 90
    w, h = x1 - x0, y1 - y0
    if rotation in (90, 270):
        w, h = h, w
    return w, h, rotation, (x0, y0, x1, y1)


def _stamp_matrix(rotation: int, box: tuple[float, float, float, float]) -> tuple[float, ...]:
    """Maps the upright overlay onto a page's user space, whatever its rotation and origin."""
    x0, y0, x1, y1 = box
    if rotation == 90:
        return (0, 1, -1, 0, x1, y0)
    if rotation == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotation == 270:
        return (0, -1, 1, 0, x0, y1)
    return (1, 0, 0, 1, x0, y0)


#: The stamp's font: Helvetica, one of the 14 fonts every PDF reader has (not embedded).
_STAMP_FONT = "/ScrtoolHelvetica"

#: The stream that opens every page's overlay (the page's own content follows it).
_OVERLAY_OPEN = b"q\n"


def page_number_stamps(sizes: Sequence[tuple[float, float]]) -> list[bytes]:
    """The text operators of "Page N of M" for each page, laid out by reportlab.

    Each stamp is drawn upright for the page as it is displayed (``sizes`` are the
    displayed width and height), bottom right. Only the operators are kept: building and
    re-reading a whole reportlab PDF of N pages cost more than the rest of the bundle.
    """
    import re

    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO(), invariant=1)
    total = len(sizes)
    stamps = []
    font_token: re.Pattern[str] | None = None
    for number, (w, h) in enumerate(sizes, start=1):
        text = f"Page {number} of {total}"
        size = 9.0 if min(w, h) >= 200 else max(4.0, min(w, h) / 25)
        x = w - min(36.0, w / 10) - stringWidth(text, "Helvetica", size)
        y = min(18.0, h / 20)
        obj = canvas.beginText()
        obj.setFont("Helvetica", size)
        obj.setFillColorRGB(0.2, 0.2, 0.2)
        obj.setTextOrigin(x, y)
        obj.textOut(text)
        code = obj.getCode()
        if font_token is None:
            found = re.search(r"(/\w+) [\d.]+ Tf", code)
            assert found, code
            font_token = re.compile(re.escape(found.group(1)) + r"(?= [\d.]+ Tf)")
        stamps.append(font_token.sub(_STAMP_FONT, code).encode("latin-1"))
    return stamps


#: Page keys that carry something other than what is printed on the page.
_PAGE_KEYS_DROPPED = (
    "/Annots", "/AA", "/Metadata", "/PieceInfo", "/StructParents", "/Thumb", "/B",
    "/ID", "/LastModified", "/SeparationInfo", "/Tabs", "/PZ",
)  # fmt: skip


def _clean_page(page: PageObject) -> None:
    for key in _PAGE_KEYS_DROPPED:
        if key in page:
            del page[key]


def _strip_object_metadata(writer: PdfWriter) -> None:
    """Remove XMP and private application data from every object (images, fonts, forms)."""
    from pypdf.generic import DictionaryObject, IndirectObject

    for obj in list(writer._objects):
        if not isinstance(obj, DictionaryObject):
            continue
        for key in ("/Metadata", "/PieceInfo", "/LastModified"):
            if key not in obj:
                continue
            value = obj.raw_get(key)
            del obj[key]
            if isinstance(value, IndirectObject) and value.pdf is writer:
                writer._objects[value.idnum - 1] = None  # type: ignore[call-overload]


def _stamp(writer: PdfWriter) -> list[bytes]:
    """Add "Page N of M" to every page of the bundle, upright whatever the page's rotation.

    The page's own content streams are kept as they are (not decoded and rewritten, as
    ``merge_page`` would), wrapped in q ... Q so nothing they leave in the graphics state
    moves the stamp, and followed by a small stream of the stamp's own. Returns each
    page's closing stream, so the second check can tell the overlay from the page.
    """
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    def stream(data: bytes) -> Any:
        s = DecodedStreamObject()
        s.set_data(data)
        return writer._add_object(s)

    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    layout = [_displayed_size(page) for page in writer.pages]
    stamps = page_number_stamps([(w, h) for w, h, _r, _b in layout])
    open_ref = stream(_OVERLAY_OPEN)
    closing: list[bytes] = []
    for page, (_w, _h, rotation, box), stamp in zip(writer.pages, layout, stamps, strict=True):
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        new_resources = DictionaryObject(resources)
        fonts = new_resources.get("/Font")
        new_fonts = DictionaryObject(fonts.get_object() if fonts is not None else {})
        new_fonts[NameObject(_STAMP_FONT)] = font
        new_resources[NameObject("/Font")] = new_fonts
        page[NameObject("/Resources")] = new_resources
        matrix = " ".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in _stamp_matrix(rotation, box))
        close = b"Q\nq " + matrix.encode("ascii") + b" cm " + stamp + b" Q\n"
        closing.append(close)
        close_ref = stream(close)
        contents = page.raw_get("/Contents") if "/Contents" in page else None
        parts: list[Any] = [open_ref]
        if contents is not None:
            resolved = contents.get_object()
            if isinstance(resolved, ArrayObject):
                parts.extend(resolved)
            elif hasattr(contents, "idnum"):
                parts.append(contents)
            else:  # a content stream written in place, which PDF does not allow
                parts.append(writer._add_object(resolved))
        parts.append(close_ref)
        page[NameObject("/Contents")] = ArrayObject(parts)
    return closing


def _document_id(request_ref: str, hashes: Sequence[str], cover: CoverDetails) -> bytes:
    digest = hashlib.sha256()
    digest.update(request_ref.encode("utf-8"))
    for h in hashes:
        digest.update(h.encode("ascii"))
    digest.update(repr(cover).encode("utf-8"))
    return digest.digest()[:16]


def _pdf_errors() -> tuple[type[Exception], ...]:
    from pypdf.errors import PyPdfError

    return (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError)


@dataclass(frozen=True)
class BuiltBundle:
    pdf: bytes
    entries: tuple[DocumentEntry, ...]
    pages: int
    #: Per bundle page: the checked input page it was copied from, or None (the cover,
    #: the index, a converted Word document's pages).
    origins: tuple[PageOrigin | None, ...] = ()
    #: Per bundle page: the stream that closes its overlay (the "Page N of M" stamp).
    overlays: tuple[bytes, ...] = ()


def assemble_bundle(
    cover: CoverDetails,
    documents: Sequence[tuple[str, str, str, Path | PdfReader]],
    *,
    checked: Collection[int] = (),
) -> BuiltBundle:
    """Build the bundle PDF in memory from (title, file name, sha256, PDF) per document.

    The PDF is a path or a reader already open; a reader's pages are changed in memory
    (their annotations and metadata are dropped), so it must not be used again.
    ``checked`` holds the indexes of the documents whose PDF is the one the first check
    read: their pages' fingerprints are kept (``BuiltBundle.origins``) so the second
    check can show that those pages reached the bundle unchanged.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.constants import PageLabelStyle
    from pypdf.generic import ArrayObject, ByteStringObject

    from scrtool.bundle.convert import pypdf_warnings

    readers = [pdf if isinstance(pdf, PdfReader) else PdfReader(pdf) for _, _, _, pdf in documents]
    counts = [len(r.pages) for r in readers]
    front = 1 + index_pages_needed(len(documents))
    entries = []
    first = front + 1
    for (title, file, digest, _), count in zip(documents, counts, strict=True):
        entries.append(
            DocumentEntry(title=title, file=file, sha256=digest, pages=count, first_page=first)
        )
        first += count
    total = first - 1

    front_pdf, links = draw_front_matter(cover, entries, total)
    front_reader = PdfReader(io.BytesIO(front_pdf))
    assert len(front_reader.pages) == front

    writer = PdfWriter()
    origins: list[PageOrigin | None] = []
    for page in front_reader.pages:
        writer.add_page(page)
        origins.append(None)
    for number, ((_title, file, _digest, _pdf), reader) in enumerate(
        zip(documents, readers, strict=True)
    ):
        memo: dict[tuple[int, int], bytes] = {}
        try:
            # Pages pypdf had to guess at may not be the pages the first check read: they
            # keep no origin and the second check reads them in full.
            with pypdf_warnings() as warned:
                first_origin = len(origins)
                for page in reader.pages:
                    origins.append(page_origin(number, page, memo) if number in checked else None)
                    _clean_page(page)
                    writer.add_page(page)
            if warned:
                origins[first_origin:] = [None] * (len(origins) - first_origin)
        except _pdf_errors() as exc:
            raise UnreadableInputError(
                f"its pages could not be copied into the bundle ({exc})",
                file=file,
                advice="open it and save (or export) it as PDF again, then try again",
            ) from exc
    _strip_object_metadata(writer)

    overlays = _stamp(writer)

    for index_page, page_links in enumerate(links, start=1):
        for rect, target in page_links:
            writer.add_annotation(
                page_number=index_page, annotation=Link(rect=rect, target_page_index=target)
            )
    for entry in entries:
        writer.add_outline_item(title=entry.title, page_number=entry.first_page - 1)
    writer.set_page_label(0, front - 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1)
    writer.set_page_label(front, total - 1, style=PageLabelStyle.DECIMAL, start=front + 1)
    writer.page_mode = "/UseOutlines"
    writer.metadata = None
    file_id = ByteStringObject(_document_id(cover.ref, [e.sha256 for e in entries], cover))
    writer._ID = ArrayObject([file_id, file_id])
    out = io.BytesIO()
    writer.write(out)
    return BuiltBundle(
        pdf=out.getvalue(),
        entries=tuple(entries),
        pages=total,
        origins=tuple(origins),
        overlays=tuple(overlays),
    )


# --------------------------------------------------------------------------- the second check
#
# The finished bundle is checked for redaction again before it is put in place. Reading
# the text of every page again is most of the work, and for a page copied from an input
# PDF it finds exactly what the first check found there: the page is the same page. So
# such a page is not read again when the bundle itself shows that it is the same: its
# content streams, byte for byte, its resources (fonts, images, forms) and every other
# entry of the page (boxes, rotation) are those of the page the first check read, and the
# only things added are the two overlay streams (q, and Q plus the stamp) and the stamp's
# font. Any difference, or anything that cannot be compared, and the page is read in full.
# Everything else is checked as before, in the finished bundle: the cover, the index,
# converted Word documents' pages, the stamp on every page, the document's properties and
# XMP, annotations and links, form fields, scripts, attachments, bookmarks and revisions.


class _Unverifiable(Exception):
    """A page whose objects cannot be compared (a loop, an absurd depth): read it in full."""


_MAX_DEPTH = 64


def _compare_errors() -> tuple[type[Exception], ...]:
    return (_Unverifiable, *_pdf_errors())


def _fingerprint(
    obj: Any, memo: dict[tuple[int, int], bytes], stack: set[tuple[int, int]], depth: int = 0
) -> bytes:
    """A digest of a PDF object and everything it refers to, whatever the object numbers.

    Streams count by their bytes as stored (not decoded), so the same digest means the
    same bytes reach a reader; ``memo`` holds the digests of one file's indirect objects.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    if depth > _MAX_DEPTH:
        raise _Unverifiable("too deep")
    if isinstance(obj, IndirectObject):
        key = (obj.idnum, obj.generation)
        found = memo.get(key)
        if found is not None:
            return found
        if key in stack:
            raise _Unverifiable("a loop")
        stack.add(key)
        try:
            value = _fingerprint(obj.get_object(), memo, stack, depth + 1)
        finally:
            stack.discard(key)
        memo[key] = value
        return value
    digest = hashlib.sha256()
    if isinstance(obj, DictionaryObject):
        digest.update(b"S" if isinstance(obj, StreamObject) else b"D")
        for key in sorted(obj):
            if isinstance(obj, StreamObject) and key == "/Length":
                continue
            digest.update(str(key).encode("utf-8", "surrogatepass") + b"\x00")
            digest.update(_fingerprint(obj.raw_get(key), memo, stack, depth + 1))
        if isinstance(obj, StreamObject):
            digest.update(hashlib.sha256(obj._data).digest())
    elif isinstance(obj, ArrayObject):
        digest.update(b"A%d" % len(obj))
        for item in obj:
            digest.update(_fingerprint(item, memo, stack, depth + 1))
    else:
        buf = io.BytesIO()
        if obj is None:
            buf.write(b"null")
        else:
            obj.write_to_stream(buf)
        digest.update(b"V" + buf.getvalue())
    return digest.digest()


#: Page entries compared one by one (contents, resources) or by their effect (the boxes
#: and rotation, which a page may inherit), or that the bundle drops or sets itself.
_PAGE_KEYS_APART = frozenset(
    {"/Parent", "/Contents", "/Resources", "/MediaBox", "/CropBox", "/Rotate", "/Annots",
     "/StructParents", *_PAGE_KEYS_DROPPED}
)  # fmt: skip


@dataclass(frozen=True)
class PageOrigin:
    """A checked input page, as fingerprints: what the bundle's copy must match."""

    document: int
    contents: tuple[bytes, ...]
    resources: bytes
    page: bytes


def _contents_streams(page: PageObject) -> list[Any]:
    from pypdf.generic import ArrayObject

    if "/Contents" not in page:
        return []
    raw = page.raw_get("/Contents")
    resolved = raw.get_object()
    return list(resolved) if isinstance(resolved, ArrayObject) else [raw]


def _resources_fingerprint(
    resources: Any, memo: dict[tuple[int, int], bytes], *, without_stamp_font: bool
) -> bytes:
    """The page's resources; the bundle's copy is compared without the stamp's font."""
    from pypdf.generic import DictionaryObject

    resolved = resources.get_object() if resources is not None else DictionaryObject()
    if not isinstance(resolved, DictionaryObject):
        raise _Unverifiable("resources are not a dictionary")
    digest = hashlib.sha256(b"R")
    stack: set[tuple[int, int]] = set()
    for key in sorted(k for k in resolved if k != "/Font"):
        digest.update(str(key).encode("utf-8", "surrogatepass") + b"\x00")
        digest.update(_fingerprint(resolved.raw_get(key), memo, stack))
    fonts = resolved.get("/Font")
    fonts = fonts.get_object() if fonts is not None else DictionaryObject()
    if not isinstance(fonts, DictionaryObject):
        raise _Unverifiable("fonts are not a dictionary")
    digest.update(b"/Font\x00")
    for key in sorted(fonts):
        if without_stamp_font and key == _STAMP_FONT:
            continue
        digest.update(str(key).encode("utf-8", "surrogatepass") + b"\x00")
        digest.update(_fingerprint(fonts.raw_get(key), memo, stack))
    return digest.digest()


def _page_fingerprint(page: PageObject, memo: dict[tuple[int, int], bytes]) -> bytes:
    """Every entry of the page that is not compared apart, and the boxes and rotation in effect."""
    digest = hashlib.sha256(b"P")
    stack: set[tuple[int, int]] = set()
    for key in sorted(k for k in page if k not in _PAGE_KEYS_APART):
        digest.update(str(key).encode("utf-8", "surrogatepass") + b"\x00")
        digest.update(_fingerprint(page.raw_get(key), memo, stack))
    for box in (page.mediabox, page.cropbox):
        # To a thousandth of a point: pypdf writes a box's numbers a little shorter than
        # it may read them (841.889763779528 comes back as 841.88976).
        digest.update(repr([round(float(v), 3) for v in box]).encode("ascii"))
    digest.update(b"rotate %d" % (int(page.rotation) % 360))
    return digest.digest()


def page_origin(
    document: int, page: PageObject, memo: dict[tuple[int, int], bytes]
) -> PageOrigin | None:
    """The fingerprints of an input page as the first check read it (None: not comparable)."""
    try:
        stack: set[tuple[int, int]] = set()
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None  # type: ignore[union-attr]
        if fonts is not None and _STAMP_FONT in fonts.get_object():
            return None  # the stamp's font would replace one of the page's own
        return PageOrigin(
            document=document,
            contents=tuple(_fingerprint(s, memo, stack) for s in _contents_streams(page)),
            resources=_resources_fingerprint(
                page.get("/Resources"), memo, without_stamp_font=False
            ),
            page=_page_fingerprint(page, memo),
        )
    except _compare_errors():
        return None


def _unchanged(
    page: PageObject, origin: PageOrigin, overlay: bytes, memo: dict[tuple[int, int], bytes]
) -> bool:
    """Whether the bundle's page is the input page plus the overlay and nothing else (if
    not, it is read in full)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    raw = page.raw_get("/Contents") if "/Contents" in page else None
    contents = raw.get_object() if raw is not None else None
    if not isinstance(contents, ArrayObject) or len(contents) < 2:
        return False
    first, last = contents[0], contents[-1]
    for ref, expected in ((first, _OVERLAY_OPEN), (last, overlay)):
        stream = ref.get_object() if isinstance(ref, IndirectObject) else None
        if not isinstance(stream, StreamObject) or "/Filter" in stream or stream._data != expected:
            return False
    stack: set[tuple[int, int]] = set()
    if tuple(_fingerprint(s, memo, stack) for s in contents[1:-1]) != origin.contents:
        return False
    resources = page.get("/Resources")
    if _resources_fingerprint(resources, memo, without_stamp_font=True) != origin.resources:
        return False
    if _page_fingerprint(page, memo) != origin.page:
        return False
    fonts = resources.get_object().get("/Font").get_object()  # type: ignore[union-attr]
    font = fonts.raw_get(_STAMP_FONT)
    expected_font = {
        "/Type": "/Font",
        "/Subtype": "/Type1",
        "/BaseFont": "/Helvetica",
        "/Encoding": "/WinAnsiEncoding",
    }
    resolved = font.get_object()
    return (
        isinstance(resolved, DictionaryObject)
        and {str(k): str(v) for k, v in resolved.items()} == expected_font
    )


@dataclass(frozen=True)
class RecheckCopy:
    """What the second check reads: the bundle, with unchanged input pages cut to the stamp."""

    pdf: bytes
    pages_unchanged: int
    pages_read: int


def recheck_copy(built: BuiltBundle) -> RecheckCopy:
    """The finished bundle as the second check reads it.

    Each page copied from a checked input PDF that the bundle shows to be unchanged (see
    above) keeps only its overlay: the stamp, which is read and checked like any text.
    The rest of the document (properties, XMP, outlines, names, forms, annotations and
    links) is kept as it is in the finished bundle. When no page qualifies, or the bundle
    is not the plain one-revision file it should be, the bundle itself is returned.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    whole = RecheckCopy(pdf=built.pdf, pages_unchanged=0, pages_read=built.pages)
    if not any(built.origins) or built.pdf.count(b"%%EOF") != 1:
        return whole
    from scrtool.readers.pdf import quiet_pypdf

    with quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(built.pdf))
            if set(reader.trailer.keys()) - {"/Size", "/Root", "/ID", "/Info"}:
                return whole
            pages = list(reader.pages)
        except _pdf_errors():
            return whole
        if len(pages) != len(built.origins) or len(built.overlays) != len(pages):
            return whole
        memo: dict[tuple[int, int], bytes] = {}
        unchanged: list[int] = []
        for number, (page, origin, overlay) in enumerate(
            zip(pages, built.origins, built.overlays, strict=True)
        ):
            if origin is None:
                continue
            try:
                if _unchanged(page, origin, overlay, memo):
                    unchanged.append(number)
            except _compare_errors():
                continue
        if not unchanged:
            return whole
        # A copy of the whole document, in which each unchanged page keeps only its
        # overlay streams and the stamp's font.
        writer = PdfWriter(clone_from=reader)
        if "/Info" not in reader.trailer:
            writer.metadata = None
        for number in unchanged:
            page = writer.pages[number]
            contents: Any = page["/Contents"].get_object()
            resources: Any = page["/Resources"].get_object()
            font = resources["/Font"].get_object().raw_get(_STAMP_FONT)
            page[NameObject("/Contents")] = ArrayObject([contents[0], contents[-1]])
            page[NameObject("/Resources")] = DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject(_STAMP_FONT): font})}
            )
        out = io.BytesIO()
        writer.write(out)
    cut = len(unchanged)
    return RecheckCopy(pdf=out.getvalue(), pages_unchanged=cut, pages_read=built.pages - cut)


# --------------------------------------------------------------------------- packaging


def _reader_sha256(reader: PdfReader) -> str | None:
    stream = getattr(reader, "stream", None)
    if isinstance(stream, io.BytesIO):
        return hashlib.sha256(stream.getbuffer()).hexdigest()
    return None


def check_bundle_again(built: BuiltBundle, request: PackageRequest, work: Path) -> dict[str, Any]:
    """The redaction check on the finished bundle (see ``recheck_copy``) and on the titles
    and file names the manifest carries; the result says how many pages were read again."""
    copy = recheck_copy(built)
    bundle_file = work / bundle_name(request.ref)
    bundle_file.write_bytes(copy.pdf)
    names_file = work / "manifest (titles and file names).txt"
    names_file.write_text(
        "\n".join([request.ref] + [f"{e.title}. {e.file}" for e in built.entries]) + "\n",
        encoding="utf-8",
    )
    again = run_redaction([bundle_file, names_file], request)
    again["pages_read_again"] = copy.pages_read
    again["pages_unchanged_from_checked_pdfs"] = copy.pages_unchanged
    return again


def _zip_bytes(members: Sequence[tuple[str, bytes]]) -> bytes:
    """A zip that is the same for the same members: fixed timestamps and attributes.

    A PDF is stored as it is (its streams are compressed already, so deflating it again
    takes time and saves a few per cent); anything else is deflated.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            stored = name.lower().endswith(".pdf")
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=None if stored else 6)
    return buf.getvalue()


def _writer(data: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(data)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def build_package(
    request: PackageRequest,
    *,
    created: str | None = None,
    convert: Callable[[Sequence[Path], Path], list[Path]] | None = None,
) -> PackageResult:
    """Check, build, check again, then write the bundle, manifest and zip together."""
    from scrtool.bundle.convert import was_repaired
    from scrtool.outputs import check_writable, write_all_atomic

    documents = list(request.documents)
    readers = check_inputs(documents)
    word_docs = [d.path for d in documents if d.path.suffix.lower() == ".docx"]
    if word_docs and convert is None:
        from scrtool.bundle.convert import require_soffice

        require_soffice(word_docs[0])
    targets = (request.bundle_path, request.manifest_path, request.zip_path)
    target_files = {t.resolve() for t in targets}
    for doc in documents:
        if doc.path.resolve() in target_files:  # inputs are never modified
            raise InputError(
                "is where this run would write its bundle, so it would be replaced",
                file=doc.path,
                advice="copy it somewhere else first, or write the new bundle to another "
                "folder with --output",
            )
    for target in targets:
        check_writable(target)

    paths = [d.path for d in documents]
    problems: list[str] = []
    checks: dict[str, Any] = {}

    redaction = run_redaction(paths, request)
    checks["redaction"] = _scrub(redaction, drop_text=True)
    problems += redaction_problems(redaction)

    readability = run_readability(paths, request)
    readability_failures = readability_problems(readability)
    checks["readability"] = {
        **_scrub(readability, drop_text=False),
        "skipped": request.skip_readability,
    }
    if not request.skip_readability:
        problems += readability_failures

    timetable = timetable_check(request)
    checks["timetable"] = timetable.to_json()
    if not timetable.passed:
        problems.append(timetable_problem(timetable))

    if problems:
        return PackageResult(
            case_ref=request.ref,
            problems=tuple(problems),
            checks=checks,
            notes=request.notes,
        )

    hashes = [sha256_file(p) for p in paths]
    # A PDF's pages are copied from the reader opened before the checks; if the file has
    # changed since, the checks read other bytes than those that would be bundled.
    checked = set()
    for number, (doc, digest) in enumerate(zip(documents, hashes, strict=True)):
        reader = readers.get(doc.path)
        if reader is None:
            continue
        if _reader_sha256(reader) != digest:
            raise InputError(
                "changed while it was being packaged",
                file=doc.path,
                advice="wait until nobody is saving it, then package again",
            )
        if not was_repaired(reader):
            checked.add(number)
    cover = CoverDetails(
        ref=request.ref,
        review_type=request.review_type,
        partnership=request.partnership,
        child=request.child,
        initiated=request.initiated,
        completed=request.completed,
        publication=request.publication,
        panel_copy_due=timetable.panel_copy_due,
        sent=request.sent,
    )
    with tempfile.TemporaryDirectory(prefix="scrtool-package-") as work_name:
        work = Path(work_name)
        pdfs: dict[Path, Path | PdfReader] = dict(readers)
        if word_docs:
            if convert is None:
                from scrtool.bundle.convert import convert_to_pdf

                convert = convert_to_pdf
            for src, pdf in zip(word_docs, convert(word_docs, work / "converted"), strict=True):
                pdfs[src] = pdf
        parts = [
            (d.title, d.path.name, digest, pdfs[d.path])
            for d, digest in zip(documents, hashes, strict=True)
        ]
        from scrtool.readers.pdf import quiet_pypdf

        try:
            with quiet_pypdf():
                built = assemble_bundle(cover, parts, checked=checked)
        except _pdf_errors() as exc:  # pypdf on a PDF it cannot take apart
            raise UnreadableInputError(
                f"the documents could not be put together into one PDF ({exc})",
                advice="open each PDF and save (or export) it again, then try again",
            ) from exc

        # Check again what actually leaves: the bundle's own text and metadata, and the
        # titles and file names that the manifest carries.
        again = check_bundle_again(built, request, work)
        checks["bundle_redaction"] = _scrub(again, drop_text=True)
        after = redaction_problems(again)
        if after:
            return PackageResult(
                case_ref=request.ref,
                problems=tuple(
                    f"the finished bundle failed the redaction check: {p}" for p in after
                ),
                checks=checks,
                notes=request.notes,
            )

    manifest = Manifest(
        case_ref=request.ref,
        created=created or _now(),
        documents=built.entries,
        bundle=BundleInfo(
            file=bundle_name(request.ref),
            sha256=hashlib.sha256(built.pdf).hexdigest(),
            pages=built.pages,
        ),
        checks=checks,
    )
    manifest_bytes = (json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )
    zipped = _zip_bytes([(bundle_name(request.ref), built.pdf), (MANIFEST_NAME, manifest_bytes)])
    outputs = write_all_atomic(
        [
            (request.bundle_path, _writer(built.pdf)),
            (request.manifest_path, _writer(manifest_bytes)),
            (request.zip_path, _writer(zipped)),
        ]
    )
    return PackageResult(
        case_ref=request.ref,
        problems=(),
        checks=checks,
        manifest=manifest,
        outputs=tuple(outputs),
        notes=request.notes,
    )


def package(
    *,
    case: Case | None = None,
    ref: str | None = None,
    report: Path | None = None,
    response: Path | None = None,
    attachments: Sequence[Path] = (),
    publication: dt.date | None = None,
    sent: dt.date | None = None,
    review_type: str | None = None,
    terms_file: Path | None = None,
    output_dir: Path | None = None,
    skip_readability: bool = False,
    today: dt.date | None = None,
) -> PackageResult:
    """``scrtool package``: merge flags with case.toml, check, build and write."""
    request = make_request(
        case=case,
        ref=ref,
        report=report,
        response=response,
        attachments=attachments,
        publication=publication,
        sent=sent,
        review_type=review_type,
        terms_file=terms_file,
        output_dir=output_dir,
        skip_readability=skip_readability,
        today=today,
    )
    return build_package(request)
