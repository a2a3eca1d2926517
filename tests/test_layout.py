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


# --- the import graph ------------------------------------------------------------------

JOBS = ("readers", "chronology", "drafting", "checks", "bundle", "review", "anonymise")
TOP = ("cli", "demo", "__main__")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Every scrtool module and the scrtool modules it imports, at any depth in the file."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    found.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _area(module: str) -> str:
    """``jobs:checks``, ``top:cli`` or ``foundation`` for a module name."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in JOBS:
        return f"jobs:{parts[1]}"
    if len(parts) > 1 and parts[1] in TOP:
        return f"top:{parts[1]}"
    return "foundation"


def test_the_import_graph_has_no_circle():
    graph = import_graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_imports_run_one_way_cli_then_jobs_then_readers_then_foundation():
    wrong = []
    for module, imported in import_graph().items():
        area = _area(module)
        for other in imported:
            target = _area(other)
            if area.startswith("jobs:") and target.startswith("top:"):
                wrong.append(f"{module} imports {other}: no job imports demo or cli")
            if area == "jobs:readers" and target.startswith("jobs:") and target != area:
                wrong.append(f"{module} imports {other}: a reader never imports a job")
            if area == "foundation" and target != "foundation" and module != "scrtool":
                wrong.append(f"{module} imports {other}: foundation modules import no job")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_graph_is_read_from_the_code():
    """The rules above would pass on an empty graph; this one proves the graph is real."""
    graph = import_graph()
    assert "scrtool.readers.model" in graph["scrtool.checks.redaction"]
    assert "scrtool.errors" in graph["scrtool.outputs"]
