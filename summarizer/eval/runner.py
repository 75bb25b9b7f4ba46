"""The solver side of an eval: run the pipeline over gold cases, live (recording) or replayed from cassettes."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..api import Summarizer
from ..backends import BACKENDS
from ..batch import cache_key, cost, prompt_hashes
from ..config import Settings
from ..errors import BackendError, ConfigError, ReplayMissError, RunLogError, SummarizerError
from ..inputs import text_sha256
from ..schemas import ArticleSummary
from ..store import RunStore
from .gold import GoldCase
from .replay import (
    REPLAY_BASE_URL,
    article_seconds,
    cassette_path,
    load_interactions,
    make_vcr,
    played_subset,
    read_timing,
    reused_count,
    timing_path,
    write_timing,
)
from .runlog import CaseRecord, RunLog
from .score import score
from .timeline import GoldTimeline

Progress = Callable[[int, int, str], None]


def replay_settings(settings: Settings) -> Settings:
    """Settings whose requests equal the recorded embedded ones, aimed at an address nothing listens on."""
    model = settings.model or BACKENDS["embedded"].default_model
    mode = settings.mode or BACKENDS["embedded"].mode
    return settings.model_copy(update={"base_url": REPLAY_BASE_URL, "model": model, "api_key": None, "mode": mode})


def _timed(
    prediction: ArticleSummary,
    *,
    live: bool,
    cassette_dir: Path,
    case_id: str,
    reused: int = 0,
    played: list[dict[str, Any]] | None = None,
) -> ArticleSummary:
    """Live: write the call's seconds beside the cassette (with reused answers, the server's time for every answer,
    :func:`~summarizer.eval.replay.article_seconds`). Replay: report those seconds, not the replay's; when only
    ``played`` of the recorded answers were asked, the server's time for those."""
    meta = prediction.meta
    if meta is None:
        return prediction
    if live:
        seconds = (
            round(article_seconds(load_interactions(cassette_path(cassette_dir, case_id))), 2)
            if reused
            else meta.seconds
        )
        write_timing(cassette_dir, case_id, seconds, meta.model, reused, live=meta.seconds)
        return prediction.model_copy(update={"meta": meta.model_copy(update={"seconds": seconds})})
    recorded = round(article_seconds(played), 2) if played is not None else read_timing(cassette_dir, case_id)
    update = {"backend": "replay", "seconds": recorded if recorded is not None else 0.0}
    return prediction.model_copy(update={"meta": meta.model_copy(update=update)})


def check_reuse(cases: list[GoldCase], reuse: Path, *, live: bool, cassette_dir: Path) -> None:
    """``reuse`` must come with a live run, be another folder than the one recorded, and hold every case."""
    if not live or not reuse.is_dir():
        raise ConfigError("--reuse needs --live" if not live else f"--reuse: no folder {reuse}")
    if reuse.resolve() == cassette_dir.resolve():
        raise ConfigError(f"--reuse {reuse} is the folder being recorded")
    missing = [c.id for c in cases if not cassette_path(reuse, c.id).is_file()]
    if missing:
        raise ConfigError(f"--reuse: no recording in {reuse} of {', '.join(missing[:5])}")


def run_cases(
    cases: list[GoldCase],
    settings: Settings,
    *,
    live: bool,
    cassette_dir: Path,
    progress: Progress | None = None,
    reuse: Path | None = None,
) -> list[CaseRecord]:
    """Summarize every case; an article's error is recorded and the run goes on (backend failures stop it).
    ``reuse`` (live only): start each cassette from that folder's recording (see :mod:`summarizer.eval.replay`),
    which must hold one for every case (:func:`check_reuse`)."""
    if reuse is not None:
        check_reuse(cases, reuse, live=live, cassette_dir=cassette_dir)
    records: list[CaseRecord] = []
    run_settings = settings if live else replay_settings(settings)
    recorder = make_vcr(
        ("new_episodes" if reuse is not None else "all") if live else "none", drop_unused=reuse is not None
    )
    if live:
        cassette_dir.mkdir(parents=True, exist_ok=True)
    with Summarizer(run_settings) as summarizer:
        if live:
            summarizer.warm()  # the saved prefix is restored (or saved) here, outside every article's cassette
        for i, case in enumerate(cases, 1):
            if progress:
                progress(i, len(cases), case.id)
            path = cassette_path(cassette_dir, case.id)
            if not live and not path.is_file():
                raise ReplayMissError(f"{case.id}: no cassette at {path}; record one with `summarizer eval --live`")
            prediction: ArticleSummary | None = None
            error = error_type = None
            recording = path.with_name(f"{case.id}.recording.yaml") if live else path
            if live:
                recording.unlink(missing_ok=True)
                timing_path(cassette_dir, case.id).unlink(missing_ok=True)
                if reuse is not None:
                    shutil.copyfile(cassette_path(reuse, case.id), recording)
            with recorder.use_cassette(str(recording)) as cassette:
                try:
                    prediction = summarizer.summarize_article(case.article)
                except BackendError as exc:
                    if live:
                        recording.unlink(missing_ok=True)  # the article's old cassette stays as it was
                        raise
                    if cassette.play_count == 0:
                        raise ReplayMissError(
                            f"{case.id}: the request is not in {path} (prompt, schema, model or settings changed); "
                            "record again with `summarizer eval --live`"
                        ) from exc
                    error, error_type = exc.message, type(exc).__name__
                except SummarizerError as exc:
                    error, error_type = exc.message, type(exc).__name__
            if live:
                recording.replace(path)
            if prediction is not None:
                reused = reused_count(cassette) if live else 0
                played = None if live else played_subset(cassette)
                prediction = _timed(
                    prediction, live=live, cassette_dir=cassette_dir, case_id=case.id, reused=reused, played=played
                )
            records.append(
                CaseRecord(
                    id=case.id, article=case.article.source, prediction=prediction, error=error, error_type=error_type
                )
            )
    return records


