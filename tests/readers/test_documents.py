from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from readability_files import EASY, HARD, W, make_docx, make_pdf

from scrtool.errors import InputError, UnreadableInputError
from scrtool.readers.documents import join_paragraphs, read_document, strip_markdown_inline


@pytest.fixture(scope="module")
def docx_file(tmp_path_factory) -> Path:
    return make_docx(tmp_path_factory.mktemp("docx") / "report.docx")


# --- .docx ------------------------------------------------------------------------------


def test_docx_keeps_body_text_and_tables_in_reading_order(docx_file):
    doc = read_document(docx_file)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Learning from the review of Child A"
    assert texts.index("Background") < texts.index("What the school knew")
    assert texts.index("What the school knew") < texts.index("Agency")
    assert texts.index("Agency") < texts.index("What it did") < texts.index("School")
    assert "TABLEWORD The school rang the family." in texts
    assert texts[-1] == HARD


@pytest.mark.parametrize(
    "word",
    ["HEADERWORD", "FOOTERWORD", "TOCWORD", "DELETEDWORD", "HIDDENWORD", "CODEWORD", "DATE"],
)
def test_docx_leaves_out_what_a_reader_does_not_see(docx_file, word):
    assert word not in read_document(docx_file).text


def test_docx_leaves_out_text_hidden_by_a_style(tmp_path):
    """Hidden by a character style ("Secret Char") or a paragraph style, through basedOn;
    a run that sets vanish off on itself is shown."""
    import docx

    document = docx.Document()
    document.add_paragraph("Visible start.")
    document.add_paragraph("Paragraph style hidden.")
    document.add_paragraph("Kept.")
    path = tmp_path / "styled.docx"
    document.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    styles = parts["word/styles.xml"].decode()
    styles = styles.replace(
        "</w:styles>",
        '<w:style w:type="character" w:styleId="SecretBase"><w:name w:val="Secret Base"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style>"
        '<w:style w:type="character" w:styleId="SecretChar"><w:name w:val="Secret Char"/>'
        '<w:basedOn w:val="SecretBase"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Hide"><w:name w:val="Hide"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style></w:styles>",
    )
    body = parts["word/document.xml"].decode()
    body = body.replace(
        "<w:t>Visible start.</w:t></w:r>",
        '<w:t>Visible start.</w:t></w:r><w:r><w:rPr><w:rStyle w:val="SecretChar"/></w:rPr>'
        "<w:t>STYLEHIDDEN</w:t></w:r>",
    )
    body = body.replace(
        "<w:p><w:r><w:t>Paragraph style hidden.</w:t></w:r>",
        '<w:p><w:pPr><w:pStyle w:val="Hide"/></w:pPr><w:r><w:t>PARAHIDDEN</w:t></w:r>'
        '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t> Shown again.</w:t></w:r>',
    )
    parts["word/styles.xml"], parts["word/document.xml"] = styles.encode(), body.encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    texts = [p.text for p in read_document(path).paragraphs]
    assert texts == ["Visible start.", "Shown again.", "Kept."]


@pytest.mark.parametrize("word", ["INSERTEDWORD", "RESULTWORD"])
def test_docx_keeps_insertions_and_field_results(docx_file, word):
    assert word in read_document(docx_file).text


def test_docx_heading_levels_from_styles_based_on_and_outline_level(docx_file):
    doc = read_document(docx_file)
    levels = {p.text: p.heading_level for p in doc.paragraphs if p.is_heading}
    assert levels == {"Background": 1, "What the school knew": 2, "Findings": 1}


def test_docx_sections_and_locations(docx_file):
    doc = read_document(docx_file)
    sections = {s.heading: s for s in doc.sections}
    assert list(sections) == [None, "Background", "What the school knew", "Findings"]
    assert sections["Findings"].text == HARD
    school = sections["What the school knew"]
    assert [p.number for p in school.paragraphs] == [1, 2, 3, 4, 5]
    assert school.paragraphs[4].location == 'section "What the school knew", paragraph 5'
    assert doc.paragraphs[0].location == "paragraph 1"


