"""The PDF side of the accessibility check, on PDFs built for each finding.

LibreOffice makes the tagged PDFs (from Word documents with and without each fault);
reportlab makes an untagged one; pypdf makes copies of the good PDF with one thing taken
away each. Each copy must give its finding, and the good PDF none.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from publish_docs import make_review_docx

from scrtool.checks.accessibility_pdf import MAX_ELEMENTS, pdf_findings, pdf_problems
from scrtool.checks.accessibility_rules import load_rules
from scrtool.errors import UnreadableInputError

RULES = load_rules()


def kinds(path: Path) -> list[tuple[str, str]]:
    return [(f.kind, f.location) for f in pdf_findings(path, RULES)]


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """LibreOffice's tagged PDFs: a good report (finished as publish finishes it) and the
    same report with no alt text on its picture and no header row on its table."""
    from scrtool.bundle.convert import TAGGED_PDF, convert_to_pdf
    from scrtool.bundle.tagged_pdf import finish_tagged_pdf

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("tagged")
    good = make_review_docx(folder / "good.docx")
    bad = make_review_docx(folder / "bad.docx", alt_text=None, header_row=False)
    long = make_review_docx(folder / "long.docx", sections=24, page_breaks=True)
    pdfs = convert_to_pdf([good, bad, long], folder / "pdf", convert_to=TAGGED_PDF)
    out = {}
    for name, pdf in zip(("good", "bad", "long"), pdfs, strict=True):
        finished = folder / f"{name}-finished.pdf"
        finished.write_bytes(finish_tagged_pdf(pdf, title="Learning from the review"))
        out[name] = finished
    return out


def edited(source: Path, target: Path, edit) -> Path:
    """A copy of ``source`` with ``edit(writer)`` applied, the whole document cloned."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    edit(writer)
    with target.open("wb") as fh:
        writer.write(fh)
    return target


def struct_elements(writer):
    """Every structure element of a writer's document, in document order."""
    root = writer.root_object["/StructTreeRoot"].get_object()
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        kids = list(kids) if isinstance(kids, list) else [kids]
        for kid in reversed(kids):
            obj = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(obj, "get") and obj.get("/S") is not None:
                out.append(obj)
                stack.append(obj)
    return out


def retype(writer, old: str, new: str) -> None:
    from pypdf.generic import NameObject

    for el in struct_elements(writer):
        if el["/S"] == old:
            el[NameObject("/S")] = NameObject(new)


# --- LibreOffice's tagged PDFs ----------------------------------------------------------


@pytest.mark.libreoffice
def test_the_good_tagged_pdf_passes(tagged):
    assert kinds(tagged["good"]) == []
    assert kinds(tagged["long"]) == []


@pytest.mark.libreoffice
def test_a_picture_without_alt_text_and_a_table_without_header_cells(tagged):
    findings = pdf_findings(tagged["bad"], RULES)
    assert sorted(f.kind for f in findings) == ["alt-text", "table-header"]
    for f in findings:
        assert f.location.endswith(", page 1")
        assert f.severity == "high"
        assert "scrtool publish" in f.advice  # the PDF's advice: fix the Word document


@pytest.mark.libreoffice
def test_each_part_of_the_title_rule(tagged, tmp_path):
    from pypdf.generic import BooleanObject, NameObject

    def no_display(w):
        w.root_object["/ViewerPreferences"][NameObject("/DisplayDocTitle")] = BooleanObject(False)

    def no_info_title(w):
        w.metadata = {"/Producer": "LibreOffice 7.4"}

    def no_xmp(w):
        del w.root_object["/Metadata"]

    def neither(w):
        no_info_title(w)
        no_xmp(w)

    cases = {
        "display": (no_display, "viewer preferences (DisplayDocTitle)"),
        "info": (no_info_title, "document properties (Title)"),
        "xmp": (no_xmp, "XMP metadata (dc:title)"),
        "neither": (neither, "document properties (Title) and XMP metadata (dc:title)"),
    }
    for name, (edit, where) in cases.items():
        copy = edited(tagged["good"], tmp_path / f"{name}.pdf", edit)
        assert kinds(copy) == [("title", where)], name


