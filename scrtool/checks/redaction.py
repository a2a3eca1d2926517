"""Does anything in a report identify the child or family? The check before publication.

A report leaks through places a reader never sees (comments, tracked changes, document
properties, a black box drawn over live text), so the document readers in
``readers.docx`` and ``readers.pdf`` turn every place into ``Piece`` objects: text with a
location, and, for a hidden place, the kind of finding it is whatever it says. This
module scans all the pieces at once for the case register's names and for identifiers
(NHS and National Insurance numbers, postcodes, phone numbers, emails, dates of birth,
street addresses), with one compiled expression per job, never one scan per name.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.checks.identifiers import (  # noqa: F401  (names older callers import from here)
    _ADDRESS_NOT_AFTER,
    _DATE_AFTER,
    _DATE_BEFORE,
    _DIGIT_SCAN,
    _DOB_SCAN,
    _NHS_NOT_AFTER,
    _PLUS_SCAN,
    _TITLE_BEFORE,
    ADDRESS_RE,
    DOB_RE,
    EMAIL_RE,
    NHS_RE,
    NI_RE,
    PHONE_RE,
    POSTCODE_RE,
    _address_ok,
    _phone_span,
    identifier_key,
    nhs_number_valid,
    organisation_line,
    phone_may_start,
    postcode_valid,
)
from scrtool.errors import EXIT_FINDINGS, EXIT_OK, InputError, UnreadableInputError
from scrtool.readers.model import UNSPACED, Piece, ReadFile
from scrtool.resources import schema_path

if TYPE_CHECKING:
    from scrtool.case import Case

KINDS = (
    "name", "nhs-number", "ni-number", "postcode", "phone", "email", "date-of-birth",
    "address", "metadata", "comment", "tracked-change", "hidden-text", "covered-text",
    "embedded-object", "attachment", "annotation", "javascript", "form-field",
    "revision-history",
)  # fmt: skip
SEVERITIES = ("high", "medium", "low")
FAILING = frozenset({"high", "medium"})
SUFFIXES = (".docx", ".pdf", ".txt", ".md")
ALLOW_FILE = "redaction-allow.txt"

#: Longest text shown for one finding (a whole hidden comment is cut to this).
MAX_SHOWN = 200


#: What to do about a finding, by its kind (the default: replace or remove it).
ADVICE = {
    "metadata": "clear the document's properties (in Word: File, Info, Check for Issues, "
    "Inspect Document) and save it again",
    "comment": "delete the comments (in Word: Review, Delete All Comments) and save it again",
    "tracked-change": "accept or reject every tracked change (in Word: Review) and save it again",
    "revision-history": "clear the document's properties and history (in Word: File, Info, "
    "Inspect Document) and save it again",
    "hidden-text": "delete the hidden text, or show it and rewrite it, and save it again",
    "covered-text": "delete the text under the box rather than covering it, and save it again",
    "annotation": "delete the comments and other annotations (or print it to a new PDF) and "
    "save it again",
    "attachment": "remove the attached file (send it as a document of its own with --attach "
    "if it belongs in the bundle) and save it again",
    "javascript": "remove the script (or print it to a new PDF) and save it again",
    "form-field": "clear or flatten the form fields (or print it to a new PDF) and save it again",
    "embedded-object": "remove the embedded file or macros and save it again",
}
DEFAULT_ADVICE = "replace it with the pseudonym or remove it, and save it again"


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    location: str
    severity: str

    @property
    def fails(self) -> bool:
        return self.severity in FAILING

    @property
    def advice(self) -> str:
        """What to do about it: the same words in ``check redaction`` and ``package``."""
        return ADVICE.get(self.kind, DEFAULT_ADVICE)


@dataclass(frozen=True)
class FileReport:
    path: Path
    findings: tuple[Finding, ...] = ()
    #: What the PDF or Word libraries said about the file (a damaged object worked round).
    warnings: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not any(f.fails for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "passed": self.passed,
            "findings": [
                {
                    "kind": f.kind,
                    "text": f.text,
                    "location": f.location,
                    "severity": f.severity,
                    "advice": f.advice,
                }
                for f in self.findings
            ],
            **({"warnings": list(self.warnings)} if self.warnings else {}),
        }


@dataclass(frozen=True)
class RedactionReport:
    files: tuple[FileReport, ...] = ()

    @property
    def passed(self) -> bool:
        return all(f.passed for f in self.files)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.passed else EXIT_FINDINGS

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "files": [f.to_json() for f in self.files]}


# --- terms ---------------------------------------------------------------------------


def read_terms_file(path: str | Path) -> list[str]:
    """One name or phrase a line; ``#`` starts a comment; blank lines are skipped."""
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "the terms file does not exist" if not path.exists() else "is not a file",
            file=path,
            advice="check the name given to --terms",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"cannot be read ({exc.strerror or exc})", file=path) from exc
    text = _decode_text(raw)
    terms = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            terms.append(line)
    return terms