def _docx_with_body(path: Path, body_xml: str, styles_xml: str | None = None) -> Path:
    """A minimal .docx written by hand, for structures python-docx cannot make."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", content_types)
        zf.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
            f"{body_xml}</w:body></w:document>",
        )
        if styles_xml is not None:
            zf.writestr("word/styles.xml", f'<w:styles xmlns:w="{W}">{styles_xml}</w:styles>')
    return path


def _p(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def test_docx_table_of_contents_in_a_content_control_is_left_out(tmp_path):
    body = (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>"
        + _p("Contents")
        + '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>TOC \\o</w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Background 3</w:t></w:r></w:p>'
        '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        "</w:sdtContent></w:sdt>" + _p("Body text after the contents.")
    )
    doc = read_document(_docx_with_body(tmp_path / "toc.docx", body))
    assert [p.text for p in doc.paragraphs] == ["Body text after the contents."]


def test_docx_heading_styles_by_name_chain_and_toc_style(tmp_path):
    styles = (
        '<w:style w:type="paragraph" w:styleId="H1x"><w:name w:val="heading 1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="Chapter"/>'
        '<w:basedOn w:val="H1x"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Out"><w:name w:val="Outlined"/>'
        '<w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body"/>'
        '<w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Loop"><w:name w:val="Loop"/>'
        '<w:basedOn w:val="Loop"/></w:style>'
    )
    body = (
        _p("One", "H1x")
        + _p("Two", "Mine")
        + _p("Three", "Out")
        + _p("Plain", "Body")
        + _p("In the contents 4", "TOC2")
        + _p("Looped", "Loop")
        + _p("Unknown", "NoSuchStyle")
    )
    doc = read_document(_docx_with_body(tmp_path / "styles.docx", body, styles))
    assert [(p.text, p.heading_level) for p in doc.paragraphs] == [
        ("One", 1),
        ("Two", 1),
        ("Three", 3),
        ("Plain", None),
        ("Looped", None),
        ("Unknown", None),
    ]


def test_docx_moved_text_counts_once_and_hyperlinks_count(tmp_path):
    body = (
        "<w:p><w:moveFrom><w:r><w:t>Old place.</w:t></w:r></w:moveFrom>"
        "<w:hyperlink><w:r><w:t>Linked words</w:t></w:r></w:hyperlink>"
        '<w:r><w:t xml:space="preserve"> and </w:t><w:tab/><w:t>more</w:t></w:r>'
        "<w:moveTo><w:r><w:t> New place.</w:t></w:r></w:moveTo></w:p>"
        '<w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple></w:p>'
        '<w:p><w:fldSimple w:instr=" TOC \\o "><w:r><w:t>Contents 1</w:t></w:r></w:fldSimple></w:p>'
    )
    doc = read_document(_docx_with_body(tmp_path / "moves.docx", body))
    assert [p.text for p in doc.paragraphs] == ["Linked words and more New place.", "7"]


# --- .pdf -------------------------------------------------------------------------------


def test_pdf_sections_follow_the_outline(tmp_path):
    doc = read_document(make_pdf(tmp_path / "report.pdf"))
    sections = doc.sections
    assert [s.heading for s in sections] == ["Background", "Findings"]
    assert " ".join(p.text for p in sections[1].paragraphs) == HARD
    first = sections[0].paragraphs[0]
    assert first.page == 1
    assert first.location == 'page 1, section "Background"'


def test_pdf_without_outline_has_a_section_per_page(tmp_path):
    doc = read_document(make_pdf(tmp_path / "plain.pdf", outline=False))
    assert [s.heading for s in doc.sections] == ["Page 1", "Page 2"]
    assert all(not p.is_heading for p in doc.paragraphs)
    assert doc.paragraphs[-1].location.startswith("page 2")


def test_pdf_hyphenated_line_breaks_are_joined(tmp_path):
    from scrtool.readers.documents import _pdf_paragraphs

    paras = _pdf_paragraphs(["The safe-\nguarding partnership met.\n"], [])
    assert paras[0].text == "The safeguarding partnership met."


def test_pdf_running_headers_and_footers_are_left_out():
    """A header repeated on most pages is not the first words of each page's text, and a
    page number ("Page 2 of 4") is left out with it; a line that repeats only in the
    body stays."""
    from scrtool.readers.documents import _pdf_paragraphs

    words = ["nurse", "doctor", "teacher", "officer"]
    pages = [
        f"Wexmoor Partnership: Child A\nThe {word} visited.\nThe family was at home.\n"
        f"The {word} wrote it down.\nPage {n} of 4"
        for n, word in enumerate(words, start=1)
    ]
    texts = [p.text for p in _pdf_paragraphs(pages, [])]
    assert texts[0].startswith("The nurse visited.")
    assert not any("Wexmoor" in t or "Page" in t for t in texts)
    assert sum("The family was at home." in t for t in texts) == 4
    # Two pages are too few to tell a header from the text.
    assert _pdf_paragraphs(pages[:2], [])[0].text.startswith("Wexmoor")


def test_pdf_list_items_and_table_cells_without_full_stops_are_paragraphs():
    from scrtool.readers.documents import _pdf_paragraphs

    items = "\n".join(f"• the worker checked item {n} with the family" for n in range(1, 41))
    body = "The review found these things about the work of all the agencies involved here.\n"
    table = "MASH Multi-Agency Safeguarding Hub: where agencies share information about new\n"
    table += "concerns\nICPC Initial child protection conference\nCIN Child in need\n"
    texts = [p.text for p in _pdf_paragraphs([body + items + "\n\n" + table], [])]
    assert texts[1] == "• the worker checked item 1 with the family"
    assert len([t for t in texts if t.startswith("•")]) == 40
    assert texts[-3:] == [
        "MASH Multi-Agency Safeguarding Hub: where agencies share information about new concerns",
        "ICPC Initial child protection conference",
        "CIN Child in need",
    ]


def test_encrypted_pdf_is_unreadable(tmp_path):
    from pypdf import PdfReader, PdfWriter

    source = make_pdf(tmp_path / "open.pdf")
    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(UnreadableInputError) as info:
        read_document(locked)
    assert "locked.pdf" in str(info.value)
    assert "password" in str(info.value)


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    from pypdf import PdfReader, PdfWriter

    source = make_pdf(tmp_path / "open.pdf")
    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    target = tmp_path / "permissions.pdf"
    with target.open("wb") as handle:
        writer.write(handle)
    assert "Child A" in read_document(target).text


def test_pdf_of_pictures_only_has_no_text(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 200, fill=1)
    c.save()
    with pytest.raises(UnreadableInputError, match="no text"):
        read_document(path)


# --- .md and .txt -----------------------------------------------------------------------

MARKDOWN = """\
---
title: front matter is not text
---
# Learning review

