"""Every place in a PDF where text can hide: under a black box, in white ink, in a comment,
an attachment, a script, the metadata, or an earlier version kept by an incremental save.

Covered text is found the way Free Law Project's x-ray finds it: the content stream is
walked once (pypdf's text extraction with visitors), every opaque filled rectangle and
every piece of text is placed on the page in the order it was drawn, and text that a
rectangle painted later covers is a bad redaction.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrtool.errors import UnreadableInputError
from scrtool.readers.model import Piece

MAX_NAME_TREE = 10000
MAX_EMBED_DEPTH = 2
#: How much of a character a rectangle must hide to count it as covered (as x-ray).
COVER_THRESHOLD = 0.8

Box = tuple[float, float, float, float]

CORRUPT_ADVICE = (
    "open it in a PDF reader and save or print it to a new PDF, then check the new copy"
)


@contextlib.contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf logs every oddity of a damaged file; the user needs one sentence, not dozens."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def open_pdf(data: bytes, *, name: Path | str) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.strip():
        raise UnreadableInputError(
            "is empty", file=name, advice="check you named the right file, then try again"
        )
    if b"%PDF-" not in data[:1024]:
        raise UnreadableInputError(
            "is not a PDF (it does not start with %PDF)",
            file=name,
            advice="check it is the PDF of the report, or save the report as PDF again",
        )
    try:
        with quiet_pypdf():  # "EOF marker not found" and the like: the message below says it
            reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        RecursionError,
    ) as exc:
        raise UnreadableInputError(
            f"is damaged and cannot be read as a PDF ({exc})", file=name, advice=CORRUPT_ADVICE
        ) from None
    if encrypted:
        raise UnreadableInputError(
            "is encrypted (password-protected or restricted), so its hidden content cannot be checked",
            file=name,
            advice="it must be sent unencrypted: save a copy without a password or security settings and check that",
        )
    try:
        count = len(reader.pages)
    except Exception as exc:  # pypdf raises many types for a broken page tree
        raise UnreadableInputError(
            f"is damaged: its pages cannot be found ({exc})", file=name, advice=CORRUPT_ADVICE
        ) from None
    if count == 0:
        raise UnreadableInputError("has no pages", file=name, advice=CORRUPT_ADVICE)
    return reader


# --- geometry ------------------------------------------------------------------------


def _mult(m: list[float], n: list[float]) -> list[float]:
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def _apply(m: list[float], x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _rect_box(m: list[float], x: float, y: float, w: float, h: float) -> Box:
    pts = [_apply(m, x, y), _apply(m, x + w, y), _apply(m, x, y + h), _apply(m, x + w, y + h)]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _area(a: Box) -> float:
    return max(a[2] - a[0], 0.0) * max(a[3] - a[1], 0.0)


def _is_white(colour: tuple[float, ...]) -> bool:
    return all(c >= 0.95 for c in colour)


def _to_rgb(space: str, values: list[float]) -> tuple[float, ...] | None:
    try:
        nums = [float(v) for v in values]
    except (TypeError, ValueError):
        return None
    if space == "gray" and len(nums) == 1:
        return (nums[0],) * 3
    if space == "rgb" and len(nums) == 3:
        return tuple(nums)
    if space == "cmyk" and len(nums) == 4:
        c, m, y, k = nums
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    if len(nums) == 1:
        return (nums[0],) * 3
    if len(nums) == 3:
        return tuple(nums)
    if len(nums) == 4:
        c, m, y, k = nums
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


_WIDTHS_CACHE: dict[int, tuple[Any, dict[str, float], float]] = {}


def _font_widths(font: Any) -> tuple[dict[str, float], float]:
    """Per-character widths (in 1/1000 em) for simple fonts; Helvetica's when unknown."""
    from reportlab.pdfbase.pdfmetrics import getFont

    cached = _WIDTHS_CACHE.get(id(font))
    if cached is not None and cached[0] is font:
        return cached[1], cached[2]
    if len(_WIDTHS_CACHE) > 256:
        _WIDTHS_CACHE.clear()
    widths: dict[str, float] = {}
    default = 500.0
    base = ""
    try:
        if font is not None:
            base = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
            first = int(font.get("/FirstChar", 0))
            table = font.get("/Widths")
            if table is not None:
                table = table.get_object()
                for i, w in enumerate(table):
                    widths[chr(first + i)] = float(w)
    except Exception:
        pass
    if not widths:
        name = base if base in _STANDARD_FONTS else "Helvetica"
        try:
            for code, w in enumerate(getFont(name).widths):
                if w:
                    widths[chr(code)] = float(w)
        except Exception:
            pass
    _WIDTHS_CACHE[id(font)] = (font, widths, default)
    return widths, default


