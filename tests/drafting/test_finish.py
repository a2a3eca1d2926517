"""Unfinished drafts never reach the Panel: package refuses them, findings listed with file
and page; the demo packages only what an author finished."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from redaction_docs import build_docx, docx_notes, para, run

from scrtool.checks.draft import check_draft
from scrtool.drafting.finish import finish_document, read_author_text

REPO = Path(__file__).resolve().parents[2]
FINISHED = (
    "The review looked at the help given to Child A and the family over two years.",
    'Her mother said she "did not know who to ask [sic]" when the visits stopped.',
    "Research on neglect shows the same pattern [1]. The Panel has said so too [2].",
)


def _title(xml: str) -> str:
    return xml.replace(
        "</cp:coreProperties>", "<dc:title>Overview report DRAFT</dc:title></cp:coreProperties>"
    )


def _textbox(text: str) -> str:
    """A text box with a size, as Word's VML writes it, so LibreOffice draws it whole."""
    inner = f"<w:txbxContent>{para(run(text))}</w:txbxContent>"
    return para(
        run("Before the box."),
        '<w:r><w:pict><v:shape id="tb1" type="#_x0000_t202" '
        'style="position:absolute;margin-left:0;margin-top:20pt;width:400pt;height:60pt">'
        f"<v:textbox>{inner}</v:textbox></v:shape></w:pict></w:r>",
    )


def _unfinished(path: Path) -> Path:
    return build_docx(
        path,
        docx_notes("footnotes", "[Write the source of this figure here.]"),
        {"body_xml": _textbox("[Say who the practitioners were.]")},
        {"edit": {"docProps/core.xml": _title}},
        paragraphs=FINISHED,
    )


def _package_args(report: Path, out: Path) -> list[object]:
    response = build_docx(report.parent / "partnership-response.docx", paragraphs=FINISHED)
    return [
        "package", "--ref", "NS-2026-01", "--report", report, "--response", response,
        "--publication", "14/09/2026", "--sent", "01/09/2026", "--output", out, "--json",
    ]  # fmt: skip


@pytest.mark.libreoffice
def test_package_refuses_three_unfinished_places_and_writes_nothing(invoke, tmp_path):
    report = _unfinished(tmp_path / "overview-report.docx")
    before = report.read_bytes()
    out = tmp_path / "submission"
    result = invoke(*_package_args(report, out))
    assert result.exit_code == 1, result.stderr
    assert not out.exists() or not any(out.iterdir())
    assert report.read_bytes() == before
    doc = json.loads(result.stdout)
    assert doc["refused"] is True and doc["checks"]["draft"]["passed"] is False
    unfinished = [p for p in doc["problems"] if ": unfinished: " in p]
    assert len(unfinished) == 3
    assert all(p.startswith("overview-report.docx: unfinished: ") for p in unfinished)
    by_place = " | ".join(unfinished)
    assert "(text box 1, page 1)" in by_place
    assert "(footnote 2, page 1)" in by_place
    assert "(document property Title)" in by_place
    assert "overview-report.docx: unfinished: placeholder" in result.stderr
    # The manifest keeps file names and kinds, never the text found.
    findings = doc["checks"]["draft"]["files"][0]["findings"]
    assert all("text" not in f for f in findings)


def test_a_finished_report_passes_the_draft_check_that_package_runs(tmp_path):
    from scrtool.bundle.preflight import run_draft

    report = build_docx(tmp_path / "final.docx", paragraphs=FINISHED)
    data, problems = run_draft([report])
    assert data["passed"] is True and problems == []


@pytest.fixture(scope="module")
def demo_drafts(tmp_path_factory):
    from scrtool.demo import collate_step, make_demo_case, report_step

    case = make_demo_case(tmp_path_factory.mktemp("demo") / "case")
    assert collate_step(case).exit_code == 0
    assert report_step(case).exit_code == 0
    return case


@pytest.mark.libreoffice
def test_the_unfinished_demo_drafts_are_refused_with_the_findings_listed(demo_drafts, tmp_path):
    from scrtool.bundle.package import package

    case = demo_drafts
    report, response = case.report_drafts
    result = package(
        case=case, report=report, response=response, sent=case.date("panel_copy_sent"),
        output_dir=tmp_path / "out",
    )  # fmt: skip
    assert result.manifest is None and not (tmp_path / "out").exists()
    lines = [p for p in result.problems if ": unfinished: " in p]
    expected = sum(len(f.findings) for f in check_draft([report, response]).files)
    assert len(lines) == expected > 0
    assert any(
        line.startswith('overview-report.docx: unfinished: placeholder "[Write a short summary')
        and "page 1" in line
        for line in lines
    )
    assert any("partnership-response.docx: unfinished: draft-mark" in line for line in lines)
    assert any("every page" in line for line in lines)


def test_finishing_from_the_authors_text_leaves_nothing_unfinished(demo_drafts, tmp_path):
    texts = read_author_text(REPO / "samples" / "author-text.toml")
    finished = [
        finish_document(path, tmp_path / path.name, texts).output
        for path in demo_drafts.report_drafts
    ]
    assert check_draft(finished).passed
    # The drafts themselves are untouched.
    assert not check_draft(list(demo_drafts.report_drafts)).passed
    summary = texts[0].text
    from docx_helpers import body_text

    assert summary in body_text(finished[0])


def test_an_entry_that_matches_nothing_is_reported_unused(demo_drafts, tmp_path):
    report = demo_drafts.report_drafts[0]
    result = finish_document(report, tmp_path / "r.docx", {"Write nothing like this": "x"})
    assert result.unused == ("write nothing like this",) and result.filled == 0
    assert not check_draft([result.output]).passed


def test_a_broken_author_text_file_names_the_entry(tmp_path):
    from scrtool.errors import DataError

    path = tmp_path / "author.toml"
    path.write_text('[[text]]\nplaceholder = "Write"\n', encoding="utf-8")
    with pytest.raises(DataError, match="entry 1"):
        read_author_text(path)


def test_the_bundled_templates_mark_every_placeholder_with_the_style(tmp_path):
    """The shared rule: each bracketed instruction in a template carries the style."""
    import docx

    for name in ("overview-report.docx", "partnership-response.docx", "agency-request.docx",
                 "panel-letter.docx"):  # fmt: skip
        document = docx.Document(str(REPO / "templates" / name))
        assert "Placeholder" in [s.name for s in document.styles]
        for paragraph in document.paragraphs:
            for piece in paragraph.runs:
                if piece.text.startswith("[") and piece.text.endswith("]"):
                    assert piece.style.name == "Placeholder", (name, piece.text)
    shutil.rmtree(tmp_path, ignore_errors=True)
