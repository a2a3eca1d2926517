"""scrtool.drafting.templates: sandboxed, escaped, strict filling of Word templates."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from docx_helpers import body_text, docx_text, make_template
from hypothesis import given
from hypothesis import strategies as st
from template_samples import DEFAULTS, sample_contexts

from scrtool.drafting.templates import (
    RESERVED_NAMES,
    LoadedTemplate,
    date_filter,
    display,
    fill_one,
    fill_rows,
    identifier,
    load_data,
    load_rows,
    render_template,
    safe_file_name,
)
from scrtool.errors import DataError, InputError, OutputError, OutputLockedError, TemplateError
from scrtool.jsonout import to_jsonable

NASTY = "Smith & Sons <Ltd> \"quoted\" 'single' ]]> {{ ref }} {% if %}"


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    return make_template(
        tmp_path / "letter.docx",
        ["Dear {{ contact }},", "Your reference is {{ ref }}, due {{ due }}."],
        header="Header {{ ref }}",
        footer="Footer {{ agency }}",
        title="Letter to {{ agency }}",
        table=[["Agency", "{{ agency }}"]],
    )


def write_rows(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "People"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# ---------------------------------------------------------------------------- escaping


def test_special_characters_appear_as_written_everywhere(tmp_path, letter):
    out = render_template(
        letter,
        {"contact": NASTY, "ref": NASTY, "due": NASTY, "agency": NASTY},
        tmp_path / "out.docx",
    )
    from docx import Document

    doc = Document(str(out))  # still a valid document
    assert doc.paragraphs[0].text == f"Dear {NASTY},"
    assert doc.tables[0].rows[0].cells[1].text == NASTY
    assert doc.sections[0].header.paragraphs[0].text == f"Header {NASTY}"
    assert doc.sections[0].footer.paragraphs[0].text == f"Footer {NASTY}"
    assert doc.core_properties.title == f"Letter to {NASTY}"


def test_every_part_is_filled_escaped_and_only_once(tmp_path):
    template = make_template(
        tmp_path / "parts.docx",
        ["Body {{ a }}"],
        footnote="Footnote {{ fn }}",
        endnote="Endnote {{ en }}",
        custom={"Case": "{{ cp }}"},
        company="{{ co }}",
        title="{{ t }}",
        sections=2,
    )
    loaded = LoadedTemplate(template)
    assert loaded.variables == {"a", "fn", "en", "cp", "co", "t"}
    value = "x & <y> {{ a }}"
    out = render_template(template, dict.fromkeys(loaded.variables, value), tmp_path / "o.docx")
    text = docx_text(out)
    for label in ("Footnote", "Endnote"):
        assert f"{label} {value}" in text
    # the data's own "{{ a }}" is never run as a tag, even in a two-section document
    assert text.count("{{ a }}") == 6
    with zipfile.ZipFile(out) as z:
        for name in ("docProps/custom.xml", "docProps/app.xml", "docProps/core.xml"):
            xml = z.read(name).decode()
            assert "x &amp; &lt;y&gt;" in xml and "&amp;amp;" not in xml


def test_line_breaks_in_values_are_kept(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ address }}"])
    out = render_template(template, {"address": "1 High Street\nNorthshire"}, tmp_path / "o.docx")
    with zipfile.ZipFile(out) as z:
        assert "<w:br/>" in z.read("word/document.xml").decode()


# ------------------------------------------------------------------------------- dates


def test_dates_render_in_the_english_style(tmp_path):
    template = make_template(
        tmp_path / "d.docx",
        ["{{ due }}", '{{ due|date("%d/%m/%Y") }}', "{{ when }}", "{{ text|date }}", "{{ empty }}"],
    )
    out = render_template(
        template,
        {
            "due": dt.date(2026, 7, 3),
            "when": dt.datetime(2026, 7, 3, 14, 30),
            "text": "03/07/2026",
            "empty": None,
        },
        tmp_path / "o.docx",
    )
    assert body_text(out)[:5] == [
        "3 July 2026",
        "03/07/2026",
        "3 July 2026 14:30",
        "3 July 2026",
        "",
    ]


def test_display_and_date_filter():
    assert display(dt.datetime(2026, 1, 2)) == "2 January 2026"
    assert display(3.0) == 3
    assert date_filter("not a date") == "not a date"
    assert date_filter("") == ""
    assert date_filter(dt.date(2026, 12, 25), "%Y") == "2026"


# ---------------------------------------------------------------------- missing values


def test_all_missing_variables_are_named_together(tmp_path, letter):
    out = tmp_path / "out.docx"
    with pytest.raises(TemplateError) as err:
        render_template(letter, {"contact": "A"}, out)
    message = str(err.value)
    for name in ("ref", "due", "agency"):
        assert f'"{name}"' in message
    assert not out.exists()


def test_missing_variables_in_hidden_parts_are_found(tmp_path):
    template = make_template(
        tmp_path / "t.docx",
        ["Body"],
        footnote="{{ in_footnote }}",
        endnote="{{ in_endnote }}",
        custom={"X": "{{ in_custom }}"},
        title="{{ in_title }}",
    )
    with pytest.raises(TemplateError) as err:
        render_template(template, {}, tmp_path / "o.docx")
    for name in ("in_footnote", "in_endnote", "in_custom", "in_title"):
        assert name in str(err.value)


def test_guarded_variables_may_be_absent_or_blank(tmp_path):
    template = make_template(
        tmp_path / "t.docx",
        [
            "{% if nick is defined %}{{ nick }}{% endif %}",
            "{{ extra|default('none') }}",
            "{% if address %}{{ address }}{% endif %}",
            "{{ name }}",
        ],
    )
    loaded = LoadedTemplate(template)
    assert loaded.missing({"address": "", "name": "A"}, blanks_are_missing=True) == []
    assert loaded.missing({"address": "", "name": ""}, blanks_are_missing=True) == ["name"]
    assert loaded.missing({"name": "A"}) == ["address"]


def test_loop_variables_are_not_data(tmp_path):
    template = make_template(
        tmp_path / "t.docx", ["{%p for a in actions %}", "{{ a.what }}", "{%p endfor %}"]
    )
    assert LoadedTemplate(template).variables == {"actions"}
    out = render_template(template, {"actions": [{"what": "A & B"}]}, tmp_path / "o.docx")
    assert body_text(out)[0] == "A & B"


def test_a_missing_attribute_is_a_template_error(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ a.nope }}"])
    with pytest.raises(TemplateError, match='"nope"'):
        render_template(template, {"a": {"yes": 1}}, tmp_path / "o.docx")
    assert not (tmp_path / "o.docx").exists()


# ----------------------------------------------------------------------------- sandbox


@pytest.mark.parametrize(
    "tag",
    [
        "{{ ''.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ x|attr('__class__') }}",
        "{{ x['__class__'] }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ x.mro() }}",
    ],
)
def test_templates_cannot_reach_python_internals(tmp_path, tag):
    template = make_template(tmp_path / "evil.docx", [tag])
    with pytest.raises(TemplateError, match="Python's internals"):
        render_template(template, {"x": "a"}, tmp_path / "o.docx")
    assert not (tmp_path / "o.docx").exists()


def test_the_sandbox_also_stops_tricks_built_at_run_time(tmp_path):
    template = make_template(
        tmp_path / "evil.docx", ["{% set a = '__cla' ~ 'ss__' %}{{ (x|attr(a)).__name__ }}"]
    )
    with pytest.raises(TemplateError, match="Python's internals"):
        render_template(template, {"x": "a"}, tmp_path / "o.docx")


def test_sandbox_allows_ordinary_methods(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ name.upper() }} {{ items|join(', ') }}"])
    out = render_template(template, {"name": "ab", "items": ["x", "y"]}, tmp_path / "o.docx")
    assert body_text(out)[0] == "AB x, y"


# -------------------------------------------------------------------- broken templates


def test_unclosed_tag_is_named_as_typed(tmp_path):
    template = make_template(tmp_path / "letter.docx", ["Dear {{ contact , thank you."])
    with pytest.raises(TemplateError) as err:
        LoadedTemplate(template)
    assert 'the tag "{{ contact , thank you." in letter.docx is not closed' in str(err.value)


def test_unclosed_tag_split_across_runs(tmp_path):
    from docx import Document

    doc = Document()
    p = doc.add_paragraph()
    p.add_run("Dear {{ con")
    p.add_run("tact ,").bold = True
    doc.save(tmp_path / "letter.docx")
    with pytest.raises(
        TemplateError, match=r'the tag "\{\{ contact ," in letter.docx is not closed'
    ):
        LoadedTemplate(tmp_path / "letter.docx")


def test_unknown_filter(tmp_path):
    template = make_template(tmp_path / "t.docx", ["Due {{ due|nosuch }}"])
    with pytest.raises(TemplateError, match=r'"\{\{ due\|nosuch \}\}" in t.docx uses "nosuch"'):
        LoadedTemplate(template)


def test_block_never_ended(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{% if ok %}yes", "more text"])
    with pytest.raises(TemplateError) as err:
        LoadedTemplate(template)
    assert '"{% if ok %}" in t.docx is never ended' in str(err.value)
    assert "{% endif %}" in str(err.value)


def test_end_without_start(tmp_path):
    template = make_template(tmp_path / "t.docx", ["text {% endfor %}"])
    with pytest.raises(TemplateError, match="never started"):
        LoadedTemplate(template)


def test_unknown_tag(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{% fi x %}"])
    with pytest.raises(TemplateError, match=r'"\{% fi x %\}" in t.docx is not a tag'):
        LoadedTemplate(template)


def test_broken_tag_in_a_header_says_where(tmp_path):
    template = make_template(tmp_path / "t.docx", ["ok"], header="{{ ref")
    with pytest.raises(TemplateError, match=r"in a header"):
        LoadedTemplate(template)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "Word 97-2003"),
        ("fake.docx", b"just text", "not a Word document"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "password"),
        ("broken.docx", b"PK\x03\x04garbage", "damaged"),
    ],
)
def test_bad_template_files(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TemplateError, match=expected):
        LoadedTemplate(path)


def test_missing_template(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        LoadedTemplate(tmp_path / "nope.docx")


# -------------------------------------------------------------------------------- data


def test_load_data_formats(tmp_path):
    (tmp_path / "d.toml").write_text('ref = "A&B"\ndue = 2026-07-03\n', encoding="utf-8")
    (tmp_path / "d.json").write_text('{"ref": "A&B", "due": "2026-07-03"}', encoding="utf-8")
    (tmp_path / "d.yaml").write_text("ref: A&B\ndue: 2026-07-03\n", encoding="utf-8")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Key", "Value"])
    sheet.append(["ref", "A&B"])
    sheet.append(["Due date", dt.datetime(2026, 7, 3)])
    book.save(tmp_path / "d.xlsx")
    for suffix in ("toml", "json", "yaml"):
        data = load_data(tmp_path / f"d.{suffix}").values
        assert data["ref"] == "A&B"
    # A TOML date written without quotes is a date; JSON and YAML text stays text.
    assert load_data(tmp_path / "d.toml").values["due"] == dt.date(2026, 7, 3)
    assert load_data(tmp_path / "d.json").values["due"] == "2026-07-03"
    assert load_data(tmp_path / "d.yaml").values["due"] == "2026-07-03"
    xlsx = load_data(tmp_path / "d.xlsx")
    assert xlsx.values["ref"] == "A&B"
    assert xlsx.values["due_date"] == dt.date(2026, 7, 3)
    assert xlsx.blanks_are_missing


#: The same data in each format: a reference that looks like a date, a due date as ISO
#: text, a day-first date and a month.
TEXT_DATES = {
    "json": '{"ref": "2024-01-15", "due": "2026-02-02", "sent": "02/02/2026", "month": "February 2026"}',
    "yaml": 'ref: 2024-01-15\ndue: 2026-02-02\nsent: "02/02/2026"\nmonth: February 2026\n',
    "toml": 'ref = "2024-01-15"\ndue = "2026-02-02"\nsent = "02/02/2026"\nmonth = "February 2026"\n',
}


@pytest.mark.parametrize("suffix", sorted(TEXT_DATES))
def test_text_that_looks_like_a_date_stays_text(tmp_path, suffix):
    """Issue 14: an ISO-looking string is printed as written, and slicing it works."""
    data = tmp_path / f"d.{suffix}"
    data.write_text(TEXT_DATES[suffix], encoding="utf-8")
    assert load_data(data).values["ref"] == "2024-01-15"
    template = make_template(
        tmp_path / "t.docx",
        [
            "Ref {{ ref }}",
            "Year {{ ref[:4] }}",
            "Due {{ due|date }}",
            "Sent {{ sent|date }}",
            "Month {{ month|date }}",
            'Short {{ due|date("%d/%m/%Y") }}',
            "Raw {{ due }}",
        ],
    )
    out = tmp_path / "o.docx"
    fill_one(template, data=data, output=out)
    assert body_text(out)[:7] == [
        "Ref 2024-01-15",
        "Year 2024",
        "Due 2 February 2026",
        "Sent 2 February 2026",
        "Month February 2026",
        "Short 02/02/2026",
        "Raw 2026-02-02",
    ]


def test_a_toml_date_without_quotes_is_a_date(tmp_path):
    data = tmp_path / "d.toml"
    data.write_text("due = 2026-02-02\n", encoding="utf-8")
    template = make_template(tmp_path / "t.docx", ["{{ due }}", "{{ due|date }}"])
    fill_one(template, data=data, output=tmp_path / "o.docx")
    assert body_text(tmp_path / "o.docx")[:2] == ["2 February 2026", "2 February 2026"]


@pytest.mark.parametrize(
    ("value", "fmt", "printed"),
    [
        ("2026-02-02", None, "2 February 2026"),
        ("02/02/2026", None, "2 February 2026"),
        ("2 Feb 2026", None, "2 February 2026"),
        ("2026-02-02T09:30", None, "2 February 2026"),
        ("February 2026", None, "February 2026"),
        ("2026-02", None, "February 2026"),
        ("02/2026", None, "February 2026"),
        ("February 2026", "%d/%m/%Y", "February 2026"),  # no day is invented
        ("about May 2016", None, "about May 2016"),
        ("approx. 2021", None, "about 2021"),
        ("w/c 3 May 2022", None, "w/c 3 May 2022"),
        ("2026", None, "2026"),
        ("NS-2026-01", None, "NS-2026-01"),
        ("31/02/2026", None, "31/02/2026"),
        (dt.date(2026, 2, 2), None, "2 February 2026"),
        (dt.datetime(2026, 2, 2, 10, 0), "%Y", "2026"),
        (None, None, ""),
    ],
)
def test_the_date_filter_reads_iso_and_day_first_text(value, fmt, printed):
    assert date_filter(value, fmt) == printed


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.toml", 'ref = "open\n', "not valid TOML"),
        ("bad.json", '{"ref": 1,\n "x": }', "line 2, column"),
        ("bad.yaml", "ref: [a\nb: c\n", "not valid YAML"),
        ("list.json", "[1, 2]", "does not hold a table"),
        ("data.txt", "ref = 1", "is not a data file"),
    ],
)
def test_bad_data_files_name_the_file_and_place(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises((DataError, InputError)) as err:
        load_data(path)
    assert expected in str(err.value)
    assert name in str(err.value)


def test_xlsx_data_with_a_duplicate_name(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ref", "a"])
    book.active.append(["ref", "b"])
    book.save(tmp_path / "d.xlsx")
    with pytest.raises(DataError, match="row 2"):
        load_data(tmp_path / "d.xlsx")


def test_rows_headers_as_identifiers_and_as_written(tmp_path):
    path = write_rows(
        tmp_path / "r.xlsx",
        ["Agency name", "Ref", "Due date", "2nd contact"],
        [["Police & Co", "R1", dt.datetime(2026, 7, 3), 12.0], [None, None, None, None]],
    )
    (row,) = load_rows(path)
    assert row.number == 2
    values = row.values
    assert values["agency_name"] == "Police & Co"
    assert values["row"]["Agency name"] == "Police & Co"
    assert values["Ref"] == values["ref"] == "R1"
    assert values["due_date"] == dt.date(2026, 7, 3)
    assert values["n_2nd_contact"] == 12
    assert values["row_number"] == 2


def test_rows_from_csv_read_iso_dates(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("agency,due\nPolice,2026-07-03\nHealth,03/07/2026\n", encoding="utf-8")
    rows = load_rows(path)
    assert rows[0].values["due"] == dt.date(2026, 7, 3)
    assert rows[1].values["due"] == "03/07/2026"


def test_rows_with_clashing_headers(tmp_path):
    path = write_rows(tmp_path / "r.xlsx", ["Agency name", "agency-name"], [["a", "b"]])
    with pytest.raises(DataError, match="both be the variable"):
        load_rows(path)


def test_rows_value_without_heading(tmp_path):
    path = write_rows(tmp_path / "r.xlsx", ["agency", None], [["a", "b"]])
    with pytest.raises(DataError, match="row 2, column B"):
        load_rows(path)


def test_rows_empty(tmp_path):
    path = write_rows(tmp_path / "r.xlsx", ["agency"], [])
    with pytest.raises(DataError, match="no rows"):
        load_rows(path)


@given(st.text(max_size=80))
def test_identifier_is_always_a_valid_name_or_empty(text):
    name = identifier(text)
    assert name == "" or name.isidentifier()


# ------------------------------------------------------------------------- safe names


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Police request.docx", "Police request.docx"),
        ('A<b>:c"d/e\\f|g?h*.docx', "A-b--c-d-e-f-g-h-.docx"),
        ("CON.docx", "CON_.docx"),
        ("con.report.docx", "con_.report.docx"),
        ("LPT1", "LPT1_.docx"),
        ("name. . .docx", "name.docx"),
        ("trailing dots...", "trailing dots.docx"),
        ("tab\there.docx", "tab-here.docx"),
        (".docx", "document.docx"),
    ],
)
def test_safe_file_names(raw, safe):
    assert safe_file_name(raw) == safe


@given(st.text(min_size=0, max_size=300))
def test_safe_file_name_is_always_safe(text):
    name = safe_file_name(text)
    assert name.endswith(".docx")
    assert len(name) <= 120
    assert not any(c in name for c in '<>:"/\\|?*')
    assert not any(ord(c) < 32 for c in name)
    stem = name[: -len(".docx")]
    assert stem and not stem.endswith((".", " "))
    assert stem.split(".")[0].rstrip(" ").upper() not in RESERVED_NAMES


# ------------------------------------------------------------------------------ batches


@pytest.fixture
def batch(tmp_path, letter):
    rows = write_rows(
        tmp_path / "rows.xlsx",
        ["contact", "ref", "due", "agency"],
        [
            [f"Officer {i}", f"R{i}", dt.datetime(2026, 7, i + 1), f"Agency {i} & Co"]
            for i in range(6)
        ],
    )
    return letter, rows


def test_batch_writes_one_document_per_row(tmp_path, batch):
    letter, rows = batch
    result = fill_rows(letter, rows=rows, output_dir=tmp_path / "out", name="{agency} letter.docx")
    assert result.count == 6
    assert to_jsonable(result)["count"] == 6
    first = tmp_path / "out" / "Agency 0 & Co letter.docx"
    assert first in result.outputs
    assert body_text(first)[0] == "Dear Officer 0,"
    assert body_text(first)[1] == "Your reference is R0, due 1 July 2026."
    assert not list((tmp_path / "out").glob(".~scrtool-*"))


def test_default_names_use_the_row_number(tmp_path, batch):
    letter, rows = batch
    result = fill_rows(letter, rows=rows, output_dir=tmp_path / "out")
    assert [p.name for p in result.outputs][:2] == ["letter 2.docx", "letter 3.docx"]


def test_jobs_2_gives_the_same_documents_as_jobs_1(tmp_path, batch):
    letter, rows = batch
    one = fill_rows(letter, rows=rows, output_dir=tmp_path / "one", name="{ref}.docx", jobs=1)
    two = fill_rows(letter, rows=rows, output_dir=tmp_path / "two", name="{ref}.docx", jobs=2)
    assert [p.name for p in one.outputs] == [p.name for p in two.outputs]
    for a, b in zip(one.outputs, two.outputs, strict=True):
        assert docx_text(a) == docx_text(b)


def test_batch_missing_variables_are_named_by_row(tmp_path, letter):
    rows = write_rows(
        tmp_path / "rows.xlsx",
        ["contact", "ref", "due"],
        [["A", "R1", "x"], ["B", None, "y"], ["C", "R3", "z"]],
    )
    with pytest.raises(TemplateError) as err:
        fill_rows(letter, rows=rows, output_dir=tmp_path / "out", name="{contact}.docx")
    message = str(err.value)
    assert 'row 2: "agency"' in message
    assert 'row 3: "agency", "ref"' in message
    assert 'row 4: "agency"' in message
    assert not (tmp_path / "out").exists()


def test_duplicate_names_stop_the_batch_before_anything_is_written(tmp_path, letter):
    rows = write_rows(
        tmp_path / "rows.xlsx",
        ["contact", "ref", "due", "agency"],
        [["A", "1", "d", "Police"], ["B", "2", "d", "Health"], ["C", "3", "d", "POLICE"]],
    )
    with pytest.raises(DataError) as err:
        fill_rows(letter, rows=rows, output_dir=tmp_path / "out", name="{agency}.docx")
    assert "rows 2 and 4" in str(err.value)
    assert not (tmp_path / "out").exists()


def test_unsafe_names_from_data_are_made_safe(tmp_path, letter):
    rows = write_rows(
        tmp_path / "rows.xlsx",
        ["contact", "ref", "due", "agency"],
        [["A", "1", "d", "CON"], ["B", "2", "d", "Health/Care: Team?"]],
    )
    result = fill_rows(letter, rows=rows, output_dir=tmp_path / "out", name="{agency}")
    assert [p.name for p in result.outputs] == ["CON_.docx", "Health-Care- Team-.docx"]


def test_name_pattern_with_a_missing_column(tmp_path, batch):
    letter, rows = batch
    with pytest.raises(DataError, match='"team"'):
        fill_rows(letter, rows=rows, output_dir=tmp_path / "out", name="{team}.docx")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_row_writes_nothing(tmp_path, jobs):
    template = make_template(tmp_path / "t.docx", ["{{ 10 // n }}"])
    rows = write_rows(tmp_path / "rows.xlsx", ["n"], [[1], [2], [0], [5]])
    out = tmp_path / "out"
    out.mkdir()
    (out / "n 2.docx").write_bytes(b"old")
    with pytest.raises(TemplateError, match="row 4"):
        fill_rows(template, rows=rows, output_dir=out, jobs=jobs)
    assert sorted(p.name for p in out.iterdir()) == ["n 2.docx"]
    assert (out / "n 2.docx").read_bytes() == b"old"


def test_ctrl_c_stops_the_workers_at_once(tmp_path):
    """Ctrl-C in a --jobs 2 batch stops the worker processes rather than waiting for them
    to fill every queued document, and leaves no temporary file behind."""
    from scrtool.drafting.fill import LoadedTemplate, _Job, _render_all

    template = make_template(tmp_path / "t.docx", ["{{ n }} " + "words " * 50] * 300)
    work = [_Job(row=n, values={"n": n}, temp=str(tmp_path / f"{n}.docx")) for n in range(400)]

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _render_all(LoadedTemplate(template), work, jobs=2, progress=interrupt)
    rendered = [job for job in work if Path(job.temp).exists()]
    assert len(rendered) < len(work)


def test_a_locked_output_stops_the_batch(tmp_path, batch):
    letter, rows = batch
    out = tmp_path / "out"
    out.mkdir()
    (out / "R3.docx").write_bytes(b"old")
    (out / "~$R3.docx").write_bytes(b"lock")
    with pytest.raises(OutputLockedError, match="close it and try again"):
        fill_rows(letter, rows=rows, output_dir=out, name="{ref}.docx")
    assert sorted(p.name for p in out.iterdir()) == ["R3.docx", "~$R3.docx"]


def test_fill_one_from_toml(tmp_path, letter):
    data = tmp_path / "d.toml"
    data.write_text(
        'contact = "A"\nref = "R"\ndue = 2026-07-03\nagency = "P & Q"\n', encoding="utf-8"
    )
    result = fill_one(letter, data=data, output=tmp_path / "o.docx")
    assert json.loads(json.dumps(to_jsonable(result))) == {
        "outputs": [str(tmp_path / "o.docx")],
        "count": 1,
    }
    assert body_text(tmp_path / "o.docx")[1] == "Your reference is R, due 3 July 2026."


def test_fill_one_blank_xlsx_value_is_missing(tmp_path, letter):
    from openpyxl import Workbook

    book = Workbook()
    for key, value in (("contact", "A"), ("ref", None), ("due", "x"), ("agency", "y")):
        book.active.append([key, value])
    book.save(tmp_path / "d.xlsx")
    with pytest.raises(TemplateError, match='"ref", which d.xlsx does not give'):
        fill_one(letter, data=tmp_path / "d.xlsx", output=tmp_path / "o.docx")


def test_render_template_keeps_the_old_output_on_failure(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ 1 // n }}"])
    out = tmp_path / "o.docx"
    out.write_bytes(b"old")
    with pytest.raises(TemplateError):
        render_template(template, {"n": 0}, out)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.docx", "t.docx"]


# ------------------------------------------------------- the default templates, filled


EXPECTED = {
    "agency-request.docx": ["Detective Sergeant Priya Calloway", "1 April 2024", "2 March 2026"],
    "screening-decision.docx": ["A review is required", "28 January 2026"],
    "overview-report.docx": ["Why the review was held", "Morgan Ellery", "Northshire Police"],
    "partnership-response.docx": ["Train staff & managers", "More referrals <on time>"],
    "panel-letter.docx": ["14 September 2026", "3 September 2026", "The overview report"],
}


@pytest.fixture(scope="module")
def filled_defaults(tmp_path_factory, request) -> dict[str, Path]:
    repo = Path(request.config.rootpath)
    tmp = tmp_path_factory.mktemp("defaults")
    contexts = sample_contexts(repo, tmp)
    out = {}
    for name in DEFAULTS:
        out[name] = render_template(
            repo / "templates" / name, contexts[name], tmp / "filled" / name
        )
    return out


@pytest.mark.parametrize("name", DEFAULTS)
def test_default_templates_fill_from_the_samples(filled_defaults, name):
    text = "\n".join(body_text(filled_defaults[name]))
    for phrase in EXPECTED[name]:
        assert phrase in text or phrase in docx_text(filled_defaults[name]), phrase
    assert "{{" not in docx_text(filled_defaults[name])
    assert "{%" not in docx_text(filled_defaults[name])


def test_screening_template_uses_exactly_the_agreed_variables(repo):
    assert LoadedTemplate(repo / "templates" / "screening-decision.docx").variables == {
        "ref", "partnership", "child", "review_type_name", "is_lcspr", "abuse_or_neglect",
        "outcome", "agency_concerns", "custody", "decision_text", "decision_lines", "grounds",
        "matters", "related", "decided_by", "decided_by_role", "decided_on",
    }  # fmt: skip


def test_default_templates_use_real_word_styles(repo):
    from docx import Document

    for name in DEFAULTS:
        styles = {p.style.name for p in Document(str(repo / "templates" / name)).paragraphs}
        assert "Heading 1" in styles or "Title" in styles, name


def test_build_templates_is_reproducible(repo, tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_templates", repo / "templates" / "build_templates.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.build(tmp_path)
    assert {p.name for p in made} == set(DEFAULTS)
    for path in made:
        assert path.read_bytes() == (repo / "templates" / path.name).read_bytes(), (
            f"templates/{path.name} is out of date: run python3 templates/build_templates.py"
        )


@pytest.fixture(scope="module")
def default_pdfs(filled_defaults, tmp_path_factory) -> dict[str, Path]:
    from conftest import convert_with_soffice

    outdir = tmp_path_factory.mktemp("pdf")
    return {
        name: convert_with_soffice(path, "pdf", outdir) for name, path in filled_defaults.items()
    }


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", DEFAULTS)
def test_default_templates_open_in_libreoffice(default_pdfs, name):
    import subprocess

    text = subprocess.run(
        ["pdftotext", str(default_pdfs[name]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert EXPECTED[name][0].split()[0] in text


def part_texts(path: Path) -> dict[str, list[str]]:
    import re

    with zipfile.ZipFile(path) as z:
        return {
            n: re.sub(r"<[^>]+>", " ", z.read(n).decode()).split()
            for n in z.namelist()
            if n.startswith(("word/", "docProps/")) and n.endswith(".xml")
        }


def test_direct_writing_matches_docxtpl(tmp_path):
    """The fast path (only the parts with tags rewritten) gives docxtpl's own document."""
    from docx import Document

    template = make_template(
        tmp_path / "t.docx",
        [
            "Dear {{ name }},",
            "{%p if show %}",
            "Shown {{ name }}",
            "{%p endif %}",
            "{%p for a in items %}",
            "Item {{ a.what }}",
            "{%p endfor %}",
            "{{ address }}",
        ],
        table=[
            ["{%tr for a in items %}", ""],
            ["{{ a.what }}", "{{ a.when }}"],
            ["{%tr endfor %}", ""],
        ],
        header="H {{ name }}",
        footer="F {{ name }}",
        title="T {{ name }}",
        footnote="N {{ name }}",
        custom={"Case": "{{ name }}"},
        sections=2,
    )
    context = {
        "name": "A & <B>",
        "show": True,
        "items": [{"what": "x & y", "when": dt.date(2026, 7, 3)}, {"what": "z", "when": None}],
        "address": "1 Street\nTown",
    }
    loaded = LoadedTemplate(template)
    loaded.render(context, tmp_path / "fast.docx")
    loaded.docxtpl_render(context).save(str(tmp_path / "slow.docx"))
    assert part_texts(tmp_path / "fast.docx") == part_texts(tmp_path / "slow.docx")
    a, b = Document(str(tmp_path / "fast.docx")), Document(str(tmp_path / "slow.docx"))
    assert [p.text for p in a.paragraphs] == [p.text for p in b.paragraphs]
    assert [[c.text for c in r.cells] for r in a.tables[0].rows] == [
        [c.text for c in r.cells] for r in b.tables[0].rows
    ]
    assert a.core_properties.title == b.core_properties.title == "T A & <B>"
    with zipfile.ZipFile(tmp_path / "fast.docx") as z:
        assert len(z.namelist()) == len(set(z.namelist()))
        assert z.testzip() is None


