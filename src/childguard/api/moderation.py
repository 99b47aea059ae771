"""``POST /v1/moderations``: OpenAI's moderation API, answered by childguard. Parse -> one service call -> response.

The mapping from our categories to OpenAI's lives in ``childguard.moderation`` (pure, tested
on its own); this module only speaks HTTP.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from starlette.concurrency import run_in_threadpool

from childguard import __version__
from childguard.api.deps import IngestKey, ServiceDep
from childguard.api.schemas import ErrorPublic, ModerationsPublic
from childguard.ids import new_id
from childguard.moderation import InvalidModerationRequest, parse_request

router = APIRouter(prefix="/v1")

#: The model name every answer carries: what judged, not what the caller asked for.
MODEL = f"childguard-{__version__}"

_BODY = {
    "requestBody": {
        "required": True,
        "description": "OpenAI's moderation request, plus childguard's optional `audience` (docs/api.md).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ModerationIn"}}},
    }
}


@router.post(
    "/moderations",
    response_model=ModerationsPublic,
    openapi_extra=_BODY,
    responses={
        401: {"model": ErrorPublic},
        403: {"model": ErrorPublic},
        413: {"model": ErrorPublic},
        422: {"model": ErrorPublic},
    },
    summary="OpenAI-compatible moderation of texts an AI sends to a reader (nothing is stored)",
    tags=["moderation"],
)
async def post_moderations(request: Request, service: ServiceDep, key: IngestKey) -> Any:
    """Each input is judged as one message from the AI (an adult service account) to a reader of the
    `audience`'s age (unknown by default, never assumed adult), by the same engine as `POST /v1/events`.
    Image inputs get 422; more than 100 inputs 413; an input over 20,000 characters 422."""
    try:
        payload = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        detail = [{"index": None, "field": "", "message": f"the body is not valid JSON: {exc}"}]
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=detail) from None
    try:
        parsed = parse_request(payload)
    except InvalidModerationRequest as exc:
        code = status.HTTP_413_CONTENT_TOO_LARGE if exc.too_large else status.HTTP_422_UNPROCESSABLE_CONTENT
        raise HTTPException(
            code, [{"index": None, "field": e.field, "message": e.message} for e in exc.errors]
        ) from None
    results = await run_in_threadpool(service.moderate, parsed.texts, parsed.audience)
    return {
        "id": new_id("modr").replace("_", "-", 1),
        "model": MODEL,
        "results": [r.to_dict() for r in results],
    }
