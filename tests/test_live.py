"""Live smoke test of the embedded default: real llama.cpp server, real model, one short article.

Run with ``pytest -m live`` (needs the ``[local]`` extra; fetches the model file if it is not cached).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer import Settings, Summarizer, read_article
from summarizer.backends.server import EmbeddedServer

pytestmark = pytest.mark.live


def test_embedded_model_summarizes_a_short_article_and_stops_its_server(monkeypatch: pytest.MonkeyPatch) -> None:
    for k in ("OPENAI_BASE_URL", "SUMMARIZER_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(k, raising=False)
    started: list[EmbeddedServer] = []
    original = EmbeddedServer.start

    def spy(self: EmbeddedServer) -> str:
        started.append(self)
        return original(self)

    monkeypatch.setattr(EmbeddedServer, "start", spy)
    article = read_article(Path(__file__).parent / "data" / "short_article.txt")
    with Summarizer(Settings()) as s:
        result = s.summarize_article(article)
    assert result.meta is not None and result.meta.backend == "embedded"
    assert result.meta.usage.prompt_tokens > 100 and result.meta.usage.completion_tokens > 0
    assert result.summary.strip()
    assert sum(len(r) for r in result.records().values()) >= 1
    assert len(started) == 1 and started[0].proc is None  # stopped on exit
