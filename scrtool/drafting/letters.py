"""The letters scrtool makes: who signs them, and the covering letter to the Panel.

Dates are printed as exact as their source gave them (``date_words``), and a letter is
signed by the name and role in ``case.toml`` (``[partnership] contact_name`` and
``contact_role``), or holds a placeholder there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scrtool.case import REVIEW_TYPE_NAMES, Case

MISSING_DATE = "[date]"


def date_words(value: Any) -> str:
    """A date in words, as exact as its source: "22 May 2016", "April 2024", "2021",
    "about May 2016"; wording scrtool cannot read ("spring term 2024") is kept as written."""
    from scrtool.dates import MONTH_NAMES, PartialDate, format_english

    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_english(value)
    if isinstance(value, PartialDate):
        if value.precision == "day":
            text = format_english(value.start)
        elif value.precision == "month":
            text = f"{MONTH_NAMES[value.start.month - 1]} {value.start.year}"
        else:
            text = str(value.start.year)
        return f"about {text}" if value.approximate else text
    return str(value)


PANEL_LETTER = "panel-letter.docx"


def panel_letter_path(case: Case) -> Path:
    return case.folder("working") / PANEL_LETTER


def signer(case: Case, notes: list[str]) -> dict[str, str]:
    """Who signs a letter: ``[partnership] contact_name`` and ``contact_role``."""
    partnership = case.section("partnership")
    name = str(partnership.get("contact_name") or "").strip()
    role = str(partnership.get("contact_role") or "").strip()
    missing = [k for k, v in (("contact_name", name), ("contact_role", role)) if not v]
    if missing:
        keys = " and ".join(missing)
        verb, it = ("are", "them") if len(missing) > 1 else ("is", "it")
        notes.append(
            f"{case.file}: [partnership] {keys} {verb} not set, so the letter leaves a "
            f"placeholder where it is signed; set {it} and make the letter again."
        )
    return {
        "signer_name": name or "[Write the name of the person who signs.]",
        "signer_role": role or "[Write their role.]",
        "reply_email": str(partnership.get("contact_email") or "").strip(),
    }


def panel_letter_context(
    case: Case,
    *,
    documents: Sequence[str] | None = None,
    sent_on: dt.date | None = None,
) -> dict[str, Any]:
    """The variables templates/panel-letter.docx uses (the covering letter to the Panel).

    Covers a report to be published (planned, or published once ``[review] published``
    is known) and one the partners decided not to publish. ``_notes`` holds what the
    officer must put right; it is taken out before the letter is filled.
    """
    from scrtool.review.timetable import panel_copy_due

    notes: list[str] = []
    review = case.review
    publish = review.get("publish") is not False
    published = case.date("published")
    planned = case.date("publication")
    sent_on = sent_on or case.date("panel_copy_sent") or dt.date.today()
    if publish:
        counted_from = published or planned
        if published is not None:
            sentence = f"We published them on {date_words(published)}."
        elif planned is not None and planned >= sent_on:
            sentence = f"We plan to publish them on {date_words(planned)}."
        else:
            sentence = "[Say when the partnership plans to publish them.]"
            if planned is not None:
                notes.append(
                    f"{case.file}: the planned publication date ({date_words(planned)}) is "
                    f"before the letter's date ({date_words(sent_on)}), so the letter leaves "
                    "the date for you to write; set publication (or published, once it is "
                    "out) and make the letter again."
                )
        improvements = ""
        reasons = ""
        listed = documents or ("The overview report", "The partnership's response")
    else:
        counted_from = case.date("improvements_published")
        reasons = str(review.get("not_published_reasons") or "").strip() or (
            "[Give the partners' reasons for not publishing the report.]"
        )
        sentence = ""
        if counted_from is not None:
            improvements = (
                "We will publish information about the improvements to be made on "
                f"{date_words(counted_from)}, and enclose it."
                if sent_on < counted_from
                else "We published information about the improvements to be made on "
                f"{date_words(counted_from)}, and enclose it."
            )
        else:
            improvements = "[Say when the information about the improvements will be published.]"
        listed = documents or (
            "The overview report (not for publication)",
            "The information about the improvements to be made",
        )
    due: Any = panel_copy_due(case.type, counted_from) if counted_from else MISSING_DATE
    return {
        "ref": case.ref,
        "partnership": case.partnership or "[partnership]",
        "child": case.child or "Child A",
        "review_type": case.type,
        "review_type_name": REVIEW_TYPE_NAMES.get(case.type, case.type),
        "publish": publish,
        "publication_sentence": sentence,
        "not_published_reasons": reasons,
        "improvements_sentence": improvements,
        "panel_copy_due": due,
        "sent_on": sent_on,
        "documents": list(listed),
        **signer(case, notes),
        "_notes": notes,
    }
