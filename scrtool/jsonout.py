"""Turning result dataclasses into the JSON the contract promises (dates as YYYY-MM-DD)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any


def to_jsonable(value: Any) -> Any:
    """Dataclasses (or anything with ``to_json()``), dates, paths and tuples as plain JSON."""
    to_json = getattr(value, "to_json", None)
    if callable(to_json) and not isinstance(value, type):
        return to_jsonable(to_json())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M") if value.second == 0 else value.isoformat()
    if isinstance(value, (Path, PurePath)):
        return str(value)
    return value


def dumps(value: Any, *, ascii_only: bool = False) -> str:
    return json.dumps(to_jsonable(value), indent=2, ensure_ascii=ascii_only)
