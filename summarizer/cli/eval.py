"""``summarizer eval``: run and score (replay by default), re-score a log, compare two logs, gate on F1, report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..errors import ConfigError, RegressionError
from .common import cli_command, err_console, handle_errors
from .options import BaseUrl, Cassettes, Debug, Model, ModelPath, ModelSha256, Normalize, Pipeline, Root, one_of

REPORT_FORMATS = ("html",)


@cli_command
def eval_command(
    live: Annotated[
        bool,
        typer.Option(
            "--live/--replay",
            help="Call the configured model and record cassettes, or replay recorded responses offline (default).",
        ),
    ] = False,
    reuse: Annotated[
        Path | None,
        typer.Option(
            help="With --live: start each cassette from this folder's recording; identical requests are answered "
            "from it, the rest go to the model (vcrpy new_episodes)."
        ),
    ] = None,
    rescore: Annotated[Path | None, typer.Option(help="Re-score this run log; no model call.")] = None,
    compare: Annotated[tuple[Path, Path] | None, typer.Option(help="Compare two run logs: A B.")] = None,
    fail_under: Annotated[list[str] | None, typer.Option(help="CATEGORY=F1 (or overall=F1); repeatable.")] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="Gate on this run log: fail if overall or any category F1 falls below its (re-scored) F1."),
    ] = None,
    tolerance: Annotated[float, typer.Option(help="How far below --baseline a score may fall.")] = 0.0,
    gold: Annotated[Path, typer.Option(help="Gold folder.")] = Path("evals/gold"),
    timelines: Annotated[
        Path, typer.Option(help="Gold timelines folder: merge scores for those whose articles are scored.")
    ] = Path("evals/timelines"),
    root: Root = Path("."),
    cassettes: Cassettes = None,
    runs: Annotated[Path, typer.Option(help="Where run logs are written.")] = Path("evals/runs"),
    db: Annotated[
        Path | None, typer.Option(help="Also record the run's predictions and errors in this run store (SQLite).")
    ] = None,
    only: Annotated[list[str] | None, typer.Option(help="Only these article ids; repeatable.")] = None,
    save: Annotated[bool, typer.Option("--save/--no-save", help="Write the run log.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON on stdout.")] = False,
    report_format: Annotated[
        str | None,
        typer.Option(
            "--report",
            metavar="<html>",
            help="Also write a report (html: one page with charts and every article's records) to -o FILE.",
            parser=one_of("report", REPORT_FORMATS),
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The --report file.")] = None,
    model: Model = None,
    base_url: BaseUrl = None,
    model_path: ModelPath = None,
    model_sha256: ModelSha256 = None,
    pipeline: Pipeline = None,
    normalize: Normalize = None,
    debug: Debug = False,
) -> None:
    # The library loads when the command runs, not for --help (the rule: summarizer/cli/__init__.py).
    from ..config import make_settings
    from ..eval import report, runlog
    from ..eval.gold import load_gold_dir
    from ..eval.htmlreport import render_report
    from ..eval.runner import evaluate, replay_settings
    from ..eval.runner import rescore as rescore_log
    from ..eval.timeline import load_gold_timelines
    from .output import OutputWriter
    from .progress import ProgressDisplay

    out = Console()
    with handle_errors(debug):
        thresholds = report.parse_thresholds(fail_under or [])
        if (report_format is None) != (output is None):
            raise ConfigError(f"--report {report_format} needs -o FILE" if output is None else "-o needs --report html")
        writer = OutputWriter(output) if output is not None else None
        if compare is not None:
            a, b = runlog.load(compare[0]), runlog.load(compare[1])
            report.print_compare(a, b, out)
            if writer is None:
                return
        cases = load_gold_dir(gold, root)
        if only:
            unknown = sorted(set(only) - {c.id for c in cases})
            if unknown:
                raise ConfigError(f"--only: no gold file with id {', '.join(unknown)}")
            cases = [c for c in cases if c.id in set(only)]
        gold_timelines = load_gold_timelines(timelines, cases)
        if compare is not None and writer is not None:  # the page shows pairs against the current gold: re-score
            kept = [x.model_copy(update={"cases": [c for c in x.cases if not only or c.id in only]}) for x in (a, b)]
            a, b = (rescore_log(x, cases, gold_timelines) for x in kept)
            with writer:
                writer.write(render_report(b, cases, other=a))
            err_console.print(f"report: {output}", highlight=False, markup=False, soft_wrap=True)
            return
        if baseline is not None:
            base = rescore_log(runlog.load(baseline), cases).scores
            thresholds = report.baseline_thresholds(base, tolerance) | thresholds
        if rescore is not None:
            log = rescore_log(runlog.load(rescore), cases, gold_timelines)
            target = rescore if save else None
        else:
            settings = make_settings(
                model=model,
                base_url=base_url,
                model_path=model_path,
                model_sha256=model_sha256,
                pipeline=pipeline,
                normalize=normalize,
            )
            cassette_dir = cassettes or Path("cassettes/eval") / settings.pipeline
            with ProgressDisplay("Evaluating…") as progress:
                log = evaluate(
                    cases,
                    settings,
                    live=live,
                    cassette_dir=cassette_dir,
                    gold_dir=gold,
                    progress=lambda i, n, case_id: progress.count(case_id, i - 1, n),
                    timelines=gold_timelines,
                    reuse=reuse,
                )
            target = runs if save else None
        if target is not None:
            err_console.print(f"run log: {runlog.save(log, target)}", highlight=False, markup=False)
        if db is not None and rescore is None:
            from ..eval.runner import record_eval
            from ..store import RunStore

            with RunStore(db) as store:
                run_id = record_eval(store, log, cases, settings if live else replay_settings(settings))
            err_console.print(f"run store: {db} (run {run_id})", highlight=False, markup=False)
        if writer is not None:
            with writer:
                writer.write(render_report(log, cases))
            err_console.print(f"report: {output}", highlight=False, markup=False, soft_wrap=True)
        if as_json:
            typer.echo(log.scores.model_dump_json(indent=1, exclude={"per_article"}))
        else:
            report.print_scores(log, out)
        failed = report.failures(log.scores, thresholds)
        if failed:
            raise RegressionError(failed)
