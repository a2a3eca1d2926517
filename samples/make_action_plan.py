"""Write samples/working/action-plan.xlsx: the fictional review's action plan.

Run ``python3 samples/make_action_plan.py`` from the repository. Every name and action is
invented. The dates sit around the sample case's own (completed 24 July 2026, published
14 September 2026), so that on 1 December 2026, the first monthly check after publication
used by ``scrtool demo``, the plan holds a mix: complete, on track, due within 30 days,
overdue, one cancelled action and one row whose due date is "TBC".
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "working" / "action-plan.xlsx"

HEADERS = [
    "Finding", "Recommendation", "Action", "Lead agency", "Owner", "Due date", "Status",
    "Evidence of completion", "Date completed", "Impact",
]  # fmt: skip

D = dt.date

# The findings and recommendations, written out as a real plan holds them: each row
# repeats the finding and the recommendation that its action answers.
F1 = "Police officers at home call-outs did not always ask about the children who lived there."
F2 = "When the family's case was closed, the services that still saw them were not told."
F3 = "The health visitor and the GP did not share what each knew about the family."
F4 = "The school was worried about the child's attendance but did not raise it further."
F5 = "Ambulance and probation staff knew of risks to the child but did not pass them on."
R1 = "Police officers should check on every child in the home at a domestic incident."
R2 = "Children's social care should tell the other services in writing when a case closes."
R3 = "The partnership should check that those letters are sent and read."
R4 = "Health visitors should check the GP record before they stop seeing a family."
R5 = "GP records should show clearly when a child has a child protection plan."
R6 = "School safeguarding leads should know when and how to raise a concern further."
R7 = "Ambulance crews should make a referral whenever a child is present at a call-out."
R8 = "Probation should tell children's social care about a new partner who may harm a child."
R9 = "The partnership should share what this review learned with staff in every agency."

# (finding, recommendation, action, lead agency, owner, due, status, evidence, completed, impact)
ACTIONS: list[tuple[str, str, str, str, str, object, str, str, object, str]] = [
    (
        F1, R1,
        "Brief all response officers on recognising neglect when attending domestic incidents",
        "Northshire Police", "Inspector, Public Protection", D(2026, 10, 30), "In progress",
        "Briefing written; 3 of 5 shifts briefed", None, "",
    ),
    (
        F1, R1,
        "Add a prompt to the domestic abuse risk assessment to record every child in the household",
        "Northshire Police", "Head of Safeguarding", D(2026, 11, 30), "Complete",
        "New form live on the records system", D(2026, 11, 20),
        "Dip sample: children recorded in 19 of 20 reports",
    ),
    (
        F2, R2,
        "Audit 20 closed child in need cases for evidence of step-down planning",
        "Northshire Children's Social Care", "Principal Social Worker", D(2026, 12, 18),
        "In progress", "12 cases audited", None, "",
    ),
    (
        F2, R2,
        "Revise the step-down procedure so that universal services are told in writing when a case closes",
        "Northshire Children's Social Care", "Service Manager, Early Help", D(2027, 1, 29),
        "Not started", "", None, "",
    ),
    (
        F2, R3,
        "Agree with partners how step-down letters will be checked",
        "Northshire Children's Social Care", "Service Manager, Early Help", "TBC",
        "Not started", "", None, "",
    ),
    (
        F3, R4,
        "Check the GP record before a family is closed to the health visiting service",
        "Northshire Health Visiting Service", "Named Nurse Safeguarding", D(2026, 11, 13),
        "Not started", "", None, "",
    ),
    (
        F3, R4,
        "Refresh the safeguarding supervision guidance for health visitors",
        "Northshire Health Visiting Service", "Named Nurse Safeguarding", D(2027, 3, 31),
        "In progress", "Draft out for comment", None, "",
    ),
    (
        F3, R5,
        "Add a safeguarding alert to the records of children on a child protection plan",
        "Brookside Medical Practice", "Practice Manager", D(2026, 10, 16), "Complete",
        "Alerts added and checked by the safeguarding lead GP", D(2026, 10, 9),
        "Alerts seen at every appointment since October",
    ),
    (
        F4, R6,
        "Train designated safeguarding leads on when and how to escalate a concern",
        "Northshire Education Service", "Education Safeguarding Adviser", D(2026, 12, 11),
        "In progress", "Two of three sessions held", None, "",
    ),
    (
        F4, R6,
        "Pilot a shared attendance dashboard with children's social care",
        "Northshire Education Service", "Head of Inclusion", D(2026, 10, 1), "Cancelled",
        "Replaced by the county attendance project", None, "",
    ),
    (
        F5, R7,
        "Remind crews to make a safeguarding referral whenever a child is present at a call-out for an adult",
        "Northshire Ambulance Service", "Safeguarding Lead", D(2026, 9, 30), "Complete",
        "Bulletin issued to all crews", D(2026, 9, 25), "",
    ),
    (
        F5, R8,
        "Share information about a person on probation's new partner with children's social care",
        "Northshire Probation Service", "Senior Probation Officer", "March 2027",
        "In progress", "Information sharing agreement in draft", None, "",
    ),
    (
        "All findings", R9,
        "Hold a multi-agency learning event on the review's findings",
        "Northshire Safeguarding Children Partnership", "Business Manager", D(2027, 2, 26),
        "Not started", "", None, "",
    ),
]

STATUSES = ["Not started", "In progress", "Complete", "Cancelled"]


def build(path: Path = OUTPUT) -> Path:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    sys.path.insert(0, str(HERE.parent))
    from scrtool import workbook_style as house

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Action plan"
    house.style_header(sheet, 1, HEADERS)
    for row in ACTIONS:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = house.wrap_alignment()
            cell.font = house.body_font()
            if isinstance(cell.value, dt.date):
                cell.number_format = house.DATE_FORMAT
    # The house style: widths from the content, rows as tall as their wrapped text.
    house.fit_sheet(sheet, header_row=1, maximum=34)
    house.data_sheet(
        sheet, ref="NS-2026-01", header_row=1, columns=len(HEADERS), last_row=sheet.max_row
    )
    status_list = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"')
    status_list.add(f"G2:G{len(ACTIONS) + 200}")
    sheet.add_data_validation(status_list)
    book.properties.creator = "scrtool sample"
    book.properties.title = "NS-2026-01 action plan"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


if __name__ == "__main__":
    out = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT)
    print(f"Wrote {out}")
