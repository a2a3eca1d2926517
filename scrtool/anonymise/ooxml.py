"""Rewriting the text inside a Word or Excel file, part by part, leaving everything else.

Both formats are zip packages of XML. Only the text changes: each part is parsed, the
text of each paragraph (or shared string, or cell) is read across its runs, and a name
found there is written into the run where it starts, so it keeps that run's
formatting, and cut from the runs it continued into. Every other byte of the package
(images, styles, charts, macros' absence or presence) is copied as it was.
"""

from __future__ import annotations

import bisect
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from scrtool.anonymise.pseudonyms import Replacer
from scrtool.errors import UnreadableInputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_WORD_TEXT_PARTS = re.compile(
    r"^word/(?:document|glossary/document|header\d*|footer\d*|footnotes|endnotes|comments\w*)\.xml$"
)
_SHEET_PART = re.compile(r"^xl/worksheets/sheet\d+\.xml$")
_COMMENTS_PART = re.compile(r"^xl/(?:comments/)?comments?\d*\.xml$")
_VML_PART = re.compile(r"^xl/drawings/[^/]+\.vml$")
_THREADED_PART = re.compile(r"^xl/threadedComments/[^/]+\.xml$")
_TABLE_PART = re.compile(r"^xl/tables/table\d+\.xml$")
_PROPS_PART = re.compile(r"^(?:docProps/(?:core|app|custom)|customXml/item\d+)\.xml$")
#: Attributes that hold text a reader sees: alternative text of pictures and shapes.
_TEXT_ATTRIBUTES = ("descr", "title", "alt")
#: Excel's longest sheet name.
SHEET_NAME_MAX = 31


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _tostring(root: Any) -> bytes:
    from lxml import etree

    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def replace_in_runs(texts: Sequence[Any], replacer: Replacer, where: str) -> bool:
    """Replace names in the text the elements make together; True when anything changed.

    A name split over runs ("Lily-" in one, "Mae" in the next) is written whole into
    the first run, so it keeps that run's formatting.
    """
    values = [t.text or "" for t in texts]
    joined = "".join(values)
    if not joined.strip():
        return False
    spans = replacer.spans(joined, where=where)
    if not spans:
        return False
    starts: list[int] = []
    pos = 0
    for value in values:
        starts.append(pos)
        pos += len(value)

    def locate(offset: int) -> int:
        # The run holding the character at ``offset``: among runs starting at the same
        # place only the last can hold text, and bisect_right finds the last.
        return bisect.bisect_right(starts, offset) - 1

    new = list(values)
    for start, end, replacement in reversed(spans):
        i, j = locate(start), locate(end - 1)
        if i == j:
            a = start - starts[i]
            new[i] = new[i][:a] + replacement + new[i][a + (end - start) :]
        else:
            new[i] = new[i][: start - starts[i]] + replacement
            for k in range(i + 1, j):
                new[k] = ""
            new[j] = new[j][end - starts[j] :]
    for element, before, after in zip(texts, values, new, strict=True):
        if before != after:
            element.text = after
            if after[:1].isspace() or after[-1:].isspace():
                element.set(XML_SPACE, "preserve")
    return True


def _grouped(
    root: Any, container: str, text_tags: Iterable[str], skip_parent: str = ""
) -> list[list[Any]]:
    """Text elements grouped by their nearest ``container`` (a paragraph, a shared string)."""
    groups: dict[Any, list[Any]] = {}
    for element in root.iter(*text_tags):
        parent = element.getparent()
        if skip_parent and parent is not None and parent.tag == skip_parent:
            continue
        while parent is not None and parent.tag != container:
            parent = parent.getparent()
        if parent is None:
            continue
        groups.setdefault(parent, []).append(element)
    return list(groups.values())


def _xlsx_groups(root: Any, container: str) -> list[list[Any]]:
    """The text runs of each shared string, inline string or comment, in order.

    A string is a ``<t>`` or rich-text runs ``<r><t>``; phonetic guides (``<rPh>``) are
    not part of what a reader sees. Walking the containers is much faster than asking
    each ``<t>`` for its parent in a 30,000-row sheet.
    """
    t, r = f"{{{S}}}t", f"{{{S}}}r"
    groups = []
    for box in root.iter(container):
        group = []
        for child in box:
            if child.tag == t:
                group.append(child)
            elif child.tag == r:
                text = child.find(t)
                if text is not None:
                    group.append(text)
        if group:
            groups.append(group)
    return groups


