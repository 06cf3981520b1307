"""The web plan page for a sauna dome: the heat plan with its core-temperature chart, safety and advice."""

from __future__ import annotations

import json
import re

import pytest

from test_web_fixtures import client_for, csrf_of, make_app

DOME = "generic-infrared-sauna-dome"
CONDITION = "depression-whole-body-hyperthermia"


@pytest.fixture()
def client(tmp_path, monkeypatch):
    c = client_for(make_app(tmp_path, monkeypatch))
    c.post("/profile/new", data={"name": "Alex", "skin_phototype": "II", "csrf_token": csrf_of(c)})
    return c


def test_heat_plan_page_shows_the_core_temperature_curve_safety_and_advice(client):
    r = client.post("/plan", data={"device": DOME, "site": "knee", "skin_type": "III", "condition": CONDITION,
                                   "csrf_token": csrf_of(client)})
    assert r.status_code == 200, r.text[:500]
    figure = json.loads(re.search(r'id="core-temperature">(.*?)</script>', r.text, re.S).group(1))
    trace = figure["data"][0]
    assert len(trace["x"]) == len(trace["y"]) > 60 and max(trace["y"]) >= 38.5
    assert "core temperature ceiling" in r.text and "heat:core_ceiling" not in r.text
    assert "Fluids and monitoring" in r.text and "Minutes to target" in r.text
    phases = re.search(r'data-test="heat-phases">(.*?)</table>', r.text, re.S).group(1)
    assert all(label in phases for label in ("heating", "at target", "cool-down")) and "Time at target" in r.text
    # on a 390 px phone the phases table is one block per part (wrap-last), so each cell carries its unit; the
    # package data's ASCII "degC" is shown with the degree sign
    assert 'class="wrap-last" data-test="heat-phases"' in r.text and " min</td>" in phases and " °C</td>" in phases
    assert "degC" not in r.text


def test_light_condition_with_a_dome_is_refused_next_to_the_field(client):
    r = client.post("/plan", data={"device": DOME, "site": "knee", "skin_type": "III",
                                   "condition": "knee-osteoarthritis", "csrf_token": csrf_of(client)})
    assert r.status_code == 422 and "heat protocol" in r.text


def test_heat_plan_page_links_its_report_only_for_the_user_who_made_it(client):
    r = client.post("/plan", data={"device": DOME, "site": "knee", "skin_type": "III", "condition": CONDITION,
                                   "csrf_token": csrf_of(client)})
    link = re.search(r'href="(/plan/heat-report/[^"]+)"', r.text).group(1)
    report = client.get(link)
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "data:image/png;base64," in report.text and "does not diagnose" in report.text
    assert "Screening" in report.text and "Time to target" in report.text
    assert client.get("/plan/heat-report/not-a-token").status_code == 404
    token = link.rsplit("/", 1)[1]  # a heat plan is not a light plan the journal can save
    saved = client.post("/plan/save", data={"plan_token": token, "csrf_token": csrf_of(client)})
    assert saved.status_code == 422 and "expired" in saved.text


def test_web_screening_asks_the_heat_questions_keeps_them_and_refuses_the_dome(client):
    from photodose.safety.screening import load_questionnaire

    q = load_questionnaire()
    page = client.get("/screening").text
    assert all(h.text.replace("'", "&#39;") in page for h in q.heat_questions)
    answers = {f"q_{x.id}": "no" for x in q.questions} | {f"q_{h.id}": "no" for h in q.heat_questions}
    answers["q_heat_alcohol"] = "yes"
    r = client.post("/screening", data=answers | {"csrf_token": csrf_of(client)}, follow_redirects=False)
    assert r.status_code == 303
    shown = client.get("/screening").text
    assert 'data-test="heat-verdict"' in shown and "Hannuksela" in shown
    # answering the light questions again without the heat ones keeps the heat answers
    light_only = {f"q_{x.id}": "no" for x in q.questions}
    client.post("/screening", data=light_only | {"csrf_token": csrf_of(client)}, follow_redirects=False)
    stored = client.get("/api/profiles/1/export").json()["profile"]["contraindication_answers"]["answers"]
    assert stored["heat_alcohol"] is True and set(stored) == {x.id for x in q.questions + q.heat_questions}
    plan = client.post("/plan", data={"device": DOME, "site": "knee", "skin_type": "III", "condition": CONDITION,
                                      "csrf_token": csrf_of(client)})
    assert "screening: alcohol" in plan.text and "refused" in plan.text


def test_the_web_profile_takes_the_body_the_heat_plan_uses(client):
    """A web user can give height, weight, age and sex (the CLI's ``profile add --height ...``); the heat plan then
    uses them instead of the default 70 kg man, and says so. A bad value is refused at its field."""
    plan = lambda: client.post("/plan", data={"device": DOME, "condition": CONDITION,  # noqa: E731
                                              "csrf_token": csrf_of(client)}).text
    before = plan()
    assert "default person" in before and 'href="/profile">give your height' in before
    bad = client.post("/profile/body", data={"height": "175", "csrf_token": csrf_of(client)})
    assert bad.status_code == 422 and 'id="height-error"' in bad.text
    ok = client.post("/profile/body", data={"height": "163 cm", "weight": "60 kg", "age": "45", "sex": "female",
                                            "csrf_token": csrf_of(client)}, follow_redirects=True)
    assert ok.status_code == 200 and 'value="163 cm"' in ok.text and 'value="60 kg"' in ok.text
    after = plan()
    assert "default person" not in after and "60 kg, 1.63 m" in after
    keep = client.post("/profile/body", data={"age": "46", "csrf_token": csrf_of(client)}, follow_redirects=True)
    assert 'value="163 cm"' in keep.text and 'value="46"' in keep.text   # empty fields keep their value