_STANDARD_FONTS = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman",
    "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


# --- the content stream visitor ------------------------------------------------------


@dataclass
class _Chunk:
    seq: int
    text: str
    matrix: list[float]
    size: float
    font: Any
    states: list[tuple[tuple[float, ...], int]]

    def box(self) -> Box:
        m = self.matrix
        h = self.size * (m[2] ** 2 + m[3] ** 2) ** 0.5
        x, y = m[4], m[5]
        widths, default = _font_widths(self.font)
        total = sum(widths.get(ch, default) for ch in self.text) / 1000 * self.size
        sx = (m[0] ** 2 + m[1] ** 2) ** 0.5
        return (x, y - 0.2 * h, x + total * sx, y + 0.8 * h)

    def char_boxes(self) -> list[tuple[str, Box]]:
        m = self.matrix
        h = self.size * (m[2] ** 2 + m[3] ** 2) ** 0.5
        sx = (m[0] ** 2 + m[1] ** 2) ** 0.5
        widths, default = _font_widths(self.font)
        x, y = m[4], m[5]
        out = []
        for ch in self.text:
            w = widths.get(ch, default) / 1000 * self.size * sx
            out.append((ch, (x, y - 0.2 * h, x + w, y + 0.8 * h)))
            x += w
        return out


@dataclass
class _Fill:
    seq: int
    box: Box
    colour: tuple[float, ...]


