"""Finish a draft as an author would: write each placeholder's text, take the DRAFT mark off.

The demo uses this to turn the drafts ``scrtool report`` makes into the finished report
and response it packages, from a small data file of the author's text (see
``samples/author-text.toml``). Each entry names the start of a placeholder (the words
inside its brackets) and the text to write in its place; the Placeholder style goes with
the brackets. Placeholders that no entry names are left as they are, so ``check draft``
still finds them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrtool.errors import DataError, InputError
from scrtool.settings import tomllib

_BRACKET = re.compile(r"\[([^\[\]]{1,600})\]")
_DRAFT = re.compile(r"\s*\bDRAFT\b\.?", re.IGNORECASE)


@dataclass(frozen=True)
class AuthorText:
    placeholder: str  # the start of the words inside the brackets
    text: str


@dataclass(frozen=True)
class FinishResult:
    output: Path
    filled: int
    unused: tuple[str, ...] = ()


def read_author_text(path: Path) -> list[AuthorText]:
    """``[[text]]`` entries with ``placeholder`` and ``text``."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError("does not exist", file=path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"is not valid TOML ({exc})", file=path) from None
    out = []
    for number, item in enumerate(data.get("text", []), start=1):
        placeholder = item.get("placeholder") if isinstance(item, dict) else None
        text = item.get("text") if isinstance(item, dict) else None
        if not isinstance(placeholder, str) or not isinstance(text, str) or not text.strip():
            raise DataError(
                f"[[text]] entry {number} needs both placeholder and text, in quotes",
                file=path,
                advice='write placeholder = "Write the summary" and text = "..."',
            )
        out.append(AuthorText(" ".join(placeholder.split()).casefold(), text.strip()))
    return out


def _replacement(inner: str, texts: Sequence[AuthorText], used: set[int]) -> str | None:
    key = " ".join(inner.split()).casefold()
    for index, entry in enumerate(texts):
        if key.startswith(entry.placeholder):
            used.add(index)
            return entry.text
    return None


def _fill_paragraph(paragraph: Any, texts: Sequence[AuthorText], used: set[int]) -> int:
    filled = 0
    for run in paragraph.runs:
        text = run.text
        if "[" not in text:
            continue
        count = 0

        def swap(m: re.Match[str]) -> str:
            nonlocal count
            new = _replacement(m.group(1), texts, used)
            if new is None:
                return m.group(0)
            count += 1
            return new

        new_text = _BRACKET.sub(swap, text)
        if count:
            run.text = new_text
            if run.style is not None and run.style.name == "Placeholder":
                run.style = None
            filled += count
    return filled


def _paragraphs(container: Any) -> Any:
    yield from container.paragraphs
    for table in getattr(container, "tables", []):
        for row in table.rows:
            for cell in row.cells:
                yield from _paragraphs(cell)


def finish_document(
    source: Path, output: Path, texts: Sequence[AuthorText] | Mapping[str, str]
) -> FinishResult:
    """Write ``source`` with its placeholders filled and its DRAFT marks removed to ``output``."""
    import docx

    from scrtool.outputs import write_all_atomic

    if isinstance(texts, Mapping):
        texts = [AuthorText(" ".join(k.split()).casefold(), v) for k, v in texts.items()]
    document = docx.Document(str(source))
    used: set[int] = set()
    filled = sum(_fill_paragraph(p, texts, used) for p in _paragraphs(document))
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer):  # fmt: skip
            for paragraph in _paragraphs(part):
                filled += _fill_paragraph(paragraph, texts, used)
                for run in paragraph.runs:
                    if _DRAFT.search(run.text):
                        run.text = _DRAFT.sub("", run.text)
    props = document.core_properties
    if props.title and _DRAFT.search(props.title):
        props.title = _DRAFT.sub("", props.title).strip()
    write_all_atomic([(Path(output), lambda temp: document.save(str(temp)))])
    unused = tuple(t.placeholder for i, t in enumerate(texts) if i not in used)
    return FinishResult(output=Path(output), filled=filled, unused=unused)


def mark_placeholders(path: Path) -> int:
    """Give every bracketed placeholder in a filled document the Placeholder style.

    A template's own placeholders carry the style already; one that came in with the
    data ("[date]", "[Say how the practitioners took part.]") is plain text until this
    splits its run, so the author sees every gap the same way. Returns how many.
    """
    import copy

    import docx

    from scrtool.checks.draft import classify_bracket, load_rules

    document = docx.Document(str(path))
    style_id = next(
        (s.style_id for s in document.styles if s.name == "Placeholder" and s.type == 2), None
    )
    if style_id is None:
        return 0
    rules = load_rules()
    marked = 0
    for paragraph in _paragraphs(document):
        for run in list(paragraph.runs):
            text = run.text
            if "[" not in text or (run.style is not None and run.style.name == "Placeholder"):
                continue
            spans = [
                m.span()
                for m in _BRACKET.finditer(text)
                if classify_bracket(m.group(1), rules) == "placeholder"
            ]
            if not spans:
                continue
            pieces: list[tuple[str, bool]] = []
            at = 0
            for start, end in spans:
                if start > at:
                    pieces.append((text[at:start], False))
                pieces.append((text[start:end], True))
                at = end
            if at < len(text):
                pieces.append((text[at:], False))
            element = run._r
            run.text = pieces[0][0]
            if pieces[0][1]:
                run.style = document.styles["Placeholder"]
            for piece, is_gap in pieces[1:]:
                new = copy.deepcopy(element)
                element.addnext(new)
                element = new
                new_run = type(run)(new, paragraph)
                new_run.text = piece
                new_run.style = document.styles["Placeholder"] if is_gap else run.style
            marked += len(spans)
    if marked:
        document.save(str(path))
    return marked
