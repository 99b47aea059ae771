"""The FastAPI application factory. Nothing is built at import time: ``create_app(settings)``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from childguard import __version__
from childguard.api.exemplars import router as exemplars_router
from childguard.api.moderation import router as moderation_router
from childguard.api.routes import router
from childguard.api.schemas import HealthPublic
from childguard.service import ChildGuard
from childguard.settings import Settings
from childguard.storage.errors import StorageError, StorageUnavailable


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0
        refused = False

        async def limited() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    refused = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = (f'{{"detail":"the request body is larger than {self.limit} bytes"}}').encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def create_app(settings: Settings, *, service: ChildGuard | None = None) -> FastAPI:
    """Build the API and console. ``service`` may be given (tests, the CLI); else it is built from settings."""
    if service is None:
        from childguard.bootstrap import build_service

        service = build_service(settings)
    app = FastAPI(
        title="childguard",
        version=__version__,
        description="Child online protection engine: send events, get decisions; review cases.",
    )
    app.state.settings = settings
    app.state.service = service
    app.include_router(router)
    app.include_router(moderation_router)
    app.include_router(exemplars_router)

    from childguard.console.routes import mount_console

    mount_console(app)

    @app.get("/healthz", response_model=HealthPublic, tags=["health"], summary="The process is up")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        response_model=HealthPublic,
        tags=["health"],
        summary="The store answers",
        responses={503: {"model": HealthPublic}},
    )
    def readyz() -> Any:
        try:
            service.list_cases(limit=1)
        except StorageError:
            return JSONResponse(status_code=503, content={"status": "store unavailable"})
        return {"status": "ready"}

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {
                "index": None,
                "field": ".".join(str(p) for p in e["loc"] if p not in ("query", "path", "body")),
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
        return JSONResponse(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": detail})

    @app.exception_handler(StorageUnavailable)
    async def unavailable(request: Request, exc: StorageUnavailable) -> JSONResponse:
        return JSONResponse(
            status_code=503, content={"detail": "the store is unavailable; retry later"}, headers={"Retry-After": "5"}
        )

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    _document_request_schemas(app)
    return app


def _document_request_schemas(app: FastAPI) -> None:
    """Add the request models of routes that read their body themselves to the OpenAPI components."""
    from fastapi.openapi.utils import get_openapi
    from pydantic import TypeAdapter

    from childguard.api.schemas import EventsIn, ModerationIn

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            components = spec.setdefault("components", {}).setdefault("schemas", {})
            for model in (EventsIn, ModerationIn):
                schema = TypeAdapter(model).json_schema(ref_template="#/components/schemas/{model}")
                components.update(schema.pop("$defs", {}))
                components[model.__name__] = schema
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
