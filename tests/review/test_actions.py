"""The action plan: each status, bad rows by number, header aliases, and the command."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from json_helpers import only_error_document

from scrtool.case import load_case
from scrtool.errors import InputError, UnreadableInputError
from scrtool.review.action_plan import normalise_header
from scrtool.review.actions import (
    CLOSED,
    COMPLETE,
    DUE_SOON,
    NO_AGENCY,
    ON_TRACK,
    OVERDUE,
    load_plan_schema,
    read_action_plan,
    read_due_date,
)

REPO = Path(__file__).resolve().parents[2]
D = dt.date
TODAY = D(2026, 12, 1)
HEADERS = ["Finding", "Action", "Lead agency", "Owner", "Due date", "Status", "Date completed"]


def make_plan(
    path: Path, rows: list[list[object]], headers=HEADERS, title_rows=0, sheet="Action plan"
):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for i in range(title_rows):
        ws.append([f"NS-2026-01 action plan, page title {i + 1}"])
    ws.append(list(headers))
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def row(
    action="Do a thing",
    agency="Northshire Police",
    due=D(2027, 1, 1),
    status="In progress",
    completed=None,
):
    return ["F1", action, agency, "Owner Name", due, status, completed]


def test_each_status(tmp_path):
    plan = make_plan(
        tmp_path / "plan.xlsx",
        [
            row("Late", due=D(2026, 11, 20)),  # overdue by 11 days
            row("Soon", due=D(2026, 12, 31)),  # in 30 days: due soon
            row("Later", due=D(2027, 1, 1)),  # in 31 days: on track
            row("Today", due=TODAY),  # due today is not overdue
            row("Done", due=D(2026, 10, 1), status="Complete", completed=D(2026, 9, 30)),
            row("Dropped", due=D(2026, 10, 1), status="Cancelled"),
            row("Not begun", due=D(2026, 11, 30), status="Not started"),  # overdue by 1
        ],
    )
    report = read_action_plan(plan, today=TODAY)
    by_name = {a.action: a for a in report.actions}
    assert by_name["Late"].category == OVERDUE and by_name["Late"].days_overdue == 11
    assert by_name["Soon"].category == DUE_SOON and by_name["Soon"].days_until_due == 30
    assert by_name["Later"].category == ON_TRACK
    assert by_name["Today"].category == DUE_SOON and by_name["Today"].describe() == "due today"
    assert by_name["Done"].category == COMPLETE
    assert by_name["Done"].date_completed == D(2026, 9, 30)
    assert by_name["Dropped"].category == CLOSED
    assert by_name["Not begun"].category == OVERDUE and by_name["Not begun"].days_overdue == 1
    assert report.count(OVERDUE) == 2 and len(report.actions) == 7
    assert not report.bad_rows
    # Worst first: the most overdue action leads.
    assert [a.action for a in report.agencies[0].actions][:2] == ["Late", "Not begun"]


def test_grouped_by_agency_overdue_first(tmp_path):
    plan = make_plan(
        tmp_path / "plan.xlsx",
        [
            row("A", agency="Brookside Medical Practice", due=D(2027, 6, 1)),
            row("B", agency="Northshire Police", due=D(2026, 1, 1)),
            row("C", agency="NORTHSHIRE POLICE FORCE.", due=D(2027, 6, 1)),
            row("D", agency="", due=D(2027, 6, 1)),
        ],
    )
    report = read_action_plan(plan, today=TODAY)
    assert report.agencies[0].agency == "Northshire Police"
    assert [a.action for a in report.agencies[0].actions] == ["B", "C"]
    names = [g.agency for g in report.agencies]
    assert names == ["Northshire Police", "Brookside Medical Practice", NO_AGENCY]


def test_agency_names_take_the_case_spelling(tmp_path):
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    shutil.copy(REPO / "samples" / "case.toml", case_dir / "case.toml")
    plan = make_plan(tmp_path / "plan.xlsx", [row(agency="northshire police force")])
    report = read_action_plan(plan, today=TODAY, case=load_case(case_dir))
    assert report.actions[0].lead_agency == "Northshire Police"


def test_bad_rows_are_reported_with_row_numbers(tmp_path):
    plan = make_plan(
        tmp_path / "plan.xlsx",
        [
            row("Good"),
            row("No due", due=None),
            row("Bad due", due="31/02/2027"),
            row("Odd status", status="Amber"),
            row("", due=D(2027, 1, 1)),
            row("No status", status=None),
            [None] * 7,  # an empty row is not a row
            row("Closed without a due date", due=None, status="Complete"),
        ],
        title_rows=2,
    )
    report = read_action_plan(plan, today=TODAY)
    bad = {b.row: b.reason for b in report.bad_rows}
    # Two title rows, the header on row 3, the first action on row 4.
    assert report.header_row == 3
    assert set(bad) == {5, 6, 7, 8, 9}
    assert "no due date" in bad[5]
    assert "31/02/2027" in bad[6] and "February 2027 has no day 31" in bad[6]
    assert '"Amber"' in bad[7] and '"Not started"' in bad[7]
    assert "no action" in bad[8]
    assert "no status" in bad[9]
    assert [a.action for a in report.actions] == ["Good", "Closed without a due date"]
    assert len(report.actions) + len(report.bad_rows) == 7


def test_headers_by_alias_ignoring_case_and_punctuation(tmp_path):
    headers = ["LEARNING POINT", "What will be done?", "Lead organisation:", "Lead officer",
               "Target-date", "RAG / status", "Completed on"]  # fmt: skip
    # "RAG / status" is not an alias, so the header row lacks Status: try a real alias.
    headers[5] = "Current status"
    plan = make_plan(tmp_path / "plan.xlsx", [row("X", due="5/1/2027")], headers=headers)
    report = read_action_plan(plan, today=TODAY)
    action = report.actions[0]
    assert action.action == "X" and action.due == D(2027, 1, 5)  # day first
    assert action.owner == "Owner Name"
    assert normalise_header(" Due-Date: ") == normalise_header("due date")


def test_a_hand_made_plan_in_excel_style(tmp_path):
    """A title and a version line above the header, aliases, merged cells, a section
    heading, a blank row and a totals row: read as a person reads it."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "Instructions"
    ws["A1"] = "How to fill in the plan"
    hidden = book.create_sheet("Old plan")
    hidden.sheet_state = "hidden"
    hidden.append(["Action", "Lead agency", "Due date", "Status"])
    hidden.append(["Old action", "Northshire Police", "01/01/2020", "Not started"])
    ws = book.create_sheet("Plan")
    ws["A1"] = "NS-2026-01 action plan"
    ws.merge_cells("A1:F1")
    ws["A2"] = "Version 3, updated 01/11/2026"
    ws.append(["Ref", "Action to be taken", "Lead organisation", "RAG", "Target date", "Status"])
    ws.append(["Recommendation 1: notice neglect sooner"])  # row 4: a section heading
    ws.append(["1.1", "Brief officers", "Northshire Constabulary", "Green", "by 31/03/2027",
               "complete "])  # fmt: skip
    ws.append(["1.2", "Audit cases", "Northshire Probation Service", "Red", "15/12/2026",
               "NOT STARTED"])  # fmt: skip
    ws.append(["1.3", "Agree letters", None, "Amber", "end of March 2027", "in-progress"])
    ws.merge_cells("C6:C7")  # one lead agency for two actions
    ws.append([])
    ws.append(["1.4", "Total review of letters", "Northshire Police", None, None, None])
    ws.append(["Total", 4])  # row 10: a totals row is not an action
    book.save(tmp_path / "plan.xlsx")
    report = read_action_plan(tmp_path / "plan.xlsx", today=TODAY)
    assert report.sheet == "Plan" and report.header_row == 3
    actions = {a.action: a for a in report.actions}
    assert set(actions) == {"Brief officers", "Audit cases", "Agree letters"}
    # "Status" is the status column, not "RAG", which also names it.
    assert actions["Brief officers"].category == COMPLETE
    assert actions["Brief officers"].due == D(2027, 3, 31)
    assert actions["Audit cases"].category == DUE_SOON
    assert actions["Agree letters"].lead_agency == "Northshire Probation Service"
    assert actions["Agree letters"].due == D(2027, 3, 31)
    # The action that starts with "Total" is still an action, with its problems listed.
    assert [(b.row, b.values["Action"]) for b in report.bad_rows] == [
        (9, "Total review of letters")
    ]


