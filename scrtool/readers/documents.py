"""One entry point for every check that reads a report: ``.docx``, ``.pdf``, ``.md``, ``.txt``.

``read_file(path)`` reads a file once into the document model (``readers.model``): the
visible paragraphs that readability judges and every place that redaction scans, from
the same opening of the file under the same safety policy. So a file is read by every
check or refused by every check with the same sentence, and ``scrtool package`` reads
each file once for all its checks. ``read_document(path)`` is the visible text alone.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from scrtool.errors import InputError, Reason, UnreadableInputError
from scrtool.readers.model import (  # noqa: F401  (the model, as other modules import it)
    Document,
    Paragraph,
    Piece,
    ReadFile,
    Section,
    join_paragraphs,
)
from scrtool.readers.paragraphs import (  # noqa: F401
    _pdf_paragraphs,
    _read_markdown,
    _read_plain,
    describe_location,
    strip_markdown_inline,
)
from scrtool.readers.text import RESAVE as _RESAVE
from scrtool.readers.text import read_text_file

SUPPORTED_SUFFIXES = (".docx", ".pdf", ".md", ".txt")

NO_TEXT_ADVICE = (
    "if it holds only pictures or scanned pages, check the Word document the text was "
    "written in, or a PDF saved from it, and try again"
)
#: A .docx with no text: it is the Word document already.
NO_TEXT_DOCX_ADVICE = (
    "if it holds only pictures or scanned pages, type the text in Word (or paste it in "
    "as text, not as a picture), save it and try again"
)


def check_path(path: Path, *, suffixes: tuple[str, ...] = SUPPORTED_SUFFIXES) -> None:
    """The file exists, is a file and is a kind scrtool reads: else one plain sentence."""
    if not path.exists():
        raise InputError(
            "does not exist",
            file=path,
            advice="check the file name and folder, then try again",
            reason=Reason.MISSING,
        )
    if path.is_dir():
        raise InputError(
            "is a folder, not a file",
            file=path,
            advice="name the report files themselves",
            reason=Reason.NOT_A_FILE,
        )
    if path.suffix.lower() not in suffixes:
        raise InputError(
            f'is a "{path.suffix or "(no extension)"}" file, which scrtool cannot read',
            file=path,
            advice="save it as a Word document (.docx) or PDF and try again",
        )


def check_not_empty(path: Path) -> None:
    """A file of 0 bytes (a failed copy, a file still downloading) is refused by name."""
    try:
        empty = path.stat().st_size == 0
    except OSError as exc:
        raise UnreadableInputError(f"cannot be opened ({exc.strerror or exc})", file=path) from None
    if empty:
        raise UnreadableInputError(
            "is empty (0 bytes)",
            file=path,
            advice="check you named the right file, then try again",
            reason=Reason.EMPTY,
        )


def read_file(
    path: str | Path,
    *,
    visible: bool = True,
    hidden: bool = True,
    require_text: bool = True,
    data: bytes | None = None,
    pdf_reader: Any = None,
    pdf_ahead: Any = None,
) -> ReadFile:
    """Read a report once: its visible paragraphs (``visible``) and every place text can
    hide (``hidden``). Raises ``InputError`` for a missing file or an unknown kind and
    ``UnreadableInputError`` for one that is encrypted, damaged, hostile or empty.

    Without ``require_text`` a .docx, .md or .txt with no visible text (or a .docx whose
    body cannot be laid out as paragraphs) is read with an empty document rather than
    refused: the draft check still judges its other places (a PDF without text is
    refused either way). ``data`` is the file's bytes when the caller has read them;
    ``pdf_reader`` pypdf's reader opened on those bytes and ``pdf_ahead`` the PDF's
    pages laid out already (see ``scrtool.readers.pdf.read_pdf_bytes``)."""
    path = Path(path)
    check_path(path)
    check_not_empty(path)
    suffix = path.suffix.lower()
    warnings: tuple[str, ...] = ()
    paragraphs: list[Paragraph] = []
    pieces: list[Piece] = []
    package = None
    pdf_bytes = None
    if suffix == ".docx":
        paragraphs, pieces, package = _docx(path, visible, hidden, require_text)
    elif suffix == ".pdf":
        from scrtool.readers.pdf import read_pdf

        read = read_pdf(path, structure=hidden, data=data, reader=pdf_reader, ahead=pdf_ahead)
        warnings = read.warnings
        pdf_bytes = read.data
        if visible:
            paragraphs = _pdf_paragraphs(read.page_texts, list(read.outline))
        if hidden:
            pieces = read.pieces()
    else:
        text = read_text_file(path)
        if visible:
            paragraphs = _read_markdown(text) if suffix == ".md" else _read_plain(text)
        if hidden:
            pieces = text_pieces(text, markdown=suffix == ".md")
    document = None
    if visible:
        if require_text and not any(p.text.strip() for p in paragraphs):
            raise UnreadableInputError(
                "has no text that scrtool can read",
                file=path,
                advice=NO_TEXT_DOCX_ADVICE if suffix == ".docx" else NO_TEXT_ADVICE,
            )
        document = Document(path=path, kind=suffix.lstrip("."), paragraphs=tuple(paragraphs))
    return ReadFile(
        path=path,
        document=document,
        pieces=tuple(pieces),
        warnings=warnings,
        package=package,
        pdf_bytes=pdf_bytes,
    )


def _docx(
    path: Path, visible: bool, hidden: bool, require_text: bool = True
) -> tuple[list[Paragraph], list[Piece], Any]:
    from scrtool.readers.docx import DocxReader
    from scrtool.readers.quiet import library_messages
    from scrtool.readers.safety import one_budget
    from scrtool.readers.visible_docx import read_docx_paragraphs

    try:
        # One snapshot of the file: every part, for every check, comes from these bytes.
        data: bytes | None = path.read_bytes()
    except OSError:
        data = None  # the package's own opening says why, in its words
    with library_messages(), one_budget():
        reader = DocxReader(path, data)  # one opening of the package, one policy, for all
        # Every check refuses a declaration in any part, whichever parts it then reads.
        reader.package.refuse_declarations()
        pieces = reader.read() if hidden else []
        paragraphs: list[Paragraph] = []
        if visible:
            try:
                paragraphs = read_docx_paragraphs(path, reader.package)
            except UnreadableInputError:
                if require_text or not hidden:
                    raise
    return paragraphs, pieces, reader.package


def read_document(path: str | Path) -> Document:
    """The visible text of a ``.docx``, ``.pdf``, ``.md`` or ``.txt`` file."""
    document = read_file(path, hidden=False).document
    assert document is not None
    return document


def text_pieces(text: str, *, markdown: bool) -> list[Piece]:
    """A .txt or .md file, a piece a paragraph so names may run over a line break; a
    Markdown comment (which no reader sees) is a finding."""
    pieces: list[Piece] = []
    if markdown:
        for m in re.finditer(r"<!--(.*?)-->", text, re.DOTALL):
            if m.group(1).strip():
                line = text.count("\n", 0, m.start()) + 1
                pieces.append(
                    Piece(m.group(1).strip(), f"line {line} (hidden comment)", kind="hidden-text")
                )
    line = 1
    for block in re.split(r"(\n[ \t]*\n)", text):
        if block.strip() and not block.isspace():
            pieces.append(Piece(block, f"line {line}", first_line=line))
        line += block.count("\n")
    return pieces


__all__ = [
    "SUPPORTED_SUFFIXES",
    "Document",
    "Paragraph",
    "ReadFile",
    "Section",
    "_RESAVE",
    "check_not_empty",
    "check_path",
    "describe_location",
    "join_paragraphs",
    "read_document",
    "read_file",
    "strip_markdown_inline",
    "text_pieces",
]
