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
