"""The Jinja side of filling: the sandboxed environment, how values print, the date filter.

Values are escaped, undefined variables are errors, and templates run in Jinja's sandbox
(tightened against tags that would fill the memory). The sandbox is also checked before
any rendering: a template that reaches for Python's internals is refused by name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scrtool.dates import format_english, parse_partial_date
from scrtool.drafting.tags import tags_in, visible_lines
from scrtool.errors import TemplateError

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
    """``{{ due|date }}``: a date, or text that holds one, in the English style.

    Text is read as people in England write it, day first (``02/02/2026``), or as ISO
    (``2026-02-02``), and keeps the precision it was written with: ``February 2026``
    stays a month, ``about May 2016`` stays approximate. ``{{ due|date("%d/%m/%Y") }}``
    chooses another style for an exact day; a month, a year or an approximate date
    keeps its English wording, since a style with a day would invent one. A hedged day
    ("w/c 3 May 2022") and text that is not a date print as written.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_english(value) if fmt is None else value.strftime(str(fmt))
    text = str(value)
    try:
        date = parse_partial_date(text)
    except ValueError:
        return text
    if date.exact and fmt is not None:
        return date.start.strftime(str(fmt))
    if date.approximate and date.precision == "day":
        return date.written  # "w/c 3 May 2022", "3-5 May 2022": no one day to print
    return date.english()


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


def check_sandbox(ast: Any, template_name: str, where: str, source: str) -> None:
    """Refuse, before any rendering, a template that reaches for Python's internals."""
    from jinja2 import nodes

    def refuse(name: str, lineno: int) -> TemplateError:
        lines = visible_lines(source)
        line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
        tag = next((t for t, _ in tags_in(line) if name in t), None)
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


def optional_names(ast: Any) -> tuple[set[str], set[str]]:
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
