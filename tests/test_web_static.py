"""Static files compressed and cached under a versioned URL; pages and API answers gzipped."""

from __future__ import annotations

import gzip
import hashlib
import re

from photodose.web.static_files import plotly_js_path, static_paths
from test_web_fixtures import client_for, make_app


def test_pages_link_versioned_static_files_cached_for_a_year(tmp_path, monkeypatch):
    client = client_for(make_app(tmp_path, monkeypatch))
    page = client.get("/devices").text
    for name in ("style.css", "app.js", "plotly.min.js"):
        url = re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]+)"', page).group(1)
        assert url.endswith(hashlib.sha256(static_paths()[name].read_bytes()).hexdigest()[:12])  # the content's hash
        r = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert r.headers["content-encoding"] == "gzip" and r.content == static_paths()[name].read_bytes()


def test_plotly_bundle_is_sent_compressed_and_revalidated_without_a_version(tmp_path, monkeypatch):
    client = client_for(make_app(tmp_path, monkeypatch))
    raw = plotly_js_path().read_bytes()
    with client.stream("GET", "/static/plotly.min.js", headers={"Accept-Encoding": "gzip"}) as r:
        sent = b"".join(r.iter_raw())
    assert gzip.decompress(sent) == raw and len(sent) < 0.4 * len(raw)  # ~4.8 MB -> ~1.4 MB on the wire
    assert r.headers["cache-control"] == "no-cache" and "no-store" not in r.headers["cache-control"]
    again = client.get("/static/plotly.min.js", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    plain = client.get("/static/app.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.headers["content-type"].startswith("text/javascript")


def test_pages_and_api_answers_are_gzipped_and_still_not_stored(tmp_path, monkeypatch):
    client = client_for(make_app(tmp_path, monkeypatch))
    for path in ("/devices", "/api/devices"):
        r = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
        assert r.headers["cache-control"] == "no-store" and r.headers["x-content-type-options"] == "nosniff"
