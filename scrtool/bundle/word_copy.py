"""The copy of a Word document that LibreOffice turns into the website copy.

LibreOffice 7.4 reads some things differently from Word, and a document that passes
``check accessibility`` would make a PDF that fails it. So publish converts a copy of
the document with these put right (never the document itself), and puts right after
the conversion what a copy cannot:

- **Decorative pictures.** Word's "Mark as decorative" tells a screen reader to pass a
  picture by, and ``check accessibility`` accepts it in place of alternative text.
  LibreOffice does not read the mark: it exports the picture as a ``Figure`` structure
  element with no alternative text, which a screen reader announces as an unlabelled
  picture and which the check on the PDF rightly refuses. So each decorative picture in
  the copy gets a marker as its description, and after the conversion every ``Figure``
  carrying that marker is taken out of the structure tree (``unmark_figures``).
  LibreOffice already draws the picture itself as an artifact, the PDF way of saying
  "decoration, not content" (PDF/UA 7.1). A ``Figure`` that lost its alternative text
  any other way is left as it is, for the check to find.
- **Heading styles without an outline level.** Word treats its built-in styles Heading 1
  to Heading 9 as headings whatever their definition says, and so does the check; some
  programs (LibreOffice itself, saving a web page as .docx) write a Heading 1 style with
  no outline level, and LibreOffice then exports its paragraphs as plain text: no H1 tag
  and no bookmark. The copy gives each such style its level.
- **Charts, shapes and text boxes.** LibreOffice exports each as a ``Figure`` with its
  labels or text inside and drops its alternative text. ``describe_charts`` gives each
  such Figure the text from the Word document (``chart_descriptions``): its description,
  or for a text box without one, the text in the box.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

DECORATIVE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
#: What follows w:pPr in a style, and w:outlineLvl in a w:pPr (ECMA-376 17.7.4.17, 17.3.1.26).
_AFTER_PPR = tuple(_W + n for n in ("rPr", "tblPr", "trPr", "tcPr", "tblStylePr"))
_AFTER_OUTLINE = tuple(_W + n for n in ("divId", "cnfStyle", "rPr", "sectPr", "pPrChange"))

#: The description given to decorative pictures on the way through LibreOffice.
MARKER = "scrtool-decorative-picture"


def _is_on(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "on")


def _parse(data: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.fromstring(data, parser)


def _serialise(root: Any) -> bytes:
    from lxml import etree

    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _mark_part(data: bytes) -> tuple[bytes, int]:
    """Each decorative picture in a part described by ``MARKER``."""
    if DECORATIVE.encode() not in data:
        return data, 0
    root = _parse(data)
    count = 0
    for docpr in root.iter(f"{{{_WP}}}docPr"):
        if any(_is_on(el.get("val")) for el in docpr.iter(f"{{{DECORATIVE}}}decorative")):
            docpr.set("descr", MARKER)
            docpr.attrib.pop("title", None)
            count += 1
    return (_serialise(root), count) if count else (data, 0)


def _insert_before(parent: Any, child: Any, later: tuple[str, ...]) -> None:
    for index, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(index, child)
            return
    parent.append(child)


def _level_headings(data: bytes) -> tuple[bytes, int]:
    """Each paragraph style named Heading 1 to 9 given its outline level, if it has none."""
    from lxml import etree

    root = _parse(data)
    count = 0
    for style in root.iterfind(_W + "style"):
        name = style.find(_W + "name")
        found = (
            _HEADING_NAME.match((name.get(_W + "val") or "").strip()) if name is not None else None
        )
        if style.get(_W + "type") not in (None, "paragraph") or found is None:
            continue
        ppr = style.find(_W + "pPr")
        if ppr is None:
            ppr = etree.Element(_W + "pPr")
            _insert_before(style, ppr, _AFTER_PPR)
        if ppr.find(_W + "outlineLvl") is not None:
            continue
        level = etree.Element(_W + "outlineLvl")
        level.set(_W + "val", str(int(found.group(1)) - 1))
        _insert_before(ppr, level, _AFTER_OUTLINE)
        count += 1
    return (_serialise(root), count) if count else (data, 0)


def _styles_part(names: list[str], relationships: bytes | None) -> str:
    """The main document's styles part (word/styles.xml unless its relationships say)."""
    if relationships:
        for rel in _parse(relationships):
            if (rel.get("Type") or "").endswith("/styles") and rel.get("TargetMode") != "External":
                target = (rel.get("Target") or "").lstrip("/")
                return target if target.startswith("word/") else f"word/{target}"
    return "word/styles.xml" if "word/styles.xml" in names else ""


def prepare_copy(source: Path, target: Path) -> int:
    """Copy a .docx to ``target`` put right for LibreOffice (see the module's note):
    decorative pictures described by ``MARKER``, heading styles given their outline
    level. Returns how many changes were made (an unchanged copy when none)."""
    with zipfile.ZipFile(source) as zin:
        infos = zin.infolist()
        names = [info.filename for info in infos]
        rels = "word/_rels/document.xml.rels"
        styles = _styles_part(names, zin.read(rels) if rels in names else None)
        parts: dict[str, tuple[bytes, int]] = {}
        for info in infos:
            data = zin.read(info)
            if info.filename == styles:
                parts[info.filename] = _level_headings(data)
            elif info.filename.startswith("word/") and info.filename.endswith(".xml"):
                parts[info.filename] = _mark_part(data)
            else:
                parts[info.filename] = (data, 0)
    count = sum(n for _, n in parts.values())
    if not count:
        shutil.copyfile(source, target)
        return 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in infos:
            zout.writestr(info, parts[info.filename][0])
    return count


