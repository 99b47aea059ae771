"""Request dependencies: the service, and API-key authentication with scopes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from childguard.domain.access import ApiKey, Scope
from childguard.service import ChildGuard
from childguard.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer cgk_...`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Or the key in `X-API-Key`.")


def get_service(request: Request) -> ChildGuard:
    service: ChildGuard = request.app.state.service
    return service


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


ServiceDep = Annotated[ChildGuard, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=message, headers={"WWW-Authenticate": "Bearer"})


def require(scope: Scope) -> Callable[..., ApiKey]:
    """A dependency that admits a request carrying a valid key with ``scope`` (or admin)."""

    def check(
        service: ServiceDep,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        header: Annotated[str | None, Depends(_header)],
    ) -> ApiKey:
        token = bearer.credentials if bearer else header
        if not token:
            raise _unauthorized("an API key is required (Authorization: Bearer <key> or X-API-Key)")
        key = service.authenticate(token)
        if key is None:
            raise _unauthorized("the API key is invalid or revoked")
        if not key.allows(scope):
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"this key lacks the '{scope.value}' scope")
        return key

    return check


IngestKey = Annotated[ApiKey, Depends(require(Scope.INGEST))]
ReviewKey = Annotated[ApiKey, Depends(require(Scope.REVIEW))]
