"""The ``childguard`` command. Subcommands are noun-first: ``childguard policy validate``."""

from __future__ import annotations

import click

from childguard import __version__
from childguard.cli.audit import audit
from childguard.cli.db import db
from childguard.cli.demo import demo
from childguard.cli.eval import eval_command
from childguard.cli.exemplars import exemplars
from childguard.cli.keys import keys
from childguard.cli.policy import policy
from childguard.cli.scan import scan
from childguard.cli.serve import serve
from childguard.cli.train import train


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="childguard")
def cli() -> None:
    """childguard: detect risks to children in conversations, decide by policy, and review cases."""


for command in (scan, serve, demo, keys, policy, audit, db, eval_command, train, exemplars):
    cli.add_command(command)


def main() -> None:
    cli()
