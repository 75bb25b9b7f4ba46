"""Shared fixtures: the seed articles, VCR settings (cassettes in the top-level ``cassettes/``) and the endpoint.

Replay (the default, record mode ``none``) needs no server: requests match on method, path and the JSON body
parsed, so host and port do not matter. Recording (``--record-mode=once``/``rewrite``) starts the real
embedded server, or uses ``SUMMARIZER_RECORD_BASE_URL`` when set.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.eval.replay import FILTERED_HEADERS, REPLAY_BASE_URL, json_body_matcher, scrub_response

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "evals" / "articles"
# Publication dates come from the gold files, the one place they are recorded.
SEEDS = {
    k: json.loads((ROOT / "evals" / "gold" / f"{k}.json").read_text(encoding="utf-8"))["published"]
    for k in ("seed-000", "seed-001", "seed-002")
}


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
    from summarizer.backends.modelfile import resolve
    from summarizer.backends.server import EmbeddedServer

    with EmbeddedServer(resolve(None), alias=BACKENDS["embedded"].default_model) as server:
        yield server.base_url


@pytest.fixture
def recorded_settings(endpoint: str) -> Any:
    """Settings that talk to the recorded embedded model: same model name and request body as live."""
    from summarizer import Settings
    from summarizer.backends import BACKENDS

    return Settings(
        base_url=endpoint, api_key="sk-no-key-required", model=BACKENDS["embedded"].default_model, n_ctx=8192
    )


@pytest.fixture
def seed_text() -> dict[str, str]:
    return {k: (ARTICLES / f"{k}.txt").read_text(encoding="utf-8") for k in SEEDS}
