"""Reading a template's tags back as the officer typed them, for messages.

docxtpl rewrites a part's XML before Jinja sees it (``{%p if x %}`` becomes
``{% if x %}``, runs are joined): a message names the tag as it reads in Word, and says
where it is (a header, the footnotes), so an officer can find and fix it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from scrtool.errors import TemplateError

_TAG_OPEN = re.compile(r"\{[{%#]")
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_XML_TAG = re.compile(r"<[^>]+>")


def _visible(xml: str) -> str:
    """The text of a stretch of WordprocessingML, as Word shows it."""
    import html

    return html.unescape(_XML_TAG.sub("", xml))


def visible_lines(source: str) -> list[str]:
    return [_visible(line) for line in source.split("\n")]


def tags_in(text: str) -> list[tuple[str, bool]]:
    """Every ``{{ }}``, ``{% %}`` and ``{# #}`` tag in ``text``: (tag text, closed?)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    while True:
        m = _TAG_OPEN.search(text, pos)
        if m is None:
            return out
        opener = m.group(0)
        closer = _CLOSERS[opener]
        end = text.find(closer, m.end())
        nxt = _TAG_OPEN.search(text, m.end())
        if end == -1 or (nxt is not None and nxt.start() < end):
            stop = nxt.start() if nxt is not None else len(text)
            out.append((_shorten(text[m.start() : stop].rstrip()), False))
            pos = stop
        else:
            out.append((_shorten(text[m.start() : end + 2]), True))
            pos = end + 2


def _shorten(tag: str, limit: int = 60) -> str:
    tag = " ".join(tag.split())
    return tag if len(tag) <= limit else tag[: limit - 1] + "…"


_BLOCK_OPENERS = ("if", "for", "with", "macro", "call", "filter", "block", "raw", "autoescape")


def _block_word(tag: str) -> str:
    m = re.match(r"\{%-?\s*(?:tr|tc|p|r)?\s+(\w+)|\{%-?\s*(\w+)", tag)
    if not m:
        return ""
    word = m.group(1) or m.group(2) or ""
    # docxtpl's {%tr for %}, {%p if %}: the first word is the kind of tag.
    if word in ("tr", "tc", "p", "r"):
        rest = re.match(r"\{%-?\s*(?:tr|tc|p|r)\s+(\w+)", tag)
        return rest.group(1) if rest else ""
    return word


def _unclosed_block(tags: Sequence[str]) -> tuple[str | None, str | None]:
    """(the opening tag left open, the closing tag with no opener) among block tags."""
    stack: list[tuple[str, str]] = []
    for tag in tags:
        if not tag.startswith("{%"):
            continue
        word = _block_word(tag)
        if word in _BLOCK_OPENERS or (word == "set" and "=" not in tag):
            stack.append((word, tag))
        elif word.startswith("end"):
            want = word[3:]
            if stack and stack[-1][0] == want:
                stack.pop()
            elif any(w == want for w, _ in stack):
                return stack[-1][1], None
            else:
                return None, tag
    return (stack[-1][1] if stack else None), None


def typed_paragraphs(original: str) -> list[str]:
    """The visible text of each paragraph of a part, before docxtpl rewrote any tag."""
    return [_visible(p) for p in re.split(r"</w:p>", original) if "{" in p]


_KIND = re.compile(r"^\{%-?\s*(p|tr|tc|r)\s+")


def _tag_key(tag: str) -> str:
    tag = _KIND.sub("{% ", tag.replace("{%-", "{%").replace("-%}", "%}"))
    return " ".join(tag.replace("{%", "{% ").replace("%}", " %}").split())


def _as_typed(tag: str, typed: Sequence[str]) -> str:
    """docxtpl turns a typed ``{%p if x %}`` into ``{% if x %}``: show it as it was typed."""
    key = _tag_key(tag)
    return next((t for t in typed if _tag_key(t) == key), tag)


def describe_syntax_error(
    exc: Any, source: str, template_name: str, where: str, *, original: str = ""
) -> TemplateError:
    """A Jinja syntax error as a sentence naming the template and the tag as typed.

    ``original`` is the part's XML as saved by Word, before docxtpl joined the runs: a tag
    left open there is named as typed, not run together with the paragraphs after it.
    """
    lines = visible_lines(source)
    text_all = "\n".join(lines)
    place = f" ({where})" if where else ""
    tags = tags_in(text_all)
    typed: list[str] = []
    for paragraph in typed_paragraphs(original):
        for tag, closed in tags_in(paragraph):
            if not closed:
                return TemplateError(
                    f'the tag "{tag}" in {template_name}{place} is not closed',
                    advice=f'end it with "{_CLOSERS[tag[:2]]}" in Word and try again',
                )
            typed.append(tag)
    for tag, closed in tags:
        if not closed:
            closer = _CLOSERS[tag[:2]]
            return TemplateError(
                f'the tag "{tag}" in {template_name}{place} is not closed',
                advice=f'end it with "{closer}" in Word and try again',
            )
    message = str(getattr(exc, "message", "") or exc)
    lineno = getattr(exc, "lineno", None) or 1
    line_text = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    line_tags = [t for t, _ in tags_in(line_text)] or [t for t, _ in tags]

    def pick(word: str) -> str | None:
        for t in line_tags + [t for t, _ in tags]:
            if re.search(rf"\b{re.escape(word)}\b", t):
                return t
        return None

    if m := re.search(r"No filter named '([^']+)'", message):
        tag = pick(m.group(1)) or m.group(1)
        return TemplateError(
            f'the tag "{tag}" in {template_name}{place} uses "{m.group(1)}", which is not a '
            f"filter scrtool knows",
            advice='check the spelling after the "|" (scrtool adds "date" to Jinja\'s filters) and try again',
        )
    if m := re.search(r"No test named '([^']+)'", message):
        tag = pick(m.group(1)) or m.group(1)
        return TemplateError(
            f'the tag "{tag}" in {template_name}{place} uses the test "{m.group(1)}", which does not exist',
            advice='check the spelling after "is" and try again',
        )
    if "Unexpected end of template" in message or "Encountered unknown tag 'end" in message:
        opened, stray = _unclosed_block([t for t, _ in tags])
        if opened:
            word = _block_word(opened)
            opened = _as_typed(opened, typed)
            kind = m.group(1) if (m := _KIND.match(opened)) else ""
            return TemplateError(
                f'the tag "{opened}" in {template_name}{place} is never ended',
                advice=f'add "{{%{kind} end{word} %}}" where it should stop, in Word, and try again',
            )
        if stray:
            word = _block_word(stray)[3:]
            stray = _as_typed(stray, typed)
            return TemplateError(
                f'the tag "{stray}" in {template_name}{place} ends a "{word}" block that was never started',
                advice="remove it, or add the missing opening tag, in Word and try again",
            )
    if m := re.search(r"Encountered unknown tag '([^']+)'", message):
        tag = pick(m.group(1)) or m.group(1)
        return TemplateError(
            f'the tag "{tag}" in {template_name}{place} is not a tag scrtool knows ("{m.group(1)}")',
            advice="check its spelling (if, for, endif, endfor ...) in Word and try again",
        )
    first = line_tags[0] if line_tags else None
    what = f'the tag "{first}"' if first else "a tag"
    return TemplateError(
        f"{what} in {template_name}{place} cannot be read ({message.rstrip('.')})",
        advice="correct the tag in Word and try again",
    )


def undefined_name(exc: Exception) -> str:
    text = str(exc)
    m = re.match(r"'([^']+)' is undefined", text) or re.match(
        r"'.+?' has no attribute '([^']+)'", text
    )
    return m.group(1) if m else ""


def undefined_words(exc: Exception) -> str:
    text = str(exc)
    if m := re.match(r"'([^']+)' is undefined", text):
        return f'"{m.group(1)}" is missing'
    if m := re.match(r"'(.+?)' has no attribute '([^']+)'", text):
        return f'it has no "{m.group(2)}"'
    return text
