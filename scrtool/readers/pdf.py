"""The one PDF reader every check uses: a PDF is read by every check or refused by every
check with the same sentence.

Pages are read with PDFium (``pdf_pages``): their text, and text under a box or out of
sight. The structure pypdf reads well (annotations, links, scripts, form fields,
attachments, bookmarks, metadata) is read with pypdf (``pdf_structure``), and earlier
versions kept by incremental saves are read again as PDFs of their own. Both libraries
open every file, so a file one of them cannot open is refused whichever check asks.
pypdf reads the pages themselves (annotations, page actions) only when something can be
on them: when PDFium counts an annotation, or the bytes cannot rule out a page action.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool.errors import Reason, UnreadableInputError
from scrtool.readers.model import Piece
from scrtool.readers.pdf_ahead import Loading, PagesAhead
from scrtool.readers.pdf_forms import (
    ENDLESS_ADVICE,
    ENDLESS_PROBLEM,
    ESCAPED_NAME,
    endless_drawing,
    may_hold_forms,
)
from scrtool.readers.pdf_objects import close_page, load_page
from scrtool.readers.pdf_pages import PageText, annotation_count, read_page, read_page_text
from scrtool.readers.pdf_structure import CORRUPT_ADVICE, Structure
from scrtool.readers.quiet import MAX_KEPT, library_messages, quiet_pypdf  # noqa: F401

MAX_EMBED_DEPTH = 2

PASSWORD_PROBLEM = "is password-protected, so scrtool cannot read it"
PASSWORD_ADVICE = (
    "it must be sent unencrypted: save a copy without the password (or export the report "
    "again from Word) and check that"
)
NO_TEXT_PROBLEM = (
    "has no text on any page (it looks like scanned pages or pictures), so scrtool cannot "
    "read what it says"
)
NO_TEXT_ADVICE = "check the Word document it was made from, or a PDF saved from Word"


@dataclass(frozen=True)
class PdfRead:
    """A PDF as read: each page's text and findings, the outline, and (when asked for)
    every other place text can hide. ``warnings`` are the libraries' own remarks on the
    file (a damaged object they worked round), kept for the JSON."""

    pages: tuple[PageText, ...]
    outline: tuple[tuple[int, int, str], ...]
    structure: tuple[Piece, ...] = ()
    warnings: tuple[str, ...] = ()
    #: The bytes read (for a check that looks at more of the same PDF, once).
    data: bytes = field(default=b"", compare=False, repr=False)

    @property
    def page_texts(self) -> list[str]:
        return [page.text for page in self.pages]

    def pieces(self) -> list[Piece]:
        """Every place, page by page first (page text, then what is hidden on the page)."""
        out: list[Piece] = []
        for number, page in enumerate(self.pages, start=1):
            if page.text.strip():
                out.append(Piece(page.text, f"page {number}"))
            out.extend(page.findings)
        out.extend(self.structure)
        return out


def _check_bytes(data: bytes, name: Path | str) -> None:
    if not data.strip():
        raise UnreadableInputError(
            "is empty",
            file=name,
            advice="check you named the right file, then try again",
            reason=Reason.EMPTY,
        )
    if b"%PDF-" not in data[:1024]:
        raise UnreadableInputError(
            "is not a PDF (it does not start with %PDF)",
            file=name,
            advice="check it is the PDF of the report, or save the report as PDF again",
        )


def _damaged(name: Path | str, detail: object = "") -> UnreadableInputError:
    extra = f" ({detail})" if detail else ""
    return UnreadableInputError(
        f"is damaged and cannot be read as a PDF{extra}", file=name, advice=CORRUPT_ADVICE
    )


def open_pdfium(data: bytes, name: Path | str) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise UnreadableInputError(
                PASSWORD_PROBLEM, file=name, advice=PASSWORD_ADVICE
            ) from None
        if getattr(exc, "err_code", None) == raw.FPDF_ERR_SUCCESS:
            raise UnreadableInputError("has no pages", file=name, advice=CORRUPT_ADVICE) from None
        raise _damaged(name) from None


def open_pypdf(data: bytes, name: Path | str, *, pages: bool = True) -> Any:
    """pypdf's reader on the same bytes; a file only an owner password restricts is
    opened with the empty password, as every PDF viewer opens it. Without ``pages`` the
    page tree is not walked (PDFium has counted the pages already)."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    def opened() -> Any:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                unlocked = bool(reader.decrypt(""))
            except (DependencyError, NotImplementedError):
                unlocked = False
            if not unlocked:
                raise UnreadableInputError(PASSWORD_PROBLEM, file=name, advice=PASSWORD_ADVICE)
        return reader

    reader = _pypdf_or_refuse(opened, name)
    if pages:
        count_pages(reader, name)
    return reader


