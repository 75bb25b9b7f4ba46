"""``summarize FILE...``: read every input first, then summarize the readable ones with one open backend."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ..schemas import ArticleSummary

from .common import ProgressDisplay, error, handle_errors, make_settings, write_output


def summarize_command(
    files: Annotated[list[str], typer.Argument(help="Article files (UTF-8 text); '-' reads standard input.")],
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
    strict: Annotated[
        bool, typer.Option("--strict", help="Drop records whose evidence is not in the article.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    from ..articles import Article, parse_date, read_article
    from ..errors import InputError, SummarizerError
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
            strict=strict or None,
        )

    articles: list[Article] = []
    failures = 0
    for f in files:
        try:
            articles.append(read_article(f, date))
        except SummarizerError as exc:
            if debug:
                raise
            error(exc.message)
            failures += 1
    if not articles:
        raise typer.Exit(2)

    from ..api import Summarizer

    results: list[tuple[str, ArticleSummary]] = []
    with handle_errors(debug):
        with (
            ProgressDisplay("Starting the model…") as progress,
            Summarizer(settings, progress=progress.model_file) as s,
        ):
            for i, article in enumerate(articles, 1):
                progress.status(f"Summarizing {article.source} ({i}/{len(articles)}) with the model…")
                try:
                    results.append((article.source, s.summarize_article(article)))
                except SummarizerError as exc:
                    if debug or exc.exit_code in (3, 4):  # model file / backend: the rest would fail too
                        raise
                    error(exc.message)
                    failures += 1
        if results:
            write_output(_join(results, fmt), output)
    if failures:
        raise typer.Exit(1)


def _join(results: list[tuple[str, ArticleSummary]], fmt: str) -> str:
    """Several articles: markdown digests one after another, a JSON array, or one JSON line each."""
    import json

    from ..render import render as render_one

    if fmt == "json" and len(results) > 1:
        docs = [json.loads(render_one(r, "json", src)) for src, r in results]
        return json.dumps(docs, ensure_ascii=False, indent=2) + "\n"
    sep = "\n" if fmt == "markdown" else ""
    return sep.join(render_one(r, fmt, src) for src, r in results)
