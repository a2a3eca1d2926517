"""A form XObject that draws itself makes PDFium lay out a page without end (a 300-byte
PDF took 3 GB and stopped the process): every check, and package, refuse it with one
sentence before PDFium loads a page, and forms drawn within forms in the ordinary way
are read as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from every_check import one_refusal
from hand_pdfs import TEXT, page_with

from scrtool.readers import pdf_forms

FORM = {"bbox": [0, 0, 612, 792], "matrix": [1, 0, 0, 1, 0, 0]}


def _drawing_itself(path: Path, times: int) -> Path:
    form = b"BT /F1 12 Tf 10 10 Td (Dean Voss) Tj ET\n"
    form += b"q 0.5 0 0 0.5 0 0 cm /Fm1 Do Q\n" * times
    return page_with(path, TEXT + b"/Fm1 Do\n", form, FORM)


@pytest.mark.parametrize("times", [1, 2])
def test_a_form_that_draws_itself_is_refused_by_every_check_with_one_sentence(tmp_path, times):
    path = _drawing_itself(tmp_path / "itself.pdf", times)
    assert "draws itself over and over without end" in one_refusal(path)


def test_package_refuses_it_before_reading_a_page(tmp_path):
    from click.testing import CliRunner

    from scrtool.cli import cli

    report = _drawing_itself(tmp_path / "report.pdf", 2)
    response = page_with(tmp_path / "response.pdf", TEXT)
    result = CliRunner().invoke(
        cli,
        [
            "package",
            "--ref", "NS-2026-01",
            "--type", "lcspr",
            "--report", str(report),
            "--response", str(response),
            "--publication", "2026-09-14",
            "--sent", "2026-09-01",
            "--output", str(tmp_path / "out"),
        ],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "report.pdf: has a drawing that draws itself" in result.output
    assert not (tmp_path / "out").exists()


def test_forms_within_forms_drawn_a_few_times_are_read(tmp_path):
    """A form drawing another three times, under resources shared with the page and
    naming the form itself (as some producers share one dictionary): nothing draws
    itself, so the page is read, and its words are found."""
    from scrtool.checks.redaction import check_redaction

    inner = b"BT /F1 12 Tf 160 150 Td (Dean Voss lives here) Tj ET\n"
    outer = b"q 1 0 0 1 0 40 cm /Fm2 Do Q\n" * 3

    def shared(writer):  # /XObject << /Fm1 outer /Fm2 inner >>, for the page and both forms
        from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
        from pypdf.generic import NumberObject as N

        def form(data):
            stream = DecodedStreamObject()
            stream.set_data(data)
            stream.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): ArrayObject([N(v) for v in (0, 0, 612, 792)]),
                }
            )
            return stream

        xobjects = DictionaryObject()
        one, two = writer._add_object(form(outer)), writer._add_object(form(inner))
        xobjects[NameObject("/Fm1")], xobjects[NameObject("/Fm2")] = one, two
        ref = writer._add_object(xobjects)
        for made in (one, two):
            made.get_object()[NameObject("/Resources")] = DictionaryObject(
                {NameObject("/XObject"): ref}
            )
        return ref

    path = page_with(tmp_path / "nested.pdf", b"/Fm1 Do\n", extra={"/XObject": shared})
    report = check_redaction([path], terms=["Dean Voss"])
    assert any(f.text == "Dean Voss" for f in report.files[0].findings)


def test_forms_drawn_millions_of_times_over_are_refused(tmp_path):
    """No form draws itself, but five forms each draw the next twenty times: 3.2 million
    drawings under one page."""
    from pypdf import PdfReader

    from scrtool.readers.pdf_forms import MAX_FORM_DRAWS, endless_drawing

    assert MAX_FORM_DRAWS < 20**5

    def chain(writer):
        from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
        from pypdf.generic import NumberObject as N

        below = None
        for _level in range(6):  # the bottom form draws a box; five draw the next 20 times
            stream = DecodedStreamObject()
            stream.set_data(b"/Fm Do\n" * 20 if below is not None else b"0 0 1 1 re f\n")
            stream.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): ArrayObject([N(v) for v in (0, 0, 612, 792)]),
                }
            )
            if below is not None:
                stream[NameObject("/Resources")] = DictionaryObject(
                    {NameObject("/XObject"): DictionaryObject({NameObject("/Fm"): below})}
                )
            below = writer._add_object(stream)
        return DictionaryObject({NameObject("/Fm1"): below})

    path = page_with(tmp_path / "fan.pdf", TEXT + b"/Fm1 Do\n", extra={"/XObject": chain})
    assert endless_drawing(PdfReader(path))
    assert pdf_forms.may_hold_forms(path.read_bytes())


def test_package_follows_each_inputs_forms_once(tmp_path, monkeypatch):
    """package opens each PDF once for its checks and its bundle: the forms of each are
    followed once, not again when the checks read it."""
    import datetime as dt

    from scrtool.bundle.package import build_package
    from scrtool.bundle.request import REPORT_TITLE, RESPONSE_TITLE, Document, PackageRequest
    from scrtool.readers import pdf

    form = b"BT /F1 12 Tf 160 150 Td (The review looked at the help given.) Tj ET\n"
    paths = [
        page_with(tmp_path / f"{name}.pdf", b"/Fm1 Do\n", form, FORM)
        for name in ("report", "response")
    ]
    followed = []
    real = pdf.endless_drawing
    monkeypatch.setattr(pdf, "endless_drawing", lambda reader: followed.append(1) or real(reader))
    request = PackageRequest(
        ref="NS-2026-01",
        review_type="lcspr",
        documents=(Document(REPORT_TITLE, paths[0]), Document(RESPONSE_TITLE, paths[1])),
        publication=dt.date(2026, 9, 14),
        sent=dt.date(2026, 9, 1),
        output_dir=tmp_path / "out",
        skip_readability=True,
    )
    assert build_package(request).written
    assert len(followed) == 3  # each input once, and the finished bundle once
