"""Output helpers shared by every command: stable JSON for machines, Rich for people."""

from __future__ import annotations

import json
import math
import sys
from typing import Annotated, Any, Callable

import typer
from rich.console import Console

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON (stable keys) instead of tables.")]

console = Console()
err_console = Console(stderr=True)


def _clean(obj: Any) -> Any:
    """Make ``obj`` JSON-safe: numpy scalars/arrays to Python, NaN/inf to None, pydantic models to dicts."""
    if hasattr(obj, "model_dump"):
        return _clean(obj.model_dump())
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if hasattr(obj, "tolist"):
        return _clean(obj.tolist())
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    return obj


def to_json(data: Any) -> str:
    return json.dumps(_clean(data), indent=2, ensure_ascii=False)


def printable(data: Any) -> Any:
    """``data`` with every string made ready to print (dicts, lists, tuples and pydantic models walked; keys and
    other objects kept): escaped for Rich markup, so a profile called "Ana [test]" or a source "[authors not
    read]" is printed, not read as a style tag; and ASCII units ("38.5 degC", "30 J/cm2") shown with their signs
    ("38.5 °C", "30 J/cm²"), as the web pages and reports show them (:func:`photodose.units.unit_signs`)."""
    from rich.markup import escape

    from ..units import unit_signs

    if isinstance(data, str):
        return escape(unit_signs(data))
    if isinstance(data, dict):
        return {k: printable(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(printable(v) for v in data)
    if hasattr(data, "model_copy"):   # a typed result (pydantic): the same model with its strings made printable
        return data.model_copy(update={name: printable(getattr(data, name)) for name in type(data).model_fields})
    return data


def count_of(n: int, noun: str) -> str:
    """ "1 session", "3 sessions" (English plural by "s")."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def emit(data: Any, as_json: bool, render: Callable[[Console, Any], None]) -> None:
    """Print ``data`` as JSON when ``as_json``, else call ``render(console, data)`` with its strings made ready to
    print (:func:`printable`; renderers add their own markup around them)."""
    if as_json:
        sys.stdout.write(to_json(data) + "\n")
    else:
        render(console, printable(data))


def require_output_path(field: str, path, suffixes: tuple[str, ...] = ()):
    """``path`` as a Path if a file can be written there (existing folder, allowed suffix), else PhotodoseInputError.

    Called before any work so that a refused output path writes nothing.
    """
    from ..errors import PhotodoseInputError
    from ..inputs import user_path

    target = user_path(path, field)
    if suffixes and target.suffix.lower() not in suffixes:
        raise PhotodoseInputError(field, str(path), "a file name ending in " + " or ".join(suffixes))
    if target.is_dir():
        raise PhotodoseInputError(field, str(path), "a file name, not a folder")
    if not target.parent.is_dir():
        raise PhotodoseInputError(field, str(path), f"a file in an existing folder ({target.parent} does not exist)")
    return target


def print_error(message: str) -> None:
    """One line on stderr, no traceback."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)


def print_rows(console: Console, title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]], *,
               id_columns: tuple[str, ...] = (), wide_at: int = 120) -> None:
    """A Rich table on a terminal at least ``wide_at`` columns wide; on a narrower one each row is one wrapped line
    ("first: column value; column value; ..."), where a table's cells would be cut to "…". ``id_columns`` are
    never split (a person types them back)."""
    from rich.table import Table

    if console.width >= wide_at:
        table = Table(title=title)
        for col in columns:
            table.add_column(col, no_wrap=col in id_columns)
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    console.print(f"[bold]{title}[/]")
    for first, *rest in rows:
        cells = "; ".join(f"{col} {value}" for col, value in zip(columns[1:], rest) if value)
        console.print(f"[bold]{first}[/]: {cells}", highlight=False)

