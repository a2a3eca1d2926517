"""What a .docx holds inside it is read, or named for a person to check by hand: an
embedded workbook's sheets and their names, an embedding's file name, documents nested
deeper than scrtool opens, damaged packages. And every part of the file itself is held
to one policy by every check: a DTD anywhere before a part's first element, a damaged
compressed part, a part too large to parse, embedded files that add up."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from ole_helpers import ole10_native, ole_compound
from redaction_docs import build_docx

from scrtool.checks.redaction import check_redaction
from scrtool.readers import safety

TERMS = ["Dean Voss", "Gwendolyn Tarrant", "Rufus Elderton", "Fenella Craddock"]


def _findings(path: Path):
    return check_redaction([path], terms=TERMS).files[0].findings


def _with_embedding(path: Path, name: str, data: bytes) -> Path:
    return build_docx(path, {"parts": {f"word/embeddings/{name}": data}})


def _workbook(sheet: str, cell: str = "nothing to see") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    assert book.active is not None
    book.active.title = sheet
    book.active["A1"] = cell
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(data: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, change(name, src.read(name)))
    return out.getvalue()


def test_an_embedded_workbooks_sheet_name_is_read(tmp_path):
    path = _with_embedding(tmp_path / "book.docx", "Sheet.xlsx", _workbook("Gwendolyn Tarrant"))
    names = [f for f in _findings(path) if f.kind == "name"]
    assert [(f.text, f.location) for f in names] == [
        ("Gwendolyn Tarrant", "embedded object word/embeddings/Sheet.xlsx")
    ]


def test_a_part_of_an_embedded_workbook_that_cannot_be_read_is_named_to_check_by_hand(
    tmp_path,
):
    def hostile(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "Dean Voss">]>' + data[38:]
        return data

    book = _rezip(_workbook("Visits", "Dean Voss"), hostile)
    found = _findings(_with_embedding(tmp_path / "dtd.docx", "Sheet.xlsx", book))
    notes = [f for f in found if f.kind == "embedded-object" and f.severity == "medium"]
    assert len(notes) == 1
    assert 'part ("xl/worksheets/sheet1.xml")' in notes[0].text
    assert "check it by hand" in notes[0].text


def test_an_embeddings_file_name_is_looked_at_for_names(tmp_path):
    inner = build_docx(tmp_path / "inner.docx", paragraphs=["Nothing here."])
    path = _with_embedding(tmp_path / "named.docx", "Dean%20Voss letter.docx", inner.read_bytes())
    names = {(f.text, f.location) for f in _findings(path) if f.kind == "name"}
    assert names == {
        ("Dean Voss", "embedded object word/embeddings/Dean%20Voss letter.docx (its file name)")
    }


def test_a_document_nested_deeper_than_scrtool_opens_is_named_to_check_by_hand(tmp_path):
    """Two levels are read; the third is not opened, and the check says so (it said
    nothing, and a name there was missed without a word)."""
    data = build_docx(tmp_path / "l3.docx", paragraphs=["Fenella Craddock"]).read_bytes()
    for level, name in ((2, "Rufus Elderton"), (1, "Gwendolyn Tarrant")):
        data = _with_embedding(tmp_path / f"l{level}.docx", "Doc.docx", data).read_bytes()
        data = _rezip(data, lambda n, d, name=name: d.replace(b"Child A", name.encode()))
    path = _with_embedding(tmp_path / "top.docx", "Doc.docx", data)
    found = _findings(path)
    names = {f.text for f in found if f.kind == "name"}
    assert names == {"Gwendolyn Tarrant", "Rufus Elderton"}
    deep = [f for f in found if "levels deep" in f.text]
    assert len(deep) == 1 and deep[0].severity == "medium"


def test_a_damaged_packaged_file_in_an_ole_object_is_named_to_check_by_hand(tmp_path):
    whole = ole10_native("Dean Voss.docx", "C:\\notes\\Dean Voss.docx", b"PK" + b"x" * 400)
    ole = ole_compound({"\x01Ole10Native": whole[:200]})  # the packaged file cut short
    found = _findings(_with_embedding(tmp_path / "ole.docx", "oleObject1.bin", ole))
    assert any(f.severity == "medium" and "check it by hand" in f.text for f in found)


# --- one policy for every part, by every check ------------------------------------------


def _all_checks(path: Path) -> tuple[set[int], set[str]]:
    from click.testing import CliRunner

    from scrtool.cli import cli

    codes, sentences = set(), set()
    for check in ("readability", "redaction", "draft", "accessibility"):
        result = CliRunner().invoke(cli, ["check", check, str(path)])
        codes.add(result.exit_code)
        sentences.update(line for line in result.output.splitlines() if line.startswith(str(path)))
    return codes, sentences


@pytest.mark.parametrize(
    ("part", "prolog"),
    [
        ("word/theme/theme1.xml", b""),
        ("[Content_Types].xml", b""),
        ("docProps/core.xml", b"<!--" + b"x" * 70_000 + b"-->\n"),
        ("word/fontTable.xml", b"<?pi " + b"y" * 70_000 + b"?>\n<!-- a -->\n"),
    ],
    ids=["theme", "content-types", "after-a-70k-comment", "after-a-long-instruction"],
)
def test_a_dtd_in_any_part_before_its_first_element_is_refused_by_every_check(
    tmp_path, part, prolog
):
    """Whichever parts a check reads, a DTD in any of them, after however long a
    prolog, is refused by all four with one sentence (redaction and draft read such a
    file on; a DTD after 64 KB of comment got past every check)."""
    doctype = b'<!DOCTYPE x [<!ENTITY e "Dean Voss">]>\n'

    def plant(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        head, sep, rest = data.partition(b"?>")
        if not head.startswith(b"<?xml"):
            return prolog + doctype + data
        return head + sep + b"\n" + prolog + doctype + rest.lstrip()

    clean = build_docx(tmp_path / "clean.docx").read_bytes()
    path = tmp_path / "declared.docx"
    path.write_bytes(_rezip(clean, plant))
    codes, sentences = _all_checks(path)
    assert codes == {2}
    assert len(sentences) == 1, sentences
    assert f'part "{part}" declares a DTD or entities' in sentences.pop()


def test_a_damaged_compressed_part_is_refused_by_every_check_not_a_fault(tmp_path):
    clean = build_docx(tmp_path / "clean.docx").read_bytes()
    src = zipfile.ZipFile(io.BytesIO(clean))
    info = src.getinfo("word/document.xml")
    data = bytearray(clean)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for at in range(start + 10, start + 40):
        data[at] ^= 0xFF  # the deflated bytes, not the zip's own headers
    path = tmp_path / "damaged.docx"
    path.write_bytes(bytes(data))
    codes, sentences = _all_checks(path)
    assert codes == {2}
    assert len(sentences) == 1 and 'part "word/document.xml" is damaged' in sentences.pop()


def test_an_xml_part_too_large_to_parse_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_XML_PART_BYTES", 4096)
    path = build_docx(tmp_path / "big.docx", paragraphs=["A long report. " * 400])
    codes, sentences = _all_checks(path)
    assert codes == {2}
    assert 'part "word/document.xml" would unpack to' in sentences.pop()


def test_embedded_documents_share_the_files_one_size_budget(tmp_path, monkeypatch):
    """Each embedded document within the limits, all of them together over: the file's
    budget is one, not one each (four 120 MB documents used 6.9 GB)."""
    inner = build_docx(tmp_path / "inner.docx", paragraphs=["Text. " * 3000]).read_bytes()
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(inner)).infolist())
    parts = {f"word/embeddings/Doc{n}.docx": inner for n in range(4)}
    path = build_docx(tmp_path / "four.docx", {"parts": parts})
    outer = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", outer + 2 * unpacked + unpacked // 2)
    found = _findings(path)
    refused = [f for f in found if "would unpack to more than scrtool opens" in f.text]
    assert len(refused) == 2  # the third and fourth, once the budget is spent
    assert all(f.severity == "medium" and "check it by hand" in f.text for f in refused)


def test_a_charts_data_workbook_is_low_and_its_text_still_checked(tmp_path):
    """Word keeps a workbook with every chart; that is no finding of its own (every
    report with a chart failed), but a name in the chart's data still is."""
    chart = (
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        "<c:chart/></c:chartSpace>"
    )
    spec = {
        "parts": {
            "word/charts/chart1.xml": chart,
            "word/embeddings/Microsoft_Excel_Worksheet1.xlsx": _workbook("Sheet1", "Dean Voss"),
            "word/embeddings/Other.xlsx": _workbook("Sheet1", "nothing"),
        },
        "rels": {
            "word/charts/chart1.xml": [
                ("rId1", "package", "../embeddings/Microsoft_Excel_Worksheet1.xlsx", False)
            ]
        },
    }
    found = _findings(build_docx(tmp_path / "chart.docx", spec))
    objects = {
        (f.location.split("/")[-1], f.severity) for f in found if f.kind == "embedded-object"
    }
    assert objects == {("Microsoft_Excel_Worksheet1.xlsx", "low"), ("Other.xlsx", "high")}
    names = [(f.text, f.severity) for f in found if f.kind == "name"]
    assert names == [("Dean Voss", "high")]


def test_a_white_bitmap_that_packs_as_tightly_as_a_bomb_is_no_bomb(tmp_path):
    """An uncompressed picture of a blank page (a 24 MB BMP) packs 1000 to 1; a picture
    is never inflated to be read, so only the parts that are read are held to the ratio."""
    white = b"BM" + b"\xff" * (24 * 1024 * 1024)
    path = build_docx(tmp_path / "bitmap.docx", {"parts": {"word/media/image1.bmp": white}})
    codes, sentences = _all_checks(path)
    assert codes <= {0, 1}, sentences
    bomb = build_docx(tmp_path / "bomb.docx", {"parts": {"word/embeddings/x.bin": white}})
    codes, sentences = _all_checks(bomb)
    assert codes == {2} and "zip bomb" in sentences.pop()
