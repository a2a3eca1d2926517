"""scrtool.drafting.fast_fill: the fast path writes the document docxtpl writes, or it goes.

Two guards: every template in ``templates/`` is filled both ways here and compared part
by part; and the whole suite runs with ``fast_fill.VERIFY`` on (tests/conftest.py), so
every template any test builds and fills is compared the same way as it is filled.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx_helpers import body_text, make_template
from template_samples import DEFAULTS, sample_contexts

from scrtool.drafting import fast_fill
from scrtool.drafting.engine import LoadedTemplate
from scrtool.drafting.fast_fill import FastFillMismatch, check_same, document_parts

REPO = Path(__file__).resolve().parents[2]
#: Filled by chronology/word.py with its own placeholders ({{ Source place }} is not Jinja).
NOT_DOCXTPL = {"chronology.docx"}


def _docxtpl_bytes(loaded: LoadedTemplate, context: dict[str, object]) -> bytes:
    buffer = io.BytesIO()
    loaded.docxtpl_render(context).save(buffer)
    return buffer.getvalue()


def test_every_template_in_templates_is_covered():
    shipped = {p.name for p in (REPO / "templates").glob("*.docx")}
    assert shipped == set(DEFAULTS) | NOT_DOCXTPL


@pytest.fixture(scope="module")
def contexts(tmp_path_factory) -> dict[str, dict[str, object]]:
    return sample_contexts(REPO, tmp_path_factory.mktemp("contexts"))


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (REPO / "templates").glob("*.docx") if p.name not in NOT_DOCXTPL)
)
def test_each_shipped_template_fills_the_same_both_ways(contexts, name):
    loaded = LoadedTemplate(REPO / "templates" / name)
    context = contexts[name]
    fast = loaded._plan.render(context)
    slow = _docxtpl_bytes(loaded, context)
    fast_parts, slow_parts = document_parts(fast), document_parts(slow)
    assert fast_parts.keys() == slow_parts.keys()
    for part in fast_parts:
        assert fast_parts[part] == slow_parts[part], part
    # The comparison is of real, filled documents.
    assert b"{{" not in fast_parts["word/document.xml"]


def test_the_comparison_sees_a_difference(tmp_path):
    """A check that cannot fail proves nothing: a changed word is a mismatch."""
    template = make_template(tmp_path / "t.docx", ["Dear {{ name }},"], header="H {{ name }}")
    loaded = LoadedTemplate(template)
    good = loaded._plan.render({"name": "A"})
    check_same(good, loaded.docxtpl_render({"name": "A"}), "t.docx")
    with pytest.raises(FastFillMismatch, match=r"word/document\.xml"):
        check_same(good, loaded.docxtpl_render({"name": "B"}), "t.docx")


def test_package_lists_compare_by_meaning_not_order(tmp_path):
    """[Content_Types].xml and .rels are sets: Word's order and python-docx's sorted order agree,
    but a part given another type does not."""
    template = make_template(tmp_path / "t.docx", ["{{ x }}"])
    with zipfile.ZipFile(template) as z:
        files = {n: z.read(n) for n in z.namelist()}

    def rezip(types: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for n, data in files.items():
                z.writestr(n, types if n == "[Content_Types].xml" else data)
        return out.getvalue()

    types = files["[Content_Types].xml"].decode()
    head, _, rest = types.partition("<Default")
    entries = ["<Default" + e for e in rest.replace("</Types>", "").split("<Default") if e]
    flipped = head + "".join(reversed(entries)) + "</Types>"
    assert document_parts(rezip(flipped.encode())) == document_parts(rezip(types.encode()))
    changed = types.replace("document.main+xml", "template.main+xml")
    assert document_parts(rezip(changed.encode())) != document_parts(rezip(types.encode()))


def test_the_suite_runs_with_verification_on():
    assert fast_fill.VERIFY is True


def test_docxtpl_objects_go_to_docxtpl(tmp_path):
    """The one named condition: rich text (and pictures, sub-documents) need docxtpl."""
    from docxtpl import RichText

    template = make_template(tmp_path / "t.docx", ["Note: {{r note }}", "Plain {{ ref }}"])
    loaded = LoadedTemplate(template)
    rich = RichText("urgent & <now>", bold=True)
    assert fast_fill.needs_docxtpl({"note": rich})
    assert not fast_fill.needs_docxtpl({"note": "plain", "due": dt.date(2026, 1, 1)})
    out = tmp_path / "o.docx"
    loaded.render({"note": rich, "ref": "R1"}, out)
    assert body_text(out)[:2] == ["Note: urgent & <now>", "Plain R1"]
    with zipfile.ZipFile(out) as z:
        assert "<w:b/>" in z.read("word/document.xml").decode()


def test_a_part_broken_by_a_tag_is_named(tmp_path):
    """A {%p %} tag in a header that leaves it broken: the fast path names the part."""
    from scrtool.errors import TemplateError

    template = make_template(tmp_path / "t.docx", ["x"], header="{{ raw|safe }}")
    loaded = LoadedTemplate(template)
    with pytest.raises(TemplateError, match=r"broken document part \(word/header"):
        loaded.render({"raw": "<w:p>"}, tmp_path / "o.docx")
