"""One-page PDFs written by hand, content stream and all, with pypdf: the shapes, clips,
forms and text a test needs, and nothing else."""

from __future__ import annotations

from pathlib import Path


def page_with(
    path: Path,
    content: bytes,
    form: bytes | None = None,
    form_dict=None,
    states=None,
    extra=None,
) -> Path:
    """A one-page PDF with Helvetica as /F1 and, when given, a form XObject /Fm1 and
    graphics states (name: {key: value}) under /ExtGState."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
    from pypdf.generic import NumberObject as N

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    resources = DictionaryObject(
        {
            NameObject("/Font"): DictionaryObject(
                {
                    NameObject("/F1"): writer._add_object(
                        DictionaryObject(
                            {
                                NameObject("/Type"): NameObject("/Font"),
                                NameObject("/Subtype"): NameObject("/Type1"),
                                NameObject("/BaseFont"): NameObject("/Helvetica"),
                            }
                        )
                    )
                }
            )
        }
    )
    if form is not None:
        stream = DecodedStreamObject()
        stream.set_data(form)
        stream.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject([N(v) for v in form_dict["bbox"]]),
                NameObject("/Matrix"): ArrayObject([N(v) for v in form_dict["matrix"]]),
            }
        )
        if form_dict.get("group"):
            stream[NameObject("/Group")] = DictionaryObject(
                {
                    NameObject("/S"): NameObject("/Transparency"),
                    NameObject("/CS"): NameObject("/DeviceRGB"),
                }
            )
        resources[NameObject("/XObject")] = DictionaryObject(
            {NameObject("/Fm1"): writer._add_object(stream)}
        )
    if states:
        from pypdf.generic import FloatObject

        def value(v):
            return FloatObject(v) if isinstance(v, float) else NameObject(v)

        resources[NameObject("/ExtGState")] = DictionaryObject(
            {
                NameObject(f"/{name}"): DictionaryObject(
                    {NameObject(k): value(v) for k, v in entries.items()}
                )
                for name, entries in states.items()
            }
        )
    for key, make in (extra or {}).items():
        resources[NameObject(key)] = make(writer)
    page[NameObject("/Resources")] = resources
    body = DecodedStreamObject()
    body.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(body)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


TEXT = b"BT /F1 12 Tf 160 150 Td (Dean Voss lives here) Tj ET\n"
