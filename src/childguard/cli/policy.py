"""``childguard policy``: validate policy packs and explain which rules fire."""

from __future__ import annotations

from pathlib import Path

import click

from childguard.cli.common import database_option, engine_from, open_service, policy_option, settings_from_env
from childguard.detectors.registry import default_registry
from childguard.domain import Conversation
from childguard.engine import explain_rules
from childguard.interchange import LineError, load_conversations
from childguard.policy import PolicyError, load_policy


@click.group()
def policy() -> None:
    """Policy packs."""


@policy.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def policy_validate(paths: tuple[Path, ...]) -> None:
    """Validate policy files; every problem is printed as file:line: message (exit status 1)."""
    try:
        loaded = load_policy(list(paths), default_registry())
    except PolicyError as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        raise SystemExit(1) from None
    click.echo(f"OK: policy {loaded.name!r} version {loaded.version}, {len(loaded.rules)} rules.")


@policy.command("explain")
@click.option("--conversation", "conversation_id", help="The conversation to explain (default: every one in INPUT).")
@click.argument(
    "input_path", metavar="[INPUT.jsonl]", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@policy_option
@database_option
def policy_explain(
    conversation_id: str | None, input_path: Path | None, policy: tuple[Path, ...], database_url: str | None
) -> None:
    """Show which rules fire for a conversation, on which signals, and what they do.

    Reads the conversation from INPUT.jsonl when given, else from the store.
    """
    settings = settings_from_env(database_url=database_url, policy=policy)
    engine = engine_from(settings)
    conversations: list[Conversation]
    if input_path is not None:
        errors: list[LineError] = []
        with input_path.open(encoding="utf-8") as fh:
            loaded = load_conversations(fh, errors)
        for e in errors:
            click.echo(f"skipped {e}", err=True)
        conversations = [c for c in loaded.conversations() if conversation_id in (None, c.conversation_id)]
    else:
        if conversation_id is None:
            raise click.UsageError("give INPUT.jsonl or --conversation ID (read from the store)")
        found = open_service(settings).conversation(conversation_id)
        conversations = [found] if found is not None else []
    if not conversations:
        raise click.ClickException(f"no conversation {conversation_id!r}")
    for conv in conversations:
        assessment = engine.assess(conv)
        verdict = engine.verdict(assessment, engine.decide(assessment))
        click.secho(f"{conv.conversation_id}: {verdict.category} (risk {verdict.risk_score:.2f})", bold=True)
        click.echo(f"  {verdict.explanation}")
        for s in assessment.conversation_signals:
            flag = "flagged" if s.flagged else "below threshold"
            click.echo(f"  signal {s.detector}/{s.category.value} {s.score:.2f} ({flag})")
        for outcome in explain_rules(engine, assessment):
            mark = click.style("FIRED", fg="red") if outcome.fired else click.style("-    ", dim=True)
            click.echo(f"  {mark} {outcome.name}  [{outcome.location}]")
            if outcome.fired:
                on = ", ".join(f"{s.category.value} {s.score:.2f}" for s in outcome.signals)
                click.echo(f"        on {on} -> {', '.join(outcome.actions)}")
