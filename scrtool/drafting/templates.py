"""Filling Word templates: one document from one set of data, or one per spreadsheet row.

Templates are ordinary ``.docx`` files with Jinja tags typed into them (``{{ ref }}``,
``{% for a in actions %}``), rendered by docxtpl. Three things make that safe for a
business support officer's data and templates:

- values are escaped (``&``, ``<``, ``>`` and quotes appear as written and never break
  the file);
- templates run in Jinja's sandbox, so a template cannot reach Python's internals;
- undefined variables are errors, and every variable the template uses, in the body,
  tables, headers, footers, footnotes, endnotes and the document properties, is checked
  against the data before anything is written.

A template is read, parsed and checked once (``LoadedTemplate``) and then rendered as many
times as there are rows; a batch writes every document or none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import keyword
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrtool.dates import format_english, parse_date
from scrtool.errors import (
    DataError,
    InputError,
    OutputError,
    Reason,
    ScrtoolError,
    TemplateError,
    UnreadableInputError,
)
from scrtool.outputs import check_writable, make_temp, staged, write_all_atomic
from scrtool.settings import tomllib

DATA_SUFFIXES = (".toml", ".json", ".yaml", ".yml", ".xlsx")
ROWS_SUFFIXES = (".xlsx", ".csv")

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
ENDNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
APP_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
CUSTOM_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
#: Core document properties that hold text (python-docx names).
CORE_TEXT_PROPERTIES = (
    "author", "category", "comments", "content_status", "identifier", "keywords",
    "language", "last_modified_by", "subject", "title", "version",
)  # fmt: skip

#: Names Windows refuses as a file name, with or without an extension.
RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{i}" for i in "123456789¹²³"]
    + [f"LPT{i}" for i in "123456789¹²³"]
)
UNSAFE_NAME_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
#: Short enough that a name fits in Windows' 260-character path limit on a shared drive.
MAX_NAME_LENGTH = 120
MAX_NAME_BYTES = 240

#: Rows named in one message; the rest are counted ("and 280 more rows").
MAX_ROWS_NAMED = 20

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------------------
# Values: how data appears in a document


def display(value: Any) -> Any:
    """What a value looks like in a letter: dates in the English style, blanks as blanks."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return format_english(value.date())
        return f"{format_english(value.date())} {value.strftime('%H:%M')}"
    if isinstance(value, dt.date):
        return format_english(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M" if not value.second else "%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and "\r" in value:
        # Windows line ends (CSV, JSON): a bare "\r" would stay in the text as a stray mark.
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def date_filter(value: Any, fmt: str | None = None) -> str:
    """``{{ due|date }}`` (3 July 2026) or ``{{ due|date("%d/%m/%Y") }}``."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        day: dt.date = value
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = parse_date(str(value))
        except ValueError:
            return str(value)
    if fmt is None:
        return str(display(day))
    return day.strftime(str(fmt))


# --------------------------------------------------------------------------------------
# The Jinja environments


#: The longest text (or list) a tag may make by multiplying, and the largest power.
MAX_REPEAT = 1_000_000
MAX_EXPONENT = 1_000


def _too_big(what: str) -> TemplateError:
    return TemplateError(
        f"a tag in the template makes {what} too big to put in a document",
        advice="check the tags that use * or ** in Word and try again",
    )


def _make_env(*, autoescape: bool) -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class Sandbox(SandboxedEnvironment):  # type: ignore[misc]
        """Jinja's sandbox also lets ``'a' * 10**9`` or ``9**9**9`` run until memory runs out."""

        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**":
                if isinstance(right, int) and abs(right) > MAX_EXPONENT:
                    raise _too_big("a number")
                return left**right
            for seq, n in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, list, tuple))
                    and isinstance(n, int)
                    and len(seq) * n > MAX_REPEAT
                ):
                    raise _too_big("a text")
            return left * right

    env = Sandbox(
        autoescape=autoescape,
        undefined=StrictUndefined,
        finalize=display,
        keep_trailing_newline=True,
    )
    env.filters["date"] = date_filter
    return env


_ENVS: dict[bool, Any] = {}


def jinja_env(*, autoescape: bool = True) -> Any:
    """The sandboxed, strict environment (one per process; compiled templates are cached)."""
    env = _ENVS.get(autoescape)
    if env is None:
        env = _ENVS[autoescape] = _make_env(autoescape=autoescape)
    return env


# --------------------------------------------------------------------------------------
# Reading the template's tags back as the officer typed them

_TAG_OPEN = re.compile(r"\{[{%#]")
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_XML_TAG = re.compile(r"<[^>]+>")


def _visible(xml: str) -> str:
    """The text of a stretch of WordprocessingML, as Word shows it."""
    import html

    return html.unescape(_XML_TAG.sub("", xml))


def _visible_lines(source: str) -> list[str]:
    return [_visible(line) for line in source.split("\n")]


def _tags_in(text: str) -> list[tuple[str, bool]]:
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


def _typed_paragraphs(original: str) -> list[str]:
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
    lines = _visible_lines(source)
    text_all = "\n".join(lines)
    place = f" ({where})" if where else ""
    tags = _tags_in(text_all)
    typed: list[str] = []
    for paragraph in _typed_paragraphs(original):
        for tag, closed in _tags_in(paragraph):
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
    line_tags = [t for t, _ in _tags_in(line_text)] or [t for t, _ in tags]

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


# --------------------------------------------------------------------------------------
# Looking inside the template: which variables, and nothing unsafe

_UNSAFE_ATTRIBUTES = frozenset(
    {
        "mro", "func_code", "func_globals", "gi_frame", "gi_code", "gi_yieldfrom",
        "cr_frame", "cr_code", "cr_await", "ag_code", "ag_frame", "f_globals",
        "f_locals", "f_builtins", "tb_frame", "im_class", "im_func", "im_self",
    }
)  # fmt: skip


