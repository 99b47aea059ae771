from __future__ import annotations

import re

from tests.api.test_events import ACCOUNTS, GROOMING
from tests.conftest import Api


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, html
    return m.group(1)


def sign_in(api: Api, who: str = "review") -> str:
    form = api.client.get("/console/login")
    r = api.client.post(
        "/console/login", data={"api_key": api.keys[who], "csrf": _csrf(form.text)}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/console"
    return r.text


def test_pages_need_a_session(api: Api) -> None:
    r = api.client.get("/console", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login"
    api.client.cookies.set("cg_session", "sess_x.forged")
    assert api.client.get("/console", follow_redirects=False).status_code == 303


def test_sign_in_needs_the_review_scope(api: Api) -> None:
    form = api.client.get("/console/login")
    r = api.client.post(
        "/console/login", data={"api_key": api.keys["ingest"], "csrf": _csrf(form.text)}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/console/login?error=denied"
    assert "lacks the review scope" in api.client.get(r.headers["location"]).text


def test_sign_in_without_the_csrf_cookie_is_refused(api: Api) -> None:
    r = api.client.post(
        "/console/login", data={"api_key": api.keys["review"], "csrf": "made-up"}, follow_redirects=False
    )
    assert r.headers["location"] == "/console/login?error=expired"


def test_queue_and_case_page_show_the_evidence_and_log_the_view(api: Api) -> None:
    api.client.post("/v1/events", json=ACCOUNTS + GROOMING, headers=api.headers("ingest"))
    sign_in(api)
    queue = api.client.get("/console")
    assert queue.status_code == 200 and "1 open" in queue.text and "grooming" in queue.text
    case_id = re.search(r'href="/console/cases/([^"]+)"', queue.text).group(1)  # type: ignore[union-attr]
    page = api.client.get(f"/console/cases/{case_id}")
    assert page.status_code == 200
    assert 'class="msg evidence"' in page.text and "asking the child to keep the contact secret" in page.text
    assert "Stage timeline" in page.text and "adult (34)" in page.text and "kid (13)" in page.text
    views = [e for e in api.service.audit_events() if e.action == "conversation.viewed"]
    assert len(views) == 1 and views[0].subject_id == case_id and views[0].actor.startswith("api_key:")
    assert api.service.verify_audit()[1] == []


def test_unknown_case_is_404(api: Api) -> None:
    sign_in(api)
    assert api.client.get("/console/cases/nope").status_code == 404


def test_logout_needs_csrf_and_ends_the_session(api: Api) -> None:
    sign_in(api)
    page = api.client.get("/console")
    assert api.client.post("/console/logout", data={"csrf": "wrong"}).status_code == 403
    r = api.client.post("/console/logout", data={"csrf": _csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert api.client.get("/console", follow_redirects=False).status_code == 303
