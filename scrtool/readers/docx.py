"""Every place in a .docx where text can hide, read straight from the package parts.

python-docx's ``paragraph.text`` skips tracked insertions, deleted text, text boxes and
content controls, and knows nothing of comments' authors or custom XML, so the parts
are read here with a parser that never expands entities, never touches the network and
refuses a file whose parts would not fit in memory (a zip bomb) before reading them.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from scrtool.errors import UnreadableInputError
from scrtool.readers.model import Piece

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


W_T, W_R, W_P, W_TR, W_TC = _w("t"), _w("r"), _w("p"), _w("tr"), _w("tc")
W_RPR, W_PPR, W_VANISH, W_RSTYLE, W_PSTYLE, W_VAL = (
    _w("rPr"), _w("pPr"), _w("vanish"), _w("rStyle"), _w("pStyle"), _w("val")
)  # fmt: skip


#: Limits that refuse a hostile package from its directory, before anything is read.
MAX_ENTRIES = 5000
MAX_PART_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 8 * 1024 * 1024
MAX_EMBED_DEPTH = 2

CORRUPT_ADVICE = "open it in Word, save it again as a .docx and check the new copy"


def _refuse(path: Path | str, problem: str, advice: str = CORRUPT_ADVICE) -> UnreadableInputError:
    return UnreadableInputError(problem, file=path, advice=advice)


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"))


def parse_xml(data: bytes, *, file: Path | str, part: str) -> Any:
    """Parse one part safely: a DTD (which Word never writes) is refused, not expanded."""
    from lxml import etree

    head = data[:65536]
    if any(marker in head for marker in _DTD_MARKERS):
        raise _refuse(
            file,
            f'part "{part}" declares a DTD or entities, which Word never writes; the file may be hostile',
            "do not open it; ask for the report to be saved again from Word",
        )
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise _refuse(file, f'part "{part}" is not well-formed XML ({exc})') from None
    if root.getroottree().docinfo.doctype:
        raise _refuse(
            file,
            f'part "{part}" declares a DTD, which Word never writes; the file may be hostile',
            "do not open it; ask for the report to be saved again from Word",
        )
    return root


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(8)
    except OSError:
        return b""


class Package:
    """A zip package opened with its directory checked against the limits."""

    def __init__(self, source: Path | bytes, *, name: Path | str) -> None:
        import io

        self.name = name
        try:
            if isinstance(source, bytes):
                self.zip = zipfile.ZipFile(io.BytesIO(source))
            else:
                self.zip = zipfile.ZipFile(source)
        except zipfile.BadZipFile:
            head = source[:8] if isinstance(source, bytes) else _head(source)
            if head.startswith(b"\xd0\xcf\x11\xe0"):
                raise _refuse(
                    name,
                    "is password-protected (encrypted) or an old Word 97-2003 file",
                    "it must be sent unencrypted: open it in Word, remove the password and "
                    "save it as a Word Document (.docx), then check the new copy",
                ) from None
            raise _refuse(
                name,
                "is not a Word document (a .docx is a zip package, and this is not one)",
                "open it in Word and save it as a Word Document (.docx), then check the new copy",
            ) from None
        except OSError as exc:
            raise _refuse(name, f"cannot be read ({exc.strerror or exc})") from exc
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _refuse(name, f"holds {len(infos)} parts, far more than any real document")
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if (
                info.file_size > MAX_PART_BYTES
                or total > MAX_TOTAL_BYTES
                or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO)
            ):
                raise _refuse(
                    name,
                    f'part "{info.filename}" would unpack to {info.file_size // (1024 * 1024)} MB, '
                    "which looks like a zip bomb rather than a document",
                    "do not open it; ask for the report to be saved again from Word",
                )
        self.names = {i.filename: i for i in infos}

    def __contains__(self, part: str) -> bool:
        return part in self.names

    def read(self, part: str) -> bytes:
        info = self.names[part]
        try:
            with self.zip.open(info) as handle:
                data = handle.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise _refuse(self.name, f'part "{part}" is damaged ({exc})') from None
        if len(data) > MAX_PART_BYTES:
            raise _refuse(self.name, f'part "{part}" is too large to be a real document part')
        return data

    def xml(self, part: str) -> Any:
        return parse_xml(self.read(part), file=self.name, part=part)

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Relationship id -> (type, target, external) for ``part``."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return {}
        root = self.xml(rels_name)
        out = {}
        for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
            rid = rel.get("Id") or ""
            target = rel.get("Target") or ""
            external = (rel.get("TargetMode") or "") == "External"
            if not external:
                target = posixpath.normpath(posixpath.join(folder, unquote(target))).lstrip("/")
                if target.startswith("/"):
                    target = target.lstrip("/")
            out[rid] = ((rel.get("Type") or "").rsplit("/", 1)[-1], target, external)
        return out


_PATH_RE = re.compile(
    r"(?:^|[\s\"'])(?:file:/+|[A-Za-z]:[\\/]|\\\\[\w.$-]+\\|/(?:Users|home|Volumes|mnt)/)", re.I
)


def is_local_path(target: str) -> bool:
    """A file path (C:\\Users\\..., \\\\server\\share, file://) that names a computer or user."""
    return bool(_PATH_RE.search(target))


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
    *_CHANGE_TAGS, *_FORMAT_CHANGES, _w("delText"), W_VANISH, _w("txbxContent"),
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


class DocxReader:
    """Reads a .docx package into pieces: every story, property, link and embedded file."""

    def __init__(self, path: Path | str, data: bytes | None = None, depth: int = 0) -> None:
        self.path = path
        self.depth = depth
        self.package = Package(data if data is not None else Path(path), name=path)
        self.hidden_styles: set[str] = set()
        self.authors: set[str] = set()
        self.alt_texts: list[str] = []
        self.pieces: list[Piece] = []

    def main_part(self) -> str:
        pkg = self.package
        for rid, (rtype, target, _ext) in pkg.rels("").items():
            del rid
            if rtype == "officeDocument" and target in pkg:
                return target
        if "word/document.xml" in pkg:
            return "word/document.xml"
        raise _refuse(
            self.path,
            "is a zip file but not a Word document (it has no word/document.xml)",
            "open it in Word and save it as a Word Document (.docx), then check the new copy",
        )

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
        root = pkg.xml(main)
        if root.tag != _w("document"):
            # An Excel or PowerPoint file renamed .docx has a main part too, of another kind.
            raise _refuse(
                self.path,
                "is not a Word document (it may be an Excel or PowerPoint file renamed .docx)",
                "open the report in Word and save it as a Word Document (.docx), then check it",
            )
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

    def _settings(self, root: Any, rels: dict[str, tuple[str, str, bool]]) -> None:
        template = root.find(_w("attachedTemplate"))
        if template is not None:
            rid = template.get(f"{{{R}}}id")
            if rid in rels:
                target = rels[rid][1]
                local = is_local_path(target) or "/" in target or "\\" in target
                self.pieces.append(
                    Piece(
                        unquote(target),
                        "attached template",
                        kind="metadata",
                        severity="medium" if local else "low",
                    )
                )
        for var in root.iter(_w("docVar")):
            name = var.get(_w("name")) or ""
            value = var.get(_w("val")) or ""
            if value.strip():
                self.pieces.append(
                    Piece(value, f"document variable {name}", kind="metadata", severity="low")
                )
        merge = root.find(_w("mailMerge"))
        if merge is not None:
            for child in merge.iter():
                value = child.get(_w("val")) or ""
                rid = child.get(f"{{{R}}}id")
                if rid in rels:
                    value = unquote(rels[rid][1])
                if value.strip() and (
                    child.tag in (_w("query"), _w("dataSource"), _w("connectString"))
                ):
                    self.pieces.append(
                        Piece(value, "mail merge data source", kind="metadata", severity="medium")
                    )

    def _properties(self) -> None:
        pkg = self.package
        core = "docProps/core.xml"
        labels = {
            "creator": ("Author", "medium"),
            "lastModifiedBy": ("Last modified by", "medium"),
            "title": ("Title", "low"),
            "subject": ("Subject", "low"),
            "keywords": ("Keywords", "low"),
            "description": ("Comments", "low"),
            "category": ("Category", "low"),
            "contentStatus": ("Status", "low"),
            "identifier": ("Identifier", "low"),
            "version": ("Version", "low"),
        }
        for rid, (rtype, target, _ext) in pkg.rels("").items():
            del rid
            if rtype == "core-properties" and target in pkg:
                core = target
        if core in pkg:
            for el in pkg.xml(core):
                if not isinstance(el.tag, str):
                    continue
                local = el.tag.rsplit("}", 1)[-1]
                if local in labels and el.text and el.text.strip():
                    label, severity = labels[local]
                    self.pieces.append(
                        Piece(
                            el.text.strip(),
                            f"document property {label}",
                            kind="metadata",
                            severity=severity,
                        )
                    )
        app = "docProps/app.xml"
        app_labels = {
            "Company": ("Company", "medium"),
            "Manager": ("Manager", "medium"),
            "Template": ("Template", "low"),
            "Application": ("Application", "low"),
            "HyperlinkBase": ("Hyperlink base", "low"),
        }
        if app in pkg:
            root = pkg.xml(app)
            for el in root:
                if not isinstance(el.tag, str):
                    continue
                local = el.tag.rsplit("}", 1)[-1]
                value = (el.text or "").strip()
                if local in app_labels and value:
                    label, severity = app_labels[local]
                    if is_local_path(value):
                        severity = "medium"
                    self.pieces.append(
                        Piece(
                            value, f"document property {label}", kind="metadata", severity=severity
                        )
                    )
                elif local == "TitlesOfParts":
                    parts = [t.strip() for t in el.itertext() if t.strip()]
                    if parts:
                        self.pieces.append(
                            Piece("\n".join(parts), "document property Titles of parts")
                        )
        custom = "docProps/custom.xml"
        if custom in pkg:
            for prop in pkg.xml(custom):
                name = prop.get("name") or "(unnamed)"
                value = " ".join(t.strip() for t in prop.itertext() if t.strip())
                if value:
                    self.pieces.append(
                        Piece(
                            value,
                            f"custom document property {name}",
                            kind="metadata",
                            severity="low",
                        )
                    )

    def _links(self) -> None:
        """External targets of every part: hyperlinks, linked pictures and files, templates."""
        pkg = self.package
        for rels_name in sorted(n for n in pkg.names if n.endswith(".rels")):
            folder = posixpath.dirname(posixpath.dirname(rels_name))
            part = posixpath.join(folder, posixpath.basename(rels_name)[: -len(".rels")])
            for rtype, target, external in pkg.rels(part).values():
                if not external or rtype == "attachedTemplate":
                    continue
                label = {
                    "hyperlink": "hyperlink target",
                    "image": "linked picture",
                    "oleObject": "linked object",
                    "package": "linked object",
                    "subDocument": "linked subdocument",
                    "frame": "linked frame",
                }.get(rtype, f"external link ({rtype})")
                shown = unquote(target)
                self.pieces.append(Piece(shown, label))
                if is_local_path(shown):
                    self.pieces.append(
                        Piece(
                            shown,
                            f"{label} (a file path)",
                            kind="metadata",
                            severity="medium",
                            scan=False,
                        )
                    )

    def _custom_xml(self) -> None:
        pkg = self.package
        for name in sorted(pkg.names):
            if not (name.startswith("customXml/") and name.endswith(".xml")):
                continue
            if posixpath.basename(name).startswith("itemProps") or "/_rels/" in name:
                continue
            root = pkg.xml(name)
            texts = [t.strip() for t in _leaf_values(root) if t.strip()]
            if not texts:
                continue
            where = f"custom XML part {name}"
            self.pieces.append(Piece("\n".join(texts), where))
            self.pieces.append(
                Piece(" | ".join(texts), where, kind="metadata", severity="low", scan=False)
            )

    def _diagrams_and_charts(self) -> None:
        pkg = self.package
        for name in sorted(pkg.names):
            if not name.endswith(".xml") or "/_rels/" in name:
                continue
            folder = posixpath.dirname(name)
            if folder.endswith(("/diagrams", "/charts")):
                texts = [t.strip() for t in pkg.xml(name).itertext() if t.strip()]
                if texts:
                    label = "diagram" if folder.endswith("diagrams") else "chart"
                    self.pieces.append(Piece("\n".join(texts), f"{label} ({name})"))

    def _embedded(self) -> None:
        pkg = self.package
        for name in sorted(pkg.names):
            lower = name.lower()
            base = posixpath.basename(name)
            if not base or name.endswith("/"):
                continue
            if not (
                "/embeddings/" in lower
                or "/activex/" in lower
                and lower.endswith(".bin")
                or lower.endswith("vbaproject.bin")
            ):
                continue
            where = f"embedded object {name}"
            what = "macros" if lower.endswith("vbaproject.bin") else base
            self.pieces.append(Piece(base, where, kind="embedded-object", scan=False, shown=what))
            data = pkg.read(name)
            self.pieces.extend(embedded_text_pieces(data, where, self.depth))


def _leaf_values(root: Any) -> Iterator[str]:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text:
            yield el.text
        for key, value in el.attrib.items():
            local = key.rsplit("}", 1)[-1]
            if local.lower() in ("author", "name", "value", "val", "title", "descr") and value:
                yield value


_ASCII_RUN = re.compile(rb"[\x20-\x7e]{5,}")
_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e]\x00){5,}")