@pytest.mark.parametrize(
    ("status", "due", "words"),
    [
        ("Green", D(2027, 1, 1), ["RAG colour", '"Complete"']),
        ("Amber", D(2027, 1, 1), ["RAG colour"]),
        ("On hold", D(2027, 1, 1), ['"On hold" is not one of']),
        ("In progress", "Q2 2027", ["quarter", "30/06/2027"]),
        ("In progress", "TBC", ["not been set"]),
        ("In progress", "ongoing", ["continuing work", "next be checked"]),
        ("In progress", "Summer 2027", ["31/03/2027", "March 2027"]),
    ],
)
def test_rows_that_cannot_be_judged_say_what_to_write(tmp_path, status, due, words):
    plan = make_plan(tmp_path / "plan.xlsx", [row("X", due=due, status=status)])
    report = read_action_plan(plan, today=TODAY)
    assert not report.actions
    reason = report.bad_rows[0].reason
    for word in words:
        assert word in reason
    assert "scrtool can read" not in reason


def test_a_done_action_with_a_loose_due_date_is_not_a_bad_row(tmp_path):
    plan = make_plan(
        tmp_path / "plan.xlsx",
        [row("Done", due="ongoing", status="Done"), row("Dropped", due="TBC", status="Cancelled")],
    )
    report = read_action_plan(plan, today=TODAY)
    assert not report.bad_rows
    assert {a.action: (a.category, a.due) for a in report.actions} == {
        "Done": (COMPLETE, None),
        "Dropped": (CLOSED, None),
    }


