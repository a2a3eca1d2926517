"""The one place that touches docxtpl's internals.

scrtool fills templates with docxtpl's tags and docxtpl's own XML steps (``patch_xml``
joins the runs Word splits a tag across; ``resolve_listing``, ``fix_tables`` and
``fix_docpr_ids`` tidy what Jinja wrote), but changes three things docxtpl does:

- the Jinja source of each part is compiled once per template, not once per document,
  in scrtool's sandboxed, escaping environment;
- every text core property is filled, unescaped (docxtpl fills six, escaped twice);
- footnotes are filled once, not once per section, and endnotes and the app and custom
  properties are filled too (docxtpl leaves them).

Those changes override docxtpl methods (``render_xml_part``, ``render_properties``,
``render_footnotes``) and read its attributes (``docx``, ``HEADER_URI``,
``docx_ids_index``). They live here, and only here, so that a docxtpl release that
moves them breaks one module, and ``tests/drafting/test_docxtpl_adapter.py`` checks this
module against docxtpl's own output. pyproject pins docxtpl to the minor range tested.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
ENDNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
APP_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
CUSTOM_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
BLOB_PART_LABELS = {
    FOOTNOTES_TYPE: "in the footnotes",
    ENDNOTES_TYPE: "in the endnotes",
    APP_PROPS_TYPE: "in the document properties",
    CUSTOM_PROPS_TYPE: "in the custom document properties",
}
#: Core document properties that hold text (python-docx names).
CORE_TEXT_PROPERTIES = (
    "author", "category", "comments", "content_status", "identifier", "keywords",
    "language", "last_modified_by", "subject", "title", "version",
)  # fmt: skip

#: Compiles a part's Jinja source (cached by the caller); ``autoescape`` is keyword-only.
Compile = Callable[..., Any]
#: docxtpl's patch_xml, cached by the caller.
Patch = Callable[[Any, str], str]


def open_template(data: bytes) -> Any:
    """docxtpl's template over the bytes of a .docx, opened (python-docx parses it)."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(io.BytesIO(data))
    tpl.init_docx()
    return tpl


def patch_xml(tpl: Any, xml: str) -> str:
    """docxtpl's rewriting of a part: runs joined, ``{%p %}``/``{%tr %}`` tags resolved."""
    from docxtpl import DocxTemplate

    return str(DocxTemplate.patch_xml(tpl, xml))


def paragraph_lines(xml: str) -> str:
    """docxtpl's own step: each paragraph on its own line, so Jinja's line numbers help."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def unlines(xml: str) -> str:
    return re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)


def unescape_tags(xml: str) -> str:
    """docxtpl's ``{_{`` escape for tags meant to appear in the document as written."""
    return xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")


def blob_text(blob: bytes | str) -> str:
    return blob.decode("utf-8") if isinstance(blob, bytes) else blob


@dataclass(frozen=True)
class Part:
    """One part of the template that may hold tags, as docxtpl would render it."""

    name: str  # the zip member ("word/header1.xml")
    where: str  # "" for the main text, else "in a header", ...
    xml: str  # the part's XML as saved, before docxtpl's rewriting
    kind: str  # "body", "header-footer" or "blob"


def template_parts(tpl: Any) -> Iterator[Part]:
    """The body, each header and footer (once), then the footnotes, endnotes and
    app and custom properties, in the order docxtpl renders them."""
    from docx.oxml import parse_xml

    doc_part = tpl.docx.part
    yield Part(str(doc_part.partname).lstrip("/"), "", tpl.get_xml(), "body")
    seen: set[str] = set()
    for uri, where in ((tpl.HEADER_URI, "in a header"), (tpl.FOOTER_URI, "in a footer")):
        for _key, part in tpl.get_headers_footers(uri):
            name = str(part.partname).lstrip("/")
            if name not in seen:
                seen.add(name)
                yield Part(name, where, tpl.xml_to_string(parse_xml(part.blob)), "header-footer")
    for part in doc_part.package.iter_parts():
        label = BLOB_PART_LABELS.get(part.content_type)
        if label:
            yield Part(str(part.partname).lstrip("/"), label, blob_text(part.blob), "blob")


def core_properties_with_tags(tpl: Any) -> list[tuple[str, str]]:
    """(property, text) for each text core property that holds a tag."""
    core = tpl.docx.core_properties
    out = []
    for prop in CORE_TEXT_PROPERTIES:
        value = getattr(core, prop, None)
        if isinstance(value, str) and "{" in value:
            out.append((prop, value))
    return out


