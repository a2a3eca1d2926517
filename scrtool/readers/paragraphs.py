"""Paragraphs, sections and places for the visible text of PDFs and plain text files.

A PDF has no paragraph marks and a text file few: these rules decide where a paragraph
ends, which lines are running headers and footers, and name each paragraph's place.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from scrtool.readers.model import _ENDS_SENTENCE, Paragraph

# --- locations ------------------------------------------------------------------------


def describe_location(section: str | None, number: int, page: int | None = None) -> str:
    parts = []
    if page is not None:
        parts.append(f"page {page}")
    if section:
        parts.append(f'section "{_short(section)}"')
    if (page is None or not section) and number:
        parts.append(f"paragraph {number}")
    return ", ".join(parts)


@functools.lru_cache(maxsize=1024)  # the same section name for every paragraph under it
def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Numbering:
    """Gives each paragraph its section and its number within the section."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.number = 0
        self.out: list[Paragraph] = []

    def add(self, text: str, level: int | None = None, page: int | None = None) -> None:
        text = " ".join(text.split())
        if not text:
            return
        if level is not None:
            self.section = text
            self.number = 0
            location = f'heading "{_short(text)}"' + (f", page {page}" if page else "")
            self.out.append(Paragraph(text, level, text, location, 0, page))
            return
        self.number += 1
        location = describe_location(self.section, self.number, page)
        self.out.append(Paragraph(text, None, self.section, location, self.number, page))


def _pdf_paragraphs(pages: list[str], outline: list[tuple[int, int, str]]) -> list[Paragraph]:
    """Paragraphs per page; a line that is a bookmark's title on its page becomes a heading."""
    numbering = _Numbering()
    by_page: dict[int, list[tuple[int, str]]] = {}
    for page, level, title in outline:
        by_page.setdefault(page, []).append((level, title))
    every_page = [_pdf_lines(text) for text in pages]
    edge_keys = [_edge_keys(lines) for lines in every_page]
    running = _running_keys(edge_keys)
    for index, all_lines in enumerate(every_page):
        page_no = index + 1
        numbering.number = 0
        if not outline:
            numbering.section = None
        entries = by_page.get(index, [])
        titles: dict[str, list[tuple[int, str]]] = {}
        for level, title in entries:
            titles.setdefault(_fold(title), []).append((level, title))
        sizes = _ascii_sizes(titles)
        found: dict[str, int] = {}  # how many of each title's headings are placed
        lines: list[str] = []
        page_lines = _without_running(all_lines, running, edge_keys[index])
        if titles:
            page_lines = _join_wrapped(page_lines, titles)
        # PDF text has no paragraph marks: a line that ends a sentence well short of the
        # page's longest line is taken as a paragraph's last line.
        longest = max((len(line) for line in page_lines), default=0)
        short = 0.8 * longest
        for line in [*page_lines, ""]:
            key = _fold(line) if line and titles and _may_fold_to(line, sizes) else ""
            heading = key in titles and found.get(key, 0) < len(titles[key])
            if line and lines and _starts_block(lines[-1], line, longest):
                numbering.add(" ".join(lines), None, page_no)
                lines.clear()
            if (not line or heading) and lines:
                numbering.add(" ".join(lines), None, page_no)
                lines.clear()
            if heading:
                level, title = titles[key][found.get(key, 0)]
                found[key] = found.get(key, 0) + 1
                numbering.add(title, level, page_no)
            elif line:
                lines.append(line)
                if len(line) < short and _ENDS_SENTENCE.search(line):
                    numbering.add(" ".join(lines), None, page_no)
                    lines.clear()
        for _level, title in entries:
            key = _fold(title)
            if found.get(key, 0) > 0:
                found[key] -= 1  # one of the headings of this title printed on the page
                continue
            # A bookmark whose title is not printed on its page still names what follows.
            numbering.section = title
            numbering.number = 0
    return numbering.out


#: Lines a heading may wrap onto (a long appendix title on a narrow page).
MAX_HEADING_LINES = 3


