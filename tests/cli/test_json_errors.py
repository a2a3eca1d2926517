"""Under --json every command prints exactly one JSON document, exit 2 included."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from scrtool.cli import COMMANDS, LazyGroup, cli
from scrtool.cli.check import CHECKS
from scrtool.errors import DataError, Reason, UnreadableInputError


def every_command() -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for name in sorted(COMMANDS):
        if name == "check":
            out.extend(("check", sub) for sub in sorted(CHECKS))
        else:
            out.append((name,))
    return out


def missing_file_args(command: tuple[str, ...], tmp: Path) -> list[str]:
    """A command line naming a file or folder that is not there."""
    missing = tmp / "not-here"
    specific = {
        ("new",): [str(tmp / "a-file.txt" / "case"), "--ref", "X-1"],
        ("demo",): [str(tmp / "a-file.txt")],
        ("collate",): [str(missing / "Police.xlsx"), "--output", str(tmp / "out.xlsx")],
        ("fill",): [
            str(missing / "letter.docx"),
            "--data",
            str(missing / "data.json"),
            "--output",
            str(tmp / "out.docx"),
        ],
        ("actions",): ["--plan", str(missing / "action-plan.xlsx")],
        ("summary",): [str(missing), "--output", str(tmp / "summary.xlsx")],
        ("check", "readability"): [str(missing / "report.docx")],
        ("check", "redaction"): [str(missing / "report.docx")],
        ("check", "draft"): [str(missing / "report.docx")],
        ("check", "accessibility"): [str(missing / "report.docx")],
    }
    # Every other command reads a case folder; one that takes files gets a missing one.
    return specific.get(command, ["--case", str(missing)])


@pytest.mark.parametrize("command", every_command(), ids=" ".join)
def test_missing_input_under_json_is_one_error_document(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file.txt").write_text("not a folder", encoding="utf-8")
    args = [*command, *missing_file_args(command, tmp_path), "--json"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 2, result.stdout + result.stderr
    document = json.loads(result.stdout)  # exactly one document, nothing else
    assert set(document) == {"error", "file", "exit_code", "reason"}
    assert document["exit_code"] == 2
    assert document["error"].endswith(".") and "\n" not in document["error"]
    assert document["error"] in result.stderr
    assert Reason(document["reason"])
    assert "Traceback" not in result.stderr
    assert document["file"] is None or isinstance(document["file"], str)


def test_missing_file_names_it_and_says_missing(tmp_path):
    missing = tmp_path / "report.docx"
    result = CliRunner().invoke(cli, ["check", "redaction", str(missing), "--json"])
    document = json.loads(result.stdout)
    assert document["file"] == str(missing)
    assert document["reason"] == "missing"


def test_without_json_stdout_stays_empty_on_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["check", "readability", str(tmp_path / "x.docx")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_arguments_under_json_are_an_error_document():
    result = CliRunner().invoke(cli, ["timetable", "--initiated", "31/02/2026", "--json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["reason"] == "bad-arguments"
    assert "31/02/2026" in document["error"] and document["file"] is None
    assert "31/02/2026" in result.stderr


def test_unknown_command_under_json_is_an_error_document():
    result = CliRunner().invoke(cli, ["collat", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["reason"] == "bad-arguments"


def make_cli(action):
    @click.group(cls=LazyGroup, commands_map={})
    def group() -> None:
        pass

    @group.command("go")
    @click.option("--json", "as_json", is_flag=True)
    def go(as_json: bool) -> object:
        return action()

    return group


def test_an_error_after_the_document_leaves_only_the_error():
    from scrtool.cli._common import echo, emit_json

    def action():
        emit_json({"done": True})
        echo("people's text goes to stderr under --json")
        raise DataError("went wrong late", file="x.xlsx")

    result = CliRunner().invoke(make_cli(action), ["go", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {
        "error": "x.xlsx: went wrong late; correct it and try again.",
        "file": "x.xlsx",
        "exit_code": 2,
        "reason": "bad-value",
    }
    assert "people's text" in result.stderr


def test_the_reason_tells_encrypted_from_locked_from_missing():
    reasons = set()
    for exc in (
        UnreadableInputError("is protected with a password", file="a", reason=Reason.ENCRYPTED),
        UnreadableInputError("does not exist", file="a", reason=Reason.MISSING),
        __import__("scrtool.errors").errors.OutputLockedError("is open in Excel", file="a"),
    ):
        result = CliRunner().invoke(
            make_cli(lambda exc=exc: (_ for _ in ()).throw(exc)), ["go", "--json"]
        )
        reasons.add(json.loads(result.stdout)["reason"])
    assert reasons == {"encrypted", "missing", "locked"}


@pytest.mark.parametrize(
    ("returned", "code"),
    [(None, 0), (0, 0), (1, 1), (2, 2)],
)
def test_the_result_carries_the_exit_code(returned, code):
    from scrtool.cli._common import emit_json

    def action():
        emit_json({"value": returned})
        return returned

    result = CliRunner().invoke(make_cli(lambda: action()), ["go", "--json"])
    assert result.exit_code == code
    assert json.loads(result.stdout) == {"value": returned}


def test_a_result_with_passed_false_is_exit_1():
    class Report:
        passed = False

        @property
        def exit_code(self) -> int:
            return 1

    result = CliRunner().invoke(make_cli(Report), ["go"])
    assert result.exit_code == 1


def test_an_unexpected_fault_under_json_is_one_document(monkeypatch):
    monkeypatch.delenv("SCRTOOL_DEBUG", raising=False)

    def action():
        raise RuntimeError("boom")

    result = CliRunner().invoke(make_cli(action), ["go", "--json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["reason"] == "fault" and "boom" in document["error"]


def test_no_command_exits_by_itself():
    """run_safely is the only place a result becomes an exit."""
    import scrtool.cli as package

    folder = Path(package.__file__).parent
    for module in folder.glob("*.py"):
        if module.name == "_common.py":
            continue
        text = module.read_text(encoding="utf-8")
        assert ".exit(" not in text, module.name
        assert "sys.exit" not in text, module.name


def test_every_reason_is_documented(repo):
    text = (repo / "docs" / "json-errors.md").read_text(encoding="utf-8")
    for reason in Reason:
        assert f"| `{reason.value}` |" in text, reason
