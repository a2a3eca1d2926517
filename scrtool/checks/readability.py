"""Is the report plain English? Scores, long sentences and plainer words.

The scores are textstat's Flesch reading ease and Flesch-Kincaid grade, computed on the
text that ``scrtool.readers.documents`` extracted (``Document.text`` for the whole file,
``Section.text`` for each section), so anyone can reproduce them with textstat set to
``en_GB``. The word and abbreviation lists are data a partnership edits in ``schemas/``.

textstat is reached only through ``scrtool.checks.textstat_adapter``, which keeps it
offline. A "sentence" of more than 100 words is almost always a list or a table that
reached the text as prose: it is named, and left out of its section's scores (where one
such run drags a score below zero), while the whole document is scored as textstat gives it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.checks.plain_english import (  # noqa: F401  (callers import these here)
    ABBREVIATIONS_FILE,
    PLAIN_WORDS_FILE,
    Advice,
    WordList,
    load_word_lists,
    plain_english_advice,
    word_forms,
)
from scrtool.checks.textstat_adapter import (  # noqa: F401  (older callers import these here)
    TEXTSTAT_LANG,
    CmuDict,
    NetworkRefused,
    Scores,
    TextCounter,
    _offline_get_cmudict,
    clear_textstat_caches,
    get_cmudict,
    lexicon_count,
    load_textstat,
    score_text,
)
from scrtool.errors import EXIT_FINDINGS, EXIT_OK
from scrtool.readers.documents import Document, Paragraph
from scrtool.readers.model import ReadFile

if TYPE_CHECKING:
    from scrtool.case import Case


DEFAULT_MIN_READING_EASE = 50.0
DEFAULT_MAX_GRADE = 11.0
DEFAULT_LONG_SENTENCE_WORDS = 25
DEFAULT_MIN_SECTION_WORDS = 50
#: A "sentence" longer than this is taken for a list or table read as prose.
LIST_AS_PROSE_WORDS = 100
LIST_AS_PROSE_WHY = (
    "over 100 words: probably a list or a table read as prose, so it is left out of the "
    "section's scores; give it full stops, or make it a real list or table"
)
#: The same, said of the document as a whole, whose score is textstat's on all its text.
LIST_AS_PROSE_IN_DOCUMENT = (
    "over 100 words: probably a list or a table read as prose; the whole document's score "
    "counts it as one sentence, as textstat does, and sections leave it out; give it full "
    "stops, or make it a real list or table"
)


# --- sentences --------------------------------------------------------------------------


#: Titles and short forms after which a full stop never ends a sentence.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NEVER_ENDS = _words(
    "mr mrs ms mx dr prof rev revd sr jr st sgt insp supt det dc ds pc cllr hon fr mt lt "
    "col capt gen maj cpl e.g eg i.e ie cf c.f vs viz approx incl esp fig figs ref refs "
    "para paras pp vol ca"
)  # fmt: skip
#: Short forms that end a sentence only when no number follows ("No. 3", "s. 47").
_BEFORE_NUMBER = frozenset(("no", "nos", "p", "pg", "art", "ch", "s", "sec", "sect", "reg", "cl"))
#: Words before a capital letter that make it a pseudonym ("Child A."), not an initial.
_PSEUDONYM_WORDS = frozenset(
    ("child", "children", "sibling", "baby", "adult", "person", "mother", "father", "carer")
)
#: Words that often start a sentence: after an initial or "a.m." they start a new one.
_SENTENCE_STARTERS = _words(
    "the a an he she they it this that these those there we i in on at when after before "
    "during however but and his her their our its then following both all as by for from "
    "if no not one some such so what where which while who with"
)  # fmt: skip

_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
#: A full stop (or "!", "?", "…") and the space after it. Written to start with one
#: character of a set, so the regex engine skips straight to the next one.
_BOUNDARY = re.compile(r"([.!?…][.!?…]*)([\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]*(\S))")
#: ASCII characters that are never whitespace (textstat's words are split at whitespace).
_IN_WORDS = bytes(c for c in range(128) if re.fullmatch(r"[\w'’.&-]", chr(c)))


def count_words(text: str) -> int:
    """Words as textstat counts them in its scores: punctuation removed, then what stands
    between spaces, so "12/06/2025" and "well-known" are one word each and a dash alone
    is none (a long sentence's length agrees with the scores' word count)."""
    return lexicon_count(text)


def _may_have_more_words(text: str, limit: int) -> bool:
    """Might ``count_words(text)`` be over ``limit``? Every word after the first follows
    whitespace, and whitespace is none of ``_IN_WORDS``: there are at most as many words
    as characters outside it, plus one. (Cheap: no regex, no list of words.)"""
    return not text.isascii() or len(text.encode("ascii").translate(None, _IN_WORDS)) >= limit


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    punct = match.group(1)
    following = match.group(4)
    if following.islower():
        return False
    if punct != ".":
        return True
    start = match.start(1)
    before = text[max(0, start - 40) : start]
    token = "" if not before or before[-1].isspace() else before.split()[-1].lstrip("(\"'“‘[")
    word_start = start - len(token)
    lower = token.lower()
    if not token:
        return True
    if lower in _NEVER_ENDS or (lower.rstrip(".") in _NEVER_ENDS and "." in lower):
        return False
    if lower in _BEFORE_NUMBER:
        return not following.isdigit()
    if following.isdigit() and lower in ("a.m", "p.m"):
        return True
    # a.m. / p.m. / U.K. style: dotted short forms end a sentence only before a capital.
    if "." in token and _DOTTED.fullmatch(token):
        nxt = _next_word(text, match.end())
        return nxt.lower() in _SENTENCE_STARTERS or lower in ("a.m", "p.m")
    if len(token) == 1 and token.isupper():
        # An initial (J. Smith), unless it is a pseudonym such as "Child A."
        prev = _previous_word(text, word_start)
        if prev.lower() in _PSEUDONYM_WORDS:
            return True
        nxt = _next_word(text, match.end())
        return nxt.lower() in _SENTENCE_STARTERS
    return True


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"[\"'“‘(\[]*([\w'’-]+)", text[pos : pos + 40])
    return m.group(1) if m else ""


def _previous_word(text: str, end: int) -> str:
    m = re.search(r"([\w'’-]+)\s*$", text[max(0, end - 40) : end])
    return m.group(1) if m else ""


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph, not split at "Dr.", "e.g.", "No. 3", "3.5" or initials."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_boundary(text, match):
            end = match.end(2)
            sentence = text[start:end].strip()
            if sentence:
                out.append(sentence)
            start = match.end(3)
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


@dataclass(frozen=True)
class LongSentence:
    text: str
    words: int
    location: str
    section: str | None = None
    page: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "words": self.words, "location": self.location}


def long_sentences(paragraphs: Iterable[Paragraph], limit: int) -> list[LongSentence]:
    """Sentences over ``limit`` words, longest first (document order among equals)."""
    return _longest_first([sentence for _, sentence in _sentences_over(paragraphs, limit)])


def _sentences_over(
    paragraphs: Iterable[Paragraph], limit: int
) -> list[tuple[Paragraph, LongSentence]]:
    """Sentences over ``limit`` words, each with its paragraph, in document order
    (headings are not sentences)."""
    found: list[tuple[Paragraph, LongSentence]] = []
    # A sentence of more than ``limit`` words has at least 2 * limit + 1 characters.
    shortest = 2 * limit + 1
    for para in paragraphs:
        if para.is_heading or len(para.text) < shortest:
            continue
        if not _may_have_more_words(para.text, limit):  # nor can a sentence of it
            continue
        for sentence in split_sentences(para.text):
            if len(sentence) < shortest:
                continue
            if not _may_have_more_words(sentence, limit):
                continue
            words = count_words(sentence)
            if words > limit:
                found.append(
                    (para, LongSentence(sentence, words, para.location, para.section, para.page))
                )
    return found


def _longest_first(found: list[LongSentence]) -> list[LongSentence]:
    return sorted(found, key=lambda s: -s.words)


# --- the check --------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    min_reading_ease: float = DEFAULT_MIN_READING_EASE
    max_grade: float = DEFAULT_MAX_GRADE
    long_sentence_words: int = DEFAULT_LONG_SENTENCE_WORDS
    min_section_words: int = DEFAULT_MIN_SECTION_WORDS

    @classmethod
    def resolve(
        cls,
        case: Case | None = None,
        *,
        min_reading_ease: float | None = None,
        max_grade: float | None = None,
        long_sentence_words: int | None = None,
        min_section_words: int | None = None,
    ) -> Thresholds:
        """Defaults, then case.toml's [readability], then the explicit values."""
        values: dict[str, Any] = {}
        if case is not None:
            values.update(
                {k: v for k, v in case.section("readability").items() if k in _THRESHOLD_KEYS}
            )
        explicit = {
            "min_reading_ease": min_reading_ease,
            "max_grade": max_grade,
            "long_sentence_words": long_sentence_words,
            "min_section_words": min_section_words,
        }
        values.update({k: v for k, v in explicit.items() if v is not None})
        # One type whatever the source (case.toml may say 45 or 45.0): scores are
        # floats, word counts whole numbers, in the JSON as everywhere.
        for key in ("min_reading_ease", "max_grade"):
            if key in values:
                values[key] = float(values[key])
        for key in ("long_sentence_words", "min_section_words"):
            if key in values:
                values[key] = int(values[key])
        return cls(**values)


