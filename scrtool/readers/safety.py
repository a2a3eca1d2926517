"""One safety policy for every file scrtool opens as a zip of XML parts (.docx, and the
Office files embedded in one) and for every XML it parses (those parts, a PDF's XMP).

- A DTD or an entity declaration is refused, never expanded: Word never writes one, so
  a part that declares one may be hostile (billion laughs, external entities). Every
  check looks for one in every XML part, up to the part's first element however long
  its prolog, before it reads anything, so a file is refused whichever parts a check
  then parses.
- The zip's directory is checked before anything is inflated: too many parts, a part
  or a total too large (an XML part, parsed whole, is held to less), or a compression
  ratio only a zip bomb has, and the file is refused at once. Nested packages (an
  Office file embedded in an Office file) share the file's one budget and are followed
  ``MAX_EMBED_DEPTH`` deep; one deeper is named for a person to check by hand.
- A part whose compressed data is damaged is refused with the same sentence by every
  check.
- ISO/IEC 29500 Strict parts (Word's "Strict Open XML Document") are read as the
  transitional parts they are equivalent to: their namespaces are mapped, byte for
  byte, onto the transitional ones before parsing, so every reader reads both.

Every check reads through this module, so a file is read by every check or refused by
every check with the same sentence.
"""

from __future__ import annotations

import codecs
import contextlib
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from scrtool.errors import UnreadableInputError

PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

#: Strict namespace -> transitional namespace (ECMA-376 Part 1, Annex; Part 4 lists both).
STRICT_NAMESPACES = {
    "http://purl.oclc.org/ooxml/wordprocessingml/main": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/officeDocument/relationships": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/math": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "http://purl.oclc.org/ooxml/officeDocument/extendedProperties": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "http://purl.oclc.org/ooxml/officeDocument/customProperties": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "http://purl.oclc.org/ooxml/officeDocument/customXml": "http://schemas.openxmlformats.org/officeDocument/2006/customXml",
    "http://purl.oclc.org/ooxml/officeDocument/sharedTypes": "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
    "http://purl.oclc.org/ooxml/officeDocument/bibliography": "http://schemas.openxmlformats.org/officeDocument/2006/bibliography",
    "http://purl.oclc.org/ooxml/drawingml/main": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://purl.oclc.org/ooxml/drawingml/picture": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://purl.oclc.org/ooxml/drawingml/chart": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "http://purl.oclc.org/ooxml/drawingml/diagram": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    "http://purl.oclc.org/ooxml/drawingml/chartDrawing": "http://schemas.openxmlformats.org/drawingml/2006/chartDrawing",
    "http://purl.oclc.org/ooxml/spreadsheetml/main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/presentationml/main": "http://schemas.openxmlformats.org/presentationml/2006/main",
}  # fmt: skip
_STRICT_PREFIX = b"http://purl.oclc.org/ooxml/"
_STRICT_RE = re.compile(b"|".join(re.escape(k.encode()) for k in STRICT_NAMESPACES))
_STRICT_MAP = {k.encode(): v.encode() for k, v in STRICT_NAMESPACES.items()}


def transitional(data: bytes) -> bytes:
    """A Strict part's bytes with its namespaces (and relationship types) made transitional."""
    if _STRICT_PREFIX not in data:
        return data
    return _STRICT_RE.sub(lambda m: _STRICT_MAP[m.group(0)], data)


MAX_ENTRIES = 5000
MAX_PART_BYTES = 128 * 1024 * 1024
#: An XML part is parsed whole, at some 25 times its size in memory: the largest Word
#: writes for a thousand-page report is a few tens of megabytes.
MAX_XML_PART_BYTES = 48 * 1024 * 1024
#: For a file and every package embedded in it, together.
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 8 * 1024 * 1024
MAX_EMBED_DEPTH = 2

CORRUPT_ADVICE = "open it in Word, save it again as a .docx and check the new copy"


def _refuse(path: Path | str, problem: str, advice: str = CORRUPT_ADVICE) -> UnreadableInputError:
    return UnreadableInputError(problem, file=path, advice=advice)


#: What a part's data may raise when it is inflated: the zip's own errors, and zlib's for
#: a damaged compressed stream.
_INFLATE_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
)

#: Bytes unpacked so far by the packages of one file (its own, and those embedded in it).
_UNPACKED: ContextVar[list[int] | None] = ContextVar("scrtool_unpacked", default=None)


@contextlib.contextmanager
def one_budget() -> Iterator[None]:
    """Every package opened inside shares one ``MAX_TOTAL_BYTES``: a file whose embedded
    documents each stay under the limits cannot add up to more than one may."""
    token = _UNPACKED.set([0]) if _UNPACKED.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _UNPACKED.reset(token)


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


def _hostile(file: Path | str, part: str) -> UnreadableInputError:
    return _refuse(
        file,
        f'part "{part}" declares a DTD or entities, which Word never writes; the file may be hostile',
        "do not open it; ask for the report to be saved again from Word",
    )


def parse_xml(data: bytes, *, file: Path | str, part: str) -> Any:
    """Parse one part safely: a DTD (which Word never writes) is refused, not expanded."""
    from lxml import etree

    head = data[:65536]
    if any(marker in head for marker in _DTD_MARKERS):
        raise _hostile(file, part)
    data = transitional(data)
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