#: pypdf's readers whose drawings were followed already (``scrtool package`` opens each
#: input once, then reads it for its checks: the forms are followed once).
_DRAWINGS_FOLLOWED: weakref.WeakSet[Any] = weakref.WeakSet()


def refuse_endless_drawings(data: bytes, reader: Any, name: Path | str) -> None:
    """Refuse a PDF whose pages draw without end (``pdf_forms``) before PDFium lays out
    a page of it."""
    if reader in _DRAWINGS_FOLLOWED:
        return
    if may_hold_forms(data) and _pypdf_or_refuse(lambda: endless_drawing(reader), name):
        raise UnreadableInputError(ENDLESS_PROBLEM, file=name, advice=ENDLESS_ADVICE)
    _DRAWINGS_FOLLOWED.add(reader)


def count_pages(reader: Any, name: Path | str) -> int:
    """pypdf's count of the pages, walking the page tree (a tree it cannot walk is a
    damaged file, refused with the sentence every check gives)."""
    count: int = _pypdf_or_refuse(lambda: len(reader.pages), name)
    if count == 0:
        raise UnreadableInputError("has no pages", file=name, advice=CORRUPT_ADVICE)
    return count


def _pypdf_or_refuse(step: Any, name: Path | str) -> Any:
    from pypdf.errors import PdfReadError

    try:
        return step()
    except UnreadableInputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise _damaged(name, exc) from None
    except RecursionError:
        raise _damaged(name) from None
    except Exception as exc:  # pypdf raises many types for a broken page tree
        raise _damaged(name, f"{type(exc).__name__}: {exc}") from None


def _pages_plain(data: bytes) -> bool:
    """Whether the file's own bytes show that no page carries an action (``/AA``): one
    revision, no object streams (every dictionary is in the bytes as written), no ``/AA``
    and no #-escaped name anywhere. Then, with PDFium counting no annotation on any page,
    pypdf need not read the pages at all: nothing on them is left for it to find. A
    chance match inside a compressed stream only means the pages are read as before."""
    return (
        b"/AA" not in data
        and b"/ObjStm" not in data
        and data.count(b"%%EOF") == 1
        and ESCAPED_NAME.search(data) is None
    )


#: What pypdf said while opening a reader that is then shared (see ``read_pdf_bytes``).
_OPENING: weakref.WeakKeyDictionary[Any, tuple[str, ...]] = weakref.WeakKeyDictionary()


def remember_opening(reader: Any, messages: list[str]) -> None:
    """Keep what pypdf said while ``reader`` was opened, for the checks that share it."""
    _OPENING[reader] = tuple(messages)


def opening_messages(reader: Any) -> tuple[str, ...]:
    return _OPENING.get(reader, ())


def lay_out_ahead(inputs: Sequence[tuple[bytes, Path | str, Any]]) -> Loading:
    """The thread that lays out the pages of each PDF in ``inputs`` (its bytes, its name
    and a pypdf reader opened on them) ahead of ``read_pdf_bytes``, which is then given
    the PDF's ``PagesAhead`` (see ``pdf_ahead``). Each PDF is opened by PDFium and
    refused, with the sentence its check would give, before the thread starts: one that
    is damaged, or whose pages draw without end. Start the thread with ``with``; after
    it, close with ``close_unclaimed`` what no reader took over."""
    documents: list[PagesAhead] = []
    try:
        for data, name, reader in inputs:
            _check_bytes(data, name)
            kept: list[str] = []
            with library_messages(kept):
                document = open_pdfium(data, name)
                documents.append(PagesAhead(document))
                refuse_endless_drawings(data, reader, name)
            documents[-1].messages = tuple(kept)
    except BaseException:
        for ahead in documents:
            ahead.document.close()
        raise
    return Loading(documents)


def open_pdf(data: bytes, *, name: Path | str, load_pages: bool = False) -> Any:
    """The pypdf reader of a PDF that passes every check of this policy (both libraries
    open it, no password needed); the bundle copies pages from it. With ``load_pages``
    PDFium loads every page too, so a check that reads no page text (accessibility)
    refuses a damaged page with the sentence the checks that read pages give."""
    _check_bytes(data, name)
    with library_messages():
        document = open_pdfium(data, name)
        try:
            reader = open_pypdf(data, name)
            refuse_endless_drawings(data, reader, name)
            for index in range(len(document) if load_pages else 0):
                try:
                    close_page(load_page(document, index))
                except Exception as exc:  # pdfium raises PdfiumError for a broken page
                    raise _damaged_page(name, index, exc) from None
        finally:
            document.close()
        return reader


