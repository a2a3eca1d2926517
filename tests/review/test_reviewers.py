"""Reviewer independence: a conflicted and an independent lead, warnings, name matching."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from scrtool.case import load_case
from scrtool.errors import CaseError
from scrtool.review.organisations import organisation_key, same_organisation
from scrtool.review.reviewers import (
    CONFLICT,
    INDEPENDENT,
    PAST,
    UNKNOWN,
    WARNING,
    check_reviewers,
)

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 6, 1)

HEAD = """
[review]
ref = "T-1"
type = "lcspr"
partnership = "Northshire Safeguarding Children Partnership"

[[agencies]]
name = "Northshire Police"

[[agencies]]
name = "Northshire Children's Social Care"
"""


def make_case(tmp_path: Path, reviewers: str, settings: str = "") -> Path:
    root = tmp_path / "case"
    root.mkdir(exist_ok=True)
    (root / "case.toml").write_text(HEAD + reviewers + settings, encoding="utf-8")
    return root


def lead(affiliations: str, name: str = "Alex Lead") -> str:
    return f'\n[[reviewers]]\nname = "{name}"\nrole = "lead"\naffiliations = [{affiliations}]\n'


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Northshire Police", "Northshire Police Force"),
        ("NORTHSHIRE POLICE.", "northshire police"),
        ("Northshire Constabulary", "Northshire Police"),
        ("Northshire Children’s Social Care", "Northshire Childrens Social-Care"),
        ("Northshire Police", "Northshire Police Public Protection Unit"),
        ("Health & Care Trust", "Health and Care Trust"),
        ("The Northshire Ambulance Service", "Northshire Ambulance"),
        ("NHS Northshire ICB", "Northshire Integrated Care Board"),
        ("Northshire CSC", "Northshire Children's Social Care"),
        ("Northshire Children Social Care", "Northshire Children's Social Care"),
        ("Northshire Healthcare NHS FT", "Northshire Healthcare NHS Foundation Trust"),
        ("Northshire CCG (now Northshire ICB)", "NHS Northshire Integrated Care Board"),
        ("Northshire Council", "Northshire County Council"),
    ],
)
def test_same_organisation(a, b):
    assert same_organisation(a, b)
    assert same_organisation(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Northshire Police", "Westmarch Police"),
        ("Northshire Police", "Northshire Probation Service"),
        ("Northshire", "Northshire Police"),  # one word is not enough
        ("Northshire Ambulance Service", "Northshire Probation Service"),
        ("", "Northshire Police"),
        ("NHS England", "NHS Northshire"),  # "NHS" says what kind of body, not which
        # A predecessor body is not matched: declare the post under both names.
        ("Northshire LSCB", "Northshire Safeguarding Children Partnership"),
        ("Northshire CCG", "Northshire Integrated Care Board"),
    ],
)
def test_different_organisations(a, b):
    assert not same_organisation(a, b)


def test_organisation_key():
    assert organisation_key("The Northshire Police Force") == "northshire police"


def test_conflicted_lead_reviewer(tmp_path):
    root = make_case(
        tmp_path, lead('{ organisation = "Northshire Police Force", from = 2015, to = 2023 }')
    )
    report = check_reviewers(load_case(root), today=TODAY)
    assert not report.passed
    reviewer = report.reviewers[0]
    assert reviewer.status == CONFLICT
    link = reviewer.links[0]
    assert link.involved == "Northshire Police" and link.within_period
    assert "lead reviewer must be independent" in reviewer.reasons[0]
    assert "since 2021" in reviewer.reasons[0]
    assert report.conflicts == [reviewer.reasons[0]]


def test_current_job_is_a_conflict(tmp_path):
    root = make_case(
        tmp_path, lead('{ organisation = "Northshire Childrens Social Care", from = 2024 }')
    )
    report = check_reviewers(load_case(root), today=TODAY)
    assert not report.passed
    assert "works for" in report.reviewers[0].reasons[0]


def test_the_partnership_itself_counts(tmp_path):
    root = make_case(
        tmp_path,
        lead(
            '{ organisation = "Northshire Safeguarding Children Partnership", from = 2019, to = 2022 }'
        ),
    )
    assert not check_reviewers(load_case(root), today=TODAY).passed


def test_independent_lead_reviewer(tmp_path):
    root = make_case(
        tmp_path,
        lead(
            '{ organisation = "Westmarch County Council", from = 2004, to = 2012 }, '
            '{ organisation = "Independent consultant", from = 2012 }'
        ),  # fmt: skip
    )
    report = check_reviewers(load_case(root), today=TODAY)
    assert report.passed
    assert report.reviewers[0].status == INDEPENDENT
    # No qualifications declared: a note, not a failure.
    assert report.reviewers[0].reasons == (
        "Alex Lead, the lead reviewer, has declared no qualifications: add them as "
        'qualifications = ["..."] in their [[reviewers]] block, so the partners can show why '
        "they judged the reviewer appropriate.",
    )
    assert "independent" not in report.summary_line()
    assert report.summary_line().startswith("On what was declared")


@pytest.mark.parametrize(("left", "passed"), [(2020, True), (2021, False), (2026, False)])
def test_period_boundary(tmp_path, left, passed):
    root = make_case(
        tmp_path, lead(f'{{ organisation = "Northshire Police", from = 2000, to = {left} }}')
    )
    report = check_reviewers(load_case(root), today=TODAY)
    assert report.passed is passed
    if passed:
        assert report.reviewers[0].links[0].kind == PAST


def test_independence_years_from_settings(tmp_path):
    root = make_case(
        tmp_path,
        lead('{ organisation = "Northshire Police", from = 2010, to = 2018 }'),
        "\n[settings]\nindependence_years = 10\n",
    )
    report = check_reviewers(load_case(root), today=TODAY)
    assert not report.passed and report.since == 2016


def test_other_reviewer_link_is_a_warning(tmp_path):
    panel = '\n[[reviewers]]\nname = "Sam Panel"\nrole = "panel member"\naffiliations = [{ organisation = "Northshire Police", from = 2015 }]\n'
    root = make_case(tmp_path, lead('{ organisation = "Elsewhere Council", from = 2001 }') + panel)
    report = check_reviewers(load_case(root), today=TODAY)
    assert report.passed
    assert report.reviewers[1].status == WARNING
    assert "not a conflict" in report.reviewers[1].reasons[0]


def test_lead_named_in_review_section(tmp_path):
    text = '\n[[reviewers]]\nname = "Alex Lead"\nrole = "author"\naffiliations = [{ organisation = "Northshire Police", from = 2022 }]\n'
    root = make_case(tmp_path, text)
    toml = (root / "case.toml").read_text(encoding="utf-8")
    (root / "case.toml").write_text(
        toml.replace('type = "lcspr"', 'type = "lcspr"\nlead_reviewer = "Alex Lead"'),
        encoding="utf-8",
    )
    assert not check_reviewers(load_case(root), today=TODAY).passed


def test_no_declared_affiliations_is_unknown_and_fails(tmp_path):
    root = make_case(tmp_path, '\n[[reviewers]]\nname = "Alex Lead"\nrole = "lead"\n')
    report = check_reviewers(load_case(root), today=TODAY)
    assert not report.passed and report.exit_code == 1
    assert report.reviewers[0].status == UNKNOWN
    assert "independence is unknown" in report.reviewers[0].reasons[0]
    assert report.summary_line() == (
        "The independence of the lead reviewer, Alex Lead, is unknown: no affiliations were "
        "declared, so it cannot be checked."
    )


def test_cli_nothing_declared_is_exit_1_and_never_says_independent(invoke, tmp_path):
    root = make_case(tmp_path, '\n[[reviewers]]\nname = "Alex Lead"\nrole = "lead"\n')
    result = invoke("reviewers", "--case", root, "--today", "01/06/2026")
    assert result.exit_code == 1
    assert "Alex Lead (lead): unknown" in result.stdout
    assert "is unknown" in result.stdout
    assert "independent" not in result.stdout.replace("independence", "")
    doc = json.loads(invoke("reviewers", "--case", root, "--today", "01/06/2026", "--json").stdout)
    assert doc["passed"] is False
    assert doc["reviewers"][0]["status"] == "unknown"
    assert doc["reviewers"][0]["independence_known"] is False


def test_panel_member_with_nothing_declared_is_unknown_but_not_a_failure(tmp_path):
    root = make_case(
        tmp_path,
        lead('{ organisation = "Independent consultant", from = 2012 }')
        + '\n[[reviewers]]\nname = "Sam Panel"\nrole = "panel member"\n',
    )
    report = check_reviewers(load_case(root), today=TODAY)
    assert report.passed
    assert report.reviewers[1].status == UNKNOWN


def test_qualifications_are_shown(invoke, tmp_path):
    root = make_case(
        tmp_path,
        '\n[[reviewers]]\nname = "Alex Lead"\nrole = "lead"\n'
        'qualifications = ["Registered social worker", "Four earlier reviews"]\n'
        'affiliations = [{ organisation = "Independent consultant", from = 2012 }]\n',
    )
    report = check_reviewers(load_case(root), today=TODAY)
    assert report.reviewers[0].qualifications == (
        "Registered social worker",
        "Four earlier reviews",
    )
    assert report.reviewers[0].reasons == ()
    result = invoke("reviewers", "--case", root, "--today", "01/06/2026")
    assert result.exit_code == 0
    assert "Qualifications: Registered social worker; Four earlier reviews" in result.stdout


def test_no_reviewers_is_a_case_error(tmp_path):
    root = make_case(tmp_path, "")
    with pytest.raises(CaseError, match="reviewers"):
        check_reviewers(load_case(root), today=TODAY)


def test_no_lead_is_a_case_error(tmp_path):
    root = make_case(tmp_path, '\n[[reviewers]]\nname = "Sam"\nrole = "panel member"\n')
    with pytest.raises(CaseError, match='role = "lead"'):
        check_reviewers(load_case(root), today=TODAY)


def test_backwards_years_is_a_case_error(tmp_path):
    root = make_case(tmp_path, lead('{ organisation = "X Council", from = 2020, to = 2010 }'))
    with pytest.raises(CaseError, match="backwards"):
        check_reviewers(load_case(root), today=TODAY)


# --- the command -----------------------------------------------------------------------


def test_cli_sample_case_passes_with_a_warning(invoke, tmp_path):
    root = tmp_path / "case"
    root.mkdir()
    shutil.copy(REPO / "samples" / "case.toml", root / "case.toml")
    result = invoke("reviewers", "--case", root, "--today", "01/12/2026")
    assert result.exit_code == 0, result.stderr
    assert "Morgan Ellery (lead): independent" in result.stdout
    assert "Qualifications: Registered social worker" in result.stdout
    assert "On what was declared, the lead reviewer, Morgan Ellery, has no link" in result.stdout
    assert "Jordan Pell (panel member): warning" in result.stdout


def test_cli_conflict_is_exit_1(invoke, tmp_path):
    root = make_case(
        tmp_path, lead('{ organisation = "Northshire Police Force", from = 2015, to = 2023 }')
    )
    result = invoke("reviewers", "--case", root, "--today", "01/06/2026")
    assert result.exit_code == 1
    assert "lead reviewer must be independent" in result.stdout
    as_json = invoke("reviewers", "--case", root, "--today", "01/06/2026", "--json")
    assert as_json.exit_code == 1
    doc = json.loads(as_json.stdout)
    assert doc["passed"] is False
    assert doc["reviewers"][0]["status"] == "conflict"
    assert doc["reviewers"][0]["links"][0]["involved"] == "Northshire Police"


def test_cli_no_reviewers_is_exit_2(invoke, tmp_path):
    root = make_case(tmp_path, "")
    result = invoke("reviewers", "--case", root)
    assert result.exit_code == 2
    assert "[[reviewers]]" in result.stderr and "Traceback" not in result.stderr


def test_cli_missing_case_is_exit_2(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("reviewers")
    assert result.exit_code == 2
    assert "case.toml" in result.stderr


def test_independence_years_zero_counts_only_current_links(tmp_path):
    root = make_case(
        tmp_path,
        lead('{ organisation = "Northshire Police", from = 2010, to = 2025 }'),
        "\n[settings]\nindependence_years = 0\n",
    )
    report = check_reviewers(load_case(root), today=TODAY)
    assert report.passed and report.since == 2026
    reason = report.reviewers[0].reasons[0]
    assert "past link" in reason and "0 years" not in reason
    still = make_case(
        tmp_path,
        lead('{ organisation = "Northshire Police", from = 2010 }'),
        "\n[settings]\nindependence_years = 0\n",
    )
    report = check_reviewers(load_case(still), today=TODAY)
    assert not report.passed
    assert "current, or ended in 2026" in report.reviewers[0].reasons[0]


def test_one_year_is_not_written_as_years(tmp_path):
    root = make_case(
        tmp_path,
        lead('{ organisation = "Northshire Police", from = 2010, to = 2025 }'),
        "\n[settings]\nindependence_years = 1\n",
    )
    report = check_reviewers(load_case(root), today=TODAY)
    assert "the last 1 year (since 2025)" in report.reviewers[0].reasons[0]


def test_icb_written_short_is_a_link(tmp_path):
    root = make_case(
        tmp_path,
        '\n[[agencies]]\nname = "Northshire Integrated Care Board"\n'
        + lead('{ organisation = "NHS Northshire ICB", from = 2019, to = 2023 }'),
    )
    report = check_reviewers(load_case(root), today=TODAY)
    assert not report.passed
    assert report.reviewers[0].links[0].involved == "Northshire Integrated Care Board"