def _unsafe_name(name: str) -> bool:
    return name.startswith("_") or name in _UNSAFE_ATTRIBUTES


def _check_sandbox(ast: Any, template_name: str, where: str, source: str) -> None:
    """Refuse, before any rendering, a template that reaches for Python's internals."""
    from jinja2 import nodes

    def refuse(name: str, lineno: int) -> TemplateError:
        lines = _visible_lines(source)
        line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
        tag = next((t for t, _ in _tags_in(line) if name in t), None)
        what = f'the tag "{tag}"' if tag else f'a tag using "{name}"'
        place = f" ({where})" if where else ""
        return TemplateError(
            f"{what} in {template_name}{place} reaches into Python's internals, which "
            f"templates may not do",
            advice="remove that tag; a template may only use the data it is given",
        )

    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Getattr) and _unsafe_name(node.attr):
            raise refuse(node.attr, node.lineno)
        if (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
            and _unsafe_name(node.arg.value)
        ):
            raise refuse(node.arg.value, node.lineno)
        if isinstance(node, nodes.Filter) and node.name == "attr":
            for arg in node.args:
                if (
                    isinstance(arg, nodes.Const)
                    and isinstance(arg.value, str)
                    and _unsafe_name(arg.value)
                ):
                    raise refuse(arg.value, node.lineno)


def _optional_names(ast: Any) -> tuple[set[str], set[str]]:
    """(names that may be absent, names that may be blank), from how the template guards them.

    ``x is defined`` and ``x|default(...)`` let ``x`` be absent; ``{% if x %}`` lets it
    be blank (but with strict variables it must still be present).
    """
    from jinja2 import nodes

    may_be_absent: set[str] = set()
    may_be_blank: set[str] = set()
    for test in ast.find_all(nodes.Test):
        if test.name in ("defined", "undefined") and isinstance(test.node, nodes.Name):
            may_be_absent.add(test.node.name)
    for filt in ast.find_all(nodes.Filter):
        if filt.name in ("default", "d") and isinstance(filt.node, nodes.Name):
            may_be_absent.add(filt.node.name)
    for cond in ast.find_all((nodes.If, nodes.CondExpr)):
        for name in cond.test.find_all(nodes.Name):
            may_be_blank.add(name.name)
        if isinstance(cond.test, nodes.Name):
            may_be_blank.add(cond.test.name)
    return may_be_absent, may_be_blank | may_be_absent


@dataclass(frozen=True)
class _Source:
    where: str  # "" for the main text, else "in a header", ...
    source: str
    autoescape: bool = True
    original: str = ""  # the XML before docxtpl's rewriting, for naming tags as typed


def _new_docxtemplate(data: bytes) -> Any:
    from docxtpl import DocxTemplate

    return DocxTemplate(io.BytesIO(data))


def _read_template_bytes(path: Path) -> bytes:
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(
            "does not exist",
            file=path,
            advice="check the template's name and folder, then try again",
            reason=Reason.MISSING,
        )
    if path.is_dir():
        raise InputError(
            "is a folder, not a template",
            file=path,
            advice="name a .docx file",
            reason=Reason.NOT_A_FILE,
        )
    if suffix == ".doc":
        raise TemplateError(
            "is an old Word 97-2003 document",
            file=path,
            advice="open it in Word, choose Save As, Word Document (.docx), and use that file",
        )
    if suffix in (".dotm", ".docm"):
        raise TemplateError(
            f"is a {suffix} file (with macros), which scrtool does not fill",
            file=path,
            advice="open it in Word, choose Save As, Word Document (.docx), and use that file",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot be read ({exc.strerror or exc})",
            file=path,
            advice="check that you may read it, then try again",
        ) from None
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TemplateError(
            "is protected with a password (or is an old .doc file renamed)",
            file=path,
            advice="save an unprotected copy as Word Document (.docx) and use that",
            reason=Reason.ENCRYPTED,
        )
    if not data.startswith(b"PK"):
        raise TemplateError(
            "is not a Word document (.docx), or it is damaged",
            file=path,
            advice="open it in Word and save it again as Word Document (.docx)",
        )
    return _template_as_document(data)


_DOTX_TYPE = b"wordprocessingml.template.main+xml"
_DOCX_TYPE = b"wordprocessingml.document.main+xml"


