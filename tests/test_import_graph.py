"""The package's modules import in one direction: no cycles.

A cycle (the catalogue importing findings while findings import the
catalogue inside a function) works until someone moves an import to the top
of a file; the server imports modules in whatever order requests arrive.
Imports under ``if TYPE_CHECKING:`` are for the type checker only and do not
count; every other import, at the top or inside a function, does.
"""

from __future__ import annotations

import ast
from pathlib import Path

import shengyuan_xl

PACKAGE_DIR = Path(shengyuan_xl.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, modules: set[str]) -> set[str]:
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in modules else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in modules and m != name}


def _graph() -> dict[str, set[str]]:
    paths = [p for p in PACKAGE_DIR.rglob("*.py") if "migrations" not in p.parts]
    modules = {_module_name(p) for p in paths}
    # A package's __init__ re-exporting its modules is not a cycle with them.
    return {
        _module_name(p): {
            m for m in _imports(p, modules) if not _module_name(p).startswith(m + ".")
        }
        for p in paths
    }


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                walk(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    return cycles


def test_the_graph_sees_imports():
    graph = _graph()
    assert "shengyuan_xl.core.catalogue" in graph["shengyuan_xl.core.findings"]
    assert "shengyuan_xl.core.finding_kinds" in graph["shengyuan_xl.core.catalogue"]


def test_a_cycle_is_found_when_there_is_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]


def test_no_module_imports_itself_back():
    assert _cycles(_graph()) == []
