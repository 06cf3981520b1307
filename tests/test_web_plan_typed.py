"""The web edges over the typed Plan: /api/plan declares it, a profile's phototype reaches it, an infeasible plan is
never shown as ok nor saved, and a session logged from the web gets the same overdose check as the CLI."""

from __future__ import annotations

import pytest

from photodose.planning.plan_model import Plan
from test_web_fixtures import client_for, csrf_of, make_app

KNEE = {"device": "generic-panel-660-850", "site": "knee", "condition": "knee-osteoarthritis", "goggles": True,
        "distance": "30 cm"}


@pytest.fixture()
def client(tmp_path, monkeypatch):
    c = client_for(make_app(tmp_path, monkeypatch))
    c.post("/profile/new", data={"name": "Vera", "skin_phototype": "V", "csrf_token": csrf_of(c)})
    return c


def test_api_plan_is_the_typed_plan_and_its_schema_is_documented(client):
    body = client.post("/api/plan", json=KNEE).json()
    assert Plan.model_validate(body).device == "generic-panel-660-850"
    schema = client.get("/openapi.json").json()
    ref = schema["paths"]["/api/plan"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/Plan") and "window" in schema["components"]["schemas"]["Plan"]["properties"]


def test_api_plan_for_a_profile_takes_its_phototype(client):
    """POST /api/plan dropped the profile's phototype (always III) while `plan --profile` used it."""
    assert client.post("/api/plan", json=KNEE | {"profile_id": 1}).json()["skin_type"] == "V"
    assert client.post("/api/plan", json=KNEE | {"profile_id": 1, "skin_type": "II"}).json()["skin_type"] == "II"
    assert client.post("/api/plan", json=KNEE).json()["skin_type"] == "III"


def test_an_infeasible_plan_is_never_shown_as_ok_nor_saved(client):
    form = {"device": "generic-headset-810", "site": "forehead", "skin_type": "III",
            "condition": "depression-transcranial", "goggles": "1", "csrf_token": csrf_of(client, "/")}
    plan = client.post("/api/plan", json={k: v for k, v in form.items() if k not in ("csrf_token", "goggles")}
                       | {"goggles": True})
    assert plan.json()["status"] == "no_feasible_plan"
    page = client.post("/plan", data=form).text
    assert 'data-test="plan-status">not feasible<' in page
    assert "status-ok" not in page.split('data-test="plan-status"')[0][-80:]
    assert 'action="/plan/save"' not in page and "not a plan to follow" in page


def test_session_logged_in_the_web_gets_the_overdose_warning(client):
    plan = client.post("/api/plan", json=KNEE).json()
    plan_id = client.post("/api/profiles/1/plans", json={"plan": plan}).json()["id"]
    first = client.post("/api/profiles/1/sessions", json={"plan_id": plan_id, "minutes": 10})
    assert first.status_code == 201 and first.json()["overdose_warnings"] == []
    second = client.post("/api/profiles/1/sessions", json={"plan_id": plan_id, "minutes": 10}).json()
    assert any(w["name"] == "overdose:interval" for w in second["overdose_warnings"]), second["overdose_warnings"]
    page = client.post("/journal/session", data={"plan_id": str(plan_id), "minutes": "10",
                                                 "csrf_token": csrf_of(client, "/journal")})
    assert page.status_code == 200 and "a warning for next time" in page.text


def test_a_plan_with_wrong_types_is_refused_at_the_api_and_the_journal_page_still_works(client):
    plan = client.post("/api/plan", json=KNEE).json()
    broken = plan | {"session_seconds": "ten", "surface": {"irradiance_mw_cm2": "bright"}}
    r = client.post("/api/profiles/1/plans", json={"plan": broken})
    assert r.status_code == 422 and r.json()["field"].startswith("plan")
    assert client.get("/journal").status_code == 200


def test_irradiance_is_typed_at_both_edges(client):
    """The irradiance summary people get as JSON is the IrradianceSummary model, in the CLI and the API schema."""
    import json

    from typer.testing import CliRunner

    from photodose.cli import app
    from photodose.devices.irradiance import IrradianceSummary

    out = CliRunner().invoke(app, ["irradiance", "joovv-solo-3", "--distance", "30 cm", "--json"])
    cli = IrradianceSummary.model_validate(json.loads(out.output))
    api = IrradianceSummary.model_validate(client.get("/api/devices/joovv-solo-3/irradiance?distance=30%20cm").json())
    assert cli == api and cli.total_mean_irradiance_mw_cm2 == pytest.approx(
        sum(c.mean_irradiance_mw_cm2 for c in cli.channels))
    schema = client.get("/openapi.json").json()["paths"]["/api/devices/{device_id}/irradiance"]["get"]
    assert schema["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/IrradianceSummary")


def test_the_site_defaults_to_the_conditions_own_as_in_the_cli(client):
    """The form's site was "knee" whatever the condition, so a transcranial protocol was planned on the knee (and
    refused for the 3-D head). Now the first choice, selected by default, is the condition's own site; the API
    takes an omitted site the same way; a site chosen by the person still wins."""
    page = client.get("/").text
    assert '<option value="" selected>the condition&#39;s own site</option>' in page
    form = {"device": "generic-headset-810", "site": "", "skin_type": "III", "condition": "depression-transcranial",
            "goggles": "1", "csrf_token": csrf_of(client, "/")}
    shown = client.post("/plan", data=form)
    assert shown.status_code == 200 and "on the forehead layer stack" in shown.text
    api = {"device": "generic-headset-810", "condition": "depression-transcranial", "goggles": True}
    assert client.post("/api/plan", json=api).json()["site"] == "forehead"
    assert client.post("/api/plan", json=KNEE | {"site": None}).json()["site"] == "knee"
    assert client.post("/api/plan", json=KNEE | {"site": "elbow"}).json()["site"] == "elbow"
