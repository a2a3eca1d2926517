"""The visible text of a report, paragraph by paragraph, in reading order.

Checks must judge what a reader sees, so this reader leaves out what Word keeps but does
not show in the body: headers and footers, tables of contents, field codes, hidden text
and tracked deletions. Each paragraph keeps its heading level and where it is (section
and paragraph, or page), so a finding can send the author to the right place.

``read_document(path)`` reads ``.docx``, ``.pdf``, ``.md`` and ``.txt`` files.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool.errors import InputError, UnreadableInputError

SUPPORTED_SUFFIXES = (".docx", ".pdf", ".md", ".txt")

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


def read_document(path: str | Path) -> Document:
    """Read the visible text of a ``.docx``, ``.pdf``, ``.md`` or ``.txt`` file.

    Raises ``InputError`` for a missing file or a kind scrtool does not read, and
    ``UnreadableInputError`` for a file that is encrypted, damaged, empty, or not the
    kind its name says.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(
            "does not exist", file=path, advice="check the file name and folder, then try again"
        )
    if path.is_dir():
        raise InputError("is a folder, not a file", file=path, advice="name the document itself")
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f'is a "{suffix or "(no extension)"}" file, which scrtool cannot read',
            file=path,
            advice="save it as a Word document (.docx) or PDF and try again",
        )
    try:
        head = _head(path)
    except OSError as exc:
        raise UnreadableInputError(
            f"cannot be opened ({exc.strerror or exc})",
            file=path,
            advice="close it in any program that has it open, check you may read it, and try again",
        ) from None
    if not head:
        raise UnreadableInputError("is empty (0 bytes)", file=path, advice=_RESAVE)
    if suffix == ".docx":
        paragraphs = _read_docx(path, head)
    elif suffix == ".pdf":
        paragraphs = _read_pdf(path, head)
    else:
        text = _read_text_file(path)
        paragraphs = _read_markdown(text) if suffix == ".md" else _read_plain(text)
    if not any(p.text.strip() for p in paragraphs):
        raise UnreadableInputError(
            "has no text that scrtool can read",
            file=path,
            advice=(
                "if it holds only pictures or scanned pages, save the report from Word as a "
                "PDF (or check the .docx itself) and try again"
            ),
        )
    return Document(path=path, kind=suffix.lstrip("."), paragraphs=tuple(paragraphs))


_RESAVE = "open it, save it again in its proper format, and try again"


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(1024)


# --- locations ------------------------------------------------------------------------


