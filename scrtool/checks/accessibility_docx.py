"""The .docx side of ``check accessibility``: what Word's own checker would flag, read
straight from the package parts.

The package is opened by the readers' one safety policy (``readers.safety``: DTDs
refused, zip parts capped, Strict namespaces mapped), so a file this check refuses is
refused by every check with the same sentence. Places are named as the other checks
name them ("paragraph 14", "table 2, row 1, cell 1", "header (section 1)"), with the
heading a paragraph sits under, so a person can find the place in Word.

Decisions, as Word's checker makes them unless said otherwise:

- A picture's alternative text is its ``descr`` (or, failing that, its ``title``); a
  file name or the name Word gives a new picture ("Picture 3") counts as none, and a
  picture marked as decorative needs none.
- A table of one row is layout, not data, and needs no header row. Word also excuses
  any table in the plain "Table Normal" style; scrtool does not, because the published
  PDF tags every table of more than one row as a data table.
- A heading level may go down by any number but up by one only, and the first heading
  is a Heading 1. The Title style is not a level, and a Title alone is no heading: the
  tagged PDF makes it a plain paragraph.
- Body text size is read through the style chain (the run, its character style, its
  paragraph style, the table's style, the document's defaults; 10 points when none
  says). Empty runs, hidden text and paragraph marks (which hold no text) are not body
  text; neither are headers, footers and notes.
"""

from __future__ import annotations

import bisect
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool.checks.accessibility_rules import Finding, Rules, make_finding
from scrtool.readers.docx import _on, hidden_style_ids, main_part, main_root
from scrtool.readers.docx_parts import R, _w
from scrtool.readers.visible_docx import _outline_level, _style_levels

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
DC = "http://purl.org/dc/elements/1.1/"
DECORATIVE = "http://schemas.microsoft.com/office/drawing/2017/decorative"

#: What a drawing is, by its graphic's type; anything else (a shape, a text box, ink)
#: carries its own text or is decoration.
GRAPHICS = {
    PIC: "picture",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "chart",
    "http://schemas.microsoft.com/office/drawing/2014/chartex": "chart",
    "http://schemas.openxmlformats.org/drawingml/2006/diagram": "SmartArt graphic",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup": "group",
}

W_P, W_R, W_T, W_TBL, W_TR, W_TC = (_w(n) for n in ("p", "r", "t", "tbl", "tr", "tc"))
W_PPR, W_RPR, W_VAL = _w("pPr"), _w("rPr"), _w("val")
W_HYPERLINK, W_FLDCHAR, W_INSTR, W_FLDSIMPLE = (
    _w("hyperlink"), _w("fldChar"), _w("instrText"), _w("fldSimple")
)  # fmt: skip
W_TXBX = _w("txbxContent")
MC_FALLBACK = f"{{{MC}}}Fallback"
#: Word's default font size when no style says one, in half-points (10 pt).
DEFAULT_HALF_POINTS = 20
MAX_SHOWN = 120


def _shown(text: str, limit: int = MAX_SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(W_T))


# --- styles ---------------------------------------------------------------------------


@dataclass
class _Styles:
    """What the checks need from ``styles.xml``: names, inheritance, sizes, languages."""

    names: dict[str, str] = field(default_factory=dict)
    based: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    langs: dict[str, str] = field(default_factory=dict)
    default_paragraph: str | None = None
    default_size: int | None = None
    default_lang: str | None = None
    levels: dict[str, int] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)

    def chain(self, style_id: str | None) -> Iterator[str]:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            yield style_id
            style_id = self.based.get(style_id)

    def size(self, style_id: str | None) -> int | None:
        return next((self.sizes[s] for s in self.chain(style_id) if s in self.sizes), None)

    def lang(self, style_id: str | None) -> str | None:
        return next((self.langs[s] for s in self.chain(style_id) if s in self.langs), None)

    def is_title(self, style_id: str | None) -> bool:
        return any(self.names.get(s) == "title" for s in self.chain(style_id))


