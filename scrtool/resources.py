"""Where the user-editable data lives: ``schemas/``, ``templates/`` and ``samples/``.

In a checkout (and an editable install) they sit beside the package; in a wheel they are
copied into ``scrtool/_data/``. Code asks here rather than guessing.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder ``name`` (``schemas``, ``templates`` or ``samples``)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"scrtool's {name}/ folder is missing from this installation")


def schema_path(filename: str) -> Path:
    return data_dir("schemas") / filename


def template_path(filename: str) -> Path:
    return data_dir("templates") / filename


def font_path(filename: str) -> Path:
    """A font shipped inside the package (``scrtool/fonts/``, with its licence)."""
    return _PACKAGE / "fonts" / filename
