"""scrtool check accessibility: exit codes, stderr sentences and the --json shape."""

from __future__ import annotations

import json

from accessibility_docs import build_report
from conftest import DATA
from json_helpers import only_error_document


def test_a_report_that_passes(invoke, tmp_path):
    path = build_report(tmp_path / "good.docx")
    result = invoke("check", "accessibility", path)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"{path}: passed" in result.stdout
    assert "Accessibility check passed: 1 file checked" in result.stdout
    assert result.stderr == ""


def test_findings_exit_1_with_place_kind_text_and_how_to_fix(invoke, tmp_path):
    path = build_report(tmp_path / "bad.docx", title=None, alt=None)
    result = invoke("check", "accessibility", path)
    assert result.exit_code == 1
    assert f"{path}: FAILED" in result.stdout
    assert "document properties (File, Info, Title): title: (no title)" in result.stdout
    assert (
        'picture "Picture 1" on paragraph 6, under "Contacts by month": alt-text: '
        "(no alternative text)"
    ) in result.stdout
    assert "title (WCAG 2.4.2 Page Titled): In Word choose File, then Info" in result.stdout
    assert "alt-text (WCAG 1.1.1 Non-text Content): In Word, right-click the picture" in (
        result.stdout
    )
    assert "Accessibility check failed: 1 of 1 file needs fixing" in result.stdout
    assert "Traceback" not in result.stderr


def test_json_is_the_contracts_shape(invoke, tmp_path):
    bad = build_report(tmp_path / "bad.docx", table="none")
    good = build_report(tmp_path / "good.docx")
    result = invoke("check", "accessibility", bad, good, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"passed", "files"} and data["passed"] is False
    first, second = data["files"]
    assert set(first) == {"path", "passed", "findings"}
    assert first["path"] == str(bad) and first["passed"] is False
    (finding,) = first["findings"]
    assert set(finding) == {"kind", "text", "location", "severity", "advice"}
    assert finding["kind"] == "table-header" and finding["severity"] == "high"
    assert "Repeat Header Rows" in finding["advice"]
    assert second == {"path": str(good), "passed": True, "findings": []}


def test_files_that_cannot_be_read_exit_2_with_one_sentence(invoke, tmp_path):
    corrupt = tmp_path / "corrupt.docx"
    corrupt.write_bytes(b"not a zip at all")
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n", encoding="utf-8")
    for path, words in (
        (tmp_path / "missing.docx", "does not exist"),
        (corrupt, "is not a Word document"),
        (notes, "which scrtool cannot read"),
        (DATA / "readers" / "entities.docx", "declares a DTD or entities"),
    ):
        result = invoke("check", "accessibility", path)
        assert result.exit_code == 2, path
        assert result.stdout == ""
        assert words in result.stderr and str(path) in result.stderr
        assert result.stderr.strip().count("\n") == 0, result.stderr
        assert "Traceback" not in result.stderr
        as_json = invoke("check", "accessibility", path, "--json")
        assert as_json.exit_code == 2 and only_error_document(as_json)
        assert json.loads(as_json.stdout)["file"] == str(path)


def test_no_file_is_a_usage_error(invoke):
    result = invoke("check", "accessibility")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_the_check_group_lists_it(invoke):
    result = invoke("check", "--help")
    assert "accessibility" in result.stdout
