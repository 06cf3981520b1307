"""Server-rendered pages with a test client: screening, devices, journal forms, profile export/import/delete.
Each error is shown next to its field and what was typed comes back in the form."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from test_web_fixtures import client_for, csrf_of, field_errors, make_app


@pytest.fixture()
def client(tmp_path, monkeypatch):
    c = client_for(make_app(tmp_path, monkeypatch))
    c.post("/profile/new", data={"name": "Alex", "skin_phototype": "II", "csrf_token": csrf_of(c)})
    return c


def _questions(client) -> list[str]:
    return [q["id"] for q in client.get("/api/screening/questions").json()["questions"]]


def test_screening_keeps_answers_and_names_the_unanswered(client):
    ids = _questions(client)
    partial = {f"q_{ids[0]}": "yes", "csrf_token": csrf_of(client)}
    r = client.post("/screening", data=partial)
    assert r.status_code == 422
    assert len(field_errors(r.text)) == len(ids) - 1
    assert re.search(rf'name="q_{ids[0]}" value="yes" checked', r.text)  # the answer given is kept


def test_screening_answers_reach_the_safety_gate(client):
    ids = _questions(client)
    answers = {f"q_{q}": "no" for q in ids} | {"q_pregnant_or_breastfeeding": "yes"}
    r = client.post("/screening", data=answers | {"csrf_token": csrf_of(client)}, follow_redirects=False)
    assert r.status_code == 303
    stored = client.get("/api/profiles/1/export").json()["profile"]["contraindication_answers"]
    assert stored["answers"]["pregnant_or_breastfeeding"] is True
    # the safety stage maps pregnancy + abdomen to do-not-use (safety/data/screening.yaml)
    assert "do not use" in client.get("/screening?site=abdomen").text
    plan = client.post("/api/plan", json={"device": "generic-panel-660-850", "site": "knee", "goggles": True,
                                          "condition": "knee-osteoarthritis", "distance": "30 cm",
                                          "profile_id": 1}).json()
    screening = [c for c in plan["safety"]["checks"] if c["name"].startswith("screening")]
    assert screening and all("Not answered" not in c["message"] for c in screening)


def test_plan_page_has_chart_safety_and_reporting_table(client):
    r = client.post("/plan", data={"device": "generic-panel-660-850", "site": "knee", "skin_type": "III",
                                   "condition": "knee-osteoarthritis", "distance": "30 cm", "goggles": "1",
                                   "csrf_token": csrf_of(client)})
    assert r.status_code == 200
    figure = json.loads(re.search(r'id="depth-dose">(.*?)</script>', r.text, re.S).group(1))
    assert {t["name"] for t in figure["data"]} >= {"660 nm", "850 nm", "total"}
    assert figure["layout"]["shapes"][0]["type"] == "rect"  # the shaded window
    assert "Energy density (J/cm²)" in r.text and "Jenkins PA, Carroll JD (2011)" in r.text
    assert "eyes: infrared (cornea and lens)" in r.text and "eye:infrared" not in r.text
    # the knee target lies below the fat: the page shows how much the dose depends on the fat model
    # the fat presets in words ("in vitro, Bashkatov 2011"), not their ids
    assert 'data-test="fat-sensitivity"' in r.text and "in vitro, Bashkatov 2011" in r.text
    assert "subcutaneous_fat_bashkatov" not in r.text


def test_plan_page_takes_where_the_eyes_are_and_refuses_a_bad_one_at_its_field(client):
    """The eye geometry the plan states can be changed on the web as with ``--eye-distance``; the page does not
    tell a browser user to type a command-line flag."""
    data = {"device": "joovv-solo-3", "condition": "knee-osteoarthritis", "distance": "6 in", "minutes": "10"}
    default = client.post("/plan", data=data | {"csrf_token": csrf_of(client)})
    assert "60 cm from the centre of the device" in default.text and "--eye-distance" not in default.text
    near = client.post("/plan", data=data | {"eye_distance": "30 cm", "csrf_token": csrf_of(client)})
    assert near.status_code == 200 and "eye at the given 30 cm" in near.text
    bad = client.post("/plan", data=data | {"eye_distance": "far", "csrf_token": csrf_of(client)})
    assert bad.status_code == 422 and any("far" in e for e in field_errors(bad.text))
    assert 'id="eye_distance-error"' in bad.text


def test_saving_needs_the_token_of_a_plan_this_user_made(client):
    r = client.post("/plan/save", data={"plan_token": "guessed", "csrf_token": csrf_of(client)})
    assert r.status_code == 422 and "expired" in r.text
    assert client.get("/api/profiles/1/plans").json() == []


def test_journal_errors_keep_what_was_typed(client):
    plan = client.post("/api/plan", json={"device": "generic-panel-660-850", "site": "knee", "goggles": True,
                                          "condition": "knee-osteoarthritis", "distance": "30 cm"}).json()
    client.post("/api/profiles/1/plans", json={"plan": plan})
    r = client.post("/journal/session", data={"plan_id": "1", "minutes": "ten", "warmth": "4",
                                              "csrf_token": csrf_of(client)})
    assert r.status_code == 422 and "minutes" in field_errors(r.text)[0]
    assert 'value="ten"' in r.text and 'value="4"' in r.text
    r = client.post("/journal/pain", data={"pain_site": "shoulder", "pain_score": "12", "csrf_token": csrf_of(client)})
    assert r.status_code == 422 and "0" in field_errors(r.text)[0] and "10" in field_errors(r.text)[0]
    assert 'value="12"' in r.text and '<option value="shoulder" selected>' in r.text
    answered = {f"item{i}": "2" for i in range(1, 6)}
    r = client.post("/journal/phq9", data=answered | {"csrf_token": csrf_of(client)})
    assert r.status_code == 422
    assert [e.split(":")[0] for e in field_errors(r.text)] == [f"item {i}" for i in (6, 7, 8, 9)]
    assert len(re.findall(r'name="item\d" value="2" checked', r.text)) == 5
    assert client.get("/api/profiles/1/outcomes").json() == [] and client.get("/api/profiles/1/sessions").json() == []


def test_plan_form_starts_from_the_profiles_phototype(client):
    assert '<option value="II" selected>' in client.get("/").text


def test_devices_upload_and_calibration(client):
    yaml_text = (Path(__file__).parents[1] / "photodose/devices/catalog/generic-wand-660-850.yaml").read_text()
    mine = yaml_text.replace("id: generic-wand-660-850", "id: my-own-wand")
    r = client.post("/devices/upload", data={"csrf_token": csrf_of(client)},
                    files={"file": ("wand.yaml", mine.encode())})
    assert r.status_code == 200 and "my-own-wand" in [d["id"] for d in client.get("/api/devices").json()]
    r = client.post("/devices/upload", data={"csrf_token": csrf_of(client)},
                    files={"file": ("evil.sh", b"rm -rf /")})
    assert r.status_code == 422 and ".yaml" in field_errors(r.text)[0]
    r = client.post("/devices/calibrate", data={"device": "generic-panel-660-850", "readings": "15 cm; 40\nnonsense",
                                                "csrf_token": csrf_of(client)})
    assert r.status_code == 422 and "line 2" in field_errors(r.text)[0] and "nonsense" in r.text
    # readings that are exactly twice the model's on-axis irradiance give a power scale of 2
    curve = client.get("/api/devices/generic-panel-660-850/irradiance-curve").json()
    pairs = list(zip(curve["distance_mm"], curve["irradiance_mw_cm2"]))[10:13]
    readings = "\n".join(f"{d} mm, {2 * e}" for d, e in pairs)
    r = client.post("/devices/calibrate", data={"device": "generic-panel-660-850", "readings": readings,
                                                "csrf_token": csrf_of(client)})
    assert r.status_code == 200
    scale = float(re.search(r"Power scale</th><td>([0-9.]+)", r.text).group(1))
    assert scale == pytest.approx(2.0, rel=1e-3)
    r = client.post("/devices/calibrate", data={"device": "joovv-solo-3", "readings": "6 in, 62\n12 in, 30",
                                                "csrf_token": csrf_of(client)})
    claim = re.search(r"Manufacturer claim</th><td>(.*?)<br>", r.text).group(1)
    # the claim in words, not a dump of its dict (it printed claimed_irradiance_mw_cm2: 100, distance_mm: 152.4...)
    assert claim.startswith("100 mW/cm² at 6 in; your readings give ") and "the claim is " in claim
    row = r.text.split("Manufacturer claim")[1].split("</tr>")[0]
    assert "distance_mm" not in row and "fitted_irradiance" not in row and "claim_vs_measurement" not in row


def test_profile_export_import_delete(client):
    client.post("/api/profiles/1/outcomes", json={"instrument": "phq9", "items": [3] * 9})
    exported = client.get("/profile/export")
    assert exported.headers["content-disposition"].startswith("attachment")
    r = client.post("/profile/import", data={"rename": "", "csrf_token": csrf_of(client)},
                    files={"file": ("alex.json", exported.content)})
    assert r.status_code == 422 and "exists" in field_errors(r.text)[0]
    r = client.post("/profile/import", data={"rename": "Alex copy", "csrf_token": csrf_of(client)},
                    files={"file": ("alex.json", exported.content)}, follow_redirects=False)
    assert r.status_code == 303
    profiles = {p["name"]: p["id"] for p in client.get("/api/profiles").json()}
    copy = client.get(f"/api/profiles/{profiles['Alex copy']}/outcomes").json()
    assert [(o["total"], o["band"]) for o in copy] == [(27.0, "severe")]
    r = client.post("/profile/import", data={"csrf_token": csrf_of(client)},
                    files={"file": ("x.json", b"not json")})
    assert r.status_code == 422 and "file" in field_errors(r.text)[0]
    # delete asks for the name; the active profile is the imported copy
    r = client.post("/profile/delete", data={"confirm_name": "Alex", "csrf_token": csrf_of(client)})
    assert r.status_code == 422 and "Alex copy" in field_errors(r.text)[0]
    r = client.post("/profile/delete", data={"confirm_name": "Alex copy", "csrf_token": csrf_of(client)},
                    follow_redirects=False)
    assert r.status_code == 303 and [p["name"] for p in client.get("/api/profiles").json()] == ["Alex"]


def test_footer_and_offline_plotly_on_every_page(client):
    for path in ("/", "/devices", "/screening", "/journal", "/progress", "/profile", "/montecarlo"):
        html = client.get(path).text
        assert "photodose informs; it does not diagnose" in html, path
        assert "cdn" not in html.lower() and "https://" not in html, path


def test_qids_items_and_hamd_total(client):
    qids = "1,2,0,3,2,1,0,1,2,0,1,1,0,2,1,0"
    r = client.post("/journal/outcome", data={"instrument": "qids16", "scores": qids, "csrf_token": csrf_of(client)},
                    follow_redirects=False)
    assert r.status_code == 303
    # QIDS-SR16 total: max(1-4) + 5 + max(6-9) + sum(10-14) + max(15-16) (pbm_facts.md section 7)
    assert "total=12" in r.headers["location"]  # 3 + 2 + 2 + (0+1+1+0+2) + 1
    r = client.post("/journal/outcome", data={"instrument": "qids16", "scores": "1,2,3",
                                              "csrf_token": csrf_of(client)})
    assert r.status_code == 422 and "16" in field_errors(r.text)[0] and 'value="1,2,3"' in r.text
    r = client.post("/journal/outcome", data={"instrument": "hamd17", "scores": "53", "csrf_token": csrf_of(client)})
    assert r.status_code == 422 and "52" in field_errors(r.text)[0]
    r = client.post("/journal/outcome", data={"instrument": "hamd17", "scores": "18", "csrf_token": csrf_of(client)},
                    follow_redirects=False)
    assert r.status_code == 303
    assert [o["instrument"] for o in client.get("/api/profiles/1/outcomes").json()] == ["qids16", "hamd17"]


def test_phq9_item_9_shows_an_alert_on_the_journal_page(client):
    answered = {f"item{i}": "0" for i in range(1, 9)} | {"item9": "1"}
    r = client.post("/journal/phq9", data=answered | {"csrf_token": csrf_of(client)})
    assert r.status_code == 200 and 'role="alert"' in r.text and "crisis line" in r.text
    api = client.post("/api/profiles/1/outcomes", json={"instrument": "phq9", "items": [0] * 8 + [2]}).json()
    assert "item 9" in api["alerts"][0]


def test_laser_point_plan_page_shows_energy_per_point(client):
    r = client.post("/plan", data={"device": "generic-laser-probe-808", "site": "elbow", "skin_type": "III",
                                   "condition": "lateral-epicondylitis", "goggles": "1",
                                   "csrf_token": csrf_of(client)})
    assert r.status_code == 200
    assert "J per point against WALT" in r.text and "Dose window 4" not in r.text


def test_irradiance_chart_labels_log_ticks_in_full():
    """Plotly's own ticks on a log axis of under two decades label 20, 30, 40 mW/cm2 as "2", "3", "4"."""
    from photodose.web.charts import irradiance_distance_figure, log_ticks_1_2_5

    assert log_ticks_1_2_5(3.1, 38) == [5.0, 10.0, 20.0]
    assert log_ticks_1_2_5(3.2, 8) == [4.0, 5.0, 6.0, 7.0, 8.0]
    assert log_ticks_1_2_5(15, 17) == []
    fig = irradiance_distance_figure([100, 300, 600], [38.0, 12.0, 3.1], "panel")
    assert list(fig.layout.yaxis.tickvals) == [5.0, 10.0, 20.0] and list(fig.layout.yaxis.ticktext) == ["5", "10", "20"]


