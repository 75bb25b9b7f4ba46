"""Options that several commands take, each declared once (like inspect_ai's ``common_options``).

Rules: a shared option's flag, type and help text are written here and nowhere else; a command takes one by
annotating a parameter with its type (``model: Model = None``). A settings option defaults to None, meaning "not
given", so :func:`summarizer.config.make_settings` falls back to ``SUMMARIZER_*`` / ``OPENAI_*`` and the defaults.
This module imports only typer, :mod:`summarizer.choices` and :mod:`summarizer.errors`: every ``--help`` reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from ..choices import DEFAULT_PIPELINE, FORMAT_NAMES, PIPELINE_NAMES, FormatName
from ..errors import UnknownChoiceError


def one_of(what: str, names: tuple[str, ...]) -> Callable[[str], str]:
    """A parser that accepts one of ``names`` and refuses anything else with the package's one-line message."""

    def parse(value: str) -> str:
        if value not in names:
            raise typer.BadParameter(UnknownChoiceError(what, value, names).message)
        return value

    return parse


Model = Annotated[str | None, typer.Option(help="Model name at the endpoint.")]
BaseUrl = Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint (default: the embedded model).")]
ModelPath = Annotated[
    Path | None, typer.Option(help="Your own GGUF file for the embedded model (default: the verified download).")
]
ModelSha256 = Annotated[str | None, typer.Option(help="Check --model-path against this SHA-256.")]
Pipeline = Annotated[
    str | None,
    typer.Option(help=f"Pipeline: {', '.join(PIPELINE_NAMES)} (see docs/pipelines.md; default: {DEFAULT_PIPELINE})."),
]
Format = Annotated[
    FormatName, typer.Option("--format", "-f", help="Output format.", parser=one_of("format", FORMAT_NAMES))
]
Normalize = Annotated[
    bool | None,
    typer.Option(
        "--normalize/--no-normalize",
        help="Resolve dates, canonical actors, ISO codes, ids and links after the model (default: on).",
    ),
]
Root = Annotated[Path, typer.Option(help="Folder that gold 'article' paths are relative to.")]
Cassettes = Annotated[
    Path | None, typer.Option(help="Folder of the recorded model responses [default: cassettes/eval/PIPELINE].")
]
Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks and library logs (keys masked).")]
