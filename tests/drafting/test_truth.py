"""Every generated document against the data it came from: dates as exact as their source,
planned dates as planned, claims only from case.toml, notes never in a document."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from docx_helpers import body_text, docx_text, ordered_text

from scrtool.case import load_case
from scrtool.checks.draft import check_draft
from scrtool.dates import PartialDate, format_english, parse_partial_date
from scrtool.drafting.report import (
    build_contexts,
    build_report,
    date_words,
    panel_letter_context,
    summarise_chronology,
)
from scrtool.drafting.requests import make_requests, return_date


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (dt.date(2024, 4, 1), "1 April 2024"),
        (PartialDate(dt.date(2024, 4, 1), "month"), "April 2024"),
        (PartialDate(dt.date(2016, 5, 1), "month", True), "about May 2016"),
        (PartialDate(dt.date(2016, 5, 22), "day", True), "about 22 May 2016"),
        (PartialDate(dt.date(2021, 1, 1), "year", True), "about 2021"),
        ("spring term 2024", "spring term 2024"),
    ],
)
def test_date_words_keep_the_precision(value, words):
    assert date_words(value) == words


def _set(case_dir: Path, section: str, text: str) -> None:
    """Add lines to a [section] of case.toml (made if missing)."""
    path = case_dir / "case.toml"
    data = path.read_text(encoding="utf-8")
    header = f"[{section}]\n"
    if header in data:
        data = data.replace(header, header + text + "\n", 1)
    else:
        data += f"\n{header}{text}\n"
    path.write_text(data, encoding="utf-8")


def _drop(case_dir: Path, *keys: str) -> None:
    path = case_dir / "case.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not any(re.match(rf"{k}\s*=", ln) for k in keys)]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def collated(tmp_path_factory) -> Path:
    from scrtool.chronology.collate import collate

    repo = REPO
    root = tmp_path_factory.mktemp("truth") / "case"
    shutil.copytree(repo / "samples", root)
    case = load_case(root)
    collate([root / "returns"], output=case.chronology_path, case=case)
    return root


@pytest.fixture
def case_dir(collated, tmp_path) -> Path:
    root = tmp_path / "case"
    shutil.copytree(collated, root)
    return root


def _chronology_rows(path: Path) -> list[dict[str, object]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True)["Chronology"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def test_the_chronology_marks_rows_before_the_review_period(collated):
    rows = _chronology_rows(load_case(collated).chronology_path)
    scope_from = load_case(collated).date("scope_from")
    marked = [r for r in rows if r["Before the review period"] == "Yes"]
    assert sorted(str(r["Date as written"]) for r in marked) == ["?22/05/2016", "approx. 2021"]
    for r in rows:
        day = r["Date"].date()
        written = r["Date as written"]
        if written == "April 2024":  # the month the scope starts in: not before it
            assert r["Before the review period"] is None
        elif r["Before the review period"] is None:
            assert day >= scope_from


def _expected_table(case_dir: Path) -> dict[str, tuple[int, str, str]]:
    """Each agency's count, first and last, worked out here from the chronology sheet."""
    case = load_case(case_dir)
    out: dict[str, list[tuple[dt.date, str]]] = {a.name: [] for a in case.agencies}
    for row in _chronology_rows(case.chronology_path):
        if row["Before the review period"] == "Yes":
            continue
        written = row["Date as written"]
        shown = date_words(parse_partial_date(written)) if written else format_english(row["Date"])
        out.setdefault(str(row["Agency"]), []).append((row["Date"].date(), shown))
    return {
        name: (len(rows), min(rows)[1], max(rows)[1]) if rows else (0, "none", "none")
        for name, rows in out.items()
    }