@pytest.mark.libreoffice
def test_xmp_metadata_that_is_not_xml_has_no_title(tagged, tmp_path):
    def garble(w):
        w.root_object["/Metadata"].get_object().set_data(b"<x:xmpmeta><dc:title>")

    assert kinds(edited(tagged["good"], tmp_path / "garbled.pdf", garble)) == [
        ("title", "XMP metadata (dc:title)")
    ]


@pytest.mark.libreoffice
def test_a_role_map_or_page_of_the_wrong_type_is_ignored(tagged, tmp_path):
    from pypdf.generic import NameObject, NumberObject

    def damage(w):
        tree = w.root_object["/StructTreeRoot"].get_object()
        tree[NameObject("/RoleMap")] = NumberObject(7)
        first = struct_elements(w)[0]
        first[NameObject("/Pg")] = NumberObject(3)  # a page that is a number

    copy = edited(tagged["good"], tmp_path / "damaged.pdf", damage)
    assert kinds(copy) == []  # a RoleMap or /Pg of the wrong type is ignored, not fatal


@pytest.mark.libreoffice
def test_no_language_or_a_language_that_is_not_a_tag(tagged, tmp_path):
    from pypdf.generic import NameObject, TextStringObject

    def drop(w):
        del w.root_object["/Lang"]

    def nonsense(w):
        w.root_object[NameObject("/Lang")] = TextStringObject("British English")

    assert kinds(edited(tagged["good"], tmp_path / "none.pdf", drop)) == [
        ("language", "document catalogue (/Lang)")
    ]
    findings = pdf_findings(edited(tagged["good"], tmp_path / "odd.pdf", nonsense), RULES)
    assert [(f.kind, f.text) for f in findings] == [("language", "British English")]


@pytest.mark.libreoffice
def test_not_marked_and_no_structure_tree(tagged, tmp_path):
    def unmark(w):
        del w.root_object["/MarkInfo"]

    def untree(w):
        del w.root_object["/StructTreeRoot"]

    assert kinds(edited(tagged["good"], tmp_path / "unmarked.pdf", unmark)) == [
        ("tagged", "document catalogue (/MarkInfo /Marked)")
    ]
    assert kinds(edited(tagged["good"], tmp_path / "untree.pdf", untree)) == [
        ("tagged", "document catalogue (/StructTreeRoot)")
    ]


@pytest.mark.libreoffice
def test_a_table_whose_header_cells_are_ordinary_cells(tagged, tmp_path):
    copy = edited(tagged["good"], tmp_path / "td.pdf", lambda w: retype(w, "/TH", "/TD"))
    assert kinds(copy) == [("table-header", "table 1, page 1")]


@pytest.mark.libreoffice
def test_a_figure_found_through_the_role_map(tagged, tmp_path):
    """A custom type mapped to Figure is a figure; its alt text is needed too."""
    from pypdf.generic import NameObject

    def custom(w):
        roles = w.root_object["/StructTreeRoot"]["/RoleMap"]
        roles[NameObject("/Chart")] = NameObject("/Figure")
        for el in struct_elements(w):
            if el["/S"] == "/Figure":
                el[NameObject("/S")] = NameObject("/Chart")
                del el["/Alt"]

    assert kinds(edited(tagged["good"], tmp_path / "chart.pdf", custom)) == [
        ("alt-text", "picture 1, page 1")
    ]


@pytest.mark.libreoffice
def test_alt_text_that_is_only_a_file_name_counts_as_none(tagged, tmp_path):
    from pypdf.generic import NameObject, TextStringObject

    def file_name(w):
        for el in struct_elements(w):
            if el["/S"] == "/Figure":
                el[NameObject("/Alt")] = TextStringObject("image1.png")

    findings = pdf_findings(edited(tagged["good"], tmp_path / "file.pdf", file_name), RULES)
    assert [(f.kind, f.text) for f in findings] == [("alt-text", "image1.png")]


