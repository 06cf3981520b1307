"""``photodose serve``: the local web app.

Loopback binds serve without login (unless ``--require-login``). Any other address is "exposed": it needs a login
user and TLS (``--certfile``/``--keyfile``, uvicorn's SSL), else it refuses to start with one line and exit 2;
``--insecure-http`` accepts plain HTTP there (only behind a TLS-terminating proxy). Only the bind's own host names
and those given with ``--allow-host`` are served (DNS rebinding gets 400).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._output import console, print_error


def _refuse(message: str) -> None:
    print_error(message)
    raise SystemExit(2)


def serve(
    host: Annotated[str, typer.Option(
        help="Address to bind. Anything but loopback requires a login and TLS.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    db: Annotated[str | None, typer.Option("--db", help="Journal database URL or SQLite file.")] = None,
    certfile: Annotated[Path | None, typer.Option("--certfile", "--tls-cert",
                                                  help="TLS certificate (PEM) to serve HTTPS.")] = None,
    keyfile: Annotated[Path | None, typer.Option("--keyfile", "--tls-key", help="TLS private key (PEM).")] = None,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", help="Another host name this server answers to (repeatable); others get 400.")] = None,
    require_login: Annotated[bool, typer.Option("--require-login", help="Require a login also on loopback.")] = False,
    insecure_http: Annotated[bool, typer.Option(
        "--insecure-http", help="Serve a non-loopback address without TLS (only behind a TLS proxy).")] = False,
    set_password: Annotated[bool, typer.Option(
        "--set-password", help="Set a login password (asked twice) and exit.")] = False,
    remove_user: Annotated[str | None, typer.Option("--remove-user", help="Remove a login user and exit.")] = None,
    user: Annotated[str, typer.Option(help="User name for --set-password.")] = "admin",
) -> None:
    """Start the web app: plan, screen, log and follow progress in the browser."""
    from ..web import auth

    if set_password:
        password = typer.prompt(f"Password for {user}", hide_input=True, confirmation_prompt=True)
        path = auth.set_password(user, password)
        console.print(f"password for {user} stored (argon2id hash) in {path}; their open web sessions are ended")
        return
    if remove_user is not None:
        path = auth.remove_user(remove_user)
        console.print(f"user {remove_user} removed from {path}; their open web sessions are ended")
        return
    exposed = not auth.is_loopback(host)
    require_login = require_login or exposed
    if require_login and not auth.has_users():
        _refuse(f"refusing to bind {host}: " + ("a non-loopback address" if exposed else "--require-login")
                + " needs a login; run `photodose serve --set-password` first"
                + (" (or bind 127.0.0.1)" if exposed else ""))
    if (certfile is None) != (keyfile is None):
        _refuse("--certfile and --keyfile go together: give both (PEM certificate and its private key)")
    for option, path in (("--certfile", certfile), ("--keyfile", keyfile)):
        if path is not None and not path.is_file():
            _refuse(f"{option}={path} is not a readable file; give a PEM file")
    tls = certfile is not None
    if exposed and not tls and not insecure_http:
        _refuse(f"refusing to bind {host} without TLS: give --certfile and --keyfile "
                "(or --insecure-http behind a TLS proxy, or bind 127.0.0.1)")
    hosts = auth.allowed_hosts(host, allow_host or ())  # a bad --allow-host is a PhotodoseInputError (exit 2)
    import uvicorn

    from ..web import create_app

    app = create_app(db, require_login=require_login, allowed_hosts=hosts, tls=tls)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"photodose web app on {'https' if tls else 'http'}://{shown}:{port}/"
                  + ("  (login required)" if require_login else ""))
    console.print("serving the host names " + ", ".join(hosts) + " (others: add --allow-host NAME)")
    uvicorn.run(app, host=host, port=port, log_level="warning",
                ssl_certfile=str(certfile) if tls else None, ssl_keyfile=str(keyfile) if tls else None)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
