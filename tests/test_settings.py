"""One loader for every settings file under schemas/, one TOML shim, one header matcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrtool import settings
from scrtool.errors import Reason, SettingsError
from scrtool.resources import schema_path

SCHEMAS = Path(schema_path("case.schema.json")).parent
DATA_FILES = sorted(p.stem for p in SCHEMAS.glob("*.toml"))


def test_there_are_data_files():
    assert {"chronology", "action-plan", "plain-words", "abbreviations"} <= set(DATA_FILES)


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_data_file_has_a_schema_beside_it_and_meets_it(name):
    assert (SCHEMAS / f"{name}.schema.json").is_file()
    data = settings.load_data(name)
    assert isinstance(data, dict) and data


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_schema_key_says_what_it_is_for(name):
    schema = settings.load_json_schema(f"{name}.schema.json")

    def walk(spec, where):
        spec = settings.resolve(spec, schema)
        for key, sub in spec.get("properties", {}).items():
            sub = settings.resolve(sub, schema)
            assert sub.get("description"), f"{name}: {where}{key} has no description"
            walk(sub, f"{where}{key}.")
            if isinstance(sub.get("items"), dict):
                walk(sub["items"], f"{where}{key}[].")

    walk(schema, "")


def copy_with(tmp_path, name: str, old: str, new: str) -> Path:
    text = (SCHEMAS / f"{name}.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def error_for(name: str, path: Path) -> SettingsError:
    with pytest.raises(SettingsError) as caught:
        settings.load_data(name, path)
    assert "\n" not in caught.value.message
    assert caught.value.file == str(path)
    return caught.value


def test_a_misspelt_key_in_a_column_names_the_nearest_key_and_line(tmp_path):
    path = copy_with(tmp_path, "chronology", 'keywords = ["time", "times"]', 'keywrds = ["time"]')
    exc = error_for("chronology", path)
    assert exc.problem == "`keywrds` is not a key scrtool knows; did you mean `keywords`?"
    line = next(
        n for n, t in enumerate(path.read_text().splitlines(), start=1) if t.startswith("keywrds")
    )
    assert exc.place == f"line {line}"
    assert exc.reason is Reason.BAD_SETTINGS


def test_a_wrong_value_is_plain(tmp_path):
    path = copy_with(tmp_path, "action-plan", 'type = "date"', 'type = "when"')
    exc = error_for("action-plan", path)
    assert 'is "when", but must be one of "text", "agency", "date", "status"' in exc.problem
    assert exc.place is not None and exc.place.startswith("line ")


def test_a_map_takes_any_key_but_checks_values(tmp_path):
    path = copy_with(tmp_path, "plain-words", '"utilise" = "use"', '"utilise" = 3')
    exc = error_for("plain-words", path)
    assert exc.problem.startswith('key "words.utilise" is 3, but must be text in quotes')


def test_a_syntax_error_is_the_same_plain_sentence_case_toml_gets(tmp_path):
    path = copy_with(tmp_path, "abbreviations", 'MASH = "', "MASH = \u201c")
    exc = error_for("abbreviations", path)
    assert "curly quotes" in exc.problem and exc.place.startswith("line ")


def test_a_missing_schema_file_given_with_schema_is_missing(tmp_path, invoke):
    result = invoke(
        "collate", tmp_path, "--output", tmp_path / "o.xlsx", "--schema", tmp_path / "no.toml"
    )
    assert result.exit_code == 2
    assert "no.toml: does not exist" in result.stderr


def test_collate_schema_with_a_misspelt_key_is_exit_2_before_any_work(tmp_path, invoke):
    path = copy_with(tmp_path, "chronology", "header_rows = 20", "header_row = 20")
    out = tmp_path / "o.xlsx"
    result = invoke("collate", tmp_path, "--output", out, "--schema", path)
    assert result.exit_code == 2
    assert "did you mean `header_rows`?" in result.stderr
    assert not out.exists()


def test_one_tomllib_shim():
    package = Path(settings.__file__).parent
    for module in package.rglob("*.py"):
        if module.name == "settings.py":
            continue
        text = module.read_text(encoding="utf-8")
        assert "import tomli as" not in text and "\nimport tomllib" not in text, module
        assert "    import tomllib" not in text, module


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Due date:", "duedate"),
        ("DUE-DATE", "duedate"),
        ("  due   date ", "duedate"),
        ("Date\n(dd/mm/yyyy)", "dateddmmyyyy"),
        ("Lead agency", "leadagency"),
        ("Événement", "événement"),
    ],
)
def test_one_normaliser(written, name):
    assert settings.header_key(written) == name


def test_the_chronology_and_the_action_plan_share_the_header_matcher():
    from scrtool.chronology import schema as chronology_schema
    from scrtool.review import action_plan, actions

    assert chronology_schema.header_key is settings.header_key
    assert chronology_schema.header_keys is settings.header_keys
    assert actions.normalise_header is settings.header_key
    assert action_plan.normalise_header is settings.header_key


def test_header_keys_drop_notes_and_second_lines():
    assert settings.header_keys("Date\n(dd/mm/yyyy)")[:2] == ["dateddmmyyyy", "date"]


def test_header_ranks_prefer_the_name_then_the_first_alias():
    ranks = settings.header_ranks([("Status", ("RAG", "Progress")), ("Other", ("Status",))])
    assert ranks["status"] == [(0, "Status"), (1, "Other")]
    assert ranks["rag"] == [(1, "Status")]


def test_one_line_quotes_multi_line_headers_on_one_line():
    assert settings.one_line("Date of\ncontact\n (dd/mm)") == "Date of contact (dd/mm)"


def test_impossible_dates_say_why():
    assert settings.impossible_date(2026, 2, 30) == "February 2026 has 28 days"
    assert settings.impossible_date(2024, 2, 29) is None
    assert settings.impossible_date(2026, 4, 31) == "April 2026 has 30 days"
    assert settings.impossible_date(2026, 13, 1) == "there is no month 13"


def test_key_line_finds_keys_in_tables_and_array_tables():
    text = '[review]\nref = "X"\n\n[[agencies]]\nname = "A"\n[[agencies]]\nname = "B"\n'
    assert settings.key_line(text, ["review", "ref"]) == 2
    assert settings.key_line(text, ["agencies", 1, "name"]) == 7
    assert settings.key_line(text, ["agencies", 0]) == 4
