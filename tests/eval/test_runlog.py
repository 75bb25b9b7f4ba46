"""Run logs round-trip, re-score without a model, compare, and gate on thresholds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from summarizer.errors import ConfigError, RunLogError
from summarizer.eval import report, runlog
from summarizer.eval.runlog import CaseRecord, RunLog
from summarizer.eval.runner import rescore
from summarizer.eval.score import score

from ..support.cases import FULL, TRIPS, gold_case, prediction


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
    with pytest.raises(RunLogError, match="run log version 99, this tool reads 1") as info:
        runlog.load(path)
    assert (info.value.path, info.value.exit_code) == (str(path), 2)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (None, "no such run log"),
        ("{not json", "not a readable run log (Expecting property name enclosed in double quotes: line 1 column 2"),
        ('{"version": 1, "mode": "replay"}', "invalid run log at created: Field required (and "),
    ],
)
def test_an_unusable_log_is_one_clear_error(tmp_path: Path, text: str | None, problem: str) -> None:
    path = tmp_path / "log.json"
    if text is not None:
        path.write_text(text)
    with pytest.raises(RunLogError) as info:
        runlog.load(path)
    assert str(info.value).startswith(f"{path}: {problem}") and info.value.exit_code == 2


def test_rescoring_a_log_against_a_gold_set_without_its_articles_is_refused() -> None:
    log = make_log(FULL)
    with pytest.raises(RunLogError) as info:
        rescore(log, [])
    assert str(info.value) == "run log has articles the gold set lacks: t" and info.value.exit_code == 2


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


def test_a_log_restricted_to_a_subset_or_without_a_screening_run() -> None:
    log = make_log(FULL)
    other = log.model_copy(update={"cases": [CaseRecord(id="u", article="b.txt")]})
    both = log.model_copy(update={"cases": [*log.cases, *other.cases]})
    assert [c.id for c in both.restricted(log).cases] == ["t"]
    assert [c.id for c in both.restricted(exclude=[log]).cases] == ["u"]
    assert [c.id for c in both.restricted(both, [other]).cases] == ["t"] and len(both.cases) == 2
