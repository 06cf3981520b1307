"""The API's error answers are in its OpenAPI schema, and each answer the server gives matches what the schema
says (status listed for the operation, body of the documented Error shape); a wrong method is 405."""

from __future__ import annotations

import jsonschema
import pytest

from photodose.web.errors import ERROR_SCHEMA
from test_web_fixtures import client_for, make_app


@pytest.fixture()
def client(tmp_path, monkeypatch):
    return client_for(make_app(tmp_path, monkeypatch))


def _documented(schema, method, path) -> dict:
    return schema["paths"][path][method]["responses"]


def test_every_operation_documents_its_error_answers(client):
    schema = client.get("/openapi.json").json()
    assert schema["components"]["schemas"]["Error"] == ERROR_SCHEMA
    assert "HTTPValidationError" not in str(schema)  # FastAPI's default 422 body is not what this app sends
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "401" in codes, (method, path)
            if "{profile_id}" in path or "{job_id}" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "patch"):
                assert {"413", "415", "422"} <= codes, (method, path)
            if method == "delete":
                assert "403" in codes, (method, path)
            for code in codes - {"200", "201", "202", "204"}:
                body = operation["responses"][code]["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, (method, path, code)


@pytest.mark.parametrize("method, path, kwargs, status", [
    ("get", "/api/profiles/{profile_id}", {}, 404),
    ("post", "/api/profiles", {"content": b"name=x", "headers": {"Content-Type": "text/plain"}}, 415),
    ("post", "/api/profiles", {"content": b"{bad json", "headers": {"Content-Type": "application/json"}}, 422),
    ("post", "/api/profiles", {"json": {"name": ""}}, 422),
    ("post", "/api/plan", {"content": b"[" * 2_000_000, "headers": {"Content-Type": "application/json"}}, 413),
    ("get", "/api/jobs/{job_id}", {}, 404),
    ("patch", "/api/profiles/{profile_id}/sessions/{session_id}", {"json": {"minutes": -1}}, 422),
])
def test_each_error_answer_is_documented_and_has_the_error_shape(client, method, path, kwargs, status):
    schema = client.get("/openapi.json").json()
    url = path.replace("{profile_id}", "1").replace("{job_id}", "nope").replace("{session_id}", "1")
    r = client.request(method.upper(), url, **kwargs)
    assert r.status_code == status, r.text
    assert str(status) in _documented(schema, method, path)
    jsonschema.validate(r.json(), ERROR_SCHEMA)


def test_login_required_is_a_documented_401(tmp_path, monkeypatch):
    client = client_for(make_app(tmp_path, monkeypatch, require_login=True))
    r = client.get("/api/profiles")
    assert r.status_code == 401
    jsonschema.validate(r.json(), ERROR_SCHEMA)


def test_a_wrong_method_is_405_with_allow(client):
    r = client.put("/api/profiles", json={"name": "x"})
    assert r.status_code == 405 and set(r.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    page = client.get("/journal/session", headers={"Accept": "text/html"})
    assert page.status_code == 405 and page.headers["allow"] == "POST"
    assert "Not allowed here" in page.text and 'href="/"' in page.text  # the friendly page, with a way back
    assert page.headers["x-content-type-options"] == "nosniff"