def test_cli_one_action_is_not_written_as_actions(invoke, tmp_path):
    plan = make_plan(tmp_path / "plan.xlsx", [row("Only", due=D(2027, 6, 1))])
    result = invoke("actions", "--plan", plan, "--today", "01/12/2026")
    assert result.exit_code == 0
    assert "1 action: 1 on track." in result.stdout


def test_header_too_far_down_says_where_it_looked(tmp_path):
    plan = make_plan(tmp_path / "plan.xlsx", [row("X")], title_rows=25)
    with pytest.raises(InputError, match="first 20 rows"):
        read_action_plan(plan, today=TODAY)


def test_password_protected_plan_says_to_remove_the_password(tmp_path):
    locked = tmp_path / "action-plan.xlsx"
    shutil.copy(REPO / "tests" / "data" / "collate" / "password.xlsx", locked)
    with pytest.raises(UnreadableInputError) as caught:
        read_action_plan(locked, today=TODAY)
    assert "password" in caught.value.problem
    assert "remove the password" in caught.value.advice
    assert "agency" not in caught.value.advice


def test_the_partnership_as_lead_agency_takes_the_case_spelling(tmp_path):
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    shutil.copy(REPO / "samples" / "case.toml", case_dir / "case.toml")
    plan = make_plan(
        tmp_path / "plan.xlsx", [row(agency="Northshire Safeguarding Children Partnership.")]
    )
    report = read_action_plan(plan, today=TODAY, case=load_case(case_dir))
    assert report.actions[0].lead_agency == "Northshire Safeguarding Children Partnership"


def test_status_aliases_and_spelling(tmp_path):
    plan = make_plan(
        tmp_path / "plan.xlsx",
        [
            row("a", status="completed"),
            row("b", status=" IN-PROGRESS "),
            row("c", status="Ongoing"),
        ],
    )
    report = read_action_plan(plan, today=TODAY)
    statuses = {a.action: a.recorded_status for a in report.actions}
    assert statuses == {"a": "Complete", "b": "In progress", "c": "In progress"}


def test_missing_required_column_is_an_error(tmp_path):
    plan = make_plan(tmp_path / "plan.xlsx", [["x", "y"]], headers=["Action", "Lead agency"])
    with pytest.raises(InputError, match='"Due date", "Status"'):
        read_action_plan(plan, today=TODAY)


def test_plan_on_another_sheet_is_found(tmp_path):
    plan = make_plan(tmp_path / "plan.xlsx", [row("Elsewhere")], sheet="Sheet1")
    report = read_action_plan(plan, today=TODAY)
    assert report.sheet == "Sheet1" and report.actions[0].action == "Elsewhere"


