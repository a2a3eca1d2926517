"""Plain text and Markdown files, decoded one way for every check.

Officers save text from Notepad (UTF-8, or "Unicode", which is UTF-16), from Word's
"Plain Text" (the Windows code page) or from Excel's "Unicode Text" (UTF-16 without a
byte order mark on some versions); each is decoded as it was written. A PDF or Word file
renamed .txt is refused, not read as noise.
"""

from __future__ import annotations

from pathlib import Path

from scrtool.errors import UnreadableInputError

RESAVE = "open it, save it again in its proper format, and try again"


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without a BOM), UTF-16 (with a BOM, or plain Latin text without
    one) or, failing those, the Windows code page."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if b"\x00" in raw[:200] and len(raw) % 2 == 0:
        little = raw[1::2].count(0) > raw[0::2].count(0)
        return raw.decode("utf-16-le" if little else "utf-16-be", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _utf16_without_bom(raw: bytes) -> bool:
    head = raw[:4096]
    if len(head) < 4:
        return False
    zeros_odd, zeros_even = head[1::2].count(0), head[0::2].count(0)
    half = len(head) // 2
    return max(zeros_odd, zeros_even) > 0.8 * half and min(zeros_odd, zeros_even) == 0


def read_text_file(path: Path) -> str:
    """The text of a .txt or .md file, its line breaks made ``\\n``."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableInputError(
            f"cannot be opened ({exc.strerror or exc})",
            file=path,
            advice="close it in any program that has it open, check you may read it, and try again",
        ) from None
    if not raw.strip():
        raise UnreadableInputError(
            "is empty", file=path, advice="check you named the right file, then try again"
        )
    if raw.startswith((b"%PDF", b"PK\x03\x04")):
        raise UnreadableInputError(
            "is not a text file (it looks like a PDF or Word file renamed)",
            file=path,
            advice="give it its proper extension (.pdf or .docx) and try again",
        )
    bom = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in raw[:8192] and not bom and not _utf16_without_bom(raw):
        raise UnreadableInputError(
            "is not a text file (it may be another kind of file renamed)",
            file=path,
            advice=RESAVE,
        )
    text = decode_text(raw)
    return text.replace("\r\n", "\n").replace("\r", "\n")
