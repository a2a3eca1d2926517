"""The accessibility rules file and the results both sides of the check report through."""

from __future__ import annotations

import json

import pytest

from scrtool.checks.accessibility_rules import (
    KINDS,
    AccessibilityReport,
    FileReport,
    Finding,
    load_rules,
    make_finding,
)
from scrtool.errors import SettingsError
from scrtool.resources import schema_path

RULES_TEXT = schema_path("accessibility.toml").read_text(encoding="utf-8")


def rules_with(tmp_path, old: str, new: str):
    assert old in RULES_TEXT
    path = tmp_path / "accessibility.toml"
    path.write_text(RULES_TEXT.replace(old, new, 1), encoding="utf-8")
    return path


def test_every_kind_has_a_wcag_criterion_a_reason_and_a_fix_for_each_format():
    rules = load_rules()
    assert set(rules.kinds) == set(KINDS)
    for kind in KINDS:
        rule = rules.rule(kind)
        number, name = rule.wcag.split(" ", 1)
        assert number.count(".") == 2 and name
        assert rule.severity in ("high", "medium", "low")
        assert rule.why and rule.fix_docx and rule.fix_pdf
        assert "{" not in rule.why + rule.fix_docx + rule.fix_pdf
    assert rules.rule("title").wcag == "2.4.2 Page Titled"
    assert "Alt Text" in rules.rule("alt-text").fix_docx
    assert "scrtool publish" in rules.rule("alt-text").fix_pdf
    assert rules.min_font_size_pt == 9 and rules.bookmarks_above_pages == 20
    assert "at least 9 points" in rules.rule("font-size").fix_docx


def test_thresholds_read_from_the_file():
    rules = load_rules()
    assert rules.is_vague_link("Click here.") and rules.is_vague_link(" read  MORE ")
    assert not rules.is_vague_link("click here to read the policy")
    for address in ("https://example.org/x", "www.example.org", "mailto:a.person@example.org"):
        assert rules.is_address(address), address
    # An email address in full is good link text (GOV.UK style).
    for text in ("the partnership's procedures", "reviews@partnership.example"):
        assert not rules.is_address(text), text
    for alt in ("", "image1.png", "Picture 3", "Image1", "C:\\Users\\x\\pic.jpg", "chart 2"):
        assert rules.is_meaningless_alt(alt), alt
    assert not rules.is_meaningless_alt("Chart of referrals by month, 2023")


def test_a_changed_threshold_is_used_in_the_advice(tmp_path):
    rules = load_rules(rules_with(tmp_path, "min_font_size_pt = 9", "min_font_size_pt = 10.5"))
    assert rules.min_font_size_pt == 10.5
    assert "at least 10.5 points" in rules.rule("font-size").fix_docx


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ('[alt-text]\nseverity = "high"', '[alt-text]\nseverity = "urgent"', "alt-text.severity"),
        ("[title]\nseverity", "[title]\nseverty", "severty"),
        ('wcag = "2.4.2 Page Titled"', 'wcag = "Page Titled"', "title.wcag"),
        ("[tagged]", "[taged]", "taged"),
        ("min_font_size_pt = 9", "min_font_size_pt = 0", "min_font_size_pt"),
        ("'^mailto:',", "'^mailto:(',", "address_patterns"),
        (
            "at least {min_font_size_pt} points;",
            "at least {min_size} points;",
            "font-size.fix_docx",
        ),
    ],
)
def test_a_broken_rules_file_is_refused_naming_the_key(tmp_path, old, new, named):
    path = rules_with(tmp_path, old, new)
    with pytest.raises(SettingsError) as caught:
        load_rules(path)
    assert named in caught.value.message
    assert caught.value.file == str(path)
    assert "\n" not in caught.value.message


def test_a_rules_file_without_a_kind_is_refused(tmp_path):
    start = RULES_TEXT.index("[link-text]")
    end = RULES_TEXT.index("[tagged]")
    path = tmp_path / "accessibility.toml"
    path.write_text(RULES_TEXT[:start] + RULES_TEXT[end:], encoding="utf-8")
    with pytest.raises(SettingsError, match="link-text"):
        load_rules(path)


def test_make_finding_takes_severity_and_advice_for_the_format():
    rules = load_rules()
    docx = make_finding(rules, "alt-text", "image1.png", "picture 'image1' on paragraph 3", "docx")
    pdf = make_finding(rules, "alt-text", "Figure", "page 2", "pdf")
    assert docx.severity == rules.rule("alt-text").severity and docx.fails
    assert docx.advice == rules.rule("alt-text").fix_docx
    assert pdf.advice == rules.rule("alt-text").fix_pdf
    with pytest.raises(ValueError):
        make_finding(rules, "colour", "x", "y", "docx")
    with pytest.raises(ValueError):
        make_finding(rules, "title", "x", "y", "odt")


def test_json_is_the_contracts_shape(tmp_path):
    rules = load_rules()
    low = Finding("font-size", "tiny", "paragraph 2", "low", "make it bigger")
    failing = FileReport.of(
        tmp_path / "a.docx",
        [make_finding(rules, "title", "(no title)", "document properties", "docx")],
    )
    passing = FileReport.of(tmp_path / "b.docx", [low], warnings=["a damaged object"])
    report = AccessibilityReport.of([failing, passing])
    assert not failing.passed and passing.passed and not report.passed
    assert report.exit_code == 1
    data = json.loads(json.dumps(report.to_json()))
    assert set(data) == {"passed", "files"} and data["passed"] is False
    first, second = data["files"]
    assert set(first) == {"path", "passed", "findings"}
    assert set(first["findings"][0]) == {"kind", "text", "location", "severity", "advice"}
    assert second["warnings"] == ["a damaged object"] and second["passed"] is True
    assert AccessibilityReport.of([passing]).exit_code == 0


def test_a_report_cannot_claim_to_pass_with_a_failing_finding(tmp_path):
    rules = load_rules()
    finding = make_finding(rules, "title", "(no title)", "document properties", "docx")
    with pytest.raises(ValueError):
        FileReport(tmp_path / "a.docx", True, (finding,))
    with pytest.raises(ValueError):
        AccessibilityReport(True, (FileReport.of(tmp_path / "a.docx", [finding]),))


def test_vague_link_text_in_brackets_quotes_or_with_an_ellipsis_is_still_vague():
    """Word's AutoCorrect turns "..." into "…", and authors write "(click here)": the
    words inside are what a screen reader's list of links says."""
    rules = load_rules()
    for text in ("Read more…", "(click here)", "“here”", "here,", "click here;", "[Link]"):
        assert rules.is_vague_link(text), text
    for text in ("Here’s the policy", "click here to read the policy", "(the 2023 policy)"):
        assert not rules.is_vague_link(text), text


def test_alternative_text_of_only_punctuation_counts_as_none():
    """A full stop or a dash typed to quieten a checker tells a screen reader user
    nothing; a word or a number in any script does."""
    rules = load_rules()
    for alt in (".", "-", " - ", "…", "__", '""'):
        assert rules.is_meaningless_alt(alt), alt
    for alt in ("Logo", "Åsa's drawing", "2023", "Graph: contacts by month"):
        assert not rules.is_meaningless_alt(alt), alt
