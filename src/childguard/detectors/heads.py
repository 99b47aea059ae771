"""Where the shipped trained heads live, and loading a head once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from childguard.detectors.textmodel import LinearTextModel


def shipped_head_path(name: str) -> Path:
    """The shipped head ``name`` (``abuse``, ``grooming``): ``detectors/models/<name>.npz``."""
    return Path(str(resources.files("childguard.detectors") / "models" / f"{name}.npz"))


@cache
def load_head(path: Path) -> LinearTextModel:
    """The head at ``path``, read once per process (heads are immutable)."""
    return LinearTextModel.load(path)
