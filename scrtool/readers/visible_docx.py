"""The visible text of a .docx, paragraph by paragraph in reading order, with heading levels.

Checks of what a reader sees leave out what Word keeps but does not show in the body:
headers and footers, tables of contents, field codes, hidden text and tracked deletions.
The package is opened under the one safety policy of ``readers.safety``, so this reader
refuses exactly the files the redaction reader refuses, with the same sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrtool.errors import UnreadableInputError
from scrtool.readers.model import Paragraph
from scrtool.readers.paragraphs import _Numbering

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
_RUBY = _W + "ruby"
_HIDDEN = frozenset(_W + n for n in ("vanish", "webHidden", "specVanish"))
#: Fields whose results are lists made by Word, not the author's prose.
_SKIPPED_FIELDS = ("TOC", "INDEX", "TOA")
_CHAR = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_TOC_NAME = re.compile(r"^(toc\s*[1-9]|toc heading|table of figures)$", re.IGNORECASE)


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
            elif tag == _RUBY:
                base = child.find(_W + "rubyBase")  # the reading above it is not prose
                if base is not None:
                    self.runs(base, parts)
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


def read_docx_paragraphs(path: Path | str, package: Any = None) -> list[Paragraph]:
    """The visible paragraphs of a .docx (``package``: one already opened, to share it)."""
    from scrtool.readers.docx import hidden_style_ids, main_part, main_root
    from scrtool.readers.safety import Package

    pkg = package if package is not None else Package(Path(path), name=path)
    main = main_part(pkg, path)
    root = main_root(pkg, path, main)
    rels = pkg.rels(main)
    styles_name = next(
        (t for rtype, t, ext in rels.values() if rtype == "styles" and not ext and t in pkg),
        None,
    )
    if styles_name is None:  # a package without the relationship: Word's usual place
        guess = main.rsplit("/", 1)[0] + "/styles.xml"
        styles_name = guess if guess in pkg else None
    styles = pkg.xml(styles_name) if styles_name else None
    levels, toc = _style_levels(styles)
    body = root.find(_W + "body")
    if body is None:
        raise UnreadableInputError(
            "is not a Word document (it has no document body)",
            file=path,
            advice="open the report in Word and save it as a Word Document (.docx), then check it",
        )
    hidden = hidden_style_ids(styles) if styles is not None else set()
    visible = _DocxReader(levels, toc, hidden)
    visible.blocks(body)
    return visible.numbering.out
