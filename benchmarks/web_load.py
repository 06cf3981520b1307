"""A bounded load test of the web app on loopback: N concurrent clients for T seconds, some of them logging in with
wrong passwords, the rest reading pages and the API as a logged-in user; prints latency percentiles per kind and
the count of 5xx answers (must be 0).

    python benchmarks/web_load.py --clients 50 --seconds 30 --guessers 5

It starts ``photodose serve --require-login`` on 127.0.0.1 at a free port with a throwaway PHOTODOSE_HOME and
journal, and talks to it only there.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import httpx

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PAGES = ("/", "/journal", "/progress", "/profile", "/api/profiles", "/api/devices", "/static/style.css")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _login(client: httpx.AsyncClient, user: str, password: str) -> httpx.Response:
    token = CSRF_RE.search((await client.get("/login")).text).group(1)
    return await client.post("/login", data={"csrf_token": token, "user": user, "password": password})


async def _reader(client: httpx.AsyncClient, until: float, timings: dict, statuses: list) -> None:
    i = 0
    while time.monotonic() < until:
        path = PAGES[i % len(PAGES)]
        start = time.perf_counter()
        try:
            r = await client.get(path)
        except httpx.RemoteProtocolError:  # an idle keep-alive connection the server closed (5 s): resend once
            statuses.append("reconnect")
            r = await client.get(path)
        timings.setdefault("page", []).append(time.perf_counter() - start)
        statuses.append(r.status_code)
        i += 1
    await client.aclose()


async def _guesser(url: str, until: float, timings: dict, statuses: list, n: int) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        while time.monotonic() < until:
            start = time.perf_counter()
            r = await _login(client, f"load{n % 2}", "wrong-guess")  # "load1" does not exist: dummy-hash path
            timings.setdefault("login", []).append(time.perf_counter() - start)
            statuses.append(r.status_code)


def _percentiles(values: list[float]) -> str:
    q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
    return (f"n={len(values)} p50={q[49] * 1000:.0f} ms p95={q[94] * 1000:.0f} ms p99={q[98] * 1000:.0f} ms "
            f"max={max(values) * 1000:.0f} ms")


async def _run(url: str, clients: int, guessers: int, seconds: float) -> int:
    readers = [httpx.AsyncClient(base_url=url, timeout=60) for _ in range(clients - guessers)]
    for client in readers:  # log in before the guessing starts (all clients share 127.0.0.1, which gets throttled)
        await _login(client, "load", "load-password-1")
    until = time.monotonic() + seconds
    timings: dict[str, list[float]] = {}
    statuses: list = []
    await asyncio.gather(*[_reader(client, until, timings, statuses) for client in readers],
                         *[_guesser(url, until, timings, statuses, n) for n in range(guessers)])
    for kind, values in sorted(timings.items()):
        print(f"{kind:6s} {_percentiles(values)}")
    counts: dict = {}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    print("statuses", dict(sorted(counts.items(), key=str)))
    server_errors = sum(v for k, v in counts.items() if isinstance(k, int) and k >= 500)
    print("5xx", server_errors)
    return server_errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--guessers", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, PHOTODOSE_HOME=home)
        env.pop("PHOTODOSE_DB", None)
        subprocess.run([sys.executable, "-c", "from photodose.web import auth; "
                        "auth.set_password('load', 'load-password-1')"], env=env, check=True)
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "photodose", "serve", "--require-login", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(url + "/static/style.css", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            with httpx.Client(base_url=url) as c:  # one logged-in user with a profile, so pages have data
                token = CSRF_RE.search(c.get("/login").text).group(1)
                c.post("/login", data={"csrf_token": token, "user": "load", "password": "load-password-1"})
                c.post("/api/profiles", json={"name": "Load test"})
            errors = asyncio.run(_run(url, args.clients, args.guessers, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
    raise SystemExit(1 if errors else 0)


if __name__ == "__main__":
    main()