_THRESHOLD_KEYS = ("min_reading_ease", "max_grade", "long_sentence_words", "min_section_words")


@dataclass(frozen=True)
class SectionReadability:
    heading: str | None
    level: int | None
    words: int
    sentences: int
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    checked: bool
    passed: bool
    location: str
    left_out: tuple[LongSentence, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "heading": self.heading if self.heading is not None else "",
            "words": self.words,
            "flesch_reading_ease": round(self.flesch_reading_ease, 2),
            "flesch_kincaid_grade": round(self.flesch_kincaid_grade, 2),
            "sentences": self.sentences,
            "level": self.level,
            "location": self.location,
            "checked": self.checked,
            "passed": self.passed,
            "left_out": [
                {**sentence.to_json(), "why": LIST_AS_PROSE_WHY} for sentence in self.left_out
            ],
        }


@dataclass(frozen=True)
class FileReadability:
    path: Path
    kind: str
    passed: bool
    words: int
    sentences: int
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    long_sentences: tuple[LongSentence, ...]
    sections: tuple[SectionReadability, ...]
    advice: tuple[Advice, ...] = ()
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    #: Every "sentence" over 100 words, in a section or not (a document with no headings
    #: has no sections), longest first: probably lists or tables read as prose.
    lists_as_prose: tuple[LongSentence, ...] = ()

    @property
    def left_out(self) -> tuple[LongSentence, ...]:
        """Every "sentence" left out of a section's scores (a list read as prose)."""
        return tuple(s for section in self.sections for s in section.left_out)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "passed": self.passed,
            "words": self.words,
            "sentences": self.sentences,
            "flesch_reading_ease": round(self.flesch_reading_ease, 2),
            "flesch_kincaid_grade": round(self.flesch_kincaid_grade, 2),
            "long_sentences": [s.to_json() for s in self.long_sentences],
            "sections": [s.to_json() for s in self.sections],
            "problems": list(self.problems),
            "advice": [a.to_json() for a in self.advice],
            **(
                {
                    "lists_as_prose": [
                        {**s.to_json(), "why": LIST_AS_PROSE_IN_DOCUMENT}
                        for s in self.lists_as_prose
                    ]
                }
                if self.lists_as_prose
                else {}
            ),
            **({"warnings": list(self.warnings)} if self.warnings else {}),
        }


