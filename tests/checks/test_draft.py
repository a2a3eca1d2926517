"""scrtool check draft: placeholders, draft marks, officer's notes, tags and empty sections."""

from __future__ import annotations

import json

import pytest
from json_helpers import only_error_document
from redaction_docs import (
    NS_DECL,
    build_docx,
    build_pdf,
    docx_notes,
    docx_textbox,
    make_docx_place,
    para,
    run,
)

from scrtool.checks.draft import check_draft, load_rules, read_for_draft, refusal_lines

FINISHED = (
    "The review looked at the help given to Child A.",
    'The mother said she "did not know who to ask [sic]" when the visits stopped.',
    "Research on neglect shows the same pattern [1]. Later work agrees [2, 3].",
    "[1] Brandon and others, 2020. [2] The Panel, 2021. [3] The Panel, 2022.",
)


def _kinds(report):
    return [(f.kind, f.location) for f in report.files[0].findings]


def _title(xml: str, text: str) -> str:
    return xml.replace("</cp:coreProperties>", f"<dc:title>{text}</dc:title></cp:coreProperties>")


def _unfinished(path):
    """One placeholder in a footnote, one in a text box, DRAFT only in the title property."""
    notes = docx_notes("footnotes", "[Write the source of this figure here.]")
    box = {"body_xml": docx_textbox("[Say who the practitioners were.]")}
    title = {"edit": {"docProps/core.xml": lambda xml: _title(xml, "Overview report DRAFT")}}
    return build_docx(path, notes, box, title, paragraphs=FINISHED)


def test_three_unfinished_places_give_three_findings_with_their_places(tmp_path):
    report = check_draft([_unfinished(tmp_path / "report.docx")])
    assert not report.passed and report.exit_code == 1
    assert _kinds(report) == [
        ("placeholder", "text box 1"),
        ("placeholder", "footnote 2"),
        ("draft-mark", "document property Title"),
    ]
    texts = [f.text for f in report.files[0].findings]
    assert texts == [
        "[Say who the practitioners were.]",
        "[Write the source of this figure here.]",
        "Overview report DRAFT",
    ]
    assert all(f.severity == "high" for f in report.files[0].findings)


def test_cli_three_findings_exit_1_and_json_shape(invoke, tmp_path):
    path = _unfinished(tmp_path / "report.docx")
    result = invoke("check", "draft", path, "--json")
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["passed"] is False
    (entry,) = data["files"]
    assert entry["path"] == str(path) and entry["passed"] is False
    assert [f["location"] for f in entry["findings"]] == [
        "text box 1",
        "footnote 2",
        "document property Title",
    ]
    assert set(entry["findings"][0]) == {"kind", "text", "location", "severity"}
    text = invoke("check", "draft", path)
    assert text.exit_code == 1
    assert "footnote 2: placeholder: [Write the source of this figure here.]" in text.stdout
    assert "Draft check failed" in text.stdout


def test_a_finished_report_quoting_sic_and_numbering_references_passes(invoke, tmp_path):
    path = build_docx(tmp_path / "final.docx", paragraphs=FINISHED)
    result = invoke("check", "draft", path)
    assert result.exit_code == 0, result.stdout
    assert "nothing left to finish" in result.stdout
    md = tmp_path / "final.md"
    md.write_text("# Summary\n\n" + "\n\n".join(FINISHED) + "\n", encoding="utf-8")
    assert check_draft([md]).passed


@pytest.mark.parametrize(
    "text",
    ["[sic]", "[1]", "[2, 3]", "[emphasis added]", "[she]", "[Child A's mother]", "[ibid.]"],
)
def test_brackets_in_prose_are_not_placeholders(tmp_path, text):
    path = tmp_path / "prose.txt"
    path.write_text(f"Ordinary prose {text} goes on here.\n", encoding="utf-8")
    assert check_draft([path]).passed


