"""Plain-English advice: words to avoid, and abbreviations used before they are spelled out.

The lists are data a partnership edits (``schemas/plain-words.toml`` and
``schemas/abbreviations.toml``). Each is compiled into one regex built as a trie, so a
report is scanned once at C speed whatever the length of the lists. Advice is never a
failure; ``scrtool.checks.readability`` reports it beside the scores.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool.errors import DataError
from scrtool.readers.documents import Document

PLAIN_WORDS_FILE = "plain-words.toml"
ABBREVIATIONS_FILE = "abbreviations.toml"


@dataclass(frozen=True)
class Advice:
    """A word to avoid, or an abbreviation used before it is spelled out. Never a failure."""

    kind: str  # "plain-words" or "abbreviation"
    text: str
    suggestion: str
    count: int
    locations: tuple[str, ...]

    @property
    def message(self) -> str:
        if self.kind == "abbreviation":
            return (
                f'"{self.text}" is not spelled out before it is first used: write '
                f'"{self.suggestion} ({self.text})" the first time'
            )
        return f'"{self.text}": try "{self.suggestion}"'

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "suggestion": self.suggestion,
            "count": self.count,
            "locations": list(self.locations),
            "message": self.message,
        }


#: Words for the word list: runs of letters (so "multi-agency" is "multi", "agency").
_TOKEN = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class WordList:
    """The words-to-avoid and abbreviation lists, ready to look words up in one pass."""

    plain: Mapping[str, str]
    abbreviations: Mapping[str, tuple[str, ...]]
    #: every form of a single word to avoid ("utilised") -> its entry ("utilise")
    single: Mapping[str, str] = field(repr=False, default_factory=dict)
    #: a phrase's words ("in", "order", "to") -> its entry
    phrases: Mapping[tuple[str, ...], str] = field(repr=False, default_factory=dict)
    #: every form and phrase in one regex, built as a trie so the text is one C-level scan
    pattern: re.Pattern[str] | None = field(repr=False, default=None)
    #: every abbreviation, capitals as written
    abbreviation_pattern: re.Pattern[str] | None = field(repr=False, default=None)
    #: ``pattern`` in two halves, each starting with a character of a set the regex
    #: engine can jump to: after a space, and after any other character no word holds
    pattern_halves: tuple[re.Pattern[str], re.Pattern[str]] | None = field(repr=False, default=None)

    def find_plain(self, lowered: str) -> list[tuple[int, int]]:
        """Where ``pattern`` matches ``lowered``, found twice as fast: the two halves'
        matches are ``pattern``'s when no match of one overlaps a match of the other
        (else ``pattern`` is run itself)."""
        assert self.pattern is not None
        if self.pattern_halves is None:
            return [m.span() for m in self.pattern.finditer(lowered)]
        padded = "\n" + lowered  # a character no word holds before the first word
        spans = sorted(
            (m.start(1) - 1, m.end(1) - 1)
            for half in self.pattern_halves
            for m in half.finditer(padded)
        )
        if any(spans[i + 1][0] < spans[i][1] for i in range(len(spans) - 1)):
            return [m.span() for m in self.pattern.finditer(lowered)]
        return spans

    def entry_for(self, found: str) -> str | None:
        words = tuple(_TOKEN.findall(found.lower()))
        if len(words) == 1:
            return self.single.get(words[0])
        return self.phrases.get(words)


def _trie_pattern(
    phrases: Iterable[tuple[str, ...]],
    *,
    before: str = r"(?<![^\W\d_])",
    after: str = r"(?![^\W\d_])",
    after_first: str = "",
) -> str:
    """One regex matching any of the phrases (words apart by spaces or hyphens).

    Python's regex engine tries a flat list of alternatives one by one at every place
    in the text; as a trie it follows one branch per character, many times faster.
    ``after_first`` is a check placed after each phrase's first character instead of
    ``before`` in front: a pattern that starts with a character of a set lets the engine
    jump from one such character to the next (worth it when they are rare, as capitals).
    """
    trie: dict[str, Any] = {}
    for words in phrases:
        node = trie
        for ch in "\0".join(words):
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any], check: str = "") -> str:
        alternatives = []
        for ch, child in sorted(node.items()):
            if ch == "":
                continue
            head = r"(?:[^\S\n]|-)+" if ch == "\0" else re.escape(ch)
            alternatives.append(head + check + emit(child))
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return before + emit(trie, after_first) + after


def word_forms(word: str) -> set[str]:
    """A word and its common endings: "utilise" -> utilises, utilised, utilising."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if word.endswith("y") and len(word) > 2:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    return forms