def test_csv_plan(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(
        "Action,Lead agency,Due date,Status\nBrief staff,Northshire Police,01/02/2027,In progress\n"
        "Late one,Northshire Police,3/11/2026,Not started\n",
        encoding="utf-8",
    )
    report = read_action_plan(path, today=TODAY)
    assert [a.category for a in report.actions] == [OVERDUE, ON_TRACK]
    assert report.actions[0].due == D(2026, 11, 3)


def test_corrupt_workbook(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(UnreadableInputError):
        read_action_plan(path, today=TODAY)


def test_missing_workbook(tmp_path):
    with pytest.raises(UnreadableInputError, match="does not exist"):
        read_action_plan(tmp_path / "nope.xlsx", today=TODAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2027, 3, 4, 0, 0), D(2027, 3, 4)),
        (D(2027, 3, 4), D(2027, 3, 4)),
        ("04/03/2027", D(2027, 3, 4)),
        ("4 March 2027", D(2027, 3, 4)),
        ("March 2027", D(2027, 3, 31)),
        ("end of February 2028", D(2028, 2, 29)),
        ("02/2027", D(2027, 2, 28)),
        ("2027-02", D(2027, 2, 28)),
        ("by March, 2027.", D(2027, 3, 31)),
        ("End of Sept 2027", D(2027, 9, 30)),
        (46450.0, D(2027, 3, 4)),
    ],
)
def test_read_due_date(value, expected):
    assert read_due_date(value) == expected


@pytest.mark.parametrize("value", ["TBC", "Ongoing", "31/02/2027", "13/2027", True, 12.5])
def test_read_due_date_refuses(value):
    with pytest.raises(ValueError):
        read_due_date(value)


@given(st.dates(min_value=D(1960, 1, 1), max_value=D(2099, 12, 31)))
def test_day_first_text_round_trip(day):
    assert read_due_date(day.strftime("%d/%m/%Y")) == day
    assert read_due_date(f"{day.day} {day.strftime('%B')} {day.year}") == day


def test_schema_is_read_from_the_file():
    schema = load_plan_schema()
    assert "Complete" in schema.statuses
    assert schema.canonical_status("done") == "Complete"
    assert schema.canonical_status("purple") is None


# --- the sample and the command --------------------------------------------------------


@pytest.fixture
def sample_case(tmp_path) -> Path:
    root = tmp_path / "case"
    shutil.copytree(REPO / "samples", root)
    return root


def test_sample_plan_matches_its_generator(tmp_path):
    import openpyxl

    sys_path = REPO / "samples"
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_action_plan", sys_path / "make_action_plan.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    fresh = module.build(tmp_path / "fresh.xlsx")
    committed = REPO / "samples" / "working" / "action-plan.xlsx"

    def cells(path):
        ws = openpyxl.load_workbook(path).active
        return [[c.value for c in r] for r in ws.iter_rows()]

    assert cells(fresh) == cells(committed)


def test_sample_plan_has_every_status(sample_case):
    report = read_action_plan(
        sample_case / "working" / "action-plan.xlsx", today=TODAY, case=load_case(sample_case)
    )
    assert {a.category for a in report.actions} == {OVERDUE, DUE_SOON, ON_TRACK, COMPLETE, CLOSED}
    assert [b.row for b in report.bad_rows] == [6]
    agencies = {g.agency for g in report.agencies}
    assert {a.name for a in load_case(sample_case).agencies} <= agencies


