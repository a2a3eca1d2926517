"""How fast ``scrtool check draft`` is against the floor: ``python3 benchmarks/draft.py``.

Uses the 200-page report of ``benchmarks/redaction.py`` (the same .docx and its PDF) with
a few placeholders planted, then, in this process, median of a few repeats:

(a) the floor for the .docx: unzip every XML part, parse it with lxml and join all its
    text;
(b) ``check_draft`` on the .docx (every place's text, the runs styled "Placeholder",
    watermarks and the headings);
(c) the floor for the PDF: PDFium (the reader every check uses) extracting the text of
    every page;
(d) ``check_draft`` on the PDF.

Peak memory is Python's own (``tracemalloc``) during one check.

Goal: (b) at most 3x (a) (it reads the parts for their text, their styles and their
headings) and (d) at most 2x (c).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import redaction as base  # noqa: E402  (the same report, built the same way)


def pdf_floor(path: Path) -> int:
    """PDFium's text of every page (what any check of a PDF must read at least)."""
    import pypdfium2 as pdfium

    chars = 0
    document = pdfium.PdfDocument(path.read_bytes())
    for page in document:
        chars += len(page.get_textpage().get_text_range())
    document.close()
    return chars


def peak_memory(func: object) -> float:
    """Peak memory (MB) Python allocated while ``func`` ran once."""
    import tracemalloc

    tracemalloc.start()
    try:
        func()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--reportlab", action="store_true", help="draw the PDF with reportlab")
    args = parser.parse_args()

    from scrtool.checks.draft import check_draft
    from scrtool.readers.pdf import forget_extracted

    rng = random.Random(20260914)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docx_path = folder / "overview-report.docx"
        paragraphs = base.report_paragraphs(rng)
        for index in range(0, len(paragraphs), max(1, len(paragraphs) // 5)):
            style, _text = paragraphs[index]
            paragraphs[index] = (style, "[Write the analysis of this part here.]")
        base.build_docx(docx_path, paragraphs, rng)
        if args.reportlab:
            pdf_path = base.pdf_with_reportlab(folder / "report.pdf", docx_path)
            how = "reportlab (same text)"
        else:
            pdf_path, how = base.pdf_from_docx(docx_path, folder)
        report = check_draft([docx_path, pdf_path])
        print(f"Inputs: {docx_path.name}, {pdf_path.name} (made with {how})")
        for file in report.files:
            print(f"  {file.path.name}: {len(file.findings)} findings")

        def check(path: Path) -> object:
            return lambda: (forget_extracted(), check_draft([path]))

        print(
            f"Median of {args.repeats} rounds, each running the floor and the check once, "
            "in this process (wall time):"
        )
        for label, floor, tool in (
            (".docx", lambda: base.docx_floor(docx_path), check(docx_path)),
            ("PDF", lambda: pdf_floor(pdf_path), check(pdf_path)),
        ):
            timings = base.interleaved({"floor": floor, "tool": tool}, args.repeats)  # type: ignore[dict-item]
            floor_wall, tool_wall = timings["floor"], timings["tool"]
            memory = peak_memory(tool)
            print(
                f"  {label:5}  floor (extract all text) {floor_wall:7.3f} s   "
                f"check draft {tool_wall:7.3f} s   ratio {tool_wall / floor_wall:4.2f}x   "
                f"peak Python memory {memory:5.0f} MB"
            )


if __name__ == "__main__":
    main()