def embedded_text_pieces(data: bytes, where: str, depth: int) -> list[Piece]:
    """Text inside an embedded file: another Office package's parts, or a binary's strings."""
    if depth >= MAX_EMBED_DEPTH:
        return []
    if data.startswith(b"PK"):
        try:
            inner = Package(data, name=where)
        except UnreadableInputError:
            return []
        if "word/document.xml" in inner:
            try:
                reader = DocxReader(where, data=data, depth=depth + 1)
                return [
                    Piece(p.text, f"{where}: {p.location}", p.kind, p.severity, p.scan, p.shown)
                    for p in reader.read()
                ]
            except UnreadableInputError:
                return []
        texts: list[str] = []
        for name in sorted(inner.names):
            if name.endswith(".xml") and "/_rels/" not in name:
                try:
                    texts.extend(t for t in inner.xml(name).itertext() if t.strip())
                except UnreadableInputError:
                    continue
        return [Piece("\n".join(texts), where)] if texts else []
    strings = [m.group(0).decode("ascii") for m in _ASCII_RUN.finditer(data)]
    strings += [m.group(0).decode("utf-16-le") for m in _UTF16_RUN.finditer(data)]
    if not strings:
        return []
    return [Piece("\n".join(strings), where)]


def docx_pieces(path: Path) -> list[Piece]:
    return DocxReader(path).read()
