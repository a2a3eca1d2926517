"""The annual summary across several cases: rows, charts, unreadable cases, atomic output."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import convert_with_soffice
from json_helpers import only_error_document

from scrtool.errors import CaseError, InputError, OutputLockedError
from scrtool.review.summary import (
    ACTIONS_SHEET,
    MONTH_SHEET,
    REVIEWS_SHEET,
    UNREADABLE_SHEET,
    summarise,
)

REPO = Path(__file__).resolve().parents[2]
D = dt.date
TODAY = D(2026, 12, 1)


def write_case(root: Path, ref: str, review: str) -> Path:
    (root / "working").mkdir(parents=True, exist_ok=True)
    (root / "case.toml").write_text(f'[review]\nref = "{ref}"\n{review}\n', encoding="utf-8")
    return root


@pytest.fixture
def cases(tmp_path) -> list[Path]:
    sample = tmp_path / "NS-2026-01"
    shutil.copytree(REPO / "samples", sample)
    late = write_case(
        tmp_path / "NS-2025-04",
        "NS-2025-04",
        'type = "scr"\ninitiated = 2025-08-31\ncompleted = 2026-03-10\n'
        "publication = 2026-06-01\npanel_copy_sent = 2026-05-28\npublished = 2026-06-01",
    )
    running = write_case(
        tmp_path / "NS-2026-05", "NS-2026-05", 'type = "lcspr"\ninitiated = "15/10/2026"'
    )
    return [sample, late, running]


def test_rows_across_several_cases(cases, tmp_path):
    summary = summarise(cases, output=tmp_path / "out.xlsx", today=TODAY)
    rows = {r.ref: r for r in summary.reviews}
    assert [r.ref for r in summary.reviews] == ["NS-2025-04", "NS-2026-01", "NS-2026-05"]
    sample = rows["NS-2026-01"]
    # An LCSPR counts its six months to publication: planned for 14 September, after
    # 2 August, and not yet published on 1 December.
    assert sample.days_to_completion == 172 and sample.within_six_months is False
    assert sample.measured_to == "publication"
    assert sample.lcspr_decision == "LCSPR commissioned"
    assert sample.publication_status == "Not yet: planned for 14 September 2026"
    assert sample.impact == (
        "2 of 3 completed actions record an impact: Dip sample: children recorded in 19 of "
        "20 reports; Alerts seen at every appointment since October."
    )
    assert sample.panel_copy_due == D(2026, 9, 3) and sample.panel_copy_on_time is True
    assert (sample.actions_total, sample.actions_complete, sample.actions_overdue) == (12, 3, 2)
    late = rows["NS-2025-04"]
    assert late.completion_due == D(2026, 2, 28)  # 31 August + 6 months
    assert late.within_six_months is False and late.days_to_completion == 191
    assert late.measured_to == "completion" and late.lcspr_decision is None
    assert late.publication_status == "Published 1 June 2026"
    assert late.panel_copy_due == D(2026, 5, 25) and late.panel_copy_on_time is False
    assert late.actions_total is None and any("No action plan" in n for n in late.notes)
    running = rows["NS-2026-05"]
    assert running.initiated == D(2026, 10, 15)  # day first
    assert running.within_six_months is None and running.panel_copy_on_time is None
    assert summary.action_totals()["overdue"] == 2


def test_workbook_structure(cases, tmp_path):
    import openpyxl

    out = tmp_path / "out.xlsx"
    summarise(cases, output=out, today=TODAY)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [REVIEWS_SHEET, MONTH_SHEET, ACTIONS_SHEET]
    ws = book[REVIEWS_SHEET]
    headings = [c.value for c in ws[1]]
    for name in ("Reference", "Type", "Initiated", "Completed", "Published",
                 "Days to completion", "Within six months", "Panel copy on time",
                 "Actions", "Actions complete", "Actions overdue"):  # fmt: skip
        assert name in headings
    col = {name: i for i, name in enumerate(headings)}
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(data) == 3
    sample = next(r for r in data if r[col["Reference"]] == "NS-2026-01")
    assert isinstance(sample[col["Initiated"]], dt.datetime)  # a real Excel date
    assert sample[col["Within six months"]] == "No"
    assert sample[col["LCSPR decision"]] == "LCSPR commissioned"
    assert sample[col["Impact"]].startswith("2 of 3 completed actions record an impact")
    assert sample[col["Actions overdue"]] == 2
    months = book[MONTH_SHEET]
    month_rows = [[c.value for c in r] for r in months.iter_rows(min_row=2)]
    assert month_rows[0][0].date() == D(2025, 8, 1)
    assert sum(r[1] for r in month_rows) == 3  # three reviews initiated
    statuses = {r[0].value: r[1].value for r in book[ACTIONS_SHEET].iter_rows(min_row=2)}
    assert statuses["Overdue"] == 2 and statuses["Complete"] == 3
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2


def test_charts_show_their_axes_in_excel(cases, tmp_path):
    """openpyxl omits <c:delete val="0"/>, and Excel then draws a chart with no axes."""
    import re

    out = tmp_path / "out.xlsx"
    summarise(cases, output=out, today=TODAY)
    with zipfile.ZipFile(out) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    for xml in charts:
        for axis in re.findall(r"<(?:c:)?(?:catAx|valAx)>.*?</(?:c:)?(?:catAx|valAx)>", xml):
            assert re.search(r'<(?:c:)?delete val="0"/>', axis), axis
        assert 'formatCode="0"' in xml  # counts, never 0.5 of a review


def test_messy_dates_and_an_empty_plan_get_a_note(tmp_path):
    typo = write_case(
        tmp_path / "typo",
        "T-1",
        'type = "scr"\ninitiated = 2026-03-01\ncompleted = 2025-08-20',  # a year typed wrong
    )
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Action", "Lead agency", "Due date", "Status"])
    book.save(typo / "working" / "action-plan.xlsx")
    summary = summarise([typo], output=tmp_path / "out.xlsx", today=TODAY)
    review = summary.reviews[0]
    assert review.days_to_completion is None and review.within_six_months is None
    assert any("before the initiated date" in n for n in review.notes)
    assert review.actions_total == 0
    assert any("no actions yet" in n for n in review.notes)


def test_unreadable_case_stops_the_run(cases, tmp_path):
    broken = write_case(tmp_path / "broken", "X", 'type = "serious"')
    out = tmp_path / "out.xlsx"
    with pytest.raises(CaseError, match="--skip-unreadable"):
        summarise([*cases, broken], output=out, today=TODAY)
    assert not out.exists()


def test_skip_unreadable_names_it(cases, tmp_path):
    import openpyxl

    broken = write_case(tmp_path / "broken", "X", 'type = "serious"')
    empty = tmp_path / "not-a-case"
    empty.mkdir()
    out = tmp_path / "out.xlsx"
    summary = summarise([*cases, broken, empty], output=out, today=TODAY, skip_unreadable=True)
    assert len(summary.reviews) == 3
    assert [u.case_dir for u in summary.unreadable] == [broken, empty]
    book = openpyxl.load_workbook(out)
    rows = [[c.value for c in r] for r in book[UNREADABLE_SHEET].iter_rows(min_row=2)]
    assert rows[0][0] == str(broken) and "review.type" in rows[0][1]
    assert "no case.toml" in rows[1][1]


def test_corrupt_action_plan_is_unreadable(cases, tmp_path):
    (cases[0] / "working" / "action-plan.xlsx").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(InputError, match="action-plan.xlsx"):
        summarise(cases, output=tmp_path / "out.xlsx", today=TODAY)


def test_locked_output_is_refused_before_work(cases, tmp_path):
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old")
    (tmp_path / "~$out.xlsx").write_bytes(b"")
    with pytest.raises(OutputLockedError):
        summarise(cases, output=out, today=TODAY)
    assert out.read_bytes() == b"old"


def test_cli_output_over_a_cases_action_plan_is_refused(invoke, cases, tmp_path):
    """Inputs are never modified: the summary never replaces an action plan it reads."""
    plan = cases[0] / "working" / "action-plan.xlsx"
    before = plan.read_bytes()
    result = invoke("summary", *cases, "--output", plan, "--skip-unreadable")
    assert result.exit_code == 2
    assert "does not write over its inputs" in result.stderr
    assert "Traceback" not in result.stderr
    assert plan.read_bytes() == before


def test_output_must_be_xlsx(cases, tmp_path):
    with pytest.raises(InputError, match=".xlsx"):
        summarise(cases, output=tmp_path / "out.csv", today=TODAY)


def test_text_from_cases_never_becomes_a_formula(tmp_path):
    import openpyxl

    weird = write_case(tmp_path / "=cmd", "W-1", 'type = "scr"\nchild = "=1+1"')
    out = tmp_path / "out.xlsx"
    summarise([weird], output=out, today=TODAY)
    ws = openpyxl.load_workbook(out)[REVIEWS_SHEET]
    values = [c.value for c in ws[2]]
    assert "=1+1" in values
    for cell in ws[2]:
        assert cell.data_type != "f"


# --- the command -----------------------------------------------------------------------


def test_cli_json(invoke, cases, tmp_path):
    out = tmp_path / "out.xlsx"
    result = invoke("summary", *cases, "--output", out, "--today", "01/12/2026", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["count"] == 3 and doc["output"] == str(out)
    first = doc["reviews"][0]
    for key in ("ref", "type", "initiated", "completed", "published", "days_to_completion",
                "within_six_months", "panel_copy_on_time", "actions_total",
                "actions_complete", "actions_overdue"):  # fmt: skip
        assert key in first
    assert doc["unreadable"] == []


def test_cli_unreadable_is_exit_2_and_writes_nothing(invoke, cases, tmp_path):
    out = tmp_path / "out.xlsx"
    result = invoke("summary", *cases, tmp_path / "missing", "--output", out)
    assert result.exit_code == 2
    assert "missing" in result.stderr and "--skip-unreadable" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() and only_error_document(result)


def test_cli_skip_unreadable(invoke, cases, tmp_path):
    out = tmp_path / "out.xlsx"
    result = invoke("summary", *cases, tmp_path / "missing", "--output", out, "--skip-unreadable")
    assert result.exit_code == 0
    assert "1 case folder could not be read" in result.stdout
    assert "Skipped:" in result.stderr
    assert out.exists()


def test_cli_needs_output(invoke, cases):
    result = invoke("summary", *cases)
    assert result.exit_code == 2
    assert "--output" in result.stderr


@pytest.mark.libreoffice
def test_workbook_opens_in_libreoffice(cases, tmp_path):
    out = tmp_path / "out.xlsx"
    summarise(cases, output=out, today=TODAY)
    converted = convert_with_soffice(out, "csv", tmp_path / "lo")
    text = converted.read_text(encoding="utf-8", errors="replace")
    assert "NS-2026-01" in text and "NS-2025-04" in text
