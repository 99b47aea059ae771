"""The real `childguard serve --demo` process, over HTTP: the path a new user takes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def _get(url: str, key: str | None = None) -> tuple[int, object]:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"} if key else {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_demo_has_a_non_empty_queue(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "CHILDGUARD_DATA_DIR": str(tmp_path)}
    env.pop("CHILDGUARD_DATABASE_URL", None)
    exe = Path(sys.executable).parent / "childguard"
    proc = subprocess.Popen(
        [str(exe), "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"serve exited with {proc.returncode}:\n{proc.communicate()[0]}")
            try:
                if _get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("serve did not start")
        key = (tmp_path / "demo-api-key").read_text(encoding="utf-8").strip()
        status, cases = _get(f"http://127.0.0.1:{port}/v1/cases", key)
        assert status == 200 and isinstance(cases, dict)
        assert cases["total"] >= 7
        assert cases["cases"][0]["priority"] == "p0"
        assert _get(f"http://127.0.0.1:{port}/v1/cases")[0] == 401
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "Demo API key" in out
