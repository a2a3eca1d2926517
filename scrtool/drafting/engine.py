"""A Word template read, parsed and checked once, then filled as many times as needed.

Templates are ordinary ``.docx`` files with Jinja tags typed into them (``{{ ref }}``,
``{% for a in actions %}``), rendered with docxtpl's tags. Three things make that safe for
a business support officer's data and templates:

- values are escaped (``&``, ``<``, ``>`` and quotes appear as written and never break
  the file);
- templates run in Jinja's sandbox, so a template cannot reach Python's internals;
- undefined variables are errors, and every variable the template uses, in the body,
  tables, headers, footers, footnotes, endnotes and the document properties, is checked
  against the data before anything is written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from scrtool.drafting import docxtpl_adapter as adapter
from scrtool.drafting import fast_fill
from scrtool.drafting.jinja_env import check_sandbox, jinja_env, optional_names
from scrtool.drafting.tags import (
    describe_syntax_error,
    tags_in,
    typed_paragraphs,
    undefined_name,
    undefined_words,
)
from scrtool.errors import InputError, Reason, ScrtoolError, TemplateError
from scrtool.outputs import staged

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Source:
    where: str  # "" for the main text, else "in a header", ...
    source: str
    autoescape: bool = True
    original: str = ""  # the XML before docxtpl's rewriting, for naming tags as typed


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
            tpl = adapter.open_template(self.data)
            parts = list(adapter.template_parts(tpl))
        except Exception:  # python-docx's errors for a damaged package have no common base
            raise TemplateError(
                "is not a Word document (.docx) that scrtool can open, or it is damaged",
                file=self.path,
                advice="open it in Word and save it again as Word Document (.docx)",
            ) from None
        self.sources = self._collect_sources(tpl, parts)
        self._plan = fast_fill.FastPlan.build(
            tpl, template_name=self.name, data=self.data, compiled=self.compiled, patch=self.patch
        )
        self.variables, self.may_be_absent, self.may_be_blank = self._inspect()

    # Which parts a template's tags live in ------------------------------------------
    def patch(self, tpl: Any, xml: str) -> str:
        patched = self._patch_cache.get(xml)
        if patched is None:
            patched = self._patch_cache[xml] = adapter.patch_xml(tpl, xml)
        return patched

    def _collect_sources(self, tpl: Any, parts: Sequence[adapter.Part]) -> list[_Source]:
        out = [
            _Source(p.where, adapter.paragraph_lines(self.patch(tpl, p.xml)), original=p.xml)
            for p in parts
        ]
        for prop, value in adapter.core_properties_with_tags(tpl):
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
            check_sandbox(ast, self.name, src.where, src.source)
            # Compiling finds unknown filters and tests, and warms the cache for rendering.
            self.compiled(
                src.source, autoescape=src.autoescape, where=src.where, original=src.original
            )
            names = meta.find_undeclared_variables(ast) - set(env.globals)
            used |= names
            a, b = optional_names(ast)
            absent |= a
            blank |= b
        return frozenset(used), frozenset(absent & used), frozenset(blank & used)

    def _tag_using(self, name: str) -> str | None:
        """The first tag, as typed, that uses ``name`` (for naming it in a message)."""
        if not name:
            return None
        word = re.compile(rf"(?<![\w.]){re.escape(name)}\b|\.{re.escape(name)}\b")
        for src in self.sources:
            text = "\n".join(typed_paragraphs(src.original)) if src.original else src.source
            for tag, closed in tags_in(text):
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
        if fast_fill.needs_docxtpl(context):
            self.docxtpl_render(context, row=row).save(str(output))
            return
        data = self._fill(lambda: self._plan.render(dict(context)), row)
        if fast_fill.VERIFY:
            fast_fill.check_same(data, self.docxtpl_render(context, row=row), self.name)
        Path(output).write_bytes(data)

    def docxtpl_render(self, context: Mapping[str, Any], *, row: int | None = None) -> Any:
        """docxtpl's own document, filled (through the adapter): ``save(path)`` writes it."""
        renderer = adapter.make_renderer(self.data, self.compiled, self.patch)
        self._fill(lambda: renderer.render(dict(context)), row)
        return renderer

    def _fill(self, fill: Callable[[], _T], row: int | None) -> _T:
        """Run ``fill``, turning what Jinja raises into a message naming the tag."""
        from jinja2 import TemplateSyntaxError, UndefinedError
        from jinja2.exceptions import SecurityError

        at = f" for row {row}" if row is not None else ""
        try:
            return fill()
        except ScrtoolError:
            raise
        except SecurityError:
            raise TemplateError(
                f"{self.name} reaches into Python's internals{at}, which templates may not do",
                advice="remove that tag; a template may only use the data it is given",
            ) from None
        except UndefinedError as exc:
            tag = self._tag_using(undefined_name(exc))
            what = f'the tag "{tag}" in {self.name}' if tag else self.name
            raise TemplateError(
                f"{what} uses something the data does not have{at} ({undefined_words(exc)})",
                advice="add it to the data, or correct the tag in Word, and try again",
            ) from None
        except TemplateSyntaxError as exc:
            raise describe_syntax_error(exc, exc.source or "", self.name, "") from None
        except Exception as exc:  # a tag's own error: "{{ ref[:4] }}" on a number, 1/0 ...
            raise TemplateError(
                f"{self.name} could not be filled{at} ({type(exc).__name__}: {exc})",
                advice="check the tags in Word against the data and try again",
            ) from None


# --------------------------------------------------------------------------------------
# One document


def missing_error(template: str, names: Sequence[str], source: str) -> TemplateError:
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
        raise missing_error(loaded.name, missing, "the data")
    output = Path(output)
    with staged(output) as temp:
        loaded.render(context, temp)
    return output
