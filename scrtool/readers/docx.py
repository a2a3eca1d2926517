"""Every place in a .docx where text can hide, read straight from the package parts.

python-docx's ``paragraph.text`` skips tracked insertions, deleted text, text boxes and
content controls, and knows nothing of comments' authors or custom XML, so the parts
are read here, under the one safety policy of ``readers.safety`` (no DTDs or entities,
zip parts and nesting capped, Strict namespaces mapped). The stories (body, headers,
notes, comments) are read here; the parts around them in ``readers.docx_parts``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool.readers.docx_parts import PackageParts, R, W, _w, embedded_file_pieces  # noqa: F401  (W: for checks that read parts)
from scrtool.readers.model import UNSPACED, Piece
from scrtool.readers.safety import (  # noqa: F401  (the names other modules import from here)
    CORRUPT_ADVICE,
    MAX_EMBED_DEPTH,
    MAX_ENTRIES,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    RATIO_FLOOR,
    Package,
    _refuse,
    is_local_path,
    parse_xml,
)

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


W_T, W_R, W_P, W_TR, W_TC = _w("t"), _w("r"), _w("p"), _w("tr"), _w("tc")
W_RPR, W_PPR, W_VANISH, W_RSTYLE, W_PSTYLE, W_VAL = (
    _w("rPr"), _w("pPr"), _w("vanish"), _w("rStyle"), _w("pStyle"), _w("val")
)  # fmt: skip


def _on(el: Any) -> bool:
    """A WordprocessingML on/off property (``<w:vanish/>`` is on; ``w:val="0"`` is off)."""
    if el is None:
        return False
    return (el.get(_w("val")) or "true").lower() not in ("0", "false", "off", "none")


def hidden_style_ids(styles_root: Any) -> set[str]:
    """Ids of the styles (character or paragraph) that hide their text, through the
    styles they are based on, unless a nearer style shows it again."""
    vanish: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for style in styles_root.iter(_w("style")):
        sid = style.get(_w("styleId"))
        if not sid:
            continue
        rpr = style.find(_w("rPr"))
        v = rpr.find(_w("vanish")) if rpr is not None else None
        vanish[sid] = _on(v) if v is not None else None
        base = style.find(_w("basedOn"))
        if base is not None and base.get(_w("val")):
            based[sid] = base.get(_w("val"))
    hidden: set[str] = set()
    for sid in vanish:
        seen = set()
        cur: str | None = sid
        while cur is not None and cur not in seen:
            seen.add(cur)
            if vanish.get(cur) is not None:
                if vanish[cur]:
                    hidden.add(sid)
                break
            cur = based.get(cur)
    return hidden


@dataclass
class _Para:
    text: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    formatting_by: list[str] = field(default_factory=list)
    ruby: list[str] = field(default_factory=list)


@dataclass
class _Change:
    kind: str  # "inserted" / "deleted" / "moved from" / "moved to"
    author: str
    text: list[str] = field(default_factory=list)


_CHANGE_TAGS = {
    _w("ins"): "inserted",
    _w("del"): "deleted",
    _w("moveFrom"): "moved from",
    _w("moveTo"): "moved to",
}
_FORMAT_CHANGES = {
    _w(t) for t in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tcPrChange", "trPrChange", "tblGridChange", "numberingChange")
}  # fmt: skip
W_BR, W_TAB, W_CR, W_NBH = _w("br"), _w("tab"), _w("cr"), _w("noBreakHyphen")
W_TBL, W_INSTR, W_FLDSIMPLE, W_INSTR_ATTR = _w("tbl"), _w("instrText"), _w("fldSimple"), _w("instr")
W_DOCPR, W_CNVPR = f"{{{WP}}}docPr", f"{{{PIC}}}cNvPr"
_TEXT_TAGS = (W_T, W_BR, W_TAB, W_CR, W_NBH)
_FAST_TAGS = (W_P, W_TBL, W_TR, W_TC, W_T, W_BR, W_TAB, W_CR, W_NBH)
_SPACES = frozenset((W_BR, W_TAB, W_CR, W_NBH))
_ALT_TAGS = (W_DOCPR, W_CNVPR, f"{{{V}}}shape", f"{{{V}}}rect", f"{{{V}}}imagedata")
#: What the fast path cannot read: any of these sends a story through the full walk.
_COMPLEX = (
    *_CHANGE_TAGS, *_FORMAT_CHANGES, _w("delText"), W_VANISH, _w("txbxContent"), _w("ruby"),
    f"{{{MC}}}AlternateContent",
)  # fmt: skip
_SKIP = {
    _w("rPr"), _w("sectPr"), _w("tblPr"), _w("tblGrid"), _w("trPr"), _w("tcPr"),
    _w("sdtPr"), _w("sdtEndPr"), _w("bookmarkStart"), _w("bookmarkEnd"),
    _w("proofErr"), _w("lastRenderedPageBreak"),
}  # fmt: skip


def _gap(tag: Any, texts: list[str]) -> str:
    """A line break is a space, except after a hyphen: "Okon-" + break + "kwo" is kept
    as a line break so the scanner joins the word again, as it does in a PDF."""
    if tag in (W_BR, W_CR) and texts and texts[-1].endswith("-"):
        return "\n"
    return " "


class _StoryReader:
    """Walks one story (body, header, footnote...) and turns it into pieces."""

    def __init__(self, doc: DocxReader, where: str, *, number_paragraphs: bool) -> None:
        self.doc = doc
        self.where = where
        self.number_paragraphs = number_paragraphs
        self.pieces: list[Piece] = []
        self.paragraph_no = 0
        self.table_no = 0
        self.cell: tuple[int, int, int] | None = None
        self.textbox_no = 0
        self.stack: list[tuple[_Para, str]] = []
        self.changes: list[_Change] = []
        self.change: _Change | None = None
        self.hidden_style = False
        self.run_hidden = False
        self._dispatch = self._make_dispatch()

    # locations
    def _loc(self) -> str:
        if self.stack and self.stack[-1][1]:
            return self.stack[-1][1]
        return self.where

    def _para_loc(self) -> str:
        if self.cell is not None and not self.stack[:-1]:
            t, r, c = self.cell
            inner = f"table {t}, row {r}, cell {c}"
            return inner if self.where == "body" else f"{self.where}, {inner}"
        if self.number_paragraphs and not self.stack[:-1]:
            return (
                f"paragraph {self.paragraph_no}"
                if self.where == "body"
                else f"{self.where}, paragraph {self.paragraph_no}"
            )
        return self._loc()

    def read(self, root: Any, *, fast: bool | None = None) -> list[Piece]:
        """The story's pieces; a story with nothing hidden in it is read by a fast path."""
        if fast is None:
            fast = not self.doc.hidden_styles and next(root.iter(*_COMPLEX), None) is None
        if fast:
            self._read_fast(root)
        else:
            self._children(root)
        return self.pieces

    def _read_fast(self, root: Any) -> None:
        """The same pieces as the full walk, for a story with no tracked changes, hidden
        text or text boxes: one lxml walk over paragraphs, tables and text only."""
        from lxml import etree

        fields: dict[Any, list[str]] = {}
        for field_el in root.iter(W_INSTR, W_FLDSIMPLE):
            code = field_el.text if field_el.tag == W_INSTR else field_el.get(W_INSTR_ATTR)
            owner = next(field_el.iterancestors(W_P), None)
            if code and owner is not None:
                fields.setdefault(owner, []).append(code)
        tables: list[list[int]] = []
        texts: list[str] = []
        for event, el in etree.iterwalk(root, events=("start", "end"), tag=_FAST_TAGS):
            tag = el.tag
            if tag == W_T:
                if event == "start" and el.text:
                    texts.append(el.text)
            elif tag in _SPACES:
                if event == "start":
                    texts.append("-" if tag == W_NBH else _gap(tag, texts))
            elif tag == W_P:
                if event == "start":
                    self.paragraph_no += 1
                    texts = []
                    continue
                para = _Para(text=texts, fields=fields.get(el, []))
                self.stack.append((para, ""))
                location = self._para_loc()
                self.stack.pop()
                self._emit(para, location, len(self.changes))
                texts = []
            elif tag == W_TBL:
                if event == "start":
                    self.table_no += 1
                    tables.append([self.table_no, 0, 0])
                else:
                    tables.pop()
                    self.cell = (tables[-1][0], tables[-1][1], tables[-1][2]) if tables else None
            elif event == "start" and tables:
                if tag == W_TR:
                    tables[-1][1] += 1
                    tables[-1][2] = 0
                else:
                    tables[-1][2] += 1
                    self.cell = (tables[-1][0], tables[-1][1], tables[-1][2])
        for el in root.iter(*_ALT_TAGS):
            if el.tag in (W_DOCPR, W_CNVPR):
                self._alt_text(el.get("descr"), el.get("title"))
            else:
                self._alt_text(el.get("alt"), el.get(f"{{{OFFICE}}}title"))

    def _children(self, el: Any) -> None:
        dispatch = self._dispatch
        for child in el:
            handler = dispatch.get(child.tag)
            if handler is not None:
                handler(child)
            elif child.tag not in _SKIP and isinstance(child.tag, str):
                self._children(child)

    def _visit(self, el: Any) -> None:
        handler = self._dispatch.get(el.tag)
        if handler is not None:
            handler(el)
        elif el.tag not in _SKIP and isinstance(el.tag, str):
            self._children(el)

    def _make_dispatch(self) -> dict[Any, Any]:
        space = lambda el: self._text(" ")  # noqa: E731
        handlers: dict[Any, Any] = {
            W_T: self._t,
            W_R: self._run,
            W_P: self._paragraph,
            _w("tab"): space,
            _w("br"): self._break,
            _w("cr"): self._break,
            _w("noBreakHyphen"): lambda el: self._text("-"),
            _w("delText"): self._del_text,
            _w("instrText"): self._instr,
            _w("tbl"): self._table,
            f"{{{MC}}}AlternateContent": self._alternate,
            _w("txbxContent"): self._textbox,
            _w("ruby"): self._ruby,
            _w("fldSimple"): self._simple_field,
            f"{{{WP}}}docPr": self._drawing_alt,
            f"{{{PIC}}}cNvPr": self._drawing_alt,
            f"{{{V}}}shape": self._vml_alt,
            f"{{{V}}}rect": self._vml_alt,
            f"{{{V}}}imagedata": self._vml_alt,
        }
        for tag, kind in _CHANGE_TAGS.items():
            handlers[tag] = lambda el, kind=kind: self._change(el, kind)
        return handlers

    def _ruby(self, el: Any) -> None:
        """Japanese ruby: the base text is part of the sentence; the reading above it
        (often a name spelled out in kana) is kept as a piece of its own."""
        base = el.find(_w("rubyBase"))
        if base is not None:
            self._children(base)
        reading = el.find(_w("rt"))
        if reading is not None and self.stack:
            text = "".join(t.text or "" for t in reading.iter(W_T))
            if text.strip():
                self.stack[-1][0].ruby.append(text)

    def _break(self, el: Any) -> None:
        self._text(_gap(el.tag, self.stack[-1][0].text if self.stack else []))

    def _t(self, el: Any) -> None:
        if el.text:
            self._text(el.text)

    def _del_text(self, el: Any) -> None:
        if el.text:
            self._text(el.text, deleted=True)

    def _instr(self, el: Any) -> None:
        if el.text and self.stack:
            self.stack[-1][0].fields.append(el.text)

    def _simple_field(self, el: Any) -> None:
        instr = el.get(_w("instr"))
        if instr and self.stack:
            self.stack[-1][0].fields.append(instr)
        self._children(el)

    def _alternate(self, el: Any) -> None:
        """Read mc:Choice (what Word shows), never mc:Fallback too, or text is doubled."""
        choice = el.find(f"{{{MC}}}Choice")
        if choice is None:
            choice = el.find(f"{{{MC}}}Fallback")
        if choice is not None:
            self._children(choice)

    def _drawing_alt(self, el: Any) -> None:
        self._alt_text(el.get("descr"), el.get("title"))

    def _vml_alt(self, el: Any) -> None:
        self._alt_text(el.get("alt"), el.get(f"{{{OFFICE}}}title"))
        self._children(el)

    def _table(self, el: Any) -> None:
        self.table_no += 1
        saved = self.cell
        table = self.table_no
        row = 0
        for tr in el:
            if tr.tag == W_TR:
                row += 1
                col = 0
                for tc in tr:
                    if tc.tag == W_TC:
                        col += 1
                        self.cell = (table, row, col)
                        self._children(tc)
                    else:
                        self._visit(tc)
            else:
                self._visit(tr)
        self.cell = saved

    def _text(self, text: str, *, deleted: bool = False) -> None:
        change = self.change
        if deleted or (change is not None and change.kind in ("deleted", "moved from")):
            if change is not None:
                change.text.append(text)
            else:
                self.changes.append(_Change("deleted", "", [text]))
            return
        if not self.stack:
            return
        para = self.stack[-1][0]
        para.text.append(text)
        if change is not None:
            change.text.append(text)
        if self.run_hidden:
            para.hidden.append(text)

    def _run(self, el: Any) -> None:
        saved = self.run_hidden
        hidden = self.hidden_style
        texts = []
        dispatch = self._dispatch
        for child in el:
            tag = child.tag
            if tag == W_T:
                if child.text:
                    texts.append(child.text)
                continue
            if tag == W_RPR:
                vanish = child.find(W_VANISH)
                if vanish is not None:
                    hidden = _on(vanish)
                else:
                    style = child.find(W_RSTYLE)
                    if style is not None and style.get(W_VAL) in self.doc.hidden_styles:
                        hidden = True
                self._rpr_changes(child)
                self.run_hidden = hidden
                continue
            if texts:
                self._text("".join(texts))
                texts = []
            self.run_hidden = hidden
            handler = dispatch.get(tag)
            if handler is not None:
                handler(child)
            elif tag not in _SKIP and isinstance(tag, str):
                self._children(child)
        if texts:
            self.run_hidden = hidden
            self._text("".join(texts))
        self.run_hidden = saved

    def _rpr_changes(self, rpr: Any) -> None:
        for child in rpr:
            if child.tag in _FORMAT_CHANGES and self.stack:
                self.stack[-1][0].formatting_by.append(child.get(_w("author")) or "")
            elif child.tag in (_w("ins"), _w("del")):
                self.changes.append(
                    _Change(
                        "paragraph mark " + _CHANGE_TAGS[child.tag],
                        child.get(_w("author")) or "",
                    )
                )

    def _change(self, el: Any, kind: str) -> None:
        saved = self.change
        change = _Change(kind, el.get(_w("author")) or "")
        self.changes.append(change)
        self.change = change
        self._children(el)
        self.change = saved

    def _paragraph(self, el: Any) -> None:
        nested = bool(self.stack)
        if not nested:
            self.paragraph_no += 1
        saved_style = self.hidden_style
        ppr = el.find(W_PPR)
        if ppr is not None:
            style = ppr.find(W_PSTYLE)
            if style is not None and style.get(W_VAL) in self.doc.hidden_styles:
                self.hidden_style = True
            rpr = ppr.find(_w("rPr"))
            change = ppr.find(_w("pPrChange"))
            para_changes_start = len(self.changes)
        else:
            rpr = None
            change = None
            para_changes_start = len(self.changes)
        para = _Para()
        location = self._loc() if nested else ""
        self.stack.append((para, location))
        if change is not None:
            para.formatting_by.append(change.get(_w("author")) or "")
        if rpr is not None:
            self._rpr_changes(rpr)
        dispatch = self._dispatch
        for child in el:
            handler = dispatch.get(child.tag)
            if handler is not None:
                handler(child)
            elif child.tag != W_PPR and child.tag not in _SKIP and isinstance(child.tag, str):
                self._children(child)
        self.stack.pop()
        self.hidden_style = saved_style
        self._emit(para, location or self._para_loc(), para_changes_start)

    def _emit(self, para: _Para, location: str, changes_from: int) -> None:
        text = "".join(para.text)
        if text.strip():
            self.pieces.append(Piece(text, location))
        if para.hidden and "".join(para.hidden).strip():
            self.pieces.append(
                Piece(
                    "".join(para.hidden),
                    f"{location} (hidden text)",
                    kind="hidden-text",
                    scan=False,
                )
            )
        for change in self.changes[changes_from:]:
            by = f" by {change.author}" if change.author else ""
            changed = "".join(change.text)
            shown = changed if changed.strip() else f"({change.kind})"
            deleted = change.kind in ("deleted", "moved from")
            self.pieces.append(
                Piece(
                    changed,
                    f"{location} ({change.kind}{by})",
                    kind="tracked-change",
                    scan=deleted,
                    shown=shown,
                )
            )
            if change.author:
                self.doc.authors.add(change.author)
        del self.changes[changes_from:]
        for author in para.formatting_by:
            by = f" by {author}" if author else ""
            self.pieces.append(
                Piece(
                    text,
                    f"{location} (formatting change{by})",
                    kind="tracked-change",
                    scan=False,
                    shown=text if text.strip() else "(formatting change)",
                )
            )
            if author:
                self.doc.authors.add(author)
        if para.ruby:
            self.pieces.append(Piece(_join_readings(para.ruby), f"{location} (ruby text)"))
        for code in para.fields:
            code = code.strip()
            if not code:
                continue
            self.pieces.append(Piece(code, f"{location} (field code)"))
            if is_local_path(code):
                self.pieces.append(
                    Piece(
                        code,
                        f"{location} (field code with a file path)",
                        kind="metadata",
                        severity="medium",
                        scan=False,
                    )
                )

    def _textbox(self, el: Any) -> None:
        self.textbox_no += 1
        where = (
            f"text box {self.textbox_no}"
            if self.where == "body"
            else f"{self.where}, text box {self.textbox_no}"
        )
        saved_cell = self.cell
        self.cell = None
        self.stack.append((_Para(), where))
        for child in el:
            self._visit(child)
        self.stack.pop()
        self.cell = saved_cell

    def _alt_text(self, *values: str | None) -> None:
        for value in values:
            if value and value.strip():
                self.doc.alt_texts.append(value.strip())


