"""The packages keep their doors: what each may import, and no blueprint importing another."""
from __future__ import annotations

import ast
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