def evaluate(
    cases: list[GoldCase],
    settings: Settings,
    *,
    live: bool,
    cassette_dir: Path,
    gold_dir: Path,
    progress: Progress | None = None,
    timelines: list[GoldTimeline] | None = None,
    reuse: Path | None = None,
) -> RunLog:
    """Run and score: the returned log is ready to save."""
    t0 = time.perf_counter()
    records = run_cases(cases, settings, live=live, cassette_dir=cassette_dir, progress=progress, reuse=reuse)
    wall = time.perf_counter() - t0
    prompts = list({ref.sha256: ref for r in records if r.prediction and r.prediction.meta
                    for ref in r.prediction.meta.prompts}.values())  # fmt: skip
    model = settings.model or BACKENDS["remote" if (live and settings.base_url) else "embedded"].default_model
    return RunLog(
        created=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        mode="live" if live else "replay",
        model=model,
        pipeline=settings.pipeline,
        prompts=prompts,
        settings=settings.describe(),
        gold_dir=str(gold_dir),
        cassette_dir=str(cassette_dir),
        wall_seconds=round(wall, 2),
        cases=records,
        scores=score(cases, [r.prediction for r in records], timelines),
    )


def rescore(log: RunLog, cases: list[GoldCase], timelines: list[GoldTimeline] | None = None) -> RunLog:
    """Score a log's stored predictions again (current gold, current scorer); no model is called."""
    by_id = {c.id: c for c in cases}
    missing = [r.id for r in log.cases if r.id not in by_id]
    if missing:
        raise RunLogError(None, f"run log has articles the gold set lacks: {', '.join(missing[:5])}")
    kept = [by_id[r.id] for r in log.cases]
    scores = score(kept, [r.prediction for r in log.cases], timelines)
    return log.model_copy(
        update={"scores": scores, "rescored": dt.datetime.now(dt.timezone.utc).replace(microsecond=0)}
    )


def record_eval(store: RunStore, log: RunLog, cases: list[GoldCase], settings: Settings) -> str:
    """Write an eval run (its predictions and errors) into the store as a run of its own; its run id.

    A replayed run is recorded under the settings it replayed, so its results serve as the cache of the same
    articles summarized with those settings."""
    key = cache_key(settings)
    run_id = store.start_run(
        command=f"eval ({log.mode})", pipeline=log.pipeline, model=log.model, backend=settings.backend,
        settings=settings.describe(), prompts=prompt_hashes(settings), cache_key=key,
    )  # fmt: skip
    by_id = {c.id: c for c in cases}
    tokens = [0, 0]
    for record in log.cases:
        case = by_id[record.id]
        if record.prediction is None:
            store.add_error(
                run_id, article_id=record.id, source=record.article, error_type=record.error_type or "Error",
                message=record.error or "", attempts=None,
            )  # fmt: skip
            continue
        store.add_result(
            run_id, article_id=record.id, source=record.article, text_sha256=text_sha256(case.article.text),
            published=case.article.published, meta=case.article.meta, summary=record.prediction, cache_key=key,
            cached=False,
        )  # fmt: skip
        if record.prediction.meta:
            tokens[0] += record.prediction.meta.usage.prompt_tokens
            tokens[1] += record.prediction.meta.usage.completion_tokens
    failed = sum(r.prediction is None for r in log.cases)
    store.finish_run(
        run_id, status="finished", articles=len(log.cases), failed=failed, cached=0, prompt_tokens=tokens[0],
        completion_tokens=tokens[1], wall_seconds=log.wall_seconds, cost=cost(settings, log.model, *tokens),
    )  # fmt: skip
    return run_id
