"""``childguard eval``: precision, recall, F1, F0.5 and ROC-AUC on the evaluation data."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from childguard.cli.common import engine_from, policy_option, settings_from_env
from childguard.evaluation.runner import DATASETS, Report, earliness_summary, run

NAMES = [*DATASETS, "suite"]


def _default(path: str) -> Path | None:
    p = Path(path)
    return p if p.exists() else None


@click.command("eval")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the public data sets (default: ../shared/data when it exists).",
)
@click.option(
    "--suite",
    "suite_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the conversation suite (default: eval/suite when it exists).",
)
@click.option("--only", multiple=True, type=click.Choice(NAMES), help="Evaluate only these (repeatable).")
@click.option("--limit", type=int, default=None, help="At most this many items per data set (quick runs).")
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the figures as JSON.",
)
@policy_option
def eval_command(
    data_dir: Path | None,
    suite_dir: Path | None,
    only: tuple[str, ...],
    limit: int | None,
    json_out: Path | None,
    policy: tuple[Path, ...],
) -> None:
    """Measure detection on the public data sets and on the conversation suite.

    Prints precision, recall, F1, F0.5 and ROC-AUC per data set and category, macro-F1 for
    the abuse sets, false alarms on the suite's benign conversations, and how early grooming
    is flagged. See docs/evaluation.md for what each figure means.
    """
    engine = engine_from(settings_from_env(policy=policy))
    report = run(
        engine,
        data_dir=data_dir or _default("../shared/data"),
        suite_dir=suite_dir or _default("eval/suite"),
        only=only,
        limit=limit,
    )
    console = Console()
    if not console.is_terminal:
        console = Console(width=140)
    _print(console, report)
    if json_out is not None:
        json_out.write_text(json.dumps(as_json(report), indent=2) + "\n", encoding="utf-8")


def as_json(report: Report) -> dict[str, object]:
    return {
        "rows": [
            {
                "dataset": r.dataset,
                "task": r.task,
                "n": r.scores.tp + r.scores.fp + r.scores.fn + r.scores.tn,
                "support": r.scores.support,
                "precision": round(r.scores.precision, 4),
                "recall": round(r.scores.recall, 4),
                "f1": round(r.scores.f1, 4),
                "f05": round(r.scores.f05, 4),
                "auc": None if r.scores.auc is None else round(r.scores.auc, 4),
                "macro_f1": round(r.scores.macro_f1, 4),
                "note": r.note,
            }
            for r in report.rows
        ],
        "suite_false_alarms": report.false_alarms,
        "suite_benign": report.benign_total,
        "grooming_earliness": [round(x, 4) for x in report.grooming_earliness],
        "skipped": report.skipped,
    }


def _print(console: Console, report: Report) -> None:
    table = Table(title="childguard eval")
    for col in ("data set", "task", "n", "pos", "precision", "recall", "F1", "F0.5", "ROC-AUC", "macro-F1"):
        table.add_column(col, justify="left" if col in ("data set", "task") else "right")
    for r in report.rows:
        s = r.scores
        table.add_row(
            r.dataset,
            r.task,
            str(s.tp + s.fp + s.fn + s.tn),
            str(s.support),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            f"{s.f05:.3f}",
            "-" if s.auc is None else f"{s.auc:.3f}",
            f"{s.macro_f1:.3f}",
        )
    console.print(table)
    for r in report.rows:
        if r.note:
            console.print(f"{r.dataset} {r.task}: {r.note}", markup=False)
    if report.benign_total:
        console.print(
            f"Suite: {len(report.false_alarms)} false alarm(s) on {report.benign_total} benign conversations."
        )
        for fa in report.false_alarms:
            console.print(f"  false alarm: {fa}", markup=False)
        console.print(f"Grooming flagged early: {earliness_summary(report.grooming_earliness)}.")
    for skipped in report.skipped:
        console.print(f"skipped {skipped}", markup=False)
