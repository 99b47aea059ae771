"""``childguard serve``: the HTTP API and the reviewer console."""

from __future__ import annotations

from pathlib import Path

import click

from childguard.cli.common import database_option, open_service, policy_option, settings_from_env
from childguard.cli.demo import ensure_demo_key, load_demo


@click.command()
@click.option("--host", envvar="CHILDGUARD_HOST", default="127.0.0.1", show_default=True)
@click.option("--port", envvar="CHILDGUARD_PORT", default=8000, type=int, show_default=True)
@click.option("--demo", is_flag=True, help="Load the bundled demo data and print a demo API key first.")
@database_option
@policy_option
def serve(host: str, port: int, demo: bool, database_url: str | None, policy: tuple[Path, ...]) -> None:
    """Start the HTTP API (OpenAPI at /docs) and the reviewer console (/console)."""
    import uvicorn

    from childguard.api.app import create_app

    settings = settings_from_env(database_url=database_url, policy=policy)
    service = open_service(settings)
    recovered = service.process_pending()
    if recovered:
        click.echo(f"Decided {recovered} message(s) that were stored but not yet decided.")
    if demo:
        loaded = load_demo(service)
        click.echo(f"Demo data: {loaded.accepted} new event(s), {loaded.duplicates} already loaded.")
        token, path = ensure_demo_key(service, settings.data_dir)
        click.echo(f"Demo API key (admin; also in {path}):\n  {token}")
        click.echo(f"Reviewer console: http://{host}:{port}/console  (sign in with the key above)")
    click.echo(f"API docs: http://{host}:{port}/docs")
    app = create_app(settings, service=service)
    uvicorn.run(app, host=host, port=port, log_level="info")
