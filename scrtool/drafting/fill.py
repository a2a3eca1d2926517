"""``scrtool fill``: one document from one set of data, or one for each row, all or none.

Every row is checked (variables and file names) before any is rendered; documents are
rendered into temporary files and only renamed into place when all have been filled.
With ``--jobs N`` the rows are filled in N processes, each holding the template parsed
once.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool.drafting.data import Row, load_data, load_rows
from scrtool.drafting.engine import LoadedTemplate, missing_error
from scrtool.drafting.naming import target_names
from scrtool.errors import OutputError, ScrtoolError, TemplateError
from scrtool.outputs import check_writable, make_temp, refuse_inputs, staged, write_all_atomic

#: Rows named in one message; the rest are counted ("and 280 more rows").
MAX_ROWS_NAMED = 20


@dataclass(frozen=True)
class FillResult:
    """The documents written; ``scrtool fill --json`` prints this as it is."""

    outputs: tuple[Path, ...]
    count: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "count", len(self.outputs))


def fill_one(template: Path, *, data: Path, output: Path) -> FillResult:
    """``scrtool fill TEMPLATE --data FILE --output OUT``."""
    loaded = LoadedTemplate(template)
    values = load_data(data)
    missing = loaded.missing(values.values, blanks_are_missing=values.blanks_are_missing)
    if missing:
        raise missing_error(loaded.name, missing, Path(data).name)
    if Path(output).suffix.lower() != ".docx":
        raise OutputError(
            "is not a .docx file name, and the filled document is a Word document",
            file=output,
            advice="give an output name ending in .docx",
        )
    output = Path(output)
    _not_an_input(output, Path(template), Path(data))
    check_writable(output)
    with staged(output) as temp:
        loaded.render(values.values, temp)
    return FillResult(outputs=(output,))


def _not_an_input(target: Path, template: Path, data: Path) -> None:
    """Inputs are never modified: refuse to write a document over the template or the data."""
    refuse_inputs(target, [template], what="the template itself")
    refuse_inputs(target, [data], what="the data file itself")


@dataclass(frozen=True)
class _Job:
    row: int
    values: Mapping[str, Any]
    temp: str


_WORKER: dict[str, LoadedTemplate] = {}


def _worker_init(template: str) -> None:
    # Where processes are forked, the parent's parsed template is already here.
    loaded = _WORKER.get("template")
    if loaded is None or str(loaded.path) != template:
        _WORKER["template"] = LoadedTemplate(template)


def _worker_render(jobs: Sequence[_Job]) -> list[tuple[int, tuple[str, ...] | None]]:
    """Render a chunk in a worker process; errors come back as plain text (they pickle)."""
    loaded = _WORKER["template"]
    out: list[tuple[int, tuple[str, ...] | None]] = []
    for job in jobs:
        try:
            loaded.render(job.values, Path(job.temp), row=job.row)
        except ScrtoolError as exc:
            out.append((job.row, (exc.problem, exc.advice)))
            return out
        out.append((job.row, None))
    return out


def _chunks(items: Sequence[_Job], size: int) -> list[Sequence[_Job]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def fill_rows(
    template: Path,
    *,
    rows: Path,
    output_dir: Path,
    name: str | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> FillResult:
    """``scrtool fill TEMPLATE --rows FILE --output-dir DIR``: every document or none.

    Every row is checked (variables and file names) before any is rendered; all
    documents are rendered to temporary files, and only then renamed into place.
    """
    loaded = LoadedTemplate(template)
    batch = load_rows(rows)
    rows_name = Path(rows).name
    problems = []
    absent: set[str] = set()
    for row in batch:
        missing = loaded.missing(row.values, blanks_are_missing=True)
        if missing:
            problems.append(f"row {row.number}: " + ", ".join(f'"{m}"' for m in missing))
            absent.update(m for m in missing if m not in row.values)
    if problems:
        shown = problems[:MAX_ROWS_NAMED]
        if len(problems) > len(shown):
            more = len(problems) - len(shown)
            shown.append(f"and {more} more row{'s' if more > 1 else ''}")
        if absent:
            columns = ", ".join(f'"{m}"' for m in sorted(absent, key=str.casefold))
            advice = f"add the column{'s' if len(absent) > 1 else ''} {columns} to {rows_name}"
            advice += " (and fill in any blank cells named), and try again"
        else:
            advice = f"fill in those cells in {rows_name}, and try again"
        raise TemplateError(
            f"{loaded.name} uses variables that {rows_name} does not give ({'; '.join(shown)})",
            advice=advice,
        )
    pattern = name or f"{loaded.path.stem} {{row_number}}.docx"
    targets = target_names(pattern, batch, rows_name, Path(output_dir))
    for target in targets:
        _not_an_input(target, Path(template), Path(rows))
        check_writable(target)
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot be created ({exc.strerror or exc})", file=output_dir) from None
    if min(jobs, len(batch)) <= 1:
        # One process: each document is filled straight into its temporary file.
        direct = [
            (target, _direct_writer(loaded, row, len(batch), progress))
            for target, row in zip(targets, batch, strict=True)
        ]
        write_all_atomic(direct)
        return FillResult(outputs=tuple(targets))
    staged_files: list[Path] = []
    try:
        work: list[_Job] = []
        for row in batch:
            temp = make_temp(output_dir, ".docx", staged_files)
            work.append(_Job(row=row.number, values=row.values, temp=str(temp)))
        _render_all(loaded, work, jobs=jobs, progress=progress)
        moves = [
            (target, _mover(Path(job.temp))) for target, job in zip(targets, work, strict=True)
        ]
        write_all_atomic(moves)
    finally:
        for temp in staged_files:
            try:
                temp.unlink()
            except OSError:
                pass
    return FillResult(outputs=tuple(targets))


def _direct_writer(
    loaded: LoadedTemplate, row: Row, total: int, progress: Callable[[int, int], None] | None
) -> Callable[[Path], object]:
    def write(temp: Path) -> None:
        loaded.render(row.values, temp, row=row.number)
        if progress:
            progress(1, total)

    return write


def _mover(source: Path) -> Callable[[Path], object]:
    def move(temp: Path) -> None:
        os.replace(source, temp)

    return move


def _render_all(
    loaded: LoadedTemplate,
    work: Sequence[_Job],
    *,
    jobs: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    jobs = max(1, min(jobs, len(work)))
    if jobs == 1:
        for job in work:
            loaded.render(job.values, Path(job.temp), row=job.row)
            if progress:
                progress(1, len(work))
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    size = max(1, min(16, len(work) // (jobs * 4) or 1))
    _WORKER["template"] = loaded
    pool = ProcessPoolExecutor(
        max_workers=jobs, initializer=_worker_init, initargs=(str(loaded.path),)
    )
    try:
        futures = [pool.submit(_worker_render, chunk) for chunk in _chunks(work, size)]
        failure: tuple[int, tuple[str, ...]] | None = None
        pending = set(futures)
        while pending and failure is None:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                for row, error in fut.result():
                    if error is not None:
                        failure = (row, error)
                        break
                    if progress:
                        progress(1, len(work))
        if failure is not None:
            problem, advice = failure[1]
            raise TemplateError(problem, advice=advice)
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown()


def _stop_workers(pool: Any) -> None:
    """Stop the workers now (a failure, Ctrl-C): a worker still filling documents after
    the temporary files are cleared away would leave new ones in the output folder."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(10)