def _template_as_document(data: bytes) -> bytes:
    """A Word template (.dotx) is a .docx whose main part is marked "template": fill it as one.

    Letterheads are often kept as .dotx; what is filled from one is a document (.docx).
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            types = src.read("[Content_Types].xml")
            if _DOTX_TYPE not in types:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in src.infolist():
                    body = src.read(info.filename)
                    if info.filename == "[Content_Types].xml":
                        body = body.replace(_DOTX_TYPE, _DOCX_TYPE)
                    dst.writestr(info, body, zipfile.ZIP_DEFLATED)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError, OSError):
        return data  # reported as damaged when it is opened


class LoadedTemplate:
    """A template read, parsed and checked once; ``render`` fills it for one set of data.

    Parsing the XML into Jinja source and compiling it is most of docxtpl's work, and it
    is the same for every row, so both are cached here and reused across rows.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.data = _read_template_bytes(self.path)
        self._patch_cache: dict[str, str] = {}
        self._compiled: dict[tuple[bool, str], Any] = {}
        try:
            tpl = _new_docxtemplate(self.data)
            tpl.init_docx()
        except Exception:
            raise TemplateError(
                "is not a Word document (.docx) that scrtool can open, or it is damaged",
                file=self.path,
                advice="open it in Word and save it again as Word Document (.docx)",
            ) from None
        self.sources = self._collect_sources(tpl)
        self._plan = _FastPlan.build(self, tpl)
        self.variables, self.may_be_absent, self.may_be_blank = self._inspect()

    # Which parts a template's tags live in ------------------------------------------
    def patch(self, tpl: Any, xml: str) -> str:
        patched = self._patch_cache.get(xml)
        if patched is None:
            from docxtpl import DocxTemplate

            patched = self._patch_cache[xml] = DocxTemplate.patch_xml(tpl, xml)
        return patched

    def _collect_sources(self, tpl: Any) -> list[_Source]:
        from docx.oxml import parse_xml

        body = tpl.get_xml()
        out = [_Source("", _paragraph_lines(self.patch(tpl, body)), original=body)]
        for uri, label in ((tpl.HEADER_URI, "in a header"), (tpl.FOOTER_URI, "in a footer")):
            for _key, part in tpl.get_headers_footers(uri):
                xml = tpl.xml_to_string(parse_xml(part.blob))
                out.append(_Source(label, _paragraph_lines(self.patch(tpl, xml)), original=xml))
        for part in tpl.docx.part.package.iter_parts():
            part_label = {
                FOOTNOTES_TYPE: "in the footnotes",
                ENDNOTES_TYPE: "in the endnotes",
                APP_PROPS_TYPE: "in the document properties",
                CUSTOM_PROPS_TYPE: "in the custom document properties",
            }.get(part.content_type)
            if part_label:
                xml = _blob_text(part.blob)
                source = _paragraph_lines(self.patch(tpl, xml))
                out.append(_Source(part_label, source, original=xml))
        core = tpl.docx.core_properties
        for prop in CORE_TEXT_PROPERTIES:
            value = getattr(core, prop, None)
            if isinstance(value, str) and ("{" in value):
                out.append(_Source(f'in the document property "{prop}"', value, autoescape=False))
        return out

    def compiled(
        self, source: str, *, autoescape: bool = True, where: str = "", original: str = ""
    ) -> Any:
        key = (autoescape, source)
        template = self._compiled.get(key)
        if template is None:
            from jinja2 import TemplateSyntaxError

            env = jinja_env(autoescape=autoescape)
            try:
                template = env.from_string(source)
            except TemplateSyntaxError as exc:
                raise describe_syntax_error(
                    exc, source, self.name, where, original=original
                ) from None
            self._compiled[key] = template
        return template

    def _inspect(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        from jinja2 import TemplateSyntaxError, meta

        used: set[str] = set()
        absent: set[str] = set()
        blank: set[str] = set()
        for src in self.sources:
            env = jinja_env(autoescape=src.autoescape)
            try:
                ast = env.parse(src.source)
            except TemplateSyntaxError as exc:
                raise describe_syntax_error(
                    exc, src.source, self.name, src.where, original=src.original
                ) from None
            _check_sandbox(ast, self.name, src.where, src.source)
            # Compiling finds unknown filters and tests, and warms the cache for rendering.
            self.compiled(
                src.source, autoescape=src.autoescape, where=src.where, original=src.original
            )
            names = meta.find_undeclared_variables(ast) - set(env.globals)
            used |= names
            a, b = _optional_names(ast)
            absent |= a
            blank |= b
        return frozenset(used), frozenset(absent & used), frozenset(blank & used)

    def _tag_using(self, name: str) -> str | None:
        """The first tag, as typed, that uses ``name`` (for naming it in a message)."""
        if not name:
            return None
        word = re.compile(rf"(?<![\w.]){re.escape(name)}\b|\.{re.escape(name)}\b")
        for src in self.sources:
            text = "\n".join(_typed_paragraphs(src.original)) if src.original else src.source
            for tag, closed in _tags_in(text):
                if closed and word.search(tag):
                    return tag
        return None

    # Checking data -------------------------------------------------------------------
    def missing(self, context: Mapping[str, Any], *, blanks_are_missing: bool = False) -> list[str]:
        """The variables the template needs that ``context`` lacks, in a stable order."""
        out = []
        for name in sorted(self.variables, key=str.casefold):
            if name in context:
                if blanks_are_missing and name not in self.may_be_blank:
                    value = context[name]
                    if value is None or (isinstance(value, str) and not value.strip()):
                        out.append(name)
            elif name not in self.may_be_absent:
                out.append(name)
        return out

    # Rendering -----------------------------------------------------------------------
    def render(self, context: Mapping[str, Any], output: Path, *, row: int | None = None) -> None:
        """Fill the template with ``context`` and save it at ``output`` (no atomicity here)."""
        from jinja2 import TemplateSyntaxError, UndefinedError
        from jinja2.exceptions import SecurityError

        at = f" for row {row}" if row is not None else ""
        fast = self._plan is not None and not _has_docxtpl_objects(context)
        renderer = None if fast else _Renderer(self)
        try:
            if self._plan is not None and renderer is None:
                data = self._plan.render(dict(context))
            else:
                assert renderer is not None
                renderer.render(dict(context), jinja_env(autoescape=True))
        except ScrtoolError:
            raise
        except SecurityError:
            raise TemplateError(
                f"{self.name} reaches into Python's internals{at}, which templates may not do",
                advice="remove that tag; a template may only use the data it is given",
            ) from None
        except UndefinedError as exc:
            tag = self._tag_using(_undefined_name(exc))
            what = f'the tag "{tag}" in {self.name}' if tag else self.name
            raise TemplateError(
                f"{what} uses something the data does not have{at} ({_undefined_words(exc)})",
                advice="add it to the data, or correct the tag in Word, and try again",
            ) from None
        except TemplateSyntaxError as exc:
            raise describe_syntax_error(exc, exc.source or "", self.name, "") from None
        except Exception as exc:
            raise TemplateError(
                f"{self.name} could not be filled{at} ({type(exc).__name__}: {exc})",
                advice="check the tags in Word against the data and try again",
            ) from None
        if renderer is None:
            Path(output).write_bytes(data)
        else:
            renderer.save(str(output))


def _has_docxtpl_objects(context: Mapping[str, Any]) -> bool:
    """Pictures and sub-documents need docxtpl's own document; plain data does not."""
    return any(type(v).__module__.startswith("docxtpl") for v in context.values())


_XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


@dataclass(frozen=True)
class _PartPlan:
    name: str  # the zip member
    where: str
    source: str  # the Jinja source, as compiled in LoadedTemplate
    declaration: bool  # add an XML declaration (docxtpl drops it for headers and footers)


class _FastPlan:
    """docxtpl's rendering steps, writing the .docx directly.

    docxtpl opens the whole package with python-docx for every document and saves it
    again, parsing, serialising and recompressing a dozen parts (styles, theme,
    numbering...) that never change. Here the unchanging parts are compressed once into
    a base zip, and each document only adds the parts that hold tags, rendered with the
    same compiled templates and docxtpl's own post-processing (listing, tables, ids).
    """

    def __init__(
        self,
        loaded: LoadedTemplate,
        base: bytes,
        body: tuple[str, str, str, str],
        parts: list[_PartPlan],
        core: tuple[str, bytes, list[tuple[int, str]]] | None,
    ) -> None:
        self.loaded = loaded
        self.base = base
        self.body = body
        self.parts = parts
        self.core = core
        self._helper = _new_docxtemplate(loaded.data)

    @classmethod
    def build(cls, loaded: LoadedTemplate, tpl: Any) -> _FastPlan | None:
        import zipfile

        from docx.oxml import parse_xml
        from lxml import etree

        try:
            package = tpl.docx.part.package
            doc_part = tpl.docx.part
            doc_name = str(doc_part.partname).lstrip("/")
            root_xml = etree.tostring(doc_part.element, encoding="unicode")
            start, end = root_xml.find("<w:body"), root_xml.rfind("</w:body>")
            if start < 0 or end < 0:
                return None
            prefix, suffix = root_xml[:start], root_xml[end + len("</w:body>") :]
            body_source = _paragraph_lines(loaded.patch(tpl, tpl.get_xml()))
            parts: list[_PartPlan] = []
            for uri, where in ((tpl.HEADER_URI, "in a header"), (tpl.FOOTER_URI, "in a footer")):
                for _key, part in tpl.get_headers_footers(uri):
                    xml = tpl.xml_to_string(parse_xml(part.blob))
                    source = _paragraph_lines(loaded.patch(tpl, xml))
                    name = str(part.partname).lstrip("/")
                    if all(p.name != name for p in parts):
                        parts.append(_PartPlan(name, where, source, True))
            core = None
            for part in package.iter_parts():
                if part.content_type in (
                    FOOTNOTES_TYPE,
                    ENDNOTES_TYPE,
                    APP_PROPS_TYPE,
                    CUSTOM_PROPS_TYPE,
                ):
                    text = _blob_text(part.blob)
                    if "{" in text:
                        source = _paragraph_lines(loaded.patch(tpl, text))
                        parts.append(_PartPlan(str(part.partname).lstrip("/"), "", source, False))
                elif part.content_type.endswith("core-properties+xml"):
                    tree = etree.fromstring(part.blob)
                    slots = [
                        (i, el.text)
                        for i, el in enumerate(tree.iter())
                        if isinstance(el.tag, str) and el.text and "{" in el.text
                    ]
                    if slots:
                        core = (str(part.partname).lstrip("/"), part.blob, slots)
            rendered = {doc_name} | {p.name for p in parts} | ({core[0]} if core else set())
            base = io.BytesIO()
            import zipfile

            with (
                zipfile.ZipFile(io.BytesIO(loaded.data)) as src,
                zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as dst,
            ):
                names = src.namelist()
                if not rendered <= set(names):
                    return None
                for info in src.infolist():
                    if info.filename not in rendered:
                        dst.writestr(info, src.read(info.filename), zipfile.ZIP_DEFLATED)
        except Exception:  # anything unusual: docxtpl's own path still works
            return None
        return cls(loaded, base.getvalue(), (doc_name, prefix, body_source, suffix), parts, core)

    def _post(self, xml: str) -> str:
        xml = (
            _unlines(xml)
            .replace("{_{", "{{")
            .replace("}_}", "}}")
            .replace("{_%", "{%")
            .replace("%_}", "%}")
        )
        return str(self._helper.resolve_listing(xml))

    def render(self, context: Mapping[str, Any]) -> bytes:
        import zipfile

        from lxml import etree

        loaded = self.loaded
        doc_name, prefix, body_source, suffix = self.body
        helper = self._helper
        helper.docx_ids_index = 1000
        body = self._post(loaded.compiled(body_source).render(context))
        tree = helper.fix_tables(body)
        helper.fix_docpr_ids(tree)
        out: list[tuple[str, bytes]] = [
            (
                doc_name,
                (
                    _XML_DECLARATION + prefix + etree.tostring(tree, encoding="unicode") + suffix
                ).encode("utf-8"),
            )
        ]
        for part in self.parts:
            xml = loaded.compiled(part.source).render(context)
            xml = self._post(xml) if "<w:p" in xml else _unlines(xml)
            data = ((_XML_DECLARATION if part.declaration else "") + xml).encode("utf-8")
            try:
                etree.fromstring(data)
            except etree.XMLSyntaxError as exc:
                raise TemplateError(
                    f"{loaded.name} made a broken document part ({part.name}: {exc})",
                    advice="check that each {%p %} or {%tr %} tag is in a paragraph or row of its own, and try again",
                ) from None
            out.append((part.name, data))
        if self.core is not None:
            name, blob, slots = self.core
            tree = etree.fromstring(blob)
            elements = [el for el in tree.iter()]
            for index, source in slots:
                elements[index].text = loaded.compiled(source, autoescape=False).render(context)
            out.append((name, etree.tostring(tree, encoding="UTF-8", standalone=True)))
        buffer = io.BytesIO(self.base)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as zout:
            for name, data in out:
                zout.writestr(name, data)
        return buffer.getvalue()


def _undefined_name(exc: Exception) -> str:
    text = str(exc)
    m = re.match(r"'([^']+)' is undefined", text) or re.match(
        r"'.+?' has no attribute '([^']+)'", text
    )
    return m.group(1) if m else ""


def _undefined_words(exc: Exception) -> str:
    text = str(exc)
    if m := re.match(r"'([^']+)' is undefined", text):
        return f'"{m.group(1)}" is missing'
    if m := re.match(r"'(.+?)' has no attribute '([^']+)'", text):
        return f'it has no "{m.group(2)}"'
    return text


def _blob_text(blob: bytes | str) -> str:
    if isinstance(blob, bytes):
        return blob.decode("utf-8")
    return blob


def _paragraph_lines(xml: str) -> str:
    """docxtpl's own step: each paragraph on its own line, so Jinja's line numbers help."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _unlines(xml: str) -> str:
    return re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)


def _make_renderer_class() -> type:
    from docxtpl import DocxTemplate

    class Renderer(DocxTemplate):  # type: ignore[misc]
        """docxtpl with the caches, the sandbox and all of the parts docxtpl leaves out."""

        def __init__(self, loaded: LoadedTemplate) -> None:
            super().__init__(io.BytesIO(loaded.data))
            self._loaded = loaded

        def patch_xml(self, src_xml: str) -> str:
            return self._loaded.patch(self, src_xml)

        def render_xml_part(self, src_xml, part, context, jinja_env=None):  # type: ignore[no-untyped-def]
            self.current_rendering_part = part
            template = self._loaded.compiled(_paragraph_lines(src_xml))
            dst_xml = _unlines(template.render(context))
            dst_xml = (
                dst_xml.replace("{_{", "{{")
                .replace("}_}", "}}")
                .replace("{_%", "{%")
                .replace("%_}", "%}")
            )
            return self.resolve_listing(dst_xml)

        def render_properties(self, context, jinja_env=None):  # type: ignore[no-untyped-def]
            # docxtpl renders only some core properties, and with the escaping environment,
            # so "&" became "&amp;amp;"; python-docx escapes core properties itself.
            core = self.docx.core_properties
            for prop in CORE_TEXT_PROPERTIES:
                value = getattr(core, prop, None)
                if isinstance(value, str) and "{" in value:
                    template = self._loaded.compiled(value, autoescape=False)
                    setattr(core, prop, template.render(context))
            self._render_blob_parts(context, (APP_PROPS_TYPE, CUSTOM_PROPS_TYPE))

        def render_footnotes(self, context, jinja_env=None):  # type: ignore[no-untyped-def]
            # docxtpl renders footnotes once per section (twice in a two-section document,
            # which would run tags typed in the data) and never the endnotes.
            self._render_blob_parts(context, (FOOTNOTES_TYPE, ENDNOTES_TYPE))

        def _render_blob_parts(self, context: Mapping[str, Any], types: Iterable[str]) -> None:
            wanted = set(types)
            for part in self.docx.part.package.iter_parts():
                if part.content_type in wanted:
                    xml = self.patch_xml(_blob_text(part.blob))
                    template = self._loaded.compiled(_paragraph_lines(xml))
                    out = _unlines(template.render(context))
                    out = self.resolve_listing(out) if "<w:p" in out else out
                    part._blob = out.encode("utf-8")

    return Renderer


_RENDERER: list[type] = []


def _Renderer(loaded: LoadedTemplate) -> Any:  # noqa: N802 - a lazily made class
    if not _RENDERER:
        _RENDERER.append(_make_renderer_class())
    return _RENDERER[0](loaded)


# --------------------------------------------------------------------------------------
# One document


def _missing_error(template: str, names: Sequence[str], source: str) -> TemplateError:
    quoted = ", ".join(f'"{n}"' for n in names)
    plural = "s" if len(names) > 1 else ""
    return TemplateError(
        f"{template} uses the variable{plural} {quoted}, which {source} does not give",
        advice=f"add {'them' if plural else 'it'} to {source}, or remove the tag{plural} from the template, and try again",
    )


def render_template(template: Path, context: Mapping[str, Any], output: Path) -> Path:
    """Fill ``template`` with ``context`` into ``output``, atomically.

    Sandboxed, escaped and strict: every variable the template uses must be in
    ``context`` (all missing ones are named in one ``TemplateError``).
    """
    loaded = LoadedTemplate(template)
    missing = loaded.missing(context)
    if missing:
        raise _missing_error(loaded.name, missing, "the data")
    output = Path(output)
    with staged(output) as temp:
        loaded.render(context, temp)
    return output


# --------------------------------------------------------------------------------------
# Data files


def identifier(header: str) -> str:
    """A column header as a template variable: "Agency name" -> "agency_name"."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()
    if not text:
        return ""
    if text[0].isdigit():
        text = "n_" + text
    if keyword.iskeyword(text) or text in ("true", "false", "none"):
        text += "_"
    return text


def _is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _spreadsheet_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return value
        return value
    return value


def _json_dates(value: Any) -> Any:
    """JSON has no dates: ISO strings (2026-07-03) become dates, so they print in English."""
    if isinstance(value, dict):
        return {k: _json_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_dates(v) for v in value]
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


@dataclass(frozen=True)
class Data:
    """Values for one document; ``blanks_are_missing`` for spreadsheets, where blank means unset."""

    values: Mapping[str, Any]
    source: Path
    blanks_are_missing: bool = False


def load_data(path: str | Path) -> Data:
    """Read ``--data``: a table of variables from .toml, .json, .yaml/.yml or .xlsx."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in DATA_SUFFIXES:
        raise InputError(
            f"is not a data file scrtool reads ({', '.join(DATA_SUFFIXES)})",
            file=path,
            advice="save the data as .toml, .json, .yaml or .xlsx and try again",
        )
    if suffix == ".xlsx":
        return Data(_load_key_value_sheet(path), path, blanks_are_missing=True)
    text = _read_text(path)
    values: Any
    if suffix == ".toml":
        try:
            values = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise DataError(
                f"is not valid TOML ({exc})",
                file=path,
                advice='check the quotes and brackets on that line (text goes in "double quotes") and try again',
            ) from None
    elif suffix == ".json":
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"is not valid JSON ({exc.msg})",
                file=path,
                place=f"line {exc.lineno}, column {exc.colno}",
                advice="check the quotes, commas and brackets there and try again",
            ) from None
        values = _json_dates(values)
    else:
        import yaml

        try:
            values = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
            problem = getattr(exc, "problem", None) or str(exc)
            raise DataError(
                f"is not valid YAML ({problem})",
                file=path,
                place=place,
                advice="check the indentation and the colons there and try again",
            ) from None
    if not isinstance(values, dict):
        raise DataError(
            "does not hold a table of names and values",
            file=path,
            advice='write it as name = value pairs (for example ref = "NS-2026-01") and try again',
        )
    return Data({str(k): v for k, v in values.items()}, path)


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            "does not exist",
            file=path,
            advice="check the file name and folder, then try again",
            reason=Reason.MISSING,
        ) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=path, reason=Reason.NOT_A_FILE) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", file=path) from None
    from scrtool.readers.spreadsheets import decode_text

    # Notepad saves "Unicode" (UTF-16) and "ANSI" (Windows-1252) as well as UTF-8.
    try:
        return decode_text(path, raw)
    except UnicodeDecodeError:
        raise UnreadableInputError(
            "is not saved as text scrtool can read",
            file=path,
            advice="open it in Notepad, choose Save As with the encoding UTF-8, and try again",
        ) from None


def _heading_text(cell: Any) -> str:
    """A heading as Excel shows it: the number 2024 is "2024", not "2024.0"."""
    from scrtool.readers.spreadsheets import cell_text

    return cell if isinstance(cell, str) else cell_text(cell)


def _first_sheet_rows(path: Path) -> tuple[str, list[list[Any]]]:
    from scrtool.readers.spreadsheets import Workbook

    with Workbook(path) as book:
        if not book.sheets:
            raise DataError("has no sheets", file=path)
        sheet = book.sheets[0]
        return sheet.name, book.rows(sheet)


def _load_key_value_sheet(path: Path) -> dict[str, Any]:
    sheet, rows = _first_sheet_rows(path)
    out: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for index, row in enumerate(rows, start=1):
        key = row[0] if row else None
        value = row[1] if len(row) > 1 else None
        if key is None or not str(key).strip():
            if value is not None:
                raise DataError(
                    "has a value but no name in column A",
                    file=path,
                    place=f'sheet "{sheet}" row {index}',
                    advice="put the variable's name in column A and try again",
                )
            continue
        name = _heading_text(key).strip()
        if (
            index == 1
            and name.casefold() in ("key", "name", "variable", "field")
            and (str(value or "").strip().casefold() in ("value", "values"))
        ):
            continue
        for k in {name, identifier(name)} - {""}:
            if not _is_identifier(k) and k != name:
                continue
            if k in seen:
                raise DataError(
                    f'names "{name}" twice (also row {seen[k]})',
                    file=path,
                    place=f'sheet "{sheet}" row {index}',
                    advice="keep one row for each name and try again",
                )
            seen[k] = index
            out[k] = _spreadsheet_value(value)
    return out


@dataclass(frozen=True)
class Row:
    """One batch row: ``number`` is its row in the sheet, as Excel shows it."""

    number: int
    values: Mapping[str, Any]
    original: Mapping[str, Any]


def load_rows(path: str | Path) -> list[Row]:
    """Read ``--rows``: the first sheet of an .xlsx or a .csv, a header row then one row each.

    Each column is available under its header made into a variable name ("Agency name"
    becomes ``agency_name``), under the header itself when that is already a valid name,
    and in ``row["Agency name"]`` as written.
    """
    path = Path(path)
    if path.suffix.lower() not in ROWS_SUFFIXES:
        raise InputError(
            f"is not a rows file scrtool reads ({', '.join(ROWS_SUFFIXES)})",
            file=path,
            advice="save the rows as an Excel workbook (.xlsx) or a CSV file and try again",
        )
    if not path.exists():
        raise InputError(
            "does not exist",
            file=path,
            advice="check the file name and folder, then try again",
            reason=Reason.MISSING,
        )
    sheet, rows = _first_sheet_rows(path)
    place_sheet = f'sheet "{sheet}" ' if path.suffix.lower() != ".csv" else ""
    header_index = next(
        (i for i, r in enumerate(rows) if any(c is not None and str(c).strip() for c in r)), None
    )
    if header_index is None:
        raise DataError(
            "is empty",
            file=path,
            advice="put the variable names in the first row and one document's values in each row below",
            reason=Reason.EMPTY,
        )
    header = rows[header_index]
    columns: list[tuple[int, str, list[str]]] = []
    seen: dict[str, str] = {}
    for col, cell in enumerate(header):
        if cell is None or not str(cell).strip():
            continue
        original = " ".join(_heading_text(cell).split())
        names = [identifier(original)]
        if _is_identifier(original) and original not in names:
            names.append(original)
        names = [n for n in names if n]
        for n in names:
            if n in seen and seen[n] != original:
                raise DataError(
                    f'the columns "{seen[n]}" and "{original}" would both be the variable "{n}"',
                    file=path,
                    place=f"{place_sheet}row {header_index + 1}",
                    advice="rename one of the columns and try again",
                )
            if n in seen:
                raise DataError(
                    f'has two columns named "{original}"',
                    file=path,
                    place=f"{place_sheet}row {header_index + 1}",
                    advice="rename one of the columns and try again",
                )
            seen[n] = original
        columns.append((col, original, names))
    out: list[Row] = []
    from scrtool.readers.spreadsheets import column_letter

    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if not any(c is not None and str(c).strip() for c in row):
            continue
        for col, cell in enumerate(row):
            if cell is not None and str(cell).strip() and not any(c == col for c, _, _ in columns):
                raise DataError(
                    "has a value in a column with no heading",
                    file=path,
                    place=f"{place_sheet}row {index + 1}, column {column_letter(col)}",
                    advice="give the column a heading in the first row, or clear it, and try again",
                )
        values: dict[str, Any] = {}
        original_values: dict[str, Any] = {}
        for col, original, names in columns:
            value = _spreadsheet_value(row[col] if col < len(row) else None)
            if isinstance(value, str) and not value.strip():
                value = None
            original_values[original] = value
            for n in names:
                values[n] = value
        values.setdefault("row", original_values)
        values.setdefault("row_number", index + 1)
        out.append(Row(number=index + 1, values=values, original=original_values))
    if not out:
        raise DataError(
            "has a heading row but no rows of values",
            file=path,
            advice="add one row for each document and try again",
        )
    return out


# --------------------------------------------------------------------------------------
# File names from --name patterns

_FIELD = re.compile(r"\{([^{}]*)\}")


def safe_file_name(name: str, *, suffix: str = ".docx") -> str:
    """A name Windows and shared drives accept: no <>:"/\\|?*, no CON, no trailing dots."""
    name = unicodedata.normalize("NFC", name)
    name = UNSAFE_NAME_CHARS.sub("-", name)
    name = " ".join(name.split())
    if not name.lower().endswith(suffix):
        name = name.rstrip(". ") + suffix
    stem = name[: -len(suffix)].rstrip(". ")
    if not stem:
        stem = "document"
    base = stem.split(".")[0].rstrip(" ")
    if base.upper() in RESERVED_NAMES:
        stem = base + "_" + stem[len(base) :]
    limit = MAX_NAME_LENGTH - len(suffix)
    if len(stem) > limit:
        stem = stem[:limit].rstrip(". ")
    # Linux and most shared drives allow 255 bytes in a name: 120 Chinese characters or
    # emoji take more than that in UTF-8.
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1].rstrip(". ")
    return stem + suffix


