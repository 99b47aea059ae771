"""The reviewer console: server-rendered pages over the service. No business logic here.

Sign-in takes an API key with the ``review`` scope and opens a server-side session
(the cookie holds a random token; the store keeps only its hash). Every form carries
a CSRF token. Viewing a case is audited by the service.
"""

from __future__ import annotations

import datetime as dt
import secrets
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from childguard.api.deps import ServiceDep, SettingsDep
from childguard.domain import CaseStatus
from childguard.domain.access import ConsoleSession
from childguard.storage.errors import NotFound

SESSION_COOKIE = "cg_session"
LOGIN_CSRF_COOKIE = "cg_login_csrf"

_templates = Jinja2Templates(directory=str(resources.files("childguard.console") / "templates"))
router = APIRouter(prefix="/console", include_in_schema=False)


class _SignInRequired(Exception):
    pass


def current_session(request: Request, service: ServiceDep) -> ConsoleSession:
    cookie = request.cookies.get(SESSION_COOKIE)
    session = service.console_session(cookie) if cookie else None
    if session is None:
        raise _SignInRequired
    return session


SessionDep = Annotated[ConsoleSession, Depends(current_session)]


def _check_csrf(session: ConsoleSession, token: str) -> None:
    if not secrets.compare_digest(session.csrf_token, token):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="invalid CSRF token; reload the page")


def _waited(opened: dt.datetime, now: dt.datetime) -> str:
    minutes = int((now - opened).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} d"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, error: str | None = None) -> Response:
    token = secrets.token_urlsafe(24)
    response = _templates.TemplateResponse(request, "login.html", {"csrf": token, "error": error})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/console")
    return response


@router.post("/login")
def login(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    api_key: Annotated[str, Form(max_length=512)],
    csrf: Annotated[str, Form(max_length=128)],
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf):
        return RedirectResponse("/console/login?error=expired", status_code=status.HTTP_303_SEE_OTHER)
    started = service.start_console_session(api_key, ttl_minutes=settings.session_ttl_minutes)
    if started is None:
        return RedirectResponse("/console/login?error=denied", status_code=status.HTTP_303_SEE_OTHER)
    _, cookie = started
    response = RedirectResponse("/console", status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        max_age=settings.session_ttl_minutes * 60,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console")
    return response


@router.post("/logout")
def logout(service: ServiceDep, session: SessionDep, csrf: Annotated[str, Form(max_length=128)]) -> Response:
    _check_csrf(session, csrf)
    service.end_console_session(session)
    response = RedirectResponse("/console/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("", response_class=HTMLResponse)
def queue(request: Request, service: ServiceDep, session: SessionDep, page: int = 1) -> Response:
    page = max(1, min(page, 10_000))
    per_page = 50
    statuses = [CaseStatus.OPEN, CaseStatus.IN_REVIEW, CaseStatus.ESCALATED]
    cases, total = service.list_cases(statuses=statuses, limit=per_page, offset=(page - 1) * per_page)
    now = service.clock()
    rows = [{"case": c, "waited": _waited(c.opened_at, now)} for c in cases]
    context: dict[str, Any] = {
        "session": session,
        "rows": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // per_page)),
    }
    return _templates.TemplateResponse(request, "queue.html", context)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str, service: ServiceDep, session: SessionDep) -> Response:
    try:
        detail = service.case_detail(case_id, viewer=session.principal)
    except NotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such case") from None
    reasons: dict[str, list[str]] = {}
    if detail.verdict:
        for e in detail.verdict.evidence:
            reasons.setdefault(e.message_id, []).append(f"{e.category.value.replace('_', ' ')}: {e.reason}")
    stage_at: dict[str, list[str]] = {}
    if detail.verdict:
        for s in detail.verdict.stages:
            stage_at.setdefault(s.message_id, []).append(s.stage)
    context: dict[str, Any] = {
        "session": session,
        "detail": detail,
        "case": detail.case,
        "verdict": detail.verdict,
        "reasons": reasons,
        "stage_at": stage_at,
        "people": {
            a: detail.accounts[a].describe() if a in detail.accounts else f"{a} (age unknown)"
            for m in detail.messages
            for a in (m.sender_id, *m.recipient_ids)
        },
    }
    return _templates.TemplateResponse(request, "case.html", context)


def mount_console(app: FastAPI) -> None:
    app.include_router(router)
    static = resources.files("childguard.console") / "static"
    app.mount("/console/static", StaticFiles(directory=str(static)), name="console-static")

    @app.exception_handler(_SignInRequired)
    async def sign_in(request: Request, exc: _SignInRequired) -> Response:
        return RedirectResponse("/console/login", status_code=status.HTTP_303_SEE_OTHER)
