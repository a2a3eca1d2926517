"""``scrtool collate`` on the command line: exit codes, stderr sentences, the --json shape."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from json_helpers import only_error_document

COLLATE_DATA = Path(__file__).resolve().parents[1] / "data" / "collate"
JSON_KEYS = [
    "inputs",
    "rows_read",
    "rows_merged",
    "rows_needing_attention",
    "possible_duplicates",
    "output",
    "agencies_without_return",
    "returns_without_agency",
    "skipped",
]


def make_xlsx(path: Path, rows) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Chronology"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def returns(tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    make_xlsx(folder / "Police.xlsx", [["Date", "Details"], [dt.date(2024, 5, 1), "Incident"]])
    make_xlsx(folder / "GP.xlsx", [["Date seen", "Description"], ["TBC", "Seen"]])
    return folder


def assert_one_sentence(result, *words):
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert only_error_document(result)
    for word in words:
        assert word in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_collate_writes_the_workbook_and_says_what_it_did(invoke, returns, tmp_path):
    out = tmp_path / "chronology.xlsx"
    result = invoke("collate", returns, "--output", out)
    assert result.exit_code == 0, result.stderr
    assert out.exists()
    assert (
        "Collated 2 returns: 2 rows read, 1 in the chronology, 1 needing attention" in result.stdout
    )
    assert f"Wrote {out}" in result.stdout
    assert "Needs attention" in result.stdout
    assert result.stderr == ""


def test_json_is_exactly_the_contract(invoke, returns, tmp_path):
    out = tmp_path / "chronology.xlsx"
    result = invoke("collate", returns, "--output", out, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == JSON_KEYS
    assert data["rows_read"] == data["rows_merged"] + data["rows_needing_attention"] == 2
    assert data["output"] == str(out)
    assert [sorted(i) for i in data["inputs"]] == [["agency", "path", "rows"]] * 2
    assert {i["agency"]: i["rows"] for i in data["inputs"]} == {"GP": 1, "Police": 1}


def test_strict_exits_1_but_still_writes(invoke, returns, tmp_path):
    out = tmp_path / "chronology.xlsx"
    result = invoke("collate", returns, "--output", out, "--strict", "--json")
    assert result.exit_code == 1
    assert out.exists()
    assert json.loads(result.stdout)["rows_needing_attention"] == 1
    (returns / "GP.xlsx").unlink()
    assert invoke("collate", returns, "--output", out, "--strict").exit_code == 0


def test_docx_option(invoke, returns, tmp_path):
    result = invoke("collate", returns, "-o", tmp_path / "c.xlsx", "--docx", tmp_path / "c.docx")
    assert result.exit_code == 0
    assert (tmp_path / "c.docx").exists()
    assert f"Wrote {tmp_path / 'c.docx'}" in result.stdout


def test_case_folder_defaults_and_overrides(invoke, tmp_path, monkeypatch):
    from scrtool.review.new_case import create_case

    case = create_case(tmp_path / "NS-1", ref="NS-1")
    make_xlsx(case.folder("returns") / "Police.xlsx", [["Date", "Details"], ["01/05/2024", "a"]])
    result = invoke("collate", "--case", case.root, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["output"] == str(case.folder("working") / "chronology.xlsx")
    other = tmp_path / "elsewhere.xlsx"
    result = invoke("collate", "--case", case.root, "--output", other, "--json")
    assert json.loads(result.stdout)["output"] == str(other)
    monkeypatch.chdir(case.root)
    result = invoke("collate", "--json")
    assert result.exit_code == 0
    written = Path(json.loads(result.stdout)["output"])
    assert written.resolve() == (case.folder("working") / "chronology.xlsx").resolve()


def test_no_inputs_and_no_case(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_one_sentence(invoke("collate", "--output", "c.xlsx"), "no returns were named")
    (tmp_path / "r").mkdir()
    assert_one_sentence(invoke("collate", "r"), "no output workbook was named", "--output")


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("password.xlsx", ["password.xlsx", "protected with a password", "without a password"]),
        ("truncated.xlsx", ["truncated.xlsx", "damaged or incomplete"]),
        ("web page.xls", ["web page.xls", "not a real Excel 97-2003 workbook"]),
    ],
)
def test_unreadable_returns_exit_2_and_write_nothing(invoke, returns, tmp_path, bad, words):
    shutil.copy(COLLATE_DATA / bad, returns / bad)
    out = tmp_path / "chronology.xlsx"
    result = invoke("collate", returns, "--output", out, "--docx", tmp_path / "c.docx")
    assert_one_sentence(result, *words)
    assert not out.exists() and not (tmp_path / "c.docx").exists()


def test_skip_unreadable(invoke, returns, tmp_path):
    shutil.copy(COLLATE_DATA / "password.xlsx", returns / "password.xlsx")
    result = invoke(
        "collate", returns, "--output", tmp_path / "c.xlsx", "--skip-unreadable", "--json"
    )
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["inputs"]) == 2
    assert "password.xlsx: is protected with a password" in result.stderr
    assert "--skip-unreadable" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.xlsx", b"", ["empty.xlsx", "is empty"]),
        ("police.xlsx", b"%PDF-1.4 not really", ["police.xlsx", "is not a real .xlsx workbook"]),
    ],
)
def test_empty_and_impostor_files(invoke, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke("collate", path, "--output", tmp_path / "c.xlsx")
    assert_one_sentence(result, *words)
    assert not (tmp_path / "c.xlsx").exists()


def test_no_date_column(invoke, tmp_path):
    path = make_xlsx(tmp_path / "GP.xlsx", [["Seen on", "Notes2"], ["x", "y"]])
    result = invoke("collate", path, "--output", tmp_path / "c.xlsx")
    assert_one_sentence(result, "GP.xlsx", 'sheet "Chronology"', '"Seen on", "Notes2"', '"Date"')


def test_output_open_in_excel(invoke, returns, tmp_path):
    out = tmp_path / "chronology.xlsx"
    out.write_bytes(b"previous")
    (tmp_path / "~$chronology.xlsx").write_bytes(b"owner")
    result = invoke("collate", returns, "--output", out)
    assert_one_sentence(result, "chronology.xlsx", "close it and try again")
    assert out.read_bytes() == b"previous"


def test_bad_schema(invoke, returns, tmp_path):
    schema = tmp_path / "mine.toml"
    schema.write_text("[[columns]\n", encoding="utf-8")
    result = invoke("collate", returns, "--output", tmp_path / "c.xlsx", "--schema", schema)
    assert_one_sentence(result, "mine.toml", "line 1", "heading that is not closed")


def test_custom_schema_column(invoke, tmp_path):
    schema = tmp_path / "mine.toml"
    schema.write_text(
        '[[columns]]\nname = "Date"\n[[columns]]\nname = "Risk level"\naliases = ["DASH risk"]\n',
        encoding="utf-8",
    )
    path = make_xlsx(tmp_path / "Police.xlsx", [["Date", "DASH risk"], ["01/05/2024", "High"]])
    out = tmp_path / "c.xlsx"
    assert invoke("collate", path, "-o", out, "--schema", schema).exit_code == 0
    from openpyxl import load_workbook

    ws = load_workbook(out)["Chronology"]
    header = [c.value for c in ws[1]]
    assert header[10:] == ["Event ref", "Risk level", "Possible duplicate"]
    assert ws.cell(2, 11).value == "POL-2"
    assert ws.cell(2, 12).value == "High"


def test_lock_files_are_noted_on_stderr_not_stdout(invoke, returns, tmp_path):
    (returns / "~$Police.xlsx").write_bytes(b"owner")
    result = invoke("collate", returns, "--output", tmp_path / "c.xlsx", "--json")
    assert result.exit_code == 0
    json.loads(result.stdout)
    assert "~$Police.xlsx: skipped, it is a lock file" in result.stderr


def test_one_return_with_one_row_reads_in_the_singular(invoke, returns, tmp_path):
    out = tmp_path / "chronology.xlsx"
    word = tmp_path / "chronology.docx"
    result = invoke("collate", returns / "Police.xlsx", "--output", out, "--docx", word)
    assert result.exit_code == 0, result.stderr
    assert "Collated 1 return: 1 row read, 1 in the chronology" in result.stdout
    assert "Police.xlsx: Police, 1 row\n" in result.stdout
    import docx

    text = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    assert "from 1 return: 1 row." in text


def test_rows_needing_attention_are_named_by_file_sheet_row_and_column(invoke, tmp_path):
    path = make_xlsx(
        tmp_path / "Police.xlsx",
        [["Ref", "Date of contact", "Details"], [1, "31/02/2023", "x"], [2, "01/03/2023", "y"]],
    )
    result = invoke("collate", path, "--output", tmp_path / "out.xlsx", "--strict")
    assert result.exit_code == 1
    assert (
        'Police.xlsx: sheet "Chronology" row 2, column B ("Date of contact"): "31/02/2023" is '
        "not a real date: February 2023 has no day 31; correct it and run collate again."
    ) in result.stdout
