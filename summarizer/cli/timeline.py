"""``summarizer timeline FILE...``: one story's trips and summits across articles, as dated events.

FILEs are summary files (``summarize -f json``/``-f jsonl`` output) or articles, summarized now or, with
``--replay``, from the eval's recordings (:mod:`summarizer.eval.stories`). ``--gold TIMELINE`` scores how the
events merge records against a gold timeline (:mod:`summarizer.eval.timeline`) and, with no FILE, takes that
timeline's articles; the scores go to stderr so stdout stays the timeline. ``--from-gold`` builds the timeline
from those articles' gold records instead of a model's: what the merging rules do with a perfect extraction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..choices import TIMELINE_FORMAT_NAMES
from ..errors import ConfigError
from .common import cli_command, err_console, handle_errors
from .options import BaseUrl, Cassettes, Debug, Model, ModelPath, ModelSha256, Pipeline, Root, one_of


@cli_command
def timeline_command(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Summary files (.json/.jsonl from summarize) or article files.")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Output format.", parser=one_of("format", TIMELINE_FORMAT_NAMES))
    ] = "markdown",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    replay: Annotated[
        bool, typer.Option("--replay", help="Articles of the gold set from their recorded responses (offline).")
    ] = False,
    gold: Annotated[
        Path | None, typer.Option("--gold", help="Score event merging against this gold timeline (evals/timelines).")
    ] = None,
    from_gold: Annotated[
        bool,
        typer.Option("--from-gold", help="Build from the gold records of --gold's articles: the merging rules alone."),
    ] = False,
    gold_dir: Annotated[Path, typer.Option(help="Gold folder (ids and dates of replayed articles).")] = Path(
        "evals/gold"
    ),
    root: Root = Path("."),
    cassettes: Cassettes = None,
    model: Model = None,
    base_url: BaseUrl = None,
    model_path: ModelPath = None,
    model_sha256: ModelSha256 = None,
    pipeline: Pipeline = None,
    debug: Debug = False,
) -> None:
    # The library loads when the command runs, not for --help (the rule: summarizer/cli/__init__.py).
    from ..config import make_settings
    from ..eval.gold import load_gold_dir
    from ..eval.runner import replay_settings
    from ..eval.stories import collect_summaries
    from ..eval.timeline import gold_summary, load_gold_timeline, score_merging
    from ..timeline import build_timeline
    from ..timeline_render import render_timeline
    from .output import OutputWriter

    with handle_errors(debug):
        settings = make_settings(
            model=model, base_url=base_url, model_path=model_path, model_sha256=model_sha256, pipeline=pipeline
        )
        cases = load_gold_dir(gold_dir, root) if (replay or gold) else []
        by_id = {c.id: c for c in cases}
        gold_timeline = load_gold_timeline(gold, by_id) if gold else None
        inputs = list(files or [])
        if from_gold:
            if gold_timeline is None or inputs:
                raise ConfigError("--from-gold takes no FILE and needs --gold TIMELINE")
            summaries = [(a, gold_summary(by_id[a])) for a in gold_timeline.articles]
        else:
            if not inputs and gold_timeline is not None:
                inputs = [root / by_id[a].gold.article for a in gold_timeline.articles]
            if not inputs:
                raise ConfigError("no input: give summary or article files, or --gold TIMELINE")
            summaries = collect_summaries(
                inputs, replay_settings(settings) if replay else settings, replay=replay, cases=cases, root=root,
                cassette_dir=cassettes,
            )  # fmt: skip
        timeline = build_timeline(summaries)
        with OutputWriter(output) as out:
            out.write(render_timeline(timeline, fmt))  # type: ignore[arg-type]  # checked by the option's parser
        if gold_timeline is not None:
            s = score_merging(timeline, gold_timeline, by_id, dict(summaries))
            err_console.print(
                f"{s.timeline}: {s.events} events (gold {s.gold_events}); record pairs merged correctly {s.correct}, "
                f"wrongly {s.wrong}, missed {s.missed}, unreachable {s.unreachable}; "
                f"P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}",
                highlight=False,
                soft_wrap=True,
            )
