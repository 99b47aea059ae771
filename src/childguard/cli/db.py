"""``childguard db``: the store's schema."""

from __future__ import annotations

import click

from childguard.cli.common import database_option, settings_from_env


@click.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@database_option
def db_upgrade(database_url: str | None) -> None:
    """Apply pending schema migrations (serve and the other commands also do this on start)."""
    from childguard.storage import upgrade_database

    settings = settings_from_env(database_url=database_url)
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_database(settings.resolved_database_url)
    click.echo(f"Schema up to date: {settings.resolved_database_url}")