@pytest.mark.parametrize(
    "text",
    [
        "[Write the analysis here.]",
        "[Say which method was used, and why.]",
        "[Add the findings here.]",
        "[Give the reasons.]",
        "[Finding 2: write the finding here.]",
        "[date]",
        "[partnership]",
        "[TBC]",
        "<<name of the service>>",
    ],
)
def test_the_unstyled_bracket_form_is_found_in_plain_text(tmp_path, text):
    path = tmp_path / "draft.txt"
    path.write_text(f"Intro line.\n\nHere it is {text} in prose.\n", encoding="utf-8")
    report = check_draft([path])
    assert _kinds(report) == [("placeholder", "line 3")]


DOCX_PLACES = [
    ("body", "paragraph"),
    ("table", "table 1"),
    ("header", "header"),
    ("footer", "footer"),
    ("footnote", "footnote"),
    ("endnote", "endnote"),
    ("comment", "comment"),
    ("text box", "text box"),
    ("content control", "paragraph"),
]


@pytest.mark.parametrize(("place", "where"), DOCX_PLACES)
def test_a_placeholder_is_found_in_every_place_of_a_docx(tmp_path, place, where):
    path = make_docx_place(tmp_path / "d.docx", place, "[Write this part.]", FINISHED[:1])
    findings = check_draft([path]).files[0].findings
    assert [f.kind for f in findings] == ["placeholder"]
    assert where in findings[0].location


def _styled_docx(path, text, *, style_name="Placeholder"):
    def prepare(document):
        from docx.enum.style import WD_STYLE_TYPE

        document.styles.add_style(style_name, WD_STYLE_TYPE.CHARACTER)
        paragraph = document.add_paragraph("The family lived in ")
        paragraph.add_run(text, style=style_name)
        paragraph.add_run(" at the time.")

    return build_docx(path, paragraphs=FINISHED[:1], prepare=prepare)


def test_a_run_styled_placeholder_is_found_without_brackets(tmp_path):
    path = _styled_docx(tmp_path / "styled.docx", "the name of the town")
    findings = check_draft([path]).files[0].findings
    assert [(f.kind, f.text) for f in findings] == [("placeholder", "the name of the town")]
    assert findings[0].location.startswith("paragraph")


def test_a_styled_bracket_is_one_finding_not_two(tmp_path):
    path = _styled_docx(tmp_path / "styled.docx", "[Write the town.]")
    assert [f.text for f in check_draft([path]).files[0].findings] == ["[Write the town.]"]


def test_a_watermark_a_footer_and_capital_draft_in_the_body_are_draft_marks(tmp_path):
    watermark = (
        '<w:p><w:r><w:pict><v:shape id="PowerPlusWaterMarkObject1" type="#_x0000_t136">'
        '<v:textpath string="DRAFT"/></v:shape></w:pict></w:r></w:p>'
    )

    def prepare(document):
        document.sections[0].footer.paragraphs[0].text = "Overview report. Draft 3"
        document.sections[0].header.paragraphs[0].text = "WATERMARK-HERE"

    path = build_docx(tmp_path / "marked.docx", paragraphs=FINISHED[:1], prepare=prepare)
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    contents = {n: src.read(n) for n in src.namelist()}
    header = next(n for n in contents if n.startswith("word/header"))
    contents[header] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {NS_DECL}>{watermark}</w:hdr>'
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, value in contents.items():
            dst.writestr(name, value)
    path.write_bytes(out.getvalue())
    kinds = _kinds(check_draft([path]))
    assert ("draft-mark", "watermark (header)") in kinds
    assert any(k == "draft-mark" and "footer" in where for k, where in kinds)

    body = tmp_path / "body.txt"
    body.write_text("DRAFT v2 of the report.\n\nThe draft plan was agreed.\n", encoding="utf-8")
    assert _kinds(check_draft([body])) == [("draft-mark", "line 1")]


def test_notes_to_the_officer_and_template_tags(tmp_path):
    path = tmp_path / "response.md"
    path.write_text(
        "# Our response\n\n"
        "[Row 6 of the action plan needs correcting, so this response leaves it out. "
        "Run scrtool actions to see why, then run scrtool report again.]\n\n"
        "Published on {{ publication }}.\n\n"
        "{%p for a in taken %}\n",
        encoding="utf-8",
    )
    kinds = [f.kind for f in check_draft([path]).files[0].findings]
    assert kinds == ["note-to-officer", "template-tag", "template-tag"]


