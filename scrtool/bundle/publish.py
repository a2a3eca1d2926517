"""The website copy: the report (and the response) as accessible, tagged PDF.

A partnership keeps the published report on its website for at least a year, and the
accessibility regulations ask that a screen reader user can read it like everyone else.
``publish`` makes that copy from the Word documents through LibreOffice (tagged PDF,
PDF/UA, bookmarks from the headings, the title in the window title), then sets the
language to British English and removes every personal entry from the metadata without
touching the tags (``tagged_pdf``).

Nothing is written until every check has passed. On the Word documents: the redaction
check with the case's register, the draft check and the accessibility check. On the
PDFs made from them, in a temporary folder: the accessibility check again (a conversion
can lose what the Word document had) and the redaction check (it can bring back what
the first check looked for). Only then are the PDFs moved into the output folder, all
together or not at all.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool.bundle.request import REPORT_WORD, RESPONSE_WORD, check_ref
from scrtool.case import Case
from scrtool.errors import InputError, OutputError, Reason, ToolMissingError

NEEDS_LIBREOFFICE = (
    "scrtool publish makes the website copy with LibreOffice, which is not installed"
)
LIBREOFFICE_ADVICE = "install LibreOffice (free, from libreoffice.org) and try again"

Converter = Callable[..., list[Path]]


def output_name(ref: str, kind: str) -> str:
    return f"{ref}-{kind}.pdf"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class PublishedFile:
    """One PDF written for the website, as the JSON lists it."""

    file: str
    pages: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "pages": self.pages, "sha256": self.sha256}


@dataclass(frozen=True)
class PublishResult:
    """What ``publish`` did: the files it wrote, or why it wrote nothing."""

    ref: str
    problems: tuple[str, ...] = ()
    checks: Mapping[str, Any] = field(default_factory=dict)
    outputs: tuple[PublishedFile, ...] = ()
    written: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def exit_code(self) -> int:
        return 1 if self.refused else 0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "outputs": [o.to_json() for o in self.outputs],
            "checks": dict(self.checks),
        }
        if self.refused:
            out["refused"] = True
            out["problems"] = list(self.problems)
        return out


# --------------------------------------------------------------------------- the request


@dataclass(frozen=True)
class Source:
    """A Word document to publish and the kind of document it is (report, response)."""

    kind: str
    path: Path


@dataclass(frozen=True)
class PublishRequest:
    ref: str
    sources: tuple[Source, ...]
    output_dir: Path
    case: Case | None = None
    notes: tuple[str, ...] = ()

    def target(self, source: Source) -> Path:
        return self.output_dir / output_name(self.ref, source.kind)


def _visible_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.startswith(("~$", ".", ".~"))
    )


def _from_final(final: Path, kind: str, flag: str, *, required: bool) -> Path | None:
    """The one .docx in final/ whose name says what it is (a name with "response" in it
    is the response, even when it says "report" too)."""
    if not final.is_dir():
        raise InputError(
            "the case has no final/ folder",
            file=final,
            advice="make it, put the finished report in it, and try again",
            reason=Reason.MISSING,
        )
    files = _visible_files(final)

    def is_kind(p: Path) -> bool:
        name = p.name.casefold()
        if kind == "response":
            return RESPONSE_WORD in name
        return REPORT_WORD in name and RESPONSE_WORD not in name

    found = [p for p in files if is_kind(p) and p.suffix.lower() == ".docx"]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise InputError(
            f"holds {len(found)} Word documents that could be the {kind} ({names})",
            file=final,
            advice=f"keep only one of them in final/, or name the right one with {flag}",
        )
    others = [p.name for p in files if is_kind(p)]
    if not required:
        return None
    if others:
        raise InputError(
            f"holds no Word document for the {kind} (only {', '.join(others)}); publish makes "
            "the website copy from the Word document so that it is tagged for screen readers",
            file=final,
            advice=f"put the finished {kind} there as .docx, or name it with {flag}",
        )
    raise InputError(
        f'holds no {kind} (a .docx with "{kind}" in its name)',
        file=final,
        advice=f"put the finished {kind} there, or name it with {flag}",
        reason=Reason.MISSING,
    )


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def make_publish_request(
    *,
    case: Case | None = None,
    ref: str | None = None,
    report: Path | None = None,
    response: Path | None = None,
    output_dir: Path | None = None,
) -> PublishRequest:
    """Merge the flags with case.toml (flags win) and find the documents in final/."""
    ref = ref or (case.ref if case is not None else None)
    if not ref:
        raise InputError(
            "the review's reference is not known",
            advice="give it with --ref, or publish a case folder with --case",
            reason=Reason.BAD_ARGUMENTS,
        )
    check_ref(ref, "the published files")
    if output_dir is None:
        raise InputError(
            "no output folder was given",
            advice="name the folder for the website copy with --output",
            reason=Reason.BAD_ARGUMENTS,
        )
    if Path(output_dir).exists() and not Path(output_dir).is_dir():
        raise OutputError(
            "is a file, not a folder, so the website copy cannot be written into it",
            file=output_dir,
            advice="name a folder with --output",
            reason=Reason.NOT_A_FILE,
        )
    if case is not None and _same_folder(Path(output_dir), case.folder("final")):
        raise InputError(
            "is the case's final/ folder, where scrtool package would take the PDFs for the "
            "finished report and response",
            file=output_dir,
            advice="write the website copy into another folder, such as website",
            reason=Reason.BAD_ARGUMENTS,
        )
    if report is None:
        if case is None:
            raise InputError(
                "no report was given",
                advice="name the Word document with --report, or publish a case folder "
                "with --case (the report is then taken from its final/ folder)",
                reason=Reason.BAD_ARGUMENTS,
            )
        report = _from_final(case.folder("final"), "report", "--report", required=True)
        assert report is not None  # required: found, or refused
    if response is None and case is not None:
        response = _from_final(case.folder("final"), "response", "--response", required=False)
    sources = [Source("report", Path(report))]
    if response is not None:
        sources.append(Source("response", Path(response)))
    check_sources(sources)
    return PublishRequest(
        ref=ref,
        sources=tuple(sources),
        output_dir=Path(output_dir),
        case=case,
        notes=tuple(_open_notes(sources) + _stale_notes(ref, Path(output_dir), sources)),
    )


def _open_notes(sources: Sequence[Source]) -> list[str]:
    """A note for each document that Word or LibreOffice has open (its lock file is there):
    the last saved version is what gets published."""
    from scrtool.outputs import lock_files

    notes = []
    for source in sources:
        path = source.path
        if any(lock.exists() for lock in lock_files(path)):
            notes.append(
                f"{path.name} is open in Word or LibreOffice: the last saved version is "
                "published; if it is still being changed, save and close it, then publish again."
            )
    return notes


def _stale_notes(ref: str, output_dir: Path, sources: Sequence[Source]) -> list[str]:
    """A note when the output folder holds a response from an earlier run and this run
    has none: it is left as it is (it may still be the right one), but it was not
    checked or made again, so whoever puts the folder on the website should know."""
    kinds = {s.kind for s in sources}
    old = output_dir / output_name(ref, "response")
    if "response" in kinds or not old.is_file():
        return []
    return [
        f"{old} is from an earlier run: this run made no response, so it was left as it "
        "was. Delete it if it should not go on the website, or give --response to make "
        "it again."
    ]


def check_sources(sources: Sequence[Source]) -> None:
    """Each document exists, is a Word document that opens, and is given once: else exit 2."""
    from scrtool.bundle.convert import check_convertible

    seen: dict[Path, Source] = {}
    for source in sources:
        path = source.path
        if not path.exists():
            raise InputError(
                f"the {source.kind} does not exist",
                file=path,
                advice="check the name and the folder, then try again",
                reason=Reason.MISSING,
            )
        if not path.is_file():
            raise InputError(
                f"the {source.kind} is a folder, not a document",
                file=path,
                advice="name the Word document itself",
                reason=Reason.NOT_A_FILE,
            )
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            raise InputError(
                f"the {source.kind} is a PDF, and publish makes the website copy from the "
                "Word document, so that it is tagged for screen readers",
                file=path,
                advice="give the .docx it was saved from",
                reason=Reason.WRONG_KIND,
            )
        if suffix != ".docx":
            raise InputError(
                f'the {source.kind} is a "{path.suffix or "no extension"}" file, and publish '
                "takes a Word document (.docx)",
                file=path,
                advice="open it in Word, save it as .docx and try again",
                reason=Reason.WRONG_KIND,
            )
        key = path.resolve()
        if key in seen:
            raise InputError(
                f"is given as both the {seen[key].kind} and the {source.kind}",
                file=path,
                advice="give each document once",
            )
        seen[key] = source
        check_convertible(path)


# --------------------------------------------------------------------------- the checks


def _scrub(report: Any) -> dict[str, Any]:
    """A check's report for the JSON: file names only, and no finding's text (it can be
    a name the redaction check found)."""
    from scrtool.bundle.preflight import _scrub as scrub

    return scrub(report, drop_text=True)


def _accessibility(paths: Sequence[Path]) -> tuple[Any, list[str]]:
    from scrtool.checks.accessibility import check_accessibility, refusal_lines

    report = check_accessibility(list(paths))
    return report, ([] if report.passed else refusal_lines(report))


def check_documents(
    request: PublishRequest, *, convert: Converter, work: Path
) -> tuple[dict[str, Any], list[str]]:
    """The checks on the Word documents: redaction, draft, accessibility (the first two
    on one reading of each document, as ``package`` does)."""
    from scrtool.bundle.preflight import read_inputs, redaction_problems, run_draft
    from scrtool.checks.redaction import RedactionReport, build_matcher, check_read_file

    paths = [s.path for s in request.sources]
    checks: dict[str, Any] = {}
    problems: list[str] = []
    read = read_inputs(paths)
    matcher = build_matcher(case=request.case)
    redaction = RedactionReport(files=tuple(check_read_file(r, matcher) for r in read))
    checks["redaction"] = _scrub(redaction)
    problems += redaction_problems(redaction)
    draft, draft_problems = run_draft(paths, convert=convert, work=work, read=read)
    checks["draft"] = _scrub(draft)
    problems += draft_problems
    accessibility, access_problems = _accessibility(paths)
    checks["accessibility"] = _scrub(accessibility)
    problems += access_problems
    return checks, problems


def check_made(
    request: PublishRequest, made: Mapping[Source, Path]
) -> tuple[dict[str, Any], list[str]]:
    """The checks on the PDFs made, before they are put in place."""
    from scrtool.bundle.preflight import redaction_problems
    from scrtool.checks.redaction import check_redaction

    paths = list(made.values())
    checks: dict[str, Any] = {}
    accessibility, access_problems = _accessibility(paths)
    checks["published_accessibility"] = _scrub(accessibility)
    redaction = check_redaction(paths, case=request.case)
    checks["published_redaction"] = _scrub(redaction)
    after = access_problems + redaction_problems(redaction)
    return checks, [f"the PDF made for the website failed a check: {p}" for p in after]


# --------------------------------------------------------------------------- publishing


def document_title(path: Path) -> str:
    """The Word document's title property (File, Info, Title), as Word shows it."""
    import docx

    from scrtool.readers.quiet import library_messages

    with library_messages():
        title = docx.Document(str(path)).core_properties.title or ""
    return " ".join(title.split())