# ------------------------------------------------------------- found in the QA round


def test_windows_line_ends_become_line_breaks_without_a_stray_mark(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ address }}"])
    out = render_template(
        template, {"address": "1 High St\r\nNorthshire\rNN1"}, tmp_path / "o.docx"
    )
    with zipfile.ZipFile(out) as z:
        xml = z.read("word/document.xml").decode()
    assert xml.count("<w:br/>") == 2 and "\r" not in xml and "High St\n" not in xml


def test_times_print_as_hours_and_minutes():
    assert display(dt.time(9, 30)) == "09:30"
    assert display(dt.time(9, 30, 15)) == "09:30:15"


def test_long_names_fit_in_255_bytes():
    for text in ("東" * 130, "😀" * 70, "é" * 200):
        name = safe_file_name(text)
        assert len(name.encode("utf-8")) <= 240 and name.endswith(".docx")


@pytest.mark.parametrize(
    "tag", ["{{ 'a' * 1000000000 }}", "{{ [1] * 10**9 }}", "{{ 2 ** 100000000 }}"]
)
def test_a_tag_cannot_make_a_huge_value(tmp_path, tag):
    template = make_template(tmp_path / "t.docx", [tag])
    with pytest.raises(TemplateError, match="too big"):
        render_template(template, {}, tmp_path / "o.docx")
    assert not (tmp_path / "o.docx").exists()


