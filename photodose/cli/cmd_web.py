"""``photodose serve``: the local web app (loopback without login; any other address needs a password)."""

from __future__ import annotations

from typing import Annotated

import typer

from ._output import console, print_error


def serve(
    host: Annotated[str, typer.Option(help="Address to bind. Anything but loopback requires a password.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    db: Annotated[str | None, typer.Option("--db", help="Journal database URL or SQLite file.")] = None,
    set_password: Annotated[bool, typer.Option("--set-password", help="Set a login password (asked twice) and exit.")] = False,
    user: Annotated[str, typer.Option(help="User name for --set-password.")] = "admin",
) -> None:
    """Start the web app: plan, screen, log and follow progress in the browser."""
    from ..web import auth

    if set_password:
        password = typer.prompt(f"Password for {user}", hide_input=True, confirmation_prompt=True)
        path = auth.set_password(user, password)
        console.print(f"password for {user} stored (argon2id hash) in {path}")
        return
    require_login = not auth.is_loopback(host)
    if require_login and not auth.has_users():
        print_error(f"refusing to bind {host}: a non-loopback address needs a login; "
                    f"run `photodose serve --set-password` first (or bind 127.0.0.1)")
        raise SystemExit(2)
    import uvicorn

    from ..web import create_app

    app = create_app(db, require_login=require_login)
    console.print(f"photodose web app on http://{host}:{port}/" + ("  (login required)" if require_login else ""))
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
