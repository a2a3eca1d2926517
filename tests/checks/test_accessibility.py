"""scrtool check accessibility on Word documents: each finding on a document built to
have it, and the same document fixed as docs/check-accessibility.md says."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from accessibility_docs import (
    ALT,
    build_report,
    fix_alt_text,
    fix_bold_headings,
    fix_font_size,
    fix_headings,
    fix_language,
    fix_link_text,
    fix_tables,
    fix_title,
    png_bytes,
    resave,
)
from conftest import DATA, convert_with_soffice

from scrtool.checks.accessibility import (
    check_accessibility,
    check_file,
    load_rules,
    refusal_lines,
)
from scrtool.errors import InputError, UnreadableInputError


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def findings(path: Path, rules=None) -> list[tuple[str, str, str]]:
    report = check_accessibility([path], rules=rules)
    (file,) = report.files
    return [(f.kind, f.text, f.location) for f in file.findings]


def test_a_report_built_accessibly_passes(tmp_path):
    path = build_report(tmp_path / "good.docx")
    report = check_accessibility([path])
    assert report.passed and report.exit_code == 0
    assert report.files[0].findings == ()


# (faults given to build_report, the one kind expected, what it shows, the fix)
CASES = [
    ({"title": None}, "title", "(no title)", fix_title),
    ({"title": "   "}, "title", "(no title)", fix_title),
    ({"language": False}, "language", "(no language)", fix_language),
    ({"headings": "skip"}, "headings", "Contacts by month", fix_headings),
    ({"headings": "first-h2"}, "headings", "Summary", fix_headings),
    ({"headings": "bold-only"}, "headings", "(no headings)", fix_bold_headings),
    ({"alt": None}, "alt-text", "(no alternative text)", fix_alt_text),
    ({"alt": "image1.png"}, "alt-text", "image1.png", fix_alt_text),
    ({"alt": "Picture 1"}, "alt-text", "Picture 1", fix_alt_text),
    ({"table": "none"}, "table-header", "Agency | Contacts", fix_tables),
    ({"link": "Click here"}, "link-text", "Click here", fix_link_text),
    ({"link": "https://example.org/procedures"}, "link-text", "https://example.org/procedures", fix_link_text),
    ({"link": "www.example.org"}, "link-text", "www.example.org", fix_link_text),
    ({"link": "mailto:duty.desk@example.org"}, "link-text", "mailto:duty.desk@example.org", fix_link_text),
    ({"field_link": "read more"}, "link-text", "read more", fix_link_text),
    ({"small_text": 8}, "font-size", "Source: the agencies' records.", fix_font_size),
    ({"small_style": 8.5}, "font-size", "This report looks at the help given to Child Q and the family.", fix_font_size),
]  # fmt: skip


@pytest.mark.parametrize(
    ("faults", "kind", "text", "fix"), CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)]
)
def test_each_finding_and_its_fix(tmp_path, rules, faults, kind, text, fix):
    path = build_report(tmp_path / "bad.docx", **faults)
    found = check_accessibility([path]).files[0]
    assert [(f.kind, f.text) for f in found.findings] == [(kind, text)]
    finding = found.findings[0]
    assert finding.severity == rules.rule(kind).severity and not found.passed
    assert finding.advice == rules.rule(kind).fix_docx
    fixed = resave(path, tmp_path / "fixed.docx", fix)
    assert findings(fixed) == []


def test_an_email_address_written_in_full_is_good_link_text(tmp_path):
    """GOV.UK style: write an email address in full, as the link. A screen reader says
    where the link goes by reading it, so it is not a bare web address."""
    path = build_report(tmp_path / "email.docx", link="duty.desk@example.org")
    assert findings(path) == []


def test_the_places_name_where_to_look(tmp_path):
    path = build_report(
        tmp_path / "bad.docx", headings="skip", alt=None, table="none", link="here", small_text=7
    )
    places = {kind: where for kind, _text, where in findings(path)}
    assert places == {
        "headings": "paragraph 5 (Heading 3 after Heading 1)",
        "alt-text": 'picture "Picture 1" on paragraph 6, under "Contacts by month"',
        "table-header": 'table 1, under "Contacts by month"',
        "link-text": 'paragraph 13, under "Contacts by month"',
        "font-size": 'paragraph 14, under "Contacts by month" (7 pt)',
    }


def test_the_issues_bad_input_gives_four_findings_and_the_docs_fix_passes(tmp_path, invoke):
    bad = build_report(tmp_path / "bad.docx", title=None, headings="skip", alt=None, table="none")
    report = check_accessibility([bad])
    assert [f.kind for f in report.files[0].findings] == [
        "title", "headings", "alt-text", "table-header"
    ]  # fmt: skip
    assert report.exit_code == 1
    assert invoke("check", "accessibility", bad).exit_code == 1
    fixed = resave(bad, tmp_path / "fixed.docx", fix_title, fix_headings, fix_alt_text, fix_tables)
    assert check_accessibility([fixed]).passed
    result = invoke("check", "accessibility", fixed)
    assert result.exit_code == 0, result.stdout


@pytest.mark.libreoffice
def test_a_document_saved_again_by_libreoffice_gives_the_same_findings(tmp_path):
    bad = build_report(tmp_path / "bad.docx", title=None, headings="skip", alt=None, table="none")
    out = tmp_path / "out"
    out.mkdir()
    again = convert_with_soffice(bad, "docx:MS Word 2007 XML", out)
    assert findings(again) == findings(bad)
    assert [k for k, _t, _w in findings(again)] == ["title", "headings", "alt-text", "table-header"]


def test_what_is_not_a_finding(tmp_path):
    assert findings(build_report(tmp_path / "a.docx", alt="decorative")) == []
    assert findings(build_report(tmp_path / "b.docx", table="one-row")) == []
    assert findings(build_report(tmp_path / "c.docx", field_link="the annual report")) == []
    assert findings(build_report(tmp_path / "d.docx", link="Click here to read the policy")) == []
    assert findings(build_report(tmp_path / "e.docx", small_text=9)) == []


def test_every_kind_is_found_at_once_in_reading_order(tmp_path):
    path = build_report(
        tmp_path / "all.docx",
        title=None,
        language=False,
        headings="skip",
        alt=None,
        table="none",
        link="click here",
        small_text=6,
    )
    kinds = [k for k, _t, _w in findings(path)]
    assert kinds == [
        "title", "language", "headings", "alt-text", "table-header", "link-text", "font-size"
    ]  # fmt: skip


# --- Word's styles: headings and sizes through inheritance --------------------------------


def test_headings_by_outline_level_and_by_a_style_based_on_a_heading(tmp_path):
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    doc.core_properties.title = "Outline"
    top = doc.styles.add_style("Report Part", WD_STYLE_TYPE.PARAGRAPH)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    top.element.get_or_add_pPr().append(outline)
    sub = doc.styles.add_style("Report Section", WD_STYLE_TYPE.PARAGRAPH)
    sub.base_style = doc.styles["Heading 2"]
    deep = doc.styles.add_style("Report Detail", WD_STYLE_TYPE.PARAGRAPH)
    deep.base_style = doc.styles["Heading 4"]
    doc.add_paragraph("Part one", style="Report Part")
    doc.add_paragraph("Section one", style="Report Section")
    doc.add_paragraph("Some text.")
    doc.add_paragraph("Too deep", style="Report Detail")
    doc.save(str(tmp_path / "o.docx"))
    assert findings(tmp_path / "o.docx") == [
        ("headings", "Too deep", "paragraph 4 (Heading 4 after Heading 2)")
    ]


def test_a_title_alone_is_no_heading(tmp_path):
    """The tagged PDF makes Word's Title style a plain paragraph, so a document with a
    Title and no Heading 1 has no heading a screen reader can move by: the Word check
    says so, as the PDF check on publish's copy would."""
    from docx import Document

    doc = Document()
    doc.core_properties.title = "A letter"
    doc.add_heading("A letter to the Panel", 0)
    doc.add_paragraph("Dear Panel,")
    doc.save(str(tmp_path / "t.docx"))
    assert [(k, t) for k, t, _w in findings(tmp_path / "t.docx")] == [("headings", "(no headings)")]
    doc.add_heading("What we ask", 1)
    doc.save(str(tmp_path / "t.docx"))
    assert findings(tmp_path / "t.docx") == []


