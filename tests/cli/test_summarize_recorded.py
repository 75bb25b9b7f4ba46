"""The CLI end to end on a seed article, replayed from recordings of the real embedded model: the one-call ``cited``
pipeline's, and the eval's recording of the default pipeline for the README's first command."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.backends import BACKENDS
from summarizer.choices import DEFAULT_PIPELINE
from summarizer.cli import summarize_app
from summarizer.eval.replay import REPLAY_BASE_URL, make_vcr
from summarizer.schemas import ArticleSummary

from ..support.paths import ARTICLES, ROOT

runner = CliRunner()
MODEL = BACKENDS["embedded"].default_model  # the embedded model's name, as recorded


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
            MODEL,
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
            MODEL,
        ],
        env={"OPENAI_API_KEY": "sk-no-key-required", "SUMMARIZER_MODE": "GRAMMAR"},  # as the embedded backend asks
    )
    assert r.exit_code == 0, r.stderr
    doc = json.loads(out.read_text())
    assert doc["published"] == "2018-09-26" and set(doc) >= {"summary", "trips", "summits", "commitments", "skepticism"}


def readme_first_command() -> list[str]:
    """The arguments of the ``summarize`` that ends the README's first shell block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    *_, command = block.strip().split(" && ")
    name, *args = shlex.split(command)
    assert name == "summarize"
    return args


def test_the_readmes_first_command_on_seed_000_shows_the_summit_kims_pledge_and_the_doubts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The README's first command as written (the default pipeline: no ``--pipeline``), aimed at the eval's
    recording of seed-000 (the requests are the eval's: same article, date and model); run twice, as JSON and as
    the markdown a new user sees, each answered from the recording (``--no-cache``)."""
    monkeypatch.delenv("SUMMARIZER_PIPELINE")  # tests/conftest.py's pin: this test runs the default
    monkeypatch.chdir(ROOT)  # the README's paths are relative to the checkout
    recording = ROOT / "cassettes" / "eval" / DEFAULT_PIPELINE / "seed-000.yaml"
    args = [*readme_first_command(), "--base-url", REPLAY_BASE_URL, "--model", MODEL, "--no-cache"]
    assert args[0] == "evals/articles/seed-000.txt"
    with make_vcr("none").use_cassette(str(recording)):  # each recorded answer plays once
        r = runner.invoke(summarize_app, [*args, "-f", "json"], env={"SUMMARIZER_MODE": "GRAMMAR"})
    with make_vcr("none").use_cassette(str(recording)):
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
