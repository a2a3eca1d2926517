"""The PDF paragraph builder's shortcut finds every heading the plain rule finds.

A line of a page with bookmarks is a heading when it folds (``_fold``) to a bookmark's
title. Folding every line of a long page is slow, so a cheap count of its letters and
digits rules most lines out first; it must never rule out a line that would match.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scrtool.readers.paragraphs import _ascii_sizes, _fold, _may_fold_to

_LINES = st.text(
    st.sampled_from(list("abcXYZ019 _-.,:;()[]'\"\t") + ["é", "ß", "İ", "ﬁ", "—"]), max_size=40
)


@settings(max_examples=500, deadline=None)
@given(line=_LINES, titles=st.lists(_LINES, max_size=4))
@example(line="1. Background", titles=["1 Background"])
@example(line="Background ........ 3", titles=["background 3"])
@example(line="Straße", titles=["STRASSE"])
@example(line="__init__", titles=["init"])
def test_a_line_that_folds_to_a_title_is_never_ruled_out(line, titles):
    keys = {_fold(title) for title in titles}
    if _fold(line) in keys:
        assert _may_fold_to(line, _ascii_sizes(keys))


def test_most_body_lines_are_ruled_out_cheaply():
    keys = {_fold("Background"), _fold("What the agencies knew")}
    body = "The health visitor saw the baby at home and wrote down what she saw there."
    assert not _may_fold_to(body, _ascii_sizes(keys))
    assert _may_fold_to("WHAT THE AGENCIES KNEW", _ascii_sizes(keys))
