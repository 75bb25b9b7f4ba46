"""``summarizer eval`` end to end, offline, from the committed eval cassettes of the real embedded model."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app

from ..support.paths import ROOT

runner = CliRunner()
IDS = ["--only", "seed-000", "--only", "dev-25-fed-meeting"]


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for k in ("OPENAI_BASE_URL", "SUMMARIZER_BASE_URL"):
        monkeypatch.delenv(k, raising=False)


def test_replay_prints_scores_and_writes_a_log_that_rescores_identically(tmp_path: Path) -> None:
    r = runner.invoke(app, ["eval", *IDS, "--runs", str(tmp_path), "--json"])
    assert r.exit_code == 0, r.stderr
    scores = json.loads(r.stdout)
    assert scores["articles"] == 2 and scores["schema_valid_rate"] == 1.0
    assert set(scores["categories"]) == {"trips", "summits", "commitments", "skepticism"}
    (log,) = tmp_path.glob("*-replay-cited.json")
    again = runner.invoke(app, ["eval", *IDS, "--rescore", str(log), "--no-save", "--json"])
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["overall"] == scores["overall"]


@pytest.mark.parametrize(
    ("pipeline", "log", "ids"),
    [
        ("detect", "20261202-010552-replay-detect.json", IDS),
        ("scan", "20261202-033207-replay-scan.json", IDS),
        ("sift", "20261202-061411-replay-sift.json", IDS),
        ("sift-each", "20261202-083134-replay-sift-each.json", IDS),
        (  # recorded with the topic threshold at 0.5, replayed at the plan's: dev-29 is taken as off topic
            "sift-all",
            "20261202-132545-replay-sift-all.json",
            ["--only", "seed-000", "--only", "dev-29-social-media-summit"],
        ),
        ("sift-narrow", "20261202-154433-replay-sift-narrow.json", IDS),
        (  # recorded on the 7 screening articles only
            "sift-wide",
            "20261202-130304-replay-sift-wide.json",
            ["--only", "seed-000", "--only", "dev-21-eu-brexit-extension-summit"],
        ),
    ],
)
def test_the_committed_recordings_replay_to_the_committed_logs(
    tmp_path: Path, pipeline: str, log: str, ids: list[str]
) -> None:
    """Each multi-call pipeline's recordings still answer every request it makes, and give the records its
    committed run log holds (here for seed-000 and one other article, mostly a negative one)."""
    from summarizer.eval import runlog

    r = runner.invoke(app, ["eval", *ids, "--pipeline", pipeline, "--runs", str(tmp_path)])
    assert r.exit_code == 0, r.stderr
    fresh = runlog.load(next(tmp_path.glob(f"*-replay-{pipeline}.json"))).cases
    committed = {c.id: c for c in runlog.load(ROOT / "evals" / "runs" / log).cases}
    for case in fresh:
        ours, theirs = case.prediction, committed[case.id].prediction
        assert ours is not None and theirs is not None and ours.records() == theirs.records()


def test_fail_under_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    r = runner.invoke(app, ["eval", *IDS, "--no-save", "--fail-under", "overall=1.01"])
    assert r.exit_code == 7
    assert r.stderr.startswith("Error: below threshold: overall F1 ") and r.stderr.count("\n") == 1


def test_the_gate_can_be_read_from_a_baseline_run_log(tmp_path: Path) -> None:
    assert runner.invoke(app, ["eval", *IDS, "--runs", str(tmp_path)]).exit_code == 0
    (log,) = tmp_path.glob("*.json")
    same = runner.invoke(app, ["eval", *IDS, "--no-save", "--baseline", str(log)])
    assert same.exit_code == 0, same.stderr  # replay reproduces its baseline exactly
    above = runner.invoke(app, ["eval", *IDS, "--no-save", "--baseline", str(log), "--tolerance", "-0.01"])
    assert above.exit_code == 7 and above.stderr.startswith("Error: below threshold: overall F1 ")
    assert all(c in above.stderr for c in ("trips F1", "summits F1"))


def test_compare_two_logs(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert runner.invoke(app, ["eval", "--only", "seed-000", "--runs", str(a)]).exit_code == 0
    assert runner.invoke(app, ["eval", *IDS, "--runs", str(b)]).exit_code == 0
    (la,), (lb,) = a.glob("*.json"), b.glob("*.json")
    r = runner.invoke(app, ["eval", "--compare", str(la), str(lb)])
    assert r.exit_code == 0 and "regressions first" in r.stdout and "seed-000" in r.stdout


def test_a_replay_miss_is_a_clear_error(tmp_path: Path) -> None:
    r = runner.invoke(app, ["eval", "--only", "seed-000", "--cassettes", str(tmp_path), "--no-save"])
    assert r.exit_code == 6
    assert r.stderr == (
        f"Error: seed-000: no cassette at {tmp_path / 'seed-000.yaml'}; record one with `summarizer eval --live`\n"
    )


def test_reuse_is_checked_before_any_model_call(tmp_path: Path) -> None:
    def error(*args: str) -> tuple[int, str]:
        r = runner.invoke(app, ["eval", "--only", "seed-000", "--no-save", *args])
        return r.exit_code, r.stderr

    assert error("--reuse", str(tmp_path)) == (2, "Error: --reuse needs --live\n")
    assert error("--live", "--reuse", str(tmp_path / "nope")) == (2, f"Error: --reuse: no folder {tmp_path / 'nope'}\n")
    assert error("--live", "--reuse", str(tmp_path)) == (2, f"Error: --reuse: no recording in {tmp_path} of seed-000\n")
    assert error("--live", "--reuse", str(tmp_path), "--cassettes", str(tmp_path)) == (
        2, f"Error: --reuse {tmp_path} is the folder being recorded\n"
    )  # fmt: skip


def test_unknown_article_id_and_bad_threshold() -> None:
    r = runner.invoke(app, ["eval", "--only", "nope", "--no-save"])
    assert (r.exit_code, r.stderr) == (2, "Error: --only: no gold file with id nope\n")
    r = runner.invoke(app, ["eval", "--fail-under", "trips:0.5", "--no-save"])
    assert r.exit_code == 2 and r.stderr.startswith("Error: --fail-under expects CATEGORY=F1")


def test_the_key_is_not_in_the_run_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-abcdef0123456789")
    assert runner.invoke(app, ["eval", "--only", "seed-000", "--runs", str(tmp_path)]).exit_code == 0
    (log,) = tmp_path.glob("*.json")
    assert "sk-test-secret" not in log.read_text() and os.environ["OPENAI_API_KEY"] not in log.read_text()


def test_a_replay_that_asks_less_than_was_recorded_reports_the_time_of_what_it_asked(tmp_path: Path) -> None:
    """dev-29's ``sift-all`` recording was made with every question asked (topic threshold 0.5); replayed at the
    plan's threshold it is off topic and asks only the topic question and the summary, and its seconds are the
    server's for those two answers, the article read once (by the topic question, asked first), not the whole
    recording's. ``sift-wide``'s recording of dev-29 is those two answers alone, reused in that order, and its
    timing file holds their seconds as the live run summed them."""
    from summarizer.eval import runlog
    from summarizer.eval.replay import read_timing

    case = "dev-29-social-media-summit"
    r = runner.invoke(app, ["eval", "--only", case, "--pipeline", "sift-all", "--runs", str(tmp_path)])
    assert r.exit_code == 0, r.stderr
    (fresh,) = runlog.load(next(tmp_path.glob("*-replay-sift-all.json"))).cases
    assert fresh.prediction is not None and fresh.prediction.meta is not None
    assert fresh.prediction.meta.usage.calls == 2
    recorded = ROOT / "cassettes" / "eval"
    assert fresh.prediction.meta.seconds == read_timing(recorded / "sift-wide", case)
    assert fresh.prediction.meta.seconds < (read_timing(recorded / "sift-all", case) or 0) / 2


def test_a_replay_of_a_cassette_with_answers_lacking_server_timings_keeps_the_timing_file(tmp_path: Path) -> None:
    """``cited``'s cassettes keep two older recordings beside the current one (the first with no llama.cpp
    ``timings``); a replay plays one of three answers, and its seconds are the timing file's, the live call's."""
    from summarizer.eval import runlog
    from summarizer.eval.replay import read_timing

    r = runner.invoke(app, ["eval", "--only", "seed-000", "--runs", str(tmp_path)])
    assert r.exit_code == 0, r.stderr
    (fresh,) = runlog.load(next(tmp_path.glob("*-replay-cited.json"))).cases
    assert fresh.prediction is not None and fresh.prediction.meta is not None
    assert fresh.prediction.meta.seconds == read_timing(ROOT / "cassettes" / "eval" / "cited", "seed-000")