def _decode_text(raw: bytes) -> str:
    from scrtool.readers.text import decode_text

    return decode_text(raw)


def builtin_allow_terms() -> list[str]:
    """The editable list of pseudonyms, roles and agency words in schemas/."""
    try:
        return read_terms_file(schema_path(ALLOW_FILE))
    except (InputError, FileNotFoundError):
        return []


#: Words in a place name that say nothing on their own ("Primary", "Close"): never
#: looked for alone, while the place's distinctive word ("Larkspur") is.
_GENERIC = """
    the of and at on in upon under by for a an st saint mr mrs ms miss dr master mx
    road street avenue close lane drive way crescent court place gardens terrace grove
    walk mews rise square hill row parade park green view vale gate wharf yard
    boulevard estate farm house cottage cottages hall lodge manor villas flats flat
    primary secondary junior infant infants nursery school academy college university
    high grammar church ce rc catholic community centre center hospital surgery
    practice medical health clinic children's childrens family north south east west
    upper lower great little new old town city village county district borough
"""
GENERIC_WORDS = frozenset(_GENERIC.split())
_SPACE = r"[\s\u00a0]+"


_DASHES = str.maketrans({"’": "'", "‘": "'", "‐": "-", "‑": "-", "–": "-"})


def _norm_key(text: str) -> str:
    """A term or a matched text as compared: one case, one kind of apostrophe and dash."""
    return " ".join(text.translate(_DASHES).casefold().split())


def _term_pattern(term: str) -> str:
    words = term.split()
    out = []
    for word in words:
        piece = re.escape(word)
        # One pass: replacing "'" and then "’" would break the first class open.
        piece = re.sub("['’‘]", lambda _: "['’‘]", piece)
        piece = piece.replace(r"\-", "[-‐‑–]")
        out.append(piece)
    return _SPACE.join(out)


