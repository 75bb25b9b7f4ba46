"""What every command shares: settings from flags, and turning library errors into ``Error: …`` lines."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from ..errors import SummarizerError

err_console = Console(stderr=True)


def error(message: str) -> None:
    """One ``Error: …`` line on stderr; the message is escaped, so brackets in it print as they are."""
    from rich.markup import escape

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


def make_settings(**flags: Any) -> Any:
    """Settings from flags (None means: not given) over SUMMARIZER_* / OPENAI_* env over defaults."""
    from pydantic import ValidationError

    from ..config import Settings
    from ..errors import ConfigError

    given = {k: v for k, v in flags.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid setting {loc}: {first['msg']}") from None


class OutputWriter:
    """Text written as it is produced, so a run that stops early keeps everything it finished.

    To stdout: written and flushed at once. To ``output``: written and flushed to a hidden temporary file beside
    it, which replaces ``output`` when the writer closes (after success, an error or Ctrl-C alike); if the process
    is killed, the temporary file holds what was finished. Nothing is created if nothing was written.
    """

    def __init__(self, output: Path | None) -> None:
        from ..errors import InputError

        if output is not None and output.is_dir():
            raise InputError(str(output), "--output is a directory")
        self.output = output
        self.tmp = None if output is None else output.with_name(f".{output.name}.tmp")
        self._file: Any = None

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, text: str) -> None:
        from ..errors import InputError

        try:
            if self.tmp is None:
                sys.stdout.write(text)
                sys.stdout.flush()
            else:
                if self._file is None:
                    self._file = self.tmp.open("w", encoding="utf-8")
                self._file.write(text)
                self._file.flush()
        except OSError as exc:
            raise InputError(str(self.output or "<stdout>"), f"cannot write output: {exc.strerror or exc}") from None

    def close(self) -> None:
        from ..errors import InputError

        file, self._file = self._file, None
        if file is None or self.tmp is None or self.output is None:
            return
        file.close()
        try:
            self.tmp.replace(self.output)
        except OSError as exc:
            raise InputError(
                str(self.output), f"cannot write output ({exc.strerror or exc}); the results are in {self.tmp}"
            ) from None


class ResultStream:
    """Summaries in one format, each written as soon as it is done (see :class:`OutputWriter`).

    markdown: digests one after another; jsonl: one line each; json: one object for one input, else an array
    whose elements arrive one by one and which is closed when the stream ends, even after an error.
    """

    def __init__(self, writer: OutputWriter, fmt: str, inputs: int) -> None:
        self.writer, self.fmt, self.array = writer, fmt, fmt == "json" and inputs > 1
        self.count = 0

    def add(self, source: str, result: Any) -> None:
        from ..render import render

        text = render(result, self.fmt, source)
        if self.array:
            text = ("[\n" if not self.count else ",\n") + text.rstrip("\n")
        elif self.fmt == "markdown" and self.count:
            text = "\n" + text
        self.writer.write(text)
        self.count += 1

    def close(self) -> None:
        if self.array and self.count:
            self.writer.write("\n]\n")


class WarningLines(logging.Handler):
    """Library warnings (logger ``summarizer``) as ``Warning: …`` lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        from rich.markup import escape

        err_console.print(f"[yellow]Warning:[/] {escape(record.getMessage())}", highlight=False, soft_wrap=True)


class RedactedLogLines(logging.StreamHandler):  # type: ignore[type-arg]
    """``--debug``: every library's log lines on stderr, with key-shaped text masked (see :func:`redact`)."""

    def format(self, record: logging.LogRecord) -> str:
        from ..errors import redact

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
    import signal
    import threading

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


MODEL_FILE_STAGES = {"download": "Downloading model chunks", "assemble": "Assembling model", "verify": "Verifying"}


class ProgressDisplay:
    """One transient line on stderr (only on a terminal): a spinner with a status, or a bar with a count."""

    def __init__(self, first_status: str = "Starting…") -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._on = err_console.is_terminal
        self._p = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeElapsedColumn(), console=err_console, transient=True, disable=not self._on)  # fmt: skip
        self._task = self._p.add_task(first_status, total=None)

    def __enter__(self) -> ProgressDisplay:
        if self._on:
            self._p.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._on:
            self._p.stop()

    def status(self, text: str) -> None:
        self._p.update(self._task, description=text, total=None, completed=0)

    def count(self, text: str, done: int, total: int) -> None:
        self._p.update(self._task, description=text, total=total, completed=done)

    def model_file(self, stage: str, done: int, total: int) -> None:
        """A :data:`summarizer.backends.modelfile.Progress` callback."""
        self.count(MODEL_FILE_STAGES.get(stage, stage), done, total)
