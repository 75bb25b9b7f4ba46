"""Backend → client, instructor mode and settings, in one table.

``embedded``: no endpoint configured; the tool starts llama.cpp's server on the verified local GGUF. It rejects
``response_format: json_schema`` (HTTP 500), so it uses instructor's TOOLS mode: a forced tool call, which
llama-cpp-python turns into a JSON-schema grammar, so the reply is always schema-shaped JSON.
``remote``: any OpenAI-compatible endpoint from ``OPENAI_BASE_URL`` / ``--base-url``; TOOLS mode too, the
mode every OpenAI-compatible server with function calling accepts. ``SUMMARIZER_MODE`` overrides the mode.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..config import Settings
from ..errors import ConfigError
from .modelfile import DEFAULT_MODEL, Progress

if TYPE_CHECKING:
    from instructor import Instructor

    from .server import EmbeddedServer


@dataclass(frozen=True)
class BackendSpec:
    """How to talk to one kind of endpoint."""

    name: str
    mode: str  # member name of instructor.Mode
    default_model: str
    placeholder_key: str | None  # sent when no key is configured (local servers ignore it)
    http_retries: int


BACKENDS: dict[str, BackendSpec] = {
    "embedded": BackendSpec("embedded", "TOOLS", DEFAULT_MODEL.name, "sk-no-key-required", http_retries=0),
    "remote": BackendSpec("remote", "TOOLS", "gpt-4o-mini", None, http_retries=2),
}


@dataclass
class Connection:
    """An open client: the instructor-wrapped OpenAI client plus what the pipeline needs to call it."""

    client: Instructor
    model: str
    backend: BackendSpec
    base_url: str
    n_ctx: int | None  # known context window, None when the endpoint does not say
    server: EmbeddedServer | None = None  # the embedded server behind ``base_url``, if the tool started it

    def server_exit_code(self, wait: float = 2.0) -> int | None:
        """The embedded server's exit code if it has died (waiting up to ``wait`` s for a dying one), else None;
        None for remote endpoints."""
        import subprocess

        proc = self.server.proc if self.server is not None else None
        if proc is None:
            return None
        try:
            return proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            return None


def _is_loopback(url: str) -> bool:
    from urllib.parse import urlparse

    return urlparse(url).hostname in ("localhost", "127.0.0.1", "::1")


def _instructor_client(settings: Settings, spec: BackendSpec, base_url: str) -> Instructor:
    import instructor
    from openai import OpenAI

    key = settings.api_key.get_secret_value() if settings.api_key else spec.placeholder_key
    if key is None and _is_loopback(base_url):
        key = BACKENDS["embedded"].placeholder_key  # local servers (llama.cpp, vLLM, Ollama) need no key
    if key is None:
        raise ConfigError("no API key: set OPENAI_API_KEY (or SUMMARIZER_API_KEY) for the remote endpoint")
    mode_name = getattr(settings, "mode", None) or spec.mode
    try:
        mode = instructor.Mode[mode_name]
    except KeyError:
        raise ConfigError(f"unknown instructor mode {mode_name!r}") from None
    raw = OpenAI(api_key=key, base_url=base_url, max_retries=spec.http_retries, timeout=settings.request_timeout)
    return instructor.from_openai(raw, mode=mode)


@contextmanager
def connect(settings: Settings, progress: Progress | None = None) -> Iterator[Connection]:
    """Open the configured backend; for ``embedded`` this starts (and finally stops) the local server."""
    spec = BACKENDS[settings.backend]
    if settings.backend == "remote":
        assert settings.base_url is not None
        if not settings.base_url.startswith(("http://", "https://")):
            raise ConfigError(f"base URL must start with http:// or https://, got {settings.base_url!r}")
        client = _instructor_client(settings, spec, settings.base_url)
        yield Connection(client, settings.model or spec.default_model, spec, settings.base_url, None)
        return
    from .modelfile import resolve
    from .server import EmbeddedServer, require_server

    require_server()  # before fetching a 1 GB model that could not be served
    path = resolve(settings.model_path, progress=progress)
    alias = settings.model or spec.default_model
    with EmbeddedServer(
        path,
        alias=alias,
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        start_timeout=settings.server_start_timeout,
    ) as server:
        client = _instructor_client(settings, spec, server.base_url)
        yield Connection(client, alias, spec, server.base_url, settings.n_ctx, server)


__all__ = ["BACKENDS", "BackendSpec", "Connection", "connect"]
