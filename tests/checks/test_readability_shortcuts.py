"""The readability check's shortcuts find exactly what the plain definitions find.

To be fast on a 200-page report the check skips sentences that plainly have too few
words to be long, and writes two of its regular expressions so the engine can jump
ahead. Each shortcut is held here to the slow, obvious version of the same rule.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scrtool.checks import readability
from scrtool.checks.readability import (
    count_words,
    load_word_lists,
    long_sentences,
    split_sentences,
)
from scrtool.readers.model import Paragraph

_PIECES = st.sampled_from(
    [
        "the", "child", "A", "Dr.", "No.", "3", "3.5", "e.g.", "a.m.", "U.K.", "J.",
        "Smith", "Child", "Mother's", "well-known", "a/b/c", "x,y", "(see", "note).",
        "...", "!", "?", "…", "—", "-", "&", "A&E", "GP", "GPs", "NHS", "MASH", "CIN",
        "Zoë", "naïve", "_", "'", "’", "“", "”", '"', "10:30", "£1,250", "1.2.3",
    ]
)  # fmt: skip
_GAPS = st.sampled_from(["", " ", " ", " ", "  ", ". ", ", ", "! ", "? ", ".) ", '." ', "\t", "/"])


@st.composite
def _paragraph_text(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.tuples(_PIECES, _GAPS), max_size=80))
    return "".join(piece + gap for piece, gap in pieces)


@settings(max_examples=300, deadline=None)
@given(text=_paragraph_text(), limit=st.integers(min_value=0, max_value=40))
def test_the_word_bound_never_skips_a_longer_text(text, limit):
    if count_words(text) > limit:
        assert readability._may_have_more_words(text, limit)


def _long_sentences_plainly(paragraphs: list[Paragraph], limit: int) -> list[tuple[str, int]]:
    found = []
    for para in paragraphs:
        if para.is_heading:
            continue
        for sentence in split_sentences(para.text):
            if count_words(sentence) > limit:
                found.append((sentence, count_words(sentence)))
    return sorted(found, key=lambda item: -item[1])


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(_paragraph_text(), min_size=1, max_size=5),
    limit=st.integers(min_value=1, max_value=30),
)
def test_long_sentences_are_the_sentences_over_the_limit(texts, limit):
    paragraphs = [Paragraph(text, None, None, f"paragraph {n}", n) for n, text in enumerate(texts)]
    found = [(s.text, s.words) for s in long_sentences(paragraphs, limit)]
    assert found == _long_sentences_plainly(paragraphs, limit)


#: The sentence boundary as first written, before it was made to start with a set.
_PLAIN_BOUNDARY = re.compile(r"([.!?…]+)([\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]*(\S))")


@settings(max_examples=300, deadline=None)
@given(text=_paragraph_text())
@example(text='Dr. Smith saw A. Jones at 9 a.m. Then... "Why?!" she asked.) Done… (See note.) ok')
def test_sentence_boundaries_are_found_where_the_plain_pattern_finds_them(text):
    ours = [m.groups() + (m.span(),) for m in readability._BOUNDARY.finditer(text)]
    plain = [m.groups() + (m.span(),) for m in _PLAIN_BOUNDARY.finditer(text)]
    assert ours == plain


@settings(max_examples=300, deadline=None)
@given(text=_paragraph_text())
@example(text="&GP GP& A&E A&EGP xGP GP_ (GP) GP's GPs CIN&NHS CIN-NHS")
def test_abbreviations_are_found_where_a_plain_pattern_finds_them(text):
    words = load_word_lists()
    assert words.abbreviation_pattern is not None
    longest_first = sorted(words.abbreviations, key=lambda a: (-len(a), a))
    plain = re.compile(
        r"(?<![\w&])(?:" + "|".join(re.escape(a) for a in longest_first) + r")(?![\w&])"
    )
    ours = [(m.group(), m.span()) for m in words.abbreviation_pattern.finditer(text)]
    assert ours == [(m.group(), m.span()) for m in plain.finditer(text)]
    assert [m.span() for m in plain.finditer("A&E and GP, not GPS or xGP.")] == [(0, 3), (8, 10)]


def _plain_word_text() -> st.SearchStrategy[str]:
    words = load_word_lists()
    forms = sorted(words.single) + [" ".join(p) for p in words.phrases]
    pieces = st.sampled_from(
        [*forms, "in", "order", "to", "prior", "the", "x", "9", "_", "é", "ǆ", "£", "“", "—"]
    )
    gaps = st.sampled_from(
        ["", " ", "  ", "-", " - ", "\n", "\t", "\u00a0", ".", ", ", "(", "_", "9"]
    )
    return st.lists(st.tuples(pieces, gaps), max_size=60).map(
        lambda parts: "".join(piece + gap for piece, gap in parts)
    )


@settings(max_examples=300, deadline=None)
@given(text=_plain_word_text())
@example(text="utilise in order to utilise\nin order-to xutilise utilise_ 9utilise (utilise) é")
@example(text="prior to in order to commence")
def test_words_to_avoid_are_found_where_the_one_pattern_finds_them(text):
    words = load_word_lists()
    assert words.pattern is not None
    lowered = text.lower()
    assert words.find_plain(lowered) == [m.span() for m in words.pattern.finditer(lowered)]


def test_words_to_avoid_inside_a_phrase_to_avoid_are_found_as_the_one_pattern_finds_them(
    tmp_path,
):
    """A list may hold a word and a phrase that contains it: the halves' matches then
    overlap, and the one pattern is run instead."""
    path = tmp_path / "plain-words.toml"
    path.write_text(
        '[words]\n"order" = "ask"\n"in order to" = "to"\n"fencing" = "keeping"\n'
        '"ring fencing" = "keeping apart"\n',
        encoding="utf-8",
    )
    words = load_word_lists(plain_words=path)
    assert words.pattern is not None
    for text in ["(in order to ask) in order to", "a (ring fencing, order) -ring-fencing"]:
        expected = [m.span() for m in words.pattern.finditer(text)]
        assert len(expected) >= 2
        assert words.find_plain(text) == expected
