"""The contract of ``TextCounter``: textstat's own counts and scores, exactly.

The readability check counts each line of a report once and adds the counts up for the
whole document and for each section, rather than handing textstat the same text twice.
The contract says the scores are textstat's on the text scrtool extracted, so every
count and both scores must equal what textstat's public functions give for the same
text: equal, not close. Here on the bundled templates' text, on texts shaped like real
reports (lists, tables read as prose, numbers, hyphens, apostrophes, quotes, lines that
end with a colon, non-ASCII letters) and on text hypothesis makes from the same parts.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrtool.checks.textstat_adapter import (
    TEXTSTAT_LANG,
    TextCounter,
    clear_textstat_caches,
    load_textstat,
    score_text,
)
from scrtool.readers.documents import read_document
from scrtool.readers.model import join_paragraphs

REPO = Path(__file__).resolve().parents[2]

LONG_SENTENCE = (
    "Notwithstanding the considerable organisational complexities associated with "
    "multi-agency information-sharing arrangements, practitioners endeavoured to "
    "communicate with one another, although the records show that the referral made on "
    "3 March 2021 at 9 a.m. was not followed up by anyone until the strategy discussion "
    "some weeks later, by which time Child A had moved to a different address."
)
TABLE_AS_PROSE = ", ".join(f"visit {n} on day {n} by the nurse and the worker" for n in range(40))

SHAPES = [
    "The health visitor saw the baby at home. She wrote down what she saw.",
    LONG_SENTENCE,
    TABLE_AS_PROSE,
    # headings and list items with no full stop, a list introduced by a colon
    "Background\nThe family moved three times:\n• the first move, in May;\n"
    "• the second, in June;\n• the third, unknown to the school\nAnalysis\nNobody asked.",
    # numbers, money, times, dates and percentages
    "Attendance fell to 82.5% in 2021-22. Early Help offered £1,250.00 of support at "
    "10.30am on 3.5 days. Ref. 2021/0044-B was closed. No. 3 was open. s. 47 applied.",
    # numbers pyphen has no pattern for, and numbers with letters that it has
    "In 2021 there were 1750 visits and 3557723260 calls at 12:30. ٣ ½ ² 1st 2nd 3rd "
    "4th a1 1a x-1 _9 9_ 0800 07700900123 ref2021 £5 5p 10am.",
    # hyphens and dashes of every kind
    "The multi-agency safeguarding hub – the MASH — met well-known, long-standing "
    "partners - and co-ordinated a follow-up. Self-neglect was re-assessed.",
    # apostrophes and quotes, straight and curly
    "Mother's partner didn't say. The children's 'safe' room wasn't safe. "
    "'Tis said they'd gone; we'll see. He'll go, they're late, we've left. "
    "The GP’s letter said “no concerns”. Rock 'n' roll. The 'Ts' and 'Ds'. O'Neill.",
    # non-ASCII letters, Greek final sigma, accents, ligatures, digits of other scripts
    "Zoë and Chloë met Ms Ó Súilleabháin in Düsseldorf. ΟΔΟΣ ΟΔΟΣ. Straße and "
    "ﬁnance. Ǆemal said İstanbul. ٣ children, ½ day, ² squared. Naïve café façade.",
    # punctuation-only "words", underscores, symbols, emoji, repeated terminators
    "Wait!!! Really?! Yes... - -- --- * _ __init__ a_b @ # & 😀 done. ! ? . A. B. C.",
    # whitespace of other kinds, tabs, empty lines, a line of only punctuation
    "One\u00a0two three.\tFour five six.\n\n\n---\n\u2028Seven eight nine.\x1cTen.\r\nEnd",
    # a sentence that runs over many lines, lines ending in ";" and "…"
    "The plan said;\nwho would visit…\nand when\nthe visits did not all happen.\nDone.",
    # brackets and closing quotes after the full stop
    'The school told the police (as the log shows.) "Nobody came." [See note.]\nNext line.',
    "",
    " ",
    "\n",
    ".",
    "a b",
    "a b c",
]


@functools.cache
def _textstats_own_count_syllables() -> Any:
    """textstat's ``count_syllables`` as published: a fresh copy of its module, since
    ``load_textstat`` points textstat at scrtool's shared per-word table (which the
    counter fills, so comparing with it would compare scrtool with itself)."""
    import textstat.backend.counts._count_syllables as published

    name = "textstat.backend.counts._count_syllables_as_published"
    spec = importlib.util.spec_from_file_location(name, published.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.count_syllables


@contextlib.contextmanager
def _textstat_as_published() -> Iterator[None]:
    """Inside the block textstat counts syllables with its own code, caches emptied."""
    load_textstat()
    from textstat.backend.counts import _count_syllables as counting

    shared, own = counting.count_syllables, _textstats_own_count_syllables()
    swapped = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("textstat") and getattr(module, "count_syllables", None) is shared
    ]
    for module in swapped:
        module.count_syllables = own
    clear_textstat_caches()
    try:
        yield
    finally:
        for module in swapped:
            module.count_syllables = shared
        clear_textstat_caches()


def _expected(text: str) -> tuple[int, int, int, float, float]:
    import textstat
    from textstat.backend.counts import count_sentences, count_words

    textstat.set_lang(TEXTSTAT_LANG)
    with _textstat_as_published():
        from textstat.backend.counts import count_syllables

        return (
            count_words(text),
            count_sentences(text),
            count_syllables(text, TEXTSTAT_LANG),
            textstat.flesch_reading_ease(text),
            textstat.flesch_kincaid_grade(text),
        )


def _ours(counter: TextCounter, text: str) -> tuple[int, int, int, float, float]:
    words, sentences, syllables = counter.counts(text)
    scores = counter.scores(text)
    assert (scores.words, scores.sentences) == (words, sentences)
    return words, sentences, syllables, scores.flesch_reading_ease, scores.flesch_kincaid_grade


def _template_texts() -> list[str]:
    texts = []
    for name in ("overview-report.docx", "partnership-response.docx", "agency-request.docx"):
        document = read_document(REPO / "templates" / name)
        texts.append(document.text)
        texts.extend(section.text for section in document.sections)
    return texts


@pytest.mark.parametrize("text", SHAPES)
def test_counts_and_scores_equal_textstats_on_real_shaped_text(text):
    clear_textstat_caches()
    assert _ours(TextCounter(), text) == _expected(text)


def test_counts_and_scores_equal_textstats_on_the_bundled_templates():
    texts = _template_texts()
    assert len(texts) > 10 and sum(len(t) for t in texts) > 5_000
    counter = TextCounter()  # one counter for a document and its sections, as the check uses
    for text in texts:
        assert _ours(counter, text) == _expected(text), text[:80]


def test_one_counter_for_a_whole_report_and_its_sections():
    """Lines counted for the whole text are reused for the sections: same numbers as a
    fresh count, and as textstat's, whichever comes first."""
    paragraphs = [
        "Background",
        "The family moved three times:",
        LONG_SENTENCE,
        "Analysis:",
        TABLE_AS_PROSE,
        "Mother's partner didn't say. Zoë's school wasn't told.",
        "Learning",
        "Nobody asked the child",
    ]
    whole = join_paragraphs(paragraphs)
    sections = [join_paragraphs(paragraphs[1:3]), join_paragraphs(paragraphs[4:6]), "Nobody."]
    counter = TextCounter()
    for text in [whole, *sections, whole]:
        assert _ours(counter, text) == _expected(text) == _ours(TextCounter(), text)


