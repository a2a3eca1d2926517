"""Benchmark ``scrtool actions`` and ``scrtool summary`` against plain python-calamine reads.

Run: ``python3 benchmarks/actions.py``. Builds, in a temporary folder, an action plan of
2,000 rows (a large, long-running plan) and 30 case folders with a 40-row plan each (a
busy partnership's year), then measures, median of a few repeats, in this process:

(a) the floor for one plan: python-calamine opening the workbook and reading every row;
(b) ``read_action_plan`` on the same workbook (header matching, dates, judging, grouping);
(c) the floor for the year: python-calamine reading the 30 plans, tomllib the 30 case
    files, and openpyxl writing a plain workbook of 30 rows (the work any tool must do);
(d) ``summarise`` of the 30 cases into a workbook with its charts (it also checks every
    case.toml against the schema and judges every action).

Goals: (b) at most 2.5x (a); (d) at most 2.5x (c).
Peak memory of (b) is printed too.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PLAN_ROWS = 2000
CASES = 30
CASE_ROWS = 40
REPEATS = 5
TODAY = dt.date(2026, 12, 1)
AGENCIES = [
    "Northshire Police",
    "Northshire Children's Social Care",
    "Northshire Health Visiting Service",
    "Brookside Medical Practice",
    "Northshire Education Service",
]
STATUSES = ["Not started", "In progress", "Complete", "Cancelled", "in-progress", "Done"]


def make_plan(path: Path, rows: int, seed: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Action plan"
    ws.append(["Finding", "Recommendation", "Action", "Lead agency", "Owner", "Due date",
               "Status", "Evidence of completion", "Date completed", "Impact"])  # fmt: skip
    for i in range(rows):
        due: object = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
        if i % 97 == 0:
            due = "TBC"
        elif i % 13 == 0:
            due = due.strftime("%d/%m/%Y")  # type: ignore[attr-defined]
        ws.append([f"Finding {i % 9 + 1}", f"Recommendation {i % 12 + 1}",
                   f"Action number {i}: brief staff and audit practice", rng.choice(AGENCIES),
                   "Named Officer", due, rng.choice(STATUSES), "", None, ""])  # fmt: skip
    book.save(path)


def make_case(root: Path, index: int) -> None:
    (root / "working").mkdir(parents=True)
    start = dt.date(2025, 1, 6) + dt.timedelta(days=11 * index)
    done = start + dt.timedelta(days=150 + index * 3)
    (root / "case.toml").write_text(
        f'[review]\nref = "NS-B-{index:02d}"\ntype = "{"lcspr" if index % 3 else "scr"}"\n'
        f"initiated = {start.isoformat()}\ncompleted = {done.isoformat()}\n"
        f"publication = {(done + dt.timedelta(days=60)).isoformat()}\n"
        f"panel_copy_sent = {(done + dt.timedelta(days=50)).isoformat()}\n",
        encoding="utf-8",
    )
    make_plan(root / "working" / "action-plan.xlsx", CASE_ROWS, index)


def median_time(func) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor_read(path: Path) -> int:
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("Action plan").to_python(skip_empty_area=False)
    book.close()
    return len(rows)


def main() -> None:
    from scrtool.review.actions import read_action_plan
    from scrtool.review.summary import summarise

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        plan = base / "plan.xlsx"
        make_plan(plan, PLAN_ROWS, 1)
        cases = [base / f"case{i:02d}" for i in range(CASES)]
        for i, case in enumerate(cases):
            make_case(case, i)

        floor_read(plan)  # warm the imports
        read_action_plan(plan, today=TODAY)
        a = median_time(lambda: floor_read(plan))
        b = median_time(lambda: read_action_plan(plan, today=TODAY))
        tracemalloc.start()
        report = read_action_plan(plan, today=TODAY)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

        def floor_year() -> None:
            from openpyxl import Workbook

            book = Workbook()
            ws = book.active
            assert ws is not None
            for case in cases:
                data = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
                rows = floor_read(case / "working" / "action-plan.xlsx")
                ws.append([data["review"]["ref"], data["review"]["initiated"], rows] + [1] * 18)
            book.save(base / "floor.xlsx")

        out = base / "summary.xlsx"
        c = median_time(floor_year)
        d = median_time(lambda: summarise(cases, output=out, today=TODAY))

    print(f"action plan: {PLAN_ROWS} rows ({len(report.actions)} judged, "
          f"{len(report.bad_rows)} bad rows named)")  # fmt: skip
    print(f"  (a) floor, calamine read:     {a * 1000:8.1f} ms")
    print(
        f"  (b) read_action_plan:         {b * 1000:8.1f} ms   ratio {b / a:5.2f}x (goal <= 2.5x)"
    )
    print(f"      peak memory of (b):       {peak / 1e6:8.1f} MB")
    print(f"summary: {CASES} cases x {CASE_ROWS} actions")
    print(f"  (c) floor, toml+calamine+xlsx: {c * 1000:8.1f} ms")
    print(
        f"  (d) summarise + workbook:     {d * 1000:8.1f} ms   ratio {d / c:5.2f}x (goal <= 2.5x)"
    )


if __name__ == "__main__":
    main()