def test_font_size_through_styles_hidden_and_empty_runs(tmp_path):
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = "Sizes"
    doc.add_heading("Sizes", 1)
    small_para = doc.styles.add_style("Small Print", WD_STYLE_TYPE.PARAGRAPH)
    small_para.base_style = doc.styles["Normal"]
    small_para.font.size = Pt(8)
    based = doc.styles.add_style("Smaller Still", WD_STYLE_TYPE.PARAGRAPH)
    based.base_style = small_para  # no size of its own: 8 points from its base
    small_char = doc.styles.add_style("Tiny", WD_STYLE_TYPE.CHARACTER)
    small_char.font.size = Pt(7)
    hidden = doc.add_paragraph("Visible text. ")
    run = hidden.add_run("Hidden small text.")
    run.font.size, run.font.hidden = Pt(6), True
    hidden.add_run("").font.size = Pt(5)  # an empty run is no text
    doc.add_paragraph("Ordinary text.")
    doc.save(str(tmp_path / "ok.docx"))
    assert findings(tmp_path / "ok.docx") == []

    doc.add_paragraph("A footnote-like line.", style="Smaller Still")
    doc.add_paragraph("Normal text then ").add_run("tiny words.", style="Tiny")
    doc.add_paragraph("Small print.", style="Small Print")
    doc.save(str(tmp_path / "small.docx"))
    assert findings(tmp_path / "small.docx") == [
        (
            "font-size",
            "A footnote-like line.",
            'paragraph 4, under "Sizes" (8 pt); 2 more paragraphs with text under 9 pt',
        )
    ]