def test_cli_json(invoke, sample_case):
    result = invoke("actions", "--case", sample_case, "--today", "01/12/2026", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["total"] == 12 and doc["overdue"] == 2
    assert doc["counts"] == {"overdue": 2, "due-within-30-days": 2, "on-track": 4,
                             "complete": 3, "closed": 1}  # fmt: skip
    assert doc["agencies"][0]["actions"][0]["status"] == "overdue"
    assert doc["bad_rows"][0]["row"] == 6 and "TBC" in doc["bad_rows"][0]["reason"]
    assert "row 6" in result.stderr


def test_cli_text(invoke, sample_case):
    result = invoke("actions", "--case", sample_case, "--today", "01/12/2026")
    assert result.exit_code == 0
    out = result.stdout
    assert "overdue by 32 days" in out
    assert out.index("(1 overdue)") < out.index("Brookside Medical Practice")
    assert "row 6:" in out and "TBC" in out


def test_cli_fail_on_overdue(invoke, sample_case):
    result = invoke("actions", "--case", sample_case, "--today", "01/12/2026", "--fail-on-overdue")
    assert result.exit_code == 1
    assert "2 actions are overdue." in result.stderr
    early = invoke("actions", "--case", sample_case, "--today", "01/09/2026", "--fail-on-overdue")
    assert early.exit_code == 0, early.stdout


def test_cli_plan_option(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plan = make_plan(tmp_path / "mine.xlsx", [row("Only", due=D(2026, 1, 1))])
    result = invoke(
        "actions", "--plan", plan, "--today", "01/12/2026", "--json", "--fail-on-overdue"
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["overdue"] == 1


def test_cli_corrupt_workbook_is_exit_2(invoke, sample_case):
    (sample_case / "working" / "action-plan.xlsx").write_bytes(b"PK\x03\x04garbage")
    result = invoke("actions", "--case", sample_case)
    assert result.exit_code == 2
    assert "action-plan.xlsx" in result.stderr and "Traceback" not in result.stderr
    assert only_error_document(result)


def test_cli_missing_plan_is_exit_2(invoke, sample_case):
    (sample_case / "working" / "action-plan.xlsx").unlink()
    result = invoke("actions", "--case", sample_case)
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "scrtool new" in result.stderr


def test_cli_no_case_is_exit_2(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("actions")
    assert result.exit_code == 2
    assert "case.toml" in result.stderr


def test_cli_bad_today_is_exit_2(invoke, sample_case):
    result = invoke("actions", "--case", sample_case, "--today", "32/01/2026")
    assert result.exit_code == 2
    assert "--today" in result.stderr and "is not a date" in result.stderr


def test_demo_step(tmp_path):
    from scrtool.demo import actions_step as demo_step
    from scrtool.demo import make_demo_case

    case = make_demo_case(tmp_path / "demo")
    result = demo_step(case)
    assert result.exit_code == 0, result.summary
    assert "as on 1 December 2026" in result.summary
    assert "2 overdue" in result.summary and "row 6 needs correcting" in result.summary


def test_the_plan_scrtool_new_makes_is_read(invoke, tmp_path):
    assert invoke("new", tmp_path / "c", "--ref", "NEW-1").exit_code == 0
    result = invoke("actions", "--case", tmp_path / "c", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["total"] == 0 and doc["bad_rows"] == []


def test_one_reader_serves_actions_and_the_response(tmp_path):
    """``actions`` and ``report`` read the plan once, through review/action_plan.read_plan:
    a title block, an alias heading and extra columns read the same for both."""
    from scrtool.drafting.report import response_lists
    from scrtool.review.action_plan import read_plan

    headers = [*HEADERS[:4], "Target date", "Status", "Date completed", "Evidence of completion", "Impact"]  # fmt: skip
    plan = make_plan(
        tmp_path / "plan.xlsx",
        [
            row("Train staff", status="Complete", completed=D(2026, 5, 1))
            + ["Training records", "More referrals on time"],
            ["Recommendation 2: information sharing"],  # a section heading, not an action
            row("Audit referrals", due=D(2027, 3, 31)) + ["", ""],
        ],
        headers=headers,
        title_rows=2,
    )
    sheet = read_plan(plan)
    assert (sheet.sheet, sheet.header_row) == ("Action plan", 3)
    assert [r.row for r in sheet.rows] == [4, 5, 6]
    report = read_action_plan(plan, today=TODAY)
    assert sorted(a.row for a in report.actions) == [4, 6]
    done = next(a for a in report.actions if a.row == 4)
    assert done.text("Evidence of completion") == "Training records"
    assert done.values == next(r for r in sheet.rows if r.row == 4).values
    lists = response_lists(plan)
    assert lists["taken"][0]["evidence"] == "Training records"
    assert lists["impact"] == [{"action": "Train staff", "impact": "More referrals on time"}]
    assert [p["action"] for p in lists["planned"]] == ["Audit referrals"]


def test_actions_does_not_open_workbooks_itself():
    import ast

    source = (REPO / "scrtool" / "review" / "actions.py").read_text(encoding="utf-8")
    imported = {
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert "Workbook" not in imported and "read_plan" in imported