def test_a_heading_with_nothing_under_it_is_an_empty_section(tmp_path):
    path = tmp_path / "report.md"
    path.write_text(
        "# Summary\n\nThe review found three things.\n\n"
        "# Analysis\n\n## What happened\n\nThe visits stopped.\n\n## Why\n\n"
        "# Findings\n\n# Glossary\n\nA chronology is a list of events.\n",
        encoding="utf-8",
    )
    report = check_draft([path])
    assert [(f.kind, f.text) for f in report.files[0].findings] == [
        ("empty-section", "Why"),
        ("empty-section", "Findings"),
    ]


def test_docx_headings_too(tmp_path):
    def prepare(document):
        document.add_heading("Summary", 1)
        document.add_paragraph("Text.")
        document.add_heading("Good practice", 1)
        document.add_heading("Glossary", 1)
        document.add_paragraph("Words.")

    path = build_docx(tmp_path / "h.docx", paragraphs=FINISHED[:1], prepare=prepare)
    findings = check_draft([path]).files[0].findings
    assert [(f.kind, f.text) for f in findings] == [("empty-section", "Good practice")]


def test_a_heading_over_a_picture_or_a_chart_only_is_not_an_empty_section(tmp_path):
    """An appendix that is a family tree or a timeline is a picture under its heading:
    it is finished (it was an 'empty section', high)."""
    import io

    from accessibility_docs import png_bytes
    from docx.shared import Cm

    def prepare(document):
        document.add_heading("Appendix C: Family tree", 1)
        document.add_picture(io.BytesIO(png_bytes()), width=Cm(4))
        document.add_heading("Appendix D: Key messages", 1)
        document.add_heading("Appendix E: Glossary", 1)
        document.add_paragraph("Words.")

    path = build_docx(tmp_path / "figure.docx", paragraphs=FINISHED[:1], prepare=prepare)
    findings = check_draft([path]).files[0].findings
    assert [(f.kind, f.text) for f in findings] == [("empty-section", "Appendix D: Key messages")]


def test_pdf_text_and_title(tmp_path):
    def draw(c):
        c.setTitle("Draft overview report")

    path = build_pdf(
        tmp_path / "r.pdf",
        draw,
        lines=("Summary of the review.", "[Write the summary here.]", "Quoted [sic] text [1]."),
    )
    findings = check_draft([path]).files[0].findings
    assert [(f.kind, f.location) for f in findings] == [
        ("placeholder", "page 1"),
        ("draft-mark", "document property Title"),
    ]


def test_a_partnerships_own_pattern(tmp_path):
    rules_file = tmp_path / "placeholders.toml"
    rules_file.write_text(
        'styles = ["Placeholder"]\nstarts = ["Write"]\nwords = []\n'
        'patterns = ["#[A-Z_]+#"]\nofficer_notes = ["scrtool "]\ndraft_words = ["DRAFT"]\n',
        encoding="utf-8",
    )
    path = tmp_path / "own.txt"
    path.write_text("Dear #CONTACT_NAME#, thank you [sic].\n", encoding="utf-8")
    report = check_draft([path], rules=load_rules(rules_file))
    assert [f.text for f in report.files[0].findings] == ["#CONTACT_NAME#"]


def test_a_broken_rules_file_names_the_key(tmp_path):
    from scrtool.errors import DataError

    rules_file = tmp_path / "placeholders.toml"
    rules_file.write_text('patterns = ["[unclosed"]\n', encoding="utf-8")
    with pytest.raises(DataError, match="patterns"):
        load_rules(rules_file)


def test_refusal_lines_name_file_place_and_what_to_do(tmp_path):
    report = check_draft([_unfinished(tmp_path / "report.docx")])
    lines = refusal_lines(report)
    assert len(lines) == 3
    assert lines[1].startswith('report.docx: unfinished: placeholder "[Write the source')
    assert "(footnote 2)" in lines[1] and "write the text it asks for" in lines[1]


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("missing.docx", None, "does not exist"),
        ("report.rtf", b"{\\rtf1}", "cannot check"),
        ("broken.docx", b"not a zip", "not a Word document"),
    ],
)
def test_bad_files_exit_2_with_a_sentence(invoke, tmp_path, name, content, needle):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = invoke("check", "draft", path, "--json")
    assert result.exit_code == 2
    assert needle in result.stderr
    assert only_error_document(result)
    assert "Traceback" not in result.stderr


