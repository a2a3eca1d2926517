"""How fast ``scrtool check accessibility`` is on a .docx against the floor:
``python3 benchmarks/accessibility.py``.

Uses the 200-page report of ``benchmarks/redaction.py`` (headings, tables, a header and
a footer) with a picture without alternative text and a small run planted, then, in this
process, median of a few repeats:

(a) the floor: unzip every XML part, parse it with lxml and join all its text;
(b) ``check_accessibility`` on the .docx (its properties, styles, headings, pictures,
    tables, links and the size of every run of text, read through the style chain).

Then the same on a document of one long table (3,000 rows, a "here" link in each), so
naming 3,000 places in a table stays as cheap as finding them.

Goal: (b) at most 3x (a) on both. The PDF side is measured with ``scrtool publish``.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import redaction as base  # noqa: E402  (the same report, built the same way)


def plant(path: Path) -> None:
    """A picture without alternative text and one run of 7-point text, near the end."""
    import docx
    from docx.shared import Cm, Pt
    from PIL import Image

    document = docx.Document(str(path))
    document.core_properties.title = "Overview report"
    picture = io.BytesIO()
    Image.new("RGB", (20, 20), (31, 78, 120)).save(picture, format="PNG")
    document.add_paragraph().add_run().add_picture(picture, width=Cm(2))
    document.add_paragraph("Source: ").add_run("the agencies' records.").font.size = Pt(7)
    document.save(str(path))


def long_table(path: Path, rows: int = 3000) -> None:
    """A titled report whose one table has a header row and a vague link in every row."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.core_properties.title = "Contacts with the family"
    document.add_heading("Contacts", 1)
    table = document.add_table(rows=1, cols=2)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Contact", "Record"
    rid = document.part.relate_to(
        "https://example.gov.uk/records", RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    for n in range(rows):
        left, right = table.add_row().cells
        left.text = f"Contact {n + 1}"
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rid)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "here"
        run.append(text)
        link.append(run)
        right.paragraphs[0]._p.append(link)
    document.save(str(path))


def measure(label: str, docx_path: Path, repeats: int) -> None:
    from scrtool.checks.accessibility import check_accessibility, load_rules

    rules = load_rules()
    report = check_accessibility([docx_path], rules=rules)
    kinds = sorted({f.kind for f in report.files[0].findings})
    print(f"Input: {label}: {len(report.files[0].findings)} findings ({', '.join(kinds)})")
    timings = base.interleaved(
        {
            "floor": lambda: base.docx_floor(docx_path),
            "tool": lambda: check_accessibility([docx_path], rules=rules),
        },
        repeats,
    )
    floor_wall, tool_wall = timings["floor"], timings["tool"]
    print(
        f"Median of {repeats} rounds, each running the floor and the check once, in this process:"
    )
    print(
        f"  .docx  floor (extract all text) {floor_wall:7.3f} s   "
        f"check accessibility {tool_wall:7.3f} s   ratio {tool_wall / floor_wall:4.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    rng = random.Random(20260914)
    with tempfile.TemporaryDirectory() as tmp:
        docx_path = Path(tmp) / "overview-report.docx"
        base.build_docx(docx_path, base.report_paragraphs(rng), rng)
        plant(docx_path)
        measure(docx_path.name, docx_path, args.repeats)
        table_path = Path(tmp) / "long-table.docx"
        long_table(table_path)
        measure(f"{table_path.name} (3,000 rows)", table_path, args.repeats)


if __name__ == "__main__":
    main()
