"""How fast ``scrtool collate`` is against the floor: ``python3 benchmarks/collate.py``.

Makes 15 agency returns of 2,000 rows each (in a temporary folder, in the shapes agencies
send: title blocks, their own header names, date cells, date-time cells, serial numbers
and text dates), then times, in the same run and each in a fresh Python process:

(a) the floor: reading every return with python-calamine and writing the same rows to
    one sheet with openpyxl's write-only mode;
(b) ``scrtool collate`` on the same folder, writing the merged workbook.

It prints the median time of each (of ``--repeats`` runs), their ratio and each one's
peak memory (the child process's maximum resident set size). Goal: at most 1.5x the
floor and at most 500 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RETURNS = 15
ROWS = 2000

AGENCIES = [
    "Police", "Childrens Social Care", "Health Visiting", "GP", "School", "Ambulance",
    "Probation", "Hospital Emergency Department", "Midwifery", "CAMHS", "Housing",
    "Early Help", "Youth Justice", "Adult Mental Health", "Substance Misuse",
]  # fmt: skip

HEADERS = [
    ["Date of contact", "Time", "Source of information", "Type of contact", "Summary of contact", "Outcome / action"],
    ["Date", "Time", "Practitioner", "Contact type", "Details", "Action taken"],
    ["Contact date", "Contact time", "Record", "Event", "Description", "Outcome"],
    ["Date/time", "Source", "Nature of contact", "Narrative", "Actions"],
    ["DATE (dd/mm/yyyy)", "Time of contact", "Recorded by", "Type", "Details of contact", "Response"],
]  # fmt: skip

PEOPLE = ["Mother", "Child A", "Sibling B", "Mother's partner", "maternal grandmother", "Father"]
WORKERS = [
    "social worker", "health visitor", "class teacher", "PC on patrol", "GP", "paramedic",
    "probation officer", "school nurse", "family support worker", "midwife", "duty manager",
]  # fmt: skip
ACTS = [
    "visited the family home", "spoke by telephone with", "saw", "received a referral about",
    "attended an appointment with", "called", "emailed", "met", "assessed", "examined",
    "shared information about", "reviewed the records of", "completed a welfare check on",
]  # fmt: skip
FINDINGS = [
    "The home was cluttered and cold.", "A bruise was seen on the left forearm.",
    "No concerns were raised at this visit.", "The child appeared hungry and tired.",
    "Mother said she was struggling with money and the rent arrears.",
    "Neighbours reported shouting late at night.", "The child was not brought to the appointment.",
    "School attendance has fallen to 82 percent this term.", "Weight was below the 2nd centile.",
    "The child was observed to be clean and appropriately dressed.",
    "Mother's partner was present and answered for her.", "Advice was given on safe sleeping.",
    "A referral was made to the multi-agency safeguarding hub.", "Immunisations are not up to date.",
]  # fmt: skip
OUTCOMES = [
    "No further action.", "Referral to children's social care.", "Follow-up visit booked.",
    "Information shared with the GP.", "Case discussed in supervision.", "Letter sent to Mother.",
    "Strategy discussion requested.", "Added to the next core group agenda.",
]  # fmt: skip
EXTRA_WORDS = """
allotment bathroom bedroom blanket bottle buggy bus canteen carpet cereal cough curtains
dentist doorstep eczema fever fridge garden heating homework inhaler kitchen laundry
library lunchbox medicine nappy nursery park pharmacy playground pushchair rash scooter
shoes sofa stairs tablet toothbrush toys uniform wardrobe window winter wheezing
""".split()  # noqa: SIM905


STREETS = [
    f"{a} {b}"
    for a in ("Larch", "Mill", "Quarry", "Station", "Church", "Hill", "Well", "Brook")
    for b in ("Road", "Lane", "Close", "Way", "Street", "Gardens")
]


def make_returns(folder: Path, *, returns: int = RETURNS, rows: int = ROWS, seed: int = 2) -> None:
    from openpyxl import Workbook

    rng = random.Random(seed)
    start = dt.date(2023, 1, 1)
    for n in range(returns):
        agency = AGENCIES[n % len(AGENCIES)]
        headers = HEADERS[n % len(HEADERS)]
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Chronology" if n % 3 else "Sheet1")
        if n % 2:
            ws.append([f"{agency}: chronology of involvement with Child A"])
            ws.append(["Completed by: designated safeguarding lead"])
            ws.append([])
        ws.append(headers)
        for _ in range(rows):
            day = start + dt.timedelta(days=rng.randrange(1095))
            when = dt.time(rng.randrange(8, 20), rng.choice((0, 15, 30, 45)))
            kind = rng.random()
            if kind < 0.6:
                date_value: object = day
            elif kind < 0.75:
                date_value = day.strftime("%d/%m/%Y")
            elif kind < 0.9:
                date_value = float((day - dt.date(1899, 12, 30)).days)
            else:
                date_value = f"{day.day} {day.strftime('%B %Y')}"
            details = (
                f"{rng.choice(WORKERS).capitalize()} {rng.choice(ACTS)} {rng.choice(PEOPLE)} "
                f"about the {rng.choice(EXTRA_WORDS)} and the {rng.choice(EXTRA_WORDS)} at "
                f"{rng.randrange(1, 200)} {rng.choice(STREETS)}. {rng.choice(FINDINGS)}"
            )
            source = f"{rng.choice(WORKERS)} record {rng.randrange(1000, 9999)}"
            event = rng.choice(["Home visit", "Telephone call", "Appointment attended", "Referral"])
            outcome = rng.choice(OUTCOMES)
            if len(headers) == 5:
                stamp = dt.datetime.combine(day, when)
                ws.append([stamp, source, event, details, outcome])
            else:
                ws.append([date_value, when, source, event, details, outcome])
        wb.save(folder / f"{agency} return.xlsx")


FLOOR = r"""
import sys
from pathlib import Path
import python_calamine
from openpyxl import Workbook
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
wb = Workbook(write_only=True)
ws = wb.create_sheet("Chronology")
for path in sorted(folder.glob("*.xlsx")):
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for row in book.get_sheet_by_index(0).to_python(skip_empty_area=False):
        ws.append(row)
