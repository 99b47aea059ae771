"""``childguard scan``: one verdict per conversation for a JSON Lines export, offline."""

from __future__ import annotations

import io
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from childguard.cli.common import engine_from, policy_option, settings_from_env
from childguard.domain import NO_CATEGORY, Verdict
from childguard.interchange import LineError, StrictModeError, load_conversations

MAX_ERRORS_SHOWN = 50


@click.command()
@click.argument("input_path", metavar="INPUT.jsonl", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=Path("-"),
    show_default=True,
    help="Where to write verdicts (JSON Lines); '-' is standard output.",
)
@click.option("--strict", is_flag=True, help="Stop at the first malformed line.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on when stderr is a terminal).")
@policy_option
def scan(input_path: Path, output: Path, strict: bool, progress: bool | None, policy: tuple[Path, ...]) -> None:
    """Scan a conversation export and write one verdict per conversation.

    Reads accounts and messages in the interchange format (docs/interchange.md) from
    INPUT.jsonl ('-' for standard input), in any order. Bad lines are reported with their
    line number and field; the rest is scanned and the exit status is 1. With --strict the
    scan stops at the first bad line (exit status 2).
    """
    err = Console(stderr=True)
    engine = engine_from(settings_from_env(policy=policy))
    errors: list[LineError] = []
    try:
        with _open_in(input_path) as fh:
            conversations = load_conversations(fh, errors, strict=strict)
    except StrictModeError as exc:
        err.print(f"[red]error:[/red] {exc.error}")
        sys.exit(2)
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{input_path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise click.ClickException(f"cannot read {input_path}: {exc.strerror or exc}") from None

    n_conversations = len(conversations.messages)
    show = progress if progress is not None else err.is_terminal
    verdicts: list[Verdict] = []
    with Progress(
        TextColumn("scanning"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("conversations"),
        TimeElapsedColumn(),
        console=err,
        disable=not show,
        transient=True,
    ) as bar:
        task = bar.add_task("scan", total=n_conversations)
        try:
            with _open_out(output) as out:
                for conversation in conversations.conversations():
                    verdict = engine.scan(conversation)
                    verdicts.append(verdict)
                    out.write(json.dumps(verdict.to_dict(), ensure_ascii=False) + "\n")
                    bar.advance(task)
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None

    _summary(err, verdicts, conversations.message_count)
    if errors:
        err.print(f"[red]{len(errors)} bad line(s)[/red] were skipped:")
        for e in errors[:MAX_ERRORS_SHOWN]:
            err.print(f"  {e}", markup=False, highlight=False)
        if len(errors) > MAX_ERRORS_SHOWN:
            err.print(f"  ... and {len(errors) - MAX_ERRORS_SHOWN} more")
        sys.exit(1)


def _summary(console: Console, verdicts: list[Verdict], messages: int) -> None:
    """Flagged conversations per category, on standard error so verdicts can be piped."""
    counts = Counter(v.category for v in verdicts if v.flagged)
    console.print(f"Scanned {len(verdicts)} conversations, {messages} messages.")
    table = Table()
    table.add_column("category")
    table.add_column("flagged", justify="right")
    for category, n in counts.most_common():
        table.add_row(category, str(n))
    table.add_row(NO_CATEGORY, str(sum(1 for v in verdicts if not v.flagged)), style="dim")
    console.print(table)


class _Stdin:
    def __enter__(self) -> TextIO:
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")

    def __exit__(self, *args: object) -> None:
        return None


class _Stdout:
    def __enter__(self) -> TextIO:
        return sys.stdout

    def __exit__(self, *args: object) -> None:
        sys.stdout.flush()


def _open_in(path: Path) -> _Stdin | TextIO:
    return _Stdin() if str(path) == "-" else path.open(encoding="utf-8")


def _open_out(path: Path) -> _Stdout | TextIO:
    return _Stdout() if str(path) == "-" else path.open("w", encoding="utf-8")
