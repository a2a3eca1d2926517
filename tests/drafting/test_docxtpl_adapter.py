"""scrtool.drafting.docxtpl_adapter against docxtpl's own output.

Where scrtool means to do what docxtpl does (the body, tables, paragraph tags, headers
and footers), the adapter's document and the fast path's are docxtpl's own, part for
part. Where it means to differ (every core property, unescaped; footnotes once; endnotes
and custom properties filled), the difference is pinned here, so a docxtpl release that
changes either shows up as a failing test rather than a changed letter.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx_helpers import make_template

from scrtool.drafting import docxtpl_adapter as adapter
from scrtool.drafting.engine import LoadedTemplate
from scrtool.drafting.fast_fill import document_parts

PACKAGE = Path(__file__).resolve().parents[2] / "scrtool"

CONTEXT = {
    "name": "Morgan Ellery",
    "show": True,
    "hide": False,
    "items": [
        {"what": "Train staff", "when": "3 July 2026"},
        {"what": "Audit referrals", "when": "1 March 2027"},
    ],
    "address": "1 High Street\nNorthshire",
}


@pytest.fixture
def ordinary(tmp_path: Path) -> Path:
    """Tags docxtpl and scrtool treat alike: text, {%p %} blocks, table rows, header, footer."""
    return make_template(
        tmp_path / "ordinary.docx",
        [
            "Dear {{ name }},",
            "{%p if show %}",
            "Shown to {{ name }}",
            "{%p endif %}",
            "{%p if hide %}",
            "Hidden",
            "{%p endif %}",
            "{%p for a in items %}",
            "Action {{ loop.index }}: {{ a.what }}",
            "{%p endfor %}",
            "{{ address }}",
            "{_{ kept as typed }_}",
        ],
        table=[
            ["{%tr for a in items %}", ""],
            ["{{ a.what }}", "{{ a.when }}"],
            ["{%tr endfor %}", ""],
        ],
        header="Review of {{ name }}",
        footer="Page footer for {{ name }}",
    )


def _docxtpl_own(template: Path, context: dict[str, object]) -> dict[str, bytes]:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(template))
    tpl.render(context, autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return document_parts(buffer.getvalue())


def _adapter_and_fast(template: Path, context: dict[str, object]) -> tuple[dict, dict]:
    loaded = LoadedTemplate(template)
    buffer = io.BytesIO()
    loaded.docxtpl_render(context).save(buffer)
    return document_parts(buffer.getvalue()), document_parts(loaded._plan.render(context))


def test_ordinary_tags_give_docxtpls_own_document(ordinary):
    own = _docxtpl_own(ordinary, CONTEXT)
    through_adapter, fast = _adapter_and_fast(ordinary, CONTEXT)
    for part in ("word/document.xml", "word/header1.xml", "word/footer1.xml"):
        assert through_adapter[part] == own[part], part
        assert fast[part] == own[part], part
    body = own["word/document.xml"].decode()
    assert "Shown to Morgan Ellery" in body and "Hidden" not in body
    assert "Action 2: Audit referrals" in body and "{{ kept as typed }}" in body
    assert "<w:br" in body  # docxtpl's listing step turned the line break into a break


def test_escaping_matches_docxtpls_autoescape(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ name }}"], header="{{ name }}")
    context = {"name": "Smith & Sons <Ltd> \"quoted\" 'single'"}
    own = _docxtpl_own(template, context)
    through_adapter, fast = _adapter_and_fast(template, context)
    for part in ("word/document.xml", "word/header1.xml"):
        assert through_adapter[part] == own[part] == fast[part]


def test_where_scrtool_means_to_differ(tmp_path):
    """Core properties: all filled, "&" kept; footnotes: once; endnotes and custom: filled."""
    from docx import Document

    template = make_template(
        tmp_path / "t.docx",
        ["Body {{ name }}"],
        title="Review of {{ name }}",
        footnote="Note {{ name }}",
        endnote="End {{ name }}",
        custom={"Case": "{{ name }}"},
        sections=2,
    )
    context = {"name": "Smith & Sons"}
    out = tmp_path / "scrtool.docx"
    LoadedTemplate(template).render(context, out)
    ours = Document(str(out))
    assert ours.core_properties.title == "Review of Smith & Sons"
    with zipfile.ZipFile(out) as z:
        assert "Note Smith &amp; Sons" in z.read("word/footnotes.xml").decode()
        assert "End Smith &amp; Sons" in z.read("word/endnotes.xml").decode()
        assert "Smith &amp; Sons" in z.read("docProps/custom.xml").decode()

    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(template))
    tpl.render(context, autoescape=True)
    theirs = tmp_path / "docxtpl.docx"
    tpl.save(str(theirs))
    assert Document(str(theirs)).core_properties.title == "Review of Smith &amp; Sons"
    with zipfile.ZipFile(theirs) as z:
        assert "{{ name }}" in z.read("word/endnotes.xml").decode()
        assert "{{ name }}" in z.read("docProps/custom.xml").decode()


def test_the_finisher_numbers_pictures_from_docxtpls_start(tmp_path):
    template = make_template(tmp_path / "t.docx", ["x"])
    finish = adapter.Finisher(template.read_bytes())
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    body = f'<w:body xmlns:w="{w}" xmlns:wp="{wp}"><wp:docPr id="5" name="a"/></w:body>'
    for _ in range(2):  # the same ids for every document
        tree = finish.body(body)
        assert [el.get("id") for el in tree.iter(f"{{{wp}}}docPr")] == ["1001"]


def test_template_parts_lists_each_part_once(tmp_path):
    template = make_template(
        tmp_path / "t.docx", ["b"], header="h", footer="f", footnote="n", sections=2
    )
    tpl = adapter.open_template(template.read_bytes())
    parts = list(adapter.template_parts(tpl))
    names = [p.name for p in parts]
    assert names[0] == "word/document.xml" and parts[0].kind == "body"
    assert len(names) == len(set(names))
    assert {p.where for p in parts} >= {"", "in a header", "in a footer", "in the footnotes"}


def test_only_the_adapter_imports_docxtpl():
    """The adapter is the one place allowed to touch docxtpl."""
    users = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "docxtpl" for n in names):
                users.append(path.relative_to(PACKAGE).as_posix())
    assert set(users) == {"drafting/docxtpl_adapter.py"}


def test_docxtpl_is_pinned_to_the_tested_minor_range():
    import re
    from importlib.metadata import version

    pyproject = (PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8")
    pin = re.search(r'"docxtpl>=(\d+)\.(\d+)(?:\.\d+)?,<(\d+)\.(\d+)"', pyproject)
    assert pin, "docxtpl is pinned to a minor range in pyproject.toml"
    low, high = (int(pin[1]), int(pin[2])), (int(pin[3]), int(pin[4]))
    assert high == (low[0], low[1] + 1)
    installed = tuple(int(x) for x in version("docxtpl").split(".")[:2])
    assert low <= installed < high


def test_dates_pass_through_the_adapter_as_scrtool_prints_them(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ due }}"], header="{{ due }}")
    loaded = LoadedTemplate(template)
    buffer = io.BytesIO()
    loaded.docxtpl_render({"due": dt.date(2026, 7, 3)}).save(buffer)
    assert b"3 July 2026" in document_parts(buffer.getvalue())["word/header1.xml"]
