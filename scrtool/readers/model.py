"""What every reader produces: the document model the checks read.

- ``Piece``: text from one place in a file, visible or not (a comment, a property, text
  under a black box), with that place. Redaction reads every piece; draft and
  accessibility read them too.
- ``Paragraph``, ``Section``, ``Document``: the text a reader sees, paragraph by
  paragraph in reading order, with heading levels and places. Readability reads these.
- ``ReadFile``: both, from one reading of one file, plus the libraries' warnings, so
  ``scrtool package`` reads each file once for all its checks.

A reader never needs to know which check is asking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Piece:
    """Text from one place in a document.

    ``kind`` is set when the place itself is a finding whatever the text says (a comment,
    a tracked change, a document property); ``scan`` says whether the text is also
    searched for names and identifiers (off where the same text is scanned elsewhere,
    such as a tracked insertion that is part of its paragraph). ``shown`` replaces the
    text in the finding (a file name rather than the file's bytes). ``first_line``
    makes the location a line number counted from there.
    """

    text: str
    location: str
    kind: str | None = None
    severity: str = "high"
    scan: bool = True
    shown: str | None = None
    first_line: int | None = None


#: Sentence-ending punctuation (closing quotes and brackets may follow it).
_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of visible text.

    ``heading_level`` is 1-9 for a heading, None for body text. ``section`` is the
    heading the paragraph sits under (for a heading, its own text; None before the first
    heading). ``number`` counts paragraphs within the section (or the page, for a PDF
    without an outline), from 1. ``location`` says all that in words.
    """

    text: str
    heading_level: int | None
    section: str | None
    location: str
    number: int = 0
    page: int | None = None

    @property
    def is_heading(self) -> bool:
        return self.heading_level is not None


@dataclass(frozen=True)
class Section:
    """A heading and the body paragraphs under it, up to the next heading of any level."""

    heading: str | None
    level: int | None
    paragraphs: tuple[Paragraph, ...]

    @property
    def text(self) -> str:
        return join_paragraphs(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Document:
    path: Path
    kind: str
    paragraphs: tuple[Paragraph, ...] = field(repr=False)

    @property
    def text(self) -> str:
        """Every paragraph, headings included, one a line (see ``join_paragraphs``)."""
        return join_paragraphs(p.text for p in self.paragraphs)

    @property
    def sections(self) -> tuple[Section, ...]:
        """Sections by heading (body text before the first heading is a section headed None).

        A PDF without bookmarks has a section per page ("Page 3"); any other document
        without headings has none.
        """
        if not any(p.is_heading for p in self.paragraphs):
            if self.kind != "pdf":
                return ()
            pages: dict[int, list[Paragraph]] = {}
            for para in self.paragraphs:
                pages.setdefault(para.page or 0, []).append(para)
            return tuple(Section(f"Page {n}", None, tuple(ps)) for n, ps in pages.items())
        out: list[Section] = []
        heading: str | None = None
        level: int | None = None
        body: list[Paragraph] = []
        started = False
        for para in self.paragraphs:
            if para.is_heading:
                if started or body:
                    out.append(Section(heading, level, tuple(body)))
                heading, level, body, started = para.text, para.heading_level, [], True
            else:
                body.append(para)
        if started or body:
            out.append(Section(heading, level, tuple(body)))
        return tuple(out)


def join_paragraphs(texts: Iterable[str]) -> str:
    """One paragraph a line, each ending as a sentence.

    Headings, table cells and list items seldom end with a full stop; joined as they are,
    a readability formula would read each into the next sentence. A full stop is added
    where a paragraph has no closing punctuation, and nothing else changes.
    """
    lines = []
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if not _ENDS_SENTENCE.search(text):
            text += "."
        lines.append(text)
    return "\n".join(lines)


@dataclass(frozen=True)
class ReadFile:
    """One file read once for every check: its visible ``document`` (None for a check
    that needs no paragraphs), every place as ``pieces``, and the libraries' warnings."""

    path: Path
    document: Document | None
    pieces: tuple[Piece, ...]
    warnings: tuple[str, ...] = ()
    #: A .docx's package as opened for this reading (``readers.safety.Package``), so a
    #: check that reads more of it (draft: runs styled as placeholders, watermarks)
    #: reads it from the same opening under the same policy.
    package: Any = field(default=None, compare=False, repr=False)
    #: A PDF's bytes as read, so a check that looks at more of it (draft: pictures under
    #: a heading) reads the same bytes.
    pdf_bytes: bytes | None = field(default=None, compare=False, repr=False)


#: Scripts written without spaces between words (Japanese kana, Chinese and Japanese
#: characters, Thai): a name in them ends where it ends, whatever letter comes next.
UNSPACED = (
    "\u0e00-\u0e7f\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
)
