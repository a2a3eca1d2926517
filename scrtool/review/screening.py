"""Screening a case for review, in words fit for the record, under either regime.

``scr`` (Serious Case Reviews, the Local Safeguarding Children Boards Regulations 2006,
regulation 5, and Working Together 2015). The board must hold a review:

1. when abuse or neglect of the child is known or suspected and the child has died; or
2. when abuse or neglect is known or suspected, the child has been seriously harmed, and
   there is cause for concern about how the agencies worked together ("unless it is
   clear that there are no concerns", so only a clear ``no`` rules it out).

A death in custody or detention *should always* be reviewed, whatever the rest: the
guidance says "should", not "must", and the record says so.

``lcspr`` (Local Child Safeguarding Practice Reviews, Children Act 2004 sections 16C to
16F, the 2018 Regulations and Working Together 2018/2023). Abuse or neglect known or
suspected and a child who died or was seriously harmed make a *serious child
safeguarding incident*: it is notifiable to the National Panel and a rapid review is
due. Whether to commission a local review is the safeguarding partners' decision, taken
in the light of the matters in regulation 11; meeting the criteria never makes one
compulsory. So nothing here says an LCSPR "is required".

An answer the result does not depend on may be left out; one it does depend on is asked
for by name.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.dates import format_english
from scrtool.errors import CaseError, InputError, OutputError

if TYPE_CHECKING:
    from scrtool.case import Case

REQUIRED = "required"
NOT_REQUIRED = "not-required"
NOT_NOTIFIABLE = "not-notifiable"
AWAITING = "awaiting-partners"
LCSPR = "lcspr"
NO_LCSPR = "no-lcspr"
PARTNERS_DECISIONS = (LCSPR, NO_LCSPR)

#: Question -> (allowed answers, the command-line flag, what it asks in plain words).
QUESTIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "abuse_or_neglect": (
        ("known", "suspected", "no"),
        "--abuse-or-neglect",
        "whether abuse or neglect of the child is known or suspected",
    ),
    "outcome": (
        ("died", "serious-harm", "none"),
        "--outcome",
        "whether the child died or was seriously harmed",
    ),
    "agency_concerns": (
        ("yes", "no", "unclear"),
        "--agency-concerns",
        "whether there is cause for concern about how the agencies worked together",
    ),
    "custody": (
        ("yes", "no"),
        "--custody",
        "whether the child died in custody or detention",
    ),
}

#: The questions an LCSPR's notifiability turns on; the others inform the partners.
LCSPR_QUESTIONS = ("abuse_or_neglect", "outcome")

PROPORTIONATE_REMINDER = (
    "The criteria do not decide everything: the partnership may still decide that a "
    "proportionate learning review is right, scaled to the issues the case raises."
)

#: How each answer reads in a decision record and on screen: words, never codes.
ANSWER_WORDS: dict[str, dict[str, str]] = {
    "abuse_or_neglect": {"known": "Known", "suspected": "Suspected", "no": "Neither known nor suspected"},
    "outcome": {"died": "Died", "serious-harm": "Serious harm", "none": "Neither died nor seriously harmed"},
    "agency_concerns": {"yes": "Yes", "no": "No, clearly none", "unclear": "Unclear"},
    "custody": {"yes": "Yes", "no": "No"},
}  # fmt: skip

QUESTION_WORDS = {
    "abuse_or_neglect": "Was abuse or neglect known or suspected?",
    "outcome": "What happened to the child?",
    "agency_concerns": "Is there cause for concern about how agencies worked together?",
    "custody": "Did the child die in custody or detention?",
}

DECISION_WORDS = {
    REQUIRED: "A review must be held",
    NOT_REQUIRED: "The criteria for a review are not met",
    NOT_NOTIFIABLE: "Not a notifiable incident",
    AWAITING: "Awaiting the safeguarding partners' decision",
    LCSPR: "The partners decided to commission a local child safeguarding practice review",
    NO_LCSPR: "The partners decided not to commission a local child safeguarding practice review",
}

#: Regulation 11 of the 2018 Regulations: what the partners must take into account.
REGULATION_11_MATTERS = (
    "Whether the case highlights or may highlight improvements needed to safeguard and "
    "promote the welfare of children, including improvements already identified before",
    "Whether it highlights or may highlight recurrent themes in safeguarding and promoting "
    "the welfare of children",
    "Whether it highlights or may highlight concerns about two or more organisations or "
    "agencies working together effectively to safeguard and promote the welfare of children",
    "Whether the Child Safeguarding Practice Review Panel has considered the case and "
    "concluded that a local review may be more appropriate",
)

#: Working Together's related circumstances, which the partners should also consider.
RELATED_CIRCUMSTANCES = (
    "Concern about the actions of a single agency",
    "No agency involvement with the child, where that gap is itself a concern",
    "The case crossing the boundaries of more than one area",
    "The chance of highlighting good practice",
)

NOT_ANSWERED = "Not answered"
NOT_RECORDED = "Not recorded"
RECORD_NAME = "screening-decision.docx"


@dataclass(frozen=True)
class Answers:
    """The four screening questions; None where no answer was given."""

    abuse_or_neglect: str | None = None
    outcome: str | None = None
    agency_concerns: str | None = None
    custody: str | None = None

    def get(self, key: str) -> str | None:
        value: str | None = getattr(self, key)
        return value

    def merged(self, override: Answers) -> Answers:
        """These answers with every answer ``override`` gives put over them."""
        values = {k: override.get(k) for k in QUESTIONS if override.get(k) is not None}
        return replace(self, **values)

    def words(self, key: str) -> str:
        value = self.get(key)
        return ANSWER_WORDS[key][value] if value is not None else NOT_ANSWERED


@dataclass(frozen=True)
class PartnersDecision:
    """LCSPR: what the safeguarding partners decided, and where it came from."""

    decision: str | None = None
    reasons: str | None = None
    panel_told: dt.date | None = None


@dataclass(frozen=True)
class ScreeningDecision:
    review_type: str
    decision: str
    grounds: tuple[str, ...]
    answers: Answers
    decision_text: str
    notifiable: bool | None = None
    reasons: str | None = None
    matters: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    notification_due: dt.date | None = None
    rapid_review_due: dt.date | None = None
    panel_told: dt.date | None = None
    record: Path | None = None
    to_fill: tuple[str, ...] = field(default=())

    @property
    def required(self) -> bool:
        """SCR only: the board must (or, for a death in custody, should) hold a review."""
        return self.decision == REQUIRED

    @property
    def rapid_review_required(self) -> bool | None:
        return self.notifiable if self.review_type == "lcspr" else None

    @property
    def decision_words(self) -> str:
        return DECISION_WORDS[self.decision]

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"review_type": self.review_type, "decision": self.decision}
        if self.review_type == "lcspr":
            doc.update(
                notifiable=self.notifiable,
                rapid_review_required=self.rapid_review_required,
                reasons=self.reasons,
                regulation_11_matters=list(self.matters),
                related_circumstances=list(self.related),
                notification_due=self.notification_due,
                rapid_review_due=self.rapid_review_due,
                panel_told=self.panel_told,
            )
        doc.update(
            grounds=list(self.grounds),
            decision_text=self.decision_text,
            answers={k: self.answers.get(k) for k in QUESTIONS},
            answers_in_words={k: self.answers.words(k) for k in QUESTIONS},
            record=self.record,
            to_fill=list(self.to_fill),
        )
        return doc


# --- SCR -------------------------------------------------------------------------------


def _rule(abuse: str, outcome: str, concerns: str, custody: str) -> tuple[str, str]:
    """SCR: (decision, which criterion) for one full set of answers."""
    if custody == "yes" and outcome == "died":
        return REQUIRED, "custody"
    if abuse in ("known", "suspected"):
        if outcome == "died":
            return REQUIRED, "died"
        if outcome == "serious-harm" and concerns in ("yes", "unclear"):
            return REQUIRED, "harm"
    return NOT_REQUIRED, "none"


def _lcspr_rule(abuse: str, outcome: str, concerns: str, custody: str) -> tuple[str, str]:
    """LCSPR: (notifiable or not, why) for one full set of answers."""
    del concerns, custody
    if abuse in ("known", "suspected") and outcome in ("died", "serious-harm"):
        return "notifiable", outcome
    return NOT_NOTIFIABLE, "none"


def _completions(answers: Answers) -> list[tuple[str, str, str, str]]:
    """Every full set of answers that agrees with the ones given."""
    options = [
        (value,) if (value := answers.get(key)) is not None else allowed
        for key, (allowed, _, _) in QUESTIONS.items()
    ]
    return [(a, o, c, k) for a, o, c, k in itertools.product(*options)]


def missing_answers(answers: Answers, review_type: str = "scr") -> list[str]:
    """The unanswered questions whose answer could change the result, in order."""
    rule = _rule if review_type == "scr" else _lcspr_rule
    if len({rule(*full)[0] for full in _completions(answers)}) == 1:
        return []
    needed = []
    for index, key in enumerate(QUESTIONS):
        if answers.get(key) is not None:
            continue
        for full in _completions(answers):
            results = set()
            for value in QUESTIONS[key][0]:
                changed = list(full)
                changed[index] = value
                results.add(rule(changed[0], changed[1], changed[2], changed[3])[0])
            if len(results) > 1:
                needed.append(key)
                break
    return needed


def _fact_grounds(answers: Answers) -> list[str]:
    """What the answers say, once each, in the order the questions are asked."""
    out: list[str] = []
    abuse = answers.abuse_or_neglect
    if abuse in ("known", "suspected"):
        out.append(f"Abuse or neglect of the child is {abuse}.")
    elif abuse == "no":
        out.append("Abuse or neglect of the child is neither known nor suspected.")
    outcome = answers.outcome
    if outcome == "died":
        out.append("The child has died.")
    elif outcome == "serious-harm":
        out.append("The child has been seriously harmed.")
    elif outcome == "none":
        out.append("The child has neither died nor been seriously harmed.")
    return out


def _concerns_ground(concerns: str | None, review_type: str) -> str | None:
    if concerns == "yes":
        text = "There is cause for concern about how the agencies worked together to safeguard the child."
    elif concerns == "unclear":
        text = "It is not clear that there are no concerns about how the agencies worked together."
        if review_type == "scr":
            text = text[:-1] + ", and unless that is clear a review must be held."
    elif concerns == "no":
        text = "It is clear that there are no concerns about how the agencies worked together to safeguard the child."
    else:
        return None
    return text


def _scr_grounds(answers: Answers, criterion: str) -> list[str]:
    out = _fact_grounds(answers)
    outcome = answers.outcome
    if outcome == "serious-harm" or (outcome is None and answers.agency_concerns is not None):
        concerns = _concerns_ground(answers.agency_concerns, "scr")
        if concerns:
            out.append(concerns)
    if answers.custody == "yes" and outcome == "died":
        out.append(
            "The child died in custody or detention: such a death should always be reviewed, "
            "whatever the other answers."
        )
    elif answers.custody == "yes":
        out.append("The child was in custody or detention but did not die there.")
    # The conclusion names the rule that applies, without restating the facts above.
    out.append(
        {
            "custody": "So a review should be held.",
            "died": "So the criteria for a review are met.",
            "harm": "So the criteria for a review are met.",
            "none": "So the criteria for a review are not met.",
        }[criterion]
    )
    return out


def _given_criterion(answers: Answers) -> str | None:
    """The SCR criterion the given answers meet on their own, without any missing answer."""
    if answers.custody == "yes" and answers.outcome == "died":
        return "custody"
    if answers.abuse_or_neglect in ("known", "suspected"):
        if answers.outcome == "died":
            return "died"
        if answers.outcome == "serious-harm" and answers.agency_concerns in ("yes", "unclear"):
            return "harm"
    return None


def _ask(needed: list[str], file: Path | None) -> CaseError | InputError:
    asks = "; ".join(
        f"{QUESTIONS[k][2]} ({QUESTIONS[k][1]} {'|'.join(QUESTIONS[k][0])}"
        + (f", or [screening] {k} in case.toml)" if file else ")")
        for k in needed
    )
    error = CaseError if file else InputError
    return error(
        f"the decision needs an answer to {asks}",
        file=file,
        advice=f"give the answer{'s' if len(needed) > 1 else ''} and run scrtool screen again",
    )


def decide_scr(answers: Answers, *, file: Path | None = None) -> ScreeningDecision:
    """Apply the SCR criteria; a needed answer that is missing is an error naming it."""
    needed = missing_answers(answers, "scr")
    if needed:
        raise _ask(needed, file)
    outcomes = {_rule(*full) for full in _completions(answers)}
    decision = {d for d, _ in outcomes}.pop()
    criteria = {c for _, c in outcomes}
    criterion: str = next(c for c in ("custody", "died", "harm", "none") if c in criteria)
    if decision == REQUIRED:
        criterion = _given_criterion(answers) or criterion
    if criterion == "custody":
        text = (
            "A review should be held: the child died in custody or detention, and such a "
            "death should always be reviewed."
        )
    elif decision == REQUIRED:
        text = "A review is required: the criteria for a review are met."
    else:
        text = "A review is not required: the criteria for a review are not met."
    grounds = _scr_grounds(answers, criterion)
    if decision == NOT_REQUIRED:
        grounds.append(PROPORTIONATE_REMINDER)
    return ScreeningDecision(
        review_type="scr",
        decision=decision,
        grounds=tuple(grounds),
        answers=answers,
        decision_text=text,
    )


# Kept for callers of the seed's single-regime API.
decide = decide_scr


# --- LCSPR -----------------------------------------------------------------------------


def decide_lcspr(
    answers: Answers,
    partners: PartnersDecision,
    *,
    file: Path | None = None,
    incident_known: dt.date | None = None,
    notified: dt.date | None = None,
    looked_after: bool = False,
) -> ScreeningDecision:
    """Is the incident notifiable, is a rapid review due, and what did the partners decide?"""
    from scrtool.review.timetable import notification_due, rapid_review_due

    needed = missing_answers(answers, "lcspr")
    if needed:
        raise _ask(needed, file)
    notifiable = {_lcspr_rule(*full)[0] for full in _completions(answers)} == {"notifiable"}
    reasons = (partners.reasons or "").strip() or None
    where = "[screening] partners_reasons in case.toml" if file else "--reasons"
    if partners.decision is not None and reasons is None:
        raise (CaseError if file else InputError)(
            f'the partners\' decision is "{partners.decision}" but no reasons are recorded '
            f"({where})",
            file=file,
            advice="write the partners' reasons there (they go to the Panel with the rapid "
            "review) and run scrtool screen again",
        )
    if not notifiable and partners.decision == LCSPR:
        raise (CaseError if file else InputError)(
            'the partners\' decision is "lcspr", but the answers make the incident not '
            "notifiable (a local child safeguarding practice review is for a serious child "
            "safeguarding incident)",
            file=file,
            advice="check the answers to the screening questions and the partners' decision, "
            "and run scrtool screen again",
        )
    grounds = _fact_grounds(answers)
    due_notify = notification_due(incident_known) if incident_known else None
    due_rapid = rapid_review_due(notified) if notified else None
    matters: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    if not notifiable:
        decision = NOT_NOTIFIABLE
        grounds.append(
            "So this is not a serious child safeguarding incident: it is not notified to the "
            "Child Safeguarding Practice Review Panel, and no rapid review is due."
        )
        if looked_after and answers.outcome == "died":
            grounds.append(
                "The child was looked after and has died: the local authority must tell Ofsted "
                "and the Secretary of State, whether or not abuse or neglect is suspected."
            )
        grounds.append(PROPORTIONATE_REMINDER)
        text = (
            "The incident is not notifiable: abuse or neglect known or suspected, and a child "
            "who died or was seriously harmed, are not both present."
        )
    else:
        matters, related = REGULATION_11_MATTERS, RELATED_CIRCUMSTANCES
        when = ""
        if due_notify is not None:
            when = f" (by {format_english(due_notify)}, 5 working days after {format_english(incident_known)})"  # type: ignore[arg-type]
        grounds.append(
            "So this is a serious child safeguarding incident: the local authority must notify "
            f"the Child Safeguarding Practice Review Panel within 5 working days of becoming aware of it{when}."
        )
        if looked_after and answers.outcome == "died":
            grounds.append(
                "The child was looked after and has died: the local authority must tell Ofsted "
                "and the Secretary of State as well."
            )
        if due_rapid is not None:
            grounds.append(
                f"A rapid review is due by {format_english(due_rapid)}, 15 working days after "
                f"the notification on {format_english(notified)}."  # type: ignore[arg-type]
            )
        else:
            grounds.append(
                "A rapid review is due within 15 working days of the notification (record the "
                "day of the notification as [review] notified to date it)."
            )
        concerns = _concerns_ground(answers.agency_concerns, "lcspr")
        if concerns:
            grounds.append(
                concerns[:-1] + ": the partners weigh this among the matters in regulation 11."
            )
        if answers.custody == "yes":
            grounds.append(
                "The child was in custody or detention"
                + (" when they died" if answers.outcome == "died" else "")
                + ": the partners take this into account in their decision."
            )
        if partners.decision is None:
            decision = AWAITING
            grounds.append(
                "The safeguarding partners decide whether to commission a local child "
                "safeguarding practice review; meeting the criteria does not make one "
                "compulsory. Their decision is awaited."
            )
            text = (
                "The incident is notifiable and a rapid review is due. The safeguarding "
                "partners' decision on a local child safeguarding practice review is awaited."
            )
        else:
            decision = partners.decision
            did = "decided to" if decision == LCSPR else "decided not to"
            grounds.append(
                f"The safeguarding partners {did} commission a local child safeguarding "
                f"practice review. Their reasons: {reasons}"
                + ("" if reasons and reasons.endswith((".", "!", "?")) else ".")
            )
            text = (
                "The incident is notifiable and a rapid review is due. The safeguarding "
                f"partners {did} commission a local child safeguarding practice review."
            )
        if partners.decision is not None:
            if partners.panel_told is not None:
                grounds.append(
                    "The rapid review and the partners' decision, with their reasons, went to "
                    f"the Panel on {format_english(partners.panel_told)}."
                )
            else:
                grounds.append(
                    "Send the rapid review and the partners' decision, with their reasons, to "
                    "the Panel, and record the day as [screening] panel_told."
                )
    if not notifiable and partners.decision == NO_LCSPR:
        grounds.append(f"The safeguarding partners' reasons for no review: {reasons}")
    return ScreeningDecision(
        review_type="lcspr",
        decision=decision,
        grounds=tuple(grounds),
        answers=answers,
        decision_text=text,
        notifiable=notifiable,
        reasons=reasons if partners.decision is not None else None,
        matters=matters,
        related=related,
        notification_due=due_notify,
        rapid_review_due=due_rapid,
        panel_told=partners.panel_told,
    )


# --- case.toml and the record --------------------------------------------------------


def answers_from_case(case: Case) -> Answers:
    section = case.section("screening")
    values: dict[str, str | None] = {}
    for key, (allowed, _, _) in QUESTIONS.items():
        value = section.get(key)
        if value is not None and str(value) not in allowed:
            raise CaseError(
                f'key "screening.{key}" is "{value}", but must be one of '
                + ", ".join(f'"{a}"' for a in allowed),
                file=case.file,
            )
        values[key] = str(value) if value is not None else None
    return Answers(**values)


def partners_from_case(case: Case) -> PartnersDecision:
    section = case.section("screening")
    told = section.get("panel_told")
    decision = section.get("partners_decision")
    reasons = section.get("partners_reasons")
    return PartnersDecision(
        decision=str(decision) if decision is not None else None,
        reasons=str(reasons) if reasons is not None else None,
        panel_told=told if isinstance(told, dt.date) else None,
    )


def _signature(case: Case) -> tuple[dict[str, str], tuple[str, ...]]:
    """The signature block's name, role and date, and what is still to fill in."""
    section: Mapping[str, Any] = case.section("screening")
    by = str(section.get("decided_by") or "").strip()
    role = str(section.get("decided_by_role") or "").strip()
    on = section.get("decided_on")
    missing = []
    if not by:
        missing.append("[screening] decided_by (who made the decision)")
    if not role:
        missing.append("[screening] decided_by_role (their role)")
    if not isinstance(on, dt.date):
        missing.append("[screening] decided_on (the day of the decision)")
    return (
        {
            "decided_by": by or NOT_RECORDED,
            "decided_by_role": role or NOT_RECORDED,
            "decided_on": format_english(on) if isinstance(on, dt.date) else NOT_RECORDED,
        },
        tuple(missing),
    )