def _class_char(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


def _trie(patterns: Iterable[str]) -> str:
    """An alternation as a trie on its first characters, so a failing position tries
    one branch per distinct character instead of one per term."""
    groups: dict[str, list[str]] = {}
    ends = False
    for pattern in patterns:
        if not pattern:
            ends = True
            continue
        head = pattern[0]
        if head in "\\[(":
            groups.setdefault("", []).append(pattern)
        else:
            key = head.lower() if len(head.lower()) == 1 else head
            groups.setdefault(key, []).append(pattern)
    branches = []
    for head, items in groups.items():
        if head == "" or len(items) == 1:
            branches.extend(sorted(items, key=len, reverse=True))
        else:
            rest = _trie(item[1:] for item in items)
            branches.append(re.escape(head) + f"(?:{rest})")
    if ends:
        branches.append("")
    return "|".join(branches)


def names_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """All terms in one expression that starts with a set of first letters.

    Python's regular expressions skip quickly through text to a character in a leading
    set, so the expression is a set of the terms' first characters (both cases), a check
    that it starts a word (a name is a word between any two non-letters, so
    "kelly_smith.png" and "okonkwo2024" count), then the rest of every term as a trie. The rest may follow
    another term's first letter ("B" + "ily"), so each hit is checked against the terms.
    """
    firsts: set[str] = set()
    rests: set[str] = set()
    for term in terms:
        first, rest = term[0], term[1:]
        firsts.update({first, first.lower(), first.upper()})
        if rest[:1].isspace():
            rests.add(_SPACE + _term_pattern(rest.strip()))
        else:
            rests.add(_term_pattern(rest))
    charset = "".join(sorted(_class_char(c) for c in firsts if len(c) == 1))
    letter = rf"[^\W\d_{UNSPACED}]"  # a letter of a script that puts spaces between words
    return re.compile(
        rf"(?P<base>[{charset}](?<!{letter}[{charset}])(?i:{_trie(rests)}))"
        rf"(?:['’]s\b|s['’](?!\w)|['’](?!\w))?(?!{letter})"
    )


def _name_parts(term: str, allowed_words: set[str]) -> list[str]:
    parts: list[str] = []
    words = term.split()
    if len(words) < 2 and "-" not in term:
        return parts
    for word in words:
        candidates = [word]
        if "-" in word:
            candidates += [w for w in word.split("-") if w]
        for cand in candidates:
            cand = cand.strip(".,;:()\"'")
            key = _norm_key(cand)
            if len(key) < 3 or key in GENERIC_WORDS or key in allowed_words:
                continue
            if not any(ch.isalpha() for ch in key):
                continue
            parts.append(cand)
    return parts


@dataclass(frozen=True)
class TermMatcher:
    """The register in one compiled expression, longest terms first."""

    pattern: re.Pattern[str] | None
    allow_terms: tuple[str, ...] = ()
    allowed_values: frozenset[str] = field(default_factory=frozenset)
    term_keys: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls,
        terms: Iterable[str],
        allow: Iterable[str],
        *,
        whole_only: Iterable[str] = (),
        allowed_emails: Iterable[str] = (),
    ) -> TermMatcher:
        allow_list = [a.strip() for a in allow if a and a.strip()]
        allowed_words: set[str] = set()
        for entry in allow_list:
            allowed_words.add(_norm_key(entry))
            if len(entry.split()) == 1:
                allowed_words.add(_norm_key(entry))
        whole = {_norm_key(t) for t in whole_only}
        seen: dict[str, str] = {}
        for term in terms:
            term = " ".join(str(term).split())
            if not term or not any(ch.isalnum() for ch in term):
                continue
            seen.setdefault(_norm_key(term), term)
            if _norm_key(term) in whole:
                continue
            for part in _name_parts(term, allowed_words):
                seen.setdefault(_norm_key(part), part)
        pattern = names_pattern(seen.values()) if seen else None
        return cls(
            pattern=pattern,
            allow_terms=tuple(allow_list),
            allowed_values=frozenset(
                identifier_key(v) for v in [*allow_list, *allowed_emails] if identifier_key(v)
            ),
            term_keys=frozenset(seen),
        )

    @cached_property
    def allow_pattern(self) -> re.Pattern[str] | None:
        """Compiled only when a name is found: most clean reports never need it."""
        if not self.allow_terms:
            return None
        alts = sorted({_term_pattern(a) for a in self.allow_terms}, key=len, reverse=True)
        return re.compile(rf"(?<!\w)(?:{'|'.join(alts)})(?!\w)", re.IGNORECASE)

    def allowed_whole(self, text: str) -> bool:
        """Whether ``text`` is, as a whole, one of the allowed terms (a listed agency)."""
        key = _norm_key(text)
        return any(_norm_key(term) == key for term in self.allow_terms)

    def allowed_value(self, text: str) -> bool:
        """An identifier the partnership allows (a helpline number, its own mailbox)."""
        return bool(self.allowed_values) and identifier_key(text) in self.allowed_values

    def allowed(self, text: str, start: int, end: int) -> bool:
        """Is text[start:end] inside a longer allowed phrase (an agency named after a place)?"""
        if self.allow_pattern is None:
            return False
        lo = max(0, start - 80)
        for m in self.allow_pattern.finditer(text, lo, min(len(text), end + 80)):
            if m.start() <= start and m.end() >= end and (m.end() - m.start()) > (end - start):
                return True
            if m.start() > start:
                break
        return False


# --- scanning ------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-\n(?=[a-z])")


