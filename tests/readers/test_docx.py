"""Every place a .docx can hide a name, planted with real Word XML and found."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from redaction_docs import (
    PLACES,
    REGISTER,
    build_docx,
    docx_comment,
    docx_custom_props,
    docx_notes,
    docx_textbox,
    para,
    run,
)

from scrtool.checks.redaction import check_redaction
from scrtool.errors import UnreadableInputError
from scrtool.readers.docx import DocxReader, is_local_path

DATE = 'w:date="2026-01-02T10:00:00Z"'


def findings(path: Path, terms=REGISTER + PLACES):
    return check_redaction([path], terms=terms).files[0].findings


def kinds(path: Path, terms=REGISTER + PLACES) -> set[tuple[str, str]]:
    return {(f.kind, f.text) for f in findings(path, terms)}


@pytest.mark.parametrize("hidden", [False, True])
def test_a_name_hyphenated_over_a_line_break_is_found(tmp_path, hidden):
    """ "Okon-" at the end of a line and "kwo" after Word's line break is one name, as in
    a PDF (the hidden run sends the story through the full walk instead of the fast one)."""
    extra = run("x", "<w:vanish/>") if hidden else ""
    body = para(run("Met Okon-"), "<w:r><w:br/></w:r>", run("kwo at school."), extra)
    path = build_docx(tmp_path / "h.docx", {"body_xml": body})
    assert ("name", "Okonkwo") in kinds(path, terms=["Tyler Okonkwo"])


def test_a_name_split_across_runs_and_a_line_break_is_found(tmp_path):
    body = para(run("Ms Har"), run("rowgate", "<w:b/>"), run(" came; so did Stacey")) + para(
        run("Dean"), "<w:r><w:br/></w:r>", run("Voss said so.")
    )
    found = findings(build_docx(tmp_path / "a.docx", {"body_xml": body}))
    texts = {(f.kind, f.text, f.location) for f in found}
    assert ("name", "Ms Harrowgate", "paragraph 2") in texts
    assert ("name", "Stacey", "paragraph 2") in texts
    assert ("name", "Dean Voss", "paragraph 3") in texts


def test_tables_headers_and_footers(tmp_path):
    def prepare(document):
        table = document.add_table(rows=2, cols=2)
        table.cell(1, 1).text = "Kayden Harrowgate attended."
        section = document.sections[0]
        section.header.paragraphs[0].text = "Draft for Stacey Harrowgate"
        section.footer.paragraphs[0].text = "Printed at 14 Larkspur Close"
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = "Dean Voss copy"

    found = findings(build_docx(tmp_path / "t.docx", prepare=prepare))
    where = {(f.text, f.location) for f in found}
    assert ("Kayden Harrowgate", "table 1, row 2, cell 2") in where
    assert ("Stacey Harrowgate", "header (section 1)") in where
    assert ("14 Larkspur Close", "footer (section 1)") in where
    assert ("Dean Voss", "first-page header (section 1)") in where


@pytest.mark.parametrize(("kind", "label"), [("footnotes", "footnote"), ("endnotes", "endnote")])
def test_footnotes_and_endnotes(tmp_path, kind, label):
    path = build_docx(tmp_path / "n.docx", docx_notes(kind, "Told by Stacey Harrowgate."))
    found = findings(path)
    assert ("Stacey Harrowgate", f"{label} 2") in {(f.text, f.location) for f in found}


def test_a_comment_is_a_finding_whatever_it_says_and_its_author_is_read(tmp_path):
    path = build_docx(tmp_path / "c.docx", docx_comment("Looks fine to me.", author="Dean Voss"))
    found = findings(path)
    comment = [f for f in found if f.kind == "comment"]
    assert comment and comment[0].text == "Looks fine to me."
    assert comment[0].location == "comment 1 by Dean Voss"
    assert comment[0].severity == "high"
    assert any(f.kind == "name" and f.text == "Dean Voss" for f in found)


def test_a_name_in_a_comment_is_found_too(tmp_path):
    path = build_docx(tmp_path / "c.docx", docx_comment("Is this Kayden's school?"))
    assert ("name", "Kayden's") in kinds(path)


def test_tracked_changes_with_their_authors(tmp_path):
    body = (
        para(
            run("Agreed by "),
            f'<w:ins w:id="1" w:author="Editor One" {DATE}>{run("the team")}</w:ins>',
            f'<w:del w:id="2" w:author="Editor Two" {DATE}><w:r><w:delText>Stacey Harrowgate</w:delText></w:r></w:del>',
            run("."),
        )
        + para(
            f'<w:moveFrom w:id="3" w:author="Editor Three" {DATE}>{run("Moved text: Dean Voss.")}</w:moveFrom>',
        )
        + para(f'<w:moveTo w:id="4" w:author="Editor Three" {DATE}>{run("Moved here.")}</w:moveTo>')
    )
    found = findings(build_docx(tmp_path / "tc.docx", {"body_xml": body}))
    changes = {(f.text, f.location) for f in found if f.kind == "tracked-change"}
    assert ("the team", "paragraph 2 (inserted by Editor One)") in changes
    assert ("Stacey Harrowgate", "paragraph 2 (deleted by Editor Two)") in changes
    assert ("Moved text: Dean Voss.", "paragraph 3 (moved from by Editor Three)") in changes
    assert ("Moved here.", "paragraph 4 (moved to by Editor Three)") in changes
    names = {(f.text, f.location) for f in found if f.kind == "name"}
    assert ("Stacey Harrowgate", "paragraph 2 (deleted by Editor Two)") in names
    assert ("Dean Voss", "paragraph 3 (moved from by Editor Three)") in names
    assert all(f.severity == "high" for f in found if f.kind == "tracked-change")
    visible = [f for f in found if f.kind == "name" and f.location == "paragraph 2"]
    assert not visible, "deleted text is not part of the paragraph"


def test_a_formatting_change_is_a_tracked_change(tmp_path):
    rpr = f'<w:b/><w:rPrChange w:id="9" w:author="Editor One" {DATE}><w:rPr/></w:rPrChange>'
    body = para(run("Bold now.", rpr))
    found = findings(build_docx(tmp_path / "f.docx", {"body_xml": body}))
    assert any(
        f.kind == "tracked-change" and "formatting change by Editor One" in f.location
        for f in found
    )


def test_hidden_text_by_run_and_by_style(tmp_path):
    style = (
        '<w:style w:type="character" w:customStyle="1" w:styleId="SecretChar"><w:name w:val="Secret"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style>"
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="SecretPara"><w:name w:val="Secret para"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style>"
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="SecretChild"><w:name w:val="Secret child"/>'
        '<w:basedOn w:val="SecretPara"/></w:style>'
    )
    body = (
        para(run("Visible. "), run("hidden one", "<w:vanish/>"))
        + para(run("by character style", '<w:rStyle w:val="SecretChar"/>'))
        + para(run("by paragraph style"), ppr='<w:pStyle w:val="SecretChild"/>')
        + para(run("shown again", '<w:vanish w:val="0"/>'), ppr='<w:pStyle w:val="SecretPara"/>')
    )
    path = build_docx(
        tmp_path / "h.docx",
        {
            "body_xml": body,
            "edit": {"word/styles.xml": lambda s: s.replace("</w:styles>", style + "</w:styles>")},
        },
    )
    hidden = {(f.text, f.location) for f in findings(path) if f.kind == "hidden-text"}
    assert ("hidden one", "paragraph 2 (hidden text)") in hidden
    assert ("by character style", "paragraph 3 (hidden text)") in hidden
    assert ("by paragraph style", "paragraph 4 (hidden text)") in hidden
    assert not any("shown again" in text for text, _ in hidden)


def test_a_text_box_is_read_once_from_mc_choice(tmp_path):
    path = build_docx(tmp_path / "tb.docx", {"body_xml": docx_textbox("Box for Dean Voss")})
    found = [f for f in findings(path) if f.kind == "name"]
    assert [(f.text, f.location) for f in found] == [("Dean Voss", "text box 1")]


def test_content_controls_block_and_inline(tmp_path):
    body = (
        '<w:sdt><w:sdtPr><w:alias w:val="Child"/></w:sdtPr><w:sdtContent>'
        + para(run("Block control: Kayden Harrowgate"))
        + "</w:sdtContent></w:sdt>"
        + para(
            run("Inline control: "),
            "<w:sdt><w:sdtPr/><w:sdtContent>" + run("Dean Voss") + "</w:sdtContent></w:sdt>",
        )
    )
    found = {
        (f.text, f.location) for f in findings(build_docx(tmp_path / "s.docx", {"body_xml": body}))
    }
    assert ("Kayden Harrowgate", "paragraph 2") in found
    assert ("Dean Voss", "paragraph 3") in found


def test_hyperlink_targets_and_field_codes(tmp_path):
    body = para(
        '<w:hyperlink r:id="rIdH1">' + run("write to us") + "</w:hyperlink>",
        '<w:hyperlink r:id="rIdH2">' + run("the notes") + "</w:hyperlink>",
    ) + para(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        r'<w:r><w:instrText xml:space="preserve"> INCLUDEPICTURE "C:\\Users\\dvoss\\Pictures\\home.jpg" \d </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )
    spec = {
        "body_xml": body,
        "rels": {
            "word/document.xml": [
                ("rIdH1", "hyperlink", "mailto:s.harrowgate@mail.example", True),
                ("rIdH2", "hyperlink", "file:///C:/Users/dvoss/Documents/Case%20notes.docx", True),
            ]
        },
    }
    found = findings(build_docx(tmp_path / "l.docx", spec))
    got = {(f.kind, f.severity) for f in found}
    assert ("email", "high") in got
    paths = [f for f in found if f.kind == "metadata" and "file path" in f.location]
    assert any("Case notes.docx" in f.text and f.severity == "medium" for f in paths)
    assert any("INCLUDEPICTURE" in f.text and "field code" in f.location for f in paths)


def test_document_properties_core_app_and_custom(tmp_path):
    def prepare(document):
        props = document.core_properties
        props.author = "Stacey Harrowgate"
        props.last_modified_by = "A Worker"
        props.title = "Overview report"
        props.keywords = "Easthaven"
        props.subject = "Review"

    def app(xml: str) -> str:
        return xml.replace("<Company/>", "<Company>Northshire Council</Company>").replace(
            "<Manager/>", "<Manager>Pat Manager</Manager>"
        )

    path = build_docx(
        tmp_path / "p.docx",
        {"edit": {"docProps/app.xml": app}},
        docx_custom_props("Case worker", "Dean Voss"),
        prepare=prepare,
    )
    found = findings(path)
    meta = {(f.location, f.text, f.severity) for f in found if f.kind == "metadata"}
    assert ("document property Author", "Stacey Harrowgate", "medium") in meta
    assert ("document property Last modified by", "A Worker", "medium") in meta
    assert ("document property Company", "Northshire Council", "medium") in meta
    assert ("document property Manager", "Pat Manager", "medium") in meta
    assert ("document property Title", "Overview report", "low") in meta
    assert ("custom document property Case worker", "Dean Voss", "low") in meta
    names = {(f.text, f.location) for f in found if f.kind == "name"}
    assert ("Stacey Harrowgate", "document property Author") in names
    assert ("Easthaven", "document property Keywords") in names
    assert ("Dean Voss", "custom document property Case worker") in names


def test_custom_xml_parts(tmp_path):
    xml = '<?xml version="1.0"?><case xmlns="urn:example"><child name="Kayden Harrowgate">notes</child></case>'
    path = build_docx(tmp_path / "x.docx", {"parts": {"customXml/item9.xml": xml}})
    found = findings(path)
    assert any(
        f.kind == "name" and f.location == "custom XML part customXml/item9.xml" for f in found
    )


def test_embedded_objects_are_findings_and_their_text_is_read(tmp_path):
    inner = tmp_path / "inner.docx"
    build_docx(inner, paragraphs=["Inner document about Dean Voss."])
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "Stacey Harrowgate".encode("utf-16-le")
    )
    spec = {
        "parts": {
            "word/embeddings/oleObject1.bin": ole,
            "word/embeddings/Microsoft_Word_Document.docx": inner.read_bytes(),
        }
    }
    found = findings(build_docx(tmp_path / "e.docx", spec))
    objects = {(f.text, f.severity) for f in found if f.kind == "embedded-object"}
    # An OLE object that cannot be opened is never read as strings of bytes: it is named
    # for a person to look at, at medium.
    assert objects == {
        ("oleObject1.bin", "high"),
        ("Microsoft_Word_Document.docx", "high"),
        ("an embedded object that cannot be opened: check it by hand", "medium"),
    }
    names = {(f.text, f.location.split(":")[0]) for f in found if f.kind == "name"}
    assert not [n for n in names if n[0] == "Stacey Harrowgate"]
    assert ("Dean Voss", "embedded object word/embeddings/Microsoft_Word_Document.docx") in names


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)


def test_image_alt_text(tmp_path):
    def prepare(document):
        document.add_picture(io.BytesIO(PNG))

    def alt(xml: str) -> str:
        return xml.replace(
            'name="Picture 1"', 'name="Picture 1" descr="Photo of Kayden Harrowgate"', 1
        )

    path = build_docx(tmp_path / "i.docx", {"edit": {"word/document.xml": alt}}, prepare=prepare)
    assert ("Kayden Harrowgate", "picture alt text") in {
        (f.text, f.location) for f in findings(path)
    }


def test_attached_template_path(tmp_path):
    def settings(xml: str) -> str:
        at = xml.index(">", xml.index("<w:settings")) + 1
        return xml[:at] + '<w:attachedTemplate r:id="rIdTpl"/>' + xml[at:]

    spec = {
        "edit": {"word/settings.xml": settings},
        "rels": {
            "word/settings.xml": [
                (
                    "rIdTpl",
                    "attachedTemplate",
                    "file:///C:\\Users\\dvoss\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm",
                    True,
                )
            ]
        },
    }
    found = findings(build_docx(tmp_path / "tpl.docx", spec))
    template = [f for f in found if f.location == "attached template"]
    assert template and template[0].severity == "medium" and "dvoss" in template[0].text


def test_a_clean_document_passes(tmp_path):
    from redaction_docs import CLEAN_PARAGRAPHS

    report = check_redaction(
        [build_docx(tmp_path / "clean.docx", paragraphs=CLEAN_PARAGRAPHS)], terms=REGISTER
    )
    assert report.passed, report.files[0].findings


def test_local_paths():
    assert is_local_path(r"C:\Users\me\x.docx")
    assert is_local_path("file:///home/me/x")
    assert is_local_path(r"\\server\share\x.docx")
    assert not is_local_path("https://www.gov.uk/guidance")


# --- hostile and broken files -------------------------------------------------------------


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path, monkeypatch):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as handle:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(300):
                handle.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024

    def never(*args, **kwargs):
        raise AssertionError("a part was inflated before the package was refused")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    with pytest.raises(UnreadableInputError, match="zip bomb"):
        DocxReader(path)


def test_billion_laughs_is_refused(tmp_path):
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'.encode()
            for i in range(1, 10)
        )
        + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = _zip(tmp_path / "lol.docx", {"word/document.xml": lol})
    with pytest.raises(UnreadableInputError, match="DTD"):
        DocxReader(path).read()


def test_not_a_zip_and_not_a_word_document(tmp_path):
    (tmp_path / "fake.docx").write_text("just text")
    with pytest.raises(UnreadableInputError, match="not a Word document"):
        DocxReader(tmp_path / "fake.docx")
    path = _zip(tmp_path / "other.docx", {"hello.txt": b"hi"})
    with pytest.raises(UnreadableInputError, match="no word/document.xml"):
        DocxReader(path).read()


def test_broken_xml_is_refused(tmp_path):
    path = _zip(tmp_path / "broken.docx", {"word/document.xml": b"<w:document><w:body>"})
    with pytest.raises(UnreadableInputError, match="not well-formed"):
        DocxReader(path).read()


def test_the_fast_path_reads_exactly_what_the_full_walk_reads(tmp_path):
    """Stories with nothing hidden take a fast path; it must give the same pieces."""
    from redaction_docs import CLEAN_PARAGRAPHS

    from scrtool.readers.docx import _StoryReader

    def prepare(document):
        table = document.add_table(rows=2, cols=2)
        table.cell(1, 0).text = "Cell with Dean Voss"
        inner = table.cell(1, 1).add_table(rows=1, cols=1)
        inner.cell(0, 0).text = "Nested cell"
        document.add_paragraph("After the table.")
        document.add_picture(io.BytesIO(PNG))

    body = para(
        run("Tab"), "<w:r><w:tab/></w:r>", run("and"), "<w:r><w:br/></w:r>", run("break")
    ) + para(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        r'<w:r><w:instrText xml:space="preserve"> HYPERLINK "C:\\Users\\x\\y.docx" </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        '<w:fldSimple w:instr=" PAGE ">' + run("1") + "</w:fldSimple>",
        "<w:sdt><w:sdtContent>" + run("in a control") + "</w:sdtContent></w:sdt>",
    )
    path = build_docx(
        tmp_path / "f.docx", {"body_xml": body}, paragraphs=CLEAN_PARAGRAPHS, prepare=prepare
    )

    def pieces(fast: bool):
        reader = DocxReader(path)
        root = reader.package.xml("word/document.xml")
        story = _StoryReader(reader, "body", number_paragraphs=True)
        return story.read(root, fast=fast), reader.alt_texts

    assert pieces(True) == pieces(False)
    hyphen = para(run("Okon-"), "<w:r><w:br/></w:r>", run("kwo came."))
    path = build_docx(tmp_path / "h.docx", {"body_xml": hyphen}, paragraphs=CLEAN_PARAGRAPHS)
    assert pieces(True) == pieces(False)
    slow, _ = pieces(False)
    assert any(p.text == "Okon-\nkwo came." for p in slow)
    path = build_docx(
        tmp_path / "f.docx", {"body_xml": body}, paragraphs=CLEAN_PARAGRAPHS, prepare=prepare
    )
    slow, _ = pieces(False)
    locations = [p.location for p in slow]
    assert "table 1, row 2, cell 1" in locations
    assert any("field code with a file path" in loc for loc in locations)
    assert any(p.text == "Tab and break" for p in slow)
