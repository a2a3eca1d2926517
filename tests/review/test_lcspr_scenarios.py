"""The statutory scenarios of issue 10, each with exact dates worked out by hand.

Every date below was counted on a calendar: England-and-Wales bank holidays in 2026 include
Spring Bank Holiday (Monday 25 May), Christmas Day (Friday 25 December) and Boxing Day
observed (Monday 28 December); New Year's Day 2027 is a Friday.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from scrtool.case import load_case
from scrtool.errors import CaseError, InputError, OutputError
from scrtool.review.screening import (
    REGULATION_11_MATTERS,
    Answers,
    PartnersDecision,
    decide_lcspr,
    screen,
)
from scrtool.review.timetable import build_timetable, calendar_events

D = dt.date
REPO = Path(__file__).resolve().parents[2]


def write_case(root: Path, review: str, screening: str = "", extra: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "working").mkdir(exist_ok=True)
    text = f'[review]\nref = "T-10"\n{review}\n'
    if screening:
        text += f"\n[screening]\n{screening}\n"
    (root / "case.toml").write_text(text + extra, encoding="utf-8")
    return root


LCSPR_SCREENING = 'abuse_or_neglect = "suspected"\noutcome = "serious-harm"\nagency_concerns = "yes"\ncustody = "no"'


# --- the Friday before a bank holiday ---------------------------------------------------


def test_friday_before_a_bank_holiday_lcspr_notification_skips_it(tmp_path):
    # Known on Friday 22 May 2026; Monday 25 May is Spring Bank Holiday: Tue 26 (1), Wed 27
    # (2), Thu 28 (3), Fri 29 (4), Mon 1 June (5).
    root = write_case(tmp_path / "c", 'type = "lcspr"\nincident_known = 2026-05-22')
    table = build_timetable(case=load_case(root), today=D(2026, 5, 22))
    assert table.milestone("notification").due == D(2026, 6, 1)  # type: ignore[union-attr]
    # Publication on Tuesday 26 May: Fri 22 (1) ... Thu 14 May (7), the Monday skipped.
    table = build_timetable(review_type="lcspr", publication=D(2026, 5, 26), today=D(2026, 5, 1))
    assert table.panel_copy_due == D(2026, 5, 14)


def test_friday_before_a_bank_holiday_scr_calendar_day_rule_warns(invoke, tmp_path):
    # SCR: publication Monday 1 June 2026 less 7 calendar days is Monday 25 May, a bank
    # holiday. The calendar-day rule keeps the day; the warning says to act by Friday 22 May.
    table = build_timetable(review_type="scr", publication=D(2026, 6, 1), today=D(2026, 5, 1))
    assert table.panel_copy_due == D(2026, 5, 25)
    panel = table.milestone("panel_copy")
    assert panel is not None and panel.warning is not None
    assert "a bank holiday (Spring Bank Holiday)" in panel.warning
    assert "act by Friday 22 May 2026" in panel.warning
    result = invoke(
        "timetable", "--type", "scr", "--publication", "01/06/2026", "--today", "01/05/2026"
    )
    assert result.exit_code == 0
    assert "Warning: Copy sent to the National Panel is due on 25 May 2026" in result.stderr
    doc = json.loads(
        invoke(
            "timetable",
            "--type",
            "scr",
            "--publication",
            "01/06/2026",
            "--today",
            "01/05/2026",
            "--json",
        ).stdout  # fmt: skip
    )
    assert any("Spring Bank Holiday" in w for w in doc["warnings"])


def test_weekend_completion_due_warns():
    # 31 August 2025 + 6 months = 28 February 2026, a Saturday.
    table = build_timetable(review_type="scr", initiated=D(2025, 8, 31), today=D(2026, 1, 5))
    completion = table.milestone("completion")
    assert completion is not None and completion.due == D(2026, 2, 28)
    assert completion.warning is not None and "a Saturday" in completion.warning
    assert "act by Friday 27 February 2026" in completion.warning


# --- Christmas --------------------------------------------------------------------------


def test_christmas_lcspr_panel_copy_and_scr_warning():
    # LCSPR publication Tuesday 5 January 2027: Mon 4 (1), [Fri 1 Jan], Thu 31 Dec (2), Wed 30
    # (3), Tue 29 (4), [Mon 28 observed, 27, 26, Fri 25], Thu 24 (5), Wed 23 (6), Tue 22 (7).
    lcspr = build_timetable(review_type="lcspr", publication=D(2027, 1, 5), today=D(2026, 12, 1))
    assert lcspr.panel_copy_due == D(2026, 12, 22)
    assert lcspr.milestone("panel_copy").warning is None  # type: ignore[union-attr]
    # SCR publication Friday 1 January 2027: 7 calendar days before is Christmas Day.
    scr = build_timetable(review_type="scr", publication=D(2027, 1, 1), today=D(2026, 12, 1))
    assert scr.panel_copy_due == D(2026, 12, 25)
    warning = scr.milestone("panel_copy").warning  # type: ignore[union-attr]
    assert warning is not None and "Christmas Day" in warning
    assert "act by Thursday 24 December 2026" in warning


# --- a late notification ----------------------------------------------------------------


def test_late_notification_is_flagged_with_its_effect_on_the_rapid_review(tmp_path, invoke):
    # Known Friday 18 December 2026: Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4), [25, 28
    # holidays], Tue 29 December (5). Notified Monday 4 January 2027: Wed 30 (1), Thu 31 (2),
    # [Fri 1 Jan], Mon 4 (3): 3 working days late. The rapid review from 4 January is due on
    # Monday 25 January 2027; from 29 December it would have been Wednesday 20 January.
    root = write_case(
        tmp_path / "c",
        'type = "lcspr"\nincident_known = 2026-12-18\nnotified = 2027-01-04',
    )
    table = build_timetable(case=load_case(root), today=D(2027, 1, 5))
    notification = table.milestone("notification")
    assert notification is not None
    assert notification.due == D(2026, 12, 29) and notification.days_late == 6
    assert table.milestone("rapid_review").due == D(2027, 1, 25)  # type: ignore[union-attr]
    late = [w for w in table.warnings if w.startswith("The notification was late")]
    assert late == [
        "The notification was late: due by 29 December 2026 (5 working days after the incident "
        "became known on 18 December 2026), sent on 4 January 2027, 3 working days late. The "
        "rapid review is counted from the notification, so it is due by 25 January 2027, not "
        "20 January 2027 as it would have been."
    ]
    result = invoke("timetable", "--case", root, "--today", "05/01/2027")
    assert "The notification was late" in result.stderr


def test_looked_after_child_adds_ofsted_and_secretary_of_state(tmp_path):
    root = write_case(
        tmp_path / "c",
        'type = "lcspr"\nincident_known = 2026-03-02\nnotified = 2026-03-05\nlooked_after = true',
    )
    table = build_timetable(case=load_case(root), today=D(2026, 3, 6))
    ofsted = table.milestone("ofsted_notification")
    assert ofsted is not None
    assert ofsted.name == "Notification to Ofsted and the Secretary of State (looked-after child)"
    assert ofsted.due == D(2026, 3, 9) and ofsted.status == "due"
    root2 = write_case(tmp_path / "d", 'type = "lcspr"\nincident_known = 2026-03-02')
    assert (
        build_timetable(case=load_case(root2), today=D(2026, 3, 6)).milestone("ofsted_notification")
        is None
    )


# --- criteria met, but the partners decide against an LCSPR ------------------------------


def test_criteria_met_partners_decide_against(tmp_path, invoke):
    reasons = "The rapid review found the learning already in the partnership's plan."
    root = write_case(
        tmp_path / "c",
        'type = "lcspr"\nincident_known = 2026-01-05\nnotified = 2026-01-09',
        LCSPR_SCREENING + f'\npartners_decision = "no-lcspr"\npartners_reasons = "{reasons}"\n'
        'panel_told = 2026-01-30\ndecided_by = "Sam Chair"\ndecided_by_role = "Chair"\n'
        "decided_on = 2026-01-29",
    )
    result = invoke("screen", "--case", root, "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["review_type"] == "lcspr"
    assert doc["notifiable"] is True and doc["rapid_review_required"] is True
    assert doc["decision"] == "no-lcspr" and doc["reasons"] == reasons
    assert doc["rapid_review_due"] == "2026-01-30"
    assert doc["regulation_11_matters"] == list(REGULATION_11_MATTERS)
    assert "required" not in json.dumps(doc).replace("rapid_review_required", "")
    assert any("went to the Panel on 30 January 2026" in g for g in doc["grounds"])
    import docx

    record = docx.Document(str(root / "working" / "screening-decision.docx"))
    text = "\n".join(p.text for p in record.paragraphs)
    assert "decided not to commission a local child safeguarding practice review" in text
    assert text.count(reasons) == 1 and "Their reasons: " + reasons in text
    for banned in ("must be held", "Review required", "The law says", "is required"):
        assert banned not in text


def test_partners_decision_without_reasons_is_exit_2_naming_the_key(tmp_path, invoke):
    root = write_case(
        tmp_path / "c", 'type = "lcspr"', LCSPR_SCREENING + '\npartners_decision = "no-lcspr"'
    )
    result = invoke("screen", "--case", root)
    assert result.exit_code == 2
    assert "[screening] partners_reasons" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "working" / "screening-decision.docx").exists()
    flag = invoke(
        "screen", "--type", "lcspr", "--abuse-or-neglect", "known", "--outcome", "died",
        "--partners-decision", "lcspr",
    )  # fmt: skip
    assert flag.exit_code == 2 and "--reasons" in flag.stderr


def test_awaiting_partners_and_not_notifiable():
    awaiting = decide_lcspr(Answers("known", "died"), PartnersDecision())
    assert awaiting.decision == "awaiting-partners"
    assert awaiting.reasons is None
    assert any("Their decision is awaited" in g for g in awaiting.grounds)
    none = decide_lcspr(Answers("no", "serious-harm"), PartnersDecision())
    assert none.decision == "not-notifiable" and none.notifiable is False
    assert none.matters == ()
    with pytest.raises(InputError, match="--outcome"):
        decide_lcspr(Answers("known"), PartnersDecision())
    # Agency concerns and custody do not change notifiability: no need to ask them.
    assert decide_lcspr(Answers("suspected", "serious-harm"), PartnersDecision()).notifiable


def test_lcspr_record_never_says_required_for_any_answers():
    for abuse in ("known", "suspected", "no"):
        for outcome in ("died", "serious-harm", "none"):
            for concerns in ("yes", "no", "unclear"):
                result = decide_lcspr(Answers(abuse, outcome, concerns, "yes"), PartnersDecision())
                words = " ".join((result.decision_text, *result.grounds))
                assert "required" not in words and "must be held" not in words
                assert len(set(result.grounds)) == len(result.grounds)


def test_record_without_decider_says_not_recorded_and_replace_guards_it(tmp_path, invoke):
    root = write_case(tmp_path / "c", 'type = "lcspr"', LCSPR_SCREENING)
    result = invoke("screen", "--case", root)
    assert result.exit_code == 0, result.stderr
    assert "fill in [screening] decided_by" in result.stderr
    assert "[screening] decided_on" in result.stderr
    import docx

    record = root / "working" / "screening-decision.docx"
    cells = {
        r.cells[0].text: r.cells[1].text for t in docx.Document(str(record)).tables for r in t.rows
    }
    assert cells["Name"] == "Not recorded"
    assert cells["Date of the decision"] == "Not recorded"
    assert dt.date.today().strftime("%Y") not in cells["Date of the decision"]
    before = record.read_bytes()
    again = invoke("screen", "--case", root, "--outcome", "none")
    assert again.exit_code == 2
    assert "--replace" in again.stderr and "left as it is" in again.stderr
    assert record.read_bytes() == before
    with pytest.raises(OutputError):
        screen(case=load_case(root))
    replaced = invoke("screen", "--case", root, "--outcome", "none", "--replace")
    assert replaced.exit_code == 0, replaced.stderr
    assert record.read_bytes() != before


# --- publication delayed by criminal proceedings -----------------------------------------


def test_publication_delayed_by_criminal_proceedings(tmp_path, invoke):
    # Initiated 2 February 2026: completed and published by 2 August 2026 (a Sunday).
    # Published 16 November 2026 after the trial: 106 days late.
    root = write_case(
        tmp_path / "c",
        'type = "lcspr"\ninitiated = 2026-02-02\ncompleted = 2026-07-24\n'
        "publication = 2026-09-14\npublished = 2026-11-16\npanel_copy_sent = 2026-11-05\n"
        "delay_reasons = [\"Criminal proceedings against the mother's partner: the trial ended "
        'on 30 October 2026."]\ndelay_told = 2026-07-20',
    )
    table = build_timetable(case=load_case(root), today=D(2026, 12, 1))
    assert table.publication_due == D(2026, 8, 2)
    six = table.milestone("publication_due")
    assert six is not None
    assert six.done_on == D(2026, 11, 16) and six.days_late == 106 and six.overdue
    assert six.delay_reasons == (
        "Criminal proceedings against the mother's partner: the trial ended on 30 October 2026.",
    )
    told = table.milestone("delay_told")
    assert told is not None and told.done_on == D(2026, 7, 20)
    # The panel copy counts from the actual day: 7 working days before Mon 16 November is
    # Thursday 5 November.
    assert table.panel_copy_due == D(2026, 11, 5)
    assert table.milestone("panel_copy").status == "done"  # type: ignore[union-attr]
    assert table.milestone("panel_copy").days_late is None  # type: ignore[union-attr]
    result = invoke("timetable", "--case", root, "--today", "01/12/2026", "--json")
    doc = json.loads(result.stdout)
    assert doc["publication_due"] == "2026-08-02" and doc["published"] == "2026-11-16"
    by_key = {m["key"]: m for m in doc["milestones"]}
    assert by_key["publication_due"]["overdue"] is True
    assert by_key["publication_due"]["delay_reasons"][0].startswith("Criminal proceedings")
    text = invoke("timetable", "--case", root, "--today", "01/12/2026").stdout
    assert "(delay: Criminal proceedings" in text


def test_scr_completion_is_measured_to_completion_not_publication():
    table = build_timetable(
        review_type="scr", initiated=D(2026, 2, 2), publication=D(2026, 12, 1), today=D(2026, 7, 1)
    )
    assert table.publication_due is None
    assert table.milestone("publication_due") is None
    assert table.completion_due == D(2026, 8, 2)


# --- published later than planned --------------------------------------------------------


def test_published_later_than_planned_panel_copy_on_time_against_actual(tmp_path, invoke):
    # Planned Monday 14 September 2026 (copy due Thursday 3 September); published Monday 28
    # September: Fri 25 (1), Thu 24 (2), Wed 23 (3), Tue 22 (4), Mon 21 (5), Fri 18 (6),
    # Thu 17 (7). The copy sent on 17 September is on time; the website period runs to
    # 28 September 2027.
    root = write_case(
        tmp_path / "c",
        'type = "lcspr"\ninitiated = 2026-04-01\npublication = 2026-09-14\n'
        "published = 2026-09-28\npanel_copy_sent = 2026-09-17",
    )
    table = build_timetable(case=load_case(root), today=D(2026, 10, 1))
    assert table.panel_copy_due == D(2026, 9, 17)
    assert table.published_until == D(2027, 9, 28)
    panel = table.milestone("panel_copy")
    assert panel is not None and panel.done and panel.days_late is None
    assert panel.name == "Copy sent to the National Panel and the Secretary of State"
    assert table.milestone("publication").days_late == 14  # type: ignore[union-attr]
    assert table.publication_due == D(2026, 10, 1)
    assert not table.milestone("publication_due").overdue  # type: ignore[union-attr]
    # The package rule judges against the actual day, and takes the sent day from case.toml.
    from scrtool.bundle.preflight import timetable_check
    from scrtool.bundle.request import PackageRequest, publication_basis

    day, basis = publication_basis(load_case(root), None)
    assert (day, basis) == (D(2026, 9, 28), "published")
    request = PackageRequest(
        ref="T-10", review_type="lcspr", documents=(), publication=day, sent=D(2026, 9, 17),
        output_dir=tmp_path, publication_basis=basis,
    )  # fmt: skip
    check = timetable_check(request)
    assert check.passed and check.panel_copy_due == D(2026, 9, 17)
    assert "actual publication" in check.describe_rule()


def test_published_flag_overrides_and_counts_from_the_actual_day(invoke):
    result = invoke(
        "timetable", "--type", "scr", "--publication", "14/09/2026", "--published",
        "21/09/2026", "--today", "01/10/2026", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["published"] == "2026-09-21"
    assert doc["panel_copy_due"] == "2026-09-14"
    assert doc["published_until"] == "2027-09-21"


# --- not published ------------------------------------------------------------------------


NOT_PUBLISHED = (
    'type = "lcspr"\ninitiated = 2026-02-02\npublication = 2026-08-03\npublish = false\n'
    'not_published_reasons = "Publication would identify the surviving sibling."\n'
    "improvements_published = 2026-08-17\nnot_published_told = 2026-07-20\n"
    "panel_copy_sent = 2026-08-05"
)


def test_not_published_replaces_the_website_period(tmp_path, invoke):
    # The information about the improvements, published Monday 17 August 2026, goes to the
    # Panel and the Secretary of State 7 working days before, Thursday 6 August:
    # Fri 14 (1), Thu 13 (2), Wed 12 (3), Tue 11 (4), Mon 10 (5), Fri 7 (6), Thu 6 (7).
    root = write_case(tmp_path / "c", NOT_PUBLISHED)
    table = build_timetable(case=load_case(root), today=D(2026, 9, 1))
    keys = [m.key for m in table.milestones]
    assert "website_period" not in keys and "panel_copy" not in keys
    assert keys[-3:] == ["not_published_told", "improvements_copy", "improvements_published"]
    assert table.published_until is None and table.publish is False
    copy = table.milestone("improvements_copy")
    assert copy is not None and copy.due == D(2026, 8, 6) and copy.done
    improvements = table.milestone("improvements_published")
    assert improvements is not None and improvements.due == D(2026, 8, 2)
    assert improvements.days_late == 15
    doc = json.loads(invoke("timetable", "--case", root, "--today", "01/09/2026", "--json").stdout)
    assert doc["publish"] is False
    assert doc["not_published_reasons"] == "Publication would identify the surviving sibling."
    text = invoke("timetable", "--case", root, "--today", "01/09/2026").stdout
    assert "Not published:        Publication would identify" in text
    assert "website" not in text
    events = calendar_events(table)
    assert not any("website" in e.uid for e in events)
    from scrtool.bundle.request import publication_basis

    assert publication_basis(load_case(root), None) == (D(2026, 8, 17), "improvements")


def test_not_published_sample_case(tmp_path):
    import shutil

    root = tmp_path / "np"
    shutil.copytree(REPO / "samples" / "not-published", root)
    case = load_case(root)
    assert case.type == "lcspr" and case.review["publish"] is False
    table = build_timetable(case=case, today=D(2026, 12, 1))
    assert table.milestone("website_period") is None
    assert table.milestone("improvements_published") is not None
    (root / "working").mkdir(exist_ok=True)
    decision = screen(case=case)
    assert decision.decision == "lcspr"


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("review", "needles"),
    [
        (
            "initiated = 2026-05-01\npublished = 2026-04-01",
            ["[review] published", "[review] initiated"],
        ),
        (
            "initiated = 2026-02-01\npublished = 2026-09-14\npanel_copy_sent = 2026-09-20",
            ["[review] panel_copy_sent", "[review] published"],
        ),
        (
            "initiated = 2026-02-01\npublished = 2062-09-14",
            ["[review] published", "[review] initiated", "mistyped"],
        ),
        (
            "initiated = 2026-02-01\npublication = 2206-09-14",
            ["[review] publication", "[review] initiated"],
        ),
        ("initiated = 2026-02-01\npublish = false", ["[review] not_published_reasons"]),
        (
            'initiated = 2026-02-01\npublish = false\nnot_published_reasons = "x"\npublished = 2026-09-01',
            ["publish = false", "[review] published"],
        ),
    ],
)
def test_contradictory_dates_are_exit_2_naming_the_keys(tmp_path, invoke, review, needles):
    root = write_case(tmp_path / "c", 'type = "lcspr"\n' + review)
    before = (root / "case.toml").read_bytes()
    result = invoke("timetable", "--case", root, "--today", "01/12/2026")
    assert result.exit_code == 2, result.stdout
    for needle in needles:
        assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "case.toml").read_bytes() == before
    with pytest.raises(CaseError):
        build_timetable(case=load_case(root), today=D(2026, 12, 1))


def test_future_published_with_today_is_exit_2(tmp_path, invoke):
    root = write_case(
        tmp_path / "c", 'type = "lcspr"\ninitiated = 2026-02-01\npublished = 2026-09-14'
    )
    result = invoke("timetable", "--case", root, "--today", "01/09/2026")
    assert result.exit_code == 2
    assert "[review] published is 14 September 2026, after" in result.stderr
    flag = invoke(
        "timetable", "--type", "scr", "--initiated", "01/02/2026", "--published", "14/09/2026",
        "--today", "01/09/2026",
    )  # fmt: skip
    assert flag.exit_code == 2 and "--published" in flag.stderr


# --- the calendar ---------------------------------------------------------------------------


def test_calendar_uids_stay_the_same_when_the_type_changes():
    scr = build_timetable(
        review_type="scr", initiated=D(2026, 2, 2), publication=D(2026, 9, 14), today=D(2026, 3, 1)
    )
    lcspr = build_timetable(
        review_type="lcspr",
        initiated=D(2026, 2, 2),
        publication=D(2026, 9, 14),
        today=D(2026, 3, 1),
    )
    scr_uids = {e.uid for e in calendar_events(scr)}
    lcspr_uids = {e.uid for e in calendar_events(lcspr)}
    assert scr_uids <= lcspr_uids
    assert "review-panel-copy@scrtool" in scr_uids


# --- the yearly summary ---------------------------------------------------------------------


def test_summary_judges_against_the_actual_day_and_shows_not_published(tmp_path, invoke):
    import shutil

    from scrtool.review.summary import summarise

    later = write_case(
        tmp_path / "later",
        'type = "lcspr"\ninitiated = 2026-04-01\ncompleted = 2026-09-01\n'
        "publication = 2026-09-14\npublished = 2026-09-28\npanel_copy_sent = 2026-09-17",
        'abuse_or_neglect = "known"\noutcome = "died"\npartners_decision = "lcspr"\n'
        'partners_reasons = "Two agencies did not share what they knew."',
    )
    against = write_case(
        tmp_path / "against",
        'type = "lcspr"\ninitiated = 2026-01-10',
        'abuse_or_neglect = "known"\noutcome = "serious-harm"\npartners_decision = "no-lcspr"\n'
        'partners_reasons = "The learning is already in hand."',
    )
    hidden = tmp_path / "np"
    shutil.copytree(REPO / "samples" / "not-published", hidden)
    summary = summarise([later, against, hidden], today=D(2026, 12, 1))
    assert len(summary.reviews) == 3
    rows = {r.case_dir.name: r for r in summary.reviews}
    row = rows["later"]
    assert row.panel_copy_due == D(2026, 9, 17) and row.panel_copy_on_time is True
    assert row.within_six_months is True  # published 28 September, due 1 October
    assert row.publication_status == "Published 28 September 2026"
    assert rows["against"].lcspr_decision == "Partners decided against an LCSPR"
    np_row = rows["np"]
    assert np_row.publication_status.startswith("Not published: The report could not be made")
    # Information about the improvements published 12 October 2026, due by 1 October.
    assert np_row.within_six_months is False
    assert np_row.measured_to == "publication of the improvements"
    # 7 working days before Monday 12 October: Fri 9 (1), Thu 8, Wed 7, Tue 6, Mon 5 (5),
    # Fri 2 (6), Thu 1 October (7); sent 30 September.
    assert np_row.panel_copy_due == D(2026, 10, 1) and np_row.panel_copy_on_time is True
