"""The timeline: what it shows, worked out from the data, and the files it writes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from scrtool.case import load_case
from scrtool.chronology.collate import collate
from scrtool.chronology.timeline import (
    MARKERS,
    Event,
    longest_gaps,
    make_timeline,
    read_events,
    timeline_data,
)
from scrtool.errors import CaseError, DataError, OutputError
from tests.chronology.test_reviewer import write_case

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample_case(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    shutil.copy(REPO / "samples" / "case.toml", root / "case.toml")
    shutil.copytree(REPO / "samples" / "returns", root / "returns")
    case = load_case(root)
    collate([root / "returns"], output=case.chronology_path, case=case)
    return case


def ev(day, agency="Police", key=False, exact=True, kind="Home visit", ref="POL-2"):
    return Event(day=day, agency=agency, kind=kind, ref=ref, key=key, exact=exact)


def test_the_longest_gaps_use_exact_dates_in_the_period():
    events = [
        ev(dt.date(2024, 1, 1)),
        ev(dt.date(2024, 1, 10), agency="GP"),
        ev(dt.date(2024, 6, 1)),
        ev(dt.date(2024, 3, 1), exact=False),
        ev(dt.date(2024, 7, 1)),
        ev(dt.date(2025, 7, 1)),
    ]
    gaps = longest_gaps(events, (dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert [(g.start, g.end, g.days) for g in gaps] == [
        (dt.date(2024, 1, 10), dt.date(2024, 6, 1), 143),
        (dt.date(2024, 6, 1), dt.date(2024, 7, 1), 30),
    ]


def test_the_sample_timeline_data(sample_case):
    data = timeline_data(read_events(sample_case.chronology_path), case=sample_case)
    assert data.title == "NS-2026-01: timeline for Child A"
    assert len(data.events) == 37 and len(data.agencies) == 7
    assert {e.ref for e in data.key_events} == {"POL-6", "POL-8", "POL-12", "CSC-9", "CSC-12"}
    assert data.period == (dt.date(2024, 4, 1), dt.date(2026, 1, 5))
    assert data.gaps[0].days == max(g.days for g in data.gaps)
    alt = data.alt_text()
    assert "7 agencies" in alt and "Northshire Police" in alt
    assert "1 April 2024 to 5 January 2026" in alt
    assert f"{data.gaps[0].days} days" in alt
    assert data.born == dt.date(2022, 9, 18)
    # Every lane has its own marker shape, so the picture reads in greyscale.
    assert len(set(MARKERS[: len(data.agencies)])) == len(data.agencies)


def test_the_pdf_is_one_a4_landscape_page_with_alternative_text(sample_case, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "timeline.pdf"
    result = make_timeline(case=sample_case, chronology=None, output=out)
    subprocess.run(["qpdf", "--check", str(out)], check=True, capture_output=True)
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (842, 595)
    root = reader.trailer["/Root"]
    figure = root["/StructTreeRoot"]["/K"][0].get_object()["/K"][0].get_object()
    assert figure["/S"] == "/Figure" and figure["/Alt"] == result.data.alt_text()
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "NS-2026-01: timeline for Child A"
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Child's age" in text and "Strategy meeting (POL-8)" in text
    for name in ("Harrowgate", "Voss", "Lily-Mae", "18/09/2022", "2022-09-18"):
        assert name not in text


def test_png_and_svg(sample_case, tmp_path):
    png = make_timeline(case=sample_case, chronology=None, output=tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = tmp_path / "t.svg"
    make_timeline(case=sample_case, chronology=None, output=svg)
    text = svg.read_text(encoding="utf-8")
    assert 'role="img"' in text and "aria-label=" in text and "Northshire Police" in text
    assert png.to_json()["output"] == str(tmp_path / "t.png")


def test_the_title_never_carries_a_real_name(tmp_path):
    case_dir = write_case(
        tmp_path / "c",
        '[register]\nnames = ["Lily-Mae Harrowgate"]\n',
        review="",
    )
    text = (case_dir / "case.toml").read_text(encoding="utf-8")
    (case_dir / "case.toml").write_text(
        text.replace('child = "Child A"', 'child = "Lily-Mae"'), encoding="utf-8"
    )
    case = load_case(case_dir)
    with pytest.raises(CaseError, match="is a name in the register"):
        timeline_data([ev(dt.date(2024, 1, 1))], case=case)


def test_bad_input(tmp_path, sample_case):
    with pytest.raises(OutputError, match="give a name ending in .pdf, .png or .svg"):
        make_timeline(case=sample_case, chronology=None, output=tmp_path / "t.jpg")
    returns_file = REPO / "samples" / "returns" / "Police return.xlsx"
    with pytest.raises(DataError, match='has no "Chronology" sheet'):
        make_timeline(case=None, chronology=returns_file, output=tmp_path / "t.png")
    assert not (tmp_path / "t.png").exists()


def test_thirty_thousand_events_draw(tmp_path):
    import random

    rng = random.Random(4)
    start = dt.date(2020, 1, 1)
    events = [
        ev(
            start + dt.timedelta(days=rng.randrange(0, 1500)),
            agency=f"Agency {rng.randrange(12)}",
            key=rng.random() < 0.002,
        )
        for _ in range(30_000)
    ]
    from scrtool.chronology.timeline import draw, save

    data = timeline_data(events, case=None)
    out = tmp_path / "big.pdf"
    save(draw(data), out, data)
    from pypdf import PdfReader

    assert len(PdfReader(str(out)).pages) == 1


def test_the_command(invoke, sample_case, tmp_path):
    out = tmp_path / "t.png"
    result = invoke("timeline", "--case", sample_case.root, "--output", out, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["output"] == str(out) and data["events"] == 37 and data["child_age_axis"]
    result = invoke("timeline", "--case", sample_case.root, "--output", tmp_path / "t.gif")
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_the_report_gets_the_timeline_under_what_the_records_show(sample_case, tmp_path):
    import docx

    from scrtool.chronology.report_figure import CAPTION, add_timeline

    path = tmp_path / "report.docx"
    document = docx.Document()
    document.add_heading("What the records show", level=1)
    document.add_paragraph("Each agency sent a list of its contacts.")
    document.add_table(rows=2, cols=2)
    document.add_heading("Other processes", level=1)
    document.add_paragraph("None.")
    document.save(str(path))
    assert add_timeline(path, sample_case)
    result = docx.Document(str(path))
    body = list(result.element.body)
    tags = [el.tag.rsplit("}", 1)[1] for el in body]
    table_at = tags.index("tbl")
    picture, caption = body[table_at + 1], body[table_at + 2]
    doc_pr = picture.find(".//{*}docPr")
    alt = doc_pr.get("descr")
    assert alt.startswith("Timeline of 37 recorded events from 7 agencies")
    assert "longest time with no recorded contact was 293 days" in alt
    assert "".join(t.text for t in caption.iter("{*}t")) == CAPTION
    texts = [p.text for p in result.paragraphs]
    assert texts.index(CAPTION) < texts.index("Other processes")


def test_no_chronology_no_picture(tmp_path):
    import docx

    from scrtool.chronology.report_figure import add_timeline

    case = load_case(write_case(tmp_path / "c"))
    path = tmp_path / "report.docx"
    document = docx.Document()
    document.add_heading("What the records show", level=1)
    document.save(str(path))
    assert not add_timeline(path, case)
