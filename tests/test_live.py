"""Live smoke test of the embedded default: real llama.cpp server, real model, one short article.

Run with ``pytest -m live`` (needs the ``[local]`` extra; fetches the model file if it is not cached).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from summarizer import Settings, Summarizer, read_article
from summarizer.backends.server import EmbeddedServer, listening_sockets
from summarizer.errors import BackendError

pytestmark = pytest.mark.live


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[EmbeddedServer]:
    """The embedded default (no endpoint configured); returns the servers started, in order."""
    for k in ("OPENAI_BASE_URL", "SUMMARIZER_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(k, raising=False)
    servers: list[EmbeddedServer] = []
    original = EmbeddedServer.start

    def spy(self: EmbeddedServer) -> str:
        servers.append(self)
        return original(self)

    monkeypatch.setattr(EmbeddedServer, "start", spy)
    return servers


def test_embedded_model_summarizes_a_short_article_and_stops_its_server(started: list[EmbeddedServer]) -> None:
    article = read_article(Path(__file__).parent / "data" / "short_article.txt")
    with Summarizer(Settings()) as s:
        result = s.summarize_article(article)
        server = started[0]
        assert server.proc is not None
        assert listening_sockets(server.proc.pid) == [("127.0.0.1", server.port)]  # loopback only
    assert result.meta is not None and result.meta.backend == "embedded"
    assert result.meta.usage.prompt_tokens > 100 and result.meta.usage.completion_tokens > 0
    assert result.summary.strip()
    assert sum(len(r) for r in result.records().values()) >= 1
    assert len(started) == 1 and started[0].proc is None  # stopped on exit


def test_the_real_server_killed_mid_request_is_restarted_and_the_article_retried(
    started: list[EmbeddedServer],
) -> None:
    article = read_article(Path(__file__).parent / "data" / "short_article.txt")

    def kill_first_server_mid_request() -> None:
        time.sleep(4)  # the request is in flight: prompt processing alone takes longer
        proc = started[0].proc
        if proc is not None:
            os.killpg(proc.pid, signal.SIGKILL)

    with Summarizer(Settings()) as s:
        s.open()
        killer = threading.Thread(target=kill_first_server_mid_request)
        killer.start()
        result = s.summarize_article(article)
        killer.join()
    assert len(started) == 2 and all(x.proc is None for x in started)  # restarted once; both stopped
    assert result.summary.strip() and result.meta is not None and result.meta.usage.completion_tokens > 0


def test_the_real_server_on_a_port_taken_before_it_binds_moves_to_another(
    started: list[EmbeddedServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer.backends import BACKENDS
    from summarizer.backends import server as server_mod

    from .fake_openai import FakeEndpoint

    with FakeEndpoint(alias=BACKENDS["embedded"].default_model) as occupant:  # answers like our server would
        taken = occupant.port
        ports = [taken, server_mod.free_port()]
        monkeypatch.setattr(server_mod, "free_port", lambda: ports.pop(0))
        with Summarizer(Settings()) as s:
            s.open()
            server = started[0]
            assert server.proc is not None and server.port != taken and ports == []  # the second port
            assert listening_sockets(server.proc.pid) == [("127.0.0.1", server.port)]
    assert server.proc is None


def test_a_real_timeout_is_one_clear_error_and_the_server_still_stops(started: list[EmbeddedServer]) -> None:
    article = read_article(Path(__file__).parent / "data" / "short_article.txt")
    t0 = time.monotonic()
    with Summarizer(Settings(request_timeout=2.0)) as s, pytest.raises(BackendError) as info:
        s.summarize_article(article)
    assert str(info.value).endswith("timed out (1 attempt(s))") and str(info.value).startswith(str(article.source))
    assert started[0].proc is None and time.monotonic() - t0 < 60  # stopped although it was mid-computation