def test_the_minimum_size_comes_from_the_rules(tmp_path):
    rules_text = Path(load_rules().source).read_text(encoding="utf-8")
    custom = tmp_path / "accessibility.toml"
    custom.write_text(rules_text.replace("min_font_size_pt = 9", "min_font_size_pt = 12"))
    path = build_report(tmp_path / "r.docx")  # python-docx's Normal style is 11 points
    kinds = [k for k, _t, _w in findings(path, rules=load_rules(custom))]
    assert kinds == ["font-size"]


# --- pictures, charts and links elsewhere ---------------------------------------------


def test_pictures_and_links_in_a_header_are_checked(tmp_path):
    from accessibility_docs import _hyperlink

    path = build_report(tmp_path / "h.docx")
    from docx import Document

    doc = Document(str(path))
    header = doc.sections[0].header
    header.paragraphs[0].add_run().add_picture(io.BytesIO(png_bytes()))
    _hyperlink(header.add_paragraph(), "https://example.org", "www.example.org")
    doc.save(str(path))
    assert findings(path) == [
        ("alt-text", "(no alternative text)", 'picture "Picture 1" on header (section 1)'),
        ("link-text", "www.example.org", "header (section 1)"),
    ]


def test_a_chart_and_a_vml_picture_need_alternative_text(tmp_path):
    from docx import Document
    from lxml import etree

    path = build_report(tmp_path / "c.docx", alt=None)
    doc = Document(str(path))
    graphic = next(
        doc.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}graphicData")
    )
    graphic.set("uri", "http://schemas.openxmlformats.org/drawingml/2006/chart")
    vml = etree.fromstring(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<w:pict><v:shape id="_x0000_i1025" style="width:20pt;height:20pt">'
        '<v:imagedata r:id="rId99" o:title=""/></v:shape></w:pict></w:r>'
    )
    doc.paragraphs[-1]._p.append(vml)
    doc.save(str(path))
    assert [(k, w) for k, _t, w in findings(path)] == [
        ("alt-text", 'chart "Picture 1" on paragraph 6, under "Contacts by month"'),
        ("alt-text", 'picture "_x0000_i1025" on paragraph 16, under "Recommendations"'),
    ]
    shape = next(doc.element.body.iter("{urn:schemas-microsoft-com:vml}shape"))
    shape.set("alt", "The partnership's logo")
    fix_alt_text(doc, ALT)
    doc.save(str(path))
    assert findings(path) == []


