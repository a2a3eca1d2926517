"""The accessibility check on a PDF: what a screen reader needs that a printout does not.

A PDF is accessible when it is tagged (a structure tree a screen reader follows in
reading order, with ``/MarkInfo /Marked true``), says its language, shows its title (in
the document information and the XMP metadata, with ``DisplayDocTitle`` so the window
shows it rather than the file name), gives every picture alternative text, marks table
headers, and on a long document offers bookmarks. These are the PDF/UA rules a program
can decide (the Matterhorn Protocol's machine checks); what the words say is for a person.

The structure tree is read with pypdf, under the readers' one policy for PDFs (both
libraries open the file, no password needed, no library message on stderr). It is
walked without recursion, each object once, and only so far: a tree that loops or has
no end is refused, never passed half read.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrtool.errors import UnreadableInputError

if TYPE_CHECKING:
    from scrtool.checks.accessibility_rules import Finding, Rules

#: Structure elements read at most; a real report has a few thousand.
MAX_ELEMENTS = 200_000
#: Steps through the RoleMap at most (custom -> custom -> standard).
MAX_ROLE_STEPS = 16

CORRUPT_ADVICE = (
    "open the Word document it was made from and export it again (File, Save As, PDF), "
    "then check the new PDF"
)

#: The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4); a RoleMap entry for one
#: of these is not followed (LibreOffice maps its own "Standard" to P, for instance).
STANDARD_TYPES = frozenset(
    [
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "P",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
    ]
)
#: Numbered headings by level; ``H`` is a heading whose level its nesting gives (PDF 1.7
#: allows it, and some programs tag every heading so), counted as 0: a heading, no level.
HEADING_LEVELS = {"H": 0, **{f"H{n}": n for n in range(1, 7)}}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
#: What a program writes when the author gave no title: "Untitled", a file name, Word's
#: name for an unsaved document ("Document1"), and its print driver's "Microsoft Word -
#: ..." (which names only the file, whatever follows).
_NOT_A_TITLE = re.compile(
    r"(?:untitled(?: document)?|title|document ?\d*|microsoft word - .*"
    r"|[^/\\]*\.(?:docx?|pdf|odt|rtf))",
    re.IGNORECASE,
)
_DC = "http://purl.org/dc/elements/1.1/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass(frozen=True)
class Problem:
    """One failed rule before it becomes a finding: (kind, what was found, where)."""

    kind: str
    text: str
    location: str


@dataclass
class StructureFacts:
    """What the walk of the structure tree found."""

    figures: list[tuple[str, int | None]] = field(default_factory=list)  # (alt text, page)
    #: (the table's number, counted from the start of the document, and its page)
    tables_without_headers: list[tuple[int, int | None]] = field(default_factory=list)
    tables: int = 0
    headings: list[tuple[int, int | None]] = field(default_factory=list)  # (level, page)
    elements: int = 0


def _resolve(value: Any) -> Any:
    try:
        return value.get_object()
    except AttributeError:
        return value


def _text(value: Any) -> str:
    value = _resolve(value)
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("latin-1", errors="replace")
    return str(value)


def _name(value: Any) -> str:
    return _text(value).lstrip("/")


def _is_true(value: Any) -> bool:
    """A PDF boolean that is true (pypdf's BooleanObject(False) is truthy in Python)."""
    value = _resolve(value)
    return getattr(value, "value", value) is True


def _is_dict(value: Any) -> bool:
    from pypdf.generic import DictionaryObject

    return isinstance(value, DictionaryObject)


def _key(ref: Any, value: Any) -> tuple[int, int] | int:
    """One key per object: its object number when it is indirect, else its identity."""
    idnum = getattr(ref, "idnum", None)
    if idnum is not None:
        return (int(idnum), int(getattr(ref, "generation", 0)))
    return id(value)


def _page_of(ref: Any, pages: dict[int, int]) -> int | None:
    idnum = getattr(ref, "idnum", None)
    return pages.get(int(idnum)) if idnum is not None else None


class RoleMap:
    """A structure type as a standard type: custom names are followed through /RoleMap."""

    def __init__(self, mapping: Any) -> None:
        self.mapping: dict[str, str] = {}
        mapping = _resolve(mapping)
        if _is_dict(mapping):
            for key, value in mapping.items():
                self.mapping[_name(key)] = _name(value)

    def standard(self, name: str) -> str:
        seen = 0
        while name not in STANDARD_TYPES and name in self.mapping and seen < MAX_ROLE_STEPS:
            name = self.mapping[name]
            seen += 1
        return name


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    resolved = _resolve(kids)
    from pypdf.generic import ArrayObject

    if isinstance(resolved, ArrayObject):
        return list(resolved)
    return [kids]


def _needs_header(table: Any, roles: RoleMap, seen: set[Any]) -> bool:
    """Whether a table of more than one row lacks a TH cell (in its own rows, not in a
    table nested in a cell). A table of one row is layout, as on the Word side."""
    stack = [table]
    rows = 0
    while stack:
        node = stack.pop()
        rows += 1 if roles.standard(_name(node.get("/S"))) == "TR" else 0
        if len(seen) > MAX_ELEMENTS:
            break
        for ref in _kids(node):
            kid = _resolve(ref)
            if not _is_dict(kid) or kid.get("/S") is None:
                continue
            key = ("th", _key(ref, kid))
            if key in seen:
                continue
            seen.add(key)
            kind = roles.standard(_name(kid.get("/S")))
            if kind == "TH":
                return False
            if kind in ("TR", "THead", "TBody", "TFoot"):
                stack.append(kid)
    return rows > 1


def walk_structure(root: Any, pages: dict[int, int], *, name: Path | str) -> StructureFacts:
    """Walk the structure tree in document order, iteratively, each element once."""
    facts = StructureFacts()
    roles = RoleMap(root.get("/RoleMap"))
    seen: set[Any] = set()
    header_seen: set[Any] = set()
    # (kid reference, inherited page); reversed so the first kid comes off the stack first
    stack: list[tuple[Any, int | None]] = [(k, None) for k in reversed(_kids(root))]
    while stack:
        ref, inherited = stack.pop()
        element = _resolve(ref)
        if not _is_dict(element) or element.get("/S") is None:
            continue  # a marked-content number or reference, or an annotation's reference
        key = _key(ref, element)
        if key in seen:
            continue
        seen.add(key)
        facts.elements += 1
        if facts.elements > MAX_ELEMENTS:
            raise UnreadableInputError(
                f"its structure tree has more than {MAX_ELEMENTS:,} elements, so scrtool "
                "cannot check it",
                file=name,
                advice=CORRUPT_ADVICE,
            )
        # Its own page, else its own content's (a marked-content reference names its
        # page), else the page its parent gives its content.
        page = (
            _page_of(element.get("/Pg"), pages) or _first_content_page(element, pages) or inherited
        )
        kind = roles.standard(_name(element.get("/S")))
        if kind == "Figure":
            alt = _text(element.get("/Alt")).strip() or _text(element.get("/ActualText")).strip()
            facts.figures.append((alt, page))
        elif kind == "Table":
            facts.tables += 1
            if _needs_header(element, roles, header_seen):
                facts.tables_without_headers.append((facts.tables, page))
        elif kind in HEADING_LEVELS:
            facts.headings.append((HEADING_LEVELS[kind], page))
        stack.extend((k, page) for k in reversed(_kids(element)))
    return facts


def _first_content_page(element: Any, pages: dict[int, int]) -> int | None:
    """The page of an element's first marked content (an /MCR or /OBJR kid with /Pg)."""
    for ref in _kids(element):
        kid = _resolve(ref)
        if _is_dict(kid) and kid.get("/S") is None:
            page = _page_of(kid.get("/Pg"), pages)
            if page is not None:
                return page
    return None


def xmp_title(reader: Any, name: Path | str) -> str:
    """The XMP metadata's ``dc:title`` (its first non-empty entry), or "" when absent."""
    from scrtool.readers.safety import parse_xml

    stream = _resolve(reader.trailer["/Root"].get("/Metadata"))
    if stream is None or not hasattr(stream, "get_data"):
        return ""
    data = stream.get_data()
    if not data.strip():
        return ""
    try:
        xml = parse_xml(data.strip(b"\x00 \r\n\t"), file=name, part="XMP metadata")
    except UnreadableInputError:
        return ""
    for title in xml.iter(f"{{{_DC}}}title"):
        for text in [title.text or "", *(li.text or "" for li in title.iter(f"{{{_RDF}}}li"))]:
            if text.strip():
                return text.strip()
    for description in xml.iter(f"{{{_RDF}}}Description"):
        value = description.get(f"{{{_DC}}}title", "")
        if value.strip():
            return value.strip()
    return ""


def is_title(text: str) -> bool:
    """Whether a title names the document: not empty, not a program's "untitled", and
    not a file name (what Word's Save as PDF uses when the title property is empty)."""
    text = " ".join(text.split())
    return bool(text) and not _NOT_A_TITLE.fullmatch(text)


def _outline_entries(reader: Any) -> int:
    outline = reader.outline
    count = 0
    stack = [outline]
    while stack and count < MAX_ELEMENTS:
        items = stack.pop()
        for item in items:
            if isinstance(item, list):
                stack.append(item)
            else:
                count += 1
    return count


@contextlib.contextmanager
def _guard(what: str, name: Path | str) -> Iterator[None]:
    try:
        yield
    except UnreadableInputError:
        raise
    except RecursionError:
        raise UnreadableInputError(
            f"its {what} is damaged (it loops) and cannot be checked",
            file=name,
            advice=CORRUPT_ADVICE,
        ) from None
    except Exception as exc:  # pypdf raises many types for damaged objects
        raise UnreadableInputError(
            f"its {what} is damaged and cannot be checked ({type(exc).__name__}: {exc})",
            file=name,
            advice=CORRUPT_ADVICE,
        ) from None


def _page_words(page: int | None) -> str:
    return f"page {page}" if page is not None else "structure tree"


def reader_problems(reader: Any, name: Path | str, rules: Rules) -> list[Problem]:
    """Every failed rule of an open PDF, in the order a person would put them right."""
    problems: list[Problem] = []
    with _guard("document catalogue", name):
        root = _resolve(reader.trailer["/Root"])
        pages = {
            int(p.indirect_reference.idnum): n
            for n, p in enumerate(reader.pages, start=1)
            if p.indirect_reference is not None
        }
        mark_info = _resolve(root.get("/MarkInfo"))
        marked = _is_dict(mark_info) and _is_true(mark_info.get("/Marked"))
        tree = _resolve(root.get("/StructTreeRoot"))
        language = _text(root.get("/Lang")).strip()
        preferences = _resolve(root.get("/ViewerPreferences"))
        shows_title = _is_dict(preferences) and _is_true(preferences.get("/DisplayDocTitle"))
    with _guard("document information", name):
        info = reader.metadata
        info_title = _text(info.get("/Title")).strip() if info is not None else ""
    with _guard("XMP metadata", name):
        xmp = xmp_title(reader, name)
    with _guard("bookmarks", name):
        bookmarks = _outline_entries(reader)

    if not _is_dict(tree):
        problems.append(
            Problem("tagged", "(no structure tree)", "document catalogue (/StructTreeRoot)")
        )
    if not marked:
        problems.append(
            Problem("tagged", "(not marked as tagged)", "document catalogue (/MarkInfo /Marked)")
        )
    if not language:
        problems.append(Problem("language", "(no language)", "document catalogue (/Lang)"))
    elif not _LANGUAGE_TAG.match(language):
        problems.append(Problem("language", language, "document catalogue (/Lang)"))
    info_ok, xmp_ok = is_title(info_title), is_title(xmp)
    if not info_ok and not xmp_ok:
        problems.append(
            Problem(
                "title",
                info_title or xmp or "(no title)",
                "document properties (Title) and XMP metadata (dc:title)",
            )
        )
    elif not info_ok:
        problems.append(Problem("title", info_title or "(no title)", "document properties (Title)"))
    elif not xmp_ok:
        problems.append(Problem("title", xmp or "(no title)", "XMP metadata (dc:title)"))
    # Its own finding, so fixing the title does not uncover another one.
    if not shows_title:
        problems.append(
            Problem(
                "title",
                "(the window shows the file name, not the title)",
                "viewer preferences (DisplayDocTitle)",
            )
        )
    if len(reader.pages) > rules.bookmarks_above_pages and bookmarks == 0:
        problems.append(
            Problem("headings", f"(no bookmarks in {len(reader.pages)} pages)", "bookmarks")
        )
    if _is_dict(tree):
        with _guard("structure tree", name):
            facts = walk_structure(tree, pages, name=name)
        problems += structure_problems(facts, rules)
    return problems


def structure_problems(facts: StructureFacts, rules: Rules) -> list[Problem]:
    # Pictures and tables are numbered from the start of the document, as in the Word
    # check, so two on one page can be told apart.
    problems = [
        Problem("alt-text", alt or "(no alternative text)", f"picture {n}, {_page_words(page)}")
        for n, (alt, page) in enumerate(facts.figures, start=1)
        if rules.is_meaningless_alt(alt)
    ]
    problems += [
        Problem("table-header", "(no header cells)", f"table {n}, {_page_words(page)}")
        for n, page in facts.tables_without_headers
    ]
    if not facts.headings:
        problems.append(Problem("headings", "(no headings)", "structure tree (H1 to H6)"))
    previous = 0
    for level, page in facts.headings:
        if level == 0:
            continue
        if level > previous + 1:
            after = f"after H{previous}" if previous else "with no H1 before it"
            problems.append(
                Problem("headings", f"H{level} {after}", f"heading, {_page_words(page)}")
            )
        previous = level
    return problems


def pdf_problems(path: Path, rules: Rules) -> list[Problem]:
    """Open the PDF under the readers' policy (exit 2 when it cannot be read) and check it."""
    from scrtool.readers.pdf import library_messages, open_pdf

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"cannot be read ({exc.strerror or exc})", file=path) from exc
    with library_messages():
        reader = open_pdf(data, name=path, load_pages=True)
        return reader_problems(reader, path, rules)


def pdf_findings(path: Path, rules: Rules) -> list[Finding]:
    """The accessibility check's findings on one PDF, with the rules' severity and advice."""
    from scrtool.checks.accessibility_rules import make_finding

    return [
        make_finding(rules, p.kind, p.text, p.location, "pdf")
        for p in pdf_problems(Path(path), rules)
    ]
