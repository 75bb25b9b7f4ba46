"""The embedded server dying mid-run, with a stand-in server process (tests/fake_openai.py) in place of llama.cpp.

Rule (``Summarizer.summarize_article``): the article in flight is retried once on a restarted server; if it fails
again, its error names it, and the next article gets a fresh server.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from summarizer import Settings, Summarizer
from summarizer.articles import Article
from summarizer.backends import modelfile
from summarizer.backends import server as server_mod
from summarizer.backends.server import EmbeddedServer
from summarizer.errors import BackendError

FAKE = Path(__file__).parent / "fake_openai.py"
ARTICLES = [Article(f"{n}.txt", "Pompeo will travel to Pyongyang next month.") for n in ("first", "second")]


@pytest.fixture
def fake_embedded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[EmbeddedServer]:
    """The embedded backend, served by the stand-in; returns the servers started, in order."""
    started: list[EmbeddedServer] = []
    monkeypatch.setattr(server_mod, "server_available", lambda: True)
    monkeypatch.setattr(modelfile, "resolve", lambda *a, **k: tmp_path / "model.gguf")
    for k in ("OPENAI_BASE_URL", "SUMMARIZER_BASE_URL"):
        monkeypatch.delenv(k, raising=False)

    def command(self: EmbeddedServer) -> list[str]:
        started.append(self)
        deaths = getattr(self, "deaths", 0)
        return [sys.executable, str(FAKE), "--port", str(self.port), "--model_alias", self.alias,
                "--deaths", str(deaths), "--marker", str(tmp_path / "deaths")]  # fmt: skip

    monkeypatch.setattr(EmbeddedServer, "command", command)
    return started


def run_all(deaths: int) -> tuple[list[object], list[str]]:
    setattr(EmbeddedServer, "deaths", deaths)  # noqa: B010 - read by the patched command()
    try:
        results: list[object] = []
        errors: list[str] = []
        with Summarizer(Settings()) as s:
            for article in ARTICLES:
                try:
                    results.append(s.summarize_article(article))
                except BackendError as exc:
                    errors.append(str(exc))
        return results, errors
    finally:
        delattr(EmbeddedServer, "deaths")


def test_a_server_that_dies_mid_request_is_restarted_and_the_article_retried(
    fake_embedded: list[EmbeddedServer], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="summarizer"):
        results, errors = run_all(deaths=1)
    assert (len(results), errors) == (2, [])
    assert len(fake_embedded) == 2 and all(s.proc is None for s in fake_embedded)  # restarted once, all stopped
    assert "first.txt: the embedded server stopped (exit code 9) during the call; restarting it" in caplog.text


def test_a_server_that_dies_again_fails_only_that_article(fake_embedded: list[EmbeddedServer]) -> None:
    results, errors = run_all(deaths=2)
    assert len(results) == 1  # the second article ran on a fresh server
    (message,) = errors
    assert message.startswith(
        "first.txt: the embedded server stopped (exit code 9) during the call, and the retry after a restart "
        "failed too: first.txt: cannot reach the model endpoint"
    )
    assert len(fake_embedded) == 3 and all(s.proc is None for s in fake_embedded)
