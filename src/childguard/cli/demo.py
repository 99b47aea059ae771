"""``childguard demo``: the bundled demo data set, for a first look and for tests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import click

from childguard.cli.common import database_option, open_service, settings_from_env
from childguard.domain.access import Scope
from childguard.interchange import LineError, iter_events
from childguard.service import ChildGuard

DEMO_KEY_FILE = "demo-api-key"
BATCH = 200


def demo_path() -> Path:
    return Path(str(resources.files("childguard.demo") / "demo.jsonl"))


@dataclass(frozen=True)
class DemoLoad:
    accepted: int
    duplicates: int


def load_demo(service: ChildGuard) -> DemoLoad:
    """Ingest the demo file through the service, as a platform would. Loading twice changes nothing."""
    errors: list[LineError] = []
    with demo_path().open(encoding="utf-8") as fh:
        events = list(iter_events(fh, errors, strict=True))
    accepted = duplicates = 0
    for start in range(0, len(events), BATCH):
        for r in service.ingest(events[start : start + BATCH], actor="demo"):
            if r.status == "duplicate":
                duplicates += 1
            else:
                accepted += 1
    return DemoLoad(accepted, duplicates)


def ensure_demo_key(service: ChildGuard, data_dir: Path) -> tuple[str, Path]:
    """The demo admin key, created once and kept (mode 0600) in the data dir for later runs."""
    path = data_dir / DEMO_KEY_FILE
    if path.exists():
        token = path.read_text(encoding="utf-8").strip()
        if service.authenticate(token) is not None:
            return token, path
    _, token = service.create_api_key("demo", frozenset({Scope.ADMIN}), actor="demo")
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    return token, path


@click.group()
def demo() -> None:
    """The bundled demo data set."""


@demo.command("load")
@database_option
def demo_load(database_url: str | None) -> None:
    """Load the demo conversations into the store (safe to run twice)."""
    service = open_service(settings_from_env(database_url=database_url))
    loaded = load_demo(service)
    click.echo(f"{loaded.accepted} new event(s), {loaded.duplicates} already loaded.")


@demo.command("path")
def demo_file() -> None:
    """Print the path of the demo file (to scan it: childguard scan "$(childguard demo path)")."""
    click.echo(str(demo_path()))
