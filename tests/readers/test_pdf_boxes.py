"""Which boxes hide text: each text object is tested only against the boxes near it
(``pdf_pages._Near``), a box counts only where it is painted (its clipping path), and a
blended or nearly opaque dark box hides what is under it while a highlighter does not."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from hand_pdfs import TEXT, page_with

from scrtool.checks.redaction import check_redaction
from scrtool.readers.pdf_objects import IDENTITY, overlap, point_in
from scrtool.readers.pdf_pages import _Cover, _Near

PAGE = (0.0, 0.0, 595.0, 842.0)


def _cover(seq: int, box: tuple[float, float, float, float]) -> _Cover:
    return _Cover(seq, None, box, (0, 0, 0, 255), False, IDENTITY)


def _random_box(rng: random.Random) -> tuple[float, float, float, float]:
    kind = rng.random()
    if kind < 0.05:
        return (math.nan, 10.0, 20.0, 30.0)
    if kind < 0.1:  # far off the page, or huge
        return (-1e6, -1e6, 1e6 * rng.random(), 1e6)
    x, y = rng.uniform(-50, 650), rng.uniform(-50, 900)
    return (x, y, x + rng.uniform(0, 120), y + rng.uniform(0, 60))


@pytest.mark.parametrize("page", [PAGE, (595.0, 842.0, 0.0, 0.0), (0.0, 0.0, 1e9, 1e9)])
def test_the_boxes_near_a_text_are_exactly_those_a_full_scan_finds(page):
    rng = random.Random(20261202)
    covers = [_cover(n, _random_box(rng)) for n in range(600)]
    near = _Near(covers, page)
    for _ in range(2000):
        box = _random_box(rng)
        expected = [c for c in covers if overlap(box, c.box) > 0]
        assert [c for c in near.around(box) if overlap(box, c.box) > 0] == expected
        point = (box[0], box[1])
        spot = (point[0], point[1], point[0], point[1])
        inside = [c for c in covers if point_in(point, c.box)]
        assert [c for c in near.around(spot) if point_in(point, c.box)] == inside


def _chart(path: Path, pages: int, *, cover_one: bool) -> Path:
    """The redaction benchmark's chart pages (60 x 25 pale boxes, a number on each); with
    ``cover_one``, one name on page 2 is under a black box drawn after it."""
    import importlib.util

    from conftest import REPO

    spec = importlib.util.spec_from_file_location("_corpus", REPO / "benchmarks" / "_corpus.py")
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)

    def plant(c, page: int) -> None:  # type: ignore[no-untyped-def]
        if cover_one and page == 1:
            c.setFillColorRGB(0, 0, 0)
            c.drawString(300, 810, "Dean Voss")
            c.rect(295, 805, 60, 14, stroke=0, fill=1)

    return corpus.chart_pdf(path, pages, plant)


def test_a_dense_chart_has_no_covered_text_and_one_box_over_a_name_is_found(tmp_path):
    clean = check_redaction([_chart(tmp_path / "chart.pdf", 2, cover_one=False)], terms=[])
    assert not [f for f in clean.files[0].findings if f.kind == "covered-text"]
    planted = check_redaction(
        [_chart(tmp_path / "covered.pdf", 2, cover_one=True)], terms=["Dean Voss"]
    )
    covered = [f for f in planted.files[0].findings if f.kind == "covered-text"]
    assert [(f.text, f.location) for f in covered] == [
        ("Dean Voss", "page 2 (text under a box drawn over it)")
    ]
    assert not planted.passed


# --- a box counts only where it is painted: its clipping path --------------------------


def _covered(path: Path) -> list[str]:
    report = check_redaction([path], terms=["Dean Voss"])
    return [f.text for f in report.files[0].findings if f.kind == "covered-text"]


def test_a_fill_clipped_away_from_the_text_hides_nothing(tmp_path):
    """A black fill over the whole page, clipped to a corner square: only the square is
    painted, and the text is elsewhere (it was all reported as covered)."""
    clipped = b"q 400 600 50 50 re W n 0 0 0 rg 0 0 612 792 re f Q\n"
    assert _covered(page_with(tmp_path / "corner.pdf", TEXT + clipped)) == []
    over = b"q 150 140 300 30 re W n 0 0 0 rg 0 0 612 792 re f Q\n"
    assert _covered(page_with(tmp_path / "over.pdf", TEXT + over)) == ["Dean Voss lives here"]


def test_a_forms_bbox_and_matrix_and_the_cm_that_places_it_cut_its_box(tmp_path):
    """A form whose content fills a huge area, cut by its /BBox [0 0 50 50], scaled 2x by
    its /Matrix and moved by the cm before Do: painted at (150,100)-(250,200) only."""
    fill = b"0 0 0 rg 0 0 1000 1000 re f"
    form = {"bbox": [0, 0, 50, 50], "matrix": [2, 0, 0, 2, 100, 100]}
    placed = b"q 1 0 0 1 50 0 cm /Fm1 Do Q\n"
    away = TEXT.replace(b"160 150", b"300 500")
    assert _covered(page_with(tmp_path / "away.pdf", away + placed, fill, form)) == []
    # The text runs from x=160 to about 275: "here" is past the painted square's edge.
    assert _covered(page_with(tmp_path / "under.pdf", TEXT + placed, fill, form)) == [
        "Dean Voss lives"
    ]


def test_white_text_on_a_dark_fill_clipped_away_from_it_is_still_white_text(tmp_path):
    dark = b"q 400 600 50 50 re W n 0 0 0 rg 0 0 612 792 re f Q\n"
    white = b"BT 1 1 1 rg /F1 12 Tf 160 150 Td (Dean Voss lives here) Tj ET\n"
    report = check_redaction([page_with(tmp_path / "white.pdf", dark + white)], terms=[])
    hidden = [(f.text, f.location) for f in report.files[0].findings if f.kind == "hidden-text"]
    assert hidden == [("Dean Voss lives here", "page 1 (white text)")]


@pytest.mark.libreoffice
def test_a_cropped_picture_under_the_text_in_a_libreoffice_pdf_hides_nothing(tmp_path):
    """Word's crop keeps the whole picture and clips it; LibreOffice exports it so, and
    the uncropped picture reaches up over the paragraphs above it. Only the cropped part
    is painted, below the text: nothing is covered (every paragraph was reported)."""
    import io

    from accessibility_docs import png_bytes
    from conftest import convert_with_soffice
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm
    from lxml import etree

    document = Document()
    for _ in range(3):
        document.add_paragraph(
            "The school saw that the child was tired, and the teacher spoke to the mother."
        )
    document.add_picture(io.BytesIO(png_bytes(200, 600)), width=Cm(6))
    blip_fill = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill
    crop = etree.SubElement(blip_fill, qn("a:srcRect"))
    crop.set("t", "45000")
    crop.set("b", "45000")
    blip_fill.remove(crop)
    blip_fill.insert(1, crop)  # after a:blip, as the schema orders it
    source = tmp_path / "cropped.docx"
    document.save(str(source))
    pdf = convert_with_soffice(source, "pdf", tmp_path)
    assert _covered(pdf) == []


# --- a box hides what is under it unless it is see-through ------------------------------

BOX = b"150 140 300 30 re f"


@pytest.mark.parametrize(
    ("drawing", "states", "hidden"),
    [
        (b"q /Mul gs 0 0 0 rg " + BOX + b" Q", {"Mul": {"/BM": "/Multiply"}}, True),
        (b"q /Mul gs 1 1 0 rg " + BOX + b" Q", {"Mul": {"/BM": "/Multiply"}}, False),
        (b"q /Almost gs 0 0 0 rg " + BOX + b" Q", {"Almost": {"/ca": 0.99}}, True),
        (b"q /Half gs 0 0 0 rg " + BOX + b" Q", {"Half": {"/ca": 0.5}}, False),
    ],
    ids=["black-multiply", "highlighter-multiply", "99-percent", "half"],
)
def test_a_blended_or_nearly_opaque_black_box_hides_and_a_highlighter_does_not(
    tmp_path, drawing, states, hidden
):
    path = page_with(tmp_path / "box.pdf", TEXT + drawing + b"\n", states=states)
    assert _covered(path) == (["Dean Voss lives here"] if hidden else [])


@pytest.mark.parametrize(("alpha", "hidden"), [(None, True), (0.3, False)])
def test_a_black_box_in_a_transparency_group_hides_unless_the_group_is_faded(
    tmp_path, alpha, hidden
):
    """A transparency group drawn at full opacity paints its black box black; drawn at
    30% it does not hide the text under it."""
    form = {"bbox": [0, 0, 612, 792], "matrix": [1, 0, 0, 1, 0, 0], "group": True}
    states = {"Fade": {"/ca": alpha}} if alpha else None
    placed = (b"q /Fade gs /Fm1 Do Q" if alpha else b"q /Fm1 Do Q") + b"\n"
    path = page_with(tmp_path / "group.pdf", TEXT + placed, b"0 0 0 rg " + BOX, form, states=states)
    assert _covered(path) == (["Dean Voss lives here"] if hidden else [])


def _shading(writer):
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject
    from pypdf.generic import NumberObject as N

    function = DictionaryObject(
        {
            NameObject("/FunctionType"): N(2),
            NameObject("/Domain"): ArrayObject([N(0), N(1)]),
            NameObject("/C0"): ArrayObject([N(0), N(0), N(0)]),
            NameObject("/C1"): ArrayObject([FloatObject(0.2), N(0), N(0)]),
            NameObject("/N"): N(1),
        }
    )
    shading = DictionaryObject(
        {
            NameObject("/ShadingType"): N(2),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/Coords"): ArrayObject([N(0), N(0), N(612), N(0)]),
            NameObject("/Function"): function,
        }
    )
    return DictionaryObject({NameObject("/Sh1"): writer._add_object(shading)})


def test_a_shading_painted_over_text_hides_it(tmp_path):
    """``sh`` paints its clip with a gradient: drawn after the text over it, it hides it;
    clipped elsewhere, it hides nothing."""
    over = b"q 150 140 300 30 re W n /Sh1 sh Q\n"
    away = b"q 150 400 300 30 re W n /Sh1 sh Q\n"
    extra = {"/Shading": _shading}
    assert _covered(page_with(tmp_path / "over.pdf", TEXT + over, extra=extra)) == [
        "Dean Voss lives here"
    ]
    assert _covered(page_with(tmp_path / "away.pdf", TEXT + away, extra=extra)) == []


def _image(writer):
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
    from pypdf.generic import NumberObject as N

    image = DecodedStreamObject()
    image.set_data(bytes([200, 200, 200]) * 4)
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): N(2),
            NameObject("/Height"): N(2),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): N(8),
        }
    )
    return DictionaryObject({NameObject("/Im1"): writer._add_object(image)})


def test_invisible_text_on_a_scan_is_its_text_layer_but_a_line_running_off_a_logo_is_not(
    tmp_path,
):
    """A scanned page's invisible text lies on the picture drawn before it; a line of
    invisible text that starts on a small logo and runs on past it is hidden text."""
    invisible = b"BT 3 Tr /F1 12 Tf 160 150 Td (Dean Voss lives here) Tj ET\n"
    scan = b"q 612 0 0 792 0 0 cm /Im1 Do Q\n"
    logo = b"q 20 0 0 20 155 145 cm /Im1 Do Q\n"
    extra = {"/XObject": _image}
    layer = check_redaction(
        [page_with(tmp_path / "scan.pdf", scan + invisible, extra=extra)], terms=[]
    )
    assert not [f for f in layer.files[0].findings if f.kind == "hidden-text"]
    report = check_redaction(
        [page_with(tmp_path / "logo.pdf", logo + invisible, extra=extra)], terms=[]
    )
    hidden = [(f.text, f.location) for f in report.files[0].findings if f.kind == "hidden-text"]
    assert hidden == [("Dean Voss lives here", "page 1 (invisible text)")]


def test_text_squashed_to_a_sliver_is_too_small_to_see_but_a_narrow_letter_is_not(tmp_path):
    squashed = b"BT /F1 12 Tf 1 Tz 160 150 Td (Dean Voss lives here) Tj ET\n"
    letters = b"BT /F1 12 Tf 160 300 Td (i) Tj ET BT /F1 12 Tf 170 300 Td (l) Tj ET\n"
    turned = b"BT /F1 12 Tf 0 1 -1 0 300 400 Tm (A line turned upright) Tj ET\n"
    path = page_with(tmp_path / "tz.pdf", squashed + letters + turned)
    report = check_redaction([path], terms=[])
    hidden = [(f.text, f.location) for f in report.files[0].findings if f.kind == "hidden-text"]
    assert hidden == [("Dean Voss lives here", "page 1 (text too small to see)")]


def test_a_text_layer_across_the_strips_of_a_scan_is_not_hidden_text(tmp_path):
    """A scanner that stores the page in strips: a line of the text layer across two of
    them lies half on each, and wholly on the scan."""
    invisible = b"BT 3 Tr /F1 12 Tf 160 150 Td (Dean Voss lives here) Tj ET\n"
    strips = b"q 612 0 0 156 0 0 cm /Im1 Do Q q 612 0 0 636 0 156 cm /Im1 Do Q\n"
    path = page_with(tmp_path / "strips.pdf", strips + invisible, extra={"/XObject": _image})
    report = check_redaction([path], terms=[])
    assert not [f for f in report.files[0].findings if f.kind == "hidden-text"]


# --- a line drawn thick over the words hides them as a box does --------------------------


@pytest.mark.parametrize(
    ("drawing", "hidden"),
    [
        (b"0 0 0 RG 14 w 155 154 m 420 154 l S", True),  # a marker pen over the line
        (b"0 0 0 RG 14 w 1 J 160 154 m 270 154 l S", True),  # round caps reach the ends
        (b"q 0.5 0 0 0.5 0 0 cm 0 0 0 RG 28 w 310 308 m 840 308 l S Q", True),  # scaled
        (b"0 0 0 RG 14 w 155 154 m 420 154 l h S", True),  # closed: there and back
        (b"0 0 0 RG 1 w 155 148 m 420 148 l S", False),  # an underline
        (b"0 0 0 RG 3 w 150 140 300 30 re S", False),  # a border round the words
        (b"0 0 0 RG 14 w [6 6] 0 d 155 154 m 420 154 l S", False),  # dashed
        (b"0 0 0 RG 14 w 155 175 m 420 175 l S", False),  # above the words
        (b"q /Mul gs 1 1 0 RG 14 w 155 154 m 420 154 l S Q", False),  # a highlighter
        (b"0 0 0 RG 14 w 1 J 155 154 m 240 157 330 151 420 154 c S", True),  # freehand
        (b"0 0 0 RG 14 w 155 175 m 240 230 330 230 420 175 c S", False),  # an arch above
        (b"0 0 0 RG 0 0 1 rg 14 w 155 154 m 420 154 l B", True),  # filled and stroked
    ],
    ids=[
        "marker",
        "round-caps",
        "scaled",
        "closed",
        "underline",
        "border",
        "dashed",
        "above",
        "highlighter",
        "freehand-curve",
        "arch",
        "filled-and-stroked",
    ],
)
def test_a_thick_line_stroked_over_the_words_hides_them(tmp_path, drawing, hidden):
    path = page_with(
        tmp_path / "line.pdf", TEXT + drawing + b"\n", states={"Mul": {"/BM": "/Multiply"}}
    )
    assert _covered(path) == (["Dean Voss lives here"] if hidden else [])


def test_a_thick_diagonal_line_hides_only_the_letters_it_crosses(tmp_path):
    """A stroke across the words at an angle paints a slanted band, not its bounding box:
    only the letters under the band are covered."""
    drawing = b"0 0 0 RG 12 w 150 130 m 215 185 l S\n"
    found = _covered(page_with(tmp_path / "slant.pdf", TEXT + drawing))
    assert found and all(len(text) < len("Dean Voss") for text in found), found


def test_white_text_on_a_thick_dark_line_is_not_hidden_text(tmp_path):
    band = b"0 0 0.5 RG 20 w 150 154 m 450 154 l S\n"
    white = b"BT 1 1 1 rg /F1 12 Tf 160 150 Td (Dean Voss lives here) Tj ET\n"
    report = check_redaction([page_with(tmp_path / "band.pdf", band + white)], terms=[])
    assert not [f for f in report.files[0].findings if f.kind == "hidden-text"]


@pytest.mark.parametrize(
    ("clip", "hidden"),
    [
        (b"0 0 1 1 re W n", True),  # a point square, far from the words
        (b"160 150 1 1 re W n", True),  # a point square on the first letter
        (b"0 0 612 792 re W n", False),  # the page
        (b"100 100 150 100 re W n", False),  # cuts off "here" only, as a table cell would
    ],
    ids=["point-away", "point-on", "page", "cell"],
)
def test_text_clipped_out_of_sight_is_hidden_text(tmp_path, clip, hidden):
    content = b"q " + clip + b" " + TEXT + b"Q\n"
    report = check_redaction([page_with(tmp_path / "clip.pdf", content)], terms=[])
    found = [(f.text, f.location) for f in report.files[0].findings if f.kind == "hidden-text"]
    expected = [("Dean Voss lives here", "page 1 (text clipped out of sight)")]
    assert found == (expected if hidden else [])


def test_the_fill_of_a_line_paints_nothing(tmp_path):
    """A connector drawn corner to corner across a paragraph and painted with ``f`` or
    ``B`` fills nothing (two points enclose no area): its bounding box hid the whole
    paragraph. Its 1-point stroke hides nothing either."""
    for paint in (b"f", b"B"):
        drawing = b"0 0 0 rg 0 0 0 RG 1 w 150 140 m 300 175 l " + paint + b"\n"
        assert _covered(page_with(tmp_path / "line.pdf", TEXT + drawing)) == []


def test_the_clip_a_form_is_drawn_under_cuts_what_it_draws(tmp_path):
    """A clip set on the page before ``Do`` is the form's too: a black box in the form
    clipped away by it hides nothing, and text in the form clipped to a point is hidden
    text (PDFium gives the form's contents the form's own clip only)."""
    form = {"bbox": [0, 0, 612, 792], "matrix": [1, 0, 0, 1, 0, 0]}
    away = b"q 400 600 50 50 re W n /Fm1 Do Q\n"
    box = b"0 0 0 rg 150 140 300 30 re f"
    assert _covered(page_with(tmp_path / "box.pdf", TEXT + away, box, form)) == []
    report = check_redaction([page_with(tmp_path / "text.pdf", away, TEXT, form)], terms=[])
    hidden = [(f.text, f.location) for f in report.files[0].findings if f.kind == "hidden-text"]
    assert hidden == [("Dean Voss lives here", "page 1 (text clipped out of sight)")]


@pytest.mark.parametrize(
    ("drawing", "hidden"),
    [
        (b"150 145 m 450 145 l 150 165 m 450 165 l f", False),  # two lines: no area
        (
            b"150 140 m 450 140 l 450 175 m 150 175 l 150 140 m 150 175 l 450 140 m 450 175 l f",
            False,
        ),
        (b"140 130 320 60 re 150 140 300 30 re f*", False),  # a frame: the words in its hole
        (b"140 130 320 60 re 150 140 300 30 re f", True),  # nonzero: the hole is filled too
    ],
    ids=["two-lines", "four-lines", "frame-even-odd", "frame-nonzero"],
)
def test_a_fill_paints_by_its_pieces_and_its_fill_rule(tmp_path, drawing, hidden):
    path = page_with(tmp_path / "fill.pdf", TEXT + b"0 0 0 rg " + drawing + b"\n")
    assert _covered(path) == (["Dean Voss lives here"] if hidden else [])


def test_freehand_ink_of_hundreds_of_pieces_is_read_to_its_end(tmp_path):
    """Ink flattened to 400 straight pieces whose last hundred run over the words."""
    points = [(60 + i * 0.2, 600 + (i % 2)) for i in range(300)]  # far from the words
    points += [(155 + i * 2.65, 154 + (i % 2) * 0.5) for i in range(100)]
    path_ops = b"%.2f %.2f m " % points[0] + b" ".join(b"%.2f %.2f l" % p for p in points[1:])
    drawing = b"0 0 0 RG 14 w 1 J 1 j " + path_ops + b" S\n"
    assert _covered(page_with(tmp_path / "ink.pdf", TEXT + drawing)) == ["Dean Voss lives here"]


def test_a_line_thick_one_way_only_under_an_uneven_scale_is_judged_by_its_band(tmp_path):
    """Squeezed twentyfold across and not up: a 14-point line still paints 14 points
    high over the words (its width times the mean scale was under 4 points)."""
    drawing = b"q 0.05 0 0 1 0 0 cm 0 0 0 RG 14 w 3100 154 m 8400 154 l S Q\n"
    assert _covered(page_with(tmp_path / "squeezed.pdf", TEXT + drawing)) == [
        "Dean Voss lives here"
    ]