def unmark_figures(writer: Any) -> int:
    """Take every Figure described by ``MARKER`` out of the structure tree; returns how
    many were taken out. LibreOffice 7.4 draws every picture as an artifact and gives its
    Figure no content, so nothing on the page changes. A marked Figure that does hold
    content is left in place, for the check on the PDF to refuse."""
    from pypdf.generic import ArrayObject, NameObject

    root = writer.root_object
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return 0
    tree = tree.get_object()
    removed = 0

    def visit(element: Any) -> None:
        nonlocal removed
        kids = element.get("/K")
        if not isinstance(kids, list):
            kids = [kids] if kids is not None else []
            as_list = False
        else:
            as_list = True
        keep = []
        for kid in kids:
            child = kid.get_object() if hasattr(kid, "get_object") else kid
            if (
                hasattr(child, "get")
                and child.get("/S") == "/Figure"
                and str(child.get("/Alt", "")) == MARKER
                and child.get("/K") is None
            ):
                removed += 1
                continue
            keep.append(kid)
            if hasattr(child, "get") and child.get("/K") is not None:
                visit(child)
        if len(keep) != len(kids):
            if as_list or len(keep) != 1:
                element[NameObject("/K")] = ArrayObject(keep)
            else:
                element[NameObject("/K")] = keep[0]

    visit(tree)
    return removed


_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_SHAPE = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def chart_descriptions(source: Path) -> list[tuple[str, str]]:
    """Each chart and shape (a text box, an arrow) in the body of a .docx, in document
    order, as ("chart" or "shape", its alternative text): its description, or for a
    text box without one the text in it, which is what a reader of the page gets from it
    ("" when it has neither, or is marked as decorative). LibreOffice exports each of
    these as a ``Figure`` with no alternative text (see ``describe_charts``)."""
    from scrtool.readers.docx import main_part
    from scrtool.readers.safety import Package

    pkg = Package(source, name=source)
    root = pkg.xml(main_part(pkg, source))
    skipped = {el for fallback in root.iter(_FALLBACK) for el in fallback.iter()}
    out = []
    for drawing in root.iter(f"{{{_WP}}}inline", f"{{{_WP}}}anchor"):
        data = drawing.find(f"{{{_A}}}graphic/{{{_A}}}graphicData")
        if drawing in skipped or data is None or data.get("uri") not in (_CHART, _SHAPE):
            continue
        kind = "chart" if data.get("uri") == _CHART else "shape"
        docpr = drawing.find(f"{{{_WP}}}docPr")
        if docpr is None or any(
            _is_on(el.get("val")) for el in docpr.iter(f"{{{DECORATIVE}}}decorative")
        ):
            out.append((kind, ""))
            continue
        text = docpr.get("descr") or docpr.get("title") or ""
        if not text.strip() and kind == "shape":
            paragraphs = (
                "".join(t.text or "" for t in p.iter(_W + "t")) for p in data.iter(_W + "p")
            )
            text = " ".join(paragraphs)
        out.append((kind, " ".join(text.split())))
    return out


def describe_charts(writer: Any, descriptions: list[tuple[str, str]]) -> int:
    """Give each chart's and shape's ``Figure`` its alternative text from the Word
    document; returns how many Figures were changed.

    LibreOffice 7.4 exports a Word chart as a ``Figure`` holding its labels, and a shape
    or text box as a ``Figure`` that either holds its text or is empty (the text then
    has an element of its own), and drops their alternative text; it keeps it on
    pictures. So the Figures with no /Alt are the charts and shapes, in reading order.
    They are matched to the document's only when there are exactly as many: otherwise
    nothing is changed and the check on the PDF refuses. A shape's empty Figure is taken
    out of the tree (there is nothing in it to describe); every other one gets the text."""
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    tree = writer.root_object.get("/StructTreeRoot")
    if tree is None or not descriptions:
        return 0
    found: list[tuple[Any, Any]] = []

    def visit(element: Any) -> None:
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            child: Any = kid.get_object() if hasattr(kid, "get_object") else None
            if not hasattr(child, "get") or child.get("/S") is None:
                continue
            if child.get("/S") == "/Figure":
                if not str(child.get("/Alt", "")).strip():
                    found.append((element, kid))
                continue
            visit(child)

    visit(tree.get_object())
    if len(found) != len(descriptions):
        return 0
    done = 0
    for (parent, kid), (kind, text) in zip(found, descriptions, strict=True):
        figure = kid.get_object()
        if kind == "shape" and figure.get("/K") is None:
            kids = parent.get("/K")
            kept = [k for k in (kids if isinstance(kids, list) else [kids]) if k != kid]
            parent[NameObject("/K")] = ArrayObject(kept)
            done += 1
        elif text:
            figure[NameObject("/Alt")] = TextStringObject(text)
            done += 1
    return done
