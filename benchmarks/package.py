"""Benchmark ``scrtool package`` against reading and merging the same PDFs (the floor).

Run: ``python3 benchmarks/package.py``. Builds, in a temporary folder, a 100-page report
and a 10-page response as PDFs (reportlab, plain English text), then measures, median of
a few repeats, in one run:

(a) the floor: pdfium extracting the text of every input page (the least any check must
    read) plus pypdf appending the two PDFs and writing one file;
(b) scrtool's package core (``scrtool.bundle.package.build_package``) on the same PDFs, with
    every check INSIDE the measured time: the redaction and readability checks on both
    documents, the panel copy date, building the bundle (cover, index, links, bookmarks,
    labels, page numbers), the second redaction check on the finished bundle, the
    manifest, the zip and the atomic writes;
(c) the same without the checks (``run_redaction``, ``run_readability``, ``run_draft``,
    ``check_bundle_again`` and ``page_origin``, the input pages' fingerprints for the
    second check, replaced by no-ops), to show what the bundle itself costs.

Then, for where the time goes: each check from a fresh start, and each step as
``build_package`` runs it on the one reading every check shares (opening the PDFs,
reading them once, each check on that reading, assembling the bundle).

The second check reads again only what the first did not read as it is: the cover, the
index, the stamps and the document's own parts; a page copied unchanged from a checked
input PDF is compared object for object instead (see ``scrtool.bundle.recheck.plan_recheck``).
The line "(reading every page of the bundle again)" shows what that saves.

Every timed run starts after a full collection of the garbage the one before left, so no
measure pays for another's (the floor's pypdf objects or scrtool's).

Goal: (b) at most 1.5x the floor. The LibreOffice conversion of a .docx of the same
length is timed separately (it is not part of (b): the inputs there are PDFs).
"""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

REPEATS = 7
REPORT_PAGES = 100
RESPONSE_PAGES = 10

SENTENCES = [
    "The health visitor saw the baby at home and wrote down what she saw.",
    "The school told the social worker that the child was often late.",
    "Nobody asked the child what life at home was like.",
    "The police shared what they knew at the meeting, but the notes were short.",
    "The family moved house twice in one year, and each move meant a new team.",
    "Staff were kind and worked hard, but they did not always talk to each other.",
    "The plan said who would visit and when, but the visits did not all happen.",
    "The review found that the records were clear about the facts.",
    "The mother said she felt listened to by the nurse.",
    "Managers checked the work each month and asked good questions.",
    "The learning is about sharing worries early and writing them down.",
    "Each agency has agreed what it will change and by when.",
]


def paragraph(seed: int, length: int = 6) -> str:
    return " ".join(SENTENCES[(seed + i * 5) % len(SENTENCES)] for i in range(length))


def make_pdf(path: Path, pages: int, title: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story: list = []
    for page in range(pages):
        story.append(Paragraph(f"{title}: part {page + 1}", styles["Heading2"]))
        for p in range(5):
            story.append(Paragraph(paragraph(page * 7 + p), styles["BodyText"]))
        story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=A4, author="", creator="", producer="").build(story[:-1])


def make_docx(path: Path, pages: int, title: str) -> None:
    from docx import Document

    doc = Document()
    for page in range(pages):
        doc.add_heading(f"{title}: part {page + 1}", 2)
        for p in range(5):
            doc.add_paragraph(paragraph(page * 7 + p))
        if page < pages - 1:
            doc.add_page_break()
    doc.save(str(path))


def floor(report: Path, response: Path, out: Path) -> None:
    import pypdfium2 as pdfium
    from pypdf import PdfWriter

    for path in (report, response):
        document = pdfium.PdfDocument(str(path))
        for page in document:
            page.get_textpage().get_text_bounded()
        document.close()

    writer = PdfWriter()
    writer.append(str(report))
    writer.append(str(response))
    with out.open("wb") as fh:
        writer.write(fh)


def make_request(report: Path, response: Path, out_dir: Path):
    from scrtool.bundle.request import REPORT_TITLE, RESPONSE_TITLE, Document, PackageRequest

    return PackageRequest(
        ref="NS-2026-01",
        review_type="lcspr",
        documents=(Document(REPORT_TITLE, report), Document(RESPONSE_TITLE, response)),
        publication=dt.date(2026, 9, 14),
        sent=dt.date(2026, 9, 1),
        output_dir=out_dir,
        partnership="Northshire Safeguarding Children Partnership",
        child="Child A",
        terms=("Lily-Mae Harrowgate", "Dean Voss", "Larkspur Close"),
    )