def test_the_check_never_changes_its_input(tmp_path):
    path = _unfinished(tmp_path / "report.docx")
    before = path.read_bytes()
    check_draft([path])
    assert path.read_bytes() == before


def test_body_text_placeholder_in_a_paragraph_body(tmp_path):
    path = build_docx(
        tmp_path / "p.docx",
        {"body_xml": para(run("Before "), run("[Say what happened.]"), run(" after."))},
        paragraphs=FINISHED[:1],
    )
    assert [f.text for f in check_draft([path]).files[0].findings] == ["[Say what happened.]"]


def test_a_file_read_already_is_judged_from_that_reading(tmp_path):
    """``scrtool package`` reads each file once for every check: the draft check judges
    that reading (styled runs and watermarks included) and opens nothing again."""
    from scrtool.checks.draft import read_for_draft

    unfinished = _unfinished(tmp_path / "report.docx")
    styled = _styled_docx(tmp_path / "styled.docx", "the name of the town")
    pdf = build_pdf(tmp_path / "r.pdf", lines=("Summary.", "[Write the summary here.]"))
    paths = [unfinished, styled, pdf]
    expected = check_draft(paths)
    read = [read_for_draft(p) for p in paths]
    for path in paths:  # the files change after they were read: the reading is judged
        path.write_bytes(b"not what was read")
    again = check_draft(paths, read=read)
    assert again == expected
    assert [len(f.findings) for f in again.files] == [3, 1, 1]


def test_a_reading_of_other_files_is_refused(tmp_path):
    from scrtool.checks.draft import read_for_draft

    one = build_pdf(tmp_path / "one.pdf", lines=("Summary.",))
    other = build_pdf(tmp_path / "other.pdf", lines=("Summary.",))
    with pytest.raises(ValueError, match="not the files"):
        check_draft([one], read=[read_for_draft(other)])


def test_a_docx_with_no_visible_text_is_still_judged(tmp_path):
    """Nothing in the body, a placeholder in a footnote: its places are still read."""
    notes = docx_notes("footnotes", "[Write the source of this figure here.]")
    path = build_docx(tmp_path / "empty.docx", notes, paragraphs=())
    findings = check_draft([path]).files[0].findings
    assert [(f.kind, f.text) for f in findings] == [
        ("placeholder", "[Write the source of this figure here.]")
    ]


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        (r"\bTBC\b", ("TBC",)),
        (r"\bTODOS?\b", ("TODO",)),
        (r"\b(?:DRAFT|FINAL)\b", ("DRAFT", "FINAL")),
        (r"<<[^<>\n]{1,200}>>", ("<<",)),
        (r"(?i)\btbc\b", None),  # any case: no text can be ruled out by a plain search
        (r"\b(?:DRAFT|[A-Z]X)\b", None),  # one alternative starts with a class
        (r"x|\d", None),
        (r"\w+TBC", None),
    ],
)
def test_the_text_each_pattern_needs(pattern, needed):
    """A text without the literal a pattern starts with is not searched with it (a
    leading \\b makes Python try every position); anything less certain is searched."""
    import re

    from scrtool.checks.draft import _required

    assert _required(re.compile(pattern)) == needed


def test_own_patterns_with_word_boundaries_and_any_case(tmp_path):
    rules_file = tmp_path / "placeholders.toml"
    rules_file.write_text(
        "styles = []\nstarts = []\nwords = []\n"
        'patterns = ["\\\\bTODOS?\\\\b", "(?i)\\\\bto confirm\\\\b"]\n'
        'officer_notes = []\ndraft_words = ["DRAFT", "FINAL DRAFT"]\n',
        encoding="utf-8",
    )
    path = tmp_path / "own.txt"
    path.write_text(
        "Two TODOS here; not in ATODO. Dates To Confirm. A FINAL DRAFT.\n", encoding="utf-8"
    )
    report = check_draft([path], rules=load_rules(rules_file))
    assert [(f.kind, f.text) for f in report.files[0].findings] == [
        ("placeholder", "TODOS"),
        ("placeholder", "To Confirm"),
        ("draft-mark", "Two TODOS here; not in ATODO. Dates To Confirm. A FINAL DRAFT."),
    ]


