"""Is the lead reviewer independent of every agency in the review?

The seed: "Reviews of serious cases to be led by individuals who are independent of the
case under review and of the organisations whose actions are being reviewed", and "the
lead reviewer should be independent of the LSCB and the organisations involved".

Each reviewer in case.toml declares the organisations they have worked for, with years.
A lead reviewer who worked for an involved organisation (an agency in the case, or the
partnership itself) in the last ``settings.independence_years`` years (5 unless the
partnership sets another number) is a conflict. Another reviewer with such a link is a
warning to record and manage, not a failure: panel members are often drawn from the
agencies on purpose. Organisation names are compared by the rule in
``scrtool.review.organisations``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrtool.errors import CaseError
from scrtool.review.organisations import same_organisation

if TYPE_CHECKING:
    from scrtool.case import Case

DEFAULT_INDEPENDENCE_YEARS = 5

CONFLICT = "conflict"
WARNING = "warning"
PAST = "past"
INDEPENDENT = "independent"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Link:
    """A declared affiliation with an organisation involved in the review."""

    organisation: str
    involved: str
    start: int | None
    end: int | None
    within_period: bool
    kind: str

    @property
    def current(self) -> bool:
        return self.end is None

    def years(self) -> str:
        if self.start is not None and self.end is None:
            return f"from {self.start} to now"
        if self.start is None and self.end is None:
            return "now"
        if self.start is None:
            return f"until {self.end}"
        if self.start == self.end:
            return f"in {self.start}"
        return f"from {self.start} to {self.end}"

    def to_json(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "involved": self.involved,
            "from": self.start,
            "to": self.end,
            "current": self.current,
            "within_period": self.within_period,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class ReviewerCheck:
    name: str
    role: str
    lead: bool
    links: tuple[Link, ...]
    reasons: tuple[str, ...]
    declared: int
    qualifications: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """``conflict``, ``unknown`` (nothing declared), ``warning`` or ``independent``.

        Only what was declared can be checked: a reviewer who declared nothing is never
        called independent.
        """
        kinds = {link.kind for link in self.links}
        if CONFLICT in kinds:
            return CONFLICT
        if not self.declared:
            return UNKNOWN
        if WARNING in kinds:
            return WARNING
        return INDEPENDENT

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "lead": self.lead,
            "status": self.status,
            "links": [link.to_json() for link in self.links],
            "reasons": list(self.reasons),
            "qualifications": list(self.qualifications),
            "independence_known": bool(self.declared),
        }


@dataclass(frozen=True)
class ReviewersReport:
    today: dt.date
    independence_years: int
    since: int
    involved: tuple[str, ...]
    reviewers: tuple[ReviewerCheck, ...]

    @property
    def passed(self) -> bool:
        """No lead reviewer with a conflict, and every lead's independence can be checked."""
        return not any(
            r.status == CONFLICT or (r.lead and r.status == UNKNOWN) for r in self.reviewers
        )

    @property
    def leads_unknown(self) -> tuple[ReviewerCheck, ...]:
        return tuple(r for r in self.reviewers if r.lead and r.status == UNKNOWN)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def summary_line(self) -> str:
        """One sentence on the lead reviewer's independence, never claiming what is unknown."""
        leads = [r for r in self.reviewers if r.lead]
        names = " and ".join(r.name for r in leads)
        if any(r.status == CONFLICT for r in leads):
            return f"The lead reviewer, {names}, is not independent: see above."
        if self.leads_unknown:
            who = " and ".join(r.name for r in self.leads_unknown)
            return (
                f"The independence of the lead reviewer, {who}, is unknown: no affiliations "
                "were declared, so it cannot be checked."
            )
        return (
            f"On what was declared, the lead reviewer, {names}, has no link with any agency "
            "involved or with the partnership within the period."
        )

    @property
    def conflicts(self) -> list[str]:
        return [
            reason
            for r in self.reviewers
            if r.status == CONFLICT
            for reason, link in zip(r.reasons, r.links, strict=False)
            if link.kind == CONFLICT
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "today": self.today,
            "independence_years": self.independence_years,
            "since": self.since,
            "involved": list(self.involved),
            "reviewers": [r.to_json() for r in self.reviewers],
        }


def _is_lead(entry: dict[str, Any], lead_name: str | None) -> bool:
    role = str(entry.get("role", "")).casefold()
    if "lead" in role.replace("-", " ").split():
        return True
    name = str(entry.get("name", "")).strip().casefold()
    return bool(lead_name) and name == str(lead_name).strip().casefold()


