"""What every command shares: library errors as ``Error: …`` lines, warnings and logs, SIGTERM as Ctrl-C.

Every command is wrapped in :func:`cli_command` (logging and SIGTERM handling for the whole command) and runs its
work inside :func:`handle_errors`. Settings come from :func:`summarizer.config.make_settings`; the options
commands share are declared in :mod:`summarizer.cli.options`; ``summarize``'s output is in :mod:`.output` and the
progress line in :mod:`.progress` (both loaded when a command runs).
"""

from __future__ import annotations

import functools
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import SummarizerError, redact

err_console = Console(stderr=True)


def error(message: str) -> None:
    """One ``Error: …`` line on stderr; the message is escaped, so brackets in it print as they are."""
    err_console.print(f"[bold red]Error:[/] {escape(message)}", highlight=False, soft_wrap=True)


@contextmanager
def handle_errors(debug: bool) -> Iterator[None]:
    """Turn a SummarizerError (or Ctrl-C) into one line and an exit code; ``debug`` keeps the traceback."""
    try:
        yield
    except SummarizerError as exc:
        if debug:
            raise
        error(exc.message)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        if debug:
            raise
        error("interrupted")
        raise typer.Exit(130) from None


class WarningLines(logging.Handler):
    """Library warnings (logger ``summarizer``) as ``Warning: …`` lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        err_console.print(f"[yellow]Warning:[/] {escape(record.getMessage())}", highlight=False, soft_wrap=True)


class RedactedLogLines(logging.StreamHandler):  # type: ignore[type-arg]
    """``--debug``: every library's log lines on stderr, with key-shaped text masked (see :func:`redact`)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


@contextmanager
def configured_logging(debug: bool) -> Iterator[None]:
    """For one command: our warnings as ``Warning: …`` lines; other libraries' logs hidden (instructor logs each
    failed attempt at ERROR, endpoint message and all; our error line already says it), or with ``--debug`` shown
    with keys masked. Everything is put back afterwards (commands also run in-process, from tests and apps)."""
    ours, root, instructor = logging.getLogger("summarizer"), logging.getLogger(), logging.getLogger("instructor")
    saved = (root.level, instructor.level)
    added: list[tuple[logging.Logger, logging.Handler]] = [(ours, WarningLines(logging.WARNING))]
    if debug:
        handler = RedactedLogLines(sys.stderr)
        handler.setFormatter(logging.Formatter("%(name)s: %(levelname)s: %(message)s"))
        handler.addFilter(lambda r: not r.name.startswith("summarizer"))  # shown as Warning: lines already
        added.append((root, handler))
        root.setLevel(logging.INFO)
    instructor.setLevel(logging.INFO if debug else logging.CRITICAL)
    for logger, h in added:
        logger.addHandler(h)
    try:
        yield
    finally:
        for logger, h in added:
            logger.removeHandler(h)
        root.setLevel(saved[0])
        instructor.setLevel(saved[1])


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM handled like Ctrl-C while a command runs, so its cleanup runs (server stopped, finished results
    written); the previous handler is put back. Only the main thread can set handlers: elsewhere, nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


F = TypeVar("F", bound=Callable[..., Any])


def cli_command(command: F) -> F:
    """Run a command (whose ``debug`` flag it reads) with :func:`configured_logging` and
    :func:`sigterm_as_interrupt`."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        with configured_logging(bool(kwargs.get("debug"))), sigterm_as_interrupt():
            return command(*args, **kwargs)

    return run  # type: ignore[return-value]