def test_score_text_is_the_counter():
    for text in SHAPES[:4]:
        scores = score_text(text)
        words, sentences, _, ease, grade = _expected(text)
        assert (scores.words, scores.sentences) == (words, sentences)
        assert (scores.flesch_reading_ease, scores.flesch_kincaid_grade) == (ease, grade)


_PIECES = st.sampled_from(
    [
        "the", "child", "Mother's", "didn't", "'tis", "they'd", "O'Neill", "'quoted'",
        "multi-agency", "well-known", "co-ordinated", "–", "—", "-", "--", "3.5", "82.5%",
        "£1,250", "10.30am", "2021/22", "No.", "Dr.", "e.g.", "a.m.", "U.K.", "Zoë",
        "ΟΔΟΣ", "Straße", "ﬁnance", "İstanbul", "٣", "½", "_", "__init__", "😀", "(see",
        "note)", '"Nobody', 'came."', "“no", "concerns”", "[1]", "…", "...", "!!", "?!",
        "information", "safeguarding", "organisational", "xyzzyq", "Northshire", "MASH",
        "a", "I", "O", "l'", "'ll", "'ve", "'re", "'s", "'d", "'t", "'T", "''", "'",
    ]
)  # fmt: skip
_GAPS = st.sampled_from(
    [" ", " ", " ", "  ", "\t", "\u00a0", ". ", ", ", "; ", ": ", "! ", "? ", ".\n", "\n",
     ":\n", ";\n", ".)\n", '."\n', "\n\n", "…\n", "\u2028", "\x1c", ".'\n", "! \n"]
)  # fmt: skip


@st.composite
def _report_text(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.tuples(_PIECES, _GAPS), max_size=60))
    return "".join(piece + gap for piece, gap in pieces)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_report_text(), min_size=1, max_size=4))
def test_counts_and_scores_equal_textstats_on_generated_text(texts):
    counter = TextCounter()  # shared, as for a document and its sections
    for text in texts:
        assert _ours(counter, text) == _expected(text)


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80))
def test_counts_and_scores_equal_textstats_on_any_text(text):
    assert _ours(TextCounter(), text) == _expected(text)


def test_the_checks_section_scores_are_textstats_on_each_sections_text(tmp_path):
    """check_document counts a section from the whole text's lines: the same numbers as
    textstat on ``Section.text``, and on ``Document.text`` for the whole."""
    from scrtool.checks.readability import Thresholds, check_document

    markdown = tmp_path / "report.md"
    markdown.write_text(
        "Before any heading: Mother's partner didn't say.\n\n# Background\n\n"
        "The family moved three times:\n\n- in May;\n- in June\n\n## Health\n\n"
        f"{LONG_SENTENCE}\n\n# Analysis\n\nNobody asked the child. Zoë’s school wasn’t told",
        encoding="utf-8",
    )
    paths = [REPO / "templates" / "overview-report.docx", markdown]
    for path in paths:
        document = read_document(path)
        result = check_document(document, thresholds=Thresholds())
        expected = _expected(document.text)
        assert (result.words, result.sentences) == expected[:2]
        assert (result.flesch_reading_ease, result.flesch_kincaid_grade) == expected[3:]
        scored = [s for s in document.sections if s.text]
        assert len(result.sections) == len(scored) > 2
        for section, got in zip(scored, result.sections, strict=True):
            words, sentences, _, ease, grade = _expected(section.text)
            assert (got.words, got.sentences) == (words, sentences), section.heading
            assert (got.flesch_reading_ease, got.flesch_kincaid_grade) == (ease, grade)
