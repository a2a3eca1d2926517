"""``scrtool new``: a case folder with its subfolders, a commented case.toml and an action plan.

It lives with the review's jobs because a new case starts with a blank action plan, which
is the action plan's job to write; ``case.py`` below it only reads and checks cases.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from scrtool.case import (
    CASE_FILE,
    SUBFOLDERS,
    Case,
    load_case,
    parse_case_text,
    render_case_toml,
)
from scrtool.errors import CaseError, InputError, OutputError
from scrtool.outputs import write_text_atomic


def create_case(
    root: str | Path,
    *,
    ref: str,
    review_type: str = "lcspr",
    partnership: str | None = None,
    child: str | None = None,
) -> Case:
    """Make the case folder, its subfolders and a commented ``case.toml``."""
    if not str(root).strip():
        # Path("") is the current folder: an unset variable must not make it a case.
        raise InputError(
            "no folder name was given for the case",
            advice='name the new case folder, such as scrtool new "NS-2026-01" --ref NS-2026-01',
        )
    root = Path(root)
    file = root / CASE_FILE
    if file.exists():
        raise OutputError(
            f"already holds a {CASE_FILE}",
            file=root,
            advice="choose a new folder, or edit the case.toml that is there",
        )
    if root.exists() and not root.is_dir():
        raise OutputError("is a file, not a folder", file=root, advice="choose a new folder name")
    text = render_case_toml(ref=ref, review_type=review_type, partnership=partnership, child=child)
    try:
        parse_case_text(text, Path(f"--ref {ref!r}"))
    except CaseError as exc:
        raise CaseError(
            exc.problem,
            file=exc.file,
            advice="give a --ref such as NS-2026-01 (letters, digits and dashes) and run again",
        ) from None
    made = [p for p in (root, *(root / n for n in SUBFOLDERS)) if not p.exists()]
    try:
        root.mkdir(parents=True, exist_ok=True)
        for name in SUBFOLDERS:
            (root / name).mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot be created ({exc.strerror or exc})", file=root) from exc
    try:
        write_text_atomic(file, text)
        case = load_case(root)
        from scrtool.review.action_plan import write_action_plan

        write_action_plan(
            case.action_plan_path, agencies=[a.name for a in case.agencies], ref=case.ref
        )
    except BaseException:
        # All or nothing: a case.toml left without its action plan (a full disk) would make
        # the next try stop with "already holds a case.toml".
        file.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if still empty
        raise
    return case