# --- in a PDF, a heading over a picture only is not an empty section -------------------


def _pdf_with_headings(path, pages, *, size=None):
    """A reportlab PDF whose headings are bookmarks (as Word's and LibreOffice's PDFs
    have them). ``pages``: per page, items drawn top down: ("h", level, title) or
    ("h", level, title, as printed), ("p", text), ("pic", height), ("logo",), a header's
    logo, ("scan",), a picture of the whole page drawn first, or
    ("shapes",), a family tree drawn with outlined boxes, circles and lines."""
    import io

    from accessibility_docs import png_bytes
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = ImageReader(io.BytesIO(png_bytes(200, 150)))
    width, height = size or A4
    c = canvas.Canvas(str(path), pagesize=(width, height))
    for title in ("Author", "Title", "Subject", "Creator"):
        getattr(c, f"set{title}")("")
    count = 0
    for items in pages:
        y = height - 82
        for item in items:
            if item[0] == "h":
                count += 1
                key = f"h{count}"
                c.bookmarkHorizontal(key, 0, y + 20)
                c.addOutlineEntry(item[2], key, level=item[1] - 1)
                c.setFont("Helvetica-Bold", 16)
                for printed in (item[3] if len(item) > 3 else item[2]).split("\n"):
                    c.drawString(72, y, printed)  # a title printed on two lines wraps
                    y -= 20
                y -= 10
            elif item[0] == "p":
                c.setFont("Helvetica", 11)
                c.drawString(72, y, item[1])
                y -= 20
            elif item[0] == "pic":
                c.drawImage(picture, 72, y - item[1], width=item[1] * 4 / 3, height=item[1])
                y -= item[1] + 20
            elif item[0] == "logo":
                # 2 cm tall, 1.25 cm from the top (Word's header distance): its middle is
                # in the top tenth of a portrait page, not of a landscape one.
                c.drawImage(picture, width - 148, height - 92, width=76, height=57)
            elif item[0] == "scan":
                c.drawImage(picture, 0, 0, width=width, height=height)
            elif item[0] == "shapes":
                c.rect(100, y - 90, 80, 80, fill=0)
                c.circle(350, y - 50, 40)
                c.line(180, y - 50, 310, y - 50)
                c.circle(240, y - 190, 40)
                y -= 250
        c.showPage()
    c.save()
    return path


def _empty(path):
    return [f.text for f in check_draft([path]).files[0].findings if f.kind == "empty-section"]


def test_a_pdf_heading_over_a_picture_only_is_not_an_empty_section(tmp_path):
    """A family tree under its heading, on the same page or the next, fills its section;
    a picture above an empty heading belongs to the section before it, and a logo in the
    header margin of every page to none."""
    pages = [
        [("h", 1, "Summary"), ("p", "The review looked at the help given to Child A.")],
        [("logo",), ("h", 1, "Appendix A: Family tree"), ("pic", 150)],
        [("logo",), ("h", 1, "Appendix B: Timeline")],
        [("logo",), ("pic", 200), ("h", 1, "Appendix C: Key messages")],
        [("logo",), ("h", 1, "Appendix D: Notes")],
        [("logo",), ("h", 1, "Appendix E: Glossary"), ("p", "Words and what they mean.")],
    ]
    path = _pdf_with_headings(tmp_path / "appendices.pdf", pages)
    assert _empty(path) == ["Appendix C: Key messages", "Appendix D: Notes"]


