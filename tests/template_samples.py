"""The templates scrtool ships, and the sample case's values for each (for filling tests)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path


def sample_contexts(repo: Path, tmp: Path) -> dict[str, dict[str, object]]:
    from scrtool.case import load_case
    from scrtool.drafting.report import build_contexts, panel_letter_context
    from scrtool.drafting.requests import letter_context
    from scrtool.review.screening import answers_from_case, decide, record_context

    shutil.copy(repo / "samples" / "case.toml", tmp / "case.toml")
    (tmp / "working").mkdir()
    case = load_case(tmp)
    overview, response, _notes, _rows, _actions = build_contexts(case)
    response["taken"] = [
        {
            "action": "Train staff & managers",
            "agency": "Northshire Police",
            "completed": dt.date(2026, 5, 1),
            "evidence": "Records",
        }
    ]
    response["impact"] = [
        {"action": "Train staff & managers", "impact": "More referrals <on time>"}
    ]
    overview["chronology"] = [
        {
            "agency": "Northshire Police",
            "contacts": 3,
            "first": dt.date(2024, 4, 2),
            "last": dt.date(2025, 1, 9),
        }
    ]
    today = dt.date(2026, 2, 9)
    return {
        "agency-request.docx": letter_context(case, case.agencies[0], return_file="Northshire Police chronology return.xlsx", today=today),
        "screening-decision.docx": record_context(case, decide(answers_from_case(case)), today=today),
        "overview-report.docx": overview,
        "partnership-response.docx": response,
        "panel-letter.docx": panel_letter_context(case, sent_on=today),
    }  # fmt: skip


DEFAULTS = (
    "agency-request.docx",
    "screening-decision.docx",
    "overview-report.docx",
    "partnership-response.docx",
    "panel-letter.docx",
)
