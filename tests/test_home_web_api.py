"""/api/dose and /api/schedule: the calculator and the schedules over the web, the same use cases as the CLI."""

import pytest

from test_web_fixtures import client_for, make_app


@pytest.fixture()
def client(tmp_path, monkeypatch):
    return client_for(make_app(tmp_path, monkeypatch))


def test_dose_api_answers_the_three_questions(client):
    r = client.get("/api/dose", params={"irradiance": "50 mW/cm2", "minutes": "10"})
    assert r.status_code == 200 and r.json()["fluence_j_cm2"] == pytest.approx(30.0)
    r = client.get("/api/dose", params={"irradiance": "50 mW/cm2", "dose": "30 J/cm2"})
    assert r.json()["minutes"] == pytest.approx(10.0)
    r = client.get("/api/dose", params={"irradiance": "50 mW/cm2", "minutes": "10",
                                        "condition": "knee-osteoarthritis"})
    assert r.json()["verdict"] == "inside"


def test_dose_api_refuses_a_device_path_and_names_the_field(client):
    r = client.get("/api/dose", params={"device": "../../etc/passwd.yaml", "dose": "30 J/cm2"})
    assert r.status_code == 422 and r.json()["field"] == "device"
    r = client.get("/api/dose", params={"irradiance": "fifty", "minutes": "10"})
    assert r.status_code == 422 and r.json()["field"] == "irradiance"


def test_schedule_api_gives_the_taper_weeks(client):
    r = client.get("/api/schedule", params={"condition": "knee-osteoarthritis", "kind": "daily-then-taper"})
    assert r.status_code == 200
    assert [w["sessions"] for w in r.json()["weeks_planned"]][:5] == [7, 7, 5, 5, 3]
    assert client.get("/api/schedule", params={"kind": "monthly"}).status_code == 422


def test_web_plan_with_a_taper_and_a_start_and_a_session_with_side_effects(client):
    pid = client.post("/api/profiles", json={"name": "Alex", "skin_phototype": "III"}).json()["id"]
    plan = client.post("/api/plan", json={"device": "generic-panel-660-850", "site": "knee",
                                          "condition": "knee-osteoarthritis", "goggles": True}).json()
    saved = client.post(f"/api/profiles/{pid}/plans", json={"plan": plan, "schedule": "daily-then-taper",
                                                             "start": "2026-10-05"})
    assert saved.status_code == 201, saved.text
    assert saved.json()["schedule"]["kind"] == "daily-then-taper" and saved.json()["schedule"]["unsourced"]
    r = client.post(f"/api/profiles/{pid}/sessions", json={"plan_id": saved.json()["id"], "minutes": 5,
                                                          "ended_at": "2026-10-05T08:10:00",
                                                          "side_effects": ["redness:mild"]})
    assert r.status_code == 201, r.text
    assert r.json()["side_effects"] == [{"effect": "redness", "severity": "mild"}]
    bad = client.post(f"/api/profiles/{pid}/sessions", json={"plan_id": saved.json()["id"], "minutes": 5,
                                                            "side_effects": ["sunburn"]})
    assert bad.status_code == 422 and "side" in bad.json()["field"]


def test_journal_page_logs_side_effects_and_lists_them(tmp_path, monkeypatch):
    from test_web_fixtures import csrf_of

    c = client_for(make_app(tmp_path, monkeypatch))
    c.post("/profile/new", data={"name": "Alex", "skin_phototype": "II", "csrf_token": csrf_of(c)})
    plan = c.post("/api/plan", json={"device": "generic-panel-660-850", "site": "knee", "goggles": True,
                                     "condition": "knee-osteoarthritis", "distance": "30 cm"}).json()
    c.post("/api/profiles/1/plans", json={"plan": plan})
    r = c.post("/journal/session", data={"plan_id": "1", "minutes": "5", "side_effects": "sunburn",
                                         "csrf_token": csrf_of(c)})
    assert r.status_code == 422 and 'value="sunburn"' in r.text
    r = c.post("/journal/session", data={"plan_id": "1", "minutes": "5", "side_effects": "redness:mild, headache",
                                         "csrf_token": csrf_of(c)})
    assert r.status_code in (200, 303)
    assert "side effects: redness (mild), headache (mild)" in c.get("/journal").text
