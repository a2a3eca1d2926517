"""Filling a template without reopening it: docxtpl's steps, writing the .docx directly.

docxtpl opens the whole package with python-docx for every document and saves it again,
parsing, serialising and recompressing a dozen parts (styles, theme, numbering...) that
never change. Here the unchanging parts are compressed once into a base zip, and each
document only adds the parts that hold tags, rendered with the same compiled templates
and docxtpl's own steps after Jinja (``docxtpl_adapter.Finisher``).

The result is the document docxtpl would write, part for part:
``tests/drafting/test_fast_fill.py`` renders every template in ``templates/`` both ways,
and every template the rest of the suite fills is rendered both ways too (see
``VERIFY``). One condition sends a document to docxtpl instead: data that holds docxtpl's
own objects (pictures, sub-documents, rich text), which need docxtpl's document.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scrtool.drafting import docxtpl_adapter as adapter
from scrtool.errors import TemplateError

XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

#: Set by the test suite: every fast render is also rendered by docxtpl and compared.
VERIFY = False


def needs_docxtpl(context: Mapping[str, Any]) -> bool:
    """Pictures, sub-documents and rich text need docxtpl's own document; plain data does not."""
    return any(adapter.is_docxtpl_object(v) for v in context.values())


@dataclass(frozen=True)
class PartPlan:
    name: str  # the zip member
    source: str  # the Jinja source, as compiled by the loaded template
    declaration: bool  # add an XML declaration (python-docx writes one for headers and footers)


class FastPlan:
    """What to render for each document, and the zip of everything else."""

    def __init__(
        self,
        *,
        template_name: str,
        data: bytes,
        compiled: adapter.Compile,
        base: bytes,
        body: tuple[str, str, str, str],
        parts: list[PartPlan],
        core: tuple[str, bytes, list[tuple[int, str]]] | None,
    ) -> None:
        self.template_name = template_name
        self.compiled = compiled
        self.base = base
        self.body = body
        self.parts = parts
        self.core = core
        self._finish = adapter.Finisher(data)

    @classmethod
    def build(
        cls,
        tpl: Any,
        *,
        template_name: str,
        data: bytes,
        compiled: adapter.Compile,
        patch: adapter.Patch,
    ) -> FastPlan:
        """The plan for a template docxtpl has opened (``tpl``) from ``data``."""
        import zipfile

        from lxml import etree

        root_xml = adapter.document_root_xml(tpl)
        start, end = root_xml.find("<w:body"), root_xml.rfind("</w:body>")
        prefix, suffix = root_xml[:start], root_xml[end + len("</w:body>") :]
        body: tuple[str, str, str, str] | None = None
        parts: list[PartPlan] = []
        for part in adapter.template_parts(tpl):
            if part.kind == "blob" and "{" not in part.xml:
                continue  # copied as it is
            source = adapter.paragraph_lines(patch(tpl, part.xml))
            if part.kind == "body":
                body = (part.name, prefix, source, suffix)
            else:
                parts.append(PartPlan(part.name, source, part.kind == "header-footer"))
        assert body is not None  # template_parts always gives the body first
        core = None
        found = adapter.core_properties_part(tpl)
        if found is not None:
            tree = etree.fromstring(found[1])
            slots = [
                (i, el.text)
                for i, el in enumerate(tree.iter())
                if isinstance(el.tag, str) and el.text and "{" in el.text
            ]
            if slots:
                core = (found[0], found[1], slots)
        rendered = {body[0]} | {p.name for p in parts} | ({core[0]} if core else set())
        base = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(data)) as src,
            zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            for info in src.infolist():
                if info.filename not in rendered:
                    dst.writestr(info, src.read(info.filename), zipfile.ZIP_DEFLATED)
        return cls(
            template_name=template_name,
            data=data,
            compiled=compiled,
            base=base.getvalue(),
            body=body,
            parts=parts,
            core=core,
        )

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The filled document's bytes."""
        import zipfile

        from lxml import etree

        doc_name, prefix, body_source, suffix = self.body
        tree = self._finish.body(self.compiled(body_source).render(context))
        body = XML_DECLARATION + prefix + etree.tostring(tree, encoding="unicode") + suffix
        out: list[tuple[str, bytes]] = [(doc_name, body.encode("utf-8"))]
        for part in self.parts:
            xml = self._finish.blob_part(self.compiled(part.source).render(context))
            data = ((XML_DECLARATION if part.declaration else "") + xml).encode("utf-8")
            try:
                etree.fromstring(data)
            except etree.XMLSyntaxError as exc:
                raise TemplateError(
                    f"{self.template_name} made a broken document part ({part.name}: {exc})",
                    advice="check that each {%p %} or {%tr %} tag is in a paragraph or row of its own, and try again",
                ) from None
            out.append((part.name, data))
        if self.core is not None:
            name, blob, slots = self.core
            core = etree.fromstring(blob)
            elements = list(core.iter())
            for index, source in slots:
                elements[index].text = self.compiled(source, autoescape=False).render(context)
            out.append((name, etree.tostring(core, encoding="UTF-8", standalone=True)))
        buffer = io.BytesIO(self.base)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as zout:
            for name, data in out:
                zout.writestr(name, data)
        return buffer.getvalue()


class FastFillMismatch(AssertionError):
    """The fast path wrote a document docxtpl would not have (raised only under ``VERIFY``)."""


def document_parts(data: bytes) -> dict[str, bytes]:
    """Each member of a .docx: XML in canonical form (attribute order, declaration and
    quoting do not count), anything else as its bytes.

    The package's own lists are compared for what they say, as the Open Packaging
    Conventions read them: ``[Content_Types].xml`` as the type each member resolves to,
    a ``.rels`` file as its set of relationships. python-docx rewrites both (sorted, and
    without Word's unused entries), a zip copied as it is keeps them as saved.
    """
    import zipfile

    from lxml import etree

    out: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        for name in names:
            raw = z.read(name)
            if name == "[Content_Types].xml":
                raw = _resolved_types(etree.fromstring(raw), names)
            elif name.endswith(".rels"):
                rels = sorted(tuple(sorted(el.attrib.items())) for el in etree.fromstring(raw))
                raw = repr(rels).encode()
            elif name.endswith(".xml"):
                raw = etree.tostring(etree.fromstring(raw), method="c14n")
            out[name] = raw
    return out


def _resolved_types(root: Any, names: list[str]) -> bytes:
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for el in root:
        if el.tag.endswith("Default"):
            defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
        elif el.tag.endswith("Override"):
            overrides[el.get("PartName", "").lower()] = el.get("ContentType", "")
    resolved = {
        name: overrides.get("/" + name.lower()) or defaults.get(name.rsplit(".", 1)[-1].lower())
        for name in names
        if name != "[Content_Types].xml" and not name.endswith("/")
    }
    return repr(sorted(resolved.items())).encode()


def check_same(data: bytes, renderer: Any, template_name: str) -> None:
    """Raise ``FastFillMismatch`` naming the parts where ``data`` and docxtpl's document differ."""
    buffer = io.BytesIO()
    renderer.save(buffer)
    fast, slow = document_parts(data), document_parts(buffer.getvalue())
    differ = sorted(n for n in fast.keys() | slow.keys() if fast.get(n) != slow.get(n))
    if differ:
        raise FastFillMismatch(f"{template_name}: the fast fill differs from docxtpl in {differ}")