def _leaves(root: Any, replacer: Replacer, where: str, tags: Iterable[str] | None = None) -> bool:
    changed = False
    elements = root.iter(*tags) if tags else root.iter()
    for element in elements:
        if isinstance(element.tag, str) and element.text and (tags or len(element) == 0):
            new = replacer.sub(element.text, where=where)
            if new != element.text:
                element.text = new
                changed = True
    return changed


#: Codes in an Excel header or footer: &L &C &R (sections), &"Arial,Bold", &12, &P, &&.
_HF_CODE = re.compile(r'(&(?:"[^"]*"|\d+|.))', re.DOTALL)


def header_footer_text(text: str) -> str:
    """A header or footer as a reader sees it, the codes taken out."""
    return " ".join(part for part in _HF_CODE.split(text) if part and not part.startswith("&"))


def _header_footer(root: Any, replacer: Replacer, where: str, tags: Iterable[str]) -> bool:
    changed = False
    for element in root.iter(*tags):
        if not element.text:
            continue
        parts = _HF_CODE.split(element.text)
        new = "".join(
            p if p.startswith("&") and len(p) > 1 else replacer.sub(p, where=where) for p in parts
        )
        if new != element.text:
            element.text = new
            changed = True
    return changed


_QUOTED = re.compile(r"'(?:[^']|'')*'")


def formula_sub(text: str, replacer: Replacer, where: str) -> str:
    """Names replaced in a formula; inside a quoted sheet name an apostrophe is doubled."""
    out: list[str] = []
    pos = 0
    for m in _QUOTED.finditer(text):
        out.append(replacer.sub(text[pos : m.start()], where=where))
        inner = m.group()[1:-1].replace("''", "'")
        out.append("'" + replacer.sub(inner, where=where).replace("'", "''") + "'")
        pos = m.end()
    out.append(replacer.sub(text[pos:], where=where))
    return "".join(out)


def _attributes(root: Any, replacer: Replacer, where: str, names: Iterable[str]) -> bool:
    changed = False
    wanted = tuple(names)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in wanted:
            value = element.get(name)
            if value:
                new = replacer.sub(value, where=where)
                if new != value:
                    element.set(name, new)
                    changed = True
    return changed


def _docx_part(name: str, data: bytes, replacer: Replacer, where: str) -> bytes | None:
    from lxml import etree

    if _WORD_TEXT_PARTS.match(name):
        root = etree.fromstring(data, _parser())
        changed = False
        for tag in (f"{{{W}}}t", f"{{{W}}}delText"):
            for group in _grouped(root, f"{{{W}}}p", (tag,)):
                changed |= replace_in_runs(group, replacer, where)
        changed |= _leaves(root, replacer, where, (f"{{{W}}}instrText",))
        changed |= _attributes(root, replacer, where, _TEXT_ATTRIBUTES)
        return _tostring(root) if changed else None
    if _PROPS_PART.match(name):
        root = etree.fromstring(data, _parser())
        return _tostring(root) if _leaves(root, replacer, where) else None
    return None


