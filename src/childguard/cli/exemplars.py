"""``childguard exemplars``: the exemplar index, fed by reviewers, versioned, rebuilt from its seed."""

from __future__ import annotations

import json
from pathlib import Path

import click

from childguard.cli.common import database_option, open_service, settings_from_env
from childguard.detectors.exemplars import artifact
from childguard.detectors.exemplars.encoders import ENCODERS, EncoderUnavailable, encoder_by_name
from childguard.domain import Category
from childguard.domain.exemplars import ExemplarLabel, InvalidExemplar
from childguard.service import ConflictingReplay, ExemplarInput
from childguard.storage import codec
from childguard.storage.errors import NotFound

_CATEGORIES = [c.value for c in Category]
_LABELS = [label.value for label in ExemplarLabel]


@click.group()
def exemplars() -> None:
    """Add, list and export exemplars; show the index; build the shipped index artifact."""


@exemplars.command("add")
@click.option("--text", help="The example message.")
@click.option("--category", type=click.Choice(_CATEGORIES), help="The category it is (harmful) or resembles (benign).")
@click.option("--label", type=click.Choice(_LABELS), required=True, help="harmful: confirmed; benign: a false alarm.")
@click.option("--from-case", "case_id", help="Take the evidence messages of this case instead of --text.")
@click.option("--note", default="", help="A few words on what it shows (shown to reviewers as the nearest example).")
@click.option("--language", default="", help="ISO 639-1 code; identified from the text when left out.")
@click.option("--id", "exemplar_id", default=None, help="Your id for it (replays are not added twice).")
@click.option("--actor", default="cli", help="Who adds it, for the audit log.")
@database_option
def exemplars_add(
    text: str | None,
    category: str | None,
    label: str,
    case_id: str | None,
    note: str,
    language: str,
    exemplar_id: str | None,
    actor: str,
    database_url: str | None,
) -> None:
    """Add one exemplar, or a case's evidence messages (--from-case). Used from the next message on."""
    service = open_service(settings_from_env(database_url=database_url))
    try:
        if case_id is not None:
            if text is not None:
                raise click.UsageError("give --text or --from-case, not both")
            added = service.add_case_exemplars(case_id, ExemplarLabel(label), actor=actor)
        else:
            if text is None or category is None:
                raise click.UsageError("--text and --category are required without --from-case")
            item = ExemplarInput(
                text=text,
                category=Category(category),
                label=ExemplarLabel(label),
                exemplar_id=exemplar_id,
                note=note,
                language=language,
            )
            added = service.add_exemplars([item], actor=actor, source="cli")
    except (NotFound, InvalidExemplar, ConflictingReplay) as exc:
        raise click.ClickException(str(exc)) from None
    for e in added:
        click.echo(f"{e.exemplar_id}  seq {e.seq}  {e.label.value} {e.category.value}  {_short(e.text)}")
    _warn_if_disabled(service.exemplar_status().enabled)


@exemplars.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default="cli", help="Who adds them, for the audit log.")
@database_option
def exemplars_import(path: Path, actor: str, database_url: str | None) -> None:
    """Add the exemplars of a JSON Lines file: text, category, label (and optional id, note, language).

    The whole file is checked first; an error names its line and field and nothing is added.
    """
    items: list[ExemplarInput] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            items.append(_parse_line(f"{path.name}:{n}", line))
    service = open_service(settings_from_env(database_url=database_url))
    try:
        added = service.add_exemplars(items, actor=actor, source="cli")
    except (InvalidExemplar, ConflictingReplay) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{len(added)} exemplars stored; index version {service.exemplar_status().index_version}")


