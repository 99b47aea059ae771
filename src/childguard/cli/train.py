"""``childguard train``: fit a text head on labelled examples (the shipped ones, or a platform's own)."""

from __future__ import annotations

from pathlib import Path

import click

from childguard.detectors.textmodel import DEFAULT_BITS

HEADS = {
    "abuse": "abusive language in a single message (insults, harassment, threats)",
    "grooming": "grooming in a window of chat (several messages of both sides joined)",
}


def _parse_data(spec: str) -> tuple[Path, dict[str, str]]:
    path, _, options = spec.partition("#")
    opts: dict[str, str] = {}
    for part in filter(None, options.split(",")):
        key, eq, value = part.partition("=")
        if not eq or key not in ("text", "label", "positive", "weight"):
            raise click.BadParameter(
                f"{part!r}: options are text=COLUMN, label=COLUMN, positive=V1|V2, weight=NUMBER", param_hint="--data"
            )
        opts[key] = value
    p = Path(path)
    if not p.is_file():
        raise click.BadParameter(f"no file {path!r}", param_hint="--data")
    return p, opts


def _weight(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 100:
        raise click.BadParameter(f"weight={raw!r} must be a number in (0, 100]", param_hint="--data")
    return value


@click.command("train")
@click.argument("head", type=click.Choice(sorted(HEADS)))
@click.option(
    "--data",
    "data",
    multiple=True,
    required=True,
    help="A .csv or .jsonl of labelled texts (repeatable). Columns default to text and label (1 = positive); "
    "override per file: 'FILE#text=tweet,label=class,positive=0|1,weight=2'.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Where to write the model.")
@click.option("--version", "version", default="1", show_default=True, help="Version recorded in the model.")
@click.option(
    "--bits", type=click.IntRange(12, 22), default=DEFAULT_BITS, show_default=True, help="Hash size (2**bits)."
)
def train(head: str, data: tuple[str, ...], out: Path, version: str, bits: int) -> None:
    """Train a head (abuse: abusive language in one message) and write it to --out.

    Point CHILDGUARD_ABUSE_MODEL at the file to use it instead of the shipped model.
    """
    try:
        from childguard.training.text import TrainingDataError, read_examples, train_text_model
    except ImportError as exc:
        raise click.ClickException(f"training needs the train extra: pip install 'childguard[train]' ({exc})") from None
    examples = []
    try:
        for spec in data:
            path, opts = _parse_data(spec)
            examples.extend(
                read_examples(
                    path,
                    text_field=opts.get("text", "text"),
                    label_field=opts.get("label", "label"),
                    positive=tuple(opts.get("positive", "1|1.0|true").split("|")),
                    weight=_weight(opts.get("weight", "1")),
                )
            )
        result = train_text_model(examples, name=head, version=version, bits=bits)
    except TrainingDataError as exc:
        raise click.ClickException(str(exc)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    result.model.save(out)
    s = result.held_out
    click.echo(
        f"Trained {head} v{version} on {result.examples} examples ({result.positives} positive) -> {out}\n"
        f"Held-out 10%: precision {s.precision:.3f}, recall {s.recall:.3f}, F0.5 {s.f05:.3f}, "
        f"ROC-AUC {s.auc or 0:.3f} at threshold {result.model.threshold:.2f}"
    )
