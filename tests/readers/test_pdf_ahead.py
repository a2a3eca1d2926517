"""Pages laid out ahead on a second thread (``scrtool.readers.pdf_ahead``) are read exactly
as pages laid out by the reader itself, and ``scrtool package`` makes no PDFium call of
its own while they are being laid out."""

from __future__ import annotations

import datetime as dt
import sys
import threading
from pathlib import Path

import pytest

from scrtool.errors import UnreadableInputError
from scrtool.readers.pdf import lay_out_ahead, read_pdf_bytes
from scrtool.readers.pdf_ahead import Loading


def _hiding_pdf(path: Path, pages: int = 4) -> Path:
    """Pages of plain text, some with text under a black box, white text or text off the
    page: what a page's reading finds, and what it finds hidden on it."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=1)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 11)
        canvas.drawString(72, 720, f"Page {number} of the review, about the school.")
        if number % 2 == 0:
            canvas.drawString(72, 600, "Kestrel Vane lived at home.")
            canvas.rect(70, 595, 200, 16, fill=1)
        if number == 3:
            canvas.setFillColorRGB(1, 1, 1)
            canvas.drawString(72, 500, "Orla Finchley")
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawString(900, 400, "Off the page")
        canvas.showPage()
    canvas.save()
    return path


def _laid_out(data: bytes, name: Path, limit: int = 400) -> tuple[Loading, object]:
    from scrtool.readers.pdf import open_pypdf

    loading = lay_out_ahead([(data, name, open_pypdf(data, name))])
    loading.limit = limit
    loading.start()
    loading._thread.join()  # every page it will lay out, laid out
    loading.stop()
    return loading, loading.documents[0]


@pytest.mark.parametrize("limit", [400, 2, 0])
def test_pages_laid_out_ahead_read_as_pages_laid_out_by_the_reader(tmp_path, limit):
    path = _hiding_pdf(tmp_path / "report.pdf")
    data = path.read_bytes()
    expected = read_pdf_bytes(data, path)
    assert {p.kind for p in expected.pieces()} >= {"covered-text", "hidden-text"}

    loading, ahead = _laid_out(data, path, limit)
    assert len(ahead.pages) == min(limit, 4)  # type: ignore[attr-defined]
    read = read_pdf_bytes(data, path, ahead=ahead)  # type: ignore[arg-type]
    assert read.pages == expected.pages
    assert read.pieces() == expected.pieces()
    assert read.warnings == expected.warnings
    assert ahead.claimed  # type: ignore[attr-defined]
    loading.close_unclaimed()  # nothing left to close: the reader closed it


def test_words_alone_read_from_pages_laid_out_ahead(tmp_path):
    path = _hiding_pdf(tmp_path / "report.pdf")
    data = path.read_bytes()
    expected = read_pdf_bytes(data, path, structure=False)
    _loading, ahead = _laid_out(data, path)
    read = read_pdf_bytes(data, path, structure=False, ahead=ahead)  # type: ignore[arg-type]
    assert read.page_texts == expected.page_texts


def test_a_page_that_will_not_load_ahead_is_refused_as_the_reader_refuses_it(tmp_path):
    """The thread stops at a page PDFium cannot load; the reader then loads that page
    itself and refuses the file with the sentence every check gives."""
    from pypdf import PdfWriter
    from pypdf.generic import IndirectObject

    writer = PdfWriter(clone_from=_hiding_pdf(tmp_path / "three.pdf", 3))
    kids = writer._root_object["/Pages"]["/Kids"]
    kids[1] = IndirectObject(9999, 0, writer)
    broken = tmp_path / "broken.pdf"
    with broken.open("wb") as fh:
        writer.write(fh)
    data = broken.read_bytes()
    with pytest.raises(UnreadableInputError) as without:
        read_pdf_bytes(data, broken)
    loading, ahead = _laid_out(data, broken)
    assert len(ahead.pages) == 1  # type: ignore[attr-defined]
    with pytest.raises(UnreadableInputError) as laid_out:
        read_pdf_bytes(data, broken, ahead=ahead)  # type: ignore[arg-type]
    assert str(laid_out.value) == str(without.value)
    assert "page 2 is damaged and its text cannot be read" in str(laid_out.value)
    loading.close_unclaimed()


def test_the_interval_is_restored_and_what_no_reader_took_is_closed(tmp_path):
    path = _hiding_pdf(tmp_path / "report.pdf")
    data = path.read_bytes()
    from scrtool.readers.pdf import open_pypdf

    before = sys.getswitchinterval()
    loading = lay_out_ahead([(data, path, open_pypdf(data, path))])
    with loading:
        assert sys.getswitchinterval() < before
    assert sys.getswitchinterval() == before
    ahead = loading.documents[0]
    loading.close_unclaimed()
    assert ahead.claimed
    # A reader given a closed document's pages reads the PDF afresh.
    assert read_pdf_bytes(data, path, ahead=ahead).pages == read_pdf_bytes(data, path).pages


def test_a_pdf_whose_forms_draw_without_end_is_refused_before_any_page_is_laid_out(tmp_path):
    from hand_pdfs import page_with

    from scrtool.readers.pdf import open_pypdf

    path = page_with(
        tmp_path / "loop.pdf",
        b"q /Fm1 Do Q BT /F1 12 Tf 72 700 Td (Text) Tj ET",
        form=b"/Fm1 Do",
        form_dict={"bbox": [0, 0, 100, 100], "matrix": [1, 0, 0, 1, 0, 0]},
    )
    data = path.read_bytes()
    with pytest.raises(UnreadableInputError) as refused:
        lay_out_ahead([(data, path, open_pypdf(data, path))])
    with pytest.raises(UnreadableInputError) as by_the_reader:
        read_pdf_bytes(data, path)
    assert str(refused.value) == str(by_the_reader.value)


def test_package_makes_no_pdfium_call_of_its_own_while_pages_are_laid_out(tmp_path, monkeypatch):
    """PDFium must not be called from two threads at once: while the second thread lays
    out pages, the thread that started it (building the bundle) makes no PDFium call."""
    import pypdfium2.raw as raw

    from scrtool.bundle import package as bundle_package
    from scrtool.bundle import request as bundle_request
    from scrtool.readers import pdf_ahead

    window = threading.Event()
    calls = {"loader": 0, "main in the window": [], "main": 0}

    def watched(name, function):  # type: ignore[no-untyped-def]
        def call(*args):  # type: ignore[no-untyped-def]
            if threading.current_thread() is not threading.main_thread():
                calls["loader"] += 1
            elif window.is_set():
                calls["main in the window"].append(name)
            else:
                calls["main"] += 1
            return function(*args)

        return call

    for name in dir(raw):
        if name.startswith("FPDF"):
            function = getattr(raw, name)
            if callable(function) and not isinstance(function, type):
                monkeypatch.setattr(raw, name, watched(name, function))
    real_start, real_stop = pdf_ahead.Loading.start, pdf_ahead.Loading.stop

    def start(self):  # type: ignore[no-untyped-def]
        window.set()
        real_start(self)

    def stop(self):  # type: ignore[no-untyped-def]
        real_stop(self)
        window.clear()

    monkeypatch.setattr(pdf_ahead.Loading, "start", start)
    monkeypatch.setattr(pdf_ahead.Loading, "stop", stop)

    report = _hiding_pdf(tmp_path / "report.pdf", 6)
    response = _hiding_pdf(tmp_path / "response.pdf", 2)
    request = bundle_request.PackageRequest(
        ref="NS-2026-01",
        review_type="lcspr",
        documents=(
            bundle_request.Document("Review report", report),
            bundle_request.Document("Partnership response", response),
        ),
        publication=dt.date(2026, 9, 14),
        sent=dt.date(2026, 9, 1),
        output_dir=tmp_path / "out",
        terms=("Kestrel Vane",),
    )
    result = bundle_package.build_package(request)
    assert calls["loader"] > 0 and calls["main"] > 0
    assert calls["main in the window"] == []
    assert result.problems  # the planted names are found, from pages laid out ahead
    assert any("Kestrel Vane" in p for p in result.problems)
