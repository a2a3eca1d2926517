"""The pseudonym table from case.toml, checked, and the replacement it drives.

Names are found exactly as the redaction check finds them (its ``TermMatcher``: any
case, curly or straight apostrophes, possessives, and the distinctive parts of a name
such as "Lily-Mae" or "Harrowgate"), so a document anonymised here passes that check
for names. Only the name is replaced: "Lily-Mae's" becomes "Child A's".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scrtool.checks.redaction import TermMatcher, build_matcher
from scrtool.errors import CaseError

if TYPE_CHECKING:
    from scrtool.case import Case

_DASHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-"})
ADVICE = "correct [register.pseudonyms] in case.toml and run anonymise again"


def key(text: str) -> str:
    """A name as compared: one case, one kind of apostrophe and dash, single spaces."""
    return " ".join(text.translate(_DASHES).casefold().split())


class AmbiguousNameError(CaseError):
    """A part of several names ("Harrowgate") that have different pseudonyms."""


@dataclass(frozen=True)
class PseudonymTable:
    """Real name -> pseudonym, in the order case.toml gives them."""

    pairs: tuple[tuple[str, str], ...]
    source: str = "case.toml"

    @property
    def reals(self) -> tuple[str, ...]:
        return tuple(r for r, _ in self.pairs)

    @property
    def pseudonyms(self) -> tuple[str, ...]:
        return tuple(p for _, p in self.pairs)


def load_table(case: Case) -> PseudonymTable:
    """The checked ``[register.pseudonyms]`` table.

    Every register entry needs a pseudonym; no two names may share one (personalising
    could not tell them apart), and no pseudonym may itself be or hold a register name
    (anonymising would leave that name in).
    """
    raw = case.section("register").get("pseudonyms", {})
    source = str(case.file)
    if not isinstance(raw, Mapping):
        raise CaseError(
            "[register.pseudonyms] must be a table of names and pseudonyms",
            file=source,
            advice='write one line for each name: "Lily-Mae Harrowgate" = "Child A"',
        )
    pairs: list[tuple[str, str]] = []
    for real, pseudonym in raw.items():
        real = " ".join(str(real).split())
        if not isinstance(pseudonym, str) or not pseudonym.strip():
            raise CaseError(
                f'the pseudonym for "{real}" is empty',
                file=source,
                place="[register.pseudonyms]",
                advice=ADVICE,
            )
        pairs.append((real, " ".join(pseudonym.split())))
    given = {key(r) for r, _ in pairs}
    missing = [t for t in case.register_terms if key(str(t)) not in given]
    if missing:
        shown = ", ".join(f'"{m}"' for m in missing)
        raise CaseError(
            f"the register name{'s' if len(missing) > 1 else ''} {shown} "
            f"{'have' if len(missing) > 1 else 'has'} no pseudonym",
            file=source,
            place="[register.pseudonyms]",
            advice=f'add a line such as "{missing[0]}" = "Child A" to [register.pseudonyms] '
            "in case.toml and run anonymise again",
        )
    owners: dict[str, str] = {}
    for real, pseudonym in pairs:
        other = owners.get(key(pseudonym))
        if other is not None and key(other) != key(real):
            raise CaseError(
                f'"{other}" and "{real}" both have the pseudonym "{pseudonym}"; '
                "personalising could not tell them apart",
                file=source,
                place="[register.pseudonyms]",
                advice="give each name its own pseudonym and run anonymise again",
            )
        owners[key(pseudonym)] = real
    table = PseudonymTable(tuple(pairs), source)
    matcher = build_matcher(terms=table.reals, case=case)
    for real, pseudonym in pairs:
        for found in _names_in(pseudonym, matcher):
            raise CaseError(
                f'the pseudonym "{pseudonym}" (for "{real}") is itself a register name '
                f'("{found}"), so anonymising would leave that name in',
                file=source,
                place="[register.pseudonyms]",
                advice="choose a pseudonym that names no one, and run anonymise again",
            )
    return table


def _names_in(text: str, matcher: TermMatcher) -> list[str]:
    if matcher.pattern is None:
        return []
    return [
        m.group("base")
        for m in matcher.pattern.finditer(text)
        if key(m.group("base")) in matcher.term_keys and not matcher.allowed(text, *m.span())
    ]


@dataclass
class Replacer:
    """Finds the names (or, personalising, the pseudonyms) in text and what replaces them."""

    matcher: TermMatcher
    targets: dict[str, str]
    personalise: bool = False
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    count: int = 0
    #: Anonymising: finds the pseudonyms a text already held (``before`` counts them).
    reverse: Replacer | None = None
    before: int = 0
    _cache: dict[str, tuple[list[tuple[int, int, str]], int]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def build(cls, table: PseudonymTable, case: Case | None, *, personalise: bool) -> Replacer:
        if personalise:
            # Whole pseudonyms only ("Child A", never "Child"), exactly as written.
            matcher = TermMatcher.build(table.pseudonyms, [], whole_only=table.pseudonyms)
            return cls(
                matcher,
                {key(p): r for r, p in table.pairs},
                personalise=True,
                written={key(p): p for p in table.pseudonyms},
            )
        matcher = build_matcher(terms=table.reals, case=case)
        targets = {key(r): p for r, p in table.pairs}
        ambiguous: dict[str, tuple[str, ...]] = {}
        for part in matcher.term_keys - set(targets):
            word = re.compile(r"(?<![^\W\d_])" + re.escape(part) + r"(?![^\W\d_])")
            owners = [(r, p) for r, p in table.pairs if word.search(key(r))]
            pseudonyms = {key(p) for _, p in owners}
            if len(pseudonyms) == 1:
                targets[part] = owners[0][1]
            elif owners:
                ambiguous[part] = tuple(r for r, _ in owners)
        return cls(matcher, targets, ambiguous=ambiguous)

    def spans(self, text: str, *, where: str = "") -> list[tuple[int, int, str]]:
        """(start, end, replacement) of every name in ``text``, left to right.

        A chronology repeats the same words on many rows ("Home visit", an agency's
        stock phrase), so each distinct text is worked out once.
        """
        cached = self._cache.get(text)
        if cached is None:
            found = self._find(text, where)
            already = len(self.reverse._find(text, where)) if self.reverse is not None else 0
            cached = (found, already)
            if len(self._cache) < 200_000:
                self._cache[text] = cached
        self.count += len(cached[0])
        self.before += cached[1]
        return cached[0]

    def _find(self, text: str, where: str) -> list[tuple[int, int, str]]:
        pattern = self.matcher.pattern
        if pattern is None or not text:
            return []
        out: list[tuple[int, int, str]] = []
        for m in pattern.finditer(text):
            base = m.group("base")
            k = key(base)
            if k not in self.matcher.term_keys:
                continue
            if self.personalise:
                target = self.targets.get(k)
                written = self.written.get(k, base).translate(_DASHES)
                if base.translate(_DASHES) not in (written, written.upper()):
                    continue  # "mother" is a word; only "Mother" is the pseudonym
            else:
                if self.matcher.allowed(text, m.start(), m.end()):
                    continue
                target = self.targets.get(k)
                if target is None and k in self.ambiguous:
                    names = ", ".join(f'"{n}"' for n in self.ambiguous[k])
                    raise AmbiguousNameError(
                        f'"{base}" is part of the names {names}, which have different '
                        "pseudonyms, so scrtool cannot tell whom it means",
                        file=where or None,
                        advice=(
                            f'give it its own pseudonym in [register.pseudonyms] ("{base}" = '
                            '"the family"), or write the whole name, and run anonymise again'
                        ),
                    )
            if target is None:
                continue
            if base.isupper() and len(base) > 1:
                target = target.upper()
            out.append((m.start("base"), m.end("base"), target))
        return out

    def sub(self, text: str, *, where: str = "") -> str:
        spans = self.spans(text, where=where)
        if not spans:
            return text
        parts: list[str] = []
        pos = 0
        for start, end, replacement in spans:
            parts.append(text[pos:start])
            parts.append(replacement)
            pos = end
        parts.append(text[pos:])
        return "".join(parts)