def test_ordinary_arithmetic_still_works(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ 2 ** 10 }} {{ 'ab' * 2 }} {{ 3 * 4 }}"])
    out = render_template(template, {}, tmp_path / "o.docx")
    assert body_text(out) == ["1024 abab 12"]


def _as_word_template(docx: Path, target: Path) -> Path:
    """What Word's Save As Word Template (.dotx) changes: the main part's content type."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
                )
            dst.writestr(info, data)
    return target


@pytest.mark.parametrize("suffix", [".dotx", ".docx"])
def test_a_word_template_dotx_is_filled_into_a_document(tmp_path, letter, suffix):
    from docx import Document

    dotx = _as_word_template(letter, tmp_path / f"letterhead{suffix}")
    data = tmp_path / "d.toml"
    data.write_text('contact = "A"\nref = "R & 1"\ndue = 2026-07-03\nagency = "P"\n')
    out = fill_one(dotx, data=data, output=tmp_path / "o.docx").outputs[0]
    with zipfile.ZipFile(out) as z:
        assert b"document.main+xml" in z.read("[Content_Types].xml")
    assert Document(str(out)).paragraphs[0].text == "Dear A,"


def test_macro_templates_are_refused(tmp_path, letter):
    dotm = tmp_path / "macros.dotm"
    dotm.write_bytes(letter.read_bytes())
    with pytest.raises(TemplateError, match="macros"):
        LoadedTemplate(dotm)


def test_the_output_cannot_be_the_template_or_the_data(tmp_path, letter):
    from scrtool.errors import OutputError

    before = letter.read_bytes()
    data = tmp_path / "d.toml"
    data.write_text('contact = "A"\nref = "R"\ndue = "x"\nagency = "P"\n')
    with pytest.raises(OutputError, match="template itself"):
        fill_one(letter, data=data, output=tmp_path / "." / "letter.docx")
    rows = write_rows(tmp_path / "rows.xlsx", ["contact", "ref", "due", "agency"],
                      [["A", "R", "x", "letter"], ["B", "S", "y", "other"]])  # fmt: skip
    with pytest.raises(OutputError, match="template itself"):
        fill_rows(letter, rows=rows, output_dir=tmp_path, name="{agency}.docx")
    assert letter.read_bytes() == before
    assert not (tmp_path / "other.docx").exists()


def test_many_rows_missing_a_column_give_a_short_message(tmp_path, letter):
    rows = write_rows(
        tmp_path / "rows.xlsx", ["contact", "ref", "due"], [["A", f"R{i}", "x"] for i in range(300)]
    )
    with pytest.raises(TemplateError) as err:
        fill_rows(letter, rows=rows, output_dir=tmp_path / "out")
    message = str(err.value)
    assert 'row 2: "agency"' in message and "row 21:" in message and "row 22:" not in message
    assert "and 280 more rows" in message
    assert 'add the column "agency" to rows.xlsx' in message


def test_unclosed_tag_is_not_run_into_the_next_paragraph(tmp_path):
    template = make_template(tmp_path / "t.docx", ["Dear {{ contact ,", "Your ref {{ ref }}."])
    with pytest.raises(TemplateError) as err:
        LoadedTemplate(template)
    assert 'the tag "{{ contact ," in t.docx is not closed' in str(err.value)


def test_paragraph_tags_are_named_as_typed(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{%p if urgent %}", "Please reply soon."])
    with pytest.raises(TemplateError) as err:
        LoadedTemplate(template)
    assert '"{%p if urgent %}"' in str(err.value) and '"{%p endif %}"' in str(err.value)


def test_a_missing_attribute_names_its_tag(tmp_path):
    template = make_template(
        tmp_path / "t.docx", ["{%p for a in actions %}", "{{ a.nme }}", "{%p endfor %}"]
    )
    with pytest.raises(TemplateError) as err:
        render_template(template, {"actions": [{"name": "x"}]}, tmp_path / "o.docx")
    assert 'the tag "{{ a.nme }}" in t.docx' in str(err.value) and '"nme"' in str(err.value)


def _libreoffice_template(folder: Path) -> Path:
    """An .odt made with odfpy and saved as .docx by LibreOffice: its own run splitting,
    a tag split across runs in two formats, a footnote, a text box, a header and footer,
    {%tr for %} rows and a {%p if %}."""
    from conftest import convert_with_soffice
    from odf import style as ostyle
    from odf.draw import Frame, TextBox
    from odf.opendocument import OpenDocumentText
    from odf.style import GraphicProperties, MasterPage, PageLayout, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import Note, NoteBody, NoteCitation, P, Span

    doc = OpenDocumentText()
    bold = Style(name="B", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    red = Style(name="I", family="text")
    red.addElement(TextProperties(fontstyle="italic", color="#ff0000"))
    frame_style = Style(name="fr1", family="graphic")
    frame_style.addElement(GraphicProperties(wrap="none"))
    for s in (bold, red, frame_style):
        doc.automaticstyles.addElement(s)
    layout = PageLayout(name="pm1")
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header, footer = ostyle.Header(), ostyle.Footer()
    header.addElement(P(text="Header {{ ref }}"))
    footer.addElement(P(text="Footer {{ agency }}"))
    master.addElement(header)
    master.addElement(footer)
    doc.masterstyles.addElement(master)
    p = P(text="Dear ")
    p.addElement(Span(stylename=bold, text="{{ chi"))
    p.addElement(Span(stylename=red, text="ld_na"))
    p.addText("me }},")
    doc.text.addElement(p)
    p = P(text="See the note")
    note = Note(id="ftn1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Note: {{ footnote }}"))
    note.addElement(body)
    p.addElement(note)
    doc.text.addElement(p)
    for text in ("{%p if urgent %}", "Please reply soon.", "{%p endif %}"):
        doc.text.addElement(P(text=text))
    table = Table(name="T1")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for cells in (("Action", "Due"), ("{%tr for a in actions %}", ""),
                  ("{{ a.action }}", "{{ a.due|date }}"), ("{%tr endfor %}", "")):  # fmt: skip
        row = TableRow()
        for text in cells:
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    doc.text.addElement(table)
    p = P()
    frame = Frame(stylename=frame_style, width="6cm", height="2cm", anchortype="paragraph")
    box = TextBox()
    box.addElement(P(text="Box {{ boxed }}"))
    frame.addElement(box)
    p.addElement(frame)
    doc.text.addElement(p)
    doc.save(str(folder / "lo-letter.odt"))
    return convert_with_soffice(folder / "lo-letter.odt", "docx:MS Word 2007 XML", folder)


def paragraph_texts(path: Path) -> dict[str, list[str]]:
    """Each part's paragraphs as Word shows them (the text of their runs, unescaped)."""
    import html
    import re

    with zipfile.ZipFile(path) as z:
        return {
            n: [
                html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)))
                for p in re.findall(r"<w:p[ >].*?</w:p>", z.read(n).decode(), re.S)
            ]
            for n in z.namelist()
            if n.startswith("word/") and n.endswith(".xml")
        }


