"""``childguard keys``: API keys with scopes."""

from __future__ import annotations

import click

from childguard.cli.common import database_option, open_service, settings_from_env
from childguard.domain.access import Scope
from childguard.security import InvalidScope, parse_scopes
from childguard.storage.errors import NotFound


@click.group()
def keys() -> None:
    """Create, list and revoke API keys."""


@keys.command("create")
@click.option("--name", required=True, help="What the key is for, e.g. 'chat-backend'.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    help=f"Scope to grant (repeatable or comma-separated): {', '.join(s.value for s in Scope)}. admin implies all.",
)
@database_option
def keys_create(name: str, scopes: tuple[str, ...], database_url: str | None) -> None:
    """Create a key. The key is printed once; only its hash is stored."""
    try:
        granted = parse_scopes(scopes)
    except InvalidScope as exc:
        raise click.BadParameter(str(exc), param_hint="--scope") from None
    service = open_service(settings_from_env(database_url=database_url))
    record, token = service.create_api_key(name, granted)
    click.echo(f"Created key {record.key_id} ({', '.join(sorted(s.value for s in granted))}). Store it now:")
    click.echo(token)


@keys.command("list")
@database_option
def keys_list(database_url: str | None) -> None:
    """List keys (never their secrets)."""
    service = open_service(settings_from_env(database_url=database_url))
    for k in service.list_api_keys():
        state = "active" if k.active else f"revoked {k.revoked_at:%Y-%m-%d}"
        scopes = ",".join(sorted(s.value for s in k.scopes))
        click.echo(f"{k.key_id}  {k.name:<24} {scopes:<20} {state}")


@keys.command("revoke")
@click.argument("key_id")
@database_option
def keys_revoke(key_id: str, database_url: str | None) -> None:
    """Revoke a key at once."""
    service = open_service(settings_from_env(database_url=database_url))
    try:
        service.revoke_api_key(key_id)
    except NotFound:
        raise click.ClickException(f"no key {key_id!r}") from None
    click.echo(f"Revoked {key_id}.")
