from __future__ import annotations

import datetime as dt
import json

import pytest

from scrtool.case import CASE_FILE, SUBFOLDERS, find_case, load_case
from scrtool.errors import CaseError, OutputError
from scrtool.review.new_case import create_case


def test_new_case_has_folders_and_a_valid_commented_case_toml(tmp_path):
    case = create_case(tmp_path / "NS-1", ref="NS-2026-01", review_type="scr")
    for name in SUBFOLDERS:
        assert (tmp_path / "NS-1" / name).is_dir()
    text = (tmp_path / "NS-1" / CASE_FILE).read_text(encoding="utf-8")
    assert text.count("#") > 20, "case.toml should explain itself to a person editing it"
    assert case.ref == "NS-2026-01"
    assert case.type == "scr"
    assert case.child == "Child A"
    assert load_case(tmp_path / "NS-1").ref == "NS-2026-01"


def test_new_refuses_a_folder_that_already_has_a_case(tmp_path):
    create_case(tmp_path, ref="A1")
    with pytest.raises(OutputError, match="already holds a case.toml"):
        create_case(tmp_path, ref="A2")
    assert "A1" in (tmp_path / CASE_FILE).read_text()


def write_case(tmp_path, body: str):
    (tmp_path / CASE_FILE).write_text(body, encoding="utf-8")
    return tmp_path


def test_bad_type_names_the_key_and_the_allowed_values(tmp_path):
    write_case(tmp_path, '[review]\nref = "X1"\ntype = "serious"\n')
    with pytest.raises(CaseError) as info:
        load_case(tmp_path)
    msg = str(info.value)
    assert 'key "review.type"' in msg and '"scr"' in msg and '"lcspr"' in msg
    assert msg.startswith(str(tmp_path / CASE_FILE))


def test_missing_required_key(tmp_path):
    write_case(tmp_path, '[review]\ntype = "scr"\n')
    with pytest.raises(CaseError, match='needs the key "ref"'):
        load_case(tmp_path)


def test_syntax_error_is_plain(tmp_path):
    write_case(tmp_path, "[review]\nref = X1\n")
    with pytest.raises(CaseError) as caught:
        load_case(tmp_path)
    assert caught.value.message == (
        f'{tmp_path / "case.toml"}: line 2 (ref = X1): "ref" has the text X1 without quotes; '
        'put text in double quotes, such as ref = "X1", then run the command again.'
    )


def test_text_dates_are_read_day_first(tmp_path):
    write_case(
        tmp_path,
        '[review]\nref = "X1"\ntype = "lcspr"\ninitiated = "03/04/2026"\npublication = 2026-10-01\n',
    )
    case = load_case(tmp_path)
    assert case.date("initiated") == dt.date(2026, 4, 3)
    assert case.date("publication") == dt.date(2026, 10, 1)
    assert case.date("completed") is None


def test_impossible_date_in_case_toml(tmp_path):
    write_case(tmp_path, '[review]\nref = "X1"\ntype = "scr"\ninitiated = "31/02/2026"\n')
    with pytest.raises(CaseError, match='"review.initiated".*February 2026 has no day 31'):
        load_case(tmp_path)


def test_agency_file_patterns_and_register(tmp_path):
    write_case(
        tmp_path,
        """
[review]
ref = "X1"
type = "scr"
[[agencies]]
name = "Northshire Police"
files = ["police*.xlsx"]
[register]
names = ["Jane Exampleton"]
places = ["Fictional Road"]
allow = ["Child A"]
""",
    )
    case = load_case(tmp_path)
    assert case.agency_for_file("returns/Police return v2.XLSX") == "Northshire Police"
    assert case.agency_for_file("GP.xlsx") is None
    assert case.register_terms == ("Jane Exampleton", "Fictional Road")
    assert case.allow_terms == ("Child A",)


def test_find_case_uses_current_folder(tmp_path, monkeypatch):
    create_case(tmp_path, ref="HERE-1")
    monkeypatch.chdir(tmp_path)
    assert find_case(None).ref == "HERE-1"


def test_find_case_required_without_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_case(None) is None
    with pytest.raises(CaseError, match="holds no case.toml"):
        find_case(None, required=True)