def core_properties_part(tpl: Any) -> tuple[str, bytes] | None:
    """(zip member, bytes) of the core properties part, if the template has one."""
    for part in tpl.docx.part.package.iter_parts():
        if part.content_type.endswith("core-properties+xml"):
            return str(part.partname).lstrip("/"), part.blob
    return None


def document_root_xml(tpl: Any) -> str:
    """The main document part's XML as python-docx would save it (without declaration)."""
    from lxml import etree

    return str(etree.tostring(tpl.docx.part.element, encoding="unicode"))


def is_docxtpl_object(value: Any) -> bool:
    """Pictures, sub-documents and rich text are docxtpl objects: they need its document."""
    return type(value).__module__.startswith("docxtpl")


def finish_blob_part(resolve_listing: Callable[[str], str], xml: str) -> str:
    """A rendered footnotes, endnotes or properties part: listings only where there is text."""
    if "<w:p" in xml:
        return str(resolve_listing(unescape_tags(unlines(xml))))
    return unlines(xml)


class Finisher:
    """docxtpl's steps after Jinja, on text: listings, tables and picture ids.

    Each document starts picture ids at docxtpl's 1000, as ``render_init`` does.
    """

    def __init__(self, data: bytes) -> None:
        from docxtpl import DocxTemplate

        self._tpl = DocxTemplate(io.BytesIO(data))

    def part(self, xml: str) -> str:
        """A rendered part's text as ``render_xml_part`` leaves it."""
        return str(self._tpl.resolve_listing(unescape_tags(unlines(xml))))

    def blob_part(self, xml: str) -> str:
        return finish_blob_part(self._tpl.resolve_listing, xml)

    def body(self, xml: str) -> Any:
        """The rendered body as the tree docxtpl puts into the document."""
        self._tpl.docx_ids_index = 1000
        tree = self._tpl.fix_tables(self.part(xml))
        self._tpl.fix_docpr_ids(tree)
        return tree


def make_renderer(data: bytes, compiled: Compile, patch: Patch) -> Any:
    """docxtpl's template over ``data``, rendering with ``compiled`` sources and ``patch``.

    ``render(context)`` then ``save(path)``, as with docxtpl's own class.
    """
    if not _RENDERER:
        _RENDERER.append(_make_renderer_class())
    return _RENDERER[0](data, compiled, patch)


_RENDERER: list[type] = []


def _make_renderer_class() -> type:
    from docxtpl import DocxTemplate

    class Renderer(DocxTemplate):  # type: ignore[misc]
        """docxtpl with the caches, the sandbox and all of the parts docxtpl leaves out."""

        def __init__(self, data: bytes, compiled: Compile, patch: Patch) -> None:
            super().__init__(io.BytesIO(data))
            self._compiled = compiled
            self._patch = patch

        def patch_xml(self, src_xml: str) -> str:
            return self._patch(self, src_xml)

        def render_xml_part(self, src_xml, part, context, jinja_env=None):  # type: ignore[no-untyped-def]
            self.current_rendering_part = part
            template = self._compiled(paragraph_lines(src_xml))
            return self.resolve_listing(unescape_tags(unlines(template.render(context))))

        def render_properties(self, context, jinja_env=None):  # type: ignore[no-untyped-def]
            # docxtpl renders only some core properties, and with the escaping environment,
            # so "&" became "&amp;amp;"; python-docx escapes core properties itself.
            core = self.docx.core_properties
            for prop, value in core_properties_with_tags(self):
                setattr(core, prop, self._compiled(value, autoescape=False).render(context))
            self._render_blob_parts(context, (APP_PROPS_TYPE, CUSTOM_PROPS_TYPE))

        def render_footnotes(self, context, jinja_env=None):  # type: ignore[no-untyped-def]
            # docxtpl renders footnotes once per section (twice in a two-section document,
            # which would run tags typed in the data) and never the endnotes.
            self._render_blob_parts(context, (FOOTNOTES_TYPE, ENDNOTES_TYPE))

        def _render_blob_parts(self, context: Mapping[str, Any], types: Iterable[str]) -> None:
            wanted = set(types)
            for part in self.docx.part.package.iter_parts():
                if part.content_type in wanted:
                    xml = self.patch_xml(blob_text(part.blob))
                    out = self._compiled(paragraph_lines(xml)).render(context)
                    part._blob = finish_blob_part(self.resolve_listing, out).encode("utf-8")

    return Renderer
