"""Command line: ``summarize FILE...`` and the ``summarizer`` group (summarize, model, eval).

The CLI parses arguments, calls the library and prints. Every :class:`SummarizerError` becomes one line
``Error: …`` on stderr and the error's exit code; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import typer

from .eval import eval_command
from .model import model_app
from .summarize import summarize_command

summarize_app = typer.Typer(add_completion=False, pretty_exceptions_show_locals=False)
summarize_app.command(help="Summarize diplomatic news articles into grounded records.")(summarize_command)

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    help="Grounded trips, summits, commitments and skepticism from diplomatic news.",
)
app.command("summarize", help="Summarize diplomatic news articles into grounded records.")(summarize_command)
app.add_typer(model_app, name="model")
app.command("eval", help="Score the pipeline against the gold set (offline replay by default).")(eval_command)


def main() -> None:
    """Entry point of ``summarizer``."""
    app()


def summarize_main() -> None:
    """Entry point of ``summarize``."""
    summarize_app()
