"""A "Contents" heading above Word's table of contents is not an empty section.

Many reports style "Contents" as Heading 1 and put Word's table of contents (a TOC
field) under it. The draft check leaves the field's entries out (Word made them, not the
author), so the heading looked empty and publish refused a finished report. A "Contents"
heading with no table of contents under it is still reported. The documents are built
with python-docx; publish runs LibreOffice.
"""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from publish_docs import make_review_docx

from scrtool.bundle import publish as publishing
from scrtool.checks.draft import check_draft

pytestmark = pytest.mark.libreoffice

REF = "NS-2026-05"


def add_contents(path, *, toc: bool):
    """Put a "Contents" Heading 1 first, with Word's TOC field under it (its cached
    entries in TOC paragraphs) when ``toc``."""
    doc = Document(str(path))
    body = doc.element.body
    first = body[0]
    heading = doc.add_paragraph("Contents", style="Heading 1")._p
    first.addprevious(heading)
    if toc:
        entries = ["What the review found, part 1\t1", "Contacts by agency\t2"]
        paragraphs = []
        for n, text in enumerate(entries):
            p = doc.add_paragraph()
            if n == 0:
                for kind, instr in (("begin", None), (None, ' TOC \\o "1-3" \\h \\z \\u '),
                                    ("separate", None)):  # fmt: skip
                    run = OxmlElement("w:r")
                    if kind:
                        char = OxmlElement("w:fldChar")
                        char.set(qn("w:fldCharType"), kind)
                        run.append(char)
                    else:
                        code = OxmlElement("w:instrText")
                        code.text = instr
                        run.append(code)
                    p._p.append(run)
            label, page = text.split("\t")
            p.add_run(label)
            p.add_run().add_tab()
            p.add_run(page)
            if n == len(entries) - 1:
                run = OxmlElement("w:r")
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), "end")
                run.append(char)
                p._p.append(run)
            paragraphs.append(p._p)
        for p in paragraphs:
            first.addprevious(p)
    doc.save(str(path))
    return path


def test_a_contents_heading_over_a_table_of_contents_is_published(tmp_path):
    report = add_contents(make_review_docx(tmp_path / "report.docx"), toc=True)
    out = tmp_path / "website"
    result = publishing.publish(ref=REF, report=report, output_dir=out)
    assert result.exit_code == 0, result.problems
    assert (out / f"{REF}-report.pdf").is_file()


def test_a_contents_heading_with_nothing_under_it_is_still_an_empty_section(tmp_path):
    report = add_contents(make_review_docx(tmp_path / "report.docx"), toc=False)
    findings = check_draft([report]).files[0].findings
    assert [(f.kind, f.text) for f in findings] == [("empty-section", "Contents")]