def _outline(document: Any) -> tuple[tuple[int, int, str], ...]:
    """(page index, level from 1, title) of each bookmark, in document order."""
    out = []
    try:
        for item in document.get_toc(max_depth=32):
            title = " ".join((item.get_title() or "").split())
            dest = item.get_dest()
            index = dest.get_index() if dest is not None else None
            if title and index is not None and index >= 0:
                out.append((index, item.level + 1, title))
    except Exception:  # a broken outline must not stop a check: the pages are still read
        return tuple(out)
    return tuple(out)


def read_pdf_bytes(
    data: bytes,
    name: Path | str,
    *,
    structure: bool = True,
    depth: int = 0,
    revisions: bool = True,
    require_text: bool = True,
    reader: Any = None,
    ahead: PagesAhead | None = None,
    known: Mapping[int, str] | None = None,
) -> PdfRead:
    """Read a PDF's pages (and, with ``structure``, every other place) under the policy.

    ``reader`` is pypdf's reader already opened on ``data`` (the second check of
    ``scrtool package`` reads the bundle's structure from it), with what pypdf said
    while opening it (``remember_opening``) kept as if it had been opened here.
    ``ahead``: the PDF opened, and its first pages laid out, by ``lay_out_ahead``.
    ``known``: pages (by index) whose text the caller has shown to be the given text and
    nothing else (the second check's unchanged pages): they are not laid out."""
    _check_bytes(data, name)
    kept: list[str] = []
    if ahead is not None and ahead.claimed:  # closed already (``Loading.close_unclaimed``)
        ahead = None
    with library_messages(kept):
        if ahead is None:
            document = open_pdfium(data, name)
        else:
            document = ahead.document
            ahead.claimed = True
            kept.extend(m for m in ahead.messages if m not in kept)
        # Without page actions (see ``_pages_plain``), pypdf reads the pages only if PDFium
        # counts an annotation on one of them.
        plain = structure and reader is None and _pages_plain(data)
        annotated = not plain
        try:
            if reader is None:
                reader = open_pypdf(data, name, pages=structure and not plain)
            else:
                for message in opening_messages(reader):
                    if message not in kept and len(kept) < MAX_KEPT:
                        kept.append(message)
            if ahead is None:  # else refused by ``lay_out_ahead`` already
                refuse_endless_drawings(data, reader, name)
            pages: list[PageText] = []
            for index in range(len(document)):
                if known and index in known:
                    pages.append(PageText(known[index], ()))
                    continue
                page, textpage = (ahead.take(index) if ahead else None) or (None, None)
                if not structure:  # the words alone: no page objects to make and close
                    try:
                        if page is None:
                            page = load_page(document, index)
                    except Exception as exc:  # pdfium raises PdfiumError for a broken page
                        raise _damaged_page(name, index, exc) from None
                    try:
                        pages.append(read_page_text(page, textpage=textpage))
                    except Exception as exc:
                        raise _damaged_page(name, index, exc) from None
                    finally:
                        close_page(page)
                    continue
                try:
                    if page is None:
                        page = load_page(document, index)
                    pages.append(read_page(page, index + 1, hidden=structure, textpage=textpage))
                    annotated = annotated or annotation_count(page) > 0
                except UnreadableInputError:
                    raise
                except Exception as exc:  # PDFium could not load a broken page or its text
                    raise _damaged_page(name, index, exc) from None
                finally:
                    if page is not None:
                        close_page(page)
            outline = _outline(document)
        finally:
            if ahead is not None:
                ahead.close_rest()
            document.close()
        if require_text and not any(p.text.strip() for p in pages):
            # A scanned report: passing it would say nothing was found where nothing was read.
            raise UnreadableInputError(NO_TEXT_PROBLEM, file=name, advice=NO_TEXT_ADVICE)
        parts: list[Piece] = []
        if structure:
            if annotated and plain:
                count_pages(reader, name)
            parts = _structure(reader, name, depth, pages=annotated)
            if revisions:
                parts.extend(_revisions(data, name, depth, [p.text for p in pages]))
    return PdfRead(tuple(pages), outline, tuple(parts), tuple(kept), data=data)


def _damaged_page(name: Path | str, index: int, exc: Exception) -> UnreadableInputError:
    return UnreadableInputError(
        f"page {index + 1} is damaged and its text cannot be read ({exc})",
        file=name,
        advice=CORRUPT_ADVICE,
    )