def normalise(text: str) -> str:
    """Undo what hides a name from a search: ligatures, zero-width and soft hyphens."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if _INVISIBLE.search(text):
            text = _INVISIBLE.sub("", text)
    if "-\n" in text:
        text = _HYPHEN_BREAK.sub("", text)
    return text


#: Author and company values that programs write when nobody set them: not personal.
PLACEHOLDER_PEOPLE = frozenset(
    ("anonymous", "unknown", "user", "admin", "administrator", "author", "owner", "none",
     "n/a", "-", "default", "python-docx", "windows user", "microsoft office user",
     "office user", "unknown author")
)  # fmt: skip


def _shown(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 1].rstrip() + "…"
    return text


#: Girobank's postcode, the one whose inward code holds the only digit.
_GIR = re.compile(r"(?<![\w])GIR[ \u00a0]?0AA(?![\w])")


#: Between "born" and a date, words that start another event: "born in Romania and came
#: to the UK on 4 June 2015" gives the day she came, not her birthday.
_ANOTHER_EVENT = re.compile(r"\b(?:and|but|then|before|after|until|later|when|since)\b", re.I)


class _Scanner:
    """Scans all pieces of one file as one long string joined by NULs.

    A NUL stops every expression (no name or number runs from one place into the next),
    and offsets map back to pieces with a bisect.
    """

    def __init__(self, matcher: TermMatcher) -> None:
        self.matcher = matcher

    def scan(self, pieces: Sequence[Piece]) -> list[Finding]:
        texts: list[str] = []
        owners: list[int] = []
        starts: list[int] = []
        ordered: list[tuple[int, int, Finding]] = []  # (piece, place in piece, finding)
        offset = 0
        for index, piece in enumerate(pieces):
            if piece.kind is not None:
                text = piece.shown if piece.shown is not None else piece.text
                severity = piece.severity
                if piece.kind == "metadata" and _norm_key(text).strip("()") in PLACEHOLDER_PEOPLE:
                    severity = "low"  # "anonymous", "Windows User": nobody's name
                elif (
                    piece.kind == "metadata"
                    and piece.location.endswith("Company")
                    and self.matcher.allowed_whole(text)
                ):
                    severity = "low"  # the council's own name, as Office sets it everywhere
                own = Finding(piece.kind, _shown(text), piece.location, severity)
                ordered.append((index, -1, own))
            if piece.scan and piece.text:
                text = normalise(piece.text)
                texts.append(text)
                owners.append(index)
                starts.append(offset)
                offset += len(text) + 1
        big = "\x00".join(texts)
        for start, kind, text in self._matches(big):
            i = bisect.bisect_right(starts, start) - 1
            piece = pieces[owners[i]]
            location = piece.location
            if piece.first_line is not None:
                line = piece.first_line + texts[i].count("\n", 0, start - starts[i])
                location = f"line {line}"
            severity = "low" if kind == "phone" and organisation_line(big, start, text) else "high"
            ordered.append((owners[i], start, Finding(kind, _shown(text), location, severity)))
        ordered.sort(key=lambda t: (t[0], t[1]))
        findings: list[Finding] = []
        seen: set[tuple[str, str, str]] = set()
        for _, _, f in ordered:
            key = (f.kind, f.text.casefold(), f.location)
            if key not in seen:
                seen.add(key)
                findings.append(f)
        return findings

    def _matches(self, big: str) -> Iterator[tuple[int, str, str]]:
        """(offset, kind, text) of every name and identifier."""
        m = self.matcher
        if m.pattern is not None:
            for found in m.pattern.finditer(big):
                if _norm_key(found.group("base")) in m.term_keys:
                    yield from self._name(big, found.start(), found.end())
        for found in _DIGIT_SCAN.finditer(big):
            yield from self._identifier(big, found)
        if "GIR" in big:  # the expression starts with a look-behind: slow on every letter
            for found in _GIR.finditer(big):
                yield from self._hit(big, found.start(), found.end(), "postcode")
        for found in _PLUS_SCAN.finditer(big):
            yield from self._phone(big, found.start(), found.end())
        for found in _DOB_SCAN.finditer(big):
            if not big[found.start() - 1 : found.start()].isalnum():
                yield from self._date_of_birth(big, found)
        at = big.find("@")
        while at != -1:
            lo = max(0, at - 64)
            for found in EMAIL_RE.finditer(big, lo, min(len(big), at + 256)):
                if found.start() <= at < found.end():
                    yield from self._hit(big, found.start(), found.end(), "email")
                    at = found.end()
                    break
            at = big.find("@", at + 1)

    def _identifier(self, big: str, found: re.Match[str]) -> Iterator[tuple[int, str, str]]:
        kind = found.lastgroup
        start, end = found.span()
        before = big[start - 1 : start]
        if kind == "street":
            kind = "address"
        if kind == "nhs":
            digits = "".join(ch for ch in found.group() if ch.isdigit())
            boundary = not (before.isalnum() or before == "_" or before in _NHS_NOT_AFTER)
            if boundary and nhs_number_valid(digits):
                yield from self._hit(big, start, end, "nhs-number")
                return
            # Ten digits that are no NHS number may still be a phone number.
            if found.group().startswith("0"):
                phone = PHONE_RE.match(big, start)
                if phone is not None:
                    yield from self._phone(big, start, phone.end())
        elif kind == "phone":
            yield from self._phone(big, start, end)
        elif kind == "address":
            if not (before.isalnum() or before in _ADDRESS_NOT_AFTER):
                address = ADDRESS_RE.match(big, start)
                if address is not None and _address_ok(big, address):
                    yield from self._hit(big, start, address.end(), "address")
        elif kind == "ni":
            for lo in (start - 3, start - 2):
                ni = NI_RE.match(big, max(lo, 0))
                if lo >= 0 and ni is not None and ni.end() == end:
                    yield from self._hit(big, ni.start(), end, "ni-number")
                    return
        elif kind == "postcode":
            for lo in (start - 2, start - 1):
                postcode = POSTCODE_RE.match(big, max(lo, 0))
                if lo >= 0 and postcode is not None and postcode.end() == end:
                    if postcode_valid(postcode.group()):
                        yield from self._hit(big, postcode.start(), end, "postcode")
                    return

    def _hit(self, big: str, start: int, end: int, kind: str) -> Iterator[tuple[int, str, str]]:
        text = big[start:end]
        if not self.matcher.allowed_value(text):
            yield start, kind, text

    def _name(self, big: str, start: int, end: int) -> Iterator[tuple[int, str, str]]:
        if self.matcher.allowed(big, start, end):
            return
        title = _TITLE_BEFORE.search(big, max(0, start - 10), start)
        if title is not None:
            start = title.start()
        yield start, "name", big[start:end]

    def _phone(self, big: str, start: int, end: int) -> Iterator[tuple[int, str, str]]:
        if not phone_may_start(big, start):
            return
        if big[start] == "(" and ")" not in big[start:end]:
            start += 1  # "(07700 900123)": the bracket is not part of the number
        span = _phone_span(big, start, end)
        if span is not None:
            yield from self._hit(big, span[0], span[1], "phone")

    def _date_of_birth(self, big: str, found: re.Match[str]) -> Iterator[tuple[int, str, str]]:
        after = _DATE_AFTER.match(big, found.end(), min(len(big), found.end() + 90))
        if after is not None and not _ANOTHER_EVENT.search(big, found.end(), after.start(1)):
            yield from self._hit(big, after.start(1), after.end(1), "date-of-birth")
            return
        keyword = found.group(0).casefold()
        if keyword.startswith(("d", "date")):
            before = _DATE_BEFORE.search(big, max(0, found.start() - 30), found.start())
            if before is not None:
                yield from self._hit(big, before.start(1), before.end(1), "date-of-birth")


# --- files ---------------------------------------------------------------------------


def text_file_pieces(path: Path) -> list[Piece]:
    """A .txt or .md file's pieces (see ``readers.documents.text_pieces``)."""
    from scrtool.readers.documents import text_pieces
    from scrtool.readers.text import read_text_file

    return text_pieces(read_text_file(path), markdown=path.suffix.lower() == ".md")


