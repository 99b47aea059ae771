"""Exemplars over HTTP: reviewers' decisions fed back to detection. Parse -> one service call -> response."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from childguard.api.deps import ReviewKey, ServiceDep
from childguard.api.schemas import ErrorPublic
from childguard.domain import Category
from childguard.domain.exemplars import MAX_EXEMPLAR_CHARS, Exemplar, ExemplarLabel, InvalidExemplar
from childguard.service import ConflictingReplay, ExemplarInput
from childguard.storage.errors import NotFound

router = APIRouter(prefix="/v1", tags=["exemplars"])


class ExemplarIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_EXEMPLAR_CHARS)
    category: Category
    label: ExemplarLabel = Field(
        description="harmful: confirmed harm; benign: a look-alike that is not (a false alarm)"
    )
    id: str | None = Field(default=None, min_length=1, max_length=256, description="Yours; a replay is not re-added")
    note: str = Field(default="", max_length=200)
    language: str = Field(default="", max_length=16, description="ISO 639-1; identified when left out")


class ExemplarsIn(BaseModel):
    exemplars: list[ExemplarIn] = Field(min_length=1, max_length=1000)


class CaseExemplarsIn(BaseModel):
    label: ExemplarLabel


class ExemplarPublic(BaseModel):
    exemplar_id: str
    seq: int
    text: str
    category: str
    label: str
    language: str
    source: str
    note: str
    case_id: str | None
    message_id: str | None
    added_by: str
    added_at: str | None


class ExemplarsPublic(BaseModel):
    index_version: int
    exemplars: list[ExemplarPublic]


class ExemplarIndexPublic(BaseModel):
    enabled: bool
    encoder: str | None
    index_version: int
    indexed: int
    stored: int
    counts: dict[str, dict[str, int]]
    exemplars: list[ExemplarPublic]


def exemplar_public(e: Exemplar) -> dict[str, Any]:
    return {
        "exemplar_id": e.exemplar_id,
        "seq": e.seq,
        "text": e.text,
        "category": e.category.value,
        "label": e.label.value,
        "language": e.language,
        "source": e.source,
        "note": e.note,
        "case_id": e.case_id,
        "message_id": e.message_id,
        "added_by": e.added_by,
        "added_at": e.added_at.isoformat() if e.added_at else None,
    }


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic},
    403: {"model": ErrorPublic},
    409: {"model": ErrorPublic},
    422: {"model": ErrorPublic},
}


@router.post(
    "/exemplars",
    response_model=ExemplarsPublic,
    status_code=status.HTTP_201_CREATED,
    responses=_ERRORS,
    summary="Add exemplars: messages confirmed harmful, or look-alikes confirmed benign",
)
async def post_exemplars(body: ExemplarsIn, service: ServiceDep, key: ReviewKey) -> Any:
    """Stored, audited, and compared with every message from then on (the index version goes up).
    An `id` already stored with the same content is returned as it is; with other content, 409."""
    items = [
        ExemplarInput(
            text=e.text,
            category=e.category,
            label=e.label,
            exemplar_id=e.id,
            note=e.note,
            language=e.language,
        )
        for e in body.exemplars
    ]
    try:
        added = await run_in_threadpool(service.add_exemplars, items, actor=f"api:{key.key_id}", source="api")
    except ConflictingReplay as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc)) from None
    except InvalidExemplar as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from None
    return {"index_version": service.exemplar_status().index_version, "exemplars": [exemplar_public(e) for e in added]}


@router.post(
    "/cases/{case_id}/exemplars",
    response_model=ExemplarsPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**_ERRORS, 404: {"model": ErrorPublic}},
    summary="Feed a reviewed case back: its evidence messages become exemplars",
)
async def post_case_exemplars(case_id: str, body: CaseExemplarsIn, service: ServiceDep, key: ReviewKey) -> Any:
    """`harmful` when the reviewer confirmed the case, `benign` when it was a false alarm. Each evidence
    message becomes an exemplar of the category it was evidence of; repeating the call adds nothing."""
    try:
        added = await run_in_threadpool(service.add_case_exemplars, case_id, body.label, actor=f"api:{key.key_id}")
    except NotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from None
    return {"index_version": service.exemplar_status().index_version, "exemplars": [exemplar_public(e) for e in added]}


@router.get(
    "/exemplars",
    response_model=ExemplarIndexPublic,
    responses={401: {"model": ErrorPublic}, 403: {"model": ErrorPublic}, 422: {"model": ErrorPublic}},
    summary="The exemplar index (encoder, version, counts) and the stored exemplars after a version",
)
def get_exemplars(
    service: ServiceDep,
    key: ReviewKey,
    after: Annotated[int, Query(ge=0, description="Only exemplars with seq above this")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    state = service.exemplar_status()
    return {
        "enabled": state.enabled,
        "encoder": state.encoder,
        "index_version": state.index_version,
        "indexed": state.exemplars,
        "stored": state.stored,
        "counts": state.counts,
        "exemplars": [exemplar_public(e) for e in service.list_exemplars(after_seq=after, limit=limit)],
    }
