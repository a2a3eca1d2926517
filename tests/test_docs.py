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


# --- Every command line in README.md and docs/*.md runs as the text says (issue 14) ----

import glob  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

from scrtool.case import load_case  # noqa: E402

#: Words that mark a line as a synopsis (a pattern to fill in), not a command to run.
PLACEHOLDERS = re.compile(
    r"\b(?:FILE|FILES|DIR|DIRECTORY|INPUT|TEMPLATE|REF|COMMAND|CASE_DIR|OUT|N|PATTERN|DATE|"
    r"NAME|PSEUDONYM|PATH|TEXT)\b|\.\.\.|\[|\]|\|"
)

#: Command lines whose documented exit is not 0, with the words on their page that say so.
EXPECTED_EXIT = {
    # The sample's action plan has overdue actions on 01/12/2026 (docs/actions.md).
    'scrtool actions --case "NS-2026-01" --today 01/12/2026 --fail-on-overdue --json': (
        1,
        "--fail-on-overdue",
    ),
    # Run on the sample today, its actions are overdue (README step 9).
    "scrtool actions --fail-on-overdue": (1, "--fail-on-overdue"),
    # The demo's drafts keep their placeholders; the demo page says this shows them.
    "scrtool check draft working/*.docx": (1, "shows what the drafts still need"),
}


def doc_command_lines(repo: Path) -> list[tuple[str, str]]:
    """(page, command line) for every runnable scrtool line in the README and docs."""
    out: list[tuple[str, str]] = []
    pages = [repo / "README.md", *sorted((repo / "docs").glob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        lines: list[str] = []
        for block in text.split("```")[1::2]:
            joined = re.sub(r"\\\s*\n\s*", " ", block)
            lines.extend(line.strip() for line in joined.splitlines())
        lines.extend(re.findall(r"`(scrtool [^`]+)`", text))
        for line in lines:
            if not line.startswith("scrtool ") or PLACEHOLDERS.search(line):
                continue
            if ":\\" in line:  # a Windows path: the same command is run with a local one
                continue
            words = shlex.split(line)
            if len(words) <= 3 and not any(w.startswith("-") or "/" in w for w in words[1:]):
                continue  # a command named in a sentence ("run scrtool report"), not run
            if (page.name, line) not in out:
                out.append((page.name, line))
    return out


def test_the_docs_hold_command_lines(repo):
    lines = doc_command_lines(repo)
    assert len(lines) > 20
    assert any("collate" in line for _, line in lines)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A folder holding the sample case as NS-2026-01 (and a second, NS-2025-03), with the
    files the examples name."""
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("docs")
    case = root / "NS-2026-01"
    result = CliRunner().invoke(cli, ["demo", str(case)])
    assert (case / "case.toml").is_file(), result.stdout + result.stderr
    shutil.copytree(case, root / "NS-2025-03")
    (root / "NS-2025-03" / "case.toml").write_text(
        (case / "case.toml").read_text(encoding="utf-8").replace("NS-2026-01", "NS-2025-03"),
        encoding="utf-8",
    )
    (root / "Reviews").mkdir()
    shutil.copytree(case, root / "Reviews" / "NS-2026-01")
    return root


def prepare(here: Path, case: Path, line: str, repo: Path) -> None:
    """The files the examples name, made from the sample case."""
    final = case / "final"
    if "report.docx" in line and "final/" not in line:
        shutil.copy(final / "overview-report.docx", here / "report.docx")
    if "response.docx" in line:
        shutil.copy(final / "partnership-response.docx", here / "response.docx")
    if "report.pdf" in line:
        from scrtool.bundle.convert import convert_to_pdf

        (pdf,) = convert_to_pdf([final / "overview-report.docx"], here)
        pdf.rename(here / "report.pdf")
    if "final/report.docx" in line:
        (final / "overview-report.docx").rename(final / "report.docx")
    if "working/draft.docx" in line:
        shutil.copy(final / "overview-report.docx", case / "working" / "draft.docx")
    if "names.txt" in line:
        (here / "names.txt").write_text("# real names\nNobody Invented\n", encoding="utf-8")
    if "templates/" in line:
        shutil.copytree(repo / "templates", here / "templates", dirs_exist_ok=True)
    if "agencies.xlsx" in line:
        agencies_workbook(case, here / "agencies.xlsx")
    if line.startswith("scrtool screen") and "--replace" not in line:
        # The example is the first decision, before a signed record exists.
        (case / "working" / "screening-decision.docx").unlink(missing_ok=True)
    if line.startswith("scrtool report"):
        # The example is the first run, before the lead reviewer has a draft to keep.
        from scrtool.drafting.report import panel_letter_path

        loaded = load_case(case)
        for draft in (*loaded.report_drafts, panel_letter_path(loaded)):
            draft.unlink(missing_ok=True)


def agencies_workbook(case_dir: Path, target: Path) -> None:
    """One row per agency of the sample case, with every variable its letter uses."""
    import datetime as dt

    from openpyxl import Workbook

    from scrtool.drafting.requests import letter_context

    case = load_case(case_dir)
    rows = [
        letter_context(case, agency, return_file=f"{agency.name}.xlsx", today=dt.date(2026, 2, 9))
        for agency in case.agencies
    ]
    keys = [k for k, v in rows[0].items() if isinstance(v, (str, int, float, dt.date))]
    wb = Workbook()
    ws = wb.active
    ws.append(keys)
    for row in rows:
        ws.append([row[k] for k in keys])
    wb.save(target)


@pytest.mark.parametrize(
    ("page", "line"),
    doc_command_lines(Path(__file__).resolve().parent.parent),
    ids=lambda v: v if v.endswith(".md") else v[8:60],
)
def test_every_documented_command_runs_as_the_text_says(
    invoke, workspace, tmp_path, monkeypatch, repo, page, line
):
    run_root = tmp_path / "w"
    shutil.copytree(workspace, run_root, symlinks=True)
    case = run_root / "NS-2026-01"
    words = shlex.split(line)[1:]
    # A line naming a case folder runs beside it; "new" runs in an empty folder; any other
    # runs inside the case folder.
    if words[0] == "new":
        here = tmp_path / "empty"
        here.mkdir()
    elif any("NS-20" in w or "Reviews" in w for w in words):
        here = run_root
    else:
        here = case
    prepare(here, case, line, repo)
    monkeypatch.chdir(here)
    argv: list[str] = []
    for word in words:
        matches = sorted(glob.glob(word)) if any(c in word for c in "*?") else []
        argv.extend(matches or [word])
    code, because = EXPECTED_EXIT.get(line, (0, ""))
    if because:
        assert because in (
            repo / ("README.md" if page == "README.md" else f"docs/{page}")
        ).read_text(encoding="utf-8")
    result = invoke(*argv)
    assert result.exit_code == code, f"{page}: {line}\n{result.stdout}\n{result.stderr}"
    if "--json" in argv:
        import json

        json.loads(result.stdout)
