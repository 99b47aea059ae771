"""``childguard audit``: check the tamper-evident audit log."""

from __future__ import annotations

import sys

import click

from childguard.cli.common import database_option, open_service, settings_from_env


@click.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
@database_option
def audit_verify(database_url: str | None) -> None:
    """Check the hash chain: any edited, removed or reordered entry is reported (exit status 1)."""
    service = open_service(settings_from_env(database_url=database_url))
    count, problems = service.verify_audit()
    if problems:
        for p in problems:
            click.echo(f"entry {p.seq}: {p.problem}", err=True)
        click.echo(f"Audit log BROKEN: {len(problems)} problem(s) in {count} entries.", err=True)
        sys.exit(1)
    click.echo(f"Audit log intact: {count} entries, chain verified.")