def _parse_line(where: str, line: str) -> ExemplarInput:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{where}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise click.ClickException(f"{where}: expected a JSON object")
    for key in ("text", "category", "label"):
        if not isinstance(data.get(key), str):
            raise click.ClickException(f"{where}: field {key!r} must be a string")
    for key in ("id", "note", "language"):
        if key in data and not isinstance(data[key], str):
            raise click.ClickException(f"{where}: field {key!r} must be a string")
    if data["category"] not in _CATEGORIES:
        raise click.ClickException(f"{where}: field 'category': {data['category']!r} is not one of {_CATEGORIES}")
    if data["label"] not in _LABELS:
        raise click.ClickException(f"{where}: field 'label': {data['label']!r} is not one of {_LABELS}")
    item = ExemplarInput(
        text=data["text"],
        category=Category(data["category"]),
        label=ExemplarLabel(data["label"]),
        exemplar_id=data.get("id"),
        note=data.get("note", ""),
        language=data.get("language", ""),
    )
    try:
        item.to_exemplar(now=codec.datetime_from_json("2000-01-01T00:00:00+00:00"), actor="", source="")
    except InvalidExemplar as exc:
        raise click.ClickException(f"{where}: {exc}") from None
    return item


@exemplars.command("list")
@click.option("--after", "after_seq", type=int, default=0, help="Only exemplars with seq above this version.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print full records as JSON Lines (an export).")
@database_option
def exemplars_list(after_seq: int, as_jsonl: bool, database_url: str | None) -> None:
    """The stored exemplars (not the shipped seed), oldest first."""
    service = open_service(settings_from_env(database_url=database_url))
    after = after_seq
    while batch := service.list_exemplars(after_seq=after, limit=1000):
        for e in batch:
            if as_jsonl:
                click.echo(json.dumps(codec.exemplar_to_json(e), ensure_ascii=False))
            else:
                click.echo(f"{e.seq:>6}  {e.exemplar_id}  {e.label.value:<7} {e.category.value:<17} {_short(e.text)}")
        after = batch[-1].seq


@exemplars.command("status")
@database_option
def exemplars_status(database_url: str | None) -> None:
    """The exemplar detector: encoder, index version and counts per category."""
    service = open_service(settings_from_env(database_url=database_url))
    status = service.exemplar_status()
    if not status.enabled:
        click.echo(f"exemplar detector: off (CHILDGUARD_EXEMPLARS=off); {status.stored} exemplars stored")
        return
    click.echo(
        f"encoder {status.encoder}; index version {status.index_version}; "
        f"{status.exemplars} exemplars ({status.stored} stored, the rest shipped)"
    )
    for category, counts in sorted(status.counts.items()):
        click.echo(f"  {category:<18} harmful {counts['harmful']:>5}  benign {counts['benign']:>5}")


@exemplars.command("build")
@click.option("--encoder", "encoder_name", type=click.Choice(sorted(ENCODERS)), required=True)
@click.option(
    "--seed",
    "seed_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of *.jsonl seed exemplars (default: the shipped seed).",
)
@click.option(
    "--negatives",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    help="Ordinary chat for calibration: .txt lines or the label-0 rows of a .csv (repeatable).",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def exemplars_build(encoder_name: str, seed_dir: Path | None, negatives: tuple[Path, ...], out: Path) -> None:
    """Calibrate an exemplar index on a seed folder and write its artifact (see training/README.md)."""
    try:
        encoder = encoder_by_name(encoder_name)
        seed = artifact.read_seed(seed_dir or artifact.shipped_seed_dir())
        lines = [t for p in negatives for t in artifact.read_negatives(p)]
    except (EncoderUnavailable, artifact.ExemplarArtifactError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"encoding {len(seed)} exemplars and {len(lines)} calibration lines with {encoder_name} ...", err=True)
    index = artifact.build(encoder, seed, lines, out, sources=[str(p) for p in negatives])
    click.echo(f"wrote {out}: {len(index)} exemplars, calibrated categories: {', '.join(sorted(index.calibrations))}")


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _warn_if_disabled(enabled: bool) -> None:
    if not enabled:
        click.echo("note: the exemplar detector is off (CHILDGUARD_EXEMPLARS=off); stored for later.", err=True)