def _half_points(rpr: Any) -> int | None:
    if rpr is None:
        return None
    sz = rpr.find(_w("sz"))
    if sz is None:
        return None
    try:
        return int(float(sz.get(W_VAL, "")))
    except ValueError:
        return None


def _lang(rpr: Any) -> str | None:
    lang = rpr.find(_w("lang")) if rpr is not None else None
    value = (lang.get(W_VAL) or "").strip() if lang is not None else ""
    return value or None


def _read_styles(root: Any) -> _Styles:
    styles = _Styles()
    if root is None:
        return styles
    default_rpr = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{W_RPR}")
    styles.default_size = _half_points(default_rpr)
    styles.default_lang = _lang(default_rpr)
    for style in root.iterfind(_w("style")):
        sid = style.get(_w("styleId"))
        if not sid:
            continue
        name = style.find(_w("name"))
        styles.names[sid] = ((name.get(W_VAL) if name is not None else None) or sid).casefold()
        based = style.find(_w("basedOn"))
        if based is not None and based.get(W_VAL):
            styles.based[sid] = based.get(W_VAL)
        rpr = style.find(W_RPR)
        size = _half_points(rpr)
        if size is not None:
            styles.sizes[sid] = size
        lang = _lang(rpr)
        if lang:
            styles.langs[sid] = lang
        if style.get(_w("type")) == "paragraph" and _on_attr(style.get(_w("default"))):
            styles.default_paragraph = sid
    styles.levels, _toc = _style_levels(root)
    styles.hidden = hidden_style_ids(root)
    return styles