def describe_location(section: str | None, number: int, page: int | None = None) -> str:
    parts = []
    if page is not None:
        parts.append(f"page {page}")
    if section:
        parts.append(f'section "{_short(section)}"')
    if (page is None or not section) and number:
        parts.append(f"paragraph {number}")
    return ", ".join(parts)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Numbering:
    """Gives each paragraph its section and its number within the section."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.number = 0
        self.out: list[Paragraph] = []

    def add(self, text: str, level: int | None = None, page: int | None = None) -> None:
        text = " ".join(text.split())
        if not text:
            return
        if level is not None:
            self.section = text
            self.number = 0
            location = f'heading "{_short(text)}"' + (f", page {page}" if page else "")
            self.out.append(Paragraph(text, level, text, location, 0, page))
            return
        self.number += 1
        location = describe_location(self.section, self.number, page)
        self.out.append(Paragraph(text, None, self.section, location, self.number, page))


# --- .docx ------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _R, _T, _TBL, _TR, _TC = (_W + n for n in ("p", "r", "t", "tbl", "tr", "tc"))
_SDT, _SDT_CONTENT, _SDT_PR = _W + "sdt", _W + "sdtContent", _W + "sdtPr"
_PPR, _RPR, _PSTYLE, _OUTLINE = _W + "pPr", _W + "rPr", _W + "pStyle", _W + "outlineLvl"
_FLDCHAR, _INSTR, _FLDSIMPLE = _W + "fldChar", _W + "instrText", _W + "fldSimple"
_VAL, _TYPE, _INSTR_ATTR = _W + "val", _W + "fldCharType", _W + "instr"
#: Containers whose runs are shown: links, insertions, moved-to text, smart tags.
_RUN_CONTAINERS = frozenset(
    _W + n for n in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "dir", "bdo")
)
#: Containers of paragraphs and tables in the body.
_BLOCK_CONTAINERS = frozenset(_W + n for n in ("customXml", "ins", "moveTo", "txbxContent"))
_HIDDEN = frozenset(_W + n for n in ("vanish", "webHidden", "specVanish"))
#: Fields whose results are lists made by Word, not the author's prose.
_SKIPPED_FIELDS = ("TOC", "INDEX", "TOA")
_CHAR = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_TOC_NAME = re.compile(r"^(toc\s*[1-9]|toc heading|table of figures)$", re.IGNORECASE)


def _xml_parser() -> Any:
    from lxml import etree

    # No entities, no DTDs, no network: a hostile document cannot reach outside itself.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_comments=True,
    )


def _parse_part(zf: zipfile.ZipFile, name: str, path: Path) -> Any:
    from lxml import etree

    try:
        data = zf.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise UnreadableInputError(
            f"is damaged ({name} cannot be read: {exc})", file=path, advice=_RESAVE
        ) from None
    try:
        return etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise UnreadableInputError(
            f"is damaged ({name} is not well-formed: {exc})", file=path, advice=_RESAVE
        ) from None


@dataclass
class _StyleInfo:
    name: str
    based_on: str | None
    outline: int | None


def _style_levels(styles_root: Any) -> tuple[dict[str, int], set[str]]:
    """Heading level for each paragraph style id, and the ids of table-of-contents styles."""
    if styles_root is None:
        return {}, set()
    infos: dict[str, _StyleInfo] = {}
    for style in styles_root.iterfind(_W + "style"):
        if style.get(_W + "type") not in (None, "paragraph"):
            continue
        style_id = style.get(_W + "styleId")
        if not style_id:
            continue
        name_el = style.find(_W + "name")
        based = style.find(_W + "basedOn")
        outline_el = style.find(f"{_PPR}/{_OUTLINE}")
        infos[style_id] = _StyleInfo(
            name=(name_el.get(_VAL) if name_el is not None else style_id) or style_id,
            based_on=based.get(_VAL) if based is not None else None,
            outline=_outline_level(outline_el),
        )

    levels: dict[str, int] = {}
    toc: set[str] = set()
    for style_id in infos:
        seen: set[str] = set()
        current: str | None = style_id
        level = None
        while current and current in infos and current not in seen:
            seen.add(current)
            info = infos[current]
            if _TOC_NAME.match(info.name.strip()):
                toc.add(style_id)
                break
            match = _HEADING_NAME.match(info.name.strip())
            if info.outline is not None:
                level = info.outline
                break
            if match:
                level = int(match.group(1))
                break
            current = info.based_on
        if level is not None and style_id not in toc:
            levels[style_id] = level
    return levels, toc


def _outline_level(el: Any) -> int | None:
    """``w:outlineLvl`` 0-8 is heading level 1-9; 9 means body text."""
    if el is None:
        return None
    try:
        value = int(el.get(_VAL, ""))
    except ValueError:
        return None
    return value + 1 if 0 <= value <= 8 else None


class _Field:
    __slots__ = ("instr", "separated")

    def __init__(self) -> None:
        self.instr = ""
        self.separated = False

    @property
    def skipped(self) -> bool:
        return self.instr.strip().upper().startswith(_SKIPPED_FIELDS)


class _DocxReader:
    def __init__(
        self,
        levels: dict[str, int],
        toc_styles: set[str],
        hidden_styles: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        self.levels = levels
        self.toc_styles = toc_styles
        self.hidden_styles = hidden_styles
        #: The paragraph's style hides its text (a run may show it again).
        self.paragraph_hidden = False
        self.fields: list[_Field] = []
        self.numbering = _Numbering()

    # Text is hidden while any open field is in its instruction part, or is a TOC.
    def _in_hidden_field(self) -> bool:
        return any((not f.separated) or f.skipped for f in self.fields)

    def blocks(self, parent: Any) -> None:
        for child in parent:
            tag = child.tag
            if tag == _P:
                self.paragraph(child)
            elif tag == _TBL:
                for row in child.iterchildren(_TR):
                    for cell in row.iterchildren(_TC):
                        self.blocks(cell)
            elif tag == _SDT:
                if _is_toc_sdt(child):
                    self._skip_fields(child)
                    continue
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self.blocks(content)
            elif tag in _BLOCK_CONTAINERS:
                self.blocks(child)

    def _skip_fields(self, el: Any) -> None:
        # A table of contents is left out, but a field opened inside it must still close.
        for node in el.iter(_FLDCHAR):
            self._field_char(node)

    def paragraph(self, p: Any) -> None:
        level = None
        skip = False
        self.paragraph_hidden = False
        ppr = p.find(_PPR)
        if ppr is not None:
            style = ppr.find(_PSTYLE)
            style_id = style.get(_VAL) if style is not None else None
            if style_id:
                level = self.levels.get(style_id)
                skip = style_id in self.toc_styles
                self.paragraph_hidden = style_id in self.hidden_styles
            direct = ppr.find(_OUTLINE)
            if direct is not None:
                level = _outline_level(direct)
        parts: list[str] = []
        self.runs(p, parts)
        if skip:
            return
        self.numbering.add("".join(parts), level)

    def runs(self, parent: Any, parts: list[str]) -> None:
        for child in parent:
            tag = child.tag
            if tag == _R:
                self.run(child, parts)
            elif tag in _RUN_CONTAINERS:
                self.runs(child, parts)
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self.runs(content, parts)
            elif tag == _FLDSIMPLE:
                instr = child.get(_INSTR_ATTR, "").strip().upper()
                if not instr.startswith(_SKIPPED_FIELDS):
                    self.runs(child, parts)
            elif tag == _P:
                # A paragraph inside a run container is unusual but is still body text.
                self.runs(child, parts)

    def run(self, r: Any, parts: list[str]) -> None:
        rpr = r.find(_RPR)
        hidden = self.paragraph_hidden
        if rpr is not None:
            style = rpr.find(_W + "rStyle")
            if style is not None and style.get(_VAL) in self.hidden_styles:
                hidden = True  # hidden by a character style ("Secret Char")
            for flag in rpr:
                if flag.tag in _HIDDEN:
                    on = flag.get(_VAL, "true") not in ("0", "false", "off")
                    if on:
                        hidden = True
                        break
                    if flag.tag == _W + "vanish":
                        hidden = False  # shown again on the run itself
        for child in r:
            tag = child.tag
            if tag == _FLDCHAR:
                self._field_char(child)
            elif tag == _INSTR:
                if self.fields and not self.fields[-1].separated:
                    self.fields[-1].instr += child.text or ""
            elif hidden or (self.fields and self._in_hidden_field()):
                continue
            elif tag == _T:
                parts.append(child.text or "")
            elif tag in _CHAR:
                parts.append(_CHAR[tag])

    def _field_char(self, el: Any) -> None:
        kind = el.get(_TYPE)
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            self.fields[-1].separated = True
        elif kind == "end" and self.fields:
            self.fields.pop()


def _is_toc_sdt(sdt: Any) -> bool:
    pr = sdt.find(_SDT_PR)
    if pr is None:
        return False
    for gallery in pr.iter(_W + "docPartGallery"):
        if "table of contents" in (gallery.get(_VAL) or "").lower():
            return True
    return False


def _read_docx(path: Path, head: bytes) -> list[Paragraph]:
    if head.startswith(_OLE_MAGIC):
        raise UnreadableInputError(
            "is password-protected, or is an old Word 97-2003 document renamed .docx",
            file=path,
            advice="remove the password (File > Info > Protect Document) or save it as a .docx, then try again",
        )
    if not head.startswith(b"PK"):
        raise UnreadableInputError(
            "is not a Word document (it may be damaged, or another kind of file renamed .docx)",
            file=path,
            advice=_RESAVE,
        )
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            main = _main_part(zf, names)
            if main is None:
                raise UnreadableInputError(
                    "is not a Word document (it has no main document part)",
                    file=path,
                    advice="if it is an Excel or PowerPoint file, save the report from Word as .docx and try again",
                )
            root = _parse_part(zf, main, path)
            styles_name = main.rsplit("/", 1)[0] + "/styles.xml"
            styles = _parse_part(zf, styles_name, path) if styles_name in names else None
    except zipfile.BadZipFile:
        raise UnreadableInputError(
            "is damaged (it is not a complete .docx file)", file=path, advice=_RESAVE
        ) from None
    levels, toc = _style_levels(styles)
    body = root.find(_W + "body") if root is not None else None
    if body is None:
        raise UnreadableInputError(
            "is damaged (it has no document body)", file=path, advice=_RESAVE
        )
    from scrtool.readers.docx import hidden_style_ids

    hidden = hidden_style_ids(styles) if styles is not None else set()
    reader = _DocxReader(levels, toc, hidden)
    reader.blocks(body)
    return reader.numbering.out


def _main_part(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """The main document part, as [Content_Types].xml names it (word/document.xml usually)."""
    if "[Content_Types].xml" in names:
        from lxml import etree

        try:
            types = etree.fromstring(zf.read("[Content_Types].xml"), _xml_parser())
        except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile, OSError):
            types = None
        if types is not None:
            for override in types:
                content_type = override.get("ContentType", "")
                if content_type.startswith(
                    "application/vnd.ms-word.document"
                ) or content_type.startswith(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main"
                ):
                    name = override.get("PartName", "").lstrip("/")
                    if name in names:
                        return name
                if "wordprocessingml.template.main" in content_type:
                    name = override.get("PartName", "").lstrip("/")
                    if name in names:
                        return name
    return "word/document.xml" if "word/document.xml" in names else None


# --- .pdf -------------------------------------------------------------------------------


def _read_pdf(path: Path, head: bytes) -> list[Paragraph]:
    if b"%PDF" not in head:
        raise UnreadableInputError(
            "is not a PDF (it may be damaged, or another kind of file renamed .pdf)",
            file=path,
            advice=_RESAVE,
        )
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    from scrtool.readers.pdf import (
        cached_pages,
        extract_page,
        file_key,
        quiet_pypdf,
        remember_pages,
    )

    key = file_key(path)
    try:
        with quiet_pypdf():  # pypdf's log lines are not for people; the message below is
            reader = PdfReader(path)
        if reader.is_encrypted:
            key = None  # the redaction check refuses these: nothing to share
            try:
                opened = bool(reader.decrypt(""))
            except (DependencyError, NotImplementedError):
                opened = False
            if not opened:
                raise UnreadableInputError(
                    "is password-protected",
                    file=path,
                    advice="save a copy without the password (or export the report again from Word) and try again",
                )
        # One extraction shared with the redaction check (the same text as extract_text).
        cached = cached_pages(key, len(reader.pages))
        if cached is None:
            with quiet_pypdf():
                extracted = [extract_page(page) for page in reader.pages]
            remember_pages(key, extracted)
            cached = tuple(extracted)
        pages = [page.text or "" for page in cached]
        outline = _pdf_outline(reader)
    except UnreadableInputError:
        raise
    except FileNotDecryptedError:
        raise UnreadableInputError(
            "is password-protected",
            file=path,
            advice="save a copy without the password and try again",
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise UnreadableInputError(
            f"is a damaged PDF ({exc})", file=path, advice="export it again from Word and try again"
        ) from None
    except RecursionError:
        raise UnreadableInputError(
            "is a damaged PDF", file=path, advice="export it again from Word and try again"
        ) from None
    return _pdf_paragraphs(pages, outline)


def _pdf_outline(reader: Any) -> list[tuple[int, int, str]]:
    """(page index, level, title) for each outline entry, in document order."""
    out: list[tuple[int, int, str]] = []

    def walk(items: Any, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            try:
                page = reader.get_destination_page_number(item)
            except Exception:  # a broken bookmark must not stop the check
                continue
            title = " ".join(str(getattr(item, "title", "") or "").split())
            if title and page is not None and page >= 0:
                out.append((page, level, title))

    try:
        walk(reader.outline, 1)
    except Exception:
        return []
    return out


def _pdf_paragraphs(pages: list[str], outline: list[tuple[int, int, str]]) -> list[Paragraph]:
    """Paragraphs per page; a line that is a bookmark's title on its page becomes a heading."""
    numbering = _Numbering()
    by_page: dict[int, list[tuple[int, str]]] = {}
    for page, level, title in outline:
        by_page.setdefault(page, []).append((level, title))
    running = _running_lines(pages)
    for index, text in enumerate(pages):
        page_no = index + 1
        numbering.number = 0
        if not outline:
            numbering.section = None
        entries = by_page.get(index, [])
        titles = {_fold(title): (level, title) for level, title in entries}
        found: set[str] = set()
        lines: list[str] = []
        page_lines = _without_running(list(_pdf_lines(text)), running)
        # PDF text has no paragraph marks: a line that ends a sentence well short of the
        # page's longest line is taken as a paragraph's last line.
        longest = max((len(line) for line in page_lines), default=0)
        short = 0.8 * longest
        for line in [*page_lines, ""]:
            key = _fold(line) if line else ""
            heading = key in titles and key not in found
            if line and lines and _starts_block(lines[-1], line, longest):
                numbering.add(" ".join(lines), None, page_no)
                lines.clear()
            if (not line or heading) and lines:
                numbering.add(" ".join(lines), None, page_no)
                lines.clear()
            if heading:
                found.add(key)
                level, title = titles[key]
                numbering.add(title, level, page_no)
            elif line:
                lines.append(line)
                if len(line) < short and _ENDS_SENTENCE.search(line):
                    numbering.add(" ".join(lines), None, page_no)
                    lines.clear()
        for _level, title in entries:
            if _fold(title) not in found:
                # A bookmark whose title is not printed on its page still names what follows.
                numbering.section = title
                numbering.number = 0
    return numbering.out


