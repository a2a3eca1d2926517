"""scrtool report: the overview report skeleton and the partnership response from a case."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from docx_helpers import body_text, docx_text, make_template, ordered_text

from scrtool.case import load_case
from scrtool.drafting.report import build_report, summarise_chronology
from scrtool.errors import OutputError, TemplateError
from scrtool.review.action_plan import load_schema, read_action_plan, write_action_plan

CHRONOLOGY_HEADER = [
    "Date", "Time", "Agency", "Source", "Event type", "Details", "Action taken",
    "Source file", "Source sheet", "Source row",
]  # fmt: skip

ACTIONS = [
    # finding, recommendation, action, lead agency, owner, due, status, evidence, completed, impact
    ("Staff did not share worries.", "Share worries at once.", "Train staff to share worries.",
     "Northshire Police", "Training lead", dt.datetime(2026, 6, 1), "Complete", "Records",
     dt.datetime(2026, 5, 20), "More referrals came in on time."),
    ("Staff did not share worries.", "Share worries at once.", "Check referrals each month.",
     "Northshire Children's Social Care", "Team manager", dt.datetime(2026, 11, 1), "In progress",
     None, None, None),
    ("Plans were not checked.", "Check plans.", "Stop the old form.", "Brookside Medical Practice",
     None, dt.datetime(2026, 4, 1), "Cancelled", None, None, None),
]  # fmt: skip


def write_chronology(path: Path, rows: list[tuple[dt.datetime, str]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(CHRONOLOGY_HEADER)
    for n, (day, agency) in enumerate(rows, start=2):
        sheet.append([day, None, agency, "Record", "Home visit", "Seen", "None", "f.xlsx", "S", n])
    book.create_sheet("Needs attention")
    book.create_sheet("Summary")
    book.save(path)


def fill_action_plan(path: Path, agencies: list[str]) -> None:
    from openpyxl import load_workbook

    write_action_plan(path, agencies=agencies)
    book = load_workbook(path)
    sheet = book[load_schema().sheet]
    for r, row in enumerate(ACTIONS, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    book.save(path)


@pytest.fixture
def case_dir(repo, tmp_path) -> Path:
    root = tmp_path / "case"
    (root / "working").mkdir(parents=True)
    shutil.copy(repo / "samples" / "case.toml", root / "case.toml")
    return root


@pytest.fixture
def full_case(case_dir) -> Path:
    case = load_case(case_dir)
    write_chronology(
        case_dir / "working" / "chronology.xlsx",
        [
            (dt.datetime(2024, 5, 2), "Northshire Police"),
            (dt.datetime(2024, 4, 9), "Northshire Police"),
            (dt.datetime(2025, 1, 3), "Northshire Police"),
            (dt.datetime(2024, 7, 1), "Brookside Medical Practice"),
        ],
    )
    fill_action_plan(case_dir / "working" / "action-plan.xlsx", [a.name for a in case.agencies])
    return case_dir


def test_report_fills_both_documents(full_case):
    result = build_report(load_case(full_case))
    overview, response, letter = result.outputs
    assert overview == full_case / "working" / "overview-report.docx"
    assert response == full_case / "working" / "partnership-response.docx"
    assert letter == full_case / "working" / "panel-letter.docx"
    assert result.chronology_rows == 4 and result.actions == 3
    assert not [n for n in result.notes if "chronology" in n or "action-plan" in n]
    text = "\n".join(body_text(overview))
    for heading in (
        "Summary", "Why the review was held", "What the review looked at",
        "How the review was done", "How the family and staff took part", "Child A's life",
        "What the records show", "Other processes", "Analysis", "Good practice",
        "Findings", "Recommendations", "Glossary",
    ):  # fmt: skip
        assert heading in text
    # The sample is an LCSPR: the partners decide; no "must" and no "required".
    assert "A review is required" not in text and "The law says" not in text
    assert "Morgan Ellery" in text and "2 February 2026" in text
    assert "Staff did not share worries." in text and "Plans were not checked." in text
    assert text.count("Share worries at once.") == 1
    assert "{{" not in docx_text(overview)


def test_chronology_table_per_agency(full_case):
    from docx import Document

    overview = build_report(load_case(full_case)).outputs[0]
    table = next(t for t in Document(str(overview)).tables if t.rows[0].cells[0].text == "Agency")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows[1:]}
    assert rows["Northshire Police"] == ["3", "9 April 2024", "3 January 2025"]
    assert rows["Brookside Medical Practice"] == ["1", "1 July 2024", "1 July 2024"]
    assert rows["Northshire Probation Service"] == ["0", "none", "none"]


def test_response_has_the_three_parts(full_case):
    response = build_report(load_case(full_case)).outputs[1]
    text = ordered_text(response)
    taken = text.index("Actions already taken")
    impact = text.index("The difference these actions have made")
    more = text.index("What more will be done")
    assert taken < impact < more
    assert "Train staff to share worries." in text[taken:impact]
    assert "20 May 2026" in text[taken:impact]
    assert "More referrals came in on time." in text[impact:more]
    assert "Check referrals each month." in text[more:]
    assert "1 November 2026" in text[more:]
    assert "Stop the old form." not in text


def test_missing_chronology_and_plan_leave_notes(case_dir):
    """The notes go to the officer; the documents hold placeholders, never the notes."""
    result = build_report(load_case(case_dir))
    assert "scrtool collate" in result.notes[0]
    assert any("action-plan.xlsx: not found" in n for n in result.notes)
    overview_text = "\n".join(body_text(result.outputs[0]))
    assert "[Write what the agencies' records show.]" in overview_text
    response_text = "\n".join(body_text(result.outputs[1]))
    assert "[List the actions already taken.]" in response_text
    assert "No action" not in response_text
    for output in result.outputs:
        assert "scrtool" not in docx_text(output)


def test_report_passes_readability_and_redaction(full_case):
    from scrtool.checks.readability import check_readability
    from scrtool.checks.redaction import check_redaction

    case = load_case(full_case)
    outputs = list(build_report(case).outputs)[:2]  # the letter is not published
    readability = check_readability(outputs, case=case)
    assert readability.passed, json.dumps(readability.to_json(), default=str)
    redaction = check_redaction(outputs, case=case)
    assert redaction.passed, json.dumps(redaction.to_json(), default=str)
    text = "\n".join(docx_text(p) for p in outputs)
    for term in case.register_terms:
        assert term not in text


def test_case_template_overrides_the_default(full_case):
    (full_case / "templates").mkdir()
    make_template(full_case / "templates" / "overview-report.docx", ["Own: {{ ref }}"])
    overview = build_report(load_case(full_case)).outputs[0]
    assert body_text(overview) == ["Own: NS-2026-01"]


def test_case_template_with_unknown_variable(full_case):
    (full_case / "templates").mkdir()
    make_template(full_case / "templates" / "partnership-response.docx", ["{{ nonsense }}"])
    with pytest.raises(TemplateError, match='"nonsense"'):
        build_report(load_case(full_case))
    assert not (full_case / "working" / "overview-report.docx").exists()


def test_summarise_chronology_without_the_sheet(tmp_path):
    from openpyxl import Workbook

    Workbook().save(tmp_path / "c.xlsx")
    from scrtool.errors import DataError

    with pytest.raises(DataError, match='no sheet called "Chronology"'):
        summarise_chronology(tmp_path / "c.xlsx")


def test_action_plan_workbook_from_new(invoke, tmp_path):
    from openpyxl import load_workbook

    result = invoke("new", tmp_path / "c", "--ref", "NS-2026-09")
    assert result.exit_code == 0
    path = tmp_path / "c" / "working" / "action-plan.xlsx"
    book = load_workbook(path)
    schema = load_schema()
    sheet = book[schema.sheet]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.name for c in schema.columns]
    assert sheet.freeze_panes == "A2"
    assert book["Lists"].sheet_state == "hidden"
    validations = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
    status_col = "ABCDEFGHIJ"[headers.index("Status")]
    agency_col = "ABCDEFGHIJ"[headers.index("Lead agency")]
    due_col = "ABCDEFGHIJ"[headers.index("Due date")]
    assert validations[f"{status_col}2"].type == "list"
    assert validations[f"{agency_col}2"].type == "list"
    assert validations[f"{due_col}2"].type == "date"
    statuses = [
        book["Lists"].cell(row=i, column=1).value for i in range(2, 2 + len(schema.statuses))
    ]
    assert statuses == list(schema.statuses)
    assert read_action_plan(path) == []


def test_action_plan_lists_the_case_agencies(tmp_path, repo):
    from openpyxl import load_workbook

    case = load_case(repo / "samples")
    write_action_plan(tmp_path / "p.xlsx", agencies=[a.name for a in case.agencies])
    lists = load_workbook(tmp_path / "p.xlsx")["Lists"]
    assert lists["B2"].value == "Northshire Police"


def test_cli_report_json(invoke, full_case):
    result = invoke("report", "--case", full_case, "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["count"] == 3 and doc["chronology_rows"] == 4
    assert not [n for n in doc["notes"] if "chronology" in n or "action-plan" in n]


def test_cli_report_notes_on_stderr(invoke, case_dir):
    result = invoke("report", "--case", case_dir)
    assert result.exit_code == 0
    assert "scrtool collate" in result.stderr
    assert "Filled the overview report" in result.stdout


def test_cli_report_without_a_case(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("report")
    assert result.exit_code == 2
    assert "case.toml" in result.stderr and "Traceback" not in result.stderr


def test_cli_report_locked_output(invoke, full_case):
    working = full_case / "working"
    (working / "partnership-response.docx").write_bytes(b"old")
    (working / "~$rtnership-response.docx").write_bytes(b"lock")
    result = invoke("report", "--case", full_case, "--replace")
    assert result.exit_code == 2
    assert "close it and try again" in result.stderr
    assert not (working / "overview-report.docx").exists()


@pytest.mark.libreoffice
def test_action_plan_opens_in_libreoffice(tmp_path):
    from conftest import convert_with_soffice

    write_action_plan(tmp_path / "action-plan.xlsx", agencies=["Police"])
    assert convert_with_soffice(tmp_path / "action-plan.xlsx", "pdf", tmp_path).exists()


def test_report_from_the_collated_sample_returns(repo, tmp_path):
    """End to end on the committed samples: collate, then report; both checks pass."""
    chronology = pytest.importorskip("scrtool.chronology.collate")
    from scrtool.checks.readability import check_readability
    from scrtool.checks.redaction import check_redaction

    root = tmp_path / "case"
    shutil.copytree(repo / "samples", root)
    (root / "working").mkdir(exist_ok=True)
    case = load_case(root)
    collated = chronology.collate(
        [root / "returns"], output=root / "working" / "chronology.xlsx", case=case
    )
    result = build_report(case)
    # Two of Children's Social Care's rows ("?22/05/2016", "approx. 2021") are before the
    # review period (scope_from 1 April 2024): in the chronology, not in the report's count.
    assert result.chronology_rows == collated.rows_merged - 2
    outputs = list(result.outputs)[:2]
    assert check_readability(outputs, case=case).passed
    assert check_redaction(outputs, case=case).passed


def test_report_and_actions_agree_on_the_sample_plan(invoke, repo, tmp_path):
    """One reading of the plan: the "TBC" row is a row to correct, not an action, in both."""
    root = tmp_path / "case"
    shutil.copytree(repo / "samples", root)
    actions = json.loads(invoke("actions", "--case", root, "--json").stdout)
    result = invoke("report", "--case", root, "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["actions"] == actions["total"] == 12
    assert [b["row"] for b in actions["bad_rows"]] == [6]
    assert any("row 6" in n and "TBC" in n for n in report["notes"])
    assert "row 6" in result.stderr
    response = ordered_text(root / "working" / "partnership-response.docx")
    assert "Row 6" not in response and "scrtool" not in response
    assert "Agree with partners how step-down letters will be checked" not in response
    # A month alone is printed as the plan gave it, never as a day it does not name.
    assert "Northshire Probation Service\nMarch 2027\n" in response
    # The findings are the plan's texts, once each, in order, without "All findings".
    overview = body_text(root / "working" / "overview-report.docx")
    start = overview.index("The review found that:")
    end = overview.index("Recommendations")
    findings = overview[start + 1 : end]
    assert len(findings) == 5 and len(set(findings)) == 5
    assert findings[0].startswith("Police officers at home call-outs")
    assert not any("All findings" in f or f.startswith("Finding ") for f in findings)
    recommendations = overview[end + 2 : overview.index("Glossary")]
    assert len(recommendations) == 9


def test_finding_labels_become_lines_to_write():
    from scrtool.drafting.report import present

    cells = ["Finding 1", "finding 1", "Finding 2", "", "All findings", "3.", "Rec 2a",
             "Staff did not  share worries.", "Staff did not share worries."]  # fmt: skip
    assert present(cells, kind="finding") == [
        "[Finding 1: write the finding here.]",
        "[Finding 2: write the finding here.]",
        "[Finding 3: write the finding here.]",
        "[Finding 2a: write the finding here.]",
        "Staff did not share worries.",
    ]
    assert present(["Recommendation 1", "All recommendations"], kind="recommendation") == [
        "[Recommendation 1: write the recommendation here.]"
    ]


def test_a_plan_with_rows_to_correct_still_fills(case_dir):
    from openpyxl import load_workbook

    path = case_dir / "working" / "action-plan.xlsx"
    fill_action_plan(path, ["Northshire Police"])
    book = load_workbook(path)
    sheet = book[load_schema().sheet]
    sheet["F3"] = "next spring"
    sheet["G4"] = "Parked"
    book.save(path)
    result = build_report(load_case(case_dir))
    assert result.actions == 1
    assert [n for n in result.notes if "action-plan.xlsx" in n][0].count("row 3") == 1
    assert any("row 4" in n for n in result.notes)
    response = ordered_text(result.outputs[1])
    assert "Rows 3" not in response and "scrtool" not in response
    overview = "\n".join(body_text(result.outputs[0]))
    # A row to correct still names its finding: the finding is real even if the row is not.
    assert "Plans were not checked." in overview


def test_no_chronology_yet_says_so_instead_of_a_count(case_dir):
    overview = "\n".join(body_text(build_report(load_case(case_dir)).outputs[0]))
    assert "It has 0 contacts" not in overview
    assert "[Write what the agencies' records show.]" in overview


def test_one_contact_is_singular(case_dir):
    write_chronology(
        case_dir / "working" / "chronology.xlsx", [(dt.datetime(2024, 5, 2), "Northshire Police")]
    )
    overview = "\n".join(body_text(build_report(load_case(case_dir)).outputs[0]))
    assert "It has 1 contact in the review period." in overview


def test_report_on_a_fresh_case_from_scrtool_new(invoke, tmp_path):
    assert invoke("new", tmp_path / "c", "--ref", "NS-2026-77").exit_code == 0
    result = invoke("report", "--case", tmp_path / "c", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["actions"] == 0 and doc["chronology_rows"] == 0
    assert any("holds no actions yet" in n for n in doc["notes"])
    response = ordered_text(tmp_path / "c" / "working" / "partnership-response.docx")
    assert "Every action in the plan is complete." not in response
    assert "[List the actions already taken.]" in response
    assert "[Say what more will be done.]" in response
    overview = "\n".join(body_text(tmp_path / "c" / "working" / "overview-report.docx"))
    assert "[Add the agencies.]" in overview and "{{" not in overview


def test_a_damaged_chronology_says_to_collate_again(case_dir, invoke):
    (case_dir / "working" / "chronology.xlsx").write_bytes(b"PK\x03\x04junk")
    result = invoke("report", "--case", case_dir)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "chronology.xlsx" in result.stderr and "scrtool collate" in result.stderr
    assert "agency" not in result.stderr
    assert not (case_dir / "working" / "overview-report.docx").exists()


def test_a_partnership_plan_with_a_title_row_and_other_headings(case_dir):
    """Headings by alias below a title row: evidence and impact still reach the response."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet.append(["NS action plan, March 2026"])
    sheet.append([])
    sheet.append(["Finding number", "Recommendations", "What will be done", "Organisation",
                  "Lead officer", "Target date", "RAG", "Evidence", "Completed on",
                  "Difference made"])  # fmt: skip
    sheet.append(["1", "Share worries.", "Train staff", "northshire police", "Inspector",
                  "31/03/2027", "Ongoing"])  # fmt: skip
    sheet.append(["1", "Share worries.", "Check it", "Brookside Medical Practice", "PM",
                  "March 2027", "Done", "Audit done", "01/02/2026", "Better sharing"])  # fmt: skip
    book.save(case_dir / "working" / "action-plan.xlsx")
    result = build_report(load_case(case_dir))
    assert result.actions == 2
    response = ordered_text(result.outputs[1])
    assert "Check it: Better sharing" in response and "1 February 2026" in response
    assert "Northshire Police" in response and "31 March 2027" in response
    overview = "\n".join(body_text(result.outputs[0]))
    assert "[Finding 1: write the finding here.]" in overview and "Share worries." in overview


def test_a_second_run_never_writes_over_the_drafts(full_case, invoke):
    overview = build_report(load_case(full_case)).outputs[0]
    overview.write_bytes(b"the lead reviewer's weeks of work")
    with pytest.raises(OutputError, match="may have the lead reviewer's edits"):
        build_report(load_case(full_case))
    assert overview.read_bytes() == b"the lead reviewer's weeks of work"
    result = invoke("report", "--case", full_case)
    assert result.exit_code == 2
    assert "--replace" in result.stderr and "Traceback" not in result.stderr
    assert overview.read_bytes() == b"the lead reviewer's weeks of work"
    result = invoke("report", "--case", full_case, "--replace")
    assert result.exit_code == 0, result.stderr
    assert overview.read_bytes() != b"the lead reviewer's weeks of work"