@dataclass(frozen=True)
class ReadabilityReport:
    passed: bool
    files: tuple[FileReadability, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.passed else EXIT_FINDINGS

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "files": [f.to_json() for f in self.files],
            "thresholds": {k: getattr(self.thresholds, k) for k in _THRESHOLD_KEYS},
            "textstat": _textstat_version(),
        }


def _textstat_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"textstat {version('textstat')}, language {TEXTSTAT_LANG}"
    except PackageNotFoundError:  # pragma: no cover
        return f"textstat, language {TEXTSTAT_LANG}"


def _misses(scores: Scores, limits: Thresholds) -> list[str]:
    out = []
    if scores.flesch_reading_ease < limits.min_reading_ease:
        out.append(
            f"reading ease {scores.flesch_reading_ease:.1f} is below {limits.min_reading_ease:g}"
        )
    if scores.flesch_kincaid_grade > limits.max_grade:
        out.append(f"grade {scores.flesch_kincaid_grade:.1f} is above {limits.max_grade:g}")
    return out


def check_document(
    document: Document,
    *,
    thresholds: Thresholds,
    words: WordList | None = None,
    warnings: tuple[str, ...] = (),
) -> FileReadability:
    """Score one document that has been read already.

    Every line is counted once (``TextCounter``) for the whole text and its sections,
    and every paragraph split into sentences once for the long-sentence list and the
    lists read as prose; the scores are still textstat's on each text."""
    counter = TextCounter()
    text = document.text
    whole = counter.scores(text)
    line_of = _lines_by_paragraph(document.paragraphs, text)
    problems = [f"whole document: {m}" for m in _misses(whole, thresholds)]
    long_limit = thresholds.long_sentence_words
    over = _sentences_over(document.paragraphs, min(long_limit, LIST_AS_PROSE_WORDS))
    as_prose: dict[int, list[LongSentence]] = {}
    for para, sentence in over:
        if sentence.words > LIST_AS_PROSE_WORDS:
            as_prose.setdefault(id(para), []).append(sentence)
    sections = []
    for section in document.sections:
        left_out = tuple(
            _longest_first([s for p in section.paragraphs for s in as_prose.get(id(p), ())])
        )
        if line_of is not None and not left_out:
            # The lines of ``section.text``, as the whole text's lines: counted already.
            lines = [line_of[id(p)] for p in section.paragraphs if id(p) in line_of]
            if not lines:
                continue
            scores = counter.scores_of_lines(lines)
        else:
            text = section.text
            if not text:
                continue
            for sentence in left_out:
                text = text.replace(sentence.text, "", 1)
            if left_out and not any(ch.isalnum() for ch in text):
                text = ""
            scores = counter.scores(text) if text else Scores(0, 0, 0.0, 0.0)
        checked = scores.words >= thresholds.min_section_words
        misses = _misses(scores, thresholds) if checked else []
        name = (
            f'section "{section.heading}"' if section.heading else "text before the first heading"
        )
        problems.extend(f"{name}: {m}" for m in misses)
        first = section.paragraphs[0] if section.paragraphs else None
        sections.append(
            SectionReadability(
                heading=section.heading,
                level=section.level,
                words=scores.words,
                sentences=scores.sentences,
                flesch_reading_ease=scores.flesch_reading_ease,
                flesch_kincaid_grade=scores.flesch_kincaid_grade,
                checked=checked,
                passed=not misses,
                location=first.location if first else "",
                left_out=left_out,
            )
        )
    advice = plain_english_advice(document, words) if words is not None else []
    return FileReadability(
        path=document.path,
        kind=document.kind,
        passed=not problems,
        words=whole.words,
        sentences=whole.sentences,
        flesch_reading_ease=whole.flesch_reading_ease,
        flesch_kincaid_grade=whole.flesch_kincaid_grade,
        long_sentences=tuple(_longest_first([s for _, s in over if s.words > long_limit])),
        sections=tuple(sections),
        lists_as_prose=tuple(_longest_first([s for _, s in over if s.words > LIST_AS_PROSE_WORDS])),
        advice=tuple(advice),
        problems=tuple(problems),
        warnings=warnings,
    )


