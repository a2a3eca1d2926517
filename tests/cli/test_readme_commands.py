"""The README's commands work as written (issue 14)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from scrtool.case import load_case


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory) -> Path:
    """The bundled sample case, made once (the tests copy it before changing anything)."""
    from click.testing import CliRunner

    from scrtool.cli import cli

    root = tmp_path_factory.mktemp("demo") / "NS-2026-01"
    result = CliRunner().invoke(cli, ["demo", str(root)])
    assert root.joinpath("case.toml").is_file(), result.stdout + result.stderr
    return root


@pytest.fixture
def case_copy(demo_case, tmp_path) -> Path:
    target = tmp_path / "NS-2026-01"
    shutil.copytree(demo_case, target)
    return target


def test_collate_docx_alone_writes_working_chronology_docx(invoke, case_copy, monkeypatch):
    (case_copy / "working" / "chronology.docx").unlink(missing_ok=True)
    monkeypatch.chdir(case_copy)
    result = invoke("collate", "--docx")
    assert result.exit_code == 0, result.stderr
    assert (case_copy / "working" / "chronology.docx").is_file()
    assert f"Wrote {case_copy / 'working' / 'chronology.docx'}" in result.stdout


def test_collate_docx_with_a_file_writes_that_file(invoke, case_copy, tmp_path):
    target = tmp_path / "Chronology for the panel.docx"
    result = invoke("collate", "--case", case_copy, "--docx", target)
    assert result.exit_code == 0, result.stderr
    assert target.is_file()


def test_collate_docx_before_the_inputs_still_reads_them(invoke, case_copy, tmp_path):
    out = tmp_path / "out.xlsx"
    result = invoke("collate", "--docx", case_copy / "returns", "--output", out)
    assert result.exit_code == 0, result.stderr
    assert out.is_file() and out.with_suffix(".docx").is_file()


def test_collate_docx_with_a_name_that_is_not_a_word_file_is_exit_2(invoke, case_copy):
    result = invoke("collate", "--case", case_copy, "--docx", "chronology.pdf")
    assert result.exit_code == 2
    assert "ending .docx" in result.stderr


def test_report_advice_never_leads_into_a_refusal(invoke, case_copy):
    """After a first run, the advice given must be a command that runs."""
    (case_copy / "working" / "action-plan.xlsx").unlink()
    for draft in ("overview-report.docx", "partnership-response.docx", "panel-letter.docx"):
        (case_copy / "working" / draft).unlink(missing_ok=True)
    first = invoke("report", "--case", case_copy)
    assert first.exit_code == 0, first.stderr
    assert "scrtool report --replace" in first.stderr
    assert "report again." not in first.stderr
    second = invoke("report", "--case", case_copy, "--replace")
    assert second.exit_code == 0, second.stderr
    refused = invoke("report", "--case", case_copy)
    assert refused.exit_code == 2
    assert "scrtool report --replace" in refused.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("screen",),
        ("timetable", "--type", "scr"),
    ],
)
def test_commands_without_a_case_say_so_first(invoke, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    first = result.stderr.splitlines()[0]
    assert first.startswith("No case: no case.toml in this folder and no --case given;")


def test_a_subfolder_of_a_case_is_named(invoke, case_copy, monkeypatch):
    monkeypatch.chdir(case_copy / "returns")
    result = invoke("timetable", "--type", "scr", "--initiated", "02/02/2026")
    assert f"inside the case folder {case_copy}" in result.stderr.splitlines()[0]


def test_package_reads_panel_copy_sent_from_case_toml(case_copy):
    from scrtool.bundle.request import make_request

    case = load_case(case_copy)
    (case_copy / "final").mkdir(exist_ok=True)
    for name in ("overview-report.docx", "partnership-response.docx"):
        shutil.copy(case_copy / "working" / name, case_copy / "final" / name)
    request = make_request(case=case, output_dir=case_copy / "submission")
    assert request.sent == case.date("panel_copy_sent") == dt.date(2026, 9, 1)
    flagged = make_request(case=case, output_dir=case_copy / "submission", sent=dt.date(2026, 9, 3))
    assert flagged.sent == dt.date(2026, 9, 3)


def test_timetable_json_is_one_document_with_or_without_a_case(
    invoke, case_copy, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    result = invoke("timetable", "--type", "scr", "--initiated", "02/02/2026", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["initiated"] == "2026-02-02"


# --- The README walk-through, line by line, on a fresh case -----------------------------


def walkthrough_commands(readme: str) -> list[str]:
    """The commands of "A review, step by step", in the order the README gives them."""
    import re

    section = readme.split("## A review, step by step", 1)[1].split("\n## ", 1)[0]
    section = re.sub(r"\s*\n\s*", " ", section)
    commands = []
    for span in re.findall(r"`(scrtool [^`]+)`", section):
        if "COMMAND" in span:
            continue  # "scrtool COMMAND --help" names the help, not a step
        if span == "scrtool fill":
            continue  # named, not run: it needs a template and data (docs/fill.md)
        commands.append(span)
    return commands


#: What the officer does by hand before a command, as the README's step says.
def _by_hand(command: str, case: Path, repo: Path) -> None:
    if command.startswith("scrtool screen"):
        # Step 1: "Open case.toml in Notepad and fill in the review's details."
        text = (repo / "samples" / "case.toml").read_text(encoding="utf-8")
        (case / "case.toml").write_text(text, encoding="utf-8")
        shutil.copy(repo / "samples" / "working" / "action-plan.xlsx", case / "working")
    if command == "scrtool collate":
        # Step 5: "Save each agency's return in returns/ as it arrives."
        for item in (repo / "samples" / "returns").iterdir():
            shutil.copy(item, case / "returns" / item.name)
    if command.startswith("scrtool anonymise"):
        # Step 7: a working copy with real names in it, to anonymise into final/.
        report = load_case(case).report_drafts[0]
        (case / "working" / "draft.docx").write_bytes(report.read_bytes())
    if command.startswith("scrtool check readability"):
        # Step 7: "Put the finished report and response in final/": the lead reviewer's
        # text in place of each placeholder, as the demo writes it (samples/author-text.toml).
        from scrtool.demo import finish_drafts

        (case / "final" / "draft.docx").unlink(missing_ok=True)
        finish_drafts(load_case(case))


def test_the_readme_walkthrough_runs_on_a_fresh_case(invoke, repo, tmp_path, monkeypatch):
    import glob
    import shlex

    readme = (repo / "README.md").read_text(encoding="utf-8")
    commands = walkthrough_commands(readme)
    assert commands[0].startswith("scrtool new")
    assert any(c == "scrtool collate --docx" for c in commands)
    monkeypatch.chdir(tmp_path)
    case = tmp_path / shlex.split(commands[0])[2]
    ran = []
    for command in commands:
        if command.startswith("scrtool new"):
            here = tmp_path
        else:
            here = case
        _by_hand(command, case, repo)
        monkeypatch.chdir(here)
        argv: list[str] = []
        for word in shlex.split(command)[1:]:
            if word == "CASE_DIR...":
                argv.append(str(case))
            elif "*" in word:
                argv.extend(sorted(glob.glob(word)))
            else:
                argv.append(word)
        result = invoke(*argv)
        # The README says which step exits 1: actions --fail-on-overdue when one is overdue.
        expected = 1 if "--fail-on-overdue" in argv else 0
        assert result.exit_code == expected, f"{command}\n{result.stdout}\n{result.stderr}"
        ran.append(command)
    assert "exits 1 when an action is overdue" in readme
    assert (case / "working" / "chronology.docx").is_file()
    assert (case / "submission" / "NS-2026-01-panel-submission.zip").is_file()
    assert len(ran) >= 12


def test_publish_in_the_case_folder_writes_the_website_copy(invoke, case_copy, monkeypatch):
    (case_copy / "website").mkdir(exist_ok=True)
    for old in (case_copy / "website").iterdir():
        old.unlink()
    monkeypatch.chdir(case_copy)
    result = invoke("publish", "--output", "website")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (case_copy / "website").iterdir())
    assert names == ["NS-2026-01-report.pdf", "NS-2026-01-response.pdf"]
