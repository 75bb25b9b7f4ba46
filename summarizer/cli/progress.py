"""The progress line a running command shows on stderr (only on a terminal), so a long model start or download is
not silence. Loaded when a command runs (rich's progress machinery is not needed for ``--help``)."""

from __future__ import annotations

from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .common import err_console

MODEL_FILE_STAGES = {"download": "Downloading model chunks", "assemble": "Assembling model", "verify": "Verifying"}


class ProgressDisplay:
    """One transient line on stderr (only on a terminal): a spinner with a status, or a bar with a count."""

    def __init__(self, first_status: str = "Starting…") -> None:
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
