"""The packages keep their doors: what each may import, and no blueprint importing another."""
from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

MEETUP = Path(__file__).resolve().parents[1] / "meetup"


def module_name(path: Path) -> str:
    parts = path.relative_to(MEETUP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Return the meetup modules a file imports, relative imports resolved."""
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            found.update(f"{target}.{alias.name}" if not node.module else target for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "meetup" or name.startswith("meetup.")}


MODULES = {module_name(path): path for path in MEETUP.rglob("*.py")}


@pytest.mark.parametrize(("package", "forbidden"), [
    ("meetup.catalog", ("meetup.search", "meetup.indexing", "meetup.web", "meetup.cli")),
    ("meetup.search", ("meetup.catalog", "meetup.indexing", "meetup.web", "meetup.cli", "meetup.failures")),
    ("meetup.indexing", ("meetup.web", "meetup.cli")),
])
def test_a_package_imports_nothing_above_it(package, forbidden):
    crossing = sorted(f"{name} -> {target}" for name, path in MODULES.items() if name.startswith(package)
                      for target in imports_of(path) if target.startswith(forbidden))
    assert crossing == []


def test_no_blueprint_imports_another():
    blueprints = {name for name, path in MODULES.items() if "Blueprint(" in path.read_text(encoding="utf-8")}
    assert {"meetup.web.pages", "meetup.web.api", "meetup.web.feeds"} <= blueprints
    crossing = sorted(f"{name} -> {target}" for name in blueprints
                      for target in imports_of(MODULES[name]) if target in blueprints - {name})
    assert crossing == []


ADAPTER = "meetup.search.whoosh_adapter"
# Whoosh's internals: its codec, file storage and low-level helpers, and segment and writer machinery.
WHOOSH_INTERNAL_MODULES = ("whoosh.codec", "whoosh.filedb", "whoosh.system", "whoosh.util")
WHOOSH_INTERNAL_NAMES = {"TOC", "SegmentWriter", "PostingPool", "deleted_docs_set", "length_stats", "segment_id",
                         "perdocwriter", "fieldwriter", "postings_writer", "WRITELOCK"}
# Underscored names that are public all the same (the standard library's, namedtuples').
PUBLIC_UNDERSCORED = {"_exit", "_asdict", "_replace", "_fields", "_make", "_get_current_object"}


def whoosh_modules_of(tree: ast.AST) -> set[str]:
    """Return the Whoosh modules a parsed file imports, with the names it takes from them."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "whoosh":
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "whoosh")
    return found


@functools.cache
def names_defined_in_meetup() -> frozenset[str]:
    """Return every name the project itself defines: functions, classes, attributes, variables, fields."""
    defined = set()
    for path in MODULES.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                defined.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                defined.add(node.id)
    return frozenset(defined | PUBLIC_UNDERSCORED)


def whoosh_internals_used(path: Path, own: frozenset[str]) -> list[str]:
    """List the Whoosh internals a module outside the adapter reaches: modules, names, private attributes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = whoosh_modules_of(tree)
    used = sorted(name for name in imported if name.startswith(WHOOSH_INTERNAL_MODULES)
                  or name.rsplit(".", 1)[-1] in WHOOSH_INTERNAL_NAMES or name.rsplit(".", 1)[-1].startswith("_"))
    searching = imported or path.parent.name == "search"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            private = node.attr.startswith("_") and not node.attr.startswith("__") and node.attr not in own
            if node.attr in WHOOSH_INTERNAL_NAMES or (searching and private):
                used.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            used.extend(f"line {node.lineno}: {name!r}" for name in WHOOSH_INTERNAL_NAMES
                        if name.isupper() and len(name) > 3 and name in node.value)
    return used


@pytest.mark.parametrize("name", sorted(name for name in MODULES if name != ADAPTER))
def test_only_the_adapter_reaches_into_whoosh(name: str) -> None:
    assert whoosh_internals_used(MODULES[name], names_defined_in_meetup()) == []


@pytest.mark.parametrize("source", [
    "from whoosh.filedb.filestore import FileStorage\n",
    "from whoosh.writing import SegmentWriter\n",
    "def live(leaf):\n    return leaf.deleted_docs_set\n",
    "def length(raw):\n    return raw._length\n",
    "LOCK = 'MAIN_WRITELOCK'\n",
])
def test_a_whoosh_internal_outside_the_adapter_is_found(tmp_path: Path, source: str) -> None:
    path = MEETUP / "search" / "reader.py"
    copy = tmp_path / "reader.py"
    copy.write_text(path.read_text(encoding="utf-8") + "\n" + source, encoding="utf-8")
    assert whoosh_internals_used(copy, names_defined_in_meetup()) != []
