"""What every command shares: settings from flags, and turning library errors into ``Error: …`` lines."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


def write_output(text: str, output: Path | None) -> None:
    """Write to ``output`` atomically (a temporary file, then rename), or to stdout."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ..errors import InputError

    if output.is_dir():
        raise InputError(str(output), "--output is a directory")
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(str(output), f"cannot write output: {exc.strerror or exc}") from None


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