def main_part(pkg: Package, path: Path | str) -> str:
    """The main document part, as the package's relationships name it."""
    for rtype, target, _ext in pkg.rels("").values():
        if rtype == "officeDocument" and target in pkg:
            return target
    if "word/document.xml" in pkg:
        return "word/document.xml"
    raise _refuse(
        path,
        "is a zip file but not a Word document (it has no word/document.xml)",
        "open it in Word and save it as a Word Document (.docx), then check the new copy",
    )


def main_root(pkg: Package, path: Path | str, main: str) -> Any:
    root = pkg.xml(main)
    if root.tag != _w("document"):
        # An Excel or PowerPoint file renamed .docx has a main part too, of another kind.
        raise _refuse(
            path,
            "is not a Word document (it may be an Excel or PowerPoint file renamed .docx)",
            "open the report in Word and save it as a Word Document (.docx), then check it",
        )
    return root


_UNSPACED = re.compile(f"[{UNSPACED}]")


def _join_readings(readings: list[str]) -> str:
    """The readings of a paragraph's ruby, one after another: Word gives each group of
    characters its own, so a name's reading in kana is whole only when they are joined
    without a space (Latin readings keep one between them)."""
    out = readings[0]
    for reading in readings[1:]:
        joined = _UNSPACED.match(out[-1:]) and _UNSPACED.match(reading[:1])
        out += reading if joined else " " + reading
    return out


