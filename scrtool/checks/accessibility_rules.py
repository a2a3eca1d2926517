"""The accessibility check's rules and results, shared by the .docx and .pdf sides.

Each kind of finding has one entry in ``schemas/accessibility.toml``: its severity, the
WCAG 2.2 success criterion it serves, why it matters and how to fix it, in Word and in
a PDF. The thresholds (the smallest body text, when a PDF needs bookmarks, which link
texts say nothing, which alternative texts count as missing) live there too, so a
partnership can read and change them. ``check accessibility`` and ``publish`` both
report through the dataclasses here, so a finding reads the same wherever it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from scrtool.checks.redaction import FAILING
from scrtool.errors import EXIT_FINDINGS, EXIT_OK, SettingsError
from scrtool.jsonout import to_jsonable
from scrtool.resources import schema_path

KINDS = (
    "title", "language", "headings", "alt-text", "table-header", "link-text", "tagged",
    "font-size",
)  # fmt: skip
FORMATS = ("docx", "pdf")
RULES_NAME = "accessibility"

#: The numbers a rule's text may name as ``{min_font_size_pt}``.
_NUMBERS = ("min_font_size_pt", "bookmarks_above_pages")
_SLOT = re.compile(r"\{(\w*)\}")


@dataclass(frozen=True)
class KindRule:
    """One kind of finding: how bad it is, which WCAG criterion, why, and how to fix it."""

    kind: str
    severity: str
    wcag: str
    why: str
    fix_docx: str
    fix_pdf: str

    def fix(self, fmt: str) -> str:
        if fmt not in FORMATS:
            raise ValueError(f"format {fmt!r} is not one of {FORMATS}")
        return self.fix_docx if fmt == "docx" else self.fix_pdf


@dataclass(frozen=True)
class Rules:
    """``schemas/accessibility.toml``, checked and compiled."""

    kinds: Mapping[str, KindRule]
    min_font_size_pt: float
    bookmarks_above_pages: int
    vague_link_texts: frozenset[str]
    address_patterns: tuple[re.Pattern[str], ...]
    meaningless_alt_texts: tuple[re.Pattern[str], ...]
    source: Path | None = None

    def rule(self, kind: str) -> KindRule:
        try:
            return self.kinds[kind]
        except KeyError:
            raise ValueError(f"{kind!r} is not an accessibility finding kind") from None

    def is_vague_link(self, text: str) -> bool:
        """Link text that says nothing of where it goes ("Click here.")."""
        return _link_key(text) in self.vague_link_texts

    def is_address(self, text: str) -> bool:
        """Link text that is a bare address (web, or a mailto: link written out)."""
        text = text.strip()
        return bool(text) and any(p.search(text) for p in self.address_patterns)

    def is_meaningless_alt(self, text: str) -> bool:
        """Alternative text that counts as none: empty, a file name, "Picture 3"."""
        text = " ".join(text.split())
        return not text or any(p.fullmatch(text) for p in self.meaningless_alt_texts)


#: Stripped from both ends of a link's text before it is compared: punctuation, arrows,
#: brackets and quotation marks round the words ("(click here)", "Read more…", "here,").
_LINK_TRIM = " .,;:!?…>»→<«←()[]\"'“”‘’"


def _link_key(text: str) -> str:
    return " ".join(text.split()).strip(_LINK_TRIM).strip().casefold()


def _number_text(value: float) -> str:
    return f"{value:g}"


def _fill(text: str, key: str, numbers: Mapping[str, str], path: Path) -> str:
    def slot(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in numbers:
            known = ", ".join("{" + n + "}" for n in _NUMBERS)
            raise SettingsError(
                f'"{key}" names {{{name}}}, which is not a setting',
                file=path,
                advice=f"use {known}, or remove the braces",
            )
        return numbers[name]

    return " ".join(_SLOT.sub(slot, text).split())


def _patterns(data: Mapping[str, Any], key: str, path: Path) -> tuple[re.Pattern[str], ...]:
    out = []
    for text in data.get(key, []):
        if not text.strip():
            continue
        try:
            out.append(re.compile(text, re.IGNORECASE))
        except re.error as exc:
            raise SettingsError(
                f'the pattern "{text}" under "{key}" is not a regular expression ({exc})',
                file=path,
                advice="correct it or remove it",
            ) from None
    return tuple(out)


def load_rules(path: Path | None = None) -> Rules:
    """Read the accessibility rules; a broken file is exit 2 naming the key."""
    from scrtool.settings import load_data

    path = Path(path) if path is not None else schema_path(f"{RULES_NAME}.toml")
    data = load_data(RULES_NAME, path)  # the schema requires every kind and threshold
    numbers = {name: _number_text(data[name]) for name in _NUMBERS}
    kinds = {}
    for kind in KINDS:
        entry = data[kind]
        texts = {
            key: _fill(entry[key], f"{kind}.{key}", numbers, path)
            for key in ("why", "fix_docx", "fix_pdf")
        }
        kinds[kind] = KindRule(
            kind=kind,
            severity=entry["severity"],
            wcag=" ".join(entry["wcag"].split()),
            **texts,
        )
    return Rules(
        kinds=MappingProxyType(kinds),
        min_font_size_pt=float(data["min_font_size_pt"]),
        bookmarks_above_pages=int(data["bookmarks_above_pages"]),
        vague_link_texts=frozenset(_link_key(t) for t in data["vague_link_texts"] if t.strip()),
        address_patterns=_patterns(data, "address_patterns", path),
        meaningless_alt_texts=_patterns(data, "meaningless_alt_texts", path),
        source=path,
    )


# --- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One problem: ``text`` is what was found (or what is missing), ``location`` where a
    person finds it, ``advice`` how to fix it in the file's own format."""

    kind: str
    text: str
    location: str
    severity: str
    advice: str

    @property
    def fails(self) -> bool:
        return self.severity in FAILING


def make_finding(rules: Rules, kind: str, text: str, location: str, fmt: str) -> Finding:
    """A finding with the severity and the advice for ``fmt`` ("docx" or "pdf") that the
    rules give its kind."""
    rule = rules.rule(kind)
    return Finding(
        kind=kind, text=text, location=location, severity=rule.severity, advice=rule.fix(fmt)
    )


@dataclass(frozen=True)
class FileReport:
    """One file's findings. ``passed`` is stored so the JSON reads as it is built; make
    one with ``FileReport.of`` to have it worked out from the findings."""

    path: Path
    passed: bool
    findings: tuple[Finding, ...] = ()
    #: What the PDF or Word libraries said about the file (a damaged object worked round).
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.passed != (not any(f.fails for f in self.findings)):
            raise ValueError(f"{self.path}: passed={self.passed} does not fit its findings")

    @classmethod
    def of(
        cls, path: Path, findings: Sequence[Finding], warnings: Sequence[str] = ()
    ) -> FileReport:
        findings = tuple(findings)
        return cls(
            path=Path(path),
            passed=not any(f.fails for f in findings),
            findings=findings,
            warnings=tuple(warnings),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "passed": self.passed,
            "findings": to_jsonable(self.findings),
            **({"warnings": list(self.warnings)} if self.warnings else {}),
        }


@dataclass(frozen=True)
class AccessibilityReport:
    passed: bool
    files: tuple[FileReport, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.passed != all(f.passed for f in self.files):
            raise ValueError(f"passed={self.passed} does not fit the files' results")

    @classmethod
    def of(cls, files: Sequence[FileReport]) -> AccessibilityReport:
        files = tuple(files)
        return cls(passed=all(f.passed for f in files), files=files)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.passed else EXIT_FINDINGS

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "files": [f.to_json() for f in self.files]}
