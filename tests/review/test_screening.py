"""The criteria for a review: every combination of answers, the grounds and the record."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
from json_helpers import only_error_document

from scrtool.case import load_case
from scrtool.errors import CaseError, InputError
from scrtool.review.screening import (
    NOT_REQUIRED,
    PROPORTIONATE_REMINDER,
    REQUIRED,
    Answers,
    decide,
    missing_answers,
    screen,
)

REPO = Path(__file__).resolve().parents[2]

ABUSE = ("known", "suspected", "no")
OUTCOME = ("died", "serious-harm", "none")
CONCERNS = ("yes", "no", "unclear")
CUSTODY = ("yes", "no")
ALL = list(itertools.product(ABUSE, OUTCOME, CONCERNS, CUSTODY))


def expected(abuse: str, outcome: str, concerns: str, custody: str) -> str:
    """The seed's rule, written out as plainly as possible."""
    abuse_known_or_suspected = abuse in ("known", "suspected")
    if abuse_known_or_suspected and outcome == "died":
        return REQUIRED
    if abuse_known_or_suspected and outcome == "serious-harm" and concerns != "no":
        return REQUIRED
    if custody == "yes" and outcome == "died":
        return REQUIRED
    return NOT_REQUIRED


@pytest.mark.parametrize(("abuse", "outcome", "concerns", "custody"), ALL)
def test_every_combination(abuse, outcome, concerns, custody):
    result = decide(Answers(abuse, outcome, concerns, custody))
    assert result.decision == expected(abuse, outcome, concerns, custody)
    assert result.grounds and all(g.endswith(".") for g in result.grounds)
    if result.decision == NOT_REQUIRED:
        assert result.grounds[-1] == PROPORTIONATE_REMINDER
        assert "not required" in result.decision_text
    else:
        assert PROPORTIONATE_REMINDER not in result.grounds
        if custody == "yes" and outcome == "died":
            # "Should", not "must": the guidance says such a death should always be reviewed.
            assert "should be held" in result.decision_text
            assert "should always be reviewed" in result.decision_text
            assert not any("must be held" in g for g in result.grounds)
        else:
            assert "is required" in result.decision_text
    assert len(set(result.grounds)) == len(result.grounds)


