"""Every output, as LibreOffice prints it: headers whole, no ###, one page wide, few pages.

The demo runs once and LibreOffice converts all its outputs in one run (a module-scoped
fixture), then each test reads the PDF text of one output kind with pdftotext. A
cell LibreOffice cannot fit is printed clipped ("Northshire Ambul") or as "###", so
the text of the printed page shows what a reader would see.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("soffice") or shutil.which("libreoffice"))
        or not shutil.which("pdftotext"),
        reason="needs LibreOffice and pdftotext",
    ),
]


@dataclass(frozen=True)
class Printed:
    source: Path
    pdf: Path

    def pages(self) -> list[str]:
        """The text of each printed page (pdftotext, reading order)."""
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(self.pdf), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        pages = text.split("\f")
        return pages[:-1] if pages and not pages[-1].strip() else pages


def flat(text: str) -> str:
    return " ".join(text.split())


def _word(text: str) -> str:
    return text.strip('.,;:!?"“”()')


def assert_whole(page: str, phrases: list[str], where: str) -> None:
    """Each phrase is printed whole: every word of it stands as a word on the page."""
    words = {_word(w) for w in page.split()}
    for phrase in phrases:
        for word in phrase.split():
            assert _word(word) in words, f'{where}: "{word}" (of "{phrase}") is not printed whole'


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Printed]:
    from scrtool.bundle.convert import convert_to_pdf
    from scrtool.case import load_case
    from scrtool.demo import run_demo
    from scrtool.review.action_plan import write_action_plan

    root = tmp_path_factory.mktemp("render")
    result = run_demo(root / "demo")
    assert not result.failed, result.failed
    case_dir = root / "demo"
    case = load_case(case_dir)
    blank_plan = write_action_plan(
        root / "blank-action-plan.xlsx", agencies=[a.name for a in case.agencies], ref=case.ref
    )
    sources = {
        "chronology workbook": case_dir / "working" / "chronology.xlsx",
        "chronology document": case_dir / "working" / "chronology.docx",
        "blank return": case_dir / "requests" / "Northshire Police chronology return.xlsx",
        "request letter": case_dir / "requests" / "Northshire Police request.docx",
        "overview report": case_dir / "working" / "overview-report.docx",
        "partnership response": case_dir / "working" / "partnership-response.docx",
        "screening decision": case_dir / "working" / "screening-decision.docx",
        "blank action plan": blank_plan,
        "annual summary": case_dir / "working" / "reviews-summary.xlsx",
    }
    pdfs = convert_to_pdf(list(sources.values()), root / "pdf")
    out = {kind: Printed(src, pdf) for (kind, src), pdf in zip(sources.items(), pdfs, strict=True)}
    bundle = case_dir / "submission" / f"{case.ref}-panel-submission.pdf"
    out["panel bundle"] = Printed(bundle, bundle)
    return out


def header_row(path: Path, sheet: str | None = None, row: int = 1) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    ws = book[sheet] if sheet else book.worksheets[0]
    values = next(ws.iter_rows(min_row=row, max_row=row, values_only=True))
    book.close()
    return [str(v) for v in values if v is not None]


def test_nothing_prints_as_hashes(printed):
    for kind, item in printed.items():
        for number, page in enumerate(item.pages(), start=1):
            assert "###" not in page, f"{kind}, page {number}"


def test_chronology_workbook_prints_one_page_wide_with_every_header(printed):
    from openpyxl import load_workbook

    item = printed["chronology workbook"]
    pages = item.pages()
    headers = header_row(item.source, "Chronology")
    # All the columns on the first page: the sheet prints one page wide.
    assert_whole(pages[0], headers, "chronology, page 1")
    book = load_workbook(item.source, read_only=True)
    rows = book["Chronology"].max_row - 1
    attention = book["Needs attention"].max_row - 1
    book.close()
    # Each following page repeats the header row, so Date and Possible duplicate head it.
    chronology_pages = [p for p in pages if "Possible" in p and "duplicate" in p]
    assert len(chronology_pages) >= 2
    # Bound: at least five rows a page (the longest rows take a third of a page), plus
    # one page each for Needs attention and the Summary.
    assert len(pages) <= -(-rows // 5) + -(-attention // 5) + 1


def test_chronology_summary_shows_agencies_and_months_whole(printed):
    item = printed["chronology workbook"]
    summary = next(p for p in item.pages() if "Recorded contacts per agency" in p)
    agencies = [
        "Northshire Ambulance Service",
        "Brookside Medical Practice",
        "Northshire Children's Social Care",
        "Northshire Health Visiting Service",
    ]
    assert_whole(summary, agencies, "chronology summary")
    assert_whole(
        summary, ["Month", "Apr 2024", "Rows in chronology", "Longest gap (days)"], "summary"
    )
    for agency in agencies:
        assert agency in flat(summary), agency


def test_chronology_document_headers_on_every_page(printed):
    item = printed["chronology document"]
    pages = item.pages()
    headers = ["Date", "Time", "Agency", "Source", "Event type", "Details", "Action taken"]
    for number, page in enumerate(pages, start=1):
        assert_whole(page, [*headers, "Possible duplicate"], f"Word chronology, page {number}")
        # "duplicate" is never broken inside the word, nor a time inside its digits.
        assert not re.search(r"dupli\s*\n", page), number
        assert not re.search(r"\b\d\d:\d?\n", page), number
    assert len(pages) <= 8  # 37 rows, at least five a page


def test_blank_return_prints_one_page_and_its_instructions_whole(printed):
    from scrtool.drafting.requests import HEADER_ROW, chronology_columns

    item = printed["blank return"]
    pages = item.pages()
    assert len(pages) == 2, "the return's sheet and its Instructions, one page each"
    assert_whole(pages[0], header_row(item.source, "Chronology", HEADER_ROW), "blank return")
    choices = next(c for c in chronology_columns() if c.name == "Event type").choices
    assert_whole(pages[1], list(choices), "Instructions, Choices column")
    assert_whole(pages[1], ["Must it be filled in?", "What to write", "Choices"], "Instructions")


def test_action_plan_and_annual_summary_headers_whole(printed):
    plan = printed["blank action plan"]
    assert len(plan.pages()) == 1
    assert_whole(plan.pages()[0], header_row(plan.source), "blank action plan")
    summary = printed["annual summary"]
    assert_whole(summary.pages()[0], header_row(summary.source), "annual summary")
    assert len(summary.pages()) <= 3  # one page a sheet


def test_word_documents_tables_and_page_counts(printed):
    report = printed["overview report"].pages()
    text = flat("\n".join(report))
    assert_whole(text, ["Agency", "Contacts", "First", "Last", "Word", "What it means"], "report")
    glossary = text.split("What some words in this report mean.")[1]
    terms = re.findall(
        r"(Chronology|Lead reviewer|National Panel|Partnership|Practitioner|Pseudonym|Rapid review)",
        glossary,
    )
    assert terms == sorted(terms, key=str.casefold) and len(terms) >= 5
    assert len(report) <= 6
    response = printed["partnership response"].pages()
    text = "\n".join(response)
    assert_whole(
        text, ["What we will do", "Who will do it", "By", "Progress", "In progress"], "response"
    )
    assert len(response) <= 4
    assert len(printed["screening decision"].pages()) <= 3
    assert len(printed["request letter"].pages()) <= 2


def test_bundle_labels_match_printed_numbers(printed):
    from pypdf import PdfReader

    item = printed["panel bundle"]
    pages = item.pages()
    reader = PdfReader(item.pdf)
    assert reader.metadata["/Title"].endswith("panel submission")
    for number, (label, page) in enumerate(zip(reader.page_labels, pages, strict=True), start=1):
        assert label == str(number)
        assert f"Page {number} of {len(pages)}" in page
    assert len(pages) <= 12
