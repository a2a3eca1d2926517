"""The timeline in the overview report: a picture under "What the records show".

``scrtool report`` calls ``add_timeline`` on the draft it has just written. The picture
goes after that section's table (or its last paragraph), as wide as the text, with
alternative text written from the data and a caption saying what it shows. With no
merged chronology yet, nothing is added: the section already says so in words.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrtool.case import Case

SECTION = "What the records show"
CAPTION = (
    "Figure 1: the agencies' recorded contacts, one row per agency. Key events are "
    "labelled with their event reference; the review period is shaded and the longest "
    "gaps with no recorded contact are hatched."
)


def add_timeline(path: Path, case: Case) -> bool:
    """Put the timeline into the report at ``path``; False when there is nothing to draw
    or no "What the records show" heading to put it under."""
    from scrtool.chronology.timeline import timeline_picture

    picture = timeline_picture(case)
    if picture is None:
        return False
    png, alt = picture
    return insert_picture(
        path, png, alt, title=f"Timeline of the records about {case.child or 'the child'}"
    )


def insert_picture(path: Path, png: bytes, alt: str, *, title: str) -> bool:
    import io

    import docx
    from docx.shared import Emu

    document = docx.Document(str(path))
    heading = None
    for paragraph in document.paragraphs:
        if (
            paragraph.text.strip() == SECTION
            and paragraph.style is not None
            and (paragraph.style.name.startswith("Heading"))
        ):
            heading = paragraph
            break
    if heading is None:
        return False
    # The end of the section: the element before the next heading.
    anchor: Any = heading._p
    node = heading._p.getnext()
    while node is not None:
        if node.tag.endswith("}p"):
            style = node.find(".//{*}pStyle")
            if style is not None and "Heading" in (
                style.get(style.tag.replace("pStyle", "val")) or ""
            ):
                break
        if node.tag.endswith(("}p", "}tbl")):
            anchor = node
        node = node.getnext()
    section = document.sections[0]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    if width <= 0:
        width = 5760000  # 16 cm, the text width of A4 with 2.5 cm margins
    picture_paragraph = document.add_paragraph()
    picture_paragraph.paragraph_format.keep_with_next = True  # the caption stays with it
    run = picture_paragraph.add_run()
    run.add_picture(io.BytesIO(png), width=Emu(int(width)))
    doc_pr = picture_paragraph._p.find(".//{*}docPr")
    if doc_pr is not None:
        doc_pr.set("descr", alt)
        doc_pr.set("title", title)
        doc_pr.set("name", "Timeline")
    caption = document.add_paragraph(CAPTION)
    try:
        caption.style = document.styles["Caption"]
    except KeyError:
        pass
    anchor.addnext(picture_paragraph._p)
    picture_paragraph._p.addnext(caption._p)
    document.save(str(path))
    return True