def _structure(reader: Any, name: Path | str, depth: int, *, pages: bool = True) -> list[Piece]:
    """The document's own places, and (with ``pages``) each page's annotations and actions."""
    found = Structure(reader, name, depth, embedded_pieces)
    per_page: list[Piece] = []
    for number, page in enumerate(reader.pages if pages else (), start=1):
        per_page.extend(found.read_page_parts(page, number))
    return per_page + found.read_document_parts()


def read_pdf(
    path: Path | str,
    *,
    structure: bool = True,
    data: bytes | None = None,
    reader: Any = None,
    ahead: PagesAhead | None = None,
) -> PdfRead:
    """Read a PDF file (``data``: its bytes, read already; ``reader`` and ``ahead``: see
    ``read_pdf_bytes``)."""
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise UnreadableInputError(
                f"cannot be read ({exc.strerror or exc})", file=path
            ) from exc
    return read_pdf_bytes(data, path, structure=structure, reader=reader, ahead=ahead)


def _revisions(data: bytes, name: Path | str, depth: int, final_texts: list[str]) -> list[Piece]:
    """Incremental saves keep every earlier version after the first %%EOF."""
    ends = [m.end() for m in re.finditer(rb"%%EOF", data)]
    if len(ends) < 2:
        return []
    earlier = ends[:-1]
    if b"/Linearized" in data[:2048]:
        earlier = earlier[1:]
    final_lines = {" ".join(line.split()) for text in final_texts for line in text.splitlines()}
    pieces: list[Piece] = []
    for number, end in enumerate(earlier, start=1):
        where = f"earlier revision {number} of {len(earlier) + 1}"
        old_pieces: list[Piece] = []
        changed: list[str] = []
        try:
            old = read_pdf_bytes(
                data[:end], name, depth=depth + 1, revisions=False, require_text=False
            )
            old_pieces = old.pieces()
            for text in old.page_texts:
                for line in text.splitlines():
                    norm = " ".join(line.split())
                    if norm and norm not in final_lines:
                        changed.append(norm)
        except UnreadableInputError:
            pass
        shown = (
            "text since removed: " + " / ".join(changed)
            if changed
            else f"an earlier version of the file ({end:,} bytes) is kept inside it"
        )
        pieces.append(Piece("\n".join(changed), where, kind="revision-history", shown=shown))
        for piece in old_pieces:
            if piece.kind in (None, "metadata") or piece.scan:
                pieces.append(
                    Piece(
                        piece.text,
                        f"{where}, {piece.location}",
                        scan=piece.scan and piece.kind is None,
                    )
                )
    return pieces


def embedded_pieces(data: bytes, filename: str, where: str, depth: int) -> list[Piece]:
    """Text inside an attached file: a PDF, an Office document, or plain text. Other
    binary data is never scanned as text."""
    if depth >= MAX_EMBED_DEPTH:
        return []
    if b"%PDF-" in data[:1024]:
        try:
            inner = read_pdf_bytes(data, where, depth=depth + 1, revisions=False)
        except UnreadableInputError:
            return [
                Piece(where, where, kind="attachment", severity="medium", scan=False,
                      shown="an attached PDF that cannot be read: check it by hand")
            ]  # fmt: skip
        return [
            Piece(p.text, f"{where}: {p.location}", p.kind, p.severity, p.scan, p.shown)
            for p in inner.pieces()
        ]
    from scrtool.readers.docx import embedded_text_pieces

    if data.startswith(b"PK") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return embedded_text_pieces(data, where, depth)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    if "\x00" in text:
        return []
    return [Piece(text, where)] if text.strip() else []


def pdf_pieces(path: Path) -> list[Piece]:
    """Every place in a PDF where text can hide, as pieces (see ``read_pdf``)."""
    return read_pdf(path).pieces()


class PdfInspector:
    """``read_pdf_bytes`` for callers that hold the bytes (kept for older callers)."""

    def __init__(self, data: bytes, name: Path | str, depth: int = 0) -> None:
        self.data = data
        self.name = name
        self.depth = depth
        self.page_texts: list[str] = []

    def read(self, *, revisions: bool = True) -> list[Piece]:
        done = read_pdf_bytes(
            self.data, self.name, depth=self.depth, revisions=revisions, require_text=False
        )
        self.page_texts = done.page_texts
        return done.pieces()


__all__ = [
    "forget_extracted",
    "PdfInspector",
    "PdfRead",
    "embedded_pieces",
    "open_pdf",
    "pdf_pieces",
    "quiet_pypdf",
    "read_pdf",
    "read_pdf_bytes",
]


def forget_extracted() -> None:
    """Nothing is kept between readings any more (``scrtool package`` shares one reading
    explicitly, ``bundle.preflight.read_inputs``); kept so older benchmarks still run."""
