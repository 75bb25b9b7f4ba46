"""Run logs round-trip, re-score without a model, compare, and gate on thresholds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from summarizer.errors import ConfigError, SummarizerError
from summarizer.eval import report, runlog
from summarizer.eval.runlog import CaseRecord, RunLog
from summarizer.eval.runner import rescore
from summarizer.eval.score import score

from .test_score import FULL, TRIPS, gold_case, prediction


def make_log(pred_lists: dict[str, list[dict[str, object]]]) -> RunLog:
    case = gold_case(**FULL)
    pred = prediction(**pred_lists)
    return RunLog(
        created=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        mode="replay",
        model="m",
        pipeline="single",
        prompts=[],
        settings={},
        gold_dir="g",
        cassette_dir="c",
        wall_seconds=1.0,
        cases=[CaseRecord(id="t", article="a.txt", prediction=pred)],
        scores=score([case], [pred]),
    )


def test_save_load_round_trip(tmp_path: Path) -> None:
    log = make_log(FULL)
    path = runlog.save(log, tmp_path)
    assert path.name == "20260101-000000-replay-single.json"
    assert runlog.load(path) == log


def test_a_log_of_another_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    path.write_text('{"version": 99}')
    with pytest.raises(SummarizerError, match="run log version 99, this tool reads 1"):
        runlog.load(path)


def test_rescore_uses_the_stored_predictions_only() -> None:
    log = make_log({"trips": TRIPS[:1]})
    stale = log.model_copy(update={"scores": make_log(FULL).scores})
    again = rescore(stale, [gold_case(**FULL)])
    assert again.scores.overall.model_dump() == log.scores.overall.model_dump()
    assert again.rescored is not None


def test_compare_lists_regressions_first() -> None:
    good, worse = make_log(FULL), make_log({"trips": TRIPS})
    metric_deltas, article_deltas = report.compare(good, worse)
    assert metric_deltas[0].regression > 0
    assert article_deltas[0].name == "t" and article_deltas[0].change < 0


def test_fail_under_parses_and_gates() -> None:
    log = make_log({"trips": TRIPS})
    thresholds = report.parse_thresholds(["trips=0.9", "summits=0.5"])
    assert report.failures(log.scores, thresholds) == ["summits F1 0.000 < 0.500"]
    with pytest.raises(ConfigError, match="--fail-under expects CATEGORY=F1"):
        report.parse_thresholds(["visits=0.5"])
