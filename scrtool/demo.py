"""``scrtool demo``: a whole review's paperwork, made from the bundled fictional case.

Each job adds a step here. A step takes the case folder and returns the paths it made
and a line saying what it did, so the demo shows a newcomer every command at work.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scrtool.case import CASE_FILE, SUBFOLDERS, Case, load_case
from scrtool.errors import OutputError, ScrtoolError
from scrtool.resources import data_dir


@dataclass(frozen=True)
class StepResult:
    step: str
    summary: str
    outputs: tuple[Path, ...] = ()
    exit_code: int = 0


@dataclass(frozen=True)
class DemoResult:
    case_dir: Path
    steps: tuple[StepResult, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> tuple[StepResult, ...]:
        """The steps that did not finish cleanly (their command would not exit 0)."""
        return tuple(s for s in self.steps if s.exit_code != 0)


#: "module:function" for each step, in the order a review would run them. Each function
#: takes the loaded ``Case`` and returns a ``StepResult``.
STEPS: list[str] = [
    "scrtool.chronology.collate:demo_step",
    "scrtool.drafting.requests:demo_step",
    "scrtool.drafting.report:demo_step",
    "scrtool.checks.readability:demo_step",
    "scrtool.checks.redaction:demo_step",
    "scrtool.review.screening:demo_step",
    "scrtool.review.reviewers:demo_step",
    "scrtool.review.timetable:demo_step",
    "scrtool.review.actions:demo_step",
    "scrtool.bundle.package:demo_step",
    "scrtool.review.summary:demo_step",
]


#: The drafts ``scrtool report`` writes into working/, which later demo steps check.
REPORT_DRAFTS = ("overview-report.docx", "partnership-response.docx")


def report_drafts(case: Case) -> list[Path]:
    """The report drafts the demo has made so far in working/."""
    return [p for name in REPORT_DRAFTS if (p := case.folder("working") / name).is_file()]


def make_demo_case(target: Path) -> Case:
    """Copy the sample case into ``target`` (which must be new or empty)."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputError(
            "is a file, not a folder", file=target, advice="name a new folder for the demo"
        )
    if target.exists() and any(target.iterdir()):
        raise OutputError(
            "already exists and is not empty",
            file=target,
            advice="name a new folder for the demo",
        )
    samples = data_dir("samples")
    existed = target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in SUBFOLDERS:
            (target / name).mkdir(exist_ok=True)
        shutil.copy2(samples / CASE_FILE, target / CASE_FILE)
        for sub in SUBFOLDERS:
            src = samples / sub
            if src.is_dir():
                shutil.copytree(src, target / sub, dirs_exist_ok=True)
    except OSError as exc:
        # Half a copy would be refused next time ("not empty"); it was new or empty, so
        # everything in it is this run's and goes again.
        if existed:
            for child in target.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        else:
            shutil.rmtree(target, ignore_errors=True)
        reason = exc.strerror or str(exc)
        raise OutputError(
            f"the sample case could not be copied into it ({reason})",
            file=target,
            advice="free some space or name a folder on another drive, then try again",
        ) from exc
    return load_case(target)


def _step(spec: str) -> Callable[[Case], StepResult]:
    module, _, func = spec.partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def run_demo(target: Path, *, on_step: Callable[[StepResult], None] | None = None) -> DemoResult:
    case = make_demo_case(target)
    results = []
    for spec in STEPS:
        try:
            result = _step(spec)(case)
        except ScrtoolError as exc:  # a step should not raise; if one does, the rest still run
            name = spec.partition(":")[0].rpartition(".")[2]
            result = StepResult(step=name, summary=f"could not run: {exc.message}", exit_code=2)
        results.append(result)
        if on_step is not None:
            on_step(result)
    return DemoResult(case_dir=case.root, steps=tuple(results))
