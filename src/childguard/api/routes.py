"""The /v1 HTTP routes: parse -> one service call -> response schema."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from childguard.api.deps import IngestKey, ReviewKey, ServiceDep, SettingsDep
from childguard.api.presenters import case_public, event_result_public, verdict_detail_public
from childguard.api.schemas import (
    CasePublic,
    CasesPublic,
    ErrorPublic,
    EventsIn,
    EventsPublic,
    VerdictDetailPublic,
)
from childguard.domain import CaseStatus, Event
from childguard.interchange import InvalidEvent, parse_event

router = APIRouter(prefix="/v1")

_EVENTS_BODY = {
    "requestBody": {
        "required": True,
        "description": 'One event, a JSON array of events, or {"events": [...]} (docs/interchange.md).',
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/AccountIn"},
                        {"$ref": "#/components/schemas/MessageIn"},
                        {
                            "type": "array",
                            "items": {
                                "anyOf": [
                                    {"$ref": "#/components/schemas/AccountIn"},
                                    {"$ref": "#/components/schemas/MessageIn"},
                                ]
                            },
                        },
                        {"$ref": "#/components/schemas/EventsIn"},
                    ]
                }
            }
        },
    }
}


def _field_errors(errors: list[dict[str, Any]]) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=errors)


def _parse_events(payload: Any, max_batch: int) -> list[Event]:
    if isinstance(payload, dict) and "events" in payload and "type" not in payload:
        items = payload["events"]
        if not isinstance(items, list):
            raise _field_errors([{"index": None, "field": "events", "message": "must be a list of events"}])
    elif isinstance(payload, list):
        items = payload
    elif isinstance(payload, dict):
        items = [payload]
    else:
        raise _field_errors([{"index": None, "field": "", "message": "expected an event object or a list of events"}])
    if not items:
        raise _field_errors([{"index": None, "field": "events", "message": "the batch is empty"}])
    if len(items) > max_batch:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            detail=[{"index": None, "field": "events", "message": f"at most {max_batch} events per request"}],
        )
    events: list[Event] = []
    problems: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        try:
            events.append(parse_event(item, seq=i))
        except InvalidEvent as exc:
            problems.extend({"index": i, "field": e.field, "message": e.message} for e in exc.errors)
    if problems:
        raise _field_errors(problems)
    return events


@router.post(
    "/events",
    response_model=EventsPublic,
    openapi_extra=_EVENTS_BODY,
    responses={
        401: {"model": ErrorPublic},
        403: {"model": ErrorPublic},
        409: {"model": EventsPublic},
        413: {"model": ErrorPublic},
        422: {"model": ErrorPublic},
        503: {"model": ErrorPublic},
    },
    summary="Send one event or a batch; get the decision for each",
)
async def post_events(request: Request, service: ServiceDep, settings: SettingsDep, key: IngestKey) -> Any:
    """Every event is validated first; if any is invalid nothing is stored and each problem names its
    index and field (422). Valid events are stored durably before the answer. A message id seen before
    returns the stored decision (`duplicate`); the same id with different content is a `conflict` (409)."""
    raw = await request.body()
    try:
        payload = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _field_errors([{"index": None, "field": "", "message": f"the body is not valid JSON: {exc}"}]) from None
    events = _parse_events(payload, settings.max_batch)
    results = await run_in_threadpool(service.ingest, events, actor=f"api_key:{key.key_id}")
    body = {"results": [event_result_public(r) for r in results]}
    if any(r.status == "conflict" for r in results):
        return JSONResponse(status_code=status.HTTP_409_CONFLICT, content=body)
    return body


@router.get(
    "/conversations/{conversation_id}",
    response_model=VerdictDetailPublic,
    responses={401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}, 404: {"model": ErrorPublic}},
    summary="A conversation's current risk, evidence and stage timeline",
)
def get_conversation(conversation_id: str, service: ServiceDep, key: ReviewKey) -> Any:
    verdict = service.conversation_verdict(conversation_id)
    if verdict is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no conversation {conversation_id!r}")
    return verdict_detail_public(verdict, service.active_case_id(conversation_id))


@router.get(
    "/cases",
    response_model=CasesPublic,
    responses={401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}, 422: {"model": ErrorPublic}},
    summary="Cases for review, most urgent first",
)
def list_cases(
    service: ServiceDep,
    key: ReviewKey,
    status_: Annotated[
        list[CaseStatus] | None,
        Query(alias="status", description="Filter by status (repeatable). Default: open, in_review, escalated."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    statuses = status_ or [CaseStatus.OPEN, CaseStatus.IN_REVIEW, CaseStatus.ESCALATED]
    cases, total = service.list_cases(statuses=statuses, limit=limit, offset=offset)
    return {"cases": [case_public(c) for c in cases], "total": total, "limit": limit, "offset": offset}


@router.get(
    "/cases/{case_id}",
    response_model=CasePublic,
    responses={401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}, 404: {"model": ErrorPublic}},
    summary="One case",
)
def get_case(case_id: str, service: ServiceDep, key: ReviewKey) -> Any:
    case = service.get_case(case_id)
    if case is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no case {case_id!r}")
    return case_public(case)


__all__ = ["EventsIn", "router"]
