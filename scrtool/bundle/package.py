"""The National Panel's copy: one PDF bundle, its manifest and a zip holding both.

Court e-bundles set the standard people already know: a cover sheet, an index with page
ranges that link to each document, a bookmark per document and "Page N of M" on every
page. The bundle goes outside the partnership, so nothing from the inputs travels with it
except what a reader sees on the page: no document information, no XMP, no comments or
other annotations, no form fields, attachments or scripts.

Nothing is written until every check has passed: the redaction check and the draft check
on every document (neither skippable), the readability check (``skip_readability`` lets a failure through and
the manifest says so) and the timetable rule for the panel copy. The finished bundle is
then checked again before it is put in place, because a Word-to-PDF conversion can bring
back what the first check looked for (a hidden author, hidden text made visible).

The same inputs give the same PDF, byte for byte: the cover carries no creation time, the
file identifier is made from the inputs, and the zip's entries carry a fixed timestamp.
Only ``created`` in the manifest says when the bundle was made.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.case import Case
from scrtool.errors import InputError, UnreadableInputError

if TYPE_CHECKING:
    from pypdf import PdfReader
from scrtool.bundle.assemble import BuiltBundle, _pdf_errors, assemble_bundle
from scrtool.bundle.preflight import (
    _scrub,
    check_inputs,
    read_inputs,
    readability_problems,
    reader_bytes,
    redaction_problems,
    run_draft,
    run_readability,
    run_redaction,
    sha256_file,
    timetable_check,
    timetable_problem,
)
from scrtool.bundle.recheck import BundleRecheck, RecheckPlan, plan_recheck, read_for_recheck
from scrtool.bundle.request import (
    MANIFEST_NAME,
    ZIP_TIMESTAMP,
    BundleInfo,
    CoverDetails,
    Document,
    Manifest,
    PackageRequest,
    PackageResult,
    TimetableCheck,
    bundle_name,
    make_request,
)

# --------------------------------------------------------------------------- packaging


def check_bundle_again(
    built: BuiltBundle, request: PackageRequest, work: Path, *, plan: RecheckPlan | None = None
) -> BundleRecheck:
    """The redaction check on the finished bundle (see ``plan_recheck``; ``plan``: made
    already) and on the titles and file names the manifest carries; the result says how
    many pages were read again."""
    from scrtool.readers.documents import read_file

    plan = plan_recheck(built) if plan is None else plan
    bundle_file = work / bundle_name(request.ref)
    names_file = work / "manifest (titles and file names).txt"
    names_file.write_text(
        "\n".join([request.ref] + [f"{e.title}. {e.file}" for e in built.entries]) + "\n",
        encoding="utf-8",
    )
    if plan.reader is None:
        bundle_file.write_bytes(built.pdf)
        report = run_redaction([bundle_file, names_file], request)
    else:
        report = run_redaction(
            [bundle_file, names_file],
            request,
            read=[read_for_recheck(plan, built, bundle_file), read_file(names_file, visible=False)],
        )
    return BundleRecheck(report, plan.pages_read, plan.pages_unchanged)


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


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for one run (and restored as it was).

    A run makes hundreds of thousands of small objects (every object of every PDF, read
    and written) and keeps nearly all of them until it ends; the collector, set off by
    the count of new objects, kept walking all of them to find almost nothing: a tenth
    of the run. What is left for it is collected when it runs again after the run.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_package(
    request: PackageRequest,
    *,
    created: str | None = None,
    convert: Callable[[Sequence[Path], Path], list[Path]] | None = None,
) -> PackageResult:
    """Check, build, check again, then write the bundle, manifest and zip together."""
    with _collector_paused():
        return _build_package(request, created=created, convert=convert)


def _build_package(
    request: PackageRequest,
    *,
    created: str | None,
    convert: Callable[[Sequence[Path], Path], list[Path]] | None,
) -> PackageResult:
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
    timetable = timetable_check(request)
    cover = _cover(request, timetable)

    # Every document a PDF: the bundle is built (in memory) while PDFium lays out the
    # inputs' pages on a second thread, before the checks; it is kept only if they pass.
    early: _Bundled | None = None
    loading = None
    if not word_docs:
        from scrtool.readers.pdf import lay_out_ahead

        loading = lay_out_ahead([(_data(readers[p]), p, readers[p]) for p in paths])
    try:
        ahead = {}
        if loading is not None:
            ahead = dict(zip(paths, loading.documents, strict=True))
            with loading:  # no PDFium call in here: see scrtool.readers.pdf_ahead
                early = _bundle(cover, documents, readers)
        read = read_inputs(paths, readers, ahead)  # each input read once, for every check
    finally:
        if loading is not None:
            loading.close_unclaimed()
    redaction = run_redaction(paths, request, read=read)
    checks["redaction"] = _scrub(redaction, drop_text=True)
    problems += redaction_problems(redaction)

    # An unfinished document (a placeholder, DRAFT, a note to the officer) never goes.
    with tempfile.TemporaryDirectory(prefix="scrtool-draft-") as draft_work:
        draft, draft_failures = run_draft(
            paths, convert=_page_converter(convert), work=Path(draft_work), read=read
        )
    checks["draft"] = _scrub(draft, drop_text=True)
    problems += draft_failures

    readability = run_readability(paths, request, read=read)
    readability_failures = readability_problems(readability)
    checks["readability"] = {
        **_scrub(readability, drop_text=False),
        "skipped": request.skip_readability,
    }
    if not request.skip_readability:
        problems += readability_failures

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

    # A PDF's pages are copied from the bytes opened before the checks; if the file has
    # changed since, the checks read other bytes than those that would be bundled.
    for doc in documents:
        reader = readers.get(doc.path)
        if reader is not None and sha256_file(doc.path) != _sha256(_data(reader)):
            raise InputError(
                "changed while it was being packaged",
                file=doc.path,
                advice="wait until nobody is saving it, then package again",
            )
    with tempfile.TemporaryDirectory(prefix="scrtool-package-") as work_name:
        work = Path(work_name)
        if early is None:
            pdfs: dict[Path, PdfReader | Path] = dict(readers)
            if word_docs:
                if convert is None:
                    from scrtool.bundle.convert import convert_to_pdf

                    convert = convert_to_pdf
                for src, pdf in zip(word_docs, convert(word_docs, work / "converted"), strict=True):
                    pdfs[src] = pdf
            early = _bundle(cover, documents, pdfs)
        built = early.built()

        # Check again what actually leaves: the bundle's own text and metadata, and the
        # titles and file names that the manifest carries.
        again = check_bundle_again(built, request, work, plan=early.plan)
        checks["bundle_redaction"] = {
            **_scrub(again.report, drop_text=True),
            "pages_read_again": again.pages_read,
            "pages_unchanged_from_checked_pdfs": again.pages_unchanged,
        }
        after = redaction_problems(again.report)
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


def _cover(request: PackageRequest, timetable: TimetableCheck) -> CoverDetails:
    return CoverDetails(
        ref=request.ref,
        review_type=request.review_type,
        partnership=request.partnership,
        child=request.child,
        initiated=request.initiated,
        completed=request.completed,
        publication=request.publication,
        panel_copy_due=timetable.panel_copy_due,
        sent=request.sent,
        publication_basis=request.publication_basis,
    )


def _data(reader: PdfReader) -> bytes:
    data = reader_bytes(reader)
    assert data is not None  # check_inputs reads each file into memory
    return data


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class _Bundled:
    """The bundle built in memory and what the second check compares of it, or why it
    could not be built (said only if every check passes)."""

    bundle: BuiltBundle | None = None
    plan: RecheckPlan | None = None
    error: UnreadableInputError | None = None

    def built(self) -> BuiltBundle:
        if self.error is not None:
            raise self.error
        assert self.bundle is not None
        return self.bundle


def _bundle(
    cover: CoverDetails, documents: Sequence[Document], pdfs: Mapping[Path, PdfReader | Path]
) -> _Bundled:
    """The bundle of ``documents`` (each the reader ``check_inputs`` opened on a PDF, or
    a converted Word document's PDF), with the second check's comparison of it.

    Building the bundle changes the pages of the reader it copies from: the checks read
    the same bytes with readers of their own (``read_inputs``). A PDF's pages keep their
    origin (``checked``) when pypdf read the file without having to repair it. Makes no
    PDFium call (see ``_build_package``)."""
    from scrtool.bundle.convert import was_repaired
    from scrtool.readers.quiet import quiet_pypdf

    parts: list[tuple[str, str, str, Path | PdfReader]] = []
    checked = set()
    try:
        for number, doc in enumerate(documents):
            pdf = pdfs[doc.path]
            if isinstance(pdf, Path):
                parts.append((doc.title, doc.path.name, sha256_file(doc.path), pdf))
                continue
            if not was_repaired(pdf):
                checked.add(number)
            parts.append((doc.title, doc.path.name, _sha256(_data(pdf)), pdf))
        with quiet_pypdf():
            built = assemble_bundle(cover, parts, checked=checked)
    except _pdf_errors() as exc:  # pypdf on a PDF it cannot take apart
        return _Bundled(
            error=UnreadableInputError(
                f"the documents could not be put together into one PDF ({exc})",
                advice="open each PDF and save (or export) it again, then try again",
            )
        )
    except UnreadableInputError as exc:
        return _Bundled(error=exc)
    return _Bundled(bundle=built, plan=plan_recheck(built))


def _page_converter(
    convert: Callable[[Sequence[Path], Path], list[Path]] | None,
) -> Callable[[Sequence[Path], Path], list[Path]] | None:
    """How a failing .docx is turned into a PDF so its findings name their pages."""
    if convert is not None:
        return convert
    from scrtool.bundle.convert import convert_to_pdf

    return convert_to_pdf


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