def _year(value: Any) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def check_reviewers(case: Case, *, today: dt.date | None = None) -> ReviewersReport:
    """Check every reviewer's declared affiliations against the organisations involved."""
    today = today or dt.date.today()
    years = case.section("settings").get("independence_years", DEFAULT_INDEPENDENCE_YEARS)
    years = int(years)
    since = today.year - years
    involved = [a.name for a in case.agencies]
    if case.partnership:
        involved.append(case.partnership)
    entries = [e for e in case.data.get("reviewers", []) if isinstance(e, dict)]
    if not entries:
        raise CaseError(
            "has no [[reviewers]] with their affiliations",
            file=case.file,
            advice='add a [[reviewers]] block for the lead reviewer (name, role = "lead", affiliations) and run the command again',
        )
    lead_name = case.review.get("lead_reviewer")
    leads = [e for e in entries if _is_lead(e, lead_name)]
    if not leads:
        if lead_name:
            problem = (
                f'names the lead reviewer "{lead_name}" in review.lead_reviewer, but no '
                "[[reviewers]] block has that name"
            )
        else:
            problem = 'has no reviewer with role = "lead"'
        raise CaseError(
            problem,
            file=case.file,
            advice='add the lead reviewer\'s [[reviewers]] block with role = "lead" and their affiliations, and run the command again',
        )
    checks = []
    for index, entry in enumerate(entries):
        name = str(entry.get("name", f"Reviewer {index + 1}"))
        lead = _is_lead(entry, lead_name)
        role = str(entry.get("role", "lead" if lead else ""))
        links: list[Link] = []
        reasons: list[str] = []
        affiliations = [a for a in entry.get("affiliations", []) if isinstance(a, dict)]
        for number, aff in enumerate(affiliations, start=1):
            organisation = str(aff.get("organisation", ""))
            start, end = _year(aff.get("from")), _year(aff.get("to"))
            if start is not None and end is not None and start > end:
                raise CaseError(
                    f'reviewer "{name}", affiliation {number} ("{organisation}") runs from '
                    f"{start} to {end}, which is backwards",
                    file=case.file,
                    advice="correct the years and run the command again",
                )
            for agency in involved:
                if not same_organisation(organisation, agency):
                    continue
                within = end is None or end >= since
                kind = (CONFLICT if lead else WARNING) if within else PAST
                link = Link(organisation, agency, start, end, within, kind)
                links.append(link)
                reasons.append(_reason(name, lead, link, years, since))
                break
        if not affiliations:
            reasons.append(
                f"{name} has declared no affiliations, so their independence is unknown: add "
                "the organisations they have worked for to case.toml."
            )
        qualifications = tuple(
            str(q).strip() for q in entry.get("qualifications", []) if str(q).strip()
        )
        if lead and not qualifications:
            reasons.append(
                f"{name}, the lead reviewer, has declared no qualifications: add them as "
                'qualifications = ["..."] in their [[reviewers]] block, so the partners can '
                "show why they judged the reviewer appropriate."
            )
        checks.append(
            ReviewerCheck(
                name=name,
                role=role,
                lead=lead,
                links=tuple(links),
                reasons=tuple(reasons),
                declared=len(affiliations),
                qualifications=qualifications,
            )
        )
    return ReviewersReport(
        today=today,
        independence_years=years,
        since=since,
        involved=tuple(involved),
        reviewers=tuple(checks),
    )


def period_words(years: int, since: int) -> str:
    """The period a link counts in: "the last 5 years (since 2021)"."""
    if years == 0:
        return f"the period the partnership sets (current, or ended in {since})"
    return f"the last {years} year{'' if years == 1 else 's'} (since {since})"


def _reason(name: str, lead: bool, link: Link, years: int, since: int) -> str:
    who = f"{name}, the lead reviewer," if lead else name
    same = "" if link.organisation == link.involved else f" ({link.involved})"
    worked = "works" if link.current else "worked"
    head = f'{who} {worked} for "{link.organisation}"{same} {link.years()}'
    period = period_words(years, since)
    if link.kind == CONFLICT:
        return (
            f"{head}, within {period}: the lead reviewer must "
            "be independent of every agency involved in the review."
        )
    if link.kind == WARNING:
        return (
            f"{head}, within {period}: record how this is "
            "managed (not a conflict, as they are not the lead reviewer)."
        )
    return f"{head}: a past link, ended before {since}, listed for the record."