Intro with **bold**, *emphasis*, _under_, `code`, a [link](https://example.org/a_(b))
and ![a picture](pic.png) done.

## Background

- First item of a list
- Second item with [ref link][r]
1. Numbered item

> A quote from the family.

| Agency | Action |
|--------|--------|
| School | Rang home |

```
code block is not prose
```

Setext heading
--------------

Last paragraph.
<!-- a comment -->

[r]: https://example.org
"""


def test_markdown_headings_and_syntax_removed(tmp_path):
    path = tmp_path / "report.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = read_document(path)
    texts = [(p.text, p.heading_level) for p in doc.paragraphs]
    assert texts == [
        ("Learning review", 1),
        ("Intro with bold, emphasis, under, code, a link and done.", None),
        ("Background", 2),
        ("First item of a list", None),
        ("Second item with ref link", None),
        ("Numbered item", None),
        ("A quote from the family.", None),
        ("Agency", None),
        ("Action", None),
        ("School", None),
        ("Rang home", None),
        ("Setext heading", 2),
        ("Last paragraph.", None),
    ]
    assert doc.paragraphs[4].location == 'section "Background", paragraph 2'


def test_strip_markdown_inline_keeps_plain_text():
    assert (
        strip_markdown_inline("A plain sentence, 3.5 * 2 = 7.") == "A plain sentence, 3.5 * 2 = 7."
    )
    assert strip_markdown_inline("snake_case_name stays") == "snake_case_name stays"


def test_text_paragraphs_and_encodings(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("First line\nwraps here.\r\n\r\nSecond – paragraph.\n".encode("cp1252"))
    doc = read_document(path)
    assert [p.text for p in doc.paragraphs] == ["First line wraps here.", "Second – paragraph."]
    assert doc.sections == ()
    assert doc.paragraphs[1].location == "paragraph 2"


def test_text_lists_and_word_plain_text_exports_are_paragraphs(tmp_path):
    """A list typed one item a line was one 300-word sentence; Word's "Plain Text" puts
    each paragraph and heading on one line with no blank line between."""
    items = "\n".join(f"- the worker checked item {n} with the family" for n in range(1, 41))
    path = tmp_path / "list.txt"
    path.write_text(
        "The agencies did these things:\n" + items + "\n\n"
        "Background\nChild A lived with Mother and Sibling B in a small flat near the "
        "school.\nThe health visitor saw the family at home twice in the spring.\n\n"
        "A paragraph typed with its lines wrapped by hand, as in an email, where\n"
        "each line ends where the writer pressed Enter, is still one paragraph.\n",
        encoding="utf-8",
    )
    texts = [p.text for p in read_document(path).paragraphs]
    assert texts[0] == "The agencies did these things:"
    assert texts[1:41] == [f"- the worker checked item {n} with the family" for n in range(1, 41)]
    assert texts[41:43] == [
        "Background",
        "Child A lived with Mother and Sibling B in a small flat near the school.",
    ]
    assert texts[-1].startswith("A paragraph typed") and texts[-1].endswith("one paragraph.")


def test_join_paragraphs_ends_each_as_a_sentence():
    assert join_paragraphs(["Background", "Text.", "Said “yes.”", "  ", "Why?"]) == (
        "Background.\nText.\nSaid “yes.”\nWhy?"
    )


# --- bad inputs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.docx", b"", "empty"),
        ("empty.pdf", b"", "empty"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"\n\n   \n", "empty"),
        ("corrupt.docx", b"PK\x03\x04 this is not really a zip file", "cut short or damaged"),
        ("corrupt.pdf", b"%PDF-1.7\n garbage garbage", "PDF"),
        ("text.docx", b"Just some text saved with the wrong name.", "not a Word document"),
        ("text.pdf", b"Just some text saved with the wrong name.", "not a PDF"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password"),
        ("binary.txt", b"\x00\x01\x02\x03 binary", "not a text file"),
    ],
)
def test_unreadable_files_name_the_file(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableInputError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert expected in message


def test_a_docx_cut_short_is_said_to_be_cut_short_with_reason_damaged(tmp_path, invoke):
    """A download that stopped half way is no 'zip package that is not one': it is said
    to be cut short, and how to get a whole copy."""
    import json

    from redaction_docs import base_docx

    data = base_docx()
    path = tmp_path / "half.docx"
    path.write_bytes(data[: len(data) // 2])
    result = invoke("check", "redaction", path, "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["reason"] == "damaged"
    assert "is cut short or damaged" in error["error"] and "copy it again" in error["error"]


def test_docx_that_is_really_a_pdf(tmp_path):
    pdf = make_pdf(tmp_path / "real.pdf")
    wrong = tmp_path / "renamed.docx"
    wrong.write_bytes(pdf.read_bytes())
    with pytest.raises(UnreadableInputError, match="not a Word document"):
        read_document(wrong)


def test_pdf_that_is_really_a_docx(tmp_path, docx_file):
    wrong = tmp_path / "renamed.pdf"
    wrong.write_bytes(docx_file.read_bytes())
    with pytest.raises(UnreadableInputError, match="not a PDF"):
        read_document(wrong)


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "book.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnreadableInputError, match="not a Word document"):
        read_document(path)


def test_docx_with_broken_xml(tmp_path):
    path = _docx_with_body(tmp_path / "broken.docx", "<w:p><w:r><w:t>unclosed")
    with pytest.raises(UnreadableInputError, match="not well-formed"):
        read_document(path)


def test_docx_xml_entities_are_refused_as_redaction_refuses_them(tmp_path):
    """One policy: readability refuses a declared entity, as redaction does, and says so
    in the same sentence (it used to read the file while redaction refused it)."""
    from scrtool.checks.redaction import check_redaction

    path = tmp_path / "entity.docx"
    _docx_with_body(path, _p("Safe text."))
    evil = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&x;Safe.</w:t></w:r></w:p>'
        f"{_p('Other text.')}</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", evil)
    with pytest.raises(UnreadableInputError) as readability:
        read_document(path)
    with pytest.raises(UnreadableInputError) as redaction:
        check_redaction([path])
    assert str(readability.value) == str(redaction.value)
    assert "declares a DTD or entities" in str(readability.value)


def test_missing_file_and_unsupported_kind(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_document(tmp_path / "nope.docx")
    odt = tmp_path / "report.odt"
    odt.write_bytes(b"x")
    with pytest.raises(InputError, match="cannot read"):
        read_document(odt)
    with pytest.raises(InputError, match="folder"):
        read_document(tmp_path)


def test_easy_text_fixture_is_plain():
    assert "Child A" in EASY


@pytest.mark.parametrize("check", ["redaction", "readability", "draft", "accessibility"])
@pytest.mark.parametrize("name", ["zero.docx", "zero.pdf"])
def test_a_zero_byte_file_is_reason_empty_for_every_check(tmp_path, invoke, check, name):
    import json

    path = tmp_path / name
    path.write_bytes(b"")
    result = invoke("check", check, path, "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["reason"] == "empty"


def test_words_own_bullets_in_a_pdf_start_list_items():
    """Word's bullets reach a PDF as the Symbol font's private character U+F0B7 (and its
    second level as "o"): each item is a paragraph of its own, not one 70-word sentence."""
    from scrtool.readers.paragraphs import _pdf_paragraphs

    page = (
        "After reading this brief, we want you to:\r\n"
        "\uf0b7 talk to the child on their own when it is safe\r\n"
        "\uf0b7 write down what the child says in their own words\r\n"
        "o tell your safeguarding lead the same day\r\n"
        "\uf0a7 ask who else lives in the home\r\n"
    )
    texts = [p.text for p in _pdf_paragraphs([page], [])]
    assert texts == [
        "After reading this brief, we want you to:",
        "\uf0b7 talk to the child on their own when it is safe",
        "\uf0b7 write down what the child says in their own words",
        "o tell your safeguarding lead the same day",
        "\uf0a7 ask who else lives in the home",
    ]


def test_a_docx_with_only_a_picture_is_told_to_type_the_text_not_to_check_the_docx(tmp_path):
    """The advice named the .docx as the thing to check, when it was the .docx."""
    import io

    from accessibility_docs import png_bytes
    from docx import Document as WordDocument
    from docx.shared import Cm

    word = WordDocument()
    word.add_picture(io.BytesIO(png_bytes()), width=Cm(4))
    path = tmp_path / "picture.docx"
    word.save(str(path))
    with pytest.raises(UnreadableInputError) as info:
        read_document(path)
    assert "has no text that scrtool can read" in info.value.message
    assert "type the text in Word" in info.value.message
    assert ".docx itself" not in info.value.message