def _join_wrapped(lines: list[str], titles: dict[str, list[tuple[int, str]]]) -> list[str]:
    """``lines`` with a bookmark's title that wraps onto the next lines put back on one:
    a line that is a start of the title (whole words) and the lines after it that end
    it. Only a line whose first word starts a title is folded to compare."""
    starts = [key + " " for key in titles]
    first_words = {key.split(" ", 1)[0] for key in titles}
    out: list[str] = []
    index = 0
    while index < len(lines):
        line, end = lines[index], index
        word = _fold(line.split(None, 1)[0]).split(" ", 1)[0] if line else ""
        key = _fold(line) if word in first_words else ""
        if key and key not in titles and any(s.startswith(key + " ") for s in starts):
            joined = line
            for later in range(index + 1, min(index + MAX_HEADING_LINES, len(lines))):
                if not lines[later]:
                    break
                joined = joined + " " + lines[later]
                folded = _fold(joined)
                if folded in titles:
                    end = later
                    break
                if not any(s.startswith(folded + " ") for s in starts):
                    break
        out.append(" ".join(lines[index : end + 1]))
        index = end + 1
    return out


#: How many lines at the top and at the bottom of a page may be a running header or footer.
_EDGE_LINES = 2


_DIGITS = re.compile(r"\d+")


def _running_key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def _edges(lines: list[str]) -> list[tuple[int, str]]:
    """(index, line) of the first and last few non-blank lines of a page."""
    filled = [(i, line) for i, line in enumerate(lines) if line]
    chosen = filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]
    return list(dict.fromkeys(chosen))


def _edge_keys(lines: list[str]) -> list[tuple[int, str]]:
    """(index, ``_running_key``) of a page's first and last few non-blank lines."""
    return [(i, _running_key(line)) for i, line in _edges(lines)]


