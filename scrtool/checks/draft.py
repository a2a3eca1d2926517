"""Is the document finished? The check that keeps drafts from the Panel and the public.

A template leaves text for the author to write, and scrtool's own templates mark it one
way: square brackets that start with an instruction ("[Write the summary here.]") and,
in the .docx, the character style "Placeholder". The rule lives in
``schemas/placeholders.toml`` so a partnership can add its own marks; a bracket in
ordinary prose ("[sic]", a reference "[1]") is never a placeholder, because it does not
start with an instruction.

The check reads every place the redaction check reads (the same ``Piece`` objects from
``scrtool.readers``) and, for a .docx, three things pieces do not carry: runs styled as
placeholders, watermark text and the heading structure. That reading is kept in
``read_draft_source`` alone, so the rest of the module sees only text and places.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scrtool.errors import DataError, InputError
from scrtool.readers.model import Piece, ReadFile
from scrtool.resources import schema_path

KINDS = ("placeholder", "draft-mark", "note-to-officer", "template-tag", "empty-section")
RULES_FILE = "placeholders.toml"
SUFFIXES = (".docx", ".pdf", ".txt", ".md")
MAX_SHOWN = 200

#: What to do about each kind, for a person reading a refusal.
ADVICE = {
    "placeholder": "write the text it asks for (or delete it) and save the document again",
    "draft-mark": "remove the DRAFT mark (header, footer, watermark or File > Info > Title) "
    "and save the document again",
    "note-to-officer": "this is scrtool's note about the data, not text for the report: put "
    "right what it says, make the document again, and delete the note",
    "template-tag": "a template tag was left unfilled: fill the template again with the "
    "missing value, or delete the tag",
    "empty-section": "write the section or delete its heading",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    location: str
    severity: str = "high"

    @property
    def fails(self) -> bool:
        return True


@dataclass(frozen=True)
class FileReport:
    path: Path
    findings: tuple[Finding, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.findings

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "passed": self.passed,
            "findings": [
                {"kind": f.kind, "text": f.text, "location": f.location, "severity": f.severity}
                for f in self.findings
            ],
        }


@dataclass(frozen=True)
class DraftReport:
    files: tuple[FileReport, ...] = ()

    @property
    def passed(self) -> bool:
        return all(f.passed for f in self.files)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "files": [f.to_json() for f in self.files]}


# --- the rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """``schemas/placeholders.toml``, compiled."""

    styles: frozenset[str]
    starts: re.Pattern[str] | None
    words: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    officer_notes: tuple[str, ...]
    draft_words: re.Pattern[str] | None
    source: Path | None = None


def _strings(data: Mapping[str, Any], key: str, path: Path) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(
            f'"{key}" is not a list of words in quotes',
            file=path,
            advice=f'write it as {key} = ["...", "..."]',
        )
    return [v for v in value if v.strip()]


def load_rules(path: Path | None = None) -> Rules:
    """Read the placeholder rules; a broken file is exit 2 naming the key."""
    from scrtool.settings import load_data

    path = Path(path) if path is not None else schema_path(RULES_FILE)
    data = load_data("placeholders", path)
    starts = _strings(data, "starts", path)
    patterns = []
    for text in _strings(data, "patterns", path):
        try:
            patterns.append(re.compile(text))
        except re.error as exc:
            raise DataError(
                f'the pattern "{text}" under "patterns" is not a regular expression ({exc})',
                file=path,
                advice="correct it or remove it",
            ) from None
    draft = _strings(data, "draft_words", path)
    return Rules(
        styles=frozenset(s.casefold() for s in _strings(data, "styles", path)),
        starts=(
            re.compile(
                r"^(?:"
                + "|".join(re.escape(s) for s in sorted(starts, key=len, reverse=True))
                + r")\b"
            )
            if starts
            else None
        ),
        words=frozenset(" ".join(w.casefold().split()) for w in _strings(data, "words", path)),
        patterns=tuple(patterns),
        officer_notes=tuple(n.casefold() for n in _strings(data, "officer_notes", path)),
        draft_words=(
            re.compile(r"\b(?:" + "|".join(re.escape(w) for w in draft) + r")\b") if draft else None
        ),
        source=path,
    )


# --- reading: the one place that knows the readers ------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int
    location: str
    has_text_after: bool  # body text before the next heading of the same or higher level


@dataclass(frozen=True)
class DraftSource:
    pieces: tuple[Piece, ...]
    styled: tuple[tuple[str, str], ...] = ()  # (text, location) of runs styled as placeholders
    watermarks: tuple[tuple[str, str], ...] = ()
    headings: tuple[Heading, ...] = field(default_factory=tuple)


def read_draft_source(read: ReadFile, rules: Rules) -> DraftSource:
    """What the check judges, from a file read once (``readers.documents.read_file``): the
    same pieces the redaction check scans, the visible paragraphs' headings and, for a
    .docx, its styled runs and watermarks from the same opening of the package."""
    styled: list[tuple[str, str]] = []
    watermarks: list[tuple[str, str]] = []
    body: Callable[[], Any] | None = None
    if read.path.suffix.lower() == ".docx":
        from scrtool.readers.docx import main_part, main_root
        from scrtool.readers.safety import Package

        pkg = read.package if read.package is not None else Package(read.path, name=read.path)
        main = main_part(pkg, read.path)
        parsed: list[Any] = []

        def body() -> Any:  # the body part, parsed once if at all
            if not parsed:
                parsed.append(main_root(pkg, read.path, main))
            return parsed[0]

        styled, watermarks = _docx_marks(pkg, main, body, rules)
    # A document with no visible text has no sections to judge.
    paragraphs = read.document.paragraphs if read.document is not None else ()
    has_toc = _has_toc(read.pieces)
    headings = list(_headings(paragraphs, has_toc=has_toc))
    if body is not None and any(not h.has_text_after for h in headings):
        # A heading with no text under it may have a picture there: look only then.
        figured = _headings_over_figures(pkg, main, body())
        headings = list(_headings(paragraphs, has_toc=has_toc, figured=figured))
    elif read.pdf_bytes and any(not h.has_text_after for h in headings):
        at = _pdf_headings_over_pictures(read.pdf_bytes, read.path, paragraphs, headings)
        headings = list(_headings(paragraphs, has_toc=has_toc, figured_at=at))
    return DraftSource(
        pieces=read.pieces,
        styled=tuple(styled),
        watermarks=tuple(watermarks),
        headings=tuple(headings),
    )


#: Words in a heading that introduces a table of contents ("Contents", "Cynnwys").
_CONTENTS_HEADING = re.compile(r"\b(?:contents|cynnwys)\b", re.IGNORECASE)


def _has_toc(pieces: Sequence[Piece]) -> bool:
    """Whether the document has a table of contents field (its entries are left out of
    the visible paragraphs, as Word makes them, not the author)."""
    return any(
        p.location.endswith("(field code)") and p.text.lstrip().upper().startswith("TOC")
        for p in pieces
    )


def _headings(
    paragraphs: Sequence[Any],
    *,
    has_toc: bool = False,
    figured: set[tuple[str, int]] | frozenset[tuple[str, int]] = frozenset(),
    figured_at: set[int] | frozenset[int] = frozenset(),
) -> Iterator[Heading]:
    """Each heading, and whether its section has anything in it: text under it or under
    a heading below it, or a figure. ``figured``: the headings with a picture, a chart
    or a text box under them, as (text, how many headings of that text come before it),
    since a report may have two sections called "Timeline"; ``figured_at``: their
    places in ``paragraphs``, where those are known."""
    keys: list[tuple[str, int] | None] = []
    counts: dict[str, int] = {}
    for para in paragraphs:
        text = para.text.strip()
        if para.heading_level is None or not text:
            keys.append(None)
            continue
        keys.append((text, counts.get(text, 0)))
        counts[text] = counts.get(text, 0) + 1

    def pictured(index: int) -> bool:
        key = keys[index]
        return key is not None and (key in figured or index in figured_at)

    for index, para in enumerate(paragraphs):
        level = para.heading_level
        if level is None or not para.text.strip():
            continue
        if (has_toc and _CONTENTS_HEADING.search(para.text)) or pictured(index):
            # "Contents" styled as a heading, above Word's table of contents, or a heading
            # over a picture, a chart or a text box (an appendix that is a family tree):
            # not empty.
            yield Heading(para.text.strip(), level, para.location, True)
            continue
        has_text = False
        for later_index in range(index + 1, len(paragraphs)):
            later = paragraphs[later_index]
            if later.heading_level is not None and later.heading_level <= level:
                break
            if later.heading_level is None and later.text.strip():
                has_text = True
                break
            if pictured(later_index):
                has_text = True  # "Appendices", whose appendices are pictures
                break
        yield Heading(para.text.strip(), level, para.location, has_text)


_V = "urn:schemas-microsoft-com:vml"
_SDT_PLACEHOLDER = "showingPlcHdr"


def _docx_marks(
    pkg: Any, main: str, body: Callable[[], Any], rules: Rules
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Runs styled as placeholders (and content controls showing their placeholder), and
    watermark text, read from the package with the docx reader's safe parser (the
    package the reading opened, or opened again when the reading did not keep it)."""
    from scrtool.readers.docx import W, _w

    rels = pkg.rels(main)
    style_ids: set[str] = set()
    for rtype, target, external in rels.values():
        if rtype == "styles" and not external and target in pkg:
            for style in pkg.xml(target).iter(_w("style")):
                name = style.find(_w("name"))
                label = name.get(_w("val")) if name is not None else None
                style_id = style.get(_w("styleId"))
                if style_id and label and label.casefold() in rules.styles:
                    style_ids.add(style_id)
                if style_id and style_id.casefold() in rules.styles:
                    style_ids.add(style_id)
    parts = [(main, "body")]
    for rtype, target, external in sorted(rels.values()):
        if not external and target in pkg and rtype in (
            "header", "footer", "footnotes", "endnotes", "comments"
        ):  # fmt: skip
            parts.append((target, rtype))
    styled: list[tuple[str, str]] = []
    watermarks: list[tuple[str, str]] = []
    if not style_ids:
        # Nothing can be styled as a placeholder: only a watermark is left to look for.
        parts = [(part, where) for part, where in parts if where in ("header", "footer")]
    for part, where in parts:
        root = body() if part == main else pkg.xml(part)
        for para in root.iter(_w("p")):
            run_texts: list[str] = []
            for run in para.iter(_w("r")):
                style = run.find(f"{_w('rPr')}/{_w('rStyle')}")
                marked = style is not None and style.get(_w("val")) in style_ids
                if not marked:
                    marked = any(
                        sdt.find(f"{_w('sdtPr')}/{{{W}}}{_SDT_PLACEHOLDER}") is not None
                        for sdt in run.iterancestors(_w("sdt"))
                    )
                text = "".join(t.text or "" for t in run.iter(_w("t")))
                if marked and text:
                    run_texts.append(text)
                elif run_texts and text.strip():
                    styled.append(("".join(run_texts), where))
                    run_texts = []
            if run_texts and "".join(run_texts).strip():
                styled.append(("".join(run_texts), where))
        if where == "header" or where == "footer":
            for shape in root.iter(f"{{{_V}}}textpath"):
                text = (shape.get("string") or "").strip()
                if text:
                    watermarks.append((text, f"watermark ({where})"))
    return styled, watermarks


