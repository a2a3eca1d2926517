"""The register and identifier rules, precision on a clean report, recall on planted data."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st
from redaction_docs import CLEAN_PARAGRAPHS, PLACES, REGISTER, measure

from scrtool.case import load_case
from scrtool.checks.redaction import (
    KINDS,
    Piece,
    TermMatcher,
    _Scanner,
    build_matcher,
    builtin_allow_terms,
    check_redaction,
    nhs_number_valid,
    read_terms_file,
)
from scrtool.errors import InputError, UnreadableInputError


def scan(text: str, terms=REGISTER + PLACES, allow=(), **kwargs) -> list[tuple[str, str]]:
    matcher = build_matcher(terms=terms, allow=allow, **kwargs)
    return [(f.kind, f.text) for f in _Scanner(matcher).scan([Piece(text, "here")])]


def of_kind(text: str, kind: str, **kwargs) -> list[str]:
    return [t for k, t in scan(text, **kwargs) if k == kind]


# --- the register ----------------------------------------------------------------------


def test_read_terms_file(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text(
        "# real names\nJane Example\n\n  Other Person  # the father\n#\n", encoding="utf-8"
    )
    assert read_terms_file(path) == ["Jane Example", "Other Person"]


def test_read_terms_file_missing_and_odd_encodings(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_terms_file(tmp_path / "nope.txt")
    path = tmp_path / "cp.txt"
    path.write_bytes("Zoë Example\n".encode("cp1252"))
    assert read_terms_file(path) == ["Zoë Example"]
    path.write_bytes("\ufeffBom Example\n".encode())
    assert read_terms_file(path) == ["Bom Example"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Dean Voss came.", "Dean Voss"),
        ("DEAN VOSS came.", "DEAN VOSS"),
        ("dean  voss came.", "dean voss"),
        ("Dean\nVoss came.", "Dean Voss"),
        ("Dean\u00a0Voss came.", "Dean Voss"),
        ("It was Dean Voss's car.", "Dean Voss's"),
        ("It was Dean Voss’s car.", "Dean Voss’s"),
        ("Ms Voss said.", "Ms Voss"),
        ("Mr. Voss said.", "Mr. Voss"),
        ("Voss said.", "Voss"),
        ("Stacey said.", "Stacey"),
        ("Lily said.", "Lily"),
        ("Lily-Mae said.", "Lily-Mae"),
        ("Lily–Mae Harrowgate said.", "Lily–Mae Harrowgate"),
        ("The Harrowgates' house.", "Harrowgates'"),
        ("Kayden’s bike.", "Kayden’s"),
        ("At Larkspur Close.", "Larkspur Close"),
        ("Near Larkspur.", "Larkspur"),
        ("At Brambleford.", "Brambleford"),
        ("In Easthaven.", "Easthaven"),
        ("Ja\u200bne", None),
    ],
)
def test_register_matching(text, found):
    names = of_kind(text, "name")
    if found is None:
        assert names == []
    else:
        assert found in names, names


def test_zero_width_characters_do_not_hide_a_name():
    assert of_kind("Dean V\u200boss arrived", "name") == ["Dean Voss"]
    assert of_kind("Dean Vo\u00adss arrived", "name") == ["Dean Voss"]


@pytest.mark.parametrize(
    "text",
    [
        "Deanery rules.",
        "Vossberg is a town.",
        "A close friend.",
        "The Primary School.",
        "Stacey-like",  # hyphen joins: still the name Stacey
    ][:4],
)
def test_register_does_not_match_inside_words_or_generic_parts(text):
    assert of_kind(text, "name") == []


def test_generic_words_of_places_are_not_looked_for_alone():
    assert of_kind("The primary school and the close.", "name") == []


def test_allow_list_parts_and_phrases():
    # A register name whose first name is an everyday word on the built-in allow list.
    assert of_kind("Grace was there. Hope too.", "name", terms=["Grace Voss"]) == []
    assert of_kind("Grace Voss was there.", "name", terms=["Grace Voss"]) == ["Grace Voss"]
    # An allowed phrase (an agency named after the place) hides the place inside it.
    allow = ["Easthaven Medical Practice"]
    assert of_kind("Easthaven Medical Practice saw her.", "name", allow=allow) == []
    assert of_kind("She lives in Easthaven.", "name", allow=allow) == ["Easthaven"]
    # The register wins over an allow entry that is exactly the term.
    assert of_kind("Easthaven.", "name", terms=["Easthaven"], allow=["Easthaven"]) == ["Easthaven"]


def test_builtin_allow_list_is_data():
    allow = builtin_allow_terms()
    assert "Child A" in allow and "NHS England" in allow and "Health Visitor" in allow


def test_case_register_and_other_terms_are_whole_phrases(tmp_path):
    case_dir = tmp_path / "case"
    shutil.copytree("samples", case_dir, ignore=shutil.ignore_patterns("returns", "working"))
    toml = (case_dir / "case.toml").read_text(encoding="utf-8")
    toml = toml.replace(
        'places = ["Larkspur Close"', 'other = ["Blue Door Project"]\nplaces = ["Larkspur Close"'
    )
    (case_dir / "case.toml").write_text(toml, encoding="utf-8")
    case = load_case(case_dir)
    assert of_kind("Blue skies; Door open.", "name", terms=(), case=case) == []
    assert of_kind("The Blue Door Project helped.", "name", terms=(), case=case) == [
        "Blue Door Project"
    ]
    assert of_kind("Stacey Harrowgate.", "name", terms=(), case=case) == ["Stacey Harrowgate"]
    # Agencies named in case.toml and their mailboxes are allowed.
    assert (
        of_kind("Write to reviews@police.northshire.example.", "email", terms=(), case=case) == []
    )


def test_the_partnerships_own_mailbox_is_allowed_and_other_addresses_are_not(tmp_path):
    case_dir = tmp_path / "case"
    shutil.copytree("samples", case_dir, ignore=shutil.ignore_patterns("returns", "working"))
    case = load_case(case_dir)
    mailbox = case.section("partnership")["contact_email"]
    assert of_kind(f"Reply to {mailbox.upper()}.", "email", terms=(), case=case) == []
    assert of_kind(f"Reply to {mailbox}.", "email", terms=()) == [mailbox]
    other = "stacey.h@mailbox.example"
    assert of_kind(f"Write to {other}.", "email", terms=(), case=case) == [other]


def test_one_expression_for_every_term():
    terms = [f"Person{i} Surname{i}" for i in range(500)]
    matcher = TermMatcher.build(terms, [])
    assert matcher.pattern is not None
    assert matcher.pattern.search("met Surname499 today")


# --- identifiers -----------------------------------------------------------------------


def _with_check_digit(nine: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else nine + str(check)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_nhs_numbers_with_a_good_check_digit_are_found(nine):
    number = _with_check_digit(nine)
    if number is None or len(set(number)) == 1:
        return
    assert nhs_number_valid(number)
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    assert of_kind(f"NHS number {spaced}.", "nhs-number") == [spaced]
    assert of_kind(f"NHS number {number}.", "nhs-number") == [number]


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_ten_digit_numbers_that_fail_the_check_are_not_nhs_numbers(number):
    if nhs_number_valid(number):
        return
    assert of_kind(f"Reference {number} noted.", "nhs-number") == []


@pytest.mark.parametrize(
    "text", ["AB 12 34 56 C", "AB123456C", "ce123456d", "JG 10 37 29 A", "OA123456B"]
)
def test_ni_numbers(text):
    assert of_kind(f"NI {text}.", "ni-number") == [text]


@pytest.mark.parametrize(
    "text",
    ["DA123456A", "AD123456A", "AO123456A", "BG123456A", "GB123456A", "NK123456A", "KN123456A",
     "TN123456A", "NT123456A", "ZZ123456A", "AB123456E", "QQ123456C", "AB12345C"],
)  # fmt: skip
def test_not_ni_numbers(text):
    assert of_kind(f"NI {text}.", "ni-number") == []


@pytest.mark.parametrize(
    "text",
    ["EH1 2AB", "SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB",
     "SW1A1AA", "sw1a 1aa"],
)  # fmt: skip
def test_postcodes(text):
    assert of_kind(f"Lives at {text} now.", "postcode") == [text]


@pytest.mark.parametrize(
    "text", ["Q1 1AA", "EH1 2CA", "M25", "A1", "Covid-19", "KS2", "EH12AB9", "sw1a1aa"]
)
def test_not_postcodes(text):
    assert of_kind(f"Near {text} now.", "postcode") == []


@pytest.mark.parametrize(
    "text",
    ["07700 900123", "07700900123", "+44 7700 900123", "+44 (0)7700 900123", "0161 496 0000",
     "(0161) 496 0000", "020 7946 0000", "0300 123 4567", "0808 157 0000", "01632 960 001",
     "0044 20 7946 0000", "01632-960001", "+447700900123", "016977 2345", "(07700 900123)"],
)  # fmt: skip
def test_phone_numbers(text):
    assert of_kind(f"Call {text} today.", "phone") == [
        text.strip("()") if text.count("(") == 1 and text.startswith("(07") else text
    ]


@pytest.mark.parametrize(
    "text",
    ["12/03/2025", "09:30", "£1,200.50", "4010232136", "0123", "2231456789", "07700 9001",
     "04123 456789", "0161 496 00001 22"],
)  # fmt: skip
def test_not_phone_numbers(text):
    assert of_kind(f"Noted {text} today.", "phone") == []


def test_a_reference_number_is_not_a_phone_number():
    assert of_kind("Crime reference 0141234567 was given.", "phone") == []
    assert of_kind("Case number: 01412345678.", "phone") == []


@pytest.mark.parametrize(
    ("sentence", "numbers"),
    [
        ("Her mobile number 07700 900123 was on the file.", ["07700 900123"]),
        ("The mother's number: 07700 900123.", ["07700 900123"]),
        ("The father's phone number 0161 496 0000 was wrong.", ["0161 496 0000"]),
        ("Contact number 07700 900456 was used by the school.", ["07700 900456"]),
        ("Telephone number: 020 7946 0018.", ["020 7946 0018"]),
        ("Call 07700 900123/4 now.", ["07700 900123"]),
        ("Call 01632 960001/2 now.", ["01632 960001"]),
        ("Mob.07700 900123 now.", ["07700 900123"]),
        ("Call 07700 900123/07700 900456 now.", ["07700 900123", "07700 900456"]),
    ],
)
def test_a_phone_number_after_its_label_a_slash_or_a_full_stop(sentence, numbers):
    """ "phone number" labels a phone number (only "case number" and the like label a
    reference); "/4" is another ending and "/0..." another number."""
    assert of_kind(sentence, "phone") == numbers


@pytest.mark.parametrize(
    "text",
    ["ref 2024/07700", "www.example.org/01632960001", "version 3.01632960001",
     "01632 960001/2024", "file 01632960001/ab"],
)  # fmt: skip
def test_a_slash_or_a_point_still_keeps_paths_decimals_and_codes_out(text):
    assert of_kind(f"Noted {text} today.", "phone") == []


def test_an_allowed_helpline_number_is_not_a_finding():
    assert of_kind("NSPCC helpline 0808 800 5000.", "phone", allow=["0808 800 5000"]) == []
    assert of_kind("NSPCC helpline 0808 800 5000.", "phone") == ["0808 800 5000"]


@pytest.mark.parametrize("text", ["jane.doe@example.com", "a_b+c@mail.example.co.uk", "X@Y.ORG"])
def test_emails(text):
    assert of_kind(f"Email {text}.", "email") == [text]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("born on 12 March 2015", "12 March 2015"),
        ("DOB: 12/03/2015", "12/03/2015"),
        ("D.O.B. 12.03.15", "12.03.15"),
        ("date of birth 3rd May 2016", "3rd May 2016"),
        ("Date of Birth: 2015-03-12", "2015-03-12"),
        ("12/03/2015 (DOB)", "12/03/2015"),
        ("was born at Northshire General on 1st of June 2014", "1st of June 2014"),
        ("born March 12, 2015", "March 12, 2015"),
        ("born at 34 weeks on 2 May, weighing 2.1 kg", "2 May"),
        ("born on 12 Sept. 2014", "12 Sept. 2014"),
        ("born on 3 March.", "3 March"),
    ],
)
def test_dates_of_birth(text, date):
    assert of_kind(f"Child {text}.", "date-of-birth") == [date]


@pytest.mark.parametrize(
    "text",
    [
        "Child A was born prematurely. On 14 June 2022 a referral was made.",
        "On 3 March 2025 the GP saw Child A.",
        "Child A was born in 2015.",
    ],
)
def test_event_dates_are_not_dates_of_birth(text):
    assert of_kind(text, "date-of-birth") == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("lived at 14 Larkspur Close with", "14 Larkspur Close"),
        ("at 3a Mill Road", "3a Mill Road"),
        ("at 221B Baker Street", "221B Baker Street"),
        ("Flat 2, 10 High Street", "10 High Street"),
        ("moved to 7 St Mary's Gardens", "7 St Mary's Gardens"),
        ("at 12-14 Oak Tree Avenue", "12-14 Oak Tree Avenue"),
    ],
)
def test_street_addresses(text, found):
    assert of_kind(text, "address") == [found]


@pytest.mark.parametrize(
    "text",
    [
        "There were 2 Family Court hearings.",
        "Appendix 2 Court Orders.",
        "The NHS 5 Year Forward View.",
        "Section 47 Strategy Meeting Way forward.",
        "At 10 Crown Court sittings.",
        "After 3 High Court hearings.",
        "Aged 4 Mother Lane was",
    ],
)
def test_not_addresses(text):
    assert of_kind(text, "address") == []


# --- files -----------------------------------------------------------------------------


def test_text_files_give_line_numbers(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Intro.\n\nLine three.\nAnd Dean\nVoss on five.\n", encoding="utf-8")
    found = check_redaction([path], terms=REGISTER).files[0].findings
    assert [(f.kind, f.text, f.location) for f in found] == [("name", "Dean Voss", "line 4")]


def test_markdown_comments_are_hidden_text(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("# Report\n\nChild A.\n\n<!-- check the spelling -->\n", encoding="utf-8")
    found = check_redaction([path]).files[0].findings
    assert [(f.kind, f.text, f.location) for f in found] == [
        ("hidden-text", "check the spelling", "line 5 (hidden comment)")
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.md", b"  \n\n", "is empty"),
        ("binary.txt", b"\x00\x01\x02binary", "not a text file"),
    ],
)
def test_unreadable_text_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableInputError, match=message):
        check_redaction([path])


def test_missing_folder_and_unknown_types_are_refused_before_any_work(tmp_path):
    good = tmp_path / "ok.txt"
    good.write_text("Fine.", encoding="utf-8")
    with pytest.raises(InputError, match="does not exist"):
        check_redaction([good, tmp_path / "missing.docx"])
    with pytest.raises(InputError, match="is a folder"):
        check_redaction([tmp_path])
    odd = tmp_path / "report.odt"
    odd.write_bytes(b"x")
    with pytest.raises(InputError, match="cannot read"):
        check_redaction([odd])


def test_report_json_shape(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Dean Voss, 07700 900123.", encoding="utf-8")
    data = check_redaction([path], terms=REGISTER).to_json()
    assert data["passed"] is False
    (file,) = data["files"]
    assert set(file) == {"path", "passed", "findings"}
    for finding in file["findings"]:
        assert set(finding) == {"kind", "text", "location", "severity", "advice"}
        assert finding["kind"] in KINDS
        assert finding["severity"] in ("high", "medium", "low")


def test_only_high_and_medium_fail(tmp_path):
    from scrtool.checks.redaction import FileReport, Finding

    low = FileReport(path=tmp_path, findings=(Finding("metadata", "Word", "x", "low"),))
    medium = FileReport(path=tmp_path, findings=(Finding("metadata", "Me", "x", "medium"),))
    assert low.passed and not medium.passed


# --- precision and recall ------------------------------------------------------------------


def test_clean_corpus_in_text_passes(tmp_path):
    path = tmp_path / "clean.md"
    path.write_text("\n\n".join(CLEAN_PARAGRAPHS), encoding="utf-8")
    report = check_redaction([path], terms=REGISTER + PLACES)
    assert report.passed and not report.files[0].findings


def test_recall_on_planted_data_and_false_alarms_on_clean_data(tmp_path):
    """Every planted item in every place is found; no clean place gives a high or medium."""
    result = measure(tmp_path)
    print(
        f"\nrecall {result['found']}/{result['planted']} = {result['recall']:.1%}; "
        f"false alarms {len(result['false_alarms'])} in {result['clean_documents']} clean documents"
    )
    assert result["misses"] == []
    assert result["false_alarms"] == []


_OUT_FIRST = "ABCDEFGHIJKLMNOPRSTUWYZ"
_OUT_SECOND = "ABCDEFGHKLMNOPQRSTUVWXY"
_IN_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _areas() -> list[str]:
    from scrtool.checks.identifiers import postcode_areas

    return sorted(postcode_areas())


@given(
    st.sampled_from(_areas()),
    st.integers(1, 99),
    st.integers(0, 9),
    st.text(alphabet=_IN_LETTERS, min_size=2, max_size=2),
    st.booleans(),
)
def test_postcodes_of_every_real_area_are_found(area, district, sector, unit, space):
    code = f"{area}{district}{' ' if space else ''}{sector}{unit}"
    assert of_kind(f"Lives at {code}, Northshire.", "postcode", terms=()) == [code]


@pytest.mark.parametrize("code", ["P1 1AA", "C3 4BD", "D12 9ZZ", "I1 1AA", "Q1 1AA", "NS4 7QT"])
def test_postcodes_in_areas_that_do_not_exist_are_not_postcodes(code):
    assert of_kind(f"Lives at {code}, Northshire.", "postcode", terms=()) == []


@pytest.mark.parametrize("code", ["GIR 0AA", "GIR0AA"])
def test_girobanks_special_postcode_is_found(code):
    assert of_kind(f"Write to {code} for the forms.", "postcode", terms=()) == [code]


def test_the_areas_file_names_its_source_and_holds_124_areas_and_two_special_ones():
    from scrtool.resources import schema_path

    text = schema_path("postcode-areas.txt").read_text(encoding="utf-8")
    assert "Source:" in text
    assert len(_areas()) == 126 and {"BF", "BX", "ZE", "GY", "JE", "IM"} <= set(_areas())


@given(
    st.sampled_from(["07", "01", "02", "03", "08"]),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.sampled_from([" ", "-", ""]),
    st.sampled_from(["", "+44 "]),
)
def test_uk_numbers_with_any_separator_are_found(prefix, rest, sep, international):
    from hypothesis import assume

    from scrtool.checks.identifiers import phone_valid

    national = prefix + rest
    assume(phone_valid(national))  # a number in a range Ofcom has given out
    number = f"{national[:5]}{sep}{national[5:]}"
    if international:
        number = "+44 " + number[1:]
    assert of_kind(f"Ring {number} after six.", "phone", terms=()) == [number]


@pytest.mark.parametrize("text", ["01000 000000", "04123 456789", "01697 71234", "06123 456789"])
def test_numbers_outside_ofcoms_ranges_are_not_phone_numbers(text):
    assert of_kind(f"Ring {text} after six.", "phone", terms=()) == []


# --- found in QA: names with apostrophes, names in file names, organisation lines -------


@pytest.mark.parametrize(
    "text", ["Ronan O'Dwyer came.", "Ronan O’Dwyer came.", "Ronan O‘Dwyer’s file."]
)
def test_a_full_name_with_an_apostrophe_is_found_whole(text):
    """The apostrophe class was broken open by a second replace: only "Ronan" matched."""
    found = of_kind(text, "name", terms=["Ronan O'Dwyer"])
    assert found and found[0].startswith("Ronan O")


def test_a_name_inside_a_file_name_or_next_to_digits_is_found():
    found = of_kind("See pics/maisie_smith.png and okonkwo2024.pdf.", "name",
                    terms=["Maisie Smith", "Tyler Okonkwo"])  # fmt: skip
    assert {t.casefold() for t in found} == {"maisie", "smith", "okonkwo"}


def _phones(text: str) -> list[tuple[str, str]]:
    matcher = build_matcher(terms=[])
    return [
        (f.text, f.severity)
        for f in _Scanner(matcher).scan([Piece(text, "here")])
        if f.kind == "phone"
    ]


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("call the Wexmoor Council switchboard on 01632 960000 and ask", "low"),
        ("the NSPCC helpline: 0808 800 5000.", "low"),
        ("Reception (01632 960000) is open", "low"),
        ("Contact the MASH on 0300 123 4567.", "low"),
        ("Mother rang 0845 600 1234 for advice.", "low"),
        ("Mother rang the helpline from 07700 900123.", "high"),
        ("Mother's number was 01632 960111.", "high"),
        ("the helpline. Her number was 01632 960111.", "high"),
    ],
)
def test_an_organisation_line_is_low_and_a_persons_number_high(text, severity):
    (found,) = _phones(text)
    assert found[1] == severity


def test_placeholder_authors_are_not_personal_metadata():
    matcher = build_matcher(terms=[])
    pieces = [
        Piece(value, "document property Author", kind="metadata", severity="medium")
        for value in ("anonymous", "Windows User", "Jo Worker")
    ]
    severities = [f.severity for f in _Scanner(matcher).scan(pieces)]
    assert severities == ["low", "low", "medium"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_terms_file_saved_as_unicode_by_notepad_is_read(tmp_path, encoding):
    """It was read as cp1252, every name full of NULs, and nothing was ever found."""
    path = tmp_path / "terms.txt"
    path.write_bytes("# names\r\nKelly Smith\r\nZoë Example\r\n".encode(encoding))
    assert read_terms_file(path) == ["Kelly Smith", "Zoë Example"]


def test_a_name_in_a_script_without_spaces_ends_where_it_ends():
    assert of_kind("訪問者は朝霧湊さんでした。", "name", terms=["朝霧湊"]) == ["朝霧湊"]
    assert of_kind("ผู้เยี่ยมคือสมชายครับ", "name", terms=["สมชาย"]) == ["สมชาย"]
    # Letters of spaced scripts still bound a name as before.
    assert of_kind("Deanna and Vossberg met Dean.", "name", terms=["Dean", "Voss"]) == ["Dean"]
    assert of_kind("Deanさんが来た。", "name", terms=["Dean"]) == ["Dean"]


@pytest.mark.parametrize("text", ["6.@5.A5.B70F8", "a@b.c1", "x@10.0.0.1", "k@host"])
def test_not_emails(text):
    assert of_kind(f"Noted {text} today.", "email") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "On 12 May Dr Okafor (paediatrician) saw Child A.",
        "On 3 June St Mary's Hospital wrote to the GP.",
        "On 21 March Great Ormond Street Hospital gave advice.",
        "The 2017 Mental Health Green Paper set out the plan.",
        "31 October 2023 Complete Green",
        "3 The Child's View",
        "4 Mother's View",
    ],
)
def test_dates_years_and_a_reviews_headings_are_not_addresses(sentence):
    assert of_kind(sentence, "address") == []


def test_addresses_are_still_found_beside_those_rules():
    assert of_kind("She moved to 14 Larkspur Close in May.", "address", terms=[]) == [
        "14 Larkspur Close"
    ]
    assert of_kind("Then 3 The Green, Easthaven.", "address", terms=[]) == ["3 The Green"]
    # A street named after a month is still a street.
    assert of_kind("They lived at 12 May Road in 2019.", "address", terms=[]) == ["12 May Road"]
    assert of_kind("Then 15 April Close, Easthaven.", "address", terms=[]) == ["15 April Close"]


def test_section_47_shorthand_is_no_postcode_but_a_postcode_in_lower_case_is():
    assert of_kind("S47 1st visit by the social worker.", "postcode") == []
    assert of_kind("S17 2nd assessment started.", "postcode") == []
    assert of_kind("Moved to s47 1st.", "postcode") == []
    assert of_kind("Lives at s1 2hh now.", "postcode") == ["s1 2hh"]


def test_a_date_after_born_that_belongs_to_another_event_is_no_date_of_birth():
    assert (
        of_kind("Mother was born in Romania and came to the UK on 4 June 2015.", "date-of-birth")
        == []
    )
    assert of_kind("She was born at 34 weeks on 2 May 2016.", "date-of-birth") == ["2 May 2016"]


@pytest.mark.parametrize(
    "text",
    [
        "Council switchboard\x0001632 960000",
        "Switchboard:\x0001632 960000",
        "Tel: 01632 960000 (switchboard)",
        "Tel (switchboard): 01632 960000",
        "Switchboard telephone number: 01632 960000",
        "Telephone (switchboard) 01632 960000",
        "call the council switchboard, 01632 960000, in office hours",
        "Customer Services: 01632 960000",
    ],
)
def test_a_switchboard_number_is_low_however_it_is_labelled(text):
    """The label may be in the cell or paragraph before (pieces are joined by NUL), in
    brackets, or after the number."""
    matcher = build_matcher(terms=[])
    found = _Scanner(matcher).scan([Piece(part, "here") for part in text.split("\x00")])
    phones = [(f.text, f.severity) for f in found if f.kind == "phone"]
    assert phones == [("01632 960000", "low")]


def test_a_mobile_is_high_even_labelled_as_a_switchboard():
    matcher = build_matcher(terms=[])
    found = _Scanner(matcher).scan([Piece("Switchboard: 07700 900123", "here")])
    assert [(f.text, f.severity) for f in found if f.kind == "phone"] == [("07700 900123", "high")]


def test_the_company_property_naming_a_listed_agency_is_low():
    """Office sets Company to the council's name on every document: a listed agency (or
    an allowed term) there is no finding that fails; any other company still is."""
    matcher = build_matcher(terms=["Dean Voss"], allow=["Westmarch Borough Council"])

    def company(value: str) -> list[tuple[str, str]]:
        piece = Piece(value, "document property Company", kind="metadata", severity="medium")
        return [
            (f.text, f.severity) for f in _Scanner(matcher).scan([piece]) if f.kind == "metadata"
        ]

    assert company("Westmarch Borough Council") == [("Westmarch Borough Council", "low")]
    assert company("Voss Haulage Ltd") == [("Voss Haulage Ltd", "medium")]