def forget_extractions() -> None:
    """Nothing is cached between runs any more: each run reads its inputs afresh."""


def scrtool_package(report: Path, response: Path, out_dir: Path) -> int:
    from scrtool.bundle.package import build_package

    forget_extractions()
    result = build_package(make_request(report, response, out_dir))
    if not result.written:
        raise SystemExit("the benchmark bundle was refused:\n" + "\n".join(result.problems))
    assert result.manifest is not None
    return result.manifest.bundle.pages


def median_time(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()  # each run starts clean: no run pays for the garbage of the one before
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    import scrtool.bundle.package as bundle_module

    with tempfile.TemporaryDirectory(prefix="scrtool-bench-package-") as tmp:
        base = Path(tmp)
        report = base / "overview-report.pdf"
        response = base / "partnership-response.pdf"
        make_pdf(report, REPORT_PAGES, "Overview report")
        make_pdf(response, RESPONSE_PAGES, "Partnership response")

        # Warm up imports and caches (textstat's dictionary, reportlab fonts) once.
        floor(report, response, base / "floor.pdf")
        pages = scrtool_package(report, response, base / "warm")

        # Interleaved, so a busy moment on the machine falls on both alike.
        t_floor_runs, t_scrtool_runs = [], []
        for _ in range(REPEATS):
            t_floor_runs.append(median_time(lambda: floor(report, response, base / "f.pdf"), 1))
            t_scrtool_runs.append(
                median_time(lambda: scrtool_package(report, response, base / "out"), 1)
            )
        t_floor = statistics.median(t_floor_runs)
        t_scrtool = statistics.median(t_scrtool_runs)

        import scrtool.bundle.assemble as assemble_module

        real = {
            name: getattr(bundle_module, name)
            for name in ("run_redaction", "run_readability", "run_draft", "check_bundle_again")
        }
        real_origin = assemble_module.page_origin
        from scrtool.bundle.recheck import BundleRecheck
        from scrtool.checks.readability import ReadabilityReport
        from scrtool.checks.redaction import RedactionReport

        real["read_inputs"] = bundle_module.read_inputs
        clean = RedactionReport(files=())
        bundle_module.read_inputs = lambda paths, readers=None, ahead=None: []  # type: ignore[assignment]
        bundle_module.run_redaction = lambda paths, request, read=None: clean  # type: ignore[assignment]
        bundle_module.run_readability = (  # type: ignore[assignment]
            lambda paths, request, read=None: ReadabilityReport(passed=True, files=())
        )
        bundle_module.run_draft = lambda paths, **kwargs: ({"passed": True, "files": []}, [])  # type: ignore[assignment]
        bundle_module.check_bundle_again = (  # type: ignore[assignment]
            lambda built, request, work, plan=None: BundleRecheck(clean, 0, 0)
        )
        real["plan_recheck"] = bundle_module.plan_recheck
        bundle_module.plan_recheck = lambda built: None  # type: ignore[assignment]
        import scrtool.readers.pdf as pdf_module

        real_ahead = pdf_module.lay_out_ahead

        def no_pages_ahead(inputs):  # type: ignore[no-untyped-def]
            documents = [pdf_module.PagesAhead(None) for _ in inputs]
            for ahead in documents:
                ahead.claimed = True  # nothing to lay out or close
            return pdf_module.Loading(documents, limit=0)

        pdf_module.lay_out_ahead = no_pages_ahead  # type: ignore[assignment]
        assemble_module.page_origin = lambda document, page, memo: None  # type: ignore[assignment]
        try:
            t_bare_runs = []
            for _ in range(REPEATS):
                t_floor_runs.append(median_time(lambda: floor(report, response, base / "f.pdf"), 1))
                t_bare_runs.append(
                    median_time(lambda: scrtool_package(report, response, base / "bare"), 1)
                )
            t_bare = statistics.median(t_bare_runs)
            t_floor = statistics.median(t_floor_runs)
        finally:
            for name, function in real.items():
                setattr(bundle_module, name, function)
            assemble_module.page_origin = real_origin
            pdf_module.lay_out_ahead = real_ahead  # type: ignore[assignment]

        print(f"inputs: {REPORT_PAGES}-page report + {RESPONSE_PAGES}-page response (PDF)")
        print(f"bundle: {pages} pages; median of {REPEATS} runs each")
        print(
            f"floor (pdfium text of every input page + pypdf append and write): {t_floor * 1000:8.1f} ms"
        )
        print(
            f"scrtool package core, checks included: {t_scrtool * 1000:8.1f} ms  "
            f"ratio {t_scrtool / t_floor:.2f}x (goal <= 1.5x)"
        )
        print(
            f"scrtool package core, checks left out: {t_bare * 1000:8.1f} ms  "
            f"ratio {t_bare / t_floor:.2f}x"
        )

        # Where the checks' time goes (each is scrtool.checks.redaction / scrtool.checks.readability,
        # called exactly as build_package calls them, each from a fresh start).
        from pypdf import PdfReader

        from scrtool.bundle.assemble import assemble_bundle
        from scrtool.bundle.request import CoverDetails

        request = make_request(report, response, base / "parts")
        bundle_pdf = next((base / "out").glob("*.pdf"))
        built = assemble_bundle(
            CoverDetails(ref="NS-2026-01", review_type="lcspr"),
            [
                ("Review report", report.name, "0" * 64, PdfReader(report)),
                ("Partnership response", response.name, "0" * 64, PdfReader(response)),
            ],
            checked={0, 1},
        )
        (base / "again").mkdir()

        def both_checks_on_the_inputs() -> None:
            read = bundle_module.read_inputs([report, response])
            bundle_module.run_redaction([report, response], request, read=read)
            bundle_module.run_readability([report, response], request, read=read)

        def fresh(fn):  # type: ignore[no-untyped-def]
            def run() -> None:
                forget_extractions()
                fn()

            return run

        parts = {
            "redaction check on the 2 inputs": fresh(
                lambda: bundle_module.run_redaction([report, response], request)
            ),
            "readability check on the 2 inputs": fresh(
                lambda: bundle_module.run_readability([report, response], request)
            ),
            "both checks on the 2 inputs": both_checks_on_the_inputs,
            "draft check on the 2 inputs": fresh(
                lambda: bundle_module.run_draft([report, response])
            ),
            "second check on the finished bundle": fresh(
                lambda: bundle_module.check_bundle_again(built, request, base / "again")
            ),
            "(reading every page of the bundle again)": fresh(
                lambda: bundle_module.run_redaction([bundle_pdf], request)
            ),
        }
        for label, fn in parts.items():
            print(f"  of which {label + ':':42s} {median_time(fn, 3) * 1000:8.1f} ms")

        # The same steps as build_package runs them: each PDF opened once by pypdf
        # (check_inputs), read once (read_inputs), every check on that one reading.
        from scrtool.bundle.preflight import check_inputs
        from scrtool.bundle.request import Document as RequestDocument

        paths = [report, response]
        documents = [
            RequestDocument("Review report", report),
            RequestDocument("Response", response),
        ]
        opened = check_inputs(documents)
        read = bundle_module.read_inputs(paths, opened)

        def assemble_opened(readers) -> None:  # type: ignore[no-untyped-def]
            assemble_bundle(
                CoverDetails(ref="NS-2026-01", review_type="lcspr"),
                [(d.title, d.path.name, "0" * 64, readers[d.path]) for d in documents],
                checked={0, 1},
            )

        in_package = {
            "opening the 2 PDFs (pypdf)": (lambda: None, lambda _: check_inputs(documents)),
            "reading them once for every check": (
                lambda: check_inputs(documents),
                lambda readers: bundle_module.read_inputs(paths, readers),
            ),
            "redaction check on that reading": (
                lambda: None,
                lambda _: bundle_module.run_redaction(paths, request, read=read),
            ),
            "draft check on that reading": (
                lambda: None,
                lambda _: bundle_module.run_draft(paths, read=read),
            ),
            "readability check on that reading": (
                lambda: None,
                lambda _: bundle_module.run_readability(paths, request, read=read),
            ),
            "assembling the bundle (cover to write)": (
                lambda: check_inputs(documents),
                assemble_opened,
            ),
        }
        print("as package runs them, one reading shared by every check:")
        for label, (setup, fn) in in_package.items():
            times = []
            for _ in range(5):
                state = setup()
                start = time.perf_counter()
                fn(state)
                times.append(time.perf_counter() - start)
            print(f"  {label + ':':50s} {statistics.median(times) * 1000:8.1f} ms")
        del opened

        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice:
            from scrtool.bundle.convert import convert_to_pdf

            docx = base / "overview-report.docx"
            make_docx(docx, REPORT_PAGES, "Overview report")
            start = time.perf_counter()
            (pdf,) = convert_to_pdf([docx], base / "converted")
            t_convert = time.perf_counter() - start
            from pypdf import PdfReader

            print(
                f"LibreOffice .docx -> PDF ({len(PdfReader(pdf).pages)} pages, one run, "
                f"not in the figures above): {t_convert:.2f} s"
            )
        else:
            print("LibreOffice is not installed: conversion not timed")


if __name__ == "__main__":
    main()
