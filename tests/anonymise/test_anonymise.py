"""anonymise and personalise: every place, whole names across runs, the round trip, bad input."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from scrtool.anonymise.run import anonymise
from scrtool.case import load_case
from scrtool.errors import CaseError, InputError
from tests.redaction_docs import DOCX_PLACES, make_docx_place, para, run

PSEUDONYMS = {
    "Lily-Mae Harrowgate": "Child A",
    "Stacey Harrowgate": "Mother",
    "Dean Voss": "Mother's partner",
    "Kayden Harrowgate": "Sibling B",
    "Larkspur Close": "the family home",
    "Easthaven": "the town",
    "Brambleford Primary School": "the primary school",
}


def write_case(root: Path, pseudonyms: dict[str, str] | None = None, names=None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    table = PSEUDONYMS if pseudonyms is None else pseudonyms
    register = names or [
        "Lily-Mae Harrowgate", "Stacey Harrowgate", "Dean Voss", "Kayden Harrowgate",
    ]  # fmt: skip
    lines = [
        "[review]",
        'ref = "NS-2026-09"',
        'type = "lcspr"',
        'child = "Child A"',
        "[register]",
        "names = [" + ", ".join(json.dumps(n) for n in register) + "]",
        'places = ["Larkspur Close", "Easthaven", "Brambleford Primary School"]',
        'allow = ["Child A", "Sibling B", "Mother", "Mother\'s partner"]',
        "[register.pseudonyms]",
        *(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in table.items()),
    ]
    (root / "case.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture
def case(tmp_path):
    return load_case(write_case(tmp_path / "case"))


def docx_texts(path: Path) -> str:
    """Every text node of every XML part, joined: what a reader could ever see."""
    import re

    out = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith(".xml"):
                out.append(" ".join(re.findall(r">([^<]+)<", zf.read(name).decode("utf-8"))))
    return "\n".join(out)


# --- Word ------------------------------------------------------------------------------------

#: Places the redaction check reads that anonymise rewrites (an embedded object's bytes
#: cannot be rewritten: the check then reports the name, tested below).
REWRITTEN = [p for p in DOCX_PLACES if p != "embedded object"]


@pytest.mark.parametrize("place", REWRITTEN)
def test_every_place_in_a_word_document_is_anonymised(tmp_path, case, place):
    source = make_docx_place(
        tmp_path / "report.docx", place, "Stacey Harrowgate visited Easthaven."
    )
    result = anonymise([source], case=case, output_dir=tmp_path / "out")
    (out,) = result.outputs
    assert out.replacements >= 2
    text = docx_texts(out.file)
    assert "Harrowgate" not in text and "Easthaven" not in text
    assert "Mother visited the town." in text or place == "body split over runs"
    assert result.passed and result.exit_code == 0
    assert "Harrowgate" in docx_texts(source), "the input is never changed"


def test_an_embedded_object_that_still_names_someone_fails_the_check(tmp_path, case):
    source = make_docx_place(tmp_path / "r.docx", "embedded object", "Dean Voss")
    result = anonymise([source], case=case, output_dir=tmp_path / "out")
    assert not result.passed and result.exit_code == 1
    assert result.to_json()["redaction_check_names"] == "failed"


def test_a_name_split_across_runs_is_replaced_whole_with_the_first_runs_formatting(tmp_path, case):
    from tests.redaction_docs import build_docx

    body = para(
        run("Seen: Lily-"), run("Mae", "<w:i/>"), run(" Harrow", "<w:b/>"), run("gate's coat.")
    )
    source = build_docx(tmp_path / "split.docx", {"body_xml": body})
    (out,) = anonymise([source], case=case, output_dir=tmp_path / "out").outputs
    import docx

    paragraph = next(p for p in docx.Document(str(out.file)).paragraphs if "Seen" in p.text)
    assert paragraph.text == "Seen: Child A's coat."
    named = next(r for r in paragraph.runs if "Child A" in r.text)
    assert named.text == "Seen: Child A" and not named.italic and not named.bold
    assert [r.text for r in paragraph.runs] == ["Seen: Child A", "", "", "'s coat."]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Lily-Mae's bedroom", "Child A's bedroom"),
        ("LILY-MAE HARROWGATE", "CHILD A"),
        ("Kayden\u2019s school", "Sibling B\u2019s school"),
        ("Ms Voss", "Ms Mother's partner"),
        ("the Harrowgates' flat", None),
        ("Northshire Police", "Northshire Police"),
    ],
)
def test_possessives_and_name_parts_follow_the_redaction_check(tmp_path, case, written, expected):
    import docx

    source = tmp_path / "r.docx"
    document = docx.Document()
    document.add_paragraph(written)
    document.save(str(source))
    if expected is None:
        # "Harrowgate" belongs to three names with different pseudonyms.
        with pytest.raises(CaseError, match='"Harrowgate" is part of the names'):
            anonymise([source], case=case, output_dir=tmp_path / "out")
        assert not (tmp_path / "out" / "r.docx").exists()
        return
    (out,) = anonymise([source], case=case, output_dir=tmp_path / "out").outputs
    assert docx.Document(str(out.file)).paragraphs[0].text == expected


def test_a_shared_surname_with_its_own_pseudonym_is_replaced(tmp_path):
    import docx

    case = load_case(write_case(tmp_path / "c", {**PSEUDONYMS, "Harrowgate": "the family"}))
    source = tmp_path / "r.docx"
    document = docx.Document()
    document.add_paragraph("The Harrowgate family; Stacey Harrowgate.")
    document.save(str(source))
    (out,) = anonymise([source], case=case, output_dir=tmp_path / "out").outputs
    assert docx.Document(str(out.file)).paragraphs[0].text == "The the family family; Mother."


def test_the_round_trip_gives_back_the_original_text(tmp_path, case):
    import docx

    source = tmp_path / "draft.docx"
    document = docx.Document()
    lines = [
        "Stacey Harrowgate took Lily-Mae Harrowgate to Brambleford Primary School.",
        "Dean Voss's car was seen in Larkspur Close; Kayden Harrowgate's teacher called.",
        "EASTHAVEN police attended.",
    ]
    for line in lines:
        document.add_paragraph(line)
    document.sections[0].header.paragraphs[0].text = "About Lily-Mae Harrowgate"
    document.core_properties.title = "Review of Lily-Mae Harrowgate"
    document.save(str(source))
    anonymised = anonymise([source], case=case, output_dir=tmp_path / "anon").outputs[0].file
    middle = docx.Document(str(anonymised))
    assert [p.text for p in middle.paragraphs] == [
        "Mother took Child A to the primary school.",
        "Mother's partner's car was seen in the family home; Sibling B's teacher called.",
        "THE TOWN police attended.",
    ]
    result = anonymise([anonymised], case=case, output_dir=tmp_path / "back", personalise=True)
    assert result.exit_code == 0 and result.outputs[0].replacements == 9
    back = docx.Document(str(result.outputs[0].file))
    assert [p.text for p in back.paragraphs] == lines
    assert back.sections[0].header.paragraphs[0].text == "About Lily-Mae Harrowgate"
    assert back.core_properties.title == "Review of Lily-Mae Harrowgate"


@pytest.mark.libreoffice
def test_the_copy_opens_in_libreoffice(tmp_path, case):
    from tests.conftest import convert_with_soffice

    source = make_docx_place(tmp_path / "r.docx", "text box", "Dean Voss at Larkspur Close")
    (out,) = anonymise([source], case=case, output_dir=tmp_path / "out").outputs
    pdf = convert_with_soffice(out.file, "pdf", tmp_path)
    import subprocess

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Before the box" in text and "Voss" not in text and "Larkspur" not in text
    assert "Mother's partner at the family home" in docx_texts(out.file)


# --- Excel -----------------------------------------------------------------------------------


def make_workbook(path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.comments import Comment

    wb = Workbook()
    ws = wb.active
    ws.title = "Dean Voss contacts"
    ws.append(["Date", "Details"])
    ws.append(["01/05/2024", "Stacey Harrowgate called; Lily-Mae's cough."])
    ws["B3"] = CellRichText(
        [TextBlock(InlineFont(b=True), "Kayden Harr"), TextBlock(InlineFont(i=True), "owgate ill")]
    )
    ws["B2"].comment = Comment("Check with Easthaven school", "Reviewer")
    ws.oddHeader.center.text = "Chronology about Lily-Mae Harrowgate"
    ws.oddFooter.left.text = "Larkspur Close"
    other = wb.create_sheet("Notes")
    other["A1"] = "='Dean Voss contacts'!B2"
    wb.properties.title = "Family chronology"
    wb.properties.subject = "Stacey Harrowgate"
    wb.save(path)
    return path


def test_every_place_in_a_workbook_is_anonymised(tmp_path, case):
    from openpyxl import load_workbook

    source = make_workbook(tmp_path / "chronology.xlsx")
    result = anonymise([source], case=case, output_dir=tmp_path / "out")
    (out,) = result.outputs
    assert result.passed, out.names_left
    wb = load_workbook(out.file, rich_text=True)
    assert wb.sheetnames == ["Mother's partner contacts", "Notes"]
    ws = wb["Mother's partner contacts"]
    assert ws["B2"].value == "Mother called; Child A's cough."
    assert str(ws["B3"].value) == "Sibling B ill"
    assert ws["B3"].value[0].font.b and ws["B3"].value[0].text == "Sibling B"
    assert ws["B2"].comment.text == "Check with the town school"
    assert ws.oddHeader.center.text == "Chronology about Child A"
    assert ws.oddFooter.left.text == "the family home"
    # The formula still points at the renamed sheet, its apostrophe doubled as Excel wants.
    assert wb["Notes"]["A1"].value == "='Mother''s partner contacts'!B2"
    assert wb.properties.subject == "Mother"


def test_personalising_a_workbook_restores_it(tmp_path, case):
    from openpyxl import load_workbook

    source = make_workbook(tmp_path / "chronology.xlsx")
    anon = anonymise([source], case=case, output_dir=tmp_path / "a").outputs[0].file
    back = anonymise([anon], case=case, output_dir=tmp_path / "b", personalise=True)
    wb = load_workbook(back.outputs[0].file)
    assert wb.sheetnames == ["Dean Voss contacts", "Notes"]
    ws = wb["Dean Voss contacts"]
    assert ws["B2"].value == "Stacey Harrowgate called; Lily-Mae Harrowgate's cough."
    assert ws["B3"].value == "Kayden Harrowgate ill"


# --- Bad input --------------------------------------------------------------------------------


def test_a_register_name_without_a_pseudonym_is_named(tmp_path):
    table = {k: v for k, v in PSEUDONYMS.items() if k != "Dean Voss"}
    case = load_case(write_case(tmp_path / "c", table))
    with pytest.raises(CaseError, match='"Dean Voss" has no pseudonym'):
        anonymise([make_workbook(tmp_path / "x.xlsx")], case=case, output_dir=tmp_path / "o")


def test_two_names_with_one_pseudonym_are_both_named(tmp_path):
    case = load_case(write_case(tmp_path / "c", {**PSEUDONYMS, "Dean Voss": "Mother"}))
    with pytest.raises(CaseError, match='"Stacey Harrowgate" and "Dean Voss" both have'):
        anonymise([make_workbook(tmp_path / "x.xlsx")], case=case, output_dir=tmp_path / "o")


def test_a_pseudonym_that_is_a_register_name_is_named(tmp_path):
    case = load_case(write_case(tmp_path / "c", {**PSEUDONYMS, "Dean Voss": "Mr Easthaven"}))
    with pytest.raises(CaseError, match='"Mr Easthaven" .for "Dean Voss". is itself a register'):
        anonymise([make_workbook(tmp_path / "x.xlsx")], case=case, output_dir=tmp_path / "o")


@pytest.mark.parametrize("lock", ["~$report.docx", ".~lock.report.docx#"])
def test_a_file_open_in_word_is_refused(tmp_path, case, lock):
    source = make_docx_place(tmp_path / "report.docx", "body", "Dean Voss")
    (tmp_path / lock).write_bytes(b"owner")
    with pytest.raises(InputError, match="close it and try again"):
        anonymise([source], case=case, output_dir=tmp_path / "o")
    assert not (tmp_path / "o").exists()


def test_a_pdf_is_refused_with_advice(tmp_path, case):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(InputError, match="anonymise the Word document before converting it"):
        anonymise([pdf], case=case, output_dir=tmp_path / "o")


def test_a_damaged_file_leaves_no_output(tmp_path, case):
    good = make_docx_place(tmp_path / "good.docx", "body", "Dean Voss")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="bad.docx: is damaged or password-protected"):
        anonymise([good, bad], case=case, output_dir=tmp_path / "o")
    assert not (tmp_path / "o" / "good.docx").exists()


# --- The command ------------------------------------------------------------------------------


def test_the_command_says_the_copy_passes_and_prints_the_json(invoke, tmp_path):
    case_dir = write_case(tmp_path / "c")
    source = make_docx_place(tmp_path / "r.docx", "body", "Dean Voss and Stacey Harrowgate")
    result = invoke("anonymise", source, "--case", case_dir, "--output-dir", tmp_path / "o")
    assert result.exit_code == 0
    assert "2 names replaced" in result.stdout
    assert "passes the redaction check for names" in result.stdout
    result = invoke(
        "anonymise", source, "--case", case_dir, "--output-dir", tmp_path / "o2", "--json"
    )
    data = json.loads(result.stdout)
    assert data["outputs"][0]["file"] == str(tmp_path / "o2" / "r.docx")
    assert data["outputs"][0]["replacements"] == 2
    assert data["redaction_check_names"] == "passed"


def test_the_command_exits_2_on_a_pdf_with_one_sentence(invoke, tmp_path):
    case_dir = write_case(tmp_path / "c")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    result = invoke("anonymise", pdf, "--case", case_dir, "--output-dir", tmp_path / "o")
    assert result.exit_code == 2
    assert "before converting it to PDF" in result.stderr and "Traceback" not in result.stderr
