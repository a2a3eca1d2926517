"""The adapter's contract with textstat: the same scores and counts as textstat's own
public functions, without the network, whichever textstat of the pinned range is installed."""

from __future__ import annotations

import socket

import pytest

from scrtool.checks.textstat_adapter import (
    TEXTSTAT_LANG,
    CmuDict,
    clear_textstat_caches,
    load_textstat,
    score_text,
)

TEXTS = [
    "The health visitor saw the baby at home. She wrote down what she saw.",
    "Notwithstanding the considerable organisational complexities associated with "
    "multi-agency information-sharing arrangements, practitioners endeavoured to "
    "communicate. Nobody asked the child.",
    "Child A lived with Mother. The school told the social worker that the child was "
    "often late; the police shared what they knew at the meeting.",
]


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("textstat tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("text", TEXTS)
def test_scores_and_counts_are_textstats_own(text, no_network):
    load_textstat()
    import textstat

    textstat.set_lang(TEXTSTAT_LANG)
    clear_textstat_caches()
    ours = score_text(text)
    assert ours.flesch_reading_ease == pytest.approx(textstat.flesch_reading_ease(text))
    assert ours.flesch_kincaid_grade == pytest.approx(textstat.flesch_kincaid_grade(text))
    assert ours.words == textstat.lexicon_count(text)
    assert ours.sentences == textstat.sentence_count(text)


def test_textstat_counts_syllables_from_the_offline_dictionary(no_network):
    load_textstat()
    import textstat
    from textstat.backend.utils import _get_cmudict

    assert isinstance(_get_cmudict.get_cmudict(TEXTSTAT_LANG), CmuDict)
    textstat.set_lang(TEXTSTAT_LANG)
    assert textstat.syllable_count("information") == 4
