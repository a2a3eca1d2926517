"""Word documents to PDF with LibreOffice, the one converter every partnership can install.

``soffice --headless --convert-to pdf`` is run with a profile of its own in a temporary
folder, so it works while the officer has LibreOffice open on the same machine (a second
soffice sharing a profile hands the job to the running one and exits without converting).
soffice can exit 0 without writing anything, so every PDF is opened and counted before it
is trusted.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import weakref
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.errors import InputError, Reason, ToolMissingError, UnreadableInputError

if TYPE_CHECKING:
    from pypdf import PdfReader

#: Seconds one soffice run may take before it is stopped (several documents share a run).
DEFAULT_TIMEOUT = 240.0

#: Set this to the full path of soffice when LibreOffice is installed somewhere unusual.
SOFFICE_ENV = "SCRTOOL_SOFFICE"

INSTALL_ADVICE = (
    "install LibreOffice (free, from libreoffice.org) and try again, "
    "or save the documents as PDF in Word and give scrtool the PDFs"
)

CONVERTIBLE = (".docx", ".doc", ".odt", ".rtf")

#: The PDF export's options for the website copy, each set explicitly rather than left to
#: the installed LibreOffice's defaults. LibreOffice 7.4 and later read them as JSON after
#: the filter name; each was seen to take effect on 7.4 (``tests/bundle/test_publish.py``):
#: tagged (/StructTreeRoot, /MarkInfo), PDF/UA (XMP metadata with pdfuaid:part and the
#: title), bookmarks from the headings (/Outlines), the title in the window
#: (/DisplayDocTitle), the bookmarks panel open (/PageMode /UseOutlines), every bookmark
#: level open, and no comments on the pages.
TAGGED_PDF_OPTIONS: dict[str, tuple[str, str]] = {
    "UseTaggedPDF": ("boolean", "true"),
    "PDFUACompliance": ("boolean", "true"),
    "ExportBookmarks": ("boolean", "true"),
    "DisplayPDFDocumentTitle": ("boolean", "true"),
    "InitialView": ("long", "1"),
    "OpenBookmarkLevels": ("long", "-1"),
    "ExportNotes": ("boolean", "false"),
    "ExportNotesInMargin": ("boolean", "false"),
}


def pdf_export_filter(options: dict[str, tuple[str, str]]) -> str:
    """soffice's ``--convert-to`` argument for a PDF export with these options."""
    import json

    spec = {name: {"type": kind, "value": value} for name, (kind, value) in options.items()}
    return "pdf:writer_pdf_Export:" + json.dumps(spec, separators=(",", ":"))


TAGGED_PDF = pdf_export_filter(TAGGED_PDF_OPTIONS)


def _install_candidates() -> list[Path]:
    """Where the LibreOffice installers put soffice when it is not on PATH."""
    out: list[Path] = []
    for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
        base = os.environ.get(var)
        if base:
            out.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    out += [
        Path(r"C:\Program Files\LibreOffice\program\soffice.exe"),
        Path(r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"),
        Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
        Path("/opt/libreoffice/program/soffice"),
    ]
    return out


def find_soffice() -> str | None:
    """The soffice program: $SCRTOOL_SOFFICE, then PATH, then the usual install folders."""
    override = os.environ.get(SOFFICE_ENV)
    if override:
        return override if Path(override).is_file() else shutil.which(override)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _install_candidates():
        try:
            if candidate.is_file():
                return str(candidate)
        except OSError:
            continue
    return None


def require_soffice(for_file: Path | None = None) -> str:
    soffice = find_soffice()
    if soffice is None:
        raise ToolMissingError(
            "is a Word document, and turning it into PDF needs LibreOffice, which is not installed"
            if for_file is not None
            else "LibreOffice is needed to turn Word documents into PDF, and it is not installed",
            file=for_file,
            advice=INSTALL_ADVICE,
        )
    return soffice


@contextlib.contextmanager
def pypdf_warnings() -> Iterator[list[str]]:
    """Keep pypdf's warnings (a repaired cross-reference table, an object found at the
    wrong place) in a list instead of printing them: the list says the file was odd."""
    logger = logging.getLogger("pypdf")
    kept: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            kept.append(record.getMessage())

    handler = _Keep(logging.WARNING)
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield kept
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


#: The PDFs that pypdf had to repair or guess at while opening them (see ``open_pdf``).
_REPAIRED: weakref.WeakSet[Any] = weakref.WeakSet()


def was_repaired(reader: PdfReader) -> bool:
    """Whether pypdf warned while opening this PDF (it may have guessed at its objects)."""
    return reader in _REPAIRED


def open_pdf(path: Path, *, source: Path | None = None) -> PdfReader:
    """Open a PDF and read its page list; an empty, corrupt or encrypted one is refused."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    shown = source or path
    try:
        # A damaged file gets one sentence below, not pypdf's log of every oddity.
        with pypdf_warnings() as warned:
            reader = PdfReader(path)
            if reader.is_encrypted:
                raise UnreadableInputError(
                    "is protected with a password",
                    file=shown,
                    advice="save a copy without the password and try again",
                    reason=Reason.ENCRYPTED,
                )
            pages = len(reader.pages)
        if warned:
            _REPAIRED.add(reader)
        from scrtool.readers.pdf import remember_opening

        remember_opening(reader, warned)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise UnreadableInputError(
            f"is not a PDF that can be read ({exc})", file=shown, advice=_CORRUPT_ADVICE
        ) from None
    if pages < 1:
        raise UnreadableInputError("has no pages", file=shown, advice=_CORRUPT_ADVICE)
    return reader


def pdf_page_count(path: Path, *, source: Path | None = None) -> int:
    """The number of pages in a PDF that can be used (see ``open_pdf``)."""
    return len(open_pdf(path, source=source).pages)


_CORRUPT_ADVICE = "open it and save it again (or export it to PDF again), then try again"


def check_convertible(path: Path) -> None:
    """Refuse, before LibreOffice sees it, a Word file that is missing, damaged or locked.

    LibreOffice opens a damaged .docx as plain text and converts the gibberish, so the
    container is checked here: a .docx is a zip; a password-protected one is an OLE file.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "does not exist",
            file=path,
            advice="check the name and the folder, then try again",
            reason=Reason.MISSING,
        )
    if path.suffix.lower() not in (".docx", ".odt"):
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError(
            f"cannot be read ({exc.strerror or exc})",
            file=path,
            advice="check it is not open elsewhere and that you may read it",
        ) from exc
    if head.startswith(_OLE_MAGIC):
        raise UnreadableInputError(
            "is protected with a password",
            file=path,
            advice="open it in Word, remove the password (File, Info, Protect Document), "
            "save it and try again",
            reason=Reason.ENCRYPTED,
        )
    if not head.startswith(b"PK") or not zipfile.is_zipfile(path):
        raise UnreadableInputError(
            "is not a Word document that can be read (it may be damaged)",
            file=path,
            advice="open it in Word, save it again as .docx, and try again",
        )


