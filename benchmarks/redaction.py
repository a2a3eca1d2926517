"""How fast ``scrtool check redaction`` is against the floor: ``python3 benchmarks/redaction.py``.

Builds, in a temporary folder, a 200-page report as .docx (python-docx: headings,
paragraphs, a table every few pages, footnote-sized notes in the footer, a comment) and
its PDF, converted by LibreOffice when ``soffice`` is installed (the real thing), or
else drawn with reportlab from the same text (the output says which). Then, in this
process, in rounds: each round runs every measurement below once, one after the other,
so a busy moment on the machine slows the floor and the check alike (the median of the
rounds is printed):

(a) the floor for the .docx: unzip every XML part, parse it with lxml and join all its
    text (what any reader of every part must do);
(b) ``check_redaction`` on the .docx with the sample case's register;
(c) the floor for the PDF: ``pdftotext`` on it, in its own process, as a user runs it;
(d) ``check_redaction`` on the PDF (page text, covered and invisible text, annotations,
    metadata, scripts, attachments, revisions), in-process, nothing cached;
(e) the redaction and readability checks one after the other on the PDF, as
    ``scrtool package`` runs them (one extraction shared);
(f) for information, ``scrtool check redaction FILE --json`` in a fresh process.

Then (g): (c) and (d) on 20 diagram pages of 1,500 labelled boxes each, the shape of a
real chart-heavy report. Goals: (b) at most 2x (a); (d) at most 2x (c), on both PDFs;
(e) at most 2.5x (c). The peak memory of
``check redaction`` on a 1,000-page PDF (the same pages copied five times) is printed,
measured in a fresh process (goal: under 300 MB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PAGES = 200
PARAGRAPHS_PER_PAGE = 7

SENTENCES = [
    "Child A lived with Mother and Sibling B in a rented flat in Northshire.",
    "The Health Visitor saw Child A on {date} and recorded that weight gain was slow.",
    "Northshire Children's Social Care held a Section 47 strategy discussion at {time}.",
    "Brookside Medical Practice had no record of the missed appointment until {date}.",
    "Attendance at school fell to {pct}% in the spring term, which was not shared.",
    "The police log (reference {ref}) shows a call from a neighbour about shouting.",
    "NHS England guidance on information sharing was not followed by every agency.",
    "Mother's partner moved into the home in {month} and was not known to agencies.",
    "The review found that practitioners did not always ask about the men in the home.",
    "Learning point: agencies should check who lives in the household at each visit.",
    "The Family Court made an interim order; the Designated Safeguarding Lead was told.",
    "Early Help offered {money} of support and a family support worker for 12 weeks.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September"]


def reference(rng: random.Random) -> str:
    """A 10-digit police reference that fails the NHS check, as most such numbers do."""
    from scrtool.checks.redaction import nhs_number_valid

    while True:
        ref = str(rng.randint(2_000_000_000, 8_999_999_999))
        if not nhs_number_valid(ref):
            return ref


def sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        date=f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.choice((2024, 2025))}",
        time=f"{rng.randint(8, 17):02d}:{rng.choice(('00', '15', '30', '45'))}",
        pct=rng.randint(40, 95),
        ref=reference(rng),
        month=rng.choice(MONTHS),
        money=f"£{rng.randint(100, 2000):,}",
    )


def report_paragraphs(rng: random.Random) -> list[tuple[str, str]]:
    """(style, text) for about 200 pages."""
    out: list[tuple[str, str]] = []
    for page in range(PAGES):
        if page % 5 == 0:
            out.append(("Heading 1", f"Part {page // 5 + 1}: what happened and what we learned"))
        for _ in range(PARAGRAPHS_PER_PAGE):
            out.append(("Normal", " ".join(sentence(rng) for _ in range(rng.randint(3, 5)))))
    return out


def build_docx(path: Path, paragraphs: list[tuple[str, str]], rng: random.Random) -> None:
    import docx

    document = docx.Document()
    document.core_properties.author = ""
    document.core_properties.comments = ""
    section = document.sections[0]
    section.header.paragraphs[0].text = "Local Child Safeguarding Practice Review: Child A"
    section.footer.paragraphs[0].text = "Northshire Safeguarding Children Partnership"
    for index, (style, text) in enumerate(paragraphs):
        document.add_paragraph(text, style=style)
        if index % 60 == 30:
            table = document.add_table(rows=4, cols=3)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = sentence(rng)
    document.save(str(path))


def pdf_from_docx(docx_path: Path, folder: Path) -> tuple[Path, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    str(docx_path),
                ],
                check=True,
                capture_output=True,
                timeout=600,
                env={**os.environ, "HOME": profile},
            )
        return folder / (docx_path.stem + ".pdf"), "LibreOffice (converted from the .docx)"
    return pdf_with_reportlab(folder / "report.pdf", docx_path), "reportlab (same text)"


def pdf_with_reportlab(path: Path, docx_path: Path) -> Path:
    import docx
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = [
        Paragraph(p.text, styles["BodyText"]) for p in docx.Document(str(docx_path)).paragraphs
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def docx_floor(path: Path) -> int:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    chars = 0
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(z.read(name), parser=parser)
                chars += len("".join(root.itertext()))
    return chars


def interleaved(measures: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median wall time of each measure over ``rounds`` rounds, each round running every
    measure once in turn, so a busy moment on the machine falls on the floor and on the
    check alike rather than on one block of runs."""
    times: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(rounds):
        for name, func in measures.items():
            start = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--reportlab", action="store_true", help="draw the PDF with reportlab")
    args = parser.parse_args()

    from _corpus import (
        chart_pdf,
        command_seconds,
        pdftotext_seconds,
        peak_rss_mb,
        thousand_pages,
    )

    from scrtool.case import load_case
    from scrtool.checks.redaction import check_redaction

    case = load_case(REPO / "samples")
    rng = random.Random(20260914)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docx_path = folder / "overview-report.docx"
        build_docx(docx_path, report_paragraphs(rng), rng)
        if args.reportlab:
            pdf_path, how = (
                pdf_with_reportlab(folder / "report.pdf", docx_path),
                "reportlab (same text)",
            )
        else:
            pdf_path, how = pdf_from_docx(docx_path, folder)
        from pypdf import PdfReader

        pages = len(PdfReader(str(pdf_path)).pages)
        print(f"Inputs: {docx_path.name} ({docx_path.stat().st_size / 1e6:.1f} MB), "
              f"{pdf_path.name} ({pages} pages, {pdf_path.stat().st_size / 1e6:.1f} MB, made with {how})")  # fmt: skip

        from scrtool.bundle.preflight import read_inputs, run_readability, run_redaction
        from scrtool.bundle.request import Document, PackageRequest

        def check(path: Path) -> Callable[[], object]:
            return lambda: check_redaction([path], case=case)

        request = PackageRequest(
            ref="NS-1",
            review_type="lcspr",
            documents=(Document("Report", pdf_path),),
            publication=dt.date(2026, 9, 14),
            sent=dt.date(2026, 9, 1),
            output_dir=folder / "out",
            case=case,
        )

        def both() -> None:
            """Both checks, as `scrtool package` runs them: each file read once for both."""
            read = read_inputs([pdf_path])
            run_redaction([pdf_path], request, read=read)
            run_readability([pdf_path], request, read=read)

        report = check_redaction([docx_path, pdf_path], case=case)
        for file in report.files:
            failing = [f for f in file.findings if f.severity in ("high", "medium")]
            print(
                f"  {file.path.name}: {len(file.findings)} findings, {len(failing)} high or medium"
            )
        both()  # warm: imports, textstat's dictionary

        print(f"Median of {args.repeats} rounds, each running every measurement once, wall time:")
        timings = interleaved(
            {
                "docx floor": lambda: docx_floor(docx_path),
                "docx": check(docx_path),
                "pdf floor": lambda: pdftotext_seconds(pdf_path, 1),
                "pdf": check(pdf_path),
                "both": both,
            },
            args.repeats,
        )
        docx_floor_time, docx_time = timings["docx floor"], timings["docx"]
        floor, alone, together = timings["pdf floor"], timings["pdf"], timings["both"]
        docx_ratio = docx_time / docx_floor_time
        print(
            f"  .docx  floor (unzip and parse every XML part) {docx_floor_time:7.3f} s   "
            f"check redaction {docx_time:7.3f} s   ratio {docx_ratio:4.2f}x (goal <= 2x)"
        )
        command = command_seconds(
            ["check", "redaction", str(pdf_path), "--case", str(REPO / "samples"), "--json"],
            args.repeats,
        )
        print(f"  PDF    floor: pdftotext {floor:7.3f} s")
        print(
            f"  PDF    check redaction (core, in-process) {alone:7.3f} s   "
            f"ratio {alone / floor:4.2f}x (goal <= 2x)"
        )
        print(
            f"  PDF    redaction + readability, as package runs them {together:7.3f} s   "
            f"ratio {together / floor:4.2f}x (goal <= 2.5x)"
        )
        print(
            f"  PDF    for information: scrtool check redaction FILE --json, fresh process "
            f"{command:7.3f} s   ratio {command / floor:4.2f}x"
        )
        chart = chart_pdf(folder / "chart.pdf")
        chart_times = interleaved(
            {"floor": lambda: pdftotext_seconds(chart, 1), "check": check(chart)}, args.repeats
        )
        chart_ratio = chart_times["check"] / chart_times["floor"]
        print(
            f"  PDF    20 diagram pages (1,500 labelled boxes each): pdftotext "
            f"{chart_times['floor']:7.3f} s   check redaction {chart_times['check']:7.3f} s   "
            f"ratio {chart_ratio:4.2f}x (goal <= 2x)"
        )
        big = thousand_pages(pdf_path, folder / "thousand.pdf")
        memory = peak_rss_mb(
            "from pathlib import Path\n"
            "from scrtool.checks.redaction import check_redaction\n"
            f"check_redaction([Path({str(big)!r})])\n"
        )
        print(
            f"  1,000-page PDF: peak memory of check redaction (fresh process) "
            f"{memory:5.0f} MB (goal < 300 MB)"
        )
        met = (
            docx_ratio <= 2
            and alone / floor <= 2
            and together / floor <= 2.5
            and chart_ratio <= 2
            and memory < 300
        )
        print(f"Goals: {'all met' if met else 'NOT all met'}.")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
