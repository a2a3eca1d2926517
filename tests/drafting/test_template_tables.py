"""The default Word templates' tables and headings print well (structure, not pixels)."""

from __future__ import annotations

import pytest

from scrtool.resources import template_path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEMPLATES = [
    "overview-report.docx",
    "partnership-response.docx",
    "screening-decision.docx",
    "chronology.docx",
]


@pytest.mark.parametrize("name", TEMPLATES)
def test_rows_never_split_and_widths_are_fixed(name):
    import docx

    document = docx.Document(str(template_path(name)))
    assert document.tables, name
    for table in document.tables:
        tbl = table._tbl
        layout = tbl.tblPr.find(f"{W}tblLayout")
        assert layout is not None and layout.get(f"{W}type") == "fixed", name
        grid = [int(c.get(f"{W}w")) for c in tbl.tblGrid.findall(f"{W}gridCol")]
        assert len(set(grid)) > 1 or len(grid) == 1, name  # sized, not the even default
        for row in tbl.findall(f"{W}tr"):
            tr_pr = row.find(f"{W}trPr")
            assert tr_pr is not None and tr_pr.find(f"{W}cantSplit") is not None, name


@pytest.mark.parametrize(
    "name", ["overview-report.docx", "partnership-response.docx", "chronology.docx"]
)
def test_table_headers_repeat_and_headings_keep_with_next(name):
    import docx

    document = docx.Document(str(template_path(name)))
    looped = [
        t
        for t in document.tables
        if name == "chronology.docx" or any("{%tr" in r.cells[0].text for r in t.rows)
    ]
    assert looped, name
    for table in looped:
        first = table.rows[0]._tr.find(f"{W}trPr")
        assert first is not None and first.find(f"{W}tblHeader") is not None, name
    for style in ("Heading 1", "Heading 2"):
        if style in [s.name for s in document.styles]:
            assert document.styles[style].paragraph_format.keep_with_next, (name, style)


def test_response_action_column_is_the_widest_and_progress_fits():
    import docx

    document = docx.Document(str(template_path("partnership-response.docx")))
    for table in document.tables:
        grid = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
        assert grid[0] == max(grid)
        headers = [c.text for c in table.rows[0].cells]
        if "Progress" in headers:
            # 8 letters of bold 12-point Arial and the cell margins: about 2.6 cm.
            assert grid[headers.index("Progress")] >= 2.5 / 2.54 * 1440


def test_glossary_is_sorted(tmp_path):
    import shutil

    from scrtool.case import load_case
    from scrtool.drafting.report import build_contexts
    from scrtool.resources import data_dir

    shutil.copytree(data_dir("samples"), tmp_path / "case")
    report_context = build_contexts(load_case(tmp_path / "case"))[0]
    terms = [item["term"] for item in report_context["glossary"]]
    assert len(terms) >= 5 and terms == sorted(terms, key=str.casefold)