@pytest.fixture(scope="module")
def libreoffice_template(tmp_path_factory) -> Path:
    return _libreoffice_template(tmp_path_factory.mktemp("lo"))


@pytest.mark.libreoffice
def test_a_template_saved_by_libreoffice_fills_everywhere(tmp_path, libreoffice_template):
    from docx import Document

    loaded = LoadedTemplate(libreoffice_template)
    assert loaded.variables >= {"child_name", "footnote", "urgent", "actions", "boxed", "ref"}
    data = tmp_path / "d.yaml"
    data.write_text(
        'ref: "R & <1>"\nagency: "Police & Crime"\nchild_name: "Child <A>"\n'
        'footnote: "a & b"\nurgent: false\nboxed: "x > y"\n'
        "actions:\n  - {action: 'Train & check', due: 2026-07-03}\n"
        "  - {action: 'Audit 😀', due: 2027-01-15}\n",
        encoding="utf-8",
    )
    out = fill_one(libreoffice_template, data=data, output=tmp_path / "o.docx").outputs[0]
    parts = paragraph_texts(out)
    body = "\n".join(parts["word/document.xml"])
    assert "Dear Child <A>," in body
    assert "Please reply soon." not in body and "{%" not in body
    assert "Train & check" in body and "3 July 2026" in body and "15 January 2027" in body
    assert "Box x > y" in body
    assert any("Note: a & b" in t for t in parts["word/footnotes.xml"])
    doc = Document(str(out))
    assert doc.sections[0].header.paragraphs[0].text == "Header R & <1>"
    assert doc.sections[0].footer.paragraphs[0].text == "Footer Police & Crime"
    from conftest import convert_with_soffice

    pdf = convert_with_soffice(out, "pdf", tmp_path)
    assert pdf.stat().st_size > 0


