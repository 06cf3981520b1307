"""``photodose version``."""

import typer

from .. import __version__
from ._output import JsonFlag, emit


def register(app: typer.Typer) -> None:
    @app.command("version")
    def version(as_json: JsonFlag = False) -> None:
        """Print photodose's version."""
        emit({"photodose": __version__}, as_json, lambda c, d: c.print(f"photodose {d['photodose']}"))