@pytest.mark.libreoffice
def test_a_skipped_heading_level(tagged, tmp_path):
    copy = edited(tagged["good"], tmp_path / "h3.pdf", lambda w: retype(w, "/H2", "/H3"))
    found = kinds(copy)
    assert found and {k for k, _ in found} == {"headings"}
    assert [f.text for f in pdf_findings(copy, RULES)][0] == "H3 after H1"


@pytest.mark.libreoffice
def test_no_headings_at_all(tagged, tmp_path):
    def flatten(w):
        for level in ("/H1", "/H2"):
            retype(w, level, "/P")

    assert kinds(edited(tagged["good"], tmp_path / "flat.pdf", flatten)) == [
        ("headings", "structure tree (H1 to H6)")
    ]


@pytest.mark.libreoffice
def test_a_long_document_needs_bookmarks(tagged, tmp_path):
    from pypdf import PdfReader

    assert len(PdfReader(tagged["long"]).pages) > RULES.bookmarks_above_pages

    def no_outline(w):
        del w.root_object["/Outlines"]

    copy = edited(tagged["long"], tmp_path / "no-bookmarks.pdf", no_outline)
    findings = pdf_findings(copy, RULES)
    assert [(f.kind, f.location) for f in findings] == [("headings", "bookmarks")]
    # A short document needs none.
    assert kinds(edited(tagged["good"], tmp_path / "short.pdf", no_outline)) == []


@pytest.mark.libreoffice
def test_a_structure_tree_that_loops_is_read_once(tagged, tmp_path):
    from pypdf.generic import ArrayObject, NameObject

    def loop(w):
        elements = struct_elements(w)
        document = elements[0]
        table = next(e for e in elements if e["/S"] == "/Table")
        kids = table["/K"].get_object()
        kids = list(kids) if isinstance(kids, list) else [kids]
        table[NameObject("/K")] = ArrayObject([*kids, document.indirect_reference])

    assert kinds(edited(tagged["good"], tmp_path / "loop.pdf", loop)) == []


def test_a_deep_structure_tree_is_walked_without_recursion(tmp_path):
    """Ten thousand nested elements, a figure without alt text at the bottom."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    root = writer.root_object
    mcr = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/MCR"),
            NameObject("/Pg"): writer.pages[0].indirect_reference,
            NameObject("/MCID"): NumberObject(0),
        }
    )
    bottom = writer._add_object(
        DictionaryObject({NameObject("/S"): NameObject("/Figure"), NameObject("/K"): mcr})
    )
    node = bottom
    for _ in range(10_000):
        node = writer._add_object(
            DictionaryObject(
                {NameObject("/S"): NameObject("/Div"), NameObject("/K"): ArrayObject([node])}
            )
        )
    tree = DictionaryObject(
        {NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): node}
    )
    root[NameObject("/StructTreeRoot")] = writer._add_object(tree)
    root[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    root[NameObject("/Lang")] = TextStringObject("en-GB")
    path = tmp_path / "deep.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    problems = pdf_problems(path, RULES)
    found = {p.kind for p in problems}
    assert "alt-text" in found
    # The figure has no /Pg of its own: its page is its marked content's.
    assert [p.location for p in problems if p.kind == "alt-text"] == ["picture 1, page 1"]
    assert "tagged" not in found and "language" not in found


def test_a_structure_tree_past_the_cap_is_refused_not_passed(tmp_path, monkeypatch):
    from scrtool.checks import accessibility_pdf

    monkeypatch.setattr(accessibility_pdf, "MAX_ELEMENTS", 3)
    pdf = tmp_path / "flat.pdf"
    _tagged_reportlab(pdf, elements=5)
    with pytest.raises(UnreadableInputError, match="more than 3 elements"):
        pdf_problems(pdf, RULES)
    assert MAX_ELEMENTS > 10_000


def _tagged_reportlab(path: Path, *, elements: int) -> Path:
    """A reportlab PDF given a flat structure tree of paragraphs by pypdf."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    plain = untagged_pdf(path.with_name("plain-" + path.name), pages=1)
    writer = PdfWriter(clone_from=PdfReader(plain))
    kids = ArrayObject(
        writer._add_object(DictionaryObject({NameObject("/S"): NameObject("/P")}))
        for _ in range(elements)
    )
    writer.root_object[NameObject("/StructTreeRoot")] = writer._add_object(
        DictionaryObject({NameObject("/K"): kids})
    )
    with path.open("wb") as fh:
        writer.write(fh)
    return path


