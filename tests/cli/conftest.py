from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner with its own data dir and none of the developer's store, policy or encoder settings."""
    monkeypatch.setenv("CHILDGUARD_DATA_DIR", str(tmp_path / "data"))
    for name in ("CHILDGUARD_DATABASE_URL", "CHILDGUARD_POLICY", "CHILDGUARD_EXEMPLARS"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()
