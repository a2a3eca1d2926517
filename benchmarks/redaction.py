"""How fast ``scrtool check redaction`` is against the floor: ``python3 benchmarks/redaction.py``.

Builds, in a temporary folder, a 200-page report as .docx (python-docx: headings,
paragraphs, a table every few pages, footnote-sized notes in the footer, a comment) and
its PDF, converted by LibreOffice when ``soffice`` is installed (the real thing), or
else drawn with reportlab from the same text (the output says which). Then, in this
process, median of a few repeats:

(a) the floor for the .docx: unzip every XML part, parse it with lxml and join all its
    text (what any reader of every part must do);
(b) ``check_redaction`` on the .docx with the sample case's register;
(c) the floor for the PDF: pypdf opening it and extracting the text of every page;
(d) ``check_redaction`` on the PDF (page text with the covered/invisible-text visitor,
    annotations, metadata, scripts, attachments, revisions).

Goal: (b) at most 2x (a) and (d) at most 2x (c). Peak Python memory of (b) and (d) is
printed too.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
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


def pdf_floor(path: Path) -> int:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return sum(len(page.extract_text()) for page in reader.pages)


def timed(func: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (steady on a busy machine)."""
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def peak_memory(func: Callable[[], object]) -> float:
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / (1024 * 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reportlab", action="store_true", help="draw the PDF with reportlab")
    args = parser.parse_args()

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

        from scrtool.checks.readability import check_readability
        from scrtool.readers.pdf import forget_extracted

        def check(path: Path) -> Callable[[], object]:
            # Each run extracts afresh: the cache shared with readability is emptied first.
            return lambda: (forget_extracted(), check_redaction([path], case=case))

        def both(path: Path, shared: bool) -> Callable[[], object]:
            """Both checks, as `scrtool package` runs them, sharing the PDF's text or not."""

            def run() -> None:
                forget_extracted()
                check_redaction([path], case=case)
                if not shared:
                    forget_extracted()
                check_readability([path], case=case, advice=False)

            return run

        report = check_redaction([docx_path, pdf_path], case=case)
        for file in report.files:
            failing = [f for f in file.findings if f.severity in ("high", "medium")]
            print(
                f"  {file.path.name}: {len(file.findings)} findings, {len(failing)} high or medium"
            )

        rows = []
        for label, floor, tool, path in (
            (".docx", lambda: docx_floor(docx_path), check(docx_path), docx_path),
            ("PDF", lambda: pdf_floor(pdf_path), check(pdf_path), pdf_path),
        ):
            floor_time = timed(floor, args.repeats)
            tool_time = timed(tool, args.repeats)
            memory = peak_memory(tool)
            rows.append((label, floor_time, tool_time, memory))
            del path
        print(f"Median of {args.repeats} runs, in this process (wall time; CPU time in brackets):")
        for label, (floor_wall, floor_cpu), (tool_wall, tool_cpu), memory in rows:
            print(
                f"  {label:5}  floor (extract all text) {floor_wall:7.3f} s ({floor_cpu:.3f})   "
                f"check redaction {tool_wall:7.3f} s ({tool_cpu:.3f})   "
                f"ratio {tool_wall / floor_wall:4.2f}x ({tool_cpu / floor_cpu:.2f}x)   "
                f"peak Python memory {memory:5.0f} MB"
            )
        separate = timed(both(pdf_path, shared=False), args.repeats)
        shared = timed(both(pdf_path, shared=True), args.repeats)
        print(
            "  PDF    check redaction then check readability (as package runs them): "
            f"{separate[0]:.3f} s ({separate[1]:.3f}) each extracting its own text, "
            f"{shared[0]:.3f} s ({shared[1]:.3f}) sharing one extraction "
            f"({separate[1] / shared[1]:.2f}x less CPU)"
        )
        worst = max(t[1] / f[1] for _, f, t, _ in rows)
        print(
            f"Goal: at most 2x the floor. Worst ratio (CPU) {worst:.2f}x: {'met' if worst <= 2 else 'NOT met'}."
        )


if __name__ == "__main__":
    main()