def _running_keys(pages: list[list[tuple[int, str]]]) -> frozenset[str]:
    """Running headers and footers: a line (numbers aside, so "Page 3 of 36" counts) at
    the top or bottom of at least half the pages, and of three or more. Word leaves them
    out of the body; in a PDF they sit in the page's text and would join the first and
    last sentence of every page. ``pages`` are the pages' ``_edge_keys``."""
    if len(pages) < 3:
        return frozenset()
    counts: dict[str, int] = {}
    for edges in pages:
        for key in {key for _, key in edges}:
            counts[key] = counts.get(key, 0) + 1
    needed = max(3, (len(pages) + 1) // 2)
    return frozenset(key for key, count in counts.items() if count >= needed and key)


def _without_running(
    lines: list[str], running: frozenset[str], edges: list[tuple[int, str]]
) -> list[str]:
    if not running:
        return lines
    drop = {i for i, key in edges if key in running}
    return [line for i, line in enumerate(lines) if i not in drop]


#: A list item's start: a bullet (Word's own come out of a PDF as the Symbol and
#: Wingdings fonts' private characters, U+F0B7 and the like; its second level as "o"),
#: or a number or letter.
_BULLET = re.compile(
    r"^(?:[•◦▪‣●○■□–—*\-·∙⁃\uf0a7\uf0b7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf06c]|o(?=\s)"
    r"|\(?\d{1,3}[.)]|\(?[a-z][.)])\s"
)


def _starts_block(previous: str, line: str, longest: int) -> bool:
    """Does ``line`` start a new paragraph though ``previous`` has no full stop? A list
    item does (a bullet or number first); so does a capital after a line well short of
    the page's width, as table cells, headings and list items are."""
    if _BULLET.match(line):
        return True
    return len(previous) < 0.6 * longest and (line[0].isupper() or line[0].isdigit())


_NOT_LETTERS = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    return _NOT_LETTERS.sub(" ", text).strip().casefold()


#: The ASCII characters ``_fold`` turns into spaces.
_ASCII_NOT_LETTERS = bytes(c for c in range(128) if _NOT_LETTERS.match(chr(c)))


def _ascii_sizes(keys: Iterable[str]) -> frozenset[int]:
    """How many letters and digits each ASCII key (a ``_fold``) holds."""
    return frozenset(len(key) - key.count(" ") for key in keys if key.isascii())


def _may_fold_to(line: str, sizes: frozenset[int]) -> bool:
    """Might ``_fold(line)`` be one of the keys ``sizes`` describes? An ASCII line folds
    to its letters and digits, so it must hold as many as one of the ASCII keys (a
    cheap count, where folding every line of a long page is not)."""
    if not line.isascii():
        return True
    return len(line.encode("ascii").translate(None, _ASCII_NOT_LETTERS)) in sizes


_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")


def _pdf_lines(text: str) -> list[str]:
    """A page's lines, stripped; a blank line ("") separates paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "-\n" in text:
        text = _HYPHEN_BREAK.sub(r"\1\2", text)
    return [line.strip() for line in text.split("\n")]


def _text_blocks(text: str) -> Iterator[str]:
    """Paragraphs of a plain text file. A blank line ends one; so does a line break after
    a full stop or a short line (Word's "Plain Text" puts a paragraph, heading or list
    item on each line, with no blank lines), or before a list item. Lines of a paragraph
    wrapped by hand are joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        longest = max((len(line) for line in lines), default=0)
        current: list[str] = []
        for line in lines:
            if current and (
                _BULLET.match(line)
                or _ENDS_SENTENCE.search(current[-1])
                or len(current[-1]) < 0.6 * longest
            ):
                yield " ".join(current)
                current = []
            current.append(line)
        if current:
            yield " ".join(current)


def _read_plain(text: str) -> list[Paragraph]:
    numbering = _Numbering()
    for block in _text_blocks(text):
        numbering.add(block)
    return numbering.out


_MD_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_MD_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_MD_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MD_LIST = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[[ xX]\])?[ \t]+")
_MD_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_MD_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_MD_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_MD_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def strip_markdown_inline(text: str) -> str:
    """Markdown inline syntax removed, keeping what a reader sees."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", text)  # images: not prose
    text = re.sub(r"!\[([^\]]*)\]\[[^\]]*\]", "", text)
    text = re.sub(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)", r"\1", text)  # [text](url)
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)  # [text][ref]
    text = re.sub(r"<((?:https?|mailto):[^>\s]+)>", r"\1", text)  # autolinks
    text = re.sub(r"(`+)(.+?)\1", lambda m: m.group(2).strip(), text)  # code spans
    text = re.sub(r"</?[A-Za-z][^>]*>", "", text)  # inline HTML tags
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\*)", r"\1", text)
    text = re.sub(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", r"\1", text)
    text = re.sub(r"~~(?=\S)(.+?)(?<=\S)~~", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~])", r"\1", text)  # escapes
    return text


def _read_markdown(text: str) -> list[Paragraph]:
    numbering = _Numbering()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _MD_HTML_COMMENT.sub("", text)
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":  # front matter
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                lines = lines[end + 1 :]
                break
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            numbering.add(strip_markdown_inline(" ".join(buffer)))
            buffer.clear()

    fence: str | None = None
    for line in lines:
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        fence_match = _MD_FENCE.match(line)
        if fence_match:
            flush()
            fence = fence_match.group(1)
            continue
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        atx = _MD_ATX.match(line)
        if atx:
            flush()
            numbering.add(strip_markdown_inline(atx.group(2) or ""), len(atx.group(1)))
            continue
        setext = _MD_SETEXT.match(line)
        if setext and buffer:
            heading = " ".join(buffer)
            buffer.clear()
            numbering.add(strip_markdown_inline(heading), 1 if "=" in setext.group(1) else 2)
            continue
        if _MD_RULE.match(line) or _MD_REFDEF.match(line):
            flush()
            continue
        if stripped.startswith("|") or (stripped.count("|") >= 2 and "|" in stripped[1:-1]):
            flush()
            if _MD_TABLE_SEP.match(stripped):
                continue
            for cell in stripped.strip("|").split("|"):
                numbering.add(strip_markdown_inline(cell.strip()))
            continue
        if line.startswith(("    ", "\t")) and not buffer:
            continue  # indented code block
        while True:
            quote = _MD_QUOTE.match(line)
            if not quote:
                break
            line = line[quote.end() :]
        item = _MD_LIST.match(line)
        if item:
            flush()
            line = line[item.end() :]
        buffer.append(line.strip())
    flush()
    return numbering.out
