"""Whether the criteria for a review are met, and the grounds, in words fit for the record.

The rule is the seed procedure's (Working Together 2018, chapter 4). A review must be held:

1. when abuse or neglect of the child is known or suspected and the child has died; or
2. when abuse or neglect is known or suspected, the child has been seriously harmed, and
   there is cause for concern about how the agencies worked together ("unless it is
   clear that there are no concerns", so only a clear ``no`` rules it out); or
3. when the child died in custody or detention, whatever the rest.

An answer the decision does not depend on may be left out: the decision is the same
whatever it would have been. An answer it does depend on is asked for by name.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.errors import CaseError, InputError

if TYPE_CHECKING:
    from scrtool.case import Case

REQUIRED = "required"
NOT_REQUIRED = "not-required"

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

PROPORTIONATE_REMINDER = (
    "The criteria do not decide everything: the partnership may still decide that a "
    "proportionate learning review is right, scaled to the issues the case raises."
)

#: How each answer reads in a decision record.
ANSWER_WORDS: dict[str, dict[str, str]] = {
    "abuse_or_neglect": {"known": "known", "suspected": "suspected", "no": "neither known nor suspected"},
    "outcome": {"died": "died", "serious-harm": "seriously harmed", "none": "neither died nor seriously harmed"},
    "agency_concerns": {"yes": "yes", "no": "no, clearly none", "unclear": "unclear"},
    "custody": {"yes": "yes", "no": "no"},
}  # fmt: skip

NOT_ANSWERED = "not answered"


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
class ScreeningDecision:
    decision: str
    grounds: tuple[str, ...]
    answers: Answers
    decision_text: str
    record: Path | None = None

    @property
    def required(self) -> bool:
        return self.decision == REQUIRED

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "grounds": list(self.grounds),
            "decision_text": self.decision_text,
            "answers": {k: self.answers.get(k) for k in QUESTIONS},
            "record": self.record,
        }


def _rule(abuse: str, outcome: str, concerns: str, custody: str) -> tuple[str, str]:
    """(decision, which criterion) for one full set of answers."""
    if custody == "yes" and outcome == "died":
        return REQUIRED, "custody"
    if abuse in ("known", "suspected"):
        if outcome == "died":
            return REQUIRED, "died"
        if outcome == "serious-harm" and concerns in ("yes", "unclear"):
            return REQUIRED, "harm"
    return NOT_REQUIRED, "none"


def _completions(answers: Answers) -> list[tuple[str, str, str, str]]:
    """Every full set of answers that agrees with the ones given."""
    options = [
        (value,) if (value := answers.get(key)) is not None else allowed
        for key, (allowed, _, _) in QUESTIONS.items()
    ]
    return [(a, o, c, k) for a, o, c, k in itertools.product(*options)]


def _outcomes(answers: Answers) -> set[tuple[str, str]]:
    return {_rule(*full) for full in _completions(answers)}


def missing_answers(answers: Answers) -> list[str]:
    """The unanswered questions whose answer could change the decision, in order."""
    if len({d for d, _ in _outcomes(answers)}) == 1:
        return []
    needed = []
    keys = list(QUESTIONS)
    for index, key in enumerate(keys):
        if answers.get(key) is not None:
            continue
        for full in _completions(answers):
            decisions = set()
            for value in QUESTIONS[key][0]:
                changed = list(full)
                changed[index] = value
                decisions.add(_rule(changed[0], changed[1], changed[2], changed[3])[0])
            if len(decisions) > 1:
                needed.append(key)
                break
    return needed


def _grounds(answers: Answers, criterion: str) -> list[str]:
    abuse = answers.abuse_or_neglect
    outcome = answers.outcome
    concerns = answers.agency_concerns
    out: list[str] = []
    if abuse in ("known", "suspected"):
        out.append(f"Abuse or neglect of the child is {abuse}.")
    elif abuse == "no":
        out.append("Abuse or neglect of the child is neither known nor suspected.")
    if outcome == "died":
        out.append("The child has died.")
    elif outcome == "serious-harm":
        out.append("The child has been seriously harmed.")
    elif outcome == "none":
        out.append("The child has neither died nor been seriously harmed.")
    if outcome == "serious-harm" or (outcome is None and concerns is not None):
        if concerns == "yes":
            out.append(
                "There is cause for concern about how the agencies worked together to "
                "safeguard the child."
            )
        elif concerns == "unclear":
            out.append(
                "It is not clear that there are no concerns about how the agencies worked "
                "together, and unless that is clear a review must be held."
            )
        elif concerns == "no":
            out.append(
                "It is clear that there are no concerns about how the agencies worked "
                "together to safeguard the child."
            )
    if answers.custody == "yes" and outcome == "died":
        out.append(
            "The child died in custody or detention, so a review must be held whatever the "
            "other answers."
        )
    elif answers.custody == "yes":
        out.append("The child was in custody or detention but did not die there.")
    conclusion = {
        "custody": "The criteria for a review are met: the child died in custody or detention.",
        "died": "The criteria for a review are met: abuse or neglect is known or suspected "
        "and the child has died.",
        "harm": "The criteria for a review are met: abuse or neglect is known or suspected, "
        "the child has been seriously harmed, and "
        + (
            "there is cause for concern about how the agencies worked together."
            if concerns == "yes"
            else "it is not clear that there are no concerns about how the agencies "
            "worked together."
        ),
        "none": "The criteria for a review are not met.",
    }[criterion]
    out.append(conclusion)
    return out


def decide(answers: Answers, *, file: Path | None = None) -> ScreeningDecision:
    """Apply the criteria; a needed answer that is missing is an error naming it."""
    needed = missing_answers(answers)
    if needed:
        asks = "; ".join(
            f"{QUESTIONS[k][2]} ({QUESTIONS[k][1]} {'|'.join(QUESTIONS[k][0])}"
            + (f", or screening.{k} in case.toml)" if file else ")")
            for k in needed
        )
        error = CaseError if file else InputError
        raise error(
            f"the decision needs an answer to {asks}",
            file=file,
            advice=f"give the answer{'s' if len(needed) > 1 else ''} and run scrtool screen again",
        )
    outcomes = _outcomes(answers)
    # With answers missing but not needed, every completion agrees on the decision; the
    # grounds come from the criterion those completions share, or the most specific one.
    decisions = {d for d, _ in outcomes}
    decision = decisions.pop()
    criteria = {c for _, c in outcomes}
    criterion: str = next(c for c in ("custody", "died", "harm", "none") if c in criteria)
    if decision == REQUIRED:
        criterion = _given_criterion(answers) or criterion
        text = "A review is required: the criteria for a review are met."
    else:
        text = "A review is not required: the criteria for a review are not met."
    grounds = _grounds(answers, criterion)
    if decision == NOT_REQUIRED:
        grounds.append(PROPORTIONATE_REMINDER)
    return ScreeningDecision(
        decision=decision, grounds=tuple(grounds), answers=answers, decision_text=text
    )


def _given_criterion(answers: Answers) -> str | None:
    """The criterion the given answers meet on their own, without any missing answer."""
    if answers.custody == "yes" and answers.outcome == "died":
        return "custody"
    if answers.abuse_or_neglect in ("known", "suspected"):
        if answers.outcome == "died":
            return "died"
        if answers.outcome == "serious-harm" and answers.agency_concerns in ("yes", "unclear"):
            return "harm"
    return None


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


def record_context(case: Case, decision: ScreeningDecision, *, today: dt.date) -> dict[str, Any]:
    """The variables templates/screening-decision.docx uses."""
    from scrtool.case import REVIEW_TYPE_NAMES

    section: Mapping[str, Any] = case.section("screening")
    decided_on = section.get("decided_on")
    return {
        "ref": case.ref,
        "partnership": case.partnership or "",
        "child": case.child or "",
        "review_type": case.type,
        "review_type_name": REVIEW_TYPE_NAMES.get(case.type, case.type),
        "abuse_or_neglect": decision.answers.words("abuse_or_neglect"),
        "outcome": decision.answers.words("outcome"),
        "agency_concerns": decision.answers.words("agency_concerns"),
        "custody": _custody_words(decision.answers),
        "decision": decision.decision,
        "decision_text": decision.decision_text,
        "grounds": list(decision.grounds),
        "decided_by": str(section.get("decided_by") or "Not recorded"),
        "decided_on": decided_on if isinstance(decided_on, dt.date) else today,
    }


def _custody_words(answers: Answers) -> str:
    """The record asks "did the child die in custody or detention?"."""
    if answers.custody == "yes" and answers.outcome not in ("died", None):
        return "no: the child was in custody or detention but did not die"
    return answers.words("custody")


RECORD_NAME = "screening-decision.docx"


def screen(
    *,
    answers: Answers | None = None,
    case: Case | None = None,
    write_record: bool = True,
    today: dt.date | None = None,
) -> ScreeningDecision:
    """Decide from case.toml's [screening] with ``answers`` over it; with a case, write the record."""
    given = answers or Answers()
    merged = answers_from_case(case).merged(given) if case is not None else given
    decision = decide(merged, file=case.file if case is not None else None)
    if case is None or not write_record:
        return decision
    from scrtool.drafting.templates import render_template
    from scrtool.resources import template_path

    output = case.path("screening_record")
    context = record_context(case, decision, today=today or dt.date.today())
    render_template(template_path(RECORD_NAME), context, output)
    return replace(decision, record=output)
