"""What is packaged (the request made from flags and case.toml) and what packaging returns."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.case import REVIEW_TYPES, Case
from scrtool.errors import CaseError, InputError

if TYPE_CHECKING:
    pass


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


#: What the panel copy's due day is counted from.
BASIS_WORDS = {
    "published": "the actual publication",
    "planned": "the planned publication",
    "improvements": "the publication of the information about the improvements",
    "not-published": "nothing: the report is not published",
}


@dataclass(frozen=True)
class TimetableCheck:
    """The panel copy rule: sent on or before the day due.

    ``basis`` says what the day is counted from: the actual publication once it is known,
    the planned one until then, or, for a report not published, the publication of the
    information about the improvements (nothing to count from when that is not dated).
    """

    review_type: str
    publication: dt.date | None
    panel_copy_due: dt.date | None
    sent: dt.date
    basis: str = "planned"

    @property
    def passed(self) -> bool:
        return self.panel_copy_due is None or self.sent <= self.panel_copy_due

    def describe_rule(self) -> str:
        if self.review_type == "scr":
            return f"7 calendar days before {BASIS_WORDS[self.basis]}"
        return f"7 working days before {BASIS_WORDS[self.basis]}"

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "review_type": self.review_type,
            "publication": self.publication.isoformat() if self.publication else None,
            "basis": self.basis,
            "panel_copy_due": self.panel_copy_due.isoformat() if self.panel_copy_due else None,
            "sent": self.sent.isoformat(),
        }


def publication_basis(case: Case | None, publication: dt.date | None) -> tuple[dt.date | None, str]:
    """The day the panel copy is judged against, and what it is (a key of ``BASIS_WORDS``).

    A ``--publication`` given on the command line wins; then case.toml's actual
    ``published``, then its planned ``publication``. A report not published is judged
    against the publication of the information about the improvements, when dated.
    """
    if case is not None and case.review.get("publish") is False:
        improvements = case.date("improvements_published") if case.type == "lcspr" else None
        return (improvements, "improvements") if improvements else (None, "not-published")
    if publication is not None:
        return publication, "planned"
    if case is not None and case.date("published") is not None:
        return case.date("published"), "published"
    if case is not None and case.date("publication") is not None:
        return case.date("publication"), "planned"
    return None, "planned"


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
    #: What ``publication`` is: "published", "planned", "improvements" or "not-published"
    #: (``BASIS_WORDS``), so the cover never shows a planned day as if it had happened.
    publication_basis: str = "planned"


@dataclass(frozen=True)
class PackageRequest:
    """Everything ``build_package`` needs, with case.toml and the flags already merged."""

    ref: str
    review_type: str
    documents: tuple[Document, ...]
    publication: dt.date | None
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
    publication_basis: str = "planned"

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


def check_ref(ref: str, what: str = "the bundle's files") -> str:
    """The review's reference, refused when it cannot name an output file safely."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._-]*", ref):
        # The ref names the output files: a / or .. would put them outside the folder.
        raise InputError(
            f'the reference "{ref}" cannot name {what}: it may hold only letters, '
            "digits, spaces, dots, dashes and underscores, starting with a letter or digit",
            advice="give a --ref such as NS-2026-01 and try again",
        )
    return ref


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
    check_ref(ref)
    review_type = review_type or (case.type if case is not None else "lcspr")
    if review_type not in REVIEW_TYPES:
        raise InputError(
            f'the review type "{review_type}" is not known',
            advice='use "scr" or "lcspr"',
        )
    publication, basis = publication_basis(case, publication)
    if publication is None and basis != "not-published":
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
        sent=sent
        or (case.date("panel_copy_sent") if case is not None else None)
        or today
        or dt.date.today(),
        output_dir=Path(output_dir),
        partnership=case.partnership if case is not None else None,
        child=case.child if case is not None else None,
        initiated=case.date("initiated") if case is not None else None,
        completed=case.date("completed") if case is not None else None,
        terms=tuple(terms),
        case=case,
        skip_readability=skip_readability,
        notes=tuple(notes),
        publication_basis=basis,
    )
