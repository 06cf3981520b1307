"""The ``photodose`` command line: a thin Typer edge over the library.

Each stage registers its commands from its own module ``photodose/cli/cmd_<stage>.py`` exposing
``register(app: typer.Typer) -> None``; modules are discovered here, so stages never edit a shared file.
Command modules import heavy libraries (numba, matplotlib, SQLAlchemy) inside the command functions so
that ``photodose --help`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from ..errors import PhotodoseInputError
from ._output import print_error

app = typer.Typer(
    name="photodose",
    help="Dosimetry, planning, safety and journaling for red and near-infrared photobiomodulation. "
         "photodose informs; it does not diagnose or prescribe.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """photodose: light dose for photobiomodulation, from device to tissue."""


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            module.register(app)


# Help panels in the order of the data flow (DESIGN.md); a command not named here stays under "Commands".
HELP_PANELS = {
    "Start here": ("demo", "plan", "serve", "protocols"),
    "Tissue and light transport": ("optics", "stack", "tissues", "sites", "mc", "fast"),
    "Devices": ("irradiance", "calibrate", "device"),
    "Safety": ("safety",),
    "Journal": ("profile", "log", "history", "progress", "export", "import"),
    "Scale-out": ("atlas", "atlas-query"),
    "About": ("version",),
}


def _assign_help_panels() -> None:
    """Put each command in its panel and list commands in the panels' order (others last)."""
    order = {name: (rank, i) for rank, names in enumerate(HELP_PANELS.values()) for i, name in enumerate(names)}
    panel_of = {name: panel for panel, names in HELP_PANELS.items() for name in names}

    def name_of(info) -> str | None:
        return info.name or (info.callback.__name__.replace("_", "-") if info.callback else None)

    for info in [*app.registered_commands, *app.registered_groups]:
        if name_of(info) in panel_of:
            info.rich_help_panel = panel_of[name_of(info)]
    for infos in (app.registered_commands, app.registered_groups):
        infos.sort(key=lambda info: order.get(name_of(info), (len(HELP_PANELS), 0)))


_register_commands()
_assign_help_panels()


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app; bad input becomes one line on stderr and exit code 2."""
    try:
        app(args=argv, standalone_mode=False)
    except PhotodoseInputError as exc:
        print_error(str(exc))
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print_error("aborted")
        sys.exit(1)
    except OSError as exc:  # a file that cannot be read or written: one line, not a traceback
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print_error(f"cannot use{where}: {exc.strerror or exc}")
        sys.exit(2)
    except Exception as exc:
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click (vendored by typer) usage errors
            exc.show()
            sys.exit(exc.exit_code)
        from pydantic import ValidationError

        if isinstance(exc, ValidationError):
            print_error(_describe_validation_error(exc))
            sys.exit(2)
        raise
    sys.exit(0)


def _describe_validation_error(exc) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ())) or "input"
        parts.append(f"{loc}={err.get('input')!r}: {err.get('msg')}")
    return "; ".join(parts)
