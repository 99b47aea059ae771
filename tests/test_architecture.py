"""The core imports no web, database or CLI framework, and storage drivers stay in storage/sql."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "childguard"
CORE = ["domain", "interchange", "detectors", "policy", "engine.py", "moderation.py", "yamlsrc.py", "ids.py"]
FRAMEWORKS = {
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "click",
    "rich",
    "jinja2",
    "uvicorn",
    "pydantic",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _files(entry: str) -> list[Path]:
    p = SRC / entry
    return sorted(p.rglob("*.py")) if p.is_dir() else [p]


@pytest.mark.parametrize("path", [f for e in CORE for f in _files(e)], ids=lambda p: str(p.relative_to(SRC)))
def test_core_imports_no_framework(path: Path) -> None:
    assert not (_imports(path) & FRAMEWORKS)


def test_domain_uses_only_the_standard_library() -> None:
    for path in _files("domain"):
        third_party = {n for n in _imports(path) if n not in {"__future__", "childguard"}}
        import sys

        assert third_party <= set(sys.stdlib_module_names), (path, third_party)


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_only_storage_sql_imports_sqlalchemy(path: Path) -> None:
    if "storage/sql" in str(path.relative_to(SRC)).replace("\\", "/"):
        return
    assert not (_imports(path) & {"sqlalchemy", "alembic", "psycopg"})