def _xlsx_part(name: str, data: bytes, replacer: Replacer, where: str) -> bytes | None:
    from lxml import etree

    if name == "xl/sharedStrings.xml":
        root = etree.fromstring(data, _parser())
        changed = False
        for group in _xlsx_groups(root, f"{{{S}}}si"):
            changed |= replace_in_runs(group, replacer, where)
        return _tostring(root) if changed else None
    if _SHEET_PART.match(name):
        if (
            b"<is>" not in data
            and b"<f" not in data
            and b"Header" not in data
            and (b"Footer" not in data)
        ):
            return None
        root = etree.fromstring(data, _parser())
        changed = False
        for group in _xlsx_groups(root, f"{{{S}}}is"):
            changed |= replace_in_runs(group, replacer, where)
        for formula in root.iter(f"{{{S}}}f"):
            if formula.text:
                new = formula_sub(formula.text, replacer, where)
                if new != formula.text:
                    formula.text = new
                    changed = True
        tags = [
            f"{{{S}}}{kind}{part}"
            for kind in ("odd", "even", "first")
            for part in ("Header", "Footer")
        ]
        changed |= _header_footer(root, replacer, where, tags)
        return _tostring(root) if changed else None
    if name == "xl/workbook.xml":
        root = etree.fromstring(data, _parser())
        changed = False
        for sheet in root.iter(f"{{{S}}}sheet"):
            title = sheet.get("name") or ""
            new = replacer.sub(title, where=where)[:SHEET_NAME_MAX]
            if new != title:
                sheet.set("name", new)
                changed = True
        changed |= _leaves(root, replacer, where, (f"{{{S}}}definedName",))
        return _tostring(root) if changed else None
    if _COMMENTS_PART.match(name):
        root = etree.fromstring(data, _parser())
        changed = False
        for group in _xlsx_groups(root, f"{{{S}}}text"):
            changed |= replace_in_runs(group, replacer, where)
        return _tostring(root) if changed else None
    if _THREADED_PART.match(name):
        root = etree.fromstring(data, _parser())
        tc = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
        return _tostring(root) if _leaves(root, replacer, where, (f"{{{tc}}}text",)) else None
    if _TABLE_PART.match(name):
        root = etree.fromstring(data, _parser())
        changed = _attributes(root, replacer, where, ("name",))
        return _tostring(root) if changed else None
    if _PROPS_PART.match(name):
        root = etree.fromstring(data, _parser())
        return _tostring(root) if _leaves(root, replacer, where) else None
    if _VML_PART.match(name):
        # Excel may copy a comment's text into its shape; VML is often not well-formed
        # XML, so a part that does not parse is left as it is (the comment is rewritten).
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError:
            return None
        return _tostring(root) if _leaves(root, replacer, where) else None
    return None


def rewrite(source: Path, target: Path, replacer: Replacer) -> None:
    """Copy ``source`` to ``target`` with the text of every part run through ``replacer``."""
    from lxml import etree

    kind = source.suffix.lower()
    part: Callable[[str, bytes, Replacer, str], bytes | None] = (
        _docx_part if kind == ".docx" else _xlsx_part
    )
    where = source.name
    try:
        with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
            for info in zin.infolist():
                data = zin.read(info)
                try:
                    new = part(info.filename, data, replacer, where)
                except etree.XMLSyntaxError:
                    raise UnreadableInputError(
                        f"its part {info.filename} is damaged",
                        file=source,
                        advice="open it in Word or Excel, save it again, and run anonymise again",
                    ) from None
                zout.writestr(info, new if new is not None else data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise UnreadableInputError(
            "is damaged or password-protected, so scrtool cannot read it",
            file=source,
            advice="save an unprotected copy from Word or Excel and run anonymise again",
        ) from None


def package_texts(path: Path) -> list[tuple[str, str]]:
    """(part, text) of every place anonymise rewrites, for checking an output for names."""
    from lxml import etree

    out: list[tuple[str, str]] = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            docx_like = _WORD_TEXT_PARTS.match(name)
            xlsx_like = (
                name == "xl/sharedStrings.xml"
                or _SHEET_PART.match(name)
                or _COMMENTS_PART.match(name)
                or _THREADED_PART.match(name)
                or name == "xl/workbook.xml"
            )
            if not (docx_like or xlsx_like or _PROPS_PART.match(name)):
                continue
            root = etree.fromstring(zf.read(name), _parser())
            if docx_like:
                for group in _grouped(root, f"{{{W}}}p", (f"{{{W}}}t",)):
                    out.append((name, "".join(t.text or "" for t in group)))
                for element in root.iter():
                    for attribute in _TEXT_ATTRIBUTES:
                        if isinstance(element.tag, str) and element.get(attribute):
                            out.append((name, element.get(attribute)))
            elif xlsx_like and name != "xl/workbook.xml":
                for container in (f"{{{S}}}si", f"{{{S}}}is", f"{{{S}}}text"):
                    for group in _xlsx_groups(root, container):
                        out.append((name, "".join(t.text or "" for t in group)))
                for element in root.iter():
                    if not isinstance(element.tag, str) or not element.text:
                        continue
                    if element.tag.endswith(("Header", "Footer")):
                        out.append((name, header_footer_text(element.text)))
                    elif element.tag.endswith("}text"):
                        out.append((name, element.text))
            elif name == "xl/workbook.xml":
                out.extend((name, s.get("name") or "") for s in root.iter(f"{{{S}}}sheet"))
            else:
                out.extend(
                    (name, e.text)
                    for e in root.iter()
                    if isinstance(e.tag, str) and e.text and len(e) == 0
                )
    return out
