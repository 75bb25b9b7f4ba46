"""Command line: ``summarize FILE...`` and the ``summarizer`` group (summarize, model, eval, timeline).

The CLI parses arguments, calls the library and prints. Every :class:`SummarizerError` becomes one line
``Error: …`` on stderr and the error's exit code; ``--debug`` shows the traceback instead.

Rule for imports: a command module imports at its top only typer, rich, :mod:`summarizer.errors` and the CLI's own
light modules (:mod:`.common`, :mod:`.options`, which reads :mod:`summarizer.choices`); a command's body imports the
library it runs, in one block at its start. So ``--help`` never loads pydantic or the library
(``tests/cli/test_options.py`` checks it; ``bench/startup.py`` times it). Everywhere else imports sit at the top of
the module (ruff's PLC0415 and TID253, configured in pyproject.toml).
"""

from __future__ import annotations

import typer

from .eval import eval_command
from .model import model_app
from .summarize import summarize_command
from .timeline import timeline_command

# Help and usage errors in click's plain layout (rich_markup_mode=None): typer's rich layout costs more start-up time
# than the rest of ``--help`` together (bench/startup.py).
summarize_app = typer.Typer(add_completion=False, pretty_exceptions_show_locals=False, rich_markup_mode=None)
summarize_app.command(help="Summarize diplomatic news articles into grounded records.")(summarize_command)

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    no_args_is_help=True,
    help="Grounded trips, summits, commitments and skepticism from diplomatic news.",
)
app.command("summarize", help="Summarize diplomatic news articles into grounded records.")(summarize_command)
app.add_typer(model_app, name="model")
app.command("eval", help="Score the pipeline against the gold set (offline replay by default).")(eval_command)
app.command("timeline", help="Merge the trips and summits of several articles into one dated timeline.")(
    timeline_command
)


def main() -> None:
    """Entry point of ``summarizer``."""
    app()


def summarize_main() -> None:
    """Entry point of ``summarize``."""
    summarize_app()
