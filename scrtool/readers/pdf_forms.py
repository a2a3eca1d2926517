"""Drawings that never end: a form XObject that draws itself, or forms drawn within forms
so many times over that laying out the page would take all the memory there is.

PDFium lays out a page's form XObjects when it loads the page, each time it is drawn,
to a depth of dozens of levels. A form of a few hundred bytes that draws itself twice
makes that 2 to the power of that depth: a 300-byte PDF took 3 GB and stopped the
process, and with no limit would take the machine's memory. So before PDFium loads a
page, the forms the pages can draw are followed here (with pypdf, from each page's
resources), counting each as often as the forms above it draw it. A form that draws
itself, directly or through others, or more than ``MAX_FORM_DRAWS`` form drawings under
one page, and the file is refused with one sentence.

Only a file that can hold a form is looked at (its bytes name ``/Form``, or hide names in
compressed object streams or #-escapes); a page's own content is not read (each form its
resources hold counts as drawn once).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

#: Form drawings under one page that no real document needs (a map symbol drawn ten
#: thousand times, each of a few parts, is well under it).
MAX_FORM_DRAWS = 200_000
#: Forms within forms followed (PDFium's own limit is deeper; real files use 1 to 3).
MAX_FORM_NESTING = 64

#: ``/Name Do``: the operator that draws an XObject.
_DO = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s*Do\b")
#: A name written with a #-escape (``/A#41`` is ``/AA``): a plain search of the bytes
#: cannot see it.
ESCAPED_NAME = re.compile(rb"/[A-Za-z0-9_.+\-]*#[0-9A-Fa-f]{2}")

ENDLESS_PROBLEM = (
    "has a drawing that draws itself over and over without end (a form inside itself), "
    "so no PDF reader can lay out its pages"
)
ENDLESS_ADVICE = (
    "ask whoever sent it for a new copy, saved again from the document it was made from"
)


class _Endless(Exception):
    pass


def may_hold_forms(data: bytes) -> bool:
    """Whether the bytes can hold a form XObject: they name ``/Form``, or hide names in
    compressed object streams or behind #-escapes."""
    return b"/Form" in data or b"/ObjStm" in data or ESCAPED_NAME.search(data) is not None


def endless_drawing(reader: Any) -> bool:
    """Whether a page of ``reader`` (pypdf's) draws a form that draws itself, or more than
    ``MAX_FORM_DRAWS`` forms in all, counting each as often as it is drawn."""
    memo: dict[Any, int] = {}
    try:
        for page in reader.pages:
            resources = _resolved(page.get("/Resources"))
            total = 0
            for form in _forms(resources):
                total += _draws(form, resources, memo, [])
                if total > MAX_FORM_DRAWS:
                    return True
    except _Endless:
        return True
    return False


def _resolved(value: Any) -> Any:
    try:
        return value.get_object() if value is not None else None
    except Exception:  # a broken reference: nothing there to follow
        return None


def _forms(resources: Any) -> list[Any]:
    """The form XObjects a resource dictionary names, as pypdf objects."""
    out: list[Any] = []
    xobjects: Any = _resolved(resources.get("/XObject")) if hasattr(resources, "get") else None
    if not hasattr(xobjects, "values"):
        return out
    for value in xobjects.values():
        form = _resolved(value)
        if hasattr(form, "get") and form.get("/Subtype") == "/Form":
            out.append(form)
    return out


def _named(resources: Any, name: bytes) -> Any:
    xobjects: Any = _resolved(resources.get("/XObject")) if hasattr(resources, "get") else None
    if not hasattr(xobjects, "get"):
        return None
    form = _resolved(xobjects.get("/" + name.decode("latin-1")))
    return form if hasattr(form, "get") and form.get("/Subtype") == "/Form" else None


def _draws(form: Any, inherited: Any, memo: dict[Any, int], path: list[Any]) -> int:
    """How many form drawings drawing ``form`` once makes, itself included."""
    key = form.indirect_reference
    key = (key.idnum, key.generation) if key is not None else id(form)
    if key in path or len(path) >= MAX_FORM_NESTING:
        raise _Endless
    if key in memo:
        return memo[key]
    resources = _resolved(form.get("/Resources")) or inherited
    try:
        content = form.get_data()
    except Exception:  # a stream pypdf cannot decode: PDFium will not draw from it either
        content = b""
    total = 1
    path.append(key)
    for name, times in Counter(_DO.findall(content)).items():
        child = _named(resources, name)
        if child is not None:
            total += times * _draws(child, resources, memo, path)
            if total > MAX_FORM_DRAWS:
                raise _Endless
    path.pop()
    memo[key] = total
    return total