@pytest.mark.parametrize("typed, shown", [("6 in", "At 6 in, over"), ("15 cm", "At 15 cm, over"),
                                          ("300 mm", "At 300 mm, over")])
def test_devices_page_says_the_distance_in_the_unit_typed(client, typed, shown):
    r = client.get("/devices", params={"device": "joovv-solo-3", "distance": typed})
    assert r.status_code == 200 and shown in r.text


@pytest.mark.parametrize("device, shown", [("joovv-solo-3", "At 6 in, over"),
                                           ("generic-panel-660-850", "At 15 cm, over"),
                                           ("generic-laser-probe-808", "At 0 mm (in contact), over")])
def test_devices_page_starts_at_the_devices_usual_distance(client, device, shown):
    """Without a distance the page shows the device at its usual one, in its maker's unit (it was always 15 cm),
    and its irradiance chart in that unit (it was always mm)."""
    r = client.get("/devices", params={"device": device})
    assert r.status_code == 200 and shown in r.text
    unit = shown.split()[2].rstrip(",")
    assert f"distance ({unit})" in r.text


def test_devices_page_offers_a_starter_file_that_uploads_back(client):
    page = client.get("/devices")
    assert 'action="/devices/template"' in page.text and 'value="laser_probe"' in page.text
    got = client.get("/devices/template", params={"start": "wand"})
    assert got.status_code == 200 and 'filename="my-wand.yaml"' in got.headers["content-disposition"]
    assert "id: my-wand" in got.text
    up = client.post("/devices/upload", data={"csrf_token": csrf_of(client)},
                     files={"file": ("my-wand.yaml", got.content, "application/yaml")})
    assert up.status_code == 200 and "my-wand" in [d["id"] for d in client.get("/api/devices").json()]
    product = client.get("/devices/template", params={"start": "joovv-solo-3"})
    assert product.status_code == 200 and "id: my-joovv-solo-3" in product.text
    bad = client.get("/devices/template", params={"start": "lamp"})
    assert bad.status_code == 422 and 'id="start-error"' in bad.text