@pytest.mark.libreoffice
def test_missing_variable_only_in_the_footnote_of_a_libreoffice_template(
    tmp_path, libreoffice_template
):
    data = tmp_path / "d.toml"
    data.write_text(
        'ref = "R"\nagency = "A"\nchild_name = "C"\nurgent = true\nboxed = "b"\nactions = []\n'
    )
    with pytest.raises(TemplateError, match='"footnote"'):
        fill_one(libreoffice_template, data=data, output=tmp_path / "o.docx")
    assert not (tmp_path / "o.docx").exists()


@pytest.mark.parametrize(
    ("encoding", "prefix"), [("utf-16", b""), ("cp1252", b""), ("utf-8", b"\xef\xbb\xbf")]
)
def test_data_files_saved_by_notepad_are_read(tmp_path, encoding, prefix):
    """Notepad saves "Unicode" (UTF-16), "ANSI" (Windows-1252) and UTF-8 with a BOM."""
    path = tmp_path / "d.toml"
    path.write_bytes(prefix + 'agency = "Café £"\n'.encode(encoding))
    assert load_data(path).values == {"agency": "Café £"}


def test_a_number_as_a_heading_is_named_as_excel_shows_it(tmp_path):
    rows = write_rows(tmp_path / "r.xlsx", ["agency", 2024], [["Police", 7]])
    row = load_rows(rows)[0]
    assert row.original == {"agency": "Police", "2024": 7}
    assert row.values["n_2024"] == 7


