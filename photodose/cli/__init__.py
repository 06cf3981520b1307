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
from typer.core import TyperGroup

from ..errors import PhotodoseInputError
from ._output import print_error


class PhotodoseGroup(TyperGroup):
    """The root command: every way a run can end becomes an exit code and at most one line on stderr.

    Used by the ``photodose`` entry point and by Typer's ``CliRunner`` alike (both call ``main``): bad input is
    one line naming the option typed, exit 2; never a traceback (``PHOTODOSE_DEBUG=1`` shows one for a bug).
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        code = run_guarded(lambda: super(PhotodoseGroup, self).main(
            argv, prog_name, complete_var, standalone_mode=False, **extra), self, argv)
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    name="photodose",
    cls=PhotodoseGroup,
    help="Dosimetry, planning, safety and journaling for red and near-infrared photobiomodulation. "
         "photodose informs; it does not diagnose or prescribe.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"photodose {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                       help="Print photodose's version and exit.")) -> None:
    """photodose: light dose for photobiomodulation, from device to tissue."""


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            module.register(app)


# Help panels in the order of the data flow (DESIGN.md); a command not named here stays under "Commands".
HELP_PANELS = {
    "Start here": ("demo", "plan", "dose", "serve", "protocols"),
    "Tissue and light transport": ("optics", "stack", "tissues", "sites", "mc", "fast", "head"),
    "Devices": ("irradiance", "calibrate", "device"),
    "Safety": ("safety",),
    "Journal": ("profile", "log", "schedule", "history", "progress", "export", "import"),
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
    sys.exit(run_guarded(lambda: app(args=argv, standalone_mode=False)))


def run_guarded(call, root=None, argv=()) -> int:
    """Run ``call``; return its exit code, printing at most one line for anything that went wrong."""
    import errno
    import os

    try:
        _check_arguments(argv)
        result = call()
        return result if isinstance(result, int) and not isinstance(result, bool) else 0
    except PhotodoseInputError as exc:
        print_error(str(_named_as_typed(exc, root, argv)))
        return 2
    except typer.Exit as exc:  # click.exceptions.Exit
        return exc.exit_code
    except typer.Abort:
        print_error("aborted")
        return 1
    except KeyboardInterrupt:
        print_error("interrupted")
        return 130
    except OSError as exc:  # a file that cannot be read or written: one line, not a traceback
        if exc.errno == errno.ENOSPC:
            print_error("disk full, nothing was written")
            return 1
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print_error(f"cannot use{where}: {exc.strerror or exc}")
        return 2
    except Exception as exc:
        from typer import _click as click  # the click that typer vendors

        if isinstance(exc, click.exceptions.ClickException):  # usage errors: one line and where to look
            message = " ".join(exc.format_message().split())
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            print_error(message + hint)
            return exc.exit_code
        from pydantic import ValidationError

        if isinstance(exc, ValidationError):
            print_error(_describe_validation_error(exc))
            return 2
        if os.environ.get("PHOTODOSE_DEBUG"):
            raise
        detail = " ".join(str(exc).split())[:200]
        print_error(f"internal error, a bug in photodose ({type(exc).__name__}: {detail}); "
                    "PHOTODOSE_DEBUG=1 shows the traceback")
        return 1


def _check_arguments(argv) -> None:
    """Refuse command-line text that is not valid Unicode (bytes that are not UTF-8 arrive as lone surrogates)
    and empty values (``--skin-type ""`` would otherwise silently mean the default: leave the option out)."""
    from ..inputs import check_text

    previous = "argument"
    for arg in map(str, argv):
        option, sep, value = arg.partition("=") if arg.startswith("--") else ("", "", "")
        field = option if sep else previous if previous.startswith("-") else "argument"
        check_text(arg, field)
        if (value if sep else arg).strip() == "":
            raise PhotodoseInputError(field, value if sep else arg, "a value (leave the option out for its default)")
        previous = arg


# Internal field names that a stage reports, and the option a person types for them.
FIELD_OPTIONS = {"wavelength_nm": "nm", "skin_phototype": "skin_type", "distance_mm": "distance",
                 "session_seconds": "minutes", "thickness_mm": "thickness", "depth_mm": "depth_mm",
                 "input": "input_path", "atlas": "transport", "thickness_layer": "thickness",
                 "tissue_layer": "tissue"}


def _named_as_typed(exc: PhotodoseInputError, root, argv) -> PhotodoseInputError:
    """``exc`` with its field shown as the option the person typed (``distance`` -> ``--distance``)."""
    if root is None or exc.field.startswith("-") or type(exc) is not PhotodoseInputError:
        return exc
    try:
        return _as_typed(exc, root, argv)
    except Exception:  # naming is a courtesy: never let it hide the message
        return exc


def _as_typed(exc: PhotodoseInputError, root, argv) -> PhotodoseInputError:
    from typer._click import core as click  # the click that typer vendors

    command, rest = root, list(argv)
    ctx = click.Context(root)
    while hasattr(command, "get_command") and rest:
        name = rest.pop(0)
        if name.startswith("-"):
            continue
        command = command.get_command(ctx, name)
        if command is None:
            return exc
    key = exc.field.strip().lower().replace("-", "_").replace(" ", "_")
    head, dot, rest = key.partition(".")  # "tissue.subcutaneous_fat": the --tissue entry for that layer
    for wanted, suffix in ((FIELD_OPTIONS.get(key, key), ""), (FIELD_OPTIONS.get(head, head), f" {rest}")):
        if wanted == key and suffix or (suffix and not dot):
            continue
        for param in getattr(command, "params", []):
            names = {param.name or ""} | {o.lstrip("-").replace("-", "_") for o in param.opts}
            if wanted in names:
                typed = [o for o in param.opts if o in argv]
                shown = (typed or sorted(param.opts, key=len, reverse=True))[0]
                if getattr(param, "param_type_name", "") == "argument":
                    shown = (param.metavar or param.name or "").upper()
                return PhotodoseInputError(shown + suffix, exc.value, exc.allowed, exc.source)
    return exc


def _describe_validation_error(exc) -> str:
    """A pydantic error as one line: the field and value where there is one, never a dump of the whole input."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()))
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        given = err.get("input")
        if not loc or isinstance(given, (dict, list)):
            parts.append(f"{loc}: {message}" if loc else message)
            continue
        value = " ".join(repr(given).split())
        value = value if len(value) <= 60 else value[:60] + "..."
        parts.append(f"{loc}={value}: {message}")
    return "; ".join(parts)
