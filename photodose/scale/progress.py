"""Progress display for Dask runs (an edge: Rich on a terminal, nothing otherwise)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

ProgressFn = Callable[[int, int], None]


@contextmanager
def rich_progress(description: str, enabled: bool = True) -> Iterator[ProgressFn | None]:
    """Yield ``update(done, total)`` drawing a Rich bar on stderr when it is a terminal; else yield None."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def say(message: str) -> None:
    """One line for a person on stderr (keeps stdout clean for --json)."""
    from rich.console import Console

    Console(stderr=True).print(message, highlight=False, soft_wrap=True)
