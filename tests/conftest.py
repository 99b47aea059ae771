from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from childguard.api.app import create_app
from childguard.domain.access import Scope
from childguard.service import ChildGuard
from childguard.settings import Settings
from childguard.storage import open_store


@dataclass
class Api:
    client: TestClient
    service: ChildGuard
    keys: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """The real app over a SQLite file, with one key per scope."""
    settings = Settings(data_dir=tmp_path, max_batch=50, max_body_bytes=200_000)
    store = open_store(settings.resolved_database_url)
    service = ChildGuard(store)
    keys = {}
    for scope in Scope:
        _, keys[scope.value] = service.create_api_key(scope.value, frozenset({scope}))
    app = create_app(settings, service=service)
    with TestClient(app) as client:
        yield Api(client, service, keys)
    store.close()