def test_fill_one_refuses_an_output_that_is_not_docx(tmp_path, letter):
    data = tmp_path / "d.toml"
    data.write_text('contact = "A"\nref = "R"\ndue = 2026-07-03\nagency = "P"\n', encoding="utf-8")
    with pytest.raises(OutputError, match=r"o\.txt: is not a \.docx file name"):
        fill_one(letter, data=data, output=tmp_path / "o.txt")
    assert not (tmp_path / "o.txt").exists()


# ------------------------------------------------------ names, data and tags: edge cases


def test_name_pattern_by_heading_as_written_and_a_blank_cell(tmp_path, letter):
    rows = write_rows(
        tmp_path / "r.xlsx",
        ["Agency name", "contact", "ref", "due", "agency"],
        [["Police & Co", "A", "R1", "x", "P"], [None, "B", "R2", "y", "Q"]],
    )
    with pytest.raises(DataError) as err:
        fill_rows(letter, rows=rows, output_dir=tmp_path / "out", name="{Agency name}.docx")
    assert 'uses values that r.xlsx does not give (row 3: "Agency name")' in str(err.value)
    assert not (tmp_path / "out" / "Police & Co.docx").exists()
    full = write_rows(
        tmp_path / "full.xlsx",
        ["Agency name", "contact", "ref", "due", "agency"],
        [["Police & Co", "A", "R1", "x", "P"], ["Health", "B", "R2", "y", "Q"]],
    )
    result = fill_rows(
        letter, rows=full, output_dir=tmp_path / "ok", name="{agency_name} {row_number}.docx"
    )
    assert [p.name for p in result.outputs] == ["Police & Co 2.docx", "Health 3.docx"]


