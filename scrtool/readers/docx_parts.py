"""The parts of a .docx around its text: settings, document properties, links, custom
XML, diagrams and charts, and embedded files.

An embedded file is a finding in itself; what is inside it is read as a document when
it is one (another Office package, opened under the same safety policy), and otherwise
only its names and properties are read: binary data (OLE streams, pictures, fonts) is
never scanned as if it were text, where any run of digits looks like an identifier.
"""

from __future__ import annotations

import posixpath
import struct
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

from scrtool.errors import UnreadableInputError
from scrtool.readers.model import Piece
from scrtool.readers.safety import MAX_EMBED_DEPTH, Package, is_local_path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Opens an embedded Word document: (data, where, depth) -> its pieces.
OpenDocx = Callable[[bytes, str, int], list[Piece]]


class PackageParts:
    """What DocxReader reads beyond the stories (it sets package, pieces and depth)."""

    package: Package
    pieces: list[Piece]
    depth: int
    authors: set[str]

    def _open_docx(self, data: bytes, where: str, depth: int) -> list[Piece]:
        raise NotImplementedError

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

    def _chart_data(self) -> dict[str, str]:
        """The workbooks that hold a chart's data (embedding -> the chart's part): Word
        keeps one with every chart it draws, so having one is no finding of its own."""
        pkg = self.package
        out: dict[str, str] = {}
        for name in sorted(pkg.names):
            folder = posixpath.dirname(name)
            if folder.endswith("/charts") and name.endswith(".xml"):
                for rtype, target, external in pkg.rels(name).values():
                    if rtype == "package" and not external:
                        out[target] = name
        return out

    def _embedded(self) -> None:
        pkg = self.package
        chart_data = self._chart_data()
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
            chart = chart_data.get(name)
            if chart is not None:
                # Its text is read and checked below like any other; the chart needs it.
                shown = (
                    f"{base}, the data of the chart {posixpath.basename(chart)} (read and checked)"
                )
                self.pieces.append(
                    Piece(
                        base, where, kind="embedded-object", severity="low", scan=False, shown=shown
                    )
                )
            else:
                self.pieces.append(
                    Piece(base, where, kind="embedded-object", scan=False, shown=what)
                )
            if lower.endswith("vbaproject.bin"):
                continue
            # Its file name is looked at for names too ("Dean Voss letter.docx").
            self.pieces.append(Piece(unquote(base), f"{where} (its file name)"))
            data = pkg.read(name)
            self.pieces.extend(embedded_file_pieces(data, where, self.depth, self._open_docx))


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


def embedded_file_pieces(data: bytes, where: str, depth: int, open_docx: OpenDocx) -> list[Piece]:
    """What an embedded file holds: an Office package's text, an OLE object's names,
    properties and any document inside it; nothing from other binary data."""
    if depth >= MAX_EMBED_DEPTH:
        if data.startswith((b"PK", OLE_MAGIC)):
            return [_by_hand(where, f"a file embedded more than {MAX_EMBED_DEPTH} levels deep, "
                                    "which scrtool does not open")]  # fmt: skip
        return []
    if data.startswith(b"PK"):
        return _package_pieces(data, where, depth, open_docx)
    if data.startswith(OLE_MAGIC):
        return _ole_pieces(data, where, depth, open_docx)
    return []


def _by_hand(where: str, what: str) -> Piece:
    """A note that something inside the file could not be looked at, so it is checked by
    hand: the check never passes a file it could not look at completely."""
    return Piece(where, where, kind="embedded-object", severity="medium", scan=False,
                 shown=f"{what}: check it by hand")  # fmt: skip


def _why(exc: UnreadableInputError) -> str:
    """Why an embedded file could not be read, in a few words (the note stays short)."""
    problem = exc.problem
    if "zip bomb" in problem or "too large" in problem:
        return "it would unpack to more than scrtool opens"
    if "DTD" in problem:
        return "it declares a DTD, which Word never writes"
    return "it is damaged or not an Office file"