def test_a_strict_open_xml_document_is_read():
    """Its Heading 1 is found through the Strict namespaces; it has no title or language."""
    report = check_file(DATA / "readers" / "strict.docx", load_rules())
    assert [(f.kind, f.text) for f in report.findings] == [
        ("title", "(no title)"),
        ("language", "(no language)"),
    ]


# --- files that cannot be checked ------------------------------------------------------


def test_bad_files_are_refused_with_one_sentence(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    corrupt = tmp_path / "corrupt.docx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    cases = [
        (tmp_path / "missing.docx", InputError, "does not exist"),
        (tmp_path, InputError, "is a folder"),
        (text, InputError, '".txt" file'),
        (corrupt, UnreadableInputError, "is cut short or damaged"),
        (empty, UnreadableInputError, "is empty"),
    ]
    for path, error, words in cases:
        with pytest.raises(error) as caught:
            check_accessibility([path])
        assert words in caught.value.message and str(path) in caught.value.message
        assert "\n" not in caught.value.message


def test_a_hostile_docx_is_refused_as_the_redaction_check_refuses_it():
    from scrtool.checks.redaction import check_redaction

    hostile = DATA / "readers" / "entities.docx"
    with pytest.raises(UnreadableInputError) as ours:
        check_accessibility([hostile])
    with pytest.raises(UnreadableInputError) as theirs:
        check_redaction([hostile])
    assert ours.value.message == theirs.value.message
    assert "DTD" in ours.value.message


def test_every_file_is_checked_before_any_is_read(tmp_path):
    good = build_report(tmp_path / "good.docx")
    with pytest.raises(InputError, match="missing.docx"):
        check_accessibility([good, tmp_path / "missing.docx"])


def test_the_input_is_not_changed(tmp_path):
    path = build_report(tmp_path / "bad.docx", title=None)
    before = path.read_bytes()
    check_accessibility([path])
    assert path.read_bytes() == before


def test_refusal_lines_name_the_file_place_and_fix(tmp_path):
    path = build_report(tmp_path / "report.docx", title=None, link="here")
    report = check_accessibility([path])
    lines = refusal_lines(report)
    assert len(lines) == 2
    assert lines[0].startswith(
        'report.docx: not accessible: title "(no title)" (document properties'
    )
    assert "File, then Info" in lines[0]
    assert lines == refusal_lines(report.to_json())
    good = build_report(tmp_path / "good.docx")
    assert refusal_lines(check_accessibility([good])) == []


def test_a_copy_with_a_new_name_reports_its_own_path(tmp_path):
    path = build_report(tmp_path / "a.docx", title=None)
    copy = tmp_path / "b.docx"
    shutil.copy(path, copy)
    report = check_accessibility([path, copy])
    assert [f.path for f in report.files] == [path, copy]
    assert not report.passed


def test_a_ruby_reading_set_small_above_its_characters_is_not_small_text(tmp_path):
    """Furigana is half the size of the characters it reads, by design; the characters
    themselves are still held to the floor."""
    from docx import Document
    from lxml import etree

    from scrtool.checks.accessibility import check_accessibility

    path = build_report(tmp_path / "ruby.docx")
    doc = Document(str(path))
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    ruby = etree.fromstring(
        f'<w:r xmlns:w="{w}"><w:ruby><w:rubyPr/>'
        '<w:rt><w:r><w:rPr><w:sz w:val="10"/></w:rPr><w:t>あさぎり</w:t></w:r></w:rt>'
        "<w:rubyBase><w:r><w:t>朝霧</w:t></w:r></w:rubyBase></w:ruby></w:r>"
    )
    doc.paragraphs[1]._p.append(ruby)
    doc.save(str(path))
    kinds = {f.kind for f in check_accessibility([path]).files[0].findings}
    assert "font-size" not in kinds
    small = etree.fromstring(
        f'<w:r xmlns:w="{w}"><w:rPr><w:sz w:val="10"/></w:rPr><w:t>small words</w:t></w:r>'
    )
    doc.paragraphs[1]._p.append(small)
    doc.save(str(path))
    kinds = {f.kind for f in check_accessibility([path]).files[0].findings}
    assert "font-size" in kinds
