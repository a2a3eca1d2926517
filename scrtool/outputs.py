"""Writing outputs so that a failed run never leaves a partial or corrupt file.

Every output is written to a temporary file in the target's own folder, then renamed over
the target, so the rename is atomic on the same drive. A target open in Excel or Word is
refused before any work is thrown away: Office leaves an owner file ``~$name`` beside a
file it has open, and Windows refuses to replace a file that is open.
"""

from __future__ import annotations

import contextlib
import gc
import os
import secrets
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from scrtool.errors import OutputError, OutputLockedError, Reason


def owner_file(target: Path) -> Path:
    """The lock file Office keeps beside an open document (``~$`` + name, cut for long names)."""
    name = target.name
    stem_len = len(Path(name).stem)
    # Word and Excel drop the first one or two characters of long names to fit the "~$".
    if stem_len > 7:
        name = name[2:]
    elif stem_len == 7:
        name = name[1:]
    return target.with_name("~$" + name)


def lock_files(target: Path) -> list[Path]:
    """The files Word, Excel (``~$``) and LibreOffice (``.~lock.NAME#``) keep beside a
    file they have open."""
    names = {"~$" + target.name, owner_file(target).name, f".~lock.{target.name}#"}
    return [target.with_name(n) for n in sorted(names)]


#: The Office program that leaves a "~$" owner file beside a file of this ending.
_OFFICE = {".xlsx": "Excel", ".xlsm": "Excel", ".xls": "Excel", ".docx": "Word", ".doc": "Word"}


def _opened_by(target: Path, lock: Path) -> str:
    """Which program the lock file says has the target open."""
    if lock.name.startswith(".~lock."):
        return "LibreOffice"
    return _OFFICE.get(target.suffix.lower(), "Excel or Word")


def check_writable(target: Path) -> None:
    """Refuse, before any work, a target that cannot be written or is open in Office."""
    target = Path(target)
    if target.is_dir():
        raise OutputError(
            "is a folder, not a file",
            file=target,
            advice="give the output another name, or move that folder out of the way",
            reason=Reason.NOT_A_FILE,
        )
    for lock in lock_files(target):
        if lock.exists() and target.exists():
            raise OutputLockedError(
                f"is open in {_opened_by(target, lock)} (or another program is using it)",
                file=target,
            )
    parent = target.parent
    while not parent.exists() and parent != parent.parent:  # a folder still to be made
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(
            f"cannot be written because {parent} is a file, not a folder", file=target
        )
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputLockedError("is read-only or locked by another program", file=target)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two names are one file (``..``, links, a drive's case-insensitive names)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        # A name through a folder not made yet ("working/../case.toml") is still that file.
        lexical = [os.path.normcase(os.path.abspath(p)) for p in (a, b)]
        return lexical[0] == lexical[1] and os.path.exists(lexical[0])


def refuse_inputs(target: str | Path, inputs: Iterable[str | Path], *, what: str = "") -> None:
    """Inputs are never modified: refuse a target that is one of this run's input files."""
    for source in inputs:
        if same_file(target, source):
            raise OutputError(
                f"is {what or 'one of the files this run reads'}, and scrtool does not write "
                "over its inputs",
                file=Path(target),
                advice="give another name or folder for the output and try again",
            )


def _prepare_parent(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the folder {target.parent} ({exc.strerror or exc})", file=target
        ) from exc


def make_temp(folder: Path, suffix: str, made: list[Path], *, target: Path | None = None) -> Path:
    """Create an empty temporary file (``.~scrtool-*``) in ``folder`` and return its name.

    The name goes into ``made`` before the file exists, so whenever a Ctrl-C arrives (even
    the instant after the file is made), the caller's clean-up of ``made`` removes it.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = Path(folder) / f".~scrtool-{secrets.token_hex(6)}{suffix or '.tmp'}"
        made.append(temp)
        try:
            fd = os.open(temp, flags, 0o600)
        except FileExistsError:
            made.pop()  # another run's file: not ours to remove
            continue
        except OSError as exc:
            made.pop()
            raise OutputError(
                f"cannot write in the folder {folder} ({exc.strerror or exc})",
                file=target if target is not None else folder,
            ) from exc
        os.close(fd)
        return temp
    raise OutputError(
        f"cannot make a temporary file in the folder {folder}",
        file=target if target is not None else folder,
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _set_mode(temp: Path, target: Path) -> None:
    """Temporary files are owner-only; give outputs the mode any new file would get.

    On a shared drive colleagues must be able to open what scrtool wrote; an existing
    target keeps its own mode.
    """
    try:
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        os.chmod(temp, mode)
    except OSError:
        pass


def _replace(temp: Path, target: Path) -> None:
    _set_mode(temp, target)
    try:
        os.replace(temp, target)
    except PermissionError as exc:
        raise OutputLockedError(
            "could not be replaced: it is open in another program or read-only", file=target
        ) from exc
    except OSError as exc:
        raise OutputError(f"could not be written ({exc.strerror or exc})", file=target) from exc


def write_atomic(target: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temp_path)`` then move the temporary file over ``target``."""
    return write_all_atomic([(Path(target), write)])[0]


def write_all_atomic(jobs: Sequence[tuple[Path, Callable[[Path], object]]]) -> list[Path]:
    """Write several outputs; none is put in place unless every one was written.

    A failure while writing leaves every target as it was. The renames happen last, one
    after another, so the window in which some but not all targets are new is as short
    as the file system allows.
    """
    targets = [Path(t) for t, _ in jobs]
    for target in targets:
        check_writable(target)
    temps: list[Path] = []
    try:
        for target, write in jobs:
            target = Path(target)
            _prepare_parent(target)
            temp = make_temp(target.parent, target.suffix, temps, target=target)
            try:
                write(temp)
            except OSError as exc:
                raise _write_error(exc, target) from exc
        for temp, target in zip(temps, targets, strict=True):
            _replace(temp, target)
    finally:
        for temp in temps:
            with contextlib.suppress(OSError):
                temp.unlink()
    return targets


def _close_quietly(exc: BaseException) -> None:
    """Close now, without a word, what a failed writer left open.

    A zip half written to a full disk (openpyxl's, python-docx's) is still referenced from
    the error's frames; closed later by the garbage collector, it fails again and Python
    prints "Exception ignored ... Traceback" on stderr after the plain message.
    """
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _write_error(exc: OSError, target: Path) -> OutputError:
    _close_quietly(exc)
    if isinstance(exc, PermissionError):
        return OutputLockedError("could not be written: permission denied", file=target)
    return OutputError(f"could not be written ({exc.strerror or exc})", file=target)


def write_text_atomic(target: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    return write_atomic(target, lambda p: p.write_text(text, encoding=encoding, newline="\n"))


def write_bytes_atomic(target: str | Path, data: bytes) -> Path:
    return write_atomic(target, lambda p: p.write_bytes(data))


@contextlib.contextmanager
def staged(target: str | Path) -> Iterator[Path]:
    """``with staged(out) as tmp:`` write ``tmp``; it replaces ``out`` only on success."""
    target = Path(target)
    check_writable(target)
    _prepare_parent(target)
    made: list[Path] = []
    try:
        temp = make_temp(target.parent, target.suffix, made, target=target)
        try:
            yield temp
        except OSError as exc:
            # Writing the temporary file failed (a full disk): say so plainly. An error
            # naming another file (an input that could not be read) is left as it is.
            if exc.filename is not None and not same_file(exc.filename, temp):
                raise
            raise _write_error(exc, target) from exc
        _replace(temp, target)
    finally:
        for temp in made:
            with contextlib.suppress(OSError):
                temp.unlink()
