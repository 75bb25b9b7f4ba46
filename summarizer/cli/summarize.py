"""``summarize INPUT...``: read every input first, then summarize the readable ones into the run store.

Inputs are files, directories, globs, ``-`` and JSONL files of records (:mod:`summarizer.inputs`). Batch rules
(:mod:`summarizer.batch`): an input that cannot be read is reported and recorded; an article that fails is
reported (``Error: <article>: …``) and recorded, and the others go on; each result is written as soon as it is
done and stored in one transaction; articles already summarized with the same model, prompts and settings come
from the store (``--no-cache`` calls the model anyway), which is how a killed run resumes. The run stops early only
when the model file is unusable or the endpoint was unreachable for 3 articles in a row. Exit code: 0 all done,
1 some failed, else the first failure's code. ``--stats`` (the default with several inputs on a terminal) ends with
a table on stderr: the counts, tokens, time and cost.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ConfigError, OutputError, ReplayMissError, SummarizerError
from .common import cli_command, err_console, error, handle_errors
from .options import BaseUrl, Debug, Format, Model, ModelPath, ModelSha256, Normalize, Pipeline

if TYPE_CHECKING:
    from ..batch import Around
    from ..config import Settings
    from ..inputs import ArticleInput
    from ..schemas import ArticleSummary


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
    db: Annotated[
        Path | None, typer.Option(help="The run store (SQLite) [default: runs.db in the user data folder].")
    ] = None,
    cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache",
            help="Serve articles already summarized with the same model, prompts and settings from the store.",
        ),
    ] = True,
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="Articles at once (remote endpoints; the embedded model runs one).")
    ] = 1,
    replay: Annotated[
        Path | None,
        typer.Option(help="Answer model calls from the recordings in this folder (one ID.yaml per article), offline."),
    ] = None,
    stats: Annotated[
        bool | None,
        typer.Option(
            "--stats/--no-stats",
            help="End with a table on stderr: counts, tokens, time, cost (default: several inputs, a terminal).",
            show_default=False,
        ),
    ] = None,
    debug: Debug = False,
) -> None:
    # The library loads when the command runs, not for --help (the rule: summarizer/cli/__init__.py).
    from ..articles import parse_date
    from ..batch import run_batch
    from ..config import make_settings
    from ..inputs import read_inputs
    from ..store import RunStore
    from .output import OutputWriter, ResultStream
    from .progress import BatchProgress, print_batch_report

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
            db=db,
        )
        around = None
        if replay is not None:
            settings, around = replay_around(settings, replay)
        inputs = [checked(i, settings) for i in read_inputs(files, date)]
        writer = OutputWriter(output)
        store = RunStore(settings.db or RunStore.default_path())

    def failed(_: object, exc: SummarizerError) -> None:
        error(exc.message)

    with handle_errors(debug), writer, store:
        stream = ResultStream(writer, fmt, len(inputs))
        try:
            with BatchProgress(len(inputs)) as progress:

                def done(item: ArticleInput, summary: ArticleSummary, cached: bool) -> None:
                    stream.add(item.source, summary, item.article.text if item.article else "")
                    progress.advance(summary, cached=cached)

                def bad(item: ArticleInput, exc: SummarizerError) -> None:
                    progress.advance(None)
                    failed(item, exc)

                report = run_batch(
                    inputs, settings, store, command=" ".join(["summarize", *files]), use_cache=cache,
                    concurrency=concurrency, around=around, on_result=done, on_error=bad,
                )  # fmt: skip
        finally:
            stream.close()
    if stats or (stats is None and len(inputs) > 1 and err_console.is_terminal):
        print_batch_report(report)
    if report.failed:
        raise typer.Exit(1 if report.done else report.exit_codes[0])


def checked(item: ArticleInput, settings: Settings) -> ArticleInput:
    """``item``, or an error input if its article needs more than ``max_chunks`` model calls (before any call)."""
    from ..pipeline import plan

    if item.article is None:
        return item
    try:
        plan(item.article, settings.n_ctx if settings.backend == "embedded" else None, settings)
    except SummarizerError as exc:
        return replace(item, article=None, error=exc)  # type: ignore[arg-type]
    return item


def replay_around(settings: Settings, folder: Path) -> tuple[Settings, Around]:
    """Settings aimed at the recordings in ``folder`` and the cassette of each article (``ID.yaml``): a request
    that is not recorded fails that article, never reaches a network."""
    from ..eval.replay import cassette_path, make_vcr
    from ..eval.runner import replay_settings

    if not folder.is_dir():
        raise ConfigError(f"--replay: no folder {folder}")
    recorder = make_vcr("none")

    def cassette(item: ArticleInput) -> AbstractContextManager[object]:
        path = cassette_path(folder, item.id)
        if not path.is_file():
            raise ReplayMissError(f"{item.source}: no recording of article {item.id} in {folder}")
        return recorder.use_cassette(str(path))  # type: ignore[no-any-return]

    return replay_settings(settings), cassette
