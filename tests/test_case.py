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
    with pytest.raises(CaseError, match="is not valid TOML"):
        load_case(tmp_path)


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