def _format_name(
    pattern: str, values: Mapping[str, Any], original: Mapping[str, Any]
) -> tuple[str, list[str]]:
    missing: list[str] = []

    def sub(m: re.Match[str]) -> str:
        key = m.group(1).strip()
        if key in values:
            value = values[key]
        elif key in original:
            value = original[key]
        elif identifier(key) in values:
            value = values[identifier(key)]
        else:
            missing.append(key)
            return ""
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(key)
            return ""
        return str(display(value))

    text = pattern.replace("{{", "\x00").replace("}}", "\x01")
    text = _FIELD.sub(sub, text)
    text = text.replace("\x00", "{").replace("\x01", "}")
    return text, missing


# --------------------------------------------------------------------------------------
# Batches


@dataclass(frozen=True)
class FillResult:
    outputs: tuple[Path, ...]
    template: Path

    @property
    def count(self) -> int:
        return len(self.outputs)

    def to_json(self) -> dict[str, Any]:
        return {"outputs": [str(p) for p in self.outputs], "count": self.count}


def fill_one(template: Path, *, data: Path, output: Path) -> FillResult:
    """``scrtool fill TEMPLATE --data FILE --output OUT``."""
    loaded = LoadedTemplate(template)
    values = load_data(data)
    missing = loaded.missing(values.values, blanks_are_missing=values.blanks_are_missing)
    if missing:
        raise _missing_error(loaded.name, missing, Path(data).name)
    if Path(output).suffix.lower() != ".docx":
        raise OutputError(
            "is not a .docx file name, and the filled document is a Word document",
            file=output,
            advice="give an output name ending in .docx",
        )
    output = Path(output)
    _not_an_input(output, (Path(template), Path(data)))
    check_writable(output)
    with staged(output) as temp:
        loaded.render(values.values, temp)
    return FillResult(outputs=(output,), template=Path(template))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _not_an_input(target: Path, inputs: Iterable[Path]) -> None:
    """Inputs are never modified: refuse to write a document over the template or the data."""
    for source in inputs:
        if _same_file(target, source):
            raise OutputError(
                f"is the {'template' if source.suffix.lower() in ('.docx', '.dotx') else 'data file'}"
                " itself, and scrtool does not write over its inputs",
                file=target,
                advice="give another name or folder for the output and try again",
            )


