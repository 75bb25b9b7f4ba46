"""Fixtures and hooks only (shared helpers live in ``tests/support/``): the pipeline the recordings are of, the seed
articles, VCR settings (cassettes in the top-level ``cassettes/``), the endpoint, the stand-in embedded server, and
the session check that no model server outlives the tests.

Replay (the default, record mode ``none``) needs no server: requests match on method, path and the JSON body
parsed, so host and port do not matter. Recording (``--record-mode=once``/``rewrite``) starts the real
embedded server, or uses ``SUMMARIZER_RECORD_BASE_URL`` when set.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from summarizer.backends import modelfile
from summarizer.backends import server as server_mod
from summarizer.backends.server import EmbeddedServer
from summarizer.config import Settings
from summarizer.eval.replay import FILTERED_HEADERS, REPLAY_BASE_URL, json_body_matcher, scrub_response

from .support.paths import ARTICLES, FAKE_SERVER, ROOT, SEEDS
from .support.servers import SERVER_MARKERS, FakeEmbedded, processes_with

RECORDED_PIPELINE = "cited"


@pytest.fixture(autouse=True)
def recorded_pipeline(monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test runs ``cited`` unless it chooses a pipeline (``Settings(pipeline=...)``, ``--pipeline``): the
    committed test cassettes and the fault table's fakes answer its one call per article, while the default,
    ``sift-narrow``, asks dozens. Set in the environment, so the CLI in a subprocess runs it too, unless the test
    clears ``SUMMARIZER_*`` (the signal and unreadable-file tests: they run the default against a fake or dead
    endpoint). Tests of the default's output (the README's first command, the live smoke test) name
    ``DEFAULT_PIPELINE``."""
    monkeypatch.setenv("SUMMARIZER_PIPELINE", RECORDED_PIPELINE)
    return RECORDED_PIPELINE


@pytest.fixture(autouse=True)
def run_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's run store in a folder of its own: ``summarize`` records every run in one, never in the user's."""
    path = tmp_path_factory.mktemp("store") / "runs.db"
    monkeypatch.setenv("SUMMARIZER_DB", str(path))
    return path


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    vcr.register_matcher("json_body", json_body_matcher)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": FILTERED_HEADERS,
        "before_record_response": scrub_response,
        "match_on": ["method", "path", "json_body"],
        "decode_compressed_response": True,
        "allow_playback_repeats": True,  # the same request replays the same recorded answer
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    rel = Path(request.node.fspath).relative_to(ROOT / "tests").with_suffix("")
    return str(ROOT / "cassettes" / rel)


@pytest.fixture(scope="session")
def endpoint(request: pytest.FixtureRequest) -> Iterator[str]:
    """Base URL for recorded tests: the real embedded server while recording, a dead address in replay."""
    mode = request.config.getoption("--record-mode", default="none")
    if mode in (None, "none"):
        yield REPLAY_BASE_URL
        return
    if os.environ.get("SUMMARIZER_RECORD_BASE_URL"):
        yield os.environ["SUMMARIZER_RECORD_BASE_URL"]
        return
    from summarizer.backends import BACKENDS

    with EmbeddedServer(modelfile.resolve(Settings()).path, alias=BACKENDS["embedded"].default_model) as server:
        yield server.base_url


@pytest.fixture
def recorded_settings(endpoint: str) -> Any:
    """Settings that talk to the recorded embedded model: same model name and request body as live."""
    from summarizer.backends import BACKENDS

    embedded = BACKENDS["embedded"]
    return Settings(
        base_url=endpoint,
        api_key=SecretStr("sk-no-key-required"),
        model=embedded.default_model,
        mode=embedded.mode,
        n_ctx=8192,
    )


@pytest.fixture
def seed_text() -> dict[str, str]:
    return {k: (ARTICLES / f"{k}.txt").read_text(encoding="utf-8") for k in SEEDS}


_BEFORE = pytest.StashKey[dict[int, str]]()


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = processes_with(*SERVER_MARKERS) if Path("/proc").is_dir() else {}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Session check ``no_orphan_servers``: no model server started during the run may outlive it."""
    if not Path("/proc").is_dir():
        return
    deadline = time.monotonic() + 5
    while True:
        left = {p: c for p, c in processes_with(*SERVER_MARKERS).items() if p not in session.config.stash[_BEFORE]}
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if left:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        for pid, cmd in left.items():
            print(f"\nno_orphan_servers: process {pid} outlived the test session: {cmd[:200]}")


@pytest.fixture
def fake_embedded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeEmbedded:
    """The embedded backend, served by the stand-in process instead of llama.cpp."""
    fake = FakeEmbedded()
    monkeypatch.setattr(server_mod, "server_available", lambda: True)
    model = modelfile.ModelFile(tmp_path / "model.gguf", modelfile.DEFAULT_MODEL.sha256, verified=True)
    monkeypatch.setattr(modelfile, "resolve", lambda *a, **k: model)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))  # saved prefixes stay in the test's folder
    for k in ("OPENAI_BASE_URL", "SUMMARIZER_BASE_URL"):
        monkeypatch.delenv(k, raising=False)

    def command(self: EmbeddedServer) -> list[str]:
        fake.started.append(self)
        slots = ["--slot_save_path", str(self.slot_dir)] if self.slot_dir else []
        return [sys.executable, str(FAKE_SERVER), "--port", str(self.port), "--model_alias", self.alias,
                "--deaths", str(fake.deaths), "--marker", str(tmp_path / "deaths"), *slots]  # fmt: skip

    monkeypatch.setattr(EmbeddedServer, "command", command)
    return fake
