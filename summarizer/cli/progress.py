"""The progress line a running command shows on stderr (only on a terminal), so a long model start or download is
not silence. Loaded when a command runs (rich's progress machinery is not needed for ``--help``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from typing_extensions import Self

from .common import err_console

if TYPE_CHECKING:
    from ..batch import BatchReport
    from ..schemas import ArticleSummary

MODEL_FILE_STAGES = {"download": "Downloading model chunks", "assemble": "Assembling model", "verify": "Verifying"}


class _Line:
    """A transient rich progress line on stderr, shown only when ``on`` (a terminal)."""

    def __init__(self, on: bool, *columns: ProgressColumn | str) -> None:
        self._on = on
        self._p = Progress(*columns, console=err_console, transient=True, disable=not on)

    def __enter__(self) -> Self:
        if self._on:
            self._p.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._on:
            self._p.stop()


class ProgressDisplay(_Line):
    """One transient line on stderr (only on a terminal): a spinner with a status, or a bar with a count."""

    def __init__(self, first_status: str = "Starting…") -> None:
        super().__init__(err_console.is_terminal, SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                         MofNCompleteColumn(), TimeElapsedColumn())  # fmt: skip
        self._task = self._p.add_task(first_status, total=None)

    def status(self, text: str) -> None:
        self._p.update(self._task, description=text, total=None, completed=0)

    def count(self, text: str, done: int, total: int) -> None:
        self._p.update(self._task, description=text, total=total, completed=done)

    def model_file(self, stage: str, done: int, total: int) -> None:
        """A :data:`summarizer.backends.modelfile.Progress` callback."""
        self.count(MODEL_FILE_STAGES.get(stage, stage), done, total)


class BatchProgress(_Line):
    """A bar on stderr (only on a terminal) while a batch runs: articles done of all, failed and cached counts,
    tokens in and out, and the time left at the pace so far."""

    def __init__(self, total: int) -> None:
        super().__init__(err_console.is_terminal and total > 1, TextColumn("{task.description}"), BarColumn(),
                         MofNCompleteColumn(), TextColumn("{task.fields[counts]}"), TimeElapsedColumn(),
                         TimeRemainingColumn())  # fmt: skip
        self.failed = self.cached = self.tokens_in = self.tokens_out = 0
        self._task = self._p.add_task("Summarizing", total=total, counts="")

    def advance(self, summary: ArticleSummary | None, cached: bool = False) -> None:
        """One article finished: ``summary`` (served from the store if ``cached``), or None if it failed."""
        if summary is None:
            self.failed += 1
        elif cached:
            self.cached += 1
        elif summary.meta:
            self.tokens_in += summary.meta.usage.prompt_tokens
            self.tokens_out += summary.meta.usage.completion_tokens
        counts = f"failed {self.failed} · cached {self.cached} · tokens {self.tokens_in:,} in / {self.tokens_out:,} out"
        self._p.update(self._task, advance=1, counts=counts)


def print_batch_report(report: BatchReport) -> None:
    """The run's final table on stderr."""
    t = Table(title=f"Run {report.run_id}", show_header=False)
    cost = "-" if report.cost is None else f"${report.cost:.4f}"
    rows = [
        ("articles", str(report.articles)), ("summarized", str(report.done)), ("failed", str(report.failed)),
        ("from the store (cached)", str(report.cached)),
        ("tokens in / out", f"{report.prompt_tokens:,} / {report.completion_tokens:,}"),
        ("wall time", f"{report.wall_seconds:.1f} s"), ("cost", cost), ("store", report.store),
    ]  # fmt: skip
    for k, v in rows:
        t.add_row(k, v)
    err_console.print(t)
