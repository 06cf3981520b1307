"""The journal corrected on the web: past sessions with notes, edit and delete (after a confirmation page) of
sessions, outcomes and plans, the same plan saved twice kept once; the same through the JSON API."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from test_web_fixtures import client_for, csrf_of, field_errors, make_app

PLAN_FORM = {"device": "generic-panel-660-850", "site": "knee", "skin_type": "III", "condition": "knee-osteoarthritis",
             "distance": "30 cm", "goggles": "1"}


@pytest.fixture()
def client(tmp_path, monkeypatch):
    c = client_for(make_app(tmp_path, monkeypatch))
    c.post("/profile/new", data={"name": "Alex", "skin_phototype": "III", "csrf_token": csrf_of(c)})
    return c


def _save_plan(client) -> None:
    page = client.post("/plan", data=PLAN_FORM | {"csrf_token": csrf_of(client)}).text
    token = re.search(r'name="plan_token" value="([^"]+)"', page).group(1)
    for _ in range(2):  # a double click, or the form sent again
        r = client.post("/plan/save", data={"plan_token": token, "csrf_token": csrf_of(client)}, follow_redirects=False)
        assert r.status_code == 303


def test_saving_a_plan_twice_keeps_one(client):
    _save_plan(client)
    assert len(client.get("/api/profiles/1/plans").json()) == 1


def test_a_past_session_with_notes_is_logged_at_its_time_and_shown(client):
    _save_plan(client)
    ended = (datetime.now() - timedelta(days=3)).replace(second=0, microsecond=0)
    form = {"plan_id": "1", "minutes": "10", "ended_at": f"{ended:%Y-%m-%dT%H:%M}", "notes": "felt warm <b>",
            "csrf_token": csrf_of(client, "/journal")}
    assert client.post("/journal/session", data=form, follow_redirects=False).status_code == 303
    sessions = client.get("/api/profiles/1/sessions").json()
    assert len(sessions) == 1
    assert datetime.fromisoformat(sessions[0]["start_at"]) == ended - timedelta(minutes=10)
    page = client.get("/journal").text
    assert "felt warm &lt;b&gt;" in page  # notes shown, escaped
    future = form | {"ended_at": f"{datetime.now() + timedelta(days=2):%Y-%m-%dT%H:%M}"}
    r = client.post("/journal/session", data=future)
    assert r.status_code == 422 and "future" in field_errors(r.text)[0]
    assert 'aria-describedby="ended_at-error"' in r.text
    r = client.post("/journal/session", data=form | {"ended_at": "yesterday"})
    assert r.status_code == 422 and "ended_at" in field_errors(r.text)[0]


def test_edit_a_session_from_its_page_rescales_its_dose(client):
    _save_plan(client)
    client.post("/journal/session", data={"plan_id": "1", "minutes": "10", "csrf_token": csrf_of(client, "/journal")})
    before = client.get("/api/profiles/1/sessions").json()[0]
    page = client.get(f"/journal/sessions/{before['id']}/edit")
    assert page.status_code == 200 and 'name="start_at"' in page.text and 'value="10"' in page.text
    r = client.post(f"/journal/sessions/{before['id']}/edit",
                    data={"start_at": before["start_at"][:16], "minutes": "5", "warmth": "3", "notes": "cut short",
                          "csrf_token": csrf_of(client, "/journal")}, follow_redirects=False)
    assert r.status_code == 303
    after = client.get("/api/profiles/1/sessions").json()[0]
    assert after["duration_s"] == 300 and after["notes"] == "cut short" and after["warmth_0_10"] == 3
    assert after["surface_fluence_j_cm2"] == pytest.approx(before["surface_fluence_j_cm2"] / 2)
    r = client.post(f"/journal/sessions/{before['id']}/edit",
                    data={"start_at": before["start_at"][:16], "minutes": "0", "notes": "lost",
                          "csrf_token": csrf_of(client, "/journal")})
    assert r.status_code == 422 and "minutes" in field_errors(r.text)[0] and "lost" in r.text
    assert client.get("/api/profiles/1/sessions").json()[0]["notes"] == "cut short"  # nothing written


def test_delete_asks_first_then_deletes(client):
    _save_plan(client)
    client.post("/journal/session", data={"plan_id": "1", "minutes": "10", "csrf_token": csrf_of(client, "/journal")})
    client.post("/journal/pain", data={"pain_site": "knee", "pain_score": "6", "csrf_token": csrf_of(client)})
    sid = client.get("/api/profiles/1/sessions").json()[0]["id"]
    oid = client.get("/api/profiles/1/outcomes").json()[0]["id"]
    confirm = client.get(f"/journal/sessions/{sid}/delete")
    assert "Delete this session?" in confirm.text and f'action="/journal/sessions/{sid}/delete"' in confirm.text
    assert len(client.get("/api/profiles/1/sessions").json()) == 1  # asking deletes nothing
    client.post(f"/journal/sessions/{sid}/delete", data={"csrf_token": csrf_of(client, "/journal")})
    assert client.get("/api/profiles/1/sessions").json() == []
    assert client.post(f"/journal/outcomes/{oid}/delete", data={}).status_code == 403  # no form token
    client.post(f"/journal/outcomes/{oid}/delete", data={"csrf_token": csrf_of(client, "/journal")})
    assert client.get("/api/profiles/1/outcomes").json() == []
    assert "No session was logged with it" in client.get("/journal/plans/1/delete").text
    client.post("/journal/plans/1/delete", data={"csrf_token": csrf_of(client, "/journal")})
    assert client.get("/api/profiles/1/plans").json() == []
    assert client.get("/journal/plans/1/delete", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/journal/devices/1/delete", headers={"Accept": "text/html"}).status_code == 404
    assert client.get("/journal/plans/1/edit", headers={"Accept": "text/html"}).status_code == 404


def test_correcting_phq9_item_9_above_0_shows_the_alert(client):
    client.post("/journal/phq9", data={f"item{i}": "0" for i in range(1, 10)} | {"csrf_token": csrf_of(client)})
    r = client.post("/journal/outcomes/1/edit", data={"recorded_at": "2026-01-02T09:30", "score": "0,0,0,0,0,0,0,0,2",
                                                     "csrf_token": csrf_of(client, "/journal")})
    assert "emergency" in r.text and r.url.query.decode().endswith("alert=1")


def test_edit_an_outcome_rescores_it(client):
    client.post("/journal/pain", data={"pain_site": "knee", "pain_score": "6", "csrf_token": csrf_of(client)})
    oid = client.get("/api/profiles/1/outcomes").json()[0]["id"]
    form = {"recorded_at": "2026-01-02T09:30", "score": "4", "site": "knee", "notes": "after stairs",
            "csrf_token": csrf_of(client, "/journal")}
    assert client.post(f"/journal/outcomes/{oid}/edit", data=form, follow_redirects=False).status_code == 303
    row = client.get("/api/profiles/1/outcomes").json()[0]
    assert (row["total"], row["recorded_at"], row["notes"]) == (4, "2026-01-02T09:30:00", "after stairs")
    r = client.post(f"/journal/outcomes/{oid}/edit", data=form | {"score": "11"})
    assert r.status_code == 422 and "10" in field_errors(r.text)[0] and 'value="11"' in r.text


def test_api_patch_and_delete(client):
    plan = client.post("/api/plan", json={k: v for k, v in PLAN_FORM.items() if k != "goggles"}
                       | {"goggles": True}).json()
    assert client.post("/api/profiles/1/plans", json={"plan": plan}).json()["id"] == 1
    assert client.post("/api/profiles/1/plans", json={"plan": plan}).json()["id"] == 1  # kept once
    ended = (datetime.now() - timedelta(days=1)).replace(microsecond=0)
    s = client.post("/api/profiles/1/sessions", json={"plan_id": 1, "minutes": 8, "ended_at": ended.isoformat()})
    assert s.status_code == 201 and datetime.fromisoformat(s.json()["start_at"]) == ended - timedelta(minutes=8)
    sid = s.json()["id"]
    r = client.patch(f"/api/profiles/1/sessions/{sid}", json={"minutes": 4, "notes": "short"})
    assert r.status_code == 200 and r.json()["duration_s"] == 240 and r.json()["notes"] == "short"
    assert r.json()["surface_fluence_j_cm2"] == pytest.approx(s.json()["surface_fluence_j_cm2"] / 2)
    r = client.patch(f"/api/profiles/1/sessions/{sid}", json={"start_at": "2999-01-01T00:00:00"})
    assert r.status_code == 422 and "future" in r.json()["detail"]
    assert client.patch("/api/profiles/1/sessions/999", json={"notes": "x"}).status_code == 404
    o = client.post("/api/profiles/1/outcomes", json={"instrument": "phq9", "items": [1] * 9}).json()
    r = client.patch(f"/api/profiles/1/outcomes/{o['id']}", json={"items": [0] * 9, "notes": None})
    assert r.status_code == 200 and r.json()["total"] == 0 and r.json()["alerts"] == []
    r = client.patch(f"/api/profiles/1/outcomes/{o['id']}", json={"items": [0] * 8 + [1]})
    assert r.json()["alerts"]  # PHQ-9 item 9 above 0 alerts on a correction as on the first entry
    assert client.delete(f"/api/profiles/1/outcomes/{o['id']}").status_code == 204
    assert client.delete("/api/profiles/1/plans/1").status_code == 204
    assert client.get("/api/profiles/1/sessions").json()[0]["plan_id"] is None  # the session stays
    assert client.delete(f"/api/profiles/1/sessions/{sid}").status_code == 204
    assert client.delete(f"/api/profiles/1/sessions/{sid}").status_code == 404
