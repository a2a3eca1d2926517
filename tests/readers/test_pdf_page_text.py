"""A check that needs only a PDF's words reads them with PDFium's own calls; the text is
exactly what pypdfium2's ``get_text_range()`` gives, and what a full read gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrtool.readers.pdf import read_pdf


def _pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Child A lived with Mother in Northshire.")
    c.drawString(72, 700, "The health visitor saw Child A on 3 May 2024 — Zoë’s “school”")
    c.drawString(72, 680, "was not told. A line that ends in a hyphen-")
    c.drawString(72, 660, "ated word.   ")
    c.showPage()  # a page with no text at all
    c.showPage()
    c.drawString(72, 720, "    ")  # only spaces
    c.showPage()
    c.setFont("Helvetica", 30)
    c.drawString(-40, 400, "Text that starts off the page and runs past its right edge, far")
    c.showPage()
    c.save()
    return path


def _pypdfium2_text(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path.read_bytes())
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


@pytest.mark.parametrize("structure", [False, True])
def test_page_text_is_pypdfium2s(tmp_path, structure):
    path = _pdf(tmp_path / "report.pdf")
    expected = _pypdfium2_text(path)
    assert "Northshire" in expected[0] and expected[1] == ""
    assert read_pdf(path, structure=structure).page_texts == expected
