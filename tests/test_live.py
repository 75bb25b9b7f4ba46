"""Live smoke test of the embedded default: real llama.cpp server, real model, one short article, the default
pipeline; the other tests run the one-call ``cited`` pipeline (``tests/conftest.py``), whose single request is what
a kill, a timeout or a saved prefix is tested against.

Run with ``pytest -m live`` (needs the ``[local]`` extra; fetches the model file if it is not cached).
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from summarizer import Settings, Summarizer, read_article
from summarizer.backends.server import EmbeddedServer, listening_sockets
from summarizer.choices import DEFAULT_PIPELINE
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
    with Summarizer(Settings(pipeline=DEFAULT_PIPELINE)) as s:
        result = s.summarize_article(article)
        server = started[0]
        assert server.proc is not None
        assert listening_sockets(server.proc.pid) == [("127.0.0.1", server.port)]  # loopback only
    assert result.meta is not None and result.meta.backend == "embedded" and result.meta.pipeline == DEFAULT_PIPELINE
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


def test_the_real_server_applies_the_grammar_with_fixed_separators(started: list[EmbeddedServer]) -> None:
    """The model is asked for indented prose; the grammar allows only the schema's JSON with fixed separators."""
    from summarizer.backends import connect

    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string", "enum": ["zebra-42", "other"]}, "n": {"type": "integer"}},
        "required": ["answer", "n"],
    }
    ask = [{"role": "user", "content": "Write a long poem about cats, pretty-printed over many indented lines."}]
    with connect(Settings()) as conn:
        assert conn.mode.name == "GRAMMAR" and conn.client.client is not None
        reply = conn.client.client.chat.completions.create(
            model=conn.model,
            messages=ask,  # type: ignore[arg-type]
            max_tokens=40,
            temperature=0,
            response_format={"type": "json_schema", "json_schema": {"name": "A", "schema": schema}},
        )
    content = reply.choices[0].message.content or ""
    parsed = json.loads(content)
    assert set(parsed) == {"answer", "n"} and parsed["answer"] in ("zebra-42", "other")
    assert content == json.dumps(parsed)  # no free whitespace: exactly json.dumps's separators


def test_the_real_server_restores_a_saved_prefix_in_a_new_run_and_a_cut_state_is_a_miss(
    started: list[EmbeddedServer], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from summarizer.backends import modelfile
    from summarizer.backends.prefix import list_saved, prefix_dir

    model = modelfile.resolve(Settings()).path
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))
    settings = Settings(model_path=model)
    article = read_article(Path(__file__).parent / "data" / "short_article.txt")
    runs = []
    for _ in range(2):
        with Summarizer(settings) as s:
            runs.append(s.summarize_article(article))
    assert [r.meta.prefix for r in runs if r.meta] == ["saved", "restored"]
    (saved,) = list_saved(prefix_dir(settings))
    assert saved.tokens > 1000 and saved.bytes > 10_000_000
    state = prefix_dir(settings) / f"{saved.key}.bin"
    state.write_bytes(state.read_bytes()[: saved.bytes // 2])  # llama.cpp would abort on this file
    with Summarizer(settings) as s:
        again = s.summarize_article(article)
    assert again.meta is not None and again.meta.prefix == "saved" and len(started) == 3  # no crash, no restart
    assert again.summary.strip()


def test_the_real_server_gives_token_log_probabilities(started: list[EmbeddedServer]) -> None:
    from summarizer.backends import connect
    from summarizer.logprobs import token_logprobs

    ask = [{"role": "user", "content": "Is Paris the capital of France? Answer yes or no."}]
    settings = Settings()
    with connect(settings) as conn:
        got = token_logprobs(conn, ask, settings, source="question", top=5)
    assert len(got.tokens) == 1 and got.tokens[0].logprob <= 0 and len(got.tokens[0].top) == 5
    assert got.probability("yes", "no") > 0.5


def test_the_real_server_dies_with_its_sigkilled_parent() -> None:
    import subprocess
    import sys

    script = (
        "from summarizer import Settings\n"
        "from summarizer.backends import modelfile\n"
        "from summarizer.backends.server import EmbeddedServer\n"
        "s = EmbeddedServer(modelfile.resolve(Settings()).path, alias='live'); s.start()\n"
        "print(s.proc.pid, flush=True)\n"
        "import time; time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    os.kill(child, 0)  # up and answering (start() returned)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{child}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
        except FileNotFoundError:
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"the server {child} outlived its SIGKILLed parent")
