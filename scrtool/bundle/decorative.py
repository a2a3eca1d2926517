"""Pictures marked as decorative in Word, carried into the website copy as decoration.

Word's "Mark as decorative" tells a screen reader to pass a picture by (a border, a
divider, a background), and ``check accessibility`` accepts it in place of alternative
text. LibreOffice 7.4 does not read the mark: it exports the picture as a ``Figure``
structure element with no alternative text, which a screen reader announces as an
unlabelled picture and which the check on the PDF rightly refuses.

So before the conversion each decorative picture in a copy of the Word document gets a
marker as its description, and after it every ``Figure`` carrying that marker is taken
out of the structure tree. LibreOffice already draws the picture itself as an artifact,
the PDF way of saying "decoration, not content" (PDF/UA 7.1), so the picture is then
decoration and nothing else. A ``Figure`` that lost its alternative text any other way
is left as it is, for the check to find.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

DECORATIVE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

#: The description given to decorative pictures on the way through LibreOffice.
MARKER = "scrtool-decorative-picture"


def _is_on(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "on")


def _mark_part(data: bytes) -> tuple[bytes, int]:
    if DECORATIVE.encode() not in data:
        return data, 0
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(data, parser)
    count = 0
    for docpr in root.iter(f"{{{_WP}}}docPr"):
        if any(_is_on(el.get("val")) for el in docpr.iter(f"{{{DECORATIVE}}}decorative")):
            docpr.set("descr", MARKER)
            docpr.attrib.pop("title", None)
            count += 1
    if not count:
        return data, 0
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), count


def mark_decorative(source: Path, target: Path) -> int:
    """Copy a .docx to ``target`` with each decorative picture described by ``MARKER``;
    returns how many were marked (an unchanged copy when none)."""
    with zipfile.ZipFile(source) as zin:
        infos = zin.infolist()
        parts = {
            info.filename: _mark_part(zin.read(info))
            if info.filename.startswith("word/") and info.filename.endswith(".xml")
            else (zin.read(info), 0)
            for info in infos
        }
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
