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

from ..errors import BackendError, ModelFileError, OutputError, SummarizerError
from .common import cli_command, error, handle_errors
from .options import BaseUrl, Debug, Format, Model, ModelPath, ModelSha256, Normalize, Pipeline

if TYPE_CHECKING:
    from ..articles import Article
    from ..config import Settings

MAX_UNREACHABLE = 3  # endpoint unreachable for this many articles in a row: stop the batch


@cli_command
def summarize_command(
    files: Annotated[
        list[str], typer.Argument(help="Article files or directories (text or HTML); '-' reads standard input.")
    ],
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date YYYY-MM-DD (resolves relative dates).")
    ] = None,
    fmt: Format = "markdown",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    model: Model = None,
    base_url: BaseUrl = None,
    model_path: ModelPath = None,
    model_sha256: ModelSha256 = None,
    pipeline: Pipeline = None,
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
    normalize: Normalize = None,
    prefix_cache: Annotated[
        bool | None,
        typer.Option(
            "--prefix-cache/--no-prefix-cache",
            help="Embedded model: restore the prompt's saved fixed prefix, or read and save it (default: on).",
            show_default=False,
        ),
    ] = None,
    debug: Debug = False,
) -> None:
    # The library loads when the command runs, not for --help (the rule: summarizer/cli/__init__.py).
    from ..api import Summarizer
    from ..articles import parse_date
    from ..config import make_settings
    from .output import OutputWriter, ResultStream
    from .progress import ProgressDisplay

    with handle_errors(debug):
        date: dt.date | None = parse_date(published) if published else None
        if output is not None and any(f != "-" and Path(f).resolve() == output.resolve() for f in files):
            raise OutputError(str(output), "--output would overwrite an input article")
        settings = make_settings(
            model=model,
            base_url=base_url,
            model_path=model_path,
            model_sha256=model_sha256,
            pipeline=pipeline,
            max_tokens=max_tokens,
            n_ctx=n_ctx,
            chunk_tokens=chunk_tokens,
            max_chunks=max_chunks,
            strict=strict or None,
            normalize=normalize,
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
                    except ModelFileError:  # every other article would fail too
                        raise
                    except SummarizerError as exc:
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