def record_context(
    case: Case, decision: ScreeningDecision, *, today: dt.date | None = None
) -> dict[str, Any]:
    """The variables templates/screening-decision.docx uses.

    ``today`` is accepted and ignored: a record never takes today's date as the date of
    the decision; without ``decided_on`` it says "Not recorded".
    """
    del today
    from scrtool.case import REVIEW_TYPE_NAMES

    signature, _ = _signature(case)
    lines = _decision_lines(decision)
    return {
        "ref": case.ref,
        "partnership": case.partnership or NOT_RECORDED,
        "child": case.child or NOT_RECORDED,
        "review_type": decision.review_type,
        "review_type_name": REVIEW_TYPE_NAMES.get(decision.review_type, decision.review_type),
        "is_lcspr": decision.review_type == "lcspr",
        "abuse_or_neglect": decision.answers.words("abuse_or_neglect"),
        "outcome": decision.answers.words("outcome"),
        "agency_concerns": decision.answers.words("agency_concerns"),
        "custody": _custody_words(decision.answers),
        "decision": decision.decision,
        "decision_words": decision.decision_words,
        "decision_text": decision.decision_text,
        "decision_lines": lines,
        "grounds": list(decision.grounds),
        "matters": list(decision.matters),
        "related": list(decision.related),
        "reasons": decision.reasons or "",
        **signature,
    }