_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


#: LibreOffice's "Block any links from documents not among the trusted locations": without
#: it, a picture linked (not embedded) from a web address is fetched while converting.
OFFLINE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def write_offline_profile(profile: Path) -> None:
    """Settings for the fresh soffice profile: nothing is fetched from the network."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(OFFLINE_SETTINGS, encoding="utf-8")


def _popen_group_kwargs() -> dict[str, object]:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop soffice and everything it started (soffice.bin runs as a child)."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
            capture_output=True,
            check=False,
        )
    else:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process that will not die
        proc.kill()


def _run_soffice(
    soffice: str,
    inputs: Sequence[Path],
    outdir: Path,
    profile: Path,
    timeout: float,
    convert_to: str = "pdf",
) -> tuple[int, str]:
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--norestore",
        "--convert-to",
        convert_to,
        "--outdir",
        str(outdir),
        *[str(p) for p in inputs],
    ]
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            **_popen_group_kwargs(),  # type: ignore[call-overload]
        )
    except OSError as exc:
        raise ToolMissingError(
            f"LibreOffice ({soffice}) could not be started ({exc.strerror or exc})",
            advice=INSTALL_ADVICE,
        ) from exc
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise InputError(
            f"LibreOffice took more than {timeout:.0f} seconds to turn "
            f"{', '.join(p.name for p in inputs)} into PDF and was stopped",
            advice="open the document in Word, save it as PDF and give scrtool the PDF",
        ) from None
    except BaseException:
        # Ctrl-C reaches scrtool but not soffice (its own process group): stop it too, or
        # it runs on after scrtool has gone and leaves its folder in the temp folder.
        _kill_group(proc)
        raise
    return proc.returncode, out.decode("utf-8", "replace").strip()


def convert_to_pdf(
    sources: Sequence[Path],
    outdir: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    soffice: str | None = None,
    convert_to: str = "pdf",
) -> list[Path]:
    """Convert documents to PDF in one soffice run; returns one PDF per source, in order.

    ``convert_to`` is soffice's ``--convert-to`` argument: plain ``pdf`` takes the
    export's defaults, ``pdf:writer_pdf_Export:{...}`` sets its options (see
    ``TAGGED_PDF``).

    The sources are copied under short numbered names first, so two documents with the
    same name in different folders cannot overwrite each other and odd characters in a
    name never reach the command line. The PDFs are written into ``outdir`` (normally a
    temporary folder) and each one is opened and counted before it is returned.
    """
    sources = [Path(s) for s in sources]
    if not sources:
        return []
    for src in sources:
        check_convertible(src)
    soffice = soffice or require_soffice(sources[0])
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="scrtool-soffice-") as work_name:
        work = Path(work_name)
        staged_dir = work / "in"
        converted = work / "out"
        profile = work / "profile"
        staged_dir.mkdir()
        converted.mkdir()
        write_offline_profile(profile)
        staged = []
        for i, src in enumerate(sources, start=1):
            copy = staged_dir / f"doc{i:03d}{src.suffix.lower()}"
            try:
                shutil.copyfile(src, copy)
            except OSError as exc:
                raise InputError(
                    f"cannot be read ({exc.strerror or exc})",
                    file=src,
                    advice="check it is not open elsewhere and that you may read it",
                ) from exc
            staged.append(copy)
        code, output = _run_soffice(soffice, staged, converted, profile, timeout, convert_to)
        results = []
        for src, copy in zip(sources, staged, strict=True):
            made = converted / (copy.stem + ".pdf")
            if not made.is_file() or made.stat().st_size == 0:
                detail = f" (LibreOffice said: {output[-300:]})" if output else ""
                raise UnreadableInputError(
                    f"LibreOffice could not turn it into PDF (exit code {code}){detail}",
                    file=src,
                    advice="open it in Word to check it is not damaged, or save it as PDF "
                    "and give scrtool the PDF",
                )
            pdf_page_count(made, source=src)
            target = outdir / f"{src.stem}.pdf"
            n = 1
            while target in results or target.exists():
                n += 1
                target = outdir / f"{src.stem}-{n}.pdf"
            shutil.move(str(made), target)
            results.append(target)
    return results
