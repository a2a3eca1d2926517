"""The parts of a PDF beyond its pages' text, read with pypdf: annotations and their
authors, links, JavaScript, form fields, attached files, bookmarks, the document
information dictionary and XMP metadata.

pypdf reads this structure well and exactly; the pages' text is PDFium's (see
``pdf_pages``). Each part that cannot be read stops the check (``_guard``): a file whose
hidden places were not all looked at must never pass.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from scrtool.errors import UnreadableInputError
from scrtool.readers.model import Piece
from scrtool.readers.safety import is_local_path, parse_xml

MAX_NAME_TREE = 10000
CORRUPT_ADVICE = (
    "open it in a PDF reader and save or print it to a new PDF, then check the new copy"
)

#: Reads an attached file into pieces: (data, file name, where, depth).
Embedded = Callable[[bytes, str, str, int], list[Piece]]


def _str(value: Any) -> str:
    try:
        value = value.get_object()
    except AttributeError:
        pass
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("latin-1", errors="replace")
    try:
        from pypdf.generic import StreamObject

        if isinstance(value, StreamObject):
            return value.get_data().decode("latin-1", errors="replace")
    except Exception:
        return ""
    return str(value)


def _resolve(value: Any) -> Any:
    try:
        return value.get_object()
    except AttributeError:
        return value


def name_tree(node: Any, depth: int = 0, seen: set[int] | None = None) -> Iterator[tuple[str, Any]]:
    """(name, value) pairs of a PDF name tree, safe against loops and absurd sizes."""
    seen = seen if seen is not None else set()
    node = _resolve(node)
    if node is None or depth > 32 or id(node) in seen or len(seen) > MAX_NAME_TREE:
        return
    seen.add(id(node))
    try:
        names = _resolve(node.get("/Names"))
        if names is not None:
            for i in range(0, len(names) - 1, 2):
                yield _str(names[i]), _resolve(names[i + 1])
        kids = _resolve(node.get("/Kids"))
        if kids is not None:
            for kid in kids:
                yield from name_tree(kid, depth + 1, seen)
    except (AttributeError, TypeError, KeyError):
        return


class Structure:
    """Collects the pieces of a PDF's structure from an open pypdf reader."""

    def __init__(self, reader: Any, name: Path | str, depth: int, embedded: Embedded) -> None:
        self.reader = reader
        self.name = name
        self.depth = depth
        self.embedded = embedded
        self.pieces: list[Piece] = []

    def read_document_parts(self) -> list[Piece]:
        self._catalog_scripts()
        self._form_fields()
        self._embedded_files()
        self._bookmarks()
        self._info()
        self._xmp()
        return self.pieces

    def read_page_parts(self, page: Any, number: int) -> list[Piece]:
        start = len(self.pieces)
        with self._guard("annotations"):
            self._annotations(page, number)
        with self._guard("page actions"):
            self._actions(_resolve(page.get("/AA")), f"page {number} action")
        out = self.pieces[start:]
        del self.pieces[start:]
        return out

    @contextlib.contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        try:
            yield
        except UnreadableInputError:
            raise
        except Exception as exc:  # pypdf raises many types for damaged objects
            raise UnreadableInputError(
                f"its {what} are damaged and cannot be checked ({type(exc).__name__}: {exc})",
                file=self.name,
                advice=CORRUPT_ADVICE,
            ) from None

    def _annotations(self, page: Any, number: int) -> None:
        annots = _resolve(page.get("/Annots"))
        if not annots:
            return
        count = 0
        for ref in annots:
            annot = _resolve(ref)
            if annot is None or not hasattr(annot, "get"):
                continue
            subtype = str(annot.get("/Subtype", "")).lstrip("/")
            self._actions(
                _resolve(annot.get("/A")), f"page {number} {subtype or 'annotation'} action"
            )
            self._actions(
                _resolve(annot.get("/AA")), f"page {number} {subtype or 'annotation'} action"
            )
            if subtype in ("Link", "Widget", "Popup"):
                if subtype == "Link":
                    action = _resolve(annot.get("/A"))
                    if action is not None and action.get("/URI") is not None:
                        self._link(_str(action.get("/URI")), f"page {number} link")
                continue
            count += 1
            author = _str(annot.get("/T")).strip()
            contents = _str(annot.get("/Contents")).strip()
            by = f" by {author}" if author else ""
            where = f"page {number}, annotation {count} ({subtype}{by})"
            if subtype == "FileAttachment":
                spec = _resolve(annot.get("/FS"))
                self._attachment(spec, contents, where)
                continue
            shown = contents or f"({subtype} annotation)"
            if subtype == "Redact":
                overlay = _str(annot.get("/OverlayText")).strip()
                shown = "a redaction marked but not applied: the text under it is still there"
                if overlay:
                    shown += f" ({overlay})"
            self.pieces.append(Piece(contents, where, kind="annotation", shown=shown))
            if author:
                self.pieces.append(Piece(author, f"{where} author"))

    def _link(self, target: str, where: str) -> None:
        if not target:
            return
        self.pieces.append(Piece(target, where))
        if is_local_path(target):
            self.pieces.append(
                Piece(
                    target, f"{where} (a file path)", kind="metadata", severity="medium", scan=False
                )
            )

    def _actions(self, actions: Any, where: str, seen: set[int] | None = None) -> None:
        """JavaScript in an action, a dictionary of actions (/AA) or a /Next chain."""
        if actions is None or not hasattr(actions, "get"):
            return
        seen = seen if seen is not None else set()
        if id(actions) in seen or len(seen) > 100:
            return
        seen.add(id(actions))
        if actions.get("/S") is not None or actions.get("/JS") is not None:
            if str(actions.get("/S")) == "/JavaScript" or actions.get("/JS") is not None:
                code = _str(actions.get("/JS")).strip()
                self.pieces.append(
                    Piece(code, where, kind="javascript", shown=code or "(empty script)")
                )
            nxt = _resolve(actions.get("/Next"))
            if isinstance(nxt, list):
                for item in nxt:
                    self._actions(_resolve(item), where, seen)
            elif nxt is not None:
                self._actions(nxt, where, seen)
            return
        for trigger, action in list(actions.items()):
            self._actions(_resolve(action), f"{where} ({str(trigger).lstrip('/')})", seen)

    def _catalog_scripts(self) -> None:
        root = _resolve(self.reader.trailer.get("/Root"))
        if root is None:
            return
        with self._guard("open actions"):
            action = _resolve(root.get("/OpenAction"))
            if hasattr(action, "get"):
                self._actions(action, "document open action")
        with self._guard("document actions"):
            self._actions(_resolve(root.get("/AA")), "document action")
        with self._guard("document scripts"):
            names = _resolve(root.get("/Names"))
            if names is not None:
                for name, action in name_tree(names.get("/JavaScript")):
                    self._actions(action, f"document JavaScript {name}".strip())

    def _form_fields(self) -> None:
        root = _resolve(self.reader.trailer.get("/Root"))
        form = _resolve(root.get("/AcroForm")) if root is not None else None
        if form is None:
            return
        seen: set[int] = set()

        def walk(field_ref: Any, prefix: str, depth: int) -> None:
            fld = _resolve(field_ref)
            if fld is None or depth > 20 or id(fld) in seen or len(seen) > MAX_NAME_TREE:
                return
            seen.add(id(fld))
            part = _str(fld.get("/T"))
            name = f"{prefix}.{part}" if prefix and part else (part or prefix)
            kids = _resolve(fld.get("/Kids"))
            self._actions(_resolve(fld.get("/AA")), f"form field {name} action")
            if fld.get("/V") is not None:
                value = _str(fld.get("/V")).strip()
                if isinstance(fld.get("/V"), list):
                    value = ", ".join(_str(v) for v in fld.get("/V"))
                value = value.lstrip("/") if value.startswith("/") else value
                if value and value not in ("Off",):
                    self.pieces.append(
                        Piece(
                            value,
                            f"form field {name or '(unnamed)'}",
                            kind="form-field",
                            severity="medium",
                        )
                    )
            if kids:
                for kid in kids:
                    walk(kid, name, depth + 1)

        with self._guard("form fields"):
            for ref in _resolve(form.get("/Fields")) or []:
                walk(ref, "", 0)

    def _attachment(self, spec: Any, description: str, where: str) -> None:
        spec = _resolve(spec)
        filename = ""
        data = b""
        if spec is not None and hasattr(spec, "get"):
            filename = _str(spec.get("/UF") or spec.get("/F")).strip()
            description = description or _str(spec.get("/Desc")).strip()
            ef = _resolve(spec.get("/EF"))
            if ef is not None:
                stream = _resolve(ef.get("/F") or ef.get("/UF"))
                with contextlib.suppress(Exception):
                    data = stream.get_data()
        shown = filename or "(unnamed attachment)"
        if description:
            shown += f": {description}"
        self.pieces.append(
            Piece(f"{filename}\n{description}", where, kind="attachment", shown=shown)
        )
        if data:
            self.pieces.extend(self.embedded(data, filename, f"{where}, attached file", self.depth))

    def _embedded_files(self) -> None:
        root = _resolve(self.reader.trailer.get("/Root"))
        names = _resolve(root.get("/Names")) if root is not None else None
        if names is None:
            return
        with self._guard("attachments"):
            for name, spec in name_tree(names.get("/EmbeddedFiles")):
                self._attachment(spec, "", f"attached file {name}".strip())

    def _bookmarks(self) -> None:
        titles: list[str] = []

        def walk(items: Any, depth: int) -> None:
            if depth > 32 or len(titles) > MAX_NAME_TREE:
                return
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    title = getattr(item, "title", None)
                    if title:
                        titles.append(str(title))

        with self._guard("bookmarks"):
            walk(self.reader.outline, 0)
        for number, title in enumerate(titles, start=1):
            self.pieces.append(Piece(title, f"bookmark {number}"))

    def _info(self) -> None:
        severities = {"/Author": "medium", "/Company": "medium", "/Manager": "medium"}
        labels = {"/Creator": "Creator (generator)", "/Producer": "Producer (generator)"}
        with self._guard("document properties"):
            info = _resolve(self.reader.trailer.get("/Info"))
            if info is None or not hasattr(info, "items"):
                return
            for key, value in info.items():
                key = str(key)
                if key in ("/CreationDate", "/ModDate", "/Trapped"):
                    continue
                text = _str(value).strip()
                if not text:
                    continue
                label = labels.get(key, key.lstrip("/"))
                self.pieces.append(
                    Piece(
                        text,
                        f"document property {label}",
                        kind="metadata",
                        severity=severities.get(key, "low"),
                    )
                )

    def _xmp(self) -> None:
        root = _resolve(self.reader.trailer.get("/Root"))
        if root is None:
            return
        data = b""
        with self._guard("XMP metadata streams"):
            stream = _resolve(root.get("/Metadata"))
            if stream is not None:
                data = stream.get_data()
        if not data.strip():
            return
        try:
            xml = parse_xml(data.strip(b"\x00 \r\n\t"), file=self.name, part="XMP metadata")
        except UnreadableInputError:
            self.pieces.append(
                Piece("(unreadable XMP metadata)", "XMP metadata", kind="metadata", severity="low")
            )
            return
        skip = {"DocumentID", "InstanceID", "OriginalDocumentID", "CreateDate", "ModifyDate",
                "MetadataDate", "format", "Trapped", "VersionID", "RenditionClass"}  # fmt: skip
        medium = {
            "creator",
            "Author",
            "AuthorsPosition",
            "CaptionWriter",
            "lastModifiedBy",
            "Company",
            "Manager",
        }
        values: dict[str, list[str]] = {}
        for el in xml.iter():
            if not isinstance(el.tag, str):
                continue
            local = el.tag.rsplit("}", 1)[-1]
            prefix = (el.prefix or "") if hasattr(el, "prefix") else ""
            items = []
            if el.text and el.text.strip() and len(el) == 0:
                owner = el
                while owner is not None and owner.tag.rsplit("}", 1)[-1] in (
                    "li",
                    "Seq",
                    "Bag",
                    "Alt",
                ):
                    owner = owner.getparent()
                if owner is not None and owner.tag.rsplit("}", 1)[-1] != "Description":
                    local = owner.tag.rsplit("}", 1)[-1]
                    prefix = owner.prefix or ""
                    items.append(el.text.strip())
            if el.tag.rsplit("}", 1)[-1] == "Description":
                for key, value in el.attrib.items():
                    attr = key.rsplit("}", 1)[-1]
                    if attr != "about" and value.strip():
                        values.setdefault(attr, []).append(value.strip())
            for item in items:
                values.setdefault(f"{prefix}:{local}" if prefix else local, []).append(item)
        for key, texts in values.items():
            local = key.split(":")[-1]
            if local in skip:
                continue
            text = "; ".join(dict.fromkeys(texts))
            self.pieces.append(
                Piece(
                    text,
                    f"XMP metadata {key}",
                    kind="metadata",
                    severity="medium" if local in medium else "low",
                )
            )