#: What shows in a paragraph without text: a picture, a chart, a shape or text box, an
#: embedded object.
_FIGURES = ("drawing", "pict", "object")
_WP_ANCHOR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}anchor"


def _pdf_headings_over_pictures(
    data: bytes, name: Path, paragraphs: Sequence[Any], headings: Sequence[Heading]
) -> set[int]:
    """The places in ``paragraphs`` of the headings with no text under them that have a
    picture under them in the PDF (an appendix that is a scanned family tree): their
    sections are not empty. Places, not titles: a report may have two sections called
    "Timeline", even on one page."""
    from scrtool.readers.paragraphs import _fold
    from scrtool.readers.pdf import open_pdfium
    from scrtool.readers.pdf_figures import Section, sections_with_pictures
    from scrtool.readers.quiet import library_messages

    def before(index: int) -> int:
        """How many headings of the same title come before this one on its page."""
        para = paragraphs[index]
        key = _fold(para.text)
        return sum(
            1
            for other in paragraphs[:index]
            if other.heading_level is not None
            and other.page == para.page
            and _fold(other.text) == key
        )

    # ``headings`` are the heading paragraphs with text, in order (see ``_headings``).
    places = [i for i, p in enumerate(paragraphs) if p.heading_level is not None and p.text.strip()]
    empty = {i for i, h in zip(places, headings, strict=True) if not h.has_text_after}
    sections: list[Section] = []
    at: list[int] = []
    for index, para in enumerate(paragraphs):
        if index not in empty or para.page is None:
            continue
        following = next(
            (
                later
                for later in range(index + 1, len(paragraphs))
                if paragraphs[later].heading_level is not None
                and paragraphs[later].heading_level <= para.heading_level
            ),
            None,
        )
        after = paragraphs[following] if following is not None else None
        sections.append(
            (
                para.page,
                para.text,
                before(index),
                after.page if after is not None else None,
                after.text if after is not None else None,
                before(following) if following is not None else 0,
            )
        )
        at.append(index)
    if not sections:
        return set()
    with library_messages([]):
        document = open_pdfium(data, name)
        try:
            pictured = sections_with_pictures(document, sections)
        finally:
            document.close()
    return {at[i] for i in pictured}