def file_pieces(path: Path) -> list[Piece]:
    from scrtool.readers.documents import read_file

    return list(read_file(path, visible=False).pieces)


def _check_path(path: Path) -> None:
    from scrtool.readers.documents import check_path

    check_path(path, suffixes=SUFFIXES)


def build_matcher(
    *, terms: Sequence[str] = (), allow: Sequence[str] = (), case: Case | None = None
) -> TermMatcher:
    all_terms: list[str] = list(terms)
    all_allow: list[str] = builtin_allow_terms() + list(allow)
    whole_only: list[str] = []
    emails: list[str] = []
    if case is not None:
        all_terms.extend(case.register_terms)
        all_allow.extend(case.allow_terms)
        whole_only.extend(str(t) for t in case.section("register").get("other", []))
        for agency in case.agencies:
            all_allow.append(agency.name)
            if agency.email:
                emails.append(agency.email)
        # The partnership's own mailbox, which its letters give for replies.
        contact = case.section("partnership").get("contact_email")
        if isinstance(contact, str) and contact.strip():
            emails.append(contact.strip())
    return TermMatcher.build(all_terms, all_allow, whole_only=whole_only, allowed_emails=emails)


def check_file(path: Path, matcher: TermMatcher) -> FileReport:
    from scrtool.readers.documents import read_file

    path = Path(path)
    _check_path(path)
    return check_read_file(read_file(path, visible=False), matcher)


def check_read_file(read: ReadFile, matcher: TermMatcher) -> FileReport:
    """Scan a file read already (``scrtool package`` reads each file once for every check)."""
    findings = tuple(_Scanner(matcher).scan(read.pieces))
    return FileReport(path=read.path, findings=findings, warnings=read.warnings)


def check_redaction(
    paths: Sequence[Path],
    *,
    terms: Sequence[str] = (),
    allow: Sequence[str] = (),
    case: Case | None = None,
) -> RedactionReport:
    """Check each file for the case register, identifiers and hidden content.

    Every path is checked for existence and type before any is read, so a typo in the
    last name stops the run at once rather than after a long document.
    """
    paths = [Path(p) for p in paths]
    for path in paths:
        _check_path(path)
    matcher = build_matcher(terms=terms, allow=allow, case=case)
    return RedactionReport(files=tuple(check_file(p, matcher) for p in paths))