def load_word_lists(plain_words: Path | None = None, abbreviations: Path | None = None) -> WordList:
    """Read ``schemas/plain-words.toml`` and ``schemas/abbreviations.toml`` (or the given files)."""
    from scrtool.resources import schema_path

    plain_file = Path(plain_words or schema_path(PLAIN_WORDS_FILE))
    abbr_file = Path(abbreviations or schema_path(ABBREVIATIONS_FILE))
    return _load_word_lists(plain_file, _stamp(plain_file), abbr_file, _stamp(abbr_file))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_word_lists(
    plain_file: Path, _plain_stamp: tuple[int, int], abbr_file: Path, _abbr_stamp: tuple[int, int]
) -> WordList:
    from scrtool.settings import load_data

    plain_data = load_data("plain-words", plain_file).get("words", {})
    abbr_data = load_data("abbreviations", abbr_file).get("abbreviations", {})
    if not isinstance(plain_data, Mapping):
        raise DataError('needs a [words] table of "word" = "plainer word"', file=plain_file)
    if not isinstance(abbr_data, Mapping):
        raise DataError(
            'needs an [abbreviations] table of ABBR = "What it stands for"', file=abbr_file
        )

    plain: dict[str, str] = {}
    single: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for key, value in plain_data.items():
        words = tuple(_TOKEN.findall(str(key).lower()))
        if not isinstance(value, str) or not words:
            raise DataError(
                f'entry "{key}" must be "word" = "plainer word"',
                file=plain_file,
                advice="put the plainer word in double quotes and try again",
            )
        entry = " ".join(str(key).lower().split())
        plain[entry] = value
        if len(words) == 1:
            for form in word_forms(words[0]):
                single.setdefault(form, entry)
        else:
            phrases.setdefault(words, entry)

    abbreviations_map: dict[str, tuple[str, ...]] = {}
    for key, value in abbr_data.items():
        values = [value] if isinstance(value, str) else value
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) and v.strip() for v in values)
        ):
            raise DataError(
                f'entry "{key}" must be ABBR = "What it stands for" (or a list of ways to write it)',
                file=abbr_file,
            )
        abbreviations_map[str(key)] = tuple(values)
    everything = [(form,) for form in single] + list(phrases)
    # Matched against the lower-cased text: faster than IGNORECASE.
    pattern = (
        re.compile(_trie_pattern(everything, before=r"\b", after=r"\b")) if everything else None
    )
    halves = None
    if everything:
        not_space = r"[\x00-\x1f!-/:-@\[-^`{-~\x7f-\U0010ffff](?<=\W)"  # and not a word's
        halves = (
            re.compile(_trie_pattern(everything, before=" (", after=r"\b)")),
            re.compile(_trie_pattern(everything, before=not_space + "(", after=r"\b)")),
        )
    abbreviation_pattern = None
    if abbreviations_map:
        abbreviation_pattern = re.compile(
            _trie_pattern(
                [(abbr,) for abbr in abbreviations_map],
                before="",
                # (?<![\w&]) before the first character, written after it
                after_first=r"(?<![\w&][\s\S])",
                after=r"(?![\w&])",
            )
        )
    return WordList(
        plain=plain,
        abbreviations=abbreviations_map,
        single=single,
        phrases=phrases,
        pattern=pattern,
        abbreviation_pattern=abbreviation_pattern,
        pattern_halves=halves,
    )


def _expansion_pattern(expansions: Sequence[str]) -> re.Pattern[str]:
    alternatives = []
    for expansion in expansions:
        words = [re.escape(w) for w in re.split(r"[\s-]+", expansion.strip()) if w]
        if words:
            words[-1] += "s?"
            alternatives.append(r"[\s-]+".join(words))
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


_MAX_LOCATIONS = 5


def _paragraph_starts(document: Document) -> list[int]:
    """Where each paragraph starts in ``_joined(document)``."""
    starts = []
    offset = 0
    for para in document.paragraphs:
        starts.append(offset)
        offset += len(para.text) + 1
    return starts


def _joined(document: Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def plain_english_advice(document: Document, words: WordList) -> list[Advice]:
    """Words to avoid (with plainer ones) and abbreviations not spelled out at first use."""
    text = _joined(document)
    starts = _paragraph_starts(document)
    advice: list[Advice] = []
    seen: dict[str, tuple[str, list[str], int]] = {}
    if words.pattern is not None:
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters change length when lower-cased
            lowered = text
        if lowered is text:
            pattern = re.compile(words.pattern.pattern, re.I)
            spans = [m.span() for m in pattern.finditer(text)]
        else:
            spans = words.find_plain(lowered)
        for start, end in spans:
            found = text[start:end]
            entry = words.entry_for(found)
            if entry is None:  # pragma: no cover - the pattern holds only listed words
                continue
            para = document.paragraphs[bisect.bisect_right(starts, start) - 1]
            first_found, locations, count = seen.get(entry, (found, [], 0))
            if len(locations) < _MAX_LOCATIONS and para.location not in locations:
                locations.append(para.location)
            seen[entry] = (first_found, locations, count + 1)
    for entry, (found, locations, count) in seen.items():
        advice.append(Advice("plain-words", found, words.plain[entry], count, tuple(locations)))
    advice.sort(key=lambda a: -a.count)
    advice.extend(_abbreviation_advice(document, words, text, starts))
    return advice


def _abbreviation_advice(
    document: Document, words: WordList, text: str, starts: list[int]
) -> list[Advice]:
    if words.abbreviation_pattern is None:
        return []
    counts: dict[str, int] = {}
    first: dict[str, re.Match[str]] = {}
    for match in words.abbreviation_pattern.finditer(text):
        abbr = match.group()
        counts[abbr] = counts.get(abbr, 0) + 1
        first.setdefault(abbr, match)
    unexplained = []
    for abbr, count in counts.items():
        match = first[abbr]
        position = match.start()
        expansions = words.abbreviations[abbr]
        pattern = _expansion_pattern(expansions)
        # "Expansion (ABBR)" puts the expansion before it; "ABBR (Expansion)" just after.
        after = text[match.end() : match.end() + 160]
        if pattern.search(text, 0, match.end()) or re.match(
            r"\s*\(\s*(?:" + pattern.pattern + ")", after, re.IGNORECASE
        ):
            continue
        para = document.paragraphs[bisect.bisect_right(starts, position) - 1]
        advice = Advice("abbreviation", abbr, expansions[0], count, (para.location,))
        unexplained.append((position, advice))
    return [advice for _, advice in sorted(unexplained, key=lambda item: item[0])]
