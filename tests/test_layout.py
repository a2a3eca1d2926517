"""The house style's layout rules, kept by a test: the core is a library, the CLI a skin."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "scrtool"
CORE = sorted(
    p
    for p in PACKAGE.rglob("*.py")
    if p.name != "__main__.py" and "cli" not in p.relative_to(PACKAGE).parts
)


def _names(tree: ast.AST) -> tuple[set[str], set[str]]:
    imports: set[str] = set()
    calls: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imports.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                calls.add(func.id)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                calls.add(f"{func.value.id}.{func.attr}")
    return imports, calls


@pytest.mark.parametrize("path", CORE, ids=[str(p.relative_to(PACKAGE)) for p in CORE])
def test_core_never_imports_click_prints_or_exits(path):
    imports, calls = _names(ast.parse(path.read_text(encoding="utf-8")))
    assert "click" not in imports, f"{path.name} imports click: core code must not"
    assert "print" not in calls, f"{path.name} prints: return results instead"
    assert not {"sys.exit", "exit", "quit", "os._exit"} & calls, f"{path.name} exits"


def test_every_command_module_is_registered():
    from scrtool.cli import COMMANDS
    from scrtool.cli.check import CHECKS

    modules = {p.stem for p in (PACKAGE / "cli").glob("*.py") if not p.stem.startswith("_")}
    registered = set(COMMANDS.values()) | set(CHECKS.values())
    assert modules == registered
