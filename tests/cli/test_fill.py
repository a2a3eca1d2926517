"""``scrtool fill`` on the command line: exit codes, messages on stderr, the JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx_helpers import body_text, make_template
from json_helpers import only_error_document


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    return make_template(tmp_path / "letter.docx", ["Dear {{ contact }} of {{ agency }}."])


@pytest.fixture
def rows(tmp_path: Path) -> Path:
    path = tmp_path / "agencies.csv"
    path.write_text(
        "agency,contact\nPolice,Sergeant A & B\nHealth,Nurse <C>\nSchool,Head D\n",
        encoding="utf-8",
    )
    return path


def assert_clean_error(result, *phrases: str) -> None:
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert only_error_document(result)
    for phrase in phrases:
        assert phrase in result.stderr


def test_fill_one_json(invoke, tmp_path, letter):
    data = tmp_path / "data.json"
    data.write_text('{"contact": "A & B", "agency": "Police"}', encoding="utf-8")
    out = tmp_path / "out.docx"
    result = invoke("fill", letter, "--data", data, "--output", out, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"outputs": [str(out)], "count": 1}
    assert body_text(out)[0] == "Dear A & B of Police."


def test_fill_one_text(invoke, tmp_path, letter):
    data = tmp_path / "data.yaml"
    data.write_text("contact: A\nagency: B\n", encoding="utf-8")
    result = invoke("fill", letter, "--data", data, "--output", tmp_path / "o.docx")
    assert result.exit_code == 0
    assert "Filled 1 document" in result.stdout


def test_fill_rows_json(invoke, tmp_path, letter, rows):
    out = tmp_path / "letters"
    result = invoke(
        "fill", letter, "--rows", rows, "--output-dir", out, "--name", "{agency} request.docx",
        "--jobs", "2", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["count"] == 3
    assert [Path(p).name for p in doc["outputs"]] == [
        "Police request.docx",
        "Health request.docx",
        "School request.docx",
    ]
    assert body_text(out / "Health request.docx")[0] == "Dear Nurse <C> of Health."


def test_missing_variable_is_exit_2_naming_it(invoke, tmp_path, letter):
    data = tmp_path / "data.toml"
    data.write_text('contact = "A"\n', encoding="utf-8")
    out = tmp_path / "o.docx"
    result = invoke("fill", letter, "--data", data, "--output", out)
    assert_clean_error(result, '"agency"', "data.toml")
    assert not out.exists()


def test_missing_variables_by_row(invoke, tmp_path, letter):
    rows = tmp_path / "r.csv"
    rows.write_text("agency,contact\nPolice,\nHealth,B\n,\n,C\n", encoding="utf-8")
    result = invoke("fill", letter, "--rows", rows, "--output-dir", tmp_path / "out")
    assert_clean_error(result, 'row 2: "contact"', 'row 5: "agency"')
    assert "row 3" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_sandbox_is_exit_2(invoke, tmp_path):
    evil = make_template(tmp_path / "evil.docx", ["{{ cycler.__init__ }}"])
    data = tmp_path / "d.json"
    data.write_text("{}", encoding="utf-8")
    result = invoke("fill", evil, "--data", data, "--output", tmp_path / "o.docx")
    assert_clean_error(result, "evil.docx", "Python's internals")


def test_broken_template_is_exit_2(invoke, tmp_path):
    broken = make_template(tmp_path / "letter.docx", ["Dear {{ contact ,"])
    data = tmp_path / "d.json"
    data.write_text('{"contact": "A"}', encoding="utf-8")
    result = invoke("fill", broken, "--data", data, "--output", tmp_path / "o.docx")
    assert_clean_error(result, 'the tag "{{ contact ," in letter.docx is not closed')


def test_bad_data_file_is_exit_2(invoke, tmp_path, letter):
    data = tmp_path / "d.json"
    data.write_text('{"contact": "A",}', encoding="utf-8")
    result = invoke("fill", letter, "--data", data, "--output", tmp_path / "o.docx")
    assert_clean_error(result, "d.json", "line 1, column")


def test_duplicate_names_are_exit_2(invoke, tmp_path, letter):
    rows = tmp_path / "r.csv"
    rows.write_text("agency,contact\nPolice,A\npolice,B\n", encoding="utf-8")
    result = invoke(
        "fill", letter, "--rows", rows, "--output-dir", tmp_path / "out", "--name", "{agency}.docx"
    )
    assert_clean_error(result, "rows 2 and 3")
    assert not (tmp_path / "out").exists()


def test_locked_output_is_exit_2(invoke, tmp_path, letter):
    data = tmp_path / "d.json"
    data.write_text('{"contact": "A", "agency": "B"}', encoding="utf-8")
    out = tmp_path / "letter out.docx"
    out.write_bytes(b"old")
    (tmp_path / "~$tter out.docx").write_bytes(b"lock")
    result = invoke("fill", letter, "--data", data, "--output", out)
    assert_clean_error(result, "close it and try again")
    assert out.read_bytes() == b"old"


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--data", "d.json", "--rows", "r.csv", "--output", "o.docx"],
        ["--data", "d.json"],
        ["--rows", "r.csv"],
        ["--data", "d.json", "--output", "o.docx", "--name", "x"],
        ["--rows", "r.csv", "--output-dir", "out", "--jobs", "0"],
    ],
)
def test_bad_option_combinations_are_exit_2(invoke, tmp_path, letter, args):
    (tmp_path / "d.json").write_text("{}", encoding="utf-8")
    (tmp_path / "r.csv").write_text("a\n1\n", encoding="utf-8")
    full = [str(tmp_path / a) if a.endswith((".json", ".csv")) else a for a in args]
    result = invoke("fill", letter, *full)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_missing_template_is_exit_2(invoke, tmp_path):
    (tmp_path / "d.json").write_text("{}", encoding="utf-8")
    result = invoke(
        "fill", tmp_path / "nope.docx", "--data", tmp_path / "d.json", "--output", tmp_path / "o"
    )
    assert_clean_error(result, "nope.docx", "does not exist")


@pytest.mark.libreoffice
def test_batch_output_opens_in_libreoffice(invoke, tmp_path, letter, rows):
    from conftest import convert_with_soffice

    out = tmp_path / "letters"
    result = invoke("fill", letter, "--rows", rows, "--output-dir", out, "--name", "{agency}")
    assert result.exit_code == 0
    pdf = convert_with_soffice(out / "Health.docx", "pdf", tmp_path)
    assert pdf.stat().st_size > 0


class _TtyText:
    def __init__(self) -> None:
        import io

        self.buffer = io.StringIO()

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("no_color", ["1", ""])
def test_progress_on_a_terminal_has_no_escape_codes_under_no_color(monkeypatch, no_color):
    from scrtool.cli import fill

    tty = _TtyText()
    monkeypatch.setattr(fill.sys, "stderr", tty)
    monkeypatch.setenv("NO_COLOR", no_color)
    bar = fill._Progress()
    for _ in range(3):
        bar.advance(1, 3)
    bar.close()
    shown = tty.buffer.getvalue()
    assert "100%" in shown or "3 of 3" in shown
    if no_color:
        assert "\x1b" not in shown


@pytest.mark.parametrize(
    ("suffix", "content"),
    [
        ("json", '{"ref": "2024-01-15", "due": "02/02/2026", "month": "2026-02"}'),
        ("yaml", 'ref: 2024-01-15\ndue: "02/02/2026"\nmonth: 2026-02\n'),
        ("toml", 'ref = "2024-01-15"\ndue = "02/02/2026"\nmonth = "2026-02"\n'),
    ],
)
def test_fill_keeps_text_as_text_and_dates_come_from_the_filter(invoke, tmp_path, suffix, content):
    """Issue 14: a reference that looks like a date is printed as written."""
    template = make_template(
        tmp_path / "t.docx",
        ["Ref {{ ref }} ({{ ref[:4] }})", "Due {{ due|date }}", "Month {{ month|date }}"],
    )
    data = tmp_path / f"data.{suffix}"
    data.write_text(content, encoding="utf-8")
    out = tmp_path / "out.docx"
    result = invoke("fill", template, "--data", data, "--output", out)
    assert result.exit_code == 0, result.stderr
    assert body_text(out)[:3] == [
        "Ref 2024-01-15 (2024)",
        "Due 2 February 2026",
        "Month February 2026",
    ]
