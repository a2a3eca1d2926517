"""check accessibility on Word documents written part by part, as Word writes them:
nested tables, pictures in notes, links made by fields and by w:hyperlink, addresses
without "https://", long tables. Each input is built here from its XML, not through
python-docx, so the check meets the shapes Word itself produces."""

from __future__ import annotations

import zipfile
from pathlib import Path

from scrtool.checks.accessibility import check_accessibility

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
STYLES = (
    '<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/><w:lang w:val="en-GB"/>'
    "</w:rPr></w:rPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>'
    '<w:basedOn w:val="Normal"/></w:style>'
)
LINK_REL = (
    f'<Relationship Id="rL1" Type="{REL}/hyperlink" Target="https://example.gov.uk/policy" '
    'TargetMode="External"/>'
)


def para(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def heading(text: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'


def row(*cells: str) -> str:
    return "<w:tr>" + "".join(f"<w:tc>{c}</w:tc>" for c in cells) + "</w:tr>"


def table(*rows: str) -> str:
    return "<w:tbl><w:tblPr/>" + "".join(rows) + "</w:tbl>"


def chart(name: str) -> str:
    """A chart as Word anchors it, with no alternative text."""
    return (
        '<w:r><w:drawing><wp:inline><wp:extent cx="9" cy="9"/>'
        f'<wp:docPr id="4" name="{name}"/><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/chart"/></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )


def link(text: str) -> str:
    return (
        f'<w:hyperlink r:id="rL1"><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:hyperlink>'
    )


def field_link(*pieces: str) -> str:
    """A HYPERLINK field with its code split over runs, as Word saves one it retyped."""
    runs = "".join(f'<w:r><w:t xml:space="preserve">{p}</w:t></w:r>' for p in pieces)
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> HYPER</w:instrText></w:r>'
        '<w:r><w:instrText xml:space="preserve">LINK "https://example.gov.uk" </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{runs}'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def word_docx(
    path: Path, body: str, *, rels: str = "", parts: dict[str, str] | None = None
) -> Path:
    """A .docx of the given body XML, titled, in en-GB, with 11 pt text."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'{head}<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            f'<Relationship Id="rId2" Type="{PKG_REL}/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>',
        )
        z.writestr(
            "docProps/core.xml",
            f'{head}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>The review about Child R</dc:title></cp:coreProperties>",
        )
        z.writestr(
            "word/_rels/document.xml.rels",
            f'{head}<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rS" Type="{REL}/styles" Target="styles.xml"/>{rels}'
            "</Relationships>",
        )
        z.writestr("word/styles.xml", f"{head}<w:styles {NS}>{STYLES}</w:styles>")
        z.writestr(
            "word/document.xml",
            f"{head}<w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>",
        )
        for name, text in (parts or {}).items():
            z.writestr(name, text)
    return path


def found(path: Path) -> list[tuple[str, str, str]]:
    (file,) = check_accessibility([path]).files
    return [(f.kind, f.text, f.location) for f in file.findings]


def test_a_plain_document_built_this_way_passes(tmp_path):
    path = word_docx(tmp_path / "plain.docx", heading("Summary") + para("What happened."))
    assert found(path) == []


def test_a_table_in_a_cell_is_named_by_the_cell_it_sits_in(tmp_path):
    inner = table(row(para("Date")), row(para("3 May")))
    outer = table(
        "<w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:t>Agency</w:t></w:r></w:p>"
        "</w:tc></w:tr>",
        row(para("Police") + inner + "<w:p/>"),
    )
    path = word_docx(tmp_path / "nested.docx", heading("Contacts") + outer)
    assert found(path) == [
        ("table-header", "Date", 'table 2 in table 1, row 2, cell 1, under "Contacts"')
    ]


def test_a_long_table_is_checked_in_a_moment(tmp_path):
    """Every place in a long table is named by its row; the rows are counted once per
    table, not once per place (3,000 places took 18 seconds before)."""
    rows = "".join(
        row(para(f"Contact {n}"), f"<w:p>{link('here')}</w:p>", f"<w:p>{chart(f'Chart {n}')}</w:p>")
        for n in range(1, 3001)
    )
    header = row(para("Contact"), para("Link"), para("Chart")).replace(
        "<w:tr>", "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
    )
    path = word_docx(
        tmp_path / "long.docx", heading("Contacts") + table(header, rows), rels=LINK_REL
    )
    findings = found(path)
    assert len(findings) == 6000
    assert ("link-text", "here", 'table 1, row 3001, cell 2, under "Contacts"') in findings
    assert (
        "alt-text",
        "(no alternative text)",
        'chart "Chart 3000" on table 1, row 3001, cell 3, under "Contacts"',
    ) in findings


def test_a_picture_in_a_footnote_needs_alternative_text(tmp_path):
    notes = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/>'
        f'</w:r></w:p></w:footnote><w:footnote w:id="1"><w:p>{chart("Chart 4")}</w:p>'
        "</w:footnote></w:footnotes>"
    )
    body = heading("Sources") + (
        '<w:p><w:r><w:t>See the chart.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
    )
    path = word_docx(
        tmp_path / "note.docx",
        body,
        rels=f'<Relationship Id="rF" Type="{REL}/footnotes" Target="footnotes.xml"/>',
        parts={"word/footnotes.xml": notes},
    )
    assert found(path) == [("alt-text", "(no alternative text)", 'chart "Chart 4" on footnote 1')]


def test_an_address_without_https_or_www_is_a_bare_address(tmp_path):
    body = heading("Further reading") + "".join(
        f"<w:p>{link(text)}</w:p>"
        for text in (
            "gov.uk/government/publications/working-together",
            "GOV.UK",  # the name of the site, as GOV.UK itself writes it
            "Working Together to Safeguard Children 2023",
        )
    )
    path = word_docx(tmp_path / "addresses.docx", body, rels=LINK_REL)
    assert [(k, t) for k, t, _ in found(path)] == [
        ("link-text", "gov.uk/government/publications/working-together")
    ]


def test_links_are_listed_in_the_order_they_come(tmp_path):
    body = heading("Links") + "".join(
        (
            f"<w:p>{link('https://example.gov.uk/policy')}</w:p>",
            f"<w:p>{field_link('Click ', 'here.')}</w:p>",
            f"<w:p>{link('www.example.gov.uk')}</w:p>",
        )
    )
    path = word_docx(tmp_path / "links.docx", body, rels=LINK_REL)
    assert [(t, where) for _, t, where in found(path)] == [
        ("https://example.gov.uk/policy", 'paragraph 2, under "Links"'),
        ("Click here.", 'paragraph 3, under "Links"'),
        ("www.example.gov.uk", 'paragraph 4, under "Links"'),
    ]


def contents_entry(text: str, *, page: str | None) -> str:
    """One line of a table of contents as Word writes it: a link to the heading's hidden
    bookmark, with its page number as a PAGEREF field (or none, with TOC's \\n switch)."""
    number = (
        '<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{page}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        if page
        else ""
    )
    return (
        f'<w:hyperlink w:anchor="_Toc1" w:history="1"><w:r><w:t>{text}</w:t></w:r>{number}'
        "</w:hyperlink>"
    )


def test_a_table_of_contents_entry_is_not_a_link_to_reword(tmp_path):
    """A heading called "More information" makes a contents entry of the same words; the
    entry is Word's, rebuilt from the heading, so it is no finding. The same words typed
    as a link in the text still are."""
    contents = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\n </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{contents_entry('More information', page=None)}</w:p>"
        f"<w:p>{contents_entry('Here', page='3')}</w:p>"
        '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    body = contents + heading("More information") + f"<w:p>{link('More information')}</w:p>"
    path = word_docx(tmp_path / "contents.docx", body, rels=LINK_REL)
    assert found(path) == [
        ("link-text", "More information", 'paragraph 5, under "More information"')
    ]


def test_a_title_that_is_a_file_name_or_untitled_names_nothing(tmp_path):
    """The PDF check refuses these titles, so the Word check does too: otherwise publish
    passes the Word document and then refuses the PDF it made from it."""
    plain = word_docx(tmp_path / "plain.docx", heading("Summary") + para("What happened."))
    for title, finds in (
        ("Final report v7.docx", True),
        ("Untitled", True),
        ("Title", True),
        ("The review about Child R", False),
    ):
        path = tmp_path / "titled.docx"
        with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as out:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "docProps/core.xml":
                    data = data.replace(b"The review about Child R", title.encode())
                out.writestr(item, data)
        expected = [("title", title, "document properties (File, Info, Title)")] if finds else []
        assert found(path) == expected, title
