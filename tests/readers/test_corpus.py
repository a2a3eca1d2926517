"""The small real-shaped files in tests/data/readers/ (built by tests/data/make_reader_data.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scrtool.checks.readability import check_readability
from scrtool.checks.redaction import check_redaction
from scrtool.errors import UnreadableInputError
from scrtool.readers.documents import read_document

DATA = Path(__file__).resolve().parent.parent / "data" / "readers"


def test_the_corpus_is_what_the_script_builds(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_reader_data", DATA.parent / "make_reader_data.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for built in tmp_path.iterdir():
        assert built.read_bytes() == (DATA / built.name).read_bytes(), built.name


# --- a form XObject with a /Matrix, placed by a cm ----------------------------------------


def test_form_xobject_text_is_placed_with_both_transforms():
    """Only the name under the box drawn in the form is covered; nothing is called off the
    page or covered by the panel drawn before it (the identity-matrix reading said both)."""
    path = DATA / "form-xobject-matrix.pdf"
    report = check_redaction([path], terms=["Ravi Okafor"])
    found = {(f.kind, f.text, f.location) for f in report.files[0].findings}
    assert ("covered-text", "Ravi Okafor", "page 1 (text under a box drawn over it)") in found
    assert not [f for f in report.files[0].findings if f.kind == "hidden-text"]
    assert [f.text for f in report.files[0].findings if f.kind == "covered-text"] == ["Ravi Okafor"]


def test_form_xobject_character_boxes_are_on_the_page_where_poppler_draws_them():
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(DATA / "form-xobject-matrix.pdf"))
    textpage = document[0].get_textpage()
    text = textpage.get_text_range()
    at = text.index("Ravi")
    left, bottom, right, top = textpage.get_charbox(at)
    # The form draws "Ravi" at (80, -50); its /Matrix scales by 1.5 and the cm moves it by
    # (220, 520): on the page it starts at 220 + 1.5 * 80 = 340.
    assert 339 <= left <= 343 and 440 <= bottom <= 450
    if shutil.which("pdftotext"):
        bbox = subprocess.run(
            ["pdftotext", "-bbox", str(DATA / "form-xobject-matrix.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        line = next(line for line in bbox.splitlines() if ">Ravi<" in line)
        x_min = float(line.split('xMin="')[1].split('"')[0])
        assert abs(x_min - left) < 2


# --- an ISO-Strict .docx -------------------------------------------------------------------


def test_a_strict_docx_is_read_by_both_checks():
    path = DATA / "strict.docx"
    document = read_document(path)
    assert [(p.text, p.heading_level) for p in document.paragraphs][0] == ("Background", 1)
    assert "Aisha Kowalczyk was seen" in document.text
    report = check_redaction([path], terms=["Aisha Kowalczyk"])
    kinds = {(f.kind, f.text) for f in report.files[0].findings}
    assert ("name", "Aisha Kowalczyk") in kinds
    assert ("postcode", "LS4 7QT") in kinds
    assert ("metadata", "Priya Lindqvist") in kinds
    assert check_readability([path], min_section_words=1000).files[0].words > 10


# --- an OLE embedding with digits in it ----------------------------------------------------


def test_an_ole_embedding_is_read_for_its_names_never_its_bytes():
    path = DATA / "ole-embedding.docx"
    report = check_redaction([path], terms=["Okafor"])
    findings = report.files[0].findings
    kinds = {f.kind for f in findings}
    # The digits and "addresses" inside the binary data are never identifiers.
    assert not kinds & {"nhs-number", "email", "phone", "postcode", "ni-number"}
    assert ("embedded-object", "oleObject1.bin") in {(f.kind, f.text) for f in findings}
    names = {f.location for f in findings if f.kind == "name"}
    assert any("(file name)" in where for where in names)
    paths = [f for f in findings if f.kind == "metadata" and "a file path" in f.location]
    assert paths and all("plindqvist" in f.text for f in paths)


# --- an XML-entity .docx -------------------------------------------------------------------


def test_an_entity_docx_is_refused_by_every_check_with_the_same_sentence():
    path = DATA / "entities.docx"
    messages = []
    for check in (
        lambda: check_redaction([path]),
        lambda: check_readability([path]),
        lambda: read_document(path),
    ):
        with pytest.raises(UnreadableInputError) as info:
            check()
        messages.append(str(info.value))
    assert len(set(messages)) == 1
    assert "declares a DTD or entities" in messages[0]
    assert "Dean Voss" not in messages[0]


def _strict_with_body(path: Path, body: str) -> Path:
    """The Strict corpus file with ``body`` (paragraphs' XML) added before its sectPr."""
    import zipfile

    with zipfile.ZipFile(DATA / "strict.docx") as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:sectPr/>", body.encode() + b"<w:sectPr/>")
            dst.writestr(info, data)
    return path


def test_japanese_ruby_text_is_read(tmp_path):

    from scrtool.readers.docx import docx_pieces

    body = (
        '<w:p><w:r><w:t xml:space="preserve">Reviewed by </w:t></w:r><w:r><w:ruby>'
        "<w:rubyPr/><w:rt><w:r><w:t>やまだ</w:t></w:r></w:rt>"
        "<w:rubyBase><w:r><w:t>山田</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>"
    )
    path = _strict_with_body(tmp_path / "ruby.docx", body)
    pieces = {p.location: p.text for p in docx_pieces(path)}
    assert pieces["paragraph 4"] == "Reviewed by 山田"
    assert pieces["paragraph 4 (ruby text)"] == "やまだ"
    assert "Reviewed by 山田." in read_document(path).text
    found = check_redaction([path], terms=["やまだ"]).files[0].findings
    assert ("name", "やまだ") in {(f.kind, f.text) for f in found}


def test_a_name_in_japanese_written_without_spaces_and_a_reading_over_two_groups(tmp_path):
    """Japanese puts no space round a name: 朝霧湊 is found in 訪問者は朝霧湊さんでした.
    Word gives each group of characters its own reading: あさぎり and みなと are read
    as one, あさぎりみなと."""

    from scrtool.readers.docx import docx_pieces

    def ruby(reading: str, base: str) -> str:
        return (
            f"<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>{reading}</w:t></w:r></w:rt>"
            f"<w:rubyBase><w:r><w:t>{base}</w:t></w:r></w:rubyBase></w:ruby></w:r>"
        )

    body = (
        "<w:p><w:r><w:t>訪問者は</w:t></w:r>"
        + ruby("あさぎり", "朝霧")
        + ruby("みなと", "湊")
        + "<w:r><w:t>さんでした。</w:t></w:r></w:p>"
    )
    path = _strict_with_body(tmp_path / "ja.docx", body)
    pieces = {p.location: p.text for p in docx_pieces(path)}
    assert pieces["paragraph 4 (ruby text)"] == "あさぎりみなと"
    found = check_redaction([path], terms=["朝霧湊", "あさぎりみなと"]).files[0].findings
    names = {(f.text, f.location) for f in found if f.kind == "name"}
    assert names == {
        ("朝霧湊", "paragraph 4"),
        ("あさぎりみなと", "paragraph 4 (ruby text)"),
    }
