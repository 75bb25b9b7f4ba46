"""The CLI end to end on a seed article, replayed from a recording of the real embedded model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import summarize_app

from ..support.paths import ARTICLES

runner = CliRunner()


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