@dataclass(frozen=True)
class _Job:
    row: int
    values: Mapping[str, Any]
    temp: str


_WORKER: dict[str, LoadedTemplate] = {}


def _worker_init(template: str) -> None:
    # Where processes are forked, the parent's parsed template is already here.
    loaded = _WORKER.get("template")
    if loaded is None or str(loaded.path) != template:
        _WORKER["template"] = LoadedTemplate(template)


def _worker_render(jobs: Sequence[_Job]) -> list[tuple[int, tuple[str, ...] | None]]:
    """Render a chunk in a worker process; errors come back as plain text (they pickle)."""
    loaded = _WORKER["template"]
    out: list[tuple[int, tuple[str, ...] | None]] = []
    for job in jobs:
        try:
            loaded.render(job.values, Path(job.temp), row=job.row)
        except ScrtoolError as exc:
            out.append((job.row, (exc.problem, exc.advice)))
            return out
        out.append((job.row, None))
    return out


def _chunks(items: Sequence[_Job], size: int) -> list[Sequence[_Job]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def fill_rows(
    template: Path,
    *,
    rows: Path,
    output_dir: Path,
    name: str | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> FillResult:
    """``scrtool fill TEMPLATE --rows FILE --output-dir DIR``: every document or none.

    Every row is checked (variables and file names) before any is rendered; all
    documents are rendered to temporary files, and only then renamed into place.
    """
    loaded = LoadedTemplate(template)
    batch = load_rows(rows)
    rows_name = Path(rows).name
    problems = []
    absent: set[str] = set()
    for row in batch:
        missing = loaded.missing(row.values, blanks_are_missing=True)
        if missing:
            problems.append(f"row {row.number}: " + ", ".join(f'"{m}"' for m in missing))
            absent.update(m for m in missing if m not in row.values)
    if problems:
        shown = problems[:MAX_ROWS_NAMED]
        if len(problems) > len(shown):
            more = len(problems) - len(shown)
            shown.append(f"and {more} more row{'s' if more > 1 else ''}")
        if absent:
            columns = ", ".join(f'"{m}"' for m in sorted(absent, key=str.casefold))
            advice = f"add the column{'s' if len(absent) > 1 else ''} {columns} to {rows_name}"
            advice += " (and fill in any blank cells named), and try again"
        else:
            advice = f"fill in those cells in {rows_name}, and try again"
        raise TemplateError(
            f"{loaded.name} uses variables that {rows_name} does not give ({'; '.join(shown)})",
            advice=advice,
        )
    pattern = name or f"{loaded.path.stem} {{row_number}}.docx"
    targets = _target_names(pattern, batch, rows_name, Path(output_dir))
    for target in targets:
        _not_an_input(target, (Path(template), Path(rows)))
        check_writable(target)
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot be created ({exc.strerror or exc})", file=output_dir) from None
    if min(jobs, len(batch)) <= 1:
        # One process: each document is filled straight into its temporary file.
        direct = [
            (target, _direct_writer(loaded, row, len(batch), progress))
            for target, row in zip(targets, batch, strict=True)
        ]
        write_all_atomic(direct)
        return FillResult(outputs=tuple(targets), template=Path(template))
    staged_files: list[Path] = []
    try:
        work: list[_Job] = []
        for row in batch:
            temp = make_temp(output_dir, ".docx", staged_files)
            work.append(_Job(row=row.number, values=row.values, temp=str(temp)))
        _render_all(loaded, work, jobs=jobs, progress=progress)
        moves = [
            (target, _mover(Path(job.temp))) for target, job in zip(targets, work, strict=True)
        ]
        write_all_atomic(moves)
    finally:
        for temp in staged_files:
            try:
                temp.unlink()
            except OSError:
                pass
    return FillResult(outputs=tuple(targets), template=Path(template))


def _direct_writer(
    loaded: LoadedTemplate, row: Row, total: int, progress: Callable[[int, int], None] | None
) -> Callable[[Path], object]:
    def write(temp: Path) -> None:
        loaded.render(row.values, temp, row=row.number)
        if progress:
            progress(1, total)

    return write


def _mover(source: Path) -> Callable[[Path], object]:
    def move(temp: Path) -> None:
        os.replace(source, temp)

    return move


def _target_names(pattern: str, batch: Sequence[Row], rows_name: str, folder: Path) -> list[Path]:
    first = batch[0]
    fields = [f.strip() for f in _FIELD.findall(pattern.replace("{{", "").replace("}}", ""))]
    unknown = [
        f
        for f in fields
        if f not in first.values and f not in first.original and identifier(f) not in first.values
    ]
    if unknown:
        columns = ", ".join(f'"{c}"' for c in first.original)
        raise DataError(
            f'the name pattern "{pattern}" uses '
            + ", ".join(f'"{u}"' for u in unknown)
            + f", which is not a column in {rows_name} (its columns are {columns}, and row_number)",
            advice="use the column headings in --name, in curly brackets, and try again",
        )
    problems: list[str] = []
    names: list[str] = []
    for row in batch:
        text, missing = _format_name(pattern, row.values, row.original)
        if missing:
            problems.append(f"row {row.number}: " + ", ".join(f'"{m}"' for m in missing))
            names.append("")
            continue
        names.append(safe_file_name(text))
    if problems:
        raise DataError(
            f'the name pattern "{pattern}" uses values that {rows_name} does not give ({"; ".join(problems)})',
            advice="fill in those cells, or use other columns in --name, and try again",
        )
    seen: dict[str, int] = {}
    clashes: list[str] = []
    for row, file_name in zip(batch, names, strict=True):
        key = unicodedata.normalize("NFC", file_name).casefold()
        if key in seen:
            clashes.append(f'rows {seen[key]} and {row.number} would both be "{file_name}"')
        else:
            seen[key] = row.number
    if clashes:
        raise DataError(
            f'the name pattern "{pattern}" gives two documents the same name ({"; ".join(clashes)})',
            advice="add a column that differs between rows to --name, such as {row_number}, and try again",
        )
    return [folder / n for n in names]


def _render_all(
    loaded: LoadedTemplate,
    work: Sequence[_Job],
    *,
    jobs: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    jobs = max(1, min(jobs, len(work)))
    if jobs == 1:
        for job in work:
            loaded.render(job.values, Path(job.temp), row=job.row)
            if progress:
                progress(1, len(work))
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    size = max(1, min(16, len(work) // (jobs * 4) or 1))
    _WORKER["template"] = loaded
    pool = ProcessPoolExecutor(
        max_workers=jobs, initializer=_worker_init, initargs=(str(loaded.path),)
    )
    try:
        futures = [pool.submit(_worker_render, chunk) for chunk in _chunks(work, size)]
        failure: tuple[int, tuple[str, ...]] | None = None
        pending = set(futures)
        while pending and failure is None:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                for row, error in fut.result():
                    if error is not None:
                        failure = (row, error)
                        break
                    if progress:
                        progress(1, len(work))
        if failure is not None:
            problem, advice = failure[1]
            raise TemplateError(problem, advice=advice)
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown()


def _stop_workers(pool: Any) -> None:
    """Stop the workers now (a failure, Ctrl-C): a worker still filling documents after
    the temporary files are cleared away would leave new ones in the output folder."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(10)


__all__ = [
    "Data",
    "FillResult",
    "LoadedTemplate",
    "Row",
    "date_filter",
    "display",
    "fill_one",
    "fill_rows",
    "identifier",
    "load_data",
    "load_rows",
    "render_template",
    "safe_file_name",
]
