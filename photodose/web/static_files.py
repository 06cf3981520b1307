"""Static files, fast: each is sent gzip-compressed when the browser accepts it (compressed once, kept in memory),
and its URL carries a version, ``/static/app.js?v=<content hash>``. A versioned request is cached for a year
(``immutable``): a changed file gets a new hash and so a new URL, and a browser never runs stale code. An
unversioned request is revalidated (``no-cache`` with an ETag: 304 when unchanged).

Plotly's 4.8 MB bundle compresses to about 1.4 MB; it is served from the installed plotly package (offline)."""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

STATIC_DIR = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def plotly_js_path() -> Path:
    """plotly.min.js as shipped inside the installed plotly package (served locally: the app works offline)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def static_paths() -> dict[str, Path]:
    """The files served under /static/, by name."""
    return {"app.js": STATIC_DIR / "app.js", "style.css": STATIC_DIR / "style.css",
            "plotly.min.js": plotly_js_path()}


@dataclass(frozen=True)
class _Loaded:
    raw: bytes
    gzipped: bytes
    version: str
    media_type: str


_cache: dict[tuple, _Loaded] = {}
_lock = threading.Lock()


def _load(name: str) -> _Loaded:
    """The file's bytes, gzipped bytes and version, read again only when its size or mtime changed."""
    path = static_paths()[name]
    stat = path.stat()
    key = (name, stat.st_mtime_ns, stat.st_size)
    with _lock:
        found = _cache.get(key)
        if found is None:
            raw = path.read_bytes()
            found = _Loaded(raw, gzip.compress(raw, compresslevel=6, mtime=0),
                            hashlib.sha256(raw).hexdigest()[:12], MEDIA_TYPES.get(path.suffix, "text/plain"))
            for old in [k for k in _cache if k[0] == name]:
                del _cache[old]
            _cache[key] = found
        return found


def version(name: str) -> str:
    """The content hash in ``name``'s URL (the file's SHA-256, 12 hex digits)."""
    return _load(name).version


def static_url(name: str) -> str:
    """``/static/NAME?v=HASH``: the URL pages use, cached by browsers for a year."""
    return f"/static/{name}?v={version(name)}"


def static_response(request: Request, name: str) -> Response:
    """The file, gzipped when accepted, cached for a year when asked for at its current version, else
    revalidated; 304 when the browser's ETag matches."""
    loaded = _load(name)
    etag = f'"{loaded.version}"'
    headers = {"ETag": etag, "Vary": "Accept-Encoding",
               "Cache-Control": IMMUTABLE if request.query_params.get("v") == loaded.version else REVALIDATE}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        return Response(loaded.gzipped, media_type=loaded.media_type, headers=headers | {"Content-Encoding": "gzip"})
    return Response(loaded.raw, media_type=loaded.media_type, headers=headers)


def static_route(name: str):
    """A route handler serving ``name`` with :func:`static_response`."""
    def serve(request: Request) -> Response:
        return static_response(request, name)

    serve.__name__ = f"static_{name.replace('.', '_')}"
    return serve


def warm_up() -> None:
    """Compress the static files now, in a background thread, so that the first page does not wait for Plotly's
    bundle to be gzipped (about 0.7 s, once per process)."""
    def work() -> None:
        for name in static_paths():
            try:
                _load(name)
            except OSError:
                pass
    threading.Thread(target=work, name="photodose-static-gzip", daemon=True).start()