def _headings_over_figures(pkg: Any, main: str, root: Any) -> set[tuple[str, int]]:
    """Each heading of the body with a picture, a chart, a shape or an embedded object
    after it before the next heading (or a floating one anchored to the heading itself),
    as (its text, how many headings of that text come before it): its section is not
    empty."""
    from scrtool.readers.docx import _w
    from scrtool.readers.visible_docx import _outline_level, _style_levels

    styles = next(
        (
            t
            for rtype, t, ext in pkg.rels(main).values()
            if rtype == "styles" and not ext and t in pkg
        ),
        None,
    )
    levels, _toc = _style_levels(pkg.xml(styles) if styles else None)
    figure_tags = {_w(tag) for tag in _FIGURES}
    out: set[tuple[str, int]] = set()
    counts: dict[str, int] = {}
    current: tuple[str, int] | None = None
    body = root.find(_w("body"))
    for para in (body if body is not None else root).iter(_w("p")):
        ppr = para.find(_w("pPr"))
        level = None
        if ppr is not None:
            style = ppr.find(_w("pStyle"))
            level = levels.get(style.get(_w("val"), "")) if style is not None else None
            outline = ppr.find(_w("outlineLvl"))
            if outline is not None:
                level = _outline_level(outline)
        if level is not None:
            text = "".join(t.text or "" for t in para.iter(_w("t"))).strip()
            if text:
                current = (text, counts.get(text, 0))
                counts[text] = counts.get(text, 0) + 1
            if current is not None and next(para.iter(_WP_ANCHOR), None) is not None:
                out.add(current)  # a floating picture anchored to the heading sits under it
            continue
        if current is not None and any(el.tag in figure_tags for el in para.iter()):
            out.add(current)
    return out