def test_a_value_without_a_name_in_key_value_data(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ref", "R1"])
    book.active.append([None, "stray"])
    book.save(tmp_path / "d.xlsx")
    with pytest.raises(DataError, match="no name in column A") as err:
        load_data(tmp_path / "d.xlsx")
    assert err.value.place == 'sheet "Sheet" row 2'


@pytest.mark.parametrize("make", ["missing", "folder"])
def test_data_that_is_not_a_file(tmp_path, make):
    path = tmp_path / "d.json"
    if make == "folder":
        path.mkdir()
    with pytest.raises(InputError) as err:
        load_data(path)
    assert ("does not exist" if make == "missing" else "is a folder") in str(err.value)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["{%p if a %}", "x", "{%p endfor %}"], 'the tag "{%p endfor %}"'),
        (["{% for a in b %}{% endif %}"], 'the tag "{% endif %}"'),
        (["{{ x | nosuch }}"], '"nosuch", which is not a filter'),
        (["{{ x + }}"], 'the tag "{{ x + }}"'),
    ],
)
def test_broken_blocks_are_named_as_typed(tmp_path, lines, expected):
    template = make_template(tmp_path / "t.docx", lines)
    with pytest.raises(TemplateError) as err:
        LoadedTemplate(template)
    assert expected in str(err.value)
    assert "t.docx" in str(err.value)


def test_an_error_inside_a_tag_is_named_with_its_row(tmp_path):
    template = make_template(tmp_path / "t.docx", ["{{ ref[:4] }}"])
    rows = write_rows(tmp_path / "r.xlsx", ["ref"], [["ABCDE"], [5]])  # 5 is a number
    with pytest.raises(TemplateError, match=r"could not be filled for row 3 \(TypeError"):
        fill_rows(template, rows=rows, output_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
