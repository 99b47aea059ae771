from __future__ import annotations

import pytest

from tests.conftest import Api

ROUTES = [
    ("POST", "/v1/events", "ingest"),
    ("GET", "/v1/conversations/c1", "review"),
    ("GET", "/v1/cases", "review"),
    ("GET", "/v1/cases/x", "review"),
]


def call(api: Api, method: str, path: str, headers: dict[str, str]) -> int:
    body = {"type": "account", "account_id": "u1"} if method == "POST" else None
    return api.client.request(method, path, json=body, headers=headers).status_code


@pytest.mark.parametrize(("method", "path", "_scope"), ROUTES)
def test_no_key_is_401(api: Api, method: str, path: str, _scope: str) -> None:
    r = api.client.request(method, path)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path", "_scope"), ROUTES)
@pytest.mark.parametrize("token", ["cgk_nope_nope", "garbage", "cgk__"])
def test_invalid_key_is_401(api: Api, method: str, path: str, _scope: str, token: str) -> None:
    assert call(api, method, path, {"Authorization": f"Bearer {token}"}) == 401


@pytest.mark.parametrize(("method", "path", "scope"), ROUTES)
@pytest.mark.parametrize("who", ["ingest", "review", "admin"])
def test_scope_matrix(api: Api, method: str, path: str, scope: str, who: str) -> None:
    status = call(api, method, path, api.headers(who))
    if who in (scope, "admin"):
        assert status in (200, 404)
    else:
        assert status == 403


def test_x_api_key_header_works(api: Api) -> None:
    assert api.client.get("/v1/cases", headers={"X-API-Key": api.keys["review"]}).status_code == 200


def test_revoked_key_is_401(api: Api) -> None:
    key_id = api.keys["review"].split("_")[1]
    api.service.revoke_api_key(key_id)
    assert api.client.get("/v1/cases", headers=api.headers("review")).status_code == 401
