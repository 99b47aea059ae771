"""Docs are tested: a setting, command or route that is not documented fails here."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from fastapi.routing import APIRoute

from childguard.api.app import create_app
from childguard.cli.main import cli
from childguard.service import ChildGuard
from childguard.settings import Settings
from childguard.storage import MemoryStore

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands(group: click.Group, prefix: str = "childguard") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, path))
        else:
            out.append(path)
    return out


@pytest.mark.parametrize("variable", Settings.variables())
def test_every_setting_is_documented(variable: str) -> None:
    assert f"`{variable}`" in (DOCS / "configuration.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", _commands(cli))
def test_every_command_is_documented(command: str) -> None:
    assert f"`{command}" in (DOCS / "cli.md").read_text(encoding="utf-8")


def test_every_api_route_is_documented() -> None:
    app = create_app(Settings(), service=ChildGuard(MemoryStore()))
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    routes = [r for r in app.routes if isinstance(r, APIRoute) and r.include_in_schema]
    assert routes
    for route in routes:
        for method in route.methods - {"HEAD"}:
            assert f"`{method} {route.path}`" in text, f"{method} {route.path} is not in docs/api.md"


def test_readme_gives_the_two_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    ci = (DOCS.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nmake test\n" in ci