class DocxReader(PackageParts):
    """Reads a .docx package into pieces: every story, property, link and embedded file."""

    def __init__(self, path: Path | str, data: bytes | None = None, depth: int = 0) -> None:
        self.path = path
        self.depth = depth
        self.package = Package(data if data is not None else Path(path), name=path)
        self.hidden_styles: set[str] = set()
        self.authors: set[str] = set()
        self.alt_texts: list[str] = []
        self.pieces: list[Piece] = []

    def _open_docx(self, data: bytes, where: str, depth: int) -> list[Piece]:
        return read_embedded_docx(data, where, depth)

    def main_part(self) -> str:
        return main_part(self.package, self.path)

    def read(self) -> list[Piece]:
        main = self.main_part()
        pkg = self.package
        rels = pkg.rels(main)
        by_type: dict[str, list[tuple[str, str]]] = {}
        for rid, (rtype, target, external) in rels.items():
            if not external:
                by_type.setdefault(rtype, []).append((rid, target))
        styles = [t for _, t in by_type.get("styles", [])]
        if styles and styles[0] in pkg:
            self._styles(pkg.xml(styles[0]))
        root = main_root(pkg, self.path, main)
        body = root.find(_w("body"))
        self._story(body if body is not None else root, "body", number=True)
        self._headers_footers(root, rels)
        done = {main}
        for rtype, label in (("footnotes", "footnote"), ("endnotes", "endnote")):
            for _, target in by_type.get(rtype, []):
                if target in pkg:
                    self._notes(pkg.xml(target), label)
                    done.add(target)
        for _, target in by_type.get("comments", []):
            if target in pkg:
                self._comments(pkg.xml(target))
                done.add(target)
        for _, target in by_type.get("people", []):
            if target in pkg:
                self._people(pkg.xml(target))
        for _, target in by_type.get("glossaryDocument", []):
            if target in pkg:
                self._story(pkg.xml(target), "building block (glossary)", number=False)
        for _, target in by_type.get("settings", []):
            if target in pkg:
                self._settings(pkg.xml(target), pkg.rels(target))
        self._properties()
        self._links()
        self._custom_xml()
        self._diagrams_and_charts()
        self._embedded()
        for text in dict.fromkeys(self.alt_texts):
            self.pieces.append(Piece(text, "picture alt text"))
        for author in sorted(self.authors):
            self.pieces.append(Piece(author, "tracked change or comment author"))
        return self.pieces

    def _styles(self, root: Any) -> None:
        self.hidden_styles |= hidden_style_ids(root)

    def _story(self, root: Any, where: str, *, number: bool) -> None:
        reader = _StoryReader(self, where, number_paragraphs=number)
        self.pieces.extend(reader.read(root))

    def _headers_footers(self, root: Any, rels: dict[str, tuple[str, str, bool]]) -> None:
        labels: dict[str, str] = {}
        sections = list(root.iter(_w("sectPr")))
        for number, sect in enumerate(sections, start=1):
            for ref in sect:
                if ref.tag not in (_w("headerReference"), _w("footerReference")):
                    continue
                rid = ref.get(f"{{{R}}}id")
                if rid not in rels:
                    continue
                target = rels[rid][1]
                which = "header" if ref.tag == _w("headerReference") else "footer"
                kind = ref.get(_w("type")) or "default"
                prefix = {"first": "first-page ", "even": "even-page "}.get(kind, "")
                label = f"{prefix}{which} (section {number})"
                labels.setdefault(target, label)
        for rid, (rtype, target, external) in sorted(rels.items()):
            del rid
            if external or rtype not in ("header", "footer") or target not in self.package:
                continue
            label = labels.get(target, f"{rtype} ({posixpath.basename(target)})")
            self._story(self.package.xml(target), label, number=False)

    def _notes(self, root: Any, label: str) -> None:
        number = 0
        for note in root:
            if note.tag not in (_w("footnote"), _w("endnote")):
                continue
            if (note.get(_w("type")) or "normal") != "normal":
                continue
            number += 1
            self._story(note, f"{label} {number}", number=False)

    def _comments(self, root: Any) -> None:
        for number, comment in enumerate(root.iter(_w("comment")), start=1):
            author = comment.get(_w("author")) or ""
            by = f" by {author}" if author else ""
            where = f"comment {number}{by}"
            reader = _StoryReader(self, where, number_paragraphs=False)
            pieces = reader.read(comment)
            text = "\n".join(
                p.text for p in pieces if p.kind is None and "(field code)" not in p.location
            )
            self.pieces.append(
                Piece(text, where, kind="comment", scan=False, shown=text or "(empty comment)")
            )
            self.pieces.extend(pieces)
            for value in (author, comment.get(_w("initials"))):
                if value:
                    self.authors.add(value)

    def _people(self, root: Any) -> None:
        for person in root.iter(f"{{{W15}}}person"):
            author = person.get(f"{{{W15}}}author")
            if author:
                self.authors.add(author)


def embedded_text_pieces(data: bytes, where: str, depth: int) -> list[Piece]:
    """Text inside an embedded file (kept for the PDF reader's attachments): another
    Office package read as a document, an OLE object's names and properties; never the
    strings of binary data."""

    return embedded_file_pieces(data, where, depth, read_embedded_docx)


def read_embedded_docx(data: bytes, where: str, depth: int) -> list[Piece]:
    """An embedded Word document, read as a document, its places under ``where``."""
    inner = DocxReader(where, data=data, depth=depth)
    return [
        Piece(p.text, f"{where}: {p.location}", p.kind, p.severity, p.scan, p.shown)
        for p in inner.read()
    ]


def docx_pieces(path: Path) -> list[Piece]:
    return DocxReader(path).read()