_CHUNK = 65536


def _prolog_declares(handle: Any) -> bool:
    """Whether an XML part declares a DTD or entities before its first element: the XML
    declaration, comments, processing instructions and white space are skipped however
    long (a DTD after a 70 KB comment is still found), in UTF-8 or UTF-16, reading a
    chunk at a time; a marker in the first chunk is enough, wherever it is."""
    first = handle.read(_CHUNK)
    if any(marker in first for marker in _DTD_MARKERS):
        return True
    if first.startswith((b"\xff\xfe", b"<\x00")):
        encoding = "utf-16-le"
    elif first.startswith((b"\xfe\xff", b"\x00<")):
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(first).lstrip("\ufeff")
    ended = len(first) < _CHUNK
    while True:
        text = text.lstrip()
        if text.startswith("<!DOCTYPE") or text.startswith("<!ENTITY"):
            return True
        closing = {"<?": "?>", "<!--": "-->"}
        opener = next((o for o in closing if text.startswith(o)), None)
        if opener is None:
            if len(text) >= 9 or ended:
                return False  # the first element (or text no parser would take)
        else:
            end = text.find(closing[opener], len(opener))
            if end >= 0:
                text = text[end + len(closing[opener]) :]
                continue
            if ended:
                return False
            # Keep the opener and the last characters a closing mark could start in.
            text = opener + text[-2:]
        more = handle.read(_CHUNK)
        ended = len(more) < _CHUNK
        text += decoder.decode(more, final=ended)


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(8)
    except OSError:
        return b""


class Package:
    """A zip package opened with its directory checked against the limits."""

    def __init__(self, source: Path | bytes, *, name: Path | str, charge: bool = True) -> None:
        """Open and check the directory; with ``charge``, what it unpacks to is counted
        against the file's one budget (``one_budget``) at once, else by ``charge()``."""
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
            if head.startswith(b"PK\x03\x04"):
                raise _refuse(
                    name,
                    "is cut short or damaged: it starts as a Word document does, but the list "
                    "of its parts at the end is missing",
                    "copy it again from where it came from (a download or a copy may not have "
                    "finished), or open it in Word and save it again, then check the new copy",
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
        spent = _UNPACKED.get() if charge else None
        total = spent[0] if spent is not None else 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            lower = info.filename.lower()
            xml = lower.endswith((".xml", ".rels"))
            # A picture or a font is never inflated to be read, and an uncompressed bitmap
            # (a white page scanned to BMP) packs as tightly as a bomb: no ratio for those.
            unread = "/media/" in lower or "/fonts/" in lower
            if (
                info.file_size > MAX_PART_BYTES
                or (xml and info.file_size > MAX_XML_PART_BYTES)
                or total > MAX_TOTAL_BYTES
                or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO and not unread)
            ):
                raise _refuse(
                    name,
                    f'part "{info.filename}" would unpack to {info.file_size // (1024 * 1024)} MB'
                    f"{' (with the documents before it)' if total > MAX_TOTAL_BYTES else ''}, "
                    "which looks like a zip bomb rather than a document",
                    "do not open it; ask for the report to be saved again from Word",
                )
        if spent is not None:
            spent[0] = total
        self.names = {i.filename: i for i in infos}

    def charge(self) -> None:
        """Count this package against the file's budget (opened with ``charge=False``)."""
        spent = _UNPACKED.get()
        if spent is None:
            return
        spent[0] += sum(info.file_size for info in self.names.values())
        if spent[0] > MAX_TOTAL_BYTES:
            raise _refuse(
                self.name,
                "would unpack, with the documents before it, to more than any real document, "
                "which looks like a zip bomb rather than a document",
                "do not open it; ask for the report to be saved again from Word",
            )

    def __contains__(self, part: str) -> bool:
        return part in self.names

    def read(self, part: str) -> bytes:
        info = self.names[part]
        # A part that says it is small but unpacks to more is stopped at the limit.
        limit = MAX_XML_PART_BYTES if part.lower().endswith((".xml", ".rels")) else MAX_PART_BYTES
        try:
            with self.zip.open(info) as handle:
                data = handle.read(limit + 1)
        except _INFLATE_ERRORS as exc:
            raise _refuse(self.name, f'part "{part}" is damaged ({exc})') from None
        if len(data) > limit:
            raise _refuse(self.name, f'part "{part}" is too large to be a real document part')
        return data

    def refuse_declarations(self) -> None:
        """Refuse the package if any XML part declares a DTD or entities, reading each
        part only up to its first element (a DTD can stand nowhere later), so a reader
        that parses only some parts refuses exactly the files that a reader of every part
        refuses. Every check calls this first."""
        for name in self.names:
            if not name.lower().endswith((".xml", ".rels")):
                continue
            try:
                with self.zip.open(self.names[name]) as handle:
                    declares = _prolog_declares(handle)
            except _INFLATE_ERRORS as exc:
                raise _refuse(self.name, f'part "{name}" is damaged ({exc})') from None
            if declares:
                raise _hostile(self.name, name)

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
