"""``summarizer model warm`` and ``model info`` with the stand-in server (the real one: tests/test_live.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.backends import modelfile
from summarizer.backends.prefix import list_saved, prefix_dir
from summarizer.cli import app, summarize_app

from ..conftest import ARTICLES, FakeEmbedded

runner = CliRunner()


def test_warm_saves_the_prefix_once_and_info_lists_it(fake_embedded: FakeEmbedded, tmp_path: Path) -> None:
    first = runner.invoke(app, ["model", "warm"])
    again = runner.invoke(app, ["model", "warm"])
    assert (first.exit_code, first.stdout) == (0, "cited: prompt prefix saved\n"), first.stderr
    assert (again.exit_code, again.stdout) == (0, "cited: prompt prefix restored\n")
    (saved,) = list_saved()
    info = runner.invoke(app, ["model", "info", "--model-path", str(tmp_path / "absent.gguf")])
    assert f"saved prefixes: 1 in {prefix_dir()}" in info.stdout
    assert f"prefix {saved.key[:12]}: cited: {saved.tokens} tokens" in info.stdout
    assert info.exit_code == 1  # the model file itself is absent here


def test_warm_is_for_the_embedded_model_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setattr(modelfile, "resolve", lambda *a, **k: pytest.fail("must not fetch the model"))
    r = runner.invoke(app, ["model", "warm"])
    assert (r.exit_code, r.stderr) == (
        2,
        "Error: model warm is for the embedded model; unset OPENAI_BASE_URL / SUMMARIZER_BASE_URL\n",
    )


def test_no_prefix_cache_leaves_no_saved_state(fake_embedded: FakeEmbedded) -> None:
    r = runner.invoke(summarize_app, [str(ARTICLES / "seed-000.txt"), "--no-prefix-cache", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    assert '"prefix": null' in r.stdout and list_saved() == []
    r = runner.invoke(summarize_app, [str(ARTICLES / "seed-000.txt"), "-f", "json"])
    assert '"prefix": "saved"' in r.stdout and len(list_saved()) == 1