def test_each_printed_chronology_date_is_the_sources_with_its_precision(case_dir):
    from docx import Document

    overview = build_report(load_case(case_dir)).outputs[0]
    table = next(t for t in Document(str(overview)).tables if t.rows[0].cells[0].text == "Agency")
    printed = {
        r.cells[0].text: (int(r.cells[1].text), r.cells[2].text, r.cells[3].text)
        for r in table.rows[1:]
    }
    assert printed == _expected_table(case_dir)
    # The two rows the issue names: the estimate from 2016 is not a first contact, and
    # probation's "April 2024" is never "1 April 2024".
    assert printed["Northshire Probation Service"][1] == "April 2024"
    assert "22 May 2016" not in docx_text(overview)
    assert "1 April 2024" not in printed["Northshire Children's Social Care"]
    text = "\n".join(body_text(overview))
    assert "2 earlier records, from before the review period" in text


def test_unparsed_wording_is_printed_as_the_agency_wrote_it(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(["Date", "Agency", "Date as written", "Before the review period"])
    sheet.append([dt.datetime(2024, 4, 15), "School", "spring term 2024", None])
    sheet.append([dt.datetime(2024, 6, 3), "School", None, None])
    sheet.append([dt.datetime(2019, 1, 1), "School", "2019", "Yes"])
    book.save(tmp_path / "c.xlsx")
    summary, total = summarise_chronology(tmp_path / "c.xlsx", scope_from=dt.date(2024, 4, 1))
    (school,) = summary
    assert (school.contacts, school.first, school.last, school.earlier) == (
        2,
        "spring term 2024",
        "3 June 2024",
        1,
    )
    assert total == 2


def test_an_old_chronology_without_the_marker_column_is_judged_by_scope_from(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(["Date", "Agency", "Date as written"])
    sheet.append([dt.datetime(2016, 5, 22), "CSC", "?22/05/2016"])
    sheet.append([dt.datetime(2024, 3, 1), "CSC", "March 2024"])
    sheet.append([dt.datetime(2024, 5, 1), "CSC", "May 2024"])
    book.save(tmp_path / "c.xlsx")
    (csc,), total = summarise_chronology(tmp_path / "c.xlsx", scope_from=dt.date(2024, 4, 1))
    assert (csc.first, csc.earlier, total) == ("May 2024", 2, 1)


def test_report_dates_equal_case_toml(case_dir):
    case = load_case(case_dir)
    overview = "\n".join(body_text(build_report(case).outputs[0]))
    for key in ("initiated", "scope_from", "scope_to"):
        assert format_english(case.date(key)) in overview
    assert "Publication planned for 14 September 2026" in overview
    assert "Published" not in overview


def test_published_only_once_the_actual_date_is_known(case_dir):
    _set(case_dir, "review", "published = 2026-09-21")
    case = load_case(case_dir)
    overview, response, _notes, _rows, _actions = build_contexts(case)
    assert overview["publication_line"] == "Published on 21 September 2026"
    assert response["dated_line"].endswith("on 21 September 2026.")
    letter = panel_letter_context(case, sent_on=dt.date(2026, 9, 1))
    assert letter["publication_sentence"] == "We published them on 21 September 2026."
    # The panel copy is counted from the actual date (7 working days before it).
    assert letter["panel_copy_due"] == dt.date(2026, 9, 10)


def test_lcspr_why_is_the_partners_decision_scr_why_is_the_law(case_dir):
    # The sample records the partners' decision; start from a decision still awaited.
    _drop(case_dir, "partners_decision", "partners_reasons")
    case = load_case(case_dir)
    overview = build_contexts(case)[0]
    assert "must be held" not in overview["law_intro"]
    assert overview["decision_text"].startswith("[Say what the safeguarding partners decided")
    _set(
        case_dir,
        "screening",
        'partners_decision = "lcspr"\npartners_reasons = "Two agencies did not share."',
    )
    overview = build_contexts(load_case(case_dir))[0]
    assert (
        overview["decision_text"] == "The safeguarding partners decided to hold this local review."
    )
    assert overview["grounds"] == ["Two agencies did not share."]
    text = (
        (case_dir / "case.toml")
        .read_text(encoding="utf-8")
        .replace('type = "lcspr"', 'type = "scr"')
    )
    (case_dir / "case.toml").write_text(text, encoding="utf-8")
    overview = build_contexts(load_case(case_dir))[0]
    assert overview["law_intro"].startswith("The law says a review must be held")
    assert len(overview["grounds"]) == len({g.casefold() for g in overview["grounds"]})


def test_claims_come_from_case_toml_or_stay_placeholders(case_dir):
    text = (case_dir / "case.toml").read_text(encoding="utf-8")
    start, end = text.index("[report]"), text.index("[[agencies]]")
    (case_dir / "case.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    overview_path = build_report(load_case(case_dir)).outputs[0]
    text = "\n".join(body_text(overview_path))
    assert "meets the five principles" not in text
    assert "The family were asked to take part" not in text
    assert "[Say whether the family were asked to take part" in text
    assert "[Say how this review followed the five principles.]" in text
    assert "[List the terms of reference" in text
    assert "[Say whether criminal proceedings" in text
    kinds = {f.text[:30] for f in check_draft([overview_path]).files[0].findings}
    assert any(k.startswith("[Say how this review followed") for k in kinds)


def test_independence_is_claimed_only_when_declared(case_dir):
    overview = build_contexts(load_case(case_dir))[0]
    assert "has not worked for any of the agencies" in overview["reviewer_line"]
    text = (case_dir / "case.toml").read_text(encoding="utf-8")
    start = text.index('affiliations = [\n    { organisation = "Westmarch')
    end = text.index("]\n", start) + 2
    (case_dir / "case.toml").write_text(text[:start] + text[end:], encoding="utf-8")
    overview, _r, notes, _c, _a = build_contexts(load_case(case_dir))
    assert overview["reviewer_line"].startswith("[Say who led the review")
    assert any("independence" in n for n in notes)


def test_the_response_lists_only_what_was_done_by_its_date(case_dir):
    from openpyxl import load_workbook

    from scrtool.review.action_plan import load_schema

    case = load_case(case_dir)
    book = load_workbook(case.action_plan_path)
    sheet = book[load_schema().sheet]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in header if name}
    done_late = None
    for row in range(2, sheet.max_row + 1):
        completed = sheet.cell(row=row, column=col["Date completed"]).value
        if isinstance(completed, dt.datetime) and completed.date() > case.date("publication"):
            done_late = sheet.cell(row=row, column=col["Action"]).value
            break
    assert done_late, "the sample plan has an action completed after publication"
    response = ordered_text(build_report(case).outputs[1])
    taken = response[response.index("Actions already taken") : response.index("The difference")]
    more = response[response.index("What more will be done") :]
    assert done_late not in taken and done_late in more
    assert "It is correct as at 14 September 2026" in response
    for day in re.findall(r"\d{1,2} [A-Z][a-z]+ \d{4}", taken):  # every "Done on" date
        assert dt.datetime.strptime(day, "%d %B %Y").date() <= case.date("publication")


def test_notes_to_the_officer_never_reach_a_document(case_dir):
    result = build_report(load_case(case_dir))
    assert any("row 6" in n for n in result.notes)
    for path in result.outputs:
        text = docx_text(path)
        assert "scrtool" not in text and "action plan" not in text.casefold().replace(
            "the action plan", ""
        )
        kinds = {f.kind for f in check_draft([path]).files[0].findings}
        assert "note-to-officer" not in kinds and "template-tag" not in kinds


# --- letters -------------------------------------------------------------------------


def test_a_past_returns_due_gives_a_new_date_and_a_note(case_dir):
    case = load_case(case_dir)
    today = dt.date(2026, 12, 2)
    due, note = return_date(case, today)
    assert due == dt.date(2026, 12, 23)  # 15 working days on
    assert note and "2 March 2026" in note and "already past" in note
    result = make_requests(case, today=today)
    assert result.notes == (note,)
    letter = "\n".join(body_text(result.packs[0].letter))
    assert "Please send the workbook back by 23 December 2026." in letter
    assert "2 March 2026" not in letter
    from openpyxl import load_workbook

    sheet = load_workbook(result.packs[0].workbook)["Instructions"]
    values = {
        sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value for r in range(1, 10)
    }
    assert values["Please return by"] == "23 December 2026"


def test_a_future_returns_due_is_kept_and_the_setting_counts(case_dir):
    case = load_case(case_dir)
    assert return_date(case, dt.date(2026, 2, 9)) == (dt.date(2026, 3, 2), None)
    _set(case_dir, "partnership", "")
    _drop(case_dir, "returns_due", "return_working_days")
    _set(case_dir, "partnership", "return_working_days = 10")
    # Christmas (Friday 25), Boxing Day (moved to Monday 28 December 2026) and New Year's
    # Day are skipped, as are the weekends.
    assert return_date(load_case(case_dir), dt.date(2026, 12, 21)) == (dt.date(2027, 1, 7), None)


def test_letters_are_signed_from_case_toml(case_dir):
    result = make_requests(load_case(case_dir), today=dt.date(2026, 2, 9))
    letter = body_text(result.packs[0].letter)
    assert letter[-3:] == [
        "Sam Okafor",
        "Business manager",
        "On behalf of the Northshire Safeguarding Children Partnership",
    ]
    assert "Business support officer" not in "\n".join(letter)
    _drop(case_dir, "contact_name", "contact_role")
    result = make_requests(load_case(case_dir), today=dt.date(2026, 2, 9), replace=True)
    assert any("contact_name and contact_role" in n for n in result.notes)
    findings = check_draft([result.packs[0].letter]).files[0].findings
    assert [f.kind for f in findings] == ["placeholder", "placeholder"]


def test_the_panel_letter_for_a_report_not_published(case_dir):
    _set(
        case_dir,
        "review",
        'publish = false\nnot_published_reasons = "Publishing would identify the child."\n'
        "improvements_published = 2026-10-05",
    )
    case = load_case(case_dir)
    letter = panel_letter_context(case, sent_on=dt.date(2026, 9, 20))
    assert letter["publish"] is False
    assert letter["not_published_reasons"] == "Publishing would identify the child."
    assert "on 5 October 2026" in letter["improvements_sentence"]
    assert letter["improvements_sentence"].startswith("We will publish")
    assert letter["panel_copy_due"] == dt.date(2026, 9, 24)
    overview = build_contexts(case)[0]
    assert (
        overview["publication_line"]
        == "The safeguarding partners decided not to publish this report."
    )
    path = build_report(case).outputs[2]
    text = "\n".join(body_text(path))
    assert "decided not to publish it" in text and "We plan to publish" not in text
    assert "Copy to: the Secretary of State for Education" in text


def test_a_planned_date_already_gone_is_not_written_as_a_plan(case_dir):
    letter = panel_letter_context(load_case(case_dir), sent_on=dt.date(2026, 12, 2))
    assert letter["publication_sentence"].startswith("[Say when")
    assert letter["_notes"]


def test_every_placeholder_in_a_generated_document_carries_the_style(case_dir):
    """Gaps that came with the data are styled like the template's own, split from the
    text around them ("The family were asked to take part ... [Say who took part ...]")."""
    import docx

    _drop(case_dir, "family_involvement", "contact_role")
    outputs = list(build_report(load_case(case_dir)).outputs)
    outputs.append(make_requests(load_case(case_dir), today=dt.date(2026, 2, 9)).packs[0].letter)
    mixed = False
    for path in outputs:
        for paragraph in docx.Document(str(path)).paragraphs:
            for piece in paragraph.runs:
                for m in re.finditer(r"\[[^\[\]]+\]", piece.text):
                    if m.group(0) in ("[sic]",):
                        continue
                    assert piece.style.name == "Placeholder", (path.name, piece.text)
                    assert piece.text == m.group(0), (path.name, piece.text)
            texts = [r.text for r in paragraph.runs]
            if texts and texts[0].startswith("The family were asked to take part"):
                assert texts[1].startswith("[Say who took part")
                mixed = True
    assert mixed