@pytest.mark.parametrize(("abuse", "outcome", "concerns", "custody"), ALL)
def test_cli_every_combination(invoke, tmp_path, monkeypatch, abuse, outcome, concerns, custody):
    monkeypatch.chdir(tmp_path)
    result = invoke(
        "screen", "--abuse-or-neglect", abuse, "--outcome", outcome,
        "--agency-concerns", concerns, "--custody", custody, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["decision"] == expected(abuse, outcome, concerns, custody)
    assert isinstance(doc["grounds"], list) and all(isinstance(g, str) for g in doc["grounds"])
    assert not list(tmp_path.iterdir())  # no case folder, no record


def test_grounds_name_the_criterion():
    died = decide(Answers("known", "died", "no", "no"))
    assert "Abuse or neglect of the child is known." in died.grounds
    assert "The child has died." in died.grounds
    assert died.grounds[-1] == "So the criteria for a review are met."
    # Issue 11: the conclusion does not repeat the facts above it.
    assert not any("known or suspected and the child has died" in g for g in died.grounds)
    harm = decide(Answers("suspected", "serious-harm", "unclear", "no"))
    assert any("not clear that there are no concerns" in g for g in harm.grounds)
    custody = decide(Answers("no", "died", "no", "yes"))
    assert (
        "The child died in custody or detention: such a death should always be reviewed, "
        "whatever the other answers." in custody.grounds
    )
    assert custody.grounds[-1] == "So a review should be held."
    clear = decide(Answers("known", "serious-harm", "no", "no"))
    assert clear.decision == NOT_REQUIRED
    assert any("clear that there are no concerns" in g for g in clear.grounds)


def test_answers_the_decision_does_not_need_may_be_missing():
    assert decide(Answers("known", "died")).decision == REQUIRED
    assert decide(Answers(outcome="died", custody="yes")).decision == REQUIRED
    assert decide(Answers("no", "serious-harm", custody="no")).decision == NOT_REQUIRED
    assert decide(Answers(outcome="none")).decision == NOT_REQUIRED


def test_missing_answers_that_matter_are_named():
    assert missing_answers(Answers("known", "serious-harm", None, "no")) == ["agency_concerns"]
    assert missing_answers(Answers(None, "died", "no", None)) == ["abuse_or_neglect", "custody"]
    with pytest.raises(InputError, match="--agency-concerns") as info:
        decide(Answers("known", "serious-harm"))
    assert "case.toml" not in str(info.value)
    with pytest.raises(InputError, match="--outcome") as several:
        decide(Answers())
    assert "give the answers and run" in str(several.value)
    assert "give the answer and run" in str(info.value)


# --- with a case folder ----------------------------------------------------------------


@pytest.fixture
def sample_case(tmp_path) -> Path:
    root = tmp_path / "case"
    (root / "working").mkdir(parents=True)
    shutil.copy(REPO / "samples" / "case.toml", root / "case.toml")
    return root


def read_docx(path: Path) -> tuple[list[str], dict[str, str]]:
    import docx

    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    cells = {r.cells[0].text: r.cells[1].text for t in document.tables for r in t.rows}
    return paragraphs, cells


def test_sample_case_is_an_lcspr_the_partners_decided(sample_case):
    result = screen(case=load_case(sample_case))
    assert result.review_type == "lcspr"
    assert result.decision == "lcspr"
    assert result.notifiable is True and result.rapid_review_required is True
    assert result.record == sample_case / "working" / "screening-decision.docx"
    paragraphs, cells = read_docx(result.record)
    assert result.decision_text in paragraphs
    for ground in result.grounds:
        assert ground in paragraphs
    assert cells["Review reference"] == "NS-2026-01"
    assert cells["Kind of review"] == "Local Child Safeguarding Practice Review"
    assert cells["Was abuse or neglect known or suspected?"] == "Suspected"
    assert cells["What happened to the child?"] == "Serious harm"
    assert cells["Is there cause for concern about how agencies worked together?"] == "Unclear"
    # The signature block, filled from case.toml.
    assert cells["Name"] == "Dr Harriet Quennell"
    assert cells["Role"].startswith("Chair of the Northshire Case Review Group")
    assert cells["Date of the decision"] == "28 January 2026"
    assert "Signature" in cells
    text = "\n".join(paragraphs + list(cells.values()))
    assert "Notifiable to the Panel: yes." in paragraphs
    assert "Rapid review due: yes (by 30 January 2026)." in paragraphs
    for matter in result.matters:
        assert matter in paragraphs
    reasons_lines = [p for p in paragraphs if result.reasons and result.reasons in p]
    assert len(reasons_lines) == 1 and "Their reasons: " in reasons_lines[0]
    for banned in ("Review required", "must be held", "The law says", "lcspr", "unclear"):
        assert banned not in text


def test_flags_override_case_toml(sample_case, invoke):
    result = invoke(
        "screen", "--case", sample_case, "--partners-decision", "no-lcspr",
        "--reasons", "The learning is already being acted on.", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["decision"] == "no-lcspr"
    assert doc["reasons"] == "The learning is already being acted on."
    paragraphs, _ = read_docx(Path(doc["record"]))
    assert (
        "The partners' decision: The partners decided not to commission a local child safeguarding practice review."
        in paragraphs
    )


def test_cli_text_output(sample_case, invoke):
    result = invoke("screen", "--case", sample_case)
    assert result.exit_code == 0
    assert "The incident is notifiable and a rapid review is due." in result.stdout
    assert "What happened to the child? Serious harm" in result.stdout
    assert "Grounds:" in result.stdout
    assert "regulation 11" in result.stdout
    assert "screening-decision.docx" in result.stderr


def test_cli_not_required_says_so_plainly(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("screen", "--abuse-or-neglect", "no", "--outcome", "serious-harm",
                    "--custody", "no")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "A review is not required" in result.stdout
    assert "proportionate learning review" in result.stdout


def test_no_record_flag(sample_case, invoke):
    result = invoke("screen", "--case", sample_case, "--no-record", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["record"] is None
    assert not (sample_case / "working" / "screening-decision.docx").exists()


def test_missing_answer_in_case_is_exit_2_naming_the_key(tmp_path, invoke):
    root = tmp_path / "c"
    root.mkdir()
    (root / "case.toml").write_text(
        '[review]\nref = "T-1"\ntype = "scr"\n[screening]\nabuse_or_neglect = "known"\n'
        'outcome = "serious-harm"\ncustody = "no"\n',
        encoding="utf-8",
    )
    result = invoke("screen", "--case", root)
    assert result.exit_code == 2
    assert "[screening] agency_concerns" in result.stderr
    assert "--agency-concerns" in result.stderr
    assert "Traceback" not in result.stderr
    assert only_error_document(result)
    assert not (root / "working").exists()
    with pytest.raises(CaseError):
        screen(case=load_case(root))


def test_bad_value_in_case_toml_is_exit_2(tmp_path, invoke):
    root = tmp_path / "c"
    root.mkdir()
    (root / "case.toml").write_text(
        '[review]\nref = "T-1"\ntype = "scr"\n[screening]\noutcome = "dead"\n', encoding="utf-8"
    )
    result = invoke("screen", "--case", root)
    assert result.exit_code == 2
    assert "screening.outcome" in result.stderr and "Traceback" not in result.stderr


def test_bad_flag_value_is_exit_2(invoke):
    result = invoke("screen", "--outcome", "maybe")
    assert result.exit_code == 2
    assert "--outcome" in result.stderr


def test_missing_case_folder_is_exit_2(invoke, tmp_path):
    result = invoke("screen", "--case", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "nowhere: does not exist" in result.stderr


def test_locked_record_is_refused(sample_case, invoke):
    record = sample_case / "working" / "screening-decision.docx"
    record.write_bytes(b"old")
    (sample_case / "working" / "~$screening-decision.docx").write_bytes(b"")
    result = invoke("screen", "--case", sample_case, "--replace")
    assert result.exit_code == 2
    assert "close it and try again" in result.stderr
    assert record.read_bytes() == b"old"


def test_demo_step(tmp_path):
    from scrtool.demo import make_demo_case
    from scrtool.demo import screening_step as demo_step

    case = make_demo_case(tmp_path / "demo")
    result = demo_step(case)
    assert result.exit_code == 0, result.summary
    assert result.summary.startswith("The incident is notifiable")
    assert "decided to commission" in result.summary
    assert result.outputs == (case.root / "working" / "screening-decision.docx",)
