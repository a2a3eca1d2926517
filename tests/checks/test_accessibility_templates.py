"""The bundled templates, filled from the sample case, pass check accessibility; so do
the documents the demo makes from them, and the finished report it will publish."""

from __future__ import annotations

from pathlib import Path

import pytest
from template_samples import DEFAULTS, sample_contexts

from scrtool.checks.accessibility import check_accessibility

REPO = Path(__file__).resolve().parents[2]


def describe(report) -> str:
    return "; ".join(
        f"{file.path.name}: {f.kind} {f.text!r} at {f.location}"
        for file in report.files
        for f in file.findings
    )


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> dict[str, Path]:
    from scrtool.drafting.engine import render_template

    tmp = tmp_path_factory.mktemp("filled")
    contexts = sample_contexts(REPO, tmp)
    return {
        name: render_template(REPO / "templates" / name, contexts[name], tmp / "out" / name)
        for name in DEFAULTS
    }


@pytest.mark.parametrize("name", DEFAULTS)
def test_each_template_filled_from_the_sample_passes(filled, name):
    report = check_accessibility([filled[name]])
    assert report.passed, describe(report)
    assert report.files[0].findings == ()


@pytest.mark.parametrize("name", [*DEFAULTS, "chronology.docx"])
def test_each_template_has_a_title_a_language_and_header_rows(name):
    from docx import Document

    doc = Document(str(REPO / "templates" / name))
    assert doc.core_properties.title
    styles = doc.styles.element
    langs = {el.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
             for el in styles.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang")}  # fmt: skip
    assert langs == {"en-GB"}
    for table in doc.tables:
        first = table.rows[0]._tr
        assert (
            first.trPr is not None
            and first.trPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
            )
            is not None
        )


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory) -> Path:
    from scrtool.demo import run_demo

    root = tmp_path_factory.mktemp("demo") / "demo"
    result = run_demo(root)
    assert not result.failed, result.failed
    return root


def test_the_demos_documents_pass(demo_case):
    """What scrtool report, screen, requests and collate make from the templates, and
    the finished report and response in final/ that the demo publishes."""
    documents = sorted(
        p
        for folder in ("working", "final", "requests")
        for p in (demo_case / folder).glob("*.docx")
    )
    names = {p.name for p in documents}
    assert {"overview-report.docx", "partnership-response.docx", "chronology.docx",
            "screening-decision.docx", "panel-letter.docx"} <= names  # fmt: skip
    assert any(p.parent.name == "final" for p in documents)
    assert any(p.parent.name == "requests" for p in documents)
    report = check_accessibility(documents)
    assert report.passed, describe(report)
