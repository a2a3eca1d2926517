"""PDF pages laid out ahead, on a second thread, while the first thread does other work.

Most of the time PDFium takes to read a page goes on two calls: laying out the page
(``FPDF_LoadPage``) and laying out its text (``FPDFText_LoadPage``). Neither needs
Python while it runs, so a second thread can make them while the first does work that
needs no PDFium: ``scrtool package`` assembles the bundle and compares it with its
inputs (pypdf) while the inputs' pages are laid out here. The reader then takes each
page as it comes to it (``PagesAhead.take``) and lays out itself any page not reached.

PDFium must never be called from two threads at once (it is not thread-safe, not even
for two documents). So a document is opened, and checked for drawings without end,
before the thread starts, the thread makes only those two calls, and the thread that
started it makes no PDFium call until ``stop`` has returned: every PDFium call of the
work it overlaps is made before ``start`` or after ``stop``.

While both threads run, Python hands the interpreter from one to the other every 50
microseconds rather than every 5 milliseconds: a page's layout takes about half a
millisecond, and at the usual interval the loading thread, back from PDFium, waited
most of its time for the other thread to let it go on.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import Any

from scrtool.readers.pdf_objects import pdfium_calls

#: How many pages are laid out ahead at most, in all (each holds its layout in memory
#: until it is read).
MAX_PAGES_AHEAD = 400
#: How often Python hands the interpreter between the two threads while both run.
SWITCH_INTERVAL = 50e-6


class PagesAhead:
    """One document's pages laid out ahead: PDFium's handles of (page, text page), from
    the first page on, as far as the thread got."""

    def __init__(self, document: Any, messages: Sequence[str] = ()) -> None:
        self.document = document
        self.pages: list[tuple[Any, Any]] = []
        #: What the libraries said while the document was opened (the file's warnings).
        self.messages = tuple(messages)
        #: Whether a reader has taken the document over (it then closes it).
        self.claimed = False
        self._taken = 0

    def take(self, index: int) -> tuple[Any, Any] | None:
        """The handles of page ``index`` if it was laid out ahead, else None (the reader
        lays it out). The caller closes what it takes; pages are taken in order."""
        if index != self._taken or index >= len(self.pages):
            return None
        self._taken += 1
        return self.pages[index]

    def close_rest(self) -> None:
        """Close the pages laid out but not taken (the document is the reader's to close)."""
        raw = pdfium_calls().raw
        for page, textpage in self.pages[self._taken :]:
            if textpage:
                raw.FPDFText_ClosePage(textpage)
            raw.FPDF_ClosePage(page)
        self._taken = len(self.pages)


class Loading:
    """The thread that lays out pages of ``documents`` ahead, first to last, until it is
    stopped or has laid out ``limit`` pages. Use as a context manager around the work
    it overlaps (which must make no PDFium call)."""

    def __init__(self, documents: Sequence[PagesAhead], limit: int = MAX_PAGES_AHEAD) -> None:
        self.documents = list(documents)
        self.limit = limit
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scrtool-pages-ahead", daemon=True)
        self._interval: float | None = None

    def _run(self) -> None:
        raw = pdfium_calls().raw
        left = self.limit
        for ahead in self.documents:
            if left <= 0 or ahead.claimed:
                return
            handle = getattr(ahead.document, "raw", ahead.document)
            for index in range(raw.FPDF_GetPageCount(handle)):
                if left <= 0 or self._stopping.is_set():
                    return
                page = raw.FPDF_LoadPage(handle, index)
                if not page:
                    return  # a damaged page: the reader lays it out and says so
                textpage = raw.FPDFText_LoadPage(page)
                ahead.pages.append((page, textpage))
                left -= 1
                if not textpage:
                    return

    def start(self) -> None:
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))
        self._thread.start()

    def stop(self) -> None:
        """Stop laying out pages and wait for the page being laid out; after this the
        calling thread may call PDFium again."""
        self._stopping.set()
        self._thread.join()
        if self._interval is not None:
            sys.setswitchinterval(self._interval)
            self._interval = None

    def close_unclaimed(self) -> None:
        """Close every document no reader took over, and its pages (after ``stop``)."""
        for ahead in self.documents:
            if not ahead.claimed:
                ahead.claimed = True
                ahead.close_rest()
                ahead.document.close()

    def __enter__(self) -> Loading:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