# --- finding --------------------------------------------------------------------------

_BRACKET = re.compile(r"\[([^\[\]]{1,600})\]")
_TAG = re.compile(r"\{[{%#][^\n]{0,120}?[}%#]\}|\{[{%]")
#: Places where "draft" in any case marks the document (not only DRAFT in capitals).
_MARKED_PLACES = re.compile(
    r"header|footer|watermark|document property (?:Title|Subject|Status|Keywords|Category)"
    r"|custom document property|title$",
    re.IGNORECASE,
)
#: Pieces that are the reader's own view of a place, not text a reader of the page sees.
_SKIP_PLACES = re.compile(r"\(field code|\(deletion|\(deleted|tracked change or comment author")


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1].rstrip() + "…"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def classify_bracket(content: str, rules: Rules) -> str | None:
    """The kind of a bracketed text, or None for a bracket in ordinary prose."""
    inner = " ".join(content.split())
    folded = inner.casefold()
    if not inner:
        return None
    if any(phrase in folded for phrase in rules.officer_notes):
        return "note-to-officer"
    if rules.starts is not None and rules.starts.match(inner):
        return "placeholder"
    if folded in rules.words:
        return "placeholder"
    return None


@functools.lru_cache(maxsize=256)
def _required(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match of ``pattern`` holds one (the literal text it starts
    with, after any word boundary, or that of each alternative), or None when there are
    none to be sure of. ``\\bTBC\\b`` holds "TBC": Python's expressions cannot skip
    ahead to a literal behind a ``\\b``, so they try every position of a long text, and a
    plain substring search first saves that on every text that cannot match."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        try:
            import re._parser as sre_parse  # type: ignore[import-not-found]
        except ImportError:  # pragma: no cover - Python 3.10
            import sre_parse  # type: ignore[import-not-found,no-redef]
        items = list(sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # an unusual expression: search it as it is
        return None

    def literal_run(seq: list[Any]) -> str:
        out = []
        index = 0
        while index < len(seq) and str(seq[index][0]) == "AT":
            index += 1
        for op, arg in seq[index:]:
            if str(op) != "LITERAL":
                break
            out.append(chr(arg))
        return "".join(out)

    start = 0
    while start < len(items) and str(items[start][0]) == "AT":
        start += 1
    if start < len(items) and str(items[start][0]) == "BRANCH":
        runs = tuple(literal_run(list(alt)) for alt in items[start][1][1])
    else:
        runs = (literal_run(items),)
    return runs if runs and all(runs) else None


def _may_match(pattern: re.Pattern[str], text: str) -> bool:
    need = _required(pattern)
    return need is None or any(n in text for n in need)


def scan_text(text: str, location: str, rules: Rules) -> list[Finding]:
    """Every finding in one place's text, in order."""
    found: list[tuple[int, Finding]] = []
    for m in _BRACKET.finditer(text):
        kind = classify_bracket(m.group(1), rules)
        if kind is not None:
            found.append((m.start(), Finding(kind, _shown(m.group(0)), location)))
    for pattern in rules.patterns:
        if not _may_match(pattern, text):
            continue
        for m in pattern.finditer(text):
            if m.group(0).strip() and not any(
                f.kind == "placeholder" and _key(m.group(0)) in _key(f.text) for _, f in found
            ):
                found.append((m.start(), Finding("placeholder", _shown(m.group(0)), location)))
    for m in _TAG.finditer(text):
        found.append((m.start(), Finding("template-tag", _shown(m.group(0)), location)))
    if rules.draft_words is not None:
        marks = (
            list(rules.draft_words.finditer(text)) if _may_match(rules.draft_words, text) else []
        )
        if not marks and _MARKED_PLACES.search(location):
            marks = list(re.finditer(r"\bdraft\b", text, re.IGNORECASE))
        if marks:
            found.append((marks[0].start(), Finding("draft-mark", _shown(text), location)))
    found.sort(key=lambda t: t[0])
    return [f for _, f in found]


def find_in_source(source: DraftSource, rules: Rules) -> list[Finding]:
    findings: list[Finding] = []
    for piece in source.pieces:
        if not piece.text or not piece.scan or _SKIP_PLACES.search(piece.location):
            continue
        findings.extend(scan_text(piece.text, _piece_location(piece), rules))
    for text, location in source.watermarks:
        findings.extend(scan_text(text, location, rules))
        if not any(f.location == location for f in findings):
            findings.append(Finding("draft-mark", _shown(text), location))
    for text, where in source.styled:
        location = _locate(text, where, source.pieces)
        key = _key(text)
        if any(
            f.location == location and (key in _key(f.text) or _key(f.text) in key)
            for f in findings
            if f.kind in ("placeholder", "note-to-officer")
        ):
            continue
        findings.append(Finding("placeholder", _shown(text), location))
    for heading in source.headings:
        if not heading.has_text_after:
            findings.append(Finding("empty-section", _shown(heading.text), heading.location))
    out: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for f in findings:
        key3 = (f.kind, _key(f.text), f.location)
        if key3 not in seen:
            seen.add(key3)
            out.append(f)
    return out


def _piece_location(piece: Piece) -> str:
    if piece.first_line is not None:
        return f"line {piece.first_line}"
    return piece.location


def _locate(text: str, where: str, pieces: Sequence[Piece]) -> str:
    """The reader's name for the place a styled run sits in (its paragraph or note)."""
    key = _key(text)
    wanted = {
        "body": lambda loc: (
            not re.match(r"(?:\w+-page )?(?:header|footer)|footnote|endnote|comment", loc)
        ),
        "header": lambda loc: "header" in loc,
        "footer": lambda loc: "footer" in loc,
        "footnotes": lambda loc: loc.startswith("footnote"),
        "endnotes": lambda loc: loc.startswith("endnote"),
        "comments": lambda loc: loc.startswith("comment"),
    }.get(where, lambda loc: True)
    for piece in pieces:
        if piece.kind is None and wanted(piece.location) and key in _key(piece.text):
            return _piece_location(piece)
    return {"body": "body", "footnotes": "a footnote", "endnotes": "an endnote"}.get(where, where)


# --- the check ------------------------------------------------------------------------


def _check_path(path: Path) -> None:
    if not path.exists():
        raise InputError(
            "does not exist", file=path, advice="check the file name and folder, then try again"
        )
    if path.is_dir():
        raise InputError("is a folder", file=path, advice="name the documents themselves")
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(
            f'is a "{path.suffix or "(no extension)"}" file, which scrtool cannot check',
            file=path,
            advice="check a .docx, .pdf, .txt or .md file",
        )


def read_for_draft(path: Path) -> ReadFile:
    """A file read as this check needs it: every place, and the visible paragraphs when
    there are any (a document with no visible text still has places to judge)."""
    from scrtool.readers.documents import read_file

    return read_file(path, require_text=False)


def check_read_file(read: ReadFile, rules: Rules) -> FileReport:
    """Judge a file read already (``scrtool package`` reads each file once for every check)."""
    source = read_draft_source(read, rules)
    return FileReport(path=read.path, findings=tuple(find_in_source(source, rules)))


def check_file(path: Path, rules: Rules) -> FileReport:
    path = Path(path)
    _check_path(path)
    return check_read_file(read_for_draft(path), rules)


def check_draft(
    paths: Sequence[Path], *, rules: Rules | None = None, read: Sequence[ReadFile] | None = None
) -> DraftReport:
    """Check each file for placeholders, draft marks, officer's notes, template tags and
    empty sections. Every path is checked before any is read; ``read`` holds the files
    read already (one per path, in order), so no file is read again."""
    paths = [Path(p) for p in paths]
    for path in paths:
        _check_path(path)
    rules = rules or load_rules()
    if read is not None:
        if [r.path for r in read] != paths:
            raise ValueError("the files read are not the files to check")
        return DraftReport(files=tuple(check_read_file(r, rules) for r in read))
    return DraftReport(files=tuple(check_file(p, rules) for p in paths))


# --- pages, for a refusal that sends the author to the right page -----------------------


def _page_texts(pdf: Path) -> list[str]:
    """Each page's text, as the PDF reader every check uses reads it (PDFium)."""
    from scrtool.readers.pdf import read_pdf_bytes

    read = read_pdf_bytes(Path(pdf).read_bytes(), pdf, structure=False, require_text=False)
    return [_key(text) for text in read.page_texts]


def with_pages(report: DraftReport, pdfs: Mapping[Path, Path]) -> DraftReport:
    """Add the page to each finding of a .docx from its PDF copy (``pdfs``: source -> PDF).

    A property or a watermark has no page and keeps its place as it is.
    """
    files = []
    for file in report.files:
        pdf = pdfs.get(file.path)
        if pdf is None or not file.findings:
            files.append(file)
            continue
        pages = _page_texts(pdf)
        findings = []
        for f in file.findings:
            if f.location.startswith(("document property", "custom document property", "page ")):
                findings.append(f)
                continue
            key = _key(f.text.rstrip("…"))
            hits = [n for n, text in enumerate(pages, start=1) if key and key in text]
            if hits and len(hits) == len(pages) and len(pages) > 1:
                where = "every page"
            elif hits:
                where = f"page {hits[0]}"
            else:
                findings.append(f)
                continue
            findings.append(replace(f, location=f"{f.location}, {where}"))
        files.append(replace(file, findings=tuple(findings)))
    return DraftReport(files=tuple(files))


def refusal_lines(report: DraftReport | Mapping[str, Any]) -> list[str]:
    """One line per finding, naming the file and the place (with the page when known)."""
    data = report.to_json() if isinstance(report, DraftReport) else report
    lines = []
    for entry in data.get("files", []):
        name = Path(str(entry.get("path"))).name
        for f in entry.get("findings", []):
            kind = str(f.get("kind"))
            lines.append(
                f'{name}: unfinished: {kind} "{f.get("text")}" ({f.get("location")}); '
                f"{ADVICE.get(kind, 'finish it and save the document again')}"
            )
    return lines


def check_before_sending(
    paths: Sequence[Path],
    *,
    convert: Callable[[Sequence[Path], Path], list[Path]] | None = None,
    work: Path | None = None,
    read: Sequence[ReadFile] | None = None,
) -> tuple[DraftReport, list[str]]:
    """The draft check as ``package`` and ``publish`` run it: never skippable.

    Returns the report and the refusal's lines (empty when every document is finished).
    With ``convert`` (Word to PDF) and a ``work`` folder, each failing .docx is converted
    so every finding says its page. ``read``: the files read already (see ``check_draft``).
    """
    report = check_draft(paths, read=read)
    if report.passed:
        return report, []
    failing = [f.path for f in report.files if not f.passed and f.path.suffix.lower() == ".docx"]
    if failing and convert is not None and work is not None:
        try:
            pdfs = convert(failing, work / "draft-pages")
        except Exception:  # the pages are a help; the refusal stands without them
            pdfs = []
        if len(pdfs) == len(failing):
            report = with_pages(report, dict(zip(failing, pdfs, strict=True)))
    return report, refusal_lines(report)