def test_a_pdf_heading_whose_picture_is_on_the_next_page_is_not_empty(tmp_path):
    pages = [
        [("h", 1, "Summary"), ("p", "The review looked at the help given to Child A.")],
        [("p", "More about the review."), ("pic", 300), ("h", 1, "Appendix A: Family tree")],
        [("pic", 400), ("h", 1, "Appendix B: Glossary"), ("p", "Words and what they mean.")],
        [("h", 1, "Appendix C: Notes")],
    ]
    path = _pdf_with_headings(tmp_path / "next.pdf", pages)
    assert _empty(path) == ["Appendix C: Notes"]


@pytest.mark.libreoffice
def test_a_heading_over_a_picture_in_a_libreoffice_pdf_is_not_empty(tmp_path):
    """The same document as Word saves it and as LibreOffice exports it to PDF: the
    appendix that is a picture passes in both, the empty one fails in both."""
    import io

    from accessibility_docs import png_bytes
    from conftest import convert_with_soffice
    from docx.shared import Cm

    def prepare(document):
        document.add_heading("Appendix C: Family tree", 1)
        document.add_picture(io.BytesIO(png_bytes(300, 200)), width=Cm(12))
        document.add_heading("Appendix D: Key messages", 1)
        document.add_heading("Appendix E: Glossary", 1)
        document.add_paragraph("Words and what they mean.")

    source = build_docx(tmp_path / "figure.docx", paragraphs=FINISHED[:1], prepare=prepare)
    pdf = convert_with_soffice(source, "pdf", tmp_path)
    assert _empty(source) == ["Appendix D: Key messages"]
    assert _empty(pdf) == ["Appendix D: Key messages"]


def test_a_pdf_heading_is_found_by_its_line_not_by_a_word_in_the_text_above(tmp_path):
    """The next heading's title in the text above it ("the chronology of events") does
    not end the section early, nor make the section before it take a later picture."""
    pages = [
        [("h", 1, "Summary"), ("p", "The review looked at the help given to Child A.")],
        [
            ("h", 1, "Appendix A: Genogram"),
            ("pic", 150),
            ("p", "The chronology of events is set out below."),
            ("h", 1, "Chronology"),
            ("p", "The school saw Child A every day."),
        ],
        [
            ("p", "The recommendations follow the learning."),
            ("pic", 150),
            ("h", 1, "Recommendations"),
            ("h", 1, "Glossary"),
            ("p", "Words and what they mean."),
        ],
    ]
    path = _pdf_with_headings(tmp_path / "words.pdf", pages)
    assert _empty(path) == ["Recommendations"]


def test_a_pdf_heading_printed_with_other_punctuation_than_its_bookmark_is_found(tmp_path):
    pages = [
        [("h", 1, "Summary"), ("p", "The review looked at the help given to Child A.")],
        [
            (
                "h",
                1,
                "Appendix A - Lily-Mae's family tree",
                "Appendix A \u2013 Lily-Mae\u2019s family tree",
            )
        ],
        [("pic", 200), ("h", 1, "1 Appendix B: Glossary", "1. Appendix B. Glossary")],
        [("p", "Words and what they mean.")],
    ]
    path = _pdf_with_headings(tmp_path / "punctuation.pdf", pages)
    assert _empty(path) == []


def test_a_scanned_appendix_behind_its_heading_and_a_drawn_family_tree_fill_their_sections(
    tmp_path,
):
    pages = [
        [("h", 1, "Summary"), ("p", "The review looked at the help given to Child A.")],
        [("scan",), ("h", 1, "Appendix A: The health visitor's letter")],
        [("h", 1, "Appendix B: Family tree"), ("shapes",)],
        [("h", 1, "Appendix C: Glossary"), ("p", "Words and what they mean.")],
    ]
    path = _pdf_with_headings(tmp_path / "scan.pdf", pages)
    assert _empty(path) == []


