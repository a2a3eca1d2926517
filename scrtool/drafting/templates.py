"""Filling Word templates: one document from one set of data, or one per spreadsheet row.

The public face of the template engine, which is split by job:

- ``engine``: a template read, parsed and checked once (``LoadedTemplate``), and
  ``render_template`` for one document from a dict (report, requests, screening);
- ``jinja_env`` and ``tags``: the sandboxed environment, how values print, the ``date``
  filter, and messages that name a broken tag as it was typed;
- ``docxtpl_adapter``: the only module that touches docxtpl's internals;
- ``fast_fill``: docxtpl's steps writing the .docx directly, proved equal to docxtpl;
- ``data`` and ``naming``: ``--data`` and ``--rows`` files, and ``--name`` patterns;
- ``fill``: ``scrtool fill``, one document or a batch, all or none, in N processes.
"""

from __future__ import annotations

from scrtool.drafting.data import (
    DATA_SUFFIXES,
    ROWS_SUFFIXES,
    Data,
    Row,
    identifier,
    load_data,
    load_rows,
)
from scrtool.drafting.engine import LoadedTemplate, render_template
from scrtool.drafting.fill import FillResult, fill_one, fill_rows
from scrtool.drafting.jinja_env import date_filter, display, jinja_env
from scrtool.drafting.naming import RESERVED_NAMES, safe_file_name

__all__ = [
    "DATA_SUFFIXES",
    "RESERVED_NAMES",
    "ROWS_SUFFIXES",
    "Data",
    "FillResult",
    "LoadedTemplate",
    "Row",
    "date_filter",
    "display",
    "fill_one",
    "fill_rows",
    "identifier",
    "jinja_env",
    "load_data",
    "load_rows",
    "render_template",
    "safe_file_name",
]