def _decision_lines(decision: ScreeningDecision) -> list[str]:
    """The record's short answers: what was decided, in words."""
    if decision.review_type == "scr":
        if (
            decision.decision == REQUIRED
            and decision.answers.custody == "yes"
            and decision.answers.outcome == "died"
        ):
            return [
                "Should a review be held: yes (a death in custody or detention should always be reviewed)."
            ]
        return [f"Must a review be held: {'yes' if decision.required else 'no'}."]
    lines = [f"Notifiable to the Panel: {'yes' if decision.notifiable else 'no'}."]
    if decision.notifiable:
        due = (
            f" (by {format_english(decision.rapid_review_due)})"
            if decision.rapid_review_due
            else ""
        )
        lines.append(f"Rapid review due: yes{due}.")
        lines.append(f"The partners' decision: {decision.decision_words}.")
    return lines


def _custody_words(answers: Answers) -> str:
    """The record asks "did the child die in custody or detention?"."""
    if answers.custody == "yes" and answers.outcome not in ("died", None):
        return "No: the child was in custody or detention but did not die"
    return answers.words("custody")


def screen(
    *,
    answers: Answers | None = None,
    partners: PartnersDecision | None = None,
    case: Case | None = None,
    review_type: str | None = None,
    write_record: bool = True,
    replace_record: bool = False,
) -> ScreeningDecision:
    """Decide from case.toml's [screening] with the given answers over it.

    With a case, the record is written to working/screening-decision.docx; an existing
    record is kept unless ``replace_record``.
    """
    given = answers or Answers()
    merged = answers_from_case(case).merged(given) if case is not None else given
    kind = review_type or (case.type if case is not None else "scr")
    file = case.file if case is not None else None
    if kind == "lcspr":
        recorded = partners_from_case(case) if case is not None else PartnersDecision()
        flags = partners or PartnersDecision()
        chosen = PartnersDecision(
            decision=flags.decision or recorded.decision,
            reasons=flags.reasons or recorded.reasons,
            panel_told=flags.panel_told or recorded.panel_told,
        )
        decision = decide_lcspr(
            merged,
            chosen,
            file=file,
            incident_known=case.date("incident_known") if case is not None else None,
            notified=case.date("notified") if case is not None else None,
            looked_after=bool(case.review.get("looked_after")) if case is not None else False,
        )
    else:
        decision = decide_scr(merged, file=file)
    if case is None:
        return decision
    _, missing = _signature(case)
    decision = replace(decision, to_fill=missing)
    if not write_record:
        return decision
    output = case.path("screening_record")
    if output.exists() and not replace_record:
        raise OutputError(
            "already holds a screening decision record, which was left as it is",
            file=output,
            advice="give --replace to write the new decision over it (keep a copy first if "
            "it is the signed record), or --no-record to see the decision without writing it",
        )
    from scrtool.drafting.templates import render_template
    from scrtool.resources import template_path

    render_template(template_path(RECORD_NAME), record_context(case, decision), output)
    return replace(decision, record=output)
