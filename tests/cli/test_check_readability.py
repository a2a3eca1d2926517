from __future__ import annotations

import json
from pathlib import Path

import pytest
from json_helpers import only_error_document
from readability_files import EASY, HARD, make_docx, make_pdf

from scrtool.review.new_case import create_case


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def easy(tmp_path) -> Path:
    return write(tmp_path, "easy.txt", EASY)


@pytest.fixture
def hard(tmp_path) -> Path:
    return write(tmp_path, "hard.md", f"# Analysis\n\n{HARD}\n\nThe MASH utilised the plan.\n")


def test_passing_file_is_exit_0(invoke, easy):
    result = invoke("check", "readability", easy)
    assert result.exit_code == 0, result.stderr
    assert "PASSED" in result.stdout
    assert "Reading ease 99.1 (at least 50)" in result.stdout
    assert result.stderr == ""


def test_failing_file_is_exit_1_with_reasons_worst_first(invoke, easy, hard):
    result = invoke("check", "readability", easy, hard)
    assert result.exit_code == 1
    out = result.stdout
    assert "FAILED" in out and "PASSED" in out
    assert "Why it fails: reading ease -92.4 is below 50 and grade" in out
    assert "above 11 for the whole text; 1 section reads too hard." in out
    assert "Sections that read too hard (1 of 1), hardest first:" in out
    assert '"Analysis": reading ease' in out
    assert "1 sentence over 25 words, longest first:" in out
    assert '41 words, section "Analysis", paragraph 1:' in out
    assert '"utilised": try "use"' in out
    assert "MASH is used before it is spelled out" in out
    assert "1 of 2 files failed" in out
    assert "Traceback" not in result.stderr


def test_json_is_one_document_in_the_contract_shape(invoke, tmp_path, easy):
    docx = make_docx(tmp_path / "report.docx")
    result = invoke("check", "readability", docx, easy, "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["passed"] is False
    assert [f["path"] for f in doc["files"]] == [str(docx), str(easy)]
    for file in doc["files"]:
        for key in (
            "path",
            "passed",
            "words",
            "sentences",
            "flesch_reading_ease",
            "flesch_kincaid_grade",
            "long_sentences",
            "sections",
        ):
            assert key in file
        for sentence in file["long_sentences"]:
            assert set(sentence) >= {"text", "words", "location"}
        for section in file["sections"]:
            assert set(section) >= {
                "heading",
                "words",
                "flesch_reading_ease",
                "flesch_kincaid_grade",
            }
    assert doc["files"][1]["passed"] is True
    assert doc["files"][0]["long_sentences"][0]["location"] == 'section "Findings", paragraph 1'
    assert result.stderr == ""


def test_flags_override_the_case(invoke, tmp_path, easy):
    case = create_case(tmp_path / "case", ref="NS-2026-01")
    text = case.file.read_text(encoding="utf-8").replace("# max_grade = 11", "max_grade = 1")
    case.file.write_text(text, encoding="utf-8")
    strict = invoke("check", "readability", easy, "--case", case.root, "--json")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)["thresholds"]["max_grade"] == 1
    relaxed = invoke("check", "readability", easy, "--case", case.root, "--max-grade", "3")
    assert relaxed.exit_code == 0, relaxed.stdout


def test_case_in_the_current_folder_is_used(invoke, tmp_path, easy, monkeypatch):
    case = create_case(tmp_path / "case", ref="NS-2026-01")
    text = case.file.read_text(encoding="utf-8").replace(
        "# min_reading_ease = 50", "min_reading_ease = 100"
    )
    case.file.write_text(text, encoding="utf-8")
    monkeypatch.chdir(case.root)
    assert invoke("check", "readability", easy).exit_code == 1


def test_threshold_flags(invoke, hard):
    result = invoke(
        "check",
        "readability",
        hard,
        "--min-reading-ease",
        "0",
        "--max-grade",
        "30",
        "--long-sentence-words",
        "50",
        "--min-section-words",
        "1000",
        "--json",
    )
    # Reading ease is below zero, so it still fails on the whole text, and nothing else.
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    problems = doc["files"][0]["problems"]
    assert problems and all(p.startswith("whole document: ") for p in problems)
    assert doc["files"][0]["long_sentences"] == []
    assert all(not s["checked"] for s in doc["files"][0]["sections"])


def test_bad_threshold_is_exit_2(invoke, easy):
    result = invoke("check", "readability", easy, "--max-grade", "lots")
    assert result.exit_code == 2
    assert "--max-grade" in result.stderr


def test_pdf_file(invoke, tmp_path):
    result = invoke("check", "readability", make_pdf(tmp_path / "r.pdf"))
    assert result.exit_code == 1
    assert '"Findings": reading ease' in result.stdout
    assert "page 2, section" in result.stdout


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.docx", b"", "is empty"),
        ("broken.pdf", b"%PDF-1.4\nrubbish", "PDF"),
        ("renamed.docx", b"plain text really", "not a Word document"),
    ],
)
def test_unreadable_file_is_exit_2_naming_it(invoke, tmp_path, easy, name, content, words):
    bad = tmp_path / name
    bad.write_bytes(content)
    result = invoke("check", "readability", easy, bad, "--json")
    assert result.exit_code == 2
    assert only_error_document(result)
    assert str(bad) in result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_encrypted_pdf_is_exit_2(invoke, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(make_pdf(tmp_path / "open.pdf")).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", algorithm="AES-256")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    result = invoke("check", "readability", locked)
    assert result.exit_code == 2
    assert "locked.pdf: is password-protected" in result.stderr


def test_missing_file_and_wrong_kind_are_exit_2(invoke, tmp_path):
    result = invoke("check", "readability", tmp_path / "nope.docx")
    assert result.exit_code == 2
    assert "nope.docx: does not exist" in result.stderr
    odt = tmp_path / "report.odt"
    odt.write_bytes(b"x")
    result = invoke("check", "readability", odt)
    assert result.exit_code == 2
    assert "save it as a Word document (.docx) or PDF" in result.stderr


def test_no_files_is_a_usage_error(invoke):
    result = invoke("check", "readability")
    assert result.exit_code == 2


def test_long_lists_are_capped_in_the_terminal(invoke, tmp_path):
    sentence = "Then " + " ".join(["word"] * 30) + " end."
    text = "\n\n".join(f"Paragraph {i}. {sentence}" for i in range(9))
    result = invoke("check", "readability", write(tmp_path, "long.txt", text))
    assert "9 sentences over 25 words" in result.stdout
    assert "... and 4 more long sentences (use --json to see them all)." in result.stdout


def test_no_color_is_honoured(invoke, hard, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    result = invoke("check", "readability", hard, color=True)
    assert "\x1b[" not in result.stdout


def test_one_word_and_one_sentence_are_singular(invoke, tmp_path):
    result = invoke("check", "readability", write(tmp_path, "one.txt", "Short.\n"))
    assert "1 word, 1 sentence." in result.stdout
