"""Helpers shared by the CLI commands: settings, the service, and errors printed without tracebacks."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click

from childguard.bootstrap import build_engine, build_service
from childguard.engine import Engine
from childguard.policy import PolicyError
from childguard.service import ChildGuard
from childguard.settings import Settings, SettingsError
from childguard.storage.errors import StorageError


def settings_from_env(*, database_url: str | None = None, policy: tuple[Path, ...] = ()) -> Settings:
    try:
        s = Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    changes: dict[str, object] = {}
    if database_url:
        changes["database_url"] = database_url
    if policy:
        changes["policy_paths"] = policy
    if changes:
        s = dataclasses.replace(s, **changes)  # type: ignore[arg-type]
    return s


def engine_from(settings: Settings) -> Engine:
    """The detection engine for offline commands, or a clear error for a bad policy or model setting."""
    try:
        return build_engine(settings)
    except PolicyError as exc:
        raise click.ClickException(f"the policy is invalid:\n{exc}") from None
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def open_service(settings: Settings) -> ChildGuard:
    try:
        return build_service(settings)
    except PolicyError as exc:
        raise click.ClickException(f"the policy is invalid:\n{exc}") from None
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    except StorageError as exc:
        raise click.ClickException(f"cannot open the store {settings.resolved_database_url}: {exc}") from None


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


database_option = click.option(
    "--database-url", envvar="CHILDGUARD_DATABASE_URL", help="Store URL (default: SQLite in the data dir)."
)
policy_option = click.option(
    "--policy",
    "policy",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Policy file or directory (repeatable; default: the bundled default pack).",
)
