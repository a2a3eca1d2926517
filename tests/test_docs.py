"""Every command has help with a worked example and a page under docs/ (after sqlite-utils)."""

from __future__ import annotations

import click
import pytest

from scrtool.cli import COMMANDS, cli, load_command


def all_commands():
    out = []
    for name, module in sorted(COMMANDS.items()):
        command = load_command(module)
        if command is None:
            continue
        if isinstance(command, click.Group):
            subs = getattr(command, "all_commands", command.commands)
            for sub_name, sub in sorted(subs.items()):
                out.append((f"{name}-{sub_name}", [name, sub_name], sub))
        else:
            out.append((name, [name], command))
    return out


COMMAND_IDS = [c[0] for c in all_commands()]


def test_every_registered_command_exists():
    missing = [name for name, module in COMMANDS.items() if load_command(module) is None]
    assert not missing, f"registered but not built: {missing}"


@pytest.mark.parametrize(("doc_name", "argv", "command"), all_commands(), ids=COMMAND_IDS)
def test_command_has_help_with_an_example(invoke, doc_name, argv, command):
    result = invoke(*argv, "--help")
    assert result.exit_code == 0
    assert len((command.help or "").strip()) > 40
    assert "Example" in result.stdout, f"scrtool {' '.join(argv)} --help shows no worked example"


@pytest.mark.parametrize(("doc_name", "argv", "command"), all_commands(), ids=COMMAND_IDS)
def test_command_has_a_docs_page(repo, doc_name, argv, command):
    page = repo / "docs" / f"{doc_name}.md"
    assert page.exists(), f"docs/{doc_name}.md is missing"
    text = page.read_text(encoding="utf-8")
    assert f"scrtool {' '.join(argv)}" in text
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt not in ("--help",):
                assert opt in text, f"docs/{doc_name}.md does not mention {opt}"


def test_readme_has_exactly_the_two_commands_and_ci_runs_the_test_one(repo):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    ci = (repo / ".ci" / "run").read_text(encoding="utf-8")
    blocks = readme.split("```")
    first_code = [b for b in blocks[1::2]][:2]
    assert len(first_code) == 2
    demo_cmd = first_code[0].strip().splitlines()[-1]
    test_cmd = first_code[1].strip().splitlines()[-1]
    assert "scrtool demo" in demo_cmd
    assert "pytest" in test_cmd
    assert test_cmd in ci.splitlines()


def test_top_level_help_lists_commands(invoke):
    result = invoke("--help")
    for name in COMMANDS:
        if load_command(COMMANDS[name]) is not None:
            assert name in result.stdout


def test_cli_group_is_the_entry_point():
    assert isinstance(cli, click.Group)