def _package_pieces(data: bytes, where: str, depth: int, open_docx: OpenDocx) -> list[Piece]:
    try:
        inner = Package(data, name=where, charge=False)  # counted once, by whoever reads it
        word = "word/document.xml" in inner or any(
            rtype == "officeDocument" and target.startswith("word/")
            for rtype, target, _ in inner.rels("").values()
        )
        if not word:
            inner.charge()
    except UnreadableInputError as exc:
        return [_by_hand(where, f"an embedded file that cannot be opened ({_why(exc)})")]
    if word:
        try:
            return open_docx(data, where, depth + 1)
        except UnreadableInputError as exc:
            return [_by_hand(where, f"an embedded Word document that cannot be read ({_why(exc)})")]
    # Another Office file (a workbook, a presentation): the text and the names of every
    # part (a sheet's name is an attribute), each part that cannot be read noted.
    texts: list[str] = []
    notes: list[Piece] = []
    for name in sorted(inner.names):
        if name.endswith(".xml") and "/_rels/" not in name:
            try:
                texts.extend(t for t in _leaf_values(inner.xml(name)) if t.strip())
            except UnreadableInputError as exc:
                notes.append(_by_hand(where, f'a part ("{name}") of an embedded file cannot be '
                                             f"read ({_why(exc)})"))  # fmt: skip
    return ([Piece("\n".join(texts), where)] if texts else []) + notes


def _ole_pieces(data: bytes, where: str, depth: int, open_docx: OpenDocx) -> list[Piece]:
    """An OLE compound file (an object pasted from another program): its stream names,
    its summary properties, the file names an "Ole10Native" package records, and any
    Office document or package stored inside it."""
    import io

    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, struct.error):
        return [Piece(where, where, kind="embedded-object", severity="medium", scan=False,
                      shown="an embedded object that cannot be opened: check it by hand")]  # fmt: skip
    pieces: list[Piece] = []
    try:
        entries = ole.listdir(streams=True, storages=True)
        names = ["/".join(_printable(part) for part in entry) for entry in entries]
        if names:
            pieces.append(Piece("\n".join(names), f"{where} (names of its parts)"))
        try:
            meta = ole.get_metadata()
        except Exception:  # olefile raises several types on a damaged property set
            meta = None
        if meta is not None:
            for attr in (*meta.SUMMARY_ATTRIBS, *meta.DOCSUM_ATTRIBS):
                value = getattr(meta, attr, None)
                if isinstance(value, bytes):
                    value = value.decode("cp1252", errors="replace")
                if isinstance(value, str) and value.strip("\x00 "):
                    pieces.append(Piece(value.strip("\x00 "), f"{where} (property {attr})"))
        for entry in entries:
            stream = entry[-1]
            if ole.get_type(entry) != olefile.STGTY_STREAM:
                continue
            if stream == "\x01Ole10Native":
                pieces.extend(_ole10_native(ole.openstream(entry).read(), where, depth, open_docx))
            elif stream in ("Package", "CONTENTS") or stream.lower() == "package":
                inner = ole.openstream(entry).read()
                pieces.extend(
                    embedded_file_pieces(inner, f"{where}, {stream}", depth + 1, open_docx)
                )
    except (OSError, ValueError, struct.error, IndexError):
        pieces.append(Piece(where, where, kind="embedded-object", severity="medium", scan=False,
                            shown="an embedded object that is damaged: check it by hand"))  # fmt: skip
    finally:
        ole.close()
    return pieces


def _printable(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable())


def _cstring(data: bytes, at: int) -> tuple[str, int]:
    end = data.find(b"\x00", at)
    if end < 0:
        raise ValueError("unterminated string")
    return data[at:end].decode("cp1252", errors="replace"), end + 1


def _ole10_native(data: bytes, where: str, depth: int, open_docx: OpenDocx) -> list[Piece]:
    """An "Ole10Native" stream ([MS-OLEDS] 2.3.6, the Packager's format): its label, the
    path it was copied from and its temporary path are read as file names; the file
    itself is read only when it is a document."""
    try:
        at = 4 + 2  # total size, then flags
        label, at = _cstring(data, at)
        source, at = _cstring(data, at)
        at += 4  # reserved, then the temporary path's length (it ends with a NUL too)
        temp, at = _cstring(data, at + 4)
        (length,) = struct.unpack_from("<I", data, at)
        if at + 4 + length > len(data):
            raise ValueError("the packaged file is cut short")
        payload = data[at + 4 : at + 4 + length]
    except (ValueError, struct.error):
        return [_by_hand(where, "an embedded package that is damaged")]
    pieces = []
    for value, label_text in (
        (label, "file name"),
        (source, "copied from"),
        (temp, "temporary file"),
    ):
        if value.strip():
            pieces.append(Piece(value, f"{where} ({label_text})"))
            if is_local_path(value):
                pieces.append(Piece(value, f"{where} ({label_text}, a file path)", kind="metadata",
                                    severity="medium", scan=False))  # fmt: skip
    pieces.extend(
        embedded_file_pieces(payload, f"{where}, {label or 'packaged file'}", depth + 1, open_docx)
    )
    return pieces