def _lines_by_paragraph(paragraphs: Sequence[Paragraph], text: str) -> dict[int, str] | None:
    """Each paragraph's line of ``text`` (``join_paragraphs``: one line a paragraph that
    has any text), by ``id``; None if a paragraph holds a line break of its own."""
    lines = text.split("\n") if text else []
    filled = [p for p in paragraphs if p.text.strip()]
    if len(filled) != len(lines):
        return None
    return {id(p): line for p, line in zip(filled, lines, strict=True)}


def check_readability(
    paths: Sequence[Path],
    *,
    case: Case | None = None,
    min_reading_ease: float | None = None,
    max_grade: float | None = None,
    long_sentence_words: int | None = None,
    min_section_words: int | None = None,
    advice: bool = True,
) -> ReadabilityReport:
    """Score each file against the thresholds (defaults < case.toml < explicit values).

    A file fails when the whole text, or any section of ``min_section_words`` words or
    more, has a reading ease below ``min_reading_ease`` or a grade above ``max_grade``.
    Raises ``UnreadableInputError`` (naming the file) when a file cannot be read.
    """
    thresholds = Thresholds.resolve(
        case,
        min_reading_ease=min_reading_ease,
        max_grade=max_grade,
        long_sentence_words=long_sentence_words,
        min_section_words=min_section_words,
    )
    from scrtool.readers.documents import read_file

    read = [read_file(path, hidden=False) for path in paths]
    return check_read_files(read, thresholds=thresholds, advice=advice)


def check_read_files(
    files: Sequence[ReadFile], *, thresholds: Thresholds, advice: bool = True
) -> ReadabilityReport:
    """Score files read already (``scrtool package`` reads each file once for every check)."""
    words = load_word_lists() if advice else None
    results = []
    for read in files:
        assert read.document is not None, "read the file with its visible text"
        results.append(
            check_document(
                read.document, thresholds=thresholds, words=words, warnings=read.warnings
            )
        )
    return ReadabilityReport(
        passed=all(f.passed for f in results), files=tuple(results), thresholds=thresholds
    )