#: How many lines at the top and at the bottom of a page may be a running header or footer.
_EDGE_LINES = 2


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def _edges(lines: list[str]) -> list[tuple[int, str]]:
    """(index, line) of the first and last few non-blank lines of a page."""
    filled = [(i, line) for i, line in enumerate(lines) if line]
    chosen = filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]
    return list(dict.fromkeys(chosen))


def _running_lines(pages: list[str]) -> frozenset[str]:
    """Running headers and footers: a line (numbers aside, so "Page 3 of 36" counts) at
    the top or bottom of at least half the pages, and of three or more. Word leaves them
    out of the body; in a PDF they sit in the page's text and would join the first and
    last sentence of every page."""
    if len(pages) < 3:
        return frozenset()
    counts: dict[str, int] = {}
    for text in pages:
        keys = {_running_key(line) for _, line in _edges(list(_pdf_lines(text)))}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    needed = max(3, (len(pages) + 1) // 2)
    return frozenset(key for key, count in counts.items() if count >= needed and key)


def _without_running(lines: list[str], running: frozenset[str]) -> list[str]:
    if not running:
        return lines
    drop = {i for i, line in _edges(lines) if _running_key(line) in running}
    return [line for i, line in enumerate(lines) if i not in drop]


_BULLET = re.compile(r"^(?:[•◦▪‣●○■□–—*\-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s")


def _starts_block(previous: str, line: str, longest: int) -> bool:
    """Does ``line`` start a new paragraph though ``previous`` has no full stop? A list
    item does (a bullet or number first); so does a capital after a line well short of
    the page's width, as table cells, headings and list items are."""
    if _BULLET.match(line):
        return True
    return len(previous) < 0.6 * longest and (line[0].isupper() or line[0].isdigit())


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().casefold()


_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")


def _pdf_lines(text: str) -> Iterator[str]:
    """A page's lines, stripped; a blank line ("") separates paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    for line in text.split("\n"):
        yield line.strip()


# --- .txt and .md -----------------------------------------------------------------------


def _read_text_file(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableInputError(
            "is not a text file (it may be another kind of file renamed)",
            file=path,
            advice=_RESAVE,
        )
    for encoding in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ():
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if data.startswith(b"%PDF") or data.startswith(b"PK\x03\x04"):
        raise UnreadableInputError(
            "is not a text file (it looks like a PDF or Word file renamed)",
            file=path,
            advice="give it its proper extension (.pdf or .docx) and try again",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Notepad on older Windows saves in the Windows code page.
        return data.decode("cp1252", errors="replace")


def _text_blocks(text: str) -> Iterator[str]:
    """Paragraphs of a plain text file. A blank line ends one; so does a line break after
    a full stop or a short line (Word's "Plain Text" puts a paragraph, heading or list
    item on each line, with no blank lines), or before a list item. Lines of a paragraph
    wrapped by hand are joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        longest = max((len(line) for line in lines), default=0)
        current: list[str] = []
        for line in lines:
            if current and (
                _BULLET.match(line)
                or _ENDS_SENTENCE.search(current[-1])
                or len(current[-1]) < 0.6 * longest
            ):
                yield " ".join(current)
                current = []
            current.append(line)
        if current:
            yield " ".join(current)


def _read_plain(text: str) -> list[Paragraph]:
    numbering = _Numbering()
    for block in _text_blocks(text):
        numbering.add(block)
    return numbering.out


_MD_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_MD_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_MD_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MD_LIST = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?[ \t]+")
_MD_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_MD_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_MD_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_MD_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def strip_markdown_inline(text: str) -> str:
    """Markdown inline syntax removed, keeping what a reader sees."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", text)  # images: not prose
    text = re.sub(r"!\[([^\]]*)\]\[[^\]]*\]", "", text)
    text = re.sub(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)", r"\1", text)  # [text](url)
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)  # [text][ref]
    text = re.sub(r"<((?:https?|mailto):[^>\s]+)>", r"\1", text)  # autolinks
    text = re.sub(r"(`+)(.+?)\1", lambda m: m.group(2).strip(), text)  # code spans
    text = re.sub(r"</?[A-Za-z][^>]*>", "", text)  # inline HTML tags
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\*)", r"\1", text)
    text = re.sub(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", r"\1", text)
    text = re.sub(r"~~(?=\S)(.+?)(?<=\S)~~", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~])", r"\1", text)  # escapes
    return text


def _read_markdown(text: str) -> list[Paragraph]:
    numbering = _Numbering()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _MD_HTML_COMMENT.sub("", text)
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":  # front matter
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                lines = lines[end + 1 :]
                break
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            numbering.add(strip_markdown_inline(" ".join(buffer)))
            buffer.clear()

    fence: str | None = None
    for line in lines:
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        fence_match = _MD_FENCE.match(line)
        if fence_match:
            flush()
            fence = fence_match.group(1)
            continue
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        atx = _MD_ATX.match(line)
        if atx:
            flush()
            numbering.add(strip_markdown_inline(atx.group(2) or ""), len(atx.group(1)))
            continue
        setext = _MD_SETEXT.match(line)
        if setext and buffer:
            heading = " ".join(buffer)
            buffer.clear()
            numbering.add(strip_markdown_inline(heading), 1 if "=" in setext.group(1) else 2)
            continue
        if _MD_RULE.match(line) or _MD_REFDEF.match(line):
            flush()
            continue
        if stripped.startswith("|") or (stripped.count("|") >= 2 and "|" in stripped[1:-1]):
            flush()
            if _MD_TABLE_SEP.match(stripped):
                continue
            for cell in stripped.strip("|").split("|"):
                numbering.add(strip_markdown_inline(cell.strip()))
            continue
        if line.startswith(("    ", "\t")) and not buffer:
            continue  # indented code block
        while True:
            quote = _MD_QUOTE.match(line)
            if not quote:
                break
            line = line[quote.end() :]
        item = _MD_LIST.match(line)
        if item:
            flush()
            line = line[item.end() :]
        buffer.append(line.strip())
    flush()
    return numbering.out
