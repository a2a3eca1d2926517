from __future__ import annotations

import json
import subprocess
import sys

from json_helpers import only_error_document

from scrtool import __version__
from scrtool.case import CASE_FILE


def test_version(invoke):
    result = invoke("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_python_m_scrtool_works():
    out = subprocess.run(
        [sys.executable, "-m", "scrtool", "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in out.stdout


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from scrtool.cli import cli\n"
        "try:\n    cli(['--help'], prog_name='scrtool')\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('openpyxl', 'docxtpl', 'pypdf', 'textstat', 'python_calamine', 'reportlab') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_new_makes_a_case(invoke, tmp_path):
    result = invoke("new", tmp_path / "case", "--ref", "NS-2026-07", "--type", "scr")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "case" / CASE_FILE).exists()
    assert "NS-2026-07" in result.stdout


def test_new_json(invoke, tmp_path):
    result = invoke("new", tmp_path / "case", "--ref", "NS-2026-07", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["ref"] == "NS-2026-07" and doc["type"] == "lcspr"


def test_new_twice_is_exit_2_with_one_sentence(invoke, tmp_path):
    invoke("new", tmp_path / "case", "--ref", "A1")
    result = invoke("new", tmp_path / "case", "--ref", "A2")
    assert result.exit_code == 2
    assert "already holds a case.toml" in result.stderr
    assert "Traceback" not in result.stderr
    assert only_error_document(result)


def test_bad_ref(invoke, tmp_path):
    result = invoke("new", tmp_path / "case", "--ref", "a/b")
    assert result.exit_code == 2
    assert "review.ref" in result.stderr
    assert not (tmp_path / "case").exists()


def test_unknown_option_is_exit_2(invoke):
    result = invoke("new", "--nonsense")
    assert result.exit_code == 2


def test_a_cp1252_console_gets_exact_ascii_json_and_no_crash(tmp_path):
    """Windows scripts that redirect stdout get the ANSI code page, not UTF-8."""
    import os

    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    case = tmp_path / "Przegląd – ążź"
    out = subprocess.run(
        [sys.executable, "-m", "scrtool", "new", str(case), "--ref", "A1", "--json"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout.decode("ascii"))
    assert doc["case"] == str(case)
    human = subprocess.run(
        [sys.executable, "-m", "scrtool", "new", str(tmp_path / "Ödön – ✓"), "--ref", "A2"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert human.returncode == 0, human.stderr
    assert b"Traceback" not in human.stderr


def test_new_with_an_empty_folder_name_makes_no_case_here(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("new", "", "--ref", "NS-2026-07")
    assert result.exit_code == 2
    assert "no folder name" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / CASE_FILE).exists()
