"""``summarize FILE...``: read every input first, then summarize the readable ones with one open backend.

Batch rules: a directory stands for its files; an input that cannot be read is reported and skipped; an article
that fails is reported (``Error: <article>: …``) and the others go on; each result is written as soon as it is
done. The batch stops early only when the model file is unusable or the endpoint was unreachable for
:data:`MAX_UNREACHABLE` articles in a row. Exit code: 0 all done, 1 some failed, else the first failure's code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ..articles import Article
    from ..config import Settings
    from ..errors import SummarizerError

from .common import (
    OutputWriter,
    ProgressDisplay,
    ResultStream,
    cli_command,
    error,
    handle_errors,
    make_settings,
)

MAX_UNREACHABLE = 3  # endpoint unreachable for this many articles in a row: stop the batch


@cli_command
def summarize_command(
    files: Annotated[
        list[str], typer.Argument(help="Article files or directories (text or HTML); '-' reads standard input.")
    ],
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date YYYY-MM-DD (resolves relative dates).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="markdown, json or jsonl.")] = "markdown",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    model: Annotated[str | None, typer.Option(help="Model name at the endpoint.")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint (default: embedded).")] = None,
    model_path: Annotated[Path | None, typer.Option(help="GGUF file for the embedded model.")] = None,
    pipeline: Annotated[str | None, typer.Option(help="Pipeline name (see docs/pipelines.md).")] = None,
    max_tokens: Annotated[int | None, typer.Option(help="Cap on tokens generated per model call.")] = None,
    n_ctx: Annotated[int | None, typer.Option(help="Context window of the embedded server.")] = None,
    chunk_tokens: Annotated[
        int | None,
        typer.Option(
            help="Article tokens per model call (default: what the embedded context leaves; remote: no split)."
        ),
    ] = None,
    max_chunks: Annotated[
        int | None, typer.Option(help="Most model calls for one long article (default 8); longer ones are refused.")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Drop records whose evidence is not in the article.")
    ] = False,
    prefix_cache: Annotated[
        bool | None,
        typer.Option(
            "--prefix-cache/--no-prefix-cache",
            help="Embedded model: restore the prompt's saved fixed prefix, or read and save it (default: on).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and library logs (keys masked).")] = False,
) -> None:
    from ..articles import parse_date
    from ..errors import BackendError, InputError, SummarizerError
    from ..render import FORMATS

    with handle_errors(debug):
        if fmt not in FORMATS:
            raise InputError("--format", f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        date: dt.date | None = parse_date(published) if published else None
        if output is not None and any(f != "-" and Path(f).resolve() == output.resolve() for f in files):
            raise InputError(str(output), "--output would overwrite an input article")
        settings = make_settings(
            model=model,
            base_url=base_url,
            model_path=model_path,
            pipeline=pipeline,
            max_tokens=max_tokens,
            n_ctx=n_ctx,
            chunk_tokens=chunk_tokens,
            max_chunks=max_chunks,
            strict=strict or None,
            prefix_cache=prefix_cache,
        )
        writer = OutputWriter(output)

    failures: list[int] = []  # exit codes of the articles that failed

    def failed(exc: SummarizerError) -> None:
        if debug:
            raise exc
        error(exc.message)
        failures.append(exc.exit_code)

    articles = read_inputs(files, date, settings, failed)
    if not articles:
        raise typer.Exit(failures[0] if failures else 2)

    from ..api import Summarizer

    done = 0
    with handle_errors(debug), writer:
        stream = ResultStream(writer, fmt, len(articles))
        try:
            with (
                ProgressDisplay("Starting the model…") as progress,
                Summarizer(settings, progress=progress.model_file) as s,
            ):
                unreachable = 0
                for i, article in enumerate(articles, 1):
                    progress.status(f"Summarizing {article.source} ({i}/{len(articles)}) with the model…")
                    try:
                        stream.add(article.source, s.summarize_article(article))
                        done += 1
                        unreachable = 0
                    except BackendError as exc:
                        failed(exc)
                        unreachable = unreachable + 1 if exc.unreachable else 0
                        if unreachable == MAX_UNREACHABLE and i < len(articles):
                            raise BackendError(
                                f"stopping: the endpoint was unreachable for {unreachable} articles in a row; "
                                f"{len(articles) - i} article(s) not attempted, from {articles[i].source}"
                            ) from None
                    except SummarizerError as exc:
                        if exc.exit_code == 3:  # the model file: every other article would fail too
                            raise
                        failed(exc)
        finally:
            stream.close()
    if failures:
        raise typer.Exit(1 if done else failures[0])


def read_inputs(
    files: list[str], date: dt.date | None, settings: Settings, failed: Callable[[SummarizerError], None]
) -> list[Article]:
    """Every readable article of ``files`` (directories expanded), each checked to fit ``max_chunks`` before the
    model starts; each input that cannot be used goes to ``failed``."""
    from ..articles import expand_inputs, read_article
    from ..errors import SummarizerError
    from ..pipeline import plan

    n_ctx = settings.n_ctx if settings.backend == "embedded" else None
    articles: list[Article] = []
    for f in files:
        try:
            paths = expand_inputs(f)
        except SummarizerError as exc:
            failed(exc)
            continue
        for path in paths:
            try:
                article = read_article(path, date)
                plan(article, n_ctx, settings)
                articles.append(article)
            except SummarizerError as exc:
                failed(exc)
    return articles