# --- untagged and unreadable PDFs ---------------------------------------------------------


def untagged_pdf(path: Path, *, pages: int = 1, title: str | None = None) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    if title:
        canvas.setTitle(title)
    for n in range(pages):
        canvas.drawString(72, 720, f"Page {n + 1} of the review.")
        canvas.showPage()
    canvas.save()
    return path


def test_an_untagged_pdf_fails_on_tags_language_title_and_bookmarks(tmp_path):
    pdf = untagged_pdf(tmp_path / "printed.pdf", pages=25)
    found = kinds(pdf)
    assert ("tagged", "document catalogue (/StructTreeRoot)") in found
    assert ("language", "document catalogue (/Lang)") in found
    assert ("title", "document properties (Title) and XMP metadata (dc:title)") in found
    assert ("headings", "bookmarks") in found
    assert len([k for k, _ in found if k == "tagged"]) == 2  # no tree, not marked
    assert not any(k == "alt-text" for k, _ in found)  # nothing to read them from
    titles = [f.text for f in pdf_findings(pdf, RULES) if f.kind == "title"]
    # reportlab's default is no title, and nothing asks the window to show one
    assert titles == ["untitled", "(the window shows the file name, not the title)"]


@pytest.mark.libreoffice
def test_a_first_heading_below_h1_is_a_skipped_level(tagged, tmp_path):
    from pypdf.generic import NameObject

    def demote(w):
        for el in struct_elements(w):
            if el["/S"] in ("/H1", "/H2"):
                el[NameObject("/S")] = NameObject("/H2" if el["/S"] == "/H1" else "/H3")

    copy = edited(tagged["good"], tmp_path / "h2-first.pdf", demote)
    assert [f.text for f in pdf_findings(copy, RULES)] == ["H2 with no H1 before it"]


@pytest.mark.libreoffice
def test_headings_tagged_h_without_a_level_are_headings(tagged, tmp_path):
    """PDF 1.7 lets a program tag every heading H (its level given by its nesting); such a
    document has headings, and none of them skips a level."""
    from pypdf.generic import NameObject

    def unnumber(w):
        for el in struct_elements(w):
            if el["/S"] in ("/H1", "/H2", "/H3"):
                el[NameObject("/S")] = NameObject("/H")

    copy = edited(tagged["good"], tmp_path / "h-only.pdf", unnumber)
    assert pdf_findings(copy, RULES) == []


@pytest.mark.parametrize(
    ("title", "names_it"),
    [
        ("Learning from the review of Child A", True),
        ("untitled", False),
        ("Untitled document", False),
        ("Microsoft Word - Final report v7.docx", False),
        ("report.pdf", False),
        ("   ", False),
        ("Microsoft Word - Document1", False),  # printed to PDF before it was saved
        ("Microsoft Word - Overview report", False),  # the file name, without .docx
        ("Document1", False),
        ("Document 2", False),
        ("Documents the agencies shared", True),
    ],
)
def test_what_counts_as_a_title(title, names_it):
    from scrtool.checks.accessibility_pdf import is_title

    assert is_title(title) is names_it


