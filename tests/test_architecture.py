"""The house keeps its shape (issue 10): no import circles, and data flows one way.

Every ``import`` in ``jcmwb/`` (including those inside functions: a late import is still a
dependency) is read with ``ast``; the test fails on any circle between modules, on the
engine importing anything above it, and on a renderer importing the runner, verify or the app.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "jcmwb"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(path: Path) -> set[str]:
    """The jcmwb modules a file imports (a package's ``__init__`` counts only when nothing deeper matches)."""
    found: set[str] = set()
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            # `from a.b import c`: module a.b.c when it is one, else the names come from a.b
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != here and name != "jcmwb":
                found.add(name)
    return found


GRAPH = {name: imports(path) for name, path in MODULES.items()}


def circles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(GRAPH.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_imports():
    # The reader must see late imports too, or the checks below would pass vacuously.
    assert "jcmwb.engine.compute" in GRAPH["jcmwb.run.outputs"]  # a TYPE_CHECKING import
    assert "jcmwb.sheets.workbook" in GRAPH["jcmwb.run.outputs"]  # an import inside a function
    assert "jcmwb.engine.spec" in GRAPH["jcmwb.engine.period"]


def test_no_import_circles():
    assert circles() == []


def _layer_violations(layer: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> dict[str, list[str]]:
    out = {}
    for name, targets in GRAPH.items():
        if name.startswith(layer):
            bad = sorted(t for t in targets if t.startswith(forbidden) and t not in allowed)
            if bad:
                out[name] = bad
    return out


def test_the_engine_imports_nothing_above_it():
    # The engine may know where the library is (a path lookup with no jcmwb imports of its own).
    assert _layer_violations("jcmwb.engine", ("jcmwb.sheets", "jcmwb.run", "jcmwb.verify", "jcmwb.app", "jcmwb.cli", "jcmwb.library"), ("jcmwb.library.paths",)) == {}
    assert GRAPH["jcmwb.library.paths"] == set()


def test_renderers_do_not_import_the_runner_verify_or_the_app():
    assert _layer_violations("jcmwb.sheets", ("jcmwb.run", "jcmwb.verify", "jcmwb.app", "jcmwb.cli")) == {}


def test_only_the_command_line_imports_the_command_line():
    assert [name for name, targets in GRAPH.items() if "jcmwb.cli" in targets] == []
