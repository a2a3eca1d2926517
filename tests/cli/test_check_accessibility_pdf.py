"""scrtool check accessibility on PDFs: exit codes, the JSON shape and unreadable files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from json_helpers import only_error_document


def untagged(path: Path, pages: int = 1) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    for n in range(pages):
        canvas.drawString(72, 720, f"Page {n + 1} of the review.")
        canvas.showPage()
    canvas.save()
    return path


def test_a_printed_pdf_fails_with_its_kinds_in_the_json(invoke, tmp_path):
    pdf = untagged(tmp_path / "printed.pdf", pages=22)
    result = invoke("check", "accessibility", pdf, "--json")
    assert result.exit_code == 1, result.stderr
    doc = json.loads(result.stdout)
    assert doc["passed"] is False
    (entry,) = doc["files"]
    assert entry["path"] == str(pdf)
    kinds = sorted({f["kind"] for f in entry["findings"]})
    assert kinds == ["headings", "language", "tagged", "title"]
    for finding in entry["findings"]:
        assert set(finding) >= {"kind", "text", "location", "severity"}
        assert "scrtool publish" in finding["advice"]


@pytest.mark.libreoffice
def test_a_published_pdf_passes(invoke, tmp_path):
    from publish_docs import make_review_docx

    report = make_review_docx(tmp_path / "report.docx")
    out = tmp_path / "website"
    assert (
        invoke("publish", "--ref", "NS-2026-01", "--report", report, "--output", out).exit_code == 0
    )
    result = invoke("check", "accessibility", out / "NS-2026-01-report.pdf")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_an_encrypted_or_damaged_pdf_is_exit_2_in_one_sentence(invoke, tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = untagged(tmp_path / "plain.pdf")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("open-sesame")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(plain.read_bytes()[:200])
    for pdf, words in ((locked, "password"), (broken, "broken.pdf")):
        result = invoke("check", "accessibility", pdf)
        assert result.exit_code == 2
        assert words in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
        as_json = invoke("check", "accessibility", pdf, "--json")
        assert as_json.exit_code == 2 and only_error_document(as_json)
