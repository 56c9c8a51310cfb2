"""Packages import one way (DESIGN's layers), checked at package level.

    errors, paths                                    (anyone)
    core                                             record, fields, checks, findings, marks, layout
    adapters · documents · db                        file and payload formats, Word/PDF, the database
    office                                           database services
    ops · workbook_validation · addin_manifest       every operation a user can ask for
    demo                                             the whole campaign on synthetic data, by the operations
    server · cli                                     fronts: parse input, render output

A package may import only packages of a lower layer (documents may use adapters'
file helpers). The fronts parse input and render output, with the adapters (the file
and payload formats: an xlwings payload in, xlwings actions or an .xlsx out); of the
rest they reach nothing below ops — no rules (core), no database (db, office), no
documents. Imports under ``if TYPE_CHECKING:`` are for the type checker and do not count.
"""

from __future__ import annotations

from test_import_graph import _graph

LAYERS = {
    "errors": 0,
    "paths": 0,
    "core": 1,
    "adapters": 2,
    "documents": 2,
    "db": 2,
    "office": 3,
    "ops": 4,
    "workbook_validation": 4,
    "addin_manifest": 4,
    "demo": 5,
    "server": 6,
    "cli": 7,
    "__main__": 8,
    "__init__": 8,  # the package's public API re-exports what users call
}
SIBLINGS = {("documents", "adapters")}  # the documents write files atomically (adapters)
FRONTS = {"server", "cli"}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _edges() -> dict[str, set[str]]:
    """Module (without the package prefix) -> the packages of ours it imports."""
    out: dict[str, set[str]] = {}
    for module, imported in _graph().items():
        if module.startswith("shengyuan_xl.db.migrations"):
            continue
        mine = _package(module)
        packages = {_package(m) for m in imported} - {mine}
        out[module.removeprefix("shengyuan_xl.")] = packages
    return out


def test_every_package_has_a_layer():
    unplaced = {_package(m) for m in _graph()} - set(LAYERS)
    assert unplaced == set()


def test_no_package_imports_upward():
    wrong = []
    for module, packages in sorted(_edges().items()):
        mine = module.split(".")[0] if "." in module else module
        for other in packages:
            if LAYERS[other] >= LAYERS.get(mine, 8) and (mine, other) not in SIBLINGS:
                if not (mine == "cli" and other == "server"):  # the CLI starts the server
                    wrong.append(f"{module} → {other}")
    assert wrong == []


def test_the_fronts_reach_nothing_below_ops():
    below_ops = {p for p, rank in LAYERS.items() if 1 <= rank < LAYERS["ops"]} - {"adapters"}
    found = {
        module: packages & below_ops
        for module, packages in _edges().items()
        if module.split(".")[0] in FRONTS and packages & below_ops
    }
    assert found == {}, "a front reaches past the operations: go through ops"


def test_the_fronts_open_no_unit_of_work():
    """A front hands the operations the database; it never opens a session itself (where a
    transaction starts and ends is the operation's to say)."""
    from pathlib import Path

    import shengyuan_xl

    package = Path(shengyuan_xl.__file__).parent
    opened = [
        f"{path.relative_to(package)}:{n}"
        for front in FRONTS
        for path in sorted((package / front).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ".session()" in line
    ]
    assert opened == []
