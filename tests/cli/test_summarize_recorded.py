"""The CLI end to end on a seed article, replayed from recordings of the real embedded model: the one-call ``cited``
pipeline's, and the eval's recording of the default pipeline for the README's first command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.choices import DEFAULT_PIPELINE
from summarizer.cli import summarize_app
from summarizer.eval.replay import REPLAY_BASE_URL, make_vcr
from summarizer.schemas import ArticleSummary

from ..support.paths import ARTICLES, ROOT

runner = CliRunner()
MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"  # the embedded model's name, as recorded


@pytest.mark.vcr
def test_markdown_digest_and_a_bad_file_alongside(endpoint: str, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    r = runner.invoke(
        summarize_app,
        [
            str(ARTICLES / "seed-000.txt"),
            str(missing),
            "--published",
            "2018-09-26",
            "--base-url",
            endpoint,
            "--model",
            "qwen2.5-coder-1.5b-instruct-q4_k_m",
        ],
        env={"OPENAI_API_KEY": "sk-no-key-required", "SUMMARIZER_MODE": "GRAMMAR"},  # as the embedded backend asks
    )
    assert r.exit_code == 1
    assert r.stderr == f"Error: {missing}: no such file\n"
    assert r.stdout.startswith(f"# {ARTICLES / 'seed-000.txt'}\n")
    for heading in ("## Trips", "## Summits", "## Commitments", "## Skepticism"):
        assert heading in r.stdout


@pytest.mark.vcr("test_markdown_digest_and_a_bad_file_alongside.yaml")
def test_json_output_file(endpoint: str, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    r = runner.invoke(
        summarize_app,
        [
            str(ARTICLES / "seed-000.txt"),
            "--published",
            "2018-09-26",
            "-f",
            "json",
            "-o",
            str(out),
            "--base-url",
            endpoint,
            "--model",
            "qwen2.5-coder-1.5b-instruct-q4_k_m",
        ],
        env={"OPENAI_API_KEY": "sk-no-key-required", "SUMMARIZER_MODE": "GRAMMAR"},  # as the embedded backend asks
    )
    assert r.exit_code == 0, r.stderr
    doc = json.loads(out.read_text())
    assert doc["published"] == "2018-09-26" and set(doc) >= {"summary", "trips", "summits", "commitments", "skepticism"}


def test_the_readmes_first_command_on_seed_000_shows_the_summit_kims_pledge_and_the_doubts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The README's first command, with the default pipeline (no ``--pipeline``), replayed from the eval's
    recording of seed-000 (the requests are the eval's: same article, date and settings)."""
    monkeypatch.delenv("SUMMARIZER_PIPELINE")  # tests/conftest.py's pin: this test runs the default
    recording = ROOT / "cassettes" / "eval" / DEFAULT_PIPELINE / "seed-000.yaml"
    args = [
        str(ARTICLES / "seed-000.txt"),
        "--published",
        "2018-09-26",
        "--base-url",
        REPLAY_BASE_URL,
        "--model",
        MODEL,
    ]
    with make_vcr("none").use_cassette(str(recording)):
        r = runner.invoke(summarize_app, [*args, "-f", "json"], env={"SUMMARIZER_MODE": "GRAMMAR"})
        md = runner.invoke(summarize_app, args, env={"SUMMARIZER_MODE": "GRAMMAR"})
    assert r.exit_code == 0 and md.exit_code == 0, r.stderr + md.stderr
    summary = ArticleSummary.model_validate_json(r.stdout)
    assert summary.meta is not None and summary.meta.pipeline == DEFAULT_PIPELINE
    assert any({"Trump", "Kim Jong Un"} <= set(s.participants) for s in summary.summits)  # the second summit
    assert any(c.actor == "Kim Jong Un" and "dismantle" in c.action for c in summary.commitments)  # his own
    assert {"Korea watchers", "Mike Pompeo"} <= {k.holder for k in summary.skepticism}  # the doubts reported
    assert all(r.grounded for rs in summary.records().values() for r in rs)
    for text in ("Kim Jong Un", "dismantle a missile test site", "Korea watchers"):
        assert text in md.stdout