def test_a_logo_that_moves_on_a_landscape_page_is_still_the_headers(tmp_path):
    """The same logo at the top of a portrait page and of a landscape one runs with the
    pages: it is not a picture in the empty section that ends on the landscape page."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.pagesizes import A4, landscape

    portrait = _pdf_with_headings(
        tmp_path / "portrait.pdf",
        [
            [("logo",), ("h", 1, "Summary"), ("p", "The review looked at Child A.")],
            [("logo",), ("h", 1, "Appendix A: Key messages")],
        ],
    )
    wide = _pdf_with_headings(
        tmp_path / "wide.pdf",
        [[("logo",), ("h", 1, "Appendix B: Timeline"), ("p", "Each contact, by date.")]],
        size=landscape(A4),
    )
    writer = PdfWriter()
    writer.append(str(portrait))
    writer.append(str(wide))
    path = tmp_path / "mixed.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert len(PdfReader(path).pages) == 3
    assert _empty(path) == ["Appendix A: Key messages"]


def test_a_landscape_page_stored_upright_and_turned_by_rotate_is_read_as_shown(tmp_path):
    """A landscape page stored as a portrait one with /Rotate 90 (as a scanner or a PDF
    editor's "rotate page" leaves it) is judged as it is shown."""
    from pypdf import PdfWriter, Transformation
    from pypdf.generic import RectangleObject
    from reportlab.lib.pagesizes import A4, landscape

    wide = _pdf_with_headings(
        tmp_path / "wide.pdf",
        [
            [("h", 1, "Summary"), ("p", "The review looked at Child A.")],
            [("h", 1, "Appendix A: Timeline"), ("pic", 250)],
            [("h", 1, "Appendix B: Key messages")],
            [("h", 1, "Glossary"), ("p", "Words and what they mean.")],
        ],
        size=landscape(A4),
    )
    writer = PdfWriter(clone_from=str(wide))
    short, long = A4
    for page in writer.pages:
        page.add_transformation(Transformation((0, 1, -1, 0, short, 0)))
        page.mediabox = RectangleObject((0, 0, short, long))
        page.rotation = 90
    path = tmp_path / "turned.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert _empty(wide) == ["Appendix B: Key messages"]
    assert _empty(path) == ["Appendix B: Key messages"]


def test_two_sections_of_one_title_are_judged_each_on_its_own(tmp_path):
    """Two "Timeline" sections, the first a picture, the second empty: the second is
    reported, in the .docx and in its PDF (the first's picture used to pass both)."""
    import io

    from accessibility_docs import png_bytes
    from docx.shared import Cm

    def prepare(document):
        document.add_heading("Health visiting", 1)
        document.add_heading("Timeline", 2)
        document.add_picture(io.BytesIO(png_bytes()), width=Cm(4))
        document.add_heading("School nursing", 1)
        document.add_paragraph("The school nurse saw Child A twice.")
        document.add_heading("Timeline", 2)
        document.add_heading("Glossary", 1)
        document.add_paragraph("Words.")

    path = build_docx(tmp_path / "twice.docx", paragraphs=FINISHED[:1], prepare=prepare)
    assert [(f.kind, f.text, f.location) for f in check_draft([path]).files[0].findings] == [
        ("empty-section", "Timeline", _heading_location(path, "Timeline", 2))
    ]
    pages = [
        [("h", 1, "Health visiting"), ("h", 2, "Timeline"), ("pic", 150)],
        [("h", 1, "School nursing"), ("p", "The school nurse saw Child A twice.")],
        [("h", 2, "Timeline")],
        [("h", 1, "Glossary"), ("p", "Words.")],
    ]
    pdf = _pdf_with_headings(tmp_path / "twice.pdf", pages)
    assert [(f.text, f.location) for f in check_draft([pdf]).files[0].findings] == [
        ("Timeline", 'heading "Timeline", page 3')
    ]


def _heading_location(path, text, nth):
    from scrtool.checks.draft import read_for_draft

    places = [
        p.location
        for p in read_for_draft(path).document.paragraphs
        if p.heading_level is not None and p.text.strip() == text
    ]
    return places[nth - 1]


def test_a_section_whose_subsections_are_pictures_is_not_empty(tmp_path):
    """ "Appendices", whose appendices are each a picture, and an appendix whose picture
    floats, anchored to its heading: neither is empty."""
    import io

    from accessibility_docs import png_bytes
    from docx.shared import Cm

    def prepare(document):
        document.add_heading("Appendices", 1)
        document.add_heading("Appendix 1: Genogram", 2)
        document.add_picture(io.BytesIO(png_bytes()), width=Cm(4))
        document.add_heading("Appendix 2: Timeline", 2)
        document.add_heading("Practice episode", 3)
        document.add_picture(io.BytesIO(png_bytes()), width=Cm(4))
        document.add_heading("Glossary", 1)
        document.add_paragraph("Words.")

        heading = document.add_heading("Appendix 3: Family tree", 1)
        heading.add_run().add_picture(io.BytesIO(png_bytes()), width=Cm(4))
        _float(heading._p)
        document.add_heading("Appendix 4: Key messages", 1)
        document.add_heading("Glossary", 1)
        document.add_paragraph("Words.")

    path = build_docx(tmp_path / "nested.docx", paragraphs=FINISHED[:1], prepare=prepare)
    assert _empty(path) == ["Appendix 4: Key messages"]


def _float(paragraph):
    """Make the inline picture in ``paragraph`` a floating one (wp:anchor), as Word
    saves a picture laid out "in front of text", anchored to that paragraph."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    inline = next(paragraph.iter(qn("wp:inline")))
    extent, doc_pr, frame, graphic = (
        inline.find(qn(tag))
        for tag in ("wp:extent", "wp:docPr", "wp:cNvGraphicFramePr", "a:graphic")
    )
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp")} distT="0" distB="0" distL="0" distR="0" '
        'simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>400000</wp:posOffset>'
        "</wp:positionV></wp:anchor>"
    )
    anchor.append(extent)
    anchor.append(parse_xml(f"<wp:wrapTopAndBottom {nsdecls('wp')}/>"))
    anchor.append(doc_pr)
    if frame is not None:
        anchor.append(frame)
    anchor.append(graphic)
    inline.getparent().replace(inline, anchor)


def test_a_page_turned_upside_down_is_read_as_its_text_runs(tmp_path):
    """Pages turned by a viewer and saved (/Rotate 180, their text with them) read as
    before: a section runs down the page as the words do."""
    from pypdf import PdfWriter

    pages = [
        [("h", 1, "Summary"), ("p", "The review looked at the help given to Child A.")],
        [("h", 1, "Appendix A: Family tree"), ("pic", 200), ("h", 1, "Appendix B: Notes")],
        [("h", 1, "Glossary"), ("p", "Words and what they mean.")],
    ]
    upright = _pdf_with_headings(tmp_path / "upright.pdf", pages)
    writer = PdfWriter(clone_from=str(upright))
    for page in writer.pages:
        page.rotate(180)
    turned = tmp_path / "turned.pdf"
    with turned.open("wb") as handle:
        writer.write(handle)
    assert _empty(upright) == ["Appendix B: Notes"]
    assert _empty(turned) == ["Appendix B: Notes"]


def test_a_pdf_heading_that_wraps_onto_two_lines_is_a_heading(tmp_path):
    """A long appendix title wraps in the PDF: its two lines are its bookmark's title,
    so it is a heading, its text is its section's, and an empty one is reported."""
    long_title = "Appendix A: Genogram of the Harrowgate and Voss families at the time"
    printed = "Appendix A: Genogram of the Harrowgate and Voss\nfamilies at the time"
    pages = [
        [("h", 1, "Summary"), ("p", "The review looked at the help given to Child A.")],
        [("h", 1, long_title, printed), ("h", 1, "Glossary"), ("p", "Words.")],
    ]
    path = _pdf_with_headings(tmp_path / "wrapped.pdf", pages)
    assert _empty(path) == [long_title]
    read = read_for_draft(path)
    headings = [p.text for p in read.document.paragraphs if p.heading_level is not None]
    assert headings == ["Summary", long_title, "Glossary"]


def test_two_pdf_headings_of_one_title_on_one_page_are_two_sections(tmp_path):
    pages = [
        [
            ("h", 1, "Child A"),
            ("h", 2, "Genogram"),
            ("pic", 150),
            ("h", 1, "Child B"),
            ("h", 2, "Genogram"),
            ("h", 1, "Glossary"),
            ("p", "Words."),
        ],
    ]
    path = _pdf_with_headings(tmp_path / "twice.pdf", pages)
    assert _empty(path) == ["Child B", "Genogram"]