def test_case_schema_is_valid_json_schema(repo):
    import jsonschema

    schema = json.loads((repo / "schemas" / "case.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)


def test_a_new_case_never_guesses_the_partnership(tmp_path):
    case = create_case(tmp_path / "A", ref="EH-2026-01")
    assert case.partnership is None
    assert "Northshire Safeguarding" not in case.file.read_text(encoding="utf-8")
    named = create_case(tmp_path / "B", ref="EH-2026-02", partnership="Easthaven Partnership")
    assert named.partnership == "Easthaven Partnership"


def test_a_bad_ref_for_a_new_case_says_what_a_ref_may_hold(tmp_path):
    from scrtool.errors import CaseError

    with pytest.raises(CaseError) as caught:
        create_case(tmp_path / "C", ref="NS/2026")
    message = caught.value.message
    assert "may hold only letters, digits" in message and "give a --ref" in message
    assert "correct case.toml" not in message
    assert not (tmp_path / "C").exists()


def test_create_case_refuses_an_empty_folder_name(tmp_path, monkeypatch):
    from scrtool.errors import InputError

    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="no folder name"):
        create_case("", ref="A1")
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_date_in_case_toml_gives_one_piece_of_advice(tmp_path):
    write_case(tmp_path, '[review]\nref = "A1"\ntype = "scr"\npublication = "14/9/26x"\n')
    with pytest.raises(CaseError) as caught:
        load_case(tmp_path)
    message = caught.value.message
    assert '"review.publication"' in message
    assert "31/03/2026)" not in message and message.count("write") == 1
    assert "2026-03-31" in message


@pytest.mark.parametrize("existed", [False, True])
def test_new_case_is_all_or_nothing(tmp_path, monkeypatch, existed):
    """A full disk while writing the action plan must not leave a case.toml behind (the
    next try would stop with "already holds a case.toml")."""

    def full(*args, **kwargs):
        raise OutputError("could not be written (No space left on device)", file="plan.xlsx")

    monkeypatch.setattr("scrtool.review.action_plan.write_action_plan", full)
    root = tmp_path / "NS-9"
    if existed:
        root.mkdir()
        (root / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError):
        create_case(root, ref="NS-2026-09")
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"] if existed else not root.exists()


# --- case.toml checked before any work (issue 14) ---------------------------------------


def case_error(tmp_path, text: str) -> CaseError:
    write_case(tmp_path, text)
    with pytest.raises(CaseError) as caught:
        load_case(tmp_path)
    assert "\n" not in caught.value.message
    assert caught.value.message.startswith(str(tmp_path / CASE_FILE))
    return caught.value


BASE = '[review]\nref = "X1"\ntype = "lcspr"\n'


def test_a_misspelt_key_names_the_nearest_known_key_and_its_line(tmp_path):
    exc = case_error(tmp_path, BASE + "initated = 2026-02-02\n")
    assert exc.place == "line 4"
    assert exc.problem == "`initated` is not a key scrtool knows; did you mean `initiated`?"
    assert exc.reason.value == "bad-case"


def test_a_misspelt_key_in_an_agency_block_is_found_in_the_right_block(tmp_path):
    exc = case_error(
        tmp_path,
        BASE + '[[agencies]]\nname = "A"\n\n[[agencies]]\nname = "B"\nfiels = ["b*"]\n',
    )
    assert exc.place == "line 9"
    assert "did you mean `files`?" in exc.problem


def test_a_misspelt_table_is_named(tmp_path):
    exc = case_error(tmp_path, BASE + '[screenning]\noutcome = "died"\n')
    assert exc.place == "line 4"
    assert "did you mean `screening`?" in exc.problem


def test_a_key_in_the_wrong_table_says_where_it_belongs(tmp_path):
    exc = case_error(tmp_path, BASE + "[screening]\ninitiated = 2026-02-02\n")
    assert "`initiated` belongs under [review]" in exc.problem
    assert exc.place == "line 5"


def test_an_unknown_key_far_from_any_known_key_lists_the_keys(tmp_path):
    exc = case_error(tmp_path, BASE + "[readability]\nbanana = 3\n")
    assert "`banana` is not a key scrtool knows under [readability]" in exc.problem
    assert "min_reading_ease" in exc.advice


@pytest.mark.parametrize(
    ("line", "problem", "advice"),
    [
        (
            "initiated = 2026-02-30",
            '"initiated" is 2026-02-30, which is not a date: February 2026 has 28 days',
            "correct the date",
        ),
        (
            "initiated = 2026-13-02",
            "there is no month 13",
            "correct the date",
        ),
        (
            "initiated = 02/02/2026",
            '"initiated" is the date 02/02/2026 without quotes',
            'write it as "02/02/2026" in quotes, or as year-month-day such as 2026-02-02',
        ),
        (
            "initiated = 2026-2-2",
            "needs two-digit months and days",
            'write it as 2026-02-02 (or "02/02/2026" in quotes)',
        ),
        (
            "child = \u201cChild A\u201d",
            "uses curly quotes",
            'straight quotes, such as child = "Child A"',
        ),
        ('child = "Child A', "opening quote but no closing one", "straight double quote"),
        ('child = "A"\nchild = "B"', '"child" is given a second time', "keep one"),
        ("partnership = Northshire Partnership", "without quotes", '"Northshire Partnership"'),
        ("just some words", "is not a setting", "key = value"),
    ],
)
def test_toml_mistakes_are_one_plain_sentence_with_the_line(tmp_path, line, problem, advice):
    exc = case_error(tmp_path, BASE + line + "\n")
    assert exc.place is not None and exc.place.startswith("line ")
    assert problem in exc.problem
    assert advice in exc.advice
    for jargon in ("Expected", "Invalid value", "statement", "TOML decode"):
        assert jargon not in exc.message


def test_an_impossible_date_in_quotes_is_named(tmp_path):
    exc = case_error(tmp_path, BASE + 'initiated = "30/02/2026"\n')
    assert exc.place == "line 4"
    assert '"review.initiated"' in exc.problem and "30/02/2026" in exc.problem


def test_an_impossible_screening_date_is_named(tmp_path):
    exc = case_error(tmp_path, BASE + '[screening]\ndecided_on = "31/04/2026"\n')
    assert "screening.decided_on" in exc.problem


def test_a_wrong_value_names_its_line(tmp_path):
    exc = case_error(tmp_path, BASE + '[screening]\noutcome = "dead"\n')
    assert exc.place == "line 5"
    assert '"screening.outcome" is "dead", but must be one of' in exc.problem


def test_the_cli_reports_a_misspelt_key_before_any_work(invoke, tmp_path):
    write_case(tmp_path, BASE + "initated = 2026-02-02\n")
    result = invoke("timetable", "--case", tmp_path, "--json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["reason"] == "bad-case"
    assert document["file"] == str(tmp_path / CASE_FILE)
    assert "did you mean `initiated`?" in document["error"]
    assert "Initiated" not in result.stderr


def test_every_key_new_writes_is_one_the_schema_knows(tmp_path):
    """Remove every # from a new case.toml's settings: it is still a valid case."""
    import re

    create_case(tmp_path / "c", ref="NS-2026-01")
    text = (tmp_path / "c" / CASE_FILE).read_text(encoding="utf-8")
    uncommented = re.sub(r"^# ((?:\[\[?)?[a-z_]+(?: = |\]))", r"\1", text, flags=re.M)
    assert uncommented.count("\n# [[") == 0
    (tmp_path / "c" / CASE_FILE).write_text(uncommented, encoding="utf-8")
    case = load_case(tmp_path / "c")
    assert case.date("initiated") == dt.date(2026, 2, 2)
    assert case.agencies[0].files == ("Police*.xlsx",)
    assert case.section("reviewers") == {}  # an array of tables, not a table


def test_the_schema_is_the_one_source_of_keys_help_and_defaults(tmp_path):
    from scrtool.case import render_case_toml
    from scrtool.settings import load_json_schema, resolve

    schema = load_json_schema("case.schema.json")
    text = render_case_toml(ref="NS-2026-01", review_type="lcspr")
    for table, spec in schema["properties"].items():
        spec = resolve(spec, schema)
        assert spec.get("description") or table == "review", table
        item = resolve(spec.get("items", spec), schema)
        for key, sub in item.get("properties", {}).items():
            sub = resolve(sub, schema)
            assert sub.get("description"), f"{table}.{key} has no description"
            if "examples" in sub or "default" in sub:
                assert f"{key} = " in text, f"{table}.{key} is not written by scrtool new"
                flat = " ".join(line.lstrip("# ") for line in text.splitlines()).casefold()
                assert " ".join(sub["description"].split()).casefold() in " ".join(flat.split())


def test_defaults_come_from_the_schema(tmp_path):
    from scrtool.checks.readability import (
        DEFAULT_LONG_SENTENCE_WORDS,
        DEFAULT_MAX_GRADE,
        DEFAULT_MIN_READING_EASE,
        DEFAULT_MIN_SECTION_WORDS,
    )
    from scrtool.review.reviewers import DEFAULT_INDEPENDENCE_YEARS

    write_case(tmp_path, BASE)
    case = load_case(tmp_path)
    assert case.section("readability") == {
        "min_reading_ease": DEFAULT_MIN_READING_EASE,
        "max_grade": DEFAULT_MAX_GRADE,
        "long_sentence_words": DEFAULT_LONG_SENTENCE_WORDS,
        "min_section_words": DEFAULT_MIN_SECTION_WORDS,
    }
    assert case.section("settings")["independence_years"] == DEFAULT_INDEPENDENCE_YEARS


def test_case_pointed_at_a_subfolder_names_the_case_folder(tmp_path, invoke, monkeypatch):
    create_case(tmp_path / "M", ref="NS-2026-01")
    monkeypatch.chdir(tmp_path)
    result = invoke("collate", "--case", "M/returns")
    assert result.exit_code == 2
    assert "inside the case folder M" in result.stderr
    assert '--case "M"' in result.stderr
    assert "scrtool new" not in result.stderr


def test_running_inside_a_subfolder_names_the_case_folder(tmp_path, invoke, monkeypatch):
    create_case(tmp_path / "M", ref="NS-2026-01")
    monkeypatch.chdir(tmp_path / "M" / "returns")
    result = invoke("report")
    assert result.exit_code == 2
    assert f"inside the case folder {tmp_path / 'M'}" in result.stderr