def _require_libreoffice() -> str:
    from scrtool.bundle.convert import find_soffice

    soffice = find_soffice()
    if soffice is None:
        raise ToolMissingError(NEEDS_LIBREOFFICE, advice=LIBREOFFICE_ADVICE)
    return soffice


def _is_tagged(pdf: Path) -> bool:
    from pypdf import PdfReader

    from scrtool.readers.quiet import quiet_pypdf

    with quiet_pypdf():
        root: Any = PdfReader(pdf).trailer["/Root"]
        return root.get_object().get("/StructTreeRoot") is not None


def make_pdfs(request: PublishRequest, work: Path, convert: Converter) -> dict[Source, Path]:
    """Convert each document to tagged PDF and finish it, in ``work``."""
    from scrtool.bundle.convert import TAGGED_PDF
    from scrtool.bundle.tagged_pdf import finish_tagged_pdf
    from scrtool.bundle.word_copy import chart_descriptions, prepare_copy

    sources = list(request.sources)
    # LibreOffice converts a copy put right where it reads Word differently: decorative
    # pictures and heading styles without an outline level (see ``word_copy``).
    inputs = []
    for i, source in enumerate(sources):
        copy = work / "copies" / str(i) / source.path.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        inputs.append(copy if prepare_copy(source.path, copy) else source.path)
    converted = convert(inputs, work / "converted", convert_to=TAGGED_PDF)
    finished = work / "published"
    finished.mkdir(parents=True, exist_ok=True)
    made: dict[Source, Path] = {}
    for source, pdf in zip(sources, converted, strict=True):
        if not _is_tagged(pdf):
            raise ToolMissingError(
                "the installed LibreOffice did not make a tagged PDF, so the website copy "
                "would not be accessible",
                file=source.path,
                advice="install LibreOffice 7.4 or later and try again",
            )
        title = document_title(source.path)
        target = finished / output_name(request.ref, source.kind)
        charts = chart_descriptions(source.path)
        target.write_bytes(finish_tagged_pdf(pdf, title=title, charts=charts))
        made[source] = target
    return made


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_publication(
    request: PublishRequest, *, convert: Converter | None = None
) -> PublishResult:
    """Check the documents, make the PDFs, check them, then write them all or none."""
    from scrtool.bundle.convert import convert_to_pdf, pdf_page_count
    from scrtool.outputs import check_writable, write_all_atomic

    if convert is None:
        _require_libreoffice()
        convert = convert_to_pdf
    targets = [request.target(s) for s in request.sources]
    for target in targets:
        check_writable(target)

    with tempfile.TemporaryDirectory(prefix="scrtool-publish-") as work_name:
        work = Path(work_name)
        checks, problems = check_documents(request, convert=convert, work=work)
        if problems:
            return PublishResult(
                ref=request.ref, problems=tuple(problems), checks=checks, notes=request.notes
            )
        made = make_pdfs(request, work, convert)
        after, problems = check_made(request, made)
        checks.update(after)
        if problems:
            return PublishResult(
                ref=request.ref, problems=tuple(problems), checks=checks, notes=request.notes
            )
        outputs = []
        jobs = []
        for source, pdf in made.items():
            data = pdf.read_bytes()
            outputs.append(
                PublishedFile(
                    file=pdf.name,
                    pages=pdf_page_count(pdf, source=source.path),
                    sha256=_sha256(data),
                )
            )
            jobs.append((request.target(source), _writer(data)))
        written = write_all_atomic(jobs)
    return PublishResult(
        ref=request.ref,
        checks=checks,
        outputs=tuple(outputs),
        written=tuple(written),
        notes=request.notes,
    )


def _writer(data: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(data)


def publish(
    *,
    case: Case | None = None,
    ref: str | None = None,
    report: Path | None = None,
    response: Path | None = None,
    output_dir: Path | None = None,
) -> PublishResult:
    """``scrtool publish``: merge the flags with case.toml, check, make and write."""
    request = make_publish_request(
        case=case, ref=ref, report=report, response=response, output_dir=output_dir
    )
    return build_publication(request)