@dataclass
class PageVisitor:
    """Collects filled rectangles, images and text chunks of one page in drawing order."""

    resources: Any = None
    seq: int = 0
    colour: tuple[float, ...] = (0.0, 0.0, 0.0)
    space: str = "gray"
    mode: int = 0
    opaque: bool = True
    stack: list[tuple[tuple[float, ...], str, int, bool]] = field(default_factory=list)
    path: list[Box] = field(default_factory=list)
    fills: list[_Fill] = field(default_factory=list)
    images: list[_Fill] = field(default_factory=list)
    chunks: list[_Chunk] = field(default_factory=list)
    pending: list[tuple[tuple[float, ...], int]] = field(default_factory=list)
    last_text_seq: int = 0

    def before(self, op: bytes, args: list[Any], cm: list[float], tm: list[float]) -> None:
        self.seq += 1
        if op in (b"Tj", b"TJ", b"'", b'"'):
            self.pending.append((self.colour, self.mode if self.opaque else 3))
            self.last_text_seq = self.seq
        elif op == b"re":
            try:
                x, y, w, h = (float(a) for a in args[:4])
            except (TypeError, ValueError):
                return
            self.path.append(_rect_box(list(cm), x, y, w, h))
        elif op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
            if self.opaque:
                for box in self.path:
                    self.fills.append(_Fill(self.seq, box, self.colour))
            self.path = []
        elif op in (b"n", b"S", b"s"):
            self.path = []
        elif op == b"q":
            self.stack.append((self.colour, self.space, self.mode, self.opaque))
        elif op == b"Q":
            if self.stack:
                self.colour, self.space, self.mode, self.opaque = self.stack.pop()
        elif op == b"g":
            self._set("gray", args)
        elif op == b"rg":
            self._set("rgb", args)
        elif op == b"k":
            self._set("cmyk", args)
        elif op == b"cs":
            name = str(args[0]) if args else ""
            self.space = {"/DeviceGray": "gray", "/DeviceRGB": "rgb", "/DeviceCMYK": "cmyk"}.get(
                name, "other"
            )
        elif op in (b"sc", b"scn"):
            nums = [a for a in args if isinstance(a, (int, float))]
            if len(nums) == len(args):
                self._set(self.space, nums)
        elif op == b"Tr":
            with contextlib.suppress(TypeError, ValueError, IndexError):
                self.mode = int(args[0])
        elif op == b"gs":
            self._graphics_state(args)
        elif op == b"Do":
            self._xobject(args, cm)

    def _set(self, space: str, args: list[Any]) -> None:
        colour = _to_rgb(space, args)
        if colour is not None:
            self.colour = colour

    def _graphics_state(self, args: list[Any]) -> None:
        try:
            states = self.resources["/ExtGState"]
            gs = states[args[0]].get_object()
        except (KeyError, TypeError, IndexError, AttributeError):
            return
        alpha = gs.get("/ca")
        blend = gs.get("/BM")
        opaque = True
        if alpha is not None:
            with contextlib.suppress(TypeError, ValueError):
                opaque = float(alpha) >= 0.99
        if blend is not None and str(blend) not in ("/Normal", "/Compatible"):
            opaque = False
        self.opaque = opaque

    def _xobject(self, args: list[Any], cm: list[float]) -> None:
        try:
            xobj = self.resources["/XObject"][args[0]].get_object()
        except (KeyError, TypeError, IndexError, AttributeError):
            return
        if xobj.get("/Subtype") == "/Image":
            self.images.append(_Fill(self.seq, _rect_box(list(cm), 0, 0, 1, 1), (0.5, 0.5, 0.5)))

    def text(self, text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        states = self.pending
        self.pending = []
        if not text or not text.strip():
            return
        try:
            matrix = _mult(list(tm), list(cm))
            size = float(size)
        except (TypeError, ValueError):
            return
        self.chunks.append(_Chunk(self.last_text_seq, text, matrix, size, font, states))


def _clean_covered(text: str) -> str | None:
    """x-ray's filters: no single letters, no XXXX, something readable."""
    text = " ".join(text.split())
    if len(text.replace(" ", "")) < 2 or not re.search(r"[^\W_]", text):
        return None
    if len(set(text.replace(" ", ""))) == 1:
        return None
    return text


def page_findings(visitor: PageVisitor, page_box: Box, page_no: int) -> list[Piece]:
    """Covered and invisible text on one page."""
    pieces: list[Piece] = []
    fills = [f for f in visitor.fills if (f.box[2] - f.box[0]) > 4 and (f.box[3] - f.box[1]) > 4]
    covered: dict[int, list[str]] = {}
    hidden: dict[str, list[str]] = {}
    for chunk in visitor.chunks:
        states = chunk.states or [((0.0, 0.0, 0.0), 0)]
        box = chunk.box()
        height = box[3] - box[1]
        point = (box[0] + 1, box[1] + height / 2)
        if all(mode in (3, 7) for _, mode in states):
            under_image = any(
                _inside(point, im.box) and im.seq < chunk.seq for im in visitor.images
            )
            if not under_image:
                hidden.setdefault("invisible text", []).append(chunk.text)
            continue
        if all(_is_white(colour) for colour, _ in states):
            backed = any(
                f.seq < chunk.seq and not _is_white(f.colour) and _inside(point, f.box)
                for f in visitor.fills
            ) or any(im.seq < chunk.seq and _inside(point, im.box) for im in visitor.images)
            if not backed:
                hidden.setdefault("white text", []).append(chunk.text)
                continue
        if 0 < height < 1.0:
            hidden.setdefault("text too small to see", []).append(chunk.text)
            continue
        if _outside(box, page_box):
            hidden.setdefault("text outside the page", []).append(chunk.text)
            continue
        candidates = [f for f in fills if _overlap(box, f.box) > 0]
        if not candidates:
            continue
        colour = states[0][0]
        for ch, cbox in chunk.char_boxes():
            area = _area(cbox)
            if area <= 0:
                continue
            best = None
            for index, f in enumerate(candidates):
                over = f.seq > chunk.seq or _same_colour(f.colour, colour)
                if (
                    over
                    and _overlap(cbox, f.box) / area >= COVER_THRESHOLD
                    and (best is None or f.seq > candidates[best].seq)
                ):
                    best = index
            if best is not None:
                key = id(candidates[best])
                covered.setdefault(key, []).append(ch)
            elif ch == " ":
                for key_chars in covered.values():
                    if key_chars and key_chars[-1] != " ":
                        key_chars.append(" ")
    for chars in covered.values():
        text = _clean_covered("".join(chars))
        if text:
            pieces.append(
                Piece(
                    text,
                    f"page {page_no} (text under a box drawn over it)",
                    kind="covered-text",
                    scan=False,
                )
            )
    for reason, texts in hidden.items():
        text = " ".join(" ".join(texts).split())
        if text:
            pieces.append(Piece(text, f"page {page_no} ({reason})", kind="hidden-text", scan=False))
    return pieces


def _same_colour(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 0.05 for x, y in zip(a, b, strict=True))


def _inside(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _outside(box: Box, page: Box) -> bool:
    return (
        box[2] < page[0] - 1 or box[0] > page[2] + 1 or box[3] < page[1] - 1 or box[1] > page[3] + 1
    )


# --- the document --------------------------------------------------------------------


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


# --- one text extraction per file ---------------------------------------------------
#
# pypdf's text extraction is most of the time of both checks on a PDF (3 to 25 ms a
# page), and `scrtool package` runs both on the same files. Each page is extracted once,
# with the visitor that finds covered and invisible text (it does not change the text:
# a test compares it with plain ``extract_text``), and kept for the file as it is on
# disk: keyed on its path, size and modification time, so a changed file is read again.

MAX_CACHED_FILES = 4


@dataclass(frozen=True)
class ExtractedPage:
    text: str
    visitor: PageVisitor


FileKey = tuple[str, int, int]
_EXTRACTED: dict[FileKey, tuple[ExtractedPage, ...]] = {}


def file_key(path: Path | str) -> FileKey | None:
    """(resolved path, size, mtime_ns) of a file, or None when it cannot be looked at."""
    try:
        resolved = Path(path).resolve()
        stat = resolved.stat()
    except OSError:
        return None
    return (str(resolved), stat.st_size, stat.st_mtime_ns)


def cached_pages(key: FileKey | None, page_count: int) -> tuple[ExtractedPage, ...] | None:
    if key is None:
        return None
    pages = _EXTRACTED.get(key)
    if pages is None or len(pages) != page_count:
        return None
    _EXTRACTED[key] = _EXTRACTED.pop(key)  # most recently used last
    return pages


def remember_pages(key: FileKey | None, pages: list[ExtractedPage]) -> None:
    if key is None:
        return
    for stale in [k for k in _EXTRACTED if k[0] == key[0]]:
        del _EXTRACTED[stale]  # an older version of the same file
    _EXTRACTED[key] = tuple(pages)
    while len(_EXTRACTED) > MAX_CACHED_FILES:
        del _EXTRACTED[next(iter(_EXTRACTED))]


def forget_extracted() -> None:
    """Empty the cache (tests and benchmarks that must time a fresh extraction)."""
    _EXTRACTED.clear()


def extract_page(page: Any) -> ExtractedPage:
    """One page's text (exactly ``page.extract_text()``) and what was drawn where.
    pypdf's own exceptions pass through: each caller says what went wrong its way."""
    visitor = PageVisitor()
    try:
        visitor.resources = _resolve(page.get("/Resources"))
    except Exception:
        visitor.resources = None
    text = page.extract_text(visitor_operand_before=visitor.before, visitor_text=visitor.text)
    return ExtractedPage(text, visitor)


class PdfInspector:
    def __init__(
        self, data: bytes, name: Path | str, depth: int = 0, *, key: FileKey | None = None
    ) -> None:
        self.data = data
        self.name = name
        self.depth = depth
        self.key = key
        self.reader = open_pdf(data, name=name)
        self.pieces: list[Piece] = []
        self.page_texts: list[str] = []

    def read(self, *, revisions: bool = True) -> list[Piece]:
        with quiet_pypdf():
            self._pages()
            self._catalog_scripts()
            self._form_fields()
            self._embedded_files()
            self._bookmarks()
            self._info()
            self._xmp()
            if revisions:
                self._revisions()
        return self.pieces

    @contextlib.contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """A part of the file that cannot be read stops the check: never pass a file
        whose hidden places were not all looked at."""
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

    def _pages(self) -> None:
        pages = self.reader.pages
        cached = cached_pages(self.key, len(pages))
        extracted: list[ExtractedPage] = []
        for number, page in enumerate(pages, start=1):
            if cached is not None:
                done = cached[number - 1]
            else:
                try:
                    done = extract_page(page)
                except Exception as exc:
                    raise UnreadableInputError(
                        f"page {number} is damaged and its text cannot be read "
                        f"({type(exc).__name__})",
                        file=self.name,
                        advice=CORRUPT_ADVICE,
                    ) from None
                extracted.append(done)
            text, visitor = done.text, done.visitor
            self.page_texts.append(text)
            if text.strip():
                self.pieces.append(Piece(text, f"page {number}"))
            try:
                box = page.cropbox
                page_box = (float(box.left), float(box.bottom), float(box.right), float(box.top))
            except Exception:
                page_box = (-1e9, -1e9, 1e9, 1e9)
            self.pieces.extend(page_findings(visitor, page_box, number))
            with self._guard("annotations"):
                self._annotations(page, number)
            with self._guard("page actions"):
                self._actions(_resolve(page.get("/AA")), f"page {number} action")
        if cached is None:
            remember_pages(self.key, extracted)

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
        from scrtool.readers.docx import is_local_path

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
            self.pieces.extend(
                embedded_pieces(data, filename, f"{where}, attached file", self.depth)
            )

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
        from scrtool.readers.docx import parse_xml

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

    def _revisions(self) -> None:
        """Incremental saves keep every earlier version after the first %%EOF."""
        ends = [m.end() for m in re.finditer(rb"%%EOF", self.data)]
        if len(ends) < 2:
            return
        earlier = ends[:-1]
        if b"/Linearized" in self.data[:2048]:
            earlier = earlier[1:]
        final_text = "\n".join(self.page_texts)
        final_lines = {" ".join(line.split()) for line in final_text.splitlines()}
        for number, end in enumerate(earlier, start=1):
            where = f"earlier revision {number} of {len(earlier) + 1}"
            old_pieces: list[Piece] = []
            changed: list[str] = []
            try:
                old = PdfInspector(self.data[:end], self.name, self.depth + 1)
                old_pieces = old.read(revisions=False)
                for text in old.page_texts:
                    for line in text.splitlines():
                        norm = " ".join(line.split())
                        if norm and norm not in final_lines:
                            changed.append(norm)
            except UnreadableInputError:
                pass
            shown = (
                "text since removed: " + " / ".join(changed)
                if changed
                else f"an earlier version of the file ({end:,} bytes) is kept inside it"
            )
            self.pieces.append(
                Piece("\n".join(changed), where, kind="revision-history", shown=shown)
            )
            for piece in old_pieces:
                if piece.kind in (None, "metadata") or piece.scan:
                    self.pieces.append(
                        Piece(
                            piece.text,
                            f"{where}, {piece.location}",
                            scan=piece.scan and piece.kind is None,
                        )
                    )


def embedded_pieces(data: bytes, filename: str, where: str, depth: int) -> list[Piece]:
    """Text inside an attached file: a PDF, a Word document, text, or a binary's strings."""
    if depth >= MAX_EMBED_DEPTH:
        return []
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        try:
            inner = PdfInspector(data, where, depth + 1).read(revisions=False)
        except UnreadableInputError:
            return []
        return [
            Piece(p.text, f"{where}: {p.location}", p.kind, p.severity, p.scan, p.shown)
            for p in inner
        ]
    from scrtool.readers.docx import embedded_text_pieces

    if data.startswith(b"PK") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return embedded_text_pieces(data, where, depth)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return embedded_text_pieces(data, where, depth)
    return [Piece(text, where)] if text.strip() else []


def pdf_pieces(path: Path) -> list[Piece]:
    key = file_key(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"cannot be read ({exc.strerror or exc})", file=path) from exc
    if key is not None and len(data) != key[1]:
        key = None  # the file changed while it was read: do not share this reading
    inspector = PdfInspector(data, path, key=key)
    pieces = inspector.read()
    if not any(text.strip() for text in inspector.page_texts):
        # A scanned report: passing it would say nothing was found where nothing was read.
        raise UnreadableInputError(
            "has no text on any page (it looks like scanned pages or pictures), so scrtool "
            "cannot read what it says",
            file=path,
            advice="check the Word document it was made from, or a PDF saved from Word",
        )
    return pieces
