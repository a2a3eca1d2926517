"""A page with thousands of boxes and labels (a chart, a form, a table drawn as boxes) is
read by testing each text object only against the boxes near it (``pdf_pages._Near``);
the answer is exactly the one testing every box gave."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from scrtool.checks.redaction import check_redaction
from scrtool.readers import pdf_pages
from scrtool.readers.pdf_pages import _Cover, _Near, _overlap

PAGE = (0.0, 0.0, 595.0, 842.0)


def _cover(seq: int, box: tuple[float, float, float, float]) -> _Cover:
    return _Cover(seq, None, box, (0, 0, 0, 255), False, pdf_pages.IDENTITY)


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
        expected = [c for c in covers if _overlap(box, c.box) > 0]
        assert [c for c in near.around(box) if _overlap(box, c.box) > 0] == expected
        point = (box[0], box[1])
        spot = (point[0], point[1], point[0], point[1])
        inside = [c for c in covers if pdf_pages._inside(point, c.box)]
        assert [c for c in near.around(spot) if pdf_pages._inside(point, c.box)] == inside


def _chart(path: Path, pages: int, *, cover_one: bool) -> Path:
    """Pages of 60 x 25 pale boxes, each with a number drawn on it; with ``cover_one``,
    one label on page 2 is under a black box drawn after it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rng = random.Random(7)
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        for row in range(60):
            for col in range(25):
                x, y = 30 + col * 22, 40 + row * 12.5
                c.setFillColorRGB(0.7 + rng.random() * 0.3, 0.9, 0.9)
                c.rect(x, y, 21, 11.5, stroke=0, fill=1)
                c.setFillColorRGB(0, 0, 0)
                c.setFont("Helvetica", 6)
                c.drawString(x + 1, y + 3, f"{rng.randint(100, 999)}")
        if cover_one and page == 1:
            c.setFillColorRGB(0, 0, 0)
            c.drawString(300, 810, "Dean Voss")
            c.rect(295, 805, 60, 14, stroke=0, fill=1)
        c.showPage()
    c.save()
    return path


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