wb.save(out)
"""

SCRTOOL = [sys.executable, "-m", "scrtool", "collate"]


def run(command: list[str]) -> tuple[float, float]:
    """Wall-clock seconds and peak memory (MB) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env()
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    if proc.stderr:
        proc.stderr.close()
    return seconds, usage.ru_maxrss / 1024


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--returns", type=int, default=RETURNS)
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scrtool-bench-") as tmp:
        folder = Path(tmp) / "returns"
        folder.mkdir()
        make_returns(folder, returns=args.returns, rows=args.rows)
        floor_cmd = [sys.executable, "-c", FLOOR, str(folder), str(Path(tmp) / "floor.xlsx")]
        tool_cmd = [*SCRTOOL, str(folder), "--output", str(Path(tmp) / "chronology.xlsx")]
        floors: list[tuple[float, float]] = []
        tools: list[tuple[float, float]] = []
        for _ in range(args.repeats):
            floors.append(run(floor_cmd))
            tools.append(run(tool_cmd))
    floor_s = statistics.median(t for t, _ in floors)
    tool_s = statistics.median(t for t, _ in tools)
    floor_mb = max(m for _, m in floors)
    tool_mb = max(m for _, m in tools)
    ratio = tool_s / floor_s
    total = args.returns * args.rows
    print(
        f"collate benchmark: {args.returns} returns x {args.rows:,} rows ({total:,} rows), "
        f"median of {args.repeats} runs, each in a fresh process"
    )
    print(
        f"floor (python-calamine read + openpyxl write-only write): {floor_s:.2f} s, "
        f"peak {floor_mb:.0f} MB"
    )
    print(
        f"scrtool collate:                                          {tool_s:.2f} s, peak {tool_mb:.0f} MB"
    )
    verdict = "met" if ratio <= 1.5 and tool_mb <= 500 else "NOT met"
    print(
        f"ratio {ratio:.2f}x the floor (goal <= 1.5x); peak memory {tool_mb:.0f} MB "
        f"(goal <= 500 MB): {verdict}"
    )


if __name__ == "__main__":
    main()