def _on_attr(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


# --- the package ----------------------------------------------------------------------


@dataclass
class _Docx:
    path: Path
    package: Any
    main: str
    root: Any
    body: Any
    rels: dict[str, tuple[str, str, bool]]
    styles: _Styles

    def part(self, rtype: str) -> Any:
        for kind, target, external in self.rels.values():
            if kind == rtype and not external and target in self.package:
                return self.package.xml(target)
        return None


def _open(path: Path) -> _Docx:
    from scrtool.errors import UnreadableInputError
    from scrtool.readers.safety import Package

    package = Package(path, name=path)
    package.refuse_declarations()
    main = main_part(package, path)
    root = main_root(package, path, main)
    body = root.find(_w("body"))
    if body is None:
        raise UnreadableInputError(
            "is not a Word document (it has no document body)",
            file=path,
            advice="open the report in Word and save it as a Word Document (.docx), then check it",
        )
    rels = package.rels(main)
    doc = _Docx(path, package, main, root, body, rels, _Styles())
    styles = doc.part("styles")
    if styles is None:
        guess = posixpath.join(posixpath.dirname(main), "styles.xml")
        styles = package.xml(guess) if guess in package else None
    doc.styles = _read_styles(styles)
    return doc


# --- places ---------------------------------------------------------------------------


class _Places:
    """Numbers the body's paragraphs and tables as the other checks do, and knows the
    heading each paragraph sits under."""

    def __init__(self, body: Any, styles: _Styles) -> None:
        self.numbers: dict[Any, int] = {}
        self.tables: dict[Any, int] = {}
        #: (paragraph number, level or 0 for the Title, text, paragraph) for each heading.
        self.headings: list[tuple[int, int, str, Any]] = []
        self.fallback = {el for fb in body.iter(MC_FALLBACK) for el in fb.iter()}
        textboxes = {el for box in body.iter(W_TXBX) for el in box.iter(W_P)}
        for el in body.iter(W_P, W_TBL):
            if el in self.fallback:
                continue
            if el.tag == W_TBL:
                self.tables[el] = len(self.tables) + 1
            elif el not in textboxes:
                number = len(self.numbers) + 1
                self.numbers[el] = number
                level = self._level(el, styles)
                if level is None:
                    continue  # not a heading: its words are not needed
                text = " ".join(_text(el).split())
                if text:
                    self.headings.append((number, level, text, el))
        self._starts = [h[0] for h in self.headings]
        self._rows: dict[Any, dict[Any, int]] = {}

    @staticmethod
    def _level(p: Any, styles: _Styles) -> int | None:
        ppr = p.find(W_PPR)
        if ppr is None:
            return None
        style = ppr.find(_w("pStyle"))
        sid = style.get(W_VAL) if style is not None else None
        direct = ppr.find(_w("outlineLvl"))
        if direct is not None:
            return _outline_level(direct)
        if sid in styles.levels:
            return styles.levels[sid]
        return 0 if styles.is_title(sid) else None

    def under(self, number: int) -> str:
        """The heading a paragraph sits under, as ', under "Findings"' (or nothing)."""
        index = bisect.bisect_left(self._starts, number) - 1
        if index < 0:
            return ""
        return f', under "{_shown(self.headings[index][2], 60)}"'

    def paragraph(self, el: Any) -> tuple[str, int | None]:
        """The place of the paragraph holding ``el``: words and its paragraph number."""
        p = el if el.tag == W_P else next(el.iterancestors(W_P), None)
        in_box = False
        while p is not None and p not in self.numbers:
            in_box = True
            p = next(p.iterancestors(W_P), None)
        if p is None:
            return "the document", None
        number = self.numbers[p]
        where = self.cell(p) or f"paragraph {number}"
        if in_box:
            where = f"a text box on {where}"
        return where, number

    def cell(self, el: Any) -> str | None:
        """The table cell holding ``el`` ("table 2, row 3, cell 1"), or None outside
        tables. Rows are numbered once per table, so a long table is not counted again
        for each place in it."""
        tc = next(el.iterancestors(W_TC), None)
        if tc is None:
            return None
        tr = next(tc.iterancestors(W_TR))
        tbl = next(tr.iterancestors(W_TBL))
        rows = self._rows.get(tbl)
        if rows is None:
            rows = self._rows[tbl] = {r: n for n, r in enumerate(self.rows(tbl), start=1)}
        col = [c for c in tr.iter(W_TC) if next(c.iterancestors(W_TR)) is tr].index(tc)
        return f"table {self.tables.get(tbl, '?')}, row {rows.get(tr, '?')}, cell {col + 1}"

    @staticmethod
    def rows(tbl: Any) -> list[Any]:
        """A table's own rows (not those of a table nested in one of its cells)."""
        return [tr for tr in tbl.iter(W_TR) if next(tr.iterancestors(W_TBL)) is tbl]

    def of(self, el: Any) -> str:
        where, number = self.paragraph(el)
        return where + (self.under(number) if number is not None else "")


def _stories(doc: _Docx, *, notes: bool) -> Iterator[tuple[Any, str]]:
    """Headers and footers (named as the other checks name them), then, with ``notes``,
    each footnote and endnote."""
    labels: dict[str, str] = {}
    for number, sect in enumerate(doc.root.iter(_w("sectPr")), start=1):
        for ref in sect:
            if ref.tag not in (_w("headerReference"), _w("footerReference")):
                continue
            rid = ref.get(f"{{{R}}}id")
            if rid in doc.rels:
                which = "header" if ref.tag == _w("headerReference") else "footer"
                prefix = {"first": "first-page ", "even": "even-page "}.get(
                    ref.get(_w("type")) or "", ""
                )
                labels.setdefault(doc.rels[rid][1], f"{prefix}{which} (section {number})")
    for _rid, (rtype, target, external) in sorted(doc.rels.items()):
        if not external and rtype in ("header", "footer") and target in doc.package:
            label = labels.get(target, f"{rtype} ({posixpath.basename(target)})")
            yield doc.package.xml(target), label
    if not notes:
        return
    for rtype, label in (("footnotes", "footnote"), ("endnotes", "endnote")):
        root = doc.part(rtype)
        if root is None:
            continue
        number = 0
        for note in root:
            if (
                note.tag in (_w("footnote"), _w("endnote"))
                and (note.get(_w("type")) or "normal") == "normal"
            ):
                number += 1
                yield note, f"{label} {number}"


# --- the checks -----------------------------------------------------------------------


def _title(doc: _Docx, rules: Rules) -> list[Finding]:
    core = None
    for rtype, target, external in doc.package.rels("").values():
        if rtype == "core-properties" and not external and target in doc.package:
            core = target
    if core is None and "docProps/core.xml" in doc.package:
        core = "docProps/core.xml"
    title = ""
    if core is not None:
        el = doc.package.xml(core).find(f"{{{DC}}}title")
        title = " ".join((el.text or "").split()) if el is not None else ""
    from scrtool.checks.accessibility_pdf import is_title

    if is_title(title):
        return []
    # A file name or "Untitled" names nothing, here as in the PDF made from it.
    where = "document properties (File, Info, Title)"
    return [make_finding(rules, "title", title or "(no title)", where, "docx")]


def _language(doc: _Docx, rules: Rules) -> list[Finding]:
    styles = doc.styles
    if styles.default_lang or styles.lang(styles.default_paragraph or "Normal"):
        return []
    where = "the document's default language (the Normal style)"
    return [make_finding(rules, "language", "(no language)", where, "docx")]


def _headings(places: _Places, rules: Rules) -> list[Finding]:
    if not any(level for _n, level, _t, _p in places.headings):
        # A Title alone is no heading: the tagged PDF makes it a plain paragraph, so a
        # screen reader would find no heading to move by (and publish would refuse it).
        where = "the whole document"
        return [make_finding(rules, "headings", "(no headings)", where, "docx")]
    findings = []
    previous = 0
    for _number, level, text, p in places.headings:
        if level == 0:
            continue
        if level > previous + 1:
            after = f"after Heading {previous}" if previous else "with no Heading 1 before it"
            where, _n = places.paragraph(p)
            findings.append(
                make_finding(
                    rules, "headings", _shown(text), f"{where} (Heading {level} {after})", "docx"
                )
            )
        previous = level
    return findings


def _decorative(docpr: Any) -> bool:
    return any(_on_attr(el.get("val")) for el in docpr.iter(f"{{{DECORATIVE}}}decorative"))


def _pictures(root: Any, where: str | None, places: _Places, rules: Rules) -> list[Finding]:
    """Pictures, charts and SmartArt in a story (``where`` None for the body) whose
    alternative text is missing or only a file name."""
    fallback = (
        places.fallback
        if where is None
        else {el for fb in root.iter(MC_FALLBACK) for el in fb.iter()}
    )
    findings = []
    for drawing in root.iter(f"{{{WP}}}inline", f"{{{WP}}}anchor"):
        if drawing in fallback:
            continue
        data = drawing.find(f"{{{A}}}graphic/{{{A}}}graphicData")
        what = GRAPHICS.get(data.get("uri") if data is not None else "")
        if what == "group":
            if next(data.iter(f"{{{PIC}}}pic"), None) is None:
                continue
            what = "group of pictures"
        docpr = drawing.find(f"{{{WP}}}docPr")
        if what is None or docpr is None or _decorative(docpr):
            continue
        alt = docpr.get("descr") or docpr.get("title") or ""
        if not alt.strip() and what == "picture":
            inner = data.find(f".//{{{PIC}}}cNvPr")
            if inner is not None:
                alt = inner.get("descr") or inner.get("title") or ""
        if rules.is_meaningless_alt(alt):
            name = docpr.get("name") or what
            place = where if where is not None else places.of(drawing)
            findings.append(
                make_finding(
                    rules,
                    "alt-text",
                    _shown(alt) if alt.strip() else "(no alternative text)",
                    f'{what} "{_shown(name, 60)}" on {place}',
                    "docx",
                )
            )
    for image in root.iter(f"{{{V}}}imagedata"):
        shape = image.getparent()
        if image in fallback or shape is None:
            continue
        name = shape.get("id") or ""
        if name.startswith("WordPictureWatermark"):
            continue  # a picture watermark is decoration
        alt = shape.get("alt") or image.get(f"{{{OFFICE}}}title") or ""
        if rules.is_meaningless_alt(alt):
            what = (
                "object" if next(shape.iterancestors(_w("object")), None) is not None else "picture"
            )
            place = where if where is not None else places.of(shape)
            findings.append(
                make_finding(
                    rules,
                    "alt-text",
                    _shown(alt) if alt.strip() else "(no alternative text)",
                    f'{what} "{_shown(name or what, 60)}" on {place}',
                    "docx",
                )
            )
    return findings


def _tables(places: _Places, rules: Rules) -> list[Finding]:
    findings = []
    for tbl, number in places.tables.items():
        rows = places.rows(tbl)
        if len(rows) < 2:
            continue  # one row: layout, as Word takes it
        trpr = rows[0].find(_w("trPr"))
        header = trpr.find(_w("tblHeader")) if trpr is not None else None
        if header is not None and _on(header):
            continue
        cells = [
            " ".join(_text(tc).split())
            for tc in rows[0].iter(W_TC)
            if next(tc.iterancestors(W_TR)) is rows[0]
        ]
        first_row = " | ".join(c for c in cells if c) or "(an empty first row)"
        first = next((p for p in tbl.iter(W_P) if p in places.numbers), None)
        under = places.under(places.numbers[first]) if first is not None else ""
        cell = places.cell(tbl)  # a table inside another table's cell
        outer = f" in {cell}" if cell is not None else ""
        findings.append(
            make_finding(
                rules, "table-header", _shown(first_row), f"table {number}{outer}{under}", "docx"
            )
        )
    return findings


@dataclass
class _Field:
    instr: str = ""
    separated: bool = False
    texts: list[str] = field(default_factory=list)
    start: Any = None


def _links(root: Any) -> Iterator[tuple[str, Any]]:
    """(text shown, element) for each link, ``w:hyperlink`` and HYPERLINK fields alike, in
    the order they come in the document. A table of contents' entries are left out: Word
    makes each from a heading's own words, and updating the table puts back any edit."""
    fields: list[_Field] = []

    def in_contents() -> bool:
        return any(f.separated and f.instr.strip().upper().startswith("TOC") for f in fields)

    for el in root.iter(W_HYPERLINK, W_FLDCHAR, W_INSTR, W_T, W_FLDSIMPLE):
        if el.tag == W_HYPERLINK:
            if not in_contents():
                yield _text(el), el
        elif el.tag == W_FLDSIMPLE:
            if (el.get(_w("instr")) or "").strip().upper().startswith("HYPERLINK"):
                yield _text(el), el
        elif el.tag == W_FLDCHAR:
            kind = el.get(_w("fldCharType"))
            if kind == "begin":
                fields.append(_Field(start=el))
            elif kind == "separate" and fields:
                fields[-1].separated = True
            elif kind == "end" and fields:
                done = fields.pop()
                if done.instr.strip().upper().startswith("HYPERLINK") and not in_contents():
                    yield "".join(done.texts), done.start
        elif el.tag == W_INSTR:
            if fields and not fields[-1].separated:
                fields[-1].instr += el.text or ""
        else:
            for open_field in fields:
                if open_field.separated:
                    open_field.texts.append(el.text or "")


def _link_text(doc: _Docx, places: _Places, rules: Rules) -> list[Finding]:
    findings = []
    seen: set[tuple[str, str]] = set()
    stories: list[tuple[Any, str | None]] = [(doc.body, None)]
    stories.extend(_stories(doc, notes=True))
    for root, label in stories:
        for text, el in _links(root):
            shown = " ".join(text.split())
            if not shown or not (rules.is_address(shown) or rules.is_vague_link(shown)):
                continue
            if label is None and el in places.fallback:
                continue
            where = label if label is not None else places.of(el)
            if (shown, where) not in seen:
                seen.add((shown, where))
                findings.append(make_finding(rules, "link-text", _shown(shown), where, "docx"))
    return findings


W_RT = _w("rt")


def _font_size(doc: _Docx, places: _Places, rules: Rules) -> list[Finding]:
    styles = doc.styles
    floor = rules.min_font_size_pt * 2
    fallback = places.fallback
    cache: dict[tuple[str | None, str | None, str | None], int] = {}
    small: dict[Any, tuple[int, str]] = {}  # paragraph -> its first small text and size
    table_styles: dict[Any, str | None] = {}
    for p in doc.body.iter(W_P):
        if fallback and p in fallback:
            continue
        ppr = p.find(W_PPR)
        pstyle_el = ppr.find(_w("pStyle")) if ppr is not None else None
        pstyle = pstyle_el.get(W_VAL) if pstyle_el is not None else styles.default_paragraph
        tbl = next(p.iterancestors(W_TBL), None)
        tstyle = table_styles.get(tbl) if tbl is not None else None
        if tbl is not None and tbl not in table_styles:
            tbl_pr = tbl.find(_w("tblPr"))
            tstyle_el = tbl_pr.find(_w("tblStyle")) if tbl_pr is not None else None
            tstyle = table_styles[tbl] = tstyle_el.get(W_VAL) if tstyle_el is not None else None
        for run in p.iter(W_R):
            text = "".join(t.text or "" for t in run.iterfind(W_T))
            if not text.strip():
                continue
            if run.getparent() is not p and next(run.iterancestors(W_P)) is not p:
                continue  # a run of a text box's paragraph: read with that paragraph
            if run.getparent().tag == W_RT:
                continue  # a ruby reading, set small above its characters by design
            rpr = run.find(W_RPR)
            rstyle_el = rpr.find(_w("rStyle")) if rpr is not None else None
            rstyle = rstyle_el.get(W_VAL) if rstyle_el is not None else None
            vanish = rpr.find(_w("vanish")) if rpr is not None else None
            if vanish is not None:
                if _on(vanish):
                    continue
            elif rstyle in styles.hidden or pstyle in styles.hidden:
                continue
            size = _half_points(rpr)
            if size is None:
                key = (rstyle, pstyle, tstyle)
                if key not in cache:
                    sizes = (styles.size(rstyle), styles.size(pstyle), styles.size(tstyle))
                    cache[key] = next(
                        (s for s in (*sizes, styles.default_size) if s is not None),
                        DEFAULT_HALF_POINTS,
                    )
                size = cache[key]
            if size < floor:
                small[p] = (size, text)
                break
    if not small:
        return []
    first, (size, text) = next(iter(small.items()))
    more = len(small) - 1
    also = (
        f"; {more} more paragraph{'s' if more != 1 else ''} with text under "
        f"{rules.min_font_size_pt:g} pt"
        if more
        else ""
    )
    where = f"{places.of(first)} ({size / 2:g} pt){also}"
    return [make_finding(rules, "font-size", _shown(text, 80), where, "docx")]


def docx_findings(path: Path, rules: Rules) -> list[Finding]:
    """The accessibility check's findings on one .docx, in the order a person fixes
    them: the document's title and language, then its structure, then its content."""
    doc = _open(Path(path))
    places = _Places(doc.body, doc.styles)
    findings = _title(doc, rules) + _language(doc, rules) + _headings(places, rules)
    findings += _pictures(doc.body, None, places, rules)
    for root, label in _stories(doc, notes=True):
        findings += _pictures(root, label, places, rules)
    findings += _tables(places, rules)
    findings += _link_text(doc, places, rules)
    findings += _font_size(doc, places, rules)
    return findings