def test_an_encrypted_pdf_cannot_be_checked(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = untagged_pdf(tmp_path / "plain.pdf")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("open-sesame")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(UnreadableInputError, match="password"):
        pdf_findings(locked, RULES)


def test_a_damaged_pdf_cannot_be_checked_and_no_library_speaks(tmp_path, capfd):
    plain = untagged_pdf(tmp_path / "plain.pdf")
    broken = tmp_path / "broken.pdf"
    data = plain.read_bytes()
    broken.write_bytes(data[: len(data) // 3])
    with pytest.raises(UnreadableInputError) as caught:
        pdf_findings(broken, RULES)
    assert caught.value.file == str(broken)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_title_missing_from_xmp_does_not_hide_that_the_window_shows_the_file_name(tmp_path):
    """Both parts of the title rule are listed at once, so putting the title right does
    not uncover a second finding on the next run."""
    pdf = untagged_pdf(tmp_path / "titled.pdf", title="The review about Child R")
    titles = [(f.text, f.location) for f in pdf_findings(pdf, RULES) if f.kind == "title"]
    assert titles == [
        ("(no title)", "XMP metadata (dc:title)"),
        ("(the window shows the file name, not the title)", "viewer preferences (DisplayDocTitle)"),
    ]


def test_pictures_and_tables_on_one_page_are_told_apart_by_their_number(tmp_path):
    """Three tables and two pictures on one page: the finding names which one, counted
    from the start of the document, not only the page they share."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        TextStringObject,
    )

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    page = writer.pages[0].indirect_reference

    def element(kind: str, *kids, **extra):
        entries = {NameObject("/S"): NameObject(f"/{kind}"), NameObject("/Pg"): page}
        entries[NameObject("/K")] = ArrayObject(list(kids))
        entries.update({NameObject(f"/{k}"): TextStringObject(v) for k, v in extra.items()})
        return writer._add_object(DictionaryObject(entries))

    def table(first_cell: str):
        return element(
            "Table",
            element("TR", element(first_cell), element(first_cell)),
            element("TR", element("TD"), element("TD")),
        )

    document = element(
        "Document",
        element("H1"),
        table("TH"),
        element("Figure", Alt="Contacts by agency, 2023"),
        table("TD"),
        element("Figure"),
        table("TH"),
    )
    root = writer.root_object
    root[NameObject("/StructTreeRoot")] = writer._add_object(
        DictionaryObject(
            {NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): document}
        )
    )
    path = tmp_path / "one-page.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    problems = [(p.kind, p.location) for p in pdf_problems(path, RULES)]
    assert ("alt-text", "picture 2, page 1") in problems
    assert ("table-header", "table 2, page 1") in problems
    assert [k for k, _ in problems].count("alt-text") == 1
    assert [k for k, _ in problems].count("table-header") == 1


def test_a_figure_on_a_later_page_is_named_by_its_own_content_s_page(tmp_path):
    """A section starting on page 1 holds a figure whose content is on page 2 (a marked-
    content reference with its own /Pg): the finding says page 2, where the picture is."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(200, 200)
    first, second = (p.indirect_reference for p in writer.pages)
    content = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/MCR"),
            NameObject("/Pg"): second,
            NameObject("/MCID"): NumberObject(0),
        }
    )
    figure = writer._add_object(
        DictionaryObject({NameObject("/S"): NameObject("/Figure"), NameObject("/K"): content})
    )
    heading = writer._add_object(
        DictionaryObject({NameObject("/S"): NameObject("/H1"), NameObject("/K"): NumberObject(0)})
    )
    section = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/Sect"),
                NameObject("/Pg"): first,
                NameObject("/K"): ArrayObject([heading, figure]),
            }
        )
    )
    writer.root_object[NameObject("/StructTreeRoot")] = writer._add_object(
        DictionaryObject(
            {NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): section}
        )
    )
    path = tmp_path / "two-pages.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    locations = [p.location for p in pdf_problems(path, RULES) if p.kind == "alt-text"]
    assert locations == ["picture 1, page 2"]
